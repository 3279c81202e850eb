"""Merging mentions of one real attack, across articles and languages, into one event.

A mention joins an event when nothing in the two says they differ and enough says they agree:

* **place**: the same gazetteer place, or two points a few km apart, or a province or country
  that contains the event's site (a coarse report joins the precise one, never two different
  bases);
* **date**: their date intervals overlap, each interval widened by its precision (a
  month-precision "earlier this month" spans the month); an undated report joins only at its
  own site, within the fortnight before its publication when that is known (with neither,
  only another such report of the same facility, or an event whose reports share one of its
  marks: the same odd clock minute at the same site, or the same article word for word), and
  the weekday it names, if any, is never another report's or the event's day's;
* **type**: the same ACLED event type when both have one;
* **details**: a stated time of day ("morning" vs "night", 07:30 vs 22:00) that differs keeps
  two same-day attacks on one base apart, and an article never joins an event it already
  reports (the extractor has already told its own attacks apart).

Among the events a mention may join it takes the best scored (place, date, weapons, actor and
time agreement); ties go to the oldest event, so the outcome does not depend on dict order.

Candidate events are found by blocks: a site by its grid cell and day (any country), coarser
places by (country, day), long spans by (country, month); so the cost per mention stays flat
however many events are stored (the store files its rows the same way: ``block_of``).
``EventState`` is all the merge needs to know about an event; it turns into a plain dict, which
is how the store keeps it between runs.
Event ids are made once, from the founding mention's place and date, and never change.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sitrep.lang import PackError, get_pack
from sitrep.records import Mention

FINE_KINDS = ("facility", "town", "sea")
SAME_POINT_KM = 3.0  # two fine places this close are one site named two ways
NEAR_TOWN_KM = 15.0  # a town this close to a facility may be how another outlet names it
SEA_KM = 900.0  # adjacent seas (Red Sea, Bab al-Mandab, Gulf of Aden) describe one strike zone
UNDATED_WINDOW = 14  # days before publication an undated "attack on X" may have happened
WEEK_HALF = 3
DAY_BLOCK_SPAN = 2 * WEEK_HALF  # events spanning up to this many days are filed by day, longer by month
WIDE_DAYS = 70  # no event short of year precision spans more days (a month, a fortnight before it)
PARTS = ("morning", "afternoon", "evening", "night")
# Clock hours each part of the day covers, with an hour's slack at its edges.
# Night starts at dark, which comes by 19:00 for half the year (a 19:45 strike is "last night").
PART_HOURS = {"morning": (4, 13), "afternoon": (11, 18), "evening": (16, 23), "night": (19, 30)}
CLOCK_SLACK_H = 2.5
# Evidence that tells when or how, not what: two copies of one story may resolve it differently.
UNMARKED_EVIDENCE = ("event_date", "time_of_day")


def interval(m: Mention) -> tuple[int, int] | None:
    """The days (as ordinals) the mention's attack may have happened on, or None when no date
    and no publication date bound it."""
    if m.event_date:
        try:
            d = dt.date.fromisoformat(m.event_date[:10])
        except ValueError:
            return None
        prec = m.date_precision or "day"
        if prec == "week":
            return d.toordinal() - WEEK_HALF, d.toordinal() + WEEK_HALF
        if prec == "month":
            last = calendar.monthrange(d.year, d.month)[1]
            return dt.date(d.year, d.month, 1).toordinal(), dt.date(d.year, d.month, last).toordinal()
        if prec == "year":
            return dt.date(d.year, 1, 1).toordinal(), dt.date(d.year, 12, 31).toordinal()
        return d.toordinal(), d.toordinal()
    if m.published:
        try:
            if len(m.published) == 7:  # a month of publication: any day of it, and the fortnight before
                y, mo = int(m.published[:4]), int(m.published[5:7])
                return (dt.date(y, mo, 1).toordinal() - UNDATED_WINDOW,
                        dt.date(y, mo, calendar.monthrange(y, mo)[1]).toordinal())
            p = dt.date.fromisoformat(m.published[:10]).toordinal()
        except ValueError:
            return None
        return p - UNDATED_WINDOW, p
    return None


def place_key(m: Mention) -> str:
    loc = m.location
    return loc.place_id or "|".join(str(x) for x in (loc.country_code, loc.admin1, loc.name))


def marks(m: Mention) -> list[str]:
    """What only reports of one attack share, whatever their dates say; an undated report with
    no publication date can be placed in time by nothing else.

    * a clock minute at a named site: sources quote the one statement ("at 02:07"), and two
      attacks on one site at the same minute on different days do not happen; round hours and
      half hours are how estimates are told, so they mark nothing;
    * a copy: the same details, word for word, drawn from more than one sentence (the article
      itself republished, not a stock sentence that recurs with every attack).
    """
    loc, tod = m.location, m.time_of_day
    if not loc.place_id:
        return []
    out: list[str] = []
    if tod and loc.kind in ("facility", "town") and _clock(tod) is not None and tod[-2:] not in ("00", "30"):
        out.append(f"clock:{loc.place_id}@{tod}")
    if "event" not in m.evidence:
        return out
    said = {k: e for k, e in m.evidence.items() if k not in UNMARKED_EVIDENCE and e.text}
    head = said.get("event")
    if head is not None and head.start is not None and head.end is not None and any(
            e.start is not None and e.end is not None and (e.end <= head.start or e.start >= head.end)
            for e in said.values()):
        text = "\x1f".join(f"{k}={' '.join(said[k].text.split())}" for k in sorted(said))
        out.append(f"copy:{loc.place_id}@" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16])
    return out


def weekday(m: Mention) -> int | None:
    """The weekday (0 is Monday) an undated report gives its attack ("on Friday" in an article
    with no date to count from): all it says of when, and enough to tell two attacks apart."""
    said = m.evidence.get("event_date")
    if m.event_date or not said or not said.text or not m.language:
        return None
    try:
        pack = get_pack(m.language)
    except PackError:  # a language without a pack: no weekday known
        return None
    return pack.lookup(pack.weekdays, said.text)


def _weekdays_differ(day: int | None, wd: int | None) -> bool:
    """Whether a day (an ordinal) is not the weekday an undated report names."""
    return day is not None and wd is not None and dt.date.fromordinal(day).weekday() != wd


def event_id_for(key: str) -> str:
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, a)))


def _clock(value: str) -> float | None:
    if ":" not in value:
        return None
    h, _, m = value.partition(":")
    try:
        return int(h) + int(m) / 60
    except ValueError:
        return None


def times_conflict(a: str | None, b: str | None) -> bool:
    """Whether two stated times of day cannot be one attack."""
    if not a or not b or a == b:
        return False
    ca, cb = _clock(a), _clock(b)
    if ca is not None and cb is not None:
        diff = abs(ca - cb)
        return min(diff, 24 - diff) > CLOCK_SLACK_H
    if ca is None and cb is None:
        # Neighbouring parts blur ("early hours" and "dawn", "evening" and "last night"): only
        # opposite ones (morning and evening, afternoon and night) say two attacks.
        if a in PARTS and b in PARTS:
            return abs(PARTS.index(a) - PARTS.index(b)) == 2
        return False
    clock, part = (ca, b) if ca is not None else (cb, a)
    lo, hi = PART_HOURS.get(part, (0, 30))
    assert clock is not None
    return not (lo <= clock <= hi or lo <= clock + 24 <= hi)


@dataclass
class EventState:
    """What the merge knows of an event: enough to decide whether a new mention joins it."""

    event_id: str
    seq: int  # creation order: the tie-break between equally good events
    key: str  # the founding key its id was made from
    place_id: str | None = None
    kind: str | None = None
    name: str | None = None
    admin1: str | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    lo: int | None = None  # interval in day ordinals; None when undated and unbounded
    hi: int | None = None
    event_type: str | None = None
    times: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # its reports' marks (see ``marks``)
    weekday: int | None = None  # the weekday its undated reports name (see ``weekday``)
    # Which member gave each value above, so that the state is the same whatever order its
    # members come in (the store adds a report to the stored state, it never replays them):
    # "place", "admin1", "country": [kind rank, no coordinates, member key] of the member that
    # gave it; "event_type", "weekday": that member's key; "dates": [latest start, earliest end]
    # of all the dated members, and [width, key, lo, hi] of the narrowest one.
    why: dict[str, Any] = field(default_factory=dict)

    @property
    def fine(self) -> bool:
        return self.kind in FINE_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventState:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def absorb(self, m: Mention) -> None:
        """Take in a member: the finest place, the narrowest date, every detail stated. The
        result does not depend on the order members come in: a tie goes to the member first in
        publication order (``member_key``), as if they had all come in that order."""
        why, key, loc = self.why, member_key(m), m.location
        rank = [_KIND_RANK.get(loc.kind or "", 9), loc.latitude is None, key]
        placed = rank[:2] != [9, True]  # a member with neither a kind of place nor coordinates
        if placed and rank <= why.get("place", rank):
            why["place"] = rank
            self.place_id, self.kind, self.name = loc.place_id, loc.kind, loc.name
            self.lat, self.lon = loc.latitude, loc.longitude
        # a province or country from the finest member that names one
        for name, value in (("admin1", loc.admin1), ("country", loc.country_code)):
            if placed and value and rank <= why.get(name, rank):
                why[name] = rank
                setattr(self, "country_code" if name == "country" else name, value)
        span = interval(m)
        if span is not None:
            lo, hi = span
            dates = why.get("dates") or [lo, hi, [hi - lo, key, lo, hi]]
            dates[0], dates[1] = max(dates[0], lo), min(dates[1], hi)
            dates[2] = min(dates[2], [hi - lo, key, lo, hi])
            why["dates"] = dates
            # every report is true of the attack: it happened where they all overlap; when
            # they cannot all be right, on the days of the most precise one
            self.lo, self.hi = (dates[0], dates[1]) if dates[0] <= dates[1] else (dates[2][2], dates[2][3])
        for name, value in (("event_type", m.event_type), ("weekday", weekday(m))):
            if value is not None and value != "" and key <= why.get(name, key):
                why[name] = key
                setattr(self, name, value)
        for value, bag in ((m.time_of_day, self.times), (m.actor1, self.actors), (m.article, self.articles),
                           *((w.type, self.weapons) for w in m.weapons), *((k, self.marks) for k in marks(m))):
            if value and value not in bag:
                bisect.insort(bag, value)


def member_key(m: Mention) -> list[str]:
    """The order members are taken in when they tie: publication, then article, then mention."""
    return [m.published or "", m.article, m.mention_id or ""]


_KIND_RANK = {"facility": 0, "sea": 1, "town": 1, "admin1": 2, "country": 3}


def state_for(m: Mention, seq: int, taken: set[str] | None = None) -> EventState:
    """A new event founded by ``m``; its id is made from the founding place and date."""
    date = m.event_date or "undated"
    if m.event_date and m.date_precision in ("week", "month", "year"):
        date = f"{m.date_precision}:{m.event_date}"
    key = f"{place_key(m)}@{date}"
    n, candidate = 1, key
    while taken is not None and event_id_for(candidate) in taken:
        n += 1
        candidate = f"{key}#{n}"
    st = EventState(event_id=event_id_for(candidate), seq=seq, key=candidate)
    st.absorb(m)
    return st


def place_score(m: Mention, e: EventState) -> float | None:
    """How well the mention's place matches the event's: None when they are different places."""
    loc = m.location
    if loc.place_id and loc.place_id == e.place_id:
        return 3.0
    if not loc.place_id and not e.place_id and loc.name and loc.name == e.name \
            and loc.country_code == e.country_code:
        return 3.0
    m_fine = loc.kind in FINE_KINDS
    if m_fine and e.fine:
        if loc.latitude is None or e.lat is None or loc.longitude is None or e.lon is None:
            return None
        d = _km(loc.latitude, loc.longitude, e.lat, e.lon)
        if d <= SAME_POINT_KM:
            return 2.5
        if loc.kind == "sea" and e.kind == "sea":
            return 1.0 if d <= SEA_KM else None
        if "town" in (loc.kind, e.kind) and "sea" not in (loc.kind, e.kind) and d <= NEAR_TOWN_KM:
            return 1.5
        return None
    # One side is a province or a country: it contains the other, or they differ.
    if loc.country_code and e.country_code and loc.country_code != e.country_code:
        return None
    coarse_kind = loc.kind if not m_fine else e.kind
    if coarse_kind == "admin1":
        a1 = loc.admin1 or (loc.name if loc.kind == "admin1" else None)
        b1 = e.admin1 or (e.name if e.kind == "admin1" else None)
        if not a1 or not b1 or a1 != b1:
            return None
        return 2.0 if loc.kind == e.kind else 1.0
    if coarse_kind == "country" or (not loc.kind and loc.country_code) or (not e.kind and e.country_code):
        if not loc.country_code or not e.country_code:
            return None
        return 2.0 if loc.kind == e.kind else 0.5
    return None


def score(m: Mention, e: EventState, span: tuple[int, int] | None) -> float | None:
    """How likely ``m`` reports event ``e``; None when something says it does not.
    The cheap tests come first: most candidates of a block fail on the date."""
    by_mark = False
    if span is None or e.lo is None or e.hi is None:
        # Nothing dates one of the two: they may be one when nothing dates either and both name
        # the same facility (a town or a sea sees too many attacks), or when a mark says so (the
        # same clock minute or the same words, at the event's own site). Else a dated report
        # never joins them, as nothing says which of the site's attacks they meant.
        if span is not None or e.lo is not None or "facility" not in (m.location.kind, e.kind):
            if set(marks(m)).isdisjoint(e.marks):
                return None
            by_mark = True
        # an undated report's weekday is all it says of when: another weekday is another attack
        wd = weekday(m)
        if wd is not None and e.weekday is not None and wd != e.weekday \
                or _weekdays_differ(e.lo if e.lo == e.hi else None, wd) \
                or span is not None and _weekdays_differ(span[0] if span[0] == span[1] else None, e.weekday):
            return None
        ds = -0.5
    else:
        if max(span[0], e.lo) > min(span[1], e.hi):
            return None
        ds = 1.0 if span[0] == span[1] == e.lo == e.hi else 0.5 if m.event_date else 0.2
    if m.article in e.articles:
        return None
    if m.event_type and e.event_type and m.event_type != e.event_type:
        return None
    ps = place_score(m, e)
    if ps is None or by_mark and ps < 3.0:
        return None
    if not m.event_date and not by_mark and (ps < 2.5 or m.location.kind not in ("facility", "town")):
        return None  # an undated report names its site exactly or joins nothing
    # a time that fits none of the times the event's reports give is another attack (one that
    # fits some is the same attack told a little differently)
    clashes = sum(times_conflict(m.time_of_day, t) for t in e.times) if m.time_of_day else 0
    if clashes and clashes == len(e.times):
        return None
    s = ps + ds - (0.6 if clashes else 0.0)
    if m.time_of_day and m.time_of_day in e.times:
        s += 0.5
    if any(w.type in e.weapons for w in m.weapons):
        s += 0.3
    if m.actor1 and m.actor1 in e.actors:
        s += 0.2
    return s


class Merger:
    """Incremental merge: feed it one article's mentions at a time; each gets an ``event_id``.

    ``states`` seeds it with events known from earlier runs (the store passes those near the
    new mentions); it never renames an event, so ids stay stable across runs and re-ingests.
    """

    def __init__(self, states: Iterable[EventState] = (), taken: set[str] | None = None, seq: int = 0) -> None:
        self.events: dict[str, EventState] = {}
        # Blocks. A precise mention (a site with coordinates) only meets events in its grid
        # cell and the eight around it, plus the coarse events of its country; a coarse one
        # (a province, a country) meets every event of its country. Both by day, or by month
        # for events known only to the week or month.
        self._cell_day: dict[tuple[int, int, int], list[EventState]] = {}
        self._coarse_day: dict[tuple[str | None, int], list[EventState]] = {}
        self._all_day: dict[tuple[str | None, int], list[EventState]] = {}
        self._month: dict[tuple[str | None, int, int], list[EventState]] = {}
        self._undated: dict[str, list[EventState]] = {}
        # (founding site, mark): how an undated report finds the dated event it is a copy of or
        # shares a clock minute with, and a dated report the undated event it shares one with
        self._marked: dict[tuple[str, str], list[EventState]] = {}
        # ids in use; the store passes a set that also looks in its table
        self.taken: set[str] = taken if taken is not None else set()
        self._seq = seq
        for st in states:
            self._index(st)

    def _index(self, st: EventState) -> None:
        self.events[st.event_id] = st
        self.taken.add(st.event_id)
        self._seq = max(self._seq, st.seq + 1)
        self._file(st)
        self._file_marks(st, st.marks)

    def _file_marks(self, st: EventState, new: Iterable[str]) -> None:
        site = st.key.split("@", 1)[0]
        for mark in new:
            self._marked.setdefault((site, mark), []).append(st)

    def _file(self, st: EventState) -> None:
        # Filed under every block it may be found from; stale entries are harmless because
        # every candidate is checked against its current state.
        cc = st.country_code
        if st.lo is None or st.hi is None:
            self._undated.setdefault(st.key.split("@", 1)[0], []).append(st)
            return
        if st.hi - st.lo > DAY_BLOCK_SPAN:
            for ym in _months(st.lo, st.hi):
                self._month.setdefault((cc, *ym), []).append(st)
            return
        cell = grid_cell(st.kind, st.lat, st.lon)
        for day in range(st.lo, st.hi + 1):
            self._all_day.setdefault((cc, day), []).append(st)
            if cell is None:
                self._coarse_day.setdefault((cc, day), []).append(st)
            else:
                self._cell_day.setdefault((*cell, day), []).append(st)

    def candidates(self, m: Mention, span: tuple[int, int] | None) -> list[EventState]:
        found: dict[str, EventState] = {}
        loc = m.location
        site = place_key(m)
        for mark in marks(m) if self._marked else ():
            for st in self._marked.get((site, mark), ()):
                found[st.event_id] = st
        if span is None:
            for st in self._undated.get(site, ()):
                found[st.event_id] = st
            return list(found.values())
        ccs: list[str | None] = [loc.country_code]
        if loc.kind == "sea" or not loc.country_code:
            ccs.append(None)  # seas and places without a country file under None
        cell = grid_cell(loc.kind, loc.latitude, loc.longitude)
        # a year-wide report is matched by month blocks only: scanning its days would cost more
        days = range(span[0], span[1] + 1) if span[1] - span[0] <= 62 else range(0)
        for day in days:
            if cell is None:
                for cc in ccs:
                    for st in self._all_day.get((cc, day), ()):
                        found[st.event_id] = st
                continue
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for st in self._cell_day.get((cell[0] + dx, cell[1] + dy, day), ()):
                        found[st.event_id] = st
            for cc in ccs:
                for st in self._coarse_day.get((cc, day), ()):
                    found[st.event_id] = st
        for cc in ccs:
            for ym in _months(*span):
                for st in self._month.get((cc, *ym), ()):
                    found[st.event_id] = st
        return list(found.values())

    def add(self, mentions: Iterable[Mention]) -> list[EventState]:
        """Assign every mention (of one article) to an event; returns the events touched."""
        touched: dict[str, EventState] = {}
        for m in mentions:
            span = interval(m)
            best: tuple[tuple[float, int], EventState] | None = None
            for st in self.candidates(m, span):
                s = score(m, st, span)
                if s is None:
                    continue
                rank = (s, -st.seq)  # ties go to the oldest event
                if best is None or rank > best[0]:
                    best = (rank, st)
            if best is None:
                st = state_for(m, self._seq, self.taken)
                self._index(st)
            else:
                st = best[1]
                before = (st.lo, st.hi, st.country_code, st.place_id, st.kind)
                known = set(st.marks)
                st.absorb(m)
                if (st.lo, st.hi, st.country_code, st.place_id, st.kind) != before:
                    self._file(st)
                self._file_marks(st, [k for k in st.marks if k not in known])
            m.event_id = st.event_id
            touched[st.event_id] = st
        return list(touched.values())


def grid_cell(kind: str | None, lat: float | None, lon: float | None) -> tuple[int, int] | None:
    """The grid cell (a quarter degree, about 25 km) of a site; None for regions and seas,
    which are matched by country (seas have none: they share the None block)."""
    if kind not in ("facility", "town") or lat is None or lon is None:
        return None
    return round(lat * 4), round(lon * 4)


CELL_BLOCK = "c:"  # the prefix of a site's block key; the rest is its grid cell


def _cell_block(x: int, y: int) -> str:
    return f"{CELL_BLOCK}{x}:{y}"


def wide_block(country_code: str | None) -> str:
    """The block key of the events of a country dated only to the year."""
    return f"w:{country_code or ''}"


def near_cells(cell: tuple[int, int]) -> list[str]:
    """The store's block keys of a cell and the eight around it, where the sites within a
    site's reach are filed (see ``block_of``)."""
    return [_cell_block(cell[0] + dx, cell[1] + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]


def block_of(st: EventState) -> tuple[str | None, str | None, str | None]:
    """(block, kind, area) the store files an event under, mirroring the in-memory blocks: a
    site dated to the week or closer by its grid cell, "c:<cell>" (whatever its country: a town
    across a border may be how another outlet names the site); an event dated only to the year
    by "w:<country>" (a window of days would not find it cheaply); anything else None (found
    by its country and dates). ``area`` is the province ``place_score`` compares a province's
    report with."""
    block = None
    if st.lo is not None and st.hi is not None:
        cell = grid_cell(st.kind, st.lat, st.lon)
        if st.hi - st.lo <= DAY_BLOCK_SPAN and cell is not None:
            block = _cell_block(*cell)
        elif st.hi - st.lo > WIDE_DAYS:
            block = wide_block(st.country_code)
    return block, st.kind, st.admin1 or (st.name if st.kind == "admin1" else None)


def _months(lo: int, hi: int) -> list[tuple[int, int]]:
    a, b = dt.date.fromordinal(lo), dt.date.fromordinal(hi)
    out = []
    y, mo = a.year, a.month
    while (y, mo) <= (b.year, b.month):
        out.append((y, mo))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return out


def merge(mentions: Iterable[Mention]) -> list[Mention]:
    """Set ``event_id`` on a batch of mentions (in place); returns them in the order given.

    Articles are merged in publication order (then by id), each article's mentions in the order
    it reports them, as a live feed would bring them: so any order of the same mentions gives
    the same events with the same ids.
    """
    out = list(mentions)
    by_article: dict[str, list[Mention]] = {}
    for m in out:
        by_article.setdefault(m.article, []).append(m)
    merger = Merger()
    for aid in sorted(by_article, key=lambda a: (by_article[a][0].published or "", a)):
        merger.add(sorted(by_article[aid], key=lambda m: (m.sentence_start if m.sentence_start is not None else -1,
                                                          m.mention_id or "")))
    return out
