"""The duplicate groups of a long build, found in one pass at its end.

A scan of many files (a first index, a folder of thousands moved in) keeps their sameness keys
apart, in ``same_keys_pending``, and groups nothing batch by batch. Grouped per batch, each
key was a random write into the by-key index and a random read of it, over an index growing
with the build: at a million files that was a third of the storing process's time, and most of
its writes. At the end the keys join ``same_keys`` in id order, and the groups are found once:

- a few pending articles are looked up by key, as a batch is (:func:`similar_store.regroup`);
- many: every key that two to :data:`similar_store.COMMON_KEY` articles share is read once,
  and the pairs that share an address's key or two text keys are counted with numpy, a part
  at a time, so that all the pairs of a million articles are never held at once.

Until then the articles of that build have no group, and the look-up of cached URLs does not
find them. A stop leaves the keys pending: the next scan's end groups them. No Textual.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterator
from math import ceil
from typing import TYPE_CHECKING

from reader.duplicates import UnionFind
from reader.similar_store import (
    COMMON_KEY,
    KEY_INDEX,
    PENDING_TABLE,
    copies_of,
    group_of,
    regroup,
    write_groups,
)
from reader.similarity import is_url_key, same, sameness

if TYPE_CHECKING:
    from numpy import ndarray

GROUP_ALL_FROM = 20_000
"""From this many pending articles every group is found again in one pass, not by key."""
PAIRS_PER_PART = 1 << 20
"""Pairs counted at a time: about 40 MiB of arrays."""
CHECKED_PER_PART = 5000
"""Candidate pairs whose articles are read and compared at a time."""


def has_pending(conn: sqlite3.Connection) -> bool:
    """Whether a build left keys to group."""
    return conn.execute(f"SELECT 1 FROM {PENDING_TABLE} LIMIT 1").fetchone() is not None


def group_pending(conn: sqlite3.Connection) -> set[int]:
    """Move the pending keys into ``same_keys`` and group their articles: the ids whose group
    changed. In the caller's transaction."""
    count = conn.execute(f"SELECT count(DISTINCT id) FROM {PENDING_TABLE}").fetchone()[0]
    if not count:
        return set()
    few = count < GROUP_ALL_FROM
    ids = (
        [row[0] for row in conn.execute(f"SELECT DISTINCT id FROM {PENDING_TABLE}")] if few else []
    )
    _move_pending(conn)
    return regroup(conn, ids) if few else regroup_all(conn)


def _move_pending(conn: sqlite3.Connection) -> None:
    """The pending keys into ``same_keys``. When they are as many as those already there, the
    by-key index is dropped and made again: one sort, where each key inserted was a random
    write (6 s for the five million keys of a million articles)."""
    moving = conn.execute(f"SELECT count(*) FROM {PENDING_TABLE}").fetchone()[0]
    held = conn.execute("SELECT count(*) FROM same_keys").fetchone()[0]
    rebuild = moving >= held
    if rebuild:
        conn.execute("DROP INDEX IF EXISTS same_keys_by_key")
    conn.execute(f"INSERT OR IGNORE INTO same_keys (id, key) SELECT id, key FROM {PENDING_TABLE}")
    if rebuild:
        conn.execute(KEY_INDEX)
    conn.execute(f"DELETE FROM {PENDING_TABLE}")


def regroup_all(conn: sqlite3.Connection) -> set[int]:
    """Every duplicate group found again from the keys: the ids whose group changed (an article
    grouped before and in no group now among them)."""
    found = UnionFind()
    pairs = sorted(candidate_pairs(conn))
    for start in range(0, len(pairs), CHECKED_PER_PART):
        part = pairs[start : start + CHECKED_PER_PART]
        copies = copies_of(conn, {at for pair in part for at in pair})
        facts = {at: sameness(copy) for at, copy in copies.items()}
        for a, b in part:
            if a in facts and b in facts and same(facts[a], facts[b]):
                found.join(a, b)
    wanted = group_of(found)
    for (at,) in conn.execute("SELECT id FROM articles WHERE dup_group IS NOT NULL"):
        wanted.setdefault(at, None)
    return write_groups(conn, wanted)


def candidate_pairs(conn: sqlite3.Connection) -> set[tuple[int, int]]:
    """Every pair (smaller id first) that shares an address's key or two text keys, none of them
    held by more than :data:`COMMON_KEY` articles: what :func:`similar_store.regroup` finds for
    the articles it is given, for all of them."""
    import numpy as np

    held: dict[int, tuple[array, array]] = {}  # by how many share a key: their ids, its weight
    for key, ids in conn.execute(
        "SELECT key, group_concat(id) FROM same_keys GROUP BY key HAVING count(*) BETWEEN 2 AND ?",
        (COMMON_KEY,),
    ):
        members = sorted(map(int, ids.split(",")))
        ids_of, weights = held.setdefault(len(members), (array("q"), array("h")))
        ids_of.extend(members)
        weights.append(2 if is_url_key(key) else 1)
    total = sum(len(weights) * n * (n - 1) // 2 for n, (_, weights) in held.items())
    parts = max(1, ceil(total / PAIRS_PER_PART))
    found: set[tuple[int, int]] = set()
    for part in range(parts):
        blocks = [
            (a[keep], b[keep], w[keep])
            for a, b, w in _pair_blocks(held)
            if (keep := a % parts == part).any()
        ]
        if blocks:
            found |= _shared_enough(*(np.concatenate(column) for column in zip(*blocks)))
    return found


def _pair_blocks(held: dict[int, tuple[array, array]]) -> Iterator[tuple[ndarray, ...]]:
    """Each key's pairs of holders (smaller id first) with the key's weight, in blocks of at most
    :data:`PAIRS_PER_PART` pairs."""
    import numpy as np

    for n, (ids_of, weights) in held.items():
        members = np.frombuffer(ids_of, dtype=np.int64).reshape(-1, n)
        weight = np.frombuffer(weights, dtype=np.int16)
        first, second = np.triu_indices(n, 1)
        rows = max(1, PAIRS_PER_PART // len(first))
        for start in range(0, len(members), rows):
            block = members[start : start + rows]
            yield (
                block[:, first].ravel(),
                block[:, second].ravel(),
                np.repeat(weight[start : start + rows], len(first)),
            )


def _shared_enough(a: ndarray, b: ndarray, w: ndarray) -> set[tuple[int, int]]:
    """The pairs among ``a``/``b`` whose weights add up to two or more."""
    import numpy as np

    order = np.lexsort((b, a))
    a, b, w = a[order], b[order], w[order]
    starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
    keep = starts[np.add.reduceat(w, starts) >= 2]
    return set(zip(a[keep].tolist(), b[keep].tolist()))
