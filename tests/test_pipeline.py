"""The pipeline keeps going when one article breaks extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

import sitrep.pipeline as pipeline
from sitrep.errors import ExtractError


def test_a_failing_article_does_not_stop_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.txt").write_text("Two rockets hit Ain al-Asad air base on March 3, 2024.", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Two drones hit Erbil International Airport on March 4, 2024.",
                                       encoding="utf-8")
    real = pipeline.extract

    def breaks_on_bad(doc, today=None):  # type: ignore[no-untyped-def]
        if doc.article.id == "bad.txt":
            raise RuntimeError("unforeseen text")
        return real(doc, today=today)

    monkeypatch.setattr(pipeline, "extract", breaks_on_bad)
    errors: list = []
    done = list(pipeline.run([str(tmp_path)], errors))
    assert [a.id for a, _ in done] == ["good.txt"]
    assert done[0][1].mentions and done[0][1].mentions[0].location.name == "Erbil International Airport"
    [err] = errors
    assert isinstance(err, ExtractError) and "bad.txt" in str(err) and "unforeseen text" in str(err)
