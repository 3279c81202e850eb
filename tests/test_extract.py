"""The hard cases of the foundation, on short texts written for these tests."""

from __future__ import annotations

import datetime as dt

from sitrep.pipeline import process
from sitrep.records import Article

TODAY = dt.date(2026, 11, 23)


def run(text: str, lang: str, published: str | None = None, art_id: str = "t.txt"):
    precision = None if published is None else ("month" if len(published) == 7 else "day")
    art = Article(id=art_id, text=text, language=lang, published=published, published_precision=precision)
    return process(art, today=TODAY)


def by_place(result) -> dict:
    return {m.location.name: m for m in result.mentions}


def test_relative_dates_without_publication_date_are_null() -> None:
    text = ("Sejumlah rudal jatuh di kompleks ladang minyak Omar, provinsi Deir ez-Zor, hari ini.\n"
            "Sebelumnya, kemarin malam, sebuah ledakan terdengar di pangkalan di ladang gas Keniko.\n")
    res = by_place(run(text, "id"))
    assert set(res) == {"al-Omar oil field", "Conoco gas field"}
    assert res["al-Omar oil field"].event_date is None and res["Conoco gas field"].event_date is None
    assert res["al-Omar oil field"].weapons[0].type == "missile"


def test_weekday_date_without_year_is_inferred_and_noted() -> None:
    text = "Trente roquettes se sont abattues ce matin, lundi 8 janvier, sur le site pétrolier d'al-Omar."
    [m] = run(text, "fr").mentions
    assert m.event_date == "2024-01-08" and m.date_precision == "day"
    assert "weekday" in (m.evidence["event_date"].note or "")
    assert [(w.type, w.count) for w in m.weapons] == [("rocket", 30)]
    assert m.sub_event_type == "Shelling/artillery/missile attack"


def test_month_header_and_weekday_near_a_named_day() -> None:
    text = (" date 2023-11 header\n\nJumat pagi, drone kembali menyasar ladang minyak al-Omar. Sehari "
            "sebelumnya, Kamis (23/11) malam, dua drone meledak di Pangkalan Udara Ain al-Asad, Anbar.")
    res = by_place(run(text, "id", published="2023-11"))
    assert res["al-Omar oil field"].event_date == "2023-11-24"
    assert res["Ain al-Asad air base"].event_date == "2023-11-23"
    assert [(w.type, w.count) for w in res["Ain al-Asad air base"].weapons] == [("drone", 2)]


def test_attack_and_the_strike_it_answers_are_two_events() -> None:
    text = ("Deux roquettes ont touché ce mardi 9 janvier le site gazier de Conoco.\n"
            "D'après Al Mayadeen, citant une source locale, il s'agissait de venger le raid aérien américain mené "
            "hier sur un convoi de camions aux abords d'Abou Kamal.\n"
            "Le 2 janvier, la Résistance islamique en Irak avait revendiqué une attaque de drone contre la "
            "garnison d'al-Tanf.\n")
    res = by_place(run(text, "fr", published="2024-01-09"))
    assert res["Conoco gas field"].event_date == "2024-01-09"
    assert res["Conoco gas field"].weapons[0].count == 2
    truck = res["Abu Kamal"]
    assert truck.event_date == "2024-01-08" and truck.actor1 == "US forces"
    assert truck.sub_event_type == "Air/drone strike"
    assert truck.reported_via[:2] == ["Al Mayadeen", "local sources"]
    tanf = next(m for name, m in res.items() if "Tanf" in name)
    assert tanf.event_date == "2024-01-02" and tanf.claimed_by == "Islamic Resistance in Iraq"
    assert tanf.actor1_status == "claimed"
    assert len(res) == 3


def test_non_events_generic_tally_caption_and_boilerplate() -> None:
    text = ("Une manifestation à Damas contre la présence américaine, en 2019. (AFP photo)\n"
            "Lire aussi : Des roquettes sur la base d'Aïn al-Asad\n"
            "Les bases américaines en Syrie sont régulièrement ciblées par des roquettes.\n"
            "Les forces américaines ont été attaquées 66 fois depuis le 17 octobre.\n"
            "Partager cet article\n")
    res = run(text, "fr", published="2023-11-21")
    assert res.mentions == []
    [tally] = res.tallies
    assert tally.count == 66 and tally.since == "2023-10-17"
    reasons = sorted(d["reason"] for d in res.document.dropped)
    assert reasons == ["boilerplate", "boilerplate", "caption"]


def test_place_spellings_resolve_to_one_site() -> None:
    for spelling in ("Conoco", "Koniko", "Keniko", "Conico"):
        text = f"Dua roket menghantam pangkalan AS di ladang gas {spelling} pada 3 Januari 2024."
        [m] = run(text, "id").mentions
        assert m.location.name == "Conoco gas field", spelling
        assert m.location.admin1 == "Deir ez-Zor" and m.location.country_code == "SY"
        assert m.location.geo_precision == 1 and m.location.latitude is not None


