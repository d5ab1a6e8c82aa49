"""Python's cycle collector held off while the reader starts.

Starting the reader on a big cache makes about a million small objects in
half a second (Textual's classes and widgets, then one entry per article).
With the collector on, it runs hundreds of times during that burst and
re-walks the growing heap each time, which costs about as much as the
loading itself. The launcher pauses it; the main screen resumes it once the
list has painted, freezing what is alive then (objects that live as long
as the reader) so later collections never walk 100,000 entries again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = False
"""Whether :func:`pause` turned the collector off and :func:`resume` has not come yet."""
_bursts = 0
"""How many :func:`paused` blocks run now (loads in worker threads)."""
_turn_on = False
"""Whether the collector goes back on when the last burst running ends."""


def pause() -> None:
    """Turn the cycle collector off until :func:`resume`."""
    global _paused
    with _lock:
        if gc.isenabled():
            gc.disable()
            _paused = True


def resume() -> None:
    """Undo :func:`pause` (once; a no-op when nothing was paused).

    During a burst (a load of the whole list in a worker) the collector stays off until the
    burst ends: turned on halfway through, it walked every entry loaded so far again and again,
    0.4 s more to load 1,000,000 articles.
    """
    global _paused, _turn_on
    with _lock:
        if not _paused:
            return
        _paused = False
        if _bursts:
            _turn_on = True
        else:
            _freeze_and_enable()


@contextmanager
def paused() -> Iterator[None]:
    """The collector held off for one burst of allocation (loading the entries again, say).

    Entries hold no reference cycles, so there is nothing for it to find among them: after a big
    burst, what is alive is frozen (see :func:`gc.freeze`) as the collector goes back on, or the
    first collections after it walked every entry it made (half a second at a million). It goes
    back on after the last burst running, unless it was off already.
    """
    global _bursts, _turn_on
    with _lock:
        if not _bursts:
            _turn_on = gc.isenabled()
        _bursts += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _bursts -= 1
            if not _bursts and _turn_on:
                _turn_on = False
                _freeze_and_enable(FREEZE_FROM)


FREEZE_FROM = 50_000
"""A burst that left this many new objects is frozen as the collector goes back on, and a list
of this many rows once settled (see :func:`settled`); after less (a small cache, a test) the
collector finds what became garbage as usual."""


def _freeze_and_enable(least: int = 0) -> None:
    """Turn the collector on, leaving what is alive now (long-lived: the entries, the widgets)
    out of every later collection when at least ``least`` objects are new since the last one.
    Frozen objects are still freed when no longer used; only reference cycles among them stay."""
    if gc.get_count()[0] >= least:
        gc.freeze()
        if least:  # a big list came in: its orders and columns come next
            _space_full_collections()
    gc.enable()


def settled(rows: int) -> None:
    """A list of ``rows`` articles has its orders and filter columns made (lists as long as the
    list): when it is big, leave them out of every later collection, as its entries are.

    Python's full collections visit every item of every list still tracked. With a million
    rows, the orders and columns made after the load made each one take 0.23-0.37 s, and
    Textual's churn of short-lived objects brought one every half second or so. The lists made
    later (a reversed order, topic views) are still visited: full collections come 10 times
    less often from the big load on (see :data:`FULL_EVERY`).
    """
    if rows >= FREEZE_FROM:
        gc.freeze()
        _space_full_collections()


def _space_full_collections() -> None:
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_EVERY)


FULL_EVERY = 1000
"""Collections of the middle generation between two full ones, once a big list is in (Python's
default: 10), unless the reader is idle first (see :func:`collect_when_idle`). At a million
articles a full collection still visits every item of the lists made after the freeze (a
reversed order, topic views): 170-390 ms. At 100 (one every 6 s of keys) one came inside a key
now and then; at this, one in a minute of keys without a pause, each freeing more (a few MiB
every 6 s of keys)."""
IDLE_FULL_EVERY = 100
"""Middle collections since the last full one from which a full one is made while the reader is
idle: no more often than before they were put off (at 10, with the list warming behind the
screen, one every second at a million)."""


def collect_when_idle() -> bool:
    """Make the full collection that :data:`FULL_EVERY` put off, if one is due; call it while no
    key or click has come for a while. Whether it ran.

    Only once a big list spaced full collections out: otherwise Python makes them itself, in a
    few milliseconds.
    """
    if not gc.isenabled() or gc.get_threshold()[2] < FULL_EVERY:
        return False
    if gc.get_count()[2] < IDLE_FULL_EVERY:
        return False
    gc.collect()
    return True
