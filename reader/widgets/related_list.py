"""The shown article's media file, copies and related items, focusable and movable through.

A podcast episode's or video's enclosure is the first item, so ``o`` on it
plays it with the configured opener (see :mod:`reader.openers`). The order
and the kinds of item are :mod:`reader.related_items`'; each item's second
line says what it is ("same story", "● in your cache", "≈ similar"), so
``enter`` is no surprise: it reads a copy, goes to a cached article, or
opens a link that is not in the cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.geometry import Size
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.formatting import relative_date
from reader.related_items import Kind, PaneItem
from reader.screens.key_tables import RELATED_KEYS
from reader.theme_styles import KEY
from reader.widgets.plain_option_list import PlainOptionList

_MARKERS = {
    Kind.COPY: ("same story", KEY),
    Kind.CACHED: ("● in your cache", KEY),
    Kind.SIMILAR: ("≈ similar", ""),
}
"""The words that start an item's second line, by kind, and their style."""


def _prompt(item: PaneItem, now: dt.datetime) -> Text:
    text = Text(item.title or "Untitled", style="bold")
    text.append("\n")
    marker, style = _MARKERS.get(item.kind, ("", ""))
    if marker:
        text.append(marker, style=style)
        text.append(" · ", style="dim")
    details = [item.provider or "unknown source"]
    if item.published is not None:
        details.append(relative_date(item.published, now))
    if item.quality is not None:
        details.append(f"quality {item.quality}")
    text.append(" · ".join(details), style="dim")
    return text


def _media_prompt(item: PaneItem) -> Text:
    text = Text(item.title, style="bold")
    text.append("\n" + (item.provider or "media file") + " · o to play", style="dim")
    return text


class RelatedList(PlainOptionList):
    """One option per item (the media file first); ``enter`` follows it, ``o`` opens it."""

    BINDINGS = RELATED_KEYS

    @dataclass
    class Open(Message):
        """The user chose an item (``enter``): read it, go to it or open it, by its kind."""

        item: PaneItem

    def __init__(self, *, clock: Callable[[], dt.datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: tuple[PaneItem, ...] = ()
        self._clock = clock

    def set_items(self, items: Sequence[PaneItem], keep: bool = False) -> None:
        """Show ``items`` from the first; with ``keep`` (the same article's, found in the
        cache meanwhile) the highlight stays on the item it was on while the list has focus.

        Unfocused, no item was chosen: the list starts at its first item whenever the look-up
        answers (it stayed on the file's first link, pushed down by the similar articles, when
        the answer came after the article was shown).
        """
        now, was = self._clock(), self.current
        options = [
            Option(_media_prompt(item) if item.kind is Kind.MEDIA else _prompt(item, now))
            for item in items
        ]
        self.items = tuple(items)
        self.set_options(options)
        self.display = bool(self.items)
        if self.items:
            kept = keep and self.has_focus and was in self.items
            self.highlighted = self.items.index(was) if kept else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The lines the items take at the width they are wrapped at.

        Textual measures an auto-height list at its full width, but wraps the items
        beside the scrollbar. A list the scrollbar made longer than that measure kept
        the scrollbar for good, its items wrapped narrow: a picture that depended on
        timing. The scrollbar's column is kept in the style, and measured here.
        """
        return super().get_content_height(container, viewport, width - self.scrollbar_size_vertical)

    @property
    def current(self) -> PaneItem | None:
        """The highlighted item."""
        if self.highlighted is not None and 0 <= self.highlighted < len(self.items):
            return self.items[self.highlighted]
        return None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.items):
            self.post_message(self.Open(self.items[event.option_index]))
