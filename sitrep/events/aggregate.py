"""An event's summary kept up to date as reports join it, without reading its members again.

``summarize_event`` reads every member, so when the store rebuilt an event after each new
report an ingest cost grew with the square of the largest events. ``Aggregate`` keeps what
the summary is made of (per value: how many give it and where it is first seen in the
summary's member order; how many sources rely on each origin), so a new member costs about as
much as the values it brings, whatever the size of the event. The per-article part (one source
entry per article, and the values each gives of the disputed fields) goes to a ``SourceBook``:
in memory a dict, in the store one row per source, which a reader joins back with
``with_sources``. That and ``summary()`` is exactly what ``summarize_event`` gives on all the
members (tests/test_aggregate.py checks this on random histories). It only grows: when a member
leaves (a corrected or withdrawn article), or an article reports the event twice, the store
rebuilds from the mentions instead.

Everything is plain JSON data, so the store keeps it in a row between saves.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Protocol

from sitrep.events.summary import _DATE_RANK, _STATUS_RANK, QUOTES, origin_of, party_of
from sitrep.records import Location, Mention

# _pick's fields; actor1 is grouped by the firmness of its attribution, sub_event_type by type
PICKED = ("time_of_day", "event_type", "sub_event_type", "actor1", "actor2", "target", "claimed_by")
COUNTS = ("fatalities", "injuries")


def summary_key(m: Mention) -> list[Any]:
    """The member order ``summarize_event`` reads in (first-seen tie-breaks follow it)."""
    return [m.article, m.sentence_start if m.sentence_start is not None else -1, m.mention_id or ""]


def _disputed(m: Mention) -> list[tuple[str, Any, str]]:
    """(field, value, evidence key) for each value ``summary._disagreements`` records of ``m``,
    in its order."""
    out: list[tuple[str, Any, str]] = []
    if m.event_date and (m.date_precision or "day") == "day":
        out.append(("event_date", m.event_date, "event_date"))
    for name in ("time_of_day", "sub_event_type", "actor1", "claimed_by", "target"):
        if getattr(m, name):
            out.append((name, getattr(m, name), name))
    if m.location.name and m.location.kind in ("facility", "town", "sea"):
        out.append(("location", m.location.name, "location"))
    for name in COUNTS:
        if getattr(m, name) is not None or name in m.evidence:
            out.append((name, getattr(m, name), name))
    out += [(f"weapons.{w.type}", w.count, "weapons") for w in m.weapons if w.count is not None]
    return out


def disputed_values(m: Mention) -> list[list[Any]]:
    """[field, value] of each value ``m`` gives of a field sources may disagree on: what a
    reader needs to list the articles behind each disputed value."""
    out: list[list[Any]] = []
    for name, value, _ in _disputed(m):
        if [name, value] not in out:  # two weapons of a kind may give one count
            out.append([name, value])
    return out


class SourceBook(Protocol):
    """An event's source entries, one per article, with the values each gives of the fields
    sources may disagree on (``disputed_values``)."""

    def get(self, article_id: str) -> dict[str, Any] | None: ...

    def copies_of(self, article_id: str) -> list[dict[str, Any]]: ...

    def put(self, entry: dict[str, Any], disputed: list[list[Any]]) -> None: ...

    def set_origin(self, article_id: str, origin: str) -> None: ...


class MemorySources:
    """A ``SourceBook`` in a dict (a rebuild, the tests)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[dict[str, Any], list[list[Any]]]] = {}

    def get(self, article_id: str) -> dict[str, Any] | None:
        row = self.rows.get(article_id)
        return row[0] if row else None

    def copies_of(self, article_id: str) -> list[dict[str, Any]]:
        return [e for e, _ in self.rows.values() if e["duplicate_of"] == article_id]

    def put(self, entry: dict[str, Any], disputed: list[list[Any]]) -> None:
        self.rows[entry["article"]] = (entry, disputed)

    def set_origin(self, article_id: str, origin: str) -> None:
        self.rows[article_id][0]["origin"] = origin


