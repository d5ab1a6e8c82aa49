"""The sidebar: all articles, unread, starred, saved searches, hidden, then sources and topics.

The sources are the subscribed feeds (a Feeds section, before the topics) or,
in a cache that has none, the articles' providers (a Providers section, after
the topics: they can be many); each lists its articles with ``source:NAME``.
A section's heading cannot be highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.formatting import short_count
from reader.paths import Locations
from reader.scopes import (
    ALL,
    HIDDEN,
    STARRED,
    UNREAD,
    Counts,
    Scope,
    source_scope,
    topic_scope,
    view_scope,
)
from reader.sources import FeedSource, feed_sources
from reader.state import SavedView
from reader.widgets.component_style import readable_style
from reader.widgets.plain_option_list import PlainOptionList

HEADING = Scope("heading", "")
"""What a section's heading (or its closing note) stands for: nothing to choose."""


NAME_ROOM = 10
"""Cells a sidebar line's name keeps before its counts are shortened (most topics' names)."""


class CountColumn:
    """How the counts of one sidebar section print, the same on each of its lines.

    At a million articles two full counts took 13 of the sidebar's 20 cells: the topics read
    ``Hea…`` and the first line's total ``1,000,0…``. The counts now leave the names
    :data:`NAME_ROOM` cells, at the width the section is rendered at: in full
    (``8,391 8,391``) when they fit beside it, else short (``83k 83k``), else the unread
    alone (the total when nothing is unread), as mail readers' folder lists show it. A level
    per section, not per line, so that one column of numbers reads alike; the list's title
    gives the chosen line's count in full.
    """

    def __init__(self, lines: list[ScopeLine]) -> None:
        self.lines = lines
        self._levels: dict[int, int] = {}
        for line in lines:
            line.column = self

    def level(self, width: int) -> int:
        """The level (see :meth:`ScopeLine.counts`) of the section's counts at ``width``."""
        level = self._levels.get(width)
        if level is None:
            room = width - 1 - NAME_ROOM

            def fits(level: int) -> bool:
                return all(line.counts(level).cell_len <= room for line in self.lines)

            level = self._levels[width] = 0 if fits(0) else 1 if fits(1) else 2
        return level


class ScopeLine:
    """One sidebar line at any width: the name (cut with an ellipsis), then the unread (bold)
    and total (dim) counts, printed as its section's :class:`CountColumn` says."""

    def __init__(
        self, name: str | Text, unread: int | None, total: int | None, style: str = ""
    ) -> None:
        self.name = Text(name, style=style) if isinstance(name, str) else name
        self.unread = unread or None
        self.total = total
        self.column: CountColumn | None = None

    def counts(self, level: int = 0) -> Text:
        """The counts' text: in full (0), short (1), or the unread alone, short (2)."""
        number = "{:,}".format if level == 0 else short_count
        total = None if level == 2 and self.unread is not None else self.total
        counts = Text()
        if self.unread is not None:
            counts.append(number(self.unread) + ("" if total is None else " "), style="bold")
        if total is not None:
            counts.append(number(total), style="dim")
        return counts

    def _grid(self, width: int) -> Table:
        level = 0 if self.column is None else self.column.level(width)
        line = Table.grid(expand=True, padding=(0, 1), pad_edge=False)  # a cell between the two
        line.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        line.add_column(justify="right", no_wrap=True)
        line.add_row(self.name, self.counts(level))
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._grid(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._grid(options.max_width))


