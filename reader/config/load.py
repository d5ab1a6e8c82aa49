"""Read config.toml once into a :class:`Config`: fast (stdlib ``tomllib``), never fatal.

A file that cannot be read or parsed gives the defaults and one problem; a
section that is wrong keeps the defaults for its wrong keys only.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from reader.config.hide import parse_hide
from reader.config.keys import parse_keys
from reader.config.list_settings import parse_list
from reader.config.model import Config, LoadedConfig, Problem
from reader.config.theme import parse_theme

MAX_CONFIG_BYTES = 1024 * 1024


def load_config(path: Path) -> LoadedConfig:
    """The settings in ``path`` (an absent file: every default, no problem)."""
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
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        return LoadedConfig(problems=(Problem((), "not UTF-8 text"),))
    except tomllib.TOMLDecodeError as exc:
        return LoadedConfig(problems=(Problem((), f"not valid TOML: {exc}"),), text=text)
    problems: list[Problem] = []
    config = Config(
        theme=parse_theme(document, problems),
        list=parse_list(document, problems),
        keys=parse_keys(document, problems),
        hide=parse_hide(document, problems),
    )
    return LoadedConfig(config, tuple(problems), document, text)
