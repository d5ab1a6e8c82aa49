"""Pilot tests: the copies of one story are one row with a ``+N`` marker, marked together.

The cache is written here: one page under two addresses (``utm_`` parameters, http and
https), one wire text from two providers, and an article that only shares their topic,
which stays a row of its own.
"""

from __future__ import annotations

from pathlib import Path

from conftest import write_article

from app.conftest import (
    SIZE,
    build_app,
    list_rows,
    locations_for,
    paths,
    put_cursor_on,
    sidebar_line,
    wait_loaded,
    wait_until,
)
from reader.components import reading
from reader.components.cache_watch import CacheWatch
from reader.paths import Locations
from reader.screens.confirm import ConfirmScreen
from reader.screens.reader_view import ReaderView

WIRE = (
    "Regulators in the port city approved a plan on Tuesday to replace the ageing ferry fleet "
    "with battery-electric vessels by 2030, citing lower running costs and cleaner air for the "
    "neighbourhoods along the harbour front."
)


def story(cache: Path, name: str, title: str, url: str, provider: str, hour: int, **kw) -> None:
    write_article(
        cache,
        name,
        f"Body of {title}",
        title=title,
        excerpt=kw.pop("excerpt", f"What {provider} says about {title}."),
        publishedDateTime=f"2026-11-25T{hour:02d}:00:00Z",
        originalUrl=url,
        provider={"name": provider, "domain": url.split("/")[2]},
        topics=["Boats"],
    )


def write_cache(cache: Path) -> None:
    story(
        cache,
        "page-rss.md",
        "Harbour tolls rise in spring",
        "https://harbour.example/tolls?utm_source=rss&utm_medium=feed",
        "Harbour Daily",
        10,
    )
    story(
        cache,
        "page-plain.md",
        "Harbour tolls rise in spring",
        "http://harbour.example/tolls",
        "Harbour Daily",
        9,
    )
    story(
        cache,
        "wire-one.md",
        "Port approves electric ferries",
        "https://one.example/ferries",
        "One News",
        8,
        excerpt=WIRE,
    )
    story(
        cache,
        "wire-two.md",
        "Port approves electric ferries",
        "https://two.example/news/1",
        "Two Times",
        7,
        excerpt=WIRE,
    )
    story(
        cache,
        "topic.md",
        "Ferry crews ask for a new rota",
        "https://three.example/rota",
        "Three Post",
        6,
        excerpt="Crews on the night crossings say the rota leaves too little rest between shifts.",
    )


def grouped_locations(tmp_path: Path, config: str = "") -> Locations:
    locations = locations_for(tmp_path)
    write_cache(locations.cache)
    if config:
        locations.feeds_config_path.parent.mkdir(parents=True, exist_ok=True)
        locations.feeds_config_path.write_text(config, encoding="utf-8")
    return locations


def rows_by_path(app) -> dict[str, str]:
    return dict(zip(paths(app.screen), list_rows(app)))


