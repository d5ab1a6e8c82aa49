"""Asks for the name a feed is shown by (``n`` on the feeds screen)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.feeds.text import line


class FeedNameScreen(ModalScreen[str | None]):
    """Dismisses with the name typed ("" for the feed's own title), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, name: str, title: str) -> None:
        super().__init__()
        self.current = name
        self.title_shown = title

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box"):
            yield Static(f"Name for “{self.title_shown}”:", id="name-question", markup=False)
            yield Input(value=self.current, id="name-input", select_on_focus=True)
            yield Static(
                "enter saves · empty shows the feed's own title · escape cancels",
                id="name-help",
                markup=False,
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(line(event.value)[:200])

    def action_cancel(self) -> None:
        """Close without renaming."""
        self.dismiss(None)