def with_sources(summary: dict[str, Any], rows: list[tuple[dict[str, Any], list[list[Any]]]]) -> dict[str, Any]:
    """The stored summary (values, chosen, disagreements without their articles) made whole
    from the event's source rows: the sources by article, and the articles behind each
    disputed value."""
    rows = sorted(rows, key=lambda r: r[0]["article"])
    gives: dict[str, list[tuple[Any, str]]] = {}
    for entry, disputed in rows:
        for name, value in disputed:
            gives.setdefault(name, []).append((value, entry["article"]))
    disagreements = {
        name: [{"value": r["value"], "articles": [a for v, a in gives.get(name, []) if v == r["value"]],
                "evidence": r["evidence"]} for r in values]
        for name, values in summary.get("disagreements", {}).items()}
    return {**summary, "disagreements": disagreements, "sources": [entry for entry, _ in rows]}


def stored_summary(doc: dict[str, Any]) -> dict[str, Any]:
    """What an event's row keeps of a whole summary: no sources (rows of their own) and no
    articles behind the disputed values (the rows say which values each source gives)."""
    return {"values": doc["values"], "chosen": doc["chosen"],
            "disagreements": {name: [{"value": r["value"], "evidence": r["evidence"]} for r in values]
                              for name, values in doc["disagreements"].items()}}


def _first(entry: list[Any], at: int, pos: list[Any]) -> None:
    if pos < entry[at]:
        entry[at] = pos


