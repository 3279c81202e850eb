"""Fetching over HTTP from a server the test runs on 127.0.0.1: conditional requests, retries,
timeouts, the size cap, per-host politeness, feed parsing and main-text extraction."""

from __future__ import annotations

import pytest

from sitrep.errors import ReadError
from sitrep.read import read_paths
from sitrep.read.feeds import FeedError, parse_feed
from sitrep.read.fetch import Fetcher, FetchError, Request
from sitrep.read.web import article_from_page
from sitrep.records import Article
from tests.fixtures.live.server import FEEDS, PAGES, FixtureServer


def fast(**kw: object) -> Fetcher:
    args: dict = {"delay": 0.0, "timeout": 5.0, "retries": 1, "backoff": 0.01}
    args.update(kw)
    return Fetcher(**args)


# --------------------------------------------------------------------------- HTTP


def test_conditional_request_gets_304_and_nothing_new(server: FixtureServer) -> None:
    url = server.url("/crescent/rss.xml")
    with fast() as f:
        first = f.fetch(url)
        assert first.status == 200 and b"<rss" in first.body
        assert first.etag == '"feed-0-v1"' and first.last_modified
        again = f.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    seen = server.hits("/crescent/rss.xml")[1].headers
    assert seen["if-none-match"] == '"feed-0-v1"' and seen["if-modified-since"] == first.last_modified


def test_last_modified_alone_is_enough(server: FixtureServer) -> None:
    url = server.url("/echo/flux.rss")
    with fast() as f:
        first = f.fetch(url)
        assert first.etag is None
        assert f.fetch(url, last_modified=first.last_modified).status == 304


def test_5xx_is_retried_with_backoff_then_succeeds(server: FixtureServer) -> None:
    server.add("/flaky", "<html><body><p>ok</p></body></html>", fail_first=2)
    with fast(retries=2) as f:
        page = f.fetch(server.url("/flaky"))
    assert page.status == 200 and len(server.hits("/flaky")) == 3


def test_a_failing_url_is_one_clear_error(server: FixtureServer) -> None:
    server.add("/down", "", status=500)
    server.add("/gone", "", status=404)
    with fast(retries=2) as f:
        with pytest.raises(FetchError) as down:
            f.fetch(server.url("/down"))
        with pytest.raises(FetchError) as gone:
            f.fetch(server.url("/gone"))
    assert str(down.value) == f"{server.url('/down')}: HTTP 500 Internal Server Error (3 attempts)"
    assert len(server.hits("/down")) == 3
    assert str(gone.value) == f"{server.url('/gone')}: HTTP 404 Not Found"
    assert len(server.hits("/gone")) == 1  # a 404 will not get better: no retry
    assert isinstance(gone.value, ReadError)


def test_oversize_pages_are_refused(server: FixtureServer) -> None:
    big = b"<html><body>" + b"<p>filler text</p>" * 40_000 + b"</body></html>"
    server.add("/big", big)
    server.add("/big-chunked", big, chunked=True)
    with fast(max_bytes=200_000) as f:
        with pytest.raises(FetchError, match=r"refused: the page is \d+ bytes, over the 200000-byte limit"):
            f.fetch(server.url("/big"))
        with pytest.raises(FetchError, match="refused: the page is over the 200000-byte limit"):
            f.fetch(server.url("/big-chunked"))  # no Content-Length: cut off while reading


def test_a_slow_host_does_not_stall_the_others(server: FixtureServer) -> None:
    slow = FixtureServer()
    try:
        slow.add("/slow", "<html><body><p>late</p></body></html>", delay=30)
        reqs = [Request(slow.url("/slow")), *(Request(server.url(p)) for p in PAGES)]
        with fast(timeout=0.5, retries=1) as f:
            done = list(f.fetch_many(reqs))
    finally:
        slow.close()
    order = [req.url for req, _ in done]
    assert order[-1] == slow.url("/slow")  # everything else finished while it timed out
    results = dict((req.url, got) for req, got in done)
    err = results[slow.url("/slow")]
    assert isinstance(err, FetchError) and "timed out after 0.5s" in err.message and "(2 attempts)" in err.message
    assert all(results[server.url(p)].status == 200 for p in PAGES)


