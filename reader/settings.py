"""Small remembered preferences (the list's sort), kept as JSON in the data dir."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, replace
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


class SettingsSaver:
    """Writes the settings in a thread of its own, the latest value last.

    An atomic write waits for the disk (``fsync``): on a disk busy with a big
    cache's index, the first ``s`` after the start waited 0.4 s for it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._idle = threading.Condition()
        self._pending: Settings | None = None
        self._writing = False

    def save(self, settings: Settings) -> None:
        """Write (a copy of) ``settings`` soon; a value saved meanwhile replaces one not yet
        written."""
        with self._idle:
            self._pending = replace(settings)
            if self._writing:
                return
            self._writing = True
        threading.Thread(target=self._write_all, name="newsreader-settings", daemon=True).start()

    def flush(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the writes asked for; returns whether they are
        done (the reader waits for them as it closes)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._writing, timeout)

    def _write_all(self) -> None:
        while True:
            with self._idle:
                settings, self._pending = self._pending, None
                if settings is None:
                    self._writing = False
                    self._idle.notify_all()
                    return
            save_settings(self.path, settings)
