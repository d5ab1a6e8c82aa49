"""Going to a related article in the list, and the way back. No Textual.

The article may not be in the list as it is (another topic, a search, a hide
rule): then the list switches to a view that has it, in the same order, and
a :class:`Crumb` remembers where the user was so ``backspace`` returns there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress

from reader.entry import Entry, file_key, same_file_keys
from reader.library import Collection
from reader.scopes import ALL, HIDDEN
from reader.view import ViewState

MAX_CRUMBS = 100
"""How many steps back are kept (the oldest are forgotten)."""


@dataclass(frozen=True)
class Crumb:
    """Where the user was: the view and the highlighted article (None in an empty list)."""

    view: ViewState
    entry: Entry | None


@dataclass
class Breadcrumbs:
    """The way back through the related articles gone to, latest last."""

    crumbs: list[Crumb] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.crumbs)

    def push(self, crumb: Crumb) -> None:
        self.crumbs.append(crumb)
        del self.crumbs[:-MAX_CRUMBS]

    def pop(self) -> Crumb | None:
        return self.crumbs.pop() if self.crumbs else None


def row_for(target: Entry, rows: Sequence[Entry]) -> Entry | None:
    """The row that shows ``target``: its own, else its story's (a list may fold the copies)."""
    keys = same_file_keys(target)  # by file, as the rows may read their paths from the index
    found = next(compress(rows, map(keys.__contains__, map(file_key, rows))), None)
    if found is None and target.group is not None:
        group = target.group
        found = next((row for row in rows if row.group == group), None)
    return found


def view_showing(
    target: Entry, view: ViewState, collection: Collection, read: set[str], starred: set[str]
) -> ViewState | None:
    """A view that lists ``target``, in ``view``'s order: all articles, else the hidden ones
    (None when it is in neither: gone from the cache since)."""
    for scope in (ALL, HIDDEN):
        candidate = ViewState(scope=scope, sort=view.sort, reverse=view.reverse)
        if row_for(target, candidate.rows(collection, read, starred)) is not None:
            return candidate
    return None
