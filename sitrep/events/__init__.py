"""Events: mentions of the same attack share an ``event_id``.

This first stage groups within one run by place and day: two mentions at the same place
(gazetteer id, or the same province or country when that is all that is known) on the same
day are one event, and undated mentions of one site (a facility or town) are kept together. The id is a hash of
that key, so it is stable across runs and re-ingests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sitrep.records import Mention


def place_key(m: Mention) -> str:
    loc = m.location
    return loc.place_id or "|".join(str(x) for x in (loc.country_code, loc.admin1, loc.name))


def event_key(m: Mention) -> str:
    day = m.event_date or "undated"
    if not m.event_date and m.location.kind not in ("facility", "town"):
        # without a date, only a site says two reports are one attack: a sea or a province
        # is too wide, so such a mention stays an event of its own article
        day = f"undated:{m.article}:{m.mention_id}"
    if m.event_date and m.date_precision in ("week", "month"):
        day = f"{m.date_precision}:{m.event_date[:7] if m.date_precision == 'month' else m.event_date}"
    return f"{place_key(m)}@{day}"


def event_id_for(key: str) -> str:
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def assign_event_ids(mentions: Iterable[Mention]) -> list[Mention]:
    """Set ``event_id`` on each mention (in place) and return them."""
    out = list(mentions)
    for m in out:
        m.event_id = event_id_for(event_key(m))
    return out
