"""The main screen's keys, in one table: what the help screen, the footer and the palette list."""

from __future__ import annotations

from textual.binding import Binding, BindingType

MAIN_KEYS: list[BindingType] = [
    Binding("tab", "app.focus_next", "Next pane", show=False),
    Binding("shift+tab", "app.focus_previous", "Previous pane", show=False),
    # Keys that move the focus act as soon as they are read (priority), so that the keys
    # behind them in one burst (a paste) reach the new focus: "/mos" must not mark, open and
    # sort. They give way to typing while the search box has the focus (see check_action).
    Binding("h,left", "pane(-1)", "Pane left", show=False, priority=True),
    Binding("l,right", "pane(1)", "Pane right", show=False, priority=True),
    Binding("s", "toggle_sort", "Sort", tooltip="Sort: date / quality"),
    Binding("r", "reverse", "Reverse", tooltip="Reverse order"),
    Binding("slash", "filter", "Search", priority=True, tooltip="Search articles"),
    Binding("escape", "clear_filter", "Clear search", show=False),
    Binding("enter", "read", "Read", tooltip="Read in the reader view"),
    Binding("o", "open", "Open", tooltip="Open in browser"),
    Binding("y", "copy_link", "Copy link", show=False),
    Binding("m", "toggle_read", "Read/unread", tooltip="Read / unread"),
    Binding("M", "mark_all_read", "Mark all read", show=False),
    Binding("f", "toggle_star", "Star", tooltip="Star / unstar"),
    Binding("ctrl+s", "save_search", "Save search", show=False),
    Binding("R", "fetch", "Fetch feeds"),
    Binding("F", "feeds", "Feeds", show=False, tooltip="Feeds: add, remove, rename, settings"),
    Binding("x", "full_text", "Full text", show=False, tooltip="Download the full text"),
    Binding("X", "full_text(True)", "Retry full text", show=False),
    Binding("space", "scroll_detail(1)", "Scroll article", show=False),
    Binding("shift+space,b", "scroll_detail(-1)", "Scroll article back", show=False),
    Binding("exclamation_mark", "skipped", "Skipped files", show=False),
]
