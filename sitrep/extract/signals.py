"""Per-sentence signals found with a language pack: weapons and their counts, actors and
their roles, claims, cited sources, casualties, hedges. Language-blind: every word comes
from the pack."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from sitrep import when
from sitrep.lang.pack import Lexicon, Pack, _fold

_WINDOW = 40  # characters around a word that may govern it (a count, a marker)


@dataclass
class Hit:
    start: int
    end: int
    text: str
    value: str | None = None


@dataclass
class WeaponHit(Hit):
    count: int | None = None


@dataclass
class ActorHit(Hit):
    role: str = "agent"  # agent / target / unknown
    status: str = "attributed"  # claimed / attributed / suspected
    weak: bool = False
    sure: bool = True  # False when the role rests only on word order (a subject before the attack)


@dataclass
class CasualtyHit(Hit):
    kind: str = "killed"  # killed / injured
    count: int | None = None


@dataclass
class Signals:
    triggers: list[Hit] = field(default_factory=list)
    verbs: list[Hit] = field(default_factory=list)  # the triggers that are attack verbs
    weapons: list[WeaponHit] = field(default_factory=list)
    indirect_fire: list[Hit] = field(default_factory=list)
    actors: list[ActorHit] = field(default_factory=list)
    targets: list[Hit] = field(default_factory=list)
    claim: Hit | None = None
    claim_negated: bool = False
    sources: list[Hit] = field(default_factory=list)
    casualties: list[CasualtyHit] = field(default_factory=list)
    hurt: bool = False  # words for killed or wounded, counted or not ("more than 40 others were wounded")
    no_casualties: Hit | None = None
    no_killed: Hit | None = None
    no_injured: Hit | None = None
    hedge: Hit | None = None
    generic: Hit | None = None
    names_facility: bool = False  # "the base", "cette base": a site named by its kind
    both: Hit | None = None  # "both attacks", "les deux opérations": it tells of the two attacks just told
    intercepted: bool = False  # a word of interception ("shot down"): the weapons counted are the defeated ones
    # "zwei weitere", "otros dos", "deux autres": more of the weapon just named, counted
    more_weapons: list[WeaponHit] = field(default_factory=list)


class Scanner:
    """Each pattern runs once over the whole article and its hits are sliced per sentence:
    one pass per pattern instead of one per sentence and pattern (a third of extraction time
    went to calling the same regexes sentence by sentence)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._done: dict[int, tuple[list[int], list[tuple[int, int, str]]]] = {}

    def _all(self, rx: re.Pattern[str]) -> tuple[list[int], list[tuple[int, int, str]]]:
        key = id(rx)
        if key not in self._done:
            found = [(m.start(), m.end(), m.group(0)) for m in rx.finditer(self.text)]
            self._done[key] = ([f[0] for f in found], found)
        return self._done[key]

    def matches(self, rx: re.Pattern[str] | None, start: int, end: int) -> list[tuple[int, int, str]]:
        if rx is None:
            return []
        starts, found = self._all(rx)
        i = bisect.bisect_left(starts, start)
        out = []
        while i < len(found) and found[i][0] < end:
            if found[i][1] <= end:
                out.append(found[i])
            i += 1
        return out

    def lex(self, lexicon: Lexicon | None, start: int, end: int) -> list[tuple[int, int, str, str]]:
        if lexicon is None:
            return []
        out = []
        for s, e, t in self.matches(lexicon.regex, start, end):
            value = lexicon.value_of(t)
            if value is not None:
                out.append((s, e, t, value))
        return out


# weapons one attack uses one of: "a drone strike" tells of one drone, "a rocket attack" of a salvo
ONE_PER_ATTACK = frozenset({"drone", "unmanned surface vessel"})
MAX_COUNT = 100_000  # the largest count read as one: weapons, casualties, attacks in a tally


