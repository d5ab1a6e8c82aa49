"""Reading state (``reader.state``): read marks, stars and saved views in SQLite in the data dir."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import write_article
from storage_conditions import unwritable_folder

from reader.entry import entry_key
from reader.library import SortKey, Source
from reader.paths import resolve
from reader.state import SavedView, StateStore

OpenStore = Callable[..., StateStore]


@pytest.fixture
def state_path() -> Path:
    """Where the program keeps its state under the test's isolated data dir."""
    return resolve().state_path


@pytest.fixture
def open_store(state_path: Path) -> Iterator[OpenStore]:
    """Open stores (on ``state_path`` unless told otherwise), closed again after the test."""
    opened: list[StateStore] = []

    def open_(path: Path | None = state_path) -> StateStore:
        store = StateStore(path)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


def on_disk(store: StateStore) -> bool:
    """Whether the store writes to a file (not the in-memory fallback)."""
    return store.conn.execute("PRAGMA database_list").fetchone()[2] != ""


# --- marks -------------------------------------------------------------------------


def test_a_new_store_is_empty_and_lives_in_the_data_dir(
    open_store: OpenStore, state_path: Path, isolated_dirs: Path
) -> None:
    store = open_store()
    assert store.read == set() and store.starred == set() and store.views() == []
    assert state_path.is_file() and on_disk(store)
    assert state_path.is_relative_to(isolated_dirs / "data")


def test_read_marks_and_stars(open_store: OpenStore) -> None:
    store = open_store()
    assert store.set_read(["https://example.com/a"]) == 1
    assert store.read == {"https://example.com/a"}
    assert store.set_read(["https://example.com/a"]) == 0  # already read: nothing changes
    assert store.toggle_star("https://example.com/a") is True
    assert store.starred == {"https://example.com/a"}
    assert store.set_read(["https://example.com/a"], False) == 1
    assert store.read == set()
    assert store.starred == {"https://example.com/a"}  # unreading keeps the star
    assert store.toggle_star("https://example.com/a") is False
    assert store.starred == set()
    store.toggle_star("b.md")
    assert store.read == set()  # starring does not mark read


def test_set_read_many_counts_only_changes(open_store: OpenStore) -> None:
    store = open_store()
    keys = [f"https://example.com/{n}" for n in range(500)]
    assert store.set_read(keys) == 500
    assert store.set_read(keys[:10]) == 0
    assert store.set_read(keys[:10] + ["new"]) == 1
    assert store.set_read(keys[:100], read=False) == 100
    assert store.set_read(keys[:100], read=False) == 0
    assert store.set_read([]) == 0
    assert store.read == set(keys[100:]) | {"new"}
    assert store.set_read(iter(keys[:5])) == 5  # any iterable


def test_marks_and_views_persist_across_instances(open_store: OpenStore) -> None:
    first = open_store()
    first.set_read(["https://example.com/a", "https://example.com/b", "c.md"])
    first.set_read(["https://example.com/b"], read=False)
    first.toggle_star("https://example.com/b")
    first.toggle_star("d.md")
    first.toggle_star("d.md")
    first.save_view("AI unread", "topic:AI is:unread")
    first.close()
    second = open_store()
    assert second.read == {"https://example.com/a", "c.md"}
    assert second.starred == {"https://example.com/b"}
    assert second.views() == [SavedView("AI unread", "topic:AI is:unread")]


def test_saved_views_keep_their_order_when_replaced_and_can_be_deleted(
    open_store: OpenStore,
) -> None:
    store = open_store()
    store.save_view("first", "topic:AI")
    time.sleep(0.002)
    store.save_view("second", "is:starred")
    store.save_view("first", "topic:AI is:unread")  # replacing keeps its place
    assert store.views() == [
        SavedView("first", "topic:AI is:unread"),
        SavedView("second", "is:starred"),
    ]
    store.delete_view("first")
    store.delete_view("never saved")
    assert store.views() == [SavedView("second", "is:starred")]
    assert open_store().views() == [SavedView("second", "is:starred")]


def test_reload_sees_what_another_instance_wrote(open_store: OpenStore) -> None:
    mine, other = open_store(), open_store()
    other.set_read(["https://example.com/a"])
    other.toggle_star("https://example.com/b")
    assert mine.read == set()  # kept in memory until asked
    mine.reload()
    assert mine.read == {"https://example.com/a"}
    assert mine.starred == {"https://example.com/b"}


def test_read_and_star_from_two_instances_do_not_overwrite_each_other(
    open_store: OpenStore,
) -> None:
    one, two = open_store(), open_store()
    one.set_read(["k"])
    two.toggle_star("k")  # an upsert of the star column only: the read mark stays
    three = open_store()
    assert three.read == {"k"} and three.starred == {"k"}


# --- keys: URLs, so marks survive renames, re-imports and index rebuilds ----------------------


