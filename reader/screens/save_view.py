"""Asks for a name under which to save the current search in the sidebar."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class SaveViewScreen(ModalScreen[str | None]):
    """Dismisses with the name typed (stripped), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box"):
            yield Static(
                f"Save the search “{self.query_text}” as a view named:",
                id="save-question",
                markup=False,
            )
            yield Input(value=self.query_text[:40], id="save-name", select_on_focus=True)
            yield Static("enter saves · escape cancels", id="save-help", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        self.dismiss(name or None)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
