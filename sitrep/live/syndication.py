"""Syndicated and near-duplicate articles: MinHash over word shingles, LSH to find candidates.

The same wire story republished by several sites (other headline, menus, a credit line, a
trimmed paragraph) is one source, not several: ``original_of`` names the article it copies
so the store links it (``articles.duplicate_of``) and corroboration counts it once. Two
outlets writing their own reports of one attack share facts but few 4-word runs, so they
stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitrep.store import Store

_WORD = re.compile(r"\w+")


class SyndicationIndex:
    """An in-memory LSH index of recent articles; satisfies ``pipeline.Dedup``.

    ``threshold`` is the estimated Jaccard similarity of 4-word shingle sets above which an
    article is a copy: verbatim syndication scores 0.8-1.0, a lightly edited copy 0.5-0.8,
    an independent report of the same event under 0.2.
    """

    def __init__(self, threshold: float = 0.5, num_perm: int = 128, shingle: int = 4,
                 min_words: int = 40) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.min_words = min_words  # below this a few shared phrases would look like a copy
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._hashes: dict[str, Any] = {}
        self._root: dict[str, str] = {}  # article -> the original it copies (itself if none)
        self._order: dict[str, int] = {}  # insertion rank: on a tie the older article wins
        self._added: dict[str, datetime] = {}

    @classmethod
    def from_store(cls, store: Store, days: float = 30.0, **kwargs: Any) -> SyndicationIndex:
        """An index of the articles ingested in the last ``days`` (all when ``days`` <= 0)."""
        from sitrep.store.pages import recent_texts

        index = cls(**kwargs)
        since = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds") if days > 0 else None
        index.extend(recent_texts(store, since))
        return index

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._hashes

    def _minhash(self, text: str) -> Any | None:
        from datasketch import MinHash

        words = _WORD.findall(text.lower())
        if len(words) < self.min_words:
            return None
        n = self.shingle
        shingles = {" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1)}
        m = MinHash(num_perm=self.num_perm)
        m.update_batch(list(shingles))
        return m

    def original_of(self, article_text: str, article_id: str) -> str | None:
        """The stored article this text copies (the original, not a copy of it), or None."""
        m = self._minhash(article_text)
        if m is None or self._lsh.is_empty():
            return None
        best: tuple[float, int, str] | None = None
        for cand in self._lsh.query(m):
            if cand == article_id or self._root.get(cand) == article_id:
                continue  # a re-save of this article, or a copy of it, is not its original
            score = m.jaccard(self._hashes[cand])  # LSH gives candidates; keep only real matches
            if score < self.threshold:
                continue
            key = (-score, self._order[cand], cand)
            if best is None or key < best:
                best = key
        return self._root[best[2]] if best else None

    def add(self, article_text: str, article_id: str, duplicate_of: str | None = None) -> None:
        """Index an article (replacing an older version of it); ``duplicate_of`` is the original
        it was linked to, so a copy of a copy is linked to the first."""
        m = self._minhash(article_text)
        if article_id in self._hashes:
            self._lsh.remove(article_id)
            del self._hashes[article_id]
        if m is None:
            return
        self._lsh.insert(article_id, m)
        self._hashes[article_id] = m
        self._root[article_id] = self._root.get(duplicate_of, duplicate_of) if duplicate_of else article_id
        self._order.setdefault(article_id, len(self._order))
        self._added[article_id] = datetime.now(UTC)

    def extend(self, rows: Iterable[tuple[str, str | None, str | None]]) -> None:
        """Add (id, text, duplicate_of) rows, e.g. the store's recent articles."""
        for article_id, text, duplicate_of in rows:
            if text:
                self.add(text, article_id, duplicate_of)

    def forget_older_than(self, days: float) -> int:
        """Drop articles added more than ``days`` ago (a long-running watcher's window slides)."""
        cutoff = datetime.now(UTC) - timedelta(days=days)
        old = [k for k, when in self._added.items() if when < cutoff and k in self._hashes]
        for k in old:
            self._lsh.remove(k)
            del self._hashes[k]
            del self._added[k]
        return len(old)


class KeepLinks:
    """A ``Dedup`` that keeps the links already stored: re-processing must not re-decide
    which article is the original."""

    def __init__(self, links: dict[str, str | None]) -> None:
        self.links = links

    def original_of(self, article_text: str, article_id: str) -> str | None:
        return self.links.get(article_id)

    def add(self, article_text: str, article_id: str, duplicate_of: str | None = None) -> None:
        return None
