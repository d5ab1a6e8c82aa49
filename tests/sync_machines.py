"""Simulated machines sharing one sync folder: separate data and config dirs, one process.

Each machine's clock can be set apart (a clock running ahead) by giving it an
offset: its stamps are taken with ``reader.sync.clock.now_ms`` shifted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.paths import Locations
from reader.state import SavedView, StateStore
from reader.sync import clock
from reader.sync.run import Report, sync_once

REAL_NOW = clock.now_ms


@dataclass
class Machine:
    """One simulated machine: its own state file and config, the shared folder."""

    name: str
    locations: Locations
    shared: Path
    monkeypatch: pytest.MonkeyPatch
    offset_ms: int = 0
    at_ms: int | None = None
    """A stopped clock reading this (two machines at the very same instant)."""

    @contextmanager
    def clock(self) -> Iterator[None]:
        """Stamps made inside run on this machine's clock (its offset from real time)."""
        reading = (lambda: self.at_ms) if self.at_ms is not None else REAL_NOW
        self.monkeypatch.setattr(clock, "now_ms", lambda: reading() + self.offset_ms)
        try:
            yield
        finally:
            self.monkeypatch.setattr(clock, "now_ms", REAL_NOW)

    def state(self) -> StateStore:
        return StateStore(self.locations.state_path)

    def change(self, action: str, *args: object) -> None:
        """Run one StateStore method (``set_read``, ``toggle_star``, ``save_view``...) here."""
        with self.clock():
            store = self.state()
            getattr(store, action)(*args)
            assert not store.close()

    def sync(self) -> Report:
        with self.clock():
            return sync_once(self.locations, self.shared)

    def marks(self) -> tuple[set[str], set[str], list[SavedView]]:
        store = self.state()
        try:
            return set(store.read), set(store.starred), store.views()
        finally:
            store.close()


def make_machines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *names: str
) -> tuple[Path, list[Machine]]:
    shared = tmp_path / "shared"
    shared.mkdir()
    machines = []
    for name in names:
        base = tmp_path / name
        where = Locations(cache=base / "cache", config=base / "config", data=base / "data")
        machines.append(Machine(name, where, shared, monkeypatch))
    return shared, machines
