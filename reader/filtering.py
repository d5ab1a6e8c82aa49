"""Filtering a whole list of rows per keystroke, with the loops in C.

Typing a search re-filters up to 100,000 rows at every key. A Python
predicate per row and qualifier costs a function call each; here a list of
rows (:class:`Rows`) carries the columns its qualifiers look at, made the
first time they are needed and kept as long as the list is, and every
qualifier becomes a ``map`` over its column (:meth:`reader.qualifiers.Qualifier.mask`),
combined and applied with ``itertools.compress``.
"""

from __future__ import annotations

import contextlib
import operator
import threading
from array import array
from collections.abc import Callable, Hashable, Iterator, Sequence
from functools import partial, reduce
from itertools import compress, islice
from operator import attrgetter
from typing import TYPE_CHECKING, TypeAlias

from reader import array_masks, ordering
from reader.entry import Entry
from reader.picked import PICKED_FROM, Flipped, Picked
from reader.pieces import pieces
from reader.qualifiers import KEY, PUBLISHED, QUALIFIERS, QUALITY, Column, Marks
from reader.query import Query

if TYPE_CHECKING:
    import numpy as np

Ids: TypeAlias = "set[int] | frozenset[int] | np.ndarray"
"""Row ids that a search's words match: a set, or an array (see
:meth:`reader.index.Index.match_array`)."""


def _row_ids(rows: list[Entry]) -> Sequence[int | None]:
    """The rows' ids packed in an array when all have one (entries outside an index have none).

    A search's words are checked as ``ids.__contains__`` over this column at every key. Over
    a list, each id is an int object somewhere in memory, reached for its hash: 60 ms at
    100,000 rows in an order other than the ids'. Read from an array, 12 ms.
    """
    if len(rows) >= IDS_IN_NUMPY_FROM:
        import numpy as np

        try:  # one pass: each id read once, no list of them (280 → 200 ms at 1,000,000)
            packed = np.fromiter(map(_ID, pieces(rows)), dtype=np.intc, count=len(rows))
        except (TypeError, OverflowError):  # an entry without an id, or one beyond 4 bytes
            pass
        else:
            column = array("i")
            column.frombytes(packed.tobytes())
            return column
    ids = list(map(_ID, pieces(rows)))
    if None in ids:
        return ids
    try:
        return array("i", ids)  # 4 bytes an id while they fit (row ids count up from 1)
    except OverflowError:
        return array("q", ids)


IDS_IN_NUMPY_FROM = 20_000
"""From this many rows the id column is read straight into a numpy array: below, numpy is not
worth importing for it."""
_ID = attrgetter("id")
ROW_ID = Column("id", _ID, _row_ids, eager=True)
"""The index's row ids: what full-text matches are reported as."""
_EAGER = [ROW_ID] + list({q.column: None for q in QUALIFIERS.values() if q.column.eager})
_ARRAYS = (QUALITY, PUBLISHED, KEY)
"""The columns whose packed copies :meth:`Rows.prepare` makes for a long list."""


def _picked_values(values: Sequence, positions: np.ndarray) -> Sequence:
    """``values`` (a column: a list, or an array of ids) at ``positions``, in the same kind."""
    if isinstance(values, array):
        import numpy as np

        dtype = np.intc if values.typecode == "i" else np.int64
        out = array(values.typecode)
        out.frombytes(np.frombuffer(values, dtype=dtype)[positions].tobytes())
        return out
    return ordering.picked(values, positions)


def _column_array(column: Column, rows: Sequence[Entry]) -> np.ndarray | None:
    """The packed copy of ``column`` for ``rows`` (see :meth:`Rows.array`)."""
    if column is QUALITY:
        return array_masks.quality_array(rows)
    if column is PUBLISHED:
        return array_masks.published_array(rows)
    return array_masks.key_bits(rows)


def flip_known(values: Sequence, known: int) -> Sequence:
    """``values`` (a list or an array) with its first ``known`` items in reverse order and the
    rest as they are."""
    flipped = values[known - 1 :: -1] if known else values[:0]
    flipped.extend(values[known:])  # not ``+``: a third list, 20 ms more at 1,000,000
    return flipped


def _flipped_bytes(values: bytes, known: int) -> bytes:
    """A mask of one byte per row (see :func:`_packed`) with its first ``known`` bytes
    reversed: the same mask over the order reversed."""
    return values[known - 1 :: -1] + values[known:] if known else values


def _flipped_at(known: int, positions: np.ndarray) -> np.ndarray:
    """Positions in an order reversed (its first ``known`` flipped) as positions in the
    order."""
    import numpy as np

    return np.where(positions < known, known - 1 - positions, positions)


