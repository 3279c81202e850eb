"""One event from its mentions: the best value of each field across the articles.

Pure and self-contained (records in, dataclasses out) so it can move to the
events stage unchanged. Every exporter that writes one row per event uses it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sitrep.records import Location, Mention, Weapon

T = TypeVar("T")

# Lower is better. A date with an unknown precision ranks below month/year ones
# because nothing says how far to trust it.
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_STATUS_RANK = {"claimed": 0, "attributed": 1, "suspected": 2}


@dataclass
class EventSummary:
    event_id: str  # the mentions' event_id, or a key derived from the lone mention
    mentions: list[Mention]
    event_date: str | None = None
    date_precision: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    location: Location = field(default_factory=Location)
    actor1: str | None = None
    actor1_status: str | None = None
    actor2: str | None = None
    target: str | None = None
    claimed_by: str | None = None
    fatalities: int | None = None
    injuries: int | None = None
    weapons: list[Weapon] = field(default_factory=list)
    reported_via: list[str] = field(default_factory=list)
    hedged: bool = False  # every mention hedges ("reportedly", "according to")
    outlets: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)

    @property
    def mention_count(self) -> int:
        return len(self.mentions)

    @property
    def source_count(self) -> int:
        return len(self.articles)

    def sources(self) -> list[dict[str, Any]]:
        """One entry per article reporting the event."""
        out: dict[str, dict[str, Any]] = {}
        for m in self.mentions:
            src = out.setdefault(
                m.article,
                {
                    "article": m.article,
                    "outlet": m.outlet,
                    "language": m.language,
                    "published": m.published,
                    "reported_via": [],
                },
            )
            for via in m.reported_via:
                if via not in src["reported_via"]:
                    src["reported_via"].append(via)
        return list(out.values())


def event_key(m: Mention) -> str:
    """The grouping key: the event id, else one derived from the mention alone."""
    if m.event_id:
        return m.event_id
    if m.mention_id:
        return f"m:{m.mention_id}"
    return f"m:{m.article}@{m.sentence_start if m.sentence_start is not None else ''}"


def summarize(mentions: Iterable[Mention]) -> list[EventSummary]:
    """Group mentions by event and pick each event's best values.

    Events come out sorted by date (undated last), then event id, whatever the
    input order, so exports are reproducible.
    """
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(event_key(m), []).append(m)
    events = [_summarize_one(key, ms) for key, ms in groups.items()]
    events.sort(key=lambda e: (e.event_date is None, e.event_date or "", e.event_id))
    return events


def _summarize_one(key: str, ms: list[Mention]) -> EventSummary:
    # A fixed order makes "first seen" tie-breaks independent of input order.
    ms = sorted(
        ms,
        key=lambda m: (
            m.article,
            m.sentence_start if m.sentence_start is not None else -1,
            m.mention_id or "",
        ),
    )
    ev = EventSummary(event_id=key, mentions=ms)

    dated = [m for m in ms if m.event_date]
    if dated:
        best = min(
            dated,
            key=lambda m: (_DATE_RANK.get(m.date_precision or "", 4), m.event_date),
        )
        ev.event_date, ev.date_precision = best.event_date, best.date_precision

    ev.location = _best_location(ms)
    ev.event_type = _most_common(m.event_type for m in ms)
    # The sub-type must belong to the chosen type (ACLED pairs them).
    ev.sub_event_type = _most_common(
        m.sub_event_type for m in ms if m.event_type == ev.event_type
    )
    ev.actor1 = _most_common(m.actor1 for m in ms)
    if ev.actor1 is not None:
        statuses = [
            m.actor1_status for m in ms if m.actor1 == ev.actor1 and m.actor1_status
        ]
        # The firmest word any source uses: a claim beats an attribution beats suspicion.
        ev.actor1_status = min(
            statuses, key=lambda s: _STATUS_RANK.get(s, 9), default=None
        )
    ev.actor2 = _most_common(m.actor2 for m in ms)
    ev.target = _most_common(m.target for m in ms)
    ev.claimed_by = _most_common(m.claimed_by for m in ms)
    ev.fatalities = _max(m.fatalities for m in ms)
    ev.injuries = _max(m.injuries for m in ms)
    ev.weapons = _merge_weapons(ms)
    ev.reported_via = _unique(v for m in ms for v in m.reported_via)
    ev.hedged = all(m.hedged for m in ms)
    ev.outlets = _unique(m.outlet for m in ms)
    ev.articles = _unique(m.article for m in ms)
    return ev


def _best_location(ms: list[Mention]) -> Location:
    """Most precise location; one with coordinates first (a row without them
    cannot be mapped), then the place most sources name."""
    locs = [
        m.location
        for m in ms
        if m.location and (m.location.name or m.location.country_code)
    ]
    if not locs:
        return Location()
    freq = Counter(loc.place_id or loc.name for loc in locs)
    return min(
        locs,
        key=lambda loc: (
            loc.latitude is None or loc.longitude is None,
            loc.geo_precision if loc.geo_precision is not None else 99,
            -freq[loc.place_id or loc.name],
        ),
    )


def _most_common(values: Iterable[T | None]) -> T | None:
    """Most frequent non-null value; ties go to the one seen first."""
    seen = [v for v in values if v is not None and v != ""]
    if not seen:
        return None
    counts = Counter(seen)
    top = max(counts.values())
    return next(v for v in seen if counts[v] == top)


def _max(values: Iterable[int | None]) -> int | None:
    # Highest reported figure: reports lag, later ones tend to be the fuller count.
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _merge_weapons(ms: list[Mention]) -> list[Weapon]:
    out: dict[str, Weapon] = {}
    for m in ms:
        for w in m.weapons:
            cur = out.get(w.type)
            if cur is None:
                out[w.type] = Weapon(w.type, w.count)
            elif w.count is not None and (cur.count is None or w.count > cur.count):
                cur.count = w.count
    return list(out.values())


def _unique(values: Iterable[T | None]) -> list[T]:
    out: list[T] = []
    for v in values:
        if v is not None and v != "" and v not in out:
            out.append(v)
    return out
