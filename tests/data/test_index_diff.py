"""The comparison of files with the index out of process, and patching a loaded list after a scan.

:func:`reader.index.diff_files` runs in a helper process while the UI starts;
whatever it finds must be exactly what an in-process scan would have found,
and a scan fed with it must leave the index as a plain scan does.
:meth:`reader.library.Source.reload` patches the loaded list after a small
scan; the result must equal loading the index afresh.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from conftest import write_article

from reader import library
from reader.filecheck import BAD_NAME, compare, diff_files, walk
from reader.index import Index, index_path_for, start_diff
from reader.library import Collection, SortKey, Source
from reader.paths import Locations
from reader.scopes import topic_counts


def _article(folder: Path, name: str, title: str, body: str = "Some text.") -> Path:
    return write_article(
        folder,
        name,
        body,
        title=title,
        url=f"https://example.test/{name}",
        published="2026-11-20T10:00:00Z",
        topics=["Energy"],
    )


def _populate(cache: Path) -> None:
    """Six articles (two in a subfolder) and one file that cannot be read."""
    for n in range(4):
        _article(cache, f"a{n}.md", f"Article number {n}")
    _article(cache / "sub", "nested.md", "Nested piece")
    _article(cache / "sub", "other.md", "Other nested piece")
    (cache / "bad.md").write_text("---\ntitle: [unclosed\n---\nbody", encoding="utf-8")


def _change(cache: Path) -> None:
    """Add, change (a different size), remove, and make a broken link."""
    _article(cache, "added.md", "Brand new zeppelin report")
    _article(
        cache / "sub",
        "nested.md",
        "Nested piece, rewritten",
        body="A much longer body than before. " * 20,
    )
    (cache / "a1.md").unlink()
    (cache / "sub" / "other.md").unlink()
    os.symlink(cache / "missing-target.md", cache / "dangling.md")


def _open_index(cache: Path, db_path: Path | None = None) -> Index:
    return Index(cache, db_path or index_path_for(cache))


def _copy_db(index: Index, target: Path) -> None:
    dest = sqlite3.connect(target)
    index.conn.backup(dest)
    dest.close()


def _sorted_diff(diff):
    changed, gone, seen, _ = diff
    return sorted(changed), sorted(gone), seen


def _snapshot(index: Index):
    return sorted(index.entries()), index.skipped()


def test_diff_files_matches_the_in_process_comparison_and_feeds_an_identical_scan(cache, tmp_path):
    _populate(cache)
    index = _open_index(cache)
    try:
        first = index.scan()
        assert len(index.entries()) == 6 and [s.path for s in index.skipped()] == ["bad.md"]
        assert first.parsed == 7
        # Nothing changed yet: both ways agree there is nothing to do.
        assert diff_files(str(cache), str(index.db_path)) == ([], [], 7, None)

        _change(cache)
        out_of_process = diff_files(str(cache), str(index.db_path))
        with index._lock:
            in_process = compare(cache, index.conn)
        assert _sorted_diff(out_of_process) == _sorted_diff(in_process)
        changed, gone, seen, _ = out_of_process
        assert sorted(c[0] for c in changed) == ["added.md", "dangling.md", "sub/nested.md"]
        assert dict((c[0], c[3]) for c in changed) == {
            "added.md": None,
            "dangling.md": "broken symlink",
            "sub/nested.md": None,
        }
        assert sorted(gone) == ["a1.md", "sub/other.md"]
        assert seen == 7  # a0 a2 a3 added bad dangling sub/nested
    finally:
        index.close()


def test_scan_with_a_precomputed_diff_leaves_the_index_as_a_plain_scan(cache, tmp_path):
    _populate(cache)
    index = _open_index(cache)
    index.scan()
    _change(cache)
    copy_path = tmp_path / "copy.sqlite3"
    _copy_db(index, copy_path)
    copy = _open_index(cache, copy_path)
    try:
        diff = diff_files(str(cache), str(index.db_path))
        with_diff = index.scan(diff=diff)
        plain = copy.scan()
        assert _snapshot(index) == _snapshot(copy)
        assert (
            sorted(with_diff.touched)
            == sorted(plain.touched)
            == sorted(["added.md", "dangling.md", "sub/nested.md", "a1.md", "sub/other.md"])
        )
        assert (with_diff.parsed, with_diff.removed, with_diff.total_files) == (
            plain.parsed,
            plain.removed,
            plain.total_files,
        )
        assert {s.path for s in index.skipped()} == {"bad.md", "dangling.md"}
        # Full-text search agrees too (the search table was kept in step).
        assert index.search("zeppelin") == copy.search("zeppelin") == ["added.md"]
        assert index.search("rewritten") == ["sub/nested.md"]
        assert index.search("other") == []
        # A second comparison finds nothing left to do.
        assert diff_files(str(cache), str(index.db_path))[:2] == ([], [])
    finally:
        index.close()
        copy.close()


def test_start_diff_runs_diff_files_in_a_helper_process(cache):
    _populate(cache)
    index = _open_index(cache)
    try:
        index.scan()
        _change(cache)
        future = start_diff(index)
        assert future is not None, "no helper process could be started"
        assert future.result(timeout=60) == diff_files(str(cache), str(index.db_path))
    finally:
        index.close()


def test_the_helper_carries_names_that_are_not_utf8_or_ascii_intact(cache):
    _populate(cache)
    index = _open_index(cache)
    try:
        index.scan()
        _article(cache, "Zürich – 東京.md", "Unicode name")
        odd = os.fsencode(cache) + b"/caf\xe9-latin1.md"  # a Latin-1 name: not valid UTF-8
        Path(os.fsdecode(odd)).write_bytes((cache / "a0.md").read_bytes())
        pending = start_diff(index)
        assert pending is not None
        changed = {c[0]: c[3] for c in pending.result(timeout=60)[0]}
        # The Latin-1 name cannot be stored as text: it is skipped, under a readable spelling.
        assert changed == {"Zürich – 東京.md": None, "caf\\xe9-latin1.md": BAD_NAME}
        scan = index.scan(diff=start_diff(index).result(timeout=60))
        assert scan.parsed == 2 and len(index.entries()) == 7
        assert ("caf\\xe9-latin1.md", BAD_NAME) in index.skipped()
        assert index.scan().parsed == 0  # and it stays skipped without being looked at again
    finally:
        index.close()


def test_a_failed_helper_raises_so_the_scan_walks_itself(cache, tmp_path):
    from reader import filecheck

    _populate(cache)
    pending = filecheck.start(str(cache), str(tmp_path / "no-such-index.sqlite3"))
    assert pending is not None
    try:
        pending.result(timeout=60)
    except RuntimeError as exc:
        assert "exited with" in str(exc)
    else:
        raise AssertionError("a helper without an index must fail")


def test_the_helper_script_needs_nothing_but_the_standard_library(cache, tmp_path):
    """It runs with ``-I -S``: no site-packages, not even this package, on its path."""
    import subprocess
    import sys

    from reader import filecheck

    _populate(cache)
    index = _open_index(cache)
    try:
        index.scan()
        (cache / "a2.md").unlink()
        done = subprocess.run(
            [sys.executable, "-I", "-S", filecheck.__file__, str(cache), str(index.db_path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("[[],") and '["a2.md"]' in done.stdout
    finally:
        index.close()


def test_start_diff_is_none_for_an_in_memory_index(cache):
    _populate(cache)
    index = Index(cache, None)
    try:
        assert start_diff(index) is None
    finally:
        index.close()


# --- patching the loaded list ---------------------------------------------------------


def _source(cache: Path, tmp_path: Path) -> Source:
    return Source(Locations(cache=cache, config=tmp_path / "config", data=tmp_path / "data"))


def test_reload_patches_the_loaded_list_to_what_a_fresh_load_gives(cache, tmp_path, monkeypatch):
    _populate(cache)
    source = _source(cache, tmp_path)
    try:
        source.scan()
        loaded = source.load()
        assert len(loaded) == 6
        _change(cache)
        result = source.scan()
        assert len(result.touched) == 5

        loads = []
        real_load = Source.load
        monkeypatch.setattr(Source, "load", lambda self: loads.append(1) or real_load(self))
        patched = source.reload(loaded, result)
        assert loads == [], "a small scan must patch the list, not reload it"
        monkeypatch.setattr(Source, "load", real_load)
        fresh = source.load()
        assert set(patched.entries) == set(fresh.entries)
        assert len(patched) == len(fresh) == 5
        assert len(patched.entries) == len(set(patched.entries))  # no path twice
        # The patched list searches, sorts and counts like the fresh one.
        for text in ("zeppelin", "rewritten", "nested", "article"):
            assert patched.view(SortKey.DATE, text=text) == fresh.view(SortKey.DATE, text=text), (
                text
            )
        assert topic_counts(patched.entries) == topic_counts(fresh.entries)
        # the old list is left alone
        assert loaded.entries is not patched.entries and len(loaded) == 6
    finally:
        source.index.close()


def test_reload_loads_afresh_when_more_than_patch_limit_changed(cache, tmp_path, monkeypatch):
    _populate(cache)
    source = _source(cache, tmp_path)
    try:
        source.scan()
        loaded = source.load()
        _change(cache)
        result = source.scan()
        monkeypatch.setattr(library, "PATCH_LIMIT", 2)

        def no_patch(*args, **kwargs):
            raise AssertionError("patched although more than PATCH_LIMIT files changed")

        monkeypatch.setattr(Collection, "patched", no_patch)
        reloaded = source.reload(loaded, result)
        assert set(reloaded.entries) == set(source.load().entries)
        assert len(reloaded) == 5
    finally:
        source.index.close()


def test_a_long_list_is_patched_for_a_share_of_its_rows_beyond_patch_limit(
    cache, tmp_path, monkeypatch
):
    """A fetch of more files than the fixed limit, into a much longer list, patches it: reading
    every row again held two whole lists at once (1.1 GiB at a million)."""
    for n in range(30):
        _article(cache, f"many{n:02d}.md", f"Many number {n}")
    source = _source(cache, tmp_path)
    try:
        source.scan()
        loaded = source.load()
        for n in range(4):
            _article(cache, f"fresh{n}.md", f"Fresh zeppelin {n}")
        (cache / "many00.md").unlink()
        result = source.scan()
        assert len(result.touched) == 5
        monkeypatch.setattr(library, "PATCH_LIMIT", 2)  # 5 changed: more than it, a sixth of 30

        def no_load(*args, **kwargs):
            raise AssertionError("read every row again for a sixth of them changed")

        monkeypatch.setattr(Source, "load", no_load)
        patched = source.reload(loaded, result)
        monkeypatch.undo()
        assert sorted(e.path for e in patched.entries) == sorted(
            e.path for e in source.load().entries
        )
        assert len(patched) == 33
        monkeypatch.setattr(library, "PATCH_LIMIT", 2)
        monkeypatch.setattr(library, "PATCH_SHARE", 10)  # 5 changed: more than a tenth of 30
        assert not source.patchable(loaded, result)
    finally:
        source.index.close()


def test_walk_gives_slash_paths_for_nested_folders_and_skips_dot_folders(tmp_path):
    root = tmp_path / "root"
    _article(root, "top.md", "Top")
    _article(root / "one" / "two", "deep.md", "Deep")
    _article(root / ".hidden", "secret.md", "Hidden")
    _article(root / "one" / ".newsreader", "own.md", "Own")
    (root / "one" / "notes.txt").write_text("not an article", encoding="utf-8")
    found = {rel: problem for rel, size, mtime, problem in walk(root)}
    assert found == {"top.md": None, "one/two/deep.md": None}
    for rel, size, mtime, _problem in walk(root):
        assert size == (root / rel).stat().st_size and mtime == (root / rel).stat().st_mtime_ns


def test_a_sub_folder_that_cannot_be_read_is_reported_and_its_articles_leave_the_index(
    cache, monkeypatch
):
    """Permissions are simulated (the tests may run as root, who can read anything)."""
    from reader import filecheck

    _populate(cache)
    index = _open_index(cache)
    try:
        index.scan()
        assert {"sub/nested.md", "sub/other.md"} <= {e.path for e in index.entries()}
        real_scandir = os.scandir

        def scandir(path):
            if os.fspath(path).endswith(os.sep + "sub"):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(filecheck.os, "scandir", scandir)
        result = index.scan()
        assert ("sub", "cannot read this folder: Permission denied") in index.skipped()
        assert not {"sub/nested.md", "sub/other.md"} & {e.path for e in index.entries()}
        assert sorted(result.touched) == ["sub", "sub/nested.md", "sub/other.md"]
        assert index.scan().parsed == 0  # reported once, not re-checked while nothing changes
        monkeypatch.setattr(filecheck.os, "scandir", real_scandir)
        index.scan()  # readable again: the folder's articles come back, the report goes
        assert {"sub/nested.md", "sub/other.md"} <= {e.path for e in index.entries()}
        assert "sub" not in {s.path for s in index.skipped()}
    finally:
        index.close()


def test_arrives_within_waits_for_the_helper_and_counts_a_failure_as_an_answer(cache, tmp_path):
    from reader import filecheck

    _populate(cache)
    index = _open_index(cache)
    try:
        index.scan()
        pending = start_diff(index)
        assert pending is not None and pending.arrives_within(60)
        assert pending.result() == ([], [], 7, None)
        broken = filecheck.start(str(cache), str(tmp_path / "no-such-index.sqlite3"))
        assert broken is not None and broken.arrives_within(60)
    finally:
        index.close()
