"""Merging a million mentions: time and peak memory of the cross-article event merge.

Synthetic mentions, generated with realistic duplication: attacks happen at a few hundred
sites across the region, each reported by a handful of articles (a long tail: most by one or
two, some by a dozen), with some reports vaguer than others (the province or the country
instead of the base, a week or a month instead of the day, no date at all) and a few stating
the time of day. Prints mentions per second, the events found against the attacks generated,
and the peak memory, all measured in this run.

    python bench/merge.py [--mentions 1000000] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitrep.events.merge import Merger  # noqa: E402
from sitrep.records import Location, Mention, Weapon  # noqa: E402

COUNTRIES = [("IQ", 33.0, 44.0), ("SY", 35.0, 38.5), ("YE", 15.5, 44.2), ("LB", 33.9, 35.8), ("TR", 37.5, 40.0)]
PARTS = ["morning", "afternoon", "evening", "night"]


def sites(rng: random.Random, n: int) -> list[Location]:
    out = []
    for i in range(n):
        cc, lat, lon = rng.choice(COUNTRIES)
        kind = "facility" if i % 3 else "town"
        out.append(Location(name=f"site {i}", admin1=f"{cc}-a{i % 12}", country_code=cc,
                            latitude=lat + rng.uniform(-3, 3), longitude=lon + rng.uniform(-3, 3),
                            geo_precision=1, place_id=f"s{i}", kind=kind))
    return out


def generate(n_mentions: int, seed: int) -> tuple[list[list[Mention]], int]:
    """Articles (lists of mentions) in publication order, and the number of distinct attacks
    behind them (two generated on one site and day are one attack to any reader)."""
    rng = random.Random(seed)
    places = sites(rng, 5000)
    start = dt.date(2023, 10, 1).toordinal()
    reports: list[tuple[int, Mention]] = []
    attacks = 0
    site_days: set[tuple[str | None, int]] = set()
    while len(reports) < n_mentions:
        attacks += 1
        site = rng.choice(places)
        day = start + rng.randrange(730)
        site_days.add((site.place_id, day))
        part = rng.choice(PARTS)
        weapon = Weapon(rng.choice(["rocket", "drone", "missile"]), rng.randint(1, 30))
        copies = min(int(rng.paretovariate(1.3)), 40)  # most attacks are reported once or twice
        for _ in range(copies):
            loc, date, prec = site, dt.date.fromordinal(day).isoformat(), "day"
            r = rng.random()
            if r < 0.08:
                loc = Location(name=site.admin1, admin1=site.admin1, country_code=site.country_code,
                               geo_precision=3, place_id=f"a1:{site.admin1}", kind="admin1")
            elif r < 0.11:
                loc = Location(name=site.country_code, country_code=site.country_code, kind="country",
                               place_id=f"c:{site.country_code}")
            r = rng.random()
            if r < 0.05:
                prec = "month"
            elif r < 0.10:
                prec = "week"
            published = day + rng.randint(0, 3)
            if r > 0.98:
                date, prec = None, None  # undated: bounded by the publication date
            m = Mention(article="", event_date=date, date_precision=prec, location=loc,
                        event_type="Explosions/Remote violence", weapons=[weapon],
                        time_of_day=part if rng.random() < 0.2 else None,
                        published=dt.date.fromordinal(published).isoformat())
            reports.append((published, m))
    reports = reports[:n_mentions]
    reports.sort(key=lambda x: x[0])
    articles: list[list[Mention]] = []
    i = 0
    while i < len(reports):
        size = rng.choice((1, 1, 1, 2, 3))  # an article reports one to three attacks
        batch = [m for _, m in reports[i:i + size]]
        aid = f"art{len(articles)}"
        for k, m in enumerate(batch):
            m.article, m.mention_id = aid, f"{aid}#{k}"
        articles.append(batch)
        i += size
    return articles, len(site_days)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mentions", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    t0 = time.perf_counter()
    articles, attacks = generate(args.mentions, args.seed)
    gen_s = time.perf_counter() - t0
    n = sum(len(a) for a in articles)

    merger = Merger()
    t0 = time.perf_counter()
    for batch in articles:
        merger.add(batch)
    merge_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"mentions: {n:,} in {len(articles):,} articles, from {attacks:,} distinct attacks "
          f"(generated in {gen_s:.1f} s)")
    print(f"merge: {merge_s:.1f} s on one core, {n / merge_s:,.0f} mentions/s")
    # above 1: reports of one attack left apart; below 1: distinct attacks merged
    print(f"events: {len(merger.events):,} ({len(merger.events) / attacks:.2f} per attack)")
    print(f"peak memory (generation + merge): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
