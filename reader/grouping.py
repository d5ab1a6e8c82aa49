"""Copies of one story among loaded entries: what the list folds into one row.

The index decides which articles are the same story (``Entry.group``, see
:mod:`reader.similar_store`); this module only looks that up among entries
already loaded. No Textual.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from operator import attrgetter

from reader.entry import Entry

_NEWEST_FIRST = attrgetter("published")


def groups_of(entries: Iterable[Entry]) -> dict[int, list[Entry]]:
    """Every duplicate group among ``entries`` with two or more of them, newest first."""
    found: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.group is not None:
            found[entry.group].append(entry)
    return {
        group: sorted(members, key=lambda e: (e.published is None, -(e.published or 0), e.path))
        for group, members in found.items()
        if len(members) > 1
    }


def copies(groups: dict[int, list[Entry]], entry: Entry) -> list[Entry]:
    """The other copies of ``entry``'s story, newest first (empty when it stands alone)."""
    if entry.group is None:
        return []
    return [other for other in groups.get(entry.group, ()) if other.path != entry.path]
