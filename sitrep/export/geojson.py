"""GeoJSON FeatureCollection: one Point per event, from the same summaries as the CSV."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

from sitrep.events.summary import EventSummary, summarize
from sitrep.records import Mention


def to_geojson(mentions: Iterable[Mention],
               articles: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """A FeatureCollection of the events; events without usable coordinates are
    left out and counted in the top-level ``skipped`` member."""
    features: list[dict[str, Any]] = []
    skipped = 0
    for ev in summarize(mentions, articles):
        feature = event_feature(ev)
        if feature is None:
            skipped += 1
        else:
            features.append(feature)
    # "skipped" is a foreign member: RFC 7946 allows them and readers ignore it.
    return {"type": "FeatureCollection", "features": features, "skipped": skipped}


def event_feature(ev: EventSummary) -> dict[str, Any] | None:
    loc = ev.location
    lat, lon = loc.latitude, loc.longitude
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return {
        "type": "Feature",
        "id": ev.event_id,
        # GeoJSON order: lon, lat.
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "event_id": ev.event_id,
            "event_date": ev.event_date,
            "date_precision": ev.date_precision,
            "event_type": ev.event_type,
            "sub_event_type": ev.sub_event_type,
            "location": loc.name,
            "admin1": loc.admin1,
            "country_code": loc.country_code,
            "geo_precision": loc.geo_precision,
            "actor1": ev.actor1,
            "actor1_status": ev.actor1_status,
            "actor2": ev.actor2,
            "claimed_by": ev.claimed_by,
            "fatalities": ev.fatalities,
            "injuries": ev.injuries,
            "weapons": [asdict(w) for w in ev.weapons],
            "hedged": ev.hedged,
            "sources": ev.sources(),
            "mention_count": ev.mention_count,
            "independent_sources": ev.independent_sources,
            "party_sources": ev.party_sources,
        },
    }