def test_casualties_unknown_is_null_and_none_is_zero() -> None:
    unknown = run("Tiga drone menyerang pangkalan AS di ladang minyak al-Omar pada 4 Januari 2024. Tidak jelas "
                  "berapa banyak tentara yang terluka atau tewas.", "id").mentions[0]
    assert unknown.fatalities is None and unknown.injuries is None
    none = run("Three rockets struck Ain al-Asad air base on January 4, 2024. No casualties were reported.",
               "en").mentions[0]
    assert none.fatalities == 0 and none.injuries == 0
    counted = run("Two drones hit Erbil International Airport on January 5, 2024, wounding three contractors.",
                  "en").mentions[0]
    assert counted.injuries == 3 and counted.fatalities is None


def test_claims_attribution_suspicion_and_negated_claims() -> None:
    claimed = run("The Islamic Resistance in Iraq claimed responsibility for a drone attack on Ain al-Asad air "
                  "base on January 4, 2024.", "en").mentions[0]
    assert (claimed.actor1, claimed.actor1_status, claimed.claimed_by) == (
        "Islamic Resistance in Iraq", "claimed", "Islamic Resistance in Iraq")
    attributed = run("Le 4 janvier 2024, deux roquettes tirées par la Résistance islamique en Irak sont tombées "
                     "sur le site de Conoco. Personne n'a revendiqué le tir.", "fr").mentions[0]
    assert attributed.actor1 == "Islamic Resistance in Iraq" and attributed.actor1_status == "attributed"
    assert attributed.claimed_by is None
    suspected = run("Le 7 janvier 2024, un drone suspecté d'origine américaine a attaqué un camion près d'Abou "
                    "Kamal.", "fr").mentions[0]
    assert suspected.actor1 == "US forces" and suspected.actor1_status == "suspected"


def test_hedges_and_citation_chain() -> None:
    m = run("Selon des sources locales, deux drones auraient visé la base d'al-Omar le 5 janvier 2024.",
            "fr").mentions[0]
    assert m.hedged is True and m.reported_via == ["local sources"]
    assert m.evidence["reported_via.0"].text.endswith("sources locales")


def test_evidence_spans_index_the_original_text() -> None:
    text = ("Pangkalan militer AS di ladang gas Koniko diserang tiga drone pada Senin, 8 Januari 2024, menurut "
            "sumber lokal. Perlawanan Islam di Irak mengaku bertanggung jawab.")
    [m] = run(text, "id").mentions
    assert m.evidence
    for name, ev in m.evidence.items():
        if ev.start is not None:
            assert text[ev.start:ev.end] == ev.text, name
    assert m.evidence["location"].text.endswith("Koniko")
    assert m.claimed_by == "Islamic Resistance in Iraq"


def test_unsupported_language_yields_no_events() -> None:
    res = run("Tre razzi hanno colpito la base di Ain al-Asad il 6 febbraio 2024.", "it")
    assert res.document.language == "it" and res.mentions == []


def test_language_is_detected_when_not_given() -> None:
    art = Article(id="x", text="La base américaine d'al-Omar a été visée par deux roquettes le 3 janvier 2024, "
                               "selon des sources locales.")
    res = process(art, today=TODAY)
    assert res.document.language == "fr" and len(res.mentions) == 1


def test_sea_attack_followed_by_a_sentence_without_place() -> None:
    # a sea has no province to lend to the next sentence: no crash, no invented place
    text = ("El miércoles, los rebeldes lanzaron tres misiles contra un carguero en el mar Rojo.\n"
            "Además, las fuerzas estadounidenses destruyeron hoy un misil antibuque.\n")
    res = run(text, "es", published="2024-01-27")
    assert [m.location.name for m in res.mentions] == ["Red Sea"]


def test_a_region_of_a_country_gives_the_country_and_no_point() -> None:
    res = run("On January 12, 2024, Turkish jets struck PKK targets in northern Iraq.", "en")
    [m] = res.mentions
    assert m.location.country_code == "IQ" and m.location.latitude is None and m.location.longitude is None


def test_two_times_of_one_day_in_one_sentence_are_two_attacks() -> None:
    text = ("Am Mittwoch war die Luftwaffenbasis Ain al-Assad zweimal unter Beschuss geraten: morgens mit "
            "Drohnen, spät abends mit Raketen.")
    first, second = run(text, "de", published="2024-01-29").mentions
    assert first.location.name == second.location.name == "Ain al-Asad air base"
    assert first.event_date == second.event_date == "2024-01-24"
    assert [w.type for w in first.weapons] == ["drone"] and first.time_of_day == "morning"
    assert [w.type for w in second.weapons] == ["rocket"] and second.time_of_day == "evening"


