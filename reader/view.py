"""What the user chose to see: scope, typed search, order. Plain data, no Textual.

The main screen holds one :class:`ViewState` in a reactive and recomputes the
list whenever it is replaced, so every key that changes the view only builds
a new value (:func:`dataclasses.replace` or the helpers here).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from reader.entry import Entry
from reader.grouping import Groups
from reader.library import Collection, SortKey
from reader.query import Query, parse_query, quote_value
from reader.scopes import ALL, HIDDEN, Scope

_NOTHING = Collection([])


@dataclass(frozen=True)
class ViewState:
    """The list's scope, search text and order; equal values show the same rows."""

    scope: Scope = ALL
    """The sidebar line chosen."""
    text: str = ""
    """The typed search, stripped."""
    sort: SortKey = SortKey.DATE
    """Date or quality order (saved in the settings)."""
    reverse: bool = False
    """Whether the order is flipped (saved in the settings)."""
    relevance: bool = False
    """Whether a word search is shown best match first instead of in the sort order."""
    grouped: bool = True
    """Whether the copies of one story show as one row (``[list] group_duplicates``)."""

    @property
    def search_text(self) -> str:
        """The scope's own query plus the typed text: what the collection is filtered by."""
        return f"{self.scope.query} {self.text}".strip()

    @cached_property
    def query(self) -> Query:
        """The parsed :attr:`search_text` (parsed once per value)."""
        return parse_query(self.search_text)

    @property
    def by_relevance(self) -> bool:
        """Whether the rows are ranked by match (relevance chosen and words searched)."""
        return self.relevance and bool(self.query.words)

    def listed(self, collection: Collection) -> Collection:
        """What the scope lists from: ``collection``, or what its hide rules leave out."""
        if self.scope.kind == HIDDEN.kind:
            return collection.hidden or _NOTHING
        return collection

    def rows(
        self,
        collection: Collection,
        read: set[str],
        starred: set[str],
        marks_version: Hashable | None = None,
    ) -> Sequence[Entry]:
        """The rows ``collection`` has for this view, given the read and starred keys (and their
        version, see :meth:`Collection.view`); the copies of one story folded into the first of
        them (see :mod:`reader.grouping`)."""
        listed = self.listed(collection)
        rows = listed.view(
            self.sort,
            self.reverse,
            self.scope.topic,
            self.search_text,
            read=read,
            starred=starred,
            relevance=self.by_relevance,
            marks_version=marks_version,
        )
        return listed.groups.collapse(rows) if self.grouped else rows

    def groups(self, collection: Collection) -> Groups | None:
        """The groups :meth:`rows` folds by (their ``+N`` and what marking a row marks); None
        when every copy is listed."""
        return self.listed(collection).groups if self.grouped else None

    @property
    def saved_search(self) -> str:
        """What ``ctrl+s`` saves: the typed search within the scope ("" when nothing is typed).

        Saved in a topic, unread, starred or a saved search, the new view keeps
        that scope, so choosing it shows the rows the list showed.
        """
        if not self.text:
            return ""
        scope = self.scope
        base = f"topic:{quote_value(scope.topic)}" if scope.topic is not None else scope.query
        return f"{base} {self.text}".strip()

    def next_sort(self) -> ViewState:
        """The order after ``s``: date or quality, and relevance too during a word search."""
        if not self.query.words:
            return replace(self, sort=self.sort.other, reverse=False, relevance=False)
        if self.relevance:  # relevance -> date -> quality -> relevance
            return replace(self, sort=SortKey.DATE, reverse=False, relevance=False)
        if self.sort is SortKey.QUALITY:
            return replace(self, reverse=False, relevance=True)
        return replace(self, sort=SortKey.QUALITY, reverse=False)

    def cleared(self) -> ViewState:
        """The same scope and order without a typed search."""
        return replace(self, text="", relevance=False)


class ScopeSize:
    """How many articles the scope holds before the typed search ("3 of 49" in the title).

    Counted once per scope and collection, not at every key typed in a search.
    """

    def __init__(self) -> None:
        self._key: tuple[Scope, int] | None = None
        self._size = 0

    def of(
        self, view: ViewState, collection: Collection, shown: int, read: set[str], starred: set[str]
    ) -> int:
        """The scope's size; ``shown`` is it when nothing is typed."""
        key = (view.scope, id(collection))
        if not view.text:
            self._key, self._size = key, shown
        elif self._key != key:
            self._key, self._size = key, len(replace(view, text="").rows(collection, read, starred))
        return self._size
