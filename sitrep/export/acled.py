"""ACLED-style CSV: one row per event, columns in ACLED's order.

Fields sitrep cannot know (actor codes, interaction, admin2/3, source scale)
stay empty rather than guessed.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Mapping
from typing import IO, Any

from sitrep.events.summary import EventSummary, summarize
from sitrep.export.countries import country
from sitrep.records import Mention, Weapon

ACLED_COLUMNS: list[str] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

# ACLED: 1 = the day is known, 2 = within a week, 3 = only the month.
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}

_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def write_acled_csv(
    mentions: Iterable[Mention], fh: IO[str], *, timestamp: int | None = None,
    articles: Mapping[str, Mapping[str, Any]] | None = None,
) -> int:
    """Write the events of ``mentions`` as ACLED rows to ``fh``; return the row count.

    ``timestamp`` defaults to now (ACLED's column is the row's upload time); ``articles``
    (stored rows by id) tells syndicated copies apart in the source counts.
    """
    stamp = int(time.time()) if timestamp is None else timestamp
    writer = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for ev in summarize(mentions, articles):
        writer.writerow(acled_row(ev, stamp))
        n += 1
    return n


def acled_row(ev: EventSummary, timestamp: int) -> dict[str, str | int]:
    loc = ev.location
    c = country(loc.country_code)
    precision = TIME_PRECISION.get(ev.date_precision or "")
    disorder = _DISORDER.get(ev.event_type or "", "")
    if ev.sub_event_type == "Mob violence":
        # ACLED files mob violence under Riots, but as political violence.
        disorder = "Political violence"
    tags = ["hedged"] if ev.hedged else []
    return {
        "event_id_cnty": event_id_cnty(ev),
        "event_date": ev.event_date or "",
        "year": ev.event_date[:4] if ev.event_date else "",
        "time_precision": precision if precision is not None else "",
        "disorder_type": disorder,
        "event_type": ev.event_type or "",
        "sub_event_type": ev.sub_event_type or "",
        "actor1": ev.actor1 or "",
        "assoc_actor_1": "",
        "inter1": "",
        "actor2": ev.actor2 or "",
        "assoc_actor_2": "",
        "inter2": "",
        "interaction": "",
        "civilian_targeting": "Civilian targeting" if _targets_civilians(ev) else "",
        "iso": c.numeric if c else "",
        "region": (c.region or "") if c else "",
        "country": c.name if c else (loc.country_code or ""),
        "admin1": loc.admin1 or "",
        "admin2": "",
        "admin3": "",
        "location": loc.name or "",
        "latitude": _coord(loc.latitude),
        "longitude": _coord(loc.longitude),
        "geo_precision": loc.geo_precision if loc.geo_precision is not None else "",
        "source": "; ".join(ev.outlets),
        "source_scale": "",
        "notes": notes(ev),
        # Blank when no source gives a figure: 0 would claim nobody died.
        "fatalities": ev.fatalities if ev.fatalities is not None else "",
        "tags": "; ".join(tags),
        "timestamp": timestamp,
    }


def event_id_cnty(ev: EventSummary) -> str:
    """ISO3 letters + the event id (ACLED: country prefix + number); stable across runs."""
    c = country(ev.location.country_code)
    prefix = c.iso3 if c else "XXX"
    return (
        f"{prefix}{ev.event_id}" if ev.event_id.isdigit() else f"{prefix}-{ev.event_id}"
    )


def notes(ev: EventSummary) -> str:
    """A short English summary, e.g. "On 2024-01-08, 30 rockets hit al-Omar oil
    field (Deir ez-Zor); claimed by X; reported via Al Mayadeen. [2 sources]"."""
    place = _place(ev)
    what = _weapons_phrase(ev.weapons)
    if what:
        head = f"{what} hit {place}" if place else f"{what} fired"
    else:
        # ACLED sub-types are singular ("Air/drone strike"), types plural ("Battles").
        if ev.sub_event_type:
            kind = f"{_article(ev.sub_event_type)} {ev.sub_event_type.lower()}"
        else:
            kind = (ev.event_type or "an event").lower()
        head = f"{kind} at {place}" if place else kind
    if ev.actor2 or ev.target:
        head += f", targeting {ev.target or ev.actor2}"
    parts = [f"{_date_phrase(ev)}, {head}"]
    if ev.claimed_by:
        parts.append(f"claimed by {ev.claimed_by}")
    elif ev.actor1:
        verb = {"attributed": "attributed to", "suspected": "suspected"}.get(
            ev.actor1_status or "", "by"
        )
        parts.append(f"{verb} {ev.actor1}")
    casualties = []
    if ev.fatalities is not None:
        casualties.append(f"{ev.fatalities} killed")
    if ev.injuries is not None:
        casualties.append(f"{ev.injuries} injured")
    if casualties:
        parts.append(", ".join(casualties))
    if ev.reported_via:
        parts.append("reported via " + ", ".join(ev.reported_via))
    text = "; ".join(parts) + "."
    differ = [
        f"{name.removeprefix('weapons.')} ("
        + " vs ".join("unknown" if r["value"] is None else str(r["value"]) for r in rows) + ")"
        for name, rows in ev.disagreements.items()
        if name in ("fatalities", "injuries") or name.startswith("weapons.")
    ]
    if differ:
        text += " Sources differ on " + ", ".join(differ) + "."
    if ev.hedged:
        text += " Unconfirmed."
    n, k = ev.source_count, ev.independent_sources
    count = f"{n} source{'s' if n != 1 else ''}" + (f", {k} independent" if k < n else "")
    return f"{text} [{count}]"


def _date_phrase(ev: EventSummary) -> str:
    d = ev.event_date
    if not d:
        return "On an unknown date"
    if ev.date_precision == "week":
        return f"In the week of {d}"
    if ev.date_precision in ("month", "year") and len(d) >= 7 and d[5:7].isdigit():
        if ev.date_precision == "year":
            return f"In {d[:4]}"
        return f"In {_MONTHS[int(d[5:7]) - 1]} {d[:4]}"
    return f"On {d}"


def _place(ev: EventSummary) -> str:
    loc = ev.location
    c = country(loc.country_code)
    where = (
        loc.admin1 if loc.admin1 and loc.admin1 != loc.name else (c.name if c else None)
    )
    if loc.name and where and where != loc.name:
        return f"{loc.name} ({where})"
    return loc.name or where or ""


def _weapons_phrase(weapons: list[Weapon]) -> str:
    parts = []
    for w in weapons:
        if w.count is None:
            parts.append(_plural(w.type))
        else:
            parts.append(f"{w.count} {w.type if w.count == 1 else _plural(w.type)}")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "sh", "ch")):
        return word if word.endswith("s") else word + "es"
    return word + "s"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _targets_civilians(ev: EventSummary) -> bool:
    if ev.event_type == "Violence against civilians":
        return True
    return "civilian" in (ev.target or "").lower()


def _coord(value: float | None) -> str:
    # ACLED publishes 4 decimals (about 10 m); more would suggest false precision.
    return f"{value:.4f}" if value is not None else ""
