"""The JSON API under /api: events (list, map points, timeline, facets, one event with its
evidence), mentions, articles, tallies, places and the exports, with the CLI's filters and the
map's. Read-only: nothing here writes to the store."""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as FastPath
from fastapi.responses import JSONResponse, Response
from sqlalchemy import func, or_, select, union_all

from sitrep.export.countries import country
from sitrep.places.gazetteer import Place, load_places
from sitrep.records import Mention
from sitrep.store import Store, StoreError, schema
from sitrep.store.db import row_to_mention
from sitrep.store.events import event_sources, whole_summary
from sitrep.web import models
from sitrep.web.cache import Cache
from sitrep.web.query import EventFilters, FilterError, check_date, country_param, date_upper
from sitrep.web.search import WebIndex, matching_articles

router = APIRouter(prefix="/api")


@dataclass
class WebState:
    store: Store
    index: WebIndex
    cache: Cache
    _places: list[Place] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def places(self) -> list[Place]:
        """The gazetteer's places, loaded on first use (0.2 s), most important first."""
        if self._places is None:
            with self._lock:
                if self._places is None:
                    rank = {"country": 0, "admin1": 1, "facility": 2, "sea": 2, "town": 3}
                    self._places = sorted(load_places(), key=lambda p: (rank.get(p.kind, 4), -p.population, p.name))
        return self._places


def web(request: Request) -> WebState:
    return request.app.state.web  # type: ignore[no-any-return]


State = Annotated[WebState, Depends(web)]
Limit = Annotated[int, Query(ge=1, le=500, description="rows per page")]
# upper bounds too: a number past what SQLite stores would be a server error, not an empty page
Offset = Annotated[int, Query(ge=0, le=10**9, description="rows to skip")]


