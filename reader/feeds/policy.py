"""How often each feed is fetched and how long its articles are kept.

Four settings, each a top-level key of ``config.toml`` (the default for
every feed) that a feed's own ``[[feeds]]`` table may override::

    refresh_minutes = 30    # fetch in the open reader when this old; 0 = never by itself
    keep_days = 0           # prune fetched articles older than this; 0 = keep them
    max_items = 0           # keep at most this many articles per feed; 0 = no limit
    prune_unread = false    # whether pruning may remove unread articles

Pruning is off unless asked for: removing files cannot be undone, so the
reader keeps everything until the user sets a limit (as newsboat does).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

POLICY_KEYS = ("refresh_minutes", "keep_days", "max_items", "prune_unread")
MAX_NUMBER = 1_000_000


class PolicyError(ValueError):
    """A setting has the wrong type or range; ``str()`` names the key."""


@dataclass(frozen=True)
class Policy:
    """The four settings in force for one feed."""

    refresh_minutes: int = 30
    """Minutes between background fetches of the feed; 0 turns them off."""
    keep_days: int = 0
    """Fetched articles older than this many days are pruned; 0 keeps them."""
    max_items: int = 0
    """At most this many of the feed's articles are kept (newest first); 0 = no limit."""
    prune_unread: bool = False
    """Whether pruning may remove articles not yet read (starred ones never go)."""

    @property
    def prunes(self) -> bool:
        """Whether any pruning rule is set."""
        return bool(self.keep_days or self.max_items)

    def with_overrides(self, overrides: dict[str, Any]) -> Policy:
        """This policy with a feed's own settings applied."""
        known = {name: value for name, value in overrides.items() if name in POLICY_KEYS}
        return replace(self, **known) if known else self


def policy_values(table: dict[str, Any], where: str) -> dict[str, Any]:
    """The policy keys present in ``table``, checked; :class:`PolicyError` names a bad one."""
    values, problems = checked_policy_values(table)
    if problems:
        raise PolicyError(f"{where}: {problems[0][1]}")
    return values


def checked_policy_values(table: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The good policy keys of ``table``, and ``(key, reason)`` for each bad one (left out)."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for item in fields(Policy):
        if item.name not in table:
            continue
        value = table[item.name]
        if item.name == "prune_unread":
            if not isinstance(value, bool):
                problems.append((item.name, "prune_unread must be true or false"))
                continue
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append((item.name, f"{item.name} must be a whole number (0 turns it off)"))
            continue
        elif not 0 <= value <= MAX_NUMBER:
            problems.append((item.name, f"{item.name} must be between 0 and {MAX_NUMBER:,}"))
            continue
        values[item.name] = value
    return values, problems


def default_policy(document: dict[str, Any], path: Path) -> Policy:
    """The top-level settings of a parsed config: the default for every feed."""
    return Policy().with_overrides(policy_values(document, str(path)))
