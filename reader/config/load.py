"""Read config.toml once into a :class:`Config`: fast (stdlib ``tomllib``), never fatal.

A file that cannot be read or parsed gives the defaults and one problem; a
section that is wrong keeps the defaults for its wrong keys only. Every
problem gets the line it is about (:mod:`reader.config.lines`), looked up
only when there is one.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from reader.check_setting import parse_check
from reader.config.hide import parse_hide
from reader.config.keys import parse_keys
from reader.config.lines import error_line, with_lines
from reader.config.list_settings import parse_list
from reader.config.model import Config, LoadedConfig, Problem
from reader.config.model import Path as KeyPath
from reader.config.sync_setting import parse_sync_dir
from reader.config.theme import parse_theme

MAX_CONFIG_BYTES = 1024 * 1024

TOP_LEVEL_KEYS = frozenset(
    {
        "theme",
        "hide",
        "refresh_minutes",
        "keep_days",
        "max_items",
        "prune_unread",
        "feeds",
        "topics",
        "openers",
        "keys",
        "list",
        "sync_dir",
        "check",
    }
)
"""Every key config.toml may hold at its top level; a new section is one line here."""


def load_config(path: Path, *, every_section: bool = True) -> LoadedConfig:
    """The settings in ``path`` (an absent file: every default, no problem).

    ``every_section=False`` leaves out the problems of the sections read
    elsewhere (feeds, topics, openers), whose cost grows with the feed list:
    the reader starts without them and adds them later (:func:`with_every_problem`).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadedConfig()
    except OSError as exc:
        return LoadedConfig(problems=(Problem((), f"cannot read it: {exc.strerror or exc}"),))
    if len(raw) > MAX_CONFIG_BYTES:
        return LoadedConfig(problems=(Problem((), "larger than 1 MiB; is it the config file?"),))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return LoadedConfig(problems=(Problem((), "not UTF-8 text", line),))
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = _ERROR_PLACE.sub("", str(exc))
        problem = Problem((), f"not valid TOML: {message}", error_line(str(exc), text))
        return LoadedConfig(problems=(problem,), text=text)
    problems: list[Problem] = []
    config = Config(
        theme=parse_theme(document, problems),
        list=parse_list(document, problems),
        keys=parse_keys(document, problems),
        hide=parse_hide(document, problems),
        sync_dir=parse_sync_dir(document, problems),
        check=_check(document, problems),
    )
    problems += unknown_keys(document)
    problems += policy_problems(document)
    loaded = LoadedConfig(config, placed(problems, text), document, text)
    return with_every_problem(loaded, path) if every_section else loaded


def _check(document: dict[str, Any], problems: list[Problem]) -> str:
    found: list[tuple[tuple[str], str]] = []
    value = parse_check(document, found)
    problems += [Problem(path, message) for path, message in found]
    return value


def with_every_problem(loaded: LoadedConfig, path: Path) -> LoadedConfig:
    """``loaded`` with the problems of the feeds, topics and openers sections added."""
    if not loaded.document:
        return loaded
    problems = [*loaded.problems, *older_sections(loaded.document, path)]
    return replace(loaded, problems=placed(problems, loaded.text))


def placed(problems: list[Problem], text: str) -> tuple[Problem, ...]:
    """``problems`` with their lines, in the order of the file."""
    found = with_lines(problems, text)
    return tuple(sorted(found, key=lambda p: (p.line is None, p.line or 0)))


_ERROR_PLACE = re.compile(r" \(at (line \d+, column \d+|end of document)\)")


def unknown_keys(document: dict[str, Any]) -> list[Problem]:
    """A problem for each top-level key the reader does not know (a typo, an old name)."""
    return [unknown(key, TOP_LEVEL_KEYS, (key,)) for key in document if key not in TOP_LEVEL_KEYS]


def unknown(key: str, known: Iterable[str], path: KeyPath) -> Problem:
    """The problem of an unknown key, naming the known one it looks like (a typo)."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    hint = f"did you mean {close[0]!r}?" if close else "left out"
    return Problem(path, f"unknown key {key!r} ({hint})")


def policy_problems(document: dict[str, Any]) -> list[Problem]:
    """The top-level refresh and prune settings (read by the feed code) that cannot be used."""
    from reader.feeds.policy import checked_policy_values

    return [Problem((key,), reason) for key, reason in checked_policy_values(document)[1]]


def older_sections(document: dict[str, Any], path: Path) -> list[Problem]:
    """The problems of the sections read elsewhere: feeds, topics, openers.

    Their own readers use them as before; this reports every problem at once
    with its place, for ``newsreader config --check`` and the start-up line.
    """
    from reader.feeds.config import checked_feeds
    from reader.openers import parse_openers
    from reader.topic_names import topic_names_from_document

    problems = [Problem(where, reason) for where, reason in checked_feeds(document, True)[1]]
    topics = document.get("topics")
    if isinstance(topics, dict):
        problems += [unknown(key, {"rename"}, ("topics", key)) for key in topics if key != "rename"]
    _, warning = topic_names_from_document(document, path)
    if warning:
        where = ("topics",) if "[topics] must be a table" in warning else ("topics", "rename")
        problems.append(Problem(where, _without_path(warning, path)))
    parse_openers(document, problems)  # each problem with its key's path
    return problems


def _without_path(message: str, path: Path) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
