"""Finding event mentions in a cleaned document.

An attack sentence (attack words or weapons) with a place yields a candidate per place it
names; candidates of one article are then grouped into mentions: the same place on a
compatible date is one attack, a sentence without a place ("cette base a été ciblée par deux
roquettes") continues the attack just before it unless its details contradict it, and a
province or country named alone joins the facility attack it summarises. Generic statements,
tallies and sentences with neither a date nor a place in the lead are not events.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sitrep import when
from sitrep.extract import signals as sg
from sitrep.extract.tallies import tally_details
from sitrep.extract.taxonomy import classify
from sitrep.lang.pack import Pack, available, get_pack
from sitrep.places.gazetteer import Place, PlaceHit, get_gazetteer, haversine_km
from sitrep.records import Document, Evidence, Extraction, Mention, Tally, Weapon

PLACELESS_REACH = 5  # sentences back a place-less attack sentence may refer to
LEAD_SENTENCES = 4  # an article without any dated attack is read for one in its first sentences
NEAR_KM = 10  # two facilities or towns this close, named for one attack, are one place
CONTEXT_REACH = 4  # sentences back an undated place may take the date of the story told
# Two times of one day this many hours apart are two attacks ("at dawn with drones, in the
# evening with rockets"); a part of the day stands for its middle hour.
HOURS_APART = 7
PART_HOURS = {"night": 2.0, "morning": 9.0, "afternoon": 15.0, "evening": 20.0}
FINE_KINDS = {"facility", "town", "sea"}


def _is_fine(place: Place) -> bool:
    """A point an attack can be placed at: a facility, town or sea, not a region."""
    return place.kind in FINE_KINDS and place.type != "region"


@dataclass
class Candidate:
    sent: int
    place: Place | None
    place_hit: PlaceHit | None
    sig: sg.Signals
    weapons: list[sg.WeaponHit] = field(default_factory=list)
    phrase: when.DatePhrase | None = None
    date: when.Resolved | None = None
    join_only: bool = False  # a summary sentence: it adds details to attacks, never makes one
    bare: bool = False  # placed only by a country named in passing ("backed by Iran"): no place of its own
    hour: float | None = None  # the time of day its sentence gives the attack, in hours
    time: when.TimePhrase | None = None  # its own time, when one sentence tells attacks at two times
    vessel: str | None = None  # the ship it names ("„Nordlicht“"): another ship is another attack
    also: bool = False  # "the airport of X was also hit": another site of the attack told, not a rival report
    whole_country: bool = False  # "targets in Yemen": the country at large, which finer places of it refine
    countries: frozenset[str] = frozenset()  # every country its sentence places something in ("in Iraq and Syria")
    casualties: list[sg.CasualtyHit] | None = None  # its share of the sentence's tolls, when it names several places
    areas: tuple[Place, ...] = ()  # the countries and provinces its sentence names ("in Iraq and Syria")
    talked: bool = False  # "Biden called the strikes defensive": attacks talked about; who talks struck nothing

    @property
    def fine(self) -> bool:
        return self.place is not None and _is_fine(self.place)

    @property
    def coarse(self) -> bool:
        return self.place is not None and not _is_fine(self.place)

    @property
    def day(self) -> dt.date | None:
        return self.date.date if self.date else None


@dataclass
class Group:
    candidates: list[Candidate] = field(default_factory=list)
    place: Place | None = None
    place_hit: PlaceHit | None = None
    inherited_place: bool = False
    date: when.Resolved | None = None
    phrase: when.DatePhrase | None = None
    context: list[Candidate] = field(default_factory=list)  # the story sentence a detail continues

    @property
    def last_sent(self) -> int:
        return max(c.sent for c in self.candidates)

    @property
    def first_sent(self) -> int:
        return min(c.sent for c in self.candidates)

    def agents(self) -> set[str]:
        return {a.value for c in self.candidates for a in c.sig.actors if a.role == "agent" and a.value}

    def target_values(self) -> set[str]:
        return {t.value for c in self.candidates for t in _struck(c) if t.value}

    def weapon_counts(self) -> dict[str, int]:
        return {w.value: w.count for c in self.candidates for w in c.weapons if w.value and w.count is not None}

    def add(self, cand: Candidate) -> None:
        self.candidates.append(cand)
        if self.date is None or self.date.date is None:
            if cand.date and cand.date.date:
                self.date, self.phrase = cand.date, cand.phrase
            elif self.phrase is None and cand.phrase is not None:
                self.phrase, self.date = cand.phrase, cand.date
        if cand.place is not None and (self.place is None or self.inherited_place
                                       or (not _is_fine(self.place) and cand.fine)):
            self.place, self.place_hit, self.inherited_place = cand.place, cand.place_hit, False


def _compatible(a: when.Resolved | None, b: when.Resolved | None) -> bool:
    if a is None or b is None or a.date is None or b.date is None:
        return True
    slack = max({"day": 0, "week": 3, "month": 15}.get(p or "day", 0) for p in (a.precision, b.precision))
    return abs((a.date - b.date).days) <= slack


def _strictly_same_date(a: when.Resolved | None, b: when.Resolved | None) -> bool:
    return bool(a and b and a.date and b.date and _compatible(a, b))


def _conflicts(cand: Candidate, group: Group) -> bool:
    if cand.vessel is not None and any(o.vessel not in (None, cand.vessel) for o in group.candidates):
        return True  # "two missiles hit the 'Nordlicht', two more the 'Seestern'"
    agents = {a.value for a in cand.sig.actors if a.role == "agent" and a.value}
    targets = {t.value for t in _struck(cand) if t.value}
    g_targets, g_agents = group.target_values(), group.agents()
    if agents & g_targets or targets & g_agents:
        return True
    if targets and g_targets and not targets & g_targets:
        return True
    if cand.hour is not None and any(o.hour is not None and _hours_apart(o.hour, cand.hour) >= HOURS_APART
                                     for o in group.candidates):
        return True  # the same place on the same day, at another time: another attack
    counts = group.weapon_counts()
    # "two of the drones were shot down": those intercepted are some of the attack's, not another count
    return any(w.value in counts and w.count is not None and counts[w.value] != w.count
               and not (cand.sig.intercepted and w.count < counts[w.value]) for w in cand.weapons)


def _same_area(place: Place, other: Place | None) -> bool:
    """Whether ``other`` lies in the province, region or country ``place`` names."""
    if other is None or other is place:
        return False
    if place.kind == "admin1":
        return other.admin1 == place.name and other.country_code == place.country_code
    if place.kind == "country":
        return place.country_code is not None and other.country_code == place.country_code
    if place.type == "region":
        # a region holds what lies within its reach: a country or a distant province is not
        # in it ("la région de Metina, dans la province de Duhok")
        if place.country_code is None or other.country_code != place.country_code or other.kind == "country":
            return False
        if place.lat is None or other.lat is None:
            return True
        return haversine_km(place.lat, place.lon, other.lat, other.lon) <= place.tolerance_km
    return False


def _best_phrase(phrases: list[when.DatePhrase], resolved: list[when.Resolved],
                 near: int) -> tuple[when.DatePhrase | None, when.Resolved | None]:
    """The date of an attack in its sentence: an explicit day first, then a weekday, then a
    relative word; among equals the nearest to the place."""
    if not phrases:
        return None, None
    # a weekday and "the day before" rank alike: the nearest to the place wins; a month with
    # its year ranks next to an explicit day, a month alone ("Anfang Januar") with the weekdays
    rank = {"explicit": 0, "solar": 0, "month": 1, "weekday": 2, "relative": 2}

    def rank_of(p: when.DatePhrase) -> int:
        return 2 if p.kind == "month" and p.year is None else rank[p.kind]

    i = min(range(len(phrases)), key=lambda k: (rank_of(phrases[k]), resolved[k].date is None,
                                                abs(phrases[k].start - near)))
    return phrases[i], resolved[i]


def _event_places(hits: list[PlaceHit]) -> list[PlaceHit]:
    """The places an attack sentence is about: a province or country that only locates a
    facility or town named with it ("al-Omar, Deir ez-Zor, Syrie") is not a separate place."""
    seen: set[str] = set()
    uniq = []
    for h in hits:
        if h.place.id not in seen:
            seen.add(h.place.id)
            uniq.append(h)
    fine = [h for h in uniq if _is_fine(h.place)]
    out = list(fine)
    for h in uniq:
        if h.place.kind == "admin1" and not any(_same_area(h.place, f.place) for f in fine):
            out.append(h)
    # a region ("Metina", "Kurdistan Region") before its country, which then only locates it
    for kind_test in (lambda p: p.kind != "country", lambda p: p.kind == "country"):
        for h in uniq:
            if not _is_fine(h.place) and h.place.kind != "admin1" and kind_test(h.place) \
                    and not any(_same_area(h.place, o.place) for o in out):
                out.append(h)
    return sorted(out, key=lambda h: h.start)


def _assign_weapons(places: list[PlaceHit], weapons: list[sg.WeaponHit],
                    motives: list[tuple[int, int]] = (), passing: list[bool] | None = None
                    ) -> dict[int, list[sg.WeaponHit]]:
    """Each weapon goes to the nearest place, on its side of a motive clause (not to a country
    named in passing, while one other place is named); a place left without one in a sentence
    that names weapons ("and another attack on ...") shares their types, without counts."""
    out: dict[int, list[sg.WeaponHit]] = {i: [] for i in range(len(places))}
    if not places:
        return out
    # ... when one place is named besides it: among several, each weapon keeps its nearest
    struck = [k for k in range(len(places)) if not (passing and passing[k])]
    struck = struck if len(struck) == 1 else list(range(len(places)))
    for w in weapons:
        side = _motive_of(w.start, motives)
        pool = [k for k in struck if _motive_of(places[k].start, motives) == side] or struck
        i = min(pool, key=lambda k: min(abs(places[k].start - w.end), abs(w.start - places[k].end)))
        out[i].append(w)
    types = {}
    for w in weapons:
        types.setdefault(w.value, w)
    for i in out:
        if not out[i] and weapons:
            out[i] = [sg.WeaponHit(w.start, w.end, w.text, w.value, count=None) for w in types.values()]
    return out


def _motive_of(pos: int, motives: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The motive clause a position stands in, if any."""
    return next((sp for sp in motives if sp[0] <= pos < sp[1]), None)


def _same_side(spans: list[Any], motives: list[tuple[int, int]], at: int, fallback: bool = True) -> list[int]:
    """Which of the date phrases (or weapons) may go with a place: those inside the motive clause
    it stands in, or, for a place outside any, those outside them (the attack answered has its
    own date and weapons); failing any, all of them, or none without ``fallback``."""
    home = _motive_of(at, motives)
    own = [k for k, p in enumerate(spans) if _motive_of(p.start, motives) == home]
    return own or (list(range(len(spans))) if fallback else [])


