"""Scale-out benchmark: throughput of extraction and ingestion on a synthetic multilingual
corpus, inline, on a process pool and on a local dask cluster, with peak memory, and how the
time grows from the smallest corpus size to the larger ones (no timed asserts anywhere).

    python bench/scale.py                              # 10,000 and 100,000 articles (long)
    python bench/scale.py --sizes 1000                 # a quick check
    python bench/scale.py --sizes 10000,100000 --modes extract-1,extract-2,dask,ingest-2 \\
        --modes-large extract-2,ingest-2 [--pg postgresql://user@127.0.0.1/sitrep_bench]

The corpus is made from the bundled sample articles (9 languages): each copy gets other places
from the gazetteer (same kind, same script), another publication date and other small numbers
(days of the month, counts), and is streamed to a temporary JSONL file, never held in memory.

Modes: ``extract-N`` is ``sitrep extract`` on N workers (inline for 1, a process pool above);
``dask`` the same on a local dask cluster of ``--workers`` processes; ``ingest-N`` is
``sitrep ingest`` into a new SQLite file (``pg-N`` into ``--pg``, which should be an empty
database) with N workers. Ingestion runs without syndication detection: by construction
every synthetic article is a near-copy of one of 80 texts, which no news corpus is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.executors import DaskExecutor, Executor, InlineExecutor, PoolExecutor  # noqa: E402
from sitrep.pipeline import ingest, run  # noqa: E402
from sitrep.places.gazetteer import Place, get_gazetteer  # noqa: E402
from sitrep.read import read_paths  # noqa: E402
from sitrep.records import Article  # noqa: E402

SAMPLES = ROOT / "sitrep" / "samples" / "articles"
_SMALL_NUMBER = re.compile(r"(?<![\d.,:/-])\d{1,2}(?![\d.,:/-]\d)")
_YEAR = re.compile(r"(?<!\d)20[12]\d(?!\d)")
FIRST_DAY = dt.date(2023, 1, 1).toordinal()
DAYS = 730


def script(name: str) -> str:
    for ch in name:
        if "\u0600" <= ch <= "\u06ff":
            return "arab"
        if "\u0400" <= ch <= "\u04ff":
            return "cyrl"
    return "latn"


# ---------------------------------------------------------------------------- the corpus

@dataclass
class Template:
    article: Article
    spans: list[tuple[int, int, str, str]]  # place mentions to swap: start, end, kind, script


class Corpus:
    """Synthetic articles from the samples; article ``i`` is always the same text (seeded)."""

    def __init__(self, seed: int = 8) -> None:
        self.seed = seed
        gaz = get_gazetteer()
        self.templates: list[Template] = []
        for a in read_paths([str(SAMPLES)]):
            if not isinstance(a, Article):
                continue
            spans = [(h.start, h.end, h.place.kind, script(h.surface)) for h in gaz.find(a.text)
                     if h.place.kind in ("facility", "town")]
            self.templates.append(Template(a, spans))
        # names that resolve back to their own place, per (kind, script): a swapped name is
        # still found by the extractor, as the place it names
        self.names: dict[tuple[str, str], list[str]] = {}
        towns = [p for p in gaz.places if p.kind == "town" and (p.curated or p.population >= 50_000)]
        for p in [*(p for p in gaz.places if p.kind == "facility"), *towns]:
            for s, name in self._names_of(p, gaz).items():
                self.names.setdefault((p.kind, s), []).append(name)

    @staticmethod
    def _names_of(place: Place, gaz: object) -> dict[str, str]:
        found: dict[str, str] = {}
        for name in [place.name, *place.aliases]:
            s = script(name)
            if s in found or len(name) < 4:
                continue
            hits = gaz.find(name)  # type: ignore[attr-defined]
            if len(hits) == 1 and hits[0].place.id == place.id and hits[0].end - hits[0].start == len(name):
                found[s] = name
        return found

    def article(self, i: int) -> dict[str, str]:
        rng = random.Random(self.seed * 1_000_003 + i)
        t = self.templates[i % len(self.templates)]
        a = t.article
        published = dt.date.fromordinal(FIRST_DAY + rng.randrange(DAYS))
        swap: dict[str, str] = {}
        out: list[str] = []
        pos = 0

        def numbers(seg: str) -> str:
            seg = _YEAR.sub(str(published.year), seg)
            return _SMALL_NUMBER.sub(lambda m: str(rng.randint(1, 28)), seg)

        for start, end, kind, s in t.spans:
            pool = self.names.get((kind, s))
            if start < pos or not pool:
                continue
            surface = a.text[start:end]
            out.append(numbers(a.text[pos:start]))
            out.append(swap.setdefault(surface, rng.choice(pool)))  # one place stays one place
            pos = end
        out.append(numbers(a.text[pos:]))
        row = {"id": f"syn-{i:07d}-{a.id}", "text": "".join(out), "published": published.isoformat()}
        for k in ("language", "outlet", "title"):
            if getattr(a, k):
                row[k] = getattr(a, k)
        return row

    def write(self, n: int, path: Path) -> tuple[float, float]:
        """Stream ``n`` articles to ``path``; returns (seconds, mean KB)."""
        t0 = time.perf_counter()
        size = 0
        with open(path, "w", encoding="utf-8") as fh:
            for i in range(n):
                line = json.dumps(self.article(i), ensure_ascii=False)
                size += len(line.encode("utf-8"))
                fh.write(line + "\n")
        return time.perf_counter() - t0, size / max(1, n) / 1024


# ---------------------------------------------------------------------------- measuring

class PeakMemory:
    """Peak resident memory of this process and of it with all its children (pool or cluster
    workers), sampled every 0.2 s; the sum counts pages the processes share more than once."""

    def __init__(self) -> None:
        self.main = self.total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            import psutil
        except ImportError:  # psutil comes with dask; without it, only this process's peak
            import resource

            self._stop.wait()
            self.main = self.total = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            return
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                main = me.memory_info().rss
                total = main + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                continue
            self.main, self.total = max(self.main, main / 2**20), max(self.total, total / 2**20)
            self._stop.wait(0.2)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Result:
    mode: str
    workers: int
    start_s: float
    seconds: float
    articles: int
    mentions: int
    main_mb: float
    total_mb: float
    digest: str
    note: str = ""

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def make_executor(mode: str, workers: int) -> Executor:
    if mode == "dask":
        return DaskExecutor(workers)
    n = int(mode.rsplit("-", 1)[1])
    return InlineExecutor() if n == 1 else PoolExecutor(n)


def do_extract(path: Path, ex: Executor) -> tuple[int, int, str, str]:
    h = hashlib.sha1()
    n = mentions = 0
    errors: list = []
    for art, res in run([str(path)], errors, executor=ex):
        n += 1
        mentions += len(res.mentions)
        h.update(f"{art.id}:{','.join(str(m.event_id) for m in res.mentions)};".encode())
    return n, mentions, h.hexdigest()[:12], ""


def do_ingest(path: Path, ex: Executor, db: str) -> tuple[int, int, str, str]:
    from sqlalchemy import select

    from sitrep.store import open_store, schema

    e = schema.events
    h = hashlib.sha1()
    with open_store(db) as store:
        report = ingest(read_paths([str(path)]), store, executor=ex)
        # two columns, streamed: loading every event row (summaries and all) would make the
        # bench's own peak memory grow with the corpus, and be counted as the ingest's
        q = select(e.c.event_id, e.c.mention_count).where(e.c.status == "active").order_by(e.c.event_id)
        with store.engine.connect() as conn:
            events = total = squares = largest = 0
            for i, r in enumerate(conn.execution_options(yield_per=1000).execute(q)):
                h.update(f"{';' if i else ''}{r.event_id}:{r.mention_count}".encode())
                events, total = events + 1, total + r.mention_count
                squares, largest = squares + r.mention_count ** 2, max(largest, r.mention_count)
    # how large the events grow with the corpus: a join reads and writes its event whole
    note = (f"{events:,d} events; the average mention is one of {squares / max(total, 1):.1f} in its event, "
            f"the largest event has {largest:,d}")
    return report.articles, report.mentions, h.hexdigest()[:12], note


def measure(mode: str, workers: int, path: Path, tmp: Path, pg: str | None) -> Result:
    t0 = time.perf_counter()
    with PeakMemory() as mem:
        ex = make_executor(mode, workers)
        start = time.perf_counter() - t0
        job: Callable[[], tuple[int, int, str, str]]
        if mode.startswith("extract") or mode == "dask":
            job = lambda: do_extract(path, ex)  # noqa: E731
        elif mode.startswith("ingest"):
            db = tmp / f"{path.stem}-{mode}.db"
            job = lambda: do_ingest(path, ex, str(db))  # noqa: E731
        else:
            job = lambda: do_ingest(path, ex, str(pg))  # noqa: E731
        try:
            n, mentions, digest, note = job()
        finally:
            ex.close()
        seconds = time.perf_counter() - t0
    return Result(mode, ex.workers, start, seconds, n, mentions, mem.main, mem.total, digest, note)


def parse_modes(text: str, pg: str | None) -> list[str]:
    modes = [m.strip() for m in text.split(",") if m.strip()]
    for m in modes:
        if not re.fullmatch(r"(extract|ingest|pg)-\d+|dask", m):
            raise SystemExit(f"unknown mode {m!r}: extract-N, ingest-N, pg-N or dask")
        if m.startswith("pg-") and not pg:
            raise SystemExit(f"mode {m} needs --pg URL")
    return modes


HEADER = (f"{'mode':10s} {'workers':>7s} {'start s':>8s} {'time s':>8s} {'articles/s':>11s} {'mentions':>9s} "
          f"{'peak MB main':>12s} {'+workers':>9s}  digest")


def row(r: Result) -> str:
    return (f"{r.mode:10s} {r.workers:7d} {r.start_s:8.1f} {r.seconds:8.1f} {r.rate:11.1f} {r.mentions:9,d} "
            f"{r.main_mb:12.0f} {r.total_mb:9.0f}  {r.digest}")


def compare(results: list[Result]) -> None:
    """Each parallel extraction against the 1-worker one: rate, and whether the results match."""
    one = next((r for r in results if r.mode == "extract-1"), None)
    for r in results:
        if one and r is not one and (r.mode.startswith("extract") or r.mode == "dask"):
            same = "same results" if r.digest == one.digest and r.mentions == one.mentions else "RESULTS DIFFER"
            print(f"  {r.mode} / extract-1: {r.rate / one.rate:.2f}x the rate ({same})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="corpus sizes, comma-separated")
    ap.add_argument("--modes", default="extract-1,extract-2,dask,ingest-1,ingest-2",
                    help="what to run at the first size")
    ap.add_argument("--modes-large", default="extract-2,ingest-2",
                    help="what to run at the larger sizes (the 1-worker runs take long there)")
    ap.add_argument("--workers", type=int, default=2, help="dask cluster processes")
    ap.add_argument("--pg", help="PostgreSQL URL (an empty database) for the pg-N modes")
    ap.add_argument("--keep", type=Path, help="keep the corpus and databases in this folder")
    args = ap.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    modes = parse_modes(args.modes, args.pg)
    large = parse_modes(args.modes_large, args.pg)
    if args.pg and not any(m.startswith("pg-") for m in modes):
        modes.append("pg-2")
        large.append("pg-2")

    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")
    t0 = time.perf_counter()
    corpus = Corpus()
    print(f"templates: {len(corpus.templates)} sample articles; {sum(len(v) for v in corpus.names.values()):,} "
          f"place names to swap in ({time.perf_counter() - t0:.1f} s)")
    with tempfile.TemporaryDirectory(prefix="sitrep-scale-") as tmpdir:
        tmp = args.keep or Path(tmpdir)
        tmp.mkdir(parents=True, exist_ok=True)
        times: dict[int, dict[str, float]] = {}
        for k, n in enumerate(sizes):
            path = tmp / f"corpus-{n}.jsonl"
            gen_s, kb = corpus.write(n, path)
            print(f"\n{n:,} articles, mean {kb:.1f} KB (generated in {gen_s:.1f} s)\n{HEADER}", flush=True)
            results = []
            for m in modes if k == 0 else large:
                results.append(measure(m, args.workers, path, tmp, args.pg))
                print(row(results[-1]), flush=True)
                if results[-1].note:
                    print(f"  {results[-1].note}", flush=True)
            compare(results)
            times[n] = {r.mode: r.seconds for r in results}
            if not args.keep:
                path.unlink()
        if len(sizes) > 1:
            base = sizes[0]
            for n in sizes[1:]:
                for mode, secs in times[n].items():
                    if mode in times[base]:
                        print(f"{n:,} / {base:,} articles, {mode}: {secs / times[base][mode]:.1f}x the time "
                              f"for {n / base:.0f}x the articles")
    print(f"load average {os.getloadavg()[0]:.2f} at the end (other work on the machine slows every figure)")


if __name__ == "__main__":
    main()
