"""Which rows carry a read or starred mark, told by the hashes of their keys. No Textual.

A mark is kept by the article's key (:func:`reader.entry.entry_key`: its URL,
else its path). The rows of a long list leave their URLs and paths in the index
(see :func:`reader.entry.rows_apart`), so the sidebar's counts and ``is:`` do
not read a million keys to look them up among the marks: each key's 64-bit
``hash`` was taken as the rows were decoded, kept by row id in a
:class:`KeyTable` (8 bytes a row), and a row is marked when its key's hash is
one of the marks' hashes.

Two keys of the same hash are the only way to be wrong: with a million rows
and 100,000 marks, about one chance in 10^8 that one row shows a mark it does
not have. Rows holding their keys (a short list's, rows read again after a
change) are hashed from the keys themselves, so both kinds agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from operator import attrgetter, is_
from typing import TYPE_CHECKING

from reader.entry import Entry, entry_keys
from reader.pieces import pieces

if TYPE_CHECKING:
    import numpy as np

_ID = attrgetter("id")

TABLE_BITS = 22
"""The marks' first look is a table of 2**22 flags (4 MiB) indexed by the low bits of a hash:
only the rows it flags are compared with the marks' whole hashes."""


class KeyTable:
    """The hash of each row's key, by row id (0 for an id it was not given)."""

    def __init__(self, top: int) -> None:
        import numpy as np

        self.hashes = np.zeros(top + 1, dtype=np.int64)

    def add(self, ids: list[int], keys: Iterable[str]) -> None:
        """Take the keys of the rows ``ids`` (one each, in the same order); the table grows for
        ids beyond it (rows stored since the list was read, patched in)."""
        import numpy as np

        top = max(ids, default=-1)
        if top >= len(self.hashes):
            grown = np.zeros(top + 1 + len(self.hashes) // 16, dtype=np.int64)
            grown[: len(self.hashes)] = self.hashes
            self.hashes = grown
        self.hashes[ids] = np.fromiter(map(hash, keys), np.int64, len(ids))

    def of(self, ids: np.ndarray) -> np.ndarray:
        """The hashes of the keys of rows ``ids`` (0 for an id beyond the table)."""
        import numpy as np

        inside = ids < len(self.hashes)
        if inside.all():
            return self.hashes[ids]
        found = np.zeros(len(ids), dtype=np.int64)
        found[inside] = self.hashes[ids[inside]]
        return found


def key_hashes(rows: Sequence[Entry], kinds: set[type] | None = None) -> np.ndarray:
    """``hash(entry_key(row))`` of every row, as int64: from their type's table where the rows
    leave their keys in the index, else from the keys they hold (``kinds``: the rows' types,
    when known)."""
    import numpy as np

    found = np.empty(len(rows), dtype=np.int64)
    kinds = kinds if kinds is not None else set(map(type, pieces(rows)))
    for kind in kinds:
        if len(kinds) == 1:
            positions, chosen = None, rows
        else:  # a flag per row, not a list of a million positions (an int object each)
            positions = np.fromiter(
                map(is_, map(type, pieces(rows)), repeat(kind)), np.bool_, len(rows)
            )
            chosen = list(compress(rows, positions))
        table = getattr(kind, "key_hashes", None)
        if table is not None:
            ids = np.fromiter(map(_ID, pieces(chosen)), np.int64, len(chosen))
            hashes = table(ids)
        else:
            keys = entry_keys(list(chosen))
            hashes = np.fromiter(map(hash, keys), np.int64, len(keys))
        if positions is None:
            found[:] = hashes
        else:
            found[positions] = hashes
    return found


def mark_hashes(marks: Iterable[str], size: int) -> np.ndarray:
    """The hashes of ``size`` marks' keys."""
    import numpy as np

    return np.fromiter(map(hash, marks), np.int64, size)


MARKED_PIECE = 1 << 17
"""Rows :func:`marked` tells at a time: the arrays of a million at once (their ids, hashes,
hashes' bits and flags) held some 30 MiB more at the reader's peak, for no less time."""


def flags_table(wanted: np.ndarray, bits: int = TABLE_BITS) -> np.ndarray:
    """The table of flags by the low ``bits`` of the hashes ``wanted`` (see :func:`among`)."""
    import numpy as np

    table = np.zeros(1 << bits, dtype=np.bool_)
    table[wanted & ((1 << bits) - 1)] = True
    return table


def among(hashes: np.ndarray, wanted: np.ndarray, table: np.ndarray | None = None) -> np.ndarray:
    """Whether each of ``hashes`` is one of ``wanted``, as a bool array: a table of their low
    bits first (``table``: :func:`flags_table` of ``wanted``, when made already), then the
    whole hashes of the few it flags (32 ms for a million rows and 123,000 marks, where
    ``numpy.isin`` took 360)."""
    import numpy as np

    table = table if table is not None else flags_table(wanted)
    maybe = np.flatnonzero(table[hashes & ((1 << TABLE_BITS) - 1)])
    found = np.zeros(len(hashes), dtype=np.bool_)
    if maybe.size:
        found[maybe[np.isin(hashes[maybe], wanted)]] = True
    return found


def marked(rows: Sequence[Entry], marks: set[str] | frozenset[str]) -> list[bool]:
    """Whether each row's key is among ``marks``, the loops in C or arrays."""
    if not marks or not rows:
        return list(repeat(False, len(rows)))
    kinds = set(map(type, pieces(rows)))
    if not any(getattr(kind, "key_hashes", None) for kind in kinds):
        return list(map(marks.__contains__, entry_keys(rows)))  # the keys are at hand
    wanted = mark_hashes(marks, len(marks))
    table = flags_table(wanted)
    found: list[bool] = []
    for start in range(0, len(rows), MARKED_PIECE):
        part = rows[start : start + MARKED_PIECE]
        found += among(key_hashes(part, kinds), wanted, table).tolist()
    return found
