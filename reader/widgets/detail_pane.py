"""The detail pane: everything about the highlighted article, and its related items.

The file's own related items show at once; which of them are in the cache,
and the cached articles most like this one, come a moment later from
:class:`~reader.components.related_lookup.RelatedLookup` (off the UI thread).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from reader import captions, related_items
from reader.article_text import EXCERPT, article_text, preview
from reader.articles import Article, ArticleError, Provider, Related, load_article
from reader.captions import NO_ARTICLE
from reader.components.related_lookup import RelatedLookup
from reader.enclosure import describe
from reader.entry import Entry, offered_topics, topics_of
from reader.formatting import long_date
from reader.fulltext.store import FullTextStore
from reader.theme_styles import NOTE, code_theme
from reader.widgets.link_clicks import ClickableLinks
from reader.widgets.related_list import RelatedList

if TYPE_CHECKING:
    from reader.library import Source


def _media(article: Article) -> Related | None:
    """The article's enclosure as the first item of the related list, where ``o`` plays it."""
    enclosure = article.enclosure
    if enclosure is None:
        return None
    host = urlsplit(enclosure.url).hostname or ""
    title = describe(enclosure, article.type)
    return Related(title, url=enclosure.url, provider=Provider(domain=host), type=article.type)


def _meta(article: Article, now: dt.datetime, marks: tuple[bool, bool]) -> Text:
    """Provider, date, quality, heat, type, topics and reading state as labelled lines."""
    text = Text()

    def line(label: str, value: str, style: str = "") -> None:
        if text:
            text.append("\n")
        text.append(f"{label:<11}", style="dim")
        text.append(value, style=style)

    provider = article.provider
    source = " · ".join(p for p in (provider.name, provider.domain) if p) or "unknown"
    line("Source", source, "bold")
    line("Published", long_date(article.published, now))
    scores = []
    if article.quality is not None:
        scores.append(f"quality {article.quality}")
    if article.heat is not None:
        scores.append(f"heat {article.heat}")
    scores.append(article.type)
    line("Score", " · ".join(scores))
    if topics := offered_topics(article.topics):  # machine tags stay in the file only
        line("Topics", ", ".join(topics))
    if article.enclosure is not None:
        line("Media", describe(article.enclosure, article.type), "bold")
    read, starred = marks
    line(
        "State",
        ("read" if read else "unread") + (" · ★ starred" if starred else ""),
        "" if read else "bold",
    )
    return text


