"""Property-based tests: readers, cleaner, number and date parsing and the whole per-article
step never fail on text nobody foresaw; they answer with a record or a named error.
(`python bench/fuzz.py` runs the same properties with many more examples.)"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.clean import clean
from sitrep.errors import ReadError
from sitrep.lang.pack import available, get_pack
from sitrep.pipeline import safe_process
from sitrep.read import decode, parse_text, read_jsonl
from sitrep.records import Article, Extraction
from sitrep.when import parse_published

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like news more often than uniform noise would: words of the packs, digits,
# dates and punctuation, mixed with arbitrary characters.
WORDS = st.sampled_from(["roquettes", "drone", "Ain al-Asad", "31 février", "hier", "kemarin malam", "30",
                         "10 000 000", "صاروخ", "Conoco", "\n\n", "Baca Juga:", "(AFP)", "٣٠", "2024-02-31",
                         "lundi 8 janvier", "ракеты", "saldırı", "<script>alert(1)</script>", "\x00", "\ufeff"])
NEWSY = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=40).map(" ".join)
LANGS = st.sampled_from(sorted(available()) + [None, "xx"])


@SETTINGS
@given(st.binary(max_size=2000))
def test_decode_gives_text_or_a_read_error(data: bytes) -> None:
    try:
        assert isinstance(decode(data, "f.txt"), str)
    except ReadError as exc:
        assert str(exc).startswith("f.txt")


@SETTINGS
@given(NEWSY)
def test_plain_text_always_reads(text: str) -> None:
    art = parse_text(text, "a.txt")
    assert art.id == "a.txt" and isinstance(art.text, str)


@SETTINGS
@given(st.lists(st.one_of(NEWSY, st.just('{"id": "x", "text": "deux roquettes"}'), st.just("{"),
                          st.just('{"text": 3}')), max_size=6))
def test_jsonl_lines_are_articles_or_errors_with_their_line(lines: list[str]) -> None:
    items = list(read_jsonl("\n".join(lines), "b.jsonl"))
    for item in items:
        if isinstance(item, ReadError):
            assert str(item).startswith("b.jsonl")
        else:
            assert isinstance(item, Article)


@SETTINGS
@given(NEWSY, LANGS)
def test_cleaning_keeps_offsets_true(text: str, lang: str | None) -> None:
    doc = clean(Article(id="c", text=text, language=lang))
    for s in doc.sentences:
        assert doc.text[s.start:s.end] == s.text
    for d in doc.dropped:
        assert 0 <= d["start"] <= d["end"] <= len(doc.text)


@SETTINGS
@given(st.text(max_size=20))
def test_publication_dates_parse_or_are_unknown(value: str) -> None:
    day, precision = parse_published(value)
    if day is not None:
        assert precision in ("day", "month", "year")
        if precision == "day":
            dt.date.fromisoformat(day)  # a real calendar day, never "2024-02-31"


@SETTINGS
@given(NEWSY, LANGS, st.sampled_from([None, "2024-01-08", "2023-11", "2024-02-29"]))
def test_the_per_article_step_never_raises(text: str, lang: str | None, published: str | None) -> None:
    result = safe_process(Article(id="p", text=text, language=lang, published=published),
                          today=dt.date(2024, 3, 1))
    assert isinstance(result, Extraction), str(result)
    for m in result.mentions:
        if m.event_date:
            dt.date.fromisoformat(m.event_date)
        for w in m.weapons:
            assert w.count is None or 0 < w.count <= 100_000  # "10 000 000 roquettes" is not a count
        for name, ev in m.evidence.items():
            if ev.start is not None and ev.end is not None:
                assert result.document.text[ev.start:ev.end] == ev.text, name


@SETTINGS
@given(st.integers(0, 99_999), st.sampled_from(["", " ", ",", "."]))
def test_digit_counts_read_back(n: int, sep: str) -> None:
    from sitrep.extract.signals import parse_number

    pack = get_pack("en")
    text = f"{n:,}".replace(",", sep) if sep else str(n)
    assert parse_number(text, pack) == n


def test_absurd_counts_and_impossible_dates_are_unknown_not_wrong() -> None:
    from sitrep.pipeline import process

    text = ("10 000 000 roquettes ont frappé la base d'Ain al-Asad le 3 janvier 2024, faisant 5 000 000 morts. "
            "La base d'al-Tanf a été visée le 31 février 2024 par deux drones.")
    res = process(Article(id="x", text=text, language="fr", published="2024-03-04"))
    by_place = {m.location.name: m for m in res.mentions}
    asad = next(m for name, m in by_place.items() if name and "Asad" in name)
    assert [w.count for w in asad.weapons] == [None] and asad.fatalities is None
    tanf = next(m for name, m in by_place.items() if name and "Tanf" in name)
    assert tanf.event_date != "2024-02-31" and (tanf.event_date is None or tanf.date_precision != "day")
