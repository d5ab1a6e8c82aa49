"""The file check begun before the program's imports (issue #16: the start after changed files).

:func:`reader.early_check.begin` starts the helper from the command line
alone; it walks at once but reads the index only when the reader, having
opened it, :func:`~reader.early_check.claim`\\ s it. Whatever it answers must be
what a check started the old way answers, and an unclaimed helper must end.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from test_index_diff import _change, _open_index, _populate, _sorted_diff

from reader import early_check, filecheck
from reader.components import early_scan
from reader.filecheck import FileDiff, FileInfo, Unwanted, diff_files
from reader.paths import resolve


@pytest.fixture(autouse=True)
def nothing_left_started():
    """No test leaves a begun check behind for the next."""
    yield
    started, early_check._started = early_check._started, None
    if started is not None:
        started[2].cancel()


def _checked(args):
    """What :func:`early_check.checked_cache` finds, less ``--check-every`` (tested apart)."""
    found = early_check.checked_cache(args)
    return None if found is None else found[:2]


def test_only_a_command_line_that_opens_the_reader_or_lists_names_a_cache(tmp_path):
    folder = str(tmp_path)
    reader = (tmp_path, False)
    assert _checked(["--cache-dir", folder]) == reader
    assert _checked([f"--cache-dir={folder}"]) == reader
    assert _checked([]) == (resolve(None).cache, False)
    assert _checked(["--cache-dir", folder, "list"]) == (tmp_path, True)
    assert _checked(["list", "--limit", "5", "ai"]) == (resolve(None).cache, True)
    # ``--cache-dir`` may follow the command too (``newsreader list --cache-dir DIR``).
    assert _checked(["list", "--cache-dir", folder, "--limit", "5"]) == (
        tmp_path,
        True,
    )
    assert _checked(["list", "ai", f"--cache-dir={folder}"]) == (tmp_path, True)
    assert _checked(["list", "--topic", "list", "--json"]) == (
        resolve(None).cache,
        True,
    )
    for args in (
        ["--cache-dir", folder, "list", "--help"],
        ["list", "ai", "-h"],
        ["list", "--cache-dir", folder, "--help"],
        ["list", "--cache-dir"],
        ["--cache-dir", folder, "feeds"],
        ["related", "x"],
        ["--cache-dir"],
        ["-h"],
        ["-V"],
    ):
        assert _checked(args) is None, args


def test_a_check_begun_early_answers_as_one_started_after_the_index_opened(cache):
    _populate(cache)
    index = _open_index(cache)
    index.scan()
    _change(cache)
    index.close()
    early_check.begin(["--cache-dir", str(cache)])
    index = _open_index(cache)  # as the reader opens it, after the helper started
    try:
        pending = early_check.claim(index.root, index.db_path)
        assert pending is not None
        early = pending.result(timeout=60)
        assert _sorted_diff(early) == _sorted_diff(diff_files(str(cache), str(index.db_path)))
        plain = filecheck.start(str(cache), str(index.db_path))
        assert plain is not None and _sorted_diff(plain.result(timeout=60)) == _sorted_diff(early)
        assert early_check.claim(index.root, index.db_path) is None  # claimed once
    finally:
        index.close()


def test_the_index_is_read_only_once_claimed(cache):
    """Opening the index may rebuild it: what the helper compares with is the index as claimed."""
    _populate(cache)
    index = _open_index(cache)
    index.scan()
    early_check.begin(["--cache-dir", str(cache)])
    with index.conn:  # the index loses every row after the helper started (as a rebuild would)
        index.conn.execute("DELETE FROM articles")
        index.conn.execute("DELETE FROM skipped")
    try:
        pending = early_check.claim(index.root, index.db_path)
        assert pending is not None
        changed, gone, seen, _ = pending.result(timeout=60)
        assert len(changed) == seen == 7 and gone == []
    finally:
        index.close()


def test_no_check_is_begun_without_an_index_and_another_cache_stops_it(cache, tmp_path):
    _populate(cache)
    early_check.begin(["--cache-dir", str(cache)])
    assert early_check._started is None  # a first start: nothing to compare with yet
    index = _open_index(cache)
    index.scan()
    early_check.begin(["--cache-dir", str(cache)])
    started = early_check._started
    assert started is not None
    other = tmp_path / "other.sqlite3"
    assert early_check.claim(index.root, other) is None
    with pytest.raises(RuntimeError):
        started[2].result(timeout=60)  # stopped
    index.close()


def test_an_unclaimed_helper_ends_when_its_reader_closes_the_pipe(cache):
    _populate(cache)
    index = _open_index(cache)
    index.scan()
    pending = filecheck.start(str(cache), str(index.db_path), wait=True)
    assert pending is not None
    with pytest.raises(RuntimeError, match="exited with 3"):
        pending.result(timeout=60)  # stdin closed without the go-ahead: the reader went away
    index.close()


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no process priorities here")
def test_the_reader_s_own_check_runs_behind_its_screen(cache):
    """The reader's helper lowers its priority (the screen starting beside it comes first);
    ``list``'s helpers, which it only waits for, keep theirs."""
    _populate(cache)
    index = _open_index(cache)
    index.scan()
    own = os.getpriority(os.PRIO_PROCESS, 0)
    wanted = min(own + filecheck.BEHIND, 19)
    for halves, expected, patience in ((False, wanted, 10.0), (True, own, 0.5)):
        pending = filecheck.start(str(cache), str(index.db_path), wait=True, halves=halves)
        assert pending is not None
        try:
            pid, seen = pending._process.pid, own
            deadline = time.monotonic() + patience
            while seen != wanted and time.monotonic() < deadline:  # until the helper has begun
                seen = os.getpriority(os.PRIO_PROCESS, pid)
                time.sleep(0.001)
            assert seen == expected
        finally:
            pending.cancel()
    index.close()


