"""Score the extractor on ../shared/devset by language, with the referee scorer.

    python bench/score_devset.py [LANG ...] [--verbose]

Prints mention F1 and field scores for each language's articles (all languages by default).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.pipeline import run  # noqa: E402

DEV = ROOT.parent / "shared" / "devset"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("langs", nargs="*")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    manifest = [json.loads(line) for line in (DEV / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    langs = args.langs or sorted({m["language"] for m in manifest})
    lines = (DEV / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    records = {json.loads(line)["id"]: line for line in lines}
    gold = [json.loads(line) for line in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    for lang in langs:
        ids = [m["id"] + ".txt" for m in manifest if m["language"] == lang]
        tmp = Path(tempfile.mkdtemp())
        (tmp / "in.jsonl").write_text("\n".join(records[i] for i in ids) + "\n", encoding="utf-8")
        with open(tmp / "gold.jsonl", "w", encoding="utf-8") as fh:
            for g in gold:
                if g["article"] in ids:
                    fh.write(json.dumps(g, ensure_ascii=False) + "\n")
        with open(tmp / "pred.jsonl", "w", encoding="utf-8") as fh:
            for _art, res in run([str(tmp / "in.jsonl")]):
                for m in res.mentions:
                    d = m.to_dict()
                    fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        cmd = [sys.executable, str(DEV.parent / "tools" / "score_events.py"), str(tmp / "gold.jsonl"),
               str(tmp / "pred.jsonl"), "--sites", str(DEV / "sites.json")]
        out = subprocess.run(cmd + (["--verbose"] if args.verbose else []), capture_output=True, text=True).stdout
        print(f"=== {lang} ({len(ids)} articles)")
        print(out)


if __name__ == "__main__":
    main()
