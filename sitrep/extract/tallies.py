"""What a tally counts: the countries it covers, its per-country parts and the party it is
about ("66 attacks on US forces since 17 October, 32 in Iraq and 34 in Syria").

Language-blind: countries come from the gazetteer, numbers from the pack's number words, the
target from the pack's actor names; a part is a number written just before a country name, with
at most two short words between ("32 in Iraq", "34 kali di Suriah"), and not a day of a date
("since 17 October": the month word next to it says so).
"""

from __future__ import annotations

import re

from sitrep.extract import signals as sg
from sitrep.lang.pack import Pack
from sitrep.places.gazetteer import get_gazetteer

_GAP = re.compile(r"^\W*(?:\w{1,6}\W+){0,2}$")  # at most two short words ("in", "times in", "fois en")


def tally_details(text: str, count: int, pack: Pack) -> tuple[list[str], dict[str, int], str | None]:
    """(country codes covered, {country code: part}, the actor named) of one tally sentence."""
    hits = [h for h in get_gazetteer().find(text) if h.place.kind == "country" and h.place.country_code]
    scope: list[str] = []
    for h in hits:
        if h.place.country_code not in scope:
            scope.append(h.place.country_code)  # type: ignore[arg-type]
    numbers = [(m.start(), m.end(), sg.parse_number(m.group(0), pack))
               for m in pack.number_regex.finditer(text)] if pack.number_regex else []
    parts: dict[str, int] = {}
    for h in hits:
        cc = h.place.country_code
        assert cc is not None
        before = [n for n in numbers if n[1] <= h.start and _GAP.match(text[n[1]:h.start])
                  and not _dated(text, n[0], n[1], pack)]
        if before and before[-1][2] is not None and before[-1][2] < count and cc not in parts:
            parts[cc] = before[-1][2]
    actor = next((value for _m, value in pack.actors.finditer(text)), None) if pack.actors else None
    return scope, parts, actor


def _dated(text: str, start: int, end: int, pack: Pack) -> bool:
    """Whether the number at text[start:end] is a day of a date: a month word touches it."""
    # only a month word joined to it by spaces or a dot: "Oct. 17", "17 October", not "October, 32"
    before = re.search(r"(\w+)\.?\s*$", text[max(0, start - 16):start])
    after = re.match(r"\s*(\w+)", text[end:end + 16])
    near = [m.group(1) for m in (before, after) if m]
    return any(w.casefold() in pack.months for w in near)