def _picked_bytes(values: bytes, positions: np.ndarray) -> bytes:
    """A mask of one byte per row over some rows, as a mask over the rows picked from them at
    ``positions``."""
    import numpy as np

    return np.frombuffer(values, dtype=np.uint8)[positions].tobytes()


_NO_LOCK: contextlib.AbstractContextManager = contextlib.nullcontext()
"""What a list that is not a date order waiting for its positions holds instead of a lock."""


class Rows:
    """A list of entries in one order, with the columns that qualifiers filter it by."""

    def __init__(self, entries: Sequence[Entry]) -> None:  # a list, or a Flipped view
        self.entries = entries
        self._made: dict[Column, list] = {}
        self._arrays: dict[Column, np.ndarray | None] = {}
        """Packed copies of some columns, for the masks of long lists (see :meth:`array`)."""
        self._masks: dict[tuple[str, Hashable, Hashable], int] = {}
        """Qualifier masks by name, value and marks' version (see :meth:`_term_mask`)."""
        self._forward: tuple[Rows, int] | None = None
        """For a reversed order: the forward rows and their known count, whose columns flip."""
        self._origin: tuple[Rows, np.ndarray] | None = None
        """For rows picked from others (the quality order from the date order): those rows and
        the positions picked, which pick their columns too (see :meth:`reordered`)."""
        self._loaded: list[Entry] | None = None
        """For a long list's date order, until its positions are found: the entries as loaded
        (see :meth:`in_date_order`)."""
        self._finding = _NO_LOCK
        """Held while a date order's positions are found: a second thread asking meanwhile waits
        for them (the worker finds them first thing; a topic chosen then numbered the date
        order's scattered entries, 0.6-0.85 s at a million, where the positions cost 0.2-0.3)."""
        self._made_there = False
        """Whether a column the source has not made is made over the source's entries and
        picked, rather than over these (see :meth:`in_date_order`)."""

    @classmethod
    def reordered(cls, source: Rows, positions: np.ndarray) -> Rows:
        """The rows of ``source`` at ``positions`` (every one once: another order of them).

        Their columns are picked from ``source``'s by the same positions when it has them made:
        an array operation, or a pass over a list, where making them again reached into every
        entry, scattered in memory (at 1,000,000 rows, the quality order's columns took
        seconds of a worker that the keys shared the interpreter with).
        """
        rows = cls(ordering.picked(source.entries, positions))
        rows._origin = (source, positions)
        return rows

    @classmethod
    def in_date_order(cls, entries: list[Entry]) -> Rows:
        """``entries`` (a long list, in the order they were loaded) in the date order, their
        columns made over ``entries`` and picked.

        The entries lie in memory in the order they were loaded; in the date order they are
        scattered, and each column made by a pass over the date order reached into a million
        entries at random. The order itself is sorted as a list (a sort moves pointers; picking
        it by positions touched every entry at random, and the whole list waits for this
        order); the positions the columns are picked by are found in an array of the dates when
        a column is first made (see :attr:`_source`).
        """
        rows = cls(ordering.sort_entries(entries, ordering.SortKey.DATE))
        rows._loaded = entries
        rows._finding = threading.Lock()
        rows._made_there = True
        return rows

    @property
    def _source(self) -> tuple[Rows, np.ndarray] | None:
        """The rows these were picked from and the positions picked (see :attr:`_origin`); for a
        date order, found on first use (None when a date is too big for a float64 to hold
        exactly: the columns are then made over these rows). Two threads asking at once: the
        second waits for the first's positions."""
        if self._loaded is not None:
            with self._finding:
                loaded = self._loaded
                if loaded is not None:
                    published = array_masks.published_array(loaded)
                    if published is not None:
                        positions = ordering.date_order(published)
                        source = Rows(loaded)
                        source._arrays[PUBLISHED] = published  # where the masks are made
                        self._origin = (source, positions)
                    self._loaded = None
        return self._origin

    def column(self, column: Column) -> list:
        """The values of ``column`` for these entries, in their order (made once)."""
        values = self._made.get(column)
        if values is None:
            if self._forward is not None:  # slices of the forward order's column, made once
                forward, known = self._forward
                values = flip_known(forward.column(column), known)
            elif self._source is not None and (
                self._made_there or column in self._source[0]._made or column is ROW_ID
            ):
                source, positions = self._source
                made = source._made.get(column)
                if made is None and column is ROW_ID and not self._made_there:
                    made = source.column(column)  # kept there: its words are checked by them
                elif made is None:  # made over the source's entries, not kept there
                    made = column.of_rows(source.entries)
                values = _picked_values(made, positions)
            else:
                values = column.of_rows(self.entries)
            self._made[column] = values
        return values

    def prepare(self) -> None:
        """Make the eager columns now (in a worker), so the first key typed finds them ready.

        A column with a packed copy (a long list's, see :meth:`array`) is not also kept as a
        list: its qualifier reads the copy, and the list cost 8 bytes a row, 16 MiB an order at
        a million. It is made when something else asks for it. Rows whose masks are made over
        others (see :meth:`_over`) prepare those instead.
        """
        over = self._over()
        if over is not None:
            over[0].prepare()
            return
        for column in _EAGER:
            if column in _ARRAYS and self.array(column, make=True) is not None:
                continue
            self.column(column)

    def array(self, column: Column, make: bool = False, keep: bool = True) -> np.ndarray | None:
        """The packed copy of ``column`` that :mod:`reader.array_masks` filters a long list with:
        made ahead by :meth:`prepare` (``make``), or flipped from the forward order's; None
        when there is none (a short list, values an array cannot hold, not made yet). Kept
        here unless ``keep`` is false (what a sort reads once).

        Made from the rows only ahead: its Python pass (60 ms for a million keys' hashes) costs
        more than the ``map`` it saves, on the key that would wait for it.
        """
        if column in self._arrays:
            return self._arrays[column]
        if len(self.entries) < array_masks.ARRAYS_FROM or (self._loaded is not None and not make):
            return None  # (a date order's positions are found ahead, not on a key)
        source = self._source
        if column in self._arrays:  # a date order's dates, found with its positions
            return self._arrays[column]
        if self._forward is not None:
            forward, known = self._forward
            base = forward.array(column, make)
            if base is None:
                return None
            import numpy as np

            values = np.concatenate((base[known - 1 :: -1] if known else base[:0], base[known:]))
        elif source is not None and source[0]._arrays.get(column) is not None:
            values = source[0]._arrays[column][source[1]]
        elif not make:
            return None
        elif source is not None and self._made_there:
            values = _column_array(column, source[0].entries)  # not kept there
            values = None if values is None else values[source[1]]
        else:
            values = _column_array(column, self.entries)
        if keep:
            self._arrays[column] = values
        return values

    def flipped(self, known: int) -> Rows:
        """These rows with the first ``known`` reversed (a reversed sort order), columns too."""
        # A long order's reversed rows are a view over it (see Flipped): no list of their own.
        long = len(self.entries) >= FLIPPED_FROM and isinstance(self.entries, list)
        rows = Rows(Flipped(self.entries, known) if long else flip_known(self.entries, known))
        # Each column is flipped when first asked for: flipping them all at once held the first
        # reverse of 1,000,000 rows for 0.2 s, for columns only a search reads.
        rows._forward = (self, known)
        return rows

    def ids_ready(self) -> None:
        """Make the row ids a search's words are checked against (a reversed order's are its
        forward order's, see :meth:`_words_mask`)."""
        (self._forward[0] if self._forward is not None else self).column(ROW_ID)

    def _over(self) -> tuple[Rows, Callable[[bytes], bytes], Callable] | None:
        """The rows these rows' masks are made over, how one of their masks becomes these rows'
        and how positions here become positions there; None when they are made over these rows.

        A reversed order's are its forward order's, flipped; a long list's order picked from
        others (the date order from the list as loaded, the quality order from the date order)
        those others', picked by the same positions (a few milliseconds at a million rows).
        The columns and arrays the masks are made from are then made once, over the list as
        loaded, where each order held copies of its own: 16-20 MiB an order at a million.
        """
        if self._forward is not None:
            forward, known = self._forward
            return forward, partial(_flipped_bytes, known=known), partial(_flipped_at, known)
        if len(self.entries) >= array_masks.ARRAYS_FROM:
            source = self._source
            if source is not None:
                rows, positions = source
                return rows, partial(_picked_bytes, positions=positions), positions.__getitem__
        return None

    def _picked(self, positions: np.ndarray, columns: set[Column]) -> Rows:
        """The rows at ``positions``, with those of ``columns`` made here picked from these
        (a pass over a list, where making them again reaches into every entry), and the packed
        columns these have (see :meth:`array`); picked from the rows these rows' masks are made
        over, when they are (see :meth:`_over`), at the positions they are there."""
        over = self._over()
        if over is not None:
            return over[0]._picked(over[2](positions), columns)
        at = positions.tolist()
        rows = Rows(list(map(self.entries.__getitem__, at)))
        for column in columns:
            values = self._made.get(column)
            if values is not None:
                rows._made[column] = list(map(values.__getitem__, at))
        for column in _ARRAYS:
            packed = self.array(column)
            if packed is not None:
                rows._arrays[column] = packed[positions]
        return rows

    def mask(self, query: Query, ids: set[int] | None, marks: Marks) -> Iterator[bool] | None:
        """Per row, whether it is in ``ids`` (None: no words) and passes ``query``; None when
        every row does (a query of nothing)."""
        masks = [] if ids is None else [map(ids.__contains__, self.column(ROW_ID))]
        for term in query.terms:
            qualifier = QUALIFIERS[term.name]
            masks.append(qualifier.mask(term.value, self.column(qualifier.column), marks))
        return reduce(lambda a, b: map(operator.and_, a, b), masks) if masks else None

    def filtered(self, query: Query, ids: Ids | None, marks: Marks) -> Sequence[Entry]:
        """The entries in ``ids`` (full-text matches; None: no words) that pass ``query``."""
        rows, words = self, None
        if ids is not None:
            words = self._words_mask(ids)
            if not query.terms:  # words alone: their rows are kept at once (many as positions)
                return self._kept(words)
            if words.count(1) * 2 < len(self.entries) and not self._masks_kept(query, marks):
                # Words that leave few rows go first; qualifiers are then checked on those alone.
                needed = {QUALIFIERS[term.name].column for term in query.terms}
                rows, words = self._picked(_position_array(words), needed), None
        if not query.terms:
            return rows.entries if words is None else rows._kept(words)
        masks = [rows._term_mask(term.name, term.value, marks) for term in query.terms]
        if words is not None:  # one letter matches nearly all
            masks.append(int.from_bytes(words, "little"))
        return rows._kept(reduce(operator.and_, masks).to_bytes(len(rows.entries), "little"))

    def _words_mask(self, ids: Ids) -> bytes:
        """Per row, a byte: 1 when its id is among ``ids``, else 0.

        With the ids packed (see :func:`_row_ids`), in array operations: a table with a flag per
        id up to the rows' largest, read at every row's id. A set look-up per row took 50-90 ms
        at 1,000,000 rows; this takes a few.
        """
        if self._forward is not None:  # no ids of its own: its forward order's mask, flipped
            forward, known = self._forward
            return _flipped_bytes(forward._words_mask(ids), known)
        column = self.column(ROW_ID)  # picked from the list as loaded (see _over): 4 MiB
        import numpy as np

        if not isinstance(column, array):  # a few rows, or entries outside an index (no ids)
            if isinstance(ids, (set, frozenset)):
                return bytes(map(ids.__contains__, column))
            if None in column:
                return bytes(map(set(ids.tolist()).__contains__, column))
            # Not a set of every id matched (0.05 s for most of a million) for a few rows.
            return np.isin(np.array(column, dtype=np.int64), ids).view(np.uint8).tobytes()

        row_ids = np.frombuffer(column, dtype=np.intc if column.typecode == "i" else np.int64)
        if not len(row_ids):
            return b""
        if isinstance(ids, (set, frozenset)):
            ids = np.fromiter(ids, np.int64, len(ids))
        top = int(row_ids.max())
        table = np.zeros(top + 1, dtype=np.bool_)
        table[ids[(ids >= 0) & (ids <= top)]] = True
        return table[row_ids].tobytes()

    def _kept(self, keep: bytes) -> Sequence[Entry]:
        """The entries whose byte in ``keep`` is 1.

        Many are :class:`~reader.picked.Picked`, held as their positions: a list of them took
        45-70 ms at a million. Few are reached by their positions: ``compress`` takes a
        reference to every entry in turn, 38 ms for a million scattered in memory, whatever it
        keeps.
        """
        kept = keep.count(1)
        if kept >= PICKED_FROM:
            return Picked(self.entries, _position_array(keep))
        entries = self.entries
        if isinstance(entries, Flipped) and kept:
            # Reached in the list it flips, at their positions there: a Python call per row
            # through the view took 15 ms for 30,000 rows kept of 100,000.
            at = _flipped_at(entries.known, _position_array(keep)).tolist()
            return list(map(entries.flipped.__getitem__, at))
        if kept * 3 < len(entries):
            return list(map(entries.__getitem__, _positions(keep)))
        return list(compress(entries, keep))

    def _term_mask(self, name: str, value: Hashable, marks: Marks) -> int:
        """One qualifier's mask over these rows, packed (see :func:`_packed`).

        Typing a search re-filters at every key while its qualifiers stay as they are: their
        masks are kept (a few, on long lists only) and only the words' mask is made again. A
        mask that looks at marks is kept for one version of them (see :class:`Marks`).
        """
        qualifier = QUALIFIERS[name]
        key = _mask_key(name, value, marks)
        kept = key is not None and len(self.entries) >= KEEP_MASKS_FROM
        mask = self._masks.get(key) if kept else None
        if mask is None:
            over = self._over()
            if over is not None:  # those rows' mask (see _over), picked or flipped
                made = over[0]._term_mask(name, value, marks)
                size = len(over[0].entries)
                mask = int.from_bytes(over[1](made.to_bytes(size, "little")), "little")
            else:
                mask = self._array_mask(name, value, marks)
            if mask is None:
                mask = _packed(qualifier.mask(value, self.column(qualifier.column), marks))
            if kept:  # a new dict swapped in: a worker's count may filter these rows too
                latest = list(self._masks.items())[1 - MASKS_KEPT :]
                self._masks = dict([*latest, (key, mask)])
        return mask

    def _array_mask(self, name: str, value: Hashable, marks: Marks) -> int | None:
        """The mask of ``quality:``, ``after:``, ``before:`` or ``is:`` made in array operations
        over a long list (see :mod:`reader.array_masks`); None for any other, or where the arrays
        are not there."""
        column = QUALIFIERS[name].column
        if column is QUALITY or column is PUBLISHED:  # quality:, after:, before:
            values = self.array(column)
            if values is not None:
                return array_masks.compared(values, QUALIFIERS[name].steps(value, marks))
        elif column is KEY:  # is:
            # Made here when the worker has not yet: the keys' list it would stand for reads
            # every URL of a long list from the index (see reader.key_hashes).
            bits = self.array(KEY, make=True)
            if bits is not None:
                wanted = marks.starred if value == "starred" else marks.read
                return array_masks.marked(bits, self.entries, wanted, unmarked=value == "unread")
        return None

    def _masks_kept(self, query: Query, marks: Marks) -> bool:
        """Whether every qualifier of ``query`` has its mask over these rows kept.

        Then the words' few rows are not picked out first: the kept masks and the words' are
        combined over every row, a few passes in C, where picking the rows and making the
        masks again over them took 25 ms a key at 1,000,000.
        """
        over = self._over()
        if over is not None:  # its masks are those rows' (see _over)
            return over[0]._masks_kept(query, marks)
        masks = self._masks
        keys = [_mask_key(term.name, term.value, marks) for term in query.terms]
        return bool(keys) and all(key is not None and key in masks for key in keys)


