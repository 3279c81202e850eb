"""Errors of the storage stage (own module so db.py and __init__ avoid a cycle)."""

from __future__ import annotations


class StoreError(Exception):
    """A store that cannot be opened or used (bad path, foreign DB, newer schema...)."""