def test_fetch_many_in_order_and_one_error_per_bad_url(server: FixtureServer) -> None:
    urls = [server.url("/warta/rss"), server.url("/nope"), server.url("/crescent/rss.xml"), "http://127.0.0.1:9/x"]
    with fast(timeout=1.0, retries=0) as f:
        done = list(f.fetch_many([Request(u) for u in urls], ordered=True))
    assert [r.url for r, _ in done] == urls
    assert [type(g).__name__ for _, g in done] == ["Page", "FetchError", "Page", "FetchError"]
    assert "HTTP 404" in done[1][1].message and "cannot connect" in done[3][1].message


def test_requests_to_one_host_are_spaced_and_one_at_a_time(server: FixtureServer) -> None:
    reqs = [Request(server.url(p)) for p in PAGES]
    with fast(delay=0.3, per_host=1, workers=4) as f:
        assert all(got.status == 200 for _, got in f.fetch_many(reqs))
    starts = sorted(h.at for h in server.log)
    assert len(starts) == len(PAGES)
    # arrival times jitter on a loaded machine: half the delay still tells spacing (unspaced
    # requests arrive within milliseconds of each other) from none
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= 0.15
    assert server.max_in_flight == 1


# --------------------------------------------------------------------------- feeds


def test_rss_and_atom_items(server: FixtureServer) -> None:
    with fast() as f:
        rss = f.fetch(server.url("/crescent/rss.xml"))
        atom = f.fetch(server.url("/herald/atom.xml"))
    [item] = parse_feed(rss.body, rss.url)
    assert item.key == "crescent-2024-0205-0620" and item.published == "2024-02-05"
    assert item.link == server.url("/crescent/2024/02/05/ain-al-asad-drones")
    [entry] = parse_feed(atom.body, atom.url)
    # a relative link, with a #fragment, resolved against the feed's address
    assert entry.link == server.url("/herald/news/iraq-drones-base-us-troops.html")
    assert entry.key == "urn:herald:article:88412" and entry.published == "2024-02-05"
    assert entry.title == "Iraq: explosive drones target base hosting US troops"


def test_every_fixture_feed_parses() -> None:
    from tests.fixtures.live.server import HERE

    for name, *_ in FEEDS.values():
        items = parse_feed((HERE / name).read_bytes().replace(b"{base}", b"http://127.0.0.1:1"), "http://127.0.0.1:1/f")
        assert len(items) == 1 and items[0].published and items[0].title, name


def test_not_a_feed_is_a_feed_error() -> None:
    with pytest.raises(FeedError, match=r"^http://h/f: not an RSS or Atom feed"):
        parse_feed(b"<html><body><p>This is a page, not a feed.</p></body></html>", "http://h/f")
    with pytest.raises(FeedError, match="empty feed"):
        parse_feed(b"  ", "http://h/f")


# --------------------------------------------------------------------------- pages to articles

EXPECT = {
    # page: (language, date, outlet, words of the article, boilerplate that must be gone)
    "/crescent/2024/02/05/ain-al-asad-drones": (
        "en", "2024-02-05", "Crescent Wire",
        ["Two drones loaded with explosives", "orderly end to the coalition's military mission"],
        ["Read also", "Parliament debates", "Share on Facebook", "Archive picture", "convoy drives past",
         "How many more", "Sign in", "Privacy policy", "Photos"]),
    "/echo/moyen-orient/irak-erbil-roquettes": (
        "fr", "2024-02-06", "L'Écho du Golfe",
        ["Trois roquettes ont été tirées", "promis une enquête"],
        ["Lire aussi", "querelle budgétaire", "Partager", "citadelle", "Encore une nuit", "S'abonner",
         "Mentions légales"]),
    "/sada/iraq/victoria-base": (
        "ar", "2024-02-07", "صدى الرافدين",
        ["سقطت ثلاثة صواريخ", "المقاومة الإسلامية في العراق"],
        ["اقرأ أيضاً", "الموازنة", "واتساب", "صورة من الأرشيف", "يحفظ أهل بغداد", "الرئيسية", "جميع الحقوق"]),
    "/warta/internasional/drone-al-tanf": (
        "id", "2024-02-08", None,
        ["Sebuah drone bermuatan bahan peledak", "Pentagon belum memberikan"],
        ["Baca juga", "Harga Minyak", "Bagikan", "Ilustrasi", "Semoga cepat damai", "Indeks Berita", "Copyright"]),
}


