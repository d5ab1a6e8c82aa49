"""Odd files under the cache: FIFOs, sockets, devices, links and our own temporary files.

Only regular files are read as articles, and nothing else is ever opened (a
FIFO would block the reader forever); links to regular files are read
wherever they point; a killed write's temporary file is removed later.
Every read that could block runs in a helper thread with a deadline, so a
regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import write_article

from reader import atomic, safe_open
from reader.articles import ArticleError, load_article
from reader.filecheck import walk
from reader.importer import _same_content, import_paths
from reader.index import Index

DEADLINE = 5.0
"""Seconds any single read may take here; each takes milliseconds, a blocked one forever."""


def within_deadline(call: Callable[[], Any]) -> Any:
    """``call()`` in a daemon thread; fail (rather than hang) when it does not return in time."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    assert not thread.is_alive(), f"still blocked after {DEADLINE} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.fixture
def odd_cache(cache: Path, tmp_path: Path) -> Path:
    """A cache holding one good article and one of every odd kind of name ending in ``.md``."""
    write_article(cache, "good.md", "Body", title="Good")
    os.mkfifo(cache / "fifo.md")
    os.mkfifo(tmp_path / "outside-fifo")
    (cache / "link-to-fifo.md").symlink_to(tmp_path / "outside-fifo")
    (cache / "device.md").symlink_to("/dev/zero")  # reads without end if ever opened
    (cache / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    outside = write_article(tmp_path / "collection", "linked.md", "Far", title="Linked")
    (cache / "linked.md").symlink_to(outside)
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(cache / "socket.md"))
    except OSError:
        pass  # a file system without sockets: the other kinds still count
    finally:
        sock.close()
    return cache


def expected_reasons(cache: Path) -> dict[str, str]:
    reasons = {
        "fifo.md": "is a FIFO (named pipe), not a regular file",
        "link-to-fifo.md": "symlink to a FIFO (named pipe), not a regular file",
        "device.md": "symlink to a character device, not a regular file",
        "dangling.md": "broken symlink",
    }
    if (cache / "socket.md").exists():
        reasons["socket.md"] = "is a socket, not a regular file"
    return reasons


# --- safe_open ---------------------------------------------------------------


def test_read_regular_file_refuses_every_odd_kind_without_blocking(odd_cache: Path) -> None:
    for name, kind in [
        ("fifo.md", "FIFO"),
        ("link-to-fifo.md", "FIFO"),
        ("device.md", "character device"),
    ]:
        with pytest.raises(safe_open.NotRegularFileError, match=kind) as info:
            within_deadline(lambda name=name: safe_open.read_regular_file(odd_cache / name))
        assert isinstance(info.value, OSError) and "\n" not in info.value.strerror
    with pytest.raises(safe_open.NotRegularFileError, match="directory"):
        safe_open.read_regular_file(odd_cache)
    with pytest.raises(FileNotFoundError):
        safe_open.read_regular_file(odd_cache / "dangling.md")
    assert safe_open.read_regular_file(odd_cache / "linked.md").startswith(b"---\n")


