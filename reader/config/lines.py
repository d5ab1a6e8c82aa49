"""Where a key is in config.toml: the 1-based line of a key path, for ``file:line: message``.

``tomllib`` gives values, not positions, and the style-preserving parser is
too slow to run at every start; problems are rare, so the text is scanned
only when there is one. Best effort over what people write: table headers,
arrays of tables (``("openers", 0, "match")``), dotted keys, values over
several lines. A key inside an inline table or an array gets the line of the
key that holds it; a key not written at all gets its table's header line.
No Textual.
"""

from __future__ import annotations

import re
import tomllib

from reader.config.model import Path, Problem

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def error_line(message: str, text: str) -> int | None:
    """The line a ``tomllib`` error names (its last line when it says "end of document")."""
    found = _ERROR_LINE.search(message)
    if found:
        return int(found.group(1))
    if "end of document" in message:
        return max(1, text.count("\n") + (not text.endswith("\n")))
    return None


def key_lines(text: str) -> dict[Path, int]:
    """Every key path written in ``text`` and the line it first appears on."""
    lines: dict[Path, int] = {}
    table: Path = ()
    arrays: dict[Path, int] = {}  # an array of tables -> the index of its last [[header]]
    open_value: _Value | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if open_value is not None:  # inside a value that spans lines
            open_value.scan(raw)
            open_value = open_value if open_value.open else None
            continue
        stripped = raw.lstrip()
        if stripped.startswith("["):
            double = stripped.startswith("[[")
            keys, rest = _keys(stripped[2 if double else 1 :])
            if keys is None or not rest.startswith("]]" if double else "]"):
                continue
            table = _resolve(keys, arrays)
            if double:
                arrays[table] = arrays.get(table, -1) + 1
                table = (*table, arrays[table])
            _record(lines, table, number)
            continue
        keys, rest = _keys(stripped)
        if not keys or not rest.startswith("="):
            continue
        _record(lines, (*table, *keys), number)
        value = _Value()
        value.scan(rest[1:])
        open_value = value if value.open else None
    return lines


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, else of the nearest enclosing key or table written; None if none."""
    for end in range(len(path), 0, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return None


def with_lines(problems: list[Problem], text: str) -> list[Problem]:
    """``problems`` with their line filled in from ``text`` (scanned once, only if needed)."""
    if not any(problem.path and problem.line is None for problem in problems):
        return problems
    lines = key_lines(text)
    return [
        problem
        if problem.line is not None or not problem.path
        else Problem(problem.path, problem.message, line_of(lines, problem.path))
        for problem in problems
    ]


def _record(lines: dict[Path, int], path: Path, number: int) -> None:
    for end in range(1, len(path) + 1):
        lines.setdefault(path[:end], number)


def _resolve(keys: tuple[str, ...], arrays: dict[Path, int]) -> Path:
    """A header's keys with the index of each array of tables it goes through."""
    path: Path = ()
    for number, key in enumerate(keys, start=1):
        path = (*path, key)
        if path in arrays and number < len(keys):
            path = (*path, arrays[path])
    return path


def _keys(text: str) -> tuple[tuple[str, ...] | None, str]:
    """The dotted key at the start of ``text`` and what follows it (stripped); None if none."""
    keys: list[str] = []
    rest = text.lstrip()
    while True:
        if rest[:1] in ('"', "'"):
            end = _string_end(rest, 0)
            if end < 0:
                return None, ""
            try:
                keys.append(tomllib.loads(f"k = {rest[:end]}")["k"])
            except tomllib.TOMLDecodeError:
                return None, ""
            rest = rest[end:]
        else:
            bare = _BARE.match(rest)
            if bare is None:
                return None, ""
            keys.append(bare.group())
            rest = rest[bare.end() :]
        rest = rest.lstrip()
        if not rest.startswith("."):
            return tuple(keys), rest
        rest = rest[1:].lstrip()


def _string_end(text: str, start: int) -> int:
    """The index just after the one-line string that starts at ``start`` (-1: unterminated)."""
    quote = text[start]
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\" and quote == '"':
            index += 2
            continue
        if char == quote:
            return index + 1
        index += 1
    return -1


class _Value:
    """Follows a value over its lines: open brackets and multi-line strings."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote = ""  # the multi-line string's delimiter while inside one

    @property
    def open(self) -> bool:
        return self.depth > 0 or bool(self.quote)

    def scan(self, text: str) -> None:
        index = 0
        while index < len(text):
            if self.quote:
                end = self._close(text, index)
                if end < 0:
                    return
                self.quote, index = "", end
                continue
            char = text[index]
            if char == "#":
                return
            if text.startswith(('"""', "'''"), index):
                self.quote, index = text[index : index + 3], index + 3
            elif char in "\"'":
                end = _string_end(text, index)
                if end < 0:
                    return
                index = end
            else:
                self.depth += (char in "[{") - (char in "]}")
                index += 1

    def _close(self, text: str, index: int) -> int:
        """Where the open multi-line string ends on this line (-1: it goes on)."""
        while index < len(text):
            if text[index] == "\\" and self.quote == '"""':
                index += 2
            elif text.startswith(self.quote, index):
                end = index + 3
                while text.startswith(self.quote[0], end):  # up to two quotes may end it
                    end += 1
                return end
            else:
                index += 1
        return -1
