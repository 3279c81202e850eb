"""Readers: turn files, folders, JSONL and standard input into Articles.

``read_paths`` yields an ``Article`` for each article it can read and a ``ReadError`` for each
it cannot, so one bad file never stops a batch: the caller decides what to print.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitrep.errors import ReadError
from sitrep.records import Article

MAX_BYTES = 20 * 1024 * 1024  # larger files are refused: no news article is that long
SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".ndjson"}
HEADER_KEYS = {"url", "published", "language", "outlet", "title", "note", "date", "source", "sample"}
_HEADER_LINE = re.compile(r"^([A-Za-z_]+):[ \t]*(.*)$")
# A dateline such as " date 2023-11 ..." on the first line gives a month or day of publication.
_DATE_LINE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\b", re.IGNORECASE)

Item = Article | ReadError


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252.
    Binary data (NUL bytes without a UTF-16 BOM, or mostly control characters) is refused."""
    if not data.strip():
        raise ReadError(source, "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(source, f"broken UTF-16 text: {exc}") from exc
    if b"\x00" in data[:8192]:
        raise ReadError(source, "binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Legacy pages are most often Windows-1252/latin-1; decoding never fails there, so
        # we only accept it when the result looks like text.
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:4096]) // 20):
        raise ReadError(source, "binary file (control characters), not text")
    return text


def _month_or_day(year: str, month: str, day: str | None) -> tuple[str, str]:
    if day:
        return f"{year}-{month}-{day}", "day"
    return f"{year}-{month}", "month"


def parse_text(text: str, article_id: str, source_path: str | None = None) -> Article:
    """A plain-text article, with an optional ``key: value`` header block and blank line."""
    meta: dict[str, str] = {}
    lines = text.split("\n")
    if lines and _HEADER_LINE.match(lines[0]) and _HEADER_LINE.match(lines[0]).group(1).lower() in HEADER_KEYS:
        n = 0
        while n < len(lines) and lines[n].strip():
            m = _HEADER_LINE.match(lines[n])
            if not m or m.group(1).lower() not in HEADER_KEYS:
                break
            meta[m.group(1).lower()] = m.group(2).strip()
            n += 1
        if n < len(lines) and not lines[n].strip():
            text = "\n".join(lines[n + 1:])
        else:
            meta = {}
    art = Article(id=article_id, text=text, source_path=source_path)
    published = meta.get("published") or meta.get("date")
    if published and published.lower() not in {"unknown", "none", "null", "-"}:
        art.published, art.published_precision = _normalise_published(published)
    else:
        first = text.lstrip("\n").split("\n", 1)[0]
        m = _DATE_LINE.match(first)
        if m:
            art.published, art.published_precision = _month_or_day(*m.groups())
    art.url = meta.get("url") or None
    art.language = meta.get("language") or None
    art.outlet = meta.get("outlet") or None
    art.title = meta.get("title") or None
    return art


def _normalise_published(value: str) -> tuple[str | None, str | None]:
    m = re.match(r"^\s*(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if m:
        return _month_or_day(*m.groups())
    from sitrep.when import parse_published

    return parse_published(value)


def parse_html(html: str, article_id: str, source_path: str | None = None, url: str | None = None) -> Article:
    from sitrep.read.html import extract_html

    return extract_html(html, article_id, source_path=source_path, url=url)


def _from_record(rec: dict, source: str, line: int) -> Article:
    if not isinstance(rec, dict):
        raise ReadError(source, "a JSONL line must be a JSON object", line)
    art_id = str(rec.get("id") or f"{Path(source).name}:{line}")
    text, html = rec.get("text"), rec.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise ReadError(source, "record has no 'text' or 'html'", line)
    if isinstance(text, str) and text.strip():
        art = Article(id=art_id, text=text, source_path=source)
    else:
        art = parse_html(html, art_id, source_path=source, url=rec.get("url"))
    for key in ("url", "title", "language", "outlet"):
        if rec.get(key):
            setattr(art, key, str(rec[key]))
    if rec.get("published"):
        art.published, art.published_precision = _normalise_published(str(rec["published"]))
    return art


def read_jsonl(text: str, source: str, first_line: int = 1) -> Iterator[Item]:
    for n, line in enumerate(text.split("\n"), first_line):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(source, f"not JSON: {exc.msg}", n)
            continue
        try:
            yield _from_record(rec, source, n)
        except ReadError as exc:
            yield exc


def _stream_jsonl(path: Path) -> Iterator[Item]:
    """A JSONL file over ``MAX_BYTES``: each line decoded and checked on its own (the limit
    applies per article)."""
    source = str(path)
    with open(path, "rb") as fh:
        if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            yield ReadError(source, "UTF-16 JSONL over the size limit: convert it to UTF-8")
            return
        fh.seek(0)
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            if len(raw) > MAX_BYTES:
                yield ReadError(source, f"line too large ({len(raw)} bytes; the limit is {MAX_BYTES})", n)
                continue
            try:
                line = decode(raw, source)
            except ReadError as exc:
                yield ReadError(source, exc.message, n)
                continue
            yield from read_jsonl(line, source, first_line=n)


def read_file(path: Path) -> Iterator[Item]:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES and path.suffix.lower() in {".jsonl", ".ndjson"}:
            # a corpus, not an article: read line by line, so memory stays flat however long
            yield from _stream_jsonl(path)
            return
        if size > MAX_BYTES:
            yield ReadError(source, f"file too large ({size} bytes; the limit is {MAX_BYTES})")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield ReadError(source, f"cannot read: {exc.strerror or exc}")
        return
    try:
        text = decode(data, source)
    except ReadError as exc:
        yield exc
        return
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        yield from read_jsonl(text, source)
    elif suffix in {".html", ".htm"} or text.lstrip()[:200].lower().startswith(("<!doctype html", "<html")):
        try:
            yield parse_html(text, path.name, source_path=source)
        except ReadError as exc:
            yield exc
    else:
        yield parse_text(text, path.name, source_path=source)


def read_paths(paths: Iterable[str], stdin: bytes | None = None) -> Iterator[Item]:
    """Articles from files, folders (recursively, supported suffixes, sorted), ``-`` and
    http(s) URLs (fetched as article pages; a run of URLs is fetched concurrently)."""
    urls: list[str] = []
    for raw in paths:
        if raw.lower().startswith(("http://", "https://")):  # httpx is imported only when needed
            urls.append(raw)
            continue
        if urls:
            yield from _read_urls(urls)
            urls = []
        if raw == "-":
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            try:
                text = decode(data, "<stdin>")
            except ReadError as exc:
                yield exc
                continue
            if text.lstrip().startswith("{"):
                yield from read_jsonl(text, "<stdin>")
            elif text.lstrip()[:200].lower().startswith(("<!doctype html", "<html")):
                yield parse_html(text, "stdin", source_path="<stdin>")
            else:
                yield parse_text(text, "stdin", source_path="<stdin>")
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                yield ReadError(raw, "folder holds no .txt, .html or .jsonl file")
            for f in files:
                yield from read_file(f)
        elif path.exists():
            yield from read_file(path)
        else:
            yield ReadError(raw, "no such file or folder")
    if urls:
        yield from _read_urls(urls)


def _read_urls(urls: list[str]) -> Iterator[Item]:
    from sitrep.read.web import read_urls

    yield from read_urls(urls)