class DetailPane(VerticalScroll, can_focus=False):
    """Shows one :class:`Article`; all text is shown literally, never as markup."""

    def __init__(self, *, clock: Callable[[], dt.datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self._clock = clock
        self.article: Article | None = None
        self.marks: tuple[bool, bool] = (False, False)
        """(read, starred) of the shown article."""
        self.store: FullTextStore | None = None
        """Where downloaded full texts are kept: shown when the file has no body."""
        self.entry: Entry | None = None
        """The shown article's row (None when the article was not shown from the list)."""
        self._parts: tuple[tuple[Related, ...], Related | None, tuple[Entry, ...]] = ((), None, ())
        """The shown article's own related items, media file and other copies."""
        self._found: related_items.Found | None = None
        """What the index said of :attr:`_found_for`'s related items."""
        self._found_for: Entry | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title", markup=False)
        yield Static("", id="detail-meta", markup=False)
        yield Static("", id="detail-excerpt", markup=False)
        yield Static("", id="detail-body", markup=False)
        yield Static("", id="detail-text-note", markup=False)
        yield Static("", id="detail-url", markup=False)
        yield Static("", id="detail-related-title", markup=False)
        yield RelatedList(clock=self._clock, id="related")
        yield RelatedLookup()

    def scroll_pages(self, pages: int) -> None:
        """Scroll by ``pages`` screenfuls (negative: back), for long articles."""
        step = pages * max(1, self.size.height - 2)
        self.scroll_to(y=self.scroll_y + step, animate=False)

    def show(
        self,
        article: Article | None,
        note: str = "",
        marks: tuple[bool, bool] = (False, False),
        copies: tuple[Entry, ...] = (),
    ) -> None:
        """Display ``article`` (``copies``: the other copies of its story), or ``note`` alone
        when there is nothing to show."""
        self.article = article
        title = self.query_one("#detail-title", Static)
        related = self.query_one(RelatedList)
        body = self.query_one("#detail-body", Static)
        for widget_id in (
            "#detail-meta",
            "#detail-excerpt",
            "#detail-text-note",
            "#detail-url",
            "#detail-related-title",
        ):
            self.query_one(widget_id, Static).update("")
        if article is None:
            self.entry = None
            self.query_one(RelatedLookup).cancel()
            title.update(Text(note or "Nothing selected", style="dim italic"))
            related.set_items(())
            body.display = False
            return
        title.update(Text(article.title))
        self.marks = marks
        self.query_one("#detail-meta", Static).update(_meta(article, self._clock(), marks))
        self.query_one("#detail-excerpt", Static).update(
            Text(article.excerpt or "No excerpt.", style="" if article.excerpt else "dim italic")
        )
        text = article_text(article, self.store)
        shown, left = preview(text.markdown) if text.source != EXCERPT else ("", 0)
        body.display = bool(shown)
        # One Rich rendering, not a widget per block: moving through long articles stays quick.
        if shown:
            from rich.markdown import Markdown  # with Pygments: loaded by the first body shown

            code = code_theme(self.app.current_theme.dark)
            body.update(ClickableLinks(Markdown(shown, code_theme=code)))
        else:
            body.update("")
        self.query_one("#detail-text-note", Static).update(captions.body_note(text, left))
        url = Text("Link       ", style="dim")
        url.append(article.url or "none", style="underline" if article.url else "dim")
        if note:
            url.append(f"\n{note}", style=NOTE)
        self.query_one("#detail-url", Static).update(url)
        self._parts = (article.related, _media(article), tuple(copies))
        self._show_items(None)
        self.scroll_home(animate=False)

    def _show_items(self, found: related_items.Found | None, keep: bool = False) -> None:
        """The related section: the file's own items, ordered by ``found`` once it is known."""
        items = related_items.arrange(*self._parts, found)
        heading = related_items.heading(items)
        self.query_one("#detail-related-title", Static).update(
            Text(heading, style="bold") if heading else ""
        )
        self.query_one(RelatedList).set_items(items, keep)

    def show_entry(
        self,
        entry: Entry | None,
        source: Source | None,
        marks: tuple[bool, bool],
        copies: Sequence[Entry] = (),
    ) -> None:
        """Display ``entry``'s file from ``source`` (``copies``: the other copies of its story),
        or say why there is none.

        Which of its related items are cached, and what else is, is looked up in
        ``source``'s index in the background (see :meth:`_found_related`).
        """
        if entry is None or source is None:
            self.show(None, NO_ARTICLE)
            return
        try:
            article = load_article(source.path_of(entry))
        except ArticleError as exc:
            self.show(None, f"{entry.title}\n\nThis file can no longer be read: {exc}")
            return
        # The entry's topics: renamed (reader.topic_names), machine tags already left out.
        shown = replace(article, topics=tuple(topics_of(entry)))
        self.show(shown, marks=marks, copies=tuple(copies))
        self.entry = entry
        if entry is self._found_for:  # shown again (its full text came): known already
            self._show_items(self._found, keep=True)
        elif entry.id is not None:
            urls = [item.url for item in article.related if item.url]
            self.query_one(RelatedLookup).request(source.index, entry, urls)

    @property
    def found_for(self) -> Entry | None:
        """The article whose related items the index last answered for."""
        return self._found_for

    @on(RelatedLookup.Found)
    def _found_related(self, message: RelatedLookup.Found) -> None:
        """Order the related items as the index says, if their article is still the one shown."""
        message.stop()
        if message.entry != self.entry:
            return  # the cursor moved on meanwhile
        self._found, self._found_for = message.found, message.entry
        # The highlight stays on its item only if the user is moving through the list.
        self._show_items(message.found, keep=self.query_one(RelatedList).has_focus)

    def set_marks(self, marks: tuple[bool, bool]) -> None:
        """Update the reading state shown for the current article."""
        if self.article is not None and marks != self.marks:
            self.marks = marks
            self.query_one("#detail-meta", Static).update(_meta(self.article, self._clock(), marks))
