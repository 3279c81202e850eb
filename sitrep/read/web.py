"""Fetched pages to Articles: charset, the page's language, and hints from a feed's config.

The main text, title, date and outlet come from ``sitrep.read.html`` (trafilatura with
boilerplate pruning), the same code files go through, so a stored raw page re-processes
exactly as it was first read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sitrep.errors import ReadError
from sitrep.read.fetch import Fetcher, FetchError, Page, Request, normalise_url
from sitrep.records import Article

HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*", re.IGNORECASE)
_OG_LOCALE = re.compile(r"<meta[^>]+property\s*=\s*[\"']og:locale[\"'][^>]+content\s*=\s*[\"']([A-Za-z]{2,3})",
                        re.IGNORECASE)


def decode_page(page: Page) -> str:
    """The page as text: the charset the server names, else the one the page names in a
    <meta>, else the readers' UTF-8-then-Windows-1252 guess."""
    from sitrep.read import decode

    for found in (_CHARSET.search(page.content_type or ""), _META_CHARSET.search(page.body[:4096])):
        if not found:
            continue
        name = found.group(1)
        name = name.decode("ascii", "replace") if isinstance(name, bytes) else name
        try:
            return page.body.decode(name, errors="replace")
        except LookupError:
            continue  # an unknown charset name: fall back to guessing
    return decode(page.body, page.url)


def page_language(html: str) -> str | None:
    """``<html lang="fr-FR">`` or og:locale, as a bare language code; trafilatura leaves it out."""
    head = html[:8192]
    found = _HTML_LANG.search(head) or _OG_LOCALE.search(head)
    return found.group(1).lower() if found else None


def article_from_html(html: str, article_id: str, url: str | None = None,
                      hints: dict[str, Any] | None = None) -> Article:
    """Extract an article from a page. ``hints`` (from the feed config and the feed item) name
    the outlet and language, which win over the page's own; title and date fill gaps."""
    from sitrep.read.html import extract_html

    art = extract_html(html, article_id, source_path=url or article_id, url=url)
    art.language = art.language or page_language(html)
    hints = hints or {}
    if hints.get("outlet"):
        art.outlet = str(hints["outlet"])
    if hints.get("language"):
        art.language = str(hints["language"])
    if not art.title and hints.get("title"):
        art.title = str(hints["title"])
    if not art.published and hints.get("published"):
        art.published, art.published_precision = str(hints["published"])[:10], "day"
    return art


def article_from_page(page: Page, article_id: str, hints: dict[str, Any] | None = None) -> Article:
    """A fetched page to an Article; raises ``ReadError`` for what is not an HTML article."""
    kind = (page.content_type or "text/html").split(";")[0].strip().lower()
    if kind not in HTML_TYPES:
        raise ReadError(page.url, f"not an HTML page (content type {kind})")
    html = decode_page(page)
    art = article_from_html(html, article_id, url=page.final_url, hints=hints)
    art.source_path = page.url  # errors and reports name the URL that was asked for
    return art


def read_urls(urls: Iterable[str], fetcher: Fetcher | None = None) -> Iterator[Article | ReadError]:
    """Fetch article pages (concurrently, politely) and yield them in the order given; the
    article id is the URL without its fragment."""
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        reqs = [Request(normalise_url(u)) for u in urls]
        for req, got in fetcher.fetch_many(reqs, ordered=True):
            if isinstance(got, FetchError):
                yield got
                continue
            try:
                yield article_from_page(got, req.url)
            except ReadError as exc:
                yield exc
    finally:
        if own:
            fetcher.close()
