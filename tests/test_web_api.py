"""The JSON API under /api, on the demo database (built here from the bundled samples): every
endpoint and filter, checked against what the store itself says. The expected values come from
the data, not from constants, so new samples do not break these tests."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner
from web_helpers import build_demo

from sitrep.cli import app as cli_app
from sitrep.events.tallies import reconcile
from sitrep.pipeline import ingest
from sitrep.read import parse_text
from sitrep.store import Store, open_store
from sitrep.web import create_app, vendor
from sitrep.web.search import WebIndex

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2; the installed httpx works
    from fastapi.testclient import TestClient

SAMPLE = ("url: https://example.org/sample/web\npublished: 2024-05-02\nlanguage: en\noutlet: Web Test Wire (sample)\n\n"
          "Two drones struck the Conoco gas field in Deir ez-Zor early on Thursday, local sources said. "
          "The attack was the first reported by the quartermasterish wire service. No casualties were reported.\n")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("web") / "demo.db")


@pytest.fixture(scope="module")
def store(demo_db: Path) -> Iterator[Store]:
    with open_store(demo_db) as s:
        yield s


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(demo_db)) as c:
        yield c


def get(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def all_events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    """Every page of /api/events under the filters."""
    out: list[dict[str, Any]] = []
    while True:
        page = get(client, "/api/events", limit=100, offset=len(out), **params)
        out += page["items"]
        if len(out) >= page["total"] or not page["items"]:
            return out


def ids(items: list[dict[str, Any]]) -> set[str]:
    return {e["event_id"] for e in items}


# --------------------------------------------------------------------------- schema and meta


def test_openapi_schema_lists_every_endpoint(client: TestClient) -> None:
    schema = get(client, "/api/openapi.json")
    paths = set(schema["paths"])
    for p in ("/api/events", "/api/events/points", "/api/events/timeline", "/api/events/facets",
              "/api/events/{event_id}", "/api/mentions", "/api/articles", "/api/articles/{article_id}",
              "/api/tallies", "/api/places", "/api/export", "/api/health"):
        assert p in paths, p
    params = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"since", "until", "country", "admin1", "actor", "type", "language", "claimed", "q", "status", "bbox",
            "min_sources", "limit", "offset", "sort"} <= params
    # FastAPI's /docs pages load scripts from a CDN: they are off
    assert client.get("/docs").status_code == 404


def test_health_counts_the_store(client: TestClient, store: Store) -> None:
    h = get(client, "/api/health")
    assert {k: h[k] for k in ("events", "articles", "mentions", "tallies")} == store.counts()
    assert h["search"] == "fts5"


def test_every_response_has_a_strict_csp(client: TestClient) -> None:
    for url in ("/api/health", "/api/events", "/static/app.js", "/api/nope"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_index_page_or_a_clear_message(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vendor, "missing", lambda: ["leaflet.js"])
    r = client.get("/")
    assert r.status_code == 503 and "make web" in r.text and "leaflet.js" in r.text
    monkeypatch.undo()
    if not vendor.missing():
        r = client.get("/")
        assert r.status_code == 200 and '<div id="map">' in r.text


def test_static_files_load_nothing_from_the_network() -> None:
    static = Path(vendor.__file__).parent / "static"
    for name in ("index.html", "app.js", "app.css"):
        text = (static / name).read_text(encoding="utf-8")
        urls = set(re.findall(r"""[("'`=]\s*((?:https?:)?//[a-z0-9.-]+\.[a-z]{2,})""", text))
        assert urls <= {"http://www.w3.org"}, (name, urls)  # the SVG namespace is a name, not a fetch
        assert "<script>" not in text and " style=" not in text, name
    html = (static / "index.html").read_text(encoding="utf-8")
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith(("/static/", "/api/")) or src == "data:,", src


# --------------------------------------------------------------------------- events


def test_events_list_is_the_store_s(client: TestClient, store: Store) -> None:
    rows = store.events()
    page = get(client, "/api/events")
    assert page["total"] == len(rows) and page["limit"] == 50 and page["sort"] == "-date"
    assert ids(all_events(client)) == {r["event_id"] for r in rows}
    one = page["items"][0]
    row = next(r for r in rows if r["event_id"] == one["event_id"])
    assert one["source_count"] == row["source_count"] and one["location"] == row["summary"]["values"]["location"]
    assert one["disputed"] == sorted(row["summary"]["disagreements"])


