"""PostgreSQL as the store: the same schema through the same migrations, the same results as
SQLite, and concurrent ingesting workers that create no duplicates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from sitrep.pipeline import ingest
from sitrep.read import read_paths
from sitrep.store import Store, open_store, schema

SAMPLES = Path(__file__).resolve().parent.parent / "sitrep" / "samples" / "articles"
ROOT = Path(__file__).resolve().parent.parent


def snapshot(store: Store) -> dict[str, Any]:
    """What a user sees: articles, mentions with their events, events with their values."""
    return {
        "articles": sorted(a["id"] for a in store.articles()),
        "mentions": sorted((m.mention_id, m.event_id, m.event_date, m.location.name) for m in store.mentions()),
        "events": sorted((e["event_id"], e["event_date"], e["location_name"], e["mention_count"],
                          e["independent_sources"]) for e in store.events()),
        "tallies": sorted((t.article, t.count, t.since) for t in store.tallies()),
    }


def test_the_migrated_schema_is_the_declared_one(pg_db: str, tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    for url in (pg_db, str(tmp_path / "m.db")):
        with open_store(url) as store, store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
            assert diff == [], f"schema.py and the migrations differ on {store.engine.dialect.name}: {diff}"


def test_postgres_gives_what_sqlite_gives(pg_db: str, tmp_path: Path) -> None:
    results = []
    for url in (str(tmp_path / "s.db"), pg_db):
        with open_store(url) as store:
            report = ingest(read_paths([str(SAMPLES)]), store)
            assert report.errors == [] and report.new > 50
            again = ingest(read_paths([str(SAMPLES)]), store)
            assert again.unchanged == report.new and again.new == 0
            results.append(snapshot(store))
    assert results[0] == results[1]


def test_concurrent_workers_create_no_duplicates(pg_db: str, tmp_path: Path) -> None:
    # two processes ingest the same corpus at once: every article is stored once, and the
    # events are those of a single run (saves take turns; the order of articles is the same)
    cmd = [sys.executable, "-m", "sitrep.cli", "ingest", str(SAMPLES), "--db", pg_db]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        _out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    with open_store(str(tmp_path / "one.db")) as single:
        ingest(read_paths([str(SAMPLES)]), single)
        expected = snapshot(single)
    with open_store(pg_db) as store:
        got = snapshot(store)
        with store.engine.connect() as conn:
            dupes = conn.execute(text("SELECT count(*) FROM (SELECT mention_id FROM mentions "
                                      "GROUP BY mention_id HAVING count(*) > 1) d")).scalar_one()
    assert dupes == 0
    assert got == expected


def test_a_bad_postgres_url_is_one_clear_error() -> None:
    from sitrep.store import StoreError

    with pytest.raises(StoreError, match="not a usable sitrep database|cannot open"):
        open_store("postgresql://nobody@127.0.0.1:1/none")
