"""One event from its mentions: the best value of each field, how it was chosen, the values
the sources disagree on, and who the sources are.

Pure (records in, dataclasses out): the store calls it after each merge, the exporters for
each row, and it needs nothing but the mentions and, when known, their articles' rows.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from sitrep.records import Location, Mention, Weapon

T = TypeVar("T")

# Lower is better. A date with an unknown precision ranks below month/year ones
# because nothing says how far to trust it.
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_STATUS_RANK = {"claimed": 0, "attributed": 1, "suspected": 2}
SOURCES_FILE = Path(__file__).with_name("sources.yaml")


@dataclass
class Source:
    """One article reporting the event, and who it ultimately relies on."""

    article: str
    outlet: str | None
    language: str | None
    published: str | None
    reported_via: list[str]  # the citation chain after the outlet: cited media, then "local sources"
    origin: str  # the first named source in the chain, else the outlet: what makes it independent
    party: str | None = None  # the side the outlet (or the source it relies on) speaks for
    duplicate_of: str | None = None  # a syndicated copy of this article
    hedged: bool = False
    mentions: list[str] = field(default_factory=list)


@dataclass
class EventSummary:
    event_id: str  # the mentions' event_id, or a key derived from the lone mention
    mentions: list[Mention]
    event_date: str | None = None
    date_precision: str | None = None
    time_of_day: str | None = None
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
    chosen: dict[str, str] = field(default_factory=dict)  # field -> how its value was chosen
    # field -> every value a source gave, when they differ: [{value, articles, evidence}]
    disagreements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    source_list: list[Source] = field(default_factory=list)

    @property
    def mention_count(self) -> int:
        return len(self.mentions)

    @property
    def source_count(self) -> int:
        return len(self.articles)

    @property
    def independent_sources(self) -> int:
        """Sources that do not rely on one another: two outlets citing one agency, or a
        syndicated copy and its original, are one."""
        return len({s.origin for s in self.source_list})

    @property
    def party_sources(self) -> list[str]:
        return _unique(s.party for s in self.source_list)

    def sources(self) -> list[dict[str, Any]]:
        """One entry per article reporting the event."""
        return [asdict(s) for s in self.source_list]

    def values(self) -> dict[str, Any]:
        """The event's best values as plain data (for the store and the JSON exports)."""
        loc = self.location
        return {
            "event_id": self.event_id, "event_date": self.event_date,
            "date_precision": self.date_precision, "time_of_day": self.time_of_day,
            "event_type": self.event_type, "sub_event_type": self.sub_event_type,
            "location": asdict(loc), "actor1": self.actor1, "actor1_status": self.actor1_status,
            "actor2": self.actor2, "target": self.target, "claimed_by": self.claimed_by,
            "fatalities": self.fatalities, "injuries": self.injuries,
            "weapons": [asdict(w) for w in self.weapons], "reported_via": self.reported_via,
            "hedged": self.hedged,
        }


def event_key(m: Mention) -> str:
    """The grouping key: the event id, else one derived from the mention alone."""
    if m.event_id:
        return m.event_id
    if m.mention_id:
        return f"m:{m.mention_id}"
    return f"m:{m.article}@{m.sentence_start if m.sentence_start is not None else ''}"


def summarize(mentions: Iterable[Mention],
              articles: Mapping[str, Mapping[str, Any]] | None = None) -> list[EventSummary]:
    """Group mentions by event and pick each event's best values.

    ``articles`` maps article ids to their stored rows (for ``duplicate_of``). Events come out
    sorted by date (undated last), then event id, whatever the input order, so exports are
    reproducible.
    """
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(event_key(m), []).append(m)
    events = [summarize_event(key, ms, articles) for key, ms in groups.items()]
    events.sort(key=lambda e: (e.event_date is None, e.event_date or "", e.event_id))
    return events


