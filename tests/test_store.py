"""Storage stage: saving per article, atomicity, filters and exact round trips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sitrep.records import (
    Article,
    Document,
    Evidence,
    Extraction,
    Location,
    Mention,
    Tally,
    Weapon,
)
from sitrep.store import Store, StoreError, open_store, schema
from sitrep.store.db import Store as StoreImpl


def make_article(aid: str, text: str = "Rockets hit the field.", **kw: Any) -> Article:
    defaults = {"outlet": "Al Mayadeen", "published": "2024-01-08", "language": "ar"}
    return Article(id=aid, text=text, **{**defaults, **kw})


def make_mention(aid: str, n: int, **kw: Any) -> Mention:
    base: dict[str, Any] = {
        "article": aid,
        "mention_id": f"{aid}-m{n}",
        "event_id": f"ev-{aid}-{n}",
        "event_date": "2024-01-08",
        "date_precision": "day",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "location": Location(
            name="al-Omar oil field",
            admin1="Deir ez-Zor",
            country_code="SY",
            latitude=35.0532,
            longitude=40.4569,
            geo_precision=1,
            place_id="gn:123",
            kind="facility",
        ),
        "sentence_start": n * 100,
        "sentence_end": n * 100 + 50,
        "language": "ar",
        "outlet": "Al Mayadeen",
        "published": "2024-01-08",
    }
    base.update(kw)
    return Mention(**base)


def make_extraction(
    article: Article, mentions: list[Mention], tallies: list[Tally] | None = None
) -> Extraction:
    doc = Document(
        article=article, text=article.text, language=article.language or "en"
    )
    return Extraction(document=doc, mentions=mentions, tallies=tallies or [])


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a fixed order, for before/after comparisons."""
    out = {}
    with store.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            rows = conn.execute(
                select(table).order_by(*table.primary_key.columns)
            ).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "sitrep.db") as s:
        yield s


def test_save_new_and_counts(store: Store) -> None:
    a = make_article("a1")
    ms = [make_mention("a1", 0), make_mention("a1", 1, event_id="ev-shared")]
    t = Tally(
        "a1",
        66,
        "attacks",
        since="2023-10-17",
        scope=["SY", "IQ"],
        evidence=Evidence("66 attacks", 3, 13),
    )
    assert store.save(a, make_extraction(a, ms, [t])) == "new"
    assert store.counts() == {"articles": 1, "mentions": 2, "events": 2, "tallies": 1}
    assert store.has_article("a1", a.content_hash)
    assert not store.has_article("a1", "0" * 64)
    assert not store.has_article("nope", a.content_hash)
    assert store.tallies() == [t]
    rows = store.articles()
    assert [r["id"] for r in rows] == ["a1"]
    assert rows[0]["status"] == "ok" and rows[0]["content_hash"] == a.content_hash
    assert "text" not in rows[0]
    assert store.articles(with_text=True)[0]["text"] == a.text


def test_events_count_distinct_ids_and_loose_mentions(store: Store) -> None:
    a, b = make_article("a1"), make_article("b1", text="other")
    store.save(
        a,
        make_extraction(
            a,
            [make_mention("a1", 0, event_id="E"), make_mention("a1", 1, event_id=None)],
        ),
    )
    store.save(b, make_extraction(b, [make_mention("b1", 0, event_id="E")]))
    assert store.counts()["events"] == 2


def test_save_same_again_is_unchanged(store: Store) -> None:
    a = make_article("a1")
    ex = make_extraction(a, [make_mention("a1", 0)], [Tally("a1", 3, "strikes")])
    store.save(a, ex)
    before = dump(store)
    # Even different extraction output must not be written when the content is the same.
    assert store.save(a, make_extraction(a, [])) == "unchanged"
    assert dump(store) == before


def test_changed_content_replaces(store: Store) -> None:
    a = make_article("a1")
    store.save(
        a,
        make_extraction(
            a,
            [make_mention("a1", 0), make_mention("a1", 1)],
            [Tally("a1", 3, "strikes")],
        ),
    )
    a2 = make_article("a1", text="Updated: drones hit the field.")
    new = make_mention("a1", 5, event_type="Battles", sub_event_type="Armed clash")
    assert store.save(a2, make_extraction(a2, [new])) == "replaced"
    assert store.mentions() == [new]
    assert store.tallies() == []
    assert store.counts() == {"articles": 1, "mentions": 1, "events": 1, "tallies": 0}
    assert store.has_article("a1", a2.content_hash)
    assert not store.has_article("a1", a.content_hash)