def test_sentences_at_other_times_of_the_day_join_their_own_attack() -> None:
    text = ("La base d'Aïn al-Assad a été la cible de deux attaques distinctes mercredi, l'une à l'aube avec des "
            "drones, l'autre en soirée avec des roquettes.\n"
            "Mercredi soir, quatre roquettes ont été tirées en direction de la base, dans la province d'Anbar. "
            "L'une d'elles est tombée près d'un hangar, sans faire de victime.\n"
            "Quelques heures plus tôt, mercredi matin vers 6h45, deux drones avaient été abattus au-dessus de la "
            "base. Cette première attaque n'avait fait ni mort ni blessé.\n"
            "La Résistance islamique en Irak a revendiqué les deux opérations.")
    res = run(text, "fr", published="2024-01-25").mentions
    assert len(res) == 2
    drones = next(m for m in res if m.sub_event_type == "Air/drone strike")
    rockets = next(m for m in res if m.sub_event_type != "Air/drone strike")
    assert drones.event_date == rockets.event_date == "2024-01-24"
    assert [(w.type, w.count) for w in drones.weapons] == [("drone", 2)] and drones.time_of_day == "06:45"
    assert [(w.type, w.count) for w in rockets.weapons] == [("rocket", 4)] and rockets.time_of_day == "evening"
    assert (drones.fatalities, drones.injuries) == (0, 0) and (rockets.fatalities, rockets.injuries) == (0, 0)
    assert drones.claimed_by == rockets.claimed_by == "Islamic Resistance in Iraq"


def test_another_place_named_for_an_attack_told_is_no_second_attack() -> None:
    text = ("Bei einem Drohnenangriff auf den Stützpunkt Tower 22 in Jordanien sind am Sonntag drei Soldaten "
            "getötet worden. Der Islamische Widerstand im Irak erklärte auf Telegram, seine Kämpfer hätten am "
            "Sonntag einen Stützpunkt an der Grenze angegriffen. Ein Sprecher hatte zunächst gesagt, der Angriff "
            "habe dem Stützpunkt al-Tanf jenseits der Grenze gegolten.")
    [m] = run(text, "de", published="2024-01-29").mentions
    assert m.location.name == "Tower 22" and m.event_date == "2024-01-28"
    assert m.claimed_by == "Islamic Resistance in Iraq" and "Telegram" in m.reported_via


def test_a_base_named_again_two_paragraphs_on_keeps_its_claim_and_dateline_city_is_no_place() -> None:
    text = ("Bagdad, 24 ene (EFE).- Las defensas de la base de Ain al Asad derribaron esta mañana dos drones.\n"
            "Los aparatos no causaron víctimas, según fuentes de seguridad.\n"
            "La Resistencia Islámica en Irak, respaldada por Irán, reivindicó la acción con drones.\n"
            "El ataque llega días después de que la misma base fuera blanco de misiles el sábado 20 de enero.")
    res = by_place(run(text, "es", published="2024-01-24"))
    assert set(res) == {"Ain al-Asad air base"}
    assert len(run(text, "es", published="2024-01-24").mentions) == 2
    today = next(m for m in run(text, "es", published="2024-01-24").mentions if m.event_date == "2024-01-24")
    assert (today.fatalities, today.injuries) == (0, 0)
    assert today.claimed_by == "Islamic Resistance in Iraq"


def test_where_the_wounded_were_taken_is_no_place_struck() -> None:
    text = ("استهدفت صواريخ قاعدة الشدادي مساء الأحد، وأصيب جنود نُقل بعضهم بمروحية إلى قاعدة خراب الجير "
            "في ريف المالكية.")
    [m] = run(text, "ar", published="2024-01-07").mentions
    assert m.location.name == "al-Shaddadi" and [w.type for w in m.weapons] == ["rocket"]


def test_who_holds_the_area_is_not_the_attacker() -> None:
    text = "PKK/YPG'nin işgali altındaki Haseke'de bulunan Şeddadi'deki ABD üssü dün akşam roketlerle hedef alındı."
    [m] = run(text, "tr", published="2024-01-08").mentions
    assert m.location.name == "al-Shaddadi" and m.actor1 not in ("PKK", "YPG") and m.event_date == "2024-01-07"


def test_what_fire_came_from_is_no_target() -> None:
    text = ("Mercredi 24 janvier 2024 au soir, quatre roquettes ont visé la base d'Aïn al-Assad, qui abrite des "
            "militaires américains. Selon la Cellule des médias de sécurité irakienne, les roquettes ont été tirées "
            "depuis un camion stationné près de la localité d'al-Baghdadi.")
    [m] = run(text, "fr").mentions
    assert m.location.name == "Ain al-Asad air base" and m.target == "US forces"
    assert "Iraqi Security Media Cell" in m.reported_via


