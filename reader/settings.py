"""Small remembered preferences (the list's sort), kept as JSON in the data dir."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from reader import atomic
from reader.library import SortKey


@dataclass
class Settings:
    """Preferences that carry over to the next start."""

    sort: SortKey = SortKey.DATE
    """The list's order."""
    reverse: bool = False
    """Whether that order is flipped."""


def load_settings(path: Path) -> Settings:
    """Read the settings; a missing or damaged file gives the defaults."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        reverse = data.get("reverse", False)
        if not isinstance(
            reverse, bool
        ):  # bool("false") is True: a damaged value gives the default
            reverse = False
        return Settings(sort=SortKey(data.get("sort", "date")), reverse=reverse)
    except (OSError, ValueError, TypeError, AttributeError):
        return Settings()


def save_settings(path: Path, settings: Settings) -> bool:
    """Write the settings atomically; False when the data dir cannot be written."""
    data = asdict(settings) | {"sort": settings.sort.value}
    try:
        atomic.write_text(path, json.dumps(data, indent=2) + "\n")
    except OSError:
        return False
    return True
