"""Dates: spot date phrases with the pack's words, then resolve them against the article's
reference date (its "today") with a precision, or to None when that cannot be known.

Phrase spotting is done here from pack data rather than with ``dateparser.search_dates``:
search_dates is slow (3-4 ms a sentence) and misses most relative night/weekday phrases of
our languages ("kemarin malam", "hier soir", "Rabu malam"). dateparser is used for one job it
does well: reading a publication date written in any format (``parse_published``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sitrep.lang.pack import COUNT_UNITS, Pack
from sitrep.records import Document

_DIGIT = re.compile(r"\d")
# the day that stands for a part of a month named without a day ("early January": the 5th);
# month_alone patterns mark the part with a group of that name
MONTH_THIRDS = {"early": 5, "mid": 15, "late": 25}


@dataclass
class DatePhrase:
    start: int
    end: int
    text: str
    kind: str  # explicit | solar | month | weekday | relative
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    offset_days: int = 0
    offset_months: int | None = None  # a month-counted phrase ("last month": -1, "earlier this month": 0)
    precision: str = "day"
    this_day: bool = False  # "ce mardi 31 octobre": the article's own today
    from_mentioned: bool = False  # "the day before", "la veille": counted from the date just named


@dataclass
class Reference:
    """The date an article is written from, as far as it can be known."""

    date: dt.date | None = None  # known day
    year: int | None = None
    month: int | None = None
    source: str | None = None  # published / text / header
    note: str | None = None


@dataclass
class Resolved:
    date: dt.date | None
    precision: str | None
    note: str | None = None

    @property
    def iso(self) -> str | None:
        return self.date.isoformat() if self.date else None


def parse_published(value: str) -> tuple[str | None, str | None]:
    """A publication date in any common format -> (ISO date, precision)."""
    import dateparser

    value = value.strip()
    m = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if m:
        y, mo, d = m.groups()
        return (f"{y}-{mo}-{d}", "day") if d else (f"{y}-{mo}", "month")
    parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        return None, None
    return parsed.date().isoformat(), "day"


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def _day(value: str | None) -> int | None:
    """A day of the month as written: "8", "1er", "٨"."""
    if value is None:
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    return int(digits) if digits else None


def spot(text: str, start: int, end: int, pack: Pack) -> list[DatePhrase]:
    """All date phrases in text[start:end], explicit ones first claiming their span."""
    chunk = text[start:end]
    out: list[DatePhrase] = []
    taken: list[tuple[int, int]] = []
    # every explicit date has a day in digits, or in words where the pack lists them
    wordy = pack.day_word_regex is not None and pack.day_word_regex.search(chunk) is not None
    explicit = pack.numeric_day_month + pack.day_month if wordy or _DIGIT.search(chunk) else []
    for rx in explicit:
        for m in rx.finditer(chunk):
            s, e = start + m.start(), start + m.end()
            if _overlaps(taken, s, e):
                continue
            g = m.groupdict()
            month_raw = g.get("month") or ""
            month = int(month_raw) if month_raw.isdigit() else pack.lookup(pack.months, month_raw)
            day = _day(g.get("day")) or (pack.lookup(pack.day_words, g["day"]) if g.get("day") else None)
            if not month and day and (g.get("this_month") or g.get("last_month")) and 1 <= day <= 31:
                # "في الثاني من الشهر الجاري": a day of the article's month (or the one before)
                out.append(DatePhrase(s, e, text[s:e], "relative", day=day,
                                      offset_months=0 if g.get("this_month") else -1))
                taken.append((s, e))
                continue
            if not month or not day or not 1 <= month <= 12 or not 1 <= day <= 31:
                continue
            if _starts_period(chunk, m.start(), pack):
                taken.append((s, e))  # "depuis le 7 octobre": a period's start, which dates no attack
                continue
            year = int(g["year"]) if g.get("year") else None
            if year is not None and year < 100:
                year += 2000
            weekday = pack.lookup(pack.weekdays, g["weekday"]) if g.get("weekday") else None
            out.append(DatePhrase(s, e, text[s:e], "explicit", day=day, month=month, year=year, weekday=weekday,
                                  this_day=_after_this_day(text, s, pack)))
            taken.append((s, e))
    for rx in pack.solar_day_month if explicit else []:
        for m in rx.finditer(chunk):
            s, e = start + m.start(), start + m.end()
            month = pack.lookup(pack.solar_months, m.group("month"))
            day = _day(m.group("day"))
            if _overlaps(taken, s, e) or not month or not day:
                continue
            year = _day(m.groupdict().get("year"))  # digits of any script
            if year is not None and not 1300 <= year < 1500:
                year = None  # not a Solar Hijri year of our era
            out.append(DatePhrase(s, e, text[s:e], "solar", day=day, month=month, year=year,
                                  this_day=_after_this_day(text, s, pack)))
            taken.append((s, e))
    for rx in pack.month_year if explicit else []:
        for m in rx.finditer(chunk):
            s, e = start + m.start(), start + m.end()
            month = pack.lookup(pack.months, m.group("month"))
            if _overlaps(taken, s, e) or not month:
                continue
            out.append(DatePhrase(s, e, text[s:e], "month", month=month, year=int(m.group("year")),
                                  precision="month"))
            taken.append((s, e))
    for rx in pack.month_alone:
        for m in rx.finditer(chunk):
            s, e = start + m.start(), start + m.end()
            month = pack.lookup(pack.months, m.group("month"))
            if _overlaps(taken, s, e) or not month or _in_period(chunk, m.start(), pack):
                continue
            # "early/mid/late January": its third of the month, at week precision
            third = next((k for k in MONTH_THIRDS if m.groupdict().get(k)), None)
            out.append(DatePhrase(s, e, text[s:e], "month", month=month, day=MONTH_THIRDS.get(third or "", 15),
                                  precision="week" if third else "month"))
            taken.append((s, e))
    for rx, rule in pack.counted:  # before the fixed words: "two days ago" is not "days ago"
        for m in rx.finditer(chunk):
            s, e = start + m.start(), start + m.end()
            n = _count(m.group("n"), pack) if "n" in rx.groupindex else rule.get("count")
            if _overlaps(taken, s, e) or not n:
                continue
            unit = rule["unit"]
            out.append(DatePhrase(s, e, text[s:e], "relative", offset_days=rule["sign"] * n * COUNT_UNITS[unit],
                                  precision="day" if unit == "day" else "week",
                                  from_mentioned=rule.get("from") == "mentioned"))
            taken.append((s, e))
    for m, index in pack.relative.finditer(chunk) if pack.relative else ():
        rule = pack.relative_rules[int(index)]
        s, e = start + m.start(), start + m.end()
        if _overlaps(taken, s, e):
            continue
        months = rule.get("months")
        out.append(DatePhrase(s, e, text[s:e], "relative", offset_days=int(rule.get("days", 0)),
                              offset_months=None if months is None else int(months),
                              precision=rule.get("precision", "day"),
                              from_mentioned=rule.get("from") == "mentioned"))
        taken.append((s, e))
    if pack.weekday_regex is not None:
        for m in pack.weekday_regex.finditer(chunk):
            s, e = start + m.start(), start + m.end()
            if _overlaps(taken, s, e):
                continue
            weekday = pack.lookup(pack.weekdays, m.group(0))
            if weekday is None:
                continue
            out.append(DatePhrase(s, e, text[s:e], "weekday", weekday=weekday, this_day=_after_this_day(text, s, pack)))
            taken.append((s, e))
    out.sort(key=lambda p: p.start)
    return out


def _count(token: str, pack: Pack) -> int | None:
    """A small count in digits of any script or in the pack's number words ("zehn", "ثلاثة")."""
    n = _day(token)
    return n if n is not None else pack.lookup(pack.numbers, token)