def test_a_country_after_an_area_word_is_where_the_attack_struck() -> None:
    # "targets in Yemen", "von den Huthi kontrollierten Gebieten des Jemen": the country, no point
    for text, lang in (("US and British warplanes struck Houthi targets in Yemen on Saturday.", "en"),
                       ("US-Kampfjets griffen am Samstag Ziele in von den Huthi kontrollierten Gebieten des Jemen an.",
                        "de")):
        [m] = run(text, lang, "2024-02-19").mentions
        assert (m.location.name, m.location.country_code, m.location.latitude) == ("Yemen", "YE", None)
        assert m.event_date == "2024-02-17"
    # a country named bare ("Iran condemned") still locates nothing
    assert run("Iran condemned the strikes on Saturday.", "en", "2024-02-19").mentions == []


def test_targets_in_two_countries_are_a_summary_and_a_country_joins_its_finer_places() -> None:
    assert run("US jets struck more than 85 targets in Iraq and Syria on Friday.", "en", "2024-02-03").mentions == []
    text = ("US and British jets struck dozens of Houthi targets in Yemen early on Friday. "
            "In Hodeidah, the strikes hit the airport, residents said.")
    assert [m.location.name for m in run(text, "en", "2024-01-12").mentions] == ["Hodeidah"]


def test_the_one_attacker_an_article_names_is_attributed_its_recalled_strikes() -> None:
    text = ("Israeli missiles struck Damascus International Airport on Wednesday, state media said. "
            "The airport had already been hit on October 12, officials said.")
    res = run(text, "en", "2023-11-22").mentions
    assert [(m.event_date, m.actor1, m.actor1_status) for m in res] == \
        [("2023-11-22", "Israel", "attributed"), ("2023-10-12", "Israel", "attributed")]
    # two attackers named: a strike without its own is nobody's
    text = ("Israeli missiles struck Damascus International Airport on Wednesday. Separately, US fighter jets struck "
            "a depot in Albu Kamal on Tuesday. The airport had already been hit on October 12.")
    res = {m.event_date: m for m in run(text, "en", "2023-11-22").mentions}
    assert res["2023-10-12"].actor1 is None


def test_a_drone_strike_is_one_drone_and_a_rocket_attack_no_count() -> None:
    def counts(text: str) -> list[tuple[str, int | None]]:
        [m] = run(text, "en", "2024-01-10").mentions
        return [(w.type, w.count) for w in m.weapons]
    assert counts("A Turkish drone strike hit Qamishli on Tuesday, killing three civilians.") == [("drone", 1)]
    assert counts("Two drone strikes hit Qamishli on Tuesday.") == [("drone", None)]
    assert counts("A rocket attack hit Ain al-Asad air base on Tuesday.") == [("rocket", None)]


def test_lead_date_reaches_places_of_its_countries_until_another_date() -> None:
    text = ("US forces struck targets in Iraq and Syria on Friday, the command said.\n"
            "The operation lasted half an hour, officials said.\n"
            "Bombers took part in it, flying from the United States.\n"
            "Command posts and depots were among the targets.\n"
            "More than a hundred munitions were dropped.\n"
            "The Iraqi government said the strikes hit al-Qaim in Anbar province.\n"
            "In Syria, US jets attacked positions near Abu Kamal, a monitor said.\n")
    res = by_place(run(text, "en", published="2024-02-03"))
    assert res["al-Qaim"].event_date == "2024-02-02" and res["Abu Kamal"].event_date == "2024-02-02"
    # a date of its own in between ends the lead's story: a place named after it is not of that day
    dated = text.replace("Bombers took part in it", "On Thursday bombers had left")
    assert "al-Qaim" not in by_place(run(dated, "en", published="2024-02-03"))
    # a lead about one site does not date other sites the article recalls
    site = text.replace("targets in Iraq and Syria", "the Conoco gas field in eastern Syria")
    assert "Abu Kamal" not in by_place(run(site, "en", published="2024-02-03"))


def test_lead_site_dated_by_the_report_that_follows() -> None:
    text = ("Houthis claim strike on a cargo ship in the Gulf of Aden\n"
            "The Houthis said they had attacked the ship as it sailed through the Gulf of Aden.\n"
            "The ship was hit on Sunday evening by two anti-ship ballistic missiles, the command said.\n")
    [m] = run(text, "en", published="2024-02-19").mentions
    assert m.location.name == "Gulf of Aden" and m.event_date == "2024-02-18" and m.date_precision == "day"
    assert [(w.type, w.count) for w in m.weapons] == [("missile", 2)]
    # the dated report of another side's strike is another attack: it dates nothing of the lead's
    other = text.replace("The ship was hit on Sunday evening by two anti-ship ballistic missiles, the command said.",
                         "On Sunday evening US warplanes struck back, the command said.")
    assert all(m.event_date != "2024-02-18" for m in run(other, "en", published="2024-02-19").mentions)