def parse_number(token: str, pack: Pack) -> int | None:
    """A count written in digits ("30", "1 000", "2,500") or words ("deux", "tiga puluh")."""
    token = token.strip()
    digits = re.sub(r"[\s  .,]", "", token)
    if digits.isdigit():
        # "10 000 000 roquettes" is a figure of speech or a typo, not a count anyone reported
        return int(digits) if int(digits) <= MAX_COUNT else None
    return pack.lookup(pack.numbers, token)


def _count_before(text: str, start: int, pack: Pack, stop_at: int) -> int | None:
    """The count written right before a weapon word ("30 roquettes", "tiga drone",
    "deux nouvelles roquettes"), allowing one adjective in between."""
    before = text[max(stop_at, start - _WINDOW):start]
    if pack.number_regex is None or not before.strip():
        return None
    candidates = list(pack.number_regex.finditer(before))
    if not candidates:
        return None
    last = candidates[-1]
    gap = before[last.end():]
    # at most one word between the number and the weapon ("deux nouvelles roquettes"), no
    # clause break, and not a noun that the number counts instead ("une attaque de missiles")
    if re.search(r"[,;:.()،؛]", gap) or len(gap.split()) > 1:
        return None
    for rx in (pack.vague, pack.attack_nouns.regex if pack.attack_nouns else None):
        if rx is not None and rx.search(gap):
            return None
    if pack.partitive is not None and pack.partitive.fullmatch(gap.strip()):
        return None  # "one of the rockets fell": a part of them, not how many were fired
    count = parse_number(last.group(0), pack)
    # "1400" is a year, not a salvo; "0 drones" says none were fired
    return None if count is not None and not 1 <= count < 1000 else count


def weapons(scan: Scanner, start: int, end: int, pack: Pack) -> list[WeaponHit]:
    text = scan.text
    out: list[WeaponHit] = []
    if pack.weapons is None:
        return out
    taken: list[tuple[int, int]] = []
    if pack.counted_weapon_regex is not None:
        for s, e, t in scan.matches(pack.counted_weapon_regex, start, end):
            spec = pack.counted_weapons.get(_fold(t))
            if spec is None:
                spec = next((v for k, v in pack.counted_weapons.items()
                             if any(_fold(t) == c + k for c in pack.clitics)), None)
            if spec is not None:
                # "20 طائرة مسيرة": a number before the counted word wins over its own count
                count = _count_before(text, s, pack, start) or spec[1]
                out.append(WeaponHit(s, e, t, spec[0], count=count))
                taken.append((s, e))
    for s, e, _t, value in scan.lex(pack.weapons, start, end):
        if any(a < e and s < b for a, b in taken):
            continue
        # "a rocket attack", "two drone strikes": the number counts attacks, not weapons
        modifier = any(0 <= ns - e <= 2 for ns, _ne, _t, _v in scan.lex(pack.attack_nouns, e, min(end, e + 40)))
        count = _count_before(text, s, pack, start)
        if modifier and not (count == 1 and value in ONE_PER_ATTACK):
            count = None  # ... but "a drone strike" is one drone
        out.append(WeaponHit(s, e, text[s:e], value, count=count))
    # in the order written: the first count of a type is the one an attack reports ("three
    # missiles ..., the destroyer downed the other two"), duals being found in a pass of their own
    out.sort(key=lambda w: w.start)
    for sense in pack.weapon_senses:
        ambiguous = [w for w in out if w.value == sense.source and sense.words.value_of(w.text) is not None]
        if ambiguous and scan.matches(sense.when, start, end) and not scan.matches(sense.unless, start, end):
            for w in ambiguous:
                w.value = sense.target
    return out


def _hits(rx: re.Pattern[str] | None, scan: Scanner, start: int, end: int) -> list[Hit]:
    return [Hit(s, e, t) for s, e, t in scan.matches(rx, start, end)]


def _first(rx: re.Pattern[str] | None, scan: Scanner, start: int, end: int) -> Hit | None:
    hits = _hits(rx, scan, start, end)
    return hits[0] if hits else None


