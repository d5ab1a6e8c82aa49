"""The URLs already in the cache, as a fetch asks for them: by their hashes. No Textual.

A fetch writes an entry only if no file under ``feeds/`` has its URL. Reading every file's head
to know them took 150 s at a million articles, and a set of a million URLs about 100 MiB. The
reader has them in its index: their hashes, sorted in an array (8 bytes each), answer whether
a URL is there. Two URLs with one 64-bit hash, the only way to be wrong, are about one chance
in 10^13 per entry at a million.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


class KnownUrls:
    """A set of URLs for ``in`` and ``add``: those of ``hashes`` (sorted ``hash`` values of
    URLs, from this process), and those added since."""

    def __init__(self, hashes: np.ndarray) -> None:
        self._hashes = hashes
        self._added: set[str] = set()

    def __contains__(self, url: object) -> bool:
        if url in self._added:
            return True
        if not isinstance(url, str) or not len(self._hashes):
            return False
        value = hash(url)
        at = int(self._hashes.searchsorted(value))
        return at < len(self._hashes) and int(self._hashes[at]) == value

    def __len__(self) -> int:
        return len(self._hashes) + len(self._added)

    def add(self, url: str) -> None:
        self._added.add(url)
