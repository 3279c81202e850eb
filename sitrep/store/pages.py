"""Live-ingestion state in the store: raw pages (compressed), HTTP validators per URL and
the feed items already seen. Functions of a ``Store`` so the Store class stays as it is."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sitrep.store import schema
from sitrep.store.db import Store
from sitrep.store.events import feed_parties


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write(store: Store) -> Connection:
    # BEGIN IMMEDIATE on SQLite, as Store.save does: lookups and writes see one snapshot.
    return store.engine.connect().execution_options(sitrep_write=True)


# --------------------------------------------------------------------------- raw pages


@dataclass
class StoredPage:
    article_id: str
    url: str
    html: str
    content_type: str | None
    fetched_at: str
    hints: dict[str, Any]


def save_page(store: Store, article_id: str, url: str, html: str, *, content_type: str | None = None,
              hints: dict[str, Any] | None = None) -> None:
    """Keep (or replace) an article's page, zlib-compressed."""
    raw = html.encode("utf-8")
    row = {"article_id": article_id, "url": url, "fetched_at": _now(), "content_type": content_type,
           "size": len(raw), "body": zlib.compress(raw, 6), "hints": dict(hints or {})}
    p, m, g = schema.pages, schema.mentions, schema.event_aggregates
    with _write(store) as conn, conn.begin():
        store.lock_writes(conn)  # writers take turns on PostgreSQL, as Store.save does
        old = conn.execute(select(p.c.hints).where(p.c.article_id == article_id)).scalar_one_or_none()
        if (old or {}).get("party") != row["hints"].get("party"):
            # the feed's party is part of the summaries of the article's events: the next
            # change to them rebuilds them from their mentions, which reads it again
            conn.execute(delete(g).where(g.c.event_id.in_(
                select(m.c.event_id).where(m.c.article_id == article_id, m.c.event_id.is_not(None)))))
        conn.execute(delete(p).where(p.c.article_id == article_id))
        conn.execute(insert(p), row)


def load_page(store: Store, article_id: str) -> StoredPage | None:
    p = schema.pages
    with store.engine.connect() as conn:
        r = conn.execute(select(p).where(p.c.article_id == article_id)).first()
    return _page(r) if r is not None else None


def iter_pages(store: Store) -> Iterator[StoredPage]:
    p = schema.pages
    with store.engine.connect() as conn:
        for r in conn.execution_options(yield_per=200).execute(select(p).order_by(p.c.article_id)):
            yield _page(r)


def page_ids(store: Store) -> set[str]:
    p = schema.pages
    with store.engine.connect() as conn:
        return set(conn.execute(select(p.c.article_id)).scalars())


def _page(r: Any) -> StoredPage:
    m = r._mapping
    return StoredPage(article_id=m["article_id"], url=m["url"], html=zlib.decompress(m["body"]).decode("utf-8"),
                      content_type=m["content_type"], fetched_at=m["fetched_at"], hints=dict(m["hints"] or {}))


# --------------------------------------------------------------------------- fetch state


def get_validators(store: Store, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) remembered for ``url``; (None, None) when never fetched."""
    f = schema.fetch_state
    with store.engine.connect() as conn:
        r = conn.execute(select(f.c.etag, f.c.last_modified).where(f.c.url == url)).first()
    return (r[0], r[1]) if r is not None else (None, None)


def set_fetch_state(store: Store, url: str, *, status: int | None, etag: str | None = None,
                    last_modified: str | None = None, error: str | None = None,
                    keep_validators: bool = False) -> None:
    """Record a fetch of ``url``; ``keep_validators`` leaves the stored ETag/Last-Modified as
    they are (a failed or partly processed fetch must not claim we hold the new version)."""
    f = schema.fetch_state
    with _write(store) as conn, conn.begin():
        store.lock_writes(conn)  # writers take turns on PostgreSQL, as Store.save does
        old = conn.execute(select(f.c.etag, f.c.last_modified).where(f.c.url == url)).first()
        if keep_validators:
            etag, last_modified = (old[0], old[1]) if old is not None else (None, None)
        row = {"url": url, "etag": etag, "last_modified": last_modified, "checked_at": _now(),
               "status": status, "error": error}
        if old is None:
            conn.execute(insert(f), row)
        else:
            conn.execute(update(f).where(f.c.url == url).values(**row))


# --------------------------------------------------------------------------- feed items


def done_items(store: Store, feed_url: str, keys: Iterable[str], max_attempts: int) -> set[str]:
    """Which of ``keys`` (items the feed lists now) are never to be fetched again: stored, or
    failed ``max_attempts`` times. Asking only for these keeps a poll cheap however long the
    feed's history grows."""
    t = schema.feed_items
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    with store.engine.connect() as conn:
        for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
            q = select(t.c.item_key).where(
                t.c.feed_url == feed_url, t.c.item_key.in_(wanted[i:i + 500]),
                (t.c.status == "stored") | (t.c.attempts >= max_attempts),
            )
            found |= set(conn.execute(q).scalars())
    return found