class Aggregate:
    """The makings of one event's summary; ``add`` a member, read ``summary()``."""

    def __init__(self, data: dict[str, Any] | None = None, sources: SourceBook | None = None) -> None:
        self.d: dict[str, Any] = data if data is not None else {
            "n": 0, "dates": [], "picks": {k: [] for k in PICKED}, "status": [], "locs": [],
            "counts": {k: {"known": 0, "neutral": 0, "best": None, "best_neutral": None} for k in COUNTS},
            "weapons": [], "via": [], "unhedged": 0, "dis": [], "origins": {}, "parties": 0,
        }
        self.sources: SourceBook = sources if sources is not None else MemorySources()

    @classmethod
    def build(cls, members: list[Mention], articles: dict[str, dict[str, Any]],
              sources: SourceBook | None = None) -> Aggregate | None:
        """From all of an event's members; None when an article gives more than one of them
        (the counts here are per article, which is then not the same as per member)."""
        agg = cls(sources=sources)
        for m in sorted(members, key=summary_key):
            if not agg.add(m, articles.get(m.article) or {}):
                return None
        return agg

    def to_dict(self) -> dict[str, Any]:
        return self.d

    def has_article(self, article_id: str) -> bool:
        return self.sources.get(article_id) is not None

    # ------------------------------------------------------------------ adding a member

    def add(self, m: Mention, article: dict[str, Any]) -> dict[str, Any] | None:
        """Take in a member from an article not yet among the event's sources (``article`` is
        its row: ``duplicate_of`` and the feed's ``party``); returns its source entry. None,
        changing nothing, when the article is there already."""
        d = self.d
        if self.has_article(m.article):
            return None
        d["n"] += 1
        sk = summary_key(m)
        source = self._add_source(m, article)
        if m.event_date:
            self._count(d["dates"], [_DATE_RANK.get(m.date_precision or "", 4), m.event_date], sk,
                        extra=m.date_precision)
        for name in PICKED:
            value = getattr(m, name)
            if value in (None, ""):
                continue
            group: Any = 0
            if name == "actor1":
                group = _STATUS_RANK.get(m.actor1_status or "", 3)
            elif name == "sub_event_type":
                group = m.event_type
            self._count(d["picks"][name], [group, value], sk)
        if m.actor1 and m.actor1_status:
            self._count(d["status"], [m.actor1, m.actor1_status], sk)
        loc = m.location
        if loc.name or loc.country_code:
            missing = loc.latitude is None or loc.longitude is None
            prec = loc.geo_precision if loc.geo_precision is not None else 99
            self._count(d["locs"], [loc.place_id or loc.name, missing, prec], sk, extra=asdict(loc))
        for name in COUNTS:
            value = getattr(m, name)
            if value is None:
                continue
            c = d["counts"][name]
            c["known"] += 1
            entry = [m.published or "", value, m.article, sk, m.outlet, m.published]
            slots = ["best"] if source["party"] else ["best", "best_neutral"]
            c["neutral"] += 0 if source["party"] else 1
            for slot in slots:
                best = c[slot]
                # max by (published, value, article); an equal one keeps the first seen
                if best is None or entry[:3] > best[:3] or (entry[:3] == best[:3] and sk < best[3]):
                    c[slot] = entry
        for i, w in enumerate(m.weapons):
            pos = [sk, i]
            entry = next((e for e in d["weapons"] if e[0] == w.type), None)
            if entry is None:
                entry = [w.type, pos, []]
                d["weapons"].append(entry)
            _first(entry, 1, pos)
            if w.count is not None:
                given = next((g for g in entry[2] if g[0] == w.count), None)
                if given is None:
                    entry[2].append([w.count, 1, m.published or ""])
                else:
                    given[1] += 1
                    given[2] = max(given[2], m.published or "")
        for i, via in enumerate(m.reported_via):
            if via in (None, ""):
                continue
            entry = next((e for e in d["via"] if e[0] == via), None)
            if entry is None:
                d["via"].append([via, [sk, i]])
            else:
                _first(entry, 1, [sk, i])
        d["unhedged"] += 0 if m.hedged else 1
        for i, (name, value, key) in enumerate(_disputed(m)):
            pos = [sk, i]
            field = next((f for f in d["dis"] if f[0] == name), None)
            if field is None:
                field = [name, pos, []]
                d["dis"].append(field)
            _first(field, 1, pos)
            row = next((r for r in field[2] if r[0] == value), None)
            if row is None:
                row = [value, pos, []]  # the articles that give it are in the source rows
                field[2].append(row)
            _first(row, 1, pos)
            ev = m.evidence.get(key)
            if ev is not None:
                text = next((t for t in row[2] if t[0] == ev.text), None)
                if text is None:
                    # the first QUOTES quotes in summary order: a later one drops the last
                    row[2].append([ev.text, pos])
                    if len(row[2]) > QUOTES:
                        row[2].remove(max(row[2], key=lambda t: t[1]))
                else:
                    _first(text, 1, pos)
        return source

    @staticmethod
    def _count(entries: list[list[Any]], key: list[Any], sk: list[Any], extra: Any = None) -> None:
        """entries: [*key, count, first summary key, what the first one says]."""
        n = len(key)
        entry = next((e for e in entries if e[:n] == key), None)
        if entry is None:
            entries.append([*key, 1, sk, extra])
            return
        entry[n] += 1
        if sk < entry[n + 1]:
            entry[n + 1], entry[n + 2] = sk, extra

    def _add_source(self, m: Mention, article: dict[str, Any]) -> dict[str, Any]:
        """Put ``m``'s source entry in the book, and count how many rely on its origin."""
        book, origins = self.sources, self.d["origins"]
        via: list[str] = []
        for v in m.reported_via:
            if v not in via:
                via.append(v)
        sides = [party_of(m.outlet), *(party_of(v) for v in via)]
        party = article.get("party") or next((p[1] for p in sides if p), None)  # the feeds file's word first
        src = {"article": m.article, "outlet": m.outlet, "language": m.language, "published": m.published,
               "reported_via": via, "origin": "", "party": party,
               "duplicate_of": article.get("duplicate_of"), "hedged": m.hedged,
               "mentions": [m.mention_id] if m.mention_id else []}
        original = (src if src["duplicate_of"] == m.article else book.get(src["duplicate_of"])
                    ) if src["duplicate_of"] else None
        base = original or src
        src["origin"] = origin_of(base["outlet"], base["reported_via"], base["article"])
        if src["duplicate_of"] and original is None:
            src["origin"] = f"copy of {src['duplicate_of']}"
        waiting = f"copy of {m.article}"
        if origins.get(waiting):  # copies of this article, there before it: they rely on what it cites
            mine = origin_of(src["outlet"], src["reported_via"], src["article"])
            for s in book.copies_of(m.article):
                book.set_origin(s["article"], mine)
                origins[mine] = origins.get(mine, 0) + 1
            del origins[waiting]
        origins[src["origin"]] = origins.get(src["origin"], 0) + 1
        self.d["parties"] += 1 if src["party"] else 0
        book.put(src, disputed_values(m))
        return src

    # ------------------------------------------------------------------ reading it

    def summary(self, event_id: str) -> dict[str, Any]:
        """{values, chosen, disagreements} as ``stored_summary`` keeps them of what
        ``summarize_event`` gives, and the row's counts: mention_count, source_count,
        independent_sources, party_source."""
        d = self.d
        n = d["n"]
        chosen: dict[str, str] = {}
        v: dict[str, Any] = {"event_id": event_id, "event_date": None, "date_precision": None}
        if d["dates"]:
            top = min(e[0] for e in d["dates"])
            # the date most sources give; a tie goes to the earliest
            best = min((e for e in d["dates"] if e[0] == top), key=lambda e: (-e[2], e[1]))
            v["event_date"], v["date_precision"] = best[1], best[4]
            chosen["event_date"] = (f"most precise ({best[4] or 'unknown precision'}), "
                                    f"given by {best[2]} of {n}")
        v["time_of_day"] = self._pick(chosen, "time_of_day", n)
        location = Location()
        if d["locs"]:
            freq: dict[Any, int] = {}
            for e in d["locs"]:
                freq[e[0]] = freq.get(e[0], 0) + e[3]
            best = min(d["locs"], key=lambda e: (e[1], e[2], -freq[e[0]], e[4]))
            location = Location(**best[5])
            if location.name or location.country_code:
                chosen["location"] = "most precise place with coordinates, then the one most sources name"
        v["event_type"] = self._pick(chosen, "event_type", n)
        v["sub_event_type"] = self._pick(chosen, "sub_event_type", n, group=v["event_type"])
        v["location"] = asdict(location)
        v["actor1"] = self._pick(chosen, "actor1", n, firmest=True)
        v["actor1_status"] = None
        statuses = [e for e in d["status"] if v["actor1"] is not None and e[0] == v["actor1"]]
        if statuses:
            v["actor1_status"] = min(statuses, key=lambda e: (_STATUS_RANK.get(e[1], 9), e[3]))[1]
        for name in ("actor2", "target", "claimed_by"):
            v[name] = self._pick(chosen, name, n)
        for name in COUNTS:
            c = d["counts"][name]
            best = c["best_neutral"] or c["best"]
            v[name] = best[1] if best else None
            if best:
                chosen[name] = (f"latest report ({best[4] or best[2]}, {best[5] or 'undated'})"
                                + (", preferring sources that are not a party"
                                   if c["neutral"] and c["neutral"] < c["known"] else ""))
        weapons = []
        for t, _, given in sorted(d["weapons"], key=lambda e: e[1]):
            if not given:
                weapons.append({"type": t, "count": None})
                continue
            top = max(g[1] for g in given)
            best = max((g for g in given if g[1] == top), key=lambda g: (g[2], g[0]))
            weapons.append({"type": t, "count": best[0]})
        if any(len(e[2]) > 1 for e in d["weapons"]):
            chosen["weapons"] = "every weapon named; each count is the one most sources give, then the latest"
        v["weapons"] = weapons
        v["reported_via"] = [e[0] for e in sorted(d["via"], key=lambda e: e[1])]
        v["hedged"] = d["unhedged"] == 0
        # the key order summarize_event's dict has, so the stored JSON reads the same
        values = {k: v[k] for k in ("event_id", "event_date", "date_precision", "time_of_day", "event_type",
                                    "sub_event_type", "location", "actor1", "actor1_status", "actor2",
                                    "target", "claimed_by", "fatalities", "injuries", "weapons",
                                    "reported_via", "hedged")}
        disagreements = {
            name: [{"value": r[0], "evidence": [t[0] for t in sorted(r[2], key=lambda t: t[1])]}
                   for r in sorted(rows, key=lambda r: r[1])]
            for name, _, rows in sorted(d["dis"], key=lambda f: f[1]) if len(rows) >= 2}
        return {"values": values, "chosen": chosen, "disagreements": disagreements,
                "mention_count": n, "source_count": n, "independent_sources": len(d["origins"]),
                "party_source": d["parties"] > 0, "location": location}

    def _pick(self, chosen: dict[str, str], name: str, n: int, group: Any = 0, firmest: bool = False) -> Any:
        """``summary._pick``: the value most sources give (the firmest attribution first for
        actor1); a tie goes to the first seen."""
        entries = self.d["picks"][name]
        if firmest:
            if not entries:
                return None
            group = min(e[0] for e in entries)
        pool = [e for e in entries if e[0] == group]
        if not pool:
            return None
        best = min(pool, key=lambda e: (-e[2], e[3]))
        why = "the firmest attribution, then " if firmest else ""
        chosen[name] = f"{why}the value most sources give ({best[2]} of {n})"
        return best[1]
