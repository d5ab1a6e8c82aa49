"""Change config.toml the way a person would: their comments, order and blank lines stay.

Written with tomlkit (style-preserving) and atomically, so a crash leaves
the old file or the new one, never half of each.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table
from tomlkit.toml_document import TOMLDocument

from reader.atomic import write_text
from reader.config.load import MAX_CONFIG_BYTES
from reader.sanitize import clean_line


class ConfigWriteError(Exception):
    """The config file cannot be changed; ``str()`` is a one-line reason."""


def update(path: Path, change: Callable[[TOMLDocument], None]) -> None:
    """Read ``path`` (absent: empty), let ``change`` edit the document, write it back.

    A file that is not valid TOML is never written over, and neither is one
    whose new text would not read back (tomllib, the reader's own parser, checks it).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = b""
    except OSError as exc:
        raise ConfigWriteError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigWriteError(f"{path} is larger than 1 MiB; is it really the config file?")
    try:
        text = raw.decode("utf-8")
        tomllib.loads(text)
        document = tomlkit.parse(text)
    except UnicodeDecodeError:
        raise ConfigWriteError(f"{path} is not UTF-8 text, left as it is") from None
    except (tomllib.TOMLDecodeError, TOMLKitError) as exc:
        reason = clean_line(str(exc))
        raise ConfigWriteError(f"{path} is not valid TOML, left as it is: {reason}") from None
    try:
        change(document)
        new_text = tomlkit.dumps(document)
    except TOMLKitError as exc:  # a shape the change cannot make sense of; nothing written
        raise ConfigWriteError(f"cannot change {path}: {clean_line(str(exc))}") from None
    try:
        tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:  # a bug here, never the person's file
        raise ConfigWriteError(f"cannot write {path}: {clean_line(str(exc))}") from None
    try:
        write_text(path, new_text)
    except OSError as exc:
        raise ConfigWriteError(f"cannot write {path}: {exc.strerror or exc}") from None


def set_value(path: Path, keys: tuple[str, ...], value: Any) -> None:
    """Set one value (``("theme",)`` or ``("list", "date")``), creating tables on the way."""

    def change(document: TOMLDocument) -> None:
        table: Any = document
        for depth, key in enumerate(keys[:-1], start=1):
            if key not in table:
                table[key] = tomlkit.table()
            table = table[key]
            if not isinstance(table, dict):
                where = ".".join(keys[:depth])
                raise ConfigWriteError(
                    f"cannot set {'.'.join(keys)} in {path}: {where} is not a table"
                )
        if keys[-1] not in table and _insert_after_last_value(table, keys[-1], value):
            return
        table[keys[-1]] = value

    update(path, change)


def _insert_after_last_value(container: Any, key: str, value: Any) -> bool:
    """Put a new plain key just after the last one written above the first table.

    tomlkit would put it right above the first table, below the comments that
    introduce that table. False when there is no such place (tomlkit decides).
    """
    if isinstance(value, dict) or not hasattr(container, "body"):
        return False
    body = container.body
    first_table = next(
        (i for i, (name, item) in enumerate(body) if isinstance(item, (Table, AoT))), None
    )
    if first_table is None:
        return False
    last_value = max(
        (i for i, (name, _) in enumerate(body[:first_table]) if name is not None), default=None
    )
    if last_value is None:
        return False
    try:
        container._insert_at(last_value + 1, key, value)  # noqa: SLF001 - no public way
    except (AttributeError, TypeError, TOMLKitError):
        return False
    return True
