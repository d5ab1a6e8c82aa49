"""``newsreader import`` (``reader.importer``): validate, copy atomically, leave sources alone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import BAD_ARTICLES, GOOD_ARTICLES, RunCli, copy_articles, write_article

import reader.atomic as atomic
from reader.importer import import_paths
from reader.index import Index


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every file below ``root`` (symlinks not followed)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


def leftovers(cache: Path) -> list[Path]:
    """Temporary files an interrupted write could leave behind."""
    return [
        p
        for p in cache.rglob("*")
        if p.name.endswith((".part", ".tmp")) or p.name.startswith(".tmp")
    ]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A folder to import: two articles at the top, one nested, a dot-folder and a non-article."""
    src = tmp_path / "incoming"
    write_article(src, "one.md", "Body one", title="One", originalUrl="https://example.com/one")
    write_article(src, "two.md", "Body two", title="Two", webUrl="https://example.com/two")
    write_article(
        src / "sub" / "deeper", "three.md", title="Three", sourceUrl="https://example.com/three"
    )
    write_article(
        src / ".hidden", "secret.md", title="Hidden", originalUrl="https://example.com/hidden"
    )
    (src / "notes.txt").write_text("not an article")
    return src


def test_imports_a_folder_recursively(source: Path, cache: Path) -> None:
    report = import_paths([source], cache)
    assert (len(report.imported), len(report.present), report.rejected) == (3, 0, [])
    assert sorted(p.relative_to(cache).as_posix() for p in report.imported) == [
        "incoming/one.md",
        "incoming/sub/deeper/three.md",
        "incoming/two.md",
    ]
    for target in report.imported:
        original = source / target.relative_to(cache / "incoming")
        assert target.read_bytes() == original.read_bytes()
    assert not (cache / "incoming" / ".hidden").exists()
    assert not (cache / "incoming" / "notes.txt").exists()


def test_imports_single_files_whatever_their_suffix(tmp_path: Path, cache: Path) -> None:
    md = write_article(tmp_path / "loose", "story.md", title="Story")
    txt = write_article(tmp_path / "loose", "saved.txt", title="Saved as text")
    report = import_paths([md, txt], cache)
    assert sorted(p.name for p in report.imported) == ["saved.md", "story.md"]
    assert (cache / "saved.md").read_bytes() == txt.read_bytes()


def test_second_import_reports_already_present(source: Path, cache: Path) -> None:
    import_paths([source], cache)
    before = snapshot(cache / "incoming")
    again = import_paths([source], cache)
    assert (len(again.imported), len(again.present), again.rejected) == (0, 3, [])
    assert snapshot(cache / "incoming") == before


def test_same_url_under_another_name_is_present(source: Path, cache: Path, tmp_path: Path) -> None:
    import_paths([source], cache)
    other = write_article(
        tmp_path / "elsewhere",
        "renamed.md",
        "Edited body",
        title="One, edited",
        originalUrl="https://example.com/one",
    )
    report = import_paths([other], cache)
    assert report.present == [other] and report.imported == []
    assert not (cache / "renamed.md").exists()


def test_same_content_without_url_is_present(tmp_path: Path, cache: Path) -> None:
    path = write_article(tmp_path / "in", "nourl.md", title="No URL at all")
    assert len(import_paths([path], cache).imported) == 1
    report = import_paths([path], cache)
    assert report.present == [path] and report.imported == []


def test_a_different_file_with_the_same_name_is_not_overwritten(
    tmp_path: Path, cache: Path
) -> None:
    first = write_article(
        tmp_path / "a", "same.md", title="First", originalUrl="https://example.com/1"
    )
    second = write_article(
        tmp_path / "b", "same.md", title="Second", originalUrl="https://example.com/2"
    )
    import_paths([first], cache)
    report = import_paths([second], cache)
    assert [p.name for p in report.imported] == ["same-1.md"]
    assert (cache / "same.md").read_bytes() == first.read_bytes()
    assert (cache / "same-1.md").read_bytes() == second.read_bytes()


def test_rejected_files_get_a_reason(tmp_path: Path, cache: Path) -> None:
    bad = tmp_path / "bad"
    names = copy_articles(BAD_ARTICLES, bad)
    (bad / "dangling.md").symlink_to(bad / "nowhere.md")
    missing = tmp_path / "does-not-exist.md"
    report = import_paths([bad, missing], cache)
    reasons = {path.name: reason for path, reason in report.rejected}
    assert set(reasons) == {*names, "dangling.md", "does-not-exist.md"}
    assert reasons["does-not-exist.md"] == "no such file or folder"
    assert reasons["dangling.md"] == "broken symlink"
    assert "no usable title" in reasons["no_title.md"]
    for reason in reasons.values():
        assert reason and "\n" not in reason
    assert report.imported == [] and report.present == []
    assert not [p for p in cache.rglob("*.md")]


