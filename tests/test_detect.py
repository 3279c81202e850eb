"""Language identification on short and mixed texts, for every language that has a pack."""

from __future__ import annotations

import pytest

from sitrep.lang.detect import detect_language

CASES = [
    ("fr", "Deux roquettes ont visé la base d'Aïn al-Asad dans la nuit, selon l'armée irakienne."),
    ("fr", "Le porte-parole Yahya Saree (يحيى سريع) a revendiqué l'attaque contre le navire."),
    ("id", "Dua drone menghantam pangkalan militer AS di Suriah timur pada Senin malam."),
    ("id", "Baca Juga: Houthi klaim serang kapal tanker di Laut Merah"),
    ("en", "Two drones struck a base hosting US troops in eastern Syria on Monday night."),
    ("en", "Houthi spokesman Yahya Saree said the group fired missiles at the ship."),
    ("ar", "استهدفت طائرتان مسيرتان قاعدة عين الأسد غرب العراق مساء أمس."),
    ("fa", "دو پهپاد شب گذشته به پایگاه آمریکا در شرق سوریه حمله کردند."),
    ("es", "Dos drones atacaron anoche una base estadounidense en el este de Siria."),
    ("de", "Zwei Drohnen haben in der Nacht einen US-Stützpunkt im Osten Syriens angegriffen."),
    ("ru", "Два беспилотника атаковали американскую базу на востоке Сирии."),
    ("tr", "İki SİHA dün gece Suriye'nin kuzeydoğusunda bir aracı vurdu."),
]


@pytest.mark.parametrize("expected,text", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_short_texts(expected: str, text: str) -> None:
    assert detect_language(text) == expected


def test_malay_is_read_as_indonesian() -> None:
    assert detect_language("Kerajaan Malaysia mengutuk serangan dron ke atas kapal dagang di Laut Merah.") == "id"


def test_no_text_no_language() -> None:
    assert detect_language("  12 345 ... ") is None