def test_pages_become_articles_without_boilerplate(server: FixtureServer) -> None:
    with fast() as f:
        for path, (lang, date, outlet, kept, gone) in EXPECT.items():
            page = f.fetch(server.url(path))
            art = article_from_page(page, page.url)
            assert (art.language, art.published) == (lang, date), path
            if outlet:
                assert art.outlet == outlet
            for words in kept:
                assert words in art.text, (path, words)
            for words in gone:
                assert words not in art.text, (path, words)
            assert art.html and art.source_path == page.url and art.id == page.url


def test_feed_hints_name_the_outlet_and_fill_gaps(server: FixtureServer) -> None:
    with fast() as f:
        page = f.fetch(server.url("/warta/internasional/drone-al-tanf"))
    art = article_from_page(page, page.url, {"outlet": "Warta Dunia", "language": "id", "title": "x"})
    assert art.outlet == "Warta Dunia" and art.title == "Drone Serang Pangkalan AS di Al-Tanf, Suriah"


def test_a_non_html_page_is_refused(server: FixtureServer) -> None:
    server.add("/photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png")
    with fast() as f:
        page = f.fetch(server.url("/photo.png"))
    with pytest.raises(ReadError, match=r"photo\.png: not an HTML page \(content type image/png\)"):
        article_from_page(page, page.url)


def test_read_paths_fetches_urls_among_files(server: FixtureServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("Two rockets hit Ain al-Asad air base on March 3, 2024.", encoding="utf-8")
    server.add("/huge", b"<html>" + b"x" * 30_000_000 + b"</html>")
    urls = [server.url("/echo/moyen-orient/irak-erbil-roquettes"), server.url("/nope"),
            server.url("/sada/iraq/victoria-base#comments"), server.url("/huge")]
    items = list(read_paths([urls[0], urls[1], str(tmp_path / "a.txt"), urls[2], urls[3]]))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Article", "FetchError", "Article", "Article", "FetchError"]
    assert items[0].id == urls[0] and items[0].language == "fr"
    assert items[3].id == server.url("/sada/iraq/victoria-base")  # the fragment is not part of the id
    assert str(items[1]) == f"{urls[1]}: HTTP 404 Not Found"
    assert "over the 5000000-byte limit" in str(items[4])
    assert isinstance(items[2], Article) and items[2].id == "a.txt"


def test_private_and_loopback_addresses_are_refused_unless_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITREP_ALLOW_PRIVATE")
    with Fetcher(retries=0, delay=0) as f:
        for url in ("http://127.0.0.1:9/", "http://localhost/", "http://10.1.2.3/", "http://169.254.169.254/latest",
                    "http://[::1]/"):
            with pytest.raises(FetchError, match="private or local address"):
                f.fetch(url)
        with pytest.raises(FetchError, match="not an http"):
            f.fetch("file:///etc/passwd")
    monkeypatch.setenv("SITREP_ALLOW_PRIVATE", "1")
    with Fetcher(retries=0, delay=0, timeout=1) as f:
        with pytest.raises(FetchError) as exc:
            f.fetch("http://127.0.0.1:9/")  # allowed: it is tried (and nobody listens there)
        assert "private" not in str(exc.value)


def test_a_redirect_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example.org":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1/admin"})
        return httpx.Response(200, text="secret")

    monkeypatch.delenv("SITREP_ALLOW_PRIVATE")
    monkeypatch.setattr("socket.getaddrinfo", lambda host, *a, **k: [(0, 0, 0, "", ("93.184.216.34", 80))]
                        if host == "news.example.org" else [(0, 0, 0, "", ("127.0.0.1", 80))])
    with Fetcher(retries=0, delay=0, transport=httpx.MockTransport(handler)) as f:
        with pytest.raises(FetchError, match="private or local address"):
            f.fetch("http://news.example.org/story")
