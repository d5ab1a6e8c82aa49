"""Closing the reader during a cold index, in a real pseudo-terminal (issue #12).

``q``, SIGTERM, SIGHUP and a lost terminal all end the reader within about a
second (asserted under 3 s on a shared machine; before, ``q`` waited for the
whole index and the signals left the terminal in the alternate screen), the
terminal is restored, and no child process outlives it, not even after a
``kill -9``. The index holds a consistent part, and the next start parses
only the rest.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.index import Index, index_path_for

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or sys.platform != "linux",
    reason="runs the reader in a Linux pseudo-terminal and finds its children in /proc",
)

FILES = 12000
"""Enough that the cold index is still running when the list has painted."""
EXIT_LIMIT = 3.0
"""Seconds to exit after the request (about 0.4 s measured; the target is 1 s)."""
RESTORE = {
    "alternate screen off": b"\x1b[?1049l",
    "cursor shown": b"\x1b[?25h",
    "mouse reporting off": b"\x1b[?1000l",
}


@pytest.fixture(scope="module")
def article_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache of small articles in folders of 1,000, written once for the module."""
    root = tmp_path_factory.mktemp("cold") / "cache"
    for n in range(FILES):
        folder = root / f"d{n // 1000}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"a{n:05d}.md").write_text(
            f'---\ntitle: "Article {n}"\nexcerpt: "Excerpt {n}"\nquality: {n % 90}\n'
            f'publishedDateTime: "2021-01-01T00:{n % 60:02d}:00Z"\ntopics: [T{n % 7}]\n'
            f'originalUrl: "https://example.com/{n}"\n---\n' + f"Body of article {n}. " * 20,
            encoding="utf-8",
        )
    return root


@pytest.fixture
def cold_cache(article_files: Path) -> Iterator[Path]:
    """The module's articles with no index: every test starts a cold index."""
    own = article_files / ".newsreader"

    def forget() -> None:
        for name in ("index.sqlite3", "index.sqlite3-wal", "index.sqlite3-shm"):
            (own / name).unlink(missing_ok=True)

    forget()
    yield article_files
    forget()


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid``."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := _stat(int(name))) is not None:
            parents[int(name)] = int(fields[1])
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        children = {child for child, ppid in parents.items() if ppid == parent}
        todo += children - found
        found |= children
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Reader:
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
            start_new_session=True,  # the pty becomes its controlling terminal
        )
        os.close(slave)
        self.master: int | None = master
        self.output = bytearray()
        self.children: set[int] = set()
        """Its children seen so far (killed after the test if they outlive it)."""
        self._reading = threading.Thread(target=self._read, daemon=True)
        self._reading.start()

    def _read(self) -> None:
        while self.master is not None:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.output += data

    def wait_for(self, text: bytes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert self.process.poll() is None, f"the reader exited: {bytes(self.output[-800:])!r}"
            assert time.monotonic() < deadline, f"no {text!r} on the screen in {timeout} s"
            time.sleep(0.05)

    def exit_time(self, timeout: float = 60) -> float:
        """Seconds until the reader exits (it is killed after ``timeout``)."""
        start = time.monotonic()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return time.monotonic() - start

    def hang_up(self) -> None:
        """Close the terminal's side, as a closed window or a dropped link does."""
        master, self.master = self.master, None
        if master is not None:
            os.close(master)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.hang_up()
        self._reading.join(timeout=5)


@pytest.fixture
def reader(cold_cache: Path) -> Iterator[Reader]:
    """The reader started on the cold cache, its children cleaned up whatever happens."""
    started = Reader(cold_cache)
    try:
        yield started
    finally:
        started.close()
        for pid in started.children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def children_while_indexing(reader: Reader) -> set[int]:
    """The reader's children once the cold index runs (the list painted, the scan reporting)."""
    reader.wait_for(b"Indexing ")
    children = descendants(reader.process.pid)
    reader.children |= children
    assert any("multiprocessing" in command_line(pid) for pid in children), (
        "expected parser processes while the cold index runs"
    )
    return children


def assert_gone(children: set[int], within: float = 3.0) -> None:
    deadline = time.monotonic() + within
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.02)
    left = {pid: command_line(pid)[:100] for pid in children if alive(pid)}
    assert not left, f"still running {within} s after the reader ended: {left}"


