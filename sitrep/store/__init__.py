"""Storage stage: articles, their mentions and tallies in one SQL database.

SQLAlchemy Core only, so the same code runs on SQLite (default, one file) and
PostgreSQL (pass an SQLAlchemy URL to ``open_store``).
"""

from __future__ import annotations

from sitrep.store.db import SaveResult, Store, open_store
from sitrep.store.errors import StoreError

__all__ = ["SaveResult", "Store", "StoreError", "open_store"]
