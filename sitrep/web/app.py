"""The web app: the map page and its static files, and the JSON API under /api.

``create_app(db)`` opens the store (a path, an SQLAlchemy URL or an open ``Store``), adds the
web index it lacks (a narrow copy of the events and full-text indexes, kept current by triggers:
see ``sitrep.web.search``), and returns a FastAPI app. Every
response carries a strict Content-Security-Policy: the page runs only its own scripts, so text
scraped from the web can never run in it (the page also builds the DOM with textContent).
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep.store import Store, StoreError, open_store
from sitrep.web import vendor
from sitrep.web.api import WebState, filter_error, router
from sitrep.web.cache import Cache
from sitrep.web.query import FilterError
from sitrep.web.search import prepare

STATIC = Path(__file__).parent / "static"


def _version() -> str:
    try:
        return version("sitrep")
    except PackageNotFoundError:
        return "0"


CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the headers above to every response (plain ASGI: no per-request task overhead)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


READ_METHODS = {"GET", "HEAD"}
MAX_BODY = 64 * 1024  # bytes; nothing here takes a body, so anything larger is refused unread
MAX_URL = 8 * 1024  # bytes of path and query


class Limits:
    """Read-only, bounded requests: a method other than GET/HEAD is refused (no endpoint writes
    or re-processes; the day one does it must also require a token), as are bodies over
    ``MAX_BODY``, URLs over ``MAX_URL`` and more than ``rate`` requests a second from one client
    (a token bucket of ``burst``). Plain ASGI, so the check costs no task per request."""

    def __init__(self, app: ASGIApp, rate: float = 200.0, burst: float = 400.0) -> None:
        self.app, self.rate, self.burst = app, rate, burst
        self.buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last time)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, text, extra = refusal
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"application/json"), *HEADERS, *extra]})
            await send({"type": "http.response.body", "body": json.dumps({"detail": text}).encode()})
            return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        if scope["method"] not in READ_METHODS:
            return 405, "read-only: only GET and HEAD", [(b"allow", b"GET, HEAD")]
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > MAX_BODY:
            return 413, f"request body over {MAX_BODY} bytes", []
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") > MAX_URL:
            return 414, f"URL over {MAX_URL} bytes", []
        client = (scope.get("client") or ("?", 0))[0]
        now = time.monotonic()
        tokens, last = self.buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            return 429, "too many requests", [(b"retry-after", b"1")]
        self.buckets[client] = (tokens - 1, now)
        if len(self.buckets) > 10_000:  # forget idle clients rather than grow without bound
            self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 60}
        return None


def create_app(db: str | Path | Store | None = None, rate: float = 200.0, burst: float = 400.0) -> FastAPI:
    """The web app over the store at ``db`` (default ./sitrep.db). Raises StoreError when the
    database cannot be opened. ``rate`` and ``burst`` bound the requests a second per client."""
    owned = not isinstance(db, Store)
    store = open_store(db) if not isinstance(db, Store) else db
    index = prepare(store.engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        _app.state.web.cache.close()
        if owned:
            store.close()

    # no /docs or /redoc: FastAPI's pages load their scripts from a CDN; the schema is enough
    app = FastAPI(title="sitrep", version=_version(), docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json", lifespan=lifespan, **_no_telemetry(),
                  description="Armed-conflict events from news articles: events with their evidence, "
                              "mentions, articles, tallies, places and exports. Read-only.")
    app.state.web = WebState(store=store, index=index, cache=Cache(store.engine))
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)  # 9 costs 3x the time for 5% less
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Limits, rate=rate, burst=burst)  # outermost: refused before any work
    app.add_exception_handler(FilterError, filter_error)
    app.add_exception_handler(StoreError, filter_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.include_router(router)
    _one_line_errors_in_schema(app)

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        if vendor.missing():
            return PlainTextResponse(f"sitrep: {vendor.missing_message()}\n", status_code=503)
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _no_telemetry() -> dict[str, Any]:
    # FastAPI 0.16x traces requests with OpenTelemetry when a provider is configured: nothing
    # here exports anything, and the span bookkeeping would only add latency
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        return {"telemetry": {"tracing": False, "metrics": False, "logs": False, "operation_spans": False,
                              "auto_configure": False}}
    return {}


def _one_line_errors_in_schema(app: FastAPI) -> None:
    """The schema says what the API sends on a bad parameter: ``{"detail": "one line"}`` (see
    ``_validation_error``), not FastAPI's default list of pydantic errors."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            schemas = doc.get("components", {}).get("schemas", {})
            if "HTTPValidationError" in schemas:
                schemas["HTTPValidationError"] = {
                    "title": "HTTPValidationError", "type": "object", "required": ["detail"],
                    "properties": {"detail": {"title": "Detail", "type": "string"}}}
                schemas.pop("ValidationError", None)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """One line naming the parameter and what is wrong with it, not pydantic's list."""
    errors: list[Any] = list(exc.errors()) if isinstance(exc, RequestValidationError) else []
    parts = []
    for e in errors:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
    return JSONResponse({"detail": "; ".join(parts) or "invalid request"}, status_code=422)
