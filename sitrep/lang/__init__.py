"""Language knowledge: the pack loader and language detection."""

from sitrep.lang.detect import detect_language
from sitrep.lang.pack import Pack, PackError, available, get_pack

__all__ = ["Pack", "PackError", "available", "detect_language", "get_pack"]