def _starts_period(chunk: str, at: int, pack: Pack) -> bool:
    """Whether a "since" word stands right before a date ("since 7 October", "desde el pasado 7
    de octubre"), two short words at most between them."""
    if pack.period_start is None:
        return False
    head = chunk[max(0, at - 20):at]
    return any(len(head[m.end():].split()) <= 2 and len(head) - m.end() <= 12
               for m in pack.period_start.finditer(head))


def _in_period(chunk: str, at: int, pack: Pack) -> bool:
    """Whether a "since" word stands earlier in the clause ("since the attacks began in November")."""
    if pack.period_start is None:
        return False
    head = chunk[:at]
    cut = max(head.rfind(c) for c in ",;:.!?،؛")
    return pack.period_start.search(head, cut + 1) is not None


@dataclass
class TimePhrase:
    """A time of day in the text: a clock time or a part of the day."""

    start: int
    end: int
    text: str
    value: str  # "HH:MM" (24-hour) or night / morning / afternoon / evening

    @property
    def is_clock(self) -> bool:
        return ":" in self.value


def spot_times(text: str, start: int, end: int, pack: Pack) -> list[TimePhrase]:
    """Clock times and part-of-day words in text[start:end]. A part-of-day word inside a clock
    time ("5 утра", "10 heures du soir") is only its am/pm, not a phrase of its own."""
    chunk = text[start:end]
    out: list[TimePhrase] = []
    taken: list[tuple[int, int]] = []
    for rx in pack.clock if _DIGIT.search(chunk) else []:
        for m in rx.finditer(chunk):
            s, e = _trimmed(chunk, m.start(), m.end())
            value = _clock(m, pack)
            if value is None or _overlaps(taken, start + s, start + e):
                continue
            out.append(TimePhrase(start + s, start + e, chunk[s:e], value))
            taken.append((start + s, start + e))
    for m, bucket in pack.parts_of_day.finditer(chunk) if pack.parts_of_day else ():
        s, e = start + m.start(), start + m.end()
        if not _overlaps(taken, s, e):
            out.append(TimePhrase(s, e, text[s:e], bucket))
    out.sort(key=lambda t: t.start)
    return out


