"""A long text drawn line by line: the reader view's page.

Laid out as widgets, a 10,000-word article is rendered again at every
layout pass and takes a second to appear. Here the parts (header, body
blocks, link list) are rendered once per width into lines, and only the
lines in view are drawn. The first screenful is rendered at once and the
rest a few blocks at a time after the first paint, so a long article shows
as quickly as a short one and stays scrollable while it completes.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.markdown import Markdown
from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.theme_styles import code_theme

MEASURE = 80
"""Columns of text at most: a comfortable line length on a wide terminal."""
BLOCKS_PER_TICK = 6
"""Parts rendered per step after the first screenful (a step takes a few milliseconds)."""
FIRST_STEP_DELAY = 0.05
"""Seconds between showing the first screenful and rendering the rest: time for it to be drawn."""


class RenderedText(ScrollView, can_focus=True):
    """Renderables shown one under another in a centred column, drawn only where visible."""

    DEFAULT_CSS = """
    RenderedText { scrollbar-gutter: stable; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._parts: list[RenderableType | str] = []
        self._lines: list[Strip] = []
        self._done = 0
        """How many parts are rendered into ``_lines``."""
        self._width = 0
        """The column width the lines were rendered at."""

    @property
    def complete(self) -> bool:
        """Whether every part is rendered (a long text completes after its first paint)."""
        return self._done == len(self._parts)

    @property
    def plain(self) -> str:
        """The text rendered so far, without styles (what a reader sees, for tests and search)."""
        return "\n".join(strip.text.rstrip() for strip in self._lines)

    def show(self, parts: list[RenderableType | str]) -> None:
        """Show ``parts`` from the top, replacing what was shown (a ``str`` is Markdown)."""
        self._parts = parts
        self._restart()
        self.scroll_home(animate=False, immediate=True)

    def _column(self) -> int:
        return max(10, min(MEASURE, self.scrollable_content_region.width - 2))

    def _restart(self) -> None:
        self._lines, self._done, self._width = [], 0, self._column()
        wanted = (self.size.height or self.app.size.height) + 2  # before layout: the screen's
        while self._done < len(self._parts) and len(self._lines) < wanted:
            self._render_next(1)
        self._update_size()
        if not self.complete:
            parts = self._parts
            self.set_timer(FIRST_STEP_DELAY, lambda: self._continue(parts))

    def _continue(self, parts: list[RenderableType | str]) -> None:
        """Render the next few parts after a paint, unless other parts were shown meanwhile."""
        if parts is not self._parts or self.complete:
            return
        self._render_next(BLOCKS_PER_TICK)
        self._update_size()
        if not self.complete:
            self.set_timer(0.001, lambda: self._continue(parts))

    def _render_next(self, count: int) -> None:
        console = self.app.console
        options = console.options.update(width=self._width, height=None)
        for part in self._parts[self._done : self._done + count]:
            if isinstance(part, str):  # Markdown source: parsed only when its turn comes
                part = Markdown(
                    part, hyperlinks=False, code_theme=code_theme(self.app.current_theme.dark)
                )
            for line in console.render_lines(part, options, pad=False):
                self._lines.append(Strip(line))
            self._done += 1

    def _update_size(self) -> None:
        self.virtual_size = Size(self._width, len(self._lines))
        self.refresh()

    def on_resize(self) -> None:
        if self._parts and self._column() != self._width:
            self._rerender()
        self.refresh()  # the column is centred anew, even where its lines stay the same

    def on_mount(self) -> None:
        # The lines keep the colours they were rendered in: a new theme renders them again.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._rerender())

    def _rerender(self) -> None:
        """Render the parts again from the top, staying where the reader was."""
        if self._parts:
            top = self.scroll_offset.y
            self._restart()
            self.scroll_to(y=top, animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = y + self.scroll_offset.y
        if index >= len(self._lines):
            return Strip.blank(width, base)
        pad = max(0, (width - self._width) // 2)
        line = self._lines[index].apply_style(base)
        return Strip([Segment(" " * pad, base), *line]).adjust_cell_length(width, base)
