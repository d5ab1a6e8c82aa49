"""The main screen: sidebar, article list and detail pane, and their keys.

The screen owns the view state (scope, sort, direction, search text) and
pushes it down to the widgets; the widgets report what the user did with
messages. Loading the index, scanning the files and fetching feeds run in
worker threads that report with messages too, so the screen stays usable
while a big cache is indexed. Link keys, reading-state keys and the fetch
key live in the three mixins this class is made of.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from reader import gc_pause
from reader.articles import ArticleError, load_article
from reader.entry import Entry, entry_key
from reader.index import Skip
from reader.library import Collection, Preloaded, SortKey, Source
from reader.paths import Locations
from reader.query import Query, parse_query, quote_value
from reader.scopes import ALL, Counts, Scope
from reader.screens.fetch_actions import FetchActions
from reader.screens.link_actions import LinkActions
from reader.screens.reading_actions import ReadingActions
from reader.settings import Settings, save_settings
from reader.state import SavedView, StateStore
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane
from reader.widgets.related_list import RelatedList
from reader.widgets.topic_sidebar import TopicSidebar

IMPORT_HINT = "newsreader import PATH"
NARROW_WIDTH = 100
PARTIAL_FILL_SECONDS = 2.0
COLLECTOR_GRACE_SECONDS = 3.0
DIFF_GRACE_SECONDS = 0.5


class MainScreen(ReadingActions, LinkActions, FetchActions):
    """Browse the collection: choose a scope, move through articles, open them.

    ``ReadingActions`` comes first so that its ``article_opened`` (mark read)
    overrides the no-op hook ``LinkActions`` calls after opening an article.
    """

    BINDINGS = [
        Binding("tab", "app.focus_next", "Next pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False),
        # Keys that move the focus are priority bindings: the app runs them as it reads each key,
        # so the keys right behind them in one burst (a paste, a slow link) reach the new focus
        # instead of acting on the old one ("/mos" must not mark, open and sort). They give way
        # to typing while the search box has the focus (see check_action).
        Binding("h,left", "pane(-1)", "Pane left", show=False, priority=True),
        Binding("l,right", "pane(1)", "Pane right", show=False, priority=True),
        Binding("s", "toggle_sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        Binding("slash", "filter", "Search", priority=True),
        Binding("escape", "clear_filter", "Clear search", show=False),
        Binding("o", "open", "Open"),
        Binding("y", "copy_link", "Copy link", show=False),
        Binding("m", "toggle_read", "Read/unread"),
        Binding("M", "mark_all_read", "Mark all read", show=False),
        Binding("f", "toggle_star", "Star"),
        Binding("ctrl+s", "save_search", "Save search", show=False),
        Binding("R", "fetch", "Fetch feeds"),
        Binding("space", "scroll_detail(1)", "Scroll article", show=False),
        Binding("shift+space,b", "scroll_detail(-1)", "Scroll article back", show=False),
        Binding("exclamation_mark", "skipped", "Skipped files", show=False),
    ]

    class Loaded(Message):
        """The worker has entries to show (from the index, or after a scan)."""

        def __init__(self, source: Source, collection: Collection, is_samples: bool,
                     skipped: list[Skip] | None) -> None:
            super().__init__()
            self.source = source
            self.collection = collection
            self.is_samples = is_samples
            self.skipped = skipped

    class Counted(Message):
        """The sidebar's counts for a loaded collection, computed in the worker."""

        def __init__(self, collection: Collection, counts: Counts, views: list[tuple[SavedView, int]]) -> None:
            super().__init__()
            self.collection = collection
            self.counts = counts
            self.views = views

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

    def __init__(
        self,
        locations: Locations,
        settings: Settings,
        clock: Callable[[], dt.datetime],
        preload: Future[Preloaded] | None = None,
    ) -> None:
        super().__init__()
        self._preload = preload
        """The index, already being read (see :func:`reader.library.preload`)."""
        self._list_painted = threading.Event()
        """Set once the list has painted after a load; the sidebar is counted after that."""
        self.locations = locations
        self.settings = settings
        self.clock = clock
        self.source: Source | None = None
        self.collection = Collection([])
        self.is_samples = False
        self.scanning = True
        self.skipped: list[Skip] = []
        self.scope: Scope = ALL
        self.filter_text = ""
        self.relevance = False
        """Whether a word search is shown best match first instead of in the sort order."""
        self.state = StateStore(locations.state_path)
        self.counts = Counts([], set(), set())
        self._view_counts: list[tuple[SavedView, int]] = []
        self._rows: list[Entry] = []
        self._rows_from = self.collection
        """The collection the list's rows were taken from (a new one brings new entry objects)."""
        self._scope_size: tuple[object, int] = (None, 0)
        self._reload_pending = False
        self._parsed: tuple[str, Query] = ("", parse_query(""))
        self._scan_note = "Reading the index…"

    # --- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield TopicSidebar(id="sidebar")
            with Horizontal(id="content"):
                with Vertical(id="middle"):
                    yield Static("", id="samples-banner", markup=False)
                    yield Static("", id="list-title", markup=False)
                    yield Input(
                        placeholder="Search: words, topic:AI provider:rt.com is:unread after:2024-01-01 quality:>50",
                        id="filter",
                    )
                    yield ArticleList(clock=self.clock, id="articles")
                    yield Static("", id="list-empty", markup=False)
                yield DetailPane(clock=self.clock, id="detail")
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#samples-banner").display = False
        self.query_one("#sidebar").border_title = "Topics"
        articles = self.query_one(ArticleList)
        articles.read_keys = self.state.read
        articles.starred_keys = self.state.starred
        articles.focus()
        if self.state.problem:
            self.notify(f"Read marks and stars will not be saved this time: {self.state.problem}",
                        title="Reading state", severity="warning", markup=False, timeout=10)
        self._refresh_view()
        self.load_library()
        # Should nothing load soon (an empty index being built, an unreadable cache), stop waiting.
        self.set_timer(COLLECTOR_GRACE_SECONDS, gc_pause.resume)

    def on_unmount(self) -> None:
        if self._fetch_stop is not None:
            self._fetch_stop.set()  # quitting must not wait for a slow feed
        self.state.close()

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        # Below 100 columns the footer would cut off Quit and Help: tighter spacing, and the
        # palette key (^p, still listed by ?) gives way to them.
        footer = self.query_one(Footer)
        if footer.compact != narrow:
            footer.compact = narrow
            footer.show_command_palette = not narrow
            footer.refresh(recompose=True)

    # --- the workers ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="scan")
    def load_library(self) -> None:
        """Show the index at once, then bring it up to date with the files."""
        preload, self._preload = self._preload, None  # only the first load was started early
        diff = None
        try:
            if preload is not None:
                ready = preload.result()
                source, first, diff = ready.source, ready.collection, ready.diff
            else:
                source = Source(self.locations)
                first = source.load()
        except Exception as exc:  # noqa: BLE001 - an unreadable cache must not crash the screen
            self.post_message(self.ScanFailed(f"cannot open the cache: {exc}"))
            return
        counted = False
        if len(first):
            self.post_message(self.Loaded(source, first, False, None))
            # The helper's comparison is usually ready by the time the list has painted, and a
            # changed collection would be counted again; when the walk is slow, count meanwhile.
            if diff is None or not diff.arrives_within(DIFF_GRACE_SECONDS):
                self._count_in_background(first)
                counted = True
        last_fill = time.monotonic()

        def progress(done: int, total: int) -> None:
            # A long first scan fills the list as it goes, every couple of seconds.
            nonlocal last_fill
            self.post_message(self.ScanProgress(done, total))
            if time.monotonic() - last_fill > PARTIAL_FILL_SECONDS and done < total:
                last_fill = time.monotonic()
                self.post_message(self.Loaded(source, source.load(), False, None))

        try:
            files = diff.result() if diff is not None else None
        except Exception:  # noqa: BLE001 - the helper process failed: walk the files here instead
            files = None
        result = source.scan(progress, files)
        final = first
        if result.changed or not len(first) or source.is_samples:
            final = source.reload(first, result)
            final.sorted(self.settings.sort, self.settings.reverse)  # here rather than on the UI thread
            self.post_message(self.Loaded(source, final, source.is_samples, result.skipped))
            self._count_in_background(final)
        else:
            self.post_message(self.Loaded(source, first, False, result.skipped))
            if not counted:
                self._count_in_background(first)
        # So that the first `s`, and the first key typed in a search, find their work done.
        final.warm(self.settings.sort, self.settings.reverse)
        final.warm(self.settings.sort.other)

    def _count_in_background(self, collection: Collection) -> None:
        """Count for the sidebar in the worker, once the list has painted (so it never waits for this)."""
        self._list_painted.wait(timeout=2.0)
        read, starred = set(self.state.read), set(self.state.starred)
        counts = Counts(collection.entries, read, starred)
        views = [(view, self._count_view(view, collection, read, starred)) for view in self.state.views()]
        self.post_message(self.Counted(collection, counts, views))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.source is not self.source:
            previous, self.source = self.source, message.source
            if previous is not None:
                previous.index.close()  # a reload (after a fetch) replaced it
        self.collection = message.collection
        self.is_samples = message.is_samples
        if message.skipped is not None:
            self.scanning = False
            self.skipped = message.skipped
            if self._reload_pending:  # a fetch finished during this scan: scan again for its files
                self._reload_pending = False
                self.call_later(self.reload_library)
        self._update_banner()
        self._list_painted.clear()
        self._refresh_view(keep=True)
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self._list_painted.set()
        gc_pause.resume()  # start-up is over (see reader.gc_pause)

    def reload_library(self) -> None:
        """Scan again (new files arrived); never while a scan runs, whose thread cannot be stopped."""
        if self.scanning:
            self._reload_pending = True
        else:
            self.scanning = True
            self._scan_note = "Reading new articles…"
            self.load_library()

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        if message.collection is self.collection:  # not counts of a list already replaced
            self.counts = message.counts
            self._view_counts = message.views
            self._update_sidebar()
            self._update_status()

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

    def _query(self) -> Query:
        """The parsed search (scope plus typed text), parsed once per change of the text."""
        text = self._search_text()
        if self._parsed[0] != text:
            self._parsed = (text, parse_query(text))
        return self._parsed[1]

    def _search_text(self) -> str:
        return f"{self.scope.query} {self.filter_text}".strip()

    def current_search(self) -> str:
        """What ``ctrl+s`` saves: the typed search within the current scope ("" when nothing is typed).

        Saved in a topic, unread, starred or a saved search, the new view keeps
        that scope, so choosing it shows the rows the list showed.
        """
        if not self.filter_text:
            return ""
        base = f"topic:{quote_value(self.scope.topic)}" if self.scope.topic is not None else self.scope.query
        return f"{base} {self.filter_text}".strip()

    def visible_rows(self) -> list[Entry]:
        """The rows the list shows now."""
        return self._rows

    def _refresh_view(self, keep: bool = True) -> None:
        """Recompute the visible rows from the view state and update the panes."""
        articles = self.query_one(ArticleList)
        previous = articles.highlighted if keep else None
        words = self._query().words
        rows = self.collection.view(
            self.settings.sort, self.settings.reverse, self.scope.topic, self._search_text(),
            read=self.state.read, starred=self.state.starred, relevance=self.relevance and bool(words),
        )
        self._rows = rows
        articles.set_highlight(words)
        articles.set_entries(rows, keep=previous, reloaded=self.collection is not self._rows_from)
        self._rows_from = self.collection
        self._update_title(len(rows))
        self._update_empty(rows)
        self._update_status()

    def _recount(self) -> None:
        """Recount the sidebar from scratch (after a bulk change of marks, or of saved searches)."""
        read, starred = self.state.read, self.state.starred
        self.counts = Counts(self.collection.entries, read, starred)
        self._view_counts = [(v, self._count_view(v, self.collection, read, starred)) for v in self.state.views()]
        self._update_sidebar()

    @staticmethod
    def _count_view(view: SavedView, collection: Collection, read: set[str], starred: set[str]) -> int:
        return len(collection.view(SortKey.DATE, False, None, view.query, read=read, starred=starred))

    def _update_sidebar(self) -> None:
        sidebar = self.query_one(TopicSidebar)
        sidebar.set_scopes(self.counts, self._view_counts, self.scope)
        if sidebar.current != self.scope:  # the scope went away (a deleted saved search, a topic no longer present)
            self.scope = sidebar.current or ALL
            self._refresh_view(keep=False)

    def marks_changed(self, recount: bool = False) -> None:
        """Read or star marks changed: update the counts, the rows and the detail pane."""
        if recount:
            self._recount()
        else:
            # Saved searches with is:unread / is:starred / is:read count differently now.
            self._view_counts = [
                (view, self._count_view(view, self.collection, self.state.read, self.state.starred)
                 if parse_query(view.query).needs_state else count)
                for view, count in self._view_counts
            ]
            self._update_sidebar()
        self.query_one(ArticleList).refresh()
        self.query_one(DetailPane).set_marks(self._marks_of(self.query_one(ArticleList).highlighted))
        self._update_status()

    def views_changed(self) -> None:
        """A saved search was added or removed."""
        self._recount()

    def _update_banner(self) -> None:
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

    def _scope_total(self, shown: int) -> int:
        """How many articles the scope holds before the typed search (remembered per scope)."""
        key = (self.scope, id(self.collection))
        if not self.filter_text:
            self._scope_size = (key, shown)
        elif self._scope_size[0] != key:
            self._scope_size = (key, len(self.collection.view(
                self.settings.sort, self.settings.reverse, self.scope.topic, self.scope.query,
                read=self.state.read, starred=self.state.starred,
            )))
        return self._scope_size[1]

    def _update_title(self, shown: int) -> None:
        searching = bool(self.filter_text)
        total = self._scope_total(shown)
        if self.relevance and self._query().words:
            order = "by relevance, worst first" if self.settings.reverse else "by relevance, best first"
        elif self.settings.sort is SortKey.DATE:
            order = "by date, " + ("oldest first" if self.settings.reverse else "newest first")
        else:
            order = "by quality, " + ("lowest first" if self.settings.reverse else "highest first")
        count = f"{shown:,} of {total:,}" if searching else f"{shown:,}"
        title = Text.assemble((self.scope.name, "bold"), f" · {count} · {order}")
        if searching:
            title.append(f" · search “{self.filter_text}”", style="italic")
        self.query_one("#list-title", Static).update(title)

    def _update_empty(self, rows: list[Entry]) -> None:
        empty = self.query_one("#list-empty", Static)
        articles = self.query_one(ArticleList)
        if rows:
            message = ""
        elif self.scanning and not len(self.collection):
            message = "Loading articles…"
        elif self.filter_text:
            message = f"No articles match “{self.filter_text}”.\nPress escape to clear the search."
        elif self.scope.kind == "unread":
            message = "Nothing unread. Well done!\nChoose “All articles” on the left to see everything."
        elif self.scope.kind == "starred":
            message = "No starred articles yet.\nPress f on an article to star it."
        elif self.scope.kind != "all":
            message = f"No articles in “{self.scope.name}”.\nChoose another line on the left."
        else:
            message = f"No articles yet.\nBring some in with: {IMPORT_HINT}"
        empty.update(message)
        empty.display = not rows
        articles.display = bool(rows)
        if not rows:
            self.query_one(DetailPane).show(None, "No article selected.")

    def _update_status(self) -> None:
        parts = []
        if self._fetch_note:
            parts.append(self._fetch_note)
        if self.scanning:
            parts.append(self._scan_note)
        else:
            if self.is_samples:
                parts.append(f"{len(self.collection):,} sample articles")
            else:
                parts.append(f"{len(self.collection):,} articles in {self.locations.cache}")
            parts.append(f"{self.counts.unread:,} unread")
            if self.skipped:
                noun = "file" if len(self.skipped) == 1 else "files"
                parts.append(f"{len(self.skipped):,} {noun} skipped (press ! to see why)")
        query = self._query()
        if query.errors:
            parts.append("ignored: " + "; ".join(query.errors))
        self.query_one("#status", Static).update(" · ".join(parts))

    def _marks_of(self, entry: Entry | None) -> tuple[bool, bool]:
        if entry is None:
            return (False, False)
        key = entry_key(entry)
        return (key in self.state.read, key in self.state.starred)

    # --- messages from the widgets ------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _article_highlighted(self, message: ArticleList.Highlighted) -> None:
        detail = self.query_one(DetailPane)
        entry = message.entry
        self.start_read_timer(entry)
        if entry is None or self.source is None:
            detail.show(None, "No article selected.")
            return
        try:
            article = load_article(self.source.path_of(entry))
        except ArticleError as exc:
            detail.show(None, f"{entry.title}\n\nThis file can no longer be read: {exc}")
            return
        detail.show(article, marks=self._marks_of(entry))

    @on(TopicSidebar.Chosen)
    def _scope_chosen(self, message: TopicSidebar.Chosen) -> None:
        if message.scope != self.scope:
            self.scope = message.scope
            self._refresh_view(keep=False)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._refresh_view(keep=True)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one(ArticleList).focus()

    # --- actions ------------------------------------------------------------------------------

    def _panes(self) -> list[Widget]:
        panes: list[Widget] = [self.query_one(TopicSidebar), self.query_one(ArticleList)]
        related = self.query_one(RelatedList)
        if related.display:
            panes.append(related)
        return panes

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The focus-moving priority keys are the search box's own letters while it is focused."""
        if action in ("pane", "filter") and isinstance(self.focused, Input):
            return False
        return True

    def action_pane(self, step: int) -> None:
        """Move the focus to the pane on the left (-1) or right (1)."""
        panes = self._panes()
        focused = self.focused
        index = panes.index(focused) if focused in panes else 1
        self.set_focus(panes[(index + step) % len(panes)])  # at once: the next key of a burst goes there

    def _save_settings(self) -> None:
        save_settings(self.locations.settings_path, self.settings)

    def action_toggle_sort(self) -> None:
        """Switch between date and quality order (remembered); during a word search, relevance too."""
        if self._query().words:
            # Cycle relevance -> date -> quality -> relevance while words are searched.
            if self.relevance:
                self.relevance = False
                self.settings.sort = SortKey.DATE
            elif self.settings.sort is SortKey.QUALITY:
                self.relevance = True
            else:
                self.settings.sort = SortKey.QUALITY
        else:
            self.relevance = False
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
        """Show the search box and put the cursor in it."""
        box = self.query_one("#filter", Input)
        box.display = True
        self.set_focus(box)  # at once: the letters right behind `/` belong to the search

    def action_clear_filter(self) -> None:
        """Clear and hide the search, back to the list."""
        box = self.query_one("#filter", Input)
        if not box.display and not self.filter_text:
            return
        box.value = ""
        box.display = False
        self.filter_text = ""
        self.relevance = False
        self._refresh_view()
        self.query_one(ArticleList).focus()

    def action_scroll_detail(self, pages: int) -> None:
        """Scroll the detail pane a page, for long articles."""
        detail = self.query_one(DetailPane)
        detail.scroll_to(y=detail.scroll_y + pages * max(1, detail.size.height - 2), animate=False)

    def action_skipped(self) -> None:
        """List the files that could not be read, and why."""
        from reader.screens.skipped import SkippedScreen

        # Skipped paths are relative to the cache, even when the samples are shown instead.
        self.app.push_screen(SkippedScreen(self.skipped, self.locations.cache))
