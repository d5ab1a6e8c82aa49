"""Simulated machines for the command line: each its own config, data and cache folders.

Each machine is its own config, data and cache folders (the XDG variables a
real second computer would have differently) holding the same articles; the
only thing they share is the sync folder, as a sync tool would keep it.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conftest import RunCli, write_article


@dataclass
class Machine:
    """One simulated computer: its own folders, the same articles."""

    run_cli: RunCli
    home: Path

    @property
    def cache(self) -> Path:
        return self.home / "cache"

    @property
    def config_path(self) -> Path:
        return self.home / "config" / "newsreader" / "config.toml"

    def env(self) -> dict[str, str]:
        return {
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_DATA_HOME": str(self.home / "data"),
            "XDG_STATE_HOME": str(self.home / "state"),
            "HOME": str(self.home),
        }

    def run(self, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return self.run_cli("--cache-dir", self.cache, *args, env=self.env(), cwd=cwd)

    def ok(self, *args: str | Path) -> subprocess.CompletedProcess:
        done = self.run(*args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        return done

    def listed(self, query: str) -> list[str]:
        done = self.ok("list", query)
        return sorted(re.split(r"\s{2,}", row.strip())[-1] for row in done.stdout.splitlines())


def write_articles(cache: Path) -> None:
    write_article(
        cache,
        "speech.md",
        title="Speech benchmark",
        originalUrl="https://lab.example/speech",
        topics=["AI"],
    )
    write_article(
        cache,
        "ethics.md",
        title="Machine ethics panel",
        originalUrl="https://ethics.example/panel",
        topics=["AI"],
    )
    write_article(
        cache,
        "ferries.md",
        title="Autonomous ferries",
        originalUrl="https://example.com/ferries",
        topics=["Transport"],
    )


def two_machines(run_cli: RunCli, tmp_path: Path) -> tuple[Machine, Machine]:
    pair = Machine(run_cli, tmp_path / "a"), Machine(run_cli, tmp_path / "b")
    for machine in pair:
        write_articles(machine.cache)
    return pair


def both_syncing(machines: tuple[Machine, Machine], tmp_path: Path) -> Path:
    """Point both machines at one new sync folder (``sync --dir``); returns the folder."""
    shared = tmp_path / "shared"
    for machine in machines:
        machine.ok("sync", "--dir", shared)
    return shared


def one_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]