def event_filters(
    since: Annotated[str | None, Query(description="first day (YYYY, YYYY-MM or YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(description="last day, inclusive")] = None,
    country: Annotated[str | None, Query(description="ISO code or English name")] = None,
    admin1: Annotated[str | None, Query(description="province (admin1) as stored, e.g. Deir ez-Zor")] = None,
    actor: Annotated[str | None, Query(description="an actor any source names as attacker, attacked or claimant")]
    = None,
    type: Annotated[str | None, Query(description="event type or sub-event type (ACLED)")] = None,
    language: Annotated[str | None, Query(description="reported by a source in this language (ISO 639-1)")] = None,
    claimed: Annotated[bool | None, Query(description="true: someone claimed it; false: nobody did")] = None,
    q: Annotated[str | None, Query(description="words in the event's names or its articles' text")] = None,
    status: Annotated[Literal["active", "withdrawn", "all"], Query(description="withdrawn: no source reports "
                                                                             "it any more")] = "active",
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
    min_sources: Annotated[int | None, Query(ge=1, le=10**6, description="at least this many articles")] = None,
) -> EventFilters:
    return EventFilters(since=since, until=until, country=country, admin1=admin1, actor=actor, type=type,
                        language=language, claimed=claimed, q=q, status=status, bbox=bbox,
                        min_sources=min_sources).validate()


Filters = Annotated[EventFilters, Depends(event_filters)]

_e = schema.events
# (column, descending); the event id breaks ties so pages never overlap
SORTS: dict[str, tuple[str, bool]] = {
    "date": ("event_date", False), "-date": ("event_date", True),
    "sources": ("source_count", False), "-sources": ("source_count", True),
    "updated": ("updated_at", False), "-updated": ("updated_at", True),
    "fatalities": ("fatalities", False), "-fatalities": ("fatalities", True),
}
EventSort = Literal["date", "-date", "sources", "-sources", "updated", "-updated", "fatalities", "-fatalities"]


def _order(t: Any, sort: str) -> list[Any]:
    name, desc = SORTS[sort]
    col = t.c[name]
    # undated or uncounted events go last both ways (SQLite and PostgreSQL differ by default)
    if desc:
        return [col.desc().nulls_last(), t.c.event_id.desc()]
    return [col.asc().nulls_last(), t.c.event_id.asc()]


def _event_item(r: Any) -> dict[str, Any]:
    summary = r.summary or {}
    v = summary.get("values") or {}
    return {
        "event_id": r.event_id, "status": r.status, "event_date": r.event_date,
        "date_precision": r.date_precision, "time_of_day": v.get("time_of_day"), "event_type": r.event_type,
        "sub_event_type": r.sub_event_type,
        "location": v.get("location") or {"name": r.location_name, "admin1": r.admin1,
                                          "country_code": r.country_code, "latitude": r.latitude,
                                          "longitude": r.longitude},
        "actor1": r.actor1, "actor1_status": r.actor1_status, "actor2": v.get("actor2"), "target": v.get("target"),
        "claimed_by": v.get("claimed_by"), "fatalities": r.fatalities, "injuries": r.injuries,
        "weapons": v.get("weapons") or [], "hedged": bool(v.get("hedged")), "mention_count": r.mention_count,
        "source_count": r.source_count, "independent_sources": r.independent_sources,
        "party_source": bool(r.party_source), "disputed": sorted(summary.get("disagreements") or {}),
        "updated_at": r.updated_at,
    }


_LIST_COLS = [_e.c[name] for name in (
    "event_id", "status", "event_date", "date_precision", "event_type", "sub_event_type", "location_name", "admin1",
    "country_code", "latitude", "longitude", "actor1", "actor1_status", "fatalities", "injuries", "mention_count",
    "source_count", "independent_sources", "party_source", "updated_at", "summary")]


@router.get("/events", response_model=models.EventPage, tags=["events"])
def list_events(st: State, f: Filters, limit: Limit = 50, offset: Offset = 0, sort: EventSort = "-date") -> Any:
    """Events under the filters, a page at a time, newest first by default."""
    t = st.index.table
    with st.store.engine.connect() as conn:
        total = st.cache.get("count", f.key(), lambda: conn.execute(
            f.apply(select(func.count()).select_from(t), st.index)).scalar_one())
        # the page's ids from the narrow table first, then only those rows with their summaries
        ids = f.apply(select(t.c.event_id), st.index).order_by(*_order(t, sort)).limit(limit).offset(offset)
        page = [r[0] for r in conn.execute(ids)]
        rows = {r.event_id: r for r in conn.execute(select(*_LIST_COLS).where(_e.c.event_id.in_(page)))}
    items = [_event_item(rows[i]) for i in page if i in rows]
    return {"total": total, "limit": limit, "offset": offset, "sort": sort, "items": items}


POINT_FIELDS = ["event_id", "event_date", "latitude", "longitude", "event_type", "sub_event_type", "source_count",
                "country_code", "admin1", "location_name", "actor1", "actor1_status", "fatalities"]
# columns with few distinct values travel as indexes into a list of them: a third of the bytes
CODED = ("event_type", "sub_event_type", "country_code", "admin1", "location_name", "actor1", "actor1_status")


@router.get("/events/points", response_model=models.Points, tags=["events"])
def event_points(st: State, f: Filters) -> Any:
    """Every event under the filters as compact columns (no paging), newest first: what the map's
    markers, the timeline and the list need. Events without coordinates are included (the list
    shows them) with null coordinates. A column named in ``codes`` holds indexes into its list."""
    body = st.cache.get("points", f.key(), lambda: _points(st, f))
    return Response(body, media_type="application/json")


def _points(st: WebState, f: EventFilters) -> bytes:
    t = st.index.table
    q = f.apply(select(*[t.c[n] for n in POINT_FIELDS]), st.index).order_by(*_order(t, "-date"))
    with st.store.engine.connect() as conn:
        rows = conn.execute(q).all()
    columns: dict[str, list[Any]] = {}
    codes: dict[str, list[Any]] = {}
    for i, name in enumerate(POINT_FIELDS):
        col = [r[i] for r in rows]
        if name in CODED:
            index: dict[Any, int] = {}
            columns[name] = [index.setdefault(v, len(index)) for v in col]
            codes[name] = list(index)
        else:
            columns[name] = col
    # straight to JSON: validating tens of thousands of rows would cost more than the query
    doc = {"count": len(rows), "fields": POINT_FIELDS, "columns": columns, "codes": codes}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


@router.get("/events/timeline", response_model=models.Timeline, tags=["events"])
def timeline(st: State, f: Filters) -> Any:
    """Events per day and type under the filters."""
    return st.cache.get("timeline", f.key(), lambda: _timeline(st, f))


def _timeline(st: WebState, f: EventFilters) -> dict[str, Any]:
    t = st.index.table
    q = f.apply(select(t.c.event_date, t.c.event_type, func.count()), st.index)
    with st.store.engine.connect() as conn:
        rows = conn.execute(q.group_by(t.c.event_date, t.c.event_type).order_by(t.c.event_date)).all()
    days = [{"date": d, "event_type": t, "count": n} for d, t, n in rows if d]
    return {"days": days, "undated": sum(n for d, _t, n in rows if not d)}


@router.get("/events/facets", response_model=models.Facets, tags=["events"])
def facets(st: State, f: Filters) -> Any:
    """The values each filter can take (countries, provinces, types, actors, languages), with
    how many events under the other filters have each."""
    return st.cache.get("facets", f.key(), lambda: _facets(st, f))


def _facets(st: WebState, f: EventFilters) -> dict[str, Any]:
    m, t = schema.mentions, st.index.table

    def grouped(conn: Any, *cols: Any) -> list[Any]:
        q = f.apply(select(*cols, func.count()), st.index).group_by(*cols)
        return [r for r in conn.execute(q) if r[0] is not None]

    with st.store.engine.connect() as conn:
        n, first, last = conn.execute(f.apply(select(func.count(), func.min(t.c.event_date),
                                                     func.max(t.c.event_date)), st.index)).one()
        countries = grouped(conn, t.c.country_code)
        admin1 = grouped(conn, t.c.admin1, t.c.country_code)
        types = grouped(conn, t.c.event_type)
        subs = grouped(conn, t.c.sub_event_type)
        if st.index.narrow:
            # "|a|b|" lists: group by the list, then count each value once per event
            actors = _split_counts(grouped(conn, t.c.actors))[:300]
            langs = _split_counts(grouped(conn, t.c.languages))
        else:
            ids = f.apply(select(t.c.event_id), st.index)
            named = union_all(*(select(col.label("actor"), m.c.event_id).where(col.is_not(None),
                                                                               m.c.event_id.in_(ids))
                                for col in (m.c.actor1, m.c.actor2, m.c.claimed_by))).subquery()
            n_events = func.count(func.distinct(named.c.event_id))
            actors = conn.execute(select(named.c.actor, n_events).group_by(named.c.actor)
                                  .order_by(n_events.desc()).limit(300)).all()
            langs = conn.execute(select(m.c.language, func.count(func.distinct(m.c.event_id)))
                                 .where(m.c.event_id.in_(ids), m.c.language.is_not(None))
                                 .group_by(m.c.language)).all()

    def fv(rows: list[Any], **extra: Any) -> list[dict[str, Any]]:
        return sorted(({"value": r[0], "count": r[-1], **{k: fn(r) for k, fn in extra.items()}} for r in rows),
                      key=lambda x: (-x["count"], x["value"]))

    return {
        "events": n, "first_date": first, "last_date": last,
        "countries": fv(countries, label=lambda r: (country(r[0]).name if country(r[0]) else r[0])),  # type: ignore[union-attr]
        "admin1": fv(admin1, country_code=lambda r: r[1]),
        "types": fv(types, kind=lambda r: "event_type") + fv(subs, kind=lambda r: "sub_event_type"),
        "actors": fv(actors),
        "languages": fv(langs),
    }


def _split_counts(rows: list[Any]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for joined, n in rows:
        for value in {v for v in joined.split("|") if v}:
            counts[value] = counts.get(value, 0) + n
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@router.get("/events/{event_id}", response_model=models.EventDetail, tags=["events"],
            responses={404: {"description": "no such event"}, 409: {"description": "ambiguous id prefix"}})
def one_event(st: State, event_id: Annotated[str, FastPath(
        pattern=r"^(ev-)?[0-9a-f]{1,12}$",
        description="an event id (ev- and 12 hex digits) or its first characters")]) -> Any:
    """One event with everything behind it: each field's value and how it was chosen, the values
    sources disagree on, the sources (outlet, language, time, citation chain, partisan flag),
    every mention with its sentence and per-field evidence (offsets into the article's cleaned
    text), the change log, and the articles' texts. A unique prefix of the id is enough."""
    from sitrep.export.show import event_document

    key = event_id if event_id.startswith("ev-") else f"ev-{event_id}"
    try:
        found = st.store.event(key)
    except StoreError as exc:
        raise HTTPException(409, str(exc)) from exc
    if found is None:
        raise HTTPException(404, f"no event {event_id!r}")
    doc = event_document(found)
    doc["articles"] = found["articles"]
    return doc


# --------------------------------------------------------------------------- mentions


@router.get("/mentions", response_model=models.MentionPage, tags=["mentions"])
def list_mentions(
    st: State,
    since: Annotated[str | None, Query(description="first day of the mention's own date")] = None,
    until: Annotated[str | None, Query(description="last day, inclusive")] = None,
    country: Annotated[str | None, Query(description="ISO code or English name")] = None,
    event_id: Annotated[str | None, Query(description="mentions of this event")] = None,
    article: Annotated[str | None, Query(description="mentions in this article")] = None,
    language: Annotated[str | None, Query(description="ISO 639-1")] = None,
    type: Annotated[str | None, Query(description="event type or sub-event type")] = None,
    limit: Limit = 50, offset: Offset = 0,
    sort: Literal["date", "-date", "article"] = "article",
) -> Any:
    """Mentions (an attack as one article reports it) with their evidence."""
    m = schema.mentions
    q = select(m)
    if since:
        q = q.where(m.c.event_date >= check_date("since", since))
    if until:
        q = q.where(m.c.event_date <= date_upper(check_date("until", until)))
    if country:
        q = q.where(m.c.country_code == country_param(country))
    if event_id:
        q = q.where(m.c.event_id == event_id)
    if article:
        q = q.where(m.c.article_id == article)
    if language:
        q = q.where(m.c.language == language)
    if type:
        q = q.where(or_(m.c.event_type == type, m.c.sub_event_type == type))
    order = {"date": [m.c.event_date.is_(None), m.c.event_date.asc()], "-date": [m.c.event_date.desc()],
             "article": []}[sort]
    with st.store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = conn.execute(q.order_by(*order, m.c.article_id, m.c.position).limit(limit).offset(offset)).all()
    return {"total": total, "limit": limit, "offset": offset, "items": [_mention(row_to_mention(r)) for r in rows]}


def _mention(m: Mention) -> dict[str, Any]:
    return m.to_dict()


# --------------------------------------------------------------------------- articles

_a = schema.articles
_ARTICLE_COLS = [c for c in _a.c if c.name != "text"]


@router.get("/articles", response_model=models.ArticlePage, tags=["articles"])
def list_articles(
    st: State,
    since: Annotated[str | None, Query(description="published on or after")] = None,
    until: Annotated[str | None, Query(description="published on or before")] = None,
    language: Annotated[str | None, Query(description="ISO 639-1")] = None,
    outlet: Annotated[str | None, Query()] = None,
    status: Annotated[str | None, Query(description="ok, unsupported_language, ...")] = None,
    event_id: Annotated[str | None, Query(description="articles reporting this event")] = None,
    q: Annotated[str | None, Query(description="words in the title or text")] = None,
    limit: Limit = 50, offset: Offset = 0,
    sort: Literal["published", "-published", "id"] = "-published",
) -> Any:
    """Articles as stored (without their text: ask for one article to get it)."""
    sel = select(*_ARTICLE_COLS)
    if since:
        sel = sel.where(_a.c.published >= check_date("since", since))
    if until:
        sel = sel.where(_a.c.published <= date_upper(check_date("until", until)) + "~")  # any time that day
    if language:
        sel = sel.where(_a.c.language == language)
    if outlet:
        sel = sel.where(_a.c.outlet == outlet)
    if status:
        sel = sel.where(_a.c.status == status)
    if event_id:
        m = schema.mentions
        sel = sel.where(_a.c.id.in_(select(m.c.article_id).where(m.c.event_id == event_id)))
    if q and q.strip():
        hits = matching_articles(st.index, q)
        sel = sel.where(_a.c.id.in_(hits)) if hits is not None else sel.where(_a.c.id.is_(None))
    order = {"published": [_a.c.published.is_(None), _a.c.published.asc()], "-published": [_a.c.published.desc()],
             "id": []}[sort]
    with st.store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(sel.subquery())).scalar_one()
        rows = conn.execute(sel.order_by(*order, _a.c.id).limit(limit).offset(offset)).all()
    return {"total": total, "limit": limit, "offset": offset, "items": [dict(r._mapping) for r in rows]}


@router.get("/articles/{article_id:path}", response_model=models.ArticleDetail, tags=["articles"],
            responses={404: {"description": "no such article"}})
def one_article(st: State, article_id: str) -> Any:
    """One article with its cleaned text (evidence offsets index it) and its mentions and events."""
    m = schema.mentions
    with st.store.engine.connect() as conn:
        row = conn.execute(select(_a).where(_a.c.id == article_id)).first()
        if row is None:
            raise HTTPException(404, f"no article {article_id!r}")
        ms = conn.execute(select(m.c.mention_id, m.c.event_id).where(m.c.article_id == article_id)
                          .order_by(m.c.position)).all()
    return {**dict(row._mapping), "mentions": [r.mention_id for r in ms],
            "events": sorted({r.event_id for r in ms if r.event_id})}


# --------------------------------------------------------------------------- tallies


@router.get("/tallies", response_model=models.TallyPage, tags=["tallies"])
def list_tallies(
    st: State,
    country: Annotated[str | None, Query(description="tallies whose scope names this country (or any)")] = None,
    article: Annotated[str | None, Query()] = None,
    limit: Limit = 100, offset: Offset = 0,
) -> Any:
    """Counts the articles state ("66 attacks since 17 October"), each next to the events stored
    for the same period, places and party, and the difference (positive: the article claims more
    than sitrep has found)."""
    from sitrep.events.tallies import reconcile

    code = country_param(country) if country else None
    tallies = [t for t in st.store.tallies() if article is None or t.article == article]
    events: list[dict[str, Any]] = []
    if tallies:
        # only what reconcile reads, not the summaries (it runs over every active event); the
        # other parties only when a tally is about one
        v = _e.c.summary["values"]
        about = any(t.actor for t in tallies)
        cols = [_e.c.event_id, _e.c.date_lo, _e.c.date_hi, _e.c.country_code, _e.c.actor1]
        if about:
            cols += [v["actor2"].as_string().label("actor2"), v["target"].as_string().label("target")]
        with st.store.engine.connect() as conn:
            # in the store's order, so each row lists its events as `sitrep tallies` does
            q = select(*cols).where(_e.c.status == "active").order_by(_e.c.event_date.is_(None), _e.c.event_date,
                                                                      _e.c.seq)
            for r in conn.execute(q):
                values = {"actor1": r.actor1, "actor2": r.actor2 if about else None,
                          "target": r.target if about else None}
                events.append({"event_id": r.event_id, "date_lo": r.date_lo, "date_hi": r.date_hi,
                               "country_code": r.country_code, "summary": {"values": values}})
    arts = st.store.article_rows(sorted({t.article for t in tallies}))
    rows = reconcile(tallies, events, arts)
    if code:
        rows = [r for r in rows if not r["scope"] or code in r["scope"]]
    for r in rows:
        a = arts.get(r["article"]) or {}
        r.update(outlet=a.get("outlet"), language=a.get("language"), published=a.get("published"))
    return {"total": len(rows), "limit": limit, "offset": offset, "items": rows[offset:offset + limit]}


# --------------------------------------------------------------------------- places


@router.get("/places", response_model=models.PlacePage, tags=["places"])
def list_places(
    st: State,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
    kind: Annotated[str | None, Query(description="comma list of country, admin1, facility, sea, town")] = None,
    q: Annotated[str | None, Query(description="name or alias containing this (any case)")] = None,
    min_population: Annotated[int, Query(ge=0, le=10**10, description="towns at least this big")] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200, offset: Offset = 0,
) -> Any:
    """The gazetteer's places (countries, provinces, facilities, seas and GeoNames towns), most
    important first: the map's labels."""
    box = EventFilters(bbox=bbox).box()
    kinds = {k.strip() for k in kind.split(",")} if kind else None
    needle = q.casefold() if q else None
    out = []
    for p in st.places():
        if kinds and p.kind not in kinds:
            continue
        if p.kind == "town" and p.population < min_population:
            continue
        if box and not (box[1] <= p.lat <= box[3] and (box[0] <= p.lon <= box[2] if box[0] <= box[2]
                                                        else p.lon >= box[0] or p.lon <= box[2])):
            continue
        if needle and not any(needle in a.casefold() for a in (p.name, *p.aliases)):
            continue
        out.append(p)
    items = [{"id": p.id, "name": p.name, "kind": p.kind, "type": p.type, "admin1": p.admin1,
              "country_code": p.country_code, "lat": p.lat, "lon": p.lon, "population": p.population}
             for p in out[offset:offset + limit]]
    return {"total": len(out), "limit": limit, "offset": offset, "items": items}


# --------------------------------------------------------------------------- export and health

_MEDIA = {"acled-csv": ("text/csv; charset=utf-8", "csv"), "geojson": ("application/geo+json", "geojson"),
          "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl")}


@router.get("/export", tags=["export"], response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/geo+json": {}, "application/x-ndjson": {}},
                             "description": "the file, as `sitrep export` writes it"}})
