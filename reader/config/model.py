"""What config.toml says, as plain values: one frozen :class:`Config` and its problems.

No Textual: the app, the command line and the checks read the same object.
Each section's parser lives in its own module of this package and appends a
:class:`Problem` for each thing it cannot use, keeping the default for that key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reader import check_setting
from reader.config.keys import KeySettings
from reader.config.list_settings import ListSettings

Path = tuple[str | int, ...]
"""Where a value is in the document: ``("list", "columns")``, ``("openers", 0, "match")``."""


@dataclass(frozen=True)
class Problem:
    """One thing in the file the reader cannot use; the default stands in for it."""

    path: Path
    """The key it is about (empty: the whole file)."""
    message: str
    """One line, without the file name or the line number."""
    line: int | None = None
    """1-based line in the file, when the key could be found there."""


@dataclass(frozen=True)
class Config:
    """Every setting in force (defaults where the file is silent or wrong)."""

    theme: str = "textual-dark"
    """Any Textual theme name; the command palette's choice is written back here."""
    list: ListSettings = field(default_factory=ListSettings)
    """The article list's columns and date style, and the pane widths."""
    keys: KeySettings = field(default_factory=KeySettings)
    """Key remaps from ``[keys]``: action name -> the keys that now run it."""
    hide: tuple[str, ...] = ()
    """Search-language queries whose matches are hidden everywhere."""
    sync_dir: str = ""
    """The folder read marks, stars, searches and feeds are synced through ("": none)."""
    check: str = check_setting.EVERY
    """How changed files are found: ``every`` file, or only in changed ``folders`` (see
    :mod:`reader.check_setting`)."""

    @property
    def by_folders(self) -> bool:
        """Whether changed files are looked for only in folders whose time changed."""
        return self.check == check_setting.FOLDERS


@dataclass(frozen=True)
class LoadedConfig:
    """A config file as read: the settings, what was wrong, and the text (for line lookups)."""

    config: Config = field(default_factory=Config)
    problems: tuple[Problem, ...] = ()
    document: dict[str, Any] = field(default_factory=dict)
    text: str = ""
