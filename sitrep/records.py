"""The records that flow between stages: the contracts of the pipeline, in one place.

Every stage is a plain function from one of these records to another, so the same
code runs inline, in a process pool or on a cluster (records are picklable and
turn into plain dicts with ``to_dict``).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    """One article as read from a file, a JSONL record or a page."""

    id: str  # file name, or the JSONL record's id
    text: str = ""  # raw text (for HTML input: the extracted main text)
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date or datetime when known
    published_precision: str | None = None  # day / month / year
    language: str | None = None  # as given by the source, if any
    outlet: str | None = None
    source_path: str | None = None

    @property
    def content_hash(self) -> str:
        body = "\x1f".join([self.text, self.published or "", self.language or "", self.outlet or ""])
        # surrogatepass: a lone surrogate (JSON can carry one) hashes instead of raising here, so
        # the article fails in extraction, reported with its name, and the batch goes on
        return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Sentence:
    start: int  # offsets into Document.text
    end: int
    text: str
    paragraph: int = 0


@dataclass
class Document:
    """A cleaned article: the text kept, its sentences, and what was dropped."""

    article: Article
    text: str  # the article text; offsets below index it
    language: str
    sentences: list[Sentence] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)  # {start, end, reason}
    published: str | None = None  # ISO date (day or month precision) once resolved
    published_precision: str | None = None
    # "ERBIL (Kurdistan 24) –", "BAGHDAD, April 14 (Xinhua) --": where and when the report was
    # filed, not where the event happened; (start, end) into text
    dateline: tuple[int, int] | None = None


@dataclass
class Evidence:
    text: str
    start: int | None = None
    end: int | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Location:
    name: str | None = None
    admin1: str | None = None
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None  # ACLED: 1 facility/town, 2 near/district, 3 province
    place_id: str | None = None
    kind: str | None = None  # facility, town, admin1, country, sea


@dataclass
class Weapon:
    type: str
    count: int | None = None


@dataclass
class Mention:
    """One event as one article reports it."""

    article: str
    event_date: str | None = None
    date_precision: str | None = None
    # "night", "morning", "afternoon", "evening" or a clock time "HH:MM" when the text says;
    # two reports of one place and day at different times are two attacks
    time_of_day: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    location: Location = field(default_factory=Location)
    weapons: list[Weapon] = field(default_factory=list)
    actor1: str | None = None
    actor1_status: str | None = None  # claimed / attributed / suspected
    actor2: str | None = None
    target: str | None = None
    fatalities: int | None = None
    injuries: int | None = None
    claimed_by: str | None = None
    reported_via: list[str] = field(default_factory=list)
    hedged: bool = False
    evidence: dict[str, Evidence] = field(default_factory=dict)
    language: str | None = None
    published: str | None = None
    outlet: str | None = None
    event_id: str | None = None
    mention_id: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["evidence"] = {k: v.to_dict() for k, v in self.evidence.items()}
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        data = dict(data)
        data["location"] = Location(**(data.get("location") or {}))
        data["weapons"] = [Weapon(**w) for w in data.get("weapons") or []]
        data["evidence"] = {k: Evidence(**v) for k, v in (data.get("evidence") or {}).items()}
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Tally:
    """A count of attacks over a period ("66 attacks since 17 October"): never an event."""

    article: str
    count: int
    what: str
    since: str | None = None
    until: str | None = None
    scope: list[str] = field(default_factory=list)  # country codes or place names counted
    parts: dict[str, int] = field(default_factory=dict)  # "32 in Iraq and 34 in Syria": {IQ: 32, SY: 34}
    actor: str | None = None  # the party the count is about ("attacks on US forces")
    evidence: Evidence | None = None
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["evidence"] = self.evidence.to_dict() if self.evidence else None
        return out


@dataclass
class Extraction:
    """What one article yields: its cleaned document, mentions and tallies."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
