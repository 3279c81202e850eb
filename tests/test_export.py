"""Export stage: ACLED CSV, GeoJSON and JSONL from hand-built mentions."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from sitrep.export import (
    ACLED_COLUMNS,
    read_jsonl,
    summarize,
    to_geojson,
    write_acled_csv,
    write_jsonl,
)
from sitrep.export.acled import TIME_PRECISION
from sitrep.records import Evidence, Location, Mention, Weapon

OMAR = Location(
    name="al-Omar oil field",
    admin1="Deir ez-Zor",
    country_code="SY",
    latitude=35.0532,
    longitude=40.4569,
    geo_precision=1,
    place_id="gn:1",
    kind="facility",
)
DEIR = Location(
    name="Deir ez-Zor",
    admin1="Deir ez-Zor",
    country_code="SY",
    latitude=35.33,
    longitude=40.14,
    geo_precision=3,
)
ASAD = Location(
    name="Ain al-Asad",
    admin1="Al Anbar",
    country_code="IQ",
    latitude=33.8,
    longitude=42.44,
    geo_precision=1,
)


def mention(article: str, **kw: Any) -> Mention:
    base: dict[str, Any] = {
        "article": article,
        "mention_id": f"{article}-{kw.get('event_id')}",
        "event_date": "2024-01-08",
        "date_precision": "day",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "location": OMAR,
        "outlet": "Al Mayadeen",
        "language": "ar",
        "published": "2024-01-08",
        "sentence_start": 0,
        "sentence_end": 80,
    }
    base.update(kw)
    return Mention(**base)


@pytest.fixture
def mentions() -> list[Mention]:
    return [
        # E1: three articles; one vague on date and place, one gives fatalities.
        mention(
            "a1",
            event_id="E1",
            weapons=[Weapon("rocket", 30)],
            claimed_by="Islamic Resistance in Iraq",
            actor1="Islamic Resistance in Iraq",
            actor1_status="claimed",
            reported_via=["Al Mayadeen"],
            hedged=True,
        ),
        mention(
            "a2",
            event_id="E1",
            event_date="2024-01-01",
            date_precision="month",
            location=DEIR,
            outlet="Rudaw",
            language="ku",
            fatalities=2,
            actor1="Islamic Resistance in Iraq",
            actor1_status="attributed",
            weapons=[Weapon("rocket", 20), Weapon("drone", None)],
        ),
        mention(
            "a3",
            event_id="E1",
            outlet="Reuters",
            language="en",
            fatalities=1,
            hedged=True,
        ),
        # E2: a source says nobody was killed.
        mention(
            "a1",
            event_id="E2",
            event_date="2024-01-20",
            location=ASAD,
            fatalities=0,
            sentence_start=200,
        ),
        # E3: no figure at all, week precision.
        mention(
            "a4",
            event_id="E3",
            event_date="2024-01-15",
            date_precision="week",
            location=ASAD,
        ),
        # No event id: each is its own event; the second has no coordinates.
        mention(
            "a5",
            event_id=None,
            mention_id="a5-x",
            event_date="2024-02-03",
            date_precision="month",
        ),
        mention(
            "a5",
            event_id=None,
            mention_id="a5-y",
            event_date="2024-02-04",
            location=Location(name="somewhere", country_code="SY"),
            sentence_start=90,
        ),
    ]


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def export_csv(ms: list[Mention]) -> tuple[int, str]:
    buf = io.StringIO()
    n = write_acled_csv(ms, buf, timestamp=1_700_000_000)
    return n, buf.getvalue()


# ---------------------------------------------------------------- summary


def test_summary_picks_best_values(mentions: list[Mention]) -> None:
    events = {e.event_id: e for e in summarize(mentions)}
    e1 = events["E1"]
    assert e1.mention_count == 3 and e1.source_count == 3
    # A precise date beats an earlier vague one.
    assert (e1.event_date, e1.date_precision) == ("2024-01-08", "day")
    assert e1.location == OMAR  # geo_precision 1 beats 3
    assert e1.fatalities == 2  # equally recent reports: the higher figure
    assert e1.chosen["fatalities"].startswith("latest report")
    assert {r["value"] for r in e1.disagreements["fatalities"]} == {1, 2}
    assert {r["value"] for r in e1.disagreements["weapons.rocket"]} == {20, 30}
    assert e1.actor1 == "Islamic Resistance in Iraq" and e1.actor1_status == "claimed"
    assert [(w.type, w.count) for w in e1.weapons] == [("rocket", 30), ("drone", None)]
    assert e1.outlets == ["Al Mayadeen", "Rudaw", "Reuters"]
    assert e1.hedged is False  # a2 does not hedge
    assert {s["article"] for s in e1.sources()} == {"a1", "a2", "a3"}


def test_summary_is_order_independent(mentions: list[Mention]) -> None:
    a = summarize(mentions)
    b = summarize(list(reversed(mentions)))
    assert [
        (e.event_id, e.event_date, e.location, e.actor1, e.fatalities) for e in a
    ] == [(e.event_id, e.event_date, e.location, e.actor1, e.fatalities) for e in b]


def test_summary_same_precision_earliest_date_and_majority_type() -> None:
    ms = [
        mention(
            "a1",
            event_id="E",
            event_date="2024-01-09",
            event_type="Battles",
            sub_event_type="Armed clash",
        ),
        mention("a2", event_id="E", event_date="2024-01-08"),
        mention("a3", event_id="E", event_date="2024-01-10"),
    ]
    (ev,) = summarize(ms)
    assert ev.event_date == "2024-01-08"
    assert ev.event_type == "Explosions/Remote violence"
    assert ev.sub_event_type == "Shelling/artillery/missile attack"


# ---------------------------------------------------------------- ACLED CSV


def test_csv_header_is_acled_columns(mentions: list[Mention]) -> None:
    _, text = export_csv(mentions)
    assert text.splitlines()[0].split(",") == ACLED_COLUMNS
    assert (
        len(ACLED_COLUMNS) == 31
        and ACLED_COLUMNS[0] == "event_id_cnty"
        and ACLED_COLUMNS[-1] == "timestamp"
    )


def test_csv_one_row_per_event_in_date_order(mentions: list[Mention]) -> None:
    n, text = export_csv(mentions)
    rows = read_csv(text)
    assert n == len(rows) == 5
    assert [r["event_date"] for r in rows] == [
        "2024-01-08",
        "2024-01-15",
        "2024-01-20",
        "2024-02-03",
        "2024-02-04",
    ]
    assert rows[0]["event_id_cnty"] == "SYR-E1"
    assert rows[1]["event_id_cnty"] == "IRQ-E3"
    assert len({r["event_id_cnty"] for r in rows}) == 5
    # Deterministic: same input, same bytes.
    assert export_csv(list(reversed(mentions)))[1] == text


def test_csv_fatalities_blank_unknown_zero_when_reported(
    mentions: list[Mention],
) -> None:
    rows = {r["event_id_cnty"]: r for r in read_csv(export_csv(mentions)[1])}
    assert rows["SYR-E1"]["fatalities"] == "2"
    assert rows["IRQ-E2"]["fatalities"] == "0"
    assert rows["IRQ-E3"]["fatalities"] == ""


def test_csv_time_precision(mentions: list[Mention]) -> None:
    rows = {r["event_id_cnty"]: r for r in read_csv(export_csv(mentions)[1])}
    assert rows["SYR-E1"]["time_precision"] == "1"
    assert rows["IRQ-E3"]["time_precision"] == "2"
    assert rows["SYR-m:a5-x"]["time_precision"] == "3"
    assert TIME_PRECISION == {"day": 1, "week": 2, "month": 3, "year": 3}


def test_csv_row_fields(mentions: list[Mention]) -> None:
    row = read_csv(export_csv(mentions)[1])[0]
    assert row["year"] == "2024"
    assert row["disorder_type"] == "Political violence"
    assert (
        row["iso"] == "760"
        and row["country"] == "Syria"
        and row["region"] == "Middle East"
    )
    assert row["admin1"] == "Deir ez-Zor" and row["location"] == "al-Omar oil field"
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == (
        "35.0532",
        "40.4569",
        "1",
    )
    assert row["source"] == "Al Mayadeen; Rudaw; Reuters"
    assert row["actor1"] == "Islamic Resistance in Iraq"
    assert row["tags"] == ""  # not every source hedges
    assert row["timestamp"] == "1700000000"
    assert row["notes"] == (
        "On 2024-01-08, 30 rockets and drones hit al-Omar oil field (Deir ez-Zor); "
        "claimed by Islamic Resistance in Iraq; 2 killed; reported via Al Mayadeen. "
        "Sources differ on rocket (30 vs 20), fatalities (2 vs 1). [3 sources]"
    )


def test_csv_hedged_tag_and_unknown_country() -> None:
    ms = [
        mention("a1", event_id="H", hedged=True),
        mention("a2", event_id="H", hedged=True),
        mention(
            "b1", event_id="X", location=Location(name="Somewhere", country_code=None)
        ),
    ]
    rows = {r["event_id_cnty"]: r for r in read_csv(export_csv(ms)[1])}
    assert rows["SYR-H"]["tags"] == "hedged"
    # two articles of one outlet that cite nobody are one independent source
    assert rows["SYR-H"]["notes"].endswith("Unconfirmed. [2 sources, 1 independent]")
    assert rows["XXX-X"]["iso"] == "" and rows["XXX-X"]["country"] == ""


def test_csv_timestamp_defaults_to_now() -> None:
    import time

    buf = io.StringIO()
    before = int(time.time())
    write_acled_csv([mention("a1", event_id="E")], buf)
    stamp = int(read_csv(buf.getvalue())[0]["timestamp"])
    assert before <= stamp <= int(time.time())


def test_csv_empty_input_writes_header_only() -> None:
    n, text = export_csv([])
    assert n == 0 and text.strip() == ",".join(ACLED_COLUMNS)


# ---------------------------------------------------------------- GeoJSON


def test_geojson_structure_and_coordinates(mentions: list[Mention]) -> None:
    gj = to_geojson(mentions)
    assert gj["type"] == "FeatureCollection"
    assert gj["skipped"] == 1  # a5-y has no coordinates
    feats = gj["features"]
    assert len(feats) == 4
    for f in feats:
        assert f["type"] == "Feature"
        assert f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    e1 = feats[0]
    assert e1["geometry"]["coordinates"] == [40.4569, 35.0532]  # lon, lat
    p = e1["properties"]
    assert p["event_id"] == "E1" and p["mention_count"] == 3
    assert p["location"] == "al-Omar oil field" and p["country_code"] == "SY"
    assert p["fatalities"] == 2 and p["injuries"] is None
    assert p["weapons"] == [
        {"type": "rocket", "count": 30},
        {"type": "drone", "count": None},
    ]
    assert p["sources"][0] == {
        "article": "a1",
        "outlet": "Al Mayadeen",
        "language": "ar",
        "published": "2024-01-08",
        "reported_via": ["Al Mayadeen"],
        "origin": "Al Mayadeen",
        "party": "Axis of Resistance",  # flagged from sources.yaml
        "duplicate_of": None,
        "hedged": True,
        "mentions": ["a1-E1"],
    }
    assert p["independent_sources"] == 3 and p["party_sources"] == ["Axis of Resistance"]
    assert [s["article"] for s in p["sources"]] == ["a1", "a2", "a3"]
    # Serializable as-is.
    assert json.loads(json.dumps(gj)) == gj


def test_geojson_same_events_as_csv(mentions: list[Mention]) -> None:
    rows = read_csv(export_csv(mentions)[1])
    ids = [f["properties"]["event_id"] for f in to_geojson(mentions)["features"]]
    assert len(rows) == len(ids) + to_geojson(mentions)["skipped"]


# ---------------------------------------------------------------- JSONL


def test_jsonl_round_trip(mentions: list[Mention]) -> None:
    ms = mentions + [
        mention(
            "a9",
            event_id="U",
            location=Location(name="دير الزور", country_code="SY"),
            evidence={"place": Evidence("في دير الزور", 4, 16, note="gazetteer")},
        )
    ]
    buf = io.StringIO()
    assert write_jsonl(ms, buf) == len(ms)
    text = buf.getvalue()
    assert "دير الزور" in text  # not \u-escaped
    lines = text.splitlines()
    assert len(lines) == len(ms)
    assert [Mention.from_dict(json.loads(line)) for line in lines] == ms
    assert read_jsonl(io.StringIO(text)) == ms