def _ends_with(rx: re.Pattern[str] | None, window: str, slack: int = 3, clause: bool = False) -> bool:
    """Whether ``rx`` matches within ``slack`` characters of the window's end (with ``clause``,
    and no clause break after it)."""
    if rx is None:
        return False
    return any(len(window) - m.end() <= slack and not (clause and re.search(r"[,;:.،؛]", window[m.end():]))
               for m in rx.finditer(window))


def actors(scan: Scanner, start: int, end: int, pack: Pack, triggers: list[Hit], verbs: list[Hit],
           claim: Hit | None, target_spans: list[Hit], defence: list[Hit] | None = None) -> list[ActorHit]:
    """Actors named in the sentence with their role: the attacker (agent) or the side attacked."""
    text = scan.text
    out: list[ActorHit] = []
    taken: list[tuple[int, int]] = []
    for lex, weak in ((pack.actors, False), (pack.weak_actors, True)):
        if lex is None:
            continue
        for s, e, _t, value in scan.lex(lex, start, end):
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out.append(ActorHit(s, e, text[s:e], value, weak=weak))
    first_trigger = min((t.start for t in triggers), default=end)
    # who intercepts ("اعترضت مدمرة أمريكية") defends: no attack word makes it the attacker
    not_agentive = verbs + (defence or [])
    for a in out:
        before = text[max(start, a.start - _WINDOW):a.start]
        after = text[a.end:min(end, a.end + 30)]
        in_target = any(t.start <= a.start and a.end <= t.end for t in target_spans)
        trigger_before = any(t.end <= a.start and a.start - t.end <= 60 for t in triggers)
        verb_after = any(t.start >= a.end and t.start - a.end <= 30 for t in verbs)
        if _ends_with(pack.name_markers, before):
            a.role = "unknown"  # "گروهی موسوم به «...»", "قناة المسيرة التابعة للحوثيين": a name, no role
        # "la base de l'armée américaine", not "contre une base du nord de l'Irak, l'aviation turque"
        # ... not the last word of a motive marker ("balasan atas serangan udara AS": in answer to)
        elif (_ends_with(pack.target_markers, before) and not _ends_with(pack.motive_markers, before)) \
                or _ends_with(pack.target_nouns, before, slack=25, clause=True):
            a.role = "target"
        elif _ends_with(pack.agent_markers, before) and trigger_before:
            a.role = "agent"  # "ciblée par deux roquettes de la Résistance"
        elif verb_after and not re.search(r"[.;,،؛]", after):
            a.role = "agent"  # the subject of an attack verb
        elif any(t.start < a.end and a.start < t.end for t in triggers):
            a.role = "agent"  # the name holds the attack: "frappe américaine", "Turkish drones"
        elif any(0 <= a.start - t.end <= 15 and not re.search(r"[,;:.،؛]", text[t.end:a.start])
                 for t in triggers if not any(v.start == t.start for v in not_agentive)) and not in_target:
            # right after an attack noun: "serangan AS", "attacks by"; not the owner of what was
            # hit ("o saldırıda ABD konsolosluğu", the US consulate in that attack)
            a.role = "agent"
        elif in_target or _is_target_name(a, target_spans):
            a.role = "target"
        elif a.end <= first_trigger and not _speaks(pack, text, a, first_trigger) \
                and (not a.weak or _opens_clause(text, start, a)):
            a.role, a.sure = "agent", False  # named before the attack, as its subject (not its speaker)
        else:
            a.role = "unknown"
        if _holds(pack, text, a, end):
            a.role = "unknown"  # "PKK/YPG'nin işgali altındaki": who holds the area, not who struck
        if a.role == "agent" and _in_motive(pack, text, a, start, end):
            a.role = "unknown"  # "en represalia por los bombardeos de Estados Unidos": the attack answered
    if claim is not None:
        # a claim makes its author of the actor without a role nearest to it, not of every one
        # named around it ("... claimed both attacks, calling them a response to US support for
        # Israel"), nor of the one its motive answers ("رداً على جرائم الاحتلال")
        loose = [a for a in out if a.role == "unknown" and _gap(a, claim) <= 120
                 and not _in_motive(pack, text, a, start, end, dated=False)]
        if loose:
            min(loose, key=lambda a: _gap(a, claim)).role = "agent"
    for a in out:
        window = text[max(start, a.start - 50):min(end, a.end + 30)]
        if pack.verb_final:  # the clause's verb, at its end, says what is thought of the actor
            window = text[max(start, a.start - 50):_clause_end(text, a.end, end)]
        if pack.suspect is not None and pack.suspect.search(window):
            a.status = "suspected"
        if claim is not None and a.role == "agent" and abs(claim.start - a.end) <= 120:
            a.status = "claimed"
    # "US and UK forces struck", "США и Великобритания нанесли": a name joined by one short word to
    # the subject of the attack is a subject too, the first named
    ordered = sorted(out, key=lambda h: h.start)
    for a, b in zip(reversed(ordered[:-1]), reversed(ordered[1:]), strict=True):
        gap = text[a.end:b.start]
        if b.role == "agent" and b.sure and a.role in ("agent", "unknown") and len(gap) <= 6 \
                and len(gap.split()) == 1 and not re.search(r"[.,;:()،؛]", gap):
            a.role, a.sure, a.status = "agent", True, b.status
    return out