class TopicSidebar(PlainOptionList):
    """Lists the scopes; highlighting one shows it in the article list at once."""

    BINDINGS = [
        Binding("x,delete", "delete_view", "Delete saved search", show=False),
    ]

    COMPONENT_CLASSES = {"topic-sidebar--heading", "topic-sidebar--failed"}
    """A section's heading; the mark of a feed whose last fetch failed (styled in app.tcss)."""

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
        """One per option, in order (separators are not options; headings are :data:`HEADING`)."""
        self.feeds: list[FeedSource] | None = None
        """The subscribed feeds (None when the feed list cannot be read): set by the screen."""
        self.show_providers = True
        """Whether a cache without feeds gets a Providers section (not the bundled samples)."""
        self.border_title = "Topics"

    @property
    def current(self) -> Scope | None:
        """The highlighted scope."""
        if self.highlighted is not None and 0 <= self.highlighted < len(self.scopes):
            scope = self.scopes[self.highlighted]
            return None if scope is HEADING else scope
        return None

    def read_feeds(self, locations: Locations) -> None:
        """Read the feed list and each feed's last result (shown at the next :meth:`set_scopes`)."""
        self.feeds, problem = feed_sources(locations)
        if problem:
            self.notify(problem, title="Feeds", severity="warning", markup=False)

    def _sources(self, counts: Counts) -> tuple[str, list[tuple[Scope, ScopeLine]], int]:
        """The sources section: its heading, its lines, and how many providers are left out."""
        if self.feeds:
            failed = Text("!", style=self.get_component_rich_style("topic-sidebar--failed"))
            lines = []
            for feed in self.feeds:
                total, unread = counts.source(feed.provider)
                name = Text.assemble(failed, " ", feed.title) if feed.problem else Text(feed.title)
                scope = source_scope(feed.title, feed.provider, feed.problem)
                lines.append((scope, ScopeLine(name, unread, total)))
            return "Feeds", lines, 0
        if not self.show_providers:
            return "", [], 0
        providers, more = counts.providers()
        lines = [
            (source_scope(name), ScopeLine(name, unread, total))
            for name, total, unread in providers
        ]
        return "Providers", lines, more

    def _heading(self, text: str) -> Option:
        return Option(
            Text(text, style=readable_style(self, "topic-sidebar--heading")),
            disabled=True,
        )

    def set_scopes(
        self, counts: Counts, views: list[tuple[SavedView, int]], current: Scope
    ) -> None:
        """Fill the list from ``counts`` and the saved searches, keeping the highlight on
        ``current``."""
        lines: list[tuple[Scope, ScopeLine]] = [
            (ALL, ScopeLine(ALL.name, counts.unread, counts.total, "bold")),
            (UNREAD, ScopeLine(UNREAD.name, None, counts.unread)),
            (STARRED, ScopeLine("★ " + STARRED.name, None, counts.starred)),
        ]
        lines += [
            (view_scope(v.name, v.query), ScopeLine("/ " + v.name, None, n)) for v, n in views
        ]
        if counts.hidden_total is not None:  # only when config.toml has hide rules
            lines.append((HIDDEN, ScopeLine("⊘ " + HIDDEN.name, None, counts.hidden_total)))
        topics = [
            (topic_scope(name), ScopeLine(name, unread, total))
            for name, total, unread in counts.topics()
        ]
        heading, sources, more = self._sources(counts)
        # Feeds, chosen by the user and few, come before the topics; providers, many and found in
        # the files, after them. Each section follows a divider; a heading names it when the
        # sidebar has more than one.
        sections: list[tuple[str, list[tuple[Scope, ScopeLine]], int]] = [("", topics, 0)]
        if sources and heading == "Feeds":
            sections = [(heading, sources, 0), ("Topics", topics, 0)]
        elif sources:
            sections.append((heading, sources, more))
        for section in [lines, *(section for _, section, _ in sections)]:
            CountColumn([line for _, line in section])
        self.scopes = [scope for scope, _ in lines]
        options: list[Option | None] = [Option(prompt) for _, prompt in lines]
        for title, section, left_out in sections:
            if not section:
                continue
            options.append(None)
            if title:
                options.append(self._heading(title))
                self.scopes.append(HEADING)
            options += [Option(prompt) for _, prompt in section]
            self.scopes += [scope for scope, _ in section]
            if left_out:
                note = f"{left_out:,} more: search source:NAME"
                options.append(Option(Text(note, style="italic"), disabled=True))
                self.scopes.append(HEADING)
        shown = [title or "Topics" for title, section, _ in sections if section] or ["Topics"]
        self.border_title = " & ".join(shown).capitalize()
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            self.highlighted = self.scopes.index(current) if current in self.scopes else 0
        self._show_problem()

    def _show_problem(self) -> None:
        """A feed's failed fetch, in words, for the mouse (the list title says it too)."""
        scope = self.current
        self.tooltip = f"Last fetch failed: {scope.problem}" if scope and scope.problem else None

    @on(OptionList.OptionHighlighted)
    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionHighlighted | OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.scopes):
            self._show_problem()
            if self.scopes[event.option_index] is not HEADING:
                self.post_message(self.Chosen(self.scopes[event.option_index]))

    def action_delete_view(self) -> None:
        """Delete the highlighted saved search (the screen asks first)."""
        scope = self.current
        if scope is not None and scope.kind == "view":
            self.post_message(self.DeleteView(scope))
