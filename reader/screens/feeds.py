"""The feeds screen (``F``): every subscribed feed with its counts and last fetch, and its keys.

Add (a feed's or a site's address: :mod:`reader.feeds.discover`), remove
(after asking; its own files too only if asked a second time:
:mod:`reader.feeds.unsubscribe`), rename and settings write ``config.toml``
through :func:`~reader.feeds.config.save_feeds`, each change applied to the
file as it is then (another ``newsreader feeds add`` meanwhile is kept). The
counts come from :func:`~reader.feeds.listing.feed_rows` in a worker, over
the articles the open reader holds (0.3 s at 100,000), or the index when it
is scanning or a fetch just wrote (seconds), while the feeds are already
listed. The screen dismisses with None when nothing changed, else with how
many files went, so the main screen re-reads its feeds (and rescans if any).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from reader.components.feed_fetch import FeedFetch
from reader.entry import Entry
from reader.feeds.config import Feed, FeedConfigError, find, save_feeds
from reader.feeds.policy import Policy
from reader.paths import Locations
from reader.screens.confirm import ConfirmScreen
from reader.screens.feed_add import Added, AddFeedScreen
from reader.screens.feed_name import FeedNameScreen
from reader.screens.feed_settings import FeedSettingsScreen, policy_words
from reader.screens.feeds_table import FeedLine, FeedTable, last_fetch_words
from reader.screens.key_tables import FEEDS_KEYS
from reader.theme_styles import ALERT
from reader.widgets.adaptive_footer import AdaptiveFooter

FETCH_POLL_SECONDS = 0.5
"""How often the screen looks whether the fetch it started has ended (to recount)."""


class FeedsScreen(Screen[int | None]):
    """The subscribed feeds; dismisses with how many article files went if the list changed."""

    HELP_TITLE = "Feeds screen"
    BINDINGS = FEEDS_KEYS

    @dataclass
    class Loaded(Message):
        """From the worker: the feeds in the config, and their rows once counted."""

        lines: list[FeedLine]
        defaults: Policy = Policy()
        counted: bool = False
        warnings: list[str] = field(default_factory=list)
        error: str = ""

    @dataclass
    class ArticlesRemoved(Message):
        """From the worker: how many of a removed feed's files went, in words."""

        count: int
        text: str
        severity: str = "information"
        paths: list[str] = field(default_factory=list)
        """The files that went, relative to the cache."""

    def __init__(
        self,
        locations: Locations,
        clock: Callable[[], dt.datetime],
        fetcher: FeedFetch | None = None,
        held: Callable[[], tuple[list[Entry], set[str]] | None] | None = None,
    ) -> None:
        super().__init__()
        self.locations = locations
        self.clock = clock
        self.fetcher = fetcher
        self.held = held
        """The open reader's articles and read marks, if it has them all in memory."""
        self.changed = False
        """Whether the feed list was written (the main screen rebuilds its feeds then)."""
        self.removed = 0
        """Article files removed with their feed."""
        self.removed_paths: list[str] = []
        """Those files, relative to the cache: the main screen drops them from its list."""
        self.counted = False
        """Whether the rows show the counts of the last reload (tests wait for it)."""
        self.defaults = Policy()
        """The top-level settings: what a feed has when it sets none of its own."""
        self._keep: str | None = None
        self._was_fetching = False

    def compose(self) -> ComposeResult:
        yield Static("Feeds", id="feeds-title", markup=False)
        yield FeedTable(self.clock, id="feeds-table")
        yield Static("", id="feeds-detail", markup=False)
        yield Static("Reading the feed list…", id="feeds-status", markup=False)
        yield AdaptiveFooter()

    def on_mount(self) -> None:
        self.query_one(FeedTable).focus()
        self.set_interval(FETCH_POLL_SECONDS, self._watch_fetch)
        self.reload()

    @property
    def table(self) -> FeedTable:
        return self.query_one(FeedTable)

    # --- the rows -------------------------------------------------------------------

    def reload(self, keep: str | None = None, fetched: bool = False) -> None:
        """Read the config again and count every feed's articles (in a worker).

        The open reader's articles are counted when it has them all, unless a
        fetch has just written new ones: then the index is brought up to date.
        """
        self.counted = False
        self._keep = keep
        held = self.held() if self.held is not None and not fetched else None
        self._load(held)

    @work(thread=True, exclusive=True, group="feeds-rows", description="count the feeds")
    def _load(self, known: tuple[list[Entry], set[str]] | None) -> None:
        from reader.feeds.config import feeds_from_document, policy_from_document, read_document
        from reader.feeds.listing import feed_rows

        path = self.locations.feeds_config_path
        try:
            document = read_document(path)
            feeds = feeds_from_document(document, path)
            defaults = policy_from_document(document, path)
        except FeedConfigError as exc:
            self.post_message(self.Loaded([], counted=True, error=str(exc)))
            return
        lines = [FeedLine(feed, feed.policy(defaults)) for feed in feeds]
        self.post_message(self.Loaded(lines, defaults))
        try:
            rows, warnings = feed_rows(self.locations, feeds, defaults, self.clock(), known=known)
        except Exception as exc:  # noqa: BLE001 - shown; the screen stays usable without counts
            warnings, rows = [f"counts left out: {type(exc).__name__}: {exc}"], []
        if len(rows) == len(lines):
            lines = [replace(line, row=row) for line, row in zip(lines, rows)]
        self.post_message(self.Loaded(lines, defaults, counted=True, warnings=warnings))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.counted, self.defaults = message.counted, message.defaults
        self.table.show(message.lines, self._keep)
        count = len(message.lines)
        self.query_one("#feeds-title", Static).update(
            f"Feeds — {count} subscribed" if count else "Feeds"
        )
        status = message.error or "; ".join(message.warnings)
        if not status:
            status = "Counting articles…" if not message.counted else self._hint(count)
        self.query_one("#feeds-status", Static).update(status)
        self._show_detail()

    def _hint(self, count: int) -> str:
        """What the status line says once counted: the totals, or how to start."""
        if not count:
            return "No feeds yet: press a to add one by its address or its site's."
        rows = [line.row for line in self.table.lines if line.row is not None]
        text = f"{count} feed{'s' * (count != 1)}"
        if rows and all(row.articles is not None for row in rows):
            text += f" · {sum(row.articles or 0 for row in rows):,} articles"
        if rows and all(row.unread is not None for row in rows):
            text += f", {sum(row.unread or 0 for row in rows):,} unread"
        failed = sum(line.failed for line in self.table.lines)
        if failed:
            text += f" · {failed} failed at the last fetch"
        return text

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        line = self.table.current
        detail = self.query_one("#feeds-detail", Static)
        if line is None:
            detail.update("")
            return
        text = Text.assemble((line.title, "bold"), "  ", (line.feed.url, "underline"))
        topics = ", ".join(line.feed.topics) or "none"
        full = "  ·  full text downloaded" if line.feed.full_text else ""
        text.append_text(Text.assemble("\n", ("Topics  ", "dim"), topics + full))
        settings = policy_words(line.policy, dict(line.feed.overrides))
        text.append_text(Text.assemble("\n", ("Settings  ", "dim"), settings))
        if line.row is not None and line.row.last_fetch is not None:
            words = last_fetch_words(line, self.clock())
            result = (line.row.last_result, ALERT if line.failed else "")
            text.append_text(Text.assemble("\n", (f"Last fetch {words}  ", "dim"), result))
        detail.update(text)
        detail.set_class(line.failed, "-failed")

    # --- changes ------------------------------------------------------------------------

    def _edit(self, change: Callable[[list[Feed]], list[Feed]], done: str, keep: str) -> bool:
        """Apply ``change`` to the feed list as the file holds it now, and save it."""
        from reader.feeds.config import load_feeds

        path = self.locations.feeds_config_path
        try:
            save_feeds(path, change(load_feeds(path)))
        except (FeedConfigError, LookupError) as exc:
            self.notify(str(exc), title="Feed list not changed", severity="error", markup=False)
            return False
        self.changed = True
        self.notify(done, markup=False)
        self.reload(keep)
        return True

    def action_add(self) -> None:
        """Add a feed by pasting its address or its site's (the site's feeds are found)."""
        known = [line.feed.url for line in self.table.lines]
        self.app.push_screen(AddFeedScreen(known), self._added)

    def _added(self, added: Added | None) -> None:
        if added is None:
            return

        def change(feeds: list[Feed]) -> list[Feed]:
            if find(feeds, added.url) is not None:
                raise LookupError(f"{added.url} is already in the feed list")
            return [*feeds, Feed(url=added.url)]

        done = f"Added {added.title or added.url}"
        if self._edit(change, done, added.url) and added.warning:
            note = f"It could not be checked: {added.warning}. The next fetch tries again."
            self.notify(note, title="Added as given", severity="warning", markup=False)

    def action_remove(self) -> None:
        """Unsubscribe from the highlighted feed, after asking; its articles stay unless asked."""
        line = self.table.current
        if line is None:
            return
        count = line.row.articles if line.row is not None else None
        question = f"Unsubscribe from “{line.title}”?\n{line.feed.url}"

        def unsubscribe(yes: bool | None) -> None:
            if not yes:
                return
            if not count:
                self._unsubscribe(line, remove_articles=False)
                return
            also = (
                f"Also remove its {count:,} article{'s' * (count != 1)} from the cache?\n"
                "Only the files newsreader wrote for this feed go; starred ones stay.\n"
                "No keeps them all."
            )
            self.app.push_screen(
                ConfirmScreen(also), lambda both: self._unsubscribe(line, bool(both))
            )

        self.app.push_screen(ConfirmScreen(question), unsubscribe)

    def _unsubscribe(self, line: FeedLine, remove_articles: bool) -> None:
        """Take the feed out of the list; then, if asked, its own files (in a worker)."""
        url = line.feed.url
        if self._edit(lambda feeds: _without(feeds, url), f"Removed {line.title}", url):
            if remove_articles:
                others = [other.feed for other in self.table.lines if other.feed.url != url]
                self._remove_articles(line.feed, others)

    @work(thread=True, group="feeds-remove", description="remove a feed's articles")
    def _remove_articles(self, feed: Feed, others: list[Feed]) -> None:
        from reader.feeds.prune import PruneError
        from reader.feeds.unsubscribe import remove_articles

        try:
            result = remove_articles(self.locations, feed, others)
        except PruneError as exc:
            self.post_message(self.ArticlesRemoved(0, f"Its articles stay: {exc}", "warning"))
            return
        words = f"{result.removed:,} article{'s' * (result.removed != 1)} removed"
        if result.kept_starred:
            words += f", {result.kept_starred:,} starred kept"
        severity = "warning" if result.warnings else "information"
        text = "; ".join([words, *result.warnings])
        cache = str(self.locations.cache)
        gone = [os.path.relpath(p, cache).replace(os.sep, "/") for p in result.removed_paths]
        self.post_message(self.ArticlesRemoved(result.removed, text, severity, gone))

    @on(ArticlesRemoved)
    def _articles_removed(self, message: ArticlesRemoved) -> None:
        self.removed += message.count
        self.removed_paths += message.paths
        self.notify(message.text, severity=message.severity, markup=False)  # type: ignore[arg-type]
        self.reload(fetched=True)  # the index drops the files that went

    def action_rename(self) -> None:
        """Give the highlighted feed a name of your own (empty: its own title)."""
        line = self.table.current
        if line is not None:
            screen = FeedNameScreen(line.feed.name, line.title)
            self.app.push_screen(screen, lambda name: self._renamed(line.feed.url, name))

    def _renamed(self, url: str, name: str | None) -> None:
        if name is not None:
            done = f"Renamed to {name}" if name else "The feed's own title is shown"
            self._edit(lambda feeds: _replace(feeds, url, name=name), done, url)

    def action_settings(self) -> None:
        """Change the highlighted feed's topics, refresh and pruning settings."""
        line = self.table.current
        if line is not None:
            screen = FeedSettingsScreen(line.feed, line.title, self.defaults)
            self.app.push_screen(screen, self._settings_saved)

    def _settings_saved(self, feed: Feed | None) -> None:
        if feed is not None:
            fields = {
                "name": feed.name,
                "topics": feed.topics,
                "full_text": feed.full_text,
                "overrides": feed.overrides,
            }
            done = "Settings saved"
            self._edit(lambda feeds: _replace(feeds, feed.url, **fields), done, feed.url)

    # --- fetching and leaving -------------------------------------------------------

    def action_fetch(self) -> None:
        """Fetch every feed now, as R on the main screen does (again to stop)."""
        if self.fetcher is None:
            self.notify("Fetch from the main screen with R.", markup=False)
            return
        self.fetcher.toggle()
        self._watch_fetch()

    def _watch_fetch(self) -> None:
        """Say that a fetch runs; count again when it has ended."""
        running = self.fetcher is not None and self.fetcher.running
        if running:
            self.query_one("#feeds-status", Static).update("Fetching… (R again to stop)")
        elif self._was_fetching:
            self.reload(fetched=True)
        self._was_fetching = running

    def action_close(self) -> None:
        """Back to the articles."""
        gone = self.removed_paths
        self.dismiss(
            FeedFetch.Finished(pruned=len(gone), pruned_paths=gone) if self.changed else None
        )


def _without(feeds: list[Feed], url: str) -> list[Feed]:
    """``feeds`` without the one at ``url``; LookupError when it is gone meanwhile."""
    if find(feeds, url) is None:
        raise LookupError(f"{url} is no longer in the feed list")
    return [feed for feed in feeds if feed.url != url]


def _replace(feeds: list[Feed], url: str, **changes: object) -> list[Feed]:
    """``feeds`` with the one at ``url`` changed; LookupError when it is gone meanwhile."""
    if find(feeds, url) is None:
        raise LookupError(f"{url} is no longer in the feed list")
    return [replace(feed, **changes) if feed.url == url else feed for feed in feeds]
