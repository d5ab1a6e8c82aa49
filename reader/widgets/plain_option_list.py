"""The option list the sidebar and the related items are built on."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class PlainOptionList(OptionList):
    """An option list that never reads its text as markup, and moves with j/k/g/G too.

    Its options show text from article files, so markup must stay literal;
    the vim keys match the article list's.
    """

    BINDINGS = [
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def __init__(self, *content: Option, **kwargs) -> None:
        super().__init__(*content, markup=False, **kwargs)
