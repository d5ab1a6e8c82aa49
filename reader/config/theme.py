"""``theme``: the look, by the name of any Textual theme (light ones included).

Only the type is checked here: which names exist is Textual's to say, so the
app (and ``config --check``, from the command line) pass the known names to
:func:`theme_problem`. No Textual import in this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reader.config.model import Problem

DEFAULT_THEME = "textual-dark"
WHERE_THE_NAMES_ARE = "ctrl+p, Change theme lists them"
"""Where a person sees the theme names (the command palette's theme picker)."""


def parse_theme(document: Mapping[str, Any], problems: list[Problem]) -> str:
    """The theme's name; not a string (or empty) keeps the default and adds a problem."""
    value = document.get("theme", DEFAULT_THEME)
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.append(Problem(("theme",), f"theme must be a theme's name, not {value!r}"))
    return DEFAULT_THEME


def theme_problem(name: str, known_names: Iterable[str]) -> str | None:
    """One line when ``name`` is not among ``known_names``; None when it is."""
    if name in set(known_names):
        return None
    return f"unknown theme {name!r}, using {DEFAULT_THEME} ({WHERE_THE_NAMES_ARE})"
