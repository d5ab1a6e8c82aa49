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
from collections.abc import Iterator
from contextlib import contextmanager

_paused = False


def pause() -> None:
    """Turn the cycle collector off until :func:`resume`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Undo :func:`pause` (once; a no-op when nothing was paused)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """The collector held off for one burst of allocation (loading the entries again, say).

    Entries hold no reference cycles, so there is nothing for it to find
    among them; it is turned back on afterwards unless it was off already.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