def test_pagination_does_not_overlap(client: TestClient) -> None:
    total = get(client, "/api/events")["total"]
    seen: list[str] = []
    for offset in range(0, total, 7):
        seen += [e["event_id"] for e in get(client, "/api/events", limit=7, offset=offset)["items"]]
    assert len(seen) == len(set(seen)) == total
    assert get(client, "/api/events", offset=total)["items"] == []


@pytest.mark.parametrize("sort,key", [("date", "event_date"), ("-date", "event_date"), ("sources", "source_count"),
                                      ("-sources", "source_count"), ("fatalities", "fatalities"),
                                      ("-fatalities", "fatalities"), ("updated", "updated_at"),
                                      ("-updated", "updated_at")])
def test_sorting(client: TestClient, sort: str, key: str) -> None:
    items = all_events(client, sort=sort)
    values = [e[key] for e in items if e[key] is not None]
    assert values == sorted(values, reverse=sort.startswith("-"))
    # events without the value come last either way
    known = [e[key] is not None for e in items]
    assert known == sorted(known, reverse=True)


def test_since_until_and_country_as_the_cli(client: TestClient, store: Store) -> None:
    dated = sorted(r["event_date"] for r in store.events() if r["event_date"])
    mid = dated[len(dated) // 2]
    for params in ({"since": mid}, {"until": mid}, {"since": mid[:7], "until": mid[:7]}, {"since": mid[:4]},
                   {"country": "SY"}, {"country": "Syria"}, {"country": "iq", "since": mid[:4]}):
        expected = store.events(**params)
        assert ids(all_events(client, **params)) == {r["event_id"] for r in expected}, params
    assert all(mid[:7] <= e["event_date"][:7] <= mid[:7] for e in all_events(client, since=mid[:7], until=mid[:7]))


def test_bad_filters_get_one_clear_message(client: TestClient) -> None:
    for params, word in (({"since": "yesterday"}, "since: bad date"), ({"country": "Atlantis"}, "country: unknown"),
                         ({"limit": 1000}, "limit:"), ({"status": "gone"}, "status:"), ({"bbox": "1,2"}, "bbox:"),
                         ({"claimed": "maybe"}, "claimed:"), ({"sort": "random"}, "sort:")):
        r = client.get("/api/events", params=params)
        assert r.status_code == 422, params
        detail = r.json()["detail"]
        assert isinstance(detail, str) and word in detail, (params, detail)


def test_admin1_type_and_min_sources(client: TestClient, store: Store) -> None:
    rows = store.events()
    admin1 = next(r["admin1"] for r in rows if r["admin1"])
    assert ids(all_events(client, admin1=admin1)) == {r["event_id"] for r in rows if r["admin1"] == admin1}
    for t in {r["event_type"] for r in rows} | {r["sub_event_type"] for r in rows}:
        if t:
            want = {r["event_id"] for r in rows if t in (r["event_type"], r["sub_event_type"])}
            assert ids(all_events(client, type=t)) == want, t
    most = max(r["source_count"] for r in rows)
    assert ids(all_events(client, min_sources=most)) == {r["event_id"] for r in rows if r["source_count"] == most}


def test_actor_language_and_claimed(client: TestClient, store: Store) -> None:
    rows = {r["event_id"]: r for r in store.events()}
    mentions = [m for m in store.event_mentions() if m.event_id in rows]
    actor = next(m.actor2 for m in mentions if m.actor2)
    want = {m.event_id for m in mentions if actor in (m.actor1, m.actor2, m.claimed_by)}
    want |= {i for i, r in rows.items() if r["actor1"] == actor}
    assert ids(all_events(client, actor=actor)) == want
    for lang in {m.language for m in mentions if m.language}:
        assert ids(all_events(client, language=lang)) == {m.event_id for m in mentions if m.language == lang}
    claimed = ids(all_events(client, claimed="true"))
    unclaimed = ids(all_events(client, claimed="false"))
    assert claimed and unclaimed and not claimed & unclaimed and claimed | unclaimed == set(rows)
    by_claim = {m.event_id for m in mentions if m.claimed_by} | {i for i, r in rows.items()
                                                                 if r["actor1_status"] == "claimed"}
    assert claimed == by_claim


def test_text_search_finds_article_words_and_event_names(client: TestClient, store: Store) -> None:
    mentions = store.event_mentions()
    arts = store.article_rows(with_text=True)
    # a word found in one article only: its events come back
    counts: dict[str, int] = {}
    for a in arts.values():
        for w in set(re.findall(r"[^\W\d_]{9,}", a["text"] or "")):
            counts[w.lower()] = counts.get(w.lower(), 0) + 1
    article = next(a for a in arts.values() if any(m.article == a["id"] for m in mentions))
    word = next(w for w in re.findall(r"[^\W\d_]{9,}", article["text"]) if counts[w.lower()] == 1)
    expected = {m.event_id for m in mentions if m.article == article["id"]}
    assert expected <= ids(all_events(client, q=word))
    assert expected <= ids(all_events(client, q=word[:-2]))  # words are prefixes
    # an event's English place name finds it, whatever language its articles are in
    row = next(r for r in store.events() if r["location_name"] and r["source_count"] == 1)
    assert row["event_id"] in ids(all_events(client, q=row["location_name"]))
    assert get(client, "/api/events", q="xqzzyvv")["total"] == 0
    # query syntax in the input is taken as words, never as FTS operators
    for q in ('"', "NEAR(a b)", "*", "a OR", "-x", "col:val", "((", "'; DROP TABLE events; --"):
        assert client.get("/api/events", params={"q": q}).status_code == 200, q
    assert get(client, "/api/events", q="   ")["total"] == get(client, "/api/events")["total"]


def test_without_the_web_index_the_filters_still_agree(demo_db: Path, client: TestClient) -> None:
    """PostgreSQL, or a read-only file: the same filters on the store's tables, LIKE for text."""
    app = create_app(demo_db)
    app.state.web.index = WebIndex(False, "test")
    with TestClient(app) as c:
        assert get(c, "/api/health")["search"] == "test"
        for params in ({}, {"country": "SY"}, {"claimed": "true"}, {"claimed": "false"}, {"language": "ar"},
                       {"type": "Air/drone strike"}, {"min_sources": 2}, {"sort": "-sources"}):
            assert ids(all_events(c, **params)) == ids(all_events(client, **params)), params
        actor = get(client, "/api/events/facets")["actors"][0]["value"]
        assert ids(all_events(c, actor=actor)) == ids(all_events(client, actor=actor))
        assert get(c, "/api/events/facets") == get(client, "/api/events/facets")
        name = next(e["location"]["name"] for e in all_events(c) if e["location"]["name"])
        assert name and ids(all_events(c, q=name)) >= ids(all_events(client, q=name)) - {None}
        assert get(c, "/api/articles", q="xqzzyvv")["total"] == 0


def test_status_and_bbox(client: TestClient, store: Store) -> None:
    every = store.events(status=None)
    assert get(client, "/api/events", status="all")["total"] == len(every)
    assert get(client, "/api/events", status="withdrawn")["total"] == sum(r["status"] == "withdrawn" for r in every)
    placed = [r for r in store.events() if r["latitude"] is not None]
    r0 = placed[0]
    box = f"{r0['longitude'] - 0.5},{r0['latitude'] - 0.5},{r0['longitude'] + 0.5},{r0['latitude'] + 0.5}"
    got = ids(all_events(client, bbox=box))
    assert r0["event_id"] in got
    assert got == {r["event_id"] for r in placed if abs(r["longitude"] - r0["longitude"]) <= 0.5
                   and abs(r["latitude"] - r0["latitude"]) <= 0.5}


def test_points_timeline_and_facets_agree_with_the_list(client: TestClient) -> None:
    for params in ({}, {"country": "SY"}, {"q": "drone"}, {"claimed": "true"}):
        total = get(client, "/api/events", **params)["total"]
        pts = get(client, "/api/events/points", **params)
        assert pts["count"] == total and all(len(c) == total for c in pts["columns"].values())
        decoded = [{f: (pts["codes"][f][pts["columns"][f][i]] if f in pts["codes"] else pts["columns"][f][i])
                    for f in pts["fields"]} for i in range(total)]
        assert {p["event_id"] for p in decoded} == ids(all_events(client, **params))
        tl = get(client, "/api/events/timeline", **params)
        assert sum(d["count"] for d in tl["days"]) + tl["undated"] == total
        assert sum(p["event_date"] is None for p in decoded) == tl["undated"]
    facets = get(client, "/api/events/facets")
    assert facets["events"] == get(client, "/api/events")["total"]
    for name, param in (("countries", "country"), ("admin1", "admin1"), ("languages", "language"),
                        ("actors", "actor"), ("types", "type")):
        assert facets[name], name
        for f in facets[name][:3]:
            assert get(client, "/api/events", **{param: f["value"]})["total"] == f["count"], (name, f)
    assert next(c for c in facets["countries"] if c["value"] == "SY")["label"] == "Syria"


def test_one_event_has_its_evidence_and_the_article_texts(client: TestClient, store: Store) -> None:
    rows = store.events()
    row = max(rows, key=lambda r: (len(r["summary"]["disagreements"]), r["source_count"]))
    doc = get(client, f"/api/events/{row['event_id']}")
    assert doc["event_id"] == row["event_id"] and doc["values"] == row["summary"]["values"]
    assert doc["disagreements"] == row["summary"]["disagreements"] and doc["disagreements"]
    assert len(doc["sources"]) == row["source_count"] and doc["log"]
    for s in doc["sources"]:
        assert {"outlet", "language", "published", "reported_via", "origin", "party", "duplicate_of"} <= set(s)
    checked = 0
    for m in doc["mentions"]:
        text = doc["articles"][m["article"]]["text"]
        assert m["sentence"] == text[m["sentence_start"]:m["sentence_end"]]
        for ev in m["evidence"].values():
            if ev["start"] is not None:
                assert text[ev["start"]:ev["end"]] == ev["text"]
                checked += 1
    assert checked
    # a prefix, with or without "ev-"
    assert get(client, f"/api/events/{row['event_id'][:10]}")["event_id"] == row["event_id"]
    assert get(client, f"/api/events/{row['event_id'][3:12]}")["event_id"] == row["event_id"]
    r = client.get("/api/events/ev-000000000000")
    assert r.status_code == 404 and "no event" in r.json()["detail"]
    assert client.get("/api/events/ev-not-an-id").status_code == 422  # ids are hex: no clash with /timeline
    assert client.get("/api/events/e").status_code == 409  # ambiguous: many ids start so


# --------------------------------------------------------------------------- mentions, articles


def test_mentions(client: TestClient, store: Store) -> None:
    every = store.mentions()
    page = get(client, "/api/mentions", limit=500)
    assert page["total"] == len(every) and {m["mention_id"] for m in page["items"]} == {m.mention_id for m in every}
    event = store.events()[0]
    assert get(client, "/api/mentions", event_id=event["event_id"])["total"] == event["mention_count"]
    art = every[0].article
    assert get(client, "/api/mentions", article=art)["total"] == sum(m.article == art for m in every)
    assert get(client, "/api/mentions", language="ar")["total"] == sum(m.language == "ar" for m in every)
    assert get(client, "/api/mentions", country="SY")["total"] == len(store.mentions(country="SY"))
    dated = [m for m in every if m.event_date]
    day = dated[0].event_date
    assert get(client, "/api/mentions", since=day, until=day)["total"] == len(store.mentions(since=day, until=day))
    t = dated[0].sub_event_type or dated[0].event_type
    assert get(client, "/api/mentions", type=t)["total"] == sum(t in (m.event_type, m.sub_event_type) for m in every)
    firsts = get(client, "/api/mentions", sort="-date", limit=3)["items"]
    assert [m["event_date"] for m in firsts] == sorted((m.event_date for m in dated), reverse=True)[:3]
    assert get(client, "/api/mentions", limit=2, offset=2)["items"][0]["mention_id"] == page["items"][2]["mention_id"]
    assert client.get("/api/mentions", params={"since": "2024-13"}).status_code == 422


def test_articles(client: TestClient, store: Store) -> None:
    arts = store.articles()
    page = get(client, "/api/articles", limit=500)
    assert page["total"] == len(arts) and "text" not in page["items"][0]
    assert get(client, "/api/articles", language="fr")["total"] == sum(a["language"] == "fr" for a in arts)
    outlet = arts[0]["outlet"]
    assert get(client, "/api/articles", outlet=outlet)["total"] == sum(a["outlet"] == outlet for a in arts)
    assert get(client, "/api/articles", status="ok")["total"] == sum(a["status"] == "ok" for a in arts)
    pubs = sorted(a["published"] for a in arts if a["published"])
    assert get(client, "/api/articles", since=pubs[-1][:10])["items"][0]["published"] == pubs[-1]
    assert get(client, "/api/articles", until=pubs[0][:10], sort="published")["items"][0]["published"] == pubs[0]
    event = store.events()[0]
    assert get(client, "/api/articles", event_id=event["event_id"])["total"] == event["source_count"]
    one = get(client, f"/api/articles/{arts[0]['id']}")
    full = store.article_rows([arts[0]["id"]], with_text=True)[arts[0]["id"]]
    assert one["text"] == full["text"]
    assert set(one["mentions"]) == {m.mention_id for m in store.mentions() if m.article == arts[0]["id"]}
    word = next(w for w in re.findall(r"[^\W\d_]{8,}", full["text"]))
    assert arts[0]["id"] in {a["id"] for a in get(client, "/api/articles", q=word, limit=500)["items"]}
    assert client.get("/api/articles/nope.txt").status_code == 404


def test_tallies_match_reconcile(client: TestClient, store: Store) -> None:
    expected = reconcile(store.tallies(), store.events(), store.article_rows())
    page = get(client, "/api/tallies", limit=500)
    assert page["total"] == len(expected)
    for got, want in zip(page["items"], expected, strict=True):
        for k in ("article", "kind", "count", "since", "until", "scope", "actor", "stored", "difference", "events"):
            assert got[k] == want[k], k
        assert got["outlet"] is not None
    assert any(r["stored"] is not None for r in page["items"])
    sy = get(client, "/api/tallies", country="SY", limit=500)
    assert sy["total"] == sum(1 for r in expected if not r["scope"] or "SY" in r["scope"])
    art = expected[0]["article"]
    assert get(client, "/api/tallies", article=art)["total"] == sum(r["article"] == art for r in expected)
    assert get(client, "/api/tallies", limit=2, offset=1)["items"][0]["article"] == expected[1]["article"]


def test_places(client: TestClient) -> None:
    facilities = get(client, "/api/places", kind="facility", limit=5000)
    assert facilities["total"] > 10 and {p["kind"] for p in facilities["items"]} == {"facility"}
    conoco = get(client, "/api/places", q="koniko")["items"]  # an alias
    assert conoco and conoco[0]["id"] == "conoco-gas-field"
    assert any(p["name"] == "Erbil" for p in get(client, "/api/places", q="أربيل", limit=50)["items"])
    box = get(client, "/api/places", bbox="40,34,41,36", limit=5000)["items"]
    assert box and all(40 <= p["lon"] <= 41 and 34 <= p["lat"] <= 36 for p in box)
    big = get(client, "/api/places", kind="town", min_population=1000000, limit=5000)["items"]
    assert big and all(p["population"] >= 1000000 for p in big)
    ranked = get(client, "/api/places", limit=30)["items"]
    assert ranked[0]["kind"] == "country"
    assert client.get("/api/places", params={"bbox": "x"}).status_code == 422


# --------------------------------------------------------------------------- exports


def test_exports_as_the_cli_writes_them(client: TestClient, store: Store, demo_db: Path) -> None:
    r = client.get("/api/export", params={"format": "acled-csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    with_mentions = {m.event_id for m in store.event_mentions()}
    assert len(rows) == len(with_mentions)
    sy = list(csv.DictReader(io.StringIO(client.get("/api/export", params={"format": "acled-csv",
                                                                           "country": "SY"}).text)))
    assert sy and all(row["iso"] == "760" for row in sy) and len(sy) < len(rows)
    geo = client.get("/api/export", params={"format": "geojson", "since": "2024"}).json()
    assert geo["type"] == "FeatureCollection" and all(f["properties"]["event_date"] >= "2024" for f in geo["features"]
                                                      if f["properties"]["event_date"])
    lines = client.get("/api/export", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == len(store.event_mentions())
    r = client.get("/api/export", params={"format": "jsonl", "per": "event", "type": "Air/drone strike"})
    per_event = [json.loads(x) for x in r.text.splitlines()]
    assert per_event and all(e["sub_event_type"] == "Air/drone strike" for e in per_event)
    assert len(per_event) == get(client, "/api/events", type="Air/drone strike")["total"]
    assert client.get("/api/export", params={"format": "xlsx"}).status_code == 422
    # the CLI's file for the same filter is the same, but for ACLED's upload timestamp
    cli = subprocess.run([sys.executable, "-m", "sitrep.cli", "export", "--format", "jsonl", "--db", str(demo_db),
                          "--country", "IQ"], capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr
    web = client.get("/api/export", params={"format": "jsonl", "country": "IQ"}).text
    assert sorted(web.splitlines()) == sorted(cli.stdout.splitlines())


# --------------------------------------------------------------------------- the index keeps up


def test_search_index_follows_new_and_replaced_articles(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copyfile(demo_db, db)
    with TestClient(create_app(db)) as c:
        assert get(c, "/api/events", q="quartermasterish")["total"] == 0
        before = {u: get(c, u) for u in ("/api/events/points", "/api/events/facets", "/api/events/timeline")}
        with open_store(db) as s:  # another writer, as `sitrep ingest` would be
            ingest([parse_text(SAMPLE, "web-test.txt")], s)
        # nothing cached outlives the write
        events = get(c, "/api/events")["total"]
        assert get(c, "/api/events/points")["count"] == events != before["/api/events/points"]["count"]
        assert get(c, "/api/events/facets")["events"] == events
        assert get(c, "/api/events/timeline") != before["/api/events/timeline"]
        found = all_events(c, q="quartermasterish")
        assert len(found) == 1 and found[0]["location"]["name"] == "Conoco gas field"
        assert get(c, "/api/articles", q="quartermasterish")["items"][0]["id"] == "web-test.txt"
        with open_store(db) as s:  # a corrected version replaces the old text in the index
            ingest([parse_text(SAMPLE.replace("quartermasterish", "fleetfootedish"), "web-test.txt")], s)
        assert get(c, "/api/events", q="quartermasterish")["total"] == 0
        assert get(c, "/api/events", q="fleetfootedish")["total"] == 1
    # a second app on the same file reuses the index as it is
    with TestClient(create_app(db)) as c:
        assert get(c, "/api/events", q="fleetfootedish")["total"] == 1


# --------------------------------------------------------------------------- sitrep serve


def test_serve_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli_app, ["serve", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2 and "no such database" in r.output
    monkeypatch.setattr(vendor, "missing", lambda: ["leaflet.js"])
    r = runner.invoke(cli_app, ["serve", "--db", str(demo_db)])
    assert r.exit_code == 2 and "make web" in r.output
    monkeypatch.undo()
    if vendor.missing():
        return
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        r = runner.invoke(cli_app, ["serve", "--db", str(demo_db), "--port", str(busy.getsockname()[1])])
    assert r.exit_code == 2 and "cannot listen" in r.output and "--port" in r.output


def test_sitrep_serve_answers(demo_db: Path) -> None:
    if vendor.missing():
        pytest.skip(vendor.missing_message())
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "serve", "--db", str(demo_db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"sitrep serve did not start: {proc.communicate()[1]}") from None
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["events"] > 0
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and "content-security-policy" in page.headers
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_server_is_read_only_and_bounded(demo_db: Path) -> None:
    with TestClient(create_app(demo_db, rate=5, burst=5)) as c:
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            r = c.request(method, "/api/events")
            assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
        assert c.get("/api/events", headers={"content-length": str(10**6)}).status_code == 413
        assert c.get("/api/events?q=" + "x" * 9000).status_code == 414
        codes = [c.get("/api/events").status_code for _ in range(12)]
        assert 429 in codes and codes[0] == 200  # the bucket empties, then refuses
        refused = c.get("/api/events")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
        assert "content-security-policy" in refused.headers