def _clause_of(text: str, start: int, end: int) -> Callable[[int], int]:
    """The index of the comma-bounded clause of the sentence text[start:end] a position is in."""
    cuts = [start] + [start + m.end() for m in re.finditer(r"[,;:،؛]", text[start:end])] + [end]
    return lambda pos: bisect.bisect_right(cuts, pos) - 1


def _locates(text: str, hit: PlaceHit, places: list[PlaceHit], pack: Pack) -> bool:
    """Whether a province only says where the site just named lies ("Sayyida Zaynab, south of
    Damascus"): named with a direction right after a town or facility."""
    if hit.place.kind != "admin1" or not _directed(text, hit, pack):
        return False
    return any(_is_fine(o.place) and 0 <= hit.start - o.end <= 40 and not re.search(r"[.;:!?؛]", text[o.end:hit.start])
               for o in places)


def _quiet_places_dropped(text: str, start: int, end: int, places: list[PlaceHit], sig: sg.Signals,
                          phrases: list[when.DatePhrase]) -> list[PlaceHit]:
    """Of several places, those in a clause with a date of its own and no attack word or weapon
    tell what happened there later ("the ship, hit on 18 February in the Gulf of Aden, sank on
    2 March in the Red Sea"), not where the attack was."""
    if len(places) < 2:
        return places
    clause = _clause_of(text, start, end)
    armed = {clause(h.start) for h in sig.triggers + sig.weapons}
    dated = {clause(p.start) for p in phrases}
    kept = [h for h in places if clause(h.start) in armed or clause(h.start) not in dated]
    return kept or places


def _assign_casualties(text: str, start: int, end: int, places: list[PlaceHit],
                       casualties: list[sg.CasualtyHit]) -> list[list[sg.CasualtyHit]]:
    """Each toll goes to the place of its own clause, else the nearest ("struck Erbil, days after
    two officers were killed in a raid near Damascus": the dead are Damascus's)."""
    clause = _clause_of(text, start, end)
    out: list[list[sg.CasualtyHit]] = [[] for _ in places]
    for h in casualties:
        same = [k for k, p in enumerate(places) if clause(p.start) == clause(h.start)]
        pool = same or range(len(places))
        k = min(pool, key=lambda k: min(abs(places[k].start - h.end), abs(h.start - places[k].end)))
        out[k].append(h)
    return out


def _tallies(doc: Document, pack: Pack, sent_index: int, ref: when.Reference,
             today: dt.date) -> list[Tally]:
    s = doc.sentences[sent_index]
    out: list[Tally] = []
    spans: list[tuple[int, int]] = []
    for rx in pack.tallies:
        for m in rx.finditer(s.text):
            count = sg.parse_number(m.group("count"), pack)
            if count is None or count < 3 or any(a < m.end() and m.start() < b for a, b in spans):
                continue  # one or two is an event report; two patterns may read one statement
            spans.append((m.start(), m.end()))
            since = None
            if m.groupdict().get("since"):
                phrases = when.spot(doc.text, s.start + m.start("since"), s.start + m.end("since"), pack)
                if phrases:
                    since = when.resolve(phrases[0], ref, [], today).iso
                else:  # "mid-October": the middle of the month named
                    month = next((v for k, v in pack.months.items() if k in m.group("since").lower()), None)
                    if month and ref.year:
                        year = ref.year - (1 if ref.month and month > ref.month else 0)
                        since = dt.date(year, month, 15).isoformat()
            start, end = s.start + m.start(), s.start + m.end()
            scope, parts, actor = tally_details(s.text, count, pack)
            out.append(Tally(article=doc.article.id, count=count, what=s.text[:300], since=since,
                             until=ref.date.isoformat() if ref.date else None, scope=scope, parts=parts,
                             actor=actor, evidence=Evidence(doc.text[start:end], start, end),
                             language=doc.language))
    return out


def extract(doc: Document, today: dt.date | None = None) -> Extraction:
    """All event mentions and tallies of one cleaned document."""
    today = today or dt.date.today()
    result = Extraction(document=doc)
    if doc.language not in available():
        return result  # unsupported language: stored and flagged, no events invented
    pack = get_pack(doc.language)
    text = doc.text
    sentences = doc.sentences
    phrases = [when.spot(text, s.start, s.end, pack) for s in sentences]
    ref = when.reference(doc, [p for ps in phrases for p in ps], today)
    if doc.dateline is not None:  # the filing date is the article's today, not an event's date
        phrases = [[p for p in ps if not doc.dateline[0] <= p.start < doc.dateline[1]] for ps in phrases]

    # Signals of every sentence; a tally sentence is a tally and nothing else.
    scan = sg.Scanner(text)
    sigs: list[sg.Signals | None] = []
    for i, s in enumerate(sentences):
        tallies = _tallies(doc, pack, i, ref, today)
        result.tallies.extend(tallies)
        sigs.append(None if tallies else sg.find(scan, s.start, s.end, pack))

    # Days named in attack sentences anchor bare weekdays when only the month is known.
    partial = when.Reference(year=ref.year, month=ref.month, date=ref.date)
    anchors = [r.date for i, ps in enumerate(phrases) if sigs[i] and (sigs[i].triggers or sigs[i].weapons)
               for p in ps if p.kind == "explicit" for r in [when.resolve_explicit(p, partial, today)] if r.date]
    resolved = [[when.resolve(p, ref, anchors, today) for p in ps] for ps in phrases]
    when.resolve_chain(phrases, resolved)

    gaz = get_gazetteer()
    hits_by_sent: list[list[PlaceHit]] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    all_hits = gaz.find(text)
    for h in all_hits:
        i = bisect.bisect_right(starts, h.start) - 1
        if i >= 0 and h.start < sentences[i].end:
            sig = sigs[i]
            # a place inside a name ("Résistance islamique en Irak", "Al Mayadeen") is no place
            names = (sig.actors + sig.sources) if sig else []
            # ... unless a direction makes it a region: "le sud d'Israël" (Israël is also an actor)
            named = any(n.start <= h.start and h.end <= n.end for n in names) and not _directed(text, h, pack) \
                and not _located(text, h, names, pack)
            # a town that is also a day or month name ("Pazar günü", Sunday in Turkish) is the date
            named = named or any(p.start < h.end and h.start < p.end for p in phrases[i])
            if not named and not _in(doc.dateline, h) and not _is_origin(text, h, pack, all_hits) \
                    and not _is_motive(text, h, sentences[i].start, phrases[i], pack) \
                    and not _is_theatre(text, h, pack, phrases[i]) and not _is_neighbour(text, h, pack) \
                    and not _is_accused(text, h, pack) and not _is_speaker(text, h, pack):
                hits_by_sent[i].append(h)

    for i, s in enumerate(sentences):
        if hits_by_sent[i]:
            hits = [_facility_of(text, h, s.start, pack, gaz) for h in hits_by_sent[i]]
            hits_by_sent[i] = [h for k, h in enumerate(hits) if not _road_end(text, hits[:k], h, pack)]
    for i, s in enumerate(sentences):
        # a headline's kicker ("Kurdistan irakien : trois combattants tués ... près de Sinjar") names
        # the story's region; the place the headline then names is the site
        kicker = [h for h in hits_by_sent[i] if not text[s.start:h.start].strip()
                  and re.match(r"\s*:", text[h.end:s.end])]
        if kicker and len(hits_by_sent[i]) > len(kicker):
            hits_by_sent[i] = [h for h in hits_by_sent[i] if h not in kicker]
    seas = [h for hits in hits_by_sent for h in hits if h.place.kind == "sea"]
    for i, s in enumerate(sentences):
        if hits_by_sent[i]:
            moved = [_offset_place(text, h, s.start, s.end, pack, hits_by_sent[i], seas, gaz) for h in hits_by_sent[i]]
            hits_by_sent[i] = [h for h in moved if h is not None]

    # "Zehn Tage später wurden beide Airports getroffen": the two sites the sentence before named
    # are struck again, each an attack of this sentence; its own cities and provinces ("in Aleppo
    # ein Mitarbeiter und in Damaskus ein Soldat") only say where the tolls fell
    for i, s in enumerate(sentences):
        if i and pack.both_places is not None and pack.both_places.search(text, s.start, s.end):
            before = [h for h in hits_by_sent[i - 1] if _is_fine(h.place)]
            if len(before) == 2:
                own = [h for h in hits_by_sent[i] if _is_fine(h.place) and h.place.kind != "town"
                       and h.place.id not in {b.place.id for b in before}]
                hits_by_sent[i] = before + own

    # The sentence after a tally, with neither a place nor a date of its own, goes on about the
    # attacks counted ("66 attacks since 17 October. Most used drones; about 60 soldiers were
    # wounded"): its weapons and casualties are the tally's, not those of the attack told before.
    tallied = [sig is None for sig in sigs]
    for i in range(1, len(sentences)):
        if tallied[i - 1] and not tallied[i] and not hits_by_sent[i] and not phrases[i]:
            sigs[i] = None

    candidates: list[Candidate] = []
    for i, s in enumerate(sentences):
        sig = sigs[i]
        if sig is None:
            continue
        if not (sig.triggers or sig.weapons):
            if sig.claim or sig.casualties or sig.no_casualties or sig.no_killed or sig.no_injured \
                    or (sig.hurt and sig.sources):
                # "No casualties were reported.", "X claimed it.": details of the attack just before
                candidates.append(Candidate(i, None, None, sig, [], None, None, join_only=True))
            continue
        if sig.generic:
            # "bases are regularly targeted", "since the start of the war, attacks have risen";
            # a claim in it still claims the attack just told ("claimed the attack and vowed to
            # keep attacking ships")
            if sig.claim is not None:
                candidates.append(Candidate(i, None, None, sig, [], None, None, join_only=True))
            continue
        # "the Council condemned Houthi attacks on ships": attacks talked about, not reported
        talked_about = not sig.weapons and all(_governed(text, t, pack) for t in sig.triggers)
        places = _quiet_places_dropped(text, s.start, s.end, _event_places(hits_by_sent[i]), sig, phrases[i])
        places = [h for h in places if not _locates(text, h, places, pack)]
        if not places:
            phrase, res = _best_phrase(phrases[i], resolved[i], s.start)
            candidates.append(Candidate(i, None, None, sig, list(sig.weapons), phrase, res, join_only=talked_about,
                                        talked=talked_about))
            continue
        # "in Iraq and Syria": a summary of several attacks, which may add to them but is none
        # bare neighbours ("Saada, on the border with Saudi Arabia") do not make a summary
        named = [h for h in places if h.place.kind != "country" or _regional(text, h, pack, places)]
        summary = all(not _is_fine(h.place) for h in places) and len({h.place.country_code for h in named}) > 1 \
            and not all(_directed(text, h, pack) for h in named)  # "le nord de l'Irak et le nord-est de la Syrie"
        if not summary and not any(_is_fine(h.place) for h in places):
            directed = [h for h in places if _regional(text, h, pack, places)]
            # regions of several countries; else the first place named that is not a country
            # named in passing ("la Guardia Revolucionaria de Irán ... contra Erbil")
            places = directed if len(directed) > 1 else (named or places)[:1]
        motives = sg.motive_spans(text, s.start, s.end, pack)
        # a country named in passing ("los rebeldes hutíes de Yemen lanzaron seis misiles ... en
        # el mar Rojo") takes no weapons from the place struck
        passing = [h.place.kind == "country" and not _regional(text, h, pack, places) for h in places]
        weapons = _assign_weapons(places, sig.weapons, motives, passing)
        # tolls split only between countries: in one country the places mostly locate one attack
        # (its site, the town beside it), across two they are two attacks
        tolls = _assign_casualties(text, s.start, s.end, places, sig.casualties) \
            if len({h.place.country_code for h in places}) > 1 else None
        countries = frozenset(h.place.country_code for h in hits_by_sent[i] if h.place.country_code)
        also = bool(sig.verbs or sig.triggers) and pack.also_words is not None \
            and pack.also_words.search(text, s.start, s.end) is not None
        # a lead that names only countries or provinces tells of the attacks in them; one that
        # names a site ("a base in eastern Syria") is about that site
        areas = () if any(_is_fine(h.place) for h in places) else tuple(h.place for h in hits_by_sent[i])
        for k, h in enumerate(places):
            # a place outside a motive clause takes no date from inside it, nor weapons
            own = _same_side(phrases[i], motives, h.start)
            phrase, res = _best_phrase([phrases[i][j] for j in own], [resolved[i][j] for j in own], h.start)
            if motives:
                weapons[k] = [weapons[k][j] for j in _same_side(weapons[k], motives, h.start, fallback=False)]
            # a country named bare ("Iran condemned", "Yemen's Houthis") locates no attack by itself;
            # with a direction ("eastern Syria", "Irak utara") it is a region of it
            # or with an area word before it ("targets in Yemen", "Houthi-held areas of Yemen"):
            # the country is where the attack struck, at country precision
            vague = h.place.kind == "country" and not _regional(text, h, pack, places)
            candidates.append(Candidate(i, h.place, h, sig, weapons[k], phrase, res,
                                        join_only=summary or vague or talked_about, talked=talked_about,
                                        bare=vague and not summary and len(places) == 1, also=also,
                                        whole_country=h.place.kind == "country" and not _directed(text, h, pack),
                                        countries=countries, casualties=tolls[k] if tolls else None, areas=areas))

    candidates = [part for c in candidates for part in _split_by_date(doc, c, phrases[c.sent], resolved[c.sent], pack)]
    ships = {m.group(1) for c in candidates if c.sig.targets for m in _QUOTED_NAME.finditer(sentences[c.sent].text)}
    candidates = [part for c in candidates for part in _split_by_vessel(doc, c, ships)]
    candidates = _timed(doc, candidates, phrases, resolved, pack)
    # sentences that end the lead's story for later undated places: a date of their own, background
    # (a date inside a motive clause is the answered attack's: "in retaliation for the attack
    # in Jordan last week" goes on with the story, it starts none)
    breaks = frozenset(i for i, s in enumerate(sentences) if _background(s.text, pack) or any(
        _motive_of(p.start, sg.motive_spans(text, s.start, s.end, pack)) is None for p in phrases[i]))
    groups = _group(candidates, gaz, breaks, [[h.place for h in hits] for hits in hits_by_sent])
    if not any(g.place is not None for g in groups):
        # a question ("How did the Red Sea attacks change world trade?") reports no attack
        asked = {i for i, s in enumerate(sentences) if s.text.rstrip().endswith(("?", "؟"))}
        lead = _lead_event([c for c in candidates if c.sent not in asked], ref)
        if lead is not None:
            groups.append(lead)
    # sentences that only cite ("Об этом сообщает Rudaw", "This was reported by SANA"): their
    # sources are those of the attack told just before
    told = {c.sent for c in candidates}
    citing = frozenset(i for i, sig in enumerate(sigs) if sig is not None and sig.sources and i not in told
                       and not (sig.triggers or sig.weapons))
    sole = _sole_agent(candidates)
    times: dict[int, list[when.TimePhrase]] = {}
    for g in sorted(groups, key=lambda g: g.first_sent):
        if g.place is None:
            continue
        m = _mention(doc, g, sigs, len(result.mentions), pack, citing, sole)
        t = _time_of_day(doc, g, phrases, resolved, times, pack)
        if t is not None:
            m.time_of_day = t.value
            m.evidence["time_of_day"] = _span(doc, t.start, t.end)
        result.mentions.append(m)
    return result