def motive_spans(text: str, start: int, end: int, pack: Pack) -> list[tuple[int, int]]:
    """The clauses giving an attack's motive, from their marker to the clause's end ("in response
    to the drone attack of 28 January on Tower 22, ...")."""
    if pack.motive_markers is None:
        return []
    out = []
    for m in pack.motive_markers.finditer(text, start, end):
        out.append((m.start(), _clause_end(text, m.end(), end)))
    return out


_CLAUSE_BREAK = re.compile(r"[.,;:!?،؛]")


def _is_day(text: str, at: int | None, end: int, pack: Pack) -> bool:
    """Whether the number at ``at`` is the day of a date ("۴ دی ماه", "7 أكتوبر"), no count."""
    if at is None:
        return False
    m = re.match(r"\w+\s+(\w+)(?:\s+(\w+))?", text[at:end])
    if m is None:
        return False
    words = [m.group(1)] + ([f"{m.group(1)} {m.group(2)}"] if m.group(2) else [])
    return any(pack.lookup(table, w) is not None for w in words for table in (pack.months, pack.solar_months))


def _gap(a: Hit, b: Hit) -> int:
    return max(0, a.start - b.end, b.start - a.end)


def _in_motive(pack: Pack, text: str, a: Hit, start: int, end: int, dated: bool = True) -> bool:
    """Whether an actor or weapon stands in the clause giving the motive of an attack ("in
    retaliation for US air strikes"): the author or arms of the attack answered, not of this one.
    A motive clause with a date of its own ("en réponse à la frappe américaine d'hier") tells
    that attack, and keeps them, unless ``dated`` is off (a claim answers no attack it recalls)."""
    if pack.motive_markers is None:
        return False
    origin = max(start, a.start - 60)
    before = text[origin:a.start]
    for m in pack.motive_markers.finditer(before):
        if not re.search(r"[,;:،؛]", before[m.end():]):  # a full stop inside a sentence abbreviates ("U.S.")
            if not dated:
                return True
            # ("the recent US air strikes" has no day of its own)
            own = when.spot(text, origin + m.start(), _clause_end(text, a.end, end), pack)
            return not any(p.precision == "day" for p in own)
    return False


def _clause_end(text: str, start: int, end: int) -> int:
    m = _CLAUSE_BREAK.search(text, start, end)
    return m.start() if m else end


def _holds(pack: Pack, text: str, a: ActorHit, end: int) -> bool:
    """Whether words right after the actor say it holds the area ("under the occupation of")."""
    if pack.holder_markers is None:
        return False
    after = text[a.end:min(end, a.end + 25)]
    m = pack.holder_markers.search(after)
    return m is not None and m.start() <= 12 and not re.search(r"[,;:.،؛]", after[:m.start()])


