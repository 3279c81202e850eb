"""Keeping the events table in step with the mentions, inside each article's transaction.

When an article is saved its mentions are merged with the stored events near them (the merge's
own blocks: sites within reach in any country, the country's coarser events over overlapping
dates, or the same site when undated): only those are loaded, so the number read does not grow
with the store. A new version of an article supersedes the old one: each new mention takes over
the event of the old mention it corrects. An event a report joins has the report added to its
summary (``sitrep.events.aggregate``) and merge state: no member is read again, and the report's
source entry is one new row of ``event_sources``, so a join costs the same in a small event as
in one of a thousand reports. One that lost a report is rebuilt from all its mentions. What
changed goes to the change log, which only grows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Connection, String, bindparam, delete, func, insert, or_, select, update

from sitrep.events.aggregate import (
    Aggregate,
    disputed_values,
    stored_summary,
    summary_key,
    with_sources,
)
from sitrep.events.merge import (
    CELL_BLOCK,
    DAY_BLOCK_SPAN,
    WIDE_DAYS,
    EventState,
    Merger,
    block_of,
    grid_cell,
    interval,
    marks,
    near_cells,
    place_key,
    wide_block,
)
from sitrep.events.summary import summarize_event
from sitrep.records import Mention
from sitrep.store import schema

# The fields whose changes the log records, as they appear in EventSummary.values().
LOGGED = ("event_date", "date_precision", "time_of_day", "event_type", "sub_event_type", "location",
          "actor1", "actor1_status", "actor2", "target", "claimed_by", "fatalities", "injuries",
          "weapons")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(ordinal: int | None) -> str | None:
    return dt.date.fromordinal(ordinal).isoformat() if ordinal is not None else None


class _StoredIds(set[str]):
    """Ids already used, in memory or in the table: a new event never takes an old id."""

    def __init__(self, conn: Connection) -> None:
        super().__init__()
        self.conn = conn

    def __contains__(self, event_id: object) -> bool:
        if super().__contains__(event_id):
            return True
        e = schema.events
        return self.conn.execute(select(e.c.event_id).where(e.c.event_id == event_id)).first() is not None


@cache
def _candidate_queries() -> dict[str, Any]:
    """The few fixed statements candidates are found with. Fixed, so each is compiled once
    and every article runs the same ones with other parameters (a statement built to each
    article's shape costs more to compile than to run, and fills the statement cache)."""
    e = schema.events
    active = e.c.status == "active"
    lo, hi = bindparam("lo"), bindparam("hi")
    overlap = e.c.date_hi >= lo
    fine = bindparam("fine", type_=Boolean)
    pick = select(e.c.event_id, e.c.state)
    return {
        # sites within reach, in the cell and the eight around it, whatever their country
        "near": pick.where(active, e.c.block.in_(bindparam("cells", expanding=True)),
                           e.c.date_lo.between(bindparam("lo_short"), hi), overlap),
        # events of the country dated to the month or closer, but not the sites of other
        # cells when the report names a site (``fine``); a province's report (``prov``) meets
        # only its province's events, a site's (``a1``) only its own province among the
        # provinces
        "country": pick.where(active, e.c.country_code == bindparam("cc", type_=String),
                              e.c.date_lo.between(bindparam("lo_near"), hi), overlap,
                              or_(bindparam("prov", type_=String) == "*",
                                  e.c.block_area == bindparam("prov", type_=String)),
                              or_(~fine, e.c.block.is_(None), ~e.c.block.startswith(CELL_BLOCK)),
                              or_(~fine, e.c.block_kind.is_(None), e.c.block_kind != "admin1",
                                  e.c.block_area == bindparam("a1", type_=String))),
        "seas": pick.where(active, e.c.country_code.is_(None),
                           e.c.date_lo.between(bindparam("lo_near"), hi), overlap),
        # events dated only to the year: few, so all of the country's are read
        "wide": pick.where(active, e.c.block == bindparam("wide"), e.c.date_lo <= hi, overlap),
        "site_undated": pick.where(active, e.c.place_key == bindparam("site"), e.c.date_lo.is_(None)),
        "site": pick.where(active, e.c.place_key == bindparam("site")),
    }


def candidate_states(conn: Connection, mentions: list[Mention]) -> list[EventState]:
    """Stored events a mention of ``mentions`` might join: the in-memory merge's blocks
    (``Merger.candidates``), in SQL, narrowed by what ``place_score`` can never accept."""
    queries = _candidate_queries()
    asks: dict[tuple[Any, ...], None] = {}  # (statement, parameters), each asked once
    for m in mentions:
        span = interval(m)
        site, marked = place_key(m), bool(marks(m))
        if span is None:  # the undated events of its site; with a mark, the dated ones too
            asks[("site" if marked else "site_undated", ("site", site))] = None
            continue
        if marked:  # an undated event of its site may share the mark
            asks[("site_undated", ("site", site))] = None
        loc = m.location
        dates = (("lo", _iso(span[0])), ("hi", _iso(span[1])))
        cell = grid_cell(loc.kind, loc.latitude, loc.longitude)
        if cell is not None:
            asks[("near", ("cells", tuple(near_cells(cell))), ("lo_short", _iso(span[0] - DAY_BLOCK_SPAN)),
                  *dates)] = None
        prov = (loc.admin1 or loc.name or "") if loc.kind == "admin1" else "*"
        if loc.country_code:
            asks[("country", ("cc", loc.country_code), ("lo_near", _iso(span[0] - WIDE_DAYS)),
                  ("fine", cell is not None), ("prov", prov), ("a1", loc.admin1 or ""), *dates)] = None
            asks[("wide", ("wide", wide_block(loc.country_code)), *dates)] = None
        if loc.kind == "sea" or not loc.country_code:
            asks[("seas", ("lo_near", _iso(span[0] - WIDE_DAYS)), *dates)] = None
            asks[("wide", ("wide", wide_block(None)), *dates)] = None
    found: dict[str, EventState] = {}
    for name, *params in asks:
        for r in conn.execute(queries[name], dict(params)):
            if r.event_id not in found:
                found[r.event_id] = EventState.from_dict(r.state)
    return list(found.values())


def merge_article(conn: Connection, article_id: str, old: list[Mention], new: list[Mention],
                  insert_mentions: Any) -> None:
    """Give each of ``new`` (the article's mentions, not yet stored) an event, store them with
    ``insert_mentions()``, then rebuild and log every event the change touched. ``old`` are the
    mentions of the article's previous version, already deleted."""
    at = now()
    superseded = _inherit(old, new)
    rest = [m for m in new if m.event_id is None]
    touched = {m.event_id for m in old if m.event_id} | {m.event_id for m in new if m.event_id}
    fresh: dict[str, EventState] = {}
    if rest:
        states = candidate_states(conn, rest)
        kept = {m.event_id for m in new if m.event_id}
        for st in states:
            # of an event's articles only this one matters here (the row does not keep them):
            # its former mentions are gone, so it may report those events again, but not one
            # a corrected mention of it already reports
            st.articles = [article_id] if st.event_id in kept else []
        seq = conn.execute(select(func.max(schema.events.c.seq))).scalar_one_or_none()
        merger = Merger(states, taken=_StoredIds(conn), seq=(seq + 1) if seq is not None else 0)
        known = set(merger.events)
        merger.add(rest)
        fresh = {i: st for i, st in merger.events.items() if i not in known}
        touched |= {m.event_id for m in rest if m.event_id}
    insert_mentions()
    for old_m, event_id in superseded:
        _log(conn, event_id, at, article_id, "superseded", None, old_m.to_dict(), None)
    joined = {m.event_id for m in new}
    left = {m.event_id for m in old}
    for event_id in sorted(i for i in touched if i):
        # an event that only gained reports takes them in; one that lost one is rebuilt
        added = None if event_id in left else [m for m in new if m.event_id == event_id]
        rebuild_event(conn, event_id, at, article_id, joined=event_id in joined, fresh=fresh.get(event_id),
                      added=added)


def _inherit(old: list[Mention], new: list[Mention]) -> list[tuple[Mention, str]]:
    """A corrected article: each new mention takes the event of the old one it replaces (the
    same place and date, else the same place). Returns (old mention, its event) pairs."""
    out: list[tuple[Mention, str]] = []
    free = [m for m in old if m.event_id]
    for same_date in (True, False):
        for m in new:
            if m.event_id is not None:
                continue
            match = next((o for o in free if place_key(o) == place_key(m)
                          and (not same_date or o.event_date == m.event_date)), None)
            if match is not None and match.event_id:
                m.event_id = match.event_id
                free.remove(match)
                out.append((match, match.event_id))
    out.extend((o, o.event_id) for o in free if o.event_id)  # reported no more: superseded too
    return out


def rebuild_event(conn: Connection, event_id: str, at: str, article_id: str | None,
                  joined: bool = False, fresh: EventState | None = None,
                  added: list[Mention] | None = None) -> dict[str, Any] | None:
    """Bring an event's row up to date and log what changed; returns its summary document.
    ``added``: the mentions that joined it in this change, when none left it; they are added
    to its stored aggregate when it has one, else (and when some left) the event is recomputed
    from all its stored mentions. ``fresh`` is the merge's state of an event it has just
    created (its seq and founding key)."""
    if added and (done := _add_members(conn, event_id, at, article_id, joined, added)) is not None:
        return done
    from sitrep.store.db import row_to_mention

    e, m_t, g = schema.events, schema.mentions, schema.event_aggregates
    members = [row_to_mention(r) for r in conn.execute(
        select(m_t).where(m_t.c.event_id == event_id).order_by(m_t.c.article_id, m_t.c.position))]
    row = conn.execute(select(e).where(e.c.event_id == event_id)).first()
    old_values: dict[str, Any] = dict(row.summary.get("values", {})) if row else {}
    conn.execute(delete(g).where(g.c.event_id == event_id))
    if not members:
        if row is not None and row.status != "withdrawn":
            conn.execute(update(e).where(e.c.event_id == event_id).values(status="withdrawn", updated_at=at))
            _log(conn, event_id, at, article_id, "withdrawn", None, None, None)
        return None
    if row is not None:
        seq, key = row.seq, row.state.get("key", event_id)
    elif fresh is not None:
        seq, key = fresh.seq, fresh.key
    else:  # not made by a merge (a mention stored with its own id): found it here
        last = conn.execute(select(func.max(e.c.seq))).scalar_one_or_none()
        seq, key = (last + 1) if last is not None else 0, event_id
    state = EventState(event_id=event_id, seq=seq, key=key)
    for m in members:
        state.absorb(m)
    articles = _article_rows(conn, sorted({m.article for m in members}))
    summary = summarize_event(event_id, members, articles)
    doc = {"values": summary.values(), "chosen": summary.chosen, "disagreements": summary.disagreements,
           "sources": summary.sources(), "mention_count": summary.mention_count,
           "source_count": summary.source_count, "independent_sources": summary.independent_sources,
           "party_source": bool(summary.party_sources), "location": summary.location}
    agg = Aggregate.build(members, articles)
    if agg is not None:  # kept with the values it gave, for the next change's log
        conn.execute(insert(g).values(event_id=event_id, data={**agg.to_dict(), "values": doc["values"]}))
    # the source rows, written anew: what each article gives of the disputed fields
    s_t = schema.event_sources
    old_articles = set(conn.execute(select(s_t.c.article_id).where(s_t.c.event_id == event_id)).scalars())
    conn.execute(delete(s_t).where(s_t.c.event_id == event_id))
    disputed: dict[str, list[list[Any]]] = {}
    for m in members:
        given = disputed.setdefault(m.article, [])
        given += [d for d in disputed_values(m) if d not in given]
    conn.execute(insert(s_t), [{"event_id": event_id, "article_id": src["article"],
                                "duplicate_of": src["duplicate_of"], "entry": src,
                                "disputed": disputed[src["article"]]} for src in doc["sources"]])
    new_source = next((src for src in doc["sources"] if src["article"] == article_id), None)
    _write_event(conn, event_id, at, article_id, joined, seq, state, doc, old_values,
                 new_source if article_id not in old_articles else None,
                 old=dict(row._mapping) if row is not None else None)
    return doc


class StoredSources:
    """An event's ``event_sources`` rows as the aggregate's ``SourceBook``: a report joining
    the event reads at most its original's row, and writes its own."""

    def __init__(self, conn: Connection, event_id: str) -> None:
        self.conn, self.event_id = conn, event_id
        self.t = schema.event_sources

    def get(self, article_id: str) -> dict[str, Any] | None:
        t = self.t
        return self.conn.execute(select(t.c.entry).where(
            t.c.event_id == self.event_id, t.c.article_id == article_id)).scalar_one_or_none()

    def copies_of(self, article_id: str) -> list[dict[str, Any]]:
        t = self.t
        return list(self.conn.execute(select(t.c.entry).where(
            t.c.event_id == self.event_id, t.c.duplicate_of == article_id)).scalars())

    def put(self, entry: dict[str, Any], disputed: list[list[Any]]) -> None:
        self.conn.execute(insert(self.t).values(event_id=self.event_id, article_id=entry["article"],
                                                duplicate_of=entry["duplicate_of"], entry=entry,
                                                disputed=disputed))

    def set_origin(self, article_id: str, origin: str) -> None:
        t = self.t
        where = (t.c.event_id == self.event_id, t.c.article_id == article_id)
        entry = self.conn.execute(select(t.c.entry).where(*where)).scalar_one()
        self.conn.execute(update(t).where(*where).values(entry={**entry, "origin": origin}))


def event_sources(conn: Connection, event_ids: list[str] | None = None
                  ) -> dict[str, list[tuple[dict[str, Any], list[list[Any]]]]]:
    """Event id -> its source rows (entry, disputed values), for ``with_sources``: of the events
    in ``event_ids``, or of all."""
    t = schema.event_sources
    q = select(t.c.event_id, t.c.entry, t.c.disputed)
    if event_ids is None:
        asks = [q]
    else:  # in parts, to bound the number of parameters of one statement
        ids = list(event_ids)
        asks = [q.where(t.c.event_id.in_(ids[i:i + 500])) for i in range(0, len(ids), 500)]
    out: dict[str, list[tuple[dict[str, Any], list[list[Any]]]]] = {}
    for ask in asks:
        for r in conn.execute(ask):
            out.setdefault(r.event_id, []).append((r.entry, r.disputed))
    return out


def whole_summary(row: dict[str, Any], rows: list[tuple[dict[str, Any], list[list[Any]]]]) -> dict[str, Any]:
    """An event row with its summary made whole from its source rows (``with_sources``)."""
    return {**row, "summary": with_sources(row["summary"], rows)}


def _add_members(conn: Connection, event_id: str, at: str, article_id: str | None, joined: bool,
                 added: list[Mention]) -> dict[str, Any] | None:
    """Add ``added`` to the event's stored aggregate, merge state and source rows, and write the
    row from them; None, having written nothing, when the event has no aggregate or an article
    would report it twice."""
    e, g = schema.events, schema.event_aggregates
    got = conn.execute(select(g.c.data).where(g.c.event_id == event_id)).first()
    if got is None:
        return None
    # the row without its summary, which is written anew: what the update compares with
    row = conn.execute(select(*(c for c in e.c if c.name != "summary")).where(e.c.event_id == event_id)).first()
    agg = Aggregate(got.data, StoredSources(conn, event_id))
    ids = {m.article for m in added}
    if row is None or row.status != "active" or len(ids) < len(added) or any(agg.has_article(i) for i in ids):
        return None
    old_values = agg.d.pop("values", {})
    articles = _article_rows(conn, sorted(ids))
    state = EventState.from_dict(row.state)
    new_source = None
    for m in sorted(added, key=summary_key):
        src = agg.add(m, articles[m.article])
        new_source = src if m.article == article_id else new_source
        state.absorb(m)
    doc = agg.summary(event_id)
    conn.execute(update(g).where(g.c.event_id == event_id).values(data={**agg.to_dict(), "values": doc["values"]}))
    # no added article was a source of the event before (checked above)
    _write_event(conn, event_id, at, article_id, joined, row.seq, state, doc, old_values, new_source,
                 old=dict(row._mapping))
    return doc


def _article_rows(conn: Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """What the summary needs of the members' articles: duplicate_of, and the feed's party."""
    a = schema.articles
    articles = {r.id: dict(r._mapping) for r in conn.execute(
        select(a.c.id, a.c.duplicate_of).where(a.c.id.in_(ids)))}
    for aid, party in feed_parties(conn, ids).items():  # a feed the feeds file flags as partisan
        articles[aid]["party"] = party
    return articles


def stored_state(state: EventState) -> dict[str, Any]:
    """The merge state as the row keeps it: without the event's articles, which only ever
    decide whether the article being saved reports it already (``merge_article`` knows that
    without them), and would make every event read as a candidate cost its size."""
    d = state.to_dict()
    d.pop("articles")
    return d


def _write_event(conn: Connection, event_id: str, at: str, article_id: str | None, joined: bool, seq: int,
                 state: EventState, doc: dict[str, Any], old_values: dict[str, Any],
                 new_source: dict[str, Any] | None, old: dict[str, Any] | None) -> None:
    """Write an event's row from its summary ``doc`` and log what changed since ``old_values``;
    ``new_source``: the source entry of ``article_id`` when it was not a source before; ``old``:
    the row as stored, None for a new event."""
    e = schema.events
    values = doc["values"]
    loc = doc["location"]
    summary = stored_summary(doc)
    cols = {
        "seq": seq, "status": "active", "event_date": values["event_date"],
        "date_precision": values["date_precision"], "date_lo": _iso(state.lo), "date_hi": _iso(state.hi),
        "event_type": values["event_type"], "sub_event_type": values["sub_event_type"],
        "location_name": loc.name, "admin1": loc.admin1, "country_code": loc.country_code,
        "latitude": loc.latitude, "longitude": loc.longitude, "place_id": loc.place_id,
        "place_key": state.key.split("@", 1)[0], "actor1": values["actor1"],
        "actor1_status": values["actor1_status"], "fatalities": values["fatalities"],
        "injuries": values["injuries"], "mention_count": doc["mention_count"],
        "source_count": doc["source_count"], "independent_sources": doc["independent_sources"],
        "party_source": doc["party_source"], "updated_at": at, "state": stored_state(state),
        "summary": summary,
    }
    cols["block"], cols["block_kind"], cols["block_area"] = block_of(state)
    if old is None:
        conn.execute(insert(e).values(event_id=event_id, created_at=at, **cols))
        _log(conn, event_id, at, article_id, "created", None, None, _brief(values))
        return
    # Only the columns that changed: SQLite rewrites every index on a column the statement
    # sets, changed or not, and a join seldom moves an event's date or place (with all of them
    # set, the five indexes' writes were much of a save's cost in a large store).
    # (The two JSON documents are always written: no index reads them, and the merge state
    # read from the row may share its lists with the one just updated.)
    conn.execute(update(e).where(e.c.event_id == event_id).values(
        **{k: v for k, v in cols.items() if k in ("state", "summary") or old.get(k) != v}))
    if joined and article_id and new_source is not None:
        _log(conn, event_id, at, article_id, "source", None, None, new_source)
    for name in LOGGED:
        before, after = old_values.get(name), values.get(name)
        if name == "location":
            before, after = (before or {}).get("name"), (after or {}).get("name")
        if before != after:
            _log(conn, event_id, at, article_id, "changed", name, before, after)


def feed_parties(conn: Connection, ids: Iterable[str] | None = None) -> dict[str, str]:
    """Article id -> the ``party`` label of the feed its page came from (pages' hints)."""
    p = schema.pages
    q = select(p.c.article_id, p.c.hints)
    if ids is not None:
        q = q.where(p.c.article_id.in_(list(ids)))
    return {r.article_id: str(r.hints["party"]) for r in conn.execute(q) if r.hints and r.hints.get("party")}


def _brief(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (values[k].get("name") if k == "location" and values[k] else values[k]) for k in LOGGED}


def _log(conn: Connection, event_id: str, at: str, article_id: str | None, action: str,
         field: str | None, old: Any, new: Any) -> None:
    conn.execute(insert(schema.event_log).values(event_id=event_id, at=at, article_id=article_id,
                                                  action=action, field=field, old=old, new=new))


def event_log(conn: Connection, event_id: str) -> list[dict[str, Any]]:
    lg = schema.event_log
    return [dict(r._mapping) for r in conn.execute(
        select(lg).where(lg.c.event_id == event_id).order_by(lg.c.id))]