def summarize_event(key: str, ms: list[Mention],
                    articles: Mapping[str, Mapping[str, Any]] | None = None) -> EventSummary:
    # A fixed order makes "first seen" tie-breaks independent of input order.
    ms = sorted(ms, key=lambda m: (m.article, m.sentence_start if m.sentence_start is not None else -1,
                                   m.mention_id or ""))
    ev = EventSummary(event_id=key, mentions=ms)
    ev.source_list = _sources(ms, articles or {})
    party_of = {s.article: s.party for s in ev.source_list}
    n = len({m.article for m in ms})

    dated = [m for m in ms if m.event_date]
    if dated:
        top = min(_DATE_RANK.get(m.date_precision or "", 4) for m in dated)
        finest = [m for m in dated if _DATE_RANK.get(m.date_precision or "", 4) == top]
        # the date most sources give; a tie goes to the earliest (a later date is often the report's)
        ev.event_date = _most_common(sorted(m.event_date for m in finest))
        ev.date_precision = next(m.date_precision for m in finest if m.event_date == ev.event_date)
        agree = len({m.article for m in finest if m.event_date == ev.event_date})
        ev.chosen["event_date"] = f"most precise ({ev.date_precision or 'unknown precision'}), given by {agree} of {n}"
    ev.time_of_day = _pick(ev, "time_of_day", ms, n)

    ev.location = _best_location(ms)
    if ev.location.name or ev.location.country_code:
        ev.chosen["location"] = "most precise place with coordinates, then the one most sources name"
    ev.event_type = _pick(ev, "event_type", ms, n)
    # The sub-type must belong to the chosen type (ACLED pairs them).
    ev.sub_event_type = _pick(ev, "sub_event_type", [m for m in ms if m.event_type == ev.event_type], n)
    ev.actor1 = _pick(ev, "actor1", ms, n, rank=lambda m: _STATUS_RANK.get(m.actor1_status or "", 3))
    if ev.actor1 is not None:
        statuses = [m.actor1_status for m in ms if m.actor1 == ev.actor1 and m.actor1_status]
        # The firmest word any source uses: a claim beats an attribution beats suspicion.
        ev.actor1_status = min(statuses, key=lambda s: _STATUS_RANK.get(s, 9), default=None)
    ev.actor2 = _pick(ev, "actor2", ms, n)
    ev.target = _pick(ev, "target", ms, n)
    ev.claimed_by = _pick(ev, "claimed_by", ms, n)
    for name in ("fatalities", "injuries"):
        setattr(ev, name, _latest_count(ev, name, ms, party_of))
    ev.weapons = _merge_weapons(ev, ms)
    ev.reported_via = _unique(v for m in ms for v in m.reported_via)
    ev.hedged = all(m.hedged for m in ms)
    ev.outlets = _unique(m.outlet for m in ms)
    ev.articles = _unique(m.article for m in ms)
    _disagreements(ev, ms)
    return ev


def _pick(ev: EventSummary, name: str, ms: list[Mention], n: int,
          rank: Callable[[Mention], int] | None = None) -> Any:
    """The value most sources give (after ``rank``, lower first); ties go to the first seen."""
    with_value = [m for m in ms if getattr(m, name) not in (None, "")]
    if not with_value:
        return None
    if rank is not None:
        best_rank = min(rank(m) for m in with_value)
        with_value = [m for m in with_value if rank(m) == best_rank]
    value = _most_common(getattr(m, name) for m in with_value)
    agree = len({m.article for m in with_value if getattr(m, name) == value})
    why = "the firmest attribution, then " if rank is not None else ""
    ev.chosen[name] = f"{why}the value most sources give ({agree} of {n})"
    return value


def _latest_count(ev: EventSummary, name: str, ms: list[Mention], party_of: Mapping[str, str | None]) -> int | None:
    """Casualty figures: the latest report, from a source that is not a party when there is one.
    Counts rise as reports come in, and a later report supersedes an earlier one; a party's
    figure is kept, and shown among the disagreements, when someone else gives one."""
    known = [m for m in ms if getattr(m, name) is not None]
    if not known:
        return None
    neutral = [m for m in known if not party_of.get(m.article)]
    pool = neutral or known
    # equally recent reports: the higher figure, as counts grow while news comes in
    best = max(pool, key=lambda m: (m.published or "", getattr(m, name), m.article))
    who = best.outlet or best.article
    ev.chosen[name] = (f"latest report ({who}, {best.published or 'undated'})"
                       + (", preferring sources that are not a party" if neutral and len(neutral) < len(known) else ""))
    return getattr(best, name)


# Quotes kept for each disputed value, the first ones in the sources' order: enough to read
# why they differ (the value's articles are all listed, and each links to its evidence); all
# of them would make a widely reported event's summary grow with every report.
QUOTES = 3


def _disagreements(ev: EventSummary, ms: list[Mention]) -> None:
    def add(name: str, value: Any, m: Mention, evidence_key: str | None = None) -> None:
        rows = ev.disagreements.setdefault(name, [])
        row = next((r for r in rows if r["value"] == value), None)
        if row is None:
            row = {"value": value, "articles": [], "evidence": []}
            rows.append(row)
        if m.article not in row["articles"]:
            row["articles"].append(m.article)
        ev_ = m.evidence.get(evidence_key or name)
        if ev_ is not None and ev_.text not in row["evidence"] and len(row["evidence"]) < QUOTES:
            row["evidence"].append(ev_.text)

    for m in ms:
        if m.event_date and (m.date_precision or "day") == "day":
            add("event_date", m.event_date, m)
        for name in ("time_of_day", "sub_event_type", "actor1", "claimed_by", "target"):
            if getattr(m, name):
                add(name, getattr(m, name), m)
        if m.location.name and m.location.kind in ("facility", "town", "sea"):
            add("location", m.location.name, m)
        for name in ("fatalities", "injuries"):
            value = getattr(m, name)
            # "several wounded" is a report too: unknown is not zero, and not agreement either
            if value is not None or name in m.evidence:
                add(name, value, m)
        for w in m.weapons:
            if w.count is not None:
                add(f"weapons.{w.type}", w.count, m, "weapons")
    for name in list(ev.disagreements):
        if len(ev.disagreements[name]) < 2:
            del ev.disagreements[name]


