"""Crash safety: `sitrep ingest` killed with SIGKILL at random moments, then run again, leaves
exactly the database a clean run leaves (one transaction per article: SQLite in WAL mode, and
PostgreSQL with its own transactions)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from sitrep.store import open_store, schema

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sitrep" / "samples" / "articles"
# Columns that record when a row was written, not what it says.
CLOCK = {"ingested_at", "created_at", "updated_at", "at", "id", "fetched_at", "checked_at", "first_seen", "last_seen"}
KILLS = int(os.environ.get("SITREP_KILLS", "6"))


def content(db: Path | str) -> dict[str, list[str]]:
    with open_store(db) as store, store.engine.connect() as conn:
        out = {}
        for t in schema.metadata.sorted_tables:
            cols = [c for c in t.c if c.name not in CLOCK]
            rows = conn.execute(select(*cols)).all()
            out[t.name] = sorted(repr(tuple(r)) for r in rows)
        return out


def ingest(db: Path | str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "sitrep.cli", "ingest", str(SAMPLES), "--db", str(db)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def crashed_db(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    if request.param == "sqlite":
        return tmp_path / "crashed.db"
    return request.getfixturevalue("pg_db")


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path, crashed_db: Path | str) -> None:
    clean = tmp_path / "clean.db"
    p = ingest(clean)
    assert p.wait(timeout=300) == 0, p.stderr.read() if p.stderr else ""
    expected = content(clean)
    assert expected["articles"] and expected["events"]

    rnd = random.Random(int(os.environ.get("SITREP_KILL_SEED", "11")))
    killed = 0
    for _ in range(KILLS):
        p = ingest(crashed_db)
        time.sleep(rnd.uniform(0.8, 4.0))  # start-up takes about a second; then articles are written
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait(timeout=60)
    p = ingest(crashed_db)
    assert p.wait(timeout=300) == 0, p.stderr.read() if p.stderr else ""
    assert killed >= 1, "every run finished before the kill: nothing was tested"
    assert content(crashed_db) == expected
