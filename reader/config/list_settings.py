"""``[list]``: the article list's columns and date style, and the pane widths. (Filled in by the
list work.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.config.model import Problem

COLUMNS = ("mark", "date", "quality", "provider", "title")


@dataclass(frozen=True)
class ListSettings:
    """How the list looks."""

    columns: tuple[str, ...] = COLUMNS
    date: str = "relative"


def parse_list(document: Mapping[str, Any], problems: list[Problem]) -> ListSettings:
    """The ``[list]`` table; a wrong key keeps its default and adds a problem."""
    return ListSettings()