def test_tally_lends_no_casualties_or_weapons_to_the_attack_before() -> None:
    text = ("Four rockets struck the Conoco gas field on Tuesday, November 21.\n"
            "US forces in Iraq and Syria have been attacked at least 66 times since October 17.\n"
            "Most attacks used drones, and 60 soldiers were wounded.\n")
    res = run(text, "en", published="2023-11-22")
    [m] = res.mentions
    [tally] = res.tallies
    assert tally.count == 66
    assert m.injuries is None and [(w.type, w.count) for w in m.weapons] == [("rocket", 4)]
    # a sentence after the tally that names a place of its own is read as usual
    placed = text.replace("Most attacks used", "On Monday a drone hit the al-Tanf garrison; most attacks used")
    assert "al-Tanf" in by_place(run(placed, "en", published="2023-11-22"))


def test_citing_sentence_interceptions_and_a_late_claim_tell_of_the_attack_before() -> None:
    text = ("Three drones attacked the coalition base at Erbil International Airport on January 5, 2024.\n"
            "This was reported by Rudaw.\n"
            "Two of the drones were shot down before reaching the base.\n"
            "Flights were suspended for about an hour.\n"
            "The airport reopened in the evening.\n"
            "The Islamic Resistance in Iraq claimed responsibility for the attack.\n")
    [m] = run(text, "en").mentions
    assert "Rudaw" in m.reported_via  # the sentence that only cites, right after the report
    assert [(w.type, w.count) for w in m.weapons] == [("drone", 3)]  # two of the three were downed
    assert m.claimed_by == "Islamic Resistance in Iraq"  # a claim three sentences after the report


def test_air_strike_reported_by_a_sides_own_voice_is_its_claim() -> None:
    text = ("Yesterday evening 29 targets in northern Iraq were destroyed in air strikes, "
            "the Turkish Defence Ministry said.")
    [m] = run(text, "en", published="2024-01-13").mentions
    assert m.actor1 == "Turkey" and m.actor1_status == "claimed" and m.claimed_by == "Turkey"
    # the same voice telling of missiles fired by an unnamed side claims nothing
    other = text.replace("destroyed in air strikes", "hit by missiles")
    [o] = run(other, "en", published="2024-01-13").mentions
    assert o.actor1 is None


def test_a_boat_fired_on_later_in_a_story_told_at_one_sea_is_at_that_sea() -> None:
    text = ("Los hutíes lanzaron el martes 9 de enero de 2024 varios drones contra un carguero en el mar Rojo.\n"
            "Todos fueron derribados por destructores estadounidenses.\n"
            "Washington dijo que el carguero no sufrió daños.\n"
            "Las navieras siguen desviando sus rutas hacia el cabo de Buena Esperanza.\n"
            "El Consejo de Seguridad debatirá el asunto la próxima semana.\n"
            "Los precios de los fletes se han duplicado.\n"
            "El pasado 31 de diciembre, helicópteros estadounidenses abrieron fuego contra lanchas hutíes que "
            "intentaban abordar un portacontenedores.\n")
    ms = run(text, "es", published="2024-01-10").mentions
    assert [(m.location.name, m.event_date) for m in ms] == [("Red Sea", "2024-01-09"), ("Red Sea", "2023-12-31")]
    assert ms[1].sub_event_type == "Armed clash"


def test_a_later_word_on_the_damage_is_no_new_attack_at_sea() -> None:
    text = ("Am Sonntag, 18. Februar 2024, trafen zwei Raketen einen Frachter im Roten Meer.\n"
            "Das Schiff sei schwer beschädigt worden, teilte die Behörde am Montag mit.\n")
    ms = run(text, "de", published="2024-02-19").mentions
    assert [(m.location.name, m.event_date) for m in ms] == [("Red Sea", "2024-02-18")]


def test_the_same_night_after_a_recalled_month_is_the_night_told_before() -> None:
    text = ("Quatre missiles se sont abattus lundi 15 janvier 2024 au soir sur Erbil.\n"
            "En mars 2022, une douzaine de missiles avaient déjà frappé la ville.\n"
            "La même nuit, les Gardiens ont annoncé avoir frappé des positions dans la province d'Idleb.\n")
    res = by_place(run(text, "fr", published="2024-01-16"))
    assert res["Idleb"].event_date == "2024-01-15"


def test_a_distance_from_a_town_makes_the_site_near_it() -> None:
    [m] = run("Le 3 février 2024, une roquette s'est abattue à 20 km au nord de Qamichli.", "fr").mentions
    assert m.location.name == "Qamishli" and m.location.geo_precision == 2
    assert "near" in (m.evidence["location"].note or "")


def test_a_ship_off_a_coastal_town_is_at_sea() -> None:
    # nautical miles from a town: the sea the article names, else the sea off that town
    text = ("Un misil alcanzó el 26 de enero de 2024 a un petrolero en el golfo de Adén.\n"
            "El buque navegaba a unas 60 millas náuticas al sureste de Adén cuando fue alcanzado.\n")
    assert [m.location.name for m in run(text, "es").mentions] == ["Gulf of Aden"]
    [m] = run("On 18 February 2024 two missiles hit a cargo ship 35 nautical miles west of Hodeidah.", "en").mentions
    assert m.location.name == "Red Sea"


