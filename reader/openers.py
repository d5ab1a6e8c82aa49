"""Per-URL openers: ``[[openers]]`` in config.toml runs a program instead of the browser.

::

    [[openers]]
    match = '\\.(mp3|m4a|ogg|opus|mp4|webm)$'
    command = ["mpv", "{url}"]

    [[openers]]
    match = '^https://lwn\\.net/'
    command = ["w3m", "{url}"]
    terminal = true

The first table whose ``match`` (a regular expression searched in the URL)
matches wins; its ``command`` is run as an argument list, never through a
shell, with ``{url}`` replaced by the URL (or the URL appended when no
argument holds ``{url}``). No match: the browser, as before. Only http(s)
URLs ever reach here (see :func:`reader.browser.check_url`).

A plain opener starts detached (:func:`launch`); a ``terminal = true`` one
is given the terminal while the app is suspended (:func:`run_in_terminal`,
called by the app between Textual's suspend and resume), and is not run at
all where the terminal cannot be handed over (a web or headless session).

A bad table is left out with a one-line reason and the others still work;
the configuration is read again only when the file changes. Plain Python:
no Textual.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.config.model import Problem
from reader.feeds.config import FeedConfigError, read_document
from reader.sanitize import clean_line

URL_FIELD = "{url}"
"""The placeholder in a command's arguments that becomes the URL."""


class OpenerError(Exception):
    """A command could not be started; ``str()`` is a one-line reason."""


OPENER_KEYS = ("match", "command", "terminal")
"""The keys an ``[[openers]]`` table may hold; any other is reported (a typo, most likely)."""


@dataclass(frozen=True)
class Opener:
    """One ``[[openers]]`` table: which URLs, and the command that opens them."""

    pattern: re.Pattern[str]
    command: tuple[str, ...]
    terminal: bool = False
    """Run in the foreground with the app suspended (w3m, lynx, less), not detached."""

    @property
    def name(self) -> str:
        """The program's name, for messages (``mpv``)."""
        return _shown(self.command[0])

    def argv(self, url: str) -> list[str]:
        """The command for ``url``: ``{url}`` replaced, or the URL appended."""
        if not any(URL_FIELD in arg for arg in self.command):
            return [*self.command, url]
        return [arg.replace(URL_FIELD, url) for arg in self.command]


def parse_openers(document: dict[str, Any], problems: list[Problem]) -> list[Opener]:
    """The valid ``[[openers]]`` of a parsed config; a :class:`Problem` for each bad one.

    Each problem's path names the table (0-based, as in the document) and the
    key at fault, and its message the table's number as people count
    (``openers #2``), so it reads well with or without a line number. A bad
    table is left out whole: half an opener would run the wrong program. An
    unknown key is reported but keeps its table.
    """
    raw = document.get("openers", [])
    if not isinstance(raw, list):
        problems.append(Problem(("openers",), "'openers' must be an array of tables ([[openers]])"))
        return []
    openers: list[Opener] = []
    for index, table in enumerate(raw):
        label = f"openers #{index + 1}"
        try:
            openers.append(_opener(table))
        except _BadKey as exc:
            path = ("openers", index, exc.key) if exc.key else ("openers", index)
            problems.append(Problem(path, f"{label} left out: {exc.reason}"))
            continue
        for key in table:
            if key not in OPENER_KEYS:
                known = ", ".join(OPENER_KEYS)
                message = f"{label}: unknown key {clean_line(key)[:40]!r} ignored (known: {known})"
                problems.append(Problem(("openers", index, key), message))
    return openers


def openers_from_document(document: dict[str, Any], path: Path) -> tuple[list[Opener], list[str]]:
    """:func:`parse_openers` with each problem as one line that starts with the file's name.

    ``config.toml: openers #2 left out: 'terminal' must be true or false``.
    """
    found: list[Problem] = []
    openers = parse_openers(document, found)
    return openers, [f"{path}: {problem.message}" for problem in found]