def _hours_apart(a: float, b: float) -> float:
    d = abs(a - b) % 24
    return min(d, 24 - d)


def _hour(t: when.TimePhrase) -> float:
    if t.is_clock:
        h, m = t.value.split(":")
        return int(h) + int(m) / 60
    return PART_HOURS[t.value]


def _attack_times(doc: Document, i: int, phrases: list[when.DatePhrase], pack: Pack
                  ) -> list[tuple[when.TimePhrase, int | None]]:
    """The times of day a sentence gives, each with the date phrase nearest it, less the
    dateline's and the report's ("said on Monday evening")."""
    s = doc.sentences[i]
    out = []
    for t in when.spot_times(doc.text, s.start, s.end, pack):
        if _in(doc.dateline, t):
            continue
        begin = min([t.start] + [p.start for p in phrases if _gap(p, t) <= 3])
        if not _reported_at(doc.text, max(s.start, begin - 30), begin, pack):
            # the date it is told with ("the morning of Tuesday", "mardi soir"), when next to one
            near = min(range(len(phrases)), key=lambda k: _gap(phrases[k], t)) if phrases else None
            out.append((t, near if near is not None and _gap(phrases[near], t) <= 12 else None))
    return out


def _timed(doc: Document, candidates: list[Candidate], phrases: list[list[when.DatePhrase]],
           resolved: list[list[when.Resolved]], pack: Pack) -> list[Candidate]:
    """Give each candidate the time of day of its sentence, and split a sentence that tells
    attacks at two far-apart times of one day, each with its own weapons ("l'une à l'aube avec
    des drones, l'autre en soirée avec des roquettes"): one candidate per time."""
    cache: dict[int, list[tuple[when.TimePhrase, int | None]]] = {}
    out: list[Candidate] = []
    for c in candidates:
        if c.sent not in cache:
            cache[c.sent] = _attack_times(doc, c.sent, phrases[c.sent], pack)
        # a time next to another day's date is that day's ("resumed flights on Tuesday morning")
        times = [t for t, k in cache[c.sent] if k is None or phrases[c.sent][k] is c.phrase
                 or _compatible(resolved[c.sent][k], c.date)]
        parts = _split_by_time(doc, c, times) if c.weapons and len(times) > 1 else None
        if parts:
            out.extend(parts)
            continue
        hours = [_hour(t) for t in times]
        if hours and all(_hours_apart(a, b) < HOURS_APART for a in hours for b in hours):
            clock = [t for t in times if t.is_clock]
            c.hour = _hour((clock or times)[0])
        out.append(c)
    return out


def _split_by_date(doc: Document, c: Candidate, phrases: list[when.DatePhrase],
                   resolved: list[when.Resolved], pack: Pack) -> list[Candidate]:
    """A sentence that tells attacks on two different days, each with its own weapons ("en abril,
    un dron alcanzó un hangar, y en febrero un ataque con cohetes mató a un contratista"): one
    candidate per day, with the weapons and casualties of its own clause (else the nearest day).
    The day of the report ("ont indiqué jeudi") is none of them."""
    s = doc.sentences[c.sent]
    days = [k for k, r in enumerate(resolved) if r.date is not None
            and not _reported_at(doc.text, max(s.start, phrases[k].start - 30), phrases[k].start, pack)]
    if len(c.weapons) < 2 or len(days) < 2 or c.join_only \
            or all(_compatible(resolved[a], resolved[b]) for a in days for b in days):
        return [c]
    cuts = [s.start] + [s.start + m.end() for m in re.finditer(r"[,;:،؛]", s.text)] + [s.end]

    def day_of(start: int, end: int) -> int:
        clause = bisect.bisect_right(cuts, start) - 1
        same = [k for k in days if bisect.bisect_right(cuts, phrases[k].start) - 1 == clause]
        return min(same or days, key=lambda k: max(0, phrases[k].start - end, start - phrases[k].end))

    by_day: dict[int, list[sg.WeaponHit]] = {}
    for w in c.weapons:
        by_day.setdefault(day_of(w.start, w.end), []).append(w)
    keys = sorted(by_day)
    if len(keys) < 2 or all(_compatible(resolved[a], resolved[b]) for a in keys for b in keys):
        return [c]
    hurt = {k: [h for h in c.sig.casualties if day_of(h.start, h.end) == k] for k in keys}
    return [replace(c, weapons=by_day[k], phrase=phrases[k], date=resolved[k], sig=replace(c.sig, casualties=hurt[k]))
            for k in keys]


# A case ending after an apostrophe ("Irak'ın", "Gazze'deki", "Syria's"): it stays with the name,
# so a word read after a name starts after it.
_CASE_ENDING = re.compile(r"^['’]\w{1,4}(?=\s)")


# A ship's name in quotes („Nordlicht“, « Cap Horn », "Seestern"): capitalised, a few words.
_QUOTED_NAME = re.compile(r"[„“\"«]\s?([A-Z][\w.'’-]*(?:\s[A-Z0-9][\w.'’-]*){0,3})\s?[“”\"»]")


def _split_by_vessel(doc: Document, c: Candidate, ships: set[str]) -> list[Candidate]:
    """A sentence that names ships in quotes tells of each: with one ship the candidate is that
    ship's; with several, each given its own counted weapons ("zwei Raketen trafen den Tanker
    „Nordlicht“, zwei weitere den Frachter „Seestern“"), one candidate per ship. A quoted name is
    a ship's where a sentence names it with a ship's word (``ships``)."""
    s = doc.sentences[c.sent]
    names = [(s.start + m.start(), s.start + m.end(), m.group(1)) for m in _QUOTED_NAME.finditer(s.text)
             if m.group(1) in ships]
    distinct = list(dict.fromkeys(n for _a, _b, n in names))
    if not distinct or c.join_only and len(distinct) > 1:
        return [c]
    if len(distinct) == 1:
        return [replace(c, vessel=distinct[0])]
    armed = c.weapons + c.sig.more_weapons
    parts: list[Candidate] = []
    begin = s.start
    for a, b, name in names:
        own = [w for w in armed if begin <= w.start and w.end <= a and w.count is not None]
        if not own:
            return [c]  # a ship named without weapons of its own: one salvo at them all
        parts.append(replace(c, weapons=own, vessel=name))
        begin = b
    return parts if len({p.vessel for p in parts}) == len(parts) else [c]


