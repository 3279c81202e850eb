"""The quality gate: the extractor is scored on the referee's gold (../shared) and on the
project's own annotated samples, per language, against floors stored in
tests/quality_floors.json. Floors only go up: raise them with bench/update_floors.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.evaluate import Sites, load_jsonl, score
from sitrep.pipeline import run

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))
SAMPLES = ROOT / "sitrep" / "samples"


def correct_counts(figures: dict) -> dict[str, int]:
    """How many matched mentions got each field right. Counted, not rated: finding one more
    mention must not look like a regression because its claim was missed, while losing a right
    value still does."""
    return {k: round(v * figures["field_counts"][k]) for k, v in figures["fields"].items() if v is not None}


def _check(name: str, figures: dict) -> None:
    floor = FLOORS[name]
    assert figures["f1"] >= floor["f1"], f"{name}: mention F1 {figures['f1']} fell below {floor['f1']}"
    got = correct_counts(figures)
    for field, minimum in floor.get("fields_correct", {}).items():
        assert got.get(field, 0) >= minimum, f"{name}: {field} right {got.get(field, 0)} times, floor {minimum}"
    if "cluster_bcubed_f1" in floor:
        assert figures["cluster_bcubed_f1"] >= floor["cluster_bcubed_f1"]
    if "location_f1" in floor:  # places found, dates aside (our evaluator's figure; the referee has none)
        assert figures["location_f1"] >= floor["location_f1"], \
            f"{name}: location F1 {figures['location_f1']} fell below {floor['location_f1']}"


def _referee(shared: Path, gold: Path, pred: Path, sites: Path) -> dict:
    out = subprocess.run([sys.executable, str(shared / "tools" / "score_events.py"), str(gold), str(pred),
                          "--sites", str(sites), "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _location_f1(gold: Path, pred: Path, sites: Path) -> float:
    """Places found, dates aside: our evaluator's figure, which the referee does not print."""
    table = Sites(json.loads(sites.read_text(encoding="utf-8")))
    return score(load_jsonl(gold), load_jsonl(pred), table).as_dict()["location_f1"]


def _extract_to(paths: list[str], dest: Path) -> None:
    with open(dest, "w", encoding="utf-8") as fh:
        for _art, res in run(paths):
            for m in res.mentions:
                fh.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")


def test_seeds_by_the_referee(shared: Path, tmp_path: Path) -> None:
    pred = tmp_path / "seeds.jsonl"
    r = subprocess.run([sys.executable, "-m", "sitrep.cli", "extract", str(shared / "seeds"), "-o", str(pred)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    figures = _referee(shared, shared / "gold" / "seeds.jsonl", pred, shared / "gold" / "sites.json")
    figures["location_f1"] = _location_f1(shared / "gold" / "seeds.jsonl", pred, shared / "gold" / "sites.json")
    _check("seeds", figures)


def test_devset_by_the_referee(shared: Path, tmp_path: Path) -> None:
    pred = tmp_path / "dev.jsonl"
    _extract_to([str(shared / "devset" / "articles.jsonl")], pred)
    figures = _referee(shared, shared / "devset" / "gold.jsonl", pred, shared / "devset" / "sites.json")
    figures["location_f1"] = _location_f1(shared / "devset" / "gold.jsonl", pred, shared / "devset" / "sites.json")
    _check("devset", figures)


def test_own_evaluator_agrees_with_the_referee(shared: Path, tmp_path: Path) -> None:
    pred = tmp_path / "samples.jsonl"
    _extract_to([str(SAMPLES / "articles")], pred)
    referee = _referee(shared, SAMPLES / "gold.jsonl", pred, SAMPLES / "sites.json")
    ours = score(load_jsonl(SAMPLES / "gold.jsonl"), load_jsonl(pred),
                 Sites(json.loads((SAMPLES / "sites.json").read_text(encoding="utf-8")))).as_dict()
    for key in ("tp", "fp", "fn", "f1", "fields", "cluster_bcubed_f1"):
        assert ours[key] == referee[key], key


SAMPLE_LANGS = sorted({p.name.split("_")[0] for p in (SAMPLES / "articles").iterdir()})


def test_every_sample_language_has_a_floor() -> None:
    assert SAMPLE_LANGS and all(f"samples_{lang}" in FLOORS for lang in SAMPLE_LANGS)


@pytest.mark.parametrize("lang", SAMPLE_LANGS)
def test_own_samples_per_language(lang: str) -> None:
    gold = [g for g in load_jsonl(SAMPLES / "gold.jsonl") if g["article"].startswith(f"{lang}_")]
    files = sorted(str(p) for p in (SAMPLES / "articles").glob(f"{lang}_*"))
    preds = [m.to_dict() for _art, res in run(files) for m in res.mentions]
    sites = Sites(json.loads((SAMPLES / "sites.json").read_text(encoding="utf-8")))
    _check(f"samples_{lang}", score(gold, preds, sites).as_dict())
