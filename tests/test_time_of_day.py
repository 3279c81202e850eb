"""Time of day of an attack: clock times and parts of the day from the packs, read from the
attack's own sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.lang.pack import PACK_DIR, PackError, compile_pack, get_pack, load_pack_data
from sitrep.pipeline import process
from sitrep.records import Article, Mention
from sitrep.when import spot_times

TODAY = dt.date(2026, 11, 23)


def _times(code: str, text: str) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in spot_times(text, 0, len(text), get_pack(code))]


@pytest.mark.parametrize("code,text,value", [
    ("en", "the blast came at 10:30 pm", "22:30"),
    ("en", "sirens sounded at about 4 a.m.", "04:00"),
    ("en", "shortly after 12 am", "00:00"),
    ("en", "around 12:15 p.m.", "12:15"),
    ("en", "at 0300 GMT", "03:00"),
    ("fr", "les tirs ont commencé à 10h30", "10:30"),
    ("fr", "vers 11 heures du soir", "23:00"),
    ("id", "ledakan terdengar pukul 21.00 WIB", "21:00"),
    ("id", "sekitar pukul 9 malam", "21:00"),
    ("tr", "saldırı saat 14.30'da gerçekleşti", "14:30"),
    ("de", "der Einschlag um 10.30 Uhr", "10:30"),
    ("de", "gegen 9 Uhr abends", "21:00"),
    ("ru", "удар был нанесён в 10:30", "10:30"),
    ("ru", "около 3 часов ночи", "03:00"),
    ("ru", "в 4 часа дня", "16:00"),
    ("es", "el ataque ocurrió a las 10:30", "10:30"),
    ("es", "a las 4 de la tarde", "16:00"),
    ("ar", "عند الساعة ١٠:٣٠ مساءً", "22:30"),
    ("ar", "الساعة 3 من فجر اليوم", "03:00"),
    ("fa", "ساعت ۱۰:۳۰ صبح", "10:30"),
    ("fa", "ساعت ۱۱ شب", "23:00"),
])
def test_clock_times(code: str, text: str, value: str) -> None:
    found = _times(code, text)
    assert [v for _, v in found] == [value], found
    assert found[0][0] in text


@pytest.mark.parametrize("code,text,value", [
    ("en", "it happened this morning", "morning"),  # inside a date phrase, still the time
    ("en", "explosions overnight", "night"),
    ("fr", "dans la nuit de lundi à mardi", "night"),
    ("fr", "à la tombée de la nuit", "evening"),  # the longer phrase, not "nuit"
    ("id", "Rabu dini hari", "night"),
    ("de", "am Dienstagnachmittag", "afternoon"),  # glued to the weekday
    ("ru", "в пятницу вечером", "evening"),
    ("tr", "Pazar gecesi", "night"),
    ("es", "en la madrugada del martes", "night"),
    ("ar", "مساء أمس", "evening"),
    ("fa", "بامداد امروز", "night"),
])
def test_parts_of_day(code: str, text: str, value: str) -> None:
    assert [v for _, v in _times(code, text)] == [value]


@pytest.mark.parametrize("code,text", [
    ("de", "Nachtrag: die Meldung wurde ergänzt"),  # a compound, not "Nacht"
    ("de", "Die Delegation reist morgen ab"),  # "tomorrow"
    ("ru", "Днём ранее сообщалось об ударе"),  # "the day before"
    ("es", "mañana se reunirá el consejo, más tarde"),  # "tomorrow", "later"
    ("fr", "à 3 heures de route de la ville"),  # a distance
    ("id", "serangan berlangsung selama 3 jam"),  # a duration
    ("ar", "فجر انتحاري نفسه"),  # "blew himself up"
    ("en", "Updated 6:27pm"),  # a page time, no preposition
])
def test_no_false_times(code: str, text: str) -> None:
    assert _times(code, text) == []


def _mentions(code: str, text: str, published: str | None = None) -> list[Mention]:
    art = Article(id=f"{code}-tod", text=text, language=code, published=published)
    result = process(art, today=TODAY)
    for m in result.mentions:
        ev = m.evidence.get("time_of_day")
        if ev is not None:
            assert text[ev.start:ev.end] == ev.text  # the span indexes the original text
    return result.mentions


def test_clock_wins_over_a_part_of_the_day_and_pm_is_converted() -> None:
    [m] = _mentions("en", "On the night of February 4, 2024, two drones struck Ain al-Asad air base "
                          "at 11:40 pm, officials said.")
    assert m.time_of_day == "23:40"
    assert m.evidence["time_of_day"].text == "at 11:40 pm"


def test_part_of_the_day_with_its_evidence() -> None:
    [m] = _mentions("fr", "Le 3 février 2024 au soir, trois roquettes ont frappé l'aéroport international d'Erbil.")
    assert (m.time_of_day, m.evidence["time_of_day"].text) == ("evening", "soir")


def test_indonesian_clock() -> None:
    [m] = _mentions("id", "Tiga roket menghantam Pangkalan Udara Ain al-Asad pada 5 Februari 2024 pukul 21.15 WIB.")
    assert m.time_of_day == "21:15"


def test_null_when_the_text_does_not_say() -> None:
    [m] = _mentions("en", "Two rockets hit Erbil International Airport on February 2, 2024.")
    assert m.time_of_day is None
    assert "time_of_day" not in m.evidence


def test_no_time_from_another_sentence_or_attack() -> None:
    mentions = _mentions("en", "Two rockets hit Erbil International Airport on February 2, 2024. "
                               "The governor toured the city that evening. "
                               "On February 5, 2024, a drone struck Ain al-Asad air base at 9 pm.")
    by_place = {m.location.name: m for m in mentions}
    assert by_place["Erbil International Airport"].time_of_day is None
    assert by_place["Ain al-Asad air base"].time_of_day == "21:00"


def test_time_of_another_day_in_the_same_sentence_is_not_taken() -> None:
    [m] = _mentions("en", "Rockets struck Ain al-Asad air base on Monday, after a quiet Sunday evening.",
                    published="2024-02-07")
    assert m.event_date == "2024-02-05"
    assert m.time_of_day is None


def test_the_time_of_the_report_is_not_the_attack_s() -> None:
    # the only date is the report's, so the attack is dated by it, but its evening is the report's
    [m] = _mentions("de", "Das US-Militär teilte am Montagabend mit, zwei Drohnen hätten den "
                          "Luftwaffenstützpunkt Ain al-Asad getroffen.", published="2024-02-06")
    assert m.evidence["event_date"].text == "Montagabend"
    assert m.time_of_day is None


def test_russian_and_arabic_mentions() -> None:
    [ru] = _mentions("ru", "В 5 утра 11 января 2024 года беспилотник атаковал газовое месторождение Конико.")
    assert ru.time_of_day == "05:00"
    [ar] = _mentions("ar", "سقط صاروخان على قاعدة عين الأسد الجوية عند الساعة 10:15 مساء يوم 5 فبراير 2024.")
    assert ar.time_of_day == "22:15"


def test_a_pack_must_name_every_part_of_the_day() -> None:
    data = load_pack_data(PACK_DIR / "en.yaml")
    data["dates"]["parts_of_day"] = {"night": ["night"], "morning": ["morning"]}
    with pytest.raises(PackError, match="parts_of_day"):
        compile_pack(data, "en.yaml")