def _opens_clause(text: str, start: int, a: ActorHit) -> bool:
    """A short name ("la Résistance") counts as a subject only at the head of its clause."""
    head = text[start:a.start]
    cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"))
    return not head[cut + 1:].strip()


def _speaks(pack: Pack, text: str, a: ActorHit, until: int) -> bool:
    """Whether the actor is the one telling ("a Houthi leader confirmed that ... was targeted")."""
    if pack.citation_verbs is None:
        return False
    return pack.citation_verbs.search(text, a.end, min(until, a.end + 40)) is not None


def _is_target_name(a: ActorHit, target_spans: list[Hit]) -> bool:
    return any(t.value == a.value for t in target_spans)


def casualties(scan: Scanner, start: int, end: int, pack: Pack) -> list[CasualtyHit]:
    text = scan.text
    """Counts of killed and injured: "two soldiers were wounded", "tuant trois civils"."""
    out: list[CasualtyHit] = []
    used: set[int] = set()  # a number counts one group of victims ("3 killed and others wounded")
    for rx, kind in ((pack.killed, "killed"), (pack.injured, "injured")):
        for h in _hits(rx, scan, start, end):
            count = None
            at = None
            before = text[max(start, h.start - 60):h.start]  # room for a subject of seven words
            after = text[h.end:min(end, h.end + 30)]
            nums_before = list(pack.number_regex.finditer(before)) if pack.number_regex else []
            nums_after = list(pack.number_regex.finditer(after)) if pack.number_regex else []
            # right after it, with no word between ("killed three", not "killed and four wounded")
            head = after[:nums_after[0].start()] if nums_after else ""
            if pack.approximately is not None:  # "killed at least 16": the count all the same
                head = pack.approximately.sub("", head, count=1)
            if nums_after and len(head) <= 3 and not re.search(r"[\w,;:.،؛]", head):
                count, at = parse_number(nums_after[0].group(0), pack), h.end + nums_after[0].start()
            elif nums_before:
                last = nums_before[-1]
                gap = before[last.end():]
                # a vague word between the number and the word ("2 soldiers and several civilians
                # wounded") leaves it uncounted; one before the number ("dont des civils, et de 25
                # blessés") does not
                vague = pack.vague is not None and pack.vague.search(gap)
                # "dos trabajadores del aeropuerto de Damasco resultaron heridos", "دو نظامی سوری نیز
                # در این حمله زخمی شدند": a longer subject, unless the number counts weapons ("tres
                # misiles cayeron e hirieron")
                counts_weapons = pack.weapons is not None and pack.weapons.regex is not None \
                    and pack.weapons.regex.match(gap.lstrip()) is not None
                words = len(gap.split())
                near = words <= 4 or (words <= 7 and not counts_weapons)
                if near and not vague and not re.search(r"[,;:.،؛()]", gap):
                    count, at = parse_number(last.group(0), pack), h.start - len(before) + last.start()
            if count is not None and (at in used or _is_day(text, at, end, pack)):
                count = None
            if count is not None:
                used.add(at)
                out.append(CasualtyHit(h.start, h.end, text[h.start:h.end], kind=kind, count=count))
    return out


