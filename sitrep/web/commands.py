"""The ``serve`` command, registered on ``sitrep.cli.app`` (sitrep/cli.py imports this module
once, next to sitrep.live.commands, so the CLI file is not edited for it)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli import DbOpt, err, out
from sitrep.errors import SitrepError


def _port_free(host: str, port: int) -> str | None:
    """None when ``host:port`` can be bound, else why not."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def serve(
    db: DbOpt = None,
    port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000,
    host: Annotated[str, typer.Option(help="address to listen on (0.0.0.0: every interface)")] = "127.0.0.1",
) -> None:
    """Serve the web map, timeline and event panels (with every value's evidence) and the JSON
    API under /api (schema at /api/openapi.json). Nothing is fetched from the internet."""
    import uvicorn

    from sitrep.store.db import DEFAULT_DB
    from sitrep.web import vendor
    from sitrep.web.app import create_app

    if vendor.missing():
        err.print(f"[red]error[/red] {vendor.missing_message()}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if (db is None or "://" not in db) and not Path(db or DEFAULT_DB).is_file():
        name = db or DEFAULT_DB
        err.print(f"[red]error[/red] {name}: no such database (make one with `sitrep ingest PATH --db {name}`, "
                  "or try `sitrep demo` and --db sitrep-demo.db)", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    why = _port_free(host, port)
    if why is not None:
        err.print(f"[red]error[/red] cannot listen on {host}:{port}: {why} (choose another with --port)",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    try:
        app = create_app(db)
    except SitrepError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    shown = f"[{host}]" if ":" in host else host
    out.print(f"sitrep: map on http://{shown}:{port}/ , API on http://{shown}:{port}/api "
              f"(schema: /api/openapi.json); Ctrl-C stops", highlight=False, soft_wrap=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def _register() -> None:
    from sitrep import cli

    cli.app.command()(serve)


_register()
