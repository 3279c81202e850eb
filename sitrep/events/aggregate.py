"""An event's summary kept up to date as reports join it, without reading its members again.

``summarize_event`` reads every member, so when the store rebuilt an event after each new
report an ingest cost grew with the square of the largest events. ``Aggregate`` keeps what
the summary is made of (per value: how many give it and where it is first seen in the
summary's member order; one source entry per article; each member's merge fields), so a new
member costs about as much as the values it brings, and ``summary()`` is exactly what
``summarize_event`` gives on all the members (tests/test_aggregate.py checks this on random
histories). It only grows: when a member leaves (a corrected or withdrawn article), or an
article reports the event twice, the store rebuilds from the mentions instead.

Everything is plain JSON data, so the store keeps it in a row between saves.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict
from typing import Any

from sitrep.events.merge import EventState, merge_fields
from sitrep.events.summary import _DATE_RANK, _STATUS_RANK, QUOTES, origin_of, party_of
from sitrep.records import Location, Mention

# _pick's fields; actor1 is grouped by the firmness of its attribution, sub_event_type by type
PICKED = ("time_of_day", "event_type", "sub_event_type", "actor1", "actor2", "target", "claimed_by")
COUNTS = ("fatalities", "injuries")


def summary_key(m: Mention) -> list[Any]:
    """The member order ``summarize_event`` reads in (first-seen tie-breaks follow it)."""
    return [m.article, m.sentence_start if m.sentence_start is not None else -1, m.mention_id or ""]


def state_key(m: Mention) -> list[Any]:
    """The member order the store's merge state is built in."""
    return [m.published or "", m.article, m.mention_id or ""]


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


def _first(entry: list[Any], at: int, pos: list[Any]) -> None:
    if pos < entry[at]:
        entry[at] = pos


class Aggregate:
    """The makings of one event's summary; ``add`` a member, read ``summary()``."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.d: dict[str, Any] = data if data is not None else {
            "articles": [], "dates": [], "picks": {k: [] for k in PICKED}, "status": [], "locs": [],
            "counts": {k: {"known": 0, "neutral": 0, "best": None, "best_neutral": None} for k in COUNTS},
            "weapons": [], "via": [], "unhedged": 0, "dis": [], "sources": [], "members": [],
        }

    @classmethod
    def build(cls, members: list[Mention], articles: dict[str, dict[str, Any]]) -> Aggregate | None:
        """From all of an event's members; None when an article gives more than one of them
        (the counts here are per article, which is then not the same as per member)."""
        agg = cls()
        for m in sorted(members, key=summary_key):
            if not agg.add(m, articles.get(m.article) or {}):
                return None
        return agg

    def to_dict(self) -> dict[str, Any]:
        return self.d

    def has_article(self, article_id: str) -> bool:
        arts = self.d["articles"]
        i = bisect.bisect_left(arts, article_id)
        return i < len(arts) and arts[i] == article_id

    # ------------------------------------------------------------------ adding a member

    def add(self, m: Mention, article: dict[str, Any]) -> bool:
        """Take in a member from an article not yet among the event's sources (``article`` is
        its row: ``duplicate_of`` and the feed's ``party``). False, changing nothing, when the
        article is there already."""
        d = self.d
        if self.has_article(m.article):
            return False
        bisect.insort(d["articles"], m.article)
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
                row = [value, pos, [], []]
                field[2].append(row)
            _first(row, 1, pos)
            if m.article not in row[2]:
                bisect.insort(row[2], m.article)
            ev = m.evidence.get(key)
            if ev is not None:
                text = next((t for t in row[3] if t[0] == ev.text), None)
                if text is None:
                    # the first QUOTES quotes in summary order: a later one drops the last
                    row[3].append([ev.text, pos])
                    if len(row[3]) > QUOTES:
                        row[3].remove(max(row[3], key=lambda t: t[1]))
                else:
                    _first(text, 1, pos)
        members = d["members"]
        okey = state_key(m)
        i = bisect.bisect_right([r[0] for r in members], okey)  # after equals, as a stable sort
        members.insert(i, [okey, merge_fields(m)])
        return True

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
        sources = self.d["sources"]
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
        by_id = {s["article"]: s for s in sources}
        original = (src if src["duplicate_of"] == m.article else by_id.get(src["duplicate_of"])
                    ) if src["duplicate_of"] else None
        base = original or src
        src["origin"] = origin_of(base["outlet"], base["reported_via"], base["article"])
        if src["duplicate_of"] and original is None:
            src["origin"] = f"copy of {src['duplicate_of']}"
        for s in sources:  # copies of this article now rely on what it cites
            if s["duplicate_of"] == m.article:
                s["origin"] = origin_of(src["outlet"], src["reported_via"], src["article"])
        sources.insert(bisect.bisect_left([s["article"] for s in sources], m.article), src)
        return src

    # ------------------------------------------------------------------ reading it

    def state(self, event_id: str, seq: int, key: str) -> EventState:
        """The merge state, as absorbing every member in the store's order makes it."""
        st = EventState(event_id=event_id, seq=seq, key=key)
        for _, fields in self.d["members"]:
            st.take(fields)
        return st

    def summary(self, event_id: str) -> dict[str, Any]:
        """{values, chosen, disagreements, sources} as ``summarize_event`` gives them, and the
        row's counts: mention_count, source_count, independent_sources, party_source."""
        d = self.d
        n = len(d["articles"])
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
            name: [{"value": r[0], "articles": list(r[2]), "evidence": [t[0] for t in sorted(r[3], key=lambda t: t[1])]}
                   for r in sorted(rows, key=lambda r: r[1])]
            for name, _, rows in sorted(d["dis"], key=lambda f: f[1]) if len(rows) >= 2}
        sources = d["sources"]
        parties = {s["party"] for s in sources if s["party"]}
        return {"values": values, "chosen": chosen, "disagreements": disagreements, "sources": sources,
                "mention_count": len(d["members"]), "source_count": n,
                "independent_sources": len({s["origin"] for s in sources}), "party_source": bool(parties),
                "location": location}

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
