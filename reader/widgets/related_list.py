"""The shown article's media file and related items, focusable and movable through.

A podcast episode's or video's enclosure is the first item, so ``o`` on it
plays it with the configured opener (see :mod:`reader.openers`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.articles import Related
from reader.formatting import relative_date
from reader.widgets.plain_option_list import PlainOptionList


def _prompt(item: Related, now: dt.datetime) -> Text:
    text = Text(item.title, style="bold")
    details = [item.provider.name or item.provider.domain or "unknown source"]
    if item.published:
        details.append(relative_date(item.published.timestamp(), now))
    if item.quality is not None:
        details.append(f"quality {item.quality}")
    text.append("\n" + " · ".join(details), style="dim")
    return text


def _media_prompt(item: Related) -> Text:
    text = Text(item.title, style="bold")
    text.append("\n" + (item.provider.domain or "media file") + " · o to play", style="dim")
    return text


class RelatedList(PlainOptionList):
    """One option per related item (the media file first); ``enter`` or ``o`` opens it."""

    BINDINGS = [
        Binding("enter", "select", "Open in browser", show=False),
    ]

    @dataclass
    class Open(Message):
        """The user asked to open a related item."""

        item: Related

    def __init__(self, *, clock: Callable[[], dt.datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: tuple[Related, ...] = ()
        self._clock = clock

    def set_items(self, items: tuple[Related, ...], media: Related | None = None) -> None:
        """Show ``media`` (the article's enclosure) then ``items``; nothing hides the list."""
        now = self._clock()
        options = [Option(_media_prompt(media))] if media is not None else []
        options += [Option(_prompt(item, now)) for item in items]
        self.items = (media, *items) if media is not None else items
        self.set_options(options)
        self.display = bool(self.items)
        if self.items:
            self.highlighted = 0

    @property
    def current(self) -> Related | None:
        """The highlighted related item."""
        if self.highlighted is not None and 0 <= self.highlighted < len(self.items):
            return self.items[self.highlighted]
        return None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.items):
            self.post_message(self.Open(self.items[event.option_index]))
