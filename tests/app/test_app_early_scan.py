"""A warm start stores its few changed files before the first paint (issue #16).

When the file check's answer comes before the first page has painted and
lists few files, the loader parses and stores them at once, says the files
are checked, and only then reads the whole list, which has them: what the
screen ends with must be what a fresh load of the index gives. The paint is
held back here (the early scan sees it as not yet painted) and the whole
list's load is gated, so the order is deterministic.
"""

from __future__ import annotations

import threading

import pytest

from app.conftest import SIZE, fixed_clock, paths, wait_loaded, wait_until
from app.test_app_first_page import ARTICLES, status, title, whole, write_articles
from reader import filecheck
from reader.app import make_app
from reader.components import early_scan, library_loader
from reader.filecheck import FileDiff
from reader.library import Collection, SortKey, Source, preload
from reader.paths import Locations
from reader.widgets.article_list import ArticleList


@pytest.fixture
def changed_locations(tmp_path) -> Locations:
    """An indexed cache of :data:`ARTICLES` articles, then one edited, one added, one removed."""
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    write_articles(locations.cache, ARTICLES)
    source = Source(locations)
    source.scan()
    source.index.close()
    cache = locations.cache
    edited = cache / "a0003.md"
    edited.write_text(edited.read_text().replace("Story number 3", "Story number 3, revised"))
    (cache / "a0004.md").unlink()
    (cache / "new.md").write_text(
        '---\ntitle: "The newest story"\npublishedDateTime: "2026-11-25T10:00:00Z"\n'
        'originalUrl: "https://example.com/new"\n---\nBody.\n',
        encoding="utf-8",
    )
    return locations


