"""Pilot tests: the search language typed after ``/``, its highlighting, and saved searches.

Free words go through the index's full-text search (words and word
beginnings); qualifiers (``topic:``, ``provider:``, ``is:``, ``after:``,
``before:``, ``quality:``) narrow the list. ``ctrl+s`` keeps a search, with the
scope it was typed in, as a sidebar line; ``x`` or ``delete`` there removes it.
"""

from __future__ import annotations

import threading

from conftest import write_article
from textual.widgets import Input, Static

from app.conftest import (
    SIZE,
    Notes,
    build_app,
    choose_scope,
    paths,
    put_cursor_on,
    search_for,
    sidebar_line,
    sidebar_lines,
    state_db,
    wait_loaded,
    wait_until,
)
from reader import marks as marks_module
from reader.screens.confirm import ConfirmScreen
from reader.screens.main import MainScreen
from reader.screens.save_view import SaveViewScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.topic_sidebar import TopicSidebar

ALL_PATHS = {
    "fresh.md",
    "two-days.md",
    "cjk.md",
    "emoji.md",
    "rtl.md",
    "click-markup.md",
    "bold-markup.md",
    "js-url.md",
    "file-url.md",
    "long-title.md",
    "old.md",
    "no-date.md",
}


def text(screen: MainScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


# --- saved searches -------------------------------------------------------------------------------


async def test_ctrl_s_saves_the_search_as_a_sidebar_view(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await search_for(pilot, screen, "topic:energy quality:>50")
        searched = paths(screen)
        assert searched == ["fresh.md", "two-days.md", "long-title.md"]
        await pilot.press("ctrl+s")
        modal = app.screen
        assert isinstance(modal, SaveViewScreen)
        assert (
            text(modal, "#save-question")
            == "Save the search “topic:energy quality:>50” as a view named:"
        )
        name_box = modal.query_one("#save-name", Input)
        # offered as the name, selected: typing replaces it
        assert name_box.value == "topic:energy quality:>50"
        await pilot.press(*"Power", "enter")
        assert app.screen is screen
        assert notes.messages()[-1] == "Saved “Power” in the sidebar."
        lines = sidebar_lines(app)
        assert lines[3] == ["/", "Power", "3"] and lines[4] == ["─"]
        # Clear the typed search; the view shows the same rows.
        await pilot.press("escape")
        assert len(paths(screen)) == 12
        await choose_scope(pilot, screen, "Power")
        assert paths(screen) == searched
        assert text(screen, "#list-title") == "Power · 3 · by date, newest first"
        # A search typed inside the view narrows it further.
        await search_for(pilot, screen, "turb")
        assert paths(screen) == ["fresh.md"]
        assert (
            text(screen, "#list-title") == "Power · 1 of 3 · by date, newest first · search “turb”"
        )
        await pilot.press("q")
    # Kept in the state database (that the sidebar lists saved searches at start: see the x test).
    store = state_db(fixture_locations)
    assert [(v.name, v.query) for v in store.views()] == [("Power", "topic:energy quality:>50")]
    store.close()


async def test_saving_without_a_search_or_cancelling_saves_nothing(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        notes = Notes(app)
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert notes.items[-1] == (
            "Type a search with / first, then save it with ctrl+s.",
            "",
            "warning",
        )
        await search_for(pilot, screen, "record")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveViewScreen)
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("ctrl+s", "ctrl+a", "ctrl+k", "enter")  # an empty name is no name
        assert app.screen is screen
        assert screen.state.views() == []
        # All, Unread, Starred, divider, six topics, then the providers' divider (no saved search)
        assert sidebar_lines(app)[3:11] == [["─"], *sidebar_lines(app)[4:10], ["─"]]
        assert ["/", "record"] not in sidebar_lines(app)


async def test_a_search_saved_in_a_topic_or_view_keeps_it(fixture_locations):
    write_article(
        fixture_locations.cache,
        "wind.md",
        title="Wind turbines at sea",
        quality=80,
        publishedDateTime="2026-11-01T09:00:00Z",
        topics=["Wind & solar power"],
    )
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await choose_scope(pilot, screen, "Climate")
        await search_for(pilot, screen, "glacier")
        assert paths(screen) == ["old.md"]
        await pilot.press("ctrl+s")
        assert (
            text(app.screen, "#save-question")
            == "Save the search “topic:Climate glacier” as a view named:"
        )
        await pilot.press("enter", "escape")  # under the name offered: the search itself
        assert len(paths(screen)) == 3  # the whole topic again
        await choose_scope(pilot, screen, "topic:Climate glacier")
        assert paths(screen) == ["old.md"]
        # A topic whose name needs quotes.
        await choose_scope(pilot, screen, "Wind & solar power")
        await search_for(pilot, screen, "turb")
        await pilot.press("ctrl+s", "enter", "escape")
        await choose_scope(pilot, screen, 'topic:"Wind & solar power" turb')
        assert paths(screen) == ["wind.md"]
        # The Unread view: the saved search counts unread articles only, as marks change.
        await choose_scope(pilot, screen, "Unread")
        await search_for(pilot, screen, "glacier")
        await pilot.press("ctrl+s", "enter", "escape")
        assert [v.query for v in screen.state.views()] == [
            "topic:Climate glacier",
            'topic:"Wind & solar power" turb',
            "is:unread glacier",
        ]
        assert sidebar_line(app, "/ is:unread")[-1] == "1"  # "glacier" is cut in the sidebar
        await put_cursor_on(pilot, screen, "old.md")
        await pilot.press("m")
        assert sidebar_line(app, "/ is:unread")[-1] == "0"
        assert sidebar_line(app, "/ topic:Climate")[-1] == "1"


async def test_x_deletes_a_saved_search_after_asking(fixture_locations):
    fixture_locations.data.mkdir(parents=True)
    store = state_db(fixture_locations)
    store.save_view("Energy news", "topic:Energy")
    store.save_view("Records", "record")
    store.close()
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert sidebar_lines(app)[3:6] == [
            ["/", "Energy", "news", "3"],
            ["/", "Records", "2"],
            ["─"],
        ]
        await choose_scope(pilot, screen, "Energy news")
        assert text(screen, "#list-title") == "Energy news · 3 · by date, newest first"
        await pilot.press("h", "x")  # x is the sidebar's key
        assert isinstance(app.screen, ConfirmScreen)
        assert text(app.screen, "#confirm-question") == "Delete the saved search “Energy news”?"
        await pilot.press("n")
        assert sidebar_line(app, "/ Energy") == ["/", "Energy", "news", "3"]
        await pilot.press("x", "y")
        assert app.screen is screen
        assert [words[1] for words in sidebar_lines(app) if words[0] == "/"] == ["Records"]
        # The list no longer shows the deleted view: it is back on all articles, as the sidebar
        # says.
        sidebar = screen.query_one(TopicSidebar)
        assert sidebar.current.name == "All articles" and screen.view.scope.name == "All articles"
        assert text(screen, "#list-title") == "All articles · 12 · by date, newest first"
        assert len(paths(screen)) == 12
        # delete works too; on a topic, x and delete do nothing.
        await choose_scope(pilot, screen, "Records")
        await pilot.press("h", "delete", "y")
        assert not [words for words in sidebar_lines(app) if words[0] == "/"]
        await choose_scope(pilot, screen, "Energy")
        await pilot.press("h", "x", "delete")
        assert app.screen is screen and sidebar.current.name == "Energy"
    store = state_db(fixture_locations)
    assert store.views() == []
    store.close()


# --- the search language --------------------------------------------------------------------------


async def test_qualifiers_typed_after_slash(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        box = screen.query_one("#filter", Input)

        async def results(query: str) -> list[str]:
            box.value = query  # as if typed (typing key by key is tested elsewhere, and slow)
            await pilot.pause()
            return paths(screen)

        await pilot.press("m", "j", "m", "j", "f")  # fresh and two-days read, cjk starred
        await pilot.press("slash", *"is:u")
        assert paths(screen) == []  # not a qualifier (yet): a word, that no article has
        assert set(await results("is:unread")) == ALL_PATHS - {"fresh.md", "two-days.md"}
        assert await results("is:starred") == ["cjk.md"]
        assert set(await results("topic:security")) == {
            "click-markup.md",
            "bold-markup.md",
            "js-url.md",
            "file-url.md",
        }
        assert (
            text(screen, "#list-title")
            == "All articles · 4 of 12 · by date, newest first · search “topic:security”"
        )
        assert await results("quality:>55") == ["fresh.md", "two-days.md", "cjk.md", "emoji.md"]
        assert await results("quality:>=90") == ["two-days.md", "emoji.md"]
        assert await results("topic:Space quality:>55") == ["cjk.md", "emoji.md"]
        assert await results("topic:Energy is:unread") == ["long-title.md"]
        assert await results("provider:desk") == ["two-days.md", "old.md"]
        assert await results("after:2026-11-20") == ["fresh.md", "two-days.md"]
        assert await results("before:2026-01-01") == ["old.md"]
        assert await results("is:unread turbines") == []
        # A bad value is ignored and said so in the status line; the rest of the query still
        # applies.
        assert set(await results("quality:>lots topic:Health")) == {"no-date.md"}
        assert "ignored: quality: wants a number, e.g. quality:>50" in text(screen, "#status")
        await pilot.press("escape")
        assert "ignored" not in text(screen, "#status")


async def test_search_words_are_highlighted_in_the_titles(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=(200, 40)) as pilot:  # wide enough for whole titles
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)
        match = articles.get_component_rich_style("article-list--match", partial=True)
        assert match.underline and match.bold

        def title_segments(y: int) -> list:
            return [seg for seg in articles.render_line(y) if seg.text.strip()][-3:]

        await pilot.press("slash", *"RECORD")
        assert paths(screen) == ["fresh.md", "two-days.md"]
        before, found, after = title_segments(1)
        assert (before.text, found.text) == ("Storage auction clears at a ", "record")
        assert after.text.startswith(" low price")
        assert found.style.underline and found.style.bold and found.style.bgcolor is not None
        assert not before.style.underline and not after.style.underline
        assert before.style.bgcolor == after.style.bgcolor != found.style.bgcolor
        # The fresh article matched in its excerpt: nothing in its title is marked.
        assert not any(seg.style.underline for seg in articles.render_line(0))
        # Only word beginnings are marked, as the search only matches those: the "a" of "auction",
        # "at" and "a", not the one inside "Storage" or "clears".
        await pilot.press("ctrl+a", "ctrl+k", "a")
        row = articles.entries.index(next(e for e in articles.entries if e.path == "two-days.md"))
        title = [seg for seg in articles.render_line(row)][-7:]
        assert "".join(seg.text for seg in title).startswith(
            "Storage auction clears at a record low price"
        )
        assert [(seg.text, bool(seg.style.underline)) for seg in title[:6]] == [
            ("Storage ", False),
            ("a", True),
            ("uction clears ", False),
            ("a", True),
            ("t ", False),
            ("a", True),
        ]
        await pilot.press("ctrl+a", "ctrl+k", *"gla")
        assert paths(screen) == ["old.md"]
        _, found, after = title_segments(0)
        assert found.text == "gla" and after.text.startswith("cier retreat")
        # No search, no marks.
        await pilot.press("escape")
        assert not any(seg.style.underline for y in range(12) for seg in articles.render_line(y))


async def test_on_a_big_collection_a_mark_counts_the_saved_searches_behind_the_screen(
    fixture_locations, monkeypatch
):
    # At a million articles, counting a saved search with is: took up to 0.4 s, at every article
    # read: past VIEWS_AT_ONCE_UP_TO a worker counts them, and the sidebar follows.
    fixture_locations.data.mkdir(parents=True)
    store = state_db(fixture_locations)
    store.save_view("To read", "is:unread")
    store.save_view("Energy news", "topic:Energy")
    store.close()
    monkeypatch.setattr(marks_module, "VIEWS_AT_ONCE_UP_TO", 3)  # the fixture's 12 are many
    monkeypatch.setattr(marks_module, "VIEWS_BY_CHANGE_UP_TO", 0)  # and each mark is counted again
    threads: list[bool] = []
    count = marks_module.count_view
    hold = threading.Event()
    hold.set()

    def counting(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        assert hold.wait(10)
        return count(*args, **kwargs)

    monkeypatch.setattr(marks_module, "count_view", counting)
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert sidebar_line(app, "/ To read")[-1] == "12"
        threads.clear()
        await pilot.press("m")
        await wait_until(
            pilot, lambda: sidebar_line(app, "/ To read")[-1] == "11", what="the recount"
        )
        assert threads and not any(threads)  # counted, and never on the screen's thread
        assert sidebar_line(app, "/ Energy")[-1] == "3"  # no mark changes it: not counted
        hold.clear()  # the next count is held while two more marks are made
        await pilot.press("j", "m")
        await wait_until(pilot, lambda: len(threads) > 1, what="the second count")
        await pilot.press("j", "m")
        hold.set()
        await wait_until(
            pilot, lambda: sidebar_line(app, "/ To read")[-1] == "9", what="a count after it"
        )
        await pilot.pause(0.2)
        assert not screen.marks.views_stale and not any(threads)
        assert sidebar_line(app, "/ To read")[-1] == "9"