def _mask_key(name: str, value: Hashable, marks: Marks) -> tuple[str, Hashable, Hashable] | None:
    """What a qualifier's kept mask is found by; None when it cannot be kept (it looks at
    marks whose version is not known)."""
    if not QUALIFIERS[name].needs_state:
        return (name, value, None)
    return None if marks.version is None else (name, value, marks.version)


MASKS_KEPT = 4
"""Qualifier masks a list keeps: each costs a byte per row (1 MiB at 1,000,000 rows)."""
FLIPPED_FROM = 20_000
"""Orders this long are reversed as a view over them (:class:`~reader.picked.Flipped`)."""
KEEP_MASKS_FROM = 20_000
"""Shorter lists make their masks again at every key (a few milliseconds)."""


def _positions(mask: bytes) -> list[int]:
    """The positions of the bytes that are 1 in ``mask``."""
    return _position_array(mask).tolist()


def _position_array(mask: bytes) -> np.ndarray:
    """The positions of the bytes that are 1 in ``mask``, as an array."""
    import numpy as np

    return np.flatnonzero(np.frombuffer(mask, dtype=np.uint8))


def _packed(mask: Iterator[bool]) -> int:
    """A mask as one int, a byte per row (0 or 1), the first row lowest.

    Masks are combined with ``&`` on these ints, a pass in C over bytes, instead of a
    ``map(operator.and_, ...)`` over every row that calls a function per row and mask:
    a third less time for a search with two qualifiers at 100,000 rows. Made a slice at a
    time: in one call, ``is:unread`` over a million rows with most of them read held the
    interpreter's lock for 0.3 s, and a worker counting saved searches held the screen so.
    """
    parts = []
    while part := bytes(islice(mask, PACK_SLICE)):
        parts.append(part)
    return int.from_bytes(b"".join(parts), "little")


PACK_SLICE = 1 << 16
"""Rows of a mask made in one call (a few milliseconds; the lock is free between them)."""
