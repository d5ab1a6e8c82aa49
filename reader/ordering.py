"""The orders the list shows entries in, and keeping one in order as a few entries change.

Sorting 100,000 entries takes a tenth of a second; when the watcher brings
one changed file, the loaded order is patched instead (a pass to drop the
old entry and a binary search to place the new one). No Textual.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from enum import Enum
from functools import partial
from itertools import compress, islice, repeat
from operator import attrgetter, is_, is_not, not_
from typing import TYPE_CHECKING, TypeVar

from reader.entry import Entry, file_key
from reader.pieces import PIECE

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")


class SortKey(str, Enum):
    """The orders the list offers."""

    DATE = "date"
    QUALITY = "quality"

    @property
    def other(self) -> SortKey:
        """The order ``s`` switches to."""
        return SortKey.QUALITY if self is SortKey.DATE else SortKey.DATE


def _date_key(entry: Entry) -> float:
    return entry.published if entry.published is not None else -math.inf


_PUBLISHED = attrgetter("published")
_QUALITY = attrgetter("quality")


def _split_known(
    entries: list[Entry], value: Callable[[Entry], object], copy: bool = True
) -> tuple[list, list]:
    """``entries`` with a ``value`` and those without (None), each in the order given (in C).

    Without ``copy``, ``entries`` (a list of the caller's own) is the first when all have one.
    """
    values = list(map(value, entries))
    if None not in values:
        return (list(entries) if copy else entries), []
    known = list(compress(entries, map(is_not, values, repeat(None))))
    return known, list(compress(entries, map(is_, values, repeat(None))))


def sort_entries(
    entries: list[Entry], key: SortKey, reverse: bool = False, *, date_ordered: bool = False
) -> list[Entry]:
    """``entries`` in the order the list shows them.

    Date: newest first. Quality: highest first, ties newest first. ``reverse``
    flips the known values only: articles without a date (or quality) stay
    last either way, themselves newest first. The unknowns are set apart first, so
    the sorts compare plain values fetched in C (no Python key function per entry);
    stable sorts keep ties in the order given. Entries already in date order
    (the collection sorts by quality from its date order) cost the date sort a pass, and
    none when the caller says so (``date_ordered``: 0.25 s at 1,000,000).
    The quality sort extends the date order in place rather than adding it to a copy: each
    copy of 100,000 entries is 0.8 MiB more at the sort's peak.
    """
    big = len(entries) >= ARRAY_SORT_FROM
    if date_ordered and key is SortKey.QUALITY and big:
        ordered = _by_quality(entries, reverse)  # read, never changed: no copy needed
        if ordered is not None:
            return ordered
        big = False  # qualities only the lists sort: not read into an array again below
    dated, undated = _split_known(entries, _PUBLISHED)
    dated.sort(key=_PUBLISHED, reverse=True)  # stable, reversed or not
    if key is SortKey.DATE:
        known, unknown = dated, undated
    else:
        dated += undated
        del undated
        ordered = _by_quality(dated, reverse) if big else None
        if ordered is not None:
            return ordered
        known, unknown = _split_known(dated, _QUALITY, copy=False)
        del dated
        known.sort(key=_QUALITY, reverse=True)  # stable: ties stay newest first
    if reverse:
        known.reverse()
    return known + unknown if unknown else known  # exactly as long (+= would over-allocate)


ARRAY_SORT_FROM = 20_000
"""From this many entries the quality order is sorted in an array (see :func:`_by_quality`):
below, numpy is not worth importing for it."""


def _by_quality(entries: list[Entry], reverse: bool) -> list[Entry] | None:
    """``entries`` (in date order) in the quality order: highest first (lowest with ``reverse``),
    ties in the order given, then those without a quality in the order given; None when a
    quality is too big for a float to tell it from its neighbours (the lists sort them).

    At 1,000,000 entries, setting the unknowns apart and sorting the rest as lists took
    0.57 s, each pass reaching into every entry. Here the entries are picked in the order
    :func:`quality_order` finds: 0.26-0.30 s.
    """
    order = quality_order(entries, reverse)
    return None if order is None else picked(entries, order)


def quality_order(
    entries: list[Entry], reverse: bool = False, qualities: np.ndarray | None = None
) -> np.ndarray | None:
    """The positions of ``entries`` (in date order) in the quality order, as :func:`_by_quality`
    picks them; None when a quality is too big for a float (the lists sort them).

    The qualities are read once into an array (or taken from ``qualities``, the entries' own
    exact packed copy, NaN for none) and sorted by numpy's stable sort (a radix sort
    when they span fewer than 65,535 values). Each array is dropped as soon as the next is
    made: the peak stays near that of the list sort. The positions are what the quality order's
    columns are then picked by from the date order's (see :meth:`reader.filtering.Rows.reordered`),
    instead of a pass reaching into every entry again.
    """
    import numpy as np

    if qualities is not None:
        values = qualities.astype(np.float64)  # a copy: it is changed in place below
    else:
        values = np.empty(len(entries), dtype=np.float64)
        rows = iter(entries)
        for start in range(0, len(entries), PIECE):  # a piece at a time, as reader.pieces says
            values[start : start + PIECE] = list(map(_QUALITY, islice(rows, PIECE)))  # None: NaN
    known = ~np.isnan(values)
    count = int(known.sum())
    low = high = 0.0
    if count:
        low, high = float(values[known].min()), float(values[known].max())
    if max(abs(low), abs(high)) > 2**53:
        return None
    # Rising keys, made in place: highest quality first, the unknowns after every known one.
    np.subtract(high, values, out=values)
    values[~known] = high - low + 1
    del known
    keys = values.astype(np.uint16) if high - low < np.iinfo(np.uint16).max else values
    del values
    order = np.argsort(keys, kind="stable").astype(np.int32)  # half the memory while picking
    del keys
    if reverse:
        order[:count] = order[:count][::-1]
    return order


def date_order(published: np.ndarray) -> np.ndarray:
    """The positions of entries in the date order, from their dates (``published``: float64,
    NaN for none): newest first, ties in the order given, then those without a date in the
    order given. The order :func:`sort_entries` makes (a stable sort, the unknowns set apart).

    Found in an array so that the order's columns can be made over the entries in the order
    they were loaded, as they lie in memory, and picked by these positions (see
    :meth:`reader.filtering.Rows.in_date_order`). A date the index holds is never NaN.
    """
    import numpy as np

    known = ~np.isnan(published)
    dated = np.flatnonzero(known)
    dated = dated[np.argsort(-published[dated], kind="stable")]
    return np.concatenate((dated, np.flatnonzero(~known))).astype(np.int32)


def arrays_ahead(count: int) -> None:
    """Import numpy now when a list of ``count`` entries will sort and filter in arrays.

    Called by the thread that loads the whole list, behind the first page. The import is
    45 ms of interpreter time alone; paid by the thread that sorts the other order once the
    list is whole, it shared the interpreter with the first keys pressed then, and an `s`
    took 120-150 ms instead of 10-40 at a million articles.
    """
    if count >= ARRAY_SORT_FROM:
        import numpy  # noqa: F401 - imported for its side effect: it is in sys.modules


PICK_CHUNK = 1_024
"""Positions turned into ints at a time by :func:`picked` (an int object each: 36 bytes a
position, where the list picked takes 8)."""


def picked(values: Sequence[T], positions: np.ndarray) -> list[T]:
    """The items of ``values`` at ``positions``, in that order (a list of exactly that length)."""
    out: list = [None] * len(positions)
    for start in range(0, len(positions), PICK_CHUNK):
        chunk = positions[start : start + PICK_CHUNK].tolist()
        out[start : start + len(chunk)] = map(values.__getitem__, chunk)
    return out


def _date_rank(entry: Entry) -> tuple:
    return (0, -entry.published) if entry.published is not None else (1, 0.0)


def _quality_rank(entry: Entry) -> tuple:
    if entry.quality is None:
        return (1, 0, -_date_key(entry))
    return (0, -entry.quality, -_date_key(entry))


_RANKS: dict[SortKey, Callable[[Entry], tuple]] = {
    SortKey.DATE: _date_rank,
    SortKey.QUALITY: _quality_rank,
}
"""For each order, a key that ascends along :func:`sort_entries`' forward order."""


