"""Real storage failures for tests: a tiny disk that fills up, a file another process holds, an
immutable file.

Each needs root (mount, chattr) or another process; a helper that cannot set its condition up
skips the test and says why, rather than test a pretend failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


@contextmanager
def tiny_disk(folder: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (created), unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full disk needs a tmpfs mount, which needs root")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.skip(f"mounting a tmpfs was refused: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path) -> Path:
    """Fill ``disk`` up with one file (returned: delete it to free the space)."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as out:
        for chunk in (65536, 4096, 512, 1):  # the last few blocks too
            with suppress(OSError):
                while True:
                    out.write(b"\0" * chunk)
    assert os.statvfs(disk).f_bavail == 0
    return filler


@contextmanager
def held(database: Path) -> Iterator[None]:
    """Another process holding ``database`` in ``BEGIN EXCLUSIVE`` for the duration."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``chattr +i`` on ``path`` (root ignores permission bits, not this), undone afterwards."""
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("a file root cannot write needs chattr +i, which needs root")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"chattr +i was refused here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


@contextmanager
def unwritable_folder(folder: Path) -> Iterator[None]:
    """``folder`` refusing new files: ``chmod 500`` for a user, ``chattr +i`` for root."""
    if os.geteuid() == 0:
        with immutable(folder):
            yield
        return
    folder.chmod(0o500)
    try:
        yield
    finally:
        folder.chmod(0o700)
