"""Read marks and stars together with the sidebar's counts of them. No Textual.

:class:`Marks` owns the :class:`~reader.state.StateStore` and the
:class:`~reader.scopes.Counts`, so a mark and the counts it changes move
together: the screen never adjusts a count itself. Counting a whole
collection is slow at 100,000 articles, so it runs in a worker from a
snapshot (:meth:`Marks.tally`); :attr:`Marks.changes` tells whether a mark
was made after that snapshot, in which case the tally is stale and must be
computed again rather than overwrite the newer mark's counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from operator import not_

from reader.entry import Entry, entry_key, entry_keys, file_key
from reader.key_hashes import marked
from reader.library import Collection, SortKey
from reader.query import parse_query
from reader.scopes import Counts
from reader.state import SavedView, StateStore, flipping

FIND_ALL_ABOVE = 500
"""Marking more articles than this at once counts every article that holds one of their keys
(a pass over the collection, 0.1-0.3 s at a million); fewer are counted from the articles given,
the copies of their stories among them. Two files of one URL share a mark: both flip."""

VIEWS_AT_ONCE_UP_TO = 20_000
"""Saved searches that look at marks (``is:unread``...) are counted again at each mark on
collections up to this size. On bigger ones each took 0.03-0.4 s at a million, at every
article read: they are counted by a worker instead (see :meth:`Marks.count_state_views`)."""

VIEWS_BY_CHANGE_UP_TO = FIND_ALL_ABOVE
"""On a big collection, marks of up to this many articles change the saved searches' counts by
what each search keeps of them (a few milliseconds); more are counted again by a worker."""

ViewCounts = list[tuple[SavedView, int]]
"""Each saved search with the number of articles it shows."""


@dataclass(frozen=True)
class ViewTally:
    """The saved searches' counts, taken from the marks as they were at change :attr:`changes`."""

    collection: Collection
    views: ViewCounts
    changes: int


@dataclass(frozen=True)
class Tally:
    """Counts of one collection, taken from the marks as they were at change :attr:`changes`."""

    collection: Collection
    counts: Counts
    views: ViewCounts
    changes: int


def count_view(view: SavedView, collection: Collection, read: set[str], starred: set[str]) -> int:
    """How many articles of ``collection`` the saved search shows."""
    return len(collection.view(SortKey.DATE, False, None, view.query, read=read, starred=starred))


def _needs_state(view: SavedView) -> bool:
    """Whether a mark can change what the saved search shows."""
    return parse_query(view.query).needs_state


def _flips(
    entries: Iterable[Entry], marked: set[str], on: bool
) -> tuple[list[Entry], list[str], set[str]]:
    """``entries`` as a list, their keys, and the keys a change to ``on`` flips (as set
    operations: entry by entry, a million took a second and a half)."""
    rows = entries if isinstance(entries, list) else list(entries)
    keys = entry_keys(rows)
    return rows, keys, flipping(keys, marked, on)


def _given(rows: list[Entry], keys: list[str], changing: set[str]) -> list[Entry]:
    """The ``rows`` whose key is ``changing``, each file once (an article given twice counts
    once; two files of one URL both count)."""
    return [*{file_key(row): row for row, key in zip(rows, keys) if key in changing}.values()]


def _hidden(collection: Collection) -> list[Entry] | None:
    """What the hide rules leave out of ``collection`` (None when there are no rules)."""
    return None if collection.hidden is None else collection.hidden.entries


