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
    "code", "name", "lingua", "abbreviations", "boilerplate", "captions", "attack", "weapons", "numbers",
    "vague_quantities", "dates", "hedges", "generic", "citations", "claims", "casualties",
    "tallies", "actors", "targets", "negations", "examples",
)
DATE_KEYS = ("months", "weekdays", "relative", "this_day", "day_month", "numeric_day_month")


class PackError(Exception):
    """A language pack file is malformed."""


def _word_regex(phrases: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    """One regex matching any phrase as whole words. Spaces match any whitespace run;
    apostrophes match both ' and ’ because scraped text mixes them."""
    phrases = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not phrases:
        return None
    parts = []
    for p in phrases:
        parts.append(_phrase_pattern(p))
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", flags)


def _phrase_pattern(phrase: str) -> str:
    """A literal phrase as a regex: any run of spaces for a space, either apostrophe for one."""
    out = []
    for ch in phrase:
        if ch in "'’":
            out.append("['’]")
        elif ch.isspace():
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out).replace(r"\s+\s+", r"\s+")


@dataclass
class Lexicon:
    """A named set of phrases mapped to a canonical value, compiled into one regex."""

    regex: re.Pattern[str] | None
    canon: dict[str, str]  # lowercased phrase -> canonical value

    @classmethod
    def build(cls, mapping: dict[str, list[str]]) -> Lexicon:
        canon: dict[str, str] = {}
        for value, phrases in (mapping or {}).items():
            for p in phrases or []:
                canon[_fold(p)] = value
        return cls(_word_regex(list((mapping and [p for ps in mapping.values() for p in ps or []]) or [])), canon)

    def finditer(self, text: str):  # -> Iterator[tuple[re.Match, str]]
        if self.regex is None:
            return
        for m in self.regex.finditer(text):
            value = self.canon.get(_fold(m.group(0)))
            if value is not None:
                yield m, value


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'")).strip().lower()


def _phrases(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


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
    weapons: Lexicon | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    number_regex: re.Pattern[str] | None = None
    vague: re.Pattern[str] | None = None
    hedges: re.Pattern[str] | None = None
    generic: re.Pattern[str] | None = None
    citation_verbs: re.Pattern[str] | None = None
    sources: Lexicon | None = None
    claim: re.Pattern[str] | None = None
    claim_negated: re.Pattern[str] | None = None
    suspect: re.Pattern[str] | None = None
    agent_markers: re.Pattern[str] | None = None
    target_markers: re.Pattern[str] | None = None
    target_nouns: re.Pattern[str] | None = None
    indirect_fire: re.Pattern[str] | None = None
    killed: re.Pattern[str] | None = None
    injured: re.Pattern[str] | None = None
    no_casualties: re.Pattern[str] | None = None
    no_killed: re.Pattern[str] | None = None
    no_injured: re.Pattern[str] | None = None
    tallies: list[re.Pattern[str]] = field(default_factory=list)
    actors: Lexicon | None = None
    weak_actors: Lexicon | None = None
    targets: Lexicon | None = None
    negations: re.Pattern[str] | None = None
    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    relative: list[tuple[re.Pattern[str], dict[str, Any]]] = field(default_factory=list)
    this_day: re.Pattern[str] | None = None
    day_month: list[re.Pattern[str]] = field(default_factory=list)
    numeric_day_month: list[re.Pattern[str]] = field(default_factory=list)
    weekday_regex: re.Pattern[str] | None = None
    time_of_day: re.Pattern[str] | None = None
    event_types: dict[str, str] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)
    abbreviations: set[str] = field(default_factory=set)


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


