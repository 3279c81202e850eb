"""The chain of steps: read -> clean -> extract -> events. Each step is a plain function of
records, so the same code runs here, in a process pool or on a cluster; only the event merge
keeps state across articles (a ``Merger``, or the store's events when ingesting)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sitrep.clean import clean
from sitrep.errors import ExtractError, ReadError
from sitrep.events import Merger
from sitrep.extract import extract
from sitrep.read import read_paths
from sitrep.records import Article, Extraction

if TYPE_CHECKING:
    from sitrep.store import Store


def process(article: Article, today: dt.date | None = None) -> Extraction:
    """One article to its mentions and tallies (event ids are set by the merge, later)."""
    return extract(clean(article), today=today)


def run(paths: Iterable[str], errors: list[ReadError] | None = None,
        today: dt.date | None = None, merger: Merger | None = None) -> Iterator[tuple[Article, Extraction]]:
    """Process every readable article under ``paths``, merging mentions into events as they
    come (ids are final when yielded); unreadable ones are appended to ``errors`` (or
    dropped) and never stop the batch."""
    merger = merger if merger is not None else Merger()
    for item in read_paths(paths):
        if isinstance(item, ReadError):
            if errors is not None:
                errors.append(item)
            continue
        result = safe_process(item, today=today)
        if isinstance(result, ExtractError):
            if errors is not None:
                errors.append(result)
            continue
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
           on_article: Callable[[Article, str], None] | None = None, dedup: Dedup | None = None) -> IngestReport:
    """Extract and store each article (one transaction each); unchanged articles are skipped
    before extraction, and a bad article is reported without stopping the others."""
    from sitrep.lang import available

    report = IngestReport()
    for item in items:
        if isinstance(item, ReadError):
            report.errors.append(item)
            continue
        if store.has_article(item.id, item.content_hash):
            report.unchanged += 1
            if on_article:
                on_article(item, "unchanged")
            continue
        result = safe_process(item)
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
