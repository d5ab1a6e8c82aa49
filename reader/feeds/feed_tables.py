"""Write a feed list into config.toml's ``[[feeds]]`` tables the way a person would edit them.

Replacing the whole array would lose the comments inside and between the
tables, so each table is changed in place, matched by its URL: changed keys
are set (others left as written), removed feeds' tables are taken out (the
comments after them stay where they were), new feeds are appended. A table
the reader cannot use (no URL, a bad one) is never touched. No Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tomlkit
from tomlkit.items import AoT, Item, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from reader.feeds.config import Feed, checked_feeds
from reader.feeds.policy import POLICY_KEYS

HEADER = "newsreader settings: `newsreader config --default` shows every key and its default."


def merge_feeds(document: TOMLDocument, feeds: Iterable[Feed]) -> None:
    """Make ``document``'s ``[[feeds]]`` hold ``feeds``, keeping everything else as written."""
    wanted = {feed.url: feed for feed in feeds}
    raw = document.get("feeds")
    if not isinstance(raw, list):  # absent (a wrong type is refused before a save)
        if wanted:
            _new_array(document, list(wanted.values()))
        return
    seen: set[str] = set()
    index = 0
    while index < len(raw):
        table = raw[index]
        old = _feed_of(table)
        if old is None:  # not a feed the reader could use: left as the person wrote it
            index += 1
        elif old.url in wanted:
            if old.url not in seen:
                _update(table, old, wanted[old.url])
                seen.add(old.url)
            index += 1
        else:
            _remove(document, raw, index)
    new = [feed for url, feed in wanted.items() if url not in seen]
    if not new:
        if not len(raw):
            del document["feeds"]
        return
    for feed in new:
        _append(raw, feed)


def _feed_of(table: Any) -> Feed | None:
    """The feed a table stands for, as the reader reads it (None: not usable)."""
    if not isinstance(table, dict):
        return None
    feeds, _ = checked_feeds({"feeds": [table.unwrap() if isinstance(table, Item) else table]})
    return feeds[0] if feeds else None


def _update(table: Any, old: Feed, new: Feed) -> None:
    """Set the keys whose value changed; the rest (and any comment) stay as they are."""
    changes: dict[str, Any] = {}
    if new.name != old.name:
        changes["name"] = new.name or None
    if new.topics != old.topics:
        changes["topics"] = list(new.topics) or None
        if "topic" in table:  # folded into `topics` now
            changes["topic"] = None
    if new.full_text != old.full_text:
        changes["full_text"] = True if new.full_text else None
    before, after = dict(old.overrides), dict(new.overrides)
    for key in POLICY_KEYS:
        if before.get(key) != after.get(key):
            changes[key] = after.get(key)
    trailing = _take_trailing(table) if isinstance(table, Table) else []
    for key, value in changes.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    _give_trailing(table, trailing)


def _remove(document: TOMLDocument, raw: Any, index: int) -> None:
    """Take out table ``index``; the comments and blank lines after it stay in their place."""
    table = raw[index]
    _, trailing = _split(_take_trailing(table))  # its own comments go with it
    del raw[index]
    if not trailing:
        return
    if index > 0:
        _give_trailing(raw[index - 1], trailing)
        return
    text = "".join(item.as_string() for item in trailing)
    following = raw[0] if len(raw) else _after(document, "feeds")
    if isinstance(following, Table):
        following.trivia.indent = text + following.trivia.indent
    elif isinstance(following, AoT) and len(following):
        following[0].trivia.indent = text + following[0].trivia.indent
    elif following is None:  # nothing after the feeds: the end of the file
        document.add(tomlkit.ws(text))


def _append(raw: Any, feed: Feed) -> None:
    """Add ``feed``'s table after the last one, before what followed that table."""
    if not isinstance(raw, AoT):
        raw.append(tomlkit.inline_table())
        raw[-1].update(feed.to_toml())
        return
    own, trailing = _split(_take_trailing(raw[-1]) if len(raw) else [])
    _give_trailing(raw[-1] if len(raw) else None, own)
    table = tomlkit.table()
    table.update(feed.to_toml())
    if len(raw):
        table.trivia.indent = "\n"
    raw.append(table)
    _give_trailing(raw[-1], trailing)


def _new_array(document: TOMLDocument, feeds: list[Feed]) -> None:
    """The first ``[[feeds]]`` of a file: at its end, after a blank line."""
    if not document.body:
        document.add(tomlkit.comment(HEADER))
    array = tomlkit.aot()
    for feed in feeds:
        table = tomlkit.table()
        table.update(feed.to_toml())
        table.trivia.indent = "\n"
        array.append(table)
    document.append("feeds", array)


def _after(document: TOMLDocument, key: str) -> Item | None:
    """The item that follows ``key`` in the document (None: it was the last)."""
    keys = [name for name, _ in document.body if name is not None]
    names = [str(name) for name in keys]
    if key not in names or names.index(key) + 1 >= len(keys):
        return None
    return document.item(names[names.index(key) + 1])


def _take_trailing(table: Any) -> list[Item]:
    """Remove and return the comments and blank lines at the end of a table's body.

    Keys added to the table go before them. Items without a key are not
    indexed by tomlkit, so taking them off the end is safe.
    """
    if not isinstance(table, Table):
        return []
    body = table.value.body
    trailing: list[Item] = []
    while body and body[-1][0] is None:
        trailing.insert(0, body.pop()[1])
    return trailing


def _split(trailing: list[Item]) -> tuple[list[Item], list[Item]]:
    """A table's trailing lines: its own, and those about what follows it.

    Up to the first blank line a comment goes with the table above (``url = ...``
    then ``# an old address``); after it, or with no blank line at all, the
    comments sit above the next header and are about that.
    """
    for index, item in enumerate(trailing):
        if isinstance(item, Whitespace) and "\n" in item.as_string():
            return trailing[:index], trailing[index:]
    return [], trailing


def _give_trailing(table: Any, trailing: list[Item]) -> None:
    if isinstance(table, Table):
        table.value.body.extend((None, item) for item in trailing)