def export(st: State, f: Filters, format: Literal["acled-csv", "geojson", "jsonl"] = "jsonl",
           per: Annotated[Literal["mention", "event"], Query(description="jsonl rows: one per mention or "
                                                                         "per event")] = "mention") -> Response:
    """The events under the filters as `sitrep export` writes them: ACLED-style CSV (a row per
    event), GeoJSON (a point per event) or JSONL (a line per mention, or per event)."""
    from sitrep.export import to_geojson, write_acled_csv, write_jsonl

    media, ext = _MEDIA[format]
    t = st.index.table
    ids = f.apply(select(t.c.event_id), st.index)
    buf = io.StringIO()
    if format == "jsonl" and per == "event":
        from sitrep.cli import _event_json

        with st.store.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(select(_e).where(_e.c.event_id.in_(ids)).order_by(
                _e.c.event_date.is_(None), _e.c.event_date, _e.c.seq))]
            sources = event_sources(conn, [r["event_id"] for r in rows])
        for r in rows:
            buf.write(json.dumps(_event_json(whole_summary(r, sources.get(r["event_id"], []))),
                                 ensure_ascii=False) + "\n")
    else:
        m = schema.mentions
        with st.store.engine.connect() as conn:
            mentions = [row_to_mention(r) for r in conn.execute(
                select(m).where(m.c.event_id.in_(ids)).order_by(m.c.article_id, m.c.position))]
        arts = st.store.article_rows(sorted({x.article for x in mentions}))
        if format == "jsonl":
            write_jsonl(mentions, buf)
        elif format == "acled-csv":
            write_acled_csv(mentions, buf, articles=arts)
        else:
            json.dump(to_geojson(mentions, articles=arts), buf, ensure_ascii=False, indent=1)
            buf.write("\n")
    return Response(buf.getvalue(), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="sitrep-events.{ext}"'})


@router.get("/health", response_model=models.Health, tags=["meta"])
def health(st: State) -> Any:
    """Row counts, and how text search runs."""
    return {**st.store.counts(), "search": "fts5" if st.index.narrow else st.index.note}


def filter_error(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=422)


__all__ = ["FilterError", "WebState", "filter_error", "router"]
