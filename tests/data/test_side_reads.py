"""The detail pane's look-ups read beside the screen's, and what the screen reads again is kept.

The related items are found on the index's second connection (reader.side_reads): a look-up
that takes seconds at a million articles must not hold the lock that an `s` or a search waits
for. The list's size and the orders' heads are kept while the index stays as it is.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from conftest import write_article

from reader.index import Index, index_path_for
from reader.side_reads import SideReads

TOPICS = [
    ("Quantum annealing startup raises money for superconducting qubits", "annealing qubits"),
    ("Superconducting qubits: how quantum annealing processors work", "annealing processors"),
    ("Tomatoes grow best with morning sun", "regular watering in spring"),
    ("A slow braise turns cheap cuts tender", "over an afternoon"),
]


def _indexed(cache: Path) -> tuple[Index, dict[str, int]]:
    for n, (title, excerpt) in enumerate(TOPICS):
        write_article(
            cache,
            f"a{n}.md",
            title=title,
            excerpt=excerpt,
            quality=10 * n,
            publishedDateTime=f"2024-01-0{n + 1}T10:00:00Z",
            originalUrl=f"https://news.example/{n}",
        )
    index = Index(cache, index_path_for(cache))
    index.scan(workers=1)
    return index, dict(index.conn.execute("SELECT path, id FROM articles").fetchall())


def _holding(lock: threading.RLock) -> tuple[threading.Event, threading.Thread]:
    """A thread that holds ``lock`` until the event returned is set."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert held.wait(5)
    return release, thread


def test_related_look_ups_do_not_wait_for_the_index_lock(cache: Path) -> None:
    index, ids = _indexed(cache)
    answers: list[tuple] = []

    def look_up() -> None:
        answers.append(
            (
                index.related(ids["a0.md"]),
                index.entries_by_id([ids["a1.md"]]),
                index.ids_for_urls(["https://news.example/2"]),
            )
        )

    release, holder = _holding(index._lock)  # a long search or store on the screen's side
    try:
        worker = threading.Thread(target=look_up, daemon=True)
        worker.start()
        worker.join(5)
        assert answers, "the look-up waited for the index's lock"
    finally:
        release.set()
        holder.join()
    related, by_id, by_url = answers[0]
    assert related[0][0] == ids["a1.md"]  # the other article on annealing qubits
    assert by_id[ids["a1.md"]].path == "a1.md"
    assert by_url == {"https://news.example/2": ids["a2.md"]}
    index.close()


def test_look_ups_see_the_scans_writes_not_yet_committed(cache: Path) -> None:
    """A scan storing files holds a transaction open: only the index's own connection sees its
    rows, so a look-up then reads there (under the lock) rather than beside it."""
    index, ids = _indexed(cache)
    with index._lock:
        index.conn.execute("BEGIN")
        index.conn.execute("UPDATE articles SET title = 'Renamed' WHERE id = ?", (ids["a3.md"],))
        try:
            assert index.entries_by_id([ids["a3.md"]])[ids["a3.md"]].title == "Renamed"
        finally:
            index.conn.rollback()
    assert index.entries_by_id([ids["a3.md"]])[ids["a3.md"]].title == TOPICS[3][0]
    index.close()


def test_an_index_in_memory_looks_up_on_its_own_connection(cache: Path) -> None:
    write_article(cache, "a.md", title="Alone", originalUrl="https://news.example/a")
    index = Index(cache, None)
    index.scan(workers=1)
    assert index.ids_for_urls(["https://news.example/a"]) == {"https://news.example/a": 1}


def test_a_side_connection_to_a_replaced_file_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    sqlite3.connect(path).close()
    stat = path.stat()
    side = SideReads(path, (stat.st_dev, stat.st_ino + 1))  # as if another file had been opened
    with side.connection() as conn:
        assert conn is None
    real = SideReads(path, (stat.st_dev, stat.st_ino))
    with real.connection() as conn:
        assert conn is not None and conn.execute("SELECT 1").fetchone() == (1,)
    real.close()
    with real.connection() as conn:
        assert conn is None  # closed with the index: not opened again


def test_the_size_and_heads_are_read_again_only_when_the_index_changes(cache: Path) -> None:
    index, ids = _indexed(cache)
    statements: list[str] = []
    index.conn.set_trace_callback(statements.append)
    head, size = index.page("quality", False, 10), index.list_size()
    assert [e.path for e in head] == ["a3.md", "a2.md", "a1.md", "a0.md"] and size == (4, 4)
    statements.clear()
    assert index.page("quality", False, 10) == head and index.list_size() == size
    assert [s for s in statements if "articles" in s] == []  # only the version was asked

    other = sqlite3.connect(index_path_for(cache))  # another program, or another reader
    other.execute("DELETE FROM articles WHERE path = 'a3.md'")
    other.commit()
    other.close()
    assert [e.path for e in index.page("quality", False, 10)] == ["a2.md", "a1.md", "a0.md"]
    assert index.list_size() == (3, 3)

    (cache / "a2.md").unlink()  # writes through the index's own connection: a3.md, still a
    index.scan(workers=1)  # file, is stored again; a2.md goes
    assert [e.path for e in index.page("quality", False, 10)] == ["a3.md", "a1.md", "a0.md"]
    assert index.list_size() == (3, 3)
    index.close()


def test_closing_stops_a_look_up_running_on_the_side_connection(cache: Path) -> None:
    index, _ = _indexed(cache)
    side = index._side
    assert side is not None
    started, failed = threading.Event(), []

    def long_look_up() -> None:
        with side.connection() as conn:
            assert conn is not None
            started.set()
            try:  # a query that would run for minutes
                conn.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
                    " SELECT count(*) FROM n WHERE i < 10000000000"
                ).fetchone()
            except sqlite3.OperationalError as exc:
                failed.append(str(exc))

    worker = threading.Thread(target=long_look_up, daemon=True)
    worker.start()
    assert started.wait(5)
    index.close()
    worker.join(5)
    assert failed == ["interrupted"]
