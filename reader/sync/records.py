"""One change per line of JSON: what the sync folder's files and ``state export`` hold.

Every line comes from another machine or a file a person handed over, so
each is checked field by field; a line that fails is skipped and counted,
never guessed at. Shapes (short keys: a log of a hundred thousand marks
stays small)::

    {"k": "read", "i": "https://…", "v": true, "w": 1764680000000, "c": 0, "m": "3f9a…"}
    {"k": "star", "i": "https://…", "v": null, …}          # unstarred
    {"k": "view", "i": "Climate", "v": {"q": "topic:climate", "t": 1764680000.0}, …}
    {"k": "feed", "i": "https://…/feed.xml", "v": {"n": "Example"}, …}

A line with ``"machine"`` and no ``"k"`` names the machine that wrote the file
(its id and host name), for ``newsreader sync status``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson

from reader.sync.clock import MAX_COUNTER, MAX_WALL, Stamp

MARKS = ("read", "star")
KINDS = (*MARKS, "view", "feed")
MAX_KEY = 4096
"""The longest article URL, search name or feed URL accepted from a file."""
MACHINE_ID = re.compile(r"[0-9a-f]{6,32}")


class Change(NamedTuple):
    """One change: ``value`` None undoes (unread, unstarred, deleted, unsubscribed)."""

    kind: str
    key: str
    value: Any
    stamp: Stamp

    def line(self) -> str:
        """The change as one line of JSON (with its newline)."""
        wall, counter, machine = self.stamp
        return record_line(self.kind, self.key, self.value, wall, counter, machine)


def record_line(kind: str, key: str, value: Any, wall: int, counter: int, machine: str) -> str:
    """One change's line, straight from its fields (sending reads them from the state file)."""
    record = {"k": kind, "i": key, "v": value, "w": wall, "c": counter, "m": machine}
    return orjson.dumps(record).decode("utf-8") + "\n"


@dataclass(frozen=True)
class Header:
    """Who wrote a file."""

    machine: str
    host: str


def header_line(machine: str, host: str) -> str:
    record = {"machine": machine, "host": host, "app": "newsreader", "format": 1}
    return orjson.dumps(record).decode("utf-8") + "\n"


def parse_lines(lines: list[bytes]) -> list[Change | Header | None]:
    """:func:`parse_line` of each line, the JSON of all of them read in one call when it can be.

    One ``orjson.loads`` over the lines joined as an array is several times faster than
    one call per line; any line that is not JSON makes it fail, and then each is read alone.
    """
    try:
        records = orjson.loads(b"[" + b",".join(lines) + b"]")
    except orjson.JSONDecodeError:
        return [parse_line(line) for line in lines]
    if len(records) != len(lines):  # a line holding "1,2" would read as two
        return [parse_line(line) for line in lines]
    return [from_record(record) for record in records]


def parse_line(text: str | bytes) -> Change | Header | None:
    """The change (or header) a line holds; None when it is not one (the caller counts it)."""
    try:
        record = orjson.loads(text)
    except orjson.JSONDecodeError:  # also bytes that are not UTF-8, and nesting too deep
        return None
    return from_record(record)


def from_record(record: object) -> Change | Header | None:
    """The change (or header) a line's JSON value is; None when it is not one."""
    if not isinstance(record, dict):
        return None
    if "k" not in record:
        return _header(record)
    kind, key, value = record.get("k"), record.get("i"), record.get("v")
    wall, counter, machine = record.get("w"), record.get("c"), record.get("m")
    if kind not in KINDS or not _good_text(key):
        return None
    if not (_whole(wall, MAX_WALL) and _whole(counter, MAX_COUNTER)):
        return None
    if machine not in _GOOD_IDS:
        if not isinstance(machine, str) or not MACHINE_ID.fullmatch(machine):
            return None
        _GOOD_IDS.add(machine)
    value = _value(kind, key, value)
    if value is _BAD:
        return None
    return Change(kind, key, value, Stamp(wall, counter, machine))


_BAD = object()
_GOOD_IDS: set[str] = set()
"""Machine ids already checked (a file repeats its writer's id on every line)."""


def _value(kind: str, key: str, value: Any) -> Any:
    """The checked value of a change, or ``_BAD``."""
    if value is None or value is True and kind in MARKS:
        return value
    if kind in MARKS:
        return True if value is True else _BAD
    if not isinstance(value, dict):
        return _BAD
    if kind == "view":
        query, created = value.get("q"), value.get("t")
        if not _good_text(query) or type(created) not in (int, float) or not 0 <= created < 1e11:
            return _BAD
        return {"q": query, "t": float(created)}
    if not key.startswith(("http://", "https://")):  # a feed: only web addresses are fetched
        return _BAD
    name = value.get("n", "")
    if not isinstance(name, str) or len(name) > MAX_KEY or not name.isprintable():
        return _BAD
    return {"n": name}


def _header(record: dict) -> Header | None:
    machine, host = record.get("machine"), record.get("host", "")
    if not isinstance(machine, str) or not MACHINE_ID.fullmatch(machine):
        return None
    if not isinstance(host, str) or len(host) > 255 or not host.isprintable():
        host = ""
    return Header(machine, host)


def _good_text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_KEY and value.isprintable()


def _whole(value: object, bound: int) -> bool:
    return type(value) is int and 0 <= value < bound
