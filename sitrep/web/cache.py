"""Results the API computes again and again while nothing changes: the total under a filter
(paging through it), the map's points and the facets (every page load).

They are kept until the database changes. SQLite says when: ``PRAGMA data_version`` on a
connection of our own changes whenever another connection commits (ingest, watch, reprocess;
the web layer itself only reads). On other databases nothing is cached.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Engine

T = TypeVar("T")

# entries per kind; points are the big ones (7 MB of JSON at 100,000 events)
LIMITS = {"count": 512, "points": 4, "facets": 64, "timeline": 64}


class Cache:
    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self._data: dict[str, OrderedDict[Hashable, Any]] = {k: OrderedDict() for k in LIMITS}
        url = engine.url
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            try:
                # only ever asked for data_version: it never writes
                self._conn = sqlite3.connect(url.database, check_same_thread=False)
            except sqlite3.Error:
                self._conn = None

    def _current(self) -> bool:
        """Whether cached results still hold; drops them all when the database has changed."""
        if self._conn is None:
            return False
        try:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return False
        if version != self._version:
            self._version = version
            for d in self._data.values():
                d.clear()
        return True

    def get(self, kind: str, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if self._current() and key in self._data[kind]:
                self._data[kind].move_to_end(key)
                return self._data[kind][key]  # type: ignore[no-any-return]
            version = self._version
        value = compute()  # outside the lock: other requests go on meanwhile
        with self._lock:
            if self._conn is not None and version == self._version:
                d = self._data[kind]
                d[key] = value
                while len(d) > LIMITS[kind]:
                    d.popitem(last=False)
        return value

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
