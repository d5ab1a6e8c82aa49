"""``[keys]``: remap any action shown in help to one or more keys. (Filled in by the keys work.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.config.model import Problem


@dataclass(frozen=True)
class KeySettings:
    """Action name -> the keys that run it (replacing the default keys of that action)."""

    remaps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def parse_keys(document: Mapping[str, Any], problems: list[Problem]) -> KeySettings:
    """The ``[keys]`` table, checked as far as plain data allows."""
    return KeySettings()
