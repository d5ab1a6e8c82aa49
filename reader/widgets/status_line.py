"""The status line under the panes: the fetch, the scan, the counts, storage problems, ignored
search parts, and what sync with other machines brought or why it cannot run."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from reader import captions
from reader.marks import Marks

_PARTS = (
    "note",
    "fetch",
    "scan",
    "articles",
    "samples",
    "cache",
    "unread",
    "checking",
    "skipped",
    "errors",
    "index_problem",
    "state_problem",
    "sync_problem",
    "synced",
)


class StatusLine(Static):
    """One line of state: the screen sets the reactives, :mod:`reader.captions` words them."""

    note: reactive[str] = reactive("", init=False)
    """Where the list went and why (a related article in another view), first ("" if none)."""
    fetch: reactive[str] = reactive("", init=False)
    """What the running fetch says, or what the last background refresh brought ("" if none)."""
    scan: reactive[str | None] = reactive(captions.READING_INDEX, init=False)
    """What the running scan says; None once no scan runs."""
    articles: reactive[int] = reactive(0, init=False)
    """Articles in the shown collection."""
    samples: reactive[bool] = reactive(False, init=False)
    """Whether the bundled samples are shown instead of the cache."""
    cache: reactive[str] = reactive("", init=False)
    """The cache folder, named after the article count."""
    unread: reactive[int | None] = reactive(None, init=False)
    """Unread articles in the collection (None until counted: nothing is shown for it)."""
    checking: reactive[bool] = reactive(False, init=False)
    """Whether every file is being checked behind the screen, for files edited in place."""
    skipped: reactive[int] = reactive(0, init=False)
    """Files of the cache that could not be read."""
    errors: reactive[tuple[str, ...]] = reactive((), init=False)
    """Parts of the search that were ignored, and why."""
    index_problem: reactive[str] = reactive("", init=False)
    """Why the index is kept in memory this run ("" when it is saved)."""
    state_problem: reactive[str] = reactive("", init=False)
    """Why marks are kept in memory ("" when they are saved)."""
    sync_problem: reactive[str] = reactive("", init=False)
    """Why marks do not go to or come from other machines now ("" when they do)."""
    synced: reactive[str] = reactive("", init=False)
    """What the last sync pass brought from other machines, for a moment ("" otherwise)."""

    def __init__(self, cache: str, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.set_reactive(StatusLine.cache, cache)

    def loaded(
        self, articles: int, samples: bool, skipped: list[object] | None, index_problem: str
    ) -> None:
        """A list was loaded: its size, whether it is the samples, and (after a scan) the skips."""
        if skipped is not None:
            self.scan, self.skipped = None, len(skipped)
        self.articles, self.samples, self.index_problem = articles, samples, index_problem

    def on_mount(self) -> None:
        for name in _PARTS:
            self.watch(self, name, self._show, init=False)
        self._show()

    def show_marks(self, marks: Marks) -> None:
        """Show the unread count, whether marks are saved, and how their sync goes."""
        self.unread, self.state_problem = marks.unread, marks.problem
        self.sync_problem, self.synced = marks.sync_problem, marks.synced

    def _show(self) -> None:
        self.update(
            " · ".join(
                ([self.note] if self.note else [])
                + captions.status_parts(
                    fetch=self.fetch,
                    scan=self.scan,
                    articles=self.articles,
                    samples=self.samples,
                    cache=self.cache,
                    unread=self.unread,
                    skipped=self.skipped,
                    errors=self.errors,
                    problems=(self.index_problem, self.state_problem, self.sync_problem),
                    checking=self.checking,
                )
                + ([self.synced] if self.synced else [])
            )
        )
