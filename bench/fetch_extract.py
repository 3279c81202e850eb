"""Pages per second for live ingestion on one core, from local fixture pages, as ratios
against a plain read pass over the same pages measured in the same run (no timed asserts
anywhere: figures are printed).

    python bench/fetch_extract.py [--repeat N] [--no-http] [PAGE.html ...]

Stages timed, each over every page N times (distinct ids, so no cache helps):
  plain read      decode the bytes, lowercase, tokenize (the baseline)
  HTML            trafilatura main text + metadata (sitrep.read.web)
  HTML + events   the above, then clean + extract + event ids (sitrep.pipeline.process)
  HTTP + both     fetched from a server on 127.0.0.1 in this process, then as above
Default pages: tests/fixtures/live/*.html (English, French, Arabic, Indonesian).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.pipeline import process  # noqa: E402
from sitrep.read import decode  # noqa: E402
from sitrep.read.fetch import Fetcher, Request  # noqa: E402
from sitrep.read.web import article_from_html, article_from_page  # noqa: E402

_TOKEN = re.compile(r"\w+")


def serve(pages: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 1 << 16  # headers and body in one send: no Nagle/delayed-ACK stall per request

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            body = pages[self.path.split("?")[0]]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--no-http", action="store_true", help="skip the loopback HTTP stage")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the figure claims
    files = args.pages or sorted((ROOT / "tests" / "fixtures" / "live").glob("*.html"))
    raw = [f.read_bytes() for f in files]
    work = [(f"{f.name}#{i}", data) for i in range(args.repeat) for f, data in zip(files, raw, strict=True)]
    n = len(work)

    process(article_from_html(decode(raw[0], "warm-up"), "warm-up"))  # packs, gazetteer, detector
    t0 = time.perf_counter()
    tokens = sum(len(_TOKEN.findall(decode(data, pid).lower())) for pid, data in work)
    t_base = time.perf_counter() - t0

    t0 = time.perf_counter()
    articles = [article_from_html(decode(data, pid), pid) for pid, data in work]
    t_html = time.perf_counter() - t0

    t0 = time.perf_counter()
    mentions = 0
    for pid, data in work:
        mentions += len(process(article_from_html(decode(data, pid), pid)).mentions)
    t_full = time.perf_counter() - t0

    kb = sum(map(len, raw)) / len(raw) / 1024
    chars = sum(len(a.text) for a in articles) // n
    print(f"pages: {len(files)} fixture pages x {args.repeat} = {n}, mean {kb:.1f} KB of HTML, {tokens} tokens, "
          f"{chars} characters of text a page")
    print(f"plain read (decode+lowercase+tokenize): {n / t_base:9,.0f} pages/s")
    print(f"HTML extraction (trafilatura):          {n / t_html:9,.1f} pages/s  {t_html / t_base:5,.0f}x slower")
    print(f"HTML + event extraction (1 core):       {n / t_full:9,.1f} pages/s  {t_full / t_base:5,.0f}x slower, "
          f"{mentions} mentions")
    if args.no_http:
        return
    pages = {f"/p{i}/{pid.replace('#', '-')}": data for i, (pid, data) in enumerate(work)}
    httpd = serve(pages)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with Fetcher(delay=0.0, per_host=1, workers=1, retries=0) as fetcher:
            t0 = time.perf_counter()
            got = 0
            for req, page in fetcher.fetch_many([Request(base + p) for p in pages], ordered=True):
                if isinstance(page, Exception):
                    raise page
                got += len(process(article_from_page(page, req.url)).mentions)
            t_http = time.perf_counter() - t0
    finally:
        httpd.shutdown()
    print(f"HTTP + HTML + events (loopback):        {n / t_http:9,.1f} pages/s  {t_http / t_base:5,.0f}x slower, "
          f"{got} mentions (the server runs in this process, on the same core)")


if __name__ == "__main__":
    main()
