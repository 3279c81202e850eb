"""Dates: spotting with the packs and resolving against the article's reference date."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep import when
from sitrep.lang import get_pack
from sitrep.records import Article, Document

TODAY = dt.date(2026, 11, 23)


def _doc(text: str, published: str | None = None, lang: str = "fr") -> Document:
    precision = None if published is None else ("month" if len(published) == 7 else "day")
    return Document(article=Article(id="t", text=text), text=text, language=lang,
                    published=published, published_precision=precision)


def _resolve_all(text: str, lang: str, published: str | None) -> list[tuple[str, str | None, str | None]]:
    pack = get_pack(lang)
    doc = _doc(text, published, lang)
    phrases = when.spot(text, 0, len(text), pack)
    ref = when.reference(doc, phrases, TODAY)
    explicit = [when.resolve_explicit(p, ref, TODAY) for p in phrases if p.kind == "explicit"]
    anchors = [r.date for r in explicit if r.date]
    return [(p.text, *(lambda r: (r.iso, r.precision))(when.resolve(p, ref, anchors, TODAY))) for p in phrases]


def test_relative_words_without_publication_date_are_null() -> None:
    out = _resolve_all("Keniko diserang kemarin malam, dan Omar hari ini.", "id", None)
    assert [(t, d) for t, d, _ in out] == [("kemarin malam", None), ("hari ini", None)]


def test_relative_words_resolve_against_publication_date() -> None:
    out = _resolve_all("The base was hit yesterday and again this morning.", "en", "2024-01-10")
    assert [(t, d) for t, d, _ in out] == [("yesterday", "2024-01-09"), ("this morning", "2024-01-10")]


def test_weekday_and_day_without_year_take_the_latest_past_year() -> None:
    # 8 January was a Monday in 2018 and 2024: the latest year not in the future wins.
    text = "Le site a été frappé ce matin, lundi 8 janvier. Hier, un camion a été touché."
    out = {t: d for t, d, _ in _resolve_all(text, "fr", None)}
    assert out["lundi 8 janvier"] == "2024-01-08"
    assert out["ce matin"] == "2024-01-08"  # the text's own today, once named
    assert out["Hier"] == "2024-01-07"


def test_year_from_weekday_note_is_given() -> None:
    pack = get_pack("fr")
    text = "tôt ce mardi 31 octobre"
    [p] = [p for p in when.spot(text, 0, len(text), pack) if p.kind == "explicit"]
    r = when.resolve_explicit(p, when.Reference(), TODAY)
    assert r.iso == "2023-10-31" and "weekday" in (r.note or "")


def test_bare_weekday_near_a_named_day_with_month_header() -> None:
    text = "serangan Jumat pagi terhadap pasukan AS. Pada Kamis (23/11) malam, serangan lain."
    out = dict((t, d) for t, d, _ in _resolve_all(text, "id", "2023-11"))
    assert out["Kamis (23/11)"] == "2023-11-23"
    assert out["Jumat"] == "2023-11-24"


def test_few_days_ago_is_week_precision() -> None:
    out = _resolve_all("Il y a quelques jours, une base a été visée.", "fr", "2023-10-31")
    assert out == [("Il y a quelques jours", "2023-10-27", "week")]


def test_day_month_year_before_publication_year_boundary() -> None:
    out = _resolve_all("The attack on December 28 was claimed.", "en", "2024-01-03")
    assert out[0][1] == "2023-12-28"


@pytest.mark.parametrize("text", ["le 31 février 2024", "31 Februari 2024"])
def test_impossible_dates_are_null(text: str) -> None:
    lang = "fr" if "février" in text else "id"
    out = _resolve_all(text, lang, "2024-03-01")
    assert out and out[0][1] is None


def test_published_in_other_formats() -> None:
    assert when.parse_published("2024-01-08T10:00:00Z") == ("2024-01-08", "day")
    assert when.parse_published("8 January 2024") == ("2024-01-08", "day")
    assert when.parse_published("2023-11") == ("2023-11", "month")


def test_solar_hijri_dates_become_gregorian() -> None:
    # Persian press dates by the Solar Hijri calendar: 20 Shahrivar 1400 is 11 September 2021
    out = _resolve_all("حمله پهپادی در ۲۰ شهریور ۱۴۰۰ رخ داد", "fa", None)
    assert out == [("۲۰ شهریور ۱۴۰۰", "2021-09-11", "day")]
    # without a year, the Solar year of the publication date
    out = _resolve_all("حمله پهپادی در ۲۰ شهریور رخ داد", "fa", "2021-09-12")
    assert out[0][1] == "2021-09-11"


def test_a_month_alone_takes_the_year_of_the_article() -> None:
    out = _resolve_all("Im Dezember und Anfang Januar griffen Milizen den Stützpunkt an.", "de", "2024-01-29")
    assert [(t, d, p) for t, d, p in out] == [("Im Dezember", "2023-12-15", "month"),
                                              ("Anfang Januar", "2024-01-05", "week")]
    assert _resolve_all("Ende Januar griffen Milizen an.", "de", None) == [("Ende Januar", None, None)]


def test_a_month_after_since_starts_a_period_and_is_no_date() -> None:
    assert _resolve_all("Since the Houthis began attacking ships in November, traffic fell.", "en", "2024-01-12") == []
    assert _resolve_all("Seit Anfang Januar gab es 20 Angriffe.", "de", "2024-01-29") == []
    out = _resolve_all("In early January and in mid-December, rockets hit the base.", "en", "2024-01-12")
    assert [(t, d) for t, d, _ in out] == [("In early January", "2024-01-05"), ("in mid-December", "2023-12-15")]


def test_earlier_this_month_is_the_current_month() -> None:
    out = _resolve_all("Earlier this month, and last month too, the base was hit.", "en", "2024-01-08")
    assert out == [("Earlier this month", "2024-01-08", "month"), ("last month", "2023-12-15", "month")]


def test_hours_earlier_counts_from_the_day_just_named() -> None:
    pack = get_pack("fr")
    text = "Mercredi soir, des roquettes ont visé la base. Quelques heures plus tôt, des drones avaient été abattus."
    doc = _doc(text, "2024-01-25")
    phrases = [when.spot(text, 0, 46, pack), when.spot(text, 47, len(text), pack)]
    ref = when.reference(doc, [p for ps in phrases for p in ps], TODAY)
    resolved = [[when.resolve(p, ref, [], TODAY) for p in ps] for ps in phrases]
    when.resolve_chain(phrases, resolved)
    assert [r.iso for rs in resolved for r in rs] == ["2024-01-24", "2024-01-24"]


def _chain(sentences: list[str], lang: str, published: str | None) -> list[tuple[str, str | None, str | None]]:
    """Phrases of each sentence, resolved and then chained as extraction does."""
    pack = get_pack(lang)
    text = " ".join(sentences)
    bounds, at = [], 0
    for part in sentences:
        bounds.append((at, at + len(part)))
        at += len(part) + 1
    phrases = [when.spot(text, s, e, pack) for s, e in bounds]
    ref = when.reference(_doc(text, published, lang), [p for ps in phrases for p in ps], TODAY)
    resolved = [[when.resolve(p, ref, [], TODAY) for p in ps] for ps in phrases]
    when.resolve_chain(phrases, resolved)
    pairs = [pr for ps, rs in zip(phrases, resolved, strict=True) for pr in zip(ps, rs, strict=True)]
    return [(p.text, r.iso, r.precision) for p, r in pairs]


@pytest.mark.parametrize("lang,text,expected", [
    ("de", ["Am 12. Oktober wurde der Flughafen bombardiert.", "Zehn Tage später traf es ihn noch einmal."],
     ("Zehn Tage später", "2023-10-22", "day")),
    ("en", ["Rockets hit the base on January 4, 2024.", "Three days later, drones followed."],
     ("Three days later", "2024-01-07", "day")),
    ("ru", ["Базу обстреляли 4 января 2024 года.", "Через два дня её атаковали снова."],
     ("Через два дня", "2024-01-06", "day")),
])
def test_counted_days_later_count_from_the_date_just_named(lang: str, text: list[str], expected: tuple) -> None:
    assert _chain(text, lang, "2023-11-22" if lang == "de" else "2024-01-12")[-1] == expected


@pytest.mark.parametrize("lang,text,expected", [
    ("en", "The depot was hit two days ago.", ("two days ago", "2024-01-10", "day")),
    ("fr", "Le dépôt a été touché il y a deux semaines.", ("il y a deux semaines", "2023-12-29", "week")),
    ("ar", "استهدفت القاعدة قبل يومين.", ("قبل يومين", "2024-01-10", "day")),
    ("fa", "پایگاه ۳ روز پیش هدف قرار گرفت.", ("۳ روز پیش", "2024-01-09", "day")),
])
def test_counted_days_ago_count_from_the_article(lang: str, text: str, expected: tuple) -> None:
    assert _chain([text], lang, "2024-01-12") == [expected]


def test_days_later_with_no_date_named_before_is_unknown() -> None:
    # counting forward from the publication date would date an attack in the future
    assert _chain(["Three days later, drones struck the base."], "en", "2024-01-12") == \
        [("Three days later", None, None)]


def test_a_date_after_since_starts_a_period_and_dates_nothing() -> None:
    from sitrep.lang.pack import get_pack
    from sitrep.when import spot
    pack = get_pack("fr")
    text = "C'est la troisième fois depuis le 7 octobre que l'aéroport est visé, et le 12 octobre déjà."
    assert [p.text for p in spot(text, 0, len(text), pack)] == ["12 octobre"]
