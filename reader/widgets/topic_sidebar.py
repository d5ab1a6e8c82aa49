"""The sidebar: all articles, unread, starred, saved searches, then every topic."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.scopes import ALL, STARRED, UNREAD, Counts, Scope, topic_scope, view_scope
from reader.state import SavedView
from reader.widgets.plain_option_list import PlainOptionList


def _prompt(name: str, unread: int | None, total: int | None, style: str = "") -> Table:
    """One line at any width: the name (cut with an ellipsis), then unread and total counts."""
    line = Table.grid(expand=True)
    line.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    line.add_column(justify="right", no_wrap=True)
    counts = Text()
    if unread:
        counts.append(f" {unread:,}", style="bold")
    if total is not None:
        counts.append(f" {total:,}", style="dim")
    line.add_row(Text(name, style=style), counts)
    return line


class TopicSidebar(PlainOptionList):
    """Lists the scopes; highlighting one shows it in the article list at once."""

    BINDINGS = [
        Binding("x,delete", "delete_view", "Delete saved search", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """The user moved to another scope."""

        scope: Scope

    @dataclass
    class DeleteView(Message):
        """The user asked to delete a saved search."""

        scope: Scope

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scopes: list[Scope] = []
        """One per option, in order (the separator is not an option)."""

    @property
    def current(self) -> Scope | None:
        """The highlighted scope."""
        if self.highlighted is not None and 0 <= self.highlighted < len(self.scopes):
            return self.scopes[self.highlighted]
        return None

    def set_scopes(
        self, counts: Counts, views: list[tuple[SavedView, int]], current: Scope
    ) -> None:
        """Fill the list from ``counts`` and the saved searches, keeping the highlight on
        ``current``."""
        lines: list[tuple[Scope, Table]] = [
            (ALL, _prompt(ALL.name, counts.unread, counts.total, "bold")),
            (UNREAD, _prompt(UNREAD.name, None, counts.unread)),
            (STARRED, _prompt("★ " + STARRED.name, None, counts.starred)),
        ]
        lines += [(view_scope(v.name, v.query), _prompt("/ " + v.name, None, n)) for v, n in views]
        topics = [
            (topic_scope(name), _prompt(name, unread, total))
            for name, total, unread in counts.topics()
        ]
        self.scopes = [scope for scope, _ in lines] + [scope for scope, _ in topics]
        options: list[Option | None] = [Option(prompt) for _, prompt in lines]
        if topics:
            options.append(None)  # a divider line between the views and the topics
            options += [Option(prompt) for _, prompt in topics]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            self.highlighted = self.scopes.index(current) if current in self.scopes else 0

    @on(OptionList.OptionHighlighted)
    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionHighlighted | OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.scopes):
            self.post_message(self.Chosen(self.scopes[event.option_index]))

    def action_delete_view(self) -> None:
        """Delete the highlighted saved search (the screen asks first)."""
        scope = self.current
        if scope is not None and scope.kind == "view":
            self.post_message(self.DeleteView(scope))
