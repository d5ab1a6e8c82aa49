"""The file check of a big cache in two halves (``reader.walk_parts``, issue #16).

Two helpers each walk the top-level names on one side of a cut and read only
their slice of the index. Joined, their answer must be exactly what one walk
of everything answers, whatever names sit next to the cut.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from test_index_diff import _article, _open_index, _populate, _sorted_diff

from reader import filecheck, walk_parts
from reader.filecheck import (
    FROM_FLAG,
    GO,
    HALVES_FLAG,
    WAIT_FLAG,
    FileDiff,
    FileInfo,
    compare,
)

NEAR_THE_CUT = ["m", "m.md", "m-a", "m0", "m.", "mm", "l", "n", "é", "z"]
"""Top-level folders and files whose names sort next to each other (``m-a/`` before ``m/``,
``m.md`` before ``m/``), so that a cut between any two of them is tried."""


def _cache_with_names_near_the_cut(cache) -> None:
    _populate(cache)
    for n, name in enumerate(NEAR_THE_CUT):
        _article(cache / name, f"in-{n}.md", f"Inside {name}")
        _article(cache, f"{name}-{n}.md", f"Beside {name}")
    _article(cache / "m" / "deeper", "x.md", "Deep in m")


def _change_both_sides(cache) -> None:
    for name in ("m", "m-a", "é", "l", "z"):
        (cache / name / f"in-{NEAR_THE_CUT.index(name)}.md").unlink()
    _article(cache / "m0", "new.md", "New in m0", body="Longer body. " * 5)
    _article(cache / "mm", "in-5.md", "Rewritten", body="A much longer body. " * 30)
    _article(cache, "zz-new.md", "A new top-level file")
    (cache / "a0.md").unlink()


@pytest.mark.parametrize("at", range(len(NEAR_THE_CUT) + 6))
def test_two_halves_answer_as_one_walk_wherever_the_cut_falls(cache, monkeypatch, at) -> None:
    _cache_with_names_near_the_cut(cache)
    index = _open_index(cache)
    index.scan()
    _change_both_sides(cache)
    keys = sorted(walk_parts.key_of(e) for e in os.scandir(cache) if not e.name.startswith("."))
    cut = keys[at % len(keys)]
    monkeypatch.setattr(walk_parts, "cut_point", lambda root, db: cut)
    try:
        whole = compare(cache, index.conn)
        halves = filecheck._in_halves(str(cache), str(index.db_path), False)
    finally:
        index.close()
    assert whole.changed and whole.gone  # the change is seen at all
    assert _sorted_diff(halves) == _sorted_diff(whole)


def test_a_big_index_is_cut_in_the_middle_of_the_top_names(cache, monkeypatch) -> None:
    _cache_with_names_near_the_cut(cache)
    index = _open_index(cache)
    index.scan()
    db = str(index.db_path)
    index.close()
    assert walk_parts.cut_point(str(cache), db) is None  # small: one helper
    monkeypatch.setattr(walk_parts, "SPLIT_FROM_BYTES", 0)
    keys = sorted(walk_parts.key_of(e) for e in os.scandir(cache) if not e.name.startswith("."))
    assert walk_parts.cut_point(str(cache), db) == keys[len(keys) // 2]
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert walk_parts.cut_point(str(cache), db) is None


def test_the_second_half_waits_to_be_told_and_stops_when_not(cache) -> None:
    _cache_with_names_near_the_cut(cache)
    index = _open_index(cache)
    index.scan()
    _change_both_sides(cache)
    expected = compare(cache, index.conn)
    db = str(index.db_path)
    index.close()
    answers = []
    for told in (GO, b"stop\n"):
        helper = filecheck._helper(str(cache), db, True, FROM_FLAG + "m/")
        assert helper is not None
        out, _ = helper.communicate(told, timeout=60)
        answers.append((helper.returncode, out))
    (code, out), (stopped, _) = answers
    assert code == 0 and stopped == 3
    second = filecheck.decoded(out)
    assert second.changed and all(info.path >= "m/" for info in second.changed)
    assert sorted(second.changed) == sorted(c for c in expected.changed if c.path >= "m/")


def test_a_path_looked_for_in_one_half_and_found_in_the_other_is_changed_not_gone() -> None:
    found = FileInfo("odd.md", 3, 4, None)
    first = FileDiff([FileInfo("a.md", 1, 2, None)], ["odd.md", "b.md"], 5)
    second = FileDiff([found], ["y.md"], 7)
    assert filecheck.joined(first, second) == FileDiff(
        [first.changed[0], found], ["b.md", "y.md"], 12
    )


def test_a_helper_in_halves_answers_through_the_entry_it_always_had(cache, tmp_path) -> None:
    """The script as the reader runs it, on an index made big enough to be cut."""
    _cache_with_names_near_the_cut(cache)
    index = _open_index(cache)
    index.scan()
    _change_both_sides(cache)
    expected = compare(cache, index.conn)
    with index._lock:
        index.conn.execute("CREATE TABLE IF NOT EXISTS padding (x BLOB)")
        index.conn.execute("INSERT INTO padding VALUES (zeroblob(?))", (17 << 20,))
        index.conn.commit()
    db = str(index.db_path)
    index.close()
    assert os.path.getsize(db) >= walk_parts.SPLIT_FROM_BYTES
    command = [filecheck.sys.executable, "-I", "-S", filecheck.__file__, str(cache), db]
    for flags in ([], [HALVES_FLAG]):  # one helper (the reader's start), or two (list)
        plain = subprocess.run([*command, *flags], capture_output=True, timeout=60, check=True)
        assert _sorted_diff(filecheck.decoded(plain.stdout)) == _sorted_diff(expected)
    command.append(HALVES_FLAG)
    # Started early (the reader's way), it waits to be told, and tells its partner.
    told = subprocess.run(
        [*command, WAIT_FLAG], input=GO, capture_output=True, timeout=60, check=True
    )
    assert _sorted_diff(filecheck.decoded(told.stdout)) == _sorted_diff(expected)
    stopped = subprocess.run([*command, WAIT_FLAG], input=b"", capture_output=True, timeout=60)
    assert stopped.returncode == 3 and not stopped.stdout and not stopped.stderr
