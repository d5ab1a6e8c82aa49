"""``newsreader serve`` running in a subprocess, for the command-line and browser tests."""

from __future__ import annotations

import os
import re
import selectors
import signal
import socket
import subprocess
import sys
from pathlib import Path

URL_LINE = re.compile(r"^Open (http://\S+/\?token=(\S+)) in a browser; Ctrl-C stops$")
"""The line ``serve`` prints once it listens."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """``python -m reader --cache-dir CACHE serve --port PORT`` running, and its printed URL."""

    def __init__(self, cache: Path, port: int | None = None, timeout: float = 30.0) -> None:
        self.port = free_port() if port is None else port
        command = [sys.executable, "-m", "reader", "--cache-dir", str(cache), "serve"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=dict(os.environ),
        )
        self.first_line = self._first_line(timeout)
        match = URL_LINE.match(self.first_line)
        assert match, self.first_line
        self.url, self.token = match.group(1), match.group(2)
        self.port = int(self.url.split(":")[2].split("/")[0])  # port 0: the one it took
        self.base = f"http://127.0.0.1:{self.port}"

    def _first_line(self, timeout: float) -> str:
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                self.stop()
                raise AssertionError(f"serve printed nothing in {timeout} s")
        line = self.process.stdout.readline().rstrip("\n")
        if not line:
            _, err = self.stop()
            raise AssertionError(f"serve ended: {err}")
        return line

    def stop(self, timeout: float = 20.0) -> tuple[str, str]:
        """Ctrl-C it (SIGINT) and return what it printed after the URL (stdout, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.communicate()
