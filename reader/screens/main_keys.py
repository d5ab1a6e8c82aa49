"""The main screen's keys, in one table: what the help screen, the footer and the palette list."""

from __future__ import annotations

from textual.binding import Binding, BindingType

MAIN_KEYS: list[BindingType] = [
    Binding("tab", "app.focus_next", "Next pane", show=False, id="focus_next"),
    Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="focus_previous"),
    # Keys that move the focus act as soon as they are read (priority), so that the keys
    # behind them in one burst (a paste) reach the new focus: "/mos" must not mark, open and
    # sort. They give way to typing while the search box has the focus (see check_action).
    Binding("h,left", "pane(-1)", "Pane left", show=False, priority=True, id="pane_left"),
    Binding("l,right", "pane(1)", "Pane right", show=False, priority=True, id="pane_right"),
    Binding("s", "toggle_sort", "Sort", tooltip="Sort: date / quality", id="toggle_sort"),
    Binding("r", "reverse", "Reverse", tooltip="Reverse order", id="reverse"),
    Binding("slash", "filter", "Search", priority=True, tooltip="Search articles", id="filter"),
    Binding("escape", "clear_filter", "Clear search", show=False, id="clear_filter"),
    Binding("enter", "read", "Read", tooltip="Read in the reader view", id="read"),
    Binding("o", "open", "Open", tooltip="Open in browser", id="open"),
    Binding(
        "backspace",
        "back",
        "Back",
        show=False,
        tooltip="Back to the article before going to a related one",
        id="back",
    ),
    Binding("y", "copy_link", "Copy link", show=False, id="copy_link"),
    Binding("m", "toggle_read", "Read/unread", tooltip="Read / unread", id="toggle_read"),
    Binding("M", "mark_all_read", "Mark all read", show=False, id="mark_all_read"),
    Binding("f", "toggle_star", "Star", tooltip="Star / unstar", id="toggle_star"),
    Binding("ctrl+s", "save_search", "Save search", show=False, id="save_search"),
    Binding("R", "fetch", "Fetch feeds", id="fetch"),
    Binding(
        "F",
        "feeds",
        "Feeds",
        show=False,
        tooltip="Feeds: add, remove, rename, settings",
        id="feeds",
    ),
    Binding(
        "x", "full_text", "Full text", show=False, tooltip="Download the full text", id="full_text"
    ),
    Binding("X", "full_text(True)", "Retry full text", show=False, id="retry_full_text"),
    Binding("space", "scroll_detail(1)", "Scroll article", show=False, id="scroll_article"),
    Binding(
        "shift+space,b",
        "scroll_detail(-1)",
        "Scroll article back",
        show=False,
        id="scroll_article_back",
    ),
    Binding("exclamation_mark", "skipped", "Skipped files", show=False, id="skipped"),
]
