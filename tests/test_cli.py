"""The command line end to end, in a subprocess like a user runs it."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

SAMPLE = ("url: https://example.org/sample/cli\npublished: 2024-01-09\nlanguage: en\noutlet: Test Wire (sample)\n\n"
          "Two drones struck the Conoco gas field in Deir ez-Zor early on Tuesday, local sources said. "
          "No casualties were reported.\n")


def sitrep(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=300)


def test_extract_writes_jsonl_and_reports_bad_files(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "bad.jsonl").write_text('{"id": "x"}\nnot json\n', encoding="utf-8")
    r = sitrep("extract", "in", "-o", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    err = r.stderr.decode()
    assert "empty.txt: empty file" in err
    assert "bad.jsonl:1: record has no 'text' or 'html'" in err and "bad.jsonl:2: not JSON" in err
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["article"] == "good.txt" and row["event_date"] == "2024-01-09"
    assert row["location"]["name"] == "Conoco gas field" and row["injuries"] == 0
    for key in ("event_type", "sub_event_type", "weapons", "actor1", "actor1_status", "actor2", "fatalities",
                "claimed_by", "reported_via", "hedged", "evidence", "language", "published", "event_id"):
        assert key in row
    strict = sitrep("extract", "in", "--strict", "-o", "out2.jsonl", cwd=tmp_path)
    assert strict.returncode == 1


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    r = sitrep("extract", "empty.txt", cwd=tmp_path)
    assert r.returncode == 1 and b"empty file" in r.stderr


def test_stdin(tmp_path: Path) -> None:
    r = sitrep("extract", "-", cwd=tmp_path, stdin=SAMPLE.split("\n\n", 1)[1].encode())
    assert r.returncode == 0
    [row] = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert row["article"] == "stdin"


def test_ingest_is_idempotent_and_replaces_changed_articles(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    r1 = sitrep("ingest", "a.txt", "--db", "t.db", cwd=tmp_path)
    assert r1.returncode == 0 and b"1 new" in r1.stdout
    dump1 = list(sqlite3.connect(tmp_path / "t.db").iterdump())
    r2 = sitrep("ingest", "a.txt", "--db", "t.db", cwd=tmp_path)
    assert b"1 unchanged" in r2.stdout
    assert list(sqlite3.connect(tmp_path / "t.db").iterdump()) == dump1
    f.write_text(SAMPLE.replace("Two drones", "Three drones"), encoding="utf-8")
    r3 = sitrep("ingest", "a.txt", "--db", "t.db", cwd=tmp_path)
    assert b"1 replaced" in r3.stdout
    ev = sitrep("events", "--db", "t.db", "--format", "jsonl", cwd=tmp_path)
    rows = [json.loads(line) for line in ev.stdout.decode().splitlines()]
    assert [w["count"] for w in rows[0]["weapons"]] == [3]


def test_events_filters_and_exports(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SAMPLE, encoding="utf-8")
    assert sitrep("ingest", "a.txt", "--db", "t.db", cwd=tmp_path).returncode == 0
    table = sitrep("events", "--db", "t.db", cwd=tmp_path)
    assert b"Conoco" in table.stdout
    none = sitrep("events", "--db", "t.db", "--country", "IQ", "--format", "jsonl", cwd=tmp_path)
    assert none.stdout.strip() == b""
    some = sitrep("events", "--db", "t.db", "--since", "2024-01-01", "--until", "2024-01-31",
                  "--country", "Syria", "--format", "jsonl", cwd=tmp_path)
    assert len(some.stdout.decode().splitlines()) == 1
    assert sitrep("export", "--format", "acled-csv", "-o", "e.csv", "--db", "t.db", cwd=tmp_path).returncode == 0
    with open(tmp_path / "e.csv", encoding="utf-8") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["event_date"] == "2024-01-09" and row["country"] == "Syria" and row["admin1"] == "Deir ez-Zor"
    assert row["sub_event_type"] == "Air/drone strike" and row["geo_precision"] == "1"
    assert sitrep("export", "--format", "geojson", "-o", "e.geojson", "--db", "t.db", cwd=tmp_path).returncode == 0
    gj = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 1
    lon, lat = gj["features"][0]["geometry"]["coordinates"]
    assert 39 < lon < 42 and 34 < lat < 36


def test_places_command(tmp_path: Path) -> None:
    r = sitrep("places", "Dayr az-Zawr", cwd=tmp_path)
    assert r.returncode == 0 and b"Deir ez-Zor" in r.stdout


def test_demo_runs_on_the_bundled_samples(tmp_path: Path) -> None:
    r = sitrep("demo", "--db", "demo.db", "--out", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert b"sitrep events" in r.stdout
    for name in ("events.csv", "events.geojson", "mentions.jsonl"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    con = sqlite3.connect(tmp_path / "demo.db")
    assert con.execute("select count(*) from articles").fetchone()[0] >= 24
    assert con.execute("select count(*) from mentions").fetchone()[0] >= 20
    assert con.execute("select count(*) from tallies").fetchone()[0] >= 3


def test_eval_scores_the_gold_articles(tmp_path: Path) -> None:
    from sitrep.evaluate import Sites, load_jsonl, score
    from sitrep.pipeline import run

    samples = Path(__file__).resolve().parents[1] / "sitrep" / "samples"
    r = sitrep("eval", str(samples / "gold.jsonl"), "--articles", str(samples / "articles"),
               "--sites", str(samples / "sites.json"), "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout)
    gold = load_jsonl(samples / "gold.jsonl")
    preds = [m.to_dict() for _a, res in run([str(samples / "articles")]) for m in res.mentions]
    expected = score(gold, preds,
                     Sites(json.loads((samples / "sites.json").read_text(encoding="utf-8")))).as_dict()
    assert figures == expected
    assert figures["tp"] > 0 and 0 < figures["f1"] <= 1
