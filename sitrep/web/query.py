"""The web filters as SQL: the CLI's (since, until, country) and the map's (province, actor, type,
language, claimed, text, area, sources), over web_events when the web index is there (else the
store's events and mentions), shared by the list, the map's points, the timeline, the facets and
the exports."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import astuple, dataclass
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select

from sitrep.export.countries import country_code
from sitrep.store import schema
from sitrep.web.search import WebIndex, matching_events

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
STATUSES = ("active", "withdrawn", "all")


class FilterError(ValueError):
    """A filter value that cannot be used; the message names the parameter."""


def check_date(name: str, value: str) -> str:
    try:
        ok = bool(_DATE.match(value)) and bool(dt.date.fromisoformat((value + "-01-01")[:10]))
    except ValueError:
        ok = False
    if not ok:
        raise FilterError(f"{name}: bad date {value!r}, expected YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def date_upper(value: str) -> str:
    # ISO strings compare as dates: "until 2024-01" runs to the month's last possible day
    return value + ("-12-31" if len(value) == 4 else "-31" if len(value) == 7 else "")


def country_param(value: str) -> str:
    code = country_code(value)
    if code is None:
        raise FilterError(f"country: unknown country {value!r}; give an ISO 3166 code or an English name")
    return code


@dataclass
class EventFilters:
    since: str | None = None
    until: str | None = None
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    type: str | None = None
    language: str | None = None
    claimed: bool | None = None
    q: str | None = None
    status: str = "active"
    bbox: str | None = None
    min_sources: int | None = None

    def key(self) -> tuple[Any, ...]:
        """The filters as a hashable value (for the cache)."""
        return astuple(self)

    def validate(self) -> EventFilters:
        """Check and normalise every value (raises FilterError with the parameter's name)."""
        if self.since:
            check_date("since", self.since)
        if self.until:
            check_date("until", self.until)
        if self.country:
            self.country = country_param(self.country)
        if self.status not in STATUSES:
            raise FilterError(f"status: {self.status!r} is not one of {', '.join(STATUSES)}")
        if self.bbox:
            self.box()
        return self

    def box(self) -> tuple[float, float, float, float] | None:
        if not self.bbox:
            return None
        try:
            w, s, e, n = (float(x) for x in self.bbox.split(","))
        except ValueError:
            raise FilterError(f"bbox: {self.bbox!r} is not west,south,east,north in degrees") from None
        if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
            raise FilterError(f"bbox: {self.bbox!r} is outside -180..180 / -90..90 or south > north")
        return w, s, e, n

    def apply(self, q: Select[Any], index: WebIndex) -> Select[Any]:
        """``q`` (a select over ``index.table``) narrowed to the events these filters keep."""
        t, m = index.table, schema.mentions
        if self.status != "all":
            q = q.where(t.c.status == self.status)
        if self.since:
            q = q.where(t.c.event_date >= self.since)
        if self.until:
            q = q.where(t.c.event_date <= date_upper(self.until))
        if self.country:
            q = q.where(t.c.country_code == self.country)
        if self.admin1:
            q = q.where(t.c.admin1 == self.admin1)
        if self.type:
            q = q.where(or_(t.c.event_type == self.type, t.c.sub_event_type == self.type))
        if self.min_sources:
            q = q.where(t.c.source_count >= self.min_sources)
        box = self.box()
        if box:
            w, s, east, n = box
            lon = (t.c.longitude.between(w, east) if w <= east  # a box across the antimeridian wraps
                   else or_(t.c.longitude >= w, t.c.longitude <= east))
            q = q.where(t.c.latitude.between(s, n), lon)
        if index.narrow:
            # web_events keeps these precomputed from the event's summary (see search.py)
            if self.actor:
                q = q.where(func.instr(t.c.actors, f"|{self.actor}|") > 0)
            if self.language:
                q = q.where(func.instr(t.c.languages, f"|{self.language}|") > 0)
            if self.claimed is not None:
                q = q.where(t.c.claimed == (1 if self.claimed else 0))
        else:
            if self.actor:
                # any source naming the actor as attacker, attacked or claimant
                named = (select(m.c.event_id).where(m.c.actor1 == self.actor)
                         .union(select(m.c.event_id).where(m.c.actor2 == self.actor),
                                select(m.c.event_id).where(m.c.claimed_by == self.actor)))
                q = q.where(or_(t.c.actor1 == self.actor, t.c.event_id.in_(named)))
            if self.language:
                q = q.where(t.c.event_id.in_(select(m.c.event_id).where(m.c.language == self.language)))
            if self.claimed is not None:
                claims = select(m.c.event_id).where(m.c.claimed_by.is_not(None))
                has = or_(t.c.actor1_status == "claimed", t.c.event_id.in_(claims))
                q = q.where(has if self.claimed else and_(or_(t.c.actor1_status.is_(None),
                                                              t.c.actor1_status != "claimed"),
                                                          t.c.event_id.not_in(claims)))
        if self.q is not None and self.q.strip():
            cond = matching_events(index, self.q)
            q = q.where(cond if cond is not None else false())
        return q
