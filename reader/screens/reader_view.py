"""The reader view: one article full-screen, at a readable measure, without distractions.

Opened with ``enter`` on the list. Its links are numbered in the text and
listed at the end; typing a number (or ``f`` and the number, above 9) opens
one. ``n``/``p`` walk the list without leaving the view; ``x`` downloads the
full text of an article that has only its excerpt. The main screen hands in
what the view cannot know (how to load an entry, how to open a link, what
reading it means) as callbacks, and gets back the entry last shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import RenderableType
from rich.rule import Rule
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.events import Key
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from reader.article_text import (
    EXCERPT,
    ArticleText,
    article_text,
    markdown_blocks,
    number_links,
    reading_minutes,
)
from reader.articles import Article, ArticleError
from reader.components import reading as auto_read
from reader.components.full_text import FullTextFetch
from reader.enclosure import describe
from reader.entry import Entry
from reader.fulltext.store import FullTextStore
from reader.screens.key_tables import READER_KEYS
from reader.widgets.adaptive_footer import AdaptiveFooter
from reader.widgets.rendered_text import RenderedText


@dataclass
class ReadingList:
    """What the view walks through, and what it asks of the main screen."""

    entries: list[Entry]
    """The list's rows, in the list's order."""
    index: int
    """The row shown first."""
    load: Callable[[Entry], Article]
    """Parse an entry's file (raises :class:`ArticleError`)."""
    open_link: Callable[[str | None], bool]
    """Open a URL in the browser, http(s) only; says why not otherwise."""
    seen: Callable[[Entry], None]
    """The entry was read in the view (the main screen marks it)."""
    store: FullTextStore | None = None
    found_texts: Callable[[dict[str, str]], None] = lambda texts: None
    """Full texts downloaded in the view, by URL (the main screen makes them searchable)."""