def test_interrupted_save_leaves_db_as_before(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = make_article("a1")
    store.save(a, make_extraction(a, [make_mention("a1", 0)]))
    b_old = make_article("b1", text="first version")
    store.save(
        b_old,
        make_extraction(
            b_old, [make_mention("b1", 0), make_mention("b1", 1)], [Tally("b1", 2, "x")]
        ),
    )
    before = dump(store)
    old_ids = [m.event_id for m in store.mentions() if m.article == "b1"]

    real = StoreImpl._insert_mention
    calls = {"n": 0}

    def flaky(self: Store, conn: Any, row: dict[str, Any]) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed midway")
        real(self, conn, row)

    monkeypatch.setattr(StoreImpl, "_insert_mention", flaky)
    b_new = make_article("b1", text="second version")
    ms = [make_mention("b1", i, event_id=f"new-{i}") for i in range(3)]
    with pytest.raises(RuntimeError, match="midway"):
        store.save(b_new, make_extraction(b_new, ms))
    # It did fail after one mention of the new version was written.
    assert calls["n"] == 2
    assert dump(store) == before
    assert store.has_article("b1", b_old.content_hash)

    # A brand-new article interrupted the same way leaves no trace at all.
    calls["n"] = 0
    c = make_article("c1")
    with pytest.raises(RuntimeError):
        store.save(c, make_extraction(c, [make_mention("c1", i) for i in range(3)]))
    assert dump(store) == before

    # And the store is still usable afterwards.
    monkeypatch.setattr(StoreImpl, "_insert_mention", real)
    assert store.save(b_new, make_extraction(b_new, ms)) == "replaced"
    # The corrected version keeps the events of the mentions it corrects; the merge, not
    # the caller, gives ids, and an article's own mentions stay distinct events.
    new_ids = [m.event_id for m in store.mentions() if m.article == "b1"]
    assert new_ids[:2] == old_ids and len(set(new_ids)) == 3


def test_duplicate_mention_id_is_a_store_error(store: Store) -> None:
    a, b = make_article("a1"), make_article("b1", text="b")
    store.save(a, make_extraction(a, [make_mention("a1", 0, mention_id="same")]))
    before = dump(store)
    with pytest.raises(StoreError, match="b1"):
        store.save(b, make_extraction(b, [make_mention("b1", 0, mention_id="same")]))
    assert dump(store) == before


def test_mention_of_another_article_is_refused(store: Store) -> None:
    a = make_article("a1")
    with pytest.raises(StoreError):
        store.save(a, make_extraction(a, [make_mention("zz", 0)]))
    assert store.counts()["articles"] == 0


def test_missing_mention_id_gets_a_stable_one(store: Store) -> None:
    a = make_article("a1")
    store.save(a, make_extraction(a, [make_mention("a1", 0, mention_id=None)]))
    assert [m.mention_id for m in store.mentions()] == ["a1#0"]


def test_save_without_extraction_records_status(store: Store) -> None:
    a = make_article("x1", language="ku")
    assert store.save(a, None, status="unsupported_language") == "new"
    (row,) = store.articles()
    assert row["status"] == "unsupported_language" and row["language"] == "ku"
    assert store.counts()["mentions"] == 0


@pytest.fixture
def filled(store: Store) -> Store:
    a = make_article("a1")
    b = make_article("b1", text="b")
    iq = Location(
        name="Ain al-Asad",
        admin1="Al Anbar",
        country_code="IQ",
        latitude=33.8,
        longitude=42.44,
    )
    store.save(
        a,
        make_extraction(
            a,
            [
                make_mention("a1", 0, event_date="2024-01-08"),
                make_mention("a1", 1, event_date=None, date_precision=None),
                make_mention("a1", 2, event_date="2024-02-01", location=iq),
            ],
        ),
    )
    store.save(
        b,
        make_extraction(
            b,
            [
                make_mention("b1", 1, event_date="2024-01-08"),
                # Earlier sentence, listed later.
                make_mention("b1", 0, event_date="2024-01-08"),
                make_mention("b1", 2, event_date="2023-12-31", location=iq),
            ],
        ),
    )
    return store


def ids(ms: list[Mention]) -> list[str | None]:
    return [m.mention_id for m in ms]


def test_order_date_nulls_last_then_article_then_sentence(filled: Store) -> None:
    assert ids(filled.mentions()) == [
        "b1-m2",
        "a1-m0",
        "b1-m0",
        "b1-m1",
        "a1-m2",
        "a1-m1",
    ]


def test_since_until_inclusive_and_null_dates_excluded(filled: Store) -> None:
    assert ids(filled.mentions(since="2024-01-08")) == [
        "a1-m0",
        "b1-m0",
        "b1-m1",
        "a1-m2",
    ]
    assert ids(filled.mentions(until="2024-01-08")) == [
        "b1-m2",
        "a1-m0",
        "b1-m0",
        "b1-m1",
    ]
    assert ids(filled.mentions(since="2024-01-08", until="2024-01-08")) == [
        "a1-m0",
        "b1-m0",
        "b1-m1",
    ]
    # Month and year bounds cover the whole period.
    assert ids(filled.mentions(since="2024-01", until="2024-01")) == [
        "a1-m0",
        "b1-m0",
        "b1-m1",
    ]
    assert ids(filled.mentions(until="2023")) == ["b1-m2"]
    with pytest.raises(StoreError):
        filled.mentions(since="08/01/2024")


def test_iter_mentions_streams_everything(filled: Store) -> None:
    streamed = list(filled.iter_mentions())
    assert sorted(ids(streamed)) == sorted(ids(filled.mentions()))
    assert {m.mention_id: m for m in streamed} == {
        m.mention_id: m for m in filled.mentions()
    }


def test_country_filter_by_code_or_name(filled: Store) -> None:
    iq = ["b1-m2", "a1-m2"]
    assert ids(filled.mentions(country="IQ")) == iq
    assert ids(filled.mentions(country="iq")) == iq
    assert ids(filled.mentions(country="Iraq")) == iq
    assert ids(filled.mentions(country="IRAQ")) == iq
    assert ids(filled.mentions(country="syria")) == ["a1-m0", "b1-m0", "b1-m1", "a1-m1"]
    assert ids(filled.mentions(since="2024-01-01", country="Iraq")) == ["a1-m2"]
    with pytest.raises(StoreError, match="unknown country"):
        filled.mentions(country="Atlantis")


def test_round_trip_every_field(store: Store) -> None:
    a = make_article("a1")
    full = Mention(
        article="a1",
        event_date="2024-01-08",
        date_precision="week",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        location=Location(
            "قاعدة عين الأسد",
            "الأنبار",
            "IQ",
            33.80012345678901,
            42.441234567890123,
            2,
            "gn:99",
            "facility",
        ),
        weapons=[Weapon("rocket", 30), Weapon("drone", None)],
        actor1="Islamic Resistance in Iraq",
        actor1_status="claimed",
        actor2="US forces",
        target="Ain al-Asad base",
        fatalities=0,
        injuries=4,
        claimed_by="Islamic Resistance in Iraq",
        reported_via=["Telegram", "Al Mayadeen"],
        hedged=True,
        evidence={
            "date": Evidence("يوم الإثنين", 10, 21, note="weekday resolved"),
            "weapons": Evidence("30 صاروخاً", 30, 40),
            "free": Evidence("no offsets"),
        },
        language="ar",
        published="2024-01-09T08:30:00+03:00",
        outlet="Al Mayadeen",
        event_id="ev-1",
        mention_id="a1-full",
        sentence_start=0,
        sentence_end=120,
    )
    bare = Mention(article="a1", mention_id="a1-bare")  # every optional field empty
    store.save(a, make_extraction(a, [full, bare]))
    # Reopen so nothing can come from a cache.
    url = str(store.engine.url)
    store.close()
    with open_store(url) as again:
        loaded = again.mentions()
    assert loaded == [full, bare]
    assert [Mention.from_dict(m.to_dict()) for m in loaded] == [full, bare]
    assert loaded[0].to_dict() == full.to_dict()
    assert loaded[0].fatalities == 0 and loaded[1].fatalities is None


def test_wal_and_pragmas(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_schema_version_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    a = make_article("a1")
    with open_store(path) as s:
        assert s.schema_version == schema.SCHEMA_VERSION
        s.save(a, make_extraction(a, [make_mention("a1", 0)]))
    with open_store(str(path)) as s:
        assert s.counts()["mentions"] == 1


def test_default_path_is_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store(None):
        pass
    assert (tmp_path / "sitrep.db").is_file()


def test_directory_path_is_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path)


def test_not_a_database_is_store_error(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("just some text, not SQLite at all\n" * 20)
    with pytest.raises(StoreError, match="not a usable sitrep database"):
        open_store(junk)


def test_foreign_sqlite_db_is_store_error(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a sitrep database"):
        open_store(path)


def test_newer_schema_is_store_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as s, s.engine.begin() as conn:
        conn.execute(schema.meta.update().values(value=str(schema.SCHEMA_VERSION + 1)))
    with pytest.raises(StoreError, match="newer"):
        open_store(path)


def test_sqlalchemy_url(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'u.db'}") as s:
        assert s.counts()["articles"] == 0
    assert (tmp_path / "u.db").is_file()


def test_an_older_migration_is_brought_up_to_date(tmp_path: Path) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine, inspect

    from sitrep.store.db import _alembic_config

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002")  # a database as the first migration left it
    engine.dispose()
    with open_store(path) as s, s.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0006"
        assert {"ix_events_seq", "ix_events_blocks"} <= {i["name"] for i in inspect(conn).get_indexes("events")}
        assert {"event_aggregates", "event_sources"} <= set(inspect(conn).get_table_names())


def test_the_blocks_migration_files_existing_events(tmp_path: Path) -> None:
    """A store made before the block columns: upgrading files its events as a save would."""
    from alembic import command

    from sitrep.store.db import _alembic_config

    path = tmp_path / "blocks.db"
    with open_store(path) as s:
        art = make_article("a")
        prov = Location(name="Deir ez-Zor", admin1="Deir ez-Zor", country_code="SY", kind="admin1")
        s.save(art, make_extraction(art, [make_mention("a", 0), make_mention("a", 1, location=prov)]))
        with s.engine.connect() as conn:
            before = conn.execute(select(schema.events.c.event_id, schema.events.c.block, schema.events.c.block_kind,
                                         schema.events.c.block_area).order_by(schema.events.c.event_id)).all()
        with s.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0004")
    with open_store(path) as s, s.engine.connect() as conn:
        after = conn.execute(select(schema.events.c.event_id, schema.events.c.block, schema.events.c.block_kind,
                                    schema.events.c.block_area).order_by(schema.events.c.event_id)).all()
    assert after == before
    assert [r.block for r in after] == [None, "c:140:162"] and [r.block_area for r in after] == ["Deir ez-Zor"] * 2


def test_the_sources_migration_keeps_every_summary_whole(tmp_path: Path) -> None:
    """A store from before the source rows (sources inside each event's summary): upgrading
    moves them to rows without changing what a reader sees, and later saves write what they
    write in a store that never had the old form."""
    from alembic import command

    from sitrep.pipeline import ingest
    from sitrep.read import read_paths
    from sitrep.store.db import _alembic_config

    items = list(read_paths([str(Path(__file__).resolve().parents[1] / "sitrep" / "samples" / "articles")]))
    first, rest = items[: len(items) // 2], items[len(items) // 2:]
    with open_store(tmp_path / "old.db") as s:
        ingest(first, s)
        seen = s.events()
        with s.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0005")
        with s.engine.connect() as conn:
            e = schema.events
            old = {r.event_id: r.summary for r in conn.execute(select(e.c.event_id, e.c.summary))}
    assert any(len(e["summary"]["sources"]) > 1 and e["summary"]["disagreements"] for e in seen)
    assert {e["event_id"]: e["summary"] for e in seen} == old  # the old form: sources in the row
    with open_store(tmp_path / "old.db") as s:
        assert s.events() == seen
        ingest(rest, s)
        upgraded = _event_tables(s)
    with open_store(tmp_path / "new.db") as s:
        ingest(first, s)
        ingest(rest, s)
        fresh = _event_tables(s)
    for table in ("events", "event_sources", "event_log"):
        assert upgraded[table] == fresh[table], table
    # the upgrade drops the aggregates (the old form): an event's next change rebuilds its own
    assert upgraded["event_aggregates"] and all(r in fresh["event_aggregates"] for r in upgraded["event_aggregates"])


def _event_tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The event tables without the times rows were written at."""
    out = {}
    with store.engine.connect() as conn:
        for table in (schema.events, schema.event_sources, schema.event_log, schema.event_aggregates):
            cols = [c for c in table.c if c.name not in ("created_at", "updated_at", "at")]
            out[table.name] = [tuple(r) for r in conn.execute(select(*cols).order_by(*table.primary_key.columns))]
    return out
