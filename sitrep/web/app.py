"""The web app: the map page and its static files, and the JSON API under /api.

``create_app(db)`` opens the store (a path, an SQLAlchemy URL or an open ``Store``), adds the
web index it lacks (a narrow copy of the events and full-text indexes, kept current by triggers:
see ``sitrep.web.search``), and returns a FastAPI app. Every
response carries a strict Content-Security-Policy: the page runs only its own scripts, so text
scraped from the web can never run in it (the page also builds the DOM with textContent).
"""

from __future__ import annotations

import inspect
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


def create_app(db: str | Path | Store | None = None) -> FastAPI:
    """The web app over the store at ``db`` (default ./sitrep.db). Raises StoreError when the
    database cannot be opened."""
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
    app.add_exception_handler(FilterError, filter_error)
    app.add_exception_handler(StoreError, filter_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.include_router(router)

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


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """One line naming the parameter and what is wrong with it, not pydantic's list."""
    errors: list[Any] = list(exc.errors()) if isinstance(exc, RequestValidationError) else []
    parts = []
    for e in errors:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
    return JSONResponse({"detail": "; ".join(parts) or "invalid request"}, status_code=422)