def mark_item(store: Store, feed_url: str, item_key: str, link: str, *, article_id: str | None,
              ok: bool, error: str | None = None) -> None:
    """Record an item as stored, or count one more failed attempt at it."""
    t = schema.feed_items
    where = (t.c.feed_url == feed_url) & (t.c.item_key == item_key)
    with _write(store) as conn, conn.begin():
        store.lock_writes(conn)  # writers take turns on PostgreSQL, as Store.save does
        attempts = conn.execute(select(t.c.attempts).where(where)).scalar_one_or_none()
        values = {"link": link, "article_id": article_id, "status": "stored" if ok else "failed",
                  "attempts": (attempts or 0) + (0 if ok else 1), "error": error}
        if attempts is None:
            conn.execute(insert(t), {"feed_url": feed_url, "item_key": item_key, "first_seen": _now(), **values})
        else:
            conn.execute(update(t).where(where).values(**values))


# --------------------------------------------------------------------------- articles


def existing_articles(store: Store, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are stored articles (a page ingested by URL before needs no fetch)."""
    a = schema.articles
    wanted = list(dict.fromkeys(ids))
    found: set[str] = set()
    with store.engine.connect() as conn:
        for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
            found |= set(conn.execute(select(a.c.id).where(a.c.id.in_(wanted[i:i + 500]))).scalars())
    return found


def recent_texts(store: Store, since: str | None) -> Iterator[tuple[str, str, str | None]]:
    """(id, cleaned text, duplicate_of) of articles ingested at or after ``since`` (ISO UTC),
    oldest first, so originals come before their copies."""
    a = schema.articles
    q = select(a.c.id, a.c.text, a.c.duplicate_of).where(a.c.text.is_not(None))
    if since:
        q = q.where(a.c.ingested_at >= since)
    q = q.order_by(a.c.ingested_at, a.c.id)
    with store.engine.connect() as conn:
        for r in conn.execution_options(yield_per=500).execute(q):
            yield r[0], r[1], r[2]


def mark_stale(store: Store, article_id: str) -> None:
    """Blank an article's content hash so the next save replaces its mentions even though the
    article reads the same: how re-processing goes through the normal save path."""
    a = schema.articles
    with _write(store) as conn, conn.begin():
        store.lock_writes(conn)  # writers take turns on PostgreSQL, as Store.save does
        conn.execute(update(a).where(a.c.id == article_id).values(content_hash=""))


def article_links(store: Store) -> dict[str, str | None]:
    """Article id -> duplicate_of, for every stored article, by id."""
    return {k: r["duplicate_of"] for k, r in store.article_rows().items()}


def article_row(store: Store, article_id: str) -> dict[str, Any] | None:
    return store.article_rows([article_id], with_text=True).get(article_id)


def article_parties(store: Store, ids: Iterable[str] | None = None) -> dict[str, str]:
    """Article id -> the partisan label its feed carries (``party`` in the feeds file), for
    the articles that came from such a feed."""
    with store.engine.connect() as conn:
        return feed_parties(conn, ids)
