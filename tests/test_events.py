"""Events: the cross-article merge, summaries, the store's incremental merge and change log,
and tallies against events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sitrep.events.merge import Merger, merge, times_conflict
from sitrep.events.summary import origin_of, party_of, summarize
from sitrep.events.tallies import reconcile
from sitrep.pipeline import process, run
from sitrep.records import Article, Document, Evidence, Extraction, Location, Mention, Tally, Weapon
from sitrep.store import Store, open_store, schema

ASAD = Location(name="Ain al-Asad air base", admin1="Al Anbar", country_code="IQ", latitude=33.7856,
                longitude=42.4412, geo_precision=1, place_id="ain-al-asad", kind="facility")
HARIR = Location(name="Harir air base", admin1="Erbil", country_code="IQ", latitude=36.53, longitude=44.35,
                 geo_precision=1, place_id="harir", kind="facility")
BAGHDADI = Location(name="al-Baghdadi", admin1="Al Anbar", country_code="IQ", latitude=33.87, longitude=42.52,
                    geo_precision=1, place_id="gn:baghdadi", kind="town")
ANBAR = Location(name="Al Anbar", admin1="Al Anbar", country_code="IQ", latitude=33.0, longitude=42.0,
                 geo_precision=3, place_id="a1:anbar", kind="admin1")
IRAQ = Location(name="Iraq", country_code="IQ", kind="country", place_id="c:IQ")


def m(article: str, n: int = 0, **kw: Any) -> Mention:
    base: dict[str, Any] = {
        "article": article, "mention_id": f"{article}#{n}", "event_date": "2024-01-24", "date_precision": "day",
        "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
        "location": ASAD, "published": "2024-01-25", "outlet": f"outlet of {article}", "language": "en",
        "sentence_start": n * 100, "sentence_end": n * 100 + 60,
    }
    base.update(kw)
    return Mention(**base)


def ids(ms: list[Mention]) -> list[str | None]:
    return [x.event_id for x in ms]


# ---------------------------------------------------------------- merge rules


def test_same_site_same_day_in_three_articles_is_one_event() -> None:
    ms = merge([m("en"), m("ar", language="ar"), m("fr", language="fr")])
    assert len(set(ids(ms))) == 1


def test_different_day_or_base_or_type_stays_apart() -> None:
    ms = merge([m("a"), m("b", event_date="2024-01-23"), m("c", location=HARIR),
                m("d", event_type="Battles", sub_event_type="Armed clash")])
    assert len(set(ids(ms))) == 4


def test_two_same_day_attacks_on_one_base_at_different_times_stay_two() -> None:
    ms = merge([m("a", time_of_day="morning"), m("b", time_of_day="evening"), m("c", time_of_day="06:45"),
                m("d", time_of_day="21:00"), m("e", time_of_day="night")])
    morning, evening, clock_morning, clock_evening, night = ids(ms)
    assert morning != evening
    assert clock_morning == morning and clock_evening == evening
    assert night == evening  # neighbouring parts of the day may be one attack told two ways


def test_times_of_day_conflict_only_when_clearly_apart() -> None:
    assert times_conflict("morning", "evening") and times_conflict("afternoon", "night")
    assert times_conflict("07:00", "22:30") and times_conflict("06:45", "evening")
    assert not times_conflict("morning", "night") and not times_conflict("evening", "night")
    assert not times_conflict("21:30", "night") and not times_conflict("10:00", "11:30")
    assert not times_conflict(None, "night") and not times_conflict("morning", "morning")
    # night starts at dark: a 19:45 strike is "last night" to many a report, a 17:30 one is not
    assert not times_conflict("19:45", "night") and times_conflict("17:30", "night")


def test_a_strike_at_nightfall_joins_the_night_reports_of_it() -> None:
    ms = merge([m("a", time_of_day="19:45"), m("b", time_of_day="night"), m("c", time_of_day="16:30"),
                m("d", time_of_day="afternoon")])
    a, b, c, d = ids(ms)
    assert a == b and c != a and d == c


UNDATED = {"event_date": None, "date_precision": None, "published": None}


def test_an_undated_report_joins_the_event_that_gives_its_clock_minute() -> None:
    ms = merge([m("a", location=BAGHDADI, time_of_day="14:25"),
                m("b", location=BAGHDADI, time_of_day="14:25", **UNDATED),
                m("c", location=BAGHDADI, event_date="2024-01-20", time_of_day="21:00"),
                m("d", location=BAGHDADI, time_of_day="21:00", **UNDATED),
                m("e", location=ASAD, time_of_day="14:25", **UNDATED),
                m("f", location=BAGHDADI, event_date="2024-01-10", time_of_day="14:25")])
    a, b, c, d, e, f = ids(ms)
    assert a == b  # the same odd minute at the same town: the one statement both quote
    assert d != c  # a round hour is an estimate: it says nothing of which day
    assert e != a  # another site
    assert f != a  # a mark never joins two reports their dates tell apart


def on_weekday(article: str, word: str, **kw: Any) -> Mention:
    """An undated report whose only word of when is a weekday ("on Friday", no publication date)."""
    return m(article, **UNDATED, evidence={"event_date": Evidence(word, 10, 10 + len(word))}, **kw)


def test_undated_reports_of_other_weekdays_are_other_attacks() -> None:
    ms = merge([on_weekday("a", "Friday"), on_weekday("b", "Wednesday"), on_weekday("c", "Friday"),
                m("d", **UNDATED), on_weekday("e", "Monday", location=BAGHDADI, time_of_day="14:25"),
                m("f", location=BAGHDADI, time_of_day="14:25"),  # 2024-01-24: a Wednesday
                on_weekday("g", "Wednesday", location=BAGHDADI, time_of_day="14:25")])
    a, b, c, d, e, f, g = ids(ms)
    assert a == c and b != a  # Friday and Wednesday at one base: two attacks
    assert d in (a, b)  # a report with no weekday may be either
    assert f == g and e != f  # a shared minute joins the dated event only on the weekday told


def copy_of(article: str, *, spread: bool, shift: int = 0, **kw: Any) -> Mention:
    """A report whose details are told in one sentence, or spread over two, in the same words;
    ``shift`` moves them in the text (a copy under another headline)."""
    at = {"event": (0, 62), "weapons.drone": (120, 130) if spread else (8, 18),
          "actor1": (140, 154) if spread else (0, 14)}
    words = {"event": "Drones struck a post of the SDF near the town, a monitor said",
             "weapons.drone": "two drones", "actor1": "Turkish drones"}
    ev = {k: Evidence(words[k], a + shift, b + shift) for k, (a, b) in at.items()}
    if kw.get("event_date"):
        ev["event_date"] = Evidence("on Wednesday", 70 + shift, 82 + shift)
    return m(article, location=BAGHDADI, evidence=ev, **kw)


def test_an_undated_copy_of_an_article_joins_the_event_of_the_original() -> None:
    ms = merge([copy_of("a", spread=True), copy_of("b", spread=True, shift=40, **UNDATED),
                copy_of("c", spread=False, event_date="2024-01-20"), copy_of("d", spread=False, **UNDATED)])
    a, b, c, d = ids(ms)
    assert a == b
    assert d != c  # a stock sentence recurs with every attack: it is not a copy of one article


def test_month_precision_report_joins_the_day_event() -> None:
    ms = merge([m("a"), m("b", event_date="2024-01-15", date_precision="month")])
    assert ids(ms)[0] == ids(ms)[1]
    (ev,) = summarize(ms)
    assert (ev.event_date, ev.date_precision) == ("2024-01-24", "day")


def test_coarser_place_in_the_same_province_joins_a_nearby_town_too() -> None:
    ms = merge([m("a"), m("b", location=ANBAR), m("c", location=BAGHDADI), m("d", location=IRAQ)])
    assert len(set(ids(ms))) == 1


def test_an_article_never_merges_its_own_mentions() -> None:
    ms = merge([m("a", 0), m("a", 1, weapons=[Weapon("drone", 2)])])
    assert ids(ms)[0] != ids(ms)[1]


def test_undated_reports_join_only_at_the_same_facility() -> None:
    undated = {"event_date": None, "date_precision": None, "published": None}
    ms = merge([m("a", **undated), m("b", **undated), m("c", **undated, location=BAGHDADI),
                m("d", **undated, location=BAGHDADI), m("e")])
    a, b, c, d, e = ids(ms)
    assert a == b and c != d and e != a


def test_ids_are_stable_across_runs_and_orders_of_the_rest() -> None:
    first = ids(merge([m("a"), m("b"), m("c", event_date="2024-01-20")]))
    again = ids(merge([m("a"), m("b"), m("c", event_date="2024-01-20")]))
    assert first == again
    assert ids(merge([m("c", event_date="2024-01-20"), m("a")])) == [first[2], first[0]]


def test_merger_scales_by_blocks_not_by_events() -> None:
    merger = Merger()
    for day in range(1, 29):
        merger.add([m(f"x{day}", event_date=f"2024-02-{day:02d}")])
    probe = m("p", event_date="2024-02-10")
    from sitrep.events.merge import interval

    assert len(merger.candidates(probe, interval(probe))) == 1


# ---------------------------------------------------------------- summaries and sources


def test_disagreements_and_how_values_were_chosen() -> None:
    ms = [m("a", weapons=[Weapon("rocket", 2)], fatalities=0, published="2024-01-24"),
          m("b", weapons=[Weapon("rocket", 30)], injuries=None, published="2024-01-25",
            evidence={"injuries": Evidence("several wounded")}),
          m("c", weapons=[Weapon("rocket", 2), Weapon("drone", 1)], published="2024-01-26")]
    (ev,) = summarize(merge(ms))
    assert [(w.type, w.count) for w in ev.weapons] == [("rocket", 2), ("drone", 1)]
    assert {r["value"] for r in ev.disagreements["weapons.rocket"]} == {2, 30}
    rows = {r["value"]: r for r in ev.disagreements["weapons.rocket"]}
    assert rows[2]["articles"] == ["a", "c"] and rows[30]["articles"] == ["b"]
    # "no casualties" against "several wounded": unknown is a value of its own, not zero
    assert ev.fatalities == 0 and "injuries" not in ev.disagreements
    assert ev.injuries is None
    assert "most sources" in ev.chosen["weapons"] and ev.chosen["event_date"].startswith("most precise")


def test_independent_sources_and_party_flags() -> None:
    ms = [m("a", outlet="Daily A", reported_via=["Reuters", "local sources"]),
          m("b", outlet="Daily B", reported_via=["Reuters"]),
          m("c", outlet="Al Mayadeen (sample)", reported_via=["local sources"]),
          m("d", outlet="Daily D", reported_via=["CENTCOM"])]
    (ev,) = summarize(merge(ms), articles={})
    assert ev.source_count == 4 and ev.independent_sources == 3  # a and b both rely on Reuters
    parties = {s.article: s.party for s in ev.source_list}
    assert parties == {"a": None, "b": None, "c": "Axis of Resistance", "d": "United States"}
    assert party_of("al-mayadeen") is not None and party_of("Reuters") is None
    assert origin_of("X", ["witnesses", "Telegram"], "x.txt") == "X"


def test_a_syndicated_copy_is_not_an_independent_source() -> None:
    ms = [m("orig", outlet="Wire One"), m("copy", outlet="Portal Two")]
    (ev,) = summarize(merge(ms), articles={"copy": {"duplicate_of": "orig"}})
    assert ev.source_count == 2 and ev.independent_sources == 1


# ---------------------------------------------------------------- the store, incrementally


def article(aid: str, text: str = "body", published: str = "2024-01-25") -> Article:
    return Article(id=aid, text=text, language="en", published=published, outlet=f"outlet of {aid}")


def save(store: Store, art: Article, *ms: Mention, tallies: list[Tally] | None = None) -> str:
    doc = Document(article=art, text=art.text, language="en")
    return store.save(art, Extraction(document=doc, mentions=list(ms), tallies=tallies or []))


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "ev.db") as st:
        yield st


def log(store: Store, event_id: str) -> list[tuple[str, str | None, Any, Any]]:
    found = store.event(event_id)
    assert found is not None
    return [(e["action"], e["field"], e["old"], e["new"]) for e in found["log"]]


def test_ingest_merges_incrementally_and_logs_each_source(store: Store) -> None:
    save(store, article("a"), m("a", fatalities=None, weapons=[Weapon("rocket", 2)]))
    save(store, article("b"), m("b", fatalities=1, weapons=[Weapon("rocket", 30)]))
    (row,) = store.events()
    assert row["mention_count"] == 2 and row["source_count"] == 2
    entries = log(store, row["event_id"])
    assert entries[0][0] == "created"
    assert ("source", None, None) == entries[1][:3] and entries[1][3]["article"] == "b"
    assert ("changed", "fatalities", None, 1) in entries
    assert row["summary"]["disagreements"]["weapons.rocket"]


def test_reingest_that_changes_nothing_changes_nothing(store: Store) -> None:
    save(store, article("a"), m("a"))
    save(store, article("b"), m("b"))
    def dump() -> dict[str, list[tuple[Any, ...]]]:
        with store.engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                    for t in schema.metadata.sorted_tables}

    before = dump()
    assert save(store, article("a"), m("a")) == "unchanged"
    assert save(store, article("b"), m("b")) == "unchanged"
    assert dump() == before


def test_a_correction_supersedes_but_never_erases(store: Store) -> None:
    save(store, article("a", "first"), m("a", fatalities=2, event_date="2024-01-24"))
    (first,) = store.events()
    save(store, article("a", "corrected"), m("a", fatalities=5, event_date="2024-01-24"))
    (row,) = store.events()
    assert row["event_id"] == first["event_id"]  # the same event, corrected
    assert row["fatalities"] == 5
    entries = log(store, row["event_id"])
    superseded = [e for e in entries if e[0] == "superseded"]
    assert superseded and superseded[0][2]["fatalities"] == 2  # the old report is kept
    assert ("changed", "fatalities", 2, 5) in entries


def test_an_event_no_source_reports_any_more_is_withdrawn_not_deleted(store: Store) -> None:
    save(store, article("a", "first"), m("a"))
    (row,) = store.events()
    save(store, article("a", "retracted"))
    assert store.events() == []
    (kept,) = store.events(status="withdrawn")
    assert kept["event_id"] == row["event_id"]
    assert log(store, row["event_id"])[-1][0] == "withdrawn"


def test_two_same_day_attacks_on_one_base_in_the_store(store: Store) -> None:
    save(store, article("es"), m("es", time_of_day="morning", weapons=[Weapon("drone", 2)]))
    save(store, article("fr"), m("fr", 0, time_of_day="23:00", weapons=[Weapon("rocket", 4)]),
         m("fr", 1, time_of_day="06:45", weapons=[Weapon("drone", 2)]))
    rows = store.events()
    assert len(rows) == 2
    by_time = {r["summary"]["values"]["time_of_day"]: r for r in rows}
    assert by_time["morning"]["source_count"] == 2 and by_time["23:00"]["source_count"] == 1


def test_month_precision_mention_joins_the_stored_day_event(store: Store) -> None:
    save(store, article("a"), m("a"))
    save(store, article("b", published="2024-01-29"), m("b", event_date="2024-01-15", date_precision="month",
                                                        published="2024-01-29"))
    (row,) = store.events()
    assert row["event_date"] == "2024-01-24" and row["mention_count"] == 2


@pytest.mark.parametrize("undated_first", [False, True])
def test_the_store_joins_by_marks_as_the_batch_merge_does(tmp_path: Path, undated_first: bool) -> None:
    def reports() -> list[Mention]:
        return [m("a", location=BAGHDADI, time_of_day="14:25"), copy_of("c", spread=True, event_date="2024-01-20"),
                m("b", location=BAGHDADI, time_of_day="14:25", **UNDATED),
                copy_of("d", spread=True, shift=40, **UNDATED), m("e", location=ASAD, time_of_day="14:25", **UNDATED)]

    batch = {x.article: x.event_id for x in merge(reports())}
    order = sorted(reports(), key=lambda x: (x.event_date is not None) == undated_first)
    with open_store(tmp_path / "marks.db") as st:
        for x in order:
            save(st, Article(id=x.article, text="body", language="en", published=x.published), x)
        stored = {x.article: x.event_id for x in st.mentions()}
    assert stored["a"] == stored["b"] and stored["c"] == stored["d"] and stored["e"] not in (stored["a"], stored["c"])
    assert len(set(stored.values())) == len(set(batch.values())) == 3


# al-Qaim (Iraq) and the Albu Kamal crossing (Syria): 11 km apart across the border
QAIM = Location(name="al-Qaim", admin1="Al Anbar", country_code="IQ", latitude=34.37, longitude=41.09,
                geo_precision=1, place_id="gn:qaim", kind="town")
CROSSING = Location(name="Albu Kamal crossing", admin1="Deir ez-Zor", country_code="SY", latitude=34.45,
                    longitude=41.02, geo_precision=1, place_id="albu-kamal-crossing", kind="facility")
SALAH = Location(name="Salah ad-Din", admin1="Salah ad-Din", country_code="IQ", latitude=34.5, longitude=43.5,
                 geo_precision=3, place_id="a1:salah", kind="admin1")


def test_the_store_finds_candidates_as_the_batch_merge_does(tmp_path: Path) -> None:
    """A town joins the site across a border, a province only its own province's events, a
    country all of its events; the store gives the batch merge's events."""
    reports = [m("a", location=CROSSING), m("b", location=QAIM), m("c", location=ANBAR), m("d", location=SALAH),
               m("e", location=IRAQ), m("f", location=HARIR), m("g", location=SALAH, event_date="2024-01-01",
                                                                 date_precision="month")]
    batch = merge([Mention(**{**x.__dict__}) for x in reports])
    with open_store(tmp_path / "blocks.db") as st:
        for x in reports:
            save(st, Article(id=x.article, text="body", language="en", published=x.published), x)
        stored = {x.article: x.event_id for x in st.mentions()}
        blocks = {r.event_id: (r.block, r.block_kind, r.block_area) for r in st.engine.connect().execute(
            select(schema.events.c.event_id, schema.events.c.block, schema.events.c.block_kind,
                   schema.events.c.block_area))}
    assert stored["a"] == stored["b"]  # across the border, as near as the merge allows
    assert stored["d"] == stored["g"] and stored["c"] not in (stored["d"], stored["f"])
    assert stored["e"] == stored["c"]  # the oldest of the country's events
    assert [stored[x.article] for x in reports] == [x.event_id for x in batch]
    assert blocks[stored["a"]] == ("c:138:164", "facility", "Deir ez-Zor")
    assert blocks[stored["d"]] == (None, "admin1", "Salah ad-Din")