def assert_terminal_restored(output: bytes) -> None:
    missing = [name for name, sequence in RESTORE.items() if sequence not in output]
    assert not missing, f"the terminal was left without: {', '.join(missing)}"
    assert b"Traceback" not in output


def stored_articles(cache: Path) -> int:
    conn = sqlite3.connect(index_path_for(cache))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM search").fetchone()[0] == articles
        return articles
    finally:
        conn.close()


def test_q_during_a_cold_index_exits_at_once_and_the_next_start_parses_only_the_rest(
    reader: Reader, cold_cache: Path
) -> None:
    children = children_while_indexing(reader)
    mark = len(reader.output)
    os.write(reader.master, b"q")
    took = reader.exit_time()
    assert took < EXIT_LIMIT, f"q took {took:.2f} s to exit during a cold index"
    assert reader.process.returncode == 0
    assert_terminal_restored(bytes(reader.output[mark:]))
    assert_gone(children)

    stored = stored_articles(cold_cache)
    assert stored < FILES, "the index was meant to be stopped part way"
    index = Index(cold_cache, index_path_for(cold_cache))
    try:
        result = index.scan(workers=1)
        assert result.parsed == FILES - stored, "the next scan parses only what was not stored"
        assert index.count() == FILES
    finally:
        index.close()


@pytest.mark.parametrize(
    ("name", "code"), [("SIGTERM", 128 + signal.SIGTERM), ("SIGHUP", 128 + signal.SIGHUP)]
)
def test_a_signal_during_a_cold_index_exits_like_q_and_restores_the_terminal(
    reader: Reader, cold_cache: Path, name: str, code: int
) -> None:
    children = children_while_indexing(reader)
    mark = len(reader.output)
    os.kill(reader.process.pid, getattr(signal, name))
    took = reader.exit_time()
    assert took < EXIT_LIMIT, f"{name} took {took:.2f} s to end the reader"
    assert reader.process.returncode == code
    assert_terminal_restored(bytes(reader.output[mark:]))
    assert_gone(children)
    stored_articles(cold_cache)  # consistent


def test_a_lost_terminal_ends_the_reader_and_its_children(reader: Reader) -> None:
    children = children_while_indexing(reader)
    reader.hang_up()
    took = reader.exit_time()
    assert took < EXIT_LIMIT + 1, f"the reader noticed the lost terminal after {took:.2f} s"
    assert_gone(children)


def test_kill_9_during_a_cold_index_leaves_no_child_running(reader: Reader) -> None:
    """Parser processes, the resource tracker and the file-check helper end by themselves."""
    children = children_while_indexing(reader)
    reader.process.kill()
    reader.exit_time()
    assert_gone(children)
    assert b"Traceback" not in reader.output


def test_a_sigcont_without_a_suspend_does_not_take_the_terminal_again(reader: Reader) -> None:
    """A closing terminal sends SIGCONT with its SIGHUP. Textual's driver answered every SIGCONT
    by starting application mode again, with a new thread reading the keyboard: one that came
    as the reader was exiting outlived the exit, and the process never ended."""
    reader.wait_for(b"Indexing ")
    mark = len(reader.output)
    os.kill(reader.process.pid, signal.SIGCONT)
    time.sleep(1.0)
    assert b"\x1b[?1049h" not in reader.output[mark:], "the alternate screen was entered again"
    os.write(reader.master, b"q")
    assert reader.exit_time() < EXIT_LIMIT
    assert reader.process.returncode == 0
