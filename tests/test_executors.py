"""The per-article step on a process pool and on a dask cluster gives exactly what it gives
inline: the same mentions, tallies and event ids in the same order, and a bad article is
reported in its place without touching the others."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import sitrep.executors as executors
from sitrep.cli import app
from sitrep.errors import ExtractError, ReadError
from sitrep.executors import DaskExecutor, Executor, ExecutorError, InlineExecutor, PoolExecutor, get_executor
from sitrep.pipeline import IngestReport, ingest, run
from sitrep.read import read_paths
from sitrep.records import Article
from sitrep.store import open_store

SAMPLES = Path(__file__).resolve().parents[1] / "sitrep" / "samples" / "articles"
GOOD = "Two rockets hit Ain al-Asad air base on March 3, 2024, the Iraqi army said."


@pytest.fixture(scope="module")
def pool() -> Iterator[Executor]:
    with PoolExecutor(workers=2) as ex:
        yield ex


@pytest.fixture(scope="module")
def dask() -> Iterator[Executor]:
    if not executors.dask_available():
        if os.environ.get("CI") == "true":
            pytest.fail("dask[distributed] is not installed under CI: `make install` installs it with the dev extra")
        pytest.skip("dask[distributed] is not installed: pip install 'sitrep[dask]' to run the dask tests")
    with DaskExecutor(workers=2) as ex:
        yield ex


@pytest.fixture(params=["pool", "dask"])
def executor(request: pytest.FixtureRequest) -> Executor:
    return request.getfixturevalue(request.param)


def _extract(paths: list[str], ex: Executor | None) -> tuple[list[Any], list[str]]:
    errors: list[ReadError] = []
    rows = [(art.id, res.document.language, [m.to_dict() for m in res.mentions], [t.to_dict() for t in res.tallies])
            for art, res in run(paths, errors, executor=ex)]
    return rows, [f"{type(e).__name__}: {e}" for e in errors]


def _ingest(tmp: Path, items: list[Article | ReadError], ex: Executor | None) -> tuple[IngestReport, Any]:
    with open_store(tmp / f"{ex.name if ex else 'inline'}.db") as store:
        report = ingest(items, store, executor=ex)
        events = [(r["event_id"], r["mention_count"], r["summary"]["values"]) for r in store.events()]
        mentions = [(m.article, m.mention_id, m.event_id) for m in store.event_mentions()]
        tallies = [t.to_dict() for t in store.tallies()]
    return report, (events, mentions, tallies)


def _counts(r: IngestReport) -> tuple[Any, ...]:
    return r.new, r.replaced, r.unchanged, r.mentions, r.tallies, [str(e) for e in r.errors], r.warnings


@pytest.fixture(scope="module")
def inline_extraction() -> tuple[list[Any], list[str]]:
    return _extract([str(SAMPLES)], None)


def test_extract_matches_inline(executor: Executor, inline_extraction: tuple[list[Any], list[str]]) -> None:
    rows, errors = _extract([str(SAMPLES)], executor)
    assert len(rows) == len(list(SAMPLES.iterdir()))
    assert sum(len(r[2]) for r in rows) > 100 and all(m["event_id"] for r in rows for m in r[2])
    assert (rows, errors) == inline_extraction


def test_ingest_matches_inline(executor: Executor, tmp_path: Path) -> None:
    items = list(read_paths([str(SAMPLES)]))
    want_report, want_store = _ingest(tmp_path, items, None)
    report, stored = _ingest(tmp_path, items, executor)
    assert _counts(report) == _counts(want_report)
    assert stored == want_store and want_store[0]
    with open_store(tmp_path / f"{executor.name}.db") as store:  # a second run finds all unchanged
        again = ingest(items, store, executor=executor)
    assert (again.new, again.unchanged) == (0, len(items))


def _bad_batch(tmp_path: Path) -> Path:
    # line 2 is not JSON (a read error); line 3 reads but breaks extraction in the worker: a
    # lone surrogate, which JSON can carry and UTF-8 cannot encode
    lines = [json.dumps({"id": "good-1", "text": GOOD, "language": "en"}),
             "{not json",
             '{"id": "broken", "text": "Rockets hit Erbil \\ud800 airport on March 4, 2024."}',
             json.dumps({"id": "good-2", "text": GOOD.replace("Ain al-Asad air base", "Erbil airport"),
                         "language": "en"})]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_bad_article_is_reported_in_its_place(executor: Executor, tmp_path: Path) -> None:
    path = _bad_batch(tmp_path)
    rows, errors = _extract([str(path)], executor)
    assert [r[0] for r in rows] == ["good-1", "good-2"]
    assert all(r[2] for r in rows)
    assert errors[0].startswith("ReadError: ") and ":2: not JSON" in errors[0]
    assert errors[1].startswith("ExtractError: ") and "broken" in errors[1] and "UnicodeEncodeError" in errors[1]
    assert (rows, errors) == _extract([str(path)], None)

    items = list(read_paths([str(path)]))
    want_report, want_store = _ingest(tmp_path, items, None)
    report, stored = _ingest(tmp_path, items, executor)
    assert report.new == 2 and len(report.errors) == 2 and isinstance(report.errors[1], ExtractError)
    assert _counts(report) == _counts(want_report) and stored == want_store


def test_one_article_twice_in_a_batch(pool: Executor, tmp_path: Path) -> None:
    # the second copy is sent before the first is saved: it must still count as unchanged,
    # and a version that comes back after a correction must replace it again
    a1 = Article(id="a", text=GOOD, language="en", published="2024-03-03")
    a2 = Article(id="a", text=GOOD.replace("Two rockets", "Three rockets"), language="en", published="2024-03-03")
    b = Article(id="b", text=GOOD.replace("Ain al-Asad air base", "Erbil airport"), language="en")
    items: list[Article | ReadError] = [a1, b, a1, a2, a1, b]
    want_report, want_store = _ingest(tmp_path, items, None)
    assert (want_report.new, want_report.replaced, want_report.unchanged) == (2, 2, 2)
    report, stored = _ingest(tmp_path, items, pool)
    assert _counts(report) == _counts(want_report) and stored == want_store


def test_map_ordered_keeps_order_and_reads_ahead_only_a_window(pool: Executor) -> None:
    pulled = 0

    def numbers() -> Iterator[int]:
        nonlocal pulled
        for i in range(10_000):
            pulled += 1
            yield -i

    results = pool.map_ordered(abs, numbers(), window=2)
    assert next(results) == 0
    assert pulled <= 3 * executors.CHUNK  # two chunks in flight and the one being read
    assert list(results) == list(range(1, 10_000))
    assert list(InlineExecutor().map_ordered(abs, [-3, 2, -1])) == [3, 2, 1]


def test_choosing_an_executor(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(get_executor(), InlineExecutor)
    assert isinstance(get_executor("auto", workers=1), InlineExecutor)
    with pytest.raises(ExecutorError, match="unknown executor 'ray'"):
        get_executor("ray")
    with pytest.raises(ExecutorError, match="at least 1"):
        get_executor("pool", workers=0)
    with pytest.raises(ExecutorError, match="--cluster needs the dask executor"):
        get_executor("pool", cluster="tcp://127.0.0.1:8786")
    monkeypatch.setattr(executors, "_dask", lambda: "No module named 'distributed'")
    with pytest.raises(ExecutorError, match=r"pip install 'sitrep\[dask\]'"):
        get_executor("dask")


def test_cli_workers(tmp_path: Path) -> None:
    runner = CliRunner()
    one = runner.invoke(app, ["extract", str(SAMPLES), "-o", str(tmp_path / "one.jsonl")])
    two = runner.invoke(app, ["extract", str(SAMPLES), "-o", str(tmp_path / "two.jsonl"), "--workers", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    res = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(tmp_path / "s.db"), "--workers", "2"])
    assert res.exit_code == 0 and f"{len(list(SAMPLES.iterdir()))} new" in res.output, res.output
    bad = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(tmp_path / "s.db"), "--executor", "threads"])
    assert bad.exit_code == 2 and "unknown executor" in bad.output


def test_a_corpus_over_the_file_limit_is_streamed_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.read

    monkeypatch.setattr(sitrep.read, "MAX_BYTES", 400)  # the limit is per article in a large JSONL
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": GOOD}) for i in range(5)]
    lines[2] = json.dumps({"id": "huge", "text": "x " * 300})
    path.write_text("\n".join(["{not json", *lines]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 400
    items = list(read_paths([str(path)]))
    assert [getattr(i, "id", None) for i in items] == [None, "a0", "a1", None, "a3", "a4"]
    assert [(e.line, e.message.split(" (")[0]) for e in items if isinstance(e, ReadError)] == [
        (1, "not JSON: Expecting property name enclosed in double quotes"), (4, "line too large")]
