"""The file check keeps each indexed file's size and mtime as one int (``filecheck.stamp``):
equal exactly when both are."""

from __future__ import annotations

import itertools

from reader.filecheck import compare_files, stamp


def test_stamps_are_equal_exactly_when_size_and_mtime_are() -> None:
    sizes = [0, 1, 2, 4096, 2**40]
    mtimes = [0, 1, -1, 1_733_000_000_123_456_789, -(2**62), 2**63 - 1]
    pairs = list(itertools.product(sizes, mtimes))
    assert len({stamp(s, m) for s, m in pairs}) == len(pairs)


def test_the_comparison_finds_what_changed_by_size_or_time_alone() -> None:
    known = {"a.md": stamp(10, 5), "b.md": stamp(10, 5), "c.md": stamp(10, 5), "d.md": 0}
    found = [("a.md", 10, 5, None), ("b.md", 11, 5, None), ("c.md", 10, 6, None)]
    diff = compare_files(found, known, {})
    assert [info.path for info in diff.changed] == ["b.md", "c.md"]
    assert diff.gone == ["d.md"] and diff.seen == 3
