"""The Store: one transaction per article, mentions and tallies read back as records."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Self

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError

from sitrep.records import (
    Article,
    Evidence,
    Extraction,
    Location,
    Mention,
    Tally,
    Weapon,
)
from sitrep.store import schema
from sitrep.store.errors import StoreError
from sitrep.store.events import event_log, event_sources, merge_article, whole_summary

SaveResult = Literal["new", "unchanged", "replaced"]

DEFAULT_DB = "sitrep.db"

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# --------------------------------------------------------------------------- rows


def mention_to_row(article_id: str, position: int, m: Mention) -> dict[str, Any]:
    loc = m.location or Location()
    return {
        # A mention needs a key; article id + position is stable across re-saves.
        "mention_id": m.mention_id or f"{article_id}#{position}",
        "article_id": article_id,
        "position": position,
        "event_id": m.event_id,
        "event_date": m.event_date,
        "date_precision": m.date_precision,
        "time_of_day": m.time_of_day,
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "location_name": loc.name,
        "admin1": loc.admin1,
        "country_code": loc.country_code,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
        "geo_precision": loc.geo_precision,
        "place_id": loc.place_id,
        "location_kind": loc.kind,
        "actor1": m.actor1,
        "actor1_status": m.actor1_status,
        "actor2": m.actor2,
        "target": m.target,
        "fatalities": m.fatalities,
        "injuries": m.injuries,
        "claimed_by": m.claimed_by,
        "hedged": bool(m.hedged),
        "language": m.language,
        "published": m.published,
        "outlet": m.outlet,
        "sentence_start": m.sentence_start,
        "sentence_end": m.sentence_end,
        "weapons": [{"type": w.type, "count": w.count} for w in m.weapons],
        "reported_via": list(m.reported_via),
        "evidence": {k: v.to_dict() for k, v in m.evidence.items()},
    }


def row_to_mention(row: Any) -> Mention:
    r = row._mapping
    return Mention(
        article=r["article_id"],
        event_date=r["event_date"],
        date_precision=r["date_precision"],
        time_of_day=r["time_of_day"],
        event_type=r["event_type"],
        sub_event_type=r["sub_event_type"],
        location=Location(
            name=r["location_name"],
            admin1=r["admin1"],
            country_code=r["country_code"],
            latitude=r["latitude"],
            longitude=r["longitude"],
            geo_precision=r["geo_precision"],
            place_id=r["place_id"],
            kind=r["location_kind"],
        ),
        weapons=[Weapon(**w) for w in r["weapons"] or []],
        actor1=r["actor1"],
        actor1_status=r["actor1_status"],
        actor2=r["actor2"],
        target=r["target"],
        fatalities=r["fatalities"],
        injuries=r["injuries"],
        claimed_by=r["claimed_by"],
        reported_via=list(r["reported_via"] or []),
        hedged=bool(r["hedged"]),
        evidence={k: Evidence(**v) for k, v in (r["evidence"] or {}).items()},
        language=r["language"],
        published=r["published"],
        outlet=r["outlet"],
        event_id=r["event_id"],
        mention_id=r["mention_id"],
        sentence_start=r["sentence_start"],
        sentence_end=r["sentence_end"],
    )


def tally_to_row(article_id: str, position: int, t: Tally) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "position": position,
        "count": t.count,
        "what": t.what,
        "since": t.since,
        "until": t.until,
        "scope": list(t.scope),
        "parts": dict(t.parts),
        "actor": t.actor,
        "evidence": t.evidence.to_dict() if t.evidence else None,
        "language": t.language,
    }


def row_to_tally(row: Any) -> Tally:
    r = row._mapping
    return Tally(
        article=r["article_id"],
        count=r["count"],
        what=r["what"],
        since=r["since"],
        until=r["until"],
        scope=list(r["scope"] or []),
        parts=dict(r["parts"] or {}),
        actor=r["actor"],
        evidence=Evidence(**r["evidence"]) if r["evidence"] else None,
        language=r["language"],
    )


# --------------------------------------------------------------------------- store


class Store:
    """Articles, mentions and tallies in an SQL database (see ``open_store``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- context manager / lifecycle

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def _write(self) -> Any:
        """A write transaction (SQLite: BEGIN IMMEDIATE, so the lookup and the
        writes see the same snapshot and concurrent writers wait, not fail)."""
        return self.engine.connect().execution_options(sitrep_write=True)

    # -- writes

    def save(
        self, article: Article, extraction: Extraction | None, *, status: str = "ok",
        duplicate_of: str | None = None,
    ) -> SaveResult:
        """Store an article with what was extracted from it, atomically.

        ``extraction`` may be None for articles kept without extraction (then
        pass a ``status`` such as 'unsupported_language'). ``duplicate_of`` names the
        article this one is a syndicated copy of.
        """
        content_hash = article.content_hash
        mentions = extraction.mentions if extraction else []
        for m in mentions:
            if m.article != article.id:
                raise StoreError(
                    f"mention {m.mention_id!r} belongs to article {m.article!r}, "
                    f"not {article.id!r}"
                )
        doc = extraction.document if extraction else None
        row = {
            "id": article.id,
            "content_hash": content_hash,
            "url": article.url,
            "outlet": article.outlet,
            "title": article.title,
            "published": (doc.published if doc else None) or article.published,
            "published_precision": (
                doc.published_precision if doc and doc.published else None
            )
            or article.published_precision,
            "language": (doc.language if doc else None) or article.language,
            "text": doc.text if doc else None,
            "source_path": article.source_path,
            "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "status": status,
            "duplicate_of": duplicate_of,
        }
        a = schema.articles
        try:
            with self._write() as conn, conn.begin():
                self.lock_writes(conn)
                old = conn.execute(
                    select(a.c.content_hash).where(a.c.id == article.id)
                ).scalar_one_or_none()
                if old == content_hash:
                    return "unchanged"
                previous: list[Mention] = []
                if old is not None:
                    previous = [row_to_mention(r) for r in conn.execute(
                        select(schema.mentions).where(schema.mentions.c.article_id == article.id)
                        .order_by(schema.mentions.c.position))]
                    # Children first: FK cascades are not relied on (SQLite needs a pragma).
                    conn.execute(
                        delete(schema.mentions).where(
                            schema.mentions.c.article_id == article.id
                        )
                    )
                    conn.execute(
                        delete(schema.tallies).where(
                            schema.tallies.c.article_id == article.id
                        )
                    )
                    conn.execute(delete(a).where(a.c.id == article.id))
                conn.execute(insert(a), row)

                def insert_mentions() -> None:
                    for i, m in enumerate(mentions):
                        self._insert_mention(conn, mention_to_row(article.id, i, m))

                # event ids are the merge's to give: whatever the caller set is replaced
                for m in mentions:
                    m.event_id = None
                merge_article(conn, article.id, previous, mentions, insert_mentions)
                tallies = extraction.tallies if extraction else []
                if tallies:
                    conn.execute(
                        insert(schema.tallies),
                        [tally_to_row(article.id, i, t) for i, t in enumerate(tallies)],
                    )
        except IntegrityError as exc:
            raise StoreError(
                f"cannot save article {article.id!r}: {exc.orig} (duplicate mention_id?)"
            ) from exc
        return "new" if old is None else "replaced"

    def lock_writes(self, conn: Connection) -> None:
        """Writers take turns: the event merge reads the events near an article and writes
        them back, so two workers merging at once could each found the same event. SQLite's
        BEGIN IMMEDIATE already serialises writers; PostgreSQL takes a transaction-scoped
        advisory lock (released at commit or rollback, so a killed worker never holds it)."""
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7351)")  # 7351: sitrep's lock id

    def _insert_mention(self, conn: Connection, row: dict[str, Any]) -> None:
        # One statement per mention; a separate method so tests can interrupt midway.
        conn.execute(insert(schema.mentions), row)

    # -- reads

    def has_article(self, article_id: str, content_hash: str) -> bool:
        a = schema.articles
        with self.engine.connect() as conn:
            found = conn.execute(
                select(a.c.id).where(
                    a.c.id == article_id, a.c.content_hash == content_hash
                )
            ).first()
        return found is not None

    def mentions(
        self,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
    ) -> list[Mention]:
        """Mentions with event_date in [since, until] (inclusive; YYYY, YYYY-MM or
        YYYY-MM-DD) and in ``country`` (ISO2 code or English name)."""
        m = schema.mentions
        q = select(m)
        if since is not None:
            q = q.where(m.c.event_date >= _check_date(since))
        if until is not None:
            q = q.where(m.c.event_date <= _date_upper(_check_date(until)))
        if country is not None:
            q = q.where(m.c.country_code == _country(country))
        q = q.order_by(
            m.c.event_date.asc().nulls_last(),
            m.c.article_id,
            m.c.sentence_start.asc().nulls_last(),
            m.c.position,
        )
        with self.engine.connect() as conn:
            return [row_to_mention(r) for r in conn.execute(q)]

    def iter_mentions(self) -> Iterator[Mention]:
        """All mentions, streamed (for exports of large stores)."""
        m = schema.mentions
        q = select(m).order_by(m.c.article_id, m.c.position)
        with self.engine.connect() as conn:
            for r in conn.execution_options(yield_per=1000).execute(q):
                yield row_to_mention(r)

    def _event_filter(self, q: Any, since: str | None, until: str | None, country: str | None,
                      status: str | None = "active") -> Any:
        e = schema.events
        if status is not None:
            q = q.where(e.c.status == status)
        if since is not None:
            q = q.where(e.c.event_date >= _check_date(since))
        if until is not None:
            q = q.where(e.c.event_date <= _date_upper(_check_date(until)))
        if country is not None:
            q = q.where(e.c.country_code == _country(country))
        return q

    def events(self, since: str | None = None, until: str | None = None, country: str | None = None,
               status: str | None = "active") -> list[dict[str, Any]]:
        """Event rows (best values, counts, summary JSON) under the filters, by date."""
        e = schema.events
        q = self._event_filter(select(e), since, until, country, status)
        q = q.order_by(e.c.event_date.asc().nulls_last(), e.c.seq)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
            # all the sources at once when every event is listed, else those of the events listed
            everything = since is None and until is None and country is None
            sources = event_sources(conn, None if everything else [r["event_id"] for r in rows])
        return [whole_summary(r, sources.get(r["event_id"], [])) for r in rows]

    def event_mentions(self, since: str | None = None, until: str | None = None,
                       country: str | None = None) -> list[Mention]:
        """Every mention of the events under the filters (the filters apply to the event, so
        a vaguer report of an event in range comes along)."""
        e, m = schema.events, schema.mentions
        ids = self._event_filter(select(e.c.event_id), since, until, country)
        q = select(m).where(m.c.event_id.in_(ids)).order_by(m.c.article_id, m.c.position)
        with self.engine.connect() as conn:
            return [row_to_mention(r) for r in conn.execute(q)]

    def article_rows(self, ids: list[str] | None = None, with_text: bool = False) -> dict[str, dict[str, Any]]:
        """Article rows by id, in id order (all, or those in ``ids``); the cleaned text only when
        asked (it is large)."""
        a = schema.articles
        cols = [c for c in a.c if with_text or c.name != "text"]
        q = select(*cols).order_by(a.c.id)
        if ids is not None:
            q = q.where(a.c.id.in_(ids))
        with self.engine.connect() as conn:
            return {r.id: dict(r._mapping) for r in conn.execute(q)}

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event: its row, mentions, articles (with text, for evidence) and change log.
        A unique prefix of the id is enough."""
        e, m = schema.events, schema.mentions
        with self.engine.connect() as conn:
            # the exact id by the primary key; a prefix (what `sitrep events` shows) by a scan
            rows = conn.execute(select(e).where(e.c.event_id == event_id)).all() or conn.execute(
                select(e).where(e.c.event_id.startswith(event_id, autoescape=True)).limit(2)).all()
            if len(rows) != 1:
                if len(rows) > 1:
                    raise StoreError(f"event id {event_id!r} is ambiguous: give more of it")
                return None
            row = dict(rows[0]._mapping)
            row = whole_summary(row, event_sources(conn, [row["event_id"]]).get(row["event_id"], []))
            mentions = [row_to_mention(r) for r in conn.execute(
                select(m).where(m.c.event_id == row["event_id"]).order_by(m.c.article_id, m.c.position))]
            log = event_log(conn, row["event_id"])
        arts = self.article_rows(sorted({x.article for x in mentions}), with_text=True)
        return {"event": row, "mentions": mentions, "articles": arts, "log": log}

    def tallies(self) -> list[Tally]:
        t = schema.tallies
        with self.engine.connect() as conn:
            return [
                row_to_tally(r)
                for r in conn.execute(select(t).order_by(t.c.article_id, t.c.position))
            ]

    def articles(self, with_text: bool = False) -> list[dict[str, Any]]:
        """Article rows as dicts, by id; the cleaned text only when asked (it is large)."""
        return list(self.article_rows(with_text=with_text).values())

    def counts(self) -> dict[str, int]:
        """Rows per kind; ``events`` counts active events."""
        with self.engine.connect() as conn:
            def n(table: Any, *where: Any) -> int:
                return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())

            return {
                "articles": n(schema.articles),
                "mentions": n(schema.mentions),
                "events": n(schema.events, schema.events.c.status == "active"),
                "tallies": n(schema.tallies),
            }

    @property
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
            ).scalar_one()
        return int(value)


def _country(value: str) -> str:
    from sitrep.export.countries import country_code

    code = country_code(value)
    if code is None:
        raise StoreError(f"unknown country {value!r}: give an ISO 3166 code or an English name")
    return code


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise StoreError(f"bad date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _date_upper(value: str) -> str:
    # Dates are ISO strings, so "until 2024-01" means up to the last day of January.
    if len(value) == 4:
        return value + "-12-31"
    if len(value) == 7:
        return value + "-31"
    return value


# --------------------------------------------------------------------------- opening


def open_store(target: str | Path | None = None) -> Store:
    """Open (creating if needed) a store at a file path or an SQLAlchemy URL.

    Default: ``sitrep.db`` in the current directory.
    """
    url = _resolve(target)
    try:
        engine = create_engine(url, **_engine_args(url))
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot open store {target!s}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    try:
        _init_schema(engine, str(target or DEFAULT_DB))
    except StoreError:
        engine.dispose()
        raise
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(
            f"{target or DEFAULT_DB}: not a usable sitrep database ({reason})"
        ) from exc
    return Store(engine)


def _resolve(target: str | Path | None) -> str:
    if isinstance(target, str) and "://" in target:
        try:
            make_url(target)
        except ArgumentError as exc:
            raise StoreError(f"bad database URL {target!r}: {exc}") from exc
        url = make_url(target)
        if url.drivername in ("postgresql", "postgres"):
            # psycopg 3 is the driver sitrep installs; plain postgresql:// means it
            return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return target
    path = Path(target) if target is not None else Path.cwd() / DEFAULT_DB
    if path.is_dir():
        raise StoreError(
            f"{path} is a directory; give a database file path, e.g. {path / DEFAULT_DB}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for {path}: {exc}") from exc
    return f"sqlite:///{path.resolve()}"


def _engine_args(url: str) -> dict[str, Any]:
    if make_url(url).get_backend_name() == "sqlite":
        # Wait for other writers (e.g. a second pipeline run) rather than fail at once.
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself: pysqlite's implicit transactions start
        # only at the first write, which would put our lookup outside the transaction.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, far fewer fsyncs
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("sitrep_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def _revisions(conn: Connection) -> tuple[str | None, str]:
    """(the database's migration revision, the newest this sitrep knows)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(conn)).get_current_head()
    assert head is not None
    return MigrationContext.configure(conn).get_current_revision(), head


def _upgrade(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


def _init_schema(engine: Engine, label: str) -> None:
    """Create a new database, or bring an existing one to this sitrep's schema (Alembic
    migrations, the same for SQLite and PostgreSQL). Two processes opening a new PostgreSQL
    database at once take turns (a session advisory lock), so it is created once."""
    if engine.dialect.name != "postgresql":
        _check_schema(engine, label)
        return
    with engine.connect() as lock:
        lock.exec_driver_sql("SELECT pg_advisory_lock(7352)")  # 7352: sitrep's schema lock id
        lock.commit()
        try:
            _check_schema(engine, label)
        finally:
            lock.exec_driver_sql("SELECT pg_advisory_unlock(7352)")
            lock.commit()


def _check_schema(engine: Engine, label: str) -> None:
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    if tables and "meta" not in tables:
        raise StoreError(
            f"{label} is not a sitrep database (tables: {', '.join(sorted(tables))})"
        )
    if not tables:
        _upgrade(engine)
        return
    with engine.connect() as conn:
        value = conn.execute(
            select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
        ).scalar_one_or_none()
        current, head = _revisions(conn) if "alembic_version" in tables else (None, "")
    if value is None or not value.isdigit():
        raise StoreError(f"{label} is not a sitrep database (no schema version)")
    if int(value) < 2 or current is None:
        raise StoreError(
            f"{label} was made by an older sitrep (schema version {value}, now {schema.SCHEMA_VERSION}); "
            "ingest the articles again into a new database"
        )
    if int(value) > schema.SCHEMA_VERSION:
        raise StoreError(
            f"{label} has schema version {value}, newer than this sitrep ({schema.SCHEMA_VERSION}); upgrade sitrep"
        )
    if current != head:
        from alembic.script import ScriptDirectory

        with engine.connect() as conn:
            known = ScriptDirectory.from_config(_alembic_config(conn)).get_revision(current)
        if known is None:
            raise StoreError(f"{label} was migrated by a newer sitrep (revision {current}); upgrade sitrep")
        _upgrade(engine)
    missing = set(schema.metadata.tables) - set(inspect(engine).get_table_names())
    if missing:
        raise StoreError(
            f"{label} is a damaged sitrep database (missing tables: {', '.join(sorted(missing))})"
        )


__all__ = ["DEFAULT_DB", "SaveResult", "Store", "open_store"]