def _split_by_time(doc: Document, c: Candidate, times: list[when.TimePhrase]) -> list[Candidate] | None:
    s = doc.sentences[c.sent]
    # clauses of the sentence: a weapon belongs to the time of its own clause, else the nearest
    cuts = [s.start] + [s.start + m.end() for m in re.finditer(r"[,;:،؛]", s.text)] + [s.end]

    def clause(pos: int) -> int:
        return bisect.bisect_right(cuts, pos) - 1

    by_time: dict[int, list[sg.WeaponHit]] = {}
    for w in c.weapons:
        same = [k for k, t in enumerate(times) if clause(t.start) == clause(w.start)]
        pool = same or range(len(times))
        k = min(pool, key=lambda k: max(0, times[k].start - w.end, w.start - times[k].end))
        by_time.setdefault(k, []).append(w)
    keys = sorted(by_time)
    if len(keys) < 2 or not any(_hours_apart(_hour(times[a]), _hour(times[b])) >= HOURS_APART
                                for a in keys for b in keys):
        return None
    out: list[Candidate] = []
    for k in keys:
        part = dataclasses.replace(c, weapons=by_time[k], hour=_hour(times[k]), time=times[k])
        same_time = next((o for o in out if _hours_apart(o.hour or 0, part.hour or 0) < HOURS_APART), None)
        if same_time is not None:
            same_time.weapons = same_time.weapons + part.weapons
        else:
            out.append(part)
    return out if len(out) > 1 else None


def _time_of_day(doc: Document, g: Group, phrases: list[list[when.DatePhrase]],
                 resolved: list[list[when.Resolved]], cache: dict[int, list[when.TimePhrase]],
                 pack: Pack) -> when.TimePhrase | None:
    """The time of day of an attack, from its own sentences only (not the story it continues):
    a clock time before a part-of-day word, then the sentence carrying its date, then the time
    nearest that date. A time next to another day's date is that day's, and one right after a
    word of saying ("said on Monday evening") is the report's."""
    home = next((c.sent for c in g.candidates if g.phrase is not None and c.phrase is g.phrase), None)
    best: tuple[tuple[bool, bool, int], when.TimePhrase] | None = None
    for i in sorted({c.sent for c in g.candidates}):
        s = doc.sentences[i]
        if i not in cache:
            cache[i] = [t for t in when.spot_times(doc.text, s.start, s.end, pack) if not _in(doc.dateline, t)]
        ps = phrases[i]
        own = [c.time for c in g.candidates if c.sent == i and c.time is not None]
        for t in own or cache[i]:
            begin = t.start
            if ps:
                k = min(range(len(ps)), key=lambda k: _gap(ps[k], t))
                if ps[k] is not g.phrase and not _compatible(resolved[i][k], g.date):
                    continue  # the time of another day
                if _gap(ps[k], t) <= 3:  # "Tuesday evening": the phrase starts where the time does
                    begin = min(begin, ps[k].start)
            if _reported_at(doc.text, max(s.start, begin - 30), begin, pack):
                continue
            near = _gap(g.phrase, t) if i == home and g.phrase is not None else t.start
            key = (not t.is_clock, i != home, near)
            if best is None or key < best[0]:
                best = (key, t)
    return best[1] if best else None


def _reported_at(text: str, start: int, end: int, pack: Pack) -> bool:
    """Whether text[start:end], just before a time, ends with a word of saying ("said on Tuesday
    evening that...", "teilte am Montagnachmittag mit"): the time of the report, not the attack."""
    if pack.citation_verbs is None:
        return False
    window = text[start:end]
    # at most a preposition in between: "according to the source, at 13:50" dates the attack
    return any(len(window[m.end():].split()) <= 1 and not re.search(r"[.,;:!?،؛]", window[m.end():])
               for m in pack.citation_verbs.finditer(window))


def _gap(a: when.DatePhrase, b: when.TimePhrase) -> int:
    return max(0, a.start - b.end, b.start - a.end)



def _same_day(g: Group, c: Candidate) -> bool:
    return _compatible(g.date, c.date) and not _conflicts(c, g)


def _same_place(g: Group, c: Candidate) -> bool:
    # a sea lent to a recalled attack (see _one_sea) is no place named for it: a sentence
    # naming the sea speaks of the attacks told there, not of that one
    lent_sea = g.inherited_place and g.place is not None and g.place.kind == "sea"
    return g.place is not None and c.place is not None and not lent_sea and _near(g.place, c.place) \
        and not _conflicts(c, g)


def _near(a: Place, b: Place) -> bool:
    """One place, or two names for one spot ("Abou Kamal" and the al-Qaim crossing beside it)."""
    if a.id == b.id:
        return True
    if not (_is_fine(a) and _is_fine(b)) or "sea" in (a.kind, b.kind) or a.lat is None or b.lat is None:
        return False
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= NEAR_KM


def _has_place(g: Group, c: Candidate) -> bool:
    return g.place is not None


def _named_before(groups: list[Group], c: Candidate, named: list[list[Place]] | None,
                  candidates: list[Candidate] | None = None) -> Group | None:
    """The attack whose place the sentence just before names ("It is not the first time Iran
    has struck Erbil. In March 2022, a dozen missiles fell near the consulate"): the place a
    sentence without one speaks of, however long ago that attack was told. When that sentence
    talks of attacks on a place no attack was told at but in the province of one ("Erbil has a
    long history of such attacks", after a strike on its airport), a stand-in placed there (the
    caller takes its area)."""
    if not named or c.sent == 0:
        return None
    ids = {p.id for p in named[c.sent - 1]}
    g = next((g for g in reversed(groups) if g.place is not None and g.place.id in ids
              and g.first_sent < c.sent), None)
    if g is not None:
        return g
    areas = {g.place.admin1 for g in groups if g.place is not None and g.place.admin1}
    talked = [d.place for d in candidates or [] if d.sent == c.sent - 1 and d.place is not None
              and d.place.kind != "country" and not d.join_only and d.place.admin1 in areas]
    return Group(place=talked[0]) if len(talked) == 1 else None


def _only_place(groups: list[Group], c: Candidate) -> Group | None:
    """A recalled attack told with its weapons and no place, further on in an article that has
    placed every attack so far at one site ("Ce n'est pas la première fois que la ville est visée.
    En mars 2022, une douzaine de missiles avaient frappé..."): that site's area."""
    placed = [g for g in groups if g.place is not None and g.first_sent < c.sent]
    if not c.weapons or not placed or len({g.place.id for g in placed}) > 1:
        return None
    return placed[-1]


def _last_told(candidates: list[Candidate], groups: list[Group], c: Candidate) -> Group | None:
    """A detail with no attack told since the last one ("... struck by a missile. CENTCOM said
    the ship sent a distress call. The crew put out the fire. No injuries were reported."): that
    attack's, a few sentences on, when only its details and no other attack came between."""
    if not _details(c):
        return None
    g = _nearest(groups, c, _consistent, PLACELESS_REACH)
    if g is None:
        return None
    last = max((k.sent for k in g.candidates if k.sent < c.sent), default=None)
    if last is None or any(last < d.sent < c.sent for d in candidates):
        return None
    return g


def _only_attack(groups: list[Group], c: Candidate) -> Group | None:
    """A claim with no place or date of its own told further on ("In the evening the Islamic
    Resistance claimed the operation") claims the attack when the article has told only one."""
    if c.sig.claim is None:
        return None
    told = [g for g in groups if g.place is not None and g.first_sent < c.sent]
    return told[0] if len(told) == 1 and len(groups) == 1 and not _conflicts(c, told[0]) else None


def _struck(c: Candidate) -> list[sg.Hit]:
    """What the sentence says was struck: its targets, less those that name its attacker
    ("las fuerzas estadounidenses destruyeron...")."""
    agents = [a for a in c.sig.actors if a.role == "agent"]
    return [t for t in c.sig.targets if not any(a.start < t.end and t.start < a.end for a in agents)]


def _one_sea(groups: list[Group], c: Candidate) -> Group | None:
    """In a story told all at one sea, a ship or boat fired on later in it, on a day of its own
    and with no place named ("on 31 December helicopters fired on boats trying to board a
    container ship"), was fired on at that sea, however far back the sea was last named."""
    placed = [g for g in groups if g.place is not None and g.first_sent < c.sent]
    if not placed or not c.weapons or not _struck(c) or len({g.place.id for g in placed}) > 1:
        return None
    return placed[-1] if placed[-1].place is not None and placed[-1].place.kind == "sea" else None


def _lead_event(candidates: list[Candidate], ref: when.Reference) -> Group | None:
    """An article that reports an attack with no date word at all ("A drone struck an oil
    site near Qamishli, killing two") is about a recent one: its lead attack is dated by the
    publication date, at week precision, or left undated when that is unknown too. A lead that
    names neither a weapon nor what was struck ("the Houthis, in the spotlight since attacking
    the Red Sea") tells of attacks in general, as pieces on their cost or history do."""
    lead = next((c for c in candidates if c.fine and not c.join_only and c.sent < LEAD_SENTENCES
                 and (c.sig.weapons or c.sig.triggers)), None)
    if lead is not None and not lead.sig.weapons and not _struck(lead):
        return None
    if lead is None:
        return None
    g = Group()
    g.add(lead)
    for c in candidates:
        if c is not lead and c.fine and c.place is not None and _near(c.place, lead.place) and not c.join_only:
            g.add(c)
    if ref.date is not None:
        g.date = when.Resolved(ref.date, "week", note="no date word in the article: the publication date, "
                                                      "at week precision")
    return g


def _leads_in(c: Candidate, candidates: list[Candidate], groups: list[Group]) -> bool:
    """A dated sentence without a place followed by an undated one naming a new place ("On
    Saturday Turkish drones struck again. One hit an oil site near Qamishli"): the story of the next."""
    return any(d.sent == c.sent + 1 and d.day is None and d.fine and not d.join_only
               and not any(g.place is not None and d.place is not None and _near(g.place, d.place) for g in groups)
               for d in candidates)


