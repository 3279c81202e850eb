"""Language identification accuracy on the bundled samples (and the dev set when present):
the whole text, and its first sentence alone (a headline-sized input).

    python bench/langid.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.lang.detect import detect_language  # noqa: E402
from sitrep.read import read_paths  # noqa: E402
from sitrep.records import Article  # noqa: E402


def first_sentence(text: str) -> str:
    body = text.strip().split("\n\n", 1)[-1] if "\n\n" in text.strip() else text.strip()
    # a dateline ("Erbil.", "Sanaa/Dubai.") is no sentence: the first one of four words or more
    parts = re.split(r"(?<=[.!?؟])\s", body)
    return next((p for p in parts if len(p.split()) >= 4), parts[0])[:200]


def score(items: list[tuple[str, str]]) -> tuple[int, int, list[str]]:
    ok, wrong = 0, []
    for lang, text in items:
        got = detect_language(text)
        if got == lang:
            ok += 1
        else:
            wrong.append(f"{lang}->{got}: {text[:60]!r}")
    return ok, len(items), wrong


def main() -> None:
    samples = [a for a in read_paths([str(ROOT / "sitrep" / "samples" / "articles")]) if isinstance(a, Article)]
    pairs = [(a.language, a.text) for a in samples if a.language]
    dev = ROOT.parent / "shared" / "devset" / "manifest.jsonl"
    if dev.exists():
        langs = {json.loads(line)["id"] + ".txt": json.loads(line)["language"]
                 for line in dev.read_text(encoding="utf-8").splitlines()}
        for a in read_paths([str(dev.parent / "articles.jsonl")]):
            if isinstance(a, Article) and a.id in langs:
                pairs.append((langs[a.id], a.text))
    for name, items in (("whole texts", pairs), ("first sentences", [(lang, first_sentence(t)) for lang, t in pairs])):
        ok, n, wrong = score(items)
        print(f"{name}: {ok}/{n} right ({ok / n:.1%})")
        for w in wrong:
            print("   ", w)


if __name__ == "__main__":
    main()
