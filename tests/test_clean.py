"""Cleaning: datelines (where and when a report was filed) are typography, found in any language."""

from __future__ import annotations

import pytest

from sitrep.clean import find_dateline


@pytest.mark.parametrize("text,head", [
    ("Bagdad, 24 ene (AMN).- Las defensas antiaéreas derribaron dos drones.", "Bagdad, 24 ene (AMN)"),
    ("Madrid, 3 feb (EFE).-El ministro habló.", "Madrid, 3 feb (EFE)"),
    ("BAGHDAD, April 14 (Xinhua) -- A rocket hit the base.", "BAGHDAD, April 14 (Xinhua)"),
    ("AL-HASAKAH, Syria, Jan 8 (LWS) - Two rockets were fired.", "AL-HASAKAH, Syria, Jan 8 (LWS)"),
    ("Beirut. - Dos cohetes cayeron cerca de la frontera.", "Beirut."),
])
def test_agency_datelines(text: str, head: str) -> None:
    span = find_dateline(text, 0, len(text))
    assert span is not None and text[span[0]:span[1]] == head


@pytest.mark.parametrize("text", [
    "The U.S.-led coalition said on Monday that two drones were shot down.",
    "Las milicias proiraníes han intensificado sus ataques contra las tropas de Estados Unidos.",
    "Two drones fell near the base. - A spokesman said nothing.",
])
def test_no_dateline_in_a_plain_sentence(text: str) -> None:
    assert find_dateline(text, 0, len(text)) is None
