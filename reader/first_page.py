"""The first screen of a big cache, read from the index before every entry is loaded.

Loading 100,000 entries takes a few tenths of a second, and at a million
several seconds; the first screen needs a couple of hundred rows. A
:class:`FirstPage` holds the head of each list order (date or quality, either
way round), read through the index's order indexes in a few milliseconds, and
the size of the whole list, counted by the index. The main screen shows it
while the whole collection loads behind it, and a long first scan shows one
now and then instead of loading everything again. No Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.collection import Collection
from reader.ordering import SortKey

PAGE_ROWS = 200
"""Rows read for each order: more than the tallest terminal shows, and a few pages down."""

Order = tuple[SortKey, bool]
"""A list order: the sort key and whether it is flipped."""

ORDERS: tuple[Order, ...] = tuple((key, reverse) for key in SortKey for reverse in (False, True))
"""Every plain order of the list: ``s`` and ``r`` on the first screen find their head ready."""


@dataclass(frozen=True)
class FirstPage:
    """The head of each list order, and how many rows the whole list has."""

    articles: int
    """Articles in the index: the rows of the whole list when every copy is listed."""
    stories: int
    """The rows of the whole list when the copies of a story are folded into one."""
    heads: dict[Order, Collection] = field(default_factory=dict)
    """The first :data:`PAGE_ROWS` articles of each order, hide rules and topic renames applied:
    each a small collection whose own order is that head."""

    def head(self, key: SortKey, reverse: bool) -> Collection | None:
        """The first rows of one order (None when that order was not read)."""
        return self.heads.get((key, reverse))

    def total(self, folded: bool) -> int:
        """How many rows the whole plain list has (``folded``: a story's copies as one row)."""
        return self.stories if folded else self.articles

    def __bool__(self) -> bool:
        return self.articles > 0


NO_PAGE = FirstPage(0, 0)
"""Nothing read (an empty index)."""
