"""Scoring extracted mentions against a gold file, by the same rules as the project's referee
(``shared/tools/score_events.py``), so ``sitrep eval`` needs nothing outside the package.

A predicted mention matches a gold mention of the same article when its place is the gold's
(by alias, or within the site's tolerance) and its date agrees within the gold's precision;
optional gold rows neither reward nor punish. Fields are then compared on matched pairs, and
the cross-article clustering by B-cubed F1 over event ids.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS = ("date", "sub_event_type", "weapon_type", "weapon_count", "actor1", "claimed_by", "casualties",
          "reported_via")
SLACK = {"day": 0, "week": 3, "month": 15}
# Actor names the referee treats as one.
ACTOR_GROUPS: dict[str, set[str]] = {
    "islamic resistance in iraq": {"islamic resistance in iraq", "islamic resistance of iraq",
                                   "iraqi islamic resistance", "iraqi resistance"},
    "us forces": {"us forces", "u s forces", "united states", "us military", "american forces", "us army",
                  "centcom", "us central command", "pentagon", "us air force", "american military", "us"},
    "iran-backed militias": {"iran backed militias", "iran backed groups", "iran backed militant groups",
                             "pro iranian groups", "iran aligned groups", "militias"},
}


def fold(value: Any) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, in any script."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFKD", str(value))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = s.replace("’", "'").replace("‘", "").replace("ʿ", "")
    s = re.sub(r"[^\w' ]+|_", " ", s)
    return " ".join(s.split())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = math.pi / 180
    h = (math.sin((lat2 - lat1) * r / 2) ** 2
         + math.cos(lat1 * r) * math.cos(lat2 * r) * math.sin((lon2 - lon1) * r / 2) ** 2)
    return 2 * 6371 * math.asin(math.sqrt(h))


class Sites:
    def __init__(self, table: dict[str, Any]) -> None:
        self.sites = table.get("sites", {})
        self.aliases = {k: {fold(a) for a in v.get("aliases", [])} | {fold(k)} for k, v in self.sites.items()}
        self.admin1 = {k: {fold(a) for a in v} | {fold(k)} for k, v in table.get("admin1", {}).items()}

    def matches(self, gold: dict[str, Any], loc: dict[str, Any] | None) -> bool:
        loc = loc or {}
        site = gold.get("site")
        if site:
            return self._site(site, loc)
        if gold.get("admin1"):
            names = self.admin1.get(gold["admin1"], {fold(gold["admin1"])})
            return fold(loc.get("admin1")) in names or fold(loc.get("name")) in names
        if gold.get("country_code"):
            return (loc.get("country_code") or "").upper() == gold["country_code"].upper()
        return True

    def _site(self, site: str, loc: dict[str, Any]) -> bool:
        info = self.sites.get(site)
        name = fold(loc.get("name"))
        if info is None:
            return name == fold(site)
        aliases = self.aliases[site]
        if name and (name in aliases or any(len(a) > 3 and re.search(rf"\b{re.escape(a)}\b", name) for a in aliases)):
            return True
        lat, lon = loc.get("latitude"), loc.get("longitude")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            return distance_km(lat, lon, info["lat"], info["lon"]) <= info.get("tolerance_km", 15)
        return False


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def date_agrees(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    g = _day(gold.get("event_date"))
    if g is None:
        return True
    p = _day(pred.get("event_date"))
    return p is not None and abs((p - g).days) <= SLACK.get(gold.get("date_precision") or "day", 0)


def date_right(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if _day(gold.get("event_date")) is None:
        return not pred.get("event_date")
    return date_agrees(gold, pred)


def actor_matches(gold: Any, pred: Any) -> bool:
    g, p = fold(gold), fold(pred)
    if not p:
        return False
    for canon, names in ACTOR_GROUPS.items():
        if g == canon or g in names:
            return p == canon or p in names or any(n in p for n in names if len(n) > 4)
    return g == p or (len(g) > 4 and g in p)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in FIELDS})
    pairs: list[tuple[str, str]] = field(default_factory=list)
    # the same matching on the place alone, dates ignored: how well places are found (issue 4's
    # "location" figure), apart from how well they are dated
    places: list[int] = field(default_factory=lambda: [0, 0, 0])  # tp, fp, fn
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def location_f1(self) -> float:
        tp, fp, fn = self.places
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    def field_scores(self) -> dict[str, float | None]:
        return {k: (round(v[0] / v[1], 3) if v[1] else None) for k, v in self.fields.items()}

    def bcubed(self) -> float:
        if not self.pairs:
            return 0.0
        prec = rec = 0.0
        for g, p in self.pairs:
            same_p = [x for x in self.pairs if x[1] == p]
            same_g = [x for x in self.pairs if x[0] == g]
            prec += sum(x[0] == g for x in same_p) / len(same_p)
            rec += sum(x[1] == p for x in same_g) / len(same_g)
        prec, rec = prec / len(self.pairs), rec / len(self.pairs)
        return 2 * prec * rec / (prec + rec) if prec + rec else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3), "fields": self.field_scores(),
                "field_counts": {k: v[1] for k, v in self.fields.items()},
                "cluster_bcubed_f1": round(self.bcubed(), 3), "location_f1": round(self.location_f1, 3)}


def _match(gold_rows: list[dict], preds: list[dict], sites: Sites, dates: bool = True) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for gi in sorted(range(len(gold_rows)), key=lambda i: gold_rows[i].get("event_date") is None):
        g = gold_rows[gi]
        best = None
        for pi, p in enumerate(preds):
            if pi in used or not sites.matches(g["location"], p.get("location")) or (dates and not date_agrees(g, p)):
                continue
            rank = (date_right(g, p), fold(p.get("sub_event_type")) == fold(g.get("sub_event_type")))
            if best is None or rank > best[0]:
                best = (rank, pi)
        if best is not None:
            used.add(best[1])
            pairs.append((gi, best[1]))
    return pairs


def score(gold: list[dict], preds: list[dict], sites: Sites) -> Score:
    out = Score()
    by_article: dict[str, list[dict]] = {}
    for p in preds:
        by_article.setdefault(Path(str(p.get("article", ""))).name, []).append(p)
    for art in sorted({g["article"] for g in gold} | set(by_article)):
        g_rows = [g for g in gold if g["article"] == art]
        p_rows = by_article.get(art, [])
        pairs = _match(g_rows, p_rows, sites)
        placed = _match(g_rows, p_rows, sites, dates=False)
        optional = {gi for gi, g in enumerate(g_rows) if g.get("optional")}
        found = {gi for gi, _ in placed}
        out.places[0] += len(found - optional)
        out.places[1] += len(p_rows) - len(placed)
        out.places[2] += len(set(range(len(g_rows))) - found - optional)
        matched_g, matched_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        for gi, g in enumerate(g_rows):
            if gi not in matched_g and not g.get("optional"):
                out.fn += 1
                out.misses.append(f"{art} {g.get('id')}: {g['location']} {g.get('event_date')}")
        for pi, p in enumerate(p_rows):
            if pi not in matched_p:
                out.fp += 1
                out.alarms.append(f"{art}: {(p.get('location') or {}).get('name')} {p.get('event_date')}")
        for gi, pi in pairs:
            g, p = g_rows[gi], p_rows[pi]
            if g.get("optional"):
                continue
            out.tp += 1
            out.pairs.append((g["cluster"], str(p.get("event_id") or f"{art}#{pi}")))
            _score_fields(out, g, p)
    return out


def _score_fields(out: Score, g: dict, p: dict) -> None:
    def mark(name: str, ok: bool) -> None:
        out.fields[name][0] += bool(ok)
        out.fields[name][1] += 1

    mark("date", date_right(g, p))
    if g.get("sub_event_type"):
        mark("sub_event_type", fold(g["sub_event_type"]) == fold(p.get("sub_event_type")))
    weapons = p.get("weapons") or []
    g_types = {fold(w["type"]) for w in g.get("weapons") or []}
    if g_types:
        mark("weapon_type", g_types <= {fold(w.get("type")) for w in weapons})
    for w in g.get("weapons") or []:
        if w.get("count") is not None:
            mark("weapon_count", any(x.get("count") == w["count"] for x in weapons))
    for name in ("actor1", "claimed_by"):
        if g.get(name):
            mark(name, actor_matches(g[name], p.get(name)))
    for k in ("fatalities", "injuries"):
        if g.get(k) is not None:
            mark("casualties", p.get(k) == g[k])
    for src in g.get("reported_via") or []:
        mark("reported_via", any(fold(src) in fold(x) or fold(x) in fold(src)
                                 for x in p.get("reported_via") or [] if fold(x)))


def load_jsonl(path: str | Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows
