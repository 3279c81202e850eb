"""A longer fuzzing run than the test suite's: mutated sample articles through the readers and
the per-article step, and random mentions through the merge.

Mutations: truncation at any byte, byte flips, inserted control and invisible characters,
re-encoding in another codec, duplicated or shuffled paragraphs, absurd numbers and impossible
dates, and HTML with broken tags. A failure is any exception other than a named ``ReadError``
(extraction failures count too: ``safe_process`` turns them into ``ExtractError``). Prints the
inputs tried and the failures found, each with the mutation that caused it.

    python bench/fuzz.py [--cases 5000] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitrep.errors import ExtractError, ReadError  # noqa: E402
from sitrep.pipeline import safe_process  # noqa: E402
from sitrep.read import decode, parse_html, parse_text  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "sitrep" / "samples" / "articles"
INSERTS = ["\x00", "\u200b", "\u202e", "\ufeff", "\r", "\x1b[31m", "<script>", "&amp;", "\U0001f4a5", "٣٠",
           "10 000 000 roquettes", "31 février 2024", "2024-13-45", "hier hier hier", "((((", "\\"]


def mutate(data: bytes, rnd: random.Random) -> tuple[bytes, str]:
    kind = rnd.choice(["truncate", "flip", "insert", "reencode", "shuffle", "repeat", "html"])
    if kind == "truncate":
        return data[:rnd.randrange(len(data) + 1)], kind
    if kind == "flip":
        b = bytearray(data)
        for _ in range(rnd.randint(1, 20)):
            if b:
                b[rnd.randrange(len(b))] = rnd.randrange(256)
        return bytes(b), kind
    text = data.decode("utf-8", errors="replace")
    if kind == "insert":
        for _ in range(rnd.randint(1, 10)):
            i = rnd.randrange(len(text) + 1)
            text = text[:i] + rnd.choice(INSERTS) + text[i:]
        return text.encode("utf-8"), kind
    if kind == "reencode":
        codec = rnd.choice(["utf-16", "cp1252", "latin-1", "cp1256", "koi8-r"])
        return text.encode(codec, errors="replace"), f"{kind}:{codec}"
    paras = text.split("\n\n")
    if kind == "shuffle":
        rnd.shuffle(paras)
        return "\n\n".join(paras).encode("utf-8"), kind
    if kind == "repeat":
        return ("\n\n".join(paras * rnd.randint(2, 6))).encode("utf-8"), kind
    cut = rnd.randrange(len(text) + 1)
    return f"<html><body><p>{text[:cut]}<div><p>{text[cut:]}</table></span>".encode(), kind


def one(data: bytes, name: str, rnd: random.Random) -> str | None:
    """None when the input was handled (a record or a named error), else what went wrong."""
    try:
        text = decode(data, name)
    except ReadError:
        return None
    try:
        art = parse_html(text, name) if rnd.random() < 0.3 else parse_text(text, name)
    except ReadError:
        return None
    result = safe_process(art, today=dt.date(2024, 3, 1))
    if isinstance(result, ExtractError):
        return str(result)
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    seeds = [p.read_bytes() for p in sorted(SAMPLES.iterdir()) if p.is_file()]
    failures: list[str] = []
    t0 = time.perf_counter()
    for i in range(args.cases):
        data, kind = mutate(rnd.choice(seeds), rnd)
        try:
            problem = one(data, f"case{i}", rnd)
        except Exception:  # noqa: BLE001 - a reader that raises anything else is a finding
            problem = traceback.format_exc(limit=3)
        if problem:
            failures.append(f"case {i} ({kind}): {problem}")
    took = time.perf_counter() - t0

    import os

    merge_cases = max(200, args.cases // 10)
    os.environ["SITREP_MERGE_EXAMPLES"] = str(merge_cases)
    import tests.test_events as te

    try:
        te.test_merging_is_order_independent()
    except Exception as exc:  # noqa: BLE001 - hypothesis reports the falsifying example
        failures.append(f"merge order: {exc}")
    print(f"inputs tried: {args.cases:,} mutated articles in {took:.0f} s; "
          f"merge order property: about {merge_cases} cases")
    print(f"failures found: {len(failures)}")
    for f in failures[:20]:
        print("  " + f.replace("\n", "\n    "))


if __name__ == "__main__":
    main()
