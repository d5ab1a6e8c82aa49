"""The topic sidebar: "All articles" and every topic with its count."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.library import TopicCount

ALL_ID = "topic:*"


def _prompt(name: str, count: int) -> Table:
    """One line at any sidebar width: the name, cut with an ellipsis, then the count on the right."""
    line = Table.grid(expand=True)
    line.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    line.add_column(justify="right", no_wrap=True)
    line.add_row(Text(name), Text(f" {count:,}", style="dim"))
    return line


class TopicSidebar(OptionList):
    """Lists the topics; highlighting one filters the article list at once."""

    BINDINGS = [
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    class Chosen(Message):
        """The user moved to a topic (``None`` for all articles)."""

        def __init__(self, topic: str | None) -> None:
            super().__init__()
            self.topic = topic

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self._topics: list[str | None] = []

    def set_topics(self, total: int, topics: list[TopicCount], current: str | None) -> None:
        """Fill the list, keeping the highlight on ``current`` when it still exists."""
        self._topics = [None] + [t.name for t in topics]
        options = [Option(_prompt("All articles", total), id=ALL_ID)]
        options += [Option(_prompt(t.name, t.count)) for t in topics]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            self.highlighted = self._topics.index(current) if current in self._topics else 0

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._topics):
            self.post_message(self.Chosen(self._topics[event.option_index]))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._topics):
            self.post_message(self.Chosen(self._topics[event.option_index]))
