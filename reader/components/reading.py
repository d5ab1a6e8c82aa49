"""The reading keys' work: read marks, stars and saved searches, as a part of the main screen.

:class:`Reading` is a display-less widget that changes the marks through
:class:`~reader.marks.Marks` (which keeps the counts right) and posts
:class:`Reading.Changed` for the screen to show them. It also owns the
auto-read timer: an article becomes read after it has been shown for
:data:`READ_AFTER_SECONDS`, and ``M``, ``ctrl+s`` and deleting a saved
search ask first. Marks the state file refused (locked, read-only, full)
wait in memory; every :data:`SAVE_RETRY_SECONDS` it tries to write them again.
A row that stands for several copies of one story marks them all: they are
one story to the reader (see :meth:`ArticleList.story`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual import on, work
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from reader.entry import Entry
from reader.marks import Marks, ViewTally
from reader.screens.confirm import ConfirmScreen
from reader.screens.save_view import SaveViewScreen
from reader.widgets.article_list import ArticleList

READ_AFTER_SECONDS = 1.0
"""How long an article must stay in the detail pane to count as read."""
SAVE_RETRY_SECONDS = 2.0
"""How often marks waiting in memory are offered to the state file again."""
SAY_FIRST_ABOVE = 100_000
"""Marking more articles than this at once holds the screen over a second (a million: 2 s to
find their keys and count them; the state file is written behind it): the screen says so
before it starts."""
SAY_FIRST_SECONDS = 0.2
"""How long the screen has to show that note before the marking holds it."""


class Reading(Widget):
    """Marks, stars and saved searches, changed on the user's behalf."""

    DEFAULT_CSS = "Reading { display: none; }"

    @dataclass
    class Changed(Message):
        """Marks or saved searches changed: the counts and marks on screen are out of date."""

    @dataclass
    class _ViewsCounted(Message):
        """The worker's counts of the saved searches that look at marks (None: it failed)."""

        tally: ViewTally | None

    def __init__(self, marks: Marks, **kwargs) -> None:
        super().__init__(**kwargs)
        self.marks = marks
        self._timer: Timer | None = None
        self._problem = ""
        """The storage problem the screen was last told about."""
        self._counting_views = False
        """Whether the worker counts the saved searches now (one at a time, whatever the marks)."""

    def on_mount(self) -> None:
        self.set_interval(SAVE_RETRY_SECONDS, self._save_waiting)

    def _save_waiting(self) -> None:
        """Write marks waiting in memory (each try waits 50 ms at most); say when that changes."""
        waiting = self.marks.store.pending
        saved = waiting and self.marks.save()
        if saved or self.marks.problem != self._problem:
            self._problem = self.marks.problem
            self.post_message(self.Changed())

    # --- reading by looking -----------------------------------------------------------

    @property
    def timing(self) -> bool:
        """Whether a shown article is being timed to count as read."""
        return self._timer is not None

    def follow(self, entry: Entry | None) -> None:
        """``entry`` is shown now: count it as read if it is still shown after a moment."""
        self._stop_timer()
        if entry is not None and not self.marks.is_read(entry):
            self._timer = self.set_timer(READ_AFTER_SECONDS, partial(self._seen, entry))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _story(self, entry: Entry) -> list[Entry]:
        """``entry`` and the other copies its row stands for."""
        return self.screen.query_one(ArticleList).story(entry)

    def _seen(self, entry: Entry) -> None:
        screen = self.screen
        if screen.query_one(ArticleList).highlighted is not entry:
            return
        # Not while a dialog covers the list, nor while the search box has the keyboard: the
        # article only flashed by as the results changed. It is still the one shown, so look
        # again later: once the list is back in view it counts as read.
        if self.app.screen is not screen or isinstance(screen.focused, Input):
            self._timer = self.set_timer(READ_AFTER_SECONDS, partial(self._seen, entry))
            return
        self._timer = None
        self.set_read(self._story(entry), True)

    # --- marks ---------------------------------------------------------------------------

    def set_read(self, entries: list[Entry], read: bool) -> int:
        """Mark ``entries`` read or unread; returns how many changed."""
        count = self.marks.set_read(entries, read)
        if count:
            self._changed()
        return count

    def _changed(self) -> None:
        """Tell the screen; on a big collection, count the saved searches behind it."""
        self.post_message(self.Changed())
        self._count_stale_views()

    def _count_stale_views(self) -> None:
        if self.marks.views_stale and not self._counting_views:
            self._counting_views = True
            self._count_views()

    @work(thread=True, group="views")
    def _count_views(self) -> None:
        tally = None
        try:
            tally = self.marks.count_state_views()
        finally:  # a failed count must not stop the next ones
            self.post_message(self._ViewsCounted(tally))

    @on(_ViewsCounted)
    def _views_counted(self, message: _ViewsCounted) -> None:
        self._counting_views = False
        if message.tally is None:
            return  # the next mark tries again
        if self.marks.adopt_views(message.tally):
            self.post_message(self.Changed())
        self._count_stale_views()  # marks made meanwhile: counted once more

    def seen(self, entry: Entry) -> None:
        """``entry`` was read (opened in the browser, or shown in the reader view)."""
        self.set_read(self._story(entry), True)

    def toggle_read(self, entry: Entry | None) -> None:
        """Flip ``entry`` between read and unread (nothing to do for None)."""
        if entry is None:
            return
        self._stop_timer()  # an explicit "unread" must not be undone a second later
        self.set_read(self._story(entry), not self.marks.is_read(entry))

    def mark_all_read(self, rows: list[Entry]) -> None:
        """Mark every unread one of ``rows`` read (with the copies they stand for), after asking."""
        unread = self.marks.unread_of(rows)
        if not unread:
            self.notify(
                "Everything here is read already."
                if rows
                else "Nothing to mark: this view is empty."
            )
            return
        noun = "article" if len(unread) == 1 else "articles"

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            stories = self.screen.query_one(ArticleList).stories(unread)

            def mark() -> None:
                self.set_read(stories, True)
                self.notify(f"Marked {len(unread):,} {noun} read.")

            if len(stories) > SAY_FIRST_ABOVE:  # seconds of writing: said on screen first
                self.notify(f"Marking {len(unread):,} {noun} read…")
                # After the next refresh was too soon: the note was mounted, not yet painted.
                self.set_timer(SAY_FIRST_SECONDS, mark)
            else:
                mark()

        question = f"Mark {len(unread):,} {noun} in this view as read?"
        self.app.push_screen(ConfirmScreen(question), answered)

    def toggle_star(self, entry: Entry | None) -> None:
        """Star or unstar ``entry`` (nothing to do for None)."""
        if entry is None:
            return
        self.marks.set_starred(self._story(entry), not self.marks.marks_of(entry)[1])
        self._changed()

    # --- saved searches --------------------------------------------------------------------

    def save_search(self, query: str) -> None:
        """Save ``query`` as a sidebar view, under a name asked for."""
        if not query:
            self.notify("Type a search with / first, then save it with ctrl+s.", severity="warning")
            return

        def named(name: str | None) -> None:
            if name:
                self.marks.save_view(name, query)
                self.post_message(self.Changed())
                self.notify(f"Saved “{name}” in the sidebar.", markup=False)

        self.app.push_screen(SaveViewScreen(query), named)

    def delete_view(self, name: str) -> None:
        """Forget the saved search ``name``, after asking."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.marks.delete_view(name)
                self.post_message(self.Changed())

        self.app.push_screen(ConfirmScreen(f"Delete the saved search “{name}”?"), answered)