def test_yaml_python_tag_is_rejected_and_never_runs(tmp_path: Path, cache: Path) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.md"
    evil.write_text(
        f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n', encoding="utf-8"
    )
    report = import_paths([evil], cache)
    assert [path for path, _ in report.rejected] == [evil]
    assert not marker.exists()


def test_sources_are_never_modified(tmp_path: Path, cache: Path) -> None:
    src = tmp_path / "src"
    copy_articles(GOOD_ARTICLES, src)
    copy_articles(BAD_ARTICLES, src / "bad")
    for path in src.rglob("*.md"):  # old mtimes make any rewrite visible
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = snapshot(src)
    report = import_paths([src], cache)
    import_paths([src], cache)
    assert snapshot(src) == before
    assert len(report.imported) == len(list(GOOD_ARTICLES.glob("*.md")))
    assert len(report.rejected) == len(list(BAD_ARTICLES.glob("*.md")))
    # Copies are byte for byte: BOM and CRLF survive.
    bom = next(p for p in report.imported if p.name == "bom_crlf.md")
    assert bom.read_bytes() == (GOOD_ARTICLES / "bom_crlf.md").read_bytes()


def test_imported_files_are_what_the_index_then_loads(source: Path, cache: Path) -> None:
    report = import_paths([source], cache)
    index = Index(cache, None)
    try:
        result = index.scan()
        assert result.skipped == []
        assert {e.path for e in index.entries()} == {
            p.relative_to(cache).as_posix() for p in report.imported
        }
    finally:
        index.close()


# --- atomic writes ----------------------------------------------------------------


def test_no_temporary_files_are_left_behind(source: Path, cache: Path) -> None:
    import_paths([source], cache)
    assert leftovers(cache) == []


def test_a_failed_rename_leaves_no_partial_file(
    source: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_link = os.link
    calls: list[str] = []

    def link_then_fail(src: str, dst: str) -> None:  # the import only creates: link, not replace
        calls.append(str(dst))
        if len(calls) > 1:  # the first file goes through, the second fails mid-way
            raise OSError(28, "No space left on device")
        real_link(src, dst)

    monkeypatch.setattr(atomic.os, "link", link_then_fail)
    report = import_paths([source], cache)
    assert len(calls) == 3
    assert len(report.imported) == 1
    assert len(report.rejected) == 2
    assert all("No space left on device" in reason for _, reason in report.rejected)
    written = [p for p in cache.rglob("*.md")]
    assert written == report.imported
    assert written[0].read_bytes().startswith(b"---\n")
    assert not any(Path(dst).exists() for dst in calls[1:])
    assert leftovers(cache) == []


def test_atomic_write_replaces_whole_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "deep" / "file.txt"
    atomic.write_text(target, "first version")
    assert target.read_text() == "first version"

    def fail(src: str, dst: str) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError):
        atomic.write_text(target, "second version that never lands")
    assert target.read_text() == "first version"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.txt"]


# --- through the command line ------------------------------------------------------


def test_cli_import_exit_codes(run_cli: RunCli, source: Path, tmp_path: Path) -> None:
    cache = tmp_path / "new-cache"  # import creates it
    ok = run_cli("--cache-dir", cache, "import", source)
    assert ok.returncode == 0, ok.stderr
    assert "3 imported, 0 already present, 0 rejected" in ok.stdout

    again = run_cli("--cache-dir", cache, "import", source)
    assert again.returncode == 0
    assert "0 imported, 3 already present, 0 rejected" in again.stdout

    bad = tmp_path / "bad"
    shutil.copytree(BAD_ARTICLES, bad)
    write_article(bad, "fine.md", title="Fine", originalUrl="https://example.com/fine")
    mixed = run_cli("--cache-dir", cache, "import", bad)
    assert mixed.returncode == 1
    assert (
        "1 imported" in mixed.stdout
        and f"{len(list(BAD_ARTICLES.glob('*.md')))} rejected" in mixed.stdout
    )
    assert "rejected" in mixed.stderr and "no usable title" in mixed.stderr
    assert "Traceback" not in mixed.stderr
