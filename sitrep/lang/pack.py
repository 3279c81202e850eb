"""Language packs: all language knowledge lives in ``packs/<iso>.yaml``; this code knows no language.

A pack is a mapping of word lists and a few regular expressions. The loader compiles every
list into one alternation regex with word boundaries, longest alternatives first, so that a
category is found with a single ``finditer`` pass per sentence (measured faster here than
one Aho-Corasick automaton per category for the few hundred phrases a pack holds).
``_common.yaml`` holds names that are the same in every language (outlets, platforms) and is
merged into every pack.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PACK_DIR = Path(__file__).parent / "packs"

# Every pack must define these keys (checked by tests/test_packs.py); an empty list is allowed
# where a language has no such words, so a missing key is always a mistake.
REQUIRED_KEYS = (
    "code", "name", "lingua", "abbreviations", "clitics", "boilerplate", "captions", "attack", "weapons", "numbers",
    "vague_quantities", "dates", "hedges", "generic", "citations", "claims", "casualties",
    "tallies", "actors", "targets", "examples", "counted_weapons", "places",
)
# the units a counted date phrase may count in, and their length in days
COUNT_UNITS = {"day": 1, "week": 7}
DATE_KEYS = ("months", "weekdays", "relative", "this_day", "day_month", "numeric_day_month",
             "parts_of_day", "clock", "counted")
# The values of Mention.time_of_day besides a clock time; every pack maps each to its words.
PARTS_OF_DAY = ("night", "morning", "afternoon", "evening")


class PackError(Exception):
    """A language pack file is malformed."""


def _word_regex(phrases: list[str], flags: int = re.IGNORECASE,
                clitics: tuple[str, ...] = ()) -> re.Pattern[str] | None:
    """One regex matching any phrase as whole words. Spaces match any whitespace run;
    apostrophes match both ' and ’ because scraped text mixes them; a phrase ending in ``*``
    matches any ending of its last word (inflected languages: "ракет*"); ``clitics`` are
    letters a language glues to the front of a word (Arabic و، ب، ال), allowed before any phrase."""
    phrases = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not phrases:
        return None
    prefix = ""
    if clitics:
        prefix = "(?:" + "|".join(re.escape(c) for c in sorted(clitics, key=len, reverse=True)) + ")?"
    body = _trie_pattern([_phrase_tokens(p) for p in phrases])
    return re.compile(r"(?<![\w])" + prefix + r"(?:" + body + r")(?![\w])", flags)


def _trie_pattern(token_lists: list[list[str]]) -> str:
    """An alternation of phrases as a trie ("attaque(?:s)?|a(?:ttaqué|...)"): Python's re tries
    every alternative of a flat alternation at every position, which made phrase matching the
    slowest step of extraction; a trie makes it one branch per character."""
    trie: dict[str, dict] = {}
    for tokens in token_lists:
        node = trie
        for tok in tokens:
            node = node.setdefault(tok, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        end = "" in node
        branches = [tok + emit(child) for tok, child in node.items() if tok]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not end else "(?:" + "|".join(branches) + ")"
        if end:  # a phrase ends here and a longer one goes on: try the longer first (greedy ?)
            body = "(?:" + "|".join(branches) + ")?" if len(branches) > 1 else "(?:" + branches[0] + ")?"
        return body

    return emit(trie)


# Arabic-script diacritics (harakat: tanween, shadda, sukun, dagger alef): news writes them
# now and then ("أنّها", "صاروخاً"). A letter a phrase writes bare may carry them in the text; one
# written with them needs them ("مسيّرة", a drone, is not "المسيرة", the Houthi channel).
_HARAKAT = "\u064b-\u065f\u0670"
_HARAKAT_RE = re.compile(f"[{_HARAKAT}]")
# Arabic-script letters written one way or another by outlets of one language: Persian and Arabic
# yeh and kaf, alef maksura, and the Kurdish ae (ە) Kurdish-run Persian sites type for heh. A phrase
# matches either; folding maps them to one, so a match finds its canonical value.
_LETTER_VARIANTS = {"ه": "هە", "ە": "هە", "ی": "یيى", "ي": "یيى", "ى": "یيى", "ک": "کك", "ك": "کك"}
_LETTER_FOLD = str.maketrans({"ە": "ه", "ي": "ی", "ى": "ی", "ك": "ک"})


def _phrase_tokens(phrase: str) -> list[str]:
    """A literal phrase as regex pieces, one per character: any run of spaces for a space,
    either apostrophe for one, and any word ending for a final ``*``; an Arabic-script letter
    written bare may carry diacritics."""
    stem = phrase.endswith("*")
    body = phrase.rstrip("*")
    out: list[str] = []
    for k, ch in enumerate(body):
        if "\u0620" <= ch <= "\u06ff" and not _HARAKAT_RE.match(ch):
            bare = k + 1 == len(body) or not _HARAKAT_RE.match(body[k + 1])
            letter = f"[{_LETTER_VARIANTS[ch]}]" if ch in _LETTER_VARIANTS else re.escape(ch)
            out.append(letter + (f"[{_HARAKAT}]*" if bare else ""))
        elif ch in "'’":
            out.append("['’]")
        elif ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    if stem:
        out.append(r"\w*")
    return out


def _phrase_pattern(phrase: str) -> str:
    return "".join(_phrase_tokens(phrase))


@dataclass
class Lexicon:
    """A named set of phrases mapped to a canonical value, compiled into one regex."""

    regex: re.Pattern[str] | None
    canon: dict[str, str]  # folded phrase -> canonical value
    stems: list[tuple[re.Pattern[str], str]] = field(default_factory=list)  # for inflected matches
    clitics: tuple[str, ...] = ()

    @classmethod
    def build(cls, mapping: dict[str, list[str]], clitics: tuple[str, ...] = ()) -> Lexicon:
        canon: dict[str, str] = {}
        stems: list[tuple[re.Pattern[str], str]] = []
        phrases: list[str] = []
        for value, items in (mapping or {}).items():
            for p in _phrases(items):
                phrases.append(p)
                canon[_fold(p)] = value
                if p.endswith("*"):
                    stems.append((re.compile(_phrase_pattern(p) + "$", re.IGNORECASE), value))
        return cls(_word_regex(phrases, clitics=clitics), canon, stems, clitics)

    def value_of(self, matched: str) -> str | None:
        """The canonical value of a matched text, through clitics and inflected endings."""
        folded = _fold(matched)
        for cand in [folded] + [folded[len(c):] for c in self.clitics if folded.startswith(c)]:
            if cand in self.canon:
                return self.canon[cand]
            for rx, value in self.stems:
                if rx.match(cand):
                    return value
        return None

    def finditer(self, text: str):  # -> Iterator[tuple[re.Match, str]]
        if self.regex is None:
            return
        for m in self.regex.finditer(text):
            value = self.value_of(m.group(0))
            if value is not None:
                yield m, value


def _fold(s: str) -> str:
    # Turkish dotted capital I lowercases to "i" plus a combining dot: fold it to plain "i";
    # Arabic diacritics are no letters
    s = _HARAKAT_RE.sub("", s.replace("’", "'").replace("İ", "i")).translate(_LETTER_FOLD)
    return re.sub(r"\s+", " ", s).strip().lower()


def _phrases(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


@dataclass
class WeaponSense:
    """A weapon word with two senses: ``words`` read as ``source`` are read as ``target`` when the
    sentence has a ``when`` word and no ``unless`` word (German "Raketen" fired at a base are
    rockets, "israelische Raketen" missiles)."""

    words: Lexicon
    source: str
    target: str
    when: re.Pattern[str] | None
    unless: re.Pattern[str] | None


@dataclass
class Pack:
    code: str
    name: str
    lingua: str
    raw: dict[str, Any]
    boilerplate: list[re.Pattern[str]] = field(default_factory=list)
    captions: list[re.Pattern[str]] = field(default_factory=list)
    attack_nouns: Lexicon | None = None
    attack_verbs: Lexicon | None = None
    defence: Lexicon | None = None  # "intercepted", "shot down": an attack happened, its subject defended
    weapons: Lexicon | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    number_regex: re.Pattern[str] | None = None
    vague: re.Pattern[str] | None = None
    hedges: re.Pattern[str] | None = None
    generic: re.Pattern[str] | None = None
    citation_verbs: re.Pattern[str] | None = None
    sources: Lexicon | None = None
    claim: re.Pattern[str] | None = None
    # claims whose words stand apart ("أعلنت [the group]، [when]، استهداف ..."): regexes
    claim_patterns: list[re.Pattern[str]] = field(default_factory=list)
    claim_negated: re.Pattern[str] | None = None
    suspect: re.Pattern[str] | None = None
    agent_markers: re.Pattern[str] | None = None
    target_markers: re.Pattern[str] | None = None
    target_nouns: re.Pattern[str] | None = None
    indirect_fire: re.Pattern[str] | None = None
    discourse: re.Pattern[str] | None = None  # "condemned the attacks": attacks talked about
    both_attacks: re.Pattern[str] | None = None  # "claimed both attacks": the two attacks just told
    also_words: re.Pattern[str] | None = None  # "was also hit": another site of the attack just told
    both_places: re.Pattern[str] | None = None  # "beide Flughäfen": the two places the sentence before names
    more_words: re.Pattern[str] | None = None  # "zwei weitere", "otros dos": more of the weapon just named
    # words right after an actor that make it the one holding the area, not the attacker
    # (Turkish "PKK/YPG'nin işgali altındaki": under the occupation of)
    holder_markers: re.Pattern[str] | None = None
    # words right before an actor that only name something by it ("a group called", "a channel
    # affiliated with"): the actor is neither the attacker nor the side attacked there
    name_markers: re.Pattern[str] | None = None
    # "did not comment", "не комментируют": a sentence naming a source that reports nothing
    no_comment: re.Pattern[str] | None = None
    # a word between a number and a weapon that makes the number a part of them ("одна из ракет")
    partitive: re.Pattern[str] | None = None
    # words opening a sentence that turns to background ("Напомним", "Earlier,"): the lead's date
    # does not reach the places it names
    background: re.Pattern[str] | None = None
    # the verb ends the clause (Turkish, Persian): what is said of an actor ("... gerçekleştirdiği
    # değerlendiriliyor", it is thought they did it) may stand at the clause's end, far after it
    verb_final: bool = False
    killed: re.Pattern[str] | None = None
    injured: re.Pattern[str] | None = None
    no_casualties: re.Pattern[str] | None = None
    no_killed: re.Pattern[str] | None = None
    no_injured: re.Pattern[str] | None = None
    # "at least", "more than" (toll_approximately): words that may stand between a toll's word and its count
    # ("مقتل ما لا يقل عن 16"، "کشته شدن دست‌کم ۱۶ نفر")
    approximately: re.Pattern[str] | None = None
    tallies: list[re.Pattern[str]] = field(default_factory=list)
    actors: Lexicon | None = None
    weak_actors: Lexicon | None = None
    targets: Lexicon | None = None
    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    relative: Lexicon | None = None  # phrase -> index of its rule in relative_rules
    relative_rules: list[dict[str, Any]] = field(default_factory=list)
    this_day: re.Pattern[str] | None = None
    day_month: list[re.Pattern[str]] = field(default_factory=list)
    numeric_day_month: list[re.Pattern[str]] = field(default_factory=list)
    month_year: list[re.Pattern[str]] = field(default_factory=list)  # "in March 2022": month precision
    # a month without a year ("Anfang Januar", "in early January"): month precision, the year
    # from the article's date
    month_alone: list[re.Pattern[str]] = field(default_factory=list)
    # "three days later", "vor zwei Wochen": a counted offset, with its rule (unit, sign, from)
    counted: list[tuple[re.Pattern[str], dict[str, Any]]] = field(default_factory=list)
    # "since", "seit": a month alone after one in its clause starts a period ("since the attacks
    # began in November"), it dates no attack
    period_start: re.Pattern[str] | None = None
    # Dates in the Solar Hijri calendar ("۲۰ شهریور ۱۴۰۰"), converted to Gregorian by when/
    solar_months: dict[str, int] = field(default_factory=dict)
    solar_day_month: list[re.Pattern[str]] = field(default_factory=list)
    weekday_regex: re.Pattern[str] | None = None
    # days of the month written as ordinal words ("في السابع من أكتوبر"): {DAY_WORD} in day_month
    # patterns; day_word_regex says whether a sentence may hold one (explicit dates are looked
    # for only where there is a digit or such a word)
    day_words: dict[str, int] = field(default_factory=dict)
    day_word_regex: re.Pattern[str] | None = None
    parts_of_day: Lexicon | None = None  # "overnight", "à l'aube" -> night, morning, afternoon, evening
    # clock times ("at 10:30 pm", "pukul 21.00"): groups hour, minute (optional), ampm (optional:
    # "pm"/"am" or a part-of-day word, "du soir", "утра")
    clock: list[re.Pattern[str]] = field(default_factory=list)
    event_types: dict[str, str] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)
    abbreviations: set[str] = field(default_factory=set)
    clitics: tuple[str, ...] = ()
    directions: re.Pattern[str] | None = None  # "eastern", "nord-est de", "timur": part of a country
    origin_markers: re.Pattern[str] | None = None  # "from", "depuis", "dari": where fire came from
    origin_after: re.Pattern[str] | None = None  # the same after the name: "Yemen'den", "Golan yönünden"
    # "near the border with", "nahe der Grenze zu": the country after it is the neighbour, no site
    neighbour_markers: re.Pattern[str] | None = None
    # the same words after the name, in languages that put them there ("Irak sınırına yakın")
    neighbour_after: re.Pattern[str] | None = None
    # "evacuated to", "نُقل ... إلى": the place after it is where the wounded were taken, no site
    destination_markers: re.Pattern[str] | None = None
    # "in response to attacks on ships in the Red Sea": the place after it is where the attacks
    # answered took place, not where this one struck
    motive_markers: re.Pattern[str] | None = None
    motive_after: re.Pattern[str] | None = None  # the same, closing the clause after the place (Turkish)
    direction_side: str = "both"  # where a direction stands: before ("eastern Syria"), after ("Suriah timur")
    facility_nouns: Lexicon | None = None  # "aéroport de Damas": the town's facility of that type
    area_markers: re.Pattern[str] | None = None  # "Houthi-held areas of Yemen": the country is the place
    theatre_nouns: re.Pattern[str] | None = None  # "la guerre à Gaza": a war's theatre, not an attack's site
    # "in", "near": a town whose name also stands for a government ("Ankara said") is the town after one
    locatives: re.Pattern[str] | None = None
    road_nouns: re.Pattern[str] | None = None  # "la route Bukamal-Qaïm": the towns only name the road
    # units of a distance measured from a place ("à 20 km au nord de X"), valued land or sea
    # (nautical miles: a ship's position off a coastal town)
    distance_units: Lexicon | None = None
    # verbs after which a capital or country speaks for its government ("Ankara no lo ha confirmado")
    speaker_verbs: re.Pattern[str] | None = None
    counted_weapons: dict[str, tuple[str, int]] = field(default_factory=dict)  # "صاروخين": (missile, 2)
    counted_weapon_regex: re.Pattern[str] | None = None
    official_sources: dict[str, str] = field(default_factory=dict)  # source -> the actor it speaks for
    # words that name two weapons ("Rakete": rocket or missile), read as another type in a
    # context: (the words, from type, to type, context words, words that keep the first type)
    weapon_senses: list[WeaponSense] = field(default_factory=list)

    def lookup(self, table: dict[str, int], matched: str) -> int | None:
        """A month, weekday or number word of this pack, through a glued clitic."""
        folded = _fold(matched)
        if folded in table:
            return table[folded]
        for c in self.clitics:
            if folded.startswith(c) and folded[len(c):] in table:
                return table[folded[len(c):]]
        return None


def _compile_list(patterns: list[str], where: str) -> list[re.Pattern[str]]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p, re.IGNORECASE | re.MULTILINE))
        except re.error as exc:
            raise PackError(f"{where}: bad regular expression {p!r}: {exc}") from exc
    return out


def _expand(template: str, tables: dict[str, str]) -> str:
    """Fill {MONTH}, {WEEKDAY}, {NUMBER} placeholders of a pack regex with alternations."""
    for key, alt in tables.items():
        template = template.replace("{" + key + "}", alt)
    return template


def _each_weekday(phrases: list[str], weekdays: list[str]) -> list[str]:
    """A phrase with a {WEEKDAY} placeholder once per weekday word of the pack ("فجر {WEEKDAY}",
    German "{WEEKDAY}nacht"): the words a part of the day makes with a weekday, without listing them."""
    out: list[str] = []
    for p in phrases:
        if "{WEEKDAY}" in p:
            out.extend(p.replace("{WEEKDAY}", d) for d in weekdays)
        else:
            out.append(p)
    return out


def _alternation(words: list[str]) -> str:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return "(?:" + _trie_pattern([_phrase_tokens(w) for w in words]) + ")"


def load_pack_data(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PackError(f"{path}: a pack must be a mapping")
    return data


@functools.lru_cache(maxsize=1)
def _common() -> dict[str, Any]:
    return load_pack_data(PACK_DIR / "_common.yaml")


def _merge_common(data: dict[str, Any]) -> dict[str, Any]:
    common = _common()
    for section, sub in common.items():
        target = data.setdefault(section, {})
        for key, value in sub.items():
            if isinstance(value, dict):
                merged = dict(value)
                for k, v in (target.get(key) or {}).items():
                    merged[k] = list(merged.get(k, [])) + list(v or [])
                target[key] = merged
            else:
                target[key] = list(target.get(key) or []) + list(value)
    return data


def compile_pack(data: dict[str, Any], where: str = "pack") -> Pack:
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise PackError(f"{where}: missing keys {missing}")
    dates = data["dates"] or {}
    missing = [k for k in DATE_KEYS if k not in dates]
    if missing:
        raise PackError(f"{where}: dates is missing keys {missing}")
    data = _merge_common(data)
    clitics = tuple(_fold(c) for c in _phrases(data["clitics"]))

    def wr(phrases: list[str]) -> re.Pattern[str] | None:
        return _word_regex(phrases, clitics=clitics)

    def lex(mapping: dict[str, list[str]]) -> Lexicon:
        return Lexicon.build(mapping, clitics)

    for table in (data["numbers"] or {}, dates["months"], dates["weekdays"], data["counted_weapons"] or {},
                  dates.get("day_words") or {}):
        odd = [k for k in table if not isinstance(k, str)]
        if odd:  # YAML reads bare yes/no/on/off as booleans: such words must be quoted
            raise PackError(f"{where}: keys {odd!r} are not text; quote them in the YAML")
    numbers = {_fold(k): int(v) for k, v in (data["numbers"] or {}).items()}
    day_words = {_fold(k): int(v) for k, v in (dates.get("day_words") or {}).items()}
    months = {_fold(k): int(v) for k, v in dates["months"].items()}
    weekdays = {_fold(k): int(v) for k, v in dates["weekdays"].items()}
    tables = {
        "MONTH": _alternation(list(months)),
        "WEEKDAY": _alternation(list(weekdays)),
        "DAY_WORD": _alternation(list(day_words)) if day_words else "(?!)",
        # digit groups of three only: "17, 32" is two numbers, "2,500" and "1 000" are one
        "NUMBER": r"(?:\d{1,3}(?:[  .,]\d{3})+(?!\d)|\d+|" + _alternation(list(numbers))[3:],
    }
    attack = data["attack"] or {}
    claims = data["claims"] or {}
    cas = data["casualties"] or {}
    cit = data["citations"] or {}
    pack = Pack(code=data["code"], name=data["name"], lingua=data["lingua"], raw=data)
    pack.boilerplate = _compile_list(data["boilerplate"] or [], f"{where}: boilerplate")
    pack.captions = _compile_list(data["captions"] or [], f"{where}: captions")
    pack.attack_nouns = lex({"noun": _phrases(attack.get("nouns"))})
    pack.attack_verbs = lex({"verb": _phrases(attack.get("verbs"))})
    pack.defence = lex({"defence": _phrases(attack.get("defence"))})
    pack.weapons = lex(data["weapons"] or {})
    pack.numbers = numbers
    # an Arabic preposition joins a number with a tatweel ("بـ١٢ صاروخاً"): the tatweel is no part of a word
    pack.number_regex = re.compile(r"(?<![^\W\u0640])" + tables["NUMBER"] + r"(?![\w])", re.IGNORECASE)
    pack.vague = wr(_phrases(data["vague_quantities"]))
    pack.hedges = wr(_phrases(data["hedges"]))
    pack.generic = wr(_phrases(data["generic"]))
    pack.citation_verbs = wr(_phrases(cit.get("verbs")))
    pack.sources = lex(cit.get("sources") or {})
    pack.claim = wr(_phrases(claims.get("claimed")))
    pack.claim_patterns = _compile_list(_phrases(data.get("claim_patterns")), f"{where}: claim_patterns")
    pack.claim_negated = wr(_phrases(claims.get("negated")))
    pack.suspect = wr(_phrases(claims.get("suspected")))
    pack.agent_markers = wr(_phrases(claims.get("agent_markers")))
    pack.target_markers = wr(_phrases(claims.get("target_markers")))
    pack.target_nouns = wr(_phrases(claims.get("target_nouns")))
    pack.indirect_fire = wr(_phrases(attack.get("indirect_fire")))
    pack.discourse = wr(_phrases(attack.get("discourse")))
    pack.both_attacks = wr(_phrases(data.get("both_attacks")))
    pack.also_words = wr(_phrases(data.get("also_words")))
    pack.both_places = wr(_phrases(data.get("both_places")))
    pack.more_words = wr(_phrases(data.get("more_words")))
    pack.holder_markers = wr(_phrases(data.get("holder_markers")))
    pack.name_markers = wr(_phrases(data.get("name_markers")))
    pack.partitive = wr(_phrases(data.get("partitive")))
    pack.no_comment = wr(_phrases(data.get("no_comment")))
    pack.background = wr(_phrases(data.get("background")))
    pack.verb_final = bool(data.get("verb_final", False))
    pack.killed = wr(_phrases(cas.get("killed")))
    pack.injured = wr(_phrases(cas.get("injured")))
    pack.no_casualties = wr(_phrases(cas.get("none")))
    pack.no_killed = wr(_phrases(cas.get("none_killed")))
    pack.no_injured = wr(_phrases(cas.get("none_injured")))
    pack.approximately = wr(_phrases(data.get("toll_approximately")))
    pack.tallies = _compile_list([_expand(p, tables) for p in data["tallies"] or []], f"{where}: tallies")
    actors = data["actors"] or {}
    pack.actors = lex(actors.get("names") or {})
    pack.weak_actors = lex(actors.get("weak") or {})
    pack.targets = lex(data["targets"] or {})
    pack.months = months
    pack.weekdays = weekdays
    relative_words: dict[str, list[str]] = {}
    for n, rule in enumerate(dates["relative"] or []):
        words = _phrases(rule.get("words"))
        if not words:
            raise PackError(f"{where}: a relative date rule has no words: {rule}")
        relative_words[str(n)] = words
        pack.relative_rules.append({k: v for k, v in rule.items() if k != "words"})
    pack.relative = lex(relative_words)
    pack.this_day = wr(_phrases(dates["this_day"]))
    pack.day_month = _compile_list([_expand(p, tables) for p in dates["day_month"]], f"{where}: day_month")
    pack.numeric_day_month = _compile_list(
        [_expand(p, tables) for p in dates["numeric_day_month"]], f"{where}: numeric_day_month"
    )
    solar = dates.get("solar_hijri") or {}
    pack.solar_months = {_fold(k): int(v) for k, v in (solar.get("months") or {}).items()}
    solar_tables = dict(tables, SOLAR_MONTH=_alternation(list(pack.solar_months)))
    pack.solar_day_month = _compile_list([_expand(p, solar_tables) for p in solar.get("day_month") or []],
                                         f"{where}: solar_hijri.day_month")
    pack.month_year = _compile_list([_expand(p, tables) for p in dates.get("month_year") or []],
                                    f"{where}: month_year")
    pack.month_alone = _compile_list([_expand(p, tables) for p in dates.get("month_alone") or []],
                                     f"{where}: month_alone")
    pack.period_start = wr(_phrases(dates.get("period_start")))
    for rule in dates.get("counted") or []:
        if not isinstance(rule, dict) or rule.get("unit") not in COUNT_UNITS or rule.get("sign") not in (1, -1):
            raise PackError(f"{where}: a counted date rule needs a pattern, a unit ({', '.join(COUNT_UNITS)}) "
                            f"and a sign (1 or -1): {rule}")
        [rx] = _compile_list([_expand(str(rule.get("pattern")), tables)], f"{where}: counted")
        if "n" not in rx.groupindex and not isinstance(rule.get("count"), int):
            raise PackError(f"{where}: counted pattern {rx.pattern!r} has no group 'n' and no fixed count")
        pack.counted.append((rx, {k: v for k, v in rule.items() if k != "pattern"}))
    for rx in pack.month_alone:
        if "month" not in rx.groupindex:
            raise PackError(f"{where}: month_alone pattern {rx.pattern!r} has no group 'month'")
    pack.weekday_regex = wr(list(dates["weekdays"]))
    pack.day_words = day_words
    pack.day_word_regex = wr(list(dates.get("day_words") or {}))
    parts = dates["parts_of_day"] or {}
    if not isinstance(parts, dict) or set(parts) != set(PARTS_OF_DAY):
        raise PackError(f"{where}: dates.parts_of_day must map exactly {', '.join(PARTS_OF_DAY)} to words")
    pack.parts_of_day = lex({b: _each_weekday(_phrases(words), list(dates["weekdays"])) for b, words in parts.items()})
    pack.clock = _compile_list([_expand(p, tables) for p in dates["clock"] or []], f"{where}: clock")
    for rx in pack.clock:
        if "hour" not in rx.groupindex:
            raise PackError(f"{where}: clock pattern {rx.pattern!r} has no group 'hour'")
    pack.examples = list(data["examples"] or [])
    pack.abbreviations = {_fold(a) for a in _phrases(data["abbreviations"])}
    pack.clitics = clitics
    places = data["places"] or {}
    pack.directions = wr(_phrases(places.get("directions")))
    pack.origin_markers = wr(_phrases(places.get("origin_markers")))
    pack.origin_after = wr(_phrases(places.get("origin_after")))
    pack.neighbour_markers = wr(_phrases(places.get("neighbour_markers")))
    pack.neighbour_after = wr(_phrases(places.get("neighbour_after")))
    pack.destination_markers = wr(_phrases(places.get("destination_markers")))
    pack.motive_markers = wr(_phrases(places.get("motive_markers")))
    pack.motive_after = wr(_phrases(places.get("motive_after")))
    pack.direction_side = str(places.get("direction_side") or "both")
    if pack.direction_side not in ("before", "after", "both"):
        raise PackError(f"{where}: places.direction_side must be before, after or both")
    pack.facility_nouns = lex(places.get("facility_nouns") or {})
    pack.theatre_nouns = wr(_phrases(places.get("theatre_nouns")))
    pack.area_markers = wr(_phrases(places.get("area_markers")))
    pack.locatives = wr(_phrases(places.get("locatives")))
    pack.road_nouns = wr(_phrases(places.get("road_nouns")))
    pack.distance_units = lex(places.get("distance_units") or {}) if places.get("distance_units") else None
    pack.speaker_verbs = wr(_phrases(places.get("speaker_verbs")))
    for phrase, spec in (data["counted_weapons"] or {}).items():
        wtype, count = spec
        pack.counted_weapons[_fold(phrase)] = (str(wtype), int(count))
    pack.counted_weapon_regex = wr(list(data["counted_weapons"] or {}))
    weapon_types = set(data["weapons"] or {})
    for n, rule in enumerate(data.get("weapon_senses") or []):
        if not isinstance(rule, dict) or not {"words", "from", "to", "when"} <= set(rule) \
                or not {rule["from"], rule["to"]} <= weapon_types:
            raise PackError(f"{where}: weapon_senses[{n}] needs words, from, to (weapon types) and when")
        pack.weapon_senses.append(WeaponSense(lex({"w": _phrases(rule["words"])}), str(rule["from"]),
                                              str(rule["to"]), wr(_phrases(rule["when"])),
                                              wr(_phrases(rule.get("unless")))))
    pack.official_sources = {src: actor for actor, srcs in (data.get("official_sources") or {}).items()
                             for src in _phrases(srcs)}
    return pack


def available() -> list[str]:
    return sorted(p.stem for p in PACK_DIR.glob("*.yaml") if not p.stem.startswith("_"))


@functools.cache
def get_pack(code: str) -> Pack:
    path = PACK_DIR / f"{code}.yaml"
    if not path.exists():
        raise PackError(f"no language pack for {code!r} (have: {', '.join(available())})")
    return compile_pack(load_pack_data(path), str(path))
