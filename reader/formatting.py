"""Turning entry fields into short display text: dates, numbers, fitted columns.

No Textual here, so the rules (``3h``, ``2d``, then ``12 Mar 2024``) are
unit-tested on their own. Widths are terminal cells, not characters: a CJK
character or an emoji takes two, and a column must never spill over.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache

from rich.cells import cell_len, set_cell_size

DATE_WIDTH = 11
"""Cells the list's date column takes (``12 Mar 2024``) in the relative style."""
DATE_WIDTHS = {"relative": DATE_WIDTH, "absolute": 12, "iso": 10}
"""Cells of the date column in each style of ``[list] date``: ``12 Dec 14:05``, ``2025-12-02``."""


def relative_date(timestamp: float | None, now: dt.datetime) -> str:
    """A short, natural age: ``5m``, ``3h``, ``2d`` within a week, then ``12 Mar 2024``."""
    if timestamp is None:
        return "—"
    when = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    seconds = (now - when).total_seconds()
    if 0 <= seconds < 3600:
        return f"{max(1, int(seconds // 60))}m"
    if 0 <= seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if 0 <= seconds < 7 * 86400:
        return f"{int(seconds // 86400)}d"
    local = when.astimezone(now.tzinfo)
    return f"{local.day} {local:%b %Y}"


def absolute_date(timestamp: float | None, now: dt.datetime) -> str:
    """Local day and time this year (``2 Dec 14:05``), day and year before (``2 Dec 2025``)."""
    if timestamp is None:
        return "—"
    local = dt.datetime.fromtimestamp(timestamp, dt.UTC).astimezone(now.tzinfo)
    if local.year == now.year:
        return f"{local.day} {local:%b %H:%M}"
    return f"{local.day} {local:%b %Y}"


def iso_date(timestamp: float | None, now: dt.datetime) -> str:
    """The local day as ``2025-12-02``: sorts as text, reads the same in every language."""
    if timestamp is None:
        return "—"
    return f"{dt.datetime.fromtimestamp(timestamp, dt.UTC).astimezone(now.tzinfo):%Y-%m-%d}"


LIST_DATES = {"relative": relative_date, "absolute": absolute_date, "iso": iso_date}
"""The date column's text in each style of ``[list] date``."""


def long_date(when: dt.datetime | None, now: dt.datetime) -> str:
    """Local date and time plus the relative age, for the detail pane."""
    if when is None:
        return "date unknown"
    local = when.astimezone(now.tzinfo)
    age = relative_date(when.timestamp(), now)
    suffix = f" ({age} ago)" if age[-1] in "mhd" and age[0].isdigit() else ""
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}{suffix}"


def fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` cells, ending in ``…`` when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def short_count(n: int) -> str:
    """A count in at most four characters: ``999``, ``3.4k``, ``83k``, ``1.2M``.

    Cut, never rounded up: 999,999 reads ``999k``, not ``1.0M``, so an unread count
    shown beside its total never reads as more than there is, nor as all of them.
    """
    if n < 1000:
        return str(n)
    if n < 10_000:
        return f"{n // 1000}.{n // 100 % 10}k"
    if n < 1_000_000:
        return f"{n // 1000}k"
    if n < 10_000_000:
        return f"{n // 1_000_000}.{n // 100_000 % 10}M"
    return f"{n // 1_000_000}M"


def quality_text(quality: int | None) -> str:
    """The quality column: the score, or blank when unknown."""
    return "" if quality is None else str(quality)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
    ).casefold()


def fold(text: str) -> str:
    """``text`` without case or accents, as the full-text search compares it ("São" → "sao")."""
    return text.casefold() if text.isascii() else "".join(map(_fold_char, text))


def folded_with_positions(text: str) -> tuple[str, list[int] | None]:
    """:func:`fold` of ``text`` and, for each folded character, the index of the one it came from.

    The positions are None when they are the same (ASCII text), the usual case.
    """
    if text.isascii():
        return text.casefold(), None
    parts: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        part = _fold_char(ch)
        parts.append(part)
        positions.extend([index] * len(part))
    return "".join(parts), positions