def test_a_distance_without_a_number_measures_nothing() -> None:
    [m] = run("On 3 February 2024 a rocket hit Qamishli, miles from the border.", "en").mentions
    assert m.location.name == "Qamishli" and m.location.geo_precision == 1


def test_a_province_struck_wins_over_the_country_of_the_attacker() -> None:
    text = "El lunes 15 de enero de 2024 la Guardia Revolucionaria de Irán lanzó misiles contra Erbil."
    assert [m.location.name for m in run(text, "es").mentions] == ["Erbil"]


def test_a_recalled_attack_takes_the_place_the_sentence_before_names() -> None:
    text = ("El lunes 15 de enero de 2024 varios misiles cayeron sobre Erbil.\n"
            "El mismo lunes, la Guardia Revolucionaria lanzó misiles contra la provincia de Idlib.\n"
            "Damasco condenó el ataque.\n"
            "No es la primera vez que Irán golpea Erbil.\n"
            "En marzo de 2022, una docena de misiles cayeron cerca del consulado estadounidense.\n")
    res = [(m.location.name, m.event_date) for m in run(text, "es", published="2024-01-16").mentions]
    assert ("Erbil", "2022-03-15") in res and ("Idleb", "2022-03-15") not in res


def test_a_site_in_the_story_takes_the_weapons_the_story_names_without_a_place() -> None:
    text = ("Estados Unidos bombardeó el viernes 12 de enero de 2024 objetivos hutíes en Yemen.\n"
            "Aviones de combate y misiles Tomahawk lanzados desde buques alcanzaron 60 objetivos.\n"
            "En la ciudad de Hodeida, los bombardeos se concentraron en el puerto.\n")
    [m] = run(text, "es").mentions
    assert m.location.name == "Hodeidah" and m.event_date == "2024-01-12"
    assert {w.type for w in m.weapons} == {"airstrike", "missile"} and m.sub_event_type == "Air/drone strike"


def test_a_late_claim_goes_to_the_only_attack_told() -> None:
    text = ("Trois roquettes se sont abattues mardi 21 novembre 2023 sur la base de Koniko.\n"
            "Le bilan reste inconnu.\n"
            "Un habitant raconte avoir vu des traînées lumineuses.\n"
            "Un responsable américain a reconnu une tentative d'attaque.\n"
            "Dans la soirée, la Résistance islamique en Irak a revendiqué l'opération sur Telegram.\n")
    [m] = run(text, "fr").mentions
    assert m.claimed_by == "Islamic Resistance in Iraq"


def test_the_attack_answered_gives_neither_attacker_nor_weapons() -> None:
    text = ("El 26 de enero de 2024 un misil hutí alcanzó un petrolero en el golfo de Adén, en represalia "
            "por los ataques aéreos de Estados Unidos contra Yemen.\n")
    [m] = run(text, "es").mentions
    assert m.actor1 == "Houthis" and [w.type for w in m.weapons] == ["missile"]


def test_of_two_attackers_the_one_the_source_speaks_for() -> None:
    text = ("Après la mort de neuf soldats tués dans une attaque du PKK contre une base du nord de l'Irak, "
            "l'aviation turque a bombardé vendredi 12 janvier 2024 des cibles dans la région de Metina, "
            "a annoncé le ministère turc de la Défense.\n")
    [m] = run(text, "fr").mentions
    assert m.actor1 == "Turkey" and m.claimed_by == "Turkey"


def test_a_recalled_attack_without_a_place_in_a_story_of_one_site() -> None:
    text = ("Quatre missiles se sont abattus lundi 15 janvier 2024 au soir sur Erbil, tuant quatre civils.\n"
            "Le gouvernement irakien a rappelé son ambassadeur.\n"
            "Les États-Unis ont condamné des frappes imprudentes.\n"
            "Aucun dégât n'a été signalé dans les installations de la coalition.\n"
            "Ce n'est pas la première fois que la ville est visée.\n"
            "Les habitants restent inquiets.\n"
            "En mars 2022, une douzaine de missiles avaient frappé les environs du consulat américain.\n")
    res = [(m.location.name, m.event_date) for m in run(text, "fr", published="2024-01-16").mentions]
    assert res == [("Erbil", "2024-01-15"), ("Erbil", "2022-03-15")]


def test_a_capital_accused_is_no_site_and_a_passing_country_takes_no_weapons() -> None:
    text = ("Los rebeldes hutíes de Yemen lanzaron el martes 6 de febrero de 2024 seis misiles antibuque contra "
            "dos buques en el mar Rojo.\n"
            "Las FDS acusaron a Ankara de escalar sus agresiones.\n")
    [m] = run(text, "es").mentions
    assert m.location.name == "Red Sea" and [(w.type, w.count) for w in m.weapons] == [("missile", 6)]


