"""Arabic and Persian cases of extraction, on short texts written for these tests."""

from __future__ import annotations

import datetime as dt

from sitrep.pipeline import process
from sitrep.records import Article

TODAY = dt.date(2026, 11, 23)


def run(text: str, lang: str, published: str | None = None):
    art = Article(id="t.txt", text=text, language=lang, published=published,
                  published_precision=None if published is None else "day")
    return process(art, today=TODAY)


def test_an_earlier_attack_on_the_facility_the_story_names_is_its_own_event() -> None:
    # the airport is named again in an undated sentence; the recap says "this airport"
    text = ("دو پهپاد شامگاه شنبه ۲۰ شهریور ۱۴۰۰ فرودگاه بین‌المللی اربیل را هدف قرار دادند.\n"
            "سرویس ضد تروریسم اقلیم کردستان اعلام کرد که هیچ‌کس کشته یا زخمی نشد.\n"
            "شاهدان عینی از شنیده شدن صدای دو انفجار خبر دادند.\n"
            "پروازها برای چند ساعت متوقف شد.\n"
            "تاکنون هیچ گروهی مسئولیت این حمله را بر عهده نگرفته است.\n"
            "این دومین حمله پهپادی به فرودگاه اربیل در سال جاری است.\n"
            "پیش از این، در ۲۵ فروردین ماه، یک پهپاد به آشیانه‌ای در بخش نظامی این فرودگاه برخورد کرده بود.\n")
    res = run(text, "fa", "2021-09-12")
    assert [(m.location.name, m.event_date) for m in res.mentions] == [
        ("Erbil International Airport", "2021-09-11"), ("Erbil International Airport", "2021-04-14")]
    first, recap = res.mentions
    assert (first.fatalities, first.injuries) == (0, 0)
    assert [(w.type, w.count) for w in recap.weapons] == [("drone", 1)]


def test_a_province_a_ship_is_measured_from_adds_to_the_sea_attack() -> None:
    text = ("نیروهای مسلح یمن روز ۶ مارس ۲۰۲۴ کشتی تجاری «ترو کانفیدنس» را در خلیج عدن با موشک هدف قرار دادند.\n"
            "انصارالله مدعی است این کشتی متعلق به آمریکاست.\n"
            "سنتکام تأیید کرد که یک موشک بالستیک ضدکشتی شلیک شده و حدود ۵۰ مایل دریایی جنوب غربی عدن "
            "به این کشتی برخورد کرده است.\n"
            "به گفته سنتکام، در این حمله سه نفر از خدمه کشته و چهار نفر دیگر زخمی شدند.\n")
    [m] = run(text, "fa", "2024-03-07").mentions
    assert m.location.name == "Gulf of Aden" and (m.fatalities, m.injuries) == (3, 4)
    assert [(w.type, w.count) for w in m.weapons] == [("missile", 1)] and "CENTCOM" in m.reported_via


def test_where_a_ship_hit_earlier_sank_later_is_no_second_attack() -> None:
    text = ("پیش از این نیز کشتی باری «روبیمار» که ۲۹ بهمن در خلیج عدن با دو موشک هدف قرار گرفته بود، "
            "روز ۱۲ اسفند پس از دو هفته سرگردانی در دریای سرخ غرق شد.\n")
    [m] = run(text, "fa", "2024-03-07").mentions
    assert (m.location.name, m.event_date) == ("Gulf of Aden", "2024-02-18")
    assert [(w.type, w.count) for w in m.weapons] == [("missile", 2)]


def test_the_attack_answered_keeps_its_date_and_weapons_to_itself() -> None:
    # "in response to the drone attack of 8 Bahman on Tower 22, ... bombed targets in Iraq and Syria"
    text = ("ارتش آمریکا بامداد امروز شنبه ۱۴ بهمن (۳ فوریه) در پاسخ به حمله پهپادی ۸ بهمن به پایگاه برج ۲۲ "
            "در اردن که به کشته شدن سه نظامی آمریکایی انجامید، بیش از ۸۵ هدف را در عراق و سوریه بمباران کرد.\n"
            "به گفته سنتکام، در این حملات بمب‌افکن‌ها مواضع سپاه پاسداران در منطقه القائم و البوکمال را "
            "هدف قرار دادند.\n")
    res = {m.location.name: m for m in run(text, "fa", "2024-02-03").mentions}
    assert res["Tower 22"].event_date == "2024-01-28"
    for site in ("al-Qaim", "Abu Kamal"):
        assert res[site].event_date == "2024-02-03"
        assert [w.type for w in res[site].weapons] == ["airstrike"]


def test_a_second_claim_has_its_rockets_and_no_author_from_its_motive() -> None:
    text = ("أعلنت المقاومة الإسلامية في العراق، يوم الثلاثاء 21 نوفمبر 2023، استهداف قاعدة حرير في أربيل "
            "بطائرتين مسيّرتين.\n"
            "كما أعلنت استهداف قاعدة عين الأسد غربي العراق برشقة صاروخية، مؤكدة أن عملياتها تأتي رداً على "
            "جرائم الاحتلال في غزة.\n")
    res = {m.location.name: m for m in run(text, "ar", "2023-11-21").mentions}
    asad = res["Ain al-Asad air base"]
    assert asad.event_date == "2023-11-21" and ("rocket", None) in [(w.type, w.count) for w in asad.weapons]
    assert asad.claimed_by == "Islamic Resistance in Iraq"
