"""Live ingestion end to end against a local HTTP server (127.0.0.1, started by the test):
feeds polled twice ingest each item once, 304s fetch nothing, syndicated copies are linked,
Ctrl-C and a re-run lose and duplicate nothing, stored pages re-process."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.errors import ReadError
from sitrep.live.config import ConfigError, config_from_dict, load_config, parse_duration
from sitrep.live.reprocess import reprocess
from sitrep.live.syndication import SyndicationIndex
from sitrep.live.watch import make_fetcher, poll
from sitrep.pipeline import ingest
from sitrep.read import read_paths
from sitrep.store import Store, open_store
from sitrep.store import pages as state
from sitrep.store.db import Store as StoreClass
from tests.fixtures.live.server import FEEDS, PAGES, FixtureServer, feeds_toml

ROOT = Path(__file__).resolve().parents[1]
ORIGINAL = "/crescent/2024/02/05/ain-al-asad-drones"
COPY = "/herald/news/iraq-drones-base-us-troops.html"
OWN_REPORT = "/ledger/region/anbar-drone-fire"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "live.db") as s:
        yield s


def config(server: FixtureServer, tmp_path: Path, paths: list[str] | None = None, settings: str = ""):  # type: ignore[no-untyped-def]
    f = tmp_path / "feeds.toml"
    f.write_text(feeds_toml(server, paths, settings), encoding="utf-8")
    return load_config(f)


def run_poll(cfg, store: Store, dedup: SyndicationIndex | None = None):  # type: ignore[no-untyped-def]
    fetcher = make_fetcher(cfg)
    fetcher.backoff = 0.01
    try:
        return poll(cfg, store, fetcher, dedup=dedup)
    finally:
        fetcher.close()


def articles(store: Store) -> dict[str, dict]:
    return {a["id"]: a for a in store.articles()}


def page_hits(server: FixtureServer) -> dict[str, int]:
    return {p: len(server.hits(p)) for p in PAGES}


# --------------------------------------------------------------------------- config


def test_example_config_and_duration() -> None:
    cfg = load_config(ROOT / "sitrep" / "samples" / "feeds.example.toml")
    assert len(cfg.feeds) == 4 and cfg.every == 600
    ar = [f for f in cfg.feeds if f.language == "ar"][0]
    assert ar.party == "Axis of Resistance media" and ar.outlet == "Example Resistance Media"
    assert [parse_duration(v) for v in ("90", "90s", "10m", "1h", 30)] == [90, 90, 600, 3600, 30]
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("soon")


@pytest.mark.parametrize(("data", "message"), [
    ({}, "no [[feed]] listed"),
    ({"feed": [{"url": "ftp://x/y"}]}, "feed #1 needs a url starting with http:// or https://"),
    ({"feed": [{"url": "http://x/a", "lang": "fr"}]}, "feed #1 has unknown key(s) lang"),
    ({"feed": [{"url": "http://x/a", "language": "French"}]}, "language 'French' is not a 2- or 3-letter code"),
    ({"feed": [{"url": "http://x/a"}, {"url": "http://x/a"}]}, "feed #2: http://x/a is listed twice"),
    ({"settings": {"every": "often"}, "feed": [{"url": "http://x/a"}]}, "[settings] every: not a duration"),
    ({"settings": {"delay": "1"}, "feed": [{"url": "http://x/a"}]}, "[settings] delay = '1' has the wrong type"),
    ({"feeds": []}, "unknown section(s) feeds"),
])
def test_bad_configs_say_what_is_wrong(data: dict, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        config_from_dict(data, "f.toml")
    assert str(exc.value).startswith("f.toml: ") and message in str(exc.value)


def test_party_flag_true_and_unreadable_file(tmp_path: Path) -> None:
    cfg = config_from_dict({"feed": [{"url": "http://x/a", "party": True}]})
    assert cfg.feeds[0].party == "partisan"
    bad = tmp_path / "bad.toml"
    bad.write_text("[[feed]\nurl = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml: not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="missing.toml: no such file"):
        load_config(tmp_path / "missing.toml")


# --------------------------------------------------------------------------- polling


def test_polled_twice_each_item_once_and_304_fetches_nothing(server: FixtureServer, store: Store,
                                                             tmp_path: Path) -> None:
    cfg = config(server, tmp_path)
    first = run_poll(cfg, store, SyndicationIndex())
    assert not first.errors, first.errors
    assert (first.new_items, first.fetched, first.ingest.new, first.not_modified) == (6, 6, 6, 0)
    assert page_hits(server) == dict.fromkeys(PAGES, 1)
    stored = articles(store)
    assert set(stored) == {server.url(p) for p in PAGES}
    # dates and outlets: the feed config's outlet, the page's date
    by_path = {p: stored[server.url(p)] for p in PAGES}
    assert by_path["/warta/internasional/drone-al-tanf"]["outlet"] == "Warta Dunia"
    assert by_path["/sada/iraq/victoria-base"]["outlet"] == "صدى الرافدين"
    assert [by_path[p]["published"] for p in PAGES] == ["2024-02-05", "2024-02-05", "2024-02-06", "2024-02-07",
                                                        "2024-02-08", "2024-02-05"]
    assert [by_path[p]["language"] for p in PAGES] == ["en", "en", "fr", "ar", "id", "en"]
    places = {m.location.name for m in store.mentions()}
    assert {"Ain al-Asad air base", "Erbil International Airport", "Baghdad International Airport",
            "al-Tanf"} <= places

    second = run_poll(cfg, store, SyndicationIndex())
    assert (second.not_modified, second.new_items, second.fetched, second.ingest.articles) == (6, 0, 0, 0)
    assert page_hits(server) == dict.fromkeys(PAGES, 1)  # no article page fetched again
    for path in FEEDS:
        last = server.hits(path)[-1].headers
        assert "if-modified-since" in last, path
        if path != "/echo/flux.rss":  # that server sends no ETag
            assert last["if-none-match"].startswith('"feed-'), path
    assert len(articles(store)) == 6


def test_a_changed_feed_fetches_only_its_new_items(server: FixtureServer, store: Store, tmp_path: Path) -> None:
    cfg = config(server, tmp_path, ["/crescent/rss.xml", "/ledger/rss.xml"])
    run_poll(cfg, store)
    new_page = ("<html lang='en'><head><title>Rockets land near Harir base</title></head><body><article>"
                "<h1>Rockets land near Harir base</h1><p>Two rockets landed near Harir air base north of Erbil on "
                "Tuesday, February 6, 2024, the Kurdistan counter-terrorism service said.</p><p>There were no "
                "casualties, and the launch site was found in a field outside the town.</p></article></body></html>")
    server.add("/crescent/2024/02/06/harir", new_page)
    old = server.routes["/crescent/rss.xml"].body.decode()
    item = (f"<item><title>Rockets land near Harir base</title><link>{server.url('/crescent/2024/02/06/harir')}"
            "</link><pubDate>Tue, 06 Feb 2024 10:00:00 GMT</pubDate></item>")
    server.add("/crescent/rss.xml", old.replace("<item>", item + "<item>", 1), etag='"crescent-v2"',
               content_type="application/rss+xml")
    again = run_poll(cfg, store)
    assert (again.not_modified, again.new_items, again.ingest.new, again.skipped) == (1, 1, 1, 1)
    assert len(server.hits("/crescent/2024/02/06/harir")) == 1 and len(server.hits(ORIGINAL)) == 1


def test_an_item_already_ingested_by_url_is_not_fetched_again(server: FixtureServer, store: Store,
                                                              tmp_path: Path) -> None:
    ingest(read_paths([server.url(ORIGINAL)]), store)
    report = run_poll(config(server, tmp_path, ["/crescent/rss.xml"]), store)
    assert (report.new_items, report.skipped) == (0, 1) and len(server.hits(ORIGINAL)) == 1


def test_watch_polls_every_interval_until_stopped(server: FixtureServer, store: Store, tmp_path: Path) -> None:
    from sitrep.live.watch import watch

    reports = []

    def stop_after_two(report) -> None:  # type: ignore[no-untyped-def]
        reports.append(report)
        if len(reports) == 2:
            raise KeyboardInterrupt

    index = SyndicationIndex()
    with pytest.raises(KeyboardInterrupt):
        watch(config(server, tmp_path, ["/crescent/rss.xml", "/herald/atom.xml"]), store, every=0.05,
              dedup=index, on_report=stop_after_two)
    assert [(r.ingest.new, r.not_modified, r.linked) for r in reports] == [(2, 0, 1), (0, 2, 0)]
    assert len(index) == 2 and index.forget_older_than(0) == 2 and len(index) == 0


# --------------------------------------------------------------------------- syndication


def test_a_syndicated_copy_is_linked_and_counted_once(server: FixtureServer, store: Store, tmp_path: Path) -> None:
    cfg = config(server, tmp_path)
    report = run_poll(cfg, store, SyndicationIndex.from_store(store))
    assert report.linked == 1
    stored = articles(store)
    assert stored[server.url(COPY)]["duplicate_of"] == server.url(ORIGINAL)
    assert stored[server.url(OWN_REPORT)]["duplicate_of"] is None  # its own reporting: a source of its own
    assert all(a["duplicate_of"] is None for k, a in stored.items() if k != server.url(COPY))
    # both keep their mentions, but corroboration counts them as one source
    asad = [m for m in store.mentions() if m.location.name == "Ain al-Asad air base"]
    assert {m.article for m in asad} == {server.url(ORIGINAL), server.url(COPY)}
    (event_id,) = {m.event_id for m in asad}
    found = store.event(event_id)
    assert found is not None
    sources = {s["article"]: s for s in found["event"]["summary"]["sources"]}
    assert sources[server.url(COPY)]["duplicate_of"] == server.url(ORIGINAL)
    assert sources[server.url(COPY)]["origin"] == sources[server.url(ORIGINAL)]["origin"]


def test_the_index_is_rebuilt_from_the_store_when_a_process_starts(server: FixtureServer, store: Store,
                                                                    tmp_path: Path) -> None:
    run_poll(config(server, tmp_path, ["/crescent/rss.xml"]), store, SyndicationIndex())
    # a later process: a lightly edited copy on another site, linked to the stored original
    html = (Path(__file__).parent / "fixtures" / "live" / "herald_asad_copy.html").read_text(encoding="utf-8")
    edited = html.replace("Two drones loaded with explosives", "Two explosive-laden drones").replace(
        "mostly concussions, in those earlier strikes", "most of them concussions")
    server.add("/mirror/asad", edited)
    index = SyndicationIndex.from_store(store)
    assert len(index) == 1
    report = ingest(read_paths([server.url("/mirror/asad")]), store, dedup=index)
    assert report.new == 1
    assert articles(store)[server.url("/mirror/asad")]["duplicate_of"] == server.url(ORIGINAL)


def test_syndication_index_rules() -> None:
    wire = " ".join(f"word{i}" for i in range(120))
    index = SyndicationIndex()
    assert index.original_of(wire, "a") is None
    index.add(wire, "a")
    assert index.original_of(wire, "a") is None  # re-saving an article is not copying it
    copy = wire.replace("word50 word51", "other text") + " credit line"
    assert index.original_of(copy, "b") == "a"
    index.add(copy, "b", "a")
    # a copy of the copy is linked to the first article, not to the copy
    assert index.original_of(copy + " more", "c") == "a"
    assert index.original_of(" ".join(f"other{i}" for i in range(120)), "d") is None
    assert index.original_of("word1 word2 word3 word4 word5", "e") is None  # too short to tell
    index.add(wire + " updated", "a")  # a replaced article is re-indexed under its id
    assert len(index) == 2 and "a" in index


# --------------------------------------------------------------------------- failures


def test_a_failing_page_is_one_error_and_is_retried_then_given_up(server: FixtureServer, store: Store,
                                                                   tmp_path: Path) -> None:
    server.routes["/echo/moyen-orient/irak-erbil-roquettes"].status = 500
    cfg = config(server, tmp_path, ["/crescent/rss.xml", "/echo/flux.rss"], settings="max_attempts = 2")
    first = run_poll(cfg, store)
    [err] = first.errors
    url = server.url("/echo/moyen-orient/irak-erbil-roquettes")
    assert isinstance(err, ReadError) and str(err) == f"{url}: HTTP 500 Internal Server Error (2 attempts)"
    assert set(articles(store)) == {server.url(ORIGINAL)}
    second = run_poll(cfg, store)  # the feed is fetched in full again so the item is retried
    assert second.not_modified == 1 and second.new_items == 1 and len(second.errors) == 1
    third = run_poll(cfg, store)  # given up after max_attempts: the feed's validators are saved now
    assert third.not_modified == 1 and third.new_items == 0 and not third.errors
    fourth = run_poll(cfg, store)
    assert fourth.not_modified == 2


def test_oversize_page_and_slow_feed_host_do_not_stop_the_poll(server: FixtureServer, store: Store,
                                                                tmp_path: Path) -> None:
    server.add("/warta/internasional/drone-al-tanf", b"<html><body>" + b"<p>iklan</p>" * 50_000 + b"</body></html>")
    slow = FixtureServer()
    try:
        slow.add("/feed.xml", "<rss version='2.0'><channel></channel></rss>", delay=30,
                 content_type="application/rss+xml")
        text = feeds_toml(server, ["/crescent/rss.xml", "/warta/rss"], "max_bytes = 300000\ntimeout = 0.5")
        text += f'\n[[feed]]\nurl = "{slow.url("/feed.xml")}"\n'
        (tmp_path / "feeds.toml").write_text(text, encoding="utf-8")
        report = run_poll(load_config(tmp_path / "feeds.toml"), store)
    finally:
        slow.close()
    big, late = sorted((str(e) for e in report.errors), key=lambda m: slow.base in m)
    assert re.fullmatch(re.escape(server.url("/warta/internasional/drone-al-tanf")) +
                        r": refused: the page is \d+ bytes, over the 300000-byte limit", big)
    assert late == f"{slow.url('/feed.xml')}: timed out after 0.5s (ReadTimeout) (2 attempts)"
    assert set(articles(store)) == {server.url(ORIGINAL)}


def test_interrupt_and_resume_neither_duplicates_nor_loses(server: FixtureServer, store: Store,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = config(server, tmp_path)
    real_save = StoreClass.save
    calls = {"n": 0}

    def save_then_ctrl_c(self, article, extraction, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_save(self, article, extraction, **kw)

    monkeypatch.setattr(StoreClass, "save", save_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        run_poll(cfg, store, SyndicationIndex())
    monkeypatch.setattr(StoreClass, "save", real_save)
    done_before = set(articles(store))
    assert len(done_before) == 2

    resumed = run_poll(cfg, store, SyndicationIndex.from_store(store))
    assert not resumed.errors
    assert resumed.not_modified == 0  # validators were not saved by the interrupted poll
    assert resumed.ingest.new == 4 and resumed.skipped == 2
    stored = articles(store)
    assert set(stored) == {server.url(p) for p in PAGES}
    for path, n in page_hits(server).items():  # pages stored before Ctrl-C are not fetched again
        assert n == 1 if server.url(path) in done_before else n in (1, 2), path
    ids = [m.mention_id for m in store.mentions()]
    assert len(ids) == len(set(ids))
    assert stored[server.url(COPY)]["duplicate_of"] == server.url(ORIGINAL)
    con = sqlite3.connect(tmp_path / "live.db")
    assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM pages").fetchone() == (6, 6)
    assert con.execute("SELECT count(*) FROM feed_items WHERE status = 'stored'").fetchone() == (6,)


# --------------------------------------------------------------------------- raw pages and reprocess


def test_raw_pages_are_kept_compressed_and_reprocess_replaces_mentions(server: FixtureServer, store: Store,
                                                                        tmp_path: Path) -> None:
    run_poll(config(server, tmp_path), store, SyndicationIndex())
    (tmp_path / "note.txt").write_text("url: https://example.org/t\npublished: 2024-02-09\nlanguage: en\n\n"
                                       "Two rockets hit Ain al-Asad air base on February 9, 2024.", encoding="utf-8")
    ingest(read_paths([str(tmp_path / "note.txt")]), store)
    before = {m.mention_id: m.to_dict() for m in store.mentions()}
    links = {k: a["duplicate_of"] for k, a in articles(store).items()}

    page = state.load_page(store, server.url("/sada/iraq/victoria-base"))
    assert page is not None and "اقرأ أيضاً" in page.html and page.hints["party"] == "Axis of Resistance media"
    assert state.article_parties(store) == {page.article_id: "Axis of Resistance media"}
    con = sqlite3.connect(tmp_path / "live.db")
    size, body = con.execute("SELECT size, body FROM pages WHERE article_id = ?", (page.article_id,)).fetchone()
    assert len(body) < size and zlib.decompress(body).decode("utf-8") == page.html

    # an older sitrep's extraction: mentions lost or wrong
    con.execute("DELETE FROM mentions")
    con.commit()
    report = reprocess(store)
    assert not report.errors and report.replaced == 7
    after = {m.mention_id: m.to_dict() for m in store.mentions()}
    assert after == before
    assert {k: a["duplicate_of"] for k, a in articles(store).items()} == links
    assert ingest(read_paths([str(tmp_path / "note.txt")]), store).articles == 1  # still ingestible


# --------------------------------------------------------------------------- command line


def sitrep(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], cwd=cwd, capture_output=True, timeout=300)


def test_cli_watch_once_ingest_url_and_reprocess(server: FixtureServer, tmp_path: Path) -> None:
    server.routes["/sada/iraq/victoria-base"].status = 404
    (tmp_path / "feeds.toml").write_text(feeds_toml(server), encoding="utf-8")
    r = sitrep("watch", "feeds.toml", "--once", "--db", "w.db", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out, err = r.stdout.decode(), r.stderr.decode()
    assert "6 feeds (0 not modified), 6 new items" in out and "5 new" in out and "1 syndicated copies linked" in out
    assert f"error {server.url('/sada/iraq/victoria-base')}: HTTP 404 Not Found" in " ".join(err.split())
    r = sitrep("watch", "feeds.toml", "--once", "--db", "w.db", cwd=tmp_path)
    assert "6 feeds (5 not modified), 1 new items" in r.stdout.decode()

    r = sitrep("ingest", server.url("/echo/moyen-orient/irak-erbil-roquettes"), server.url("/nope"), "--db", "u.db",
               cwd=tmp_path)
    assert r.returncode == 0 and "articles: 1 new" in r.stdout.decode()
    assert f"{server.url('/nope')}: HTTP 404 Not Found" in r.stderr.decode()

    r = sitrep("reprocess", "--db", "w.db", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "re-processed 5 articles" in r.stdout.decode()
    r = sitrep("reprocess", "--db", "missing.db", cwd=tmp_path)
    assert r.returncode == 2 and "missing.db: no such database" in r.stderr.decode()
    assert not (tmp_path / "missing.db").exists()
    r = sitrep("watch", "nope.toml", "--once", cwd=tmp_path)
    assert r.returncode == 2 and "nope.toml: no such file" in r.stderr.decode()
