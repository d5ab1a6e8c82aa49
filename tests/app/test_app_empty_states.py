"""Pilot tests: skipped files and every "nothing to show" state.

No pane is ever left blank without saying why.
"""

from __future__ import annotations

from textual.widgets import OptionList, Static

from app.conftest import (
    SIZE,
    Notes,
    build_app,
    screen_text,
    wait_loaded,
    widget_text,
)
from reader.scopes import topic_scope
from reader.screens.main import MainScreen
from reader.screens.skipped import SkippedScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane
from reader.widgets.topic_sidebar import TopicSidebar


def text_of(screen: MainScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


# --- skipped files --------------------------------------------------------------------------------


async def test_skipped_files_are_counted_and_listed_with_reasons(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        status = text_of(screen, "#status")
        assert (
            status == f"12 articles in {fixture_locations.cache} · 12 unread"
            " · 1 file skipped (press ! to see why)"
        )
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, SkippedScreen)
        modal = app.screen
        assert text_of(modal, "#skipped-title") == f"1 file skipped in {fixture_locations.cache}"
        listed = widget_text(modal.query_one(OptionList))
        assert "broken-notes.md" in listed and "no front matter" in listed
        await pilot.press("escape")
        assert app.screen is screen and app.is_running


async def test_a_cache_of_broken_files_shows_the_samples_and_says_why(broken_locations):
    app = build_app(broken_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        # Something to read (the samples), and a banner that does not pretend the cache is empty.
        assert len(screen.query_one(ArticleList).entries) == 49
        banner = text_of(screen, "#samples-banner")
        assert screen.query_one("#samples-banner").display
        assert "none of the 4 files in your cache could be read" in banner
        assert "newsreader import PATH" in banner and "empty" not in banner
        status = text_of(screen, "#status")
        assert status == "49 sample articles · 49 unread · 4 files skipped (press ! to see why)"
        await pilot.press("exclamation_mark")
        modal = app.screen
        assert isinstance(modal, SkippedScreen)
        # The skipped paths are the cache's, so the heading names the cache, not the samples folder.
        assert text_of(modal, "#skipped-title") == f"4 files skipped in {broken_locations.cache}"
        listed = widget_text(modal.query_one(OptionList))
        for name, reason in (
            ("bad-yaml.md", "not valid YAML"),
            ("no-title.md", "no usable title"),
            ("notes.md", "no front matter"),
            ("[@click=app.quit]notes.md", "no front matter"),
        ):
            assert name in listed and reason in listed, name
        # The file named like an action is listed literally, and clicking it does nothing.
        await pilot.click(modal.query_one(OptionList), offset=(4, 1))
        await pilot.pause()
        assert app.is_running and app.screen is modal
        await pilot.press("j", "j", "k", "q")
        assert app.screen is screen and app.is_running


async def test_skipped_screen_when_nothing_was_skipped(samples_locations):
    app = build_app(samples_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert "skipped" not in text_of(screen, "#status")
        await pilot.press("exclamation_mark")
        assert text_of(app.screen, "#skipped-title") == "No file was skipped."
        await pilot.press("exclamation_mark")
        assert app.screen is screen


# --- nothing to show ------------------------------------------------------------------------------


async def test_an_empty_cache_opens_on_the_samples_with_a_banner(samples_locations):
    app = build_app(samples_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert len(screen.query_one(ArticleList).entries) == 49
        assert screen.query_one("#samples-banner").display
        banner = text_of(screen, "#samples-banner")
        assert (
            banner
            == "Sample articles — your cache is empty. Bring your own: newsreader import PATH"
        )
        assert "newsreader import PATH" in screen_text(app)
        assert text_of(screen, "#status") == "49 sample articles · 49 unread"
        assert text_of(screen, "#detail-title")  # the first sample is shown at once


async def test_a_cache_with_articles_has_no_banner(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert not screen.query_one("#samples-banner").display
        assert "Sample articles" not in screen_text(app)


async def test_a_search_with_no_match_says_so(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("slash", *"zebra", "enter")
        empty = screen.query_one("#list-empty", Static)
        assert empty.display and not screen.query_one(ArticleList).display
        assert (
            text_of(screen, "#list-empty")
            == "No articles match “zebra”.\nPress escape to clear the search."
        )
        text = screen_text(app)
        assert "No articles match “zebra”." in text and "Press escape to clear the search." in text
        assert "All articles · 0 of 12" in text
        assert text_of(screen, "#detail-title") == "No article selected."
        # Keys with nothing to act on say so, or do nothing; escape brings the list back.
        notes = Notes(app)
        await pilot.press("o", "y", "s", "r", "j", "G")
        assert notes.messages()[:2] == ["Nothing to open.", "This item has no link."]
        await pilot.press("escape")
        assert screen.query_one(ArticleList).display and not empty.display
        assert len(screen.query_one(ArticleList).entries) == 12
        assert text_of(screen, "#detail-title") != "No article selected."


async def test_an_empty_topic_says_so(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        # The sidebar only offers topics that exist; a topic emptied under it reads like this.
        screen.query_one(TopicSidebar).post_message(TopicSidebar.Chosen(topic_scope("Gardening")))
        await pilot.pause()
        assert (
            text_of(screen, "#list-empty")
            == "No articles in “Gardening”.\nChoose another line on the left."
        )
        assert "No articles in “Gardening”." in screen_text(app)
        assert text_of(screen, "#detail-title") == "No article selected."


async def test_an_article_deleted_after_indexing_says_it_cannot_be_read(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        (fixture_locations.cache / "two-days.md").unlink()
        await pilot.press("j")
        detail = text_of(screen, "#detail-title")
        assert detail.startswith("Storage auction clears at a record low price")
        assert "This file can no longer be read" in detail
        await pilot.press("j", "k")
        assert app.is_running


async def test_keys_before_the_list_has_loaded_do_not_crash(samples_locations):
    app = build_app(samples_locations)
    async with app.run_test(size=SIZE) as pilot:
        # Straight away, perhaps before the worker has posted anything.
        await pilot.press(
            "j", "o", "y", "s", "r", "tab", "l", "h", "G", "exclamation_mark", "escape"
        )
        screen = await wait_loaded(pilot)
        assert app.is_running and app.screen is screen
        assert len(screen.query_one(ArticleList).entries) == 49


async def test_the_detail_pane_never_shows_a_blank(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        for _ in range(len(screen.query_one(ArticleList).entries)):
            assert text_of(screen, "#detail-title").strip()
            assert text_of(screen, "#detail-excerpt").strip()
            assert screen.query_one(DetailPane).article is not None
            await pilot.press("j")
