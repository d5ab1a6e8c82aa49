"""Following the detail pane's related items, and the way back, as a part of the main screen.

:class:`RelatedMoves` is display-less. ``enter`` on an item reads a copy of
the story, goes to a cached article in the list, or opens a link that is not
in the cache; ``backspace`` returns along :class:`~reader.navigation.Breadcrumbs`.
When the article is not in the list as it is, the list switches to all
articles (or the hidden ones) with the search cleared, and the status line
says so until the user is back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Input, OptionList

from reader.components.links import Links
from reader.entry import Entry
from reader.navigation import Breadcrumbs, Crumb, row_for, view_showing
from reader.related_items import Kind, PaneItem
from reader.view import ViewState
from reader.widgets.article_list import ArticleList
from reader.widgets.list_pane import ListPane
from reader.widgets.related_list import RelatedList
from reader.widgets.status_line import StatusLine
from reader.widgets.topic_sidebar import TopicSidebar

if TYPE_CHECKING:
    from reader.screens.main import MainScreen


class RelatedMoves(Widget):
    """Goes to related articles and back; reads copies; opens links not in the cache."""

    DEFAULT_CSS = "RelatedMoves { display: none; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.crumbs = Breadcrumbs()

    @property
    def main(self) -> MainScreen:
        return self.screen  # type: ignore[return-value]

    def current_url(self) -> str | None:
        """The link ``o`` and ``y`` act on: the focused related item's, else the article's."""
        related = self.main.query_one(RelatedList)
        if self.main.focused is related and related.current is not None:
            return related.current.url
        entry = self.main.query_one(ArticleList).highlighted
        return entry.url if entry is not None else None

    def follow(self, item: PaneItem) -> None:
        """What ``enter`` does on ``item``, by its kind."""
        if item.kind is Kind.COPY and item.entry is not None:
            self.main.read_in_view([item.entry], 0)
        elif item.in_cache and item.entry is not None:
            self.go_to(item.entry)
        else:
            self.main.query_one(Links).open(item.url)

    def go_to(self, target: Entry) -> None:
        """Move the list to ``target``, switching to a view that lists it if need be."""
        main, articles = self.main, self.main.query_one(ArticleList)
        view = main.view
        if row_for(target, articles.entries) is None:
            marks = main.marks
            found = view_showing(target, view, main.collection, marks.read, marks.starred)
            if found is None:
                self.notify("That article is no longer in the cache.", severity="warning")
                return
            switched: ViewState | None = found
        else:
            switched = None
        self.crumbs.push(Crumb(view, articles.highlighted))
        main.set_focus(articles)  # now, not later: the pane then shows the new article from its top
        if switched is not None:
            self._show_view(switched)
            main.query_one(StatusLine).note = (
                f"Showing {switched.scope.name.lower()} to reach a related article"
                " (backspace goes back)"
            )
        articles.move_to(row_for(target, articles.entries))

    def back(self) -> None:
        """Return to the article (and view) before the last :meth:`go_to`."""
        crumb = self.crumbs.pop()
        if crumb is None:
            self.notify("Nothing to go back to.", severity="information")
            return
        main, articles = self.main, self.main.query_one(ArticleList)
        main.set_focus(articles)
        if crumb.view != main.view:
            self._show_view(crumb.view)
        if crumb.entry is not None:
            articles.move_to(row_for(crumb.entry, articles.entries))
        if not self.crumbs:
            main.query_one(StatusLine).note = ""

    def _show_view(self, view: ViewState) -> None:
        """Put ``view`` in force: the sidebar line and the search box follow, quietly."""
        main = self.main
        box = main.query_one("#filter", Input)
        with box.prevent(Input.Changed):
            if view.text:
                main.query_one(ListPane).open_search()
                box.value = view.text
            else:
                main.query_one(ListPane).close_search()
        sidebar = main.query_one(TopicSidebar)
        if view.scope in sidebar.scopes:
            with sidebar.prevent(OptionList.OptionHighlighted):
                sidebar.highlighted = sidebar.scopes.index(view.scope)
        main.view = view
