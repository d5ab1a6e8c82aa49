"""A ``terminal = true`` opener in a real pseudo-terminal: the app suspends, the program
gets the terminal, and the reader comes back where it was.

The "pager" is a script that says it is ready, reads a line typed on the
terminal, records what it saw (its arguments, whether its stdio is the
terminal, whether it is in the foreground and in cooked mode) and exits.
"""

from __future__ import annotations

import ast
import fcntl
import os
import pty
import re
import stat
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article

from reader.paths import resolve

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="runs the reader in a Linux pseudo-terminal"
)

FIRST_URL = "https://news.example.com/zebrafish"
SECOND_URL = "https://news.example.com/quokka"
READY = b"PAGER-READY"
CSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")
"""A terminal control sequence (colours, cursor moves) between the words on the screen."""

PAGER = """\
import os, sys, termios
terminal = all(os.isatty(fd) for fd in (0, 1, 2))
foreground = os.tcgetpgrp(0) == os.getpgrp()
cooked = bool(termios.tcgetattr(0)[3] & termios.ICANON)
sys.stdout.write("PAGER-READY\\n")
sys.stdout.flush()
line = sys.stdin.readline().strip()
with open(MARKER, "a") as f:
    f.write(repr([sys.argv[1:], terminal, foreground, cooked, line]) + "\\n")
sys.exit(3 if line == "fail" else 0)
"""


def _controlling_terminal() -> None:
    """In the child, after ``setsid``: make stdin (the pty) the session's terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """``python -m reader`` in a pseudo-terminal of 120x40, its output collected."""

    def __init__(self, cache: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", PYTHONPATH=os.pathsep.join(sys.path))
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reader", "--cache-dir", str(cache)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            # As in a real terminal, the pty is its controlling terminal and it is in the
            # foreground: the pager must find itself there too.
            preexec_fn=_controlling_terminal,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._reading = threading.Thread(target=self._read, daemon=True)
        self._reading.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.output += data

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_for(self, text: bytes, start: int = 0, timeout: float = 60) -> int:
        """Wait until ``text`` is in the output after ``start``; return where it ends."""
        deadline = time.monotonic() + timeout
        while (found := self.output.find(text, start)) < 0:
            assert self.process.poll() is None, f"the reader exited: {bytes(self.output[-800:])!r}"
            assert time.monotonic() < deadline, f"no {text!r} on the screen in {timeout} s"
            time.sleep(0.05)
        return found + len(text)

    def wait_for_text(self, text: bytes, start: int, timeout: float = 60) -> None:
        """Wait until ``text`` is on the screen after ``start``, styles between its words or not."""
        deadline = time.monotonic() + timeout
        while text not in CSI.sub(b"", bytes(self.output[start:])):
            assert self.process.poll() is None, f"the reader exited: {bytes(self.output[-800:])!r}"
            assert time.monotonic() < deadline, f"no {text!r} on the screen in {timeout} s"
            time.sleep(0.05)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
        self._reading.join(timeout=5)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    """Two articles and a terminal opener for them; returns (cache, marker file)."""
    cache = tmp_path / "cache"
    folder = cache / "feeds" / "news.example.com"
    for name, title, url, day in (
        ("zebrafish.md", "Zebrafish regrow hearts", FIRST_URL, 26),
        ("quokka.md", "Quokka census complete", SECOND_URL, 25),
    ):
        write_article(
            folder,
            name,
            "Body text.",
            title=title,
            webUrl=url,
            publishedDateTime=f"2026-11-{day}T10:00:00Z",
            provider={"name": "Example News", "domain": "news.example.com"},
        )
    marker = tmp_path / "pager.log"
    pager = tmp_path / "pager.py"
    pager.write_text(f"#!{sys.executable}\nMARKER = {str(marker)!r}\n{PAGER}")
    pager.chmod(pager.stat().st_mode | stat.S_IXUSR)
    config = resolve(cache).feeds_config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f"[[openers]]\nmatch = '^https://news\\.example\\.com/'\n"
        f"command = [{str(pager)!r}, '--url', '{{url}}']\nterminal = true\n",
        encoding="utf-8",
    )
    return cache, marker


@pytest.fixture
def terminal(setup: tuple[Path, Path]) -> Iterator[Terminal]:
    started = Terminal(setup[0])
    try:
        yield started
    finally:
        started.close()


def _records(marker: Path, count: int, timeout: float = 30) -> list[list]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = marker.read_text().splitlines() if marker.exists() else []
        if len(lines) >= count:
            return [ast.literal_eval(line) for line in lines]
        time.sleep(0.05)
    raise AssertionError(f"the pager wrote {marker.read_text() if marker.exists() else 'nothing'}")


def test_a_terminal_opener_gets_the_terminal_and_the_reader_resumes_where_it_was(
    terminal: Terminal, setup: tuple[Path, Path]
) -> None:
    _, marker = setup
    terminal.wait_for(b"Quokka")
    terminal.type(b"j")  # the second article
    time.sleep(0.5)
    start = len(terminal.output)
    pressed = time.monotonic()
    terminal.type(b"o")
    ready = terminal.wait_for(READY, start)
    handed_over = time.monotonic() - pressed
    suspended = bytes(terminal.output[start:ready])
    assert b"\x1b[?1049l" in suspended, "the app did not leave the alternate screen"
    terminal.type(b"typed in the pager\r")
    first = _records(marker, 1)
    exited = time.monotonic()
    assert first == [[["--url", SECOND_URL], True, True, True, "typed in the pager"]]
    # Back in the app: the alternate screen again, and the whole screen painted again.
    after = terminal.wait_for(b"\x1b[?1049h", ready)
    terminal.wait_for(b"Quokka", after)
    terminal.wait_for(b"Zebrafish", after)
    repainted = time.monotonic() - exited

    # The same article is still highlighted: `o` opens it again; a failure is one line.
    start = len(terminal.output)
    terminal.type(b"o")
    ready = terminal.wait_for(READY, start)
    terminal.type(b"fail\r")
    assert _records(marker, 2)[1] == [["--url", SECOND_URL], True, True, True, "fail"]
    terminal.wait_for_text(b"pager.py exited with status 3", ready)

    # The reader view: `o` there hands over the terminal and comes back to the view.
    terminal.type(b"\r")
    terminal.wait_for(b"2 of 2", ready)
    start = len(terminal.output)
    terminal.type(b"o")
    ready = terminal.wait_for(READY, start)
    terminal.type(b"\r")
    assert _records(marker, 3)[2] == [["--url", SECOND_URL], True, True, True, ""]
    after = terminal.wait_for(b"\x1b[?1049h", ready)
    terminal.wait_for(b"2 of 2", after)
    time.sleep(0.3)

    terminal.type(b"\x1b")  # back to the list
    time.sleep(0.5)
    start = len(terminal.output)
    terminal.type(b"q")
    terminal.process.wait(timeout=30)
    assert terminal.process.returncode == 0
    assert b"\x1b[?1049l" in bytes(terminal.output[start:])
    assert b"Traceback" not in terminal.output
    print(
        f"o to the pager: {handed_over:.2f} s; pager exit to the list repainted: {repainted:.2f} s"
    )
