"""Tallies against events: "66 attacks since 17 October" next to the events stored for the
same period, places and party, and the difference.

A tally's period runs from its ``since`` to its ``until`` (else the article's publication
date); its scope is the countries it names (else anywhere); when it names a party ("attacks on
US forces") only events with that party as actor or target count. A stored event counts when
its date interval lies inside the period. A positive difference means the tally claims more
attacks than sitrep has found: reports sitrep has not read, or an inflated count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sitrep.records import Tally


def _in_period(row: Mapping[str, Any], since: str | None, until: str | None) -> bool:
    lo, hi = row.get("date_lo"), row.get("date_hi")
    if not lo or not hi:
        return False  # an undated event cannot be placed in any period
    return (since is None or lo >= since) and (until is None or hi <= until[:10])


def _about(row: Mapping[str, Any], actor: str | None) -> bool:
    if actor is None:
        return True
    values = row["summary"]["values"]
    return actor in (values.get("actor1"), values.get("actor2"), values.get("target"))


def reconcile(tallies: Iterable[Tally], events: list[Mapping[str, Any]],
              articles: Mapping[str, Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One row per tally, and one per country part of it, with the stored count and difference."""
    out: list[dict[str, Any]] = []
    for t in tallies:
        until = t.until or ((articles or {}).get(t.article) or {}).get("published")
        if until and len(until) < 10:
            until = None  # a month of publication does not close the period on a day
        pool = [e for e in events if _in_period(e, t.since, until) and _about(e, t.actor)]
        rows = [(t.count, list(t.scope), "total")]
        rows += [(n, [cc], f"part: {cc}") for cc, n in t.parts.items()]
        for count, scope, kind in rows:
            stored = [e for e in pool if not scope or e.get("country_code") in scope]
            known = t.since is not None
            out.append({
                "article": t.article, "kind": kind, "count": count, "since": t.since, "until": until,
                "scope": scope, "actor": t.actor, "what": t.what,
                "evidence": t.evidence.text if t.evidence else None,
                "stored": len(stored) if known else None,
                "difference": count - len(stored) if known else None,
                "events": [e["event_id"] for e in stored] if known else [],
            })
    return out
