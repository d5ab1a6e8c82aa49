"""``[list]``: the article list's columns, date style and duplicate folding, and the pane widths.

Plain data, checked here so the app and ``config --check`` agree on what is
wrong; each wrong key keeps its default and adds a :class:`Problem`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.config.model import Problem

COLUMNS = ("mark", "date", "quality", "provider", "title")
"""Every column the list can show, in the default order."""
DATE_STYLES = ("relative", "absolute", "iso")
"""``3h`` / ``2 Dec 14:05`` / ``2025-12-02``: see :func:`reader.formatting.list_date`."""

Width = int | str
"""Columns (``30``) or a percentage of the terminal's width (``"25%"``)."""

SIDEBAR_BOUNDS = {"columns": (12, 80), "percent": (5, 50)}
DETAIL_BOUNDS = {"columns": (20, 160), "percent": (10, 70)}
_PERCENT = re.compile(r"(\d{1,3})%")


@dataclass(frozen=True)
class ListSettings:
    """How the list looks and how wide the panes beside it are."""

    columns: tuple[str, ...] = COLUMNS
    """The columns shown, in order; ``title`` is always among them (it takes the room left)."""
    date: str = "relative"
    """The date column's style, one of :data:`DATE_STYLES`."""
    sidebar_width: Width = 22
    """The sidebar's width: the stylesheet's (app.tcss) while it is the default."""
    detail_width: Width = "17%"
    """The detail pane's width when it is beside the list (at least 27 columns while it is
    the default); below the list it takes the whole width."""
    group_duplicates: bool = True
    """Whether the copies of one story (one address, one wire text) show as one row with ``+N``;
    false lists every copy."""


DEFAULTS = ListSettings()


def parse_list(document: Mapping[str, Any], problems: list[Problem]) -> ListSettings:
    """The ``[list]`` table; a wrong key keeps its default and adds a problem."""
    from reader.config.model import Problem

    table = document.get("list", {})
    if not isinstance(table, Mapping):
        problems.append(Problem(("list",), "must be a table ([list])"))
        return DEFAULTS
    values: dict[str, Any] = {}
    for key, value in table.items():
        check = _CHECKS.get(key)
        if check is None:
            known = ", ".join(_CHECKS)
            problems.append(Problem(("list", key), f"unknown key in [list] (known: {known})"))
            continue
        result = check(value)
        if isinstance(result, _Wrong):
            problems.append(Problem(("list", key), result.message))
        else:
            values[key] = result
    return ListSettings(**values)


@dataclass(frozen=True)
class _Wrong:
    message: str


def _columns(value: Any) -> tuple[str, ...] | _Wrong:
    names = ", ".join(f'"{name}"' for name in COLUMNS)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return _Wrong(f"must be a list of column names ({names})")
    for item in value:
        if item not in COLUMNS:
            return _Wrong(f"unknown column {item!r} (known: {names})")
    repeated = sorted({item for item in value if value.count(item) > 1})
    if repeated:
        return _Wrong(f"column {repeated[0]!r} is listed twice")
    if "title" not in value:
        return _Wrong('must include "title" (it takes the room the other columns leave)')
    return tuple(value)


def _date(value: Any) -> str | _Wrong:
    if not isinstance(value, str) or value not in DATE_STYLES:
        return _Wrong('must be "relative", "absolute" or "iso"')
    return value


def _flag(value: Any) -> bool | _Wrong:
    return value if isinstance(value, bool) else _Wrong("must be true or false")


def _width(bounds: dict[str, tuple[int, int]]) -> Any:
    low, high = bounds["columns"]
    low_pc, high_pc = bounds["percent"]
    message = f'must be {low} to {high} columns or "{low_pc}%" to "{high_pc}%" of the terminal'

    def check(value: Any) -> Width | _Wrong:
        if isinstance(value, int) and not isinstance(value, bool):
            return value if low <= value <= high else _Wrong(message)
        if isinstance(value, str) and (found := _PERCENT.fullmatch(value.strip())):
            percent = int(found.group(1))
            return f"{percent}%" if low_pc <= percent <= high_pc else _Wrong(message)
        return _Wrong(message)

    return check


_CHECKS = {
    "columns": _columns,
    "date": _date,
    "sidebar_width": _width(SIDEBAR_BOUNDS),
    "detail_width": _width(DETAIL_BOUNDS),
    "group_duplicates": _flag,
}
