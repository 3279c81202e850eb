"""Synthetic events for load checks (bench/web_load.py, the browser test at 10,000 events):
rows written straight into the events table, with summaries shaped like the merge's, at real
places of the gazetteer. Not for anything but measuring: no article or mention stands behind them."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert

from sitrep.events.merge import EventState
from sitrep.places.gazetteer import load_places
from sitrep.store import Store, schema

TYPES = [  # (event type, sub-event type, weight)
    ("Explosions/Remote violence", "Air/drone strike", 40),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 30),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 10),
    ("Battles", "Armed clash", 12),
    ("Explosions/Remote violence", None, 8),
]
ACTORS = ["Islamic Resistance in Iraq", "Houthis", "US forces", "Israel", "Turkey", "Hezbollah",
          "Islamic Revolutionary Guard Corps", None]
LANGS = ["ar", "en", "fr", "fa", "tr", "ru", "es", "de", "id"]
COUNTRIES = {"SY", "IQ", "YE", "LB", "IL", "PS", "IR", "JO", "TR", "SA"}


def fill(store: Store, n: int, seed: int = 7, end: str = "2024-06-30", days: int = 730,
         batch: int = 5000) -> int:
    """Insert ``n`` active events dated over ``days`` days up to ``end``; returns ``n``."""
    rng = random.Random(seed)
    places = [p for p in load_places() if p.country_code in COUNTRIES
              and (p.kind == "facility" or (p.kind == "town" and p.population >= 20000))]
    last = dt.date.fromisoformat(end)
    weights = [w for *_x, w in TYPES]
    now = "2024-07-01T00:00:00+00:00"
    with store.engine.begin() as conn:
        for lo in range(0, n, batch):
            rows: list[dict[str, Any]] = []
            logs: list[dict[str, Any]] = []
            sources: list[dict[str, Any]] = []
            for i in range(lo, min(n, lo + batch)):
                row, srcs = _event(rng, i, places, last, days, weights, now)
                rows.append(row)
                logs.append({"event_id": row["event_id"], "at": row["created_at"], "article_id": None,
                             "action": "created", "field": None, "old": None, "new": None})
                sources += [{"event_id": row["event_id"], "article_id": s["article"], "duplicate_of": None,
                             "entry": s, "disputed": []} for s in srcs]
            conn.execute(insert(schema.events), rows)
            conn.execute(insert(schema.event_sources), sources)
            conn.execute(insert(schema.event_log), logs)
    return n


def _event(rng: random.Random, i: int, places: list[Any], last: dt.date, days: int, weights: list[int],
           now: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    p = rng.choice(places)
    lat, lon = round(p.lat + rng.uniform(-0.05, 0.05), 4), round(p.lon + rng.uniform(-0.05, 0.05), 4)
    undated = rng.random() < 0.03
    day = last - dt.timedelta(days=int(days * rng.random() ** 1.5))  # busier lately, as the news is
    etype, sub, _w = rng.choices(TYPES, weights)[0]
    actor = rng.choice(ACTORS)
    status = rng.choice(["claimed", "attributed", "suspected"]) if actor else None
    sources = min(40, int(rng.expovariate(0.6)) + 1)
    indep = max(1, sources - rng.randint(0, sources // 2))
    fatalities = rng.choice([None, None, 0, 1, 2, 3, 5])
    event_id = f"ev-syn{i:09d}"
    srcs = [{"article": f"synthetic-{i}-{k}", "outlet": f"Outlet {rng.randint(1, 60)}",
             "language": rng.choice(LANGS), "published": day.isoformat(), "reported_via": [],
             "origin": "Outlet", "party": None, "duplicate_of": None, "hedged": False, "mentions": []}
            for k in range(min(sources, 4))]
    location = {"name": p.name, "admin1": p.admin1, "country_code": p.country_code, "latitude": lat,
                "longitude": lon, "geo_precision": 1, "place_id": p.id, "kind": p.kind}
    values = {"event_id": event_id, "event_date": None if undated else day.isoformat(),
              "date_precision": None if undated else "day", "time_of_day": None, "event_type": etype,
              "sub_event_type": sub, "location": location, "actor1": actor, "actor1_status": status,
              "actor2": None, "target": None, "claimed_by": actor if status == "claimed" else None,
              "fatalities": fatalities, "injuries": None, "weapons": [], "reported_via": [], "hedged": False}
    iso = None if undated else day.isoformat()
    # stored a day or two after the attack, as reports come in; undated ones at the end
    later = dt.timedelta(hours=rng.randint(1, 72), seconds=rng.randint(0, 3599))
    stamp = now if undated else (dt.datetime.combine(day, dt.time()) + later).isoformat(timespec="seconds") + "+00:00"
    return {
        "event_id": event_id, "seq": i, "status": "active", "event_date": iso,
        "date_precision": values["date_precision"], "date_lo": iso, "date_hi": iso, "event_type": etype,
        "sub_event_type": sub, "location_name": p.name, "admin1": p.admin1, "country_code": p.country_code,
        "latitude": lat, "longitude": lon, "place_id": p.id, "place_key": p.id, "actor1": actor,
        "actor1_status": status, "fatalities": fatalities, "injuries": None, "mention_count": sources,
        "source_count": sources, "independent_sources": indep, "party_source": False, "created_at": stamp,
        "updated_at": stamp, "state": EventState(event_id=event_id, seq=i, key=p.id).to_dict(),
        "summary": {"values": values, "chosen": {}, "disagreements": {}},
    }, srcs