class _BadKey(ValueError):
    """Why a table cannot be used, and the key at fault ("" for the table itself)."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason


def _opener(table: object) -> Opener:
    if not isinstance(table, dict):
        raise _BadKey("", "not a table")
    match = table.get("match")
    if not isinstance(match, str) or not match:
        raise _BadKey("match", "'match' must be a non-empty string (a regular expression)")
    try:
        pattern = re.compile(match)
    except re.error as exc:
        reason = f"'match' is not a valid regular expression: {clean_line(str(exc))}"
        raise _BadKey("match", reason) from None
    command = table.get("command")
    if (
        not isinstance(command, list)
        or not command
        or not all(isinstance(arg, str) for arg in command)
        or not command[0].strip()
    ):
        reason = '\'command\' must be a non-empty list of strings, e.g. ["mpv", "{url}"]'
        raise _BadKey("command", reason)
    terminal = table.get("terminal", False)
    if not isinstance(terminal, bool):
        raise _BadKey("terminal", "'terminal' must be true or false")
    return Opener(pattern, tuple(command), terminal)


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
        raise OpenerError(f"cannot start {_shown(argv[0])}: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL byte in an argument
        raise OpenerError(f"cannot start the opener: {clean_line(str(exc))}") from None
    threading.Thread(target=process.wait, name="opener-reaper", daemon=True).start()


def missing_program(argv: list[str]) -> str | None:
    """Why ``argv[0]`` cannot be run (not found, not executable), or None.

    Asked before the app hands over the terminal, so a typo in the command
    is one line instead of a flash of the shell screen.
    """
    if shutil.which(argv[0]) is not None:
        return None
    return f"cannot start {_shown(argv[0])}: not found, or not executable"


def run_in_terminal(argv: list[str]) -> str | None:
    """Run ``argv`` in the foreground on the inherited terminal; a one-line problem, or None.

    For ``terminal = true`` openers, between the app's suspend and resume: the
    program gets stdin, stdout and stderr as they are, in the app's process
    group, so it reads keys and ctrl-c reaches it. A ctrl-c or ctrl-\\ meant
    for the program also reaches this process (one process group): while it
    runs, they do nothing here (a handler, not SIG_IGN, which the program
    would inherit). Never raises, so the caller always resumes the app.
    """
    saved = _quiet_signals()
    try:
        try:
            process = subprocess.Popen(argv, close_fds=True)
        except OSError as exc:
            return f"cannot start {_shown(argv[0])}: {exc.strerror or exc}"
        except ValueError as exc:  # a NUL byte in an argument
            return f"cannot start the opener: {clean_line(str(exc))}"
        code = process.wait()
    finally:
        _restore_signals(saved)
    return exit_problem(_shown(argv[0]), code)


def exit_problem(name: str, code: int) -> str | None:
    """One line for a program's exit status (None when it succeeded)."""
    if code == 0:
        return None
    if code < 0:
        try:
            signame = signal.Signals(-code).name
        except ValueError:
            signame = f"signal {-code}"
        return f"{name} was ended by {signame}"
    return f"{name} exited with status {code}"


def _shown(program: str) -> str:
    return clean_line(os.path.basename(program) or program)[:60]


_QUIET = ("SIGINT", "SIGQUIT")
"""The terminal's signals to the whole foreground group that are the program's, not the app's."""


def _quiet_signals() -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}  # signal handlers can only be set on the main thread
    saved = {}
    for name in _QUIET:
        number = getattr(signal, name, None)
        if number is not None:
            saved[number] = signal.signal(number, _ignore)
    return saved


def _restore_signals(saved: dict[int, Any]) -> None:
    for number, handler in saved.items():
        signal.signal(number, handler)


def _ignore(signum: int, frame: object) -> None:
    """Swallows a signal that was the foreground program's (see :func:`run_in_terminal`)."""


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
