"""The main screen's link keys: open in the browser (``o``) and copy (``y``).

Kept apart from the screen's layout and view state; :class:`LinkActions` is
mixed into :class:`reader.screens.main.MainScreen`.
"""

from __future__ import annotations

from textual import on, work
from textual.screen import Screen

from reader.browser import RefusedURL, check_url, open_url
from reader.entry import Entry
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane
from reader.widgets.related_list import RelatedList


class LinkActions(Screen):
    """Opening and copying the highlighted article's, or related item's, link."""

    def _current_url(self) -> str | None:
        related = self.query_one(RelatedList)
        if self.focused is related and related.current is not None:
            return related.current.url
        entry = self.query_one(ArticleList).highlighted
        return entry.url if entry is not None else None

    def action_open(self) -> None:
        """Open the highlighted article, or related item, in the web browser."""
        articles = self.query_one(ArticleList)
        if self.focused is self.query_one(RelatedList):
            self.open_link(self._current_url())
            return
        if articles.highlighted is None:
            self.notify("Nothing to open.", severity="warning")
            return
        if self.open_link(self._current_url()):
            self.article_opened(articles.highlighted)

    def article_opened(self, entry: Entry) -> None:
        """Hook: an article was handed to the browser (the screen marks it read)."""

    def open_link(self, url: str | None) -> bool:
        """Open ``url`` if it is http(s), without freezing the screen; say why not otherwise."""
        try:
            safe = check_url(url)
        except RefusedURL as exc:
            self.notify(str(exc), title="Not opened", severity="warning", markup=False)
            return False
        self._launch_browser(safe)
        self.notify(safe, title="Opening in your browser", markup=False)
        return True

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

    @on(RelatedList.Open)
    def _open_related(self, message: RelatedList.Open) -> None:
        self.open_link(message.item.url)

    @on(DetailPane.OpenLink)
    def _open_body_link(self, message: DetailPane.OpenLink) -> None:
        self.open_link(message.url)
