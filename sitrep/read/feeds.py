"""RSS 2.0 and Atom feeds: the items (link, title, date) a watcher fetches as article pages.

feedparser is given bytes, never a URL, so it never touches the network itself; it is lenient
with the broken XML many newsrooms publish, and we accept a feed it could read items from.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin

from sitrep.errors import ReadError
from sitrep.read.fetch import is_url, normalise_url


class FeedError(ReadError):
    """A feed that cannot be read as RSS or Atom."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # the item's guid/id, else its link: what "already seen" is remembered by
    link: str
    title: str | None = None
    published: str | None = None  # ISO date (UTC) when the feed gives one


def parse_feed(data: bytes, source: str) -> list[FeedEntry]:
    """Items of an RSS or Atom document, in feed order; ``source`` (the feed URL) resolves
    relative links and names the feed in errors. Items without an http(s) link are skipped."""
    import feedparser

    if not data.strip():
        raise FeedError(source, "empty feed")
    parsed = feedparser.parse(data, response_headers={"content-location": source})
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FeedError(source, "not an RSS or Atom feed" + (f" ({reason})" if reason else ""))
    out: list[FeedEntry] = []
    seen: set[str] = set()
    for e in parsed.entries:
        link = e.get("link") or ""
        link = normalise_url(urljoin(source, link)) if link else ""
        if not is_url(link):
            continue
        key = str(e.get("id") or link).strip()
        if key in seen:
            continue
        seen.add(key)
        when = e.get("published_parsed") or e.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", when) if when else None
        title = (e.get("title") or "").strip() or None
        out.append(FeedEntry(key=key, link=link, title=title, published=published))
    return out