def _trimmed(chunk: str, s: int, e: int) -> tuple[int, int]:
    while s < e and chunk[s].isspace():
        s += 1
    while e > s and chunk[e - 1].isspace():
        e -= 1
    return s, e


def _clock(m: re.Match[str], pack: Pack) -> str | None:
    """A clock match as "HH:MM" on the 24-hour clock, or None when it is no time of day."""
    g = m.groupdict()
    hour = _day(g.get("hour"))
    minute = _day(g.get("minute")) or 0
    if hour is None or hour > 24 or minute > 59:
        return None
    if g.get("ampm") and hour <= 12:
        hour = _meridiem(hour, g["ampm"], pack)
    return f"{hour % 24:02d}:{minute:02d}"


def _meridiem(hour: int, marker: str, pack: Pack) -> int:
    """A 12-hour clock hour on the 24-hour clock, from "pm"/"am" or a part-of-day word after
    it ("10 du soir", "2 dini hari", "11 ночи": night is evening from 6 on, else small hours)."""
    letters = re.sub(r"[\W\d_]", "", marker).lower()  # "p.m.", "P. M." -> "pm"
    if letters in ("am", "pm"):
        bucket = "afternoon" if letters == "pm" else "morning"
    else:
        bucket = next((b for _, b in pack.parts_of_day.finditer(marker)), None) if pack.parts_of_day else None
    if bucket in ("afternoon", "evening") or (bucket == "night" and 6 <= hour < 12):
        return hour if hour == 12 else hour + 12
    if bucket in ("morning", "night") and hour == 12:
        return 0  # "12 am", "12 at night": midnight
    return hour


def _after_this_day(text: str, start: int, pack: Pack) -> bool:
    """True when a 'this/today' word stands right before the phrase ("ce matin, lundi 8 janvier")."""
    if pack.this_day is None:
        return False
    before = text[max(0, start - 40):start]
    return any(len(before) - m.end() <= 3 for m in pack.this_day.finditer(before))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # 31 February and the like: no date rather than a wrong one


