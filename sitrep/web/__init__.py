"""The web map, timeline and event panels (``sitrep serve``) and the JSON API under /api."""

from __future__ import annotations

from sitrep.web.app import create_app

__all__ = ["create_app"]
