"""The keys of the app, the reader view and the feeds screen, each screen's in one table.

Kept apart from their screens so that ``[keys]`` can be checked against them
without loading those screens (the feeds screen loads only when opened).
Each remappable binding's ``id`` is the action's name in ``[keys]`` and in help.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

HELP_KEY = Binding("question_mark", "help", "Help", id="help")
PALETTE_KEY = Binding("ctrl+p", "command_palette", "Commands", show=False, id="command_palette")
"""Named apart: the palette and the help screen say which key opens the other."""

APP_KEYS: list[BindingType] = [Binding("q", "quit", "Quit", id="quit"), HELP_KEY, PALETTE_KEY]
"""Keys of every screen (the app's)."""

RELATED_KEYS: list[BindingType] = [
    Binding(
        "enter",
        "select",
        "Go to article / read copy / open link",
        show=False,
        tooltip="Go to a cached article, read a copy of the story, or open a link in the browser",
        id="follow_related",
    ),
]
"""The related items' own keys (``o``, ``y`` and ``backspace`` are the main screen's)."""

READER_KEYS: list[BindingType] = [
    Binding("q,escape", "close", "Back to the list", id="close"),
    Binding("j,down", "scroll(1)", "Line down", show=False, id="line_down"),
    Binding("k,up", "scroll(-1)", "Line up", show=False, id="line_up"),
    Binding("space,pagedown", "page(1)", "Page down", show=False, id="page_down"),
    Binding("b,pageup", "page(-1)", "Page up", show=False, id="page_up"),
    Binding("g,home", "edge(0)", "Top", show=False, id="top"),
    Binding("G,end", "edge(1)", "Bottom", show=False, id="bottom"),
    Binding("n", "step(1)", "Next article", id="next_article"),
    Binding("p", "step(-1)", "Previous article", id="previous_article"),
    Binding("o", "open_original", "Open original", id="open_original"),
    Binding("f", "ask_link", "Open link №", id="ask_link"),
    Binding("x", "full_text", "Full text", id="full_text"),
    Binding("X", "retry_full_text", "Retry full text", show=False, id="retry_full_text"),
]
"""The reader view's keys (digits open links by number, outside these bindings)."""

FEEDS_KEYS: list[BindingType] = [
    Binding("escape,q", "close", "Back", tooltip="Back to the articles", id="close"),
    Binding("a", "add", "Add", tooltip="Add a feed by its or its site's address", id="add"),
    Binding("d,delete", "remove", "Remove", tooltip="Unsubscribe (asks first)", id="remove"),
    Binding("n", "rename", "Rename", id="rename"),
    Binding(
        "e",
        "settings",
        "Settings",
        tooltip="Topics, refresh and pruning settings",
        id="settings",
    ),
    Binding("R", "fetch", "Fetch", tooltip="Fetch every feed now (again to stop)", id="fetch"),
]
"""The feeds screen's keys."""