def _led_by(candidates: list[Candidate], c: Candidate, groups: list[Group]) -> bool:
    """Whether the sentence just before an undated site is a dated attack sentence without a
    place that no attack has taken, on another day than every attack told at that site."""
    taken = {id(k) for g in groups for k in g.candidates}
    return any(d.sent == c.sent - 1 and d.day is not None and d.place is None and not d.join_only
               and id(d) not in taken and (d.weapons or d.sig.verbs or d.sig.triggers)
               and not any(_same_place(g, c) and _compatible(g.date, d.date) for g in groups)
               for d in candidates)


def _story(candidates: list[Candidate], c: Candidate, breaks: frozenset[int] = frozenset()) -> Candidate | None:
    """The date of the attack told just before in the same country (even one placed only by
    its country: "US and UK strikes on Yemen on Friday"), which an undated place continues.
    A dated lead that names a country or province reaches further: the places within it that
    the report details paragraphs later ("US strikes in Iraq on Friday ... the strikes hit
    al-Qaim, the Iraqi government said") are of that day, until a sentence in between (a
    ``breaks`` one) gives a date of its own or turns to background."""
    if c.place is None:
        return None

    def near(d: Candidate) -> bool:
        return c.sent - d.sent <= CONTEXT_REACH and (
            d.place is None or d.place.country_code == c.place.country_code
            # "bases in Iraq and Syria were attacked on Wednesday. At al-Tanf in Syria, ..."
            or c.place.country_code in d.countries
            # "...a missile at a ship, and drones at southern Israel": a sea story reaches a region
            or d.place.kind == "sea" and c.place.kind == "country")

    def lead(d: Candidate) -> bool:
        return d.sent < LEAD_SENTENCES and any(_same_area(a, c.place) for a in d.areas) \
            and not any(d.sent < k <= c.sent for k in breaks)

    before = [d for d in candidates if d.day is not None and d.sent < c.sent and (near(d) or lead(d))]
    # the latest sentence; in it, a part of the story placed in the place's own country first
    return max(before, key=lambda d: (d.sent, d.place is not None and d.place.country_code == c.place.country_code)) \
        if before else None


def _told_next(candidates: list[Candidate], c: Candidate, groups: list[Group],
               breaks: frozenset[int]) -> Candidate | None:
    """The dated report, just after an undated site named in the lead, of an attack it names no
    place for: the first such sentence, before any other date, that no attack has taken. Only
    for a lead about one site: a headline naming three towns summarises the story."""
    if not c.fine or c.join_only or c.sent >= LEAD_SENTENCES \
            or any(k is not c and k.sent == c.sent and k.place is not None and k.place.kind != "country"
                   for k in candidates):
        return None
    taken = {id(k) for g in groups for k in g.candidates}

    def attackers(k: Candidate) -> set[str]:
        return {a.value for a in k.sig.actors if a.role == "agent" and a.value}

    for d in candidates:
        if d.sent <= c.sent or d.sent - c.sent > PLACELESS_REACH:
            continue
        # another side striking ("On Friday US jets struck back") is another attack
        other = bool(attackers(c) and attackers(d) and not attackers(c) & attackers(d))
        if d.day is not None and d.place is None and not d.join_only and (d.weapons or d.sig.verbs) \
                and id(d) not in taken and not other:
            return d
        if d.sent in breaks:
            return None
    return None


def _told_elsewhere(story: Candidate, c: Candidate, groups: list[Group]) -> bool:
    """Whether the story an undated place would continue is a place-less sentence that already
    went to an attack placed elsewhere: the place names another site for that attack (a claim,
    a denial, a first report), not a second attack, unless it brings weapons of its own."""
    if story.place is not None or c.place is None:
        return False
    told = [g for g in groups if any(k is story for k in g.candidates)] or \
        [g for g in groups if g.place is not None and _is_fine(g.place) and _strictly_same_date(g.date, story.date)]
    return bool(told) and all(g.place is not None and _is_fine(g.place) and not _near(g.place, c.place)
                              for g in told)


def _details(c: Candidate) -> bool:
    """Whether a sentence tells details of an attack: its weapons, a claim or casualties."""
    sig = c.sig
    return bool(c.weapons or sig.claim or sig.casualties or sig.no_casualties or sig.no_killed or sig.no_injured)


def _consistent(g: Group, c: Candidate) -> bool:
    return not _conflicts(c, g)


def _distance(g: Group, sent: int) -> tuple[int, int, bool, int]:
    """How far a sentence is from the group's story: sentences to its nearest one, before or
    after (a sentence between two attacks' sentences tells of the nearer); on a tie, the one
    told before it, then (attacks told in one sentence) a site before a region, and the site
    named first."""
    return min((abs(sent - c.sent), 0 if c.sent <= sent else 1, not c.fine,
                c.place_hit.start if c.place_hit is not None else 0) for c in g.candidates)


def _same_weapons(g: Group, c: Candidate) -> bool:
    """Whether a sentence names a weapon type of the attack (a sentence about "the rockets"
    goes to the rocket attack, not to the drone attack told just after it)."""
    own = {w.value for w in c.weapons}
    return bool(own & {w.value for k in g.candidates for w in k.weapons})


def _nearest(groups: list[Group], c: Candidate, ok: Callable[[Group, Candidate], bool],
             reach: int | None = None) -> Group | None:
    """The group just before the candidate that ``ok`` accepts (within ``reach`` sentences);
    without a reach, failing one before, the first one after. Among those within reach, one
    with the candidate's weapons first."""
    before = [g for g in groups if g.first_sent <= c.sent and ok(g, c)]
    if reach is not None:
        before = [g for g in before if _distance(g, c.sent)[0] <= reach]
    if before:
        armed = reach is not None and c.weapons
        return min(before, key=lambda g: (not (armed and _same_weapons(g, c)), _distance(g, c.sent),
                                          -g.first_sent))
    if reach is not None:
        return None
    after = [g for g in groups if ok(g, c)]
    return min(after, key=lambda g: g.first_sent) if after else None


def _two_nearest(groups: list[Group], c: Candidate) -> list[Group]:
    """The two attacks told last before a sentence about both of them."""
    before = [g for g in groups if g.first_sent <= c.sent and not _conflicts(c, g)
              and _distance(g, c.sent)[0] <= PLACELESS_REACH]
    return sorted(before, key=lambda g: (_distance(g, c.sent), -g.first_sent))[:2]


def _group(candidates: list[Candidate], gaz: Any, breaks: frozenset[int] = frozenset(),
           named: list[list[Place]] | None = None) -> list[Group]:
    """``breaks`` are the sentences that end a lead's story (see _story); ``named`` holds the
    places each sentence names, attack sentence or not."""
    groups: list[Group] = []

    def new_group(c: Candidate) -> Group:
        g = Group()
        g.add(c)
        groups.append(g)
        return g

    # Pass 1: candidates whose date is known make the events.
    for c in (c for c in candidates if c.day is not None):
        if c.fine:
            g = next((g for g in groups if _same_place(g, c) and _compatible(g.date, c.date)), None)
            if g is not None:
                g.add(c)
            elif not c.join_only:
                new_group(c)
        elif c.coarse:
            g = next((g for g in groups if _same_area(c.place, g.place) and _strictly_same_date(g.date, c.date)
                      and not _conflicts(c, g)), None) or \
                next((g for g in groups if _same_place(g, c) and _compatible(g.date, c.date)), None)
            if g is not None:
                g.add(c)
            elif not c.join_only:
                new_group(c)
        elif not _leads_in(c, candidates, groups):
            g = _nearest(groups, c, _same_day, PLACELESS_REACH)
            if g is not None:
                g.add(c)
            elif not c.join_only:
                prev = _named_before(groups, c, named, candidates) or _nearest(groups, c, _has_place, PLACELESS_REACH) \
                    or _one_sea(groups, c) or _only_place(groups, c)
                reported = bool(c.weapons or c.sig.verbs)  # "was hit by a rocket", not "the strikes were only a start"
                if prev is not None and c.phrase is not None and reported:
                    # "The base ... came under rocket fire on 3 May": the facility just named;
                    # otherwise ("three civilian trucks"), only the province around it
                    same_site = c.sig.names_facility and prev.place is not None and prev.place.kind == "facility"
                    place = prev.place if same_site else _area_of(prev.place, gaz)
                    # at sea only fire told with its weapons and what it struck is another attack
                    # there ("on 31 December helicopters opened fire on boats"), not a later word on
                    # the damage done nor "US forces destroyed a missile" (on land, somewhere)
                    if place is not None and (place.kind != "sea" or (c.weapons and _struck(c))):
                        g = new_group(c)
                        g.place, g.inherited_place = place, True
    # Pass 2: undated candidates join the attack they speak of, or stand alone when anchored;
    # facilities first, so that a province named alone finds the attack it summarises.
    # A dated sentence without a place of its own that found no attack while only dated places
    # were placed ("The Islamic Resistance said on Telegram it had attacked a base on Sunday")
    # is read with them, in its turn: it joins the attack of its day told nearest to it.
    grouped = {id(c) for g in groups for c in g.candidates}
    leftover = [c for c in candidates if c.day is not None and (c.place is None or c.bare) and id(c) not in grouped]
    undated = sorted([c for c in candidates if c.day is None] + leftover,
                     key=lambda c: (0 if c.fine else 1 if c.coarse and not c.bare else 2, c.sent))
    for c in undated:
        if c.day is not None:
            if any(c is k for g in groups for k in g.candidates):
                continue  # already read with the lead site it dates (_told_next)
            g = _nearest(groups, c, _same_day, PLACELESS_REACH)
            if g is not None and g.date is not None and g.date.date is not None:
                g.add(c)
            elif c.place is None and not c.join_only and c.phrase is not None and bool(c.weapons or c.sig.verbs) \
                    and c.sig.names_facility:
                # "In April, a drone hit a hangar of this airport": the facility the story around it
                # names (in sentences that carry no date), attacked on another day
                prev = _nearest(groups, c, _has_place, PLACELESS_REACH)
                if prev is not None and prev.place is not None and prev.place.kind == "facility":
                    g = new_group(c)
                    g.place, g.inherited_place = prev.place, True
            continue
        if c.fine:
            # "Strikes resumed on Saturday. A destroyer fired missiles at a site near Sanaa": the
            # dated sentence just before tells this attack, not the earlier one at the same place
            g = None if _led_by(candidates, c, groups) else _nearest(groups, c, _same_place)
        elif c.coarse:
            # the attack told of that very region first ("Turkish strikes in northern Iraq" in the
            # headline of strikes on northern Iraq), then one at a site within it
            g = _nearest(groups, c, lambda g, c: g.place is not None and g.place.id == c.place.id
                         and not g.inherited_place and not _conflicts(c, g)) or \
                next((g for g in groups if _same_area(c.place, g.place) and not _conflicts(c, g)), None) or \
                _nearest(groups, c, _same_place)
            if g is None and c.bare and _details(c):
                # a country named in passing ("a coalition backed by Iran claimed it"): the
                # sentence tells of the attack just before, as one without a place would
                g = _nearest(groups, c, _consistent, 2) or _only_attack(groups, c)
        else:
            if c.sig.both is not None:  # "claimed both attacks": a detail of the two just told
                for g in _two_nearest(groups, c):
                    g.add(c)
                continue
            # a claim tells of the attack told last, however many details came between
            g = _nearest(groups, c, _consistent, PLACELESS_REACH if c.sig.claim else 2) or _only_attack(groups, c) \
                or _last_told(candidates, groups, c)
            if g is not None:
                g.add(c)
            elif c.vessel is not None and not c.join_only:
                # another ship named in the story of an attack: another attack, at its place and date
                told = _nearest(groups, c, _has_place, 2)
                if told is not None:
                    g = new_group(c)
                    g.place, g.inherited_place, g.date = told.place, True, told.date
                    g.context.extend(told.context or told.candidates[:1])  # who fired, told there
            continue
        if g is not None:
            g.add(c)
            continue
        story = _story(candidates, c, breaks) if c.phrase is None else None
        if story is not None and not c.weapons and not c.also and _told_elsewhere(story, c, groups):
            continue  # "... had first said the attack was aimed at al-Tanf": another place for it
        if story is None and c.phrase is None and c.also and not c.join_only and c.place is not None:
            # "Hodeidah airport was also hit": another site of the attack told just before
            prev = _nearest(groups, c, lambda g, c: g.place is not None and g.date is not None
                            and g.date.date is not None and g.place.country_code == c.place.country_code
                            and not _conflicts(c, g), PLACELESS_REACH)
            if prev is not None and prev.date is not None:
                g = new_group(c)
                g.date = when.Resolved(prev.date.date, prev.date.precision,
                                       note="no date in the sentence: the date of the attack it adds a site to")
                g.context.extend(prev.context or prev.candidates[:1])
                continue
        if story is None and c.phrase is None and c.coarse and _details(c) \
                and not any(o.sent == c.sent and o is not c for o in candidates):
            # a province only measured from ("a missile hit the ship 50 miles southwest of Aden, CENTCOM
            # said"): the details are the attack's just told, as in a sentence without a place
            g = _nearest(groups, c, _consistent, 2)
            if g is not None:
                g.add(c)
                continue
        told = _told_next(candidates, c, groups, breaks) if story is None and c.phrase is None else None
        if told is not None:
            # "Houthis claim strike on a ship in the Gulf of Aden. The ship was hit last night by
            # two missiles": a lead that names the place, then the dated report of the attack
            g = new_group(c)
            g.add(told)
            continue
        # an undated place with no date word and no story to continue is no event: a place
        # recalled in passing ("the base, targeted many times")
        if not c.join_only and (c.phrase is not None or story is not None):
            g = new_group(c)
            if story is not None and story.date is not None:
                # a detail of the story just told ("US and UK jets struck Yemen on Friday. Explosions
                # were reported in Sanaa"): its date, and who and what it says struck
                g.date = when.Resolved(story.date.date, story.date.precision,
                                       note="no date in the sentence: the date of the attack reported just before")
                g.context.append(story)
                # ... and the weapons the story's next sentences name without a place of their
                # own ("Jets and Tomahawk missiles hit 60 targets"): what struck this site too
                g.context.extend(d for d in candidates if story.sent < d.sent < c.sent and d.weapons
                                 and (d.place is None or d.bare) and d.day is None)
    _absorb_coarse(groups)
    return groups