def test_diff_files_told_no_raises_unwanted(cache):
    _populate(cache)
    with pytest.raises(Unwanted):
        diff_files(str(cache), str(cache / "never-read.sqlite3"), lambda: False)


def test_diff_files_reads_the_index_beside_the_walk_with_the_same_answer(cache, monkeypatch):
    """However late the index arrives during the walk, the answer is the same."""
    _populate(cache)
    index = _open_index(cache)
    index.scan()
    _change(cache)
    walked = [0]
    real_walk = filecheck.walk

    def counting_walk(root, part=None):
        for found in real_walk(root, part):
            walked[0] += 1
            yield found

    monkeypatch.setattr(filecheck, "walk", counting_walk)
    try:
        expected = _sorted_diff(filecheck.compare(cache, index.conn))
        for delay in (0, 3, expected[2]):  # read before the walk, after 3 files, after it all
            walked[0] = 0
            deadline = time.monotonic() + 10

            def told(delay: int = delay, deadline: float = deadline) -> bool:
                while walked[0] < delay and time.monotonic() < deadline:
                    time.sleep(0.001)
                return True

            assert _sorted_diff(diff_files(str(cache), str(index.db_path), told)) == expected
    finally:
        index.close()


# --- the loader's early scan, with stand-ins for the helper and the paint --------------------


class Answer:
    """A helper whose answer is in after ``polls`` looks."""

    def __init__(self, files: FileDiff, polls: int = 0) -> None:
        self.files, self.polls = files, polls

    def arrives_within(self, seconds: float) -> bool:
        self.polls -= 1
        return self.polls < 0

    def result(self, timeout: float | None = None) -> FileDiff:
        return self.files


class Scanned:
    """A source whose scans are recorded."""

    def __init__(self) -> None:
        self.scans: list[FileDiff] = []

    def scan(self, progress, diff, stop):
        from reader.index import ScanResult

        self.scans.append(diff)
        return ScanResult(parsed=len(diff.changed), removed=len(diff.gone))


def _few(n: int) -> FileDiff:
    return FileDiff([FileInfo(f"f{i}.md", 1, 1, None) for i in range(n)], ["gone.md"], n + 5)


def test_few_changes_that_come_before_the_paint_are_scanned_at_once():
    source, shown = Scanned(), []
    files = _few(70)
    left = early_scan.scan_few_first(
        source, Answer(files, polls=2), lambda s: False, threading.Event(), _shown(shown)
    )
    assert source.scans == [files] and shown == [True]
    assert left == FileDiff([], [], files.seen)  # nothing left for the scan after the paint


def test_the_paint_first_or_many_files_leave_the_scan_for_after_the_paint():
    stop = threading.Event()
    source, shown = Scanned(), []
    painted = early_scan.scan_few_first(
        source, Answer(_few(3), polls=5), lambda s: True, stop, _shown(shown)
    )
    many = early_scan.scan_few_first(
        source,
        Answer(_few(early_scan.FEW_FILES)),
        lambda s: False,
        stop,
        _shown(shown),
        timeout=0.2,
    )
    assert painted is None and many is None and source.scans == [] and shown == []


def _shown(into: list[bool]):
    return lambda source, changed: into.append(changed)


def test_the_check_s_answer_drops_the_files_a_cold_start_stored_ahead_unless_changed_since():
    answer = FileDiff([FileInfo("a.md", 1, 1, None), FileInfo("b.md", 2, 2, None)], ["c.md"], 9)
    stored = {("a.md", 1, 1), ("b.md", 2, 1)}  # b.md changed after it was stored
    assert early_scan.without(answer, stored) == FileDiff([answer.changed[1]], ["c.md"], 9)
    assert early_scan.without(answer, set()) is answer and early_scan.without(None, stored) is None


def test_the_answer_less_the_files_stored_ahead_keeps_its_folder_times():
    times = filecheck.FolderTimes({"": 5, "a": 7}, [], True)
    answer = FileDiff(
        [FileInfo("a/x.md", 1, 1, None), FileInfo("a/y.md", 2, 2, None)], [], 2, times
    )
    left = early_scan.without(answer, {("a/x.md", 1, 1)})
    assert left == FileDiff([answer.changed[1]], [], 2, times)


def test_a_first_scan_looks_for_its_first_batch_again_until_one_is_stored(monkeypatch):
    """Not two seconds after a look that found nothing stored yet: every fraction of one."""
    from reader.components import scan_fill
    from reader.first_page import FirstPage

    clock = [100.0]
    monkeypatch.setattr(scan_fill.time, "monotonic", lambda: clock[0])
    sizes = iter([0, 0, 200, 400])

    class Growing:
        def first_page(self) -> FirstPage:
            return FirstPage(next(sizes), 0)

    shown: list[int | None] = []
    fill = scan_fill.ScanFill(
        Growing(), True, lambda page, text: shown.append(page and page.articles), threading.Event()
    )
    for _ in range(4):  # looks at 0.35, 0.7 and 1.05 s find nothing, nothing, then a batch
        clock[0] += scan_fill.FIRST_FILL_SECONDS + 0.05
        fill(1, 1000)
    assert shown == [None, None, 200, None]  # then every FILL_SECONDS again
