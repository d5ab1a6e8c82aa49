"""config.toml's ``check``: how a start and ``newsreader list`` look for changed files.

- ``"every"`` (the default): every file's size and time is compared with the
  index. Every change is found; at a million files that is a few seconds. A
  start on a big index finds what folder times tell first, and compares every
  file behind the screen after (see :mod:`reader.components.every_check`);
  the commands (``list``, ``mark``, ``show``, ``import``...), which have no
  "after", answer from that first look (``list --check-every`` and ``check``
  from every file).
- ``"folders"``: only the folders whose time changed since the last check are
  listed (see :func:`reader.filecheck.folders_compare`). New, removed and
  renamed files, and files replaced whole, are found in a blink whatever the
  cache's size; a file edited in place is not, until a check of every file
  (the open reader's watcher still sees one edited while it runs).

Stdlib only: the entry point reads it before the program is imported (see
:mod:`reader.early_check`), to start the right check at once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

EVERY = "every"
FOLDERS = "folders"
CHOICES = (EVERY, FOLDERS)
KEY = "check"


def parse_check(document: Mapping[str, Any], problems: list[tuple[tuple[str], str]]) -> str:
    """The ``check`` value of a parsed config; a wrong one adds ``(path, message)`` to
    ``problems`` and gives the default."""
    value = document.get(KEY, EVERY)
    if value in CHOICES:
        return value
    problems.append(((KEY,), f'wants "{EVERY}" or "{FOLDERS}", not {value!r}'))
    return EVERY


MAX_BYTES = 1024 * 1024
"""A bigger file is no config (:mod:`reader.config.load` says so): the default then."""


def by_folders(config_path: Path) -> bool:
    """Whether the config file at ``config_path`` says ``check = "folders"`` (a missing, unreadable
    or broken file: no, as the reader then uses every default)."""
    try:
        with config_path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES or KEY.encode() not in raw:
            return False
        return tomllib.loads(raw.decode("utf-8")).get(KEY) == FOLDERS
    except (OSError, ValueError):  # TOMLDecodeError and UnicodeDecodeError are ValueErrors
        return False
