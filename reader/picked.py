"""Many rows of a long list, held as their positions in it rather than as a list of them.

A one-letter search keeps nearly every row: at a million, making the list of
the rows kept took 45-70 ms a key (a reference taken to each entry, scattered
in memory), and letting go of the list the key replaced as long again. The
list widget only reads the rows on screen, by position, and finds the row it
keeps by halving, so most keys never touch the other rows. :class:`Picked`
is a read-only sequence over the order and a numpy array of positions;
whoever walks all of it (marking a view read, folding duplicates) gets the
rows one by one, as from a list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import TYPE_CHECKING, overload

from reader.entry import Entry

if TYPE_CHECKING:
    import numpy as np

PICKED_FROM = 50_000
"""Rows kept from this many on are :class:`Picked` (below, a list is made in a few ms)."""


class RowView(Sequence[Entry]):
    """Rows of a list read through a view of it: one by position, a slice as a list (as slicing
    a list gives), and ``+`` as a list."""

    __slots__ = ()

    def _one(self, index: int) -> Entry:
        raise NotImplementedError

    def _some(self, index: slice) -> list[Entry]:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> list[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:
        return self._some(index) if isinstance(index, slice) else self._one(index)

    def __add__(self, other: Iterable[Entry]) -> list[Entry]:
        return [*self, *other]

    def __radd__(self, other: Iterable[Entry]) -> list[Entry]:
        return [*other, *self]


class Picked(RowView):
    """The rows of ``entries`` at ``positions`` (ascending), in that order."""

    __slots__ = ("_entries", "_positions")

    def __init__(self, entries: list[Entry], positions: np.ndarray) -> None:
        self._entries = entries
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    def _some(self, index: slice) -> list[Entry]:
        return list(map(self._entries.__getitem__, self._positions[index].tolist()))

    def _one(self, index: int) -> Entry:
        return self._entries[int(self._positions[index])]  # IndexError past either end

    def __iter__(self) -> Iterator[Entry]:
        return map(self._entries.__getitem__, self._positions.tolist())

    def __repr__(self) -> str:
        return f"<{len(self):,} picked rows>"


def _same(row: Entry, other: Entry) -> bool:
    return row is other or row == other


class Flipped(RowView):
    """A long order reversed, as a view over it: its first ``known`` rows in reverse, then the
    rest as they are (a reversed sort order: the rows without a value stay last).

    A list of them cost 8 bytes a row, 8 MiB at a million, beside the order it reverses; the
    list widget reads the rows on screen by position, and whoever walks all of it gets them one
    by one, as from a list.
    """

    __slots__ = ("_entries", "_known")

    def __init__(self, entries: Sequence[Entry], known: int) -> None:
        self._entries = entries
        self._known = known

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def flipped(self) -> Sequence[Entry]:
        """The order this view reverses."""
        return self._entries

    @property
    def known(self) -> int:
        """How many of its first rows are reversed."""
        return self._known

    def _at(self, index: int) -> int:
        """Where row ``index`` of this view is in the order it reverses."""
        size = len(self._entries)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("flipped index out of range")
        return self._known - 1 - index if index < self._known else index

    def _some(self, index: slice) -> list[Entry]:
        return list(map(self._entries.__getitem__, map(self._at, range(len(self))[index])))

    def _one(self, index: int) -> Entry:
        return self._entries[self._at(index)]

    def __iter__(self) -> Iterator[Entry]:
        known, entries = self._known, self._entries
        return chain(
            map(entries.__getitem__, range(known - 1, -1, -1)),
            islice(entries, known, None),
        )

    def __eq__(self, other: object) -> bool:
        """Equal to a list (or another view) of the same rows, as the list it stands for is."""
        if not isinstance(other, (list, Flipped, Picked)):
            return NotImplemented
        return len(self) == len(other) and all(map(_same, self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self):,} rows flipped>"
