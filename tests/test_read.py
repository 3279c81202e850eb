"""Readers: every kind of input, and every kind of bad input yields one clear error."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.errors import ReadError
from sitrep.read import MAX_BYTES, read_paths


def _items(*paths: Path | str):
    return list(read_paths([str(p) for p in paths]))


def test_text_with_header_block(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("url: https://example.org/x\npublished: 2024-01-08\nlanguage: fr\noutlet: Wire\n\nCorps du texte.\n",
                 encoding="utf-8")
    [art] = _items(f)
    assert art.id == "a.txt"
    assert art.published == "2024-01-08" and art.published_precision == "day"
    assert art.outlet == "Wire" and art.language == "fr" and art.url == "https://example.org/x"
    assert art.text == "Corps du texte.\n"


def test_dateline_gives_month_precision(tmp_path: Path) -> None:
    f = tmp_path / "b.txt"
    f.write_text(" date 2023-11 Some words\n\nText here.", encoding="utf-8")
    [art] = _items(f)
    assert (art.published, art.published_precision) == ("2023-11", "month")
    assert art.text.startswith(" date 2023-11")  # the text itself is kept whole


def test_unknown_published_is_none(tmp_path: Path) -> None:
    f = tmp_path / "c.txt"
    f.write_text("published: unknown\nlanguage: de\n\nText.", encoding="utf-8")
    [art] = _items(f)
    assert art.published is None


def test_latin1_and_utf16_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_bytes("La base a été visée à l'aube.".encode("latin-1"))
    (tmp_path / "u.txt").write_bytes("La base a été visée.".encode("utf-16"))
    arts = {a.id: a for a in _items(tmp_path / "l.txt", tmp_path / "u.txt")}
    assert arts["l.txt"].text == "La base a été visée à l'aube."
    assert arts["u.txt"].text == "La base a été visée."


def test_binary_empty_and_missing_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("Two rockets hit the base.", encoding="utf-8")
    items = _items(tmp_path / "bin.txt", tmp_path / "empty.txt", tmp_path / "nope.txt", tmp_path / "ok.txt")
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [Path(e.source).name for e in errors] == ["bin.txt", "empty.txt", "nope.txt"]
    assert "binary" in errors[0].message and "empty" in errors[1].message and "no such" in errors[2].message
    assert [i.id for i in items if not isinstance(i, ReadError)] == ["ok.txt"]


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    with open(f, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    [e] = _items(f)
    assert isinstance(e, ReadError) and "too large" in str(e)


def test_jsonl_bad_lines_name_the_line_and_the_rest_is_read(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    lines = [json.dumps({"id": "one", "text": "Roquettes sur la base.", "published": "2024-01-08", "outlet": "W"}),
             "{not json",
             json.dumps({"id": "two", "title": "no text"}),
             json.dumps(["a", "list"]),
             json.dumps({"id": "three", "text": "Drone attack.", "language": "en"})]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _items(f)
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [(e.line, Path(e.source).name) for e in errors] == [(2, "batch.jsonl"), (3, "batch.jsonl"),
                                                                 (4, "batch.jsonl")]
    assert str(errors[0]).startswith(f"{f}:2: not JSON")
    assert "'text'" in errors[1].message
    arts = [i for i in items if not isinstance(i, ReadError)]
    assert [a.id for a in arts] == ["one", "three"]
    assert arts[0].published == "2024-01-08" and arts[0].outlet == "W" and arts[1].language == "en"


def test_folder_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("B text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A text.", encoding="utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    assert [a.id for a in _items(tmp_path)] == ["a.txt", "b.txt"]


def test_stdin_text_and_jsonl() -> None:
    [a] = list(read_paths(["-"], stdin=b"Une attaque."))
    assert a.id == "stdin" and a.text == "Une attaque."
    items = list(read_paths(["-"], stdin=b'{"id": "x", "text": "t"}\n{"id": "y", "text": "u"}\n'))
    assert [i.id for i in items] == ["x", "y"]


def test_html_page_main_text_without_boilerplate(tmp_path: Path) -> None:
    body = " ".join(["La base a été visée par des roquettes tôt ce matin, selon des sources locales."] * 3)
    html = f"""<!doctype html><html><head><title>Roquettes sur Conoco</title>
    <meta property="og:site_name" content="Le Veilleur (sample)">
    <meta property="article:published_time" content="2024-01-08T09:00:00+00:00"></head>
    <body><nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
    <article><h1>Roquettes sur Conoco</h1><p>{body}</p>
    <figure><img src="x.jpg"><figcaption>Manifestation à Damas en 2019 (archives)</figcaption></figure>
    <div class="share">Partager sur Facebook</div>
    <p>Un second paragraphe donne des détails sur l'attaque et sur la riposte qui a suivi dans la nuit.</p>
    </article><footer>Mentions légales</footer></body></html>"""
    f = tmp_path / "page.html"
    f.write_text(html, encoding="utf-8")
    [art] = _items(f)
    assert art.title == "Roquettes sur Conoco"
    assert art.published == "2024-01-08"
    assert art.outlet == "Le Veilleur (sample)"
    assert "selon des sources locales" in art.text
    for junk in ("Manifestation à Damas", "Partager sur Facebook", "Mentions légales", "Accueil"):
        assert junk not in art.text
