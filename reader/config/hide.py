"""``hide``: queries whose matches are hidden everywhere. (Filled in by the hide-rules work.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.config.model import Problem


def parse_hide(document: Mapping[str, Any], problems: list[Problem]) -> tuple[str, ...]:
    """The hide rules as query strings; a rule that is not a string is a problem."""
    return ()