def _absorb_coarse(groups: list[Group]) -> None:
    """A province or region reported alone joins the facility attack in it on the same day; a
    country ("strikes on targets in Yemen") joins any finer place of it the article reports then."""
    for g in list(groups):
        if g.place is None or _is_fine(g.place) or g.inherited_place:
            continue
        inside = [f for f in groups if f is not g and f.place is not None and _same_area(g.place, f.place)
                  and _compatible(f.date, g.date) and not any(_conflicts(c, f) for c in g.candidates)]
        target = next((f for f in inside if _is_fine(f.place)), None)  # type: ignore[arg-type]
        if target is None and all(c.whole_country for c in g.candidates if c.place is g.place):
            target = next((f for f in inside if f.place is not None and f.place.kind != "country"), None)
        if target is not None:
            for c in g.candidates:
                target.add(c)
            groups.remove(g)

OFFSET_REACH = 45  # characters between a distance's unit and the place it is measured from
UNIT_SPAN = 25  # characters a unit itself may take ("millas náuticas")


def _measured_from(text: str, hit: PlaceHit, start: int, end: int, pack: Pack, hits: list[PlaceHit]) -> str | None:
    """'land' or 'sea' (the unit's kind) when the place only anchors a distance ("à 20 km au
    nord de X", "35 nautical miles south of Mocha", Turkish "Muha limanının 35 deniz mili
    güneyinde"): the site lies off it, not at it."""
    units = pack.distance_units
    if units is None or units.regex is None:
        return None
    if pack.direction_side == "after":  # the place, its number and unit, then the direction
        window = text[hit.end:min(end, hit.end + OFFSET_REACH + UNIT_SPAN)]
        m = next(units.regex.finditer(window), None)
        if m is None:
            return None
        between, count, at = window[:m.start()], window[max(0, m.start() - 20):m.start()], hit.end
    else:  # a number and unit, a direction, then the place
        window = text[max(start, hit.start - OFFSET_REACH - UNIT_SPAN):hit.start]
        found = list(units.regex.finditer(window))
        if not found:
            return None
        m = found[-1]
        between, count = window[m.end():], window[max(0, m.start() - 20):m.start()]  # "une dizaine de"
        at = hit.start - len(between)
    if re.search(r"[.,;:!?()،؛]", between) or len(between.split()) > 8 or len(between) > OFFSET_REACH:
        return None
    if not (re.search(r"\d", count) or (pack.number_regex is not None and pack.number_regex.search(count))):
        return None  # "kilometres of coast": no distance given
    if any(o is not hit and at <= o.start and o.end <= at + len(between) for o in hits):
        return None  # another place stands between: the distance is measured from that one
    return units.value_of(m.group(0))


def _offset_place(text: str, hit: PlaceHit, start: int, end: int, pack: Pack, hits: list[PlaceHit],
                  seas: list[PlaceHit], gaz: Any) -> PlaceHit | None:
    """A place that only anchors a distance: on land the site is near it (ACLED's precision 2);
    at sea (nautical miles, or a sea named in the sentence) the site is the sea the article
    names, else the sea off that town; without one it locates nothing."""
    kind = _measured_from(text, hit, start, end, pack, hits)
    if kind is None:
        return hit
    if kind == "sea" or any(o.place.kind == "sea" for o in hits):
        before = [o for o in seas if o.start < hit.start]
        named = before[-1] if before else next((o for o in seas if o.start > hit.start), None)
        sea = named.place if named is not None else _sea_off(hit.place, gaz)
        return PlaceHit(hit.start, hit.end, hit.surface, sea, [sea]) if sea is not None else None
    return PlaceHit(hit.start, hit.end, hit.surface, hit.place, hit.candidates, near=True)


def _sea_off(place: Place, gaz: Any) -> Place | None:
    """The sea off a coastal place: the one whose reach holds it most surely."""
    if place.lat is None:
        return None
    best: tuple[float, Place] | None = None
    for sea in (p for p in gaz.places if p.kind == "sea" and p.lat is not None and p.tolerance_km):
        share = haversine_km(place.lat, place.lon, sea.lat, sea.lon) / sea.tolerance_km
        if share <= 1 and (best is None or share < best[0]):
            best = (share, sea)
    return best[1] if best else None


@functools.lru_cache(maxsize=4)
def _facilities(gaz: Any) -> tuple[Place, ...]:
    return tuple(p for p in gaz.places if p.kind == "facility" and p.lat is not None)


def _facility_of(text: str, hit: PlaceHit, start: int, pack: Pack, gaz: Any) -> PlaceHit:
    """A town named with a facility word ("les aéroports de Damas et d'Alep", "Hodeidah airport")
    stands for that town's facility of that type, when the gazetteer has one nearby."""
    if pack.facility_nouns is None or hit.place.kind not in ("town", "admin1") or hit.place.lat is None:
        return hit
    before = text[max(start, hit.start - 45):hit.start]
    after = text[hit.end:hit.end + 35]  # "Şam'daki uluslararası havalimanına": a case ending and an adjective
    wanted = [v for m, v in pack.facility_nouns.finditer(before) if not re.search(r"[.;:!?؛]", before[m.end():])]
    wanted += [v for m, v in pack.facility_nouns.finditer(after) if not re.search(r"[.;:!?,]", after[:m.start()])]
    if not wanted:
        return hit
    best = None
    for place in _facilities(gaz):
        if place.type not in wanted:
            continue
        d = haversine_km(hit.place.lat, hit.place.lon, place.lat, place.lon)
        if d <= 35 and (best is None or d < best[0]):
            best = (d, place)
    if best is None:
        return hit
    return PlaceHit(hit.start, hit.end, hit.surface, best[1], [best[1]])


def _governed(text: str, trigger: sg.Hit, pack: Pack) -> bool:
    """Whether an attack word is the object of a word that talks about attacks ("condemned")."""
    if pack.discourse is None:
        return False
    return pack.discourse.search(text, max(0, trigger.start - 35), trigger.start) is not None


def _road_end(text: str, earlier: list[PlaceHit], hit: PlaceHit, pack: Pack) -> bool:
    """The far end of a road ("sur la route Bukamal-Qaïm", "the Qamishli-Qahtaniyah road"): the
    road is located by its first town; the second only names where it leads."""
    if pack.road_nouns is None or not earlier:
        return False
    prev = earlier[-1]
    between = text[prev.end:hit.start]
    # "the road between Abu Kamal and the Iraqi border crossing of al-Qaim": a road named just
    # before its first town may describe its far end at more length
    road_first = pack.road_nouns.search(text[max(0, prev.start - 20):prev.start]) is not None
    if len(between) > (40 if road_first else 12) or re.search(r"[.;:!?،؛]", between):
        return False
    window = text[max(0, prev.start - 30):hit.end + 25]
    return pack.road_nouns.search(window) is not None


