"""The feed list in ``config.toml``: read it, change it, write it back safely.

The file may hold other settings too; they are kept as they are (comments
are not, since the file is rewritten from its parsed form). Feeds are an
array of tables::

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

from reader.atomic import write_text
from reader.feeds.policy import Policy, PolicyError, default_policy, policy_values
from reader.feeds.text import line, unique_lines
from reader.feeds.tomlwrite import TomlWriteError, dumps
from reader.sanitize import web_url

HEADER = "newsreader settings. The feed list is edited by `newsreader feeds add/remove/import`."
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
    """The ``[[feeds]]`` of a parsed config, validated."""
    raw = document.get("feeds", [])
    if not isinstance(raw, list):
        raise FeedConfigError(f"{path}: 'feeds' must be an array of tables ([[feeds]])")
    feeds: list[Feed] = []
    for number, table in enumerate(raw, start=1):
        where = f"{path}: feed #{number}"
        if not isinstance(table, dict):
            raise FeedConfigError(f"{where} is not a table")
        url = table.get("url")
        if not isinstance(url, str):
            raise FeedConfigError(f"{where} has no url")
        try:
            url = check_feed_url(url)
        except FeedConfigError as exc:
            raise FeedConfigError(f"{where}: {exc}") from None
        name = table.get("name", "")
        topics = table.get("topics", [])
        if isinstance(topics, str):
            topics = [topics]
        topic = table.get("topic", "")
        if not isinstance(name, str) or not isinstance(topics, list) or not isinstance(topic, str):
            raise FeedConfigError(
                f"{where}: name and topic must be strings and topics a list of strings"
            )
        full_text = table.get("full_text", False)
        if not isinstance(full_text, bool):
            raise FeedConfigError(f"{where}: full_text must be true or false")
        try:
            overrides = tuple(policy_values(table, where).items())
        except PolicyError as exc:
            raise FeedConfigError(str(exc)) from None
        feeds.append(
            Feed(
                url=url,
                name=line(name),
                topics=clean_topics([topic, *topics]),
                full_text=full_text,
                overrides=overrides,
            )
        )
    return feeds


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
    """Replace the feed list in ``path`` atomically, keeping every other setting."""
    document = read_document(path)
    document["feeds"] = [feed.to_toml() for feed in feeds]
    try:
        text = dumps(document, header=HEADER)
    except TomlWriteError as exc:
        raise FeedConfigError(f"cannot write {path}: {exc}") from None
    try:
        write_text(path, text)
    except OSError as exc:
        raise FeedConfigError(f"cannot write {path}: {exc.strerror or exc}") from None


def find(feeds: Iterable[Feed], url: str) -> Feed | None:
    """The feed with this URL (exact match after cleaning), if any."""
    cleaned = web_url(url) or url
    return next((feed for feed in feeds if feed.url == cleaned), None)
