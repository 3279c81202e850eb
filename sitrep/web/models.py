"""Response shapes of the JSON API (they make its OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class LocationOut(BaseModel):
    name: str | None = None
    admin1: str | None = None
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    place_id: str | None = None
    kind: str | None = None


class WeaponOut(BaseModel):
    type: str
    count: int | None = None


class EventItem(BaseModel):
    """An event's best values and counts, as listed."""

    event_id: str
    status: str
    event_date: str | None = None
    date_precision: str | None = None
    time_of_day: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    location: LocationOut
    actor1: str | None = None
    actor1_status: str | None = None
    actor2: str | None = None
    target: str | None = None
    claimed_by: str | None = None
    fatalities: int | None = None
    injuries: int | None = None
    weapons: list[WeaponOut] = []
    hedged: bool = False
    mention_count: int
    source_count: int = Field(description="articles reporting the event")
    independent_sources: int = Field(description="sources that neither copy nor cite one another")
    party_source: bool = Field(description="a party to the conflict is among the sources")
    disputed: list[str] = Field(description="fields on which the sources disagree")
    updated_at: str


class Page(BaseModel):
    total: int = Field(description="rows under the filters, all pages")
    limit: int
    offset: int


class EventPage(Page):
    sort: str
    items: list[EventItem]


class Points(BaseModel):
    """Every event under the filters as columns (for the map, the timeline and the list)."""

    count: int
    fields: list[str]
    columns: dict[str, list[Any]] = Field(description="field -> one value per event, in the same order")
    codes: dict[str, list[Any]] = Field(description="field -> its distinct values: that column holds indexes "
                                                    "into this list")


class EvidenceOut(BaseModel):
    text: str
    start: int | None = None
    end: int | None = Field(None, description="offsets in code points into the article's cleaned text")
    note: str | None = None


class MentionOut(BaseModel):
    mention_id: str | None = None
    article: str
    event_id: str | None = None
    event_date: str | None = None
    date_precision: str | None = None
    time_of_day: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    location: LocationOut
    weapons: list[WeaponOut] = []
    actor1: str | None = None
    actor1_status: str | None = None
    actor2: str | None = None
    target: str | None = None
    fatalities: int | None = None
    injuries: int | None = None
    claimed_by: str | None = None
    reported_via: list[str] = []
    hedged: bool = False
    evidence: dict[str, EvidenceOut] = {}
    language: str | None = None
    published: str | None = None
    outlet: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None


class MentionPage(Page):
    items: list[MentionOut]


class ArticleOut(BaseModel):
    id: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    language: str | None = None
    source_path: str | None = None
    ingested_at: str
    status: str
    duplicate_of: str | None = None
    content_hash: str


class ArticleText(ArticleOut):
    text: str | None = Field(None, description="the cleaned text: evidence offsets index it")


class ArticleDetail(ArticleText):
    mentions: list[str]
    events: list[str]


class ArticlePage(Page):
    items: list[ArticleOut]


class EvidenceMention(MentionOut):
    sentence: str | None = None
    article_url: str | None = None
    article_title: str | None = None


class EventDetail(BaseModel):
    """One event: values, how each was chosen, disagreements, sources, every mention with its
    evidence, the change log, and the texts of the articles (for highlighting the evidence)."""

    event_id: str
    status: str
    values: dict[str, Any]
    chosen: dict[str, str]
    disagreements: dict[str, list[dict[str, Any]]]
    sources: list[dict[str, Any]]
    mention_count: int
    source_count: int
    independent_sources: int
    party_source: bool
    created_at: str
    updated_at: str
    mentions: list[EvidenceMention]
    log: list[dict[str, Any]]
    articles: dict[str, ArticleText]


class TallyOut(BaseModel):
    """A count an article states, next to the events stored for the same period and places."""

    article: str
    outlet: str | None = None
    language: str | None = None
    published: str | None = None
    kind: str = Field(description="total, or 'part: CC' for a per-country part")
    count: int = Field(description="what the article claims")
    since: str | None = None
    until: str | None = None
    scope: list[str]
    actor: str | None = None
    what: str
    evidence: str | None = None
    stored: int | None = Field(None, description="events stored for the same period, places and party")
    difference: int | None = None
    events: list[str]


class TallyPage(Page):
    items: list[TallyOut]


class PlaceOut(BaseModel):
    id: str
    name: str
    kind: str
    type: str
    admin1: str | None = None
    country_code: str | None = None
    lat: float
    lon: float
    population: int


class PlacePage(Page):
    items: list[PlaceOut]


class FacetValue(BaseModel):
    value: str
    count: int = Field(description="active events under the filters")
    label: str | None = None
    country_code: str | None = None
    kind: str | None = Field(None, description="types: event_type or sub_event_type")


class Facets(BaseModel):
    """The values the filters can take, with the number of active events for each."""

    events: int
    first_date: str | None = None
    last_date: str | None = None
    countries: list[FacetValue]
    admin1: list[FacetValue]
    types: list[FacetValue]
    actors: list[FacetValue]
    languages: list[FacetValue]


class DayCount(BaseModel):
    date: str
    event_type: str | None = None
    count: int


class Timeline(BaseModel):
    days: list[DayCount]
    undated: int


class Health(BaseModel):
    events: int
    articles: int
    mentions: int
    tallies: int
    search: str = Field(description="fts5, or why text search falls back to LIKE")