def _is_theatre(text: str, hit: PlaceHit, pack: Pack, phrases: list[when.DatePhrase] | None = None) -> bool:
    """A place named as the theatre of a war ("la guerre à Gaza", "the Gaza war"), not a site.
    A date may stand between the place and a war named after it ("Gazze'de 7 Ekim'de başlayan
    savaş", the war that began in Gaza on 7 October): the war begun then."""
    if pack.theatre_nouns is None:
        return False
    end = next((p.end for p in phrases or [] if 0 <= p.start - hit.end <= 5), hit.end)
    ending = re.match(r"['’]?\w{0,4}", text[end:end + 5]) if end != hit.end else None
    end += len(ending.group(0)) if ending else 0  # the date's case ending ("Ekim'de")
    before, after = text[max(0, hit.start - 30):hit.start], text[end:end + 24]
    after = _CASE_ENDING.sub("", after)[:40]  # "Gazze'deki savaş"
    return any(not re.search(r"[.,;:،؛]", before[m.end():]) for m in pack.theatre_nouns.finditer(before)) or \
        any(m.start() <= 1 for m in pack.theatre_nouns.finditer(after))


def _is_motive(text: str, hit: PlaceHit, start: int, phrases: list[when.DatePhrase], pack: Pack) -> bool:
    """A place in the clause that gives an attack's motive ("in response to attacks on ships in
    the Red Sea", "رداً على هجمات ... في البحر الأحمر"): where the attacks answered were, not
    this one. A motive clause with a date of its own tells of an attack, and keeps its place."""
    if pack.motive_after is not None:
        # head-final languages close the clause with it ("Pençe-Kilit bölgesindeki üsse yönelik
        # saldırının ardından", after the attack on the base): the place stands before the marker
        after = text[hit.end:hit.end + 90]
        after = after[:m.start()] if (m := re.search(r"[.,;:!?،؛]", after)) else after
        marker = pack.motive_after.search(after)
        if marker is not None and not any(hit.end <= p.start < hit.end + marker.start() for p in phrases):
            return True
    if pack.motive_markers is None:
        return False
    before = text[max(start, hit.start - 90):hit.start]
    for m in pack.motive_markers.finditer(before):
        between = before[m.end():]
        if re.search(r"[.,;:!?،؛]", between):
            continue
        origin = hit.start - len(before) + m.start()
        if not any(p.start >= origin for p in phrases):
            return True
    return False


def _is_accused(text: str, hit: PlaceHit, pack: Pack) -> bool:
    """A capital or country named as the one accused ("acusaron a Ankara de...", "accusent
    Damas"): the government it stands for, not a site."""
    if pack.suspect is None or hit.place.kind not in ("country", "admin1", "town"):
        return False
    before = text[max(0, hit.start - 30):hit.start]
    return any(len(before) - m.end() <= 3 and not re.search(r"[.,;:!?،؛]", before[m.end():])
               for m in pack.suspect.finditer(before))


def _is_speaker(text: str, hit: PlaceHit, pack: Pack) -> bool:
    """A capital or country that says, denies or comments ("Ankara no lo ha confirmado",
    "Washington n'a pas commenté"): the government speaking, not a site."""
    if pack.speaker_verbs is None or hit.place.kind not in ("country", "admin1", "town"):
        return False
    after = text[hit.end:hit.end + 30]
    m = pack.speaker_verbs.search(after)
    return m is not None and m.start() <= 3 and not after[:m.start()].strip()  # "..., a annoncé X" is X speaking


_NAME_LIST = re.compile(r"(?:\s*[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?\s*(?:,|\s\w{1,3}\s))+\s*")


def _is_neighbour(text: str, hit: PlaceHit, pack: Pack) -> bool:
    """A country named as the neighbour across a border ("nahe der Grenze zu Syrien", "on the
    border with Saudi Arabia", Turkish "Irak sınırına yakın"): it says where the site is not."""
    if hit.place.kind != "country":
        return False
    before = text[max(0, hit.start - 60):hit.start]
    # right after the marker, or further on in a list of names after it ("near the border of
    # Syria, Jordan and Iraq": commas and short joining words between capitalised names)
    if pack.neighbour_markers is not None \
            and any(len(before) - m.end() <= 5 or _NAME_LIST.fullmatch(before[m.end():])
                    for m in pack.neighbour_markers.finditer(before)):
        return True
    after = _CASE_ENDING.sub("", text[hit.end:hit.end + 30])  # "Irak'ın sınırında"
    return pack.neighbour_after is not None and any(m.start() <= 1 for m in pack.neighbour_after.finditer(after))


def _is_origin(text: str, hit: PlaceHit, pack: Pack, hits: list[PlaceHit] | None = None) -> bool:
    """A place fire came from ("tirés depuis le Yémen"), unless it measures a distance ("5 km from"),
    or where the wounded were taken ("evacuated to", "نُقل بعضهم بمروحية إلى قاعدة ...")."""
    before = text[max(0, hit.start - 60):hit.start]
    offset = hit.start - len(before)
    for m in pack.destination_markers.finditer(before) if pack.destination_markers is not None else ():
        between = before[m.end():]
        if not re.search(r"[.;:!?؛]", between) and not _attack_or_target_word(between, pack, targets=False):
            return True
    if pack.origin_after is not None:
        # languages that mark the origin after the name, as a case ending or a postposition
        # ("Yemen'den fırlatılan", "Golan Tepeleri yönünden"), unless a distance follows ("Erbil'den 20 km")
        after = text[hit.end:hit.end + 40]
        m = pack.origin_after.match(after.lstrip())
        if m is not None and not re.search(r"\d", after.lstrip()[m.end():m.end() + 12]):
            return True
    if pack.origin_markers is None:
        return False
    for m in pack.origin_markers.finditer(before):
        if re.search(r"\d", before[max(0, m.start() - 15):m.start()]):
            continue  # "5 km from X" measures a distance
        between = before[m.end():]
        if len(between) <= 4:
            return True
        # "tirés depuis la mer, au large de Tartous": the origin goes on until a
        # clause break, an attack word or a word of direction towards the target
        if not re.search(r"[.;:!?؛]", between) and not _attack_or_target_word(between, pack) \
                and not _origin_named(text, hits or [], offset + m.end(), hit, pack):
            return True
    return False


def _origin_named(text: str, hits: list[PlaceHit], start: int, hit: PlaceHit, pack: Pack) -> bool:
    """Whether the origin was named, and a comma closed it, before ``hit`` ("from the occupied
    Golan, Damascus airport"): the place after the comma is another one, the one struck, unless
    a direction places it by the origin ("from the sea, west of Latakia")."""
    for o in hits:
        if o is hit or not (start <= o.start and o.end <= hit.start):
            continue
        comma = re.search(r"[,،]", text[o.end:hit.start])
        if comma is None:
            continue
        after = text[o.end + comma.end():hit.start]
        if pack.directions is None or not pack.directions.search(after):
            return True
    return False


def _attack_or_target_word(fragment: str, pack: Pack, targets: bool = True) -> bool:
    return any(rx is not None and rx.search(fragment) for rx in (
        pack.attack_verbs.regex if pack.attack_verbs else None,
        pack.attack_nouns.regex if pack.attack_nouns else None,
        pack.target_markers if targets else None))


def _directed(text: str, hit: PlaceHit, pack: Pack) -> bool:
    """Whether a direction word stands next to a country name ("l'est de la Syrie", "Suriah timur")."""
    if pack.directions is None:
        return False
    before, after = text[max(0, hit.start - 25):hit.start], text[hit.end:hit.end + 25]
    # a case ending after an apostrophe ("Irak'ın kuzeyi", "Syria's east") stays with the name
    after = _CASE_ENDING.sub("", after)[:15]
    ahead = any(len(before) - m.end() <= 10 for m in pack.directions.finditer(before))
    behind = any(m.start() <= 2 for m in pack.directions.finditer(after))
    return (ahead and pack.direction_side != "after") or (behind and pack.direction_side != "before")


def _regional(text: str, hit: PlaceHit, pack: Pack, hits: list[PlaceHit]) -> bool:
    """A country named as the area struck: with a direction or after an area word (a province
    after one, "Houthi positions in Saada province", is a place like any other)."""
    return _directed(text, hit, pack) or (hit.place.kind == "country" and _area_named(text, hit, pack, hits))


def _area_named(text: str, hit: PlaceHit, pack: Pack, hits: list[PlaceHit]) -> bool:
    """Whether an area word stands shortly before a country name, in the same clause and with no
    other place between ("strikes on targets in Yemen", "في مناطق سيطرة الحوثيين في اليمن"; not
    "positions in Saada province, on the border with Saudi Arabia")."""
    if pack.area_markers is None:
        return False
    lo = max(0, hit.start - 40)
    before = text[lo:hit.start]
    return any(not re.search(r"[.,;:!?،؛]", before[m.end():])
               # countries listed together share the word ("cibles en Irak et en Syrie")
               and not any(lo + m.end() <= o.start < hit.start for o in hits if o.place.kind != "country")
               and not _origin_before(text, lo + m.start(), pack)
               for m in pack.area_markers.finditer(before))


def _origin_before(text: str, at: int, pack: Pack) -> bool:
    """Whether an origin word stands at most two words before ``at`` ("fired from Houthi-held
    areas", "أُطلق من مناطق سيطرة"): the area is where fire came from."""
    if pack.origin_markers is None:
        return False
    before = text[max(0, at - 30):at]
    return any(len(before[m.end():].split()) <= 2 and not re.search(r"[.,;:!?،؛]", before[m.end():])
               for m in pack.origin_markers.finditer(before))


def _located(text: str, hit: PlaceHit, names: list[sg.Hit], pack: Pack) -> bool:
    """Whether a town whose name is also an actor's ("Ankara" for Turkey) is named as a place:
    the name is the town's alone, right after a word of place ("در آنکارا", "in Ankara")."""
    if pack.locatives is None or hit.place.kind != "town":
        return False
    if not any(n.start <= hit.start and hit.end <= n.end and len(n.text) - len(hit.surface) <= 2 for n in names):
        return False  # a longer name holding the town ("the Islamic Resistance in Iraq")
    before = text[max(0, hit.start - 20):hit.start]
    return any(not before[m.end():].strip() for m in pack.locatives.finditer(before))


def _background(sentence: str, pack: Pack) -> bool:
    """Whether a sentence opens with a word that turns to background ("Напомним", "Earlier,")."""
    return pack.background is not None and pack.background.match(sentence.lstrip()) is not None


def _in(span: tuple[int, int] | None, hit: PlaceHit | when.TimePhrase) -> bool:
    """Whether a place or time is named in the dateline (where the report was filed)."""
    return span is not None and span[0] <= hit.start < span[1]


def _area_of(place: Place | None, gaz: Any) -> Place | None:
    """The province around a place, for an attack located only by its context."""
    if place is None:
        return None
    if place.kind in ("admin1", "country", "sea"):  # a sea is its own area: it has no province
        return place
    if place.admin1:
        return gaz.admin1_place(place.admin1, place.country_code)
    return gaz.country(place.country_code) if place.country_code else None