def _reversed_rank(rank: Callable[[Entry], tuple], entry: Entry) -> tuple:
    """A key that ascends along a reversed order: the known part flipped, the unknowns as they
    were (see :func:`sort_entries`)."""
    known, *rest = rank(entry)
    return (known, *(-value for value in rest)) if known == 0 else (known, *rest)


def locate(rows: Sequence[Entry], entry: Entry, key: SortKey, reverse: bool) -> int | None:
    """Where ``entry`` (the same object) is among ``rows``, None when it is not there.

    ``rows`` are in one order (``key``, ``reverse``), or are some of its rows in that order (a
    search, a topic): found by halving, then among the rows ranked the same. Looking through a
    million rows for a row a search left out took 38 ms.
    """
    rank = _RANKS[key] if not reverse else partial(_reversed_rank, _RANKS[key])
    wanted = rank(entry)
    first = bisect_left(rows, wanted, key=rank)
    for at in range(first, len(rows)):
        row = rows[at]
        if row is entry:
            return at
        if rank(row) != wanted:
            break
    return None


def without(entries: list[Entry], gone: set[str | int]) -> list[Entry]:
    """``entries`` less those whose :func:`~reader.entry.file_key` is among ``gone`` (the loop
    in C: 100,000 entries in a few ms)."""
    return list(compress(entries, map(not_, map(gone.__contains__, map(file_key, entries)))))


def patched_order(
    ordered: list[Entry], gone: set[str | int], added: list[Entry], key: SortKey
) -> list[Entry]:
    """``ordered`` (a forward order of :func:`sort_entries`) without the entries ``gone`` (see
    :func:`without`) and with ``added`` in their places: what sorting again would give, for a
    few changes.

    Among equal keys an added entry goes last; the order stays valid, so a reversed order
    can still be made from it. The list is built once from slices between the added entries'
    places: inserting them one by one moved the rest of the list each time, 6,000 new files
    into a million rows 6,000 times.
    """
    kept = without(ordered, gone)
    if not added:
        return kept
    rank = _RANKS[key]
    patched: list[Entry] = []
    start = 0
    for entry in sorted(added, key=rank):
        at = bisect_right(kept, rank(entry), start, key=rank)
        patched += kept[start:at]
        patched.append(entry)
        start = at
    patched += kept[start:]
    return patched


def surviving_neighbour(rows: list[Entry], cursor: int, removed: frozenset[str]) -> Entry | None:
    """The row to highlight when the one at ``cursor`` was removed: the next one left, else the
    one before; None when the highlighted row stays (or none is left)."""
    if not removed or not 0 <= cursor < len(rows) or rows[cursor].path not in removed:
        return None
    after = (e for e in islice(rows, cursor + 1, None) if e.path not in removed)
    before = (rows[i] for i in range(cursor - 1, -1, -1) if rows[i].path not in removed)
    return next(after, None) or next(before, None)
