"""Passes over every row that let other threads in while they run.

A pass in C over a million rows (``list(map(...))``, ``Counter(...)``,
``dict.fromkeys(...)``) holds the interpreter lock from its first row to its
last: 0.1-0.2 s for entries scattered in memory. The workers that count the
sidebar and make the filter columns after a big load run a dozen of them, and
a key pressed meanwhile waited for each in turn: the first key of a search
right after the files were checked at 1,000,000 articles took 0.8-0.9 s, and
0.24-0.26 s fed this way.

:func:`pieces` feeds such a pass a slice at a time through a generator. The
pass is still one call in C, but the generator runs a step of Python between
slices, where the interpreter hands the lock to a thread waiting for it. On the
main thread (the screen's) a pass runs whole: what the user waits for does not
wait for a worker's slices (the first key of a search 0.1 s after the check at a
million: 815-853 → 635-720 ms). No Textual; the standard library only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence, Sized
from itertools import chain, islice
from typing import TypeVar

T = TypeVar("T")

PIECE = 8_192
"""Rows a pass reads before another thread may take the interpreter: a few milliseconds.

A key that waits on SQLite or a lock gives the interpreter up and waits for a slice to end to
take it back. With slices of 32,768 entries (about 17 ms at a million scattered in memory) the
first `s` after the check at a million took 131 ms, against 32-50 ms with these; a worker's
passes took no longer (its warm-up 2.6-2.7 s either way)."""


def pieces(values: Sequence[T] | Iterable[T]) -> Iterator[T]:
    """``values`` one by one, read a slice of :data:`PIECE` at a time (see the module); an
    iterable without a length, a short one, or any on the main thread, as it comes."""
    if not isinstance(values, Sized) or len(values) <= PIECE or _on_main_thread():
        return iter(values)
    return chain.from_iterable(_slices(values))


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _slices(values: Sequence[T] | Iterable[T]) -> Iterator[Iterator[T]]:
    # Slices of one iterator, not copies: a copy takes a reference to each row, one more
    # reach into memory per row (a pass 60% slower where this one costs 15% more).
    rows = iter(values)
    for _ in range(0, len(values), PIECE):
        yield islice(rows, PIECE)  # the interpreter may switch threads here
