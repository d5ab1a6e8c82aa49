"""When the search box's text is searched: at each key, or once for keys that queued up.

A search runs on the screen's thread. At a million articles one key's search
takes 0.1-0.3 s, and keys typed meanwhile wait in the queue; each then ran a
search of its own, in turn. A burst of 24 letters took 1.4 s to show its
answer, most of it on texts already out of date. Here a key that comes in
right behind a slow search (it was typed while that search ran) does not
search at once: the search waits :data:`GATHER_SECONDS` for the keys queued
with it, and then runs once, on the text in the box by then. Keys typed at
leisure, and every key on a collection small enough to search quickly, are
searched at once, as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable

SLOW_SECONDS = 0.05
"""A search this long lets keys queue behind it (keys a person types come 80 ms apart or more)."""
QUEUED_SECONDS = 0.05
"""A key handled this soon after a slow search ended was typed while it ran. The gap covers the
repaint between the search and the next key."""
GATHER_SECONDS = 0.03
"""How long the keys queued behind a slow search get to reach the box before it is searched.
Keys already typed take a millisecond or two each to pass through; the search then runs once."""


class SearchPacing:
    """Runs ``search`` (which reads the box) at each key, or once for a run of queued keys."""

    def __init__(
        self,
        search: Callable[[], None],
        later: Callable[[float, Callable[[], None]], object],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._search = search
        self._later = later
        """Calls its function after a delay (the screen's ``set_timer``)."""
        self._clock = clock
        self._waiting = False
        """Whether a search is put off for the keys queued behind a slow one."""
        self._took = 0.0
        self._ended = float("-inf")

    @property
    def waiting(self) -> bool:
        """Whether a search is put off (the rows do not show the box's text yet)."""
        return self._waiting

    def typed(self) -> None:
        """The box's text changed: search it now, or once the keys queued with this one are in."""
        if self._waiting:
            return  # the search put off reads the box when it runs: it gets this key as well
        queued = self._clock() - self._ended <= QUEUED_SECONDS
        if queued and self._took >= SLOW_SECONDS:
            self._waiting = True
            self._later(GATHER_SECONDS, self._gathered)
        else:
            self._run()

    def settle(self) -> None:
        """Search a put-off text now (the user pressed Enter: the list must show it)."""
        if self._waiting:
            self._gathered()

    def _gathered(self) -> None:
        if self._waiting:  # not settled meanwhile
            self._waiting = False
            self._run()

    def _run(self) -> None:
        started = self._clock()
        self._search()
        self._ended = self._clock()
        self._took = self._ended - started
