"""The rows ``newsreader list`` prints, decided from as few of the index's rows as possible.

Loading every entry costs most of a second at 100,000 articles. Most uses need
far fewer: ``list --limit 50`` prints the head of an order, which
:meth:`reader.index_reads.IndexReads.page` reads through the order's SQL index,
and a query with words can only list what the full-text index matches. Either
way a small :class:`Collection` is made of those entries and every other copy
of their stories, renamed and hidden exactly as :meth:`reader.library.Source.load`
does, and asked the same question the whole cache would be: the rows, their
folding and their copies come out the same (``tests/cli/test_list_fast.py``),
because every check is per row and the orders are one total order. When the
head read does not decide ``limit`` rows (a narrow query), a longer head is
read, then the whole cache. No Textual.
"""

from __future__ import annotations

from operator import attrgetter

from reader.collection import Collection
from reader.entry import Entry
from reader.index_schema import COLUMNS
from reader.library import Source
from reader.ordering import SortKey
from reader.query import fts_expression, parse_query

HEAD_MOST = 20_000
"""The longest head of an order read before loading everything instead."""
MATCHED_SHARE = 4
"""A query's words narrow the load when they match at most one article in this many."""

_ID = attrgetter("id")


def copies_included(source: Source, entries: list[Entry]) -> Collection:
    """A collection of ``entries`` and the other copies of their stories, as the whole cache's
    would hold them: topics renamed, hide rules applied, in the index's id order (ties keep it)."""
    wanted = {e.group for e in entries if e.group is not None}
    known = set(map(_ID, entries))
    extra = [e for e in _members(source, sorted(wanted)) if e.id not in known]
    chosen = sorted(entries + extra, key=_ID)
    index = source.index
    return Collection.hiding(
        source.names.apply(chosen),
        source.hiding,
        index.search,
        index.match_ids,
        source.names,
        index.match_array,
    )


def _members(source: Source, groups: list[int]) -> list[Entry]:
    """Every indexed article in ``groups`` (through the index on ``dup_group``)."""
    index, found = source.index, []
    with index._lock:
        for start in range(0, len(groups), 500):
            chunk = groups[start : start + 500]
            rows = index.conn.execute(
                f"SELECT {COLUMNS} FROM articles WHERE dup_group IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found += map(Entry._make, rows)
    return found


def _rows(
    collection: Collection, key: SortKey, reverse: bool, query: str, marks: tuple, grouped: bool
) -> list[Entry]:
    """The rows ``list`` prints from ``collection``, in full (as its whole path computes them)."""
    read, starred = marks
    rows = collection.view(key, reverse, None, query, read=read, starred=starred)
    return collection.groups.collapse(rows) if grouped else rows


def listed(
    source: Source,
    key: SortKey,
    reverse: bool,
    query: str,
    marks: tuple[set[str] | None, set[str] | None],
    grouped: bool,
    limit: int | None,
) -> tuple[Collection, list[Entry]] | None:
    """What ``list`` prints (the collection its copies come from, and the rows), read from part
    of the index; None when only the whole cache can tell (or it holds no article)."""
    if limit is not None:
        head = _head(source, key, reverse, query, marks, grouped, limit)
        if head is not None:
            return head
    words = parse_query(query).words
    if not words:
        return None
    ids = source.index.match_ids(fts_expression(words))
    total = source.index.count()
    if not total or len(ids) * MATCHED_SHARE > total:
        return None
    collection = copies_included(source, list(source.index.entries_by_id(ids).values()))
    rows = _rows(collection, key, reverse, query, marks, grouped)
    return collection, rows if limit is None else rows[:limit]


def _head(
    source: Source,
    key: SortKey,
    reverse: bool,
    query: str,
    marks: tuple,
    grouped: bool,
    limit: int,
) -> tuple[Collection, list[Entry]] | None:
    """The first ``limit`` rows from a head of the order, read longer until it decides them."""
    size = max(2 * limit, 100)
    while size <= HEAD_MOST:
        page = source.index.page(key.value, reverse, size)
        if not page:
            return None  # nothing indexed: the whole path says so
        collection = copies_included(source, page)
        rows = _rows(collection, key, reverse, query, marks, grouped)
        if len(page) < size:  # the whole index was read: every row is known
            return collection, rows[:limit]
        # Rows of the head come first in the order; the copies read with them come after it.
        in_head = set(map(_ID, page))
        decided = 0
        for entry in rows:
            if entry.id not in in_head or decided == limit:
                break
            decided += 1
        if decided == limit:
            return collection, rows[:limit]
        size *= 4
    return None
