"""Load on the web API: requests per second and latency percentiles of GET /api/events (paged)
with 100,000 synthetic events, from a Python client over loopback, the server in its own process
as `sitrep serve` runs it (one uvicorn worker). The aim: p99 under 50 ms.

The events are written straight into the events table (sitrep.web.synthetic), at real places of
the gazetteer, over two years. The request mix: the first pages and random pages up to offset
5,000 under every sort, and the map's filters (country, province, type, actor, claimed, dates,
sources, text search), each a page of 50. The server caches the total under a filter until the
database changes, so the first request of a filter set is reported apart. Also timed, a few
times each: the map's points (every event, no paging), the facets, the timeline and one event.
With --browser, the page itself in headless Chromium with 10,000 events: milliseconds from
navigation to markers on the map.

    python bench/web_load.py [--events 100000] [--requests 2000] [--concurrency 1,8] [--browser]
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitrep.store import open_store  # noqa: E402
from sitrep.web import synthetic  # noqa: E402

SERVER = ("import sys, uvicorn\nfrom sitrep.web.app import create_app\n"
          "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning', "
          "access_log=False)\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """The API over ``db`` in a child process, until the ``with`` block ends."""

    def __init__(self, db: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(self.port)])
        while True:
            try:
                httpx.get(self.url + "/api/health", timeout=5)
                break
            except httpx.TransportError:
                if self.proc.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        self.start_s = time.perf_counter() - started

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def workload(rng: random.Random, n: int, facets: dict[str, Any]) -> list[dict[str, Any]]:
    """``n`` query-parameter sets for /api/events, a page of 50 each."""
    sorts = ["-date", "date", "-sources", "sources", "-updated", "-fatalities"]
    countries = [c["value"] for c in facets["countries"]]
    admin1 = [a["value"] for a in facets["admin1"][:40]]
    types = [t["value"] for t in facets["types"]]
    actors = [a["value"] for a in facets["actors"][:10]] or [None]
    words = ["Deir", "Erbil", "Aden", "drone", "Houthis", "Baghdad", "Sanaa", "Kirkuk"]
    first, last = facets["first_date"] or "2022-07", facets["last_date"] or "2024-06"
    out: list[dict[str, Any]] = []
    for _ in range(n):
        p: dict[str, Any] = {"limit": 50, "sort": rng.choice(sorts)}
        kind = rng.random()
        if kind < 0.35:
            p["offset"] = rng.choice([0, 0, 50, 100, 50 * rng.randint(0, 100)])
        else:
            p["offset"] = rng.choice([0, 0, 0, 50])
            pick = rng.randrange(8)
            if pick == 0:
                p["country"] = rng.choice(countries)
            elif pick == 1:
                p["admin1"] = rng.choice(admin1)
            elif pick == 2:
                p["type"] = rng.choice(types)
            elif pick == 3 and actors[0]:
                p["actor"] = rng.choice(actors)
            elif pick == 4:
                p["claimed"] = rng.choice(["true", "false"])
            elif pick == 5:
                month = f"{rng.randint(int(first[:4]), int(last[:4]))}-{rng.randint(1, 12):02d}"
                p["since"], p["until"] = month, month
            elif pick == 6:
                p["min_sources"] = rng.choice([2, 3, 5, 10])
            else:
                p["q"] = rng.choice(words)
            if rng.random() < 0.3:
                p["country"] = rng.choice(countries)
        out.append(p)
    return out


def run(url: str, params: list[dict[str, Any]], concurrency: int) -> tuple[list[tuple[float, dict[str, Any]]], float]:
    """(latency in s, params) of every request, and the wall time, with ``concurrency`` clients."""
    latencies: list[tuple[float, dict[str, Any]]] = []
    lock = threading.Lock()
    chunks = [params[i::concurrency] for i in range(concurrency)]

    def client(chunk: list[dict[str, Any]]) -> None:
        mine = []
        with httpx.Client(base_url=url, timeout=30, headers={"Accept-Encoding": "gzip"}) as c:
            for p in chunk:
                t = time.perf_counter()
                r = c.get("/api/events", params=p)
                mine.append((time.perf_counter() - t, p))
                if r.status_code != 200:
                    raise SystemExit(f"{r.status_code} for {p}: {r.text[:200]}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(ch,)) for ch in chunks]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - t0


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))] * 1000


def timed(c: httpx.Client, path: str, n: int = 5) -> str:
    times, size = [], 0
    for _ in range(n):
        t = time.perf_counter()
        r = c.get(path)
        times.append(time.perf_counter() - t)
        r.raise_for_status()
        size = len(r.content)
    return f"median {statistics.median(times) * 1000:7.1f} ms, max {max(times) * 1000:7.1f} ms ({size / 1e6:.2f} MB)"


def browser_load(tmp: Path, n: int = 10_000, runs: int = 5) -> str:
    """Milliseconds from navigation to markers on the map, in headless Chromium."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "skipped: playwright (python) is not installed"
    if not Path(chromium).exists():
        return "skipped: chromium is not installed"
    from sitrep.web import vendor

    if vendor.missing():
        return f"skipped: {vendor.missing_message()}"
    db = tmp / "page.db"
    with open_store(db) as store:
        synthetic.fill(store, n)
    flags = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", "--disable-sync"]
    loads = []
    with Served(db) as srv, sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=flags)
        for _ in range(runs + 1):
            page = b.new_page(viewport={"width": 1280, "height": 800})
            page.goto(srv.url + "/")
            page.wait_for_selector("body[data-ready=true]", timeout=60000)
            loads.append(int(page.evaluate("window.sitrep.loadMs")))
            page.close()
        b.close()
    # the first load finds the server's caches empty (and the browser's); the others reuse them
    return (f"{n:,} events: page ready (markers on the map) {loads[0]} ms after navigation on the first load, "
            f"then median {statistics.median(loads[1:]):.0f} ms, max {max(loads[1:])} ms over {runs} loads")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", default="1,8", help="comma list of client counts")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--browser", action="store_true", help="also time the page with 10,000 events in Chromium")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="sitrep-web-load-") as d:
        tmp = Path(d)
        db = tmp / "load.db"
        t = time.perf_counter()
        with open_store(db) as store:
            synthetic.fill(store, args.events, seed=args.seed)
        print(f"{args.events:,} synthetic events written in {time.perf_counter() - t:.1f} s "
              f"({db.stat().st_size / 1e6:.0f} MB)")
        with Served(db) as srv:
            print(f"server up in {srv.start_s:.1f} s (first start adds the search and read indexes)")
            with httpx.Client(base_url=srv.url, timeout=60, headers={"Accept-Encoding": "gzip"}) as c:
                facets = c.get("/api/events/facets").json()
                params = workload(random.Random(args.seed), args.requests, facets)
                # warm-up (page cache, connection pools) with other filters than the run's
                run(srv.url, workload(random.Random(args.seed + 1), 100, facets), 1)
                print(f"\nGET /api/events, {args.requests} requests, a page of 50 each (mixed sorts, offsets, "
                      "filters):")
                for i, conc in enumerate(int(x) for x in args.concurrency.split(",")):
                    timed_params, wall = run(srv.url, params, conc)
                    lat = [t for t, _p in timed_params]
                    p99 = pct(lat, 99)
                    print(f"  {conc:2d} client{'s' if conc > 1 else ' '}: {len(lat) / wall:7.0f} req/s   "
                          f"p50 {pct(lat, 50):5.1f} ms   p90 {pct(lat, 90):5.1f} ms   p99 {p99:5.1f} ms   "
                          f"max {max(lat) * 1000:6.1f} ms   {'(p99 < 50 ms)' if p99 < 50 else '(p99 over 50 ms)'}")
                    if i == 0:
                        # the total under a filter is cached until the database changes: the first
                        # request of each filter set counts, the next pages do not
                        seen: set[tuple[Any, ...]] = set()
                        first, again = [], []
                        for t, p in timed_params:
                            key = tuple(sorted((k, v) for k, v in p.items() if k not in ("offset", "sort", "limit")))
                            (again if key in seen else first).append(t)
                            seen.add(key)
                        print(f"      of which {len(first)} first requests of a filter set: p50 "
                              f"{pct(first, 50):5.1f} ms   p99 {pct(first, 99):5.1f} ms; {len(again)} later pages: "
                              f"p50 {pct(again, 50):5.1f} ms   p99 {pct(again, 99):5.1f} ms")
                first = c.get("/api/events", params={"limit": 1}).json()["items"][0]["event_id"]
                print("\nother endpoints (one client):")
                for path in ("/api/events/points", "/api/events/points?country=SY", "/api/events/facets",
                             "/api/events/timeline", f"/api/events/{first}", "/api/events?q=Deir&limit=50"):
                    print(f"  {path:34s} {timed(c, path)}")
        if args.browser:
            print("\n" + browser_load(tmp))


if __name__ == "__main__":
    main()
