"""The main screen: topic sidebar, article list and detail pane, and their keys.

The screen owns the view state (sort, direction, topic, filter text) and
pushes it down to the widgets; the widgets report what the user did with
messages. Loading the index and scanning the files run in a worker thread
that reports with messages too, so the screen is usable while a big cache
is indexed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from reader.articles import ArticleError, load_article
from reader.browser import RefusedURL, check_url, open_url
from reader.index import Entry, Skip
from reader.library import Collection, SortKey, Source
from reader.paths import Locations
from reader.settings import Settings, save_settings
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane
from reader.widgets.related_list import RelatedList
from reader.widgets.topic_sidebar import TopicSidebar

IMPORT_HINT = "newsreader import PATH"
NARROW_WIDTH = 100
PARTIAL_FILL_SECONDS = 2.0


class MainScreen(Screen):
    """Browse the collection: choose a topic, move through articles, open them."""

    BINDINGS = [
        Binding("tab", "app.focus_next", "Next pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False),
        Binding("h,left", "pane(-1)", "Pane left", show=False),
        Binding("l,right", "pane(1)", "Pane right", show=False),
        Binding("s", "toggle_sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("o", "open", "Open"),
        Binding("y", "copy_link", "Copy link"),
        Binding("exclamation_mark", "skipped", "Skipped files", show=False),
    ]

    class Loaded(Message):
        """The worker has entries to show (from the index, or after a scan)."""

        def __init__(self, collection: Collection, is_samples: bool, skipped: list[Skip] | None) -> None:
            super().__init__()
            self.collection = collection
            self.is_samples = is_samples
            self.skipped = skipped

    class ScanProgress(Message):
        """Files parsed so far in a running scan."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class ScanFailed(Message):
        """The scan could not run at all (the reason is one line)."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, locations: Locations, settings: Settings, clock: Callable[[], dt.datetime]) -> None:
        super().__init__()
        self.locations = locations
        self.settings = settings
        self.clock = clock
        self.source: Source | None = None
        self.collection = Collection([])
        self.is_samples = False
        self.scanning = True
        self.skipped: list[Skip] = []
        self.topic: str | None = None
        self.filter_text = ""
        self._scan_note = "Reading the index…"

    # --- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield TopicSidebar(id="sidebar")
            with Horizontal(id="content"):
                with Vertical(id="middle"):
                    yield Static("", id="samples-banner", markup=False)
                    yield Static("", id="list-title", markup=False)
                    yield Input(placeholder="Filter: words in title, excerpt or provider", id="filter")
                    yield ArticleList(clock=self.clock, id="articles")
                    yield Static("", id="list-empty", markup=False)
                yield DetailPane(clock=self.clock, id="detail")
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#samples-banner").display = False
        self.query_one("#sidebar").border_title = "Topics"
        self.query_one(ArticleList).focus()
        self._refresh_view()
        self.load_library()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")

    # --- the worker ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="scan")
    def load_library(self) -> None:
        """Show the index at once, then bring it up to date with the files."""
        try:
            source = Source(self.locations)
        except Exception as exc:  # noqa: BLE001 - an unreadable cache must not crash the screen
            self.post_message(self.ScanFailed(f"cannot open the cache: {exc}"))
            return
        self.source = source
        first = source.load()
        if len(first):
            self.post_message(self.Loaded(first, False, None))
        last_fill = time.monotonic()

        def progress(done: int, total: int) -> None:
            # A long first scan fills the list as it goes, every couple of seconds.
            nonlocal last_fill
            self.post_message(self.ScanProgress(done, total))
            if time.monotonic() - last_fill > PARTIAL_FILL_SECONDS and done < total:
                last_fill = time.monotonic()
                self.post_message(self.Loaded(source.load(), False, None))

        result = source.scan(progress)
        if result.changed or not len(first) or source.is_samples:
            self.post_message(self.Loaded(source.load(), source.is_samples, result.skipped))
        else:
            self.post_message(self.Loaded(first, False, result.skipped))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.collection = message.collection
        self.is_samples = message.is_samples
        if message.skipped is not None:
            self.scanning = False
            self.skipped = message.skipped
        banner = self.query_one("#samples-banner", Static)
        banner.display = self.is_samples
        if self.skipped:  # the cache has files, but none could be read: "empty" would mislead
            count = len(self.skipped)
            why = f" — none of the {count:,} files in your cache could be read (press ! to see why). "
            if count == 1:
                why = " — the one file in your cache could not be read (press ! to see why). "
        else:
            why = " — your cache is empty. "
        banner.update(Text.assemble(("Sample articles", "bold"), why, "Bring your own: ", (IMPORT_HINT, "bold")))
        sidebar = self.query_one(TopicSidebar)
        topics = self.collection.topics()
        if self.topic is not None and self.topic not in {t.name for t in topics}:
            self.topic = None
        sidebar.set_topics(len(self.collection), topics, self.topic)
        self._refresh_view(keep=True)

    @on(ScanProgress)
    def _progress(self, message: ScanProgress) -> None:
        percent = message.done * 100 // max(1, message.total)
        self._scan_note = f"Indexing {message.done:,}/{message.total:,} files ({percent}%)…"
        self._update_status()

    @on(ScanFailed)
    def _failed(self, message: ScanFailed) -> None:
        self.scanning = False
        self._scan_note = message.reason
        self._refresh_view()

    # --- pushing state down --------------------------------------------------------

    def _refresh_view(self, keep: bool = True) -> None:
        """Recompute the visible rows from the view state and update the panes."""
        articles = self.query_one(ArticleList)
        previous = articles.highlighted if keep else None
        rows = self.collection.view(self.settings.sort, self.settings.reverse, self.topic, self.filter_text)
        articles.set_entries(rows, keep=previous)
        self._update_title(len(rows))
        self._update_empty(rows)
        self._update_status()

    def _update_title(self, shown: int) -> None:
        where = self.topic if self.topic is not None else "All articles"
        total = len(self.collection.view(self.settings.sort, self.settings.reverse, self.topic)) if self.filter_text else shown
        if self.settings.sort is SortKey.DATE:
            order = "oldest first" if self.settings.reverse else "newest first"
        else:
            order = "lowest first" if self.settings.reverse else "highest first"
        count = f"{shown:,} of {total:,}" if self.filter_text else f"{shown:,}"
        title = Text.assemble((where, "bold"), f" · {count} · by {self.settings.sort.value}, {order}")
        if self.filter_text:
            title.append(f" · filter “{self.filter_text}”", style="italic")
        self.query_one("#list-title", Static).update(title)

    def _update_empty(self, rows: list[Entry]) -> None:
        empty = self.query_one("#list-empty", Static)
        articles = self.query_one(ArticleList)
        if rows:
            message = ""
        elif self.scanning:
            message = "Loading articles…"
        elif self.filter_text:
            message = f"No articles match “{self.filter_text}”.\nPress escape to clear the filter."
        elif self.topic is not None:
            message = f"No articles in “{self.topic}”.\nChoose another topic on the left."
        else:
            message = f"No articles yet.\nBring some in with: {IMPORT_HINT}"
        empty.update(message)
        empty.display = not rows
        articles.display = bool(rows)
        if not rows:
            self.query_one(DetailPane).show(None, "No article selected.")

    def _update_status(self) -> None:
        parts = []
        if self.scanning:
            parts.append(self._scan_note)
        else:
            where = "sample articles" if self.is_samples else str(self.locations.cache)
            parts.append(f"{len(self.collection):,} articles in {where}")
            if self.skipped:
                noun = "file" if len(self.skipped) == 1 else "files"
                parts.append(f"{len(self.skipped):,} {noun} skipped (press ! to see why)")
        self.query_one("#status", Static).update(" · ".join(parts))

    # --- messages from the widgets ------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _article_highlighted(self, message: ArticleList.Highlighted) -> None:
        detail = self.query_one(DetailPane)
        entry = message.entry
        if entry is None or self.source is None:
            detail.show(None, "No article selected.")
            return
        try:
            article = load_article(self.source.path_of(entry))
        except ArticleError as exc:
            detail.show(None, f"{entry.title}\n\nThis file can no longer be read: {exc}")
            return
        detail.show(article)

    @on(TopicSidebar.Chosen)
    def _topic_chosen(self, message: TopicSidebar.Chosen) -> None:
        if message.topic != self.topic:
            self.topic = message.topic
            self._refresh_view(keep=False)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._refresh_view(keep=True)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one(ArticleList).focus()

    @on(RelatedList.Open)
    def _open_related(self, message: RelatedList.Open) -> None:
        self.open_link(message.item.url)

    @on(DetailPane.OpenLink)
    def _open_body_link(self, message: DetailPane.OpenLink) -> None:
        self.open_link(message.url)

    # --- actions ------------------------------------------------------------------------------

    def _panes(self) -> list[Widget]:
        panes: list[Widget] = [self.query_one(TopicSidebar), self.query_one(ArticleList)]
        related = self.query_one(RelatedList)
        if related.display:
            panes.append(related)
        return panes

    def action_pane(self, step: int) -> None:
        """Move the focus to the pane on the left (-1) or right (1)."""
        panes = self._panes()
        focused = self.focused
        index = panes.index(focused) if focused in panes else 1
        panes[(index + step) % len(panes)].focus()

    def _save_settings(self) -> None:
        save_settings(self.locations.settings_path, self.settings)

    def action_toggle_sort(self) -> None:
        """Switch between date and quality order (remembered for next time)."""
        self.settings.sort = self.settings.sort.other
        self.settings.reverse = False
        self._save_settings()
        self._refresh_view()

    def action_reverse(self) -> None:
        """Flip the current order."""
        self.settings.reverse = not self.settings.reverse
        self._save_settings()
        self._refresh_view()

    def action_filter(self) -> None:
        """Show the filter box and put the cursor in it."""
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        """Clear and hide the filter, back to the list."""
        box = self.query_one("#filter", Input)
        if not box.display and not self.filter_text:
            return
        box.value = ""
        box.display = False
        self.filter_text = ""
        self._refresh_view()
        self.query_one(ArticleList).focus()

    def _current_url(self) -> str | None:
        related = self.query_one(RelatedList)
        if self.focused is related and related.current is not None:
            return related.current.url
        entry = self.query_one(ArticleList).highlighted
        return entry.url if entry is not None else None

    def action_open(self) -> None:
        """Open the highlighted article, or related item, in the web browser."""
        if self.query_one(ArticleList).highlighted is None and self.focused is not self.query_one(RelatedList):
            self.notify("Nothing to open.", severity="warning")
            return
        self.open_link(self._current_url())

    def open_link(self, url: str | None) -> None:
        """Open ``url`` if it is http(s), without freezing the screen; say why not otherwise."""
        try:
            safe = check_url(url)
        except RefusedURL as exc:
            self.notify(str(exc), title="Not opened", severity="warning", markup=False)
            return
        self._launch_browser(safe)
        self.notify(safe, title="Opening in your browser", markup=False)

    @work(thread=True, group="browser")
    def _launch_browser(self, url: str) -> None:
        if not open_url(url):
            self.app.call_from_thread(
                self.notify, "No web browser could be started.", title="Not opened", severity="error"
            )

    def action_copy_link(self) -> None:
        """Copy the current link to the clipboard."""
        url = self._current_url()
        if not url:
            self.notify("This item has no link.", severity="warning")
            return
        self.app.copy_to_clipboard(url)
        self.notify(url, title="Link copied", markup=False)

    def action_skipped(self) -> None:
        """List the files that could not be read, and why."""
        from reader.screens.skipped import SkippedScreen

        # Skipped paths are relative to the cache, even when the samples are shown instead.
        self.app.push_screen(SkippedScreen(self.skipped, self.locations.cache))
