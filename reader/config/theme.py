"""``theme``: the look. (Filled in by the theme work.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.config.model import Problem

DEFAULT_THEME = "textual-dark"


def parse_theme(document: Mapping[str, Any], problems: list[Problem]) -> str:
    """The theme's name (checked against Textual's themes by the app, which knows them)."""
    return DEFAULT_THEME
