"""What the web layer adds to a database: a narrow copy of the events for filtering, and full-text
indexes, all kept current by triggers.

The store's tables and code are left as they are. The events table holds each event's JSON
summary in its row, so any query that visits rows is slow at 100,000 events. On SQLite the web
layer therefore creates, once, beside the store's tables (every name starts with ``web_``):

- ``web_events``: one narrow row per event with the columns the map filters and sorts on, plus
  what the summary says of it, precomputed: whether anyone claimed it, the languages of its
  sources, every actor a source names (attacker, attacked, claimant);
- ``web_search_events`` (FTS5 over each event's names: place, province, types, actors, weapons,
  outlets; its rowid is the event's ``web_events.wid``) and ``web_search_articles`` (FTS5 over
  titles and cleaned texts, through ``web_search_docs``);
- triggers on ``events`` and ``articles`` that keep all of it current whoever writes (ingest,
  watch, reprocess), inside the writer's own transaction.

Elsewhere (PostgreSQL), or when the file is read-only, the filters run on the events table with
subqueries on the mentions, and text search falls back to LIKE over the event fields and
article titles.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Double,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    column,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.exc import DBAPIError

from sitrep.store import schema

log = logging.getLogger(__name__)

# Bump when a table or trigger changes: the web_ objects of another version are then dropped and
# built again from the store's tables.
VERSION = 5
_V = f"web_v{VERSION}_"  # the triggers' prefix, which says which version built the index

_meta = MetaData()
narrow = Table(
    "web_events", _meta,
    Column("wid", Integer, primary_key=True),
    Column("event_id", String), Column("status", String), Column("event_date", String),
    Column("event_type", String), Column("sub_event_type", String), Column("country_code", String),
    Column("admin1", String), Column("location_name", String), Column("latitude", Double),
    Column("longitude", Double), Column("actor1", String), Column("actor1_status", String),
    Column("fatalities", Integer), Column("source_count", Integer), Column("updated_at", String),
    Column("claimed", Integer), Column("languages", String), Column("actors", String),
)
docs = Table("web_search_docs", _meta, Column("docid", Integer, primary_key=True), Column("article_id", String))

_COPIED = ("event_id", "status", "event_date", "event_type", "sub_event_type", "country_code", "admin1",
           "location_name", "latitude", "longitude", "actor1", "actor1_status", "fatalities", "source_count",
           "updated_at")
# Lists are kept as "|a|b|", so that instr(col, '|a|') finds a whole value and nothing else. They
# come from the event's mentions and source rows (stored before the event row is written, in the
# same transaction; the load bench writes source rows without mentions).
_MENTIONS = "FROM mentions WHERE event_id = new.event_id"
_SOURCES = "FROM event_sources WHERE event_id = new.event_id"
_DERIVED = {
    "claimed": f"(new.actor1_status IS 'claimed' OR json_extract(new.summary, '$.values.claimed_by') IS NOT NULL "
               f"OR EXISTS (SELECT 1 {_MENTIONS} AND claimed_by IS NOT NULL))",
    "languages": "'|' || coalesce((SELECT group_concat(x, '|') FROM ("
                 f"SELECT language AS x {_MENTIONS} UNION "
                 f"SELECT json_extract(entry, '$.language') {_SOURCES})), '') || '|'",
    "actors": "'|' || coalesce((SELECT group_concat(x, '|') FROM ("
              f"SELECT actor1 AS x {_MENTIONS} UNION SELECT actor2 {_MENTIONS} UNION SELECT claimed_by {_MENTIONS} "
              "UNION SELECT new.actor1 UNION SELECT json_extract(new.summary, '$.values.actor2') "
              "UNION SELECT json_extract(new.summary, '$.values.claimed_by'))), '') || '|'",
}
# An event's searchable words: its English names and the outlets that report it.
_EVENT_BODY = (
    "coalesce(new.location_name, '') || ' ' || coalesce(new.admin1, '') || ' ' || coalesce(new.country_code, '') "
    "|| ' ' || coalesce(new.event_type, '') || ' ' || coalesce(new.sub_event_type, '') || ' ' "
    "|| coalesce(new.actor1, '') || ' ' || coalesce(json_extract(new.summary, '$.values.actor2'), '') || ' ' "
    "|| coalesce(json_extract(new.summary, '$.values.target'), '') || ' ' "
    "|| coalesce(json_extract(new.summary, '$.values.claimed_by'), '') || ' ' "
    "|| coalesce((SELECT group_concat(json_extract(value, '$.type'), ' ') "
    "FROM json_each(new.summary, '$.values.weapons')), '') || ' ' "
    f"|| coalesce((SELECT group_concat(DISTINCT json_extract(entry, '$.outlet')) {_SOURCES}), '')"
)
_COLS = ", ".join((*_COPIED, *_DERIVED))
_VALUES = ", ".join((*(f"new.{c}" for c in _COPIED), *_DERIVED.values()))
_UPSERT = (f"INSERT INTO web_events ({_COLS}) VALUES ({_VALUES}) ON CONFLICT (event_id) DO UPDATE SET "
           + ", ".join(f"{c} = excluded.{c}" for c in (*_COPIED, *_DERIVED) if c != "event_id") + ";")
_EVENT_FTS = ("DELETE FROM web_search_events WHERE rowid = (SELECT wid FROM web_events WHERE event_id = new.event_id);"
              f"INSERT INTO web_search_events (rowid, body) SELECT wid, {_EVENT_BODY} FROM web_events "
              "WHERE event_id = new.event_id;")
_EVENT_GONE = ("DELETE FROM web_search_events WHERE rowid = (SELECT wid FROM web_events WHERE event_id = old.event_id);"
               "DELETE FROM web_events WHERE event_id = old.event_id;")
_ARTICLE_GONE = ("DELETE FROM web_search_articles WHERE rowid = (SELECT docid FROM web_search_docs "
                 "WHERE article_id = old.id);"
                 "DELETE FROM web_search_docs WHERE article_id = old.id;")
# first removes what it is about to write, so it can never fail on a duplicate and abort the
# store's transaction
_ARTICLE_NEW = ("DELETE FROM web_search_articles WHERE rowid = (SELECT docid FROM web_search_docs "
                "WHERE article_id = new.id);"
                "INSERT OR IGNORE INTO web_search_docs (article_id) VALUES (new.id);"
                "INSERT INTO web_search_articles (rowid, title, body) SELECT docid, coalesce(new.title, ''), "
                "coalesce(new.text, '') FROM web_search_docs WHERE article_id = new.id;")

TRIGGERS = {
    f"{_V}events_ins": f"AFTER INSERT ON events BEGIN {_UPSERT} {_EVENT_FTS} END",
    f"{_V}events_upd": f"AFTER UPDATE ON events BEGIN {_UPSERT} {_EVENT_FTS} END",
    f"{_V}events_del": f"AFTER DELETE ON events BEGIN {_EVENT_GONE} END",
    f"{_V}articles_ins": f"AFTER INSERT ON articles BEGIN {_ARTICLE_NEW} END",
    f"{_V}articles_upd": f"AFTER UPDATE OF id, title, text ON articles BEGIN {_ARTICLE_GONE} {_ARTICLE_NEW} END",
    f"{_V}articles_del": f"AFTER DELETE ON articles BEGIN {_ARTICLE_GONE} END",
}

_TABLES = [
    "CREATE TABLE web_events (wid INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, status TEXT, event_date TEXT, "
    "event_type TEXT, sub_event_type TEXT, country_code TEXT, admin1 TEXT, location_name TEXT, latitude REAL, "
    "longitude REAL, actor1 TEXT, actor1_status TEXT, fatalities INTEGER, source_count INTEGER, updated_at TEXT, "
    "claimed INTEGER NOT NULL, languages TEXT NOT NULL, actors TEXT NOT NULL)",
    # no other index on web_events, on purpose: a scan of these narrow rows (10 ms at 100,000
    # events) beats an index on status or date, which lures SQLite into a row lookup per event
    # unicode61 splits words in every script sitrep reads; diacritics off for Latin letters
    "CREATE VIRTUAL TABLE web_search_events USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TABLE web_search_docs (docid INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE web_search_articles USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
]


@dataclass
class WebIndex:
    """How the web layer queries this database."""

    narrow: bool  # web_events and the FTS tables are there and current
    note: str = ""  # why not, for the log and /api/health

    @property
    def table(self) -> Table:
        """The table the filters run on: web_events, else the store's events table."""
        return narrow if self.narrow else schema.events


