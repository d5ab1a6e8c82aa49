"""A small TOML writer for the config file (stdlib ``tomllib`` only reads).

It covers what a settings file holds: tables, arrays of tables, strings,
numbers, booleans, dates and arrays. :func:`dumps` checks its own output by
reading it back, so it can never write a file that means something else.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


class TomlWriteError(ValueError):
    """The data cannot be written as TOML."""


def dumps(data: dict[str, Any], header: str = "") -> str:
    """``data`` as a TOML document, optionally after a comment ``header``."""
    lines = [f"# {text}".rstrip() for text in header.splitlines()]
    if lines:
        lines.append("")
    _table(data, [], lines)
    # Values never hold raw newlines (strings are escaped), so only blank lines collapse.
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
    if tomllib.loads(text) != data:
        raise TomlWriteError("internal error: TOML output does not read back the same")
    return text


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else string(key)


def string(value: str) -> str:
    """A TOML basic string with every character that needs it escaped."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table(table: dict[str, Any], path: list[str], lines: list[str]) -> None:
    simple = {k: v for k, v in table.items() if not isinstance(v, dict) and not _is_table_array(v)}
    for key, value in simple.items():
        lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in table.items():
        if key in simple:
            continue
        sub_path = [*path, _key(key)]
        if isinstance(value, dict):
            lines.extend(["", f"[{'.'.join(sub_path)}]"])
            _table(value, sub_path, lines)
        else:
            for item in value:
                lines.extend(["", f"[[{'.'.join(sub_path)}]]"])
                _table(item, sub_path, lines)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TomlWriteError(f"cannot write {type(value).__name__} as TOML")
