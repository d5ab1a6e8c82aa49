"""The SQLite index of a cache (``reader.index``): incremental scans, rebuilds, concurrency."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import BAD_ARTICLES, GOOD_ARTICLES, copy_articles, write_article

import reader.articles as articles_module
import reader.index as index_module
import reader.index_rows as index_rows
from reader.entry import topics_of
from reader.index import SCHEMA_VERSION, Index, index_path_for

OpenIndex = Callable[[Path], Index]


@pytest.fixture
def open_index() -> Iterator[OpenIndex]:
    """Open indexes on their on-disk location, closed again after the test."""
    opened: list[Index] = []

    def open_(root: Path) -> Index:
        index = Index(root, index_path_for(root))
        opened.append(index)
        return index

    yield open_
    for index in opened:
        try:
            index.close()
        except sqlite3.Error:
            pass


def many_articles(folder: Path, count: int, *, bad_every: int = 0) -> set[str]:
    """Write ``count`` small articles (every ``bad_every``-th one broken); return the good names."""
    good = set()
    for n in range(count):
        name = f"a{n:04d}.md"
        if bad_every and n % bad_every == 0:
            (folder / name).write_text(f"no front matter {n}\n", encoding="utf-8")
            continue
        write_article(
            folder,
            name,
            f"Body {n}",
            title=f"Article {n}",
            quality=n % 90,
            publishedDateTime=f"2021-01-01T00:{n % 60:02d}:00Z",
            topics=[f"T{n % 5}"],
            originalUrl=f"https://example.com/{n}",
        )
        good.add(name)
    return good


def paths_of(index: Index) -> set[str]:
    return {entry.path for entry in index.entries()}


# --- building and incremental scans --------------------------------------------


def test_scan_builds_the_index_with_every_good_file_and_every_skip(
    cache: Path, open_index: OpenIndex
) -> None:
    good = set(copy_articles(GOOD_ARTICLES, cache))
    bad = set(copy_articles(BAD_ARTICLES, cache))
    index = open_index(cache)
    result = index.scan()
    assert paths_of(index) == good
    assert index.count() == len(good)
    assert {skip.path for skip in result.skipped} == bad
    for skip in result.skipped:
        assert skip.reason and "\n" not in skip.reason
    assert result.total_files == len(good) + len(bad)
    assert result.parsed == len(good) + len(bad)
    assert result.changed
    assert index_path_for(cache).is_file()


def test_entry_fields_are_stored(good_cache: Path, open_index: OpenIndex) -> None:
    index = open_index(good_cache)
    index.scan()
    entry = next(e for e in index.entries() if e.path == "seed_shaped.md")
    assert entry.title == "Harbour city pilots autonomous ferries across the bay"
    assert entry.published == 1615714200.0  # 2021-03-14T09:30:00Z
    assert (entry.quality, entry.heat, entry.type) == (42, 17, "article")
    assert (entry.provider, entry.domain) == ("Example News", "news.example.com")
    assert entry.url == "https://news.example.com/2021/03/ferries"
    assert topics_of(entry) == ["Robotics", "Transport"]
    older = next(e for e in index.entries() if e.path == "older_generation.md")
    assert older.heat is None
    bare = next(e for e in index.entries() if e.path == "missing_optional.md")
    assert (bare.published, bare.quality, bare.url, topics_of(bare)) == (None, None, None, [])
    assert "https://example.com/x" not in index.urls()
    assert "https://news.example.com/2021/03/ferries" in index.urls()


def test_second_scan_parses_nothing(cache: Path, open_index: OpenIndex) -> None:
    copy_articles(GOOD_ARTICLES, cache)
    copy_articles(BAD_ARTICLES, cache)
    (cache / "dir.md").mkdir()
    (cache / "broken.md").symlink_to(cache / "nowhere")
    index = open_index(cache)
    first = index.scan()
    again = index.scan()
    assert again.parsed == 0 and again.removed == 0 and not again.changed
    assert again.skipped == first.skipped
    # A new Index on the same file trusts what is stored too.
    assert open_index(cache).scan().parsed == 0


def test_changed_added_and_removed_files(cache: Path, open_index: OpenIndex) -> None:
    a = write_article(cache, "a.md", title="First title")
    b = write_article(cache, "b.md", title="Stays")
    c = write_article(cache, "c.md", title="Goes away")
    index = open_index(cache)
    index.scan()

    write_article(cache, "a.md", title="Second, longer title")  # size changes
    result = index.scan()
    assert (result.parsed, result.removed) == (1, 0)
    titles = {e.path: e.title for e in index.entries()}
    assert titles["a.md"] == "Second, longer title"

    b.write_text(b.read_text().replace("Stays", "Moved"), encoding="utf-8")  # same size
    info = b.stat()
    os.utime(b, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    assert index.scan().parsed == 1
    assert {e.path: e.title for e in index.entries()}["b.md"] == "Moved"

    write_article(cache / "sub" / "deeper", "d.md", title="Added")
    c.unlink()
    result = index.scan()
    assert (result.parsed, result.removed) == (1, 1)
    assert paths_of(index) == {"a.md", "b.md", "sub/deeper/d.md"}
    assert a.exists()


def test_skipped_files_are_rechecked_when_they_change(cache: Path, open_index: OpenIndex) -> None:
    path = cache / "x.md"
    path.write_text("---\nexcerpt: no title yet\n---\n", encoding="utf-8")
    index = open_index(cache)
    result = index.scan()
    assert [(s.path, s.reason) for s in result.skipped] == [("x.md", "no usable title")]
    assert index.scan().parsed == 0  # an unchanged skipped file is not parsed again

    write_article(cache, "x.md", title="Fixed now")
    result = index.scan()
    assert result.parsed == 1 and result.skipped == []
    assert paths_of(index) == {"x.md"}

    path.write_bytes(b"\x00\x01 binary now")
    result = index.scan()
    assert [s.path for s in result.skipped] == ["x.md"]
    assert "binary" in result.skipped[0].reason
    assert index.count() == 0

    path.unlink()
    result = index.scan()
    assert result.removed == 1 and result.skipped == [] and index.skipped() == []


def test_problem_names_are_skipped_with_reasons(cache: Path, open_index: OpenIndex) -> None:
    write_article(cache, "good.md", title="Good")
    (cache / "x.md").mkdir()
    write_article(cache / "x.md", "inside.md", title="Inside a folder named x.md")
    (cache / "broken.md").symlink_to(cache / "nowhere.md")
    (cache / "loop.md").symlink_to(cache / "loop.md")
    (cache / "linkdir.md").symlink_to(cache / "x.md")
    outside = write_article(cache.parent / "outside", "o.md", title="Linked from outside")
    (cache / "linked.md").symlink_to(outside)
    huge = cache / "huge.md"
    huge.write_bytes(b"---\ntitle: Huge\n---\n" + b"x" * (2 * 1024 * 1024))
    (cache / "notes.txt").write_text("not an article")
    index = open_index(cache)
    result = index.scan()
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons == {
        "x.md": "is a directory",
        "broken.md": "broken symlink",
        "loop.md": "symlink loop",
        "linkdir.md": "is a directory",
        "huge.md": reasons["huge.md"],
    }
    assert "too large" in reasons["huge.md"]
    assert paths_of(index) == {"good.md", "x.md/inside.md", "linked.md"}


def test_dot_folders_and_dot_files_are_not_scanned(cache: Path, open_index: OpenIndex) -> None:
    write_article(cache, "visible.md", title="Visible")
    write_article(cache / ".newsreader", "own.md", title="Own folder")
    write_article(cache / ".git", "x.md", title="Git")
    write_article(cache / "sub" / ".hidden", "h.md", title="Hidden below")
    write_article(cache, ".dotfile.md", title="Dot file")
    index = open_index(cache)
    result = index.scan()
    assert paths_of(index) == {"visible.md"}
    assert result.total_files == 1


def test_unexpected_parser_error_skips_one_file_and_the_scan_goes_on(
    cache: Path, open_index: OpenIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article(cache, "a.md", title="A")
    write_article(cache, "boom.md", title="B")
    real = articles_module.read_text  # the parser takes it from there on its first file

    def read(path: str) -> str:
        if os.path.basename(path) == "boom.md":
            raise RuntimeError("a bug")
        return real(path)

    monkeypatch.setattr(articles_module, "read_text", read)
    index = open_index(cache)
    result = index.scan()
    assert paths_of(index) == {"a.md"}
    assert [(s.path, s.reason) for s in result.skipped] == [
        ("boom.md", "unexpected error: RuntimeError")
    ]


def test_missing_root_gives_an_empty_index(tmp_path: Path) -> None:
    index = Index(tmp_path / "absent", None)
    try:
        result = index.scan()
        assert (index.count(), result.total_files, result.changed) == (0, 0, False)
    finally:
        index.close()


def test_unwritable_index_location_falls_back_to_memory(cache: Path) -> None:
    write_article(cache, "a.md", title="A")
    (cache / ".newsreader").write_text("a file where the index folder should be")
    index = Index(cache, index_path_for(cache))
    try:
        assert index.db_path is None
        index.scan()
        assert paths_of(index) == {"a.md"}
    finally:
        index.close()


# --- an index is a cache: rebuilt, never trusted -------------------------------


def _sqlite_files(db: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize(
    "garbage",
    [b"garbage", os.urandom(8192), b"SQLite format 3\x00" + os.urandom(8176)],
    ids=["text", "random", "sqlite-header-then-random"],
)
def test_corrupt_index_file_is_rebuilt(
    good_cache: Path, open_index: OpenIndex, garbage: bytes
) -> None:
    first = open_index(good_cache)
    first.scan()
    expected = paths_of(first)
    first.close()
    db = index_path_for(good_cache)
    _sqlite_files(db)
    db.write_bytes(garbage)

    index = open_index(good_cache)
    result = index.scan()
    assert paths_of(index) == expected
    assert result.parsed == len(expected)  # everything re-parsed: nothing was trusted
    check = sqlite3.connect(db)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        check.close()


@pytest.mark.parametrize("version", [SCHEMA_VERSION - 1, SCHEMA_VERSION + 1, 0])
def test_index_of_another_version_is_rebuilt(
    cache: Path, open_index: OpenIndex, version: int
) -> None:
    article = write_article(cache, "a.md", title="Real title")
    info = article.stat()
    db = index_path_for(cache)
    db.parent.mkdir()
    old = sqlite3.connect(db)
    # An older layout holding a row that matches the file's size and mtime exactly.
    old.execute(
        "CREATE TABLE articles (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, title TEXT)"
    )
    old.execute(
        "INSERT INTO articles VALUES ('a.md', ?, ?, 'Stale title')",
        (info.st_size, info.st_mtime_ns),
    )
    old.execute("INSERT INTO articles VALUES ('ghost.md', 1, 1, 'Ghost')")
    old.execute(f"PRAGMA user_version = {version}")
    old.commit()
    old.close()

    index = open_index(cache)
    index.scan()
    assert [(e.path, e.title) for e in index.entries()] == [("a.md", "Real title")]


# --- concurrency: two scanners on one cache ------------------------------------


def _assert_consistent(cache: Path, expected: set[str], open_index: OpenIndex) -> None:
    check = open_index(cache)
    assert check.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert paths_of(check) == expected
    rows = check.conn.execute("SELECT count(*), count(DISTINCT path) FROM articles").fetchone()
    assert rows == (len(expected), len(expected))
    assert check.scan().parsed == 0  # what they stored matches the files


def test_two_indexes_scanning_at_once_in_threads(cache: Path, open_index: OpenIndex) -> None:
    expected = many_articles(cache, 150)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            barrier.wait()
            index = Index(cache, index_path_for(cache))
            try:
                index.scan()
            finally:
                index.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    _assert_consistent(cache, expected, open_index)


_SCAN_SCRIPT = """
import sys
from pathlib import Path
from reader.index import Index, index_path_for
root = Path(sys.argv[1])
index = Index(root, index_path_for(root))
index.scan()
print(index.count())
index.close()
"""


def test_two_processes_scanning_at_once(cache: Path, open_index: OpenIndex) -> None:
    expected = many_articles(cache, 300)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SCAN_SCRIPT, str(cache)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [proc.communicate(timeout=60) for proc in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    _assert_consistent(cache, expected, open_index)


# --- the process pool ----------------------------------------------------------


def test_pool_path_gives_the_same_result_as_the_serial_one(
    tmp_path: Path, open_index: OpenIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial_root, pool_root = tmp_path / "serial", tmp_path / "pool"
    serial_root.mkdir()
    expected = many_articles(serial_root, 60, bad_every=7)
    copy_articles(GOOD_ARTICLES, serial_root)
    copy_articles(BAD_ARTICLES, serial_root)
    pool_root.mkdir()
    copy_articles(serial_root, pool_root)

    serial = open_index(serial_root).scan(workers=1)
    serial_index = open_index(serial_root)

    started: list[object] = []
    real_start = index_rows.start_pool

    def spy(workers: int):
        pool = real_start(workers)
        started.append(pool)
        return pool

    monkeypatch.setattr(index_rows, "POOL_THRESHOLD", 10)
    monkeypatch.setattr(index_rows, "start_pool", spy)
    progress: list[tuple[int, int]] = []
    pooled_index = open_index(pool_root)
    pooled = pooled_index.scan(lambda done, total: progress.append((done, total)), workers=2)

    assert started and started[0] is not None, "the scan did not run in a process pool"

    # Row ids follow the order results arrive in, which parser processes do not keep.
    # (the group is the smallest id of its copies, so it follows too).
    def unnumbered(index: Index) -> list:
        return sorted(e._replace(id=None, group=None) for e in index.entries())

    assert unnumbered(pooled_index) == unnumbered(serial_index)
    assert pooled.skipped == serial.skipped
    assert len(expected) < pooled_index.count()
    total = pooled.total_files
    assert progress[-1] == (total, total)


def test_bulk_read_gives_exactly_the_rows_a_row_by_row_read_gives(
    cache: Path, open_index: OpenIndex
) -> None:
    """Entries are read as one JSON array per column; every value must survive that exactly."""
    index = open_index(cache)
    assert index.entries() == []  # an empty index, where SQLite's aggregates give NULL
    rows = [
        (
            "a.md",
            'Quotes " and \\ backslashes, tabs\tand ünïcödé 東京',
            1700331060.1234567,
            77,
            5,
            "P",
            "p.test",
            'https://p.test/a?x=1&y="2"',
            "article",
            "AI\x1fSpace",
        ),
        ("b.md", "Undated, unscored, no link", None, None, None, "", "", None, "article", ""),
        (
            "c.md",
            "Tiny and huge numbers",
            1e-7,
            0,
            -3,
            "Q",
            "q.test",
            "https://q.test/c",
            "blog",
            "AI",
        ),
        (
            "d.md",
            "Far future",
            253402300799.99997,
            100,
            100,
            "Q",
            "q.test",
            "https://q.test/d",
            "article",
            "",
        ),
    ]
    with index.conn:
        index.conn.executemany(
            "INSERT INTO articles (path, size, mtime_ns, title, excerpt, published, quality,"
            " heat, provider, domain, url, type, topics)"
            " VALUES (?, 1, 1, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    by_row = [
        index_module.Entry._make(r)
        for r in index.conn.execute(f"SELECT {index_module.COLUMNS} FROM articles")
    ]
    bulk = index._entries_in_bulk()
    assert bulk == by_row and index.entries() == by_row
    assert [type(e) for e in bulk] == [index_module.Entry] * 4
    assert (
        bulk[0].published == 1700331060.1234567
        and bulk[1].published is None
        and bulk[1].url is None
    )


def test_word_matches_fall_back_when_sqlite_has_no_json(
    good_cache: Path, open_index: OpenIndex
) -> None:
    """Entries come as JSON arrays; an SQLite built without JSON gives the same rows one by one,
    and word matches (read without JSON) are the same."""
    index = open_index(good_cache)
    index.scan()
    expected = index.match_ids('"a"*')
    assert expected, "the fixture must match something"

    class NoJson:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def __getattr__(self, name: str) -> object:
            return getattr(self.conn, name)

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if "json_group_array" in sql:
                raise sqlite3.OperationalError("no such function: json_group_array")
            return self.conn.execute(sql, *args)

    real = index.conn
    index.conn = NoJson(real)  # type: ignore[assignment]
    try:
        assert index.match_ids('"a"*') == expected
        assert index.match_ids('"unclosed') == set()  # a bad expression still matches nothing
        assert sorted(index.entries()) == sorted(
            index_module.Entry._make(r)
            for r in real.execute(f"SELECT {index_module.COLUMNS} FROM articles")
        )
    finally:
        index.conn = real
