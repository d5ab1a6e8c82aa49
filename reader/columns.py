"""Filtering a whole list per keystroke with the loops in C.

Typing a search re-filters up to 100,000 rows at every key. A Python
predicate per row and qualifier costs a function call each; here each list
of rows gets columns of its values (row ids, state keys, quality, date),
made once and kept with the list, and every qualifier becomes a ``map``
over a column, combined and applied with ``itertools.compress``, so that
no Python code runs per row. (:func:`reader.query.entry_checks` is the
per-row reference these must agree with.)
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterator
from dataclasses import replace
from functools import reduce
from itertools import compress, repeat

from reader.entry import Entry, entry_keys
from reader.query import COMPARISONS, Query

_NAN = math.nan
"""Stands for a missing value: every comparison with it is false, as a qualifier on it must be."""


def _or_nan(values: list[float | int | None]) -> list[float | int]:
    if None not in values:
        return values
    return [_NAN if v is None else v for v in values]


def flip_known(values: list, known: int) -> list:
    """``values`` with its first ``known`` items in reverse order and the rest as they are."""
    flipped = values[known - 1::-1] if known else []
    return flipped + values[known:]


class Columns:
    """The values of one list of rows that qualifiers look at, each made the first time it is needed."""

    def __init__(self, rows: list[Entry]) -> None:
        self.rows = rows
        self._made: dict[str, list] = {}

    def prepare(self) -> None:
        """Make every column now (in a worker), so that the first key typed finds them ready."""
        for name in ("id", "key", "quality", "published"):
            self._column(name)

    def flipped(self, rows: list[Entry], known: int) -> Columns:
        """The columns of ``rows``: these rows with the first ``known`` reversed (a reversed sort order)."""
        columns = Columns(rows)
        columns._made = {name: flip_known(column, known) for name, column in self._made.items()}
        return columns

    def _column(self, name: str) -> list:
        column = self._made.get(name)
        if column is None:
            if name == "key":
                column = entry_keys(self.rows)
            elif name == "id":
                column = list(map(operator.attrgetter("id"), self.rows))
            else:
                column = _or_nan(list(map(operator.attrgetter(name), self.rows)))
            self._made[name] = column
        return column

    def narrowed(self, query: Query, ids: set[int] | None, read: set[str] | None,
                 starred: set[str] | None) -> tuple[list[Entry], Query]:
        """The rows that pass ``ids`` (word matches; None: no words) and the qualifiers handled here.

        Returns them with what is left of ``query`` for per-row checks (topics
        in several spellings, providers).
        """
        rest = replace(query, words=(), unread=False, read=False, starred=False, quality=(), after=None, before=None)
        columns = self
        masks = []
        if ids is not None:
            matches = map(ids.__contains__, self._column("id"))
            if len(ids) * 2 < len(self.rows):
                # Words that leave few rows go first; the qualifiers are then checked on those alone.
                columns = Columns(list(compress(self.rows, matches)))
            else:
                masks.append(matches)  # one letter typed matches nearly all: one pass over every column
        masks += columns._masks(query, read or set(), starred or set())
        if not masks:
            return columns.rows, rest
        keep = masks[0] if len(masks) == 1 else reduce(lambda a, b: map(operator.and_, a, b), masks)
        return list(compress(columns.rows, keep)), rest

    def _masks(self, query: Query, read: set[str], starred: set[str]) -> Iterator[Iterator[bool]]:
        if query.unread:
            yield map(operator.not_, map(read.__contains__, self._column("key")))
        if query.read:
            yield map(read.__contains__, self._column("key"))
        if query.starred:
            yield map(starred.__contains__, self._column("key"))
        for op, value in query.quality:
            yield map(COMPARISONS[op], self._column("quality"), repeat(value))
        if query.after is not None:
            yield map(operator.ge, self._column("published"), repeat(query.after))
        if query.before is not None:
            yield map(operator.lt, self._column("published"), repeat(query.before))