def test_casualties_after_a_longer_subject_and_a_vague_word_before_the_number() -> None:
    es = run("El 12 de octubre de 2023 un bombardeo alcanzó el aeropuerto de Damasco y dos trabajadores del "
             "aeropuerto de Damasco resultaron heridos.", "es").mentions
    assert es[0].injuries == 2
    fr = run("Le 2 février 2024, les frappes ont touché la région d'al-Qaïm, où l'on compte 16 morts, dont des "
             "civils, et 25 blessés.", "fr").mentions
    assert (fr[0].fatalities, fr[0].injuries) == (16, 25)


def test_two_days_in_one_sentence_each_with_its_weapons_are_two_attacks() -> None:
    text = ("Un dron alcanzó el sábado 11 de septiembre de 2021 el aeropuerto internacional de Erbil.\n"
            "Es el tercer ataque contra el aeropuerto de Erbil este año.\n"
            "En abril, un dron alcanzó un hangar de la coalición, y en febrero un ataque con cohetes mató a un "
            "contratista civil.\n")
    res = {m.event_date: m for m in run(text, "es", published="2021-09-12").mentions}
    assert set(res) == {"2021-09-11", "2021-04-15", "2021-02-15"}
    assert [w.type for w in res["2021-02-15"].weapons] == ["rocket"] and res["2021-02-15"].fatalities == 1
    assert [w.type for w in res["2021-04-15"].weapons] == ["drone"] and res["2021-04-15"].fatalities is None


def test_two_ships_each_with_its_own_salvo_are_two_attacks() -> None:
    text = ("Am Dienstag, 6. Februar 2024, griffen die Huthi zwei Frachter im Roten Meer an.\n"
            "Zwei Raketen trafen den Tanker „Nordlicht“, zwei weitere verfehlten den Frachter „Seestern“.\n")
    ms = run(text, "de").mentions
    assert [(m.location.name, m.event_date, [(w.type, w.count) for w in m.weapons]) for m in ms] == \
        [("Red Sea", "2024-02-06", [("missile", 2)]), ("Red Sea", "2024-02-06", [("missile", 2)])]
    # one salvo at two ships named together is one attack
    text = ("El miércoles 24 de enero de 2024 los hutíes dispararon tres misiles contra los portacontenedores "
            "\"Mar Azul\" y \"Mar Negro\" en el golfo de Adén.\n")
    assert len(run(text, "es").mentions) == 1


def test_a_headline_kicker_and_a_place_running_on_from_a_source_name_are_no_sites() -> None:
    text = ("Kurdistan irakien : trois combattants tués par une frappe de drone turc près de Sinjar\n\n"
            "Trois combattants ont été tués mardi 22 août 2023 par une frappe de drone turc près de Sinjar, "
            "a annoncé le service antiterroriste du Kurdistan irakien.\n")
    assert [m.location.name for m in run(text, "fr").mentions] == ["Sinjar"]


def test_a_date_in_a_motive_clause_does_not_end_the_lead_story() -> None:
    # the lead names two countries on Friday; "balasan atas ... pekan lalu" dates the attack
    # answered, so the province named six sentences on is still Friday's
    text = ("Jet tempur AS menggempur puluhan sasaran di Irak dan Suriah pada Jumat (2/2/2024). "
            "Operasi itu merupakan balasan atas serangan drone di Yordania pekan lalu. "
            "Komando Pusat AS menyebut pesawat pengebom B-1 ikut dalam operasi tersebut. "
            "Gudang senjata dan pusat komando termasuk di antara sasaran. "
            "Di Irak, serangan menghantam beberapa lokasi di Provinsi Anbar. "
            "Pemerintah Irak menyebut 16 orang tewas. "
            "Baghdad mengecam serangan itu. "
            "Di Suriah, serangan menyasar kawasan Deir Ezzor. "
            "Menurut SOHR, 23 anggota milisi tewas.")
    res = by_place(run(text, "id", "2024-02-03"))
    assert {"Anbar", "Deir ez-Zor"} <= set(res)
    m = res["Deir ez-Zor"]
    assert m.event_date == "2024-02-02" and m.fatalities == 23
    assert m.claimed_by == "US forces" and "CENTCOM" in m.reported_via


def test_a_dated_sentence_without_a_place_tells_the_next_sentence_s_attack_on_another_day() -> None:
    # Sanaa was struck on Friday; "Strikes resumed early on Saturday" leads into a second attack
    # near Sanaa, which is not Friday's told again
    text = ("US and British jets struck Houthi targets in Yemen on Friday. Explosions were heard in Sanaa. "
            "Strikes resumed early on Saturday. "
            "A US destroyer fired Tomahawk missiles at a radar site near Sanaa, CENTCOM said.")
    found = sorted((m.location.name, m.event_date, [w.type for w in m.weapons])
                   for m in run(text, "en", "2024-01-13").mentions)
    assert found == [("Sanaa", "2024-01-12", ["airstrike"]), ("Sanaa", "2024-01-13", ["missile"])]


