"""Language packs: every pack has the same keys, compiles, and extracts its own examples as
it says. Adding a language means adding a pack file; this test then covers it."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.lang.pack import (
    DATE_KEYS,
    PACK_DIR,
    PARTS_OF_DAY,
    REQUIRED_KEYS,
    PackError,
    available,
    compile_pack,
    get_pack,
)
from sitrep.pipeline import process
from sitrep.records import Article

PACKS = available()


def test_there_are_packs() -> None:
    assert {"fr", "id", "en"} <= set(PACKS)


@pytest.mark.parametrize("code", PACKS)
def test_same_keys_everywhere(code: str) -> None:
    import yaml

    data = yaml.safe_load((PACK_DIR / f"{code}.yaml").read_text(encoding="utf-8"))
    assert set(REQUIRED_KEYS) <= set(data), f"{code}: missing {set(REQUIRED_KEYS) - set(data)}"
    assert set(DATE_KEYS) <= set(data["dates"])
    assert data["code"] == code
    ref = yaml.safe_load((PACK_DIR / "en.yaml").read_text(encoding="utf-8"))
    # every pack names every key, a rule it has no words for as null: a new language's author
    # sees each rule in en.yaml, and a key added to one pack must be thought of in all
    assert set(ref) == set(data), f"{code}: keys differ from en: {set(ref) ^ set(data)}"
    for section in ("attack", "claims", "casualties", "citations", "actors", "places", "dates"):
        assert set(ref[section]) == set(data[section]), \
            f"{code}: {section} keys differ from en: {set(ref[section]) ^ set(data[section])}"
    assert set(data["weapons"]) <= set(ref["weapons"]) | {"other"}, "weapon types are the canonical English keys"
    assert len(data["dates"]["months"]) >= 12 and len(data["dates"]["weekdays"]) >= 7
    assert sorted(set(data["dates"]["weekdays"].values())) == list(range(7))
    parts = data["dates"]["parts_of_day"]
    assert set(parts) == set(PARTS_OF_DAY) and all(parts.values()), f"{code}: words for every part of the day"
    assert data["dates"]["clock"], f"{code}: clock patterns"
    assert len(data["examples"]) >= 4


def test_missing_key_is_a_clear_error() -> None:
    with pytest.raises(PackError, match="missing keys"):
        compile_pack({"code": "xx", "name": "X"}, "xx.yaml")


def _examples() -> list[tuple[str, int, dict]]:
    return [(code, i, ex) for code in PACKS for i, ex in enumerate(get_pack(code).examples)]


@pytest.mark.parametrize("code,i,example", _examples(), ids=lambda v: v if isinstance(v, (str, int)) else "")
def test_each_example_extracts_as_the_pack_says(code: str, i: int, example: dict) -> None:
    # an example may give a publication date, for what is dated from it ("Anfang Januar")
    art = Article(id=f"{code}-example-{i}", text=example["text"], language=code,
                  published=example.get("published"))
    result = process(art, today=dt.date(2026, 11, 23))
    expect = example["expect"]
    assert len(result.mentions) == expect["count"], [m.location.name for m in result.mentions]
    assert len(result.tallies) == expect.get("tallies", 0)
    if not expect["count"]:
        return
    m = result.mentions[0]
    if "location" in expect:
        assert m.location.name == expect["location"]
    if "event_date" in expect:
        assert m.event_date == expect["event_date"]
    if "weapons" in expect:
        got = {(w.type, w.count) for w in m.weapons}
        for w in expect["weapons"]:
            if "count" in w:
                assert (w["type"], w["count"]) in got, got
            else:
                assert w["type"] in {t for t, _ in got}
    for key in ("claimed_by", "actor1", "actor1_status", "fatalities", "injuries", "sub_event_type", "hedged",
                "time_of_day", "date_precision"):
        if key in expect:
            assert getattr(m, key) == expect[key], key
    for src in expect.get("reported_via", []):
        assert src in m.reported_via
    for field, ev in m.evidence.items():
        if ev.start is not None:
            assert art.text[ev.start:ev.end] == ev.text, field  # spans index the original text
