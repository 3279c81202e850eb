"""Places: curated facilities, admin1 regions, countries and GeoNames towns (see gazetteer.py)."""

from sitrep.places.gazetteer import (
    Gazetteer,
    Place,
    PlaceHit,
    Resolution,
    get_gazetteer,
    haversine_km,
    normalize,
    translit_key,
)

__all__ = [
    "Gazetteer",
    "Place",
    "PlaceHit",
    "Resolution",
    "get_gazetteer",
    "haversine_km",
    "normalize",
    "translit_key",
]
