"""An event's aggregate, fed one report at a time, gives exactly what summarizing all its
members gives (values, choices, disagreements, sources, counts), and its merge state is the
same, whatever order the reports come in; and the store's incremental saves write the same
tables as rebuilds."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sitrep.events.aggregate import Aggregate, MemorySources, stored_summary, with_sources
from sitrep.events.merge import EventState
from sitrep.events.summary import summarize_event
from sitrep.pipeline import ingest
from sitrep.read import read_paths
from sitrep.records import Article, Evidence, Location, Mention, Weapon
from sitrep.store import events as store_events
from sitrep.store import open_store, schema

SAMPLES = Path(__file__).resolve().parents[1] / "sitrep" / "samples" / "articles"

PLACES = [
    Location("Erbil", "Erbil", "IQ", 36.19, 44.01, 1, "town:erbil", "town"),
    Location("Erbil air base", "Erbil", "IQ", 36.24, 43.96, 1, "fac:erbil-ab", "facility"),
    Location("Erbil", "Erbil", "IQ", None, None, 1, "town:erbil", "town"),  # same place, no coordinates
    Location("Erbil", None, "IQ", 36.19, 44.01, 2, None, "admin1"),
    Location(None, None, "IQ", None, None, None, None, "country"),
    Location(None, None, None, None, None, None, None, None),
    Location("Red Sea", None, None, 20.0, 38.0, 1, "sea:red", "sea"),
]
OUTLETS = [None, "Reuters", "Al Mayadeen", "IRNA", "Rudaw", "CENTCOM"]
VIA = ["local sources", "Sabereen News", "CENTCOM", "Reuters", "", "witnesses"]


def one(rng: random.Random, pool: list[Any]) -> Any:
    return rng.choice(pool)


def random_mention(rng: random.Random, article: str, k: int) -> Mention:
    """A report drawn from small pools, so values repeat, tie and disagree."""
    day = one(rng, ["2024-01-05", "2024-01-06", "2024-01-05", "2024-01", "2024-01-03"])
    prec = one(rng, ["day", "day", "week", "month", None, "year"])
    fields = ["event_date", "time_of_day", "actor1", "fatalities", "injuries", "location", "weapons", "target"]
    return Mention(
        article=article,
        event_date=one(rng, [day, day, None]),
        date_precision=prec,
        time_of_day=one(rng, [None, "morning", "night", "07:30", ""]),
        event_type=one(rng, ["Explosions/Remote violence", "Explosions/Remote violence", None, "Battles"]),
        sub_event_type=one(rng, [None, "Air/drone strike", "Shelling/artillery/missile attack", "Armed clash"]),
        location=one(rng, PLACES),
        weapons=[Weapon(one(rng, ["drone", "rocket", "missile"]), one(rng, [None, 1, 2, 3]))
                 for _ in range(rng.randint(0, 3))],
        actor1=one(rng, [None, "Islamic Resistance in Iraq", "Kataib Hezbollah", ""]),
        actor1_status=one(rng, [None, "claimed", "attributed", "suspected", "rumoured"]),
        actor2=one(rng, [None, "US forces"]),
        target=one(rng, [None, "US forces", "coalition forces"]),
        fatalities=one(rng, [None, None, 0, 1, 2]),
        injuries=one(rng, [None, 3, 5]),
        claimed_by=one(rng, [None, "Islamic Resistance in Iraq"]),
        reported_via=[one(rng, VIA) for _ in range(rng.randint(0, 2))],
        hedged=rng.random() < 0.5,
        # more quotes than a disputed value keeps (summary.QUOTES)
        evidence={f: Evidence(one(rng, ["a drone hit the base", "two rockets", "no one was hurt", "at dawn",
                                        "a drone hit the base on Friday", "three rockets fell"]))
                  for f in fields if rng.random() < 0.5},
        language=one(rng, ["en", "ar", "fa"]),
        published=one(rng, [None, "2024-01-06", "2024-01-07", "2024-01-07T10:00", "2024-01"]),
        outlet=one(rng, OUTLETS),
        event_id="ev-x",
        mention_id=one(rng, [f"{article}#{k}", None]),
        sentence_start=one(rng, [None, 0, 40, 120]),
    )


def full(members: list[Mention], articles: dict[str, dict[str, Any]], key: str) -> tuple[dict[str, Any], EventState]:
    """What the store computes from all the members (the reference)."""
    s = summarize_event("ev-x", members, articles)
    doc = {"values": s.values(), "chosen": s.chosen, "disagreements": s.disagreements, "sources": s.sources(),
           "mention_count": s.mention_count, "source_count": s.source_count,
           "independent_sources": s.independent_sources, "party_source": bool(s.party_sources)}
    st = EventState(event_id="ev-x", seq=4, key=key)
    for m in sorted(members, key=lambda m: (m.published or "", m.article, m.mention_id or "")):
        st.absorb(m)  # in publication order, as a batch merge takes them
    return doc, st


@pytest.mark.parametrize("seed", range(60))
def test_adding_reports_one_at_a_time_gives_the_full_summary(seed: int) -> None:
    rng = random.Random(seed)
    names = [f"art-{rng.randrange(10**6):06d}" for _ in range(rng.randint(1, 14))]
    names = sorted(set(names), key=lambda _: rng.random())
    members = [random_mention(rng, a, k) for k, a in enumerate(names)]
    articles: dict[str, dict[str, Any]] = {a: {"id": a, "duplicate_of": None} for a in names}
    for a in names:  # copies of other reports of the event, or of one it does not have
        if rng.random() < 0.25:
            articles[a]["duplicate_of"] = rng.choice([*names, "elsewhere"])
        if rng.random() < 0.15:
            articles[a]["party"] = "Iran"  # the feeds file flags its feed
    data: dict[str, Any] | None = None
    book = MemorySources()
    state = EventState(event_id="ev-x", seq=4, key="k@2024-01-05")
    for i, m in enumerate(members):
        agg = Aggregate(data, book)
        assert agg.add(m, articles[m.article])
        assert not agg.add(m, articles[m.article])  # an article reports an event once
        data = json.loads(json.dumps(agg.to_dict()))  # as the store keeps it between saves
        book.rows = json.loads(json.dumps(book.rows))  # and the source rows
        state = EventState.from_dict(json.loads(json.dumps(state.to_dict())))
        state.absorb(m)  # in the order the reports come
        got = Aggregate(data, book).summary("ev-x")
        assert isinstance(got.pop("location"), Location)
        want, want_state = full(members[: i + 1], articles, "k@2024-01-05")
        kept = stored_summary(want)
        assert {k: got[k] for k in kept} == kept
        assert json.dumps({k: got[k] for k in kept}) == json.dumps(kept)  # the same JSON text, key order included
        assert {k: got[k] for k in got if k not in kept} == {k: want[k] for k in want if k not in (*kept, "sources")}
        # made whole from the source rows, as the store's readers do
        whole = with_sources({k: got[k] for k in kept}, list(book.rows.values()))
        assert whole == {k: want[k] for k in (*kept, "sources")}
        assert json.dumps(whole["sources"]) == json.dumps(want["sources"])
        assert state == want_state


def test_a_disputed_value_keeps_its_first_quotes() -> None:
    texts = ["five rockets", "5 rockets", "rockets, five of them", "five Katyushas", "five more rockets"]
    members = [Mention(article=f"a{i}", mention_id=f"a{i}#0", injuries=i % 2 + 1, sentence_start=0,
                       evidence={"injuries": Evidence(t)}) for i, t in enumerate(texts * 2)]
    agg = Aggregate()
    for m in reversed(members):  # the first quotes arrive last
        agg.add(m, {})
    assert isinstance(agg.sources, MemorySources)
    rows = with_sources(agg.summary("ev-x"), list(agg.sources.rows.values()))["disagreements"]["injuries"]
    # a0, a2, a4 give the first value's first quotes; a1, a3, a5 the second's
    assert [r["evidence"] for r in rows] == [[texts[0], texts[2], texts[4]], [texts[1], texts[3], texts[0]]]
    assert [r["articles"] for r in rows] == [["a0", "a2", "a4", "a6", "a8"], ["a1", "a3", "a5", "a7", "a9"]]


def test_an_article_with_two_reports_of_one_event_has_no_aggregate() -> None:
    a, b = Mention(article="a1", mention_id="a1#0"), Mention(article="a1", mention_id="a1#1")
    assert Aggregate.build([a, b], {}) is None
    assert Aggregate.build([a], {}) is not None


def _tables(db: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with open_store(db) as store, store.engine.connect() as conn:
        e, lg = schema.events, schema.event_log
        events = [{k: v for k, v in r._mapping.items() if k not in ("created_at", "updated_at")}
                  for r in conn.execute(select(e).order_by(e.c.event_id))]
        log = [{k: v for k, v in r._mapping.items() if k != "at"} for r in conn.execute(select(lg).order_by(lg.c.id))]
    return events, log


def test_incremental_saves_write_what_rebuilds_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = [a for a in read_paths([str(SAMPLES)])]
    with open_store(tmp_path / "inc.db") as store:
        ingest(items, store)
        with store.engine.connect() as conn:
            assert conn.execute(select(schema.event_aggregates.c.event_id)).first() is not None
    # the same articles with every event rebuilt from its mentions at each save
    calls: list[str] = []
    real = store_events._add_members

    def never(*args: Any, **kw: Any) -> None:
        calls.append(args[1])
        return None

    monkeypatch.setattr(store_events, "_add_members", never)
    with open_store(tmp_path / "full.db") as store:
        ingest(items, store)
    monkeypatch.setattr(store_events, "_add_members", real)
    assert calls  # reports did join existing events
    assert _tables(tmp_path / "inc.db") == _tables(tmp_path / "full.db")


def test_a_feeds_party_saved_after_its_article_reaches_the_summary(tmp_path: Path) -> None:
    """Pages are kept after their article is saved: a party flag that comes with one must be
    in the event's summary by the next change, as a rebuild from the mentions would have it."""
    from sitrep.store.pages import save_page
    from tests.test_events import m, save

    with open_store(tmp_path / "p.db") as store:
        save(store, Article(id="a1", text="x", published="2024-01-25"), m("a1"))
        save(store, Article(id="a2", text="y", published="2024-01-25"), m("a2"))
        save_page(store, "a1", "http://x/a1", "<p>x</p>", hints={"party": "Iran"})
        save(store, Article(id="a3", text="z", published="2024-01-25"), m("a3"))
        (event,) = store.events()
    assert event["mention_count"] == 3 and event["party_source"]
    assert {s["article"]: s["party"] for s in event["summary"]["sources"]}["a1"] == "Iran"
