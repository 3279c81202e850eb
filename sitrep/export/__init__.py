"""Export stage: mentions to JSONL, ACLED-style CSV (one row per event) and GeoJSON."""

from __future__ import annotations

from sitrep.events.summary import EventSummary, summarize
from sitrep.export.acled import ACLED_COLUMNS, write_acled_csv
from sitrep.export.geojson import to_geojson
from sitrep.export.jsonl import read_jsonl, write_jsonl

__all__ = [
    "ACLED_COLUMNS",
    "EventSummary",
    "read_jsonl",
    "summarize",
    "to_geojson",
    "write_acled_csv",
    "write_jsonl",
]