def _best_location(ms: list[Mention]) -> Location:
    """Most precise location; one with coordinates first (a row without them
    cannot be mapped), then the place most sources name."""
    locs = [m.location for m in ms if m.location and (m.location.name or m.location.country_code)]
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


def _merge_weapons(ev: EventSummary, ms: list[Mention]) -> list[Weapon]:
    """Every weapon any source names; its count is the one most sources give (ties: the latest
    report, then the higher figure)."""
    counts: dict[str, list[tuple[int, str, str]]] = {}
    order: list[str] = []
    for m in ms:
        for w in m.weapons:
            if w.type not in order:
                order.append(w.type)
            if w.count is not None:
                counts.setdefault(w.type, []).append((w.count, m.published or "", m.article))
    out = []
    for t in order:
        given = counts.get(t, [])
        if not given:
            out.append(Weapon(t, None))
            continue
        tally = Counter(c for c, _, _ in given)
        top = max(tally.values())
        best = max((g for g in given if tally[g[0]] == top), key=lambda g: (g[1], g[0], g[2]))
        out.append(Weapon(t, best[0]))
    if any(len(set(c for c, _, _ in v)) > 1 for v in counts.values()):
        ev.chosen["weapons"] = "every weapon named; each count is the one most sources give, then the latest"
    return out


def _unique(values: Iterable[T | None]) -> list[T]:
    out: list[T] = []
    for v in values:
        if v is not None and v != "" and v not in out:
            out.append(v)
    return out


# ---------------------------------------------------------------- sources and their sides


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("-", " ").strip()


@functools.cache
def source_data() -> tuple[dict[str, tuple[str, str, str]], frozenset[str], frozenset[str]]:
    """(folded alias -> (name, party, kind), generic citations, channels) from sources.yaml."""
    data = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))
    parties: dict[str, tuple[str, str, str]] = {}
    for entry in data["parties"]:
        for alias in [entry["name"], *entry.get("aliases", [])]:
            parties[_fold(str(alias))] = (entry["name"], entry["party"], entry["kind"])
    return (parties, frozenset(_fold(g) for g in data["generic"]),
            frozenset(_fold(c) for c in data["channels"]))


def party_of(name: str | None) -> tuple[str, str, str] | None:
    """(canonical name, party, kind) when ``name`` is a party to the conflict or its media."""
    if not name:
        return None
    parties = source_data()[0]
    folded = _fold(name)
    if folded in parties:
        return parties[folded]
    # "Al Mayadeen (sample)", "Sea-News.az (citing Report)": the name before a bracket
    head = folded.split("(")[0].strip()
    return parties.get(head)


def origin_of(outlet: str | None, chain: list[str], article: str) -> str:
    """What a report ultimately relies on: the first source it names, else its own outlet."""
    _, generic, channels = source_data()
    for via in chain:
        folded = _fold(via)
        if folded not in generic and folded not in channels:
            name = party_of(via)
            return name[0] if name else via
    return outlet or article


def _sources(ms: list[Mention], articles: Mapping[str, Mapping[str, Any]]) -> list[Source]:
    out: dict[str, Source] = {}
    for m in ms:
        src = out.get(m.article)
        if src is None:
            row = articles.get(m.article) or {}
            src = out[m.article] = Source(
                article=m.article, outlet=m.outlet, language=m.language, published=m.published,
                reported_via=[], origin="", duplicate_of=row.get("duplicate_of"), hedged=m.hedged)
        for via in m.reported_via:
            if via not in src.reported_via:
                src.reported_via.append(via)
        src.hedged = src.hedged and m.hedged
        if m.mention_id:
            src.mentions.append(m.mention_id)
    for src in out.values():
        # a syndicated copy relies on its original, whoever that cites
        original = out.get(src.duplicate_of) if src.duplicate_of else None
        base = original or src
        src.origin = origin_of(base.outlet, base.reported_via, base.article)
        if src.duplicate_of and original is None:
            src.origin = f"copy of {src.duplicate_of}"
        sides = [party_of(src.outlet), *(party_of(v) for v in src.reported_via)]
        flagged = (articles.get(src.article) or {}).get("party")  # the user's feeds file says so
        src.party = flagged or next((p[1] for p in sides if p), None)
    return list(out.values())
