"""Pilot tests: `s` on a big list whose other order is still being sorted shows that order's head
from the index at once, then the whole order, on the same article.

The list here is small; the size from which this happens is lowered to 0, and the worker's sort
of the other order is held until the test lets it go (at 1,000,000 articles it takes a few
tenths of a second, which the key used to wait for).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

import reader.collection as collection_module
import reader.components.order_wait as order_wait
from app.conftest import SIZE, build_app, paths, put_cursor_on, wait_loaded, wait_until
from reader.ordering import SortKey
from reader.widgets.article_list import ArticleList


class HeldSort:
    """The quality order's sort in a worker, held until :meth:`release`: the date order, and the
    quality order of the index's head (sorted as it is shown), sort as usual."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.released = threading.Event()
        self.sorts = 0

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldSort]:
    monkeypatch.setattr(order_wait, "PAGE_FROM", 0)
    hold = HeldSort()
    real = collection_module.sort_entries

    def sort_entries(entries, key, *args, **kwargs):
        if key is SortKey.QUALITY and threading.current_thread() is not threading.main_thread():
            hold.sorts += 1
            hold.entered.set()
            hold.released.wait(30)
        return real(entries, key, *args, **kwargs)

    monkeypatch.setattr(collection_module, "sort_entries", sort_entries)
    yield hold
    hold.release()  # a thread still holding it goes on


async def sorting_held(pilot, held: HeldSort):
    """The main screen once the whole list is in and the worker's sort of the other order is
    held."""
    screen = await wait_loaded(pilot)
    await wait_until(pilot, held.entered.is_set, what="the other order's sort to start")
    return screen


async def test_s_shows_the_head_of_an_order_being_sorted_then_the_whole_order(
    fixture_locations, held: HeldSort
):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sorting_held(pilot, held)
        articles = screen.query_one(ArticleList)
        await put_cursor_on(pilot, screen, "cjk.md")
        await pilot.press("s")
        # At once, from the index: the quality order, while the sort is still held.
        assert screen.page is not None and not held.released.is_set()
        shown = paths(screen)
        assert articles.highlighted.path == "cjk.md"
        assert "by quality" in str(screen.query_one("#list-title").render())
        held.release()
        await wait_until(pilot, lambda: screen.page is None, what="the whole order")
        whole = [entry.path for entry in screen.collection.sorted(SortKey.QUALITY)]
        assert shown == whole == paths(screen)
        assert articles.entries[0] is screen.collection.sorted(SortKey.QUALITY)[0]
        assert articles.highlighted.path == "cjk.md"
        assert held.sorts == 1  # the worker's sort, waited for: not sorted again


async def test_a_search_while_the_head_is_shown_waits_for_the_whole_order(
    fixture_locations, held: HeldSort
):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sorting_held(pilot, held)
        await pilot.press("s")
        assert screen.page is not None
        threading.Timer(0.3, held.release).start()  # the search below waits for the sort
        await pilot.press("slash", "g", "l", "a", "c", "i", "e", "r")
        await wait_until(pilot, lambda: paths(screen) == ["old.md"], what="the search's rows")
        assert screen.page is None and held.released.is_set()


async def test_an_order_sorted_already_is_shown_whole_at_once(fixture_locations, monkeypatch):
    monkeypatch.setattr(order_wait, "PAGE_FROM", 0)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await wait_until(
            pilot, lambda: screen.collection.ordered(SortKey.QUALITY), what="the other order"
        )
        await pilot.press("s")
        assert screen.page is None
        assert (
            screen.query_one(ArticleList).entries[0] is screen.collection.sorted(SortKey.QUALITY)[0]
        )
