"""The main screen's reading-state keys: read marks, stars and saved searches.

An article becomes read after it has been shown for :data:`READ_AFTER_SECONDS`
or when it is opened in the browser; ``m`` flips it, ``M`` marks the whole
view (after asking), ``f`` stars, ``ctrl+s`` saves the search as a sidebar
view. :class:`ReadingActions` is mixed into :class:`reader.screens.main.MainScreen`,
which provides ``state``, ``counts``, ``visible_rows()`` and ``marks_changed()``.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from reader.entry import Entry, entry_key
from reader.scopes import Counts
from reader.screens.confirm import ConfirmScreen
from reader.screens.save_view import SaveViewScreen
from reader.state import StateStore
from reader.widgets.article_list import ArticleList
from reader.widgets.topic_sidebar import TopicSidebar

READ_AFTER_SECONDS = 1.0
"""How long an article must stay in the detail pane to count as read."""
RECOUNT_ABOVE = 500
"""Marking more articles than this at once recounts the sidebar instead of adjusting it."""


class ReadingActions(Screen):
    """Read/unread, stars and saved searches."""

    state: StateStore
    counts: Counts
    _read_timer: Timer | None = None

    # Provided by the screen.
    def visible_rows(self) -> list[Entry]:
        raise NotImplementedError

    def marks_changed(self, recount: bool = False) -> None:
        raise NotImplementedError

    def current_search(self) -> str:
        raise NotImplementedError

    def views_changed(self) -> None:
        raise NotImplementedError

    # --- marking -------------------------------------------------------------------

    def start_read_timer(self, entry: Entry | None) -> None:
        """Count ``entry`` as read if it is still shown after a moment."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if entry is not None and entry_key(entry) not in self.state.read:
            self._read_timer = self.set_timer(READ_AFTER_SECONDS, partial(self._seen, entry))

    def _seen(self, entry: Entry) -> None:
        if self.query_one(ArticleList).highlighted is not entry:
            return
        # Not while a dialog covers the list, nor while the search box has the keyboard:
        # the article only flashed by as the results changed. It is still the one shown,
        # so look again later: once the list is back in view it counts as read.
        if self.app.screen is not self or isinstance(self.focused, Input):
            self._read_timer = self.set_timer(READ_AFTER_SECONDS, partial(self._seen, entry))
            return
        self._read_timer = None
        self.set_read([entry], True)

    def article_opened(self, entry: Entry) -> None:
        """Opening an article in the browser counts as reading it."""
        self.set_read([entry], True)

    def set_read(self, entries: list[Entry], read: bool) -> int:
        """Mark ``entries`` read or unread, updating counts and rows; returns how many changed."""
        changing: dict[str, Entry] = {}
        for entry in entries:
            key = entry_key(entry)
            if (key in self.state.read) != read:
                changing.setdefault(key, entry)
        if not changing:
            return 0
        self.state.set_read(changing.keys(), read)
        recount = len(changing) > RECOUNT_ABOVE
        if not recount:
            for entry in changing.values():
                self.counts.read_changed(entry, read)
        self.marks_changed(recount=recount)
        return len(changing)

    def action_toggle_read(self) -> None:
        """Flip the highlighted article between read and unread."""
        entry = self.query_one(ArticleList).highlighted
        if entry is None:
            return
        if self._read_timer is not None:
            self._read_timer.stop()  # an explicit "unread" must not be undone a second later
            self._read_timer = None
        self.set_read([entry], entry_key(entry) not in self.state.read)

    def action_mark_all_read(self) -> None:
        """Mark every article in the current view read, after asking."""
        rows = self.visible_rows()
        unread = [e for e in rows if entry_key(e) not in self.state.read]
        if not unread:
            self.notify("Everything here is read already." if rows else "Nothing to mark: this view is empty.")
            return
        noun = "article" if len(unread) == 1 else "articles"

        def answered(yes: bool | None) -> None:
            if yes:
                count = self.set_read(unread, True)
                self.notify(f"Marked {count:,} {noun} read.")

        self.app.push_screen(ConfirmScreen(f"Mark {len(unread):,} {noun} in this view as read?"), answered)

    def action_toggle_star(self) -> None:
        """Star or unstar the highlighted article."""
        entry = self.query_one(ArticleList).highlighted
        if entry is None:
            return
        starred = self.state.toggle_star(entry_key(entry))
        self.counts.star_changed(starred)
        self.marks_changed()

    # --- saved searches ----------------------------------------------------------------

    def action_save_search(self) -> None:
        """Save the current search as a view in the sidebar."""
        query = self.current_search()
        if not query:
            self.notify("Type a search with / first, then save it with ctrl+s.", severity="warning")
            return

        def named(name: str | None) -> None:
            if name:
                self.state.save_view(name, query)
                self.views_changed()
                self.notify(f"Saved “{name}” in the sidebar.", markup=False)

        self.app.push_screen(SaveViewScreen(query), named)

    @on(TopicSidebar.DeleteView)
    def _delete_view(self, message: TopicSidebar.DeleteView) -> None:
        name = message.scope.name

        def answered(yes: bool | None) -> None:
            if yes:
                self.state.delete_view(name)
                self.views_changed()

        self.app.push_screen(ConfirmScreen(f"Delete the saved search “{name}”?"), answered)
