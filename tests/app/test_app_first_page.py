"""The first screen from the index while the rest loads behind it (issue #16).

The whole collection's load is held back by a gate here, so what the screen
shows in between, and what keys do then, is looked at without a race: the
plain list comes from the head of its order with the index's count, keys that
need every article wait for it, and the cursor stays on its article when the
whole collection replaces the head. A first scan refreshes the list from the
index's first page, never by loading everything, and ``q`` ends it at once.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from app.conftest import SIZE, fixed_clock, paths, search_for, wait_loaded, wait_until
from reader.app import make_app
from reader.components import early_scan, scan_fill
from reader.filecheck import FileDiff, compare
from reader.first_page import PAGE_ROWS
from reader.index import ScanResult
from reader.library import Collection, SortKey, Source, preload
from reader.paths import Locations
from reader.widgets.article_list import ArticleList
from reader.widgets.status_line import StatusLine

ARTICLES = PAGE_ROWS + 50
"""More than a first page holds, so the page is a part of the list."""
UNGATED_LOAD = Source.load
"""The real load, which :func:`gate` holds back in the app (the tests compare with it)."""


def write_articles(cache: Path, count: int) -> None:
    """``count`` articles with distinct dates and a spread of qualities, one in seven with none."""
    cache.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        quality = "" if n % 7 == 0 else f"quality: {(n * 37) % 101}\n"
        when = f"2025-0{1 + n % 9}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
        (cache / f"a{n:04d}.md").write_text(
            f'---\ntitle: "Story number {n}"\nexcerpt: "Excerpt {n}"\n{quality}'
            f'publishedDateTime: "{when}"\n'
            f'topics: [T{n % 5}]\noriginalUrl: "https://example.com/{n}"\n---\nBody {n}.\n',
            encoding="utf-8",
        )


@pytest.fixture
def big_locations(tmp_path: Path) -> Locations:
    """A cache of :data:`ARTICLES` articles, already indexed (a warm start)."""
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    write_articles(locations.cache, ARTICLES)
    source = Source(locations)
    source.scan()
    source.index.close()
    return locations


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold every load of the whole collection until the event is set (bounded)."""
    release = threading.Event()
    load = Source.load

    def held(self: Source, apart: bool = False, between=None) -> Collection:
        release.wait(timeout=20)
        return load(self, apart, between)

    monkeypatch.setattr(Source, "load", held)
    return release


def whole(locations: Locations) -> Collection:
    """The whole collection, loaded directly, to compare orders with."""
    source = Source(locations)
    try:
        return UNGATED_LOAD(source)
    finally:
        source.index.close()


def title(app) -> str:
    return str(app.screen.query_one("#list-title").render())


def status(app) -> str:
    return str(app.screen.query_one(StatusLine).render())


async def on_first_page(pilot, app) -> None:
    screen = app.screen
    await wait_until(pilot, lambda: getattr(screen, "page", None) is not None, 10, "first page")
    await pilot.pause()


