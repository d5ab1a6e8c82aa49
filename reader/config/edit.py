"""Change config.toml the way a person would: their comments, order and blank lines stay.

Written with tomlkit (style-preserving) and atomically, so a crash leaves
the old file or the new one, never half of each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.toml_document import TOMLDocument

from reader.atomic import write_text


class ConfigWriteError(Exception):
    """The config file cannot be changed; ``str()`` is a one-line reason."""


def update(path: Path, change: Callable[[TOMLDocument], None]) -> None:
    """Read ``path`` (absent: empty), let ``change`` edit the document, write it back."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise ConfigWriteError(f"cannot read {path}: {reason}") from None
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigWriteError(f"{path} is not valid TOML, left as it is: {exc}") from None
    change(document)
    try:
        write_text(path, tomlkit.dumps(document))
    except OSError as exc:
        raise ConfigWriteError(f"cannot write {path}: {exc.strerror or exc}") from None


def set_value(path: Path, keys: tuple[str, ...], value: Any) -> None:
    """Set one value (``("theme",)`` or ``("list", "date")``), creating tables on the way."""

    def change(document: TOMLDocument) -> None:
        table: Any = document
        for key in keys[:-1]:
            if key not in table:
                table[key] = tomlkit.table()
            table = table[key]
        table[keys[-1]] = value

    update(path, change)
