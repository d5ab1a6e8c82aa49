"""The article list: a virtual list that renders only the rows on screen.

A DataTable of 100,000 rows takes seconds to paint; this widget keeps the
sorted entries in a plain sequence (a list, or a long list's rows picked by
position, :mod:`reader.picked`) and builds a :class:`Strip` for each visible
line on demand (Textual's line API), so a huge cache costs what a screenful
does. Text is never parsed as markup: each cell is a plain segment. A row
that stands for several copies of one story (see :mod:`reader.grouping`)
says ``+N`` after its title.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, count, repeat
from operator import attrgetter, eq, is_

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.config.list_settings import ListSettings
from reader.entry import Entry, entry_key, file_key, same_file_keys
from reader.first_page import Order
from reader.formatting import (
    DATE_WIDTHS,
    LIST_DATES,
    fit,
    fold,
    folded_with_positions,
    quality_text,
)
from reader.grouping import Groups
from reader.ordering import locate
from reader.widgets.component_style import readable_style

PROVIDER_WIDTH = 14
"""Cells of the provider column: capped so the title keeps the room (``Tidewater Tri…``)."""
MARK_WIDTH = 3
"""`` ●★``: unread (or new) and starred marks before the date."""
QUALITY_WIDTH = 3
GAPS = {"mark": 1, "date": 1, "quality": 1, "provider": 2, "title": 2}
"""Blank cells before each column (none before the first)."""
_GROUP = attrgetter("group")
_DRAWN = (
    "article-list--date",
    "article-list--quality",
    "article-list--provider",
    "article-list--title",
    "article-list--unread",
    "article-list--read",
    "article-list--new",
    "article-list--star",
    "article-list--match",
    "article-list--copies",
)
"""The component styles cells are drawn in (the cursor's is added to them, not drawn alone)."""


class ArticleList(ScrollView, can_focus=True):
    """The middle pane: one row per article, a cursor, and keyboard movement."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("home,g", "first", "First", show=False, id="first"),
        Binding("end,G", "last", "Last", show=False, id="last"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
    ]

    COMPONENT_CLASSES = {"article-list--cursor", *_DRAWN}

    DEFAULT_CSS = """
    ArticleList {
        background: $surface;
        overflow-x: hidden;
    }
    ArticleList > .article-list--cursor { background: $primary 30%; text-style: bold; }
    ArticleList:focus > .article-list--cursor { background: $primary 70%; }
    ArticleList > .article-list--date { color: $text-muted; }
    ArticleList > .article-list--quality { color: $warning; }
    ArticleList > .article-list--provider { color: $accent; }
    ArticleList > .article-list--title { text-style: bold; }
    ArticleList > .article-list--unread { color: $accent; }
    ArticleList > .article-list--read { color: $text-muted; }
    ArticleList > .article-list--new { color: $success; text-style: bold; }
    ArticleList > .article-list--star { color: $warning; }
    ArticleList > .article-list--match { background: $warning 35%; text-style: bold underline; }
    ArticleList > .article-list--copies { color: $text-muted; text-style: not bold; }
    """

    cursor: reactive[int] = reactive(0, init=False, always_update=True)
    """Index of the highlighted row in :attr:`entries`."""

    @dataclass
    class Highlighted(Message):
        """The highlighted article changed (or the list was emptied: ``entry`` is None)."""

        entry: Entry | None

    def __init__(
        self,
        *,
        clock: Callable[[], dt.datetime],
        settings: ListSettings = ListSettings(),  # noqa: B008 (frozen)
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.entries: Sequence[Entry] = []
        self._clock = clock
        self.columns = settings.columns
        """The columns drawn, in order (``[list] columns``)."""
        self._date_text = LIST_DATES[settings.date]
        self._widths = {
            "mark": MARK_WIDTH,
            "date": DATE_WIDTHS[settings.date],
            "quality": QUALITY_WIDTH,
            "provider": PROVIDER_WIDTH,
            "title": 0,
        }
        # Cells every column but the title takes, gaps included: the title gets the rest.
        self._fixed = sum(
            self._widths[name] + (GAPS[name] if at else 0) for at, name in enumerate(self.columns)
        )
        self._now = clock()
        self.read_keys: set[str] = set()
        """Keys (see :func:`reader.query.entry_key`) of read articles; shared with the state store.
        """
        self.starred_keys: set[str] = set()
        """Keys of starred articles; shared with the state store."""
        self.new_paths: set[str] = set()
        """Paths of articles fetched during this run, marked as new until read."""
        self._match: re.Pattern[str] | None = None
        self.groups: Groups | None = None
        """The duplicate groups the rows are folded by (None: every copy is a row of its own)."""
        self._palettes: dict[bool, dict[str, Style]] = {}

    def set_highlight(self, words: tuple[str, ...]) -> None:
        """Highlight these search words in the titles (ignoring case and accents).

        Only at the start of a word: the search matches words and their
        beginnings, so a hit inside a word would mark what did not match.
        """
        words = tuple(fold(w) for w in words if w)
        pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
        self._match = re.compile(rf"(?<!\w)(?:{pattern})") if pattern else None
        self.refresh()

    # --- data in --------------------------------------------------------------

    def set_entries(
        self,
        entries: Sequence[Entry],
        keep: Entry | None = None,
        reloaded: bool = False,
        order: Order | None = None,
    ) -> None:
        """Show ``entries``; keep the cursor on ``keep`` when it is still there.

        ``keep`` is looked for as the same object, and with ``reloaded`` (the
        entries were read again, as new objects) as the same file. With ``order`` (the order
        the entries are in, or are some rows of) it is looked for by halving.
        """
        shown, self.entries = self.entries, entries
        if len(shown) >= FREE_AFTER_PAINT_FROM:
            # Freeing a list lets go of each of its entries: 18 ms for 140,000 scattered in
            # memory, paid before the new rows painted. Held until they have.
            self.call_after_refresh(_let_go, shown)
        del shown
        self._now = self._clock()
        self._resize_virtual()
        index = None
        if keep is not None and entries:
            # Where it was, or there counted from the end (a reversed order), before a search.
            index = next((at for at in self._hints(len(entries)) if entries[at] is keep), None)
        if index is None and keep is not None and entries:
            # Searched in C: list.index, comparing whole tuples, is 4x slower at 100,000 rows.
            if reloaded:  # by file: its path, or the id it has now (see same_file_keys)
                keys = same_file_keys(keep)
                found = compress(count(), map(keys.__contains__, map(file_key, entries)))
                index = next(found, None)
            elif order is not None:
                index = locate(entries, keep, *order)
            else:
                index = next(compress(count(), map(is_, entries, repeat(keep))), None)
            if index is None and self.groups is not None:  # another copy stands for its story now
                group = self.groups.group_at(keep)
                if group is not None:
                    found = compress(count(), map(eq, map(_GROUP, entries), repeat(group)))
                    index = next(found, None)
        self.cursor = index or 0
        self.refresh()

    def _hints(self, size: int) -> list[int]:
        """Where the entry kept is likely to be among ``size`` new rows: where the cursor was,
        and as far from the end (the order reversed: at a million rows, a search through them
        for the top row, now the last, took 54 ms)."""
        at = self.cursor
        return [i for i in (at, size - 1 - at) if 0 <= i < size]

    def story(self, entry: Entry) -> list[Entry]:
        """``entry`` and, when its row stands for them, the other copies of its story."""
        return self.groups.story(entry) if self.groups is not None else [entry]

    def stories(self, entries: list[Entry]) -> list[Entry]:
        """``entries`` and the other copies of the stories their rows stand for."""
        return self.groups.stories(entries) if self.groups is not None else entries

    @property
    def highlighted(self) -> Entry | None:
        """The entry under the cursor, if any."""
        if 0 <= self.cursor < len(self.entries):
            return self.entries[self.cursor]
        return None

    # --- cursor ---------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.entries) - 1)) if self.entries else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh_line(old)
        self.refresh_line(new)
        self.post_message(self.Highlighted(self.highlighted))

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height or self.size.height
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def move_to(self, entry: Entry | None) -> None:
        """Put the cursor on ``entry`` (the same object) if the list shows it."""
        at = next(compress(count(), map(is_, self.entries, repeat(entry))), None)
        if entry is not None and at is not None:
            self.cursor = at

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.entries) - 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.size.height - 1)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.size.height - 1)

    def on_click(self, event: events.Click) -> None:
        """Clicking a row highlights it (the mouse as a bonus)."""
        row = event.y + int(self.scroll_y)
        if 0 <= row < len(self.entries):
            self.cursor = row

    def _resize_virtual(self) -> None:
        """One virtual line per entry, exactly as wide as the visible area."""
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.entries))

    def on_resize(self, event: events.Resize) -> None:
        self._resize_virtual()
        self._scroll_to_cursor()

    # --- rendering ------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._palettes.clear()  # a theme or the focus may have changed since the last paint
        return super().render_lines(crop)

    def notify_style_update(self) -> None:
        self._palettes.clear()
        super().notify_style_update()

    def _palette(self, cursor: bool) -> dict[str, Style]:
        """Every style a row is drawn with, the cursor's added or not, made once per paint.

        ``rich_style`` walks the widget's ancestors and each cell added three styles: per line
        that was half of what a cursor step cost.
        """
        palette = self._palettes.get(cursor)
        if palette is None:
            base = self.rich_style
            on = self.get_component_rich_style("article-list--cursor") if cursor else Style()
            palette = {name: base + readable_style(self, name) + on for name in _DRAWN}
            palette[""], palette["base"] = base + on, base
            self._palettes[cursor] = palette
        return palette

    def render_line(self, y: int) -> Strip:
        """Build the strip for screen line ``y`` from the entry it shows."""
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width or self.size.width
        if index >= len(self.entries):
            return Strip.blank(width, self._palette(False)["base"])
        entry = self.entries[index]
        style = self._palette(index == self.cursor)
        key = entry_key(entry)
        unread = key not in self.read_keys
        segments: list[Segment] = []
        for at, name in enumerate(self.columns):
            gap = " " * GAPS[name] if at else ""
            if name == "title":
                if gap:
                    segments.append(Segment(gap, style[""]))
                title_style = style["article-list--title" if unread else "article-list--read"]
                room = max(0, width - self._fixed)
                extra = self.groups.extra(entry) if self.groups and entry.group is not None else 0
                marker = f" +{extra}" if extra else ""
                if len(marker) * 3 > room:
                    marker = ""  # a title column too narrow for both keeps the title
                title = fit(entry.title, room - len(marker))
                if marker:
                    title = title.rstrip(" ")
                    marker = set_cell_size(marker, room - cell_len(title))
                segments += self._title_segments(title, title_style, style["article-list--match"])
                if marker:
                    segments.append(Segment(marker, style["article-list--copies"]))
            else:
                segments += self._cell(name, entry, (key, unread), gap, style.__getitem__)
        return Strip(segments).adjust_cell_length(width, style[""])

    def _cell(
        self,
        name: str,
        entry: Entry,
        marks: tuple[str, bool],
        gap: str,
        style: Callable[[str], Style],
    ) -> list[Segment]:
        """One fixed-width column of ``entry``'s row (``marks``: its key, unread), after ``gap``."""
        if name == "mark":
            key, unread = marks
            if unread and entry.path in self.new_paths:
                mark = Segment(gap + " ✦", style("article-list--new"))
            else:
                mark = Segment(gap + (" ●" if unread else "  "), style("article-list--unread"))
            star = Segment("★" if key in self.starred_keys else " ", style("article-list--star"))
            return [mark, star]
        if name == "date":
            text = self._date_text(entry.published, self._now).rjust(self._widths["date"])
            return [Segment(gap + text, style("article-list--date"))]
        if name == "quality":
            text = quality_text(entry.quality).rjust(QUALITY_WIDTH)
            return [Segment(gap + text, style("article-list--quality"))]
        text = fit(entry.provider or entry.domain, PROVIDER_WIDTH)
        return [Segment(gap + text, style("article-list--provider"))]

    def _title_segments(self, title: str, plain: Style, match: Style) -> list[Segment]:
        """The title, with search matches in their own style."""
        if self._match is None:
            return [Segment(title, plain)]
        # Matched on the title without case or accents, as the search matches ("sao" marks "São").
        folded, positions = folded_with_positions(title)
        segments: list[Segment] = []
        start = 0
        for found in self._match.finditer(folded):
            begin, end = found.start(), found.end()
            if positions is not None:
                begin, end = positions[begin], positions[end - 1] + 1
            if begin < start:
                continue  # inside a character already marked (one that folds to several)
            if begin > start:
                segments.append(Segment(title[start:begin], plain))
            segments.append(Segment(title[begin:end], plain + match))
            start = end
        if start < len(title):
            segments.append(Segment(title[start:], plain))
        return segments


FREE_AFTER_PAINT_FROM = 20_000
"""Rows replaced from this many on are let go of once the new rows have painted."""


def _let_go(rows: Sequence[Entry]) -> None:
    """Nothing: the last holder of ``rows`` returns, and they are freed then."""
