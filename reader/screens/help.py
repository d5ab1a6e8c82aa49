"""The help screen, generated from the bindings the app really has."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.screens.key_tables import PALETTE_KEY
from reader.theme_styles import KEY

# Each section names a node whose bindings it lists: the app, the screen, or a pane.
_SECTIONS = (
    ("Everywhere", "app"),
    ("Main screen", "screen"),
    ("Topic sidebar", "#sidebar"),
    ("Article list", "#articles"),
    ("Related items", "#related"),
)


_SIDEWAYS = frozenset({"scroll_left", "scroll_right", "page_left", "page_right"})
"""Horizontal scroll actions: a pane that cannot scroll sideways skips them."""


def _applies(node: DOMNode, action: str) -> bool:
    """Whether the binding does something on ``node``.

    A pane that cannot scroll sideways skips its inherited ``left``/``right``
    scroll bindings, so those keys reach the screen (they move between
    panes); listing them as "Scroll Left" would contradict the screen's line.
    """
    return action not in _SIDEWAYS or getattr(node, "allow_horizontal_scroll", True)


def _key_names(node: DOMNode, key: str) -> str:
    return node.app.get_key_display(Binding(key, ""))


def bindings_table(title: str, node: DOMNode) -> Table | None:
    """A table of ``node``'s keys in force, grouped by action: keys, what they do, and
    the action's name in ``[keys]`` (blank where it cannot be remapped)."""
    from reader.screens.keymap import bindings_in_force  # loaded with help, not at start

    by_action: dict[str, tuple[list[str], str, str]] = {}
    for key, binding in bindings_in_force(node):
        if not _applies(node, binding.action):
            continue
        description = binding.description or binding.action.replace("_", " ")
        keys, name, _ = by_action.setdefault(binding.action, ([], binding.id or "", description))
        if binding.id and not name:  # ^q quits too, but only q is Textual's to remap
            by_action[binding.action] = (keys, binding.id, description)
        keys.append(_key_names(node, key))
    if not by_action:
        return None
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        show_header=False,
        box=None,
        padding=(0, 2),
    )
    # The style itself, not its name: the table renders the same on any console.
    table.add_column(style=node.app.console.get_style(KEY), no_wrap=True)
    table.add_column()
    table.add_column(style="dim", no_wrap=True)
    for keys, name, description in by_action.values():
        table.add_row(Text(" ".join(dict.fromkeys(keys))), Text(description), Text(name))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, read from the live bindings of the app, the screen and each pane."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, screen: DOMNode) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("newsreader — keys", id="help-title", markup=False)
            for title, where in _SECTIONS:
                if where == "app":
                    node: DOMNode | None = self.target.app
                elif where == "screen":
                    node = self.target
                    title = getattr(node, "HELP_TITLE", title)
                else:
                    found = self.target.query(where)
                    node = found.first() if found else None
                if node is None:
                    continue
                table = bindings_table(title, node)
                if table is not None:
                    yield Static(table, classes="help-section")
            from reader.screens.keymap import shown_key

            palette = shown_key(self.target, PALETTE_KEY)
            yield Static(
                f"{palette} opens the command palette with the same actions; the last column"
                " names each action for [keys] in config.toml. Press escape to close.",
                id="help-footer",
                markup=False,
            )
