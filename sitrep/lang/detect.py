"""Language identification with lingua, restricted to the packs we have plus the languages
conflict news in our region is most often written in, so that an Arabic or Russian article is
recognised as such (and flagged unsupported) instead of being forced into a supported pack."""

from __future__ import annotations

import functools
import re

from sitrep.lang.pack import available, get_pack

# Languages we recognise without a pack (lingua names). Malay is folded into Indonesian:
# detectors confuse the two and the Indonesian pack reads both.
_OTHERS = ["ARABIC", "PERSIAN", "RUSSIAN", "SPANISH", "GERMAN", "TURKISH", "URDU", "HEBREW",
           "KURDISH", "ITALIAN", "PORTUGUESE", "DUTCH", "MALAY", "CHINESE"]
_FOLD = {"ms": "id"}
_SAMPLE_CHARS = 800  # enough for a reliable call on news prose, and detection time grows with length


@functools.lru_cache(maxsize=1)
def _detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    names = {get_pack(code).lingua for code in available()} | set(_OTHERS)
    langs = [getattr(Language, n) for n in sorted(names) if hasattr(Language, n)]
    return LanguageDetectorBuilder.from_languages(*langs).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is no text to judge."""
    sample = re.sub(r"\s+", " ", text[:_SAMPLE_CHARS]).strip()
    if not re.search(r"\w{2,}", sample):
        return None
    lang = _detector().detect_language_of(sample)
    if lang is None:
        return None
    code = lang.iso_code_639_1.name.lower()
    return _FOLD.get(code, code)
