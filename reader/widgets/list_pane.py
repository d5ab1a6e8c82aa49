"""The middle pane: samples banner, list title, search box, and the list or why it is empty.

Also how the panes share the width (:func:`arrange_panes`): the list's title
column takes what the sidebar and the detail pane leave, so their widths
(app.tcss, or ``[list]`` in config.toml) are the list's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from reader.config.list_settings import DETAIL_BOUNDS, ListSettings, Width
from reader.entry import Entry
from reader.shown_rows import ShownRows
from reader.widgets.article_list import ArticleList

SEARCH_PLACEHOLDER = (
    "Search: words, topic:AI provider:rt.com is:unread after:2024-01-01 quality:>50"
)
STACK_WIDTH = 120
"""Under this many columns the detail pane goes below the list (``-narrow`` in app.tcss): beside
it, the list would keep fewer than 30 cells for the titles."""


def _css_width(width: Width) -> str:
    """``[list]``'s width as a style: a percentage is of the terminal (``vw``), not the parent."""
    return f"{width[:-1]}vw" if isinstance(width, str) else str(width)


def arrange_panes(screen: Screen, settings: ListSettings) -> None:
    """Stack the panes on narrow terminals; give the sidebar and detail pane ``[list]``'s widths.

    Called on each resize. A width left at its default is app.tcss's own (no inline style);
    the detail pane's width only holds beside the list (below it, it takes the whole width).
    """
    stacked = screen.size.width < STACK_WIDTH
    screen.set_class(stacked, "-narrow")
    default = ListSettings()
    if settings.sidebar_width != default.sidebar_width:
        for sidebar in screen.query("#sidebar"):
            sidebar.styles.width = _css_width(settings.sidebar_width)
    if settings.detail_width != default.detail_width:
        beside = not stacked
        for detail in screen.query("#detail"):
            detail.styles.width = _css_width(settings.detail_width) if beside else None
            detail.styles.min_width = DETAIL_BOUNDS["columns"][0] if beside else None


class ListPane(Vertical):
    """Shows the rows the screen computed, with their title; the screen owns what they are."""

    def __init__(self, *, clock: Callable[[], dt.datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Static("", id="samples-banner", markup=False)
        yield Static("", id="list-title", markup=False)
        yield Input(placeholder=SEARCH_PLACEHOLDER, id="filter")
        yield ArticleList(clock=self.clock, settings=self.app.config.list, id="articles")
        yield Static("", id="list-empty", markup=False)

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#samples-banner").display = False

    def show_banner(self, text: Text | None) -> None:
        """Show ``text`` over the list (the samples banner), or hide it (None)."""
        banner = self.query_one("#samples-banner", Static)
        banner.display = text is not None
        if text is not None:
            banner.update(text)

    def show_rows(
        self, shown: ShownRows, *, words: tuple[str, ...], keep: Entry | None, reloaded: bool
    ) -> None:
        """Show the rows with their title (``keep`` stays highlighted if present), or why there
        are none; ``words`` are highlighted in the titles."""
        rows, title, empty = shown.rows, shown.title, shown.empty
        articles = self.query_one(ArticleList)
        articles.set_highlight(words)
        articles.set_entries(rows, keep=keep, reloaded=reloaded, order=shown.order)
        self.query_one("#list-title", Static).update(title)
        message = self.query_one("#list-empty", Static)
        message.update("" if rows else empty)
        message.display = not rows
        articles.display = bool(rows)

    def open_search(self) -> Input:
        """Show the search box; returns it (for the focus)."""
        box = self.query_one("#filter", Input)
        box.display = True
        return box

    def close_search(self) -> bool:
        """Clear and hide the search box; returns whether it was open."""
        box = self.query_one("#filter", Input)
        was_open = box.display
        box.value = ""
        box.display = False
        return was_open