class Marks:
    """The reading state of the shown collection: marks, saved searches, and their counts."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self.collection = Collection([])
        """The collection the counts are for (set when a new one is shown)."""
        self.counts = Counts([], set(), set())
        """The sidebar's totals (empty until the first tally arrives)."""
        self.view_counts: ViewCounts = []
        """Each saved search with its count."""
        self.views_stale = False
        """Whether marks were made since the saved searches that look at marks were counted
        (on a big collection, see :data:`VIEWS_AT_ONCE_UP_TO`): a worker counts them."""
        self._views_changes = 0
        """The change :attr:`view_counts` were counted at."""
        self.changes = 0
        """Bumped by every change of marks: a tally taken before the last change is stale."""
        self.counted = False
        """Whether :attr:`counts` has been counted yet (until then a mark adjusts nothing)."""
        self.sync_problem = ""
        """Why marks do not go to or come from other machines now ("" when they do, or no sync)."""
        self.synced = ""
        """What the last sync pass brought from other machines, for a moment ("" otherwise)."""

    @property
    def read(self) -> set[str]:
        """Keys of read articles (the live set the list asks per row)."""
        return self.store.read

    @property
    def starred(self) -> set[str]:
        """Keys of starred articles (the live set)."""
        return self.store.starred

    @property
    def problem(self) -> str:
        """Why marks are kept in memory (empty when they are saved)."""
        return self.store.problem

    @property
    def unread(self) -> int | None:
        """Unread articles, or None before the first count (a guess of 0 would mislead)."""
        return self.counts.unread if self.counted else None

    def save(self) -> bool:
        """Try again to write marks that wait in memory; returns whether none waits any more."""
        return self.store.save()

    def is_read(self, entry: Entry) -> bool:
        """Whether ``entry`` is read."""
        return entry_key(entry) in self.store.read

    def unread_of(self, rows: list[Entry]) -> list[Entry]:
        """Those of ``rows`` not read, told by their keys' hashes (see :mod:`reader.key_hashes`):
        one look-up at a time, a million rows leaving their URLs in the index read each."""
        return list(compress(rows, map(not_, marked(rows, self.store.read))))

    def marks_of(self, entry: Entry | None) -> tuple[bool, bool]:
        """``(read, starred)`` of ``entry`` (both false for none)."""
        if entry is None:
            return (False, False)
        key = entry_key(entry)
        return (key in self.store.read, key in self.store.starred)

    # --- changes ---------------------------------------------------------------------

    def set_read(self, entries: Iterable[Entry], read: bool) -> int:
        """Mark ``entries`` read or unread and count them so; returns how many changed."""
        rows, keys, changing = _flips(entries, self.store.read, read)
        if not changing:
            return 0
        self.store.set_read(changing, read)
        self.changes += 1
        if self.counted:  # else the first count, still to come, will see this mark
            many = len(changing) > FIND_ALL_ABOVE
            flipped = self._holding(changing) if many else _given(rows, keys, changing)
            self.counts.read_changed(flipped, read)
            self._recount_state_views(flipped, now_read=read)
        return len(changing)

    def _holding(self, keys: set[str]) -> list[Entry]:
        """Every article of the collection, hidden ones included, whose key is one of ``keys``."""
        rows = self.collection.entries + (_hidden(self.collection) or [])
        return list(compress(rows, marked(rows, keys)))  # by the keys' hashes: see key_hashes

    def toggle_star(self, entry: Entry) -> bool:
        """Star or unstar ``entry``; returns whether it is starred now."""
        starred = entry_key(entry) not in self.store.starred
        self.set_starred([entry], starred)
        return starred

    def set_starred(self, entries: Iterable[Entry], starred: bool) -> int:
        """Star or unstar ``entries`` (a story's copies) and count them so; returns how many
        stars changed. Two files of one URL share a star: both are counted."""
        rows, keys, changing = _flips(entries, self.store.starred, starred)
        if not changing:
            return 0
        self.store.set_starred(changing, starred)
        self.changes += 1
        if self.counted:
            flipped = _given(rows, keys, changing)
            self.counts.stars_changed(flipped, starred)
            self._recount_state_views(flipped, now_starred=starred)
        return len(changing)

    def save_view(self, name: str, query: str) -> None:
        """Save (or replace) a named search, and count it."""
        self.store.save_view(name, query)
        self._recount_views()

    def delete_view(self, name: str) -> None:
        """Forget a saved search."""
        self.store.delete_view(name)
        self._recount_views()

    def reload(self, rows: tuple[list, list] | None = None) -> None:
        """Take the marks and saved searches on file (a sync pass merged other machines' there).

        The counts are stale then: :attr:`changes` moves on so that a tally under way is not
        taken, and the caller counts again (in a worker: at 100,000 articles it is slow).
        """
        self.store.reload(rows)
        self.changes += 1

    # --- counting ----------------------------------------------------------------------

    def tally(self, collection: Collection) -> Tally:
        """Count ``collection`` from a snapshot of the marks (safe in a worker thread)."""
        changes = self.changes  # read before the snapshot: a change during it makes the tally stale
        read, starred = set(self.store.read), set(self.store.starred)
        counts = Counts(collection.entries, read, starred, _hidden(collection))
        views = [(view, count_view(view, collection, read, starred)) for view in self.store.views()]
        return Tally(collection, counts, views, changes)

    def adopt(self, tally: Tally) -> bool:
        """Take a worker's tally unless a mark changed since its snapshot; returns whether taken."""
        if tally.changes != self.changes:
            return False
        self.counts = tally.counts
        self.view_counts = tally.views
        self._views_changes, self.views_stale = tally.changes, False
        self.counted = True
        return True

    def count_state_views(self) -> ViewTally:
        """Count the saved searches that look at marks, from a snapshot (safe in a worker)."""
        changes, collection, views = self.changes, self.collection, self.view_counts
        read, starred = set(self.store.read), set(self.store.starred)
        counted = [
            (view, count_view(view, collection, read, starred) if _needs_state(view) else count)
            for view, count in views
        ]
        return ViewTally(collection, counted, changes)

    def adopt_views(self, tally: ViewTally) -> bool:
        """Take a worker's counts of the saved searches unless older than those shown (or of
        other searches, or another collection); whether taken. Taken from before the last mark,
        they are nearer than those shown, and :attr:`views_stale` stays set for another count."""
        same = [view for view, _ in tally.views] == [view for view, _ in self.view_counts]
        if not same or tally.collection is not self.collection:
            return False
        if tally.changes <= self._views_changes:
            return False
        self.view_counts, self._views_changes = tally.views, tally.changes
        self.views_stale = tally.changes != self.changes
        return True

    def _recount_views(self) -> None:
        read, starred = self.store.read, self.store.starred
        self.view_counts = [
            (view, count_view(view, self.collection, read, starred)) for view in self.store.views()
        ]
        self._views_changes, self.views_stale = self.changes, False

    def _recount_state_views(
        self,
        flipped: list[Entry] | None = None,
        now_read: bool | None = None,
        now_starred: bool | None = None,
    ) -> None:
        """Saved searches with is:unread / is:starred / is:read count differently after a mark.

        Counted again on a small collection. On a big one, a few articles ``flipped`` read or
        unread (``now_read``), or starred or not (``now_starred``), change each count by what
        the search keeps of them before and after (a collection of them alone, searched as the
        whole is). Else the counts are stale, for a worker (:meth:`count_state_views`).
        """
        if not any(_needs_state(view) for view, _ in self.view_counts):
            self._views_changes = self.changes
            return
        if len(self.collection) <= VIEWS_AT_ONCE_UP_TO:
            read, starred = self.store.read, self.store.starred

            def count(view: SavedView, n: int) -> int:
                return count_view(view, self.collection, read, starred)

        elif flipped is not None and len(flipped) <= VIEWS_BY_CHANGE_UP_TO and not self.views_stale:
            shown = self.counts.shown(flipped)
            part = self.collection.part(shown)
            keys = set(entry_keys(shown))
            # The marks of these articles before and after, (read, starred) each.
            read, starred = keys & self.store.read, keys & self.store.starred
            if now_read is not None:
                was, now = (set(), keys) if now_read else (keys, set())
                before, after = (was, starred), (now, starred)
            else:
                was, now = (set(), keys) if now_starred else (keys, set())
                before, after = (read, was), (read, now)

            def count(view: SavedView, n: int) -> int:
                return n + count_view(view, part, *after) - count_view(view, part, *before)

        else:
            self.views_stale = True
            return
        self.view_counts = [
            (view, count(view, n) if _needs_state(view) else n) for view, n in self.view_counts
        ]
        self._views_changes = self.changes

    def close(self) -> str:
        """Close the state database; one line when changes could not be saved, else empty."""
        return self.store.close()
