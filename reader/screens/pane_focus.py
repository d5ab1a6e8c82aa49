"""Where the main screen's pane keys move the focus: sidebar, list, and related items when shown."""

from __future__ import annotations

from textual.screen import Screen
from textual.widget import Widget

from reader.widgets.article_list import ArticleList
from reader.widgets.related_list import RelatedList
from reader.widgets.topic_sidebar import TopicSidebar


def next_pane(screen: Screen, step: int) -> Widget:
    """The pane ``step`` places left (-1) or right (1) of the focused one, wrapping around."""
    panes: list[Widget] = [screen.query_one(TopicSidebar), screen.query_one(ArticleList)]
    related = screen.query_one(RelatedList)
    if related.display:
        panes.append(related)
    index = panes.index(screen.focused) if screen.focused in panes else 1
    return panes[(index + step) % len(panes)]
