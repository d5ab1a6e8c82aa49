"""The main screen: sidebar, article list and detail pane, and their keys.

What the user chose to see is one :class:`~reader.view.ViewState` in the ``view`` reactive, whose
watcher recomputes the rows. Background jobs and reading state are parts in :mod:`reader.components`
that report with messages; marks and their counts live in :class:`~reader.marks.Marks`, the words
shown in :mod:`reader.captions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input

from reader import captions, gc_pause
from reader.components.feed_fetch import FeedFetch
from reader.components.full_text import FullTextFetch
from reader.components.library_loader import LibraryLoader
from reader.components.links import Links
from reader.components.order_wait import OrderWait
from reader.components.reading import Reading
from reader.components.related_moves import RelatedMoves
from reader.components.sync_watch import SyncWatch
from reader.entry import Entry
from reader.first_page import FirstPage
from reader.fulltext.store import FullTextStore
from reader.index import Skip
from reader.library import Collection, Preloaded, Source
from reader.marks import Marks
from reader.ordering import surviving_neighbour
from reader.paths import Locations
from reader.scopes import ALL
from reader.screens.main_keys import MAIN_KEYS
from reader.screens.pane_focus import next_pane
from reader.screens.search_pacing import SearchPacing
from reader.screens.skipped import SkippedScreen
from reader.settings import Settings, SettingsSaver
from reader.shown_rows import from_page, shown_rows
from reader.state import StateStore
from reader.view import ScopeSize, ViewState
from reader.widgets.adaptive_footer import AdaptiveFooter
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane
from reader.widgets.list_pane import ListPane, arrange_panes
from reader.widgets.related_list import RelatedList
from reader.widgets.status_line import StatusLine
from reader.widgets.topic_sidebar import TopicSidebar

if TYPE_CHECKING:
    from reader.known_urls import KnownUrls

COLLECTOR_GRACE_SECONDS = 3.0
SETTINGS_FLUSH_SECONDS = 1.0
"""How long closing waits for the last sort chosen to be written."""


class MainScreen(Screen):
    """Browse the collection: choose a scope, move through articles, open them."""

    BINDINGS = MAIN_KEYS

    view: reactive[ViewState] = reactive(ViewState(), init=False)
    """Scope, typed search and order: replacing it recomputes the rows (see watch_view)."""

    def __init__(
        self,
        locations: Locations,
        settings: Settings,
        clock: Callable[[], dt.datetime],
        preload: Future[Preloaded] | None = None,
    ) -> None:
        super().__init__()
        self.locations = locations
        self.settings = settings
        self._settings_saver = SettingsSaver(locations.settings_path)
        self._started = False
        """Whether the first load (with its scan) is done (see :meth:`_at_top_untouched`)."""
        self.clock = clock
        self.state = StateStore(locations.state_path)
        """The marks and saved searches on disk."""
        self.marks = Marks(self.state)
        self.loader = LibraryLoader(locations, settings, self.marks, preload)
        self.fetcher = FeedFetch(locations, known_urls=self._feed_urls)
        self.reading = Reading(self.marks)
        self.moves = RelatedMoves()
        self.full_text = FullTextFetch(FullTextStore(locations.cache))
        self.order_wait = OrderWait()
        self.collection = Collection([])
        self.page: FirstPage | None = None
        """The first page shown while the whole collection loads (None once it is in), or the
        head of an order still being sorted (see :class:`OrderWait`)."""
        self.is_samples = False
        self.skipped: list[Skip] = []
        self._rows: Sequence[Entry] = []
        self._rows_from = self.collection
        """The collection the rows were taken from (a new one brings new entry objects)."""
        self._scope_size = ScopeSize()
        self._pacing = SearchPacing(self._search_box_text, self.set_timer)
        """When the box's text is searched: keys queued behind a slow search, once."""
        grouped = self.app.config.list.group_duplicates  # the copies of a story in one row
        view = ViewState(sort=settings.sort, reverse=settings.reverse, grouped=grouped)
        self.set_reactive(MainScreen.view, view)

    @property
    def source(self) -> Source | None:
        """The folder and index of what is shown (None until the index is open)."""
        return self.loader.source

    @property
    def scanning(self) -> bool:
        """Whether the cache is still being loaded or scanned."""
        return self.loader.scanning

    # --- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield TopicSidebar(id="sidebar")
            with Horizontal(id="content"):
                yield ListPane(clock=self.clock, id="middle")
                yield DetailPane(clock=self.clock, id="detail")
        yield StatusLine(str(self.locations.cache), id="status")
        yield AdaptiveFooter()
        yield from (self.loader, self.fetcher, self.reading, self.moves, self.full_text)
        yield self.order_wait
        yield Links(self.locations.feeds_config_path)
        yield SyncWatch(self.locations, self.app.config.sync_dir, self.marks, self.loader.count)

    def on_mount(self) -> None:
        self.query_one(TopicSidebar).read_feeds(self.locations)
        self.query_one(DetailPane).store = self.full_text.store
        articles = self.query_one(ArticleList)
        articles.read_keys = self.marks.read
        articles.starred_keys = self.marks.starred
        articles.focus()
        if self.marks.problem:
            note = self.marks.problem  # says whether marks wait in memory or are not saved
            self.notify(note, title="Reading state", severity="warning", markup=False, timeout=10)
        self._show_rows()
        # Should nothing load soon (an empty index being built, an unreadable cache), stop waiting.
        self.set_timer(COLLECTOR_GRACE_SECONDS, gc_pause.resume)

    def on_unmount(self) -> None:
        self.app.farewell.append(self.marks.close())  # said once the terminal is restored
        self._settings_saver.flush(SETTINGS_FLUSH_SECONDS)

    def on_resize(self) -> None:
        arrange_panes(self, self.app.config.list)  # stacked when narrow; [list] widths

    # --- the one place the rows are computed --------------------------------------------

    def watch_view(self, old: ViewState, new: ViewState) -> None:
        if (old.sort, old.reverse) != (new.sort, new.reverse):
            self.settings.sort, self.settings.reverse = new.sort, new.reverse
            self._settings_saver.save(self.settings)
        self._order_head(old, new)
        self._show_rows(keep=old.scope == new.scope)

    def _order_head(self, old: ViewState, new: ViewState) -> None:
        """A big list's order not sorted yet is shown from its head (see :class:`OrderWait`)."""
        if self.page is not None and self.page is not self.order_wait.page:
            return  # the first load's page: it has the head of every order
        if not from_page(new):
            self.page = None  # a search or a topic needs the whole order: it waits for it
        elif (old.sort, old.reverse) != (new.sort, new.reverse):
            self.page = self.order_wait.page_for(
                self.source, self.collection, new.sort, new.reverse, self._highlighted()
            )

    @on(OrderWait.Ready)
    def _order_ready(self, message: OrderWait.Ready) -> None:
        """The order shown from its head is sorted: show it whole, on the article highlighted
        when it was asked for, unless the cursor was moved since."""
        if self.page is not message.page:
            return  # the whole list was loaded again meanwhile, or another order is shown
        self.page = None
        articles = self.query_one(ArticleList)
        now, kept = articles.highlighted, message.keep
        known = now is not None and kept is not None
        moved = known and articles.cursor != 0 and now.path != kept.path
        self._show_rows(keep_entry=now if moved else kept)

    def _show_rows(self, keep: bool = True, keep_entry: Entry | None = None) -> None:
        """Recompute the visible rows from the view and the collection (or the first page), and
        show them; the cursor stays on the highlighted article (on ``keep_entry`` when given)."""
        view, marks = self.view, (self.marks.read, self.marks.starred)
        version = (id(self.marks), self.marks.changes)  # a search's is: is kept until it moves
        shown = shown_rows(
            view, self.collection, self.page, marks, self._scope_size, self.scanning, version
        )
        self.query_one(ArticleList).groups = shown.groups  # +N, and marking a story
        self._rows = rows = shown.rows
        reloaded = shown.source is not self._rows_from
        keeping = (keep_entry or self._highlighted()) if keep else None
        words = view.query.words
        self.query_one(ListPane).show_rows(shown, words=words, keep=keeping, reloaded=reloaded)
        self._rows_from = shown.source
        if not rows:
            self.query_one(DetailPane).show(None, captions.NO_ARTICLE)
        self.query_one(StatusLine).errors = tuple(view.query.errors)

    @on(Reading.Changed)
    @on(LibraryLoader.Counted)
    @on(SyncWatch.Changed)  # marks from other machines, or what sync says
    def _show_marks(self) -> None:
        """Marks, saved searches or counts changed: show the counts and marks (the rows stay)."""
        self.query_one(StatusLine).show_marks(self.marks)
        if self.marks.counted:  # until the first count the sidebar stays empty, not all zeros
            self._show_counts()
        articles = self.query_one(ArticleList)
        articles.refresh()
        self.query_one(DetailPane).set_marks(self.marks.marks_of(articles.highlighted))

    def _show_counts(self) -> None:
        """Fill the sidebar from the counts, following its highlight if the scope went away."""
        sidebar = self.query_one(TopicSidebar)
        sidebar.set_scopes(self.marks.counts, self.marks.view_counts, self.view.scope)
        if sidebar.current != self.view.scope:  # it went away (a deleted saved search, a topic)
            self.view = replace(self.view, scope=sidebar.current or ALL)
        elif sidebar.current is not None and sidebar.current.problem != self.view.scope.problem:
            self.set_reactive(MainScreen.view, replace(self.view, scope=sidebar.current))
            self._show_rows()  # the same feed, fetched again: the list title says how it went

    # --- the loader ---------------------------------------------------------------

    @on(LibraryLoader.PageLoaded)
    def _page_loaded(self, message: LibraryLoader.PageLoaded) -> None:
        self.page = message.page  # the head of the list, until the whole collection is in
        self._show_rows(keep=not self._at_top_untouched())
        self.call_after_refresh(self.loader.painted, message.page)

    @on(LibraryLoader.Loaded)
    def _loaded(self, message: LibraryLoader.Loaded) -> None:
        self.page = None  # the whole collection replaces the first page; the cursor stays put
        self.query_one(TopicSidebar).show_providers = not message.is_samples
        articles = self.query_one(ArticleList)  # the cursor on an article gone goes to a neighbour
        neighbour = surviving_neighbour(articles.entries, articles.cursor, message.removed)
        self.collection = self.marks.collection = message.collection
        self.is_samples = message.is_samples
        if message.skipped is not None:
            self.skipped = message.skipped
        self.query_one(StatusLine).loaded(
            len(self.collection), self.is_samples, message.skipped, message.source.problem
        )
        banner = captions.samples_banner(len(self.skipped)) if self.is_samples else None
        self.query_one(ListPane).show_banner(banner)
        self._show_rows(keep=not self._at_top_untouched(), keep_entry=neighbour)
        self.call_after_refresh(self._painted, message.collection)
        if message.skipped is not None:
            self._started = True

    def _at_top_untouched(self) -> bool:
        """Whether the list is still coming in for the first time with the cursor on its first
        row: it stays on the first row then. A cold start shows the files it parsed first,
        which were not the newest: following that row's article put the cursor in the middle
        of the list once the rest came in."""
        return not self._started and self.query_one(ArticleList).cursor == 0

    def _painted(self, collection: Collection) -> None:
        self.loader.painted(collection)
        self.query_one(SyncWatch).start()  # after the list, like the cache watcher
        gc_pause.resume()  # start-up is over (see reader.gc_pause)

    @on(LibraryLoader.Scanning)
    def _scanning(self, message: LibraryLoader.Scanning) -> None:
        self.query_one(StatusLine).scan = message.text

    @on(LibraryLoader.EveryCheck)
    def _every_check(self, message: LibraryLoader.EveryCheck) -> None:
        self.query_one(StatusLine).checking = message.running

    @on(LibraryLoader.ScanFailed)
    def _failed(self) -> None:
        self.query_one(StatusLine).scan = None
        self._show_rows()

    # --- the fetch --------------------------------------------------------------------

    def action_fetch(self) -> None:
        """Download new articles from the subscribed feeds (again to stop)."""
        self.fetcher.toggle()

    def action_feeds(self) -> None:
        """List the subscribed feeds, with counts and last fetch; add, remove, rename, set up."""
        from reader.screens.feeds import FeedsScreen

        screen = FeedsScreen(self.locations, self.clock, self.fetcher, self._articles_held)
        # A changed feed list is taken as a fetch's end: feeds read again, removed files dropped.
        self.app.push_screen(screen, lambda changed: changed and self._fetched(changed))

    def _articles_held(self) -> tuple[list[Entry], set[str]] | None:
        """The articles and read marks in memory, to count each feed's (None while scanning)."""
        return None if self.scanning else (self.collection.entries, set(self.marks.read))

    def _feed_urls(self) -> KnownUrls | None:
        """For a fetch, in its thread: the URLs under ``feeds/`` from the index shown."""
        source = self.loader.source
        return None if source is None else source.feed_urls()

    @on(FeedFetch.Status)
    def _fetch_status(self, message: FeedFetch.Status) -> None:
        self.query_one(StatusLine).fetch = message.text

    @on(FeedFetch.Finished)
    def _fetched(self, message: FeedFetch.Finished) -> None:
        self.query_one(TopicSidebar).read_feeds(self.locations)  # a failure mark may come or go
        if self.marks.counted:
            self._show_marks()
        if message.new_paths:  # marked new in the list once they are in
            self.query_one(ArticleList).new_paths.update(message.new_paths)
        # Only these files are read; the watcher that sees them too then finds them unchanged.
        self.loader.apply(message.new_paths + message.completed_paths + message.pruned_paths)

    @on(FeedFetch.PagesDone)
    @on(FullTextFetch.Done)
    def _full_text_arrived(self, message: FeedFetch.PagesDone | FullTextFetch.Done) -> None:
        """Make downloaded texts searchable, and show one at once if it is highlighted."""
        self.loader.index_texts(message.texts)
        self._show_detail(self._highlighted())

    # --- reading ----------------------------------------------------------------------

    def action_read(self) -> None:
        """Read the highlighted article in the full-screen reader view."""
        articles = self.query_one(ArticleList)
        self.read_in_view(self._rows, articles.cursor, articles.move_to)

    def read_in_view(self, rows: Sequence[Entry], at: int, back: Callable | None = None) -> None:
        """Read ``rows[at]`` in the reader view; ``back`` gets the entry last read there."""
        if not 0 <= at < len(rows) or self.source is None:
            self.notify("Nothing to read.", severity="warning")
            return
        from reader.screens.reader_view import ReaderView, ReadingList  # not needed to start

        load, opener = self.source.load_entry, self.query_one(Links).open
        parts = (self.reading.seen, self.full_text.store, self.loader.index_texts)
        self.app.push_screen(ReaderView(ReadingList(rows, at, load, opener, *parts)), back)

    def action_full_text(self, retry: bool = False) -> None:
        """Download the highlighted article's full text from its page (again, after a failure)."""
        self.full_text.request(self.query_one(DetailPane).article, retry)

    # --- messages from the widgets ------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _article_highlighted(self, message: ArticleList.Highlighted) -> None:
        self.reading.follow(message.entry)
        self._show_detail(message.entry)

    def _show_detail(self, entry: Entry | None) -> None:
        copies = self.view.listed(self.collection).copies(entry) if entry is not None else []
        pane, marks = self.query_one(DetailPane), self.marks.marks_of(entry)
        pane.show_entry(entry, self.source, marks, copies)

    @on(TopicSidebar.Chosen)
    def _scope_chosen(self, message: TopicSidebar.Chosen) -> None:
        self.view = replace(self.view, scope=message.scope)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._pacing.typed()

    def _search_box_text(self) -> None:
        # The box, not the message: a search put off for queued keys runs on the latest text,
        # and finds it empty after an Escape.
        self.view = replace(self.view, text=self.query_one("#filter", Input).value.strip())

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self._pacing.settle()
        self.query_one(ArticleList).focus()

    @on(RelatedList.Open)
    def _open_related(self, message: RelatedList.Open) -> None:
        self.moves.follow(message.item)  # read a copy, go to a cached article, or open the link

    def action_back(self) -> None:
        """Back to the article (and view) before the last related one gone to."""
        self.moves.back()

    def action_open_link(self, url: str) -> None:
        """Open a link clicked in the article's text, if it is http(s)."""
        self.query_one(Links).open(url)

    # --- view keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The focus-moving priority keys are the search box's own letters while it is focused."""
        return not (action in ("pane", "filter") and isinstance(self.focused, Input))

    def action_pane(self, step: int) -> None:
        """Move the focus to the pane on the left (-1) or right (1)."""
        self.set_focus(next_pane(self, step))  # at once: the next key goes there

    def action_toggle_sort(self) -> None:
        """Switch the list between date and quality order; during a word search, relevance too."""
        self.view = self.view.next_sort()

    def action_reverse(self) -> None:
        """Flip the list's order."""
        self.view = replace(self.view, reverse=not self.view.reverse)

    def action_filter(self) -> None:
        """Search the list: words and qualifiers like topic:AI is:unread."""
        # At once: the letters right behind `/` belong to the search.
        self.set_focus(self.query_one(ListPane).open_search())

    def action_clear_filter(self) -> None:
        """Show every article of the view again, and hide the search box."""
        if self.query_one(ListPane).close_search() or self.view.text:
            self.view = self.view.cleared()
            self.query_one(ArticleList).focus()

    def action_scroll_detail(self, pages: int) -> None:
        """Scroll the detail pane a page, for long articles."""
        self.query_one(DetailPane).scroll_pages(pages)

    def action_skipped(self) -> None:
        """List the files that could not be read, and why."""
        # Skipped paths are relative to the cache, even when the samples are shown instead.
        self.app.push_screen(SkippedScreen(self.skipped, self.locations.cache))

    # --- link keys ------------------------------------------------------------------------

    def action_open(self) -> None:
        """Open the highlighted article, or related item, in the web browser."""
        on_related, entry = self.focused is self.query_one(RelatedList), self._highlighted()
        if entry is None and not on_related:
            self.notify("Nothing to open.", severity="warning")
        elif self.query_one(Links).open(self.moves.current_url()) and not on_related:
            self.reading.seen(entry)  # opening an article counts as reading it

    def action_copy_link(self) -> None:
        """Copy the highlighted link to the clipboard."""
        self.query_one(Links).copy(self.moves.current_url())

    # --- reading keys ---------------------------------------------------------------------

    def _highlighted(self) -> Entry | None:
        return self.query_one(ArticleList).highlighted

    def action_toggle_read(self) -> None:
        """Flip the highlighted article's read mark."""
        self.reading.toggle_read(self._highlighted())

    def action_mark_all_read(self) -> None:
        """Mark every article in this view read, after asking."""
        if self.page is not None:  # the rows are only the head of the view
            self.notify(captions.STILL_COUNTING, severity="warning")
        else:
            self.reading.mark_all_read(self._rows)

    def action_toggle_star(self) -> None:
        """Star or unstar the highlighted article."""
        self.reading.toggle_star(self._highlighted())

    def action_save_search(self) -> None:
        """Save the current search as a view in the sidebar."""
        self.reading.save_search(self.view.saved_search)

    @on(TopicSidebar.DeleteView)
    def _delete_view(self, message: TopicSidebar.DeleteView) -> None:
        self.reading.delete_view(message.scope.name)
