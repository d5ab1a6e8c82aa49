"""Copies of one story among loaded entries: what the list folds into one row.

The index decides which articles are the same story (``Entry.group``, see
:mod:`reader.similar_store`); this module only looks that up among entries
already loaded, and folds a view's rows so that each story shows once. Few
entries have a group, so every pass here finds them with the loop in C and
only then looks at them one by one. No Textual.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from itertools import compress, count
from operator import attrgetter

from reader.entry import Entry, file_key, paths_of, same_file_keys

_GROUP = attrgetter("group")


def _grouped(entries: list[Entry]) -> list[int]:
    """The positions in ``entries`` of those that have a group (a pass in C).

    A group is an index row id, 1 or more: true, where no group (None) is false.
    """
    return list(compress(count(), map(_GROUP, entries)))


def groups_of(entries: Iterable[Entry]) -> dict[int, list[Entry]]:
    """Every duplicate group among ``entries`` with two or more of them, newest first."""
    rows = entries if isinstance(entries, list) else list(entries)
    found: dict[int, list[Entry]] = {}
    for at in _grouped(rows):
        entry = rows[at]
        found.setdefault(entry.group, []).append(entry)
    found = {group: members for group, members in found.items() if len(members) > 1}
    copied = [entry for members in found.values() for entry in members]
    path = dict(zip(map(id, copied), paths_of(copied)))  # asked for together: see paths_of
    return {
        group: sorted(
            members, key=lambda e: (e.published is None, -(e.published or 0), path[id(e)])
        )
        for group, members in found.items()
    }


def copies(groups: dict[int, list[Entry]], entry: Entry) -> list[Entry]:
    """The other copies of ``entry``'s story, newest first (empty when it stands alone)."""
    if entry.group is None:
        return []
    members = groups.get(entry.group, ())
    if any(other is entry for other in members):  # the usual case: no look-up
        return [other for other in members if other is not entry]
    keys = same_file_keys(entry)
    return [other for other in members if file_key(other) not in keys]


def collapse(rows: list[Entry], groups: dict[int, list[Entry]]) -> list[Entry]:
    """``rows`` with each story once: the first of its copies in ``rows``' own order stands for
    them, so any order (date, quality, relevance) stays right.

    ``groups`` is :func:`groups_of` the collection the rows come from; a row's other copies are
    then ``copies(groups, row)`` (the ``+N`` of the list is their number). ``rows`` itself is
    returned when nothing folds.
    """
    if not groups:
        return rows
    seen: set[int] = set()
    drop: list[int] = []
    for at in _grouped(rows):
        group = rows[at].group
        if group in groups:
            if group in seen:
                drop.append(at)
            else:
                seen.add(group)
    if not drop:
        return rows
    folded: list[Entry] = []
    start = 0
    for at in drop:  # the rows between two dropped ones are copied as slices, in C
        folded += rows[start:at]
        start = at + 1
    folded += rows[start:]
    return folded


VIEWS_KEPT = 16
"""Folded views :class:`Groups` remembers, least recently used dropped first."""


class Groups:
    """The duplicate groups of one collection's entries, and its views folded by them.

    Made once per collection (a changed file makes a new collection, so a new copy folds into
    its story's row at once). A view the collection keeps (an order, a topic) is the same list
    each time it is asked for, so its folded rows are kept too, by the list's identity.
    """

    def __init__(self, entries: list[Entry]) -> None:
        self.members = groups_of(entries)
        """Group -> its copies here, newest first (only groups of two or more)."""
        self._folded: OrderedDict[int, tuple[list[Entry], list[Entry]]] = OrderedDict()
        self._lock = threading.Lock()  # the sidebar's counting folds saved searches in a worker
        self._paths: dict[str, int] | None = None

    def __bool__(self) -> bool:
        return bool(self.members)

    def copies(self, entry: Entry) -> list[Entry]:
        """The other copies of ``entry``'s story, newest first."""
        return copies(self.members, entry)

    def extra(self, entry: Entry) -> int:
        """How many other copies ``entry``'s story has (the list's ``+N``; 0 when alone)."""
        members = self.members.get(entry.group) if entry.group is not None else None
        return len(members) - 1 if members else 0

    def story(self, entry: Entry) -> list[Entry]:
        """``entry`` and its other copies: what marking its row marks."""
        return [entry, *self.copies(entry)]

    def stories(self, entries: list[Entry]) -> list[Entry]:
        """``entries`` and every other copy of their stories, each once."""
        if not self.members:
            return entries
        extra = [
            other for at in _grouped(entries) for other in self.members.get(entries[at].group, ())
        ]
        if not extra:
            return entries
        files = set(map(file_key, entries))
        once = {id(e): e for e in extra}.values()  # by object: hashing a row may read the index
        return entries + [e for e in once if file_key(e) not in files]

    def group_at(self, entry: Entry) -> int | None:
        """The group of ``entry``'s file here (None when it stands alone here)."""
        if self._paths is None:
            self._paths = {file_key(e): g for g, members in self.members.items() for e in members}
        return next(filter(None, map(self._paths.get, same_file_keys(entry))), None)

    def collapse(self, rows: list[Entry]) -> list[Entry]:
        """:func:`collapse` ``rows``, remembered for the same list."""
        if not self.members:
            return rows
        key = id(rows)
        with self._lock:
            kept = self._folded.get(key)
            if kept is not None and kept[0] is rows:
                self._folded.move_to_end(key)
                return kept[1]
        folded = collapse(rows, self.members)
        with self._lock:
            self._folded[key] = (rows, folded)  # the list is held, so its id is not reused
            if len(self._folded) > VIEWS_KEPT:
                self._folded.popitem(last=False)
        return folded