def test_marks_survive_an_index_rebuild_renames_and_a_cleared_cache(
    cache: Path, open_store: OpenStore
) -> None:
    write_article(cache, "a.md", "Body", title="Alpha", originalUrl="https://example.com/a")
    write_article(cache, "b.md", "Body", title="Beta", webUrl="https://example.com/b")
    write_article(cache, "no-url.md", "Body", title="Gamma")
    source = Source(resolve(cache))
    source.scan()
    entries = {e.title: e for e in source.load().entries}
    source.index.close()
    assert entry_key(entries["Alpha"]) == "https://example.com/a"
    assert entry_key(entries["Gamma"]) == "no-url.md"  # no URL: keyed by its path
    store = open_store()
    store.set_read([entry_key(entries["Alpha"]), entry_key(entries["Gamma"])])
    store.toggle_star(entry_key(entries["Beta"]))
    store.close()

    # Delete the index, rename a file into a subfolder, re-scan.
    shutil.rmtree(cache / ".newsreader")
    (cache / "moved").mkdir()
    (cache / "a.md").rename(cache / "moved" / "alpha-renamed.md")

    def titles(text: str) -> list[str]:
        state = open_store()
        source = Source(resolve(cache))
        try:
            source.scan()
            rows = source.load().view(
                SortKey.DATE, text=text, read=state.read, starred=state.starred
            )
            return sorted(e.title for e in rows)
        finally:
            source.index.close()

    assert titles("is:unread") == ["Beta"]
    assert titles("is:read") == ["Alpha", "Gamma"]
    assert titles("is:starred") == ["Beta"]

    # Clearing the whole cache and bringing the articles back keeps the marks too.
    shutil.rmtree(cache)
    write_article(
        cache, "alpha-again.md", "Body", title="Alpha", originalUrl="https://example.com/a"
    )
    write_article(cache, "b.md", "Body", title="Beta", webUrl="https://example.com/b")
    write_article(cache, "no-url.md", "Body", title="Gamma")
    assert titles("is:unread") == ["Beta"]
    assert titles("is:starred") == ["Beta"]


def test_an_article_without_url_is_keyed_by_its_path(cache: Path, open_store: OpenStore) -> None:
    write_article(cache / "sub", "note.md", "Body", title="Note")
    source = Source(resolve(cache))
    source.scan()
    [entry] = source.load().entries
    source.index.close()
    assert entry.url is None
    # relative, with / separators: the same on every machine
    assert entry_key(entry) == "sub/note.md"
    store = open_store()
    store.set_read([entry_key(entry)])
    assert open_store().read == {"sub/note.md"}


# --- several writers at once ---------------------------------------------------------------

KEYS = [f"https://example.com/article/{n}" for n in range(2000)]

_WRITER = r"""
import os, sys, time
from pathlib import Path
from reader.state import StateStore

path, start, stop, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
keys = [f"https://example.com/article/{n}" for n in range(2000)]
deadline = time.monotonic() + 20
while not go.exists() and time.monotonic() < deadline:
    pass  # spin, so that both writers open the file within microseconds of each other
store = StateStore(Path(path))  # every writer opens the new file at the same moment
for i in range(start, stop, 4):
    store.set_read(keys[i:i + 4])
    if i % 40 == 0:
        store.toggle_star(keys[i])
store.close()  # a change the file refused for a moment is written by now
print("in memory" if store.pending else "on disk")
"""


def test_two_processes_writing_at_once_lose_nothing(
    state_path: Path, tmp_path: Path, open_store: OpenStore
) -> None:
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WRITER,
                str(state_path),
                str(start),
                str(start + 1000),
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )
        for start in (0, 1000)
    ]
    time.sleep(0.3)  # let both interpreters start, then release them together
    go.touch()
    for writer in writers:
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        # A writer that fell back to memory would silently lose its half.
        assert out.strip() == "on disk", err
    store = open_store()
    assert store.read == set(KEYS)
    assert store.starred == {KEYS[i] for i in range(0, 2000, 40)}


