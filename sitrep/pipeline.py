"""The chain of steps: read -> clean -> extract -> events. Each step is a plain function of
records, so the same code runs here, in a process pool or on a cluster; only the event merge
keeps state across articles (a ``Merger``, or the store's events when ingesting)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Protocol

from sitrep.clean import clean
from sitrep.errors import ExtractError, ReadError
from sitrep.events import Merger
from sitrep.executors import Executor, InlineExecutor, map_along
from sitrep.extract import extract
from sitrep.read import read_paths
from sitrep.records import Article, Extraction

if TYPE_CHECKING:
    from sitrep.store import Store


def process(article: Article, today: dt.date | None = None) -> Extraction:
    """One article to its mentions and tallies (event ids are set by the merge, later)."""
    return extract(clean(article), today=today)


def run(paths: Iterable[str], errors: list[ReadError] | None = None,
        today: dt.date | None = None, merger: Merger | None = None,
        executor: Executor | None = None) -> Iterator[tuple[Article, Extraction]]:
    """Process every readable article under ``paths``, merging mentions into events as they
    come (ids are final when yielded); unreadable ones are appended to ``errors`` (or
    dropped) and never stop the batch. ``executor`` runs the per-article step (default: here);
    the merge stays in this process, in input order, so the results are the same on any."""
    merger = merger if merger is not None else Merger()
    executor = executor or InlineExecutor()
    pairs = ((item, None if isinstance(item, ReadError) else item) for item in read_paths(paths))
    for item, result in map_along(executor, partial(_step, today=today), pairs):
        if isinstance(item, ReadError):
            if errors is not None:
                errors.append(item)
            continue
        if isinstance(result, ExtractError):
            if errors is not None:
                errors.append(result)
            continue
        assert result is not None
        merger.add(result.mentions)
        yield item, result


def safe_process(article: Article, today: dt.date | None = None) -> Extraction | ExtractError:
    """``process`` that turns a failure on one article into an error for that article, so a
    text nobody foresaw never stops a batch."""
    try:
        return process(article, today=today)
    except Exception as exc:  # noqa: BLE001 - any failure is reported with the article's name
        where = article.source_path or article.id
        return ExtractError(where if where == article.id else f"{where} ({article.id})",
                            f"extraction failed: {type(exc).__name__}: {exc}")


def _step(article: Article | None, today: dt.date | None = None) -> Extraction | ExtractError | None:
    """What an executor runs per item; None is an item with nothing to extract (a read error,
    an unchanged article), which keeps its place in the ordered stream."""
    return None if article is None else safe_process(article, today=today)


@dataclass
class IngestReport:
    """What one ``ingest`` call did: article outcomes, rows written and per-article errors."""

    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    mentions: int = 0
    tallies: int = 0
    errors: list[ReadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return self.new + self.replaced + self.unchanged


class Dedup(Protocol):
    """Recognises syndicated copies (see ``sitrep.live.syndication.SyndicationIndex``)."""

    def original_of(self, article_text: str, article_id: str) -> str | None: ...

    def add(self, article_text: str, article_id: str, duplicate_of: str | None = None) -> None: ...


def ingest(items: Iterable[Article | ReadError], store: Store,
           on_article: Callable[[Article, str], None] | None = None, dedup: Dedup | None = None,
           executor: Executor | None = None) -> IngestReport:
    """Extract and store each article (one transaction each); unchanged articles are skipped
    before extraction, and a bad article is reported without stopping the others.
    ``executor`` runs the extraction (default: here); saving, and so the event merge, stays
    in this process in input order, so event ids are the same on any executor."""
    from sitrep.lang import available

    report = IngestReport()
    # Ids sent ahead to the executor and not yet saved. An article is checked against the store
    # when sent; that answer holds at save time unless an earlier article with its id was still
    # in flight then (the same article twice in one batch): only those are checked again.
    in_flight: Counter[str] = Counter()

    def pairs() -> Iterator[tuple[tuple[Article | ReadError, bool], Article | None]]:
        for item in items:
            if isinstance(item, ReadError):
                yield (item, False), None
                continue
            recheck = in_flight[item.id] > 0
            in_flight[item.id] += 1
            stored = store.has_article(item.id, item.content_hash)
            yield (item, recheck), None if stored else item

    for (item, recheck), result in map_along(executor or InlineExecutor(), _step, pairs()):
        if isinstance(item, ReadError):
            report.errors.append(item)
            continue
        in_flight[item.id] -= 1
        if not in_flight[item.id]:
            del in_flight[item.id]  # keeps the counter as small as the window
        if recheck:
            if store.has_article(item.id, item.content_hash):
                result = None
            elif result is None:  # it was stored when sent, and replaced since: extract it now
                result = safe_process(item)
        if result is None:
            report.unchanged += 1
            if on_article:
                on_article(item, "unchanged")
            continue
        if isinstance(result, ExtractError):
            report.errors.append(result)
            continue
        status = "ok" if result.document.language in available() else "unsupported_language"
        if status != "ok":
            report.warnings.append(f"{item.source_path or item.id}: language {result.document.language!r} "
                                   "has no pack; stored, no events extracted")
        # a syndicated copy is stored linked to its original: one source, not two
        duplicate_of = dedup.original_of(result.document.text, item.id) if dedup is not None else None
        outcome = store.save(item, result, status=status, duplicate_of=duplicate_of)
        if dedup is not None:
            dedup.add(result.document.text, item.id, duplicate_of)
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.mentions += len(result.mentions)
        report.tallies += len(result.tallies)
        if on_article:
            on_article(item, outcome)
    return report
