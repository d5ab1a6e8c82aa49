"""A hybrid logical clock: wall-clock milliseconds plus a counter, never going back.

Why not plain timestamps: a machine whose clock runs an hour ahead would win
every conflict for that hour, even against changes made later by a person who
had already seen its change. With a hybrid logical clock every machine's clock
moves past any stamp it has merged, so a change made after seeing another one
always carries a later stamp, whatever the wall clocks say. Ties (two
machines, the same millisecond and counter) go to the larger machine id, so
every machine picks the same winner.
"""

from __future__ import annotations

import time
from typing import NamedTuple

MAX_WALL = 2**53
"""Milliseconds beyond any real date (JSON numbers stay exact below it)."""
MAX_COUNTER = 2**31


class Stamp(NamedTuple):
    """When a change was made, comparable across machines (tuple order is the merge order)."""

    wall: int
    """Milliseconds since the epoch, as the clock stood (never less than any stamp seen)."""
    counter: int
    """Orders changes within one millisecond, or while the wall clock lags a stamp seen."""
    machine: str
    """The id of the machine that made the change: breaks the last ties."""


def now_ms() -> int:
    return int(time.time() * 1000)


def tick(last: tuple[int, int], wall: int | None = None) -> tuple[int, int]:
    """The clock's next reading after ``last`` (wall, counter), at wall time ``wall``."""
    wall = now_ms() if wall is None else wall
    if wall > last[0]:
        return wall, 0
    return last[0], last[1] + 1


def seen(last: tuple[int, int], other: tuple[int, int]) -> tuple[int, int]:
    """The clock after merging a change stamped ``other``: never behind what it has seen."""
    return max(last, other)