def test_event_ids_survive_a_rebuild_from_the_same_articles(tmp_path: Path) -> None:
    def build(path: Path) -> list[str]:
        with open_store(path) as st:
            save(st, article("a"), m("a"))
            save(st, article("b"), m("b", location=HARIR))
            save(st, article("c"), m("c"))
            return sorted(r["event_id"] for r in st.events())

    assert build(tmp_path / "one.db") == build(tmp_path / "two.db")


def test_a_tally_is_reconciled_with_stored_events(store: Store) -> None:
    for i, day in enumerate(("2023-10-18", "2023-10-20", "2023-11-02")):
        save(store, article(f"e{i}"), m(f"e{i}", event_date=day, location=ASAD, actor2="US forces"))
    save(store, article("s"), m("s", event_date="2023-10-25", location=HARIR, actor2="US forces"))
    t = Tally(article="t", count=10, what="attacks on US forces since 17 October", since="2023-10-17",
              until="2023-10-31", scope=["IQ"], parts={"IQ": 7}, actor="US forces")
    save(store, article("t", published="2023-10-31"), tallies=[t])
    rows = reconcile(store.tallies(), store.events(), store.article_rows())
    total = next(r for r in rows if r["kind"] == "total")
    assert total["stored"] == 3 and total["difference"] == 7  # 18, 20 and 25 October; 2 November is out
    part = next(r for r in rows if r["kind"] == "part: IQ")
    assert part["count"] == 7 and part["difference"] == 4


