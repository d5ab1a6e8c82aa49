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
"""A burst that left this many new objects is frozen as the collector goes back on; after a
smaller one (a small cache, a test) the collector finds what became garbage as usual."""


def _freeze_and_enable(least: int = 0) -> None:
    """Turn the collector on, leaving what is alive now (long-lived: the entries, the widgets)
    out of every later collection when at least ``least`` objects are new since the last one.
    Frozen objects are still freed when no longer used; only reference cycles among them stay."""
    if gc.get_count()[0] >= least:
        gc.freeze()
    gc.enable()