def test_instances_opening_a_new_state_file_at_once_all_use_it(tmp_path: Path) -> None:
    # SQLite answers "locked" at once while another connection turns a new file to WAL; an
    # instance that took that for a damaged file kept its marks in memory and lost them.
    # The window is narrow, so the race is run many times.
    for round_ in range(60):
        path = tmp_path / f"round{round_}" / "state.sqlite3"
        start = threading.Barrier(4)
        results: list[bool | BaseException] = []

        def open_and_mark(
            n: int, start: threading.Barrier = start, path: Path = path, results: list = results
        ) -> None:
            try:
                start.wait()
                store = StateStore(path)
                store.set_read([f"key-{n}"])
                results.append(on_disk(store))
                store.close()
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                results.append(exc)

        threads = [threading.Thread(target=open_and_mark, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [True] * 4, round_
        check = StateStore(path)
        assert check.read == {f"key-{n}" for n in range(4)}, round_
        check.close()


def test_threads_sharing_one_store_lose_nothing(open_store: OpenStore) -> None:
    store = open_store()
    errors: list[BaseException] = []

    def mark(part: list[str]) -> None:
        try:
            for i in range(0, len(part), 5):
                store.set_read(part[i : i + 5])
                store.toggle_star(part[i])
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=mark, args=(KEYS[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected_stars = {key for n in range(8) for key in KEYS[n::8][::5]}
    assert store.read == set(KEYS) and store.starred == expected_stars
    fresh = open_store()
    assert fresh.read == set(KEYS) and fresh.starred == expected_stars


def test_two_stores_in_two_threads_lose_nothing(open_store: OpenStore) -> None:
    stores = [open_store(), open_store()]
    errors: list[BaseException] = []

    def mark(store: StateStore, part: list[str]) -> None:
        try:
            for i in range(0, len(part), 3):
                store.set_read(part[i : i + 3])
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [
        threading.Thread(target=mark, args=(store, KEYS[n::2])) for n, store in enumerate(stores)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # A write that found the other store's transaction longer than its 50 ms wait (a loaded
    # machine) stays pending in memory; closing writes what waits, so nothing may be missing then.
    assert [store.close() for store in stores] == ["", ""]
    assert open_store().read == set(KEYS)


# --- places it cannot use ---------------------------------------------------------------------


def _damaged_files(tmp_path: Path) -> dict[str, bytes]:
    """A garbage file, a truncated database, and one with a good header over damaged pages."""
    good = tmp_path / "good.sqlite3"
    store = StateStore(good)
    store.set_read([f"https://example.com/{n}" for n in range(3000)])
    store.save_view("v", "q")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = good.read_bytes()
    assert len(data) > 8192
    return {
        "garbage": bytes((n * 131 + 7) % 256 for n in range(5000)),
        "truncated": data[: len(data) // 3],
        "damaged pages": data[:4096] + bytes((n * 37) % 256 for n in range(len(data) - 4096)),
    }


def test_a_damaged_state_file_gives_a_working_store_in_memory_and_is_left_untouched(
    tmp_path: Path, state_path: Path, open_store: OpenStore
) -> None:
    for kind, content in _damaged_files(tmp_path).items():
        state_path.parent.mkdir(parents=True, exist_ok=True)
        state_path.write_bytes(content)
        store = open_store()  # must not raise
        assert not on_disk(store), kind
        assert store.read == set() and store.starred == set() and store.views() == [], kind
        assert store.set_read(["k"]) == 1 and store.toggle_star("k")
        store.set_read(["a", "b"])
        store.save_view("v", "is:unread")
        assert store.read == {"k", "a", "b"} and store.views() == [SavedView("v", "is:unread")], (
            kind
        )
        store.reload()
        assert store.read == {"k", "a", "b"} and store.starred == {"k"}, kind
        store.close()
        # The file is kept as it was (nothing deleted or overwritten), for the user to inspect or
        # restore.
        assert state_path.read_bytes() == content, kind


def test_an_unusable_data_dir_gives_an_in_memory_store(
    tmp_path: Path, open_store: OpenStore
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    for path in (
        blocker / "newsreader" / "state.sqlite3",
        tmp_path / "a-folder-named-like-the-file",
        None,
    ):
        if path is not None and path.name.startswith("a-folder"):
            path.mkdir()  # the state "file" is a folder
        store = open_store(path)
        assert not on_disk(store)
        assert store.set_read(["k"]) == 1 and store.read == {"k"}
        store.save_view("v", "q")
        assert store.views() == [SavedView("v", "q")]
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_read_only_data_dir_gives_an_in_memory_store(
    tmp_path: Path, open_store: OpenStore
) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    with unwritable_folder(folder):
        store = open_store(folder / "state.sqlite3")
        assert not on_disk(store)
        assert store.toggle_star("k") is True and store.starred == {"k"}
        store.close()


def test_set_starred_many_counts_only_changes_and_waits_for_a_held_file(
    open_store: OpenStore, state_path: Path
) -> None:
    from storage_conditions import held

    store = open_store()
    keys = [f"https://example.com/{n}" for n in range(300)]
    assert store.set_starred(iter(keys)) == 300  # any iterable
    assert store.set_starred(keys[:10] + ["new.md"]) == 1
    assert store.set_starred(keys[:100], starred=False) == 100
    assert store.set_starred(keys[:100], starred=False) == 0
    assert store.set_starred([]) == 0
    assert store.starred == set(keys[100:]) | {"new.md"} and store.read == set()
    with held(state_path):  # refused for now: kept in memory, with the reason
        assert store.set_starred(keys[:2]) == 2
        assert store.pending and "in use" in store.problem
    assert store.save() and not store.pending
    assert open_store().starred == set(keys[:2]) | set(keys[100:]) | {"new.md"}
