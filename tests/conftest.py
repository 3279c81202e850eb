"""Shared fixtures. ``shared`` is ../shared beside the checkout: tests that need it skip with
a clear message on a user's clone, and fail under CI, where it must be present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "gold" / "seeds.jsonl").exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing under CI: the quality gate needs ../shared beside the checkout")
        pytest.skip(f"{SHARED} not found: the referee corpus lives beside the checkout, not in it")
    return SHARED
