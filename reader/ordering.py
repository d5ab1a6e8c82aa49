"""The orders the list shows entries in, and keeping one in order as a few entries change.

Sorting 100,000 entries takes a tenth of a second; when the watcher brings
one changed file, the loaded order is patched instead (a pass to drop the
old entry and a binary search to place the new one). No Textual.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from enum import Enum
from itertools import compress, islice, repeat
from operator import attrgetter, is_, is_not, not_

from reader.entry import Entry

_PATH = attrgetter("path")


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


def sort_entries(entries: list[Entry], key: SortKey, reverse: bool = False) -> list[Entry]:
    """``entries`` in the order the list shows them.

    Date: newest first. Quality: highest first, ties newest first. ``reverse``
    flips the known values only: articles without a date (or quality) stay
    last either way, themselves newest first. The unknowns are set apart first, so
    the sorts compare plain values fetched in C (no Python key function per entry);
    stable sorts keep ties in the order given. Entries already in date order
    (the collection sorts by quality from its date order) cost the date sort a pass.
    The quality sort extends the date order in place rather than adding it to a copy: each
    copy of 100,000 entries is 0.8 MiB more at the sort's peak.
    """
    dated, undated = _split_known(entries, _PUBLISHED)
    dated.sort(key=_PUBLISHED, reverse=True)  # stable, reversed or not
    if key is SortKey.DATE:
        known, unknown = dated, undated
    else:
        dated += undated
        known, unknown = _split_known(dated, _QUALITY, copy=False)
        del dated, undated
        known.sort(key=_QUALITY, reverse=True)  # stable: ties stay newest first
    if reverse:
        known.reverse()
    return known + unknown if unknown else known  # exactly as long (+= would over-allocate)


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


def without(entries: list[Entry], gone: set[str]) -> list[Entry]:
    """``entries`` less those at ``gone`` paths (the loop in C: 100,000 entries in a few ms)."""
    return list(compress(entries, map(not_, map(gone.__contains__, map(_PATH, entries)))))


def patched_order(
    ordered: list[Entry], gone: set[str], added: list[Entry], key: SortKey
) -> list[Entry]:
    """``ordered`` (a forward order of :func:`sort_entries`) without the entries at ``gone``
    paths and with ``added`` in their places: what sorting again would give, for a few changes.

    Among equal keys an added entry goes last; the order stays valid, so a reversed order
    can still be made from it.
    """
    kept = without(ordered, gone)
    rank = _RANKS[key]
    for entry in sorted(added, key=rank):
        kept.insert(bisect_right(kept, rank(entry), key=rank), entry)
    return kept


def surviving_neighbour(rows: list[Entry], cursor: int, removed: frozenset[str]) -> Entry | None:
    """The row to highlight when the one at ``cursor`` was removed: the next one left, else the
    one before; None when the highlighted row stays (or none is left)."""
    if not removed or not 0 <= cursor < len(rows) or rows[cursor].path not in removed:
        return None
    after = (e for e in islice(rows, cursor + 1, None) if e.path not in removed)
    before = (rows[i] for i in range(cursor - 1, -1, -1) if rows[i].path not in removed)
    return next(after, None) or next(before, None)
