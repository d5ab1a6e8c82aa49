"""The reader's Rich style names, coloured from the Textual theme in force.

Text built outside a widget (captions, the detail pane's notes, the help
table) names a style here instead of a colour, so a light theme, a dark one
and ``NO_COLOR`` all get colours from the theme's variables (the readable
``text-*`` variants), never a fixed red or cyan. The names live in the app
console's Rich theme, pushed again at each theme change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported when the app builds the theme: captions only need names
    from rich.theme import Theme

ALERT = "reader.alert"
"""Something failed (a feed's last fetch): the theme's error colour, bold."""
NOTE = "reader.note"
"""A note beside the data (why a link will not open): the warning colour, italic."""
KEY = "reader.key"
"""A key in the help table: the accent colour, bold."""
ERROR = "reader.error"
"""A failure in a table cell (a feed's last result): the error colour."""

_STYLES = {
    ALERT: ("bold", "text-error"),
    NOTE: ("italic", "text-warning"),
    KEY: ("bold", "text-accent"),
    ERROR: ("", "text-error"),
    # Rich's Markdown styles name fixed colours (cyan on black code, magenta headings, bright
    # blue links): an article body takes the theme's instead.
    "markdown.code": ("bold", "text-accent"),
    "markdown.code_block": ("", "text-accent"),
    "markdown.block_quote": ("", "text-secondary"),
    "markdown.list": ("", "text-accent"),
    "markdown.item.number": ("", "text-accent"),
    "markdown.h2": ("underline", "text-primary"),
    "markdown.h3": ("bold", "text-primary"),
    "markdown.h4": ("italic", "text-primary"),
    "markdown.link": ("", "text-primary"),
    "markdown.link_url": ("underline", "text-primary"),
    "markdown.table.border": ("", "text-primary"),
    "markdown.table.header": ("not bold", "text-primary"),
    "markdown.kbd": ("bold", "text-warning"),
}


def code_theme(dark: bool) -> str:
    """The code blocks' colours: terminal colours (which Textual maps for a dark or a light theme)
    on the pane's own background, not Rich's default dark box."""
    return "ansi_dark" if dark else "ansi_light"


def rich_theme(colours: Mapping[str, str]) -> Theme:
    """The reader's styles from a theme's colours (Rich colour names by CSS variable name, such
    as ``{"text-error": "#d17e92"}``); a colour left out gives no colour, never a fixed one."""
    from rich.theme import Theme

    styles = {}
    for name, (attributes, variable) in _STYLES.items():
        colour = colours.get(variable, "")
        styles[name] = f"{attributes} {colour}".strip() or "none"
    return Theme(styles, inherit=True)


VARIABLES = frozenset(variable for _, variable in _STYLES.values())
"""The theme variables the styles take their colours from."""
