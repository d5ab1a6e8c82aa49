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
from reader.sync.records import Change

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


def apply(config_path: Path, winners: list[Change]) -> tuple[FeedResult, dict[str, str] | None]:
    """Subscribe, rename and unsubscribe as the winning changes say; returns the list now."""
    result = FeedResult()
    try:
        feeds = load_feeds(config_path)
    except FeedConfigError as exc:
        result.problem = str(exc)
        return result, None
    by_url = {feed.url: feed for feed in feeds}
    for change in winners:
        held = by_url.get(change.key)
        if change.value is None:
            if held is not None:
                del by_url[change.key]
                result.removed.append(change.key)
        elif held is None:
            by_url[change.key] = Feed(change.key, name=change.value["n"])
            result.added.append(change.key)
        elif held.name != change.value["n"]:
            by_url[change.key] = replace(held, name=change.value["n"])
    if by_url != {feed.url: feed for feed in feeds}:
        try:
            save_feeds(config_path, by_url.values())
        except FeedConfigError as exc:
            result.problem = str(exc)
            return FeedResult(problem=str(exc)), None
    return result, {url: feed.name for url, feed in by_url.items()}