def year_from_weekday(month: int, day: int, weekday: int, today: dt.date) -> int | None:
    """The latest year, not in the future, in which day/month falls on that weekday."""
    for year in range(today.year, today.year - 40, -1):
        d = _safe_date(year, month, day)
        if d and d <= today and d.weekday() == weekday:
            return year
    return None


def resolve_explicit(p: DatePhrase, ref: Reference, today: dt.date) -> Resolved:
    assert p.day is not None and p.month is not None
    if p.year:
        return Resolved(_safe_date(p.year, p.month, p.day), "day")
    if ref.year:
        year = ref.year
        anchor = ref.date or dt.date(ref.year, ref.month or 12, 28)
        d = _safe_date(year, p.month, p.day)
        if d and (d - anchor).days > 31:
            year -= 1  # "28 December" in an article of 3 January is last year's
        # a year that came from the text itself (a weekday) says how it was found
        return Resolved(_safe_date(year, p.month, p.day), "day", note=ref.note if ref.source == "text" else None)
    if p.weekday is not None:
        year = year_from_weekday(p.month, p.day, p.weekday, today)
        if year:
            return Resolved(_safe_date(year, p.month, p.day), "day",
                            note=f"year {year} inferred from the weekday: the latest year, not in the future, "
                                 f"in which {p.day:02d}/{p.month:02d} is that weekday")
    return Resolved(None, None, note="day and month without a year, and no publication date")


def resolve_solar(p: DatePhrase, ref: Reference) -> Resolved:
    """A Solar Hijri day (Persian press: "۲۰ شهریور ۱۴۰۰") as a Gregorian date; without a year,
    the Solar year of the article's date."""
    import jdatetime

    assert p.day is not None and p.month is not None
    year = p.year
    if year is None and ref.date is not None:
        year = jdatetime.date.fromgregorian(date=ref.date).year
    if year is None:
        return Resolved(None, None, note=f"'{p.text}': a Solar Hijri day without a year")
    try:
        g = jdatetime.date(year, p.month, p.day).togregorian()
    except ValueError:
        return Resolved(None, None, note=f"'{p.text}' is not a Solar Hijri date")
    return Resolved(g, "day", note=f"'{p.text}' (Solar Hijri {year}/{p.month}/{p.day}) is {g.isoformat()}")


def reference(doc: Document, phrases: list[DatePhrase], today: dt.date) -> Reference:
    """The article's today: its publication day, else an explicit date the text calls today,
    else the publication month."""
    pub = doc.published
    year = month = None
    published: dt.date | None = None
    if pub:
        m = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", pub)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if m.group(3):
                published = _safe_date(year, month, int(m.group(3)))
    partial = Reference(year=year, month=month, source="published" if year else None)
    if doc.dateline is not None:
        # the date a report was filed ("BAGHDAD, April 14 (Xinhua) --") is its today, unless
        # the publication date says it cannot be
        a, b = doc.dateline
        for p in phrases:
            if p.kind == "explicit" and a <= p.start < b:
                r = resolve_explicit(p, partial, today)
                if r.date and (published is None or 0 <= (published - r.date).days <= 3):
                    return Reference(date=r.date, year=r.date.year, month=r.date.month, source="dateline",
                                     note=f"the dateline '{p.text}'")
    if published is not None:
        return Reference(date=published, year=published.year, month=published.month, source="published")
    for p in phrases:
        if p.kind == "explicit" and p.this_day:
            r = resolve_explicit(p, partial, today)
            if r.date:
                return Reference(date=r.date, year=r.date.year, month=r.date.month, source="text",
                                 note=f"the article's today is '{p.text}'" + (f"; {r.note}" if r.note else ""))
    return partial


