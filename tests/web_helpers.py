"""Shared by the web tests: the demo database built from the bundled samples, and a real
server on a free loopback port in a thread."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from sitrep.cli import SAMPLES
from sitrep.pipeline import ingest
from sitrep.read import read_paths
from sitrep.store import open_store


def build_demo(path: Path) -> Path:
    """What `sitrep demo` stores: the sample articles, ingested through the library."""
    with open_store(path) as store:
        report = ingest(read_paths([str(SAMPLES / "articles")]), store)
    assert report.new, "no sample article was stored"
    return path


class Server:
    """uvicorn serving ``app`` on 127.0.0.1 on a port the OS picked, until ``stop``."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))  # bound here, handed to uvicorn: no race for the port
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
