"""Cleaning: drop page furniture and photo captions, split the rest into sentences.

Nothing is rewritten: kept sentences are spans of the article text, so every evidence span
indexes the original. The dropped lines are listed with the reason.
"""

from __future__ import annotations

import re

from sitrep.lang.detect import detect_language
from sitrep.lang.pack import Pack, available, get_pack
from sitrep.records import Article, Document, Sentence

# A full stop ends a sentence when a capital (any script with case), an opening quote or a
# digit-free new clause follows; scraped text often drops the space ("Zor.Belum"), so the
# space is optional when a capital follows directly.
_BOUNDARY = re.compile(r"([.!?…؟]+)([\"”»’)\]]*)(\s+|(?=[A-ZÀ-ÖØ-ÞА-Я«“\"]))")
_WORD_BEFORE = re.compile(r"([\w.-]+)$")
_OPENERS = "«“\"'(["


def split_sentences(text: str, start: int, end: int, pack: Pack | None, paragraph: int) -> list[Sentence]:
    out: list[Sentence] = []
    seg_start = start
    chunk = text[start:end]
    for m in _BOUNDARY.finditer(chunk):
        stop = start + m.end(2)  # include the punctuation and closing quotes
        nxt = start + m.end()
        if nxt >= end:
            break
        following = text[nxt]
        # a capital, or a letter of a script without case (Arabic, Persian) after a space
        starts_sentence = following.isupper() or (following.isalpha() and not following.islower() and m.group(3))
        if not (starts_sentence or following in _OPENERS or following.isdigit() and m.group(3)):
            continue
        if m.group(1) == "." and _is_abbreviation(text[seg_start:start + m.start(1)], pack):
            continue
        _add(out, text, seg_start, stop, paragraph)
        seg_start = nxt
    _add(out, text, seg_start, end, paragraph)
    return out


def _is_abbreviation(before: str, pack: Pack | None) -> bool:
    m = _WORD_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1).split(".")[-1] if "." in m.group(1) and not m.group(1).endswith(".") else m.group(1)
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # initials: "U.S.", "J. Smith"
    return bool(pack and word.lower() in pack.abbreviations)


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start=start, end=end, text=text[start:end], paragraph=paragraph))


# A dateline opens a paragraph: a short head (place, outlet in brackets, a date) and a dash,
# or a date and a semicolon, or the agency style full stop and dash ("Bagdad, 24 ene (EFE).-").
# Language-blind: it is typography, not words.
_DATELINE = re.compile(r"\s*(?P<head>[^\n–—;:!?]{2,60}?)\s*(?:--|–|—|\s-\s|;|(?<=\))\.-|\.-(?=\s))\s*(?=\S)")


def find_dateline(text: str, start: int, end: int) -> tuple[int, int] | None:
    m = _DATELINE.match(text, start, end)
    if not m:
        return None
    head = m.group("head")
    words = head.split()
    # a place alone closed by the agency full stop before its dash ("Bagdad. - Dos drones")
    place_alone = head.endswith(".") and "." not in head[:-1] and len(words) <= 3 \
        and all(w[:1].isupper() for w in words)
    if "." in head and "," not in head and not place_alone:
        return None  # a full stop belongs in a dateline only after its comma ("Estambul, 6 oct.")
    if len(words) > 8:
        return None
    shouty = any(w.isupper() and len(w) > 2 for w in words)
    looks = "(" in head or "," in head or shouty or place_alone or any(ch.isdigit() for ch in head)
    if not looks or head[:1].islower():
        return None
    return m.start("head"), m.end("head")


def choose_language(article: Article) -> str | None:
    given = (article.language or "").strip().lower()[:2] or None
    if given in available():
        return given
    return detect_language(article.text) or given


def line_reason(line: str, pack: Pack | None) -> str | None:
    """Why a line is dropped ('boilerplate', 'caption'), or None to keep it."""
    if pack is None:
        return None
    if any(rx.search(line) for rx in pack.boilerplate):
        return "boilerplate"
    if any(rx.search(line) for rx in pack.captions):
        return "caption"
    return None


def clean(article: Article) -> Document:
    text = article.text
    lang = choose_language(article)
    pack = get_pack(lang) if lang in available() else None
    doc = Document(article=article, text=text, language=lang or "und",
                   published=article.published, published_precision=article.published_precision)
    paragraph = 0
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        reason = line_reason(line, pack)
        if reason:
            doc.dropped.append({"start": start, "end": end, "reason": reason, "text": line.strip()[:200]})
            continue
        if paragraph < 3 and doc.dateline is None:
            doc.dateline = find_dateline(text, start, end)
        doc.sentences.extend(split_sentences(text, start, end, pack, paragraph))
        paragraph += 1
    return doc