def resolve_chain(phrases: list[list[DatePhrase]], resolved: list[list[Resolved]]) -> None:
    """Re-resolve "the day before"-like phrases from the day named just before them (in the
    same sentence, else the one before), in place; left as resolved from the article's date
    when no date was named."""
    last: tuple[DatePhrase, Resolved] | None = None
    for ps, rs in zip(phrases, resolved, strict=True):
        for k, p in enumerate(ps):
            if p.from_mentioned and last is not None and last[1].date is not None:
                base = last[1].date
                rs[k] = Resolved(base + dt.timedelta(days=p.offset_days), p.precision,
                                 note=f"'{p.text}' counted from '{last[0].text}' ({base.isoformat()})")
            elif rs[k].date is not None and p.kind != "relative" and rs[k].precision == "day":
                # only a day anchors "the same night": a month named in a recollection
                # ("in March 2022, ...") leaves it to the day told before
                last = (p, rs[k])


def resolve_month_alone(p: DatePhrase, ref: Reference) -> Resolved:
    """A month named without a year ("Anfang Januar", "in early January"): the latest such month
    not after the article's, at month precision (its middle day, by convention)."""
    assert p.month is not None
    if ref.year is None:
        return Resolved(None, None, note=f"'{p.text}': a month without a year, and the article's date is unknown")
    year = ref.year - (1 if ref.month is not None and p.month > ref.month else 0)
    return Resolved(dt.date(year, p.month, p.day or 15), p.precision,
                    note=f"'{p.text}': {'part of ' if p.precision != 'month' else ''}a month, "
                         f"the year from the article's date ({year})")


def resolve(p: DatePhrase, ref: Reference, anchors: list[dt.date], today: dt.date) -> Resolved:
    """Resolve one phrase. ``anchors`` are explicit days found in the same article, used for
    a bare weekday when only the publication month is known ("Jumat pagi" near "Kamis (23/11)")."""
    if p.kind == "explicit":
        return resolve_explicit(p, ref, today)
    if p.kind == "solar":
        return resolve_solar(p, ref)
    if p.kind == "month":
        assert p.month is not None
        if p.year is not None:
            return Resolved(_safe_date(p.year, p.month, 15), "month", note=f"'{p.text}': a month")
        return resolve_month_alone(p, ref)
    if p.kind == "relative":
        if ref.date is None:
            return Resolved(None, None, note=f"'{p.text}' is relative and the article's date is unknown")
        if p.from_mentioned and p.offset_days > 0:  # "three days later" with no date named before it
            return Resolved(None, None, note=f"'{p.text}' counts from a date the article does not name")
        if p.offset_months is not None:  # a month: its middle, by convention
            y, mo = ref.date.year, ref.date.month + p.offset_months
            while mo < 1:
                y, mo = y - 1, mo + 12
            if p.day is not None:  # a day of that month
                return Resolved(_safe_date(y, mo, p.day), "day", note=f"'{p.text}' from {ref.date.isoformat()}")
            # this month ("earlier this month"): its middle, or the article's day if that is sooner
            day = min(15, ref.date.day) if p.offset_months == 0 else 15
            return Resolved(dt.date(y, mo, day), "month", note=f"'{p.text}' from {ref.date.isoformat()}")
        return Resolved(ref.date + dt.timedelta(days=p.offset_days), p.precision,
                        note=f"'{p.text}' from {ref.date.isoformat()}")
    # A bare weekday: the last such day on or before the reference day.
    assert p.weekday is not None
    if ref.date is not None:
        back = (ref.date.weekday() - p.weekday) % 7
        return Resolved(ref.date - dt.timedelta(days=back), "day",
                        note=f"'{p.text}': the last such weekday on or before {ref.date.isoformat()}")
    candidates = []
    for a in anchors:
        if ref.year and (a.year != ref.year or (ref.month and a.month != ref.month)):
            continue
        for delta in range(-6, 7):
            d = a + dt.timedelta(days=delta)
            if d.weekday() == p.weekday:
                candidates.append((abs(delta), d, a))
    if candidates:
        # the nearest day; on a tie the later one: a report leads with its latest news
        _, d, a = min(candidates, key=lambda c: (c[0], -c[1].toordinal()))
        return Resolved(d, "day", note=f"'{p.text}': the nearest such weekday to {a.isoformat()}, named in the article")
    return Resolved(None, None, note=f"'{p.text}' is a weekday and the article's date is unknown")
