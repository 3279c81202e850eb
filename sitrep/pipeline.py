"""The chain of steps: read -> clean -> extract -> events. Each step is a plain function of
records, so the same code runs here, in a process pool or on a cluster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sitrep.clean import clean
from sitrep.errors import ExtractError, ReadError
from sitrep.events import assign_event_ids
from sitrep.extract import extract
from sitrep.read import read_paths
from sitrep.records import Article, Extraction


def process(article: Article, today: dt.date | None = None) -> Extraction:
    """One article to its mentions and tallies (event ids set by place and day)."""
    result = extract(clean(article), today=today)
    assign_event_ids(result.mentions)
    return result


def run(paths: Iterable[str], errors: list[ReadError] | None = None,
        today: dt.date | None = None) -> Iterator[tuple[Article, Extraction]]:
    """Process every readable article under ``paths``; unreadable ones are appended to
    ``errors`` (or dropped) and never stop the batch."""
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