async def test_copies_show_as_one_row_with_the_number_of_other_copies(tmp_path):
    app = build_app(grouped_locations(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert paths(screen) == ["page-rss.md", "wire-one.md", "topic.md"]
        rows = rows_by_path(app)
        assert rows["page-rss.md"].rstrip().endswith("Harbour tolls rise in spring +1")
        assert rows["wire-one.md"].rstrip().endswith("Port approves electric ferries +1")
        assert "+" not in rows["topic.md"]
        assert "3 " in str(screen.query_one("#list-title").render())  # stories, not files
        # The oldest first: the older copy stands for each story.
        await pilot.press("r")
        await pilot.pause()
        assert paths(screen) == ["topic.md", "wire-two.md", "page-plain.md"]


async def test_marking_a_row_read_or_starred_marks_every_copy(tmp_path):
    app = build_app(grouped_locations(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        marks = screen.marks
        entries = {e.path: e for e in screen.collection.entries}
        await put_cursor_on(pilot, screen, "wire-one.md")
        await pilot.press("m")
        assert marks.is_read(entries["wire-one.md"]) and marks.is_read(entries["wire-two.md"])
        assert not marks.is_read(entries["page-rss.md"])
        assert list_rows(app)[1].startswith("   ")  # the row shows read
        await pilot.press("m")
        assert not marks.is_read(entries["wire-two.md"])
        await pilot.press("f")
        assert marks.marks_of(entries["wire-one.md"]) == marks.marks_of(entries["wire-two.md"])
        assert marks.marks_of(entries["wire-two.md"]) == (False, True)
        await pilot.press("f")
        assert not marks.marks_of(entries["wire-two.md"])[1]
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert all(marks.is_read(e) for e in entries.values())


async def test_reading_a_row_marks_every_copy_read(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "READ_AFTER_SECONDS", 0.1)
    app = build_app(grouped_locations(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        entries = {e.path: e for e in screen.collection.entries}
        await put_cursor_on(pilot, screen, "page-rss.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderView), what="the reader")
        await wait_until(
            pilot, lambda: screen.marks.is_read(entries["page-plain.md"]), what="both read"
        )
        assert screen.marks.is_read(entries["page-rss.md"])
        assert not screen.marks.is_read(entries["wire-one.md"])


async def test_group_duplicates_false_lists_every_copy(tmp_path):
    config = "[list]\ngroup_duplicates = false\n"
    app = build_app(grouped_locations(tmp_path, config))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert len(paths(screen)) == 5
        assert not any("+1" in row for row in list_rows(app))
        entries = {e.path: e for e in screen.collection.entries}
        await put_cursor_on(pilot, screen, "wire-one.md")
        await pilot.press("m")
        assert screen.marks.is_read(entries["wire-one.md"])
        assert not screen.marks.is_read(entries["wire-two.md"])


async def test_a_new_copy_written_while_the_reader_runs_folds_into_its_row(tmp_path):
    locations = grouped_locations(tmp_path)
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        watch = screen.query_one(CacheWatch)
        await wait_until(pilot, lambda: watch.watching, what="the watcher to start")
        await put_cursor_on(pilot, screen, "page-rss.md")
        story(
            locations.cache,
            "page-www.md",
            "Harbour tolls rise in spring",
            "https://www.harbour.example/tolls/",
            "Harbour Daily",
            11,
        )
        await wait_until(
            pilot, lambda: "page-www.md" in paths(screen), timeout=10, what="the new copy"
        )
        await pilot.pause()
        assert paths(screen) == ["page-www.md", "wire-one.md", "topic.md"]
        assert rows_by_path(app)["page-www.md"].rstrip().endswith("spring +2")
        assert screen.query_one("#articles").highlighted.path == "page-www.md"  # still the story


async def test_a_cut_title_keeps_its_marker(tmp_path):
    app = build_app(grouped_locations(tmp_path))
    async with app.run_test(size=(84, 30)) as pilot:
        await wait_loaded(pilot)
        row = rows_by_path(app)["page-rss.md"].rstrip()
        assert row.endswith("… +1") and "Harbour tolls" in row


async def test_starring_a_story_held_by_two_files_of_one_url_counts_both(tmp_path):
    # Two files of one URL share a star; the sidebar counted one of them until the next count.
    locations = locations_for(tmp_path)
    for name, hour in (("same-a.md", 10), ("same-b.md", 9)):
        story(
            locations.cache, name, "Tide tables move online", "https://tides.example/a", "T", hour
        )
    story(locations.cache, "other.md", "Lighthouse reopens", "https://tides.example/b", "T", 8)
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert paths(screen) == ["same-a.md", "other.md"]
        await pilot.press("f")
        assert sidebar_line(app, "★ Starred")[-1] == "2"
        assert screen.marks.counts.starred == 2
        await pilot.press("f")
        assert sidebar_line(app, "★ Starred")[-1] == "0"