def _span(doc: Document, start: int, end: int, note: str | None = None) -> Evidence:
    return Evidence(doc.text[start:end], start, end, note)


def _mention(doc: Document, g: Group, sigs: list[sg.Signals | None], n: int, pack: Pack,
             citing: frozenset[int] = frozenset(), sole: sg.ActorHit | None = None) -> Mention:
    text = doc.text
    first = doc.sentences[g.first_sent]
    m = Mention(article=doc.article.id, language=doc.language, published=doc.published,
                outlet=doc.article.outlet, mention_id=f"{doc.article.id}#{n + 1}",
                sentence_start=first.start, sentence_end=first.end)
    ev = m.evidence
    ev["event"] = _span(doc, first.start, first.end)
    # place
    assert g.place is not None
    precision = 1 if g.place.kind in ("facility", "town") else (3 if g.place.kind == "admin1" else None)
    if g.inherited_place and g.place.kind != "facility":
        precision = 3 if g.place.kind == "admin1" else None
    m.location = g.place.to_location(precision)
    if g.place.kind == "country":  # "eastern Syria": the country is known, a point is not
        m.location.latitude = m.location.longitude = None
    near = g.place_hit is not None and g.place_hit.near and not g.inherited_place
    if near and precision == 1:  # "à 20 km au nord de X": near X
        m.location.geo_precision = 2
    if g.place_hit is not None and not g.inherited_place:
        ev["location"] = _span(doc, g.place_hit.start, g.place_hit.end,
                               note="a distance is measured from it: the site is near it" if near else None)
    else:
        ev["location"] = _span(doc, first.start, first.end, note="place not named in the sentence: the site "
                                                                   "(or its province) of the attack reported before")
    # date
    if g.date is not None and g.date.date is not None:
        m.event_date, m.date_precision = g.date.iso, g.date.precision
    if g.phrase is not None:
        ev["event_date"] = _span(doc, g.phrase.start, g.phrase.end, g.date.note if g.date else None)
    elif g.date is not None:
        ev["event_date"] = Evidence("", None, None, g.date.note)
    # weapons: one entry per type, the count stated most precisely
    by_type: dict[str, sg.WeaponHit] = {}
    for c in g.candidates + g.context:
        for w in c.weapons:
            if w.value is None:
                continue
            cur = by_type.get(w.value)
            if cur is None or (cur.count is None and w.count is not None):
                by_type[w.value] = w
    m.weapons = [Weapon(t, w.count) for t, w in by_type.items()]
    for t, w in by_type.items():
        ev[f"weapons.{t}"] = _span(doc, w.start, w.end) if w.count is None else \
            _span(doc, *_count_span(text, w))
    indirect = any(c.sig.indirect_fire for c in g.candidates)
    m.event_type, m.sub_event_type = classify(set(by_type), indirect)
    # actors, claims
    sents = sorted({c.sent for c in g.candidates})
    all_actors = [a for c in g.candidates + g.context if not c.talked for a in c.sig.actors]
    doc_has_full = {a.value for s in sigs if s for a in s.actors if not a.weak}
    usable = [a for a in all_actors if not a.weak or a.value in doc_has_full]
    agents = [a for a in usable if a.role == "agent"]
    claimed = [a for a in agents if a.status == "claimed"]
    sure = [a for a in agents if a.sure]
    # "tués dans une attaque du PKK, l'aviation turque a bombardé ..., a annoncé le ministère
    # turc de la Défense": of two attackers named, the one the cited source speaks for
    spoken = {pack.official_sources.get(h.value or "") for i in sents for h in (sigs[i].sources if sigs[i] else [])}
    own = [a for a in sure if a.value in spoken]
    claim = next((c.sig.claim for c in g.candidates if c.sig.claim), None)
    if pack.verb_final and claim is not None:
        # the claimant is the subject just before the verb of claiming ("İran destekli grupların
        # çatısı olarak bilinen Irak İslami Direnişi üstlendi"), a name before it only describes it
        claimed.sort(key=lambda a: (a.end > claim.start, claim.start - a.end if a.end <= claim.start else a.start))
    chosen = (claimed or own or sure or agents or [None])[0]
    if chosen is None and claim is not None:
        # "an attack the same coalition claimed hours later": the group named before it
        chosen = _earlier_agent(sigs, sents[0])
        if chosen is not None:
            chosen = sg.ActorHit(chosen.start, chosen.end, chosen.text, chosen.value, status="claimed")
    if chosen is None:
        # an article that names one attacker alone tells of its attacks: a recalled strike with
        # no attacker of its own is that attacker's, as attributed ("Israeli missiles struck the
        # airport ... It was hit on October 12 too")
        chosen = sole
        if chosen is not None:
            chosen = sg.ActorHit(chosen.start, chosen.end, chosen.text, chosen.value, status="attributed")
    if chosen is not None:
        m.actor1, m.actor1_status = chosen.value, chosen.status
        ev["actor1"] = _span(doc, chosen.start, chosen.end)
        if m.actor1_status == "claimed":
            m.claimed_by = chosen.value
            if claim is not None:
                ev["claimed_by"] = _span(doc, claim.start, claim.end)
    targets = [t for c in g.candidates for t in c.sig.targets if t.value] + \
              [a for a in usable if a.role == "target"]
    if targets:
        m.actor2 = targets[0].value
        m.target = targets[0].value
        ev["actor2"] = _span(doc, targets[0].start, targets[0].end)
    # sources: this attack's own, then the outlet cited just before when none is named
    seen: list[str] = []
    # then those of the story it details ("US forces struck Iraq and Syria on Friday, CENTCOM
    # said. ... In Syria, jets hit Abu Kamal"): the operation's sources report it too
    story = sorted({c.sent for c in g.context} - set(sents))
    cited = sorted(k + 1 for k in sents + story if k + 1 in citing and k + 1 not in sents)
    def silent(i: int) -> bool:  # "the Pentagon did not comment": a source that reports nothing
        sentence = doc.sentences[i]
        return pack.no_comment is not None and pack.no_comment.search(text, sentence.start, sentence.end) is not None

    for i in sents + story + cited:
        s = sigs[i]
        if silent(i):
            continue
        for h in (s.sources if s else []):
            if h.value and h.value not in seen:
                seen.append(h.value)
                ev[f"reported_via.{len(seen) - 1}"] = _span(doc, h.start, h.end)
    if not any(v[:1].isupper() for v in seen):
        # no outlet named for this attack: the one cited just before speaks for it, and
        # failing any source at all, the first one the article cites
        prev = sigs[sents[0] - 1] if sents[0] > 0 and not silent(sents[0] - 1) else None
        context = [h for h in (prev.sources if prev else []) if h.value and h.value[:1].isupper()]
        note = "cited in the sentence before"
        if not seen and not context:
            context = next((s.sources[:1] for k, s in enumerate(sigs) if s and s.sources and not silent(k)), [])
            note = "the source the article cites first"
        for h in context:
            if h.value not in seen:
                seen.insert(0, h.value)
                ev["reported_via.context"] = _span(doc, h.start, h.end, note=note)
    m.reported_via = seen
    official = next((k for k, v in enumerate(seen) if m.actor1 and pack.official_sources.get(v) == m.actor1), None)
    if m.actor1 and m.actor1_status != "claimed" and official is not None:
        # "the Turkish defence ministry said its jets struck...": the side owns the attack
        m.actor1_status, m.claimed_by = "claimed", m.actor1
        src = ev.get(f"reported_via.{official}") or ev.get("reported_via.context")
        if src is not None:
            ev["claimed_by"] = Evidence(src.text, src.start, src.end, note="reported by a source that speaks for it")
    if m.actor1 is None and "airstrike" in by_type and not any(a.role != "target" for a in usable):
        # "29 targets were destroyed in an air operation, the Turkish defence ministry said": a
        # side's own voice reporting an air strike that names no one else is telling of its own
        k, side = next(((k, pack.official_sources[v]) for k, v in enumerate(seen) if v in pack.official_sources),
                       (None, None))
        src = ev.get(f"reported_via.{k}") or ev.get("reported_via.context")
        if side is not None and side != m.actor2 and src is not None:
            m.actor1, m.actor1_status, m.claimed_by = side, "claimed", side
            note = "an air strike reported by a source that speaks for a side, with no other attacker: its own"
            ev["actor1"] = ev["claimed_by"] = Evidence(src.text, src.start, src.end, note=note)
    # casualties: a stated count, or 0 when the text says there were none
    for c in g.candidates:
        for h in c.sig.casualties if c.casualties is None else c.casualties:
            field_name = "fatalities" if h.kind == "killed" else "injuries"
            if getattr(m, field_name) is None:
                setattr(m, field_name, h.count)
                ev[field_name] = _span(doc, h.start, h.end)
        for attr, hit in (("fatalities", c.sig.no_killed), ("injuries", c.sig.no_injured)):
            if hit and getattr(m, attr) is None:
                setattr(m, attr, 0)
                ev[attr] = _span(doc, hit.start, hit.end)
        if c.sig.no_casualties:
            for attr in ("fatalities", "injuries"):
                if getattr(m, attr) is None:
                    setattr(m, attr, 0)
                    ev[attr] = _span(doc, c.sig.no_casualties.start, c.sig.no_casualties.end)
    hedge = next((c.sig.hedge for c in g.candidates if c.sig.hedge), None)
    if hedge is not None:
        m.hedged = True
        ev["hedged"] = _span(doc, hedge.start, hedge.end)
    return m


def _earlier_agent(sigs: list[sg.Signals | None], before: int) -> sg.ActorHit | None:
    """The group that last claimed an attack before a sentence, else the attacker last named."""
    named = [a for s in sigs[:before + 1] if s for a in s.actors if a.role == "agent" and not a.weak]
    claimants = [a for a in named if a.status == "claimed"]
    return (claimants or named or [None])[-1]


def _sole_agent(candidates: list[Candidate]) -> sg.ActorHit | None:
    """The attacker an article's attack sentences name, when they name one only (by name, not a
    weak word; not in sentences that only talk about strikes)."""
    sents = {c.sent: c.sig for c in candidates if not c.talked}
    named = [a for sig in sents.values() for a in sig.actors if a.role == "agent" and not a.weak]
    return named[0] if named and len({a.value for a in named}) == 1 else None


def _count_span(text: str, w: sg.WeaponHit) -> tuple[int, int]:
    start = max(0, w.start - 40)
    window = text[start:w.start]
    cut = max(window.rfind(","), window.rfind(";"), window.rfind("."), window.rfind(":"), window.rfind("\n"))
    begin = start + cut + 1 if cut >= 0 else start
    while begin < w.start and text[begin].isspace():
        begin += 1
    return begin, w.end
