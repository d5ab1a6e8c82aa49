"""Waiting in a thread until the list has painted a given thing. No Textual.

The loader's threads count the sidebar only once the list shows what they
counted, so the counts never arrive before the list they belong to, and never
compete with its first paint for the interpreter lock.
"""

from __future__ import annotations

import threading


class PaintWait:
    """What the list painted last, and threads waiting for it to be a given object."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._shown: object = None

    def painted(self, shown: object) -> None:
        """The list has painted ``shown`` (called on the UI thread)."""
        with self._changed:
            self._shown = shown
            self._changed.notify_all()

    def wake(self) -> None:
        """Wake every waiting thread to look at its stop flag (the loader goes away)."""
        with self._changed:
            self._changed.notify_all()

    def wait(self, shown: object, stop: threading.Event, timeout: float) -> bool:
        """Wait until ``shown`` is painted or ``stop`` is set, at most ``timeout`` seconds;
        returns whether it was painted."""
        with self._changed:
            self._changed.wait_for(lambda: self._shown is shown or stop.is_set(), timeout)
            return self._shown is shown