async def test_few_changed_files_are_stored_before_the_whole_list_is_read(
    changed_locations, monkeypatch
):
    monkeypatch.setattr(library_loader, "LOAD_AT_ONCE", 0)  # this cache counts as a big one
    scans: list[FileDiff | None] = []
    loads: list[int] = []
    release = threading.Event()
    scan, load, scan_few_first = Source.scan, Source.load, early_scan.scan_few_first

    def recorded_scan(self: Source, progress=None, diff=None, stop=None):
        scans.append(diff)
        return scan(self, progress, diff, stop)

    def gated_load(self: Source, apart: bool = False, between=None) -> Collection:
        loads.append(len(scans))
        release.wait(timeout=20)
        return load(self, apart, between)

    def before_the_paint(source, diff, painted, stop, show_checked, timeout=2.0):
        """The paint is slower than the check: the answer is taken before it."""
        return scan_few_first(source, diff, lambda seconds: False, stop, show_checked, 20)

    monkeypatch.setattr(Source, "scan", recorded_scan)
    monkeypatch.setattr(Source, "load", gated_load)
    monkeypatch.setattr(early_scan, "scan_few_first", before_the_paint)
    app = make_app(changed_locations, preload=preload(changed_locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loads, 20, "the whole list's load")
        await wait_until(pilot, lambda: "articles in" in status(app), 10, "the files checked")
        screen = app.screen
        assert f"{ARTICLES:,} articles in" in status(app)  # one added, one removed
        assert paths(screen)[0] == "new.md"  # the first page is the index's, changes included
        assert loads == [1]  # the whole list is read after the changed files were stored
        first = scans[0]
        assert first is not None
        assert sorted(c.path for c in first.changed) == ["a0003.md", "new.md"]
        assert first.gone == ["a0004.md"]
        release.set()
        screen = await wait_loaded(pilot)
        fresh = whole(changed_locations).sorted(SortKey.DATE)
        assert paths(screen) == [e.path for e in fresh]
        titles = {e.path: e.title for e in screen.query_one(ArticleList).entries}
        assert titles["a0003.md"] == "Story number 3, revised"
    assert len(scans) == 2 and scans[1] == FileDiff([], [], first.seen)  # nothing left after


async def test_a_cold_start_shows_its_first_files_before_the_check_answers(tmp_path, monkeypatch):
    """The check's answer (every file, once all are walked) is held back: the first screen is
    the files the reader parsed itself, and they are not parsed again after."""
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    write_articles(locations.cache, ARTICLES)
    first = 30
    monkeypatch.setattr(early_scan, "FIRST_FILES", first)
    release = threading.Event()
    checked_files, scan = early_scan.checked_files, Source.scan
    scans: list[FileDiff | None] = []

    def held(diff, stop):
        release.wait(timeout=20)
        return checked_files(diff, stop)

    def recorded_scan(self: Source, progress=None, diff=None, stop=None):
        scans.append(diff)
        return scan(self, progress, diff, stop)

    monkeypatch.setattr(early_scan, "checked_files", held)
    monkeypatch.setattr(Source, "scan", recorded_scan)
    app = make_app(locations, preload=preload(locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: f"All articles · {first} ·" in title(app), 10, "a page")
        assert len(paths(app.screen)) == first and not scans  # the walk has not answered yet
        release.set()
        screen = await wait_loaded(pilot)
        assert paths(screen) == [e.path for e in whole(locations).sorted(SortKey.DATE)]
    assert scans[0] is not None and scans[0].seen == ARTICLES
    assert len(scans[0].changed) == ARTICLES - first  # the first files are not parsed again


async def test_a_cold_start_records_the_folder_times_its_check_took(tmp_path, monkeypatch):
    """The check's answer, less the files stored ahead of it, keeps its folder times: the index
    records them once built, and the next start on a big cache lists only the folders changed
    since (it walked every file again without them: 6 s at a million)."""
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    write_articles(locations.cache, ARTICLES)
    monkeypatch.setattr(early_scan, "FIRST_FILES", 30)
    app = make_app(locations, preload=preload(locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
    index = Source(locations).index
    try:
        recorded = dict(index.conn.execute("SELECT path, mtime_ns FROM folders"))
    finally:
        index.close()
    assert set(recorded) == {""}  # the cache itself (a flat cache)
    assert recorded[""] in (locations.cache.stat().st_mtime_ns, filecheck.UNSETTLED)


async def test_few_changed_files_checked_after_the_paint_hold_the_whole_list_back(
    changed_locations, monkeypatch
):
    """The check answers after the first paint: the whole list, already loading, waits between
    two of its chunks while the few changed files are stored (they share one interpreter),
    and reads on after them."""
    monkeypatch.setattr(library_loader, "LOAD_AT_ONCE", 0)  # this cache counts as a big one
    storing, stored = threading.Event(), threading.Event()
    held: list[bool] = []
    scan, load = Source.scan, Source.load

    def slow_scan(self: Source, progress=None, diff=None, stop=None):
        storing.set()
        stored.wait(timeout=0.5)  # long enough for a load that was not held to get past
        result = scan(self, progress, diff, stop)
        stored.set()
        return result

    def watched_load(self: Source, apart: bool = False, between=None) -> Collection:
        assert storing.wait(timeout=20)  # loading while the files are stored
        between()
        held.append(stored.is_set())  # let through only once they are
        return load(self, apart, between)

    def after_the_paint(source, diff, painted, stop, show_checked, timeout=2.0):
        return None  # the paint came first: nothing is stored before it

    monkeypatch.setattr(Source, "scan", slow_scan)
    monkeypatch.setattr(Source, "load", watched_load)
    monkeypatch.setattr(early_scan, "scan_few_first", after_the_paint)
    app = make_app(changed_locations, preload=preload(changed_locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert held == [True]
        assert paths(screen) == [e.path for e in whole(changed_locations).sorted(SortKey.DATE)]


@pytest.mark.parametrize("moved", [False, True])
async def test_a_cold_start_untouched_ends_on_the_newest_article(tmp_path, monkeypatch, moved):
    """The first files parsed are not the newest: an untouched cursor stays on the first row
    as the whole list comes in, and one the user moved stays on its article."""
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    write_articles(locations.cache, ARTICLES)
    monkeypatch.setattr(early_scan, "FIRST_FILES", 30)
    release = threading.Event()
    checked_files = early_scan.checked_files

    def held(diff, stop):
        release.wait(timeout=20)
        return checked_files(diff, stop)

    monkeypatch.setattr(early_scan, "checked_files", held)
    app = make_app(locations, preload=preload(locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "All articles · 30 ·" in title(app), 10, "a first page")
        articles = app.screen.query_one(ArticleList)
        if moved:
            await pilot.press("j", "j")
        chosen = articles.highlighted
        release.set()
        screen = await wait_loaded(pilot)
        newest = whole(locations).sorted(SortKey.DATE)[0]
        assert chosen is not None and paths(screen)[0] == newest.path
        if moved:
            assert articles.highlighted.path == chosen.path
        else:
            assert chosen.path != newest.path  # the first files parsed were not the newest
            assert articles.cursor == 0 and articles.highlighted.path == newest.path
