"""Extraction throughput on one core, as a ratio against a plain read-lowercase-tokenize pass
over the same texts, measured in one run (no timed asserts anywhere: figures are printed).

    python bench/throughput.py [--repeat N] [PATH ...]

Default corpus: the bundled sample articles (and ../shared/seeds when present), each
article processed N times with a distinct id so no cache helps.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.pipeline import process  # noqa: E402
from sitrep.read import read_paths  # noqa: E402
from sitrep.records import Article  # noqa: E402

_TOKEN = re.compile(r"\w+")


def corpus(paths: list[str], repeat: int) -> list[Article]:
    base = [a for a in read_paths(paths) if isinstance(a, Article)]
    return [dataclasses.replace(a, id=f"{a.id}#{i}") for i in range(repeat) for a in base]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    paths = args.paths or [str(ROOT / "sitrep" / "samples" / "articles")]
    seeds = ROOT.parent / "shared" / "seeds"
    if not args.paths and seeds.is_dir():
        paths.append(str(seeds))
    articles = corpus(paths, args.repeat)
    size = sum(len(a.text.encode("utf-8")) for a in articles) / max(1, len(articles))

    process(articles[0])  # load packs, gazetteer and detector once, outside the timing
    t0 = time.perf_counter()
    tokens = sum(len(_TOKEN.findall(a.text.lower())) for a in articles)
    t_base = time.perf_counter() - t0

    t0 = time.perf_counter()
    mentions = sum(len(process(a).mentions) for a in articles)
    t_full = time.perf_counter() - t0

    n = len(articles)
    print(f"corpus: {n} articles, mean {size / 1024:.1f} KB, {tokens} tokens")
    print(f"baseline read-lowercase-tokenize: {n / t_base:,.0f} articles/s")
    print(f"sitrep clean+extract (1 core):   {n / t_full:,.1f} articles/s, {mentions} mentions")
    print(f"ratio (sitrep / baseline time):   {t_full / t_base:,.0f}x slower than tokenizing")


if __name__ == "__main__":
    main()
