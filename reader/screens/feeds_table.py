"""The feeds screen's table: one row per feed, its columns fitted to the terminal's width.

The URL column is left out below :data:`URL_WIDTH` columns (the detail
under the table shows the highlighted feed's URL in full); the title and the
last result share what the fixed columns leave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from reader.feeds.config import Feed
from reader.feeds.listing import FeedRow
from reader.feeds.policy import Policy
from reader.feeds.store import site_domain
from reader.formatting import fit, relative_date
from reader.theme_styles import ERROR

URL_WIDTH = 110
"""From this many columns of table on, the URL has a column of its own."""
COUNTING = "…"
"""Shown in the count columns while the articles are being counted."""
_FIXED = {"articles": 8, "unread": 6, "last": 11, "next": 8}
_PADDING = 2
"""Cells each column adds around its text (DataTable's cell padding, both sides)."""


@dataclass(frozen=True)
class FeedLine:
    """What the table shows of one feed: its config, its settings, and its listing row."""

    feed: Feed
    policy: Policy
    row: FeedRow | None = None
    """None while the articles are being counted."""

    @property
    def title(self) -> str:
        if self.row is not None:
            return self.row.title
        return self.feed.name or site_domain(self.feed.url)

    @property
    def failed(self) -> bool:
        """Whether its last fetch failed (a feed never fetched has not)."""
        row = self.row
        return row is not None and row.last_fetch is not None and not row.ok

    def next_refresh(self) -> dt.datetime | None:
        """When the reader fetches it next: the listing's word if it has one, else last + period."""
        row = self.row
        if row is None or self.policy.refresh_minutes == 0:
            return None
        when = getattr(row, "next_refresh", None)
        if isinstance(when, dt.datetime):
            return when
        if row.last_fetch is None:
            return None
        return row.last_fetch + dt.timedelta(minutes=self.policy.refresh_minutes)


def in_words(when: dt.datetime | None, now: dt.datetime) -> str:
    """``in 25m``, ``in 1h30m``, ``in 2d`` or ``due``: how soon ``when`` comes."""
    if when is None:
        return "—"
    seconds = (when - now).total_seconds()
    if seconds <= 0:
        return "due"
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))}m"
    if seconds < 86400:
        hours, minutes = divmod(round(seconds / 60), 60)
        return f"in {hours}h{minutes:02d}m" if minutes else f"in {hours}h"
    return f"in {round(seconds / 86400)}d"


def last_fetch_words(line: FeedLine, now: dt.datetime) -> str:
    """``3h ago``, a date, or ``never``."""
    row = line.row
    if row is None:
        return COUNTING
    if row.last_fetch is None:
        return "never"
    age = relative_date(row.last_fetch.timestamp(), now)
    return f"{age} ago" if age[-1] in "mhd" and age[0].isdigit() else age


def _count(value: int | None, counting: bool) -> str:
    if counting:
        return COUNTING
    return "-" if value is None else f"{value:,}"


class FeedTable(DataTable):
    """The feeds, one per row, keyed by URL; the cursor stays on its feed across reloads."""

    BINDINGS = [
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, clock: Callable[[], dt.datetime], **kwargs) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.clock = clock
        self.lines: list[FeedLine] = []
        self._width = 0

    @property
    def current(self) -> FeedLine | None:
        """The highlighted feed."""
        if not self.lines or not 0 <= self.cursor_row < len(self.lines):
            return None
        return self.lines[self.cursor_row]

    def show(self, lines: list[FeedLine], keep: str | None = None) -> None:
        """Show ``lines``, the cursor on the feed with URL ``keep`` (else where it was)."""
        keep = keep or (self.current.feed.url if self.current else None)
        row = self.cursor_row
        self.lines = lines
        self._build()
        urls = [line.feed.url for line in lines]
        if keep in urls:
            row = urls.index(keep)
        if lines:
            self.move_cursor(row=min(max(row, 0), len(lines) - 1), animate=False)

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._build()

    def _build(self) -> None:
        width = self._width = self.size.width or self.app.size.width - 4
        row = self.cursor_row
        self.clear(columns=True)
        wide = width >= URL_WIDTH
        columns = 5 + wide + 1
        flex = max(24, width - sum(_FIXED.values()) - _PADDING * columns - 2)
        title = flex * (30 if wide else 45) // 100
        url = flex * 35 // 100 if wide else 0
        result = flex - title - url
        self.add_column("Feed", width=title, key="title")
        if wide:
            self.add_column("URL", width=url, key="url")
        self.add_column(Text("Articles", justify="right"), width=_FIXED["articles"], key="articles")
        self.add_column(Text("Unread", justify="right"), width=_FIXED["unread"], key="unread")
        self.add_column("Last fetch", width=_FIXED["last"], key="last")
        self.add_column("Result", width=result, key="result")
        self.add_column("Next", width=_FIXED["next"], key="next")
        now = self.clock()
        for line in self.lines:
            counting = line.row is None
            cells: list[Text] = [Text(fit(line.title, title).rstrip(), style="bold")]
            if wide:
                cells.append(Text(fit(line.feed.url, url).rstrip(), style="dim"))
            cells.append(Text(_count(line.row and line.row.articles, counting), justify="right"))
            cells.append(Text(_count(line.row and line.row.unread, counting), justify="right"))
            cells.append(Text(last_fetch_words(line, now)))
            fetched = line.row is not None and line.row.last_fetch is not None
            outcome = line.row.last_result if fetched and line.row else ""
            cells.append(Text(fit(outcome, result).rstrip(), style=ERROR if line.failed else ""))
            refresh = "off" if line.policy.refresh_minutes == 0 else "—"
            if not counting and refresh != "off":
                refresh = in_words(line.next_refresh(), now)
            cells.append(Text(refresh))
            self.add_row(*cells, key=line.feed.url)
        if self.lines:
            self.move_cursor(row=min(row, len(self.lines) - 1), animate=False)
