"""The project must not contain the text of the seed or dev-set articles: no tracked file may
repeat runs of eight words from them (tests read ../shared at run time instead)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _shingles(text: str, n: int = 8) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_no_runs_of_article_text_in_the_project(shared: Path) -> None:
    corpus: set[str] = set()
    for f in [*shared.glob("seeds/*.txt"), *shared.glob("devset/articles/*.txt")]:
        corpus |= _shingles(f.read_text(encoding="utf-8", errors="ignore"))
    assert corpus, "no seed or dev-set article found"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    offenders = {}
    for name in tracked.split():
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000 or path.suffix == ".gz":
            continue
        common = _shingles(path.read_text(encoding="utf-8", errors="ignore")) & corpus
        if common:
            offenders[name] = sorted(common)[:3]
    assert not offenders, f"text copied from the articles: {offenders}"