def test_a_recalled_attack_is_at_the_place_the_sentence_before_talks_of_in_the_story_s_province() -> None:
    # "Erbil" is named after the airport's attack was told; "the city" of the recalled strike
    # is Erbil's, not the province of the last attack told (which may be anywhere)
    text = ("Two drones struck the coalition base at Erbil International Airport on 10 January 2024. "
            "On 9 January, a rocket hit al-Tanf in Syria. "
            "Erbil is no stranger to such attacks. "
            "In March 2022, a dozen ballistic missiles struck the city.")
    res = by_place(run(text, "en", "2024-01-12"))
    old = [m for m in res.values() if m.event_date == "2022-03-15"]
    assert [(m.location.admin1, m.location.country_code) for m in old] == [("Erbil", "IQ")]


def test_a_road_between_two_towns_described_at_length_is_located_by_the_first() -> None:
    text = ("A drone hit a truck on 9 January 2024 on the road between Abu Kamal and the Iraqi "
            "border crossing of al-Qaim.")
    assert [m.location.name for m in run(text, "en").mentions] == ["Abu Kamal"]


def test_both_places_just_named_are_struck_again() -> None:
    text = ("On 12 October 2023, Israeli jets struck the airports of Damascus and Aleppo. "
            "Ten days later both airports were hit again.")
    found = sorted((m.location.name, m.event_date) for m in run(text, "en", "2023-11-22").mentions)
    assert found == [("Aleppo International Airport", "2023-10-12"), ("Aleppo International Airport", "2023-10-22"),
                     ("Damascus International Airport", "2023-10-12"), ("Damascus International Airport", "2023-10-22")]


def test_an_undated_lead_naming_no_weapon_and_nothing_struck_tells_of_attacks_in_general() -> None:
    piece = ("Kelompok Houthi menjadi perhatian dunia setelah menyerang perairan Laut Merah. "
             "Serangan mereka terus meningkat. Dampaknya bisa mengguncang ekonomi dunia.")
    assert run(piece, "id").mentions == []
    # what was struck (or the weapons) makes it the report of one attack
    report = "Kelompok Houthi menyerang sebuah kapal dagang di Laut Merah, kata UKMTO."
    assert [m.location.name for m in run(report, "id").mentions] == ["Red Sea"]


def test_a_detail_after_sentences_that_tell_no_attack_is_the_last_attack_s() -> None:
    text = ("A tanker was struck by an anti-ship missile in the Gulf of Aden on 26 January 2024. "
            "The ship sent a distress call to nearby warships. "
            "Its crew worked for hours to save the vessel. "
            "No injuries were reported, the operator said.")
    [m] = run(text, "en").mentions
    assert m.location.name == "Gulf of Aden" and m.injuries == 0
    # another attack told in between takes the detail's place in the story
    other = text.replace("Its crew worked for hours to save the vessel. ",
                         "On 24 January a drone hit a cargo ship in the Red Sea. ")
    assert by_place(run(other, "en"))["Gulf of Aden"].injuries is None


def test_the_last_word_of_a_motive_marker_is_no_target_marker() -> None:
    # "balasan atas serangan udara AS" (in answer to US air strikes): "atas" ends the motive
    # marker, so the US is the author of the strike answered (dated, hence told), not its target
    text = ("Empat roket menghantam pangkalan AS di ladang gas Koniko pada Selasa (21/11/2023). "
            "Perlawanan Islam di Irak menyebut serangan itu sebagai balasan atas serangan udara AS "
            "terhadap sebuah truk di dekat Abu Kamal pada Senin (20/11/2023).")
    res = by_place(run(text, "id", "2023-11-22"))
    assert res["Abu Kamal"].event_date == "2023-11-20" and res["Abu Kamal"].actor1 == "US forces"


def test_countries_listed_after_a_border_word_are_neighbours() -> None:
    # "dekat perbatasan Suriah, Yordania dan Irak": none of the three is where the drones struck,
    # so Iraq does not carry the al-Tanf claim and drones to the Iraqi base
    text = ("Dua roket menghantam Pangkalan Udara Ain al-Asad di Provinsi Anbar pada Senin (8/1/2024). "
            "Pada hari yang sama, dua drone menghantam garnisun AS di Al-Tanf, dekat perbatasan Suriah, "
            "Yordania dan Irak, dan kelompok Perlawanan Islam di Irak mengklaim serangan itu.")
    res = by_place(run(text, "id", "2024-01-10"))
    asad = res["Ain al-Asad air base"]
    assert [w.type for w in asad.weapons] == ["rocket"] and asad.claimed_by is None
    assert res["al-Tanf"].claimed_by == "Islamic Resistance in Iraq"