class ReaderView(Screen[Entry | None]):
    """One article to read; ``q`` returns to the list on the article last read."""

    HELP_TITLE = "Reader view"
    """What the help screen calls this screen's keys."""

    BINDINGS = READER_KEYS

    def __init__(self, reading: ReadingList) -> None:
        super().__init__()
        self.reading = reading
        self.index = reading.index
        self.article: Article | None = None
        self.links: tuple[str, ...] = ()
        self._read_timer: Timer | None = None

    @property
    def entry(self) -> Entry | None:
        """The entry shown now."""
        entries = self.reading.entries
        return entries[self.index] if 0 <= self.index < len(entries) else None

    def compose(self) -> ComposeResult:
        yield RenderedText(id="reader-text")
        yield Static("", id="reader-status", markup=False)
        yield AdaptiveFooter()
        yield FullTextFetch(self.reading.store)

    def on_mount(self) -> None:
        self.query_one(RenderedText).focus()
        self.show_entry()

    def on_unmount(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()

    # --- showing ---------------------------------------------------------------

    def show_entry(self, keep_position: bool = False) -> None:
        """Render the current entry (from the top, unless ``keep_position``)."""
        entry = self.entry
        page = self.query_one(RenderedText)
        self.links = ()
        if entry is None:
            page.show([Text("Nothing to read.", style="italic")])
            return
        try:
            self.article = self.reading.load(entry)
        except ArticleError as exc:
            self.article = None
            note = Text(f"This file can no longer be read: {exc}", style="italic")
            page.show([Text(entry.title, style="bold"), note])
            self._status("")
            return
        text = article_text(self.article, self.reading.store)
        media = self.article.enclosure  # link 1: a podcast's or video's file
        numbered = number_links(text.markdown, (media.url,) if media is not None else ())
        self.links = numbered.links
        top = page.scroll_offset.y
        blocks = markdown_blocks(numbered.markdown)
        parts = [self._head(self.article, text), Rule(style="dim"), *_spaced(blocks)]
        page.show(parts + [self._links_text()] if self.links else parts)
        self._status(self._source_note(text))
        if keep_position:
            page.scroll_to(y=top, animate=False, immediate=True)
        else:
            self._start_read_timer(entry)

    def _head(self, article: Article, text: ArticleText) -> Text:
        head = Text(article.title, style="bold")
        parts = [article.provider.name or article.provider.domain]
        if article.published is not None:
            parts.append(article.published.strftime("%-d %B %Y, %H:%M UTC"))
        parts.append(f"{reading_minutes(text.markdown)} min read")
        head.append("\n" + " · ".join(p for p in parts if p), style="dim")
        if article.enclosure is not None:
            head.append(f"\n{describe(article.enclosure, article.type)} [1]", style="bold")
        position = f"{self.index + 1:,} of {len(self.reading.entries):,}"
        head.append(f"\n{position}", style="dim italic")
        return head

    def _links_text(self) -> Text:
        text = Text("Links", style="bold")
        width = len(str(len(self.links)))
        for number, url in enumerate(self.links, start=1):
            text.append(f"\n{number:>{width}}  ", style="bold")
            text.append(url, style="dim underline")
        hint = "type a number to open it" if len(self.links) <= 9 else "f and a number opens one"
        text.append(f"\n{hint}", style="dim italic")
        return text

    def _source_note(self, text: ArticleText) -> str:
        if text.source != EXCERPT:
            return ""
        if text.fulltext is not None and text.fulltext.error:
            return f"Full text unavailable: {text.fulltext.error} (X to try again)"
        if self.article is not None and self.article.url:
            return "Only the excerpt is here. Press x to download the full text."
        return "Only the excerpt is here."

    def _status(self, note: str) -> None:
        status = self.query_one("#reader-status", Static)
        status.update(note)
        status.display = bool(note)

    def _start_read_timer(self, entry: Entry) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
        self._read_timer = self.set_timer(auto_read.READ_AFTER_SECONDS, lambda: self._seen(entry))

    def _seen(self, entry: Entry) -> None:
        self._read_timer = None
        if self.entry is entry:
            self.reading.seen(entry)

    # --- keys ------------------------------------------------------------------------

    def action_close(self) -> None:
        """Back to the list, its cursor on the article last shown (or close the number box)."""
        if self._asking():
            self.query_one("#reader-ask", Input).remove()
            self.query_one(RenderedText).focus()
            return
        self.dismiss(self.entry)

    def action_scroll(self, lines: int) -> None:
        """Scroll a line."""
        scroll = self.query_one(RenderedText)
        scroll.scroll_to(y=scroll.scroll_y + lines, animate=False)

    def action_page(self, pages: int) -> None:
        """Scroll a screen, less two lines of overlap."""
        scroll = self.query_one(RenderedText)
        scroll.scroll_to(y=scroll.scroll_y + pages * max(1, scroll.size.height - 2), animate=False)

    def action_edge(self, end: int) -> None:
        """To the top (0) or the bottom (1)."""
        scroll = self.query_one(RenderedText)
        if end:
            scroll.scroll_end(animate=False)
        else:
            scroll.scroll_home(animate=False)

    def action_step(self, step: int) -> None:
        """The next (1) or previous (-1) article of the list."""
        target = self.index + step
        if not 0 <= target < len(self.reading.entries):
            self.notify("That was the last article." if step > 0 else "This is the first article.")
            return
        self.index = target
        self.show_entry()

    def action_open_original(self) -> None:
        """Open the article's page in the browser."""
        if self.article is not None:
            self.reading.open_link(self.article.url)

    def action_open_link(self, url: str) -> None:
        """Open a link clicked in the text, if it is http(s)."""
        self.reading.open_link(url)

    def open_number(self, number: int) -> None:
        """Open link ``number`` (as numbered in the text)."""
        if not 1 <= number <= len(self.links):
            self.notify(f"There is no link {number}.", severity="warning")
            return
        self.reading.open_link(self.links[number - 1])

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit() and not self._asking():
            event.stop()
            self.open_number(int(event.character))

    def _asking(self) -> bool:
        return bool(self.query("#reader-ask"))

    def action_ask_link(self) -> None:
        """Ask for a link number (for numbers above 9)."""
        if not self.links:
            self.notify("This article has no links.")
            return
        if not self._asking():  # made when first asked: the view opens faster without it
            ask = Input(
                placeholder="Open link number… (enter opens, escape cancels)", id="reader-ask"
            )
            self.mount(ask, before=self.query_one("#reader-status"))
            self.set_focus(ask)

    @on(Input.Submitted, "#reader-ask")
    def _asked(self, event: Input.Submitted) -> None:
        event.input.remove()
        self.query_one(RenderedText).focus()
        if event.value.strip().isdigit():
            self.open_number(int(event.value.strip()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letters typed in the link-number box are the box's own."""
        if self._asking() and action != "close":
            return False
        return True

    # --- full text -------------------------------------------------------------

    def action_full_text(self) -> None:
        """Download the full text of an article that has only its excerpt."""
        self.query_one(FullTextFetch).request(self.article)

    def action_retry_full_text(self) -> None:
        """Try the download again after a failure."""
        self.query_one(FullTextFetch).request(self.article, retry=True)

    @on(FullTextFetch.Started)
    def _downloading(self) -> None:
        self._status("Downloading the full text…")

    @on(FullTextFetch.Done)
    def _downloaded(self, message: FullTextFetch.Done) -> None:
        self.reading.found_texts(message.texts)
        if self.article is not None and self.article.url == message.url:
            self.show_entry(keep_position=True)


def _spaced(blocks: list[str]) -> list[RenderableType | str]:
    """The Markdown blocks with a blank line after each, as they stand in the text."""
    spaced: list[RenderableType | str] = []
    for block in blocks:
        spaced += [block, Text("")]
    return spaced or [Text("No text.", style="italic")]
