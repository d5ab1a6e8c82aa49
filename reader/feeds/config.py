"""The feed list in ``config.toml``: read it, change it, write it back safely.

The file holds the other settings too; a save changes only the feed tables,
in place, so comments and the rest stay as written. Feeds are an array of
tables::

    [[feeds]]
    url = "https://example.org/feed.xml"
    name = "Example"            # optional
    topics = ["Science"]        # optional
    full_text = true            # optional: download each new article's page after a fetch
    topic = "Science"           # optional: its articles' first topic (before `topics`)
    refresh_minutes = 60        # optional: overrides the top-level setting of the same name,
                                # as keep_days, max_items and prune_unread do (see policy.py)
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.feeds.policy import (
    POLICY_KEYS,
    Policy,
    PolicyError,
    checked_policy_values,
    default_policy,
)
from reader.feeds.text import line, unique_lines
from reader.sanitize import web_url

MAX_CONFIG_BYTES = 1024 * 1024


class FeedConfigError(Exception):
    """The config file cannot be read or written; ``str()`` is a one-line reason."""


@dataclass(frozen=True)
class Feed:
    """One subscribed feed."""

    url: str
    name: str = ""
    """What the user calls it; the feed's own title is used when empty."""
    topics: tuple[str, ...] = field(default_factory=tuple)
    """Topics given to every article from this feed."""
    full_text: bool = False
    """Download the full text of this feed's new articles that come without one."""
    overrides: tuple[tuple[str, Any], ...] = ()
    """This feed's own ``refresh_minutes``, ``keep_days``, ``max_items``, ``prune_unread``."""

    def policy(self, defaults: Policy) -> Policy:
        """The settings in force for this feed: its own, else the config's top-level ones."""
        return defaults.with_overrides(dict(self.overrides))

    def to_toml(self) -> dict[str, Any]:
        """The table written for this feed (empty fields left out)."""
        table: dict[str, Any] = {"url": self.url}
        if self.name:
            table["name"] = self.name
        if self.topics:
            table["topics"] = list(self.topics)
        if self.full_text:
            table["full_text"] = True
        table.update(self.overrides)
        return table


def check_feed_url(url: str) -> str:
    """``url`` cleaned, or :class:`FeedConfigError` unless it is an absolute http(s) URL."""
    cleaned = web_url(url)
    if cleaned is None:
        raise FeedConfigError(f"not an http:// or https:// URL: {line(url)[:200]!r}")
    return cleaned


def clean_topics(topics: Iterable[object]) -> tuple[str, ...]:
    """Topics as clean one-line strings, without empties or repeats (ignoring case)."""
    return tuple(unique_lines(topics))


def read_document(path: Path) -> dict[str, Any]:
    """The whole config file as a dict; an absent file is empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise FeedConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise FeedConfigError(f"{path} is larger than 1 MiB; is it really the config file?")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise FeedConfigError(f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise FeedConfigError(f"{path} is not valid TOML: {line(str(exc))}") from None


def load_feeds(path: Path) -> list[Feed]:
    """The feeds listed in the config file at ``path`` (none when it does not exist)."""
    return feeds_from_document(read_document(path), path)


def feeds_from_document(document: dict[str, Any], path: Path) -> list[Feed]:
    """The ``[[feeds]]`` of a parsed config; :class:`FeedConfigError` names the first problem."""
    feeds, problems = checked_feeds(document)
    if problems:
        raise FeedConfigError(f"{path}: {problems[0][1]}")
    return feeds


FEED_KEYS = frozenset({"url", "name", "topics", "topic", "full_text", *POLICY_KEYS})
"""The keys a ``[[feeds]]`` table may hold."""

KeyPath = tuple[str | int, ...]


def checked_feeds(
    document: dict[str, Any], report_unknown: bool = False
) -> tuple[list[Feed], list[tuple[KeyPath, str]]]:
    """The usable ``[[feeds]]`` and ``(key path, reason)`` for every problem, for ``--check``.

    A table without a usable URL is left out; any other wrong value keeps its
    default. Unknown keys are problems only when asked (older files are still read).
    """
    raw = document.get("feeds", [])
    if not isinstance(raw, list):
        return [], [(("feeds",), "'feeds' must be an array of tables ([[feeds]])")]
    feeds: list[Feed] = []
    problems: list[tuple[KeyPath, str]] = []
    for index, table in enumerate(raw):
        where = f"feed #{index + 1}"

        def bad(key: str, reason: str, index: int = index, where: str = where) -> None:
            problems.append((("feeds", index, key), f"{where}: {reason}"))

        if not isinstance(table, dict):
            problems.append((("feeds", index), f"{where} is not a table"))
            continue
        url = table.get("url")
        if not isinstance(url, str):
            problems.append((("feeds", index), f"{where} has no url"))
            continue
        try:
            url = check_feed_url(url)
        except FeedConfigError as exc:
            bad("url", str(exc))
            continue
        name = table.get("name", "")
        if not isinstance(name, str):
            bad("name", "name must be a string")
            name = ""
        topic = table.get("topic", "")
        if not isinstance(topic, str):
            bad("topic", "topic must be a string")
            topic = ""
        topics = table.get("topics", [])
        if isinstance(topics, str):
            topics = [topics]
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            bad("topics", "topics must be a list of strings")
            topics = []
        full_text = table.get("full_text", False)
        if not isinstance(full_text, bool):
            bad("full_text", "full_text must be true or false")
            full_text = False
        overrides, wrong = checked_policy_values(table)
        for key, reason in wrong:
            bad(key, reason)
        if report_unknown:
            for key in table.keys() - FEED_KEYS:
                bad(key, f"unknown key {key!r} (left out)")
        feeds.append(
            Feed(
                url=url,
                name=line(name),
                topics=clean_topics([topic, *topics]),
                full_text=full_text,
                overrides=tuple(overrides.items()),
            )
        )
    return feeds, problems


def load_policy(path: Path) -> Policy:
    """The top-level refresh and prune settings (the default for every feed)."""
    return policy_from_document(read_document(path), path)


def policy_from_document(document: dict[str, Any], path: Path) -> Policy:
    """The top-level refresh and prune settings of a parsed config, checked."""
    try:
        return default_policy(document, path)
    except PolicyError as exc:
        raise FeedConfigError(str(exc)) from None


def save_feeds(path: Path, feeds: Iterable[Feed]) -> None:
    """Make the feed list in ``path`` hold ``feeds``, atomically, keeping the rest as written.

    Each ``[[feeds]]`` table is changed in place (see :mod:`reader.feeds.feed_tables`),
    so a person's comments, order and blank lines survive. A file that is not
    valid TOML is left as it is.
    """
    from reader.config.edit import ConfigWriteError, update  # tomlkit: only when writing
    from reader.feeds.feed_tables import merge_feeds

    chosen = list(feeds)
    try:
        update(path, lambda document: merge_feeds(document, chosen))
    except ConfigWriteError as exc:
        raise FeedConfigError(str(exc)) from None


def find(feeds: Iterable[Feed], url: str) -> Feed | None:
    """The feed with this URL (exact match after cleaning), if any."""
    cleaned = web_url(url) or url
    return next((feed for feed in feeds if feed.url == cleaned), None)
