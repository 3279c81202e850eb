"""ACLED's event types from the weapons a report names. Not language knowledge: the
weapon keys are the canonical English ones every pack maps its words to."""

from __future__ import annotations

REMOTE = "Explosions/Remote violence"
BATTLES = "Battles"
AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
IED = "Remote explosive/landmine/IED"
CLASH = "Armed clash"

_AIR = {"drone", "airstrike"}
_SHELL = {"missile", "rocket", "mortar", "artillery"}


def classify(weapon_types: set[str], indirect_fire: bool) -> tuple[str, str | None]:
    """(event_type, sub_event_type). A combined attack with sea drones has no single
    sub-event type (ACLED codes such raids by their main component, which a report rarely
    makes clear), so it is left null rather than guessed."""
    if "unmanned surface vessel" in weapon_types and len(weapon_types) > 1:
        return REMOTE, None
    if weapon_types & _AIR:
        return REMOTE, AIR
    if weapon_types & _SHELL:
        return REMOTE, SHELLING
    if "IED" in weapon_types or "unmanned surface vessel" in weapon_types:
        return REMOTE, IED
    if "gunfire" in weapon_types:
        return BATTLES, CLASH
    if indirect_fire:
        return REMOTE, SHELLING
    return REMOTE, None
