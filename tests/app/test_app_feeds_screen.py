"""The feeds screen (``F``): the feeds with their counts and last fetch, and changing them.

Three feeds are set up as a fetch would leave them (``app/feeds_setup.py``);
adding by a site's address goes to the site of ``tests/discover_server.py``
on 127.0.0.1. Every change is checked in ``config.toml`` itself.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest
from discover_server import DiscoverServer, serving
from textual.widgets import Input, OptionList

from app.conftest import (
    NOW,
    SIZE,
    Recorder,
    build_app,
    locations_for,
    screen_text,
    wait_loaded,
    wait_until,
)
from app.feeds_setup import BLOG, DOWN, FAILURE, NEWS, subscribe_examples
from reader.paths import Locations
from reader.screens.confirm import ConfirmScreen
from reader.screens.feed_add import AddFeedScreen
from reader.screens.feed_settings import FeedSettingsScreen
from reader.screens.feeds import FeedsScreen
from reader.screens.feeds_table import FeedTable
from reader.widgets.article_list import ArticleList


@pytest.fixture(scope="module")
def site() -> Iterator[DiscoverServer]:
    with serving() as server:
        yield server


@pytest.fixture
def locations(tmp_path) -> Locations:
    found = locations_for(tmp_path)
    subscribe_examples(found, NOW)
    return found


def _config(locations: Locations) -> list[dict]:
    return tomllib.loads(locations.feeds_config_path.read_text(encoding="utf-8"))["feeds"]


async def _open(pilot) -> FeedsScreen:
    """Press F on the loaded main screen and wait for the counts."""
    await wait_loaded(pilot)
    await pilot.press("F")
    screen = pilot.app.screen
    assert isinstance(screen, FeedsScreen)
    await wait_until(pilot, lambda: screen.counted, what="the counts")
    await pilot.pause()
    return screen


async def _counted_again(pilot, screen: FeedsScreen) -> None:
    await wait_until(pilot, lambda: screen.counted, what="the counts after the change")
    await pilot.pause()


async def _to_row(pilot, screen: FeedsScreen, url: str) -> None:
    table = screen.query_one(FeedTable)
    table.move_cursor(row=[line.feed.url for line in table.lines].index(url))
    await pilot.pause()


async def test_f_lists_the_feeds_with_counts_and_the_failing_feeds_error(locations):
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(FeedTable)
        titles = [line.title for line in table.lines]
        assert titles == ["Example News", "A blog", "down.example.com"]
        assert [(line.row.articles, line.row.unread) for line in table.lines] == [
            (3, 2),
            (1, 1),
            (0, 0),
        ]
        text = screen_text(app)
        assert "Feeds — 3 subscribed" in text
        news = next(row for row in text.splitlines() if "Example News" in row).split()
        assert news[news.index("3") :][:5] == ["3", "2", "2h", "ago", "ok:"]
        assert "in 2h" not in news  # refreshed every 30 min: due, since its fetch was 2 h ago
        assert "due" in news
        blog = next(row for row in text.splitlines() if "A blog" in row)
        assert "not modified" in blog and "in 1h30m" in blog  # its own 120 min, 30 min ago
        down = next(row for row in text.splitlines() if "down.example.com" in row)
        assert FAILURE in down and "never" not in down
        await _to_row(pilot, screen, DOWN)
        assert f"Last fetch 10m ago  {FAILURE}" in screen_text(app)


async def test_escape_returns_with_the_cursor_where_it_was(locations):
    """Nothing changed: the main screen is as it was, and is not reloaded."""
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        main = await wait_loaded(pilot)
        articles = main.query_one(ArticleList)
        await pilot.press("j", "j")
        before = (articles.cursor, articles.highlighted)
        main.loader.reload = reload = Recorder()
        await pilot.press("F")
        assert isinstance(app.screen, FeedsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main and (articles.cursor, articles.highlighted) == before
        assert app.focused is articles and reload.calls == []


async def test_add_by_a_sites_address_chooses_among_its_feeds_and_writes_the_config(
    locations, site
):
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AddFeedScreen)
        dialog.query_one(Input).value = site.url("/")
        await pilot.press("enter")
        choices = dialog.query_one(OptionList)
        await wait_until(pilot, lambda: choices.display, what="the feeds the page names")
        assert choices.option_count == 3
        await pilot.press("j", "enter")  # the second: Comments (RSS)
        await _counted_again(pilot, screen)
        assert app.screen is screen
        assert _config(locations)[-1] == {"url": site.url("/comments.rss")}
        assert screen.query_one(FeedTable).current.feed.url == site.url("/comments.rss")
        assert screen.changed


async def test_add_a_page_with_one_feed_and_a_page_with_none(locations, site):
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("a")
        dialog = app.screen
        dialog.query_one(Input).value = site.url("/plain/")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "names no feed" in screen_text(app), what="the refusal")
        assert app.screen is dialog and len(_config(locations)) == 3
        dialog.query_one(Input).value = site.url("/one/")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, what="the feed added")
        await _counted_again(pilot, screen)
        assert _config(locations)[-1] == {"url": site.url("/blog/rss.xml")}


async def test_remove_asks_first_and_keeps_the_articles(locations):
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith("Unsubscribe from “Example News”?")
        await pilot.press("n")
        assert [feed["url"] for feed in _config(locations)] == [NEWS, BLOG, DOWN]
        await pilot.press("d", "y")
        assert "Also remove its 3 articles from the cache?" in app.screen.question
        await pilot.press("n")  # no: they stay
        await _counted_again(pilot, screen)
        assert [feed["url"] for feed in _config(locations)] == [BLOG, DOWN]
        assert len(list((locations.cache / "feeds" / "news.example.org").glob("*.md"))) == 3
        main = app.screen_stack[0]
        sidebar = main.query_one("#sidebar")
        main.loader.reload, sidebar.read_feeds = reload, read = Recorder(), Recorder()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        assert read.calls == [(locations,)] and reload.calls == []  # the sidebar's feeds, no scan


async def test_rename_writes_the_name(locations):
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("n")
        app.screen.query_one(Input).value = "World news"
        await pilot.press("enter")
        await _counted_again(pilot, screen)
        assert _config(locations)[0] == {"url": NEWS, "name": "World news", "topics": ["World"]}
        assert screen.query_one(FeedTable).current.title == "World news"


async def test_settings_write_the_feeds_own_values_and_refuse_bad_ones(locations):
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await _to_row(pilot, screen, BLOG)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FeedSettingsScreen)
        form.query_one("#set-topics", Input).value = "Tech, Blogs"
        form.query_one("#set-refresh_minutes", Input).value = ""  # back to the default
        form.query_one("#set-keep_days", Input).value = "2000000"
        await pilot.press("ctrl+s")
        assert app.screen is form
        assert "Keep days must be between 0 and 1,000,000" in screen_text(app)
        form.query_one("#set-keep_days", Input).value = "30"
        form.query_one("#set-max_items", Input).value = "200"
        await pilot.press("ctrl+s")
        await _counted_again(pilot, screen)
        assert _config(locations)[1] == {
            "url": BLOG,
            "name": "A blog",
            "topics": ["Tech", "Blogs"],
            "keep_days": 30,
            "max_items": 200,
        }
        assert "keep 30 days (own)" in screen_text(app)


async def test_the_palette_opens_the_feeds_screen_and_lists_its_actions(locations):
    from textual.command import CommandPalette

    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        main = await wait_loaded(pilot)
        titles = [command.title for command in app.get_system_commands(main)]
        assert "Feeds: add, remove, rename, settings" in titles
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"Feeds: add")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FeedsScreen), what="the screen")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Add a feed by its or its site's address" in titles
        assert "Unsubscribe (asks first)" in titles


async def test_help_on_the_feeds_screen_lists_its_keys(locations):
    from reader.screens.help import HelpScreen

    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Feeds screen" in text and "Rename" in text and "Settings" in text


async def test_r_on_the_feeds_screen_fetches_and_counts_again(tmp_path, site):
    from reader.feeds import Feed, save_feeds

    locations = locations_for(tmp_path)
    save_feeds(locations.feeds_config_path, [Feed(site.url("/feed.xml"))])
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(FeedTable)
        assert table.current.row.last_fetch is None and "never" in screen_text(app)
        await pilot.press("R")

        def fetched() -> bool:
            line = table.current
            return screen.counted and line.row is not None and line.row.articles == 2

        await wait_until(pilot, fetched, timeout=20, what="the fetch and the new counts")
        assert table.current.title == "Atom Chronicle"
        assert table.current.row.last_result == "ok: 2 new"
        assert app.screen is screen


async def test_a_broken_config_is_said_in_one_line_and_never_overwritten(tmp_path):
    locations = locations_for(tmp_path)
    path = locations.feeds_config_path
    path.parent.mkdir(parents=True)
    path.write_text("[[feeds]\nurl = ", encoding="utf-8")
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        status = str(screen.query_one("#feeds-status").render())
        assert "is not valid TOML" in status and "\n" not in status
        await pilot.press("d", "n", "e")
        assert app.screen is screen  # nothing to act on
    assert path.read_text(encoding="utf-8") == "[[feeds]\nurl = "


async def test_a_config_that_cannot_be_written_is_said_in_one_line(locations):
    from storage_conditions import immutable

    from app.conftest import Notes

    before = locations.feeds_config_path.read_bytes()
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        notes = Notes(app)
        with immutable(locations.feeds_config_path.parent):
            await pilot.press("n")
            app.screen.query_one(Input).value = "World news"
            await pilot.press("enter")
            await pilot.pause()
        failures = [item for item in notes.items if item[1] == "Feed list not changed"]
        assert len(failures) == 1 and failures[0][0].startswith("cannot write ")
        assert "\n" not in failures[0][0] and not screen.changed
    assert locations.feeds_config_path.read_bytes() == before


async def test_escape_during_a_slow_lookup_closes_at_once_and_adds_nothing(locations, site):
    import time

    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("a")
        app.screen.query_one(Input).value = site.url("/slow")  # answers after 3 s
        await pilot.press("enter")
        await pilot.pause(0.2)
        started = time.monotonic()
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert time.monotonic() - started < 2.0  # the lookup stopped, not waited for
        assert app.screen is screen
    assert len(_config(locations)) == 3


async def test_remove_with_its_articles_removes_only_its_own_unstarred_files(tmp_path, site):
    import frontmatter

    from reader.feeds import Feed, fetch_feeds, save_feeds
    from reader.state import StateStore

    locations = locations_for(tmp_path)
    save_feeds(locations.feeds_config_path, [Feed(site.url("/feed.xml"))])
    assert not fetch_feeds(locations).failures
    folder = locations.cache / "feeds" / "atom.example.net"
    written = sorted(folder.glob("*.md"))
    assert len(written) == 2
    starred = frontmatter.load(written[0])["webUrl"]
    state = StateStore(locations.state_path)
    state.set_starred([starred])
    state.close()
    mine = folder / "my-notes.md"  # the user's own file in the feed's folder
    mine.write_text("---\ntitle: Mine\ncategory: news\n---\nNotes.\n", encoding="utf-8")
    app = build_app(locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("d", "y")
        assert "Also remove its 3 articles" in app.screen.question  # counted by folder
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.removed == 1, what="the files to go")
        await _counted_again(pilot, screen)
        main = app.screen_stack[0]
        main.loader.apply = apply = Recorder()
        await pilot.press("escape")
        await pilot.pause()
        gone = sorted(p.relative_to(locations.cache).as_posix() for p in written[1:])
        # The main screen drops the files that went (the watcher may report them too).
        assert (gone,) in [(sorted(paths),) for paths, *_ in apply.calls]
    assert tomllib.loads(locations.feeds_config_path.read_text("utf-8")).get("feeds", []) == []
    assert sorted(folder.glob("*.md")) == sorted([written[0], mine])  # starred and mine stay
