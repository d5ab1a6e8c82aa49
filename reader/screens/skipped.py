"""A modal list of the files that could not be loaded, each with its reason."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.index import Skip


class SkippedScreen(ModalScreen[None]):
    """Why each skipped file was skipped; ``escape`` or ``q`` closes it."""

    BINDINGS = [
        Binding("escape,q,exclamation_mark", "dismiss", "Close"),
        Binding("j", "list_down", "Down", show=False),
        Binding("k", "list_up", "Up", show=False),
    ]

    def __init__(self, skipped: list[Skip], root: Path) -> None:
        super().__init__()
        self.skipped = skipped
        self.root = root

    def compose(self) -> ComposeResult:
        with Vertical(id="skipped-box"):
            count = len(self.skipped)
            heading = f"{count} file{'s' if count != 1 else ''} skipped in {self.root}" if count else "No file was skipped."
            yield Static(heading, id="skipped-title", markup=False)
            options = []
            for skip in self.skipped:
                prompt = Text(skip.path, style="bold")
                prompt.append("\n" + skip.reason, style="dim")
                options.append(Option(prompt))
            yield OptionList(*options, markup=False, id="skipped-list")
            yield Static("Fix or remove these files, then start newsreader again. "
                         "`newsreader check` prints the same list.", id="skipped-help", markup=False)

    def action_list_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_list_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()
