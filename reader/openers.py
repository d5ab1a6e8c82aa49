"""Per-URL openers: ``[[openers]]`` in config.toml runs a program instead of the browser.

::

    [[openers]]
    match = '\\.(mp3|m4a|ogg|opus|mp4|webm)$'
    command = ["mpv", "{url}"]

The first table whose ``match`` (a regular expression searched in the URL)
matches wins; its ``command`` is run as an argument list, never through a
shell, with ``{url}`` replaced by the URL (or the URL appended when no
argument holds ``{url}``). No match: the browser, as before. Only http(s)
URLs ever reach here (see :func:`reader.browser.check_url`).

A bad table is left out with a one-line reason and the others still work;
the configuration is read again only when the file changes. Plain Python:
no Textual.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.feeds.config import FeedConfigError, read_document
from reader.sanitize import clean_line

URL_FIELD = "{url}"
"""The placeholder in a command's arguments that becomes the URL."""


class OpenerError(Exception):
    """A command could not be started; ``str()`` is a one-line reason."""


@dataclass(frozen=True)
class Opener:
    """One ``[[openers]]`` table: which URLs, and the command that opens them."""

    pattern: re.Pattern[str]
    command: tuple[str, ...]

    @property
    def name(self) -> str:
        """The program's name, for messages (``mpv``)."""
        return os.path.basename(self.command[0]) or self.command[0]

    def argv(self, url: str) -> list[str]:
        """The command for ``url``: ``{url}`` replaced, or the URL appended."""
        if not any(URL_FIELD in arg for arg in self.command):
            return [*self.command, url]
        return [arg.replace(URL_FIELD, url) for arg in self.command]


def openers_from_document(document: dict[str, Any], path: Path) -> tuple[list[Opener], list[str]]:
    """The valid ``[[openers]]`` of a parsed config, and a one-line reason for each bad one.

    Unknown keys (``terminal``, meant for a later version) are ignored.
    """
    raw = document.get("openers", [])
    if not isinstance(raw, list):
        return [], [f"{path}: 'openers' must be an array of tables ([[openers]])"]
    openers: list[Opener] = []
    problems: list[str] = []
    for number, table in enumerate(raw, start=1):
        try:
            openers.append(_opener(table))
        except ValueError as exc:
            problems.append(f"{path}: opener #{number} left out: {exc}")
    return openers, problems


def _opener(table: object) -> Opener:
    if not isinstance(table, dict):
        raise ValueError("not a table")
    match = table.get("match")
    if not isinstance(match, str) or not match:
        raise ValueError("'match' must be a non-empty string (a regular expression)")
    try:
        pattern = re.compile(match)
    except re.error as exc:
        message = f"'match' is not a valid regular expression: {clean_line(str(exc))}"
        raise ValueError(message) from None
    command = table.get("command")
    if (
        not isinstance(command, list)
        or not command
        or not all(isinstance(arg, str) for arg in command)
        or not command[0].strip()
    ):
        raise ValueError('\'command\' must be a non-empty list of strings, e.g. ["mpv", "{url}"]')
    return Opener(pattern, tuple(command))


def find(openers: list[Opener], url: str) -> Opener | None:
    """The first opener whose ``match`` is found in ``url``."""
    return next((opener for opener in openers if opener.pattern.search(url)), None)


def launch(argv: list[str]) -> None:
    """Start ``argv`` detached from the terminal and the app; raise :class:`OpenerError`.

    Its input and output go to /dev/null (the screen belongs to the app), it
    runs in a session of its own (a ctrl-c in the app is not its signal),
    and a daemon thread waits for it so it never lingers as a zombie.
    """
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError as exc:
        name = clean_line(os.path.basename(argv[0]))[:60]
        raise OpenerError(f"cannot start {name}: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL byte in an argument
        raise OpenerError(f"cannot start the opener: {clean_line(str(exc))}") from None
    threading.Thread(target=process.wait, name="opener-reaper", daemon=True).start()


class OpenerTable:
    """The openers of one config file, read again only when the file changes.

    :meth:`lookup` hands out each problem once per version of the file, so a
    screen says it once instead of at every key press.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int, int] | None = None
        self._openers: list[Opener] = []
        self._unreported: list[str] = []
        self._lock = threading.Lock()

    def _stat(self) -> tuple[int, int, int]:
        try:
            info = os.stat(self.path)
        except OSError:
            return (0, 0, 0)
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def _reload(self) -> None:
        stamp = self._stat()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            document = read_document(self.path)
        except FeedConfigError as exc:
            self._openers, problems = [], [f"openers not read: {exc}"]
        else:
            self._openers, problems = openers_from_document(document, self.path)
        self._unreported = problems

    def lookup(self, url: str) -> tuple[Opener | None, list[str]]:
        """The opener for ``url`` (None: the browser) and the problems not yet reported."""
        with self._lock:
            self._reload()
            problems, self._unreported = self._unreported, []
            return find(self._openers, url), problems
