"""A modal list of the files that could not be loaded, each with its reason."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.widgets.option_list import Option

from reader.index import Skip
from reader.widgets.plain_option_list import PlainOptionList


class SkippedScreen(ModalScreen[None]):
    """Why each skipped file was skipped; ``escape`` or ``q`` closes it."""

    BINDINGS = [
        Binding("escape,q,exclamation_mark", "dismiss", "Close"),
    ]

    def __init__(self, skipped: list[Skip], root: Path) -> None:
        super().__init__()
        self.skipped = skipped
        self.root = root

    def compose(self) -> ComposeResult:
        with Vertical(id="skipped-box"):
            count = len(self.skipped)
            heading = (
                f"{count} file{'s' if count != 1 else ''} skipped in {self.root}"
                if count
                else "No file was skipped."
            )
            yield Static(heading, id="skipped-title", markup=False)
            options = []
            for skip in self.skipped:
                prompt = Text(skip.path, style="bold")
                prompt.append("\n" + skip.reason, style="dim")
                options.append(Option(prompt))
            yield PlainOptionList(*options, id="skipped-list")
            yield Static(
                "Fix or remove these files, then start newsreader again. "
                "`newsreader check` prints the same list.",
                id="skipped-help",
                markup=False,
            )
