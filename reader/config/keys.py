"""``[keys]``: remap any action shown in help to one or more keys.

Only the shape is checked here (no Textual): each entry names an action and
gives a key or a list of keys. Whether the action exists, the key names are
keys and two actions share a key is checked by :mod:`reader.screens.keymap`,
which knows the bindings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.config.model import Problem

MAX_KEYS_PER_ACTION = 16
"""More keys than this for one action is a mistake (a pasted list), not a habit."""


@dataclass(frozen=True)
class KeySettings:
    """Action name -> the keys that run it (replacing the default keys of that action)."""

    remaps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """In file order; each tuple has at least one key, without repeats."""


def parse_keys(document: Mapping[str, Any], problems: list[Problem]) -> KeySettings:
    """The ``[keys]`` table, checked as far as plain data allows.

    A wrong entry is left out (that action keeps its default keys) with a
    problem at ``("keys", action)``; the other entries stand.
    """
    from reader.config.model import Problem

    table = document.get("keys")
    if table is None:
        return KeySettings()
    if not isinstance(table, Mapping):
        problems.append(Problem(("keys",), "[keys] must be a table of action = key(s)"))
        return KeySettings()
    remaps: dict[str, tuple[str, ...]] = {}
    for action, value in table.items():
        keys = _keys_of(value)
        if isinstance(keys, str):
            problems.append(Problem(("keys", action), keys))
        else:
            remaps[action] = keys
    return KeySettings(remaps)


def _keys_of(value: object) -> tuple[str, ...] | str:
    """The keys ``value`` gives, or what is wrong with it."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        return 'must be a key name or a list of key names, such as "s" or ["o", "enter"]'
    keys = tuple(dict.fromkeys(key.strip() for key in value))
    if not keys:
        return "gives no key; leave the action out to keep its default keys"
    if "" in keys:
        return 'has an empty key name (the space bar is "space")'
    if len(keys) > MAX_KEYS_PER_ACTION:
        return f"has more than {MAX_KEYS_PER_ACTION} keys"
    return keys
