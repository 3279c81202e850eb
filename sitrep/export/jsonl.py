"""Mentions as JSON Lines: one ``Mention.to_dict()`` per line, lossless."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from sitrep.records import Mention


def write_jsonl(mentions: Iterable[Mention], fh: IO[str]) -> int:
    """Write one JSON object per mention; return how many were written."""
    n = 0
    for m in mentions:
        # ensure_ascii=False keeps Arabic/Hebrew/Persian evidence readable in the file.
        fh.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def read_jsonl(fh: IO[str]) -> list[Mention]:
    """The inverse of ``write_jsonl`` (blank lines are ignored)."""
    return [Mention.from_dict(json.loads(line)) for line in fh if line.strip()]