async def test_the_first_screen_is_the_head_of_the_list_with_the_index_s_count(big_locations, gate):
    everything = whole(big_locations)
    app = make_app(big_locations, preload=preload(big_locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_page(pilot, app)
        screen = app.screen
        newest = [e.path for e in everything.sorted(SortKey.DATE)]
        assert paths(screen) == newest[:PAGE_ROWS]
        assert f"All articles · {ARTICLES:,} · by date, newest first" in title(app)
        # "Counting 250 articles…", then "250 articles in … · counting…" once the files are checked
        assert "counting…" in status(app).lower()
        await pilot.press("s")  # the head of the other order, read from the index too
        assert paths(screen) == [e.path for e in everything.sorted(SortKey.QUALITY)][:PAGE_ROWS]
        await pilot.press("r")
        lowest = [e.path for e in everything.sorted(SortKey.QUALITY, True)]
        assert paths(screen) == lowest[:PAGE_ROWS]
        assert f"All articles · {ARTICLES:,} · by quality, lowest first" in title(app)
        gate.set()
        screen = await wait_loaded(pilot)
        assert screen.page is None
        assert paths(screen) == lowest  # the order chosen meanwhile, over every article
        assert f"{ARTICLES:,} articles in" in status(app)


async def test_the_cursor_stays_on_its_article_when_the_whole_list_comes_in(big_locations, gate):
    app = make_app(big_locations, preload=preload(big_locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_page(pilot, app)
        articles = app.screen.query_one(ArticleList)
        await pilot.press("down", "down", "down", "down", "down")
        chosen = articles.highlighted
        assert articles.cursor == 5 and chosen is not None
        gate.set()
        screen = await wait_loaded(pilot)
        assert len(paths(screen)) == ARTICLES
        assert articles.highlighted.path == chosen.path
        assert articles.cursor == 5


async def test_a_search_typed_on_the_first_page_waits_for_the_whole_list(big_locations, gate):
    app = make_app(big_locations, preload=preload(big_locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_page(pilot, app)
        screen = app.screen
        await search_for(pilot, screen, "topic:T3")
        assert paths(screen) == []  # not the page's part of the answer, shown as if it were all
        assert "counting…" in title(app)
        assert "Loading articles…" in str(screen.query_one("#list-empty").render())
        gate.set()
        await wait_until(pilot, lambda: screen.page is None and not screen.scanning, 10)
        await pilot.pause()
        assert len(paths(screen)) == ARTICLES // 5  # every fifth article has topic T3
        assert f"{ARTICLES // 5:,} of" in title(app)


async def test_mark_all_read_waits_for_the_whole_list(big_locations, gate):
    app = make_app(big_locations, preload=preload(big_locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_page(pilot, app)
        screen = app.screen
        screen.action_mark_all_read()
        await pilot.pause()
        assert not screen.marks.read  # only the page's rows would have been marked
        gate.set()
        await wait_loaded(pilot)


# --- a first scan -----------------------------------------------------------------------------


async def test_a_first_scan_shows_the_stored_articles_from_the_index_without_loading_all(
    tmp_path, monkeypatch
):
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    write_articles(locations.cache, ARTICLES)
    half = ARTICLES // 2
    release = threading.Event()
    loads: list[int] = []
    load, scan = Source.load, Source.scan

    def counted_load(self: Source, apart: bool = False, between=None) -> Collection:
        loads.append(self.index.count())
        return load(self, apart, between)

    def in_two_halves(self: Source, progress=None, diff=None, stop=None) -> ScanResult:
        """The first half stored, reported as a long scan would, then the rest."""
        with self.index._lock:
            files = compare(self.root, self.index.conn)
        self.index.scan(diff=FileDiff(files.changed[:half], [], files.seen))
        time.sleep(scan_fill.FIRST_FILL_SECONDS + 0.1)
        progress(half, ARTICLES)
        release.wait(timeout=20)
        return scan(self, progress, None, stop)

    monkeypatch.setattr(Source, "load", counted_load)
    monkeypatch.setattr(Source, "scan", in_two_halves)
    monkeypatch.setattr(early_scan, "FIRST_FILES", 0)  # the scan's own batches fill the list
    app = make_app(locations, preload=preload(locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_first_page(pilot, app)
        screen = app.screen
        assert f"All articles · {half:,} · by date" in title(app)
        assert f"Indexing {half:,}/{ARTICLES:,} files" in status(app)
        assert len(paths(screen)) == min(half, PAGE_ROWS)
        release.set()
        await wait_loaded(pilot)
        assert len(paths(screen)) == ARTICLES
    assert loads == [0, ARTICLES]  # the empty index before the scan, everything once at its end


async def test_q_during_a_long_first_scan_ends_the_reader_at_once(tmp_path, monkeypatch):
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    write_articles(locations.cache, 20)
    reports = threading.Event()

    def endless(self: Source, progress=None, diff=None, stop=None) -> ScanResult:
        """A scan that never ends by itself, reporting as it goes, like a million files."""
        self.index.scan()  # something stored: the list shows it
        done = 0
        while stop is not None and not stop.is_set():
            done += 1
            progress(done, 10**6)
            reports.set()
            time.sleep(0.05)
        return ScanResult(stopped=True)

    monkeypatch.setattr(Source, "scan", endless)
    app = make_app(locations, preload=preload(locations), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, reports.is_set, 10, "the scan's progress")
        await on_first_page(pilot, app)
        assert "Indexing" in status(app)
        pressed = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - pressed < 3.0  # about 0.1 s; 1 s is the target
