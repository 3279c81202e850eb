"""Named exceptions. Each carries one clear message naming the file (and line) at fault."""

from __future__ import annotations


class SitrepError(Exception):
    """Base class of every error sitrep raises on purpose."""


class ReadError(SitrepError):
    """An input could not be read as an article; the rest of the batch goes on."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str, int | None]]:
        # errors cross process boundaries (a pool or cluster worker): rebuild from the fields
        return type(self), (self.source, self.message, self.line)


class ExtractError(ReadError):
    """An article was read but extraction failed on it: reported like a bad input, and the
    batch goes on."""