def find(scan: Scanner, start: int, end: int, pack: Pack) -> Signals:
    sig = Signals()
    verbs: list[Hit] = []
    defence: list[Hit] = []
    sig.sources = [Hit(s, e, t, value) for s, e, t, value in scan.lex(pack.sources, start, end)]
    for lex in (pack.attack_nouns, pack.attack_verbs, pack.defence):
        for s, e, t, _v in scan.lex(lex, start, end):
            if any(h.start <= s and e <= h.end for h in sig.sources):
                continue  # a word of a source's name ("UK Maritime Trade Operations"), no attack
            hit = Hit(s, e, t)
            sig.triggers.append(hit)
            if lex is pack.attack_verbs:
                verbs.append(hit)
            elif lex is pack.defence:
                defence.append(hit)
    sig.verbs = verbs
    sig.intercepted = bool(defence)
    sig.weapons = [w for w in weapons(scan, start, end, pack) if not _in_motive(pack, scan.text, w, start, end)]
    sig.indirect_fire = _hits(pack.indirect_fire, scan, start, end)
    # "tirées depuis un camion": what fire came from is no target, nor is the side the attack
    # answered hit in a motive clause ("in response to the attack that killed three US soldiers")
    motives = motive_spans(scan.text, start, end, pack)
    sig.targets = [Hit(s, e, t, value) for s, e, t, value in scan.lex(pack.targets, start, end)
                   if not _ends_with(pack.origin_markers, scan.text[max(start, s - 30):s], slack=5)
                   and not any(a <= s < b for a, b in motives)]
    negated = _first(pack.claim_negated, scan, start, end)
    sig.claim_negated = negated is not None
    if not sig.claim_negated:
        sig.claim = _first(pack.claim, scan, start, end)
        for rx in pack.claim_patterns if sig.claim is None else ():
            m = rx.search(scan.text, start, end)
            if m is not None:
                sig.claim = Hit(m.start(), m.end(), m.group(0))
                break
    sig.actors = actors(scan, start, end, pack, sig.triggers + sig.weapons, verbs, sig.claim, sig.targets, defence)
    if defence and len(defence) == len(sig.triggers):
        # "all of them were shot down by US and British ships": the side named with an
        # interception, not in a weapon's name ("Houthi drones"), is the defender
        for a in sig.actors:
            if a.role == "agent" and not any(w.start <= a.start and a.end <= w.end for w in sig.weapons):
                a.role = "unknown"
    sig.casualties = casualties(scan, start, end, pack)
    sig.hurt = bool(sig.casualties or scan.matches(pack.killed, start, end) or scan.matches(pack.injured, start, end))
    sig.no_casualties = _first(pack.no_casualties, scan, start, end)
    sig.no_killed = _first(pack.no_killed, scan, start, end)
    sig.no_injured = _first(pack.no_injured, scan, start, end)
    denials = [h for h in (sig.no_casualties, sig.no_killed, sig.no_injured) if h is not None]
    # "no one was injured or killed": the "one" there counts nobody
    sig.casualties = [c for c in sig.casualties if not any(d.start <= c.start < d.end for d in denials)]
    sig.hedge = _first(pack.hedges, scan, start, end)
    sig.generic = _first(pack.generic, scan, start, end)
    sig.names_facility = bool(scan.matches(pack.target_nouns, start, end))
    sig.both = _first(pack.both_attacks, scan, start, end)
    sig.more_weapons = _more_weapons(scan, start, end, pack, sig.weapons)
    return sig


def _more_weapons(scan: Scanner, start: int, end: int, pack: Pack, named: list[WeaponHit]) -> list[WeaponHit]:
    """"zwei weitere", "otros dos", "two more": a count of the weapon named just before, with
    no noun of its own (not "tres más resultaron heridos": the casualty words count people)."""
    if pack.more_words is None or pack.number_regex is None or not named:
        return []
    out = []
    text = scan.text
    for s, e, _t in scan.matches(pack.more_words, start, end):
        before, after = text[max(start, s - 20):s], text[e:min(end, e + 20)]
        m = next((m for m in pack.number_regex.finditer(before) if not before[m.end():].strip()), None)
        n = pack.number_regex.match(after.lstrip()) if m is None else None
        number = m.group(0) if m is not None else n.group(0) if n is not None else None
        prior = [w for w in named if w.end <= s]
        if number is None or not prior:
            continue
        tail = text[e:min(end, e + 40)]
        if any(rx is not None and rx.match(tail.lstrip()) for rx in (pack.killed, pack.injured)):
            continue
        count = parse_number(number, pack)
        if count is not None and count >= 1:  # "0 more" is none more
            out.append(WeaponHit(s, e, text[s:e], prior[-1].value, count=count))
    return out