def _alternation(words: list[str]) -> str:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(_phrase_pattern(w) for w in words) + ")"


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
    numbers = {_fold(k): int(v) for k, v in (data["numbers"] or {}).items()}
    months = {_fold(k): int(v) for k, v in dates["months"].items()}
    weekdays = {_fold(k): int(v) for k, v in dates["weekdays"].items()}
    tables = {
        "MONTH": _alternation(list(months)),
        "WEEKDAY": _alternation(list(weekdays)),
        "NUMBER": r"(?:\d[\d  .,]*\d|\d|" + _alternation(list(numbers))[3:],
    }
    attack = data["attack"] or {}
    claims = data["claims"] or {}
    cas = data["casualties"] or {}
    cit = data["citations"] or {}
    pack = Pack(code=data["code"], name=data["name"], lingua=data["lingua"], raw=data)
    pack.boilerplate = _compile_list(data["boilerplate"] or [], f"{where}: boilerplate")
    pack.captions = _compile_list(data["captions"] or [], f"{where}: captions")
    pack.attack_nouns = Lexicon.build({"noun": _phrases(attack.get("nouns"))})
    pack.attack_verbs = Lexicon.build({"verb": _phrases(attack.get("verbs"))})
    pack.weapons = Lexicon.build(data["weapons"] or {})
    pack.numbers = numbers
    pack.number_regex = re.compile(r"(?<![\w])" + tables["NUMBER"] + r"(?![\w])", re.IGNORECASE)
    pack.vague = _word_regex(_phrases(data["vague_quantities"]))
    pack.hedges = _word_regex(_phrases(data["hedges"]))
    pack.generic = _word_regex(_phrases(data["generic"]))
    pack.citation_verbs = _word_regex(_phrases(cit.get("verbs")))
    pack.sources = Lexicon.build(cit.get("sources") or {})
    pack.claim = _word_regex(_phrases(claims.get("claimed")))
    pack.claim_negated = _word_regex(_phrases(claims.get("negated")))
    pack.suspect = _word_regex(_phrases(claims.get("suspected")))
    pack.agent_markers = _word_regex(_phrases(claims.get("agent_markers")))
    pack.target_markers = _word_regex(_phrases(claims.get("target_markers")))
    pack.target_nouns = _word_regex(_phrases(claims.get("target_nouns")))
    pack.indirect_fire = _word_regex(_phrases(attack.get("indirect_fire")))
    pack.killed = _word_regex(_phrases(cas.get("killed")))
    pack.injured = _word_regex(_phrases(cas.get("injured")))
    pack.no_casualties = _word_regex(_phrases(cas.get("none")))
    pack.no_killed = _word_regex(_phrases(cas.get("none_killed")))
    pack.no_injured = _word_regex(_phrases(cas.get("none_injured")))
    pack.tallies = _compile_list([_expand(p, tables) for p in data["tallies"] or []], f"{where}: tallies")
    actors = data["actors"] or {}
    pack.actors = Lexicon.build(actors.get("names") or {})
    pack.weak_actors = Lexicon.build(actors.get("weak") or {})
    pack.targets = Lexicon.build(data["targets"] or {})
    pack.negations = _word_regex(_phrases(data["negations"]))
    pack.months = months
    pack.weekdays = weekdays
    for rule in dates["relative"] or []:
        rx = _word_regex(_phrases(rule.get("words")))
        if rx is None:
            raise PackError(f"{where}: a relative date rule has no words: {rule}")
        pack.relative.append((rx, {k: v for k, v in rule.items() if k != "words"}))
    pack.this_day = _word_regex(_phrases(dates["this_day"]))
    pack.day_month = _compile_list([_expand(p, tables) for p in dates["day_month"]], f"{where}: day_month")
    pack.numeric_day_month = _compile_list(
        [_expand(p, tables) for p in dates["numeric_day_month"]], f"{where}: numeric_day_month"
    )
    pack.weekday_regex = _word_regex(list(dates["weekdays"]))
    pack.time_of_day = _word_regex(_phrases(dates.get("time_of_day")))
    pack.examples = list(data["examples"] or [])
    pack.abbreviations = {_fold(a) for a in _phrases(data["abbreviations"])}
    return pack


def available() -> list[str]:
    return sorted(p.stem for p in PACK_DIR.glob("*.yaml") if not p.stem.startswith("_"))


@functools.cache
def get_pack(code: str) -> Pack:
    path = PACK_DIR / f"{code}.yaml"
    if not path.exists():
        raise PackError(f"no language pack for {code!r} (have: {', '.join(available())})")
    return compile_pack(load_pack_data(path), str(path))
