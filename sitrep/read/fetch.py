"""HTTP(S) fetching for live ingestion: polite, conditional, bounded.

One ``Fetcher`` holds an httpx client and, per host (``host:port``), a minimum delay between
two requests and a cap on requests in flight. A failed request is retried with exponential
backoff on 5xx, 429, timeouts and connection errors; each failure ends as one ``FetchError``
naming the URL. Bodies are read as a stream and refused past ``max_bytes``, so a huge or
endless page cannot fill the memory.

Only http and https are fetched, and, unless allowed, no private, loopback, link-local or
reserved address (a feed must not make sitrep read the local network: SSRF). The check runs on
every request, redirects included. Allow it with ``allow_private = true`` in the feeds file or
``SITREP_ALLOW_PRIVATE=1`` (the test suite sets the latter: its servers run on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import os
import queue
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urlsplit

import httpx

from sitrep.errors import ReadError

USER_AGENT = "sitrep/0.1 (conflict-event reader; polite: one request per host at a time)"
RETRY_STATUS = {429, 500, 502, 503, 504}


class FetchError(ReadError):
    """A URL could not be fetched (network, HTTP status, size cap); the batch goes on."""


@dataclass
class Page:
    """One HTTP response: 200 with a body, or 304 (not modified) with none."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class Request:
    """A URL to fetch, with the validators of the copy we already hold (conditional GET)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def normalise_url(url: str) -> str:
    """The URL without its #fragment: the same page, whichever anchor a feed links to."""
    return urldefrag(url.strip())[0]


def host_key(url: str) -> str:
    # host:port, so two servers on one machine are two hosts (as they are to their owners)
    parts = urlsplit(url)
    return (parts.netloc or parts.path).lower()


@dataclass
class _Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0


