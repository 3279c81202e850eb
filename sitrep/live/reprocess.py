"""Re-extraction of stored articles by the sitrep now installed.

An article with a stored page is extracted again from its HTML (with the hints its feed
gave); one without is rebuilt from its stored text. Both go through ``pipeline.ingest`` and
so through the normal save path, which replaces the article's mentions and tallies in one
transaction each. Syndication links are kept as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sitrep.errors import ReadError
from sitrep.live.syndication import KeepLinks
from sitrep.pipeline import IngestReport, ingest
from sitrep.read.web import article_from_html
from sitrep.records import Article
from sitrep.store import Store
from sitrep.store import pages as state


def reprocess(store: Store, progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """Re-extract every stored article; ``progress(done, total)`` is called as it goes."""
    links = state.article_links(store)
    with_page = state.page_ids(store)
    total = len(links)
    done = 0

    def tick(*_: object) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    def items() -> Iterator[Article | ReadError]:
        for article_id in links:
            try:
                art = _rebuild(store, article_id, article_id in with_page)
            except ReadError as exc:
                tick()
                yield exc
                continue
            state.mark_stale(store, article_id)  # so the save below replaces, not skips
            yield art

    if progress:
        progress(0, total)
    return ingest(items(), store, on_article=tick, dedup=KeepLinks(links))


def _rebuild(store: Store, article_id: str, has_page: bool) -> Article:
    if has_page:
        page = state.load_page(store, article_id)
        if page is not None:
            art = article_from_html(page.html, article_id, url=page.url, hints=page.hints)
            art.source_path = page.url
            return art
    row = state.article_row(store, article_id)
    if row is None or not row.get("text"):
        raise ReadError(article_id, "nothing to re-process: no stored page and no stored text")
    return Article(id=article_id, text=row["text"], url=row["url"], title=row["title"], published=row["published"],
                   published_precision=row["published_precision"], language=row["language"],
                   outlet=row["outlet"], source_path=row["source_path"])