def test_tally_scope_parts_and_actor_are_extracted() -> None:
    text = ("The Pentagon says US forces have been attacked at least 121 times since Oct. 17, 55 times in Iraq "
            "and 66 times in Syria.")
    (t,) = process(Article(id="x", text=text, language="en", published="2024-01-08")).tallies
    assert (t.count, t.since, t.scope, t.parts, t.actor) == (121, "2023-10-17", ["IQ", "SY"],
                                                             {"IQ": 55, "SY": 66}, "US forces")


# ---------------------------------------------------------------- on the samples


def test_samples_one_attack_in_three_languages_is_one_event(samples: Path) -> None:
    by_article: dict[str, list[Mention]] = {}
    for _a, res in run([str(samples / "articles")]):
        for x in res.mentions:
            by_article.setdefault(x.article, []).append(x)
    gold = [json.loads(line) for line in (samples / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    cluster = [g for g in gold if g["cluster"] == "shaddadi-20240107"]
    langs = {g["article"][:2] for g in cluster}
    assert len(langs) >= 3
    found = {x.event_id for g in cluster for x in by_article.get(g["article"], [])
             if x.location.name == "al-Shaddadi" and x.event_date == "2024-01-07"}
    assert len(found) == 1


@pytest.fixture
def samples() -> Path:
    return Path(__file__).resolve().parent.parent / "sitrep" / "samples"


def test_show_and_tallies_commands(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import app

    db = str(tmp_path / "cli.db")
    with open_store(db) as st:
        save(st, article("a"), m("a", weapons=[Weapon("rocket", 2)], reported_via=["CENTCOM"]))
        save(st, article("b"), m("b", weapons=[Weapon("rocket", 30)], outlet="Sabereen News"))
        save(st, article("t", published="2024-01-31"),
             tallies=[Tally(article="t", count=5, what="attacks", since="2024-01-01", scope=["IQ"])])
        (row,) = st.events()
        with st.engine.connect() as conn:
            assert conn.execute(select(schema.event_log)).first() is not None
    runner = CliRunner()
    shown = runner.invoke(app, ["show", row["event_id"][3:11], "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "30 vs" not in shown.output and "rocket" in shown.output and "CENTCOM" in shown.output
    assert "history" in shown.output and "created" in shown.output
    as_json = json.loads(runner.invoke(app, ["show", row["event_id"], "--db", db, "--format", "json"]).output)
    assert {r["value"] for r in as_json["disagreements"]["weapons.rocket"]} == {2, 30}
    assert as_json["mentions"][0]["sentence"] is not None or as_json["mentions"][0]["sentence_start"] is not None
    missing = runner.invoke(app, ["show", "nope", "--db", db])
    assert missing.exit_code == 1 and "no event" in missing.output
    tallies = runner.invoke(app, ["tallies", "--db", db, "--format", "jsonl"])
    (line,) = [json.loads(x) for x in tallies.output.splitlines()]
    assert line["count"] == 5 and line["stored"] == 1 and line["difference"] == 4
    per_event = runner.invoke(app, ["export", "--db", db, "--per", "event"])
    (ev,) = [json.loads(x) for x in per_event.output.splitlines()]
    assert ev["source_count"] == 2 and ev["independent_sources"] == 2


# ---------------------------------------------------------------- properties


def _mentions_strategy():  # -> SearchStrategy[list[Mention]]
    from hypothesis import strategies as st

    places = st.sampled_from([ASAD, HARIR, BAGHDADI, ANBAR, IRAQ])
    one = st.builds(
        lambda art, n, place, day, prec, tod, pub: m(
            f"a{art}", n, location=place, event_date=None if day is None else f"2024-01-{day:02d}",
            date_precision=None if day is None else prec, time_of_day=tod,
            published=None if pub is None else f"2024-01-{pub:02d}"),
        st.integers(0, 6), st.integers(0, 3), places, st.one_of(st.none(), st.integers(10, 14)),
        st.sampled_from(["day", "day", "week", "month"]),
        st.sampled_from([None, None, "morning", "evening", "night", "07:00", "22:30", "14:25"]),
        st.one_of(st.none(), st.integers(14, 20)))
    # one published date per article, and unique mention ids, as a real corpus has
    return st.lists(one, max_size=14).map(_one_date_per_article)


def _one_date_per_article(ms: list[Mention]) -> list[Mention]:
    seen: dict[str, str | None] = {}
    out: dict[str, Mention] = {}
    for x in ms:
        x.published = seen.setdefault(x.article, x.published)
        out.setdefault(x.mention_id or "", x)
    return list(out.values())


def test_merging_is_order_independent() -> None:
    import os
    import random

    from hypothesis import given, settings

    # bench/fuzz.py runs this with many more examples
    @settings(max_examples=int(os.environ.get("SITREP_MERGE_EXAMPLES", "200")), deadline=None)
    @given(_mentions_strategy(), st_random())
    def check(ms: list[Mention], rnd: random.Random) -> None:
        first = {x.mention_id: x.event_id for x in merge([Mention.from_dict(y.to_dict()) for y in ms])}
        shuffled = [Mention.from_dict(y.to_dict()) for y in ms]
        rnd.shuffle(shuffled)
        second = {x.mention_id: x.event_id for x in merge(shuffled)}
        assert first == second

    check()


def st_random():  # -> SearchStrategy[random.Random]
    from hypothesis import strategies as st

    return st.randoms(use_true_random=False)