def test_a_file_swapped_for_a_fifo_after_the_stat_is_refused_by_fstat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open itself is safe: O_NONBLOCK then fstat, not only a stat before it."""
    fifo = tmp_path / "swapped.md"
    os.mkfifo(fifo)
    regular = os.stat(write_article(tmp_path, "plain.md", title="Plain"))
    real_stat = os.stat
    monkeypatch.setattr(
        safe_open.os, "stat", lambda p, *a, **k: regular if Path(p) == fifo else real_stat(p)
    )
    with pytest.raises(safe_open.NotRegularFileError, match="FIFO"):
        within_deadline(lambda: safe_open.read_regular_file(fifo))


def test_limit_refuses_a_larger_file_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "sparse.md"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)  # sparse: costs no disk, and would take seconds to read
    started = time.monotonic()
    with pytest.raises(safe_open.FileTooLargeError, match="too large"):
        safe_open.read_regular_file(path, limit=1024)
    assert time.monotonic() - started < 1
    assert safe_open.read_regular_head(path, 10) == b"\0" * 10


# --- articles and the walk ---------------------------------------------------


def test_load_article_gives_the_kind_as_the_reason(odd_cache: Path) -> None:
    for name, reason in expected_reasons(odd_cache).items():
        with pytest.raises(ArticleError) as info:
            within_deadline(lambda name=name: load_article(odd_cache / name))
        assert str(info.value) == reason
    assert load_article(odd_cache / "linked.md").title == "Linked"


def test_walk_names_odd_files_with_a_reason_and_reads_links_to_regular_files(
    odd_cache: Path,
) -> None:
    found = {rel: problem for rel, _, _, problem in within_deadline(lambda: list(walk(odd_cache)))}
    assert found == {"good.md": None, "linked.md": None, **expected_reasons(odd_cache)}


def test_index_lists_odd_files_as_skipped_and_the_linked_article_as_read(
    odd_cache: Path,
) -> None:
    index = Index(odd_cache, None)
    try:
        within_deadline(index.scan)
        skipped = {
            path: reason for path, reason in index.conn.execute("SELECT path, reason FROM skipped")
        }
        titles = {row[0] for row in index.conn.execute("SELECT title FROM articles")}
    finally:
        index.close()
    assert skipped == expected_reasons(odd_cache)
    assert titles == {"Good", "Linked"}


# --- temporary files ---------------------------------------------------------


def make_temp(folder: Path, name: str, age: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"half an article")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_sweep_removes_only_our_stale_temporary_files(tmp_path: Path) -> None:
    stale = make_temp(tmp_path, ".tmp-abcd1234.part", age=atomic.STALE_AFTER + 60)
    fresh = make_temp(tmp_path, ".tmp-efgh5678.part", age=5)  # a write still running
    users = [
        make_temp(tmp_path, name, age=atomic.STALE_AFTER + 60)
        for name in (".tmp-mine.part", "tmp-abcd1234.part", ".tmp-abcd1234.part.md", "a.part")
    ]
    (tmp_path / ".tmp-zzzz9999.part").symlink_to(users[0])  # not a regular file: kept
    assert atomic.sweep_stale(tmp_path) == 1
    assert not stale.exists() and fresh.exists()
    assert all(path.exists() for path in users)
    assert (tmp_path / ".tmp-zzzz9999.part").is_symlink()


def test_the_walk_removes_stale_temporary_files_and_never_lists_them(cache: Path) -> None:
    write_article(cache / "sub", "a.md", title="A")
    stale = [
        make_temp(cache, ".tmp-abcd1234.part", age=3600),
        make_temp(cache / "sub", ".tmp-abcd5678.part", age=3600),
    ]
    fresh = make_temp(cache / "sub", ".tmp-live0000.part", age=1)
    assert [rel for rel, *_ in walk(cache)] == ["sub/a.md"]
    assert not any(path.exists() for path in stale)
    assert fresh.exists()


def test_temp_names_made_by_atomic_are_recognised(tmp_path: Path) -> None:
    fd, name = atomic._temp_beside(tmp_path / "x.md")
    os.close(fd)
    assert atomic.is_temp_name(Path(name).name)


# --- writing never goes over anything ------------------------------------------


def test_write_new_never_writes_over_a_file_a_link_or_a_fifo(tmp_path: Path) -> None:
    target = write_article(tmp_path / "elsewhere", "target.md", "Mine", title="Mine")
    before = target.read_bytes()
    (tmp_path / "link.md").symlink_to(target)
    os.mkfifo(tmp_path / "fifo.md")
    for name in ("link.md", "fifo.md", "elsewhere/target.md"):
        with pytest.raises(FileExistsError):
            within_deadline(lambda name=name: atomic.write_new(tmp_path / name, b"new"))
    assert target.read_bytes() == before
    assert (tmp_path / "link.md").is_symlink()
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo.md").st_mode)
    atomic.write_new(tmp_path / "fresh.md", b"new")
    assert (tmp_path / "fresh.md").read_bytes() == b"new"
    assert not [p for p in tmp_path.iterdir() if atomic.is_temp_name(p.name)]


def test_duplicate_check_compares_sizes_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "big.md"
    with huge.open("wb") as handle:
        handle.truncate(2 << 30)
    started = time.monotonic()
    assert not _same_content(huge, b"---\ntitle: Big\n---\n")
    assert time.monotonic() - started < 1
    os.mkfifo(tmp_path / "fifo.md")
    assert not within_deadline(lambda: _same_content(tmp_path / "fifo.md", b""))


def test_import_over_a_symlinked_article_takes_a_new_name(tmp_path: Path, cache: Path) -> None:
    """A link in the cache is the user's: its target is never written over."""
    target = write_article(tmp_path / "collection", "story.md", "Old", title="Old")
    before = target.read_bytes()
    (cache / "story.md").symlink_to(target)
    source = write_article(tmp_path / "in", "story.md", "New", title="New")
    os.mkfifo(cache / "pipe.md")
    pipe_source = write_article(tmp_path / "in2", "pipe.md", "Piped", title="Piped")
    report = within_deadline(lambda: import_paths([source, pipe_source], cache))
    assert sorted(p.name for p in report.imported) == ["pipe-1.md", "story-1.md"]
    assert target.read_bytes() == before and (cache / "story.md").is_symlink()
    assert stat.S_ISFIFO(os.lstat(cache / "pipe.md").st_mode)
    again = import_paths([tmp_path / "collection" / "story.md"], cache)
    assert again.present == [tmp_path / "collection" / "story.md"]  # same bytes behind the link


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_file_longer_than_its_stat_size_is_read_whole_and_still_capped() -> None:
    """/proc files say size 0 and hold more: like a file that grows after the ``fstat``."""
    status = Path("/proc/self/status")
    assert os.stat(status).st_size == 0
    assert safe_open.read_regular_file(status).startswith(b"Name:")
    with pytest.raises(safe_open.FileTooLargeError, match="the limit is 100 bytes"):
        safe_open.read_regular_file(status, limit=100)
    assert len(safe_open.read_regular_head(status, 50)) == 50


def test_atomic_writes_get_the_permissions_of_a_plain_new_file(tmp_path: Path) -> None:
    """mkstemp makes owner-only files; an imported article must be as readable as a copied one."""
    old = os.umask(0o022)
    try:
        atomic.write_text(tmp_path / "a.md", "x")
        atomic.write_new(tmp_path / "b.md", b"x")
        (tmp_path / "plain.md").write_text("x")
    finally:
        os.umask(old)
    plain = stat.S_IMODE((tmp_path / "plain.md").stat().st_mode)
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == plain == 0o644
    assert stat.S_IMODE((tmp_path / "b.md").stat().st_mode) == plain
