"""What a long first scan reports as it goes: its progress, and now and then the newest articles.

The list of a first scan is filled from the index's first page (a few
milliseconds whatever the size), never by loading every entry: that, every
two seconds, stalled the scan behind it and grew with the cache (a million
files stalled after half a million, with gigabytes resident). No Textual:
the loader says how to show what this reports.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from reader import captions
from reader.first_page import FirstPage
from reader.library import Source

FILL_SECONDS = 2.0
"""A long first scan shows what it has indexed this often."""
FIRST_FILL_SECONDS = 0.3
"""How soon a first scan first shows what it has indexed, and how often it looks again until
something is stored (its first batch waits for the parser processes to start)."""


class ScanFill:
    """A scan's ``progress(done, total)``: the status each time; with ``filling`` (nothing is
    shown yet), the index's first page too, every :data:`FILL_SECONDS` while it grows."""

    def __init__(
        self,
        source: Source,
        filling: bool,
        show: Callable[[FirstPage | None, str], None],
        stop: threading.Event,
    ) -> None:
        self.source, self.filling, self.show, self.stop = source, filling, show, stop
        self._last = time.monotonic()
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.stop.is_set():
            return
        text = captions.scan_progress(done, total)
        now = time.monotonic()
        every = FILL_SECONDS if self._shown else FIRST_FILL_SECONDS  # nothing shown: look again
        if self.filling and done < total and now - self._last > every:
            self._last = now
            page = self.source.first_page()
            if page.articles != self._shown:
                self._shown = page.articles
                self.show(page, text)
                return
        self.show(None, text)
