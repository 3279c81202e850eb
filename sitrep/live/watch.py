"""Polling feeds: new items are fetched, extracted and stored once, through ``pipeline.ingest``.

Resuming is safe at any point: an item is marked stored only after its article is saved, and
a feed's ETag/Last-Modified are saved only once every new item of it is settled, so after a
Ctrl-C the next poll fetches the feed in full again and skips what was already stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sitrep.errors import ReadError
from sitrep.live.config import Feed, WatchConfig
from sitrep.pipeline import Dedup, IngestReport, ingest
from sitrep.read.feeds import FeedEntry, FeedError, parse_feed
from sitrep.read.fetch import Fetcher, FetchError, Page, Request
from sitrep.read.web import article_from_page
from sitrep.records import Article
from sitrep.store import Store
from sitrep.store import pages as state

Progress = Callable[[int, int], None]  # (pages settled, pages to do)


@dataclass
class PollReport:
    """What one poll did."""

    feeds: int = 0
    not_modified: int = 0  # feeds that answered 304
    new_items: int = 0  # items to fetch
    skipped: int = 0  # items already stored (not fetched again)
    fetched: int = 0  # article pages fetched
    linked: int = 0  # articles stored as syndicated copies of an earlier one
    ingest: IngestReport = field(default_factory=IngestReport)
    feed_errors: list[ReadError] = field(default_factory=list)

    @property
    def errors(self) -> list[ReadError]:
        return [*self.feed_errors, *self.ingest.errors]


@dataclass
class _Item:
    feed: Feed
    entry: FeedEntry
    rank: tuple[str, int, int]  # oldest first, then feed order: originals before their copies

    @property
    def article_id(self) -> str:
        return self.entry.link


def make_fetcher(cfg: WatchConfig) -> Fetcher:
    return Fetcher(timeout=cfg.timeout, max_bytes=cfg.max_bytes, retries=cfg.retries, delay=cfg.delay,
                   per_host=cfg.per_host, allow_private=cfg.allow_private)


def keep_pages(store: Store, meta: dict[str, tuple[dict, str | None]] | None = None,
               ) -> Callable[[Article, str], None]:
    """An ``on_article`` hook for ``pipeline.ingest`` that keeps each HTML article's page in
    the store for re-processing (``meta``: article id -> (hints, content type), when known)."""

    def hook(article: Article, outcome: str) -> None:
        if article.html is None:
            return
        hints, ctype = (meta or {}).pop(article.id, ({}, None))
        state.save_page(store, article.id, article.url or article.id, article.html, content_type=ctype, hints=hints)

    return hook


def poll(cfg: WatchConfig, store: Store, fetcher: Fetcher, dedup: Dedup | None = None,
         progress: Progress | None = None) -> PollReport:
    """Check every feed once (conditionally) and ingest the items not yet stored."""
    report = PollReport(feeds=len(cfg.feeds))
    todo, fresh = _read_feeds(cfg, store, fetcher, report)
    todo.sort(key=lambda it: it.rank)
    existing = state.existing_articles(store, (it.article_id for it in todo))
    pending: dict[str, list[_Item]] = {}  # article id -> its items (two feeds may list one link)
    for it in todo:
        if it.article_id in existing:  # ingested before (by URL, or from another feed)
            state.mark_item(store, it.feed.url, it.entry.key, it.entry.link, article_id=it.article_id, ok=True)
            report.skipped += 1
            continue
        pending.setdefault(it.article_id, []).append(it)
    report.new_items = len(pending)

    settled: set[str] = set()
    failed_feeds: set[str] = set()
    meta: dict[str, tuple[dict, str | None]] = {}
    save_page = keep_pages(store, meta)

    def settle(article_id: str, error: ReadError | None) -> None:
        for it in pending[article_id]:
            state.mark_item(store, it.feed.url, it.entry.key, it.entry.link, article_id=article_id,
                            ok=error is None, error=error.message if error else None)
            if error is not None:
                failed_feeds.add(it.feed.url)
        settled.add(article_id)
        if progress:
            progress(len(settled), len(pending))

    def on_article(article: Article, outcome: str) -> None:
        save_page(article, outcome)
        settle(article.id, None)

    def articles() -> Iterator[Article | ReadError]:
        reqs = [Request(aid) for aid in pending]
        results = fetcher.fetch_many(reqs, ordered=True)
        try:
            for req, got in results:
                item = pending[req.url][0]
                hints = {**item.feed.hints(), "title": item.entry.title, "published": item.entry.published}
                hints = {k: v for k, v in hints.items() if v}
                if isinstance(got, FetchError):
                    settle(req.url, got)
                    yield got
                    continue
                report.fetched += 1
                try:
                    art = article_from_page(got, req.url, hints)
                except ReadError as exc:
                    settle(req.url, exc)
                    yield exc
                    continue
                meta[art.id] = (hints, got.content_type)
                yield art
        finally:
            results.close()  # on Ctrl-C: stop the fetch workers

    if progress:
        progress(0, len(pending))
    counted = _CountLinks(dedup) if dedup is not None else None
    gen = articles()
    try:
        report.ingest = ingest(gen, store, on_article=on_article, dedup=counted)
    finally:
        gen.close()
    report.linked = counted.linked if counted else 0
    # an article that failed extraction inside ingest was never settled: count it as failed
    for aid in pending.keys() - settled:
        why = next((e for e in report.ingest.errors if aid in str(e)), None)
        settle(aid, why or ReadError(aid, "not stored"))
    for url, page in fresh.items():
        if url in failed_feeds:  # fetch the whole feed again next time so failed items are retried
            state.set_fetch_state(store, url, status=page.status, error="some items failed", keep_validators=True)
        else:
            state.set_fetch_state(store, url, status=page.status, etag=page.etag, last_modified=page.last_modified)
    return report


class _CountLinks:
    """Passes a ``Dedup`` through, counting the copies it finds."""

    def __init__(self, inner: Dedup) -> None:
        self.inner = inner
        self.linked = 0

    def original_of(self, article_text: str, article_id: str) -> str | None:
        found = self.inner.original_of(article_text, article_id)
        self.linked += found is not None
        return found

    def add(self, article_text: str, article_id: str, duplicate_of: str | None = None) -> None:
        self.inner.add(article_text, article_id, duplicate_of)


def _read_feeds(cfg: WatchConfig, store: Store, fetcher: Fetcher,
                report: PollReport) -> tuple[list[_Item], dict[str, Page]]:
    """Fetch every feed conditionally; the items not yet done, and the feeds that changed."""
    reqs = [Request(f.url, *state.get_validators(store, f.url)) for f in cfg.feeds]
    index = {f.url: (n, f) for n, f in enumerate(cfg.feeds)}
    todo: list[_Item] = []
    fresh: dict[str, Page] = {}
    for req, got in fetcher.fetch_many(reqs, ordered=True):
        n, feed = index[req.url]
        if isinstance(got, FetchError):
            report.feed_errors.append(got)
            state.set_fetch_state(store, feed.url, status=None, error=got.message, keep_validators=True)
            continue
        if got.not_modified:
            report.not_modified += 1
            state.set_fetch_state(store, feed.url, status=304, keep_validators=True)
            continue
        try:
            entries = parse_feed(got.body, feed.url)
        except FeedError as exc:
            report.feed_errors.append(exc)
            state.set_fetch_state(store, feed.url, status=got.status, error=exc.message, keep_validators=True)
            continue
        done = state.done_items(store, feed.url, (e.key for e in entries), cfg.max_attempts)
        for i, entry in enumerate(entries):
            if entry.key in done:
                report.skipped += 1
                continue
            todo.append(_Item(feed, entry, (entry.published or "9999", n, i)))
        fresh[feed.url] = got
    return todo, fresh


def watch(cfg: WatchConfig, store: Store, *, every: float | None = None, once: bool = False,
          dedup: Dedup | None = None, on_report: Callable[[PollReport], None] | None = None,
          progress: Progress | None = None, fetcher: Fetcher | None = None) -> None:
    """Poll every ``every`` seconds (default: the config's) until interrupted, or once."""
    own = fetcher is None
    fetcher = fetcher or make_fetcher(cfg)
    try:
        while True:
            started = time.monotonic()
            report = poll(cfg, store, fetcher, dedup=dedup, progress=progress)
            if on_report:
                on_report(report)
            if once:
                return
            forget = getattr(dedup, "forget_older_than", None)
            if forget:
                forget(cfg.dedup_days)
            time.sleep(max(0.0, (every or cfg.every) - (time.monotonic() - started)))
    finally:
        if own:
            fetcher.close()
