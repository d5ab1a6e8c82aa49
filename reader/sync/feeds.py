"""Subscriptions in the sync: config.toml's feed list, compared with what the last pass saw.

The feed list is a file people edit by hand as well as through the reader,
so changes are found by comparing it with the list the last pass left (kept
in the state file), not by hooking every writer: a feed added in an editor
syncs too. Only the URL and the name travel; a feed's topics and settings
stay each machine's own.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.feeds.config import Feed, FeedConfigError, load_feeds, save_feeds
from reader.sync.ledger import get_meta, set_meta

SEEN = "feeds_seen"


@dataclass
class FeedResult:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problem: str = ""


def current(config_path: Path) -> dict[str, str] | None:
    """URL -> name of the subscribed feeds; None when the list cannot be read (left alone)."""
    try:
        return {feed.url: feed.name for feed in load_feeds(config_path)}
    except FeedConfigError:
        return None


def local_changes(conn: sqlite3.Connection, now: dict[str, str]) -> list[tuple[str, str, Any]]:
    """The subscriptions made, renamed or dropped here since the last pass (kind, key, value)."""
    before: dict[str, str] = json.loads(get_meta(conn, SEEN, "{}"))
    changes: list[tuple[str, str, Any]] = [
        ("feed", url, {"n": name}) for url, name in now.items() if before.get(url) != name
    ]
    changes += [("feed", url, None) for url in before if url not in now]
    return changes


def remember(conn: sqlite3.Connection, now: dict[str, str]) -> None:
    set_meta(conn, SEEN, json.dumps(now, ensure_ascii=False, sort_keys=True))


def wanted(conn: sqlite3.Connection) -> dict[str, str]:
    """URL -> name of the feeds the changes in force subscribe to (every machine's, merged)."""
    rows = conn.execute("SELECT key, value FROM sync_stamps WHERE kind = 'feed'")
    return {url: json.loads(value).get("n", "") for url, value in rows if value is not None}


def apply(config_path: Path, want: dict[str, str]) -> tuple[FeedResult, dict[str, str] | None]:
    """Make the feed list hold ``want`` (URL -> name); returns what changed and the list now.

    Reconciled as a whole rather than change by change, so a list that could
    not be written once (an invalid file, fixed later) catches up at the next pass.
    """
    result = FeedResult()
    try:
        feeds = load_feeds(config_path)
    except FeedConfigError as exc:
        result.problem = str(exc)
        return result, None
    by_url = {feed.url: feed for feed in feeds}
    for url in list(by_url):
        if url not in want:
            del by_url[url]
            result.removed.append(url)
    for url, name in want.items():
        held = by_url.get(url)
        if held is None:
            by_url[url] = Feed(url, name=name)
            result.added.append(url)
        elif held.name != name:
            by_url[url] = replace(held, name=name)
    if by_url != {feed.url: feed for feed in feeds}:
        try:
            save_feeds(config_path, by_url.values())
        except FeedConfigError as exc:
            return FeedResult(problem=str(exc)), None
    return result, {url: feed.name for url, feed in by_url.items()}