class Fetcher:
    """A polite HTTP client; use as a context manager or call ``close``."""

    def __init__(self, *, timeout: float = 20.0, deadline: float = 60.0, max_bytes: int = 5_000_000,
                 retries: int = 2, backoff: float = 1.0, max_backoff: float = 30.0, delay: float = 1.0,
                 per_host: int = 1, workers: int = 8, user_agent: str = USER_AGENT,
                 transport: httpx.BaseTransport | None = None, allow_private: bool | None = None) -> None:
        if allow_private is None:
            allow_private = os.environ.get("SITREP_ALLOW_PRIVATE", "") not in ("", "0", "false")
        self.allow_private = allow_private
        self.timeout = timeout
        self.deadline = deadline  # whole attempt, body included: a trickling server is cut off
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.delay = delay
        self.per_host = max(1, per_host)
        self.workers = max(1, workers)
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._stop = threading.Event()
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=5,
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
            limits=httpx.Limits(max_connections=self.workers * self.per_host),
            event_hooks={"request": [self._guard]},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self.client.close()

    # -- one URL

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        """GET ``url`` (conditionally when validators are given); raises ``FetchError``."""
        if not is_url(url):
            raise FetchError(url, "not an http(s) URL")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = self._host(url)
        last: str = "no attempt made"
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))
            if self._stop.is_set():
                raise FetchError(url, "stopped before the request was sent")
            with host.slots:
                self._wait_turn(host)
                try:
                    page = self._get(url, headers)
                except _Retry as exc:
                    last = exc.message
                    if exc.wait:
                        self._sleep(min(self.max_backoff, exc.wait))
                    continue
            return page
        tries = self.retries + 1
        raise FetchError(url, f"{last} ({tries} attempt{'s' if tries > 1 else ''})")

    def _guard(self, request: httpx.Request) -> None:
        """Refuse a request (first or redirected) to a scheme or address sitrep must not read."""
        if request.url.scheme not in ("http", "https"):
            raise _Refused(f"refused: {request.url.scheme}: is not http(s)")
        if self.allow_private:
            return
        host = request.url.host
        try:
            infos = socket.getaddrinfo(host, request.url.port or 80, proto=socket.IPPROTO_TCP)
        except OSError:
            return  # the connection will fail and say so
        for info in infos:
            ip = ipaddress.ip_address(info[4][0])
            if not ip.is_global or ip.is_multicast:
                raise _Refused(f"refused: {host} is a private or local address ({ip}); "
                               "set allow_private = true in the feeds file or SITREP_ALLOW_PRIVATE=1 to allow")

    def _get(self, url: str, headers: dict[str, str]) -> Page:
        start = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                if resp.status_code in RETRY_STATUS:
                    raise _Retry(f"HTTP {resp.status_code} {resp.reason_phrase}".strip(),
                                 _retry_after(resp.headers.get("Retry-After")))
                if resp.status_code == 304:
                    return self._page(url, resp, b"")
                if resp.status_code >= 400:
                    raise FetchError(url, f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
                declared = resp.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(url, f"refused: the page is {int(declared)} bytes, over the "
                                          f"{self.max_bytes}-byte limit")
                chunks: list[bytes] = []
                size = 0
                # counts decoded bytes, so a small gzip body that inflates hugely is refused too
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, f"refused: the page is over the {self.max_bytes}-byte limit")
                    if time.monotonic() - start > self.deadline:
                        raise _Retry(f"timed out: the page took over {self.deadline:g}s to arrive")
                    chunks.append(chunk)
                return self._page(url, resp, b"".join(chunks))
        except _Refused as exc:
            raise FetchError(url, str(exc)) from exc
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out after {self.timeout:g}s ({type(exc).__name__})") from exc
        except httpx.ConnectError as exc:
            raise _Retry(f"cannot connect: {exc}") from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise FetchError(url, f"bad URL: {exc}") from exc
        except httpx.TooManyRedirects as exc:
            raise FetchError(url, "too many redirects") from exc
        except httpx.TransportError as exc:  # dropped connection, protocol error...
            raise _Retry(f"network error: {type(exc).__name__}: {exc}") from exc
        except httpx.HTTPError as exc:  # a body that does not decode (bad gzip) will not get better
            raise FetchError(url, f"bad response: {type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _page(url: str, resp: httpx.Response, body: bytes) -> Page:
        return Page(url=url, final_url=str(resp.url), status=resp.status_code, body=body,
                    content_type=resp.headers.get("Content-Type"), etag=resp.headers.get("ETag"),
                    last_modified=resp.headers.get("Last-Modified"))

    # -- many URLs

    def fetch_many(self, requests: Iterable[Request], ordered: bool = False,
                   ) -> Iterator[tuple[Request, Page | FetchError]]:
        """Fetch concurrently, one queue per host so a slow or dead host holds only its own
        worker; results come as they complete, or in the order asked when ``ordered``."""
        reqs = list(requests)
        if not reqs:
            return
        by_host: dict[str, deque[tuple[int, Request]]] = defaultdict(deque)
        for i, r in enumerate(reqs):
            by_host[host_key(r.url)].append((i, r))
        results: queue.Queue[tuple[int, Page | FetchError]] = queue.Queue()
        stop = threading.Event()

        def drain(todo: deque[tuple[int, Request]]) -> None:
            while not stop.is_set():
                try:
                    i, r = todo.popleft()  # deque.popleft is atomic: workers of one host share it
                except IndexError:
                    return
                try:
                    got: Page | FetchError = self.fetch(r.url, r.etag, r.last_modified)
                except FetchError as exc:
                    got = exc
                except Exception as exc:  # noqa: BLE001 - any surprise is this URL's error, not the batch's
                    got = FetchError(r.url, f"fetch failed: {type(exc).__name__}: {exc}")
                results.put((i, got))

        n_tasks = sum(min(self.per_host, len(q)) for q in by_host.values())
        pool = ThreadPoolExecutor(max_workers=min(self.workers, n_tasks), thread_name_prefix="sitrep-fetch")
        try:
            for todo in by_host.values():
                for _ in range(min(self.per_host, len(todo))):
                    pool.submit(drain, todo)
            held: dict[int, Page | FetchError] = {}
            next_i = 0
            for _ in range(len(reqs)):
                i, got = results.get()
                if not ordered:
                    yield reqs[i], got
                    continue
                held[i] = got
                while next_i in held:
                    yield reqs[next_i], held.pop(next_i)
                    next_i += 1
        finally:
            # Ctrl-C or an early exit: queued URLs are dropped, requests in flight end by timeout
            stop.set()
            pool.shutdown(wait=False, cancel_futures=True)

    # -- politeness

    def _host(self, url: str) -> _Host:
        key = host_key(url)
        with self._hosts_lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(threading.Semaphore(self.per_host))
            return self._hosts[key]

    def _wait_turn(self, host: _Host) -> None:
        # Reserve the next start slot under the lock, sleep outside it: requests to one host
        # start at least ``delay`` seconds apart, whichever thread sends them.
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_at)
            host.next_at = start + self.delay
        self._sleep(start - now)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stop.wait(seconds)


class _Refused(Exception):
    """A request the SSRF guard stops (raised inside httpx's request hook)."""


class _Retry(Exception):
    """A failure worth another attempt (5xx, 429, timeout, dropped connection)."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