def prepare(engine: Engine) -> WebIndex:
    """Build the web index if it is missing or from another version (once per database; on
    100,000 events it takes a few seconds)."""
    if engine.dialect.name != "sqlite":
        return WebIndex(False, f"text search uses LIKE: full-text search needs SQLite (this is {engine.dialect.name})")
    try:
        with engine.connect().execution_options(sitrep_write=True) as conn, conn.begin():
            have = {r[0]: r[1] for r in conn.exec_driver_sql(
                "SELECT name, type FROM sqlite_master WHERE name LIKE 'web\\_%' ESCAPE '\\'")}
            if set(TRIGGERS) <= set(have) and {"web_events", "web_search_events", "web_search_articles",
                                               "web_search_docs"} <= set(have):
                return WebIndex(True)
            _rebuild(conn, have)
    except DBAPIError as exc:
        note = f"text search uses LIKE and filters are slower: cannot build the web index ({exc.orig})"
        log.warning("web: %s", note)
        return WebIndex(False, note)
    return WebIndex(True)


def _rebuild(conn: Connection, have: dict[str, str]) -> None:
    """Drop what another version built and build everything from the store's tables, triggers
    included, in the caller's write transaction: nothing written meanwhile is missed."""
    for name, kind in have.items():
        if kind == "trigger":
            conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    # virtual tables first: their shadow tables go with them and may not be dropped alone
    for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'web\\_%' "
                                        "ESCAPE '\\' AND sql LIKE 'CREATE VIRTUAL TABLE%'").all():
        conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
    for kind in ("index", "table"):
        for (name,) in conn.exec_driver_sql(f"SELECT name FROM sqlite_master WHERE type = '{kind}' AND name LIKE "
                                            "'web\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all():
            conn.exec_driver_sql(f'DROP {kind.upper()} IF EXISTS "{name}"')
    for ddl in _TABLES:
        conn.exec_driver_sql(ddl)
    new = {c: f"e.{c}" for c in _COPIED}
    derived = {k: v.replace("new.", "e.") for k, v in _DERIVED.items()}
    conn.exec_driver_sql(f"INSERT INTO web_events ({_COLS}) SELECT {', '.join((*new.values(), *derived.values()))} "
                         "FROM events AS e")
    body = _EVENT_BODY.replace("new.", "e.")
    conn.exec_driver_sql(f"INSERT INTO web_search_events (rowid, body) SELECT w.wid, {body} "
                         "FROM events AS e JOIN web_events AS w ON w.event_id = e.event_id")
    conn.exec_driver_sql("INSERT INTO web_search_docs (article_id) SELECT id FROM articles")
    conn.exec_driver_sql("INSERT INTO web_search_articles (rowid, title, body) SELECT d.docid, coalesce(a.title, ''), "
                         "coalesce(a.text, '') FROM articles AS a JOIN web_search_docs AS d ON d.article_id = a.id")
    for name, body in TRIGGERS.items():
        conn.exec_driver_sql(f'CREATE TRIGGER "{name}" {body}')


def words(q: str) -> list[str]:
    return re.findall(r"\w+", q)[:16]


def match_expression(q: str) -> str | None:
    """The user's words as an FTS5 query: every word, each as a prefix, quoted so that no
    character of the input is read as query syntax."""
    return " ".join(f'"{w}"*' for w in words(q)) or None


def _fts(name: str, expr: str) -> Any:
    """The rowids of the FTS5 table ``name`` whose text matches ``expr``."""
    t = table(name, column("rowid"))
    return select(t.c.rowid).where(literal_column(name).op("MATCH")(expr))


def matching_events(index: WebIndex, q: str) -> Any:
    """A condition on ``index.table``: the event's names match ``q``, or the text of an article
    that reports it does. None when ``q`` holds no word."""
    m, a = schema.mentions, schema.articles
    if not index.narrow:
        e = schema.events
        if not words(q):
            return None
        return and_(*[or_(e.c.location_name.ilike(f"%{w}%"), e.c.admin1.ilike(f"%{w}%"), e.c.actor1.ilike(f"%{w}%"),
                          e.c.event_type.ilike(f"%{w}%"), e.c.sub_event_type.ilike(f"%{w}%"),
                          e.c.event_id.in_(select(m.c.event_id).join(a, a.c.id == m.c.article_id)
                                           .where(a.c.title.ilike(f"%{w}%"))))
                      for w in words(q)])
    expr = match_expression(q)
    if expr is None:
        return None
    in_articles = select(docs.c.article_id).where(docs.c.docid.in_(_fts("web_search_articles", expr)))
    reported = select(m.c.event_id).where(m.c.article_id.in_(in_articles))
    # integer keys: the matches are looked up by web_events' primary key, not probed row by row
    hits = _fts("web_search_events", expr).union(select(narrow.c.wid).where(narrow.c.event_id.in_(reported)))
    return narrow.c.wid.in_(hits)


def matching_articles(index: WebIndex, q: str) -> Any:
    """A selectable of the article ids whose title or text matches ``q``."""
    a = schema.articles
    if not index.narrow:
        if not words(q):
            return None
        return select(a.c.id).where(and_(*[or_(a.c.title.ilike(f"%{w}%"), a.c.text.ilike(f"%{w}%"))
                                           for w in words(q)]))
    expr = match_expression(q)
    if expr is None:
        return None
    return select(docs.c.article_id).where(docs.c.docid.in_(_fts("web_search_articles", expr)))
