"""Pilot tests: the keys of the main screen, the help screen and the command palette."""

from __future__ import annotations

import gc
import io
import json
import re
import weakref

from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Input, Static

from app.conftest import (
    MARKS,
    SIZE,
    build_app,
    list_rows,
    screen_text,
    wait_loaded,
    wait_until,
)
from app.related_setup import related_ready
from reader.components.library_loader import LibraryLoader
from reader.ordering import SortKey
from reader.screens.help import HelpScreen
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.related_list import RelatedList
from reader.widgets.topic_sidebar import TopicSidebar

DATE_ORDER = [
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
]
"""The fixture cache newest first (the undated article last)."""
QUALITY_ORDER = [
    "two-days.md",
    "emoji.md",  # 90 and 90: the newer first
    "fresh.md",
    "cjk.md",
    "long-title.md",
    "no-date.md",
    "rtl.md",
    "click-markup.md",
    "bold-markup.md",
    "js-url.md",
    "file-url.md",
    "old.md",  # no quality: last, newest first
]
DATE_REVERSED = [*DATE_ORDER[-2::-1], "no-date.md"]
"""Oldest first; the undated article stays last."""
QUALITY_REVERSED = [*QUALITY_ORDER[-3::-1], "file-url.md", "old.md"]
"""Lowest quality first; the articles without one stay last, still newest first."""
QUALITY_COLUMN = MARKS + 13
SIDEBAR_LAST = 21
"""Index of the last sidebar line: All, Unread, Starred, six topics, then the Providers heading and
twelve providers (dividers are not lines)."""


def paths(screen: MainScreen) -> list[str]:
    return [entry.path for entry in screen.query_one(ArticleList).entries]


def title(screen: MainScreen) -> str:
    return str(screen.query_one("#list-title", Static).content)


# --- focus -----------------------------------------------------------------------------


async def test_tab_cycles_sidebar_list_related(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        sidebar, articles, related = (
            screen.query_one(TopicSidebar),
            screen.query_one(ArticleList),
            screen.query_one(RelatedList),
        )
        assert screen.focused is articles
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(screen.focused)
        assert seen == [related, sidebar, articles, related]
        seen = []
        for _ in range(3):
            await pilot.press("shift+tab")
            seen.append(screen.focused)
        assert seen == [articles, sidebar, related]


async def test_h_l_and_arrows_move_between_panes(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        sidebar, articles, related = (
            screen.query_one(TopicSidebar),
            screen.query_one(ArticleList),
            screen.query_one(RelatedList),
        )
        steps = [
            ("h", sidebar),
            ("l", articles),
            ("l", related),
            ("h", articles),
            ("left", sidebar),
            ("right", articles),
            ("right", related),
            ("left", articles),
        ]
        for key, expected in steps:
            await pilot.press(key)
            assert screen.focused is expected, key
        # The article list and the sidebar did not move while the focus went through them.
        assert articles.cursor == 0 and sidebar.highlighted == 0


async def test_without_related_items_the_cycle_skips_them(fixture_locations, nothing_alike):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("j")  # the storage article has no related items
        assert not screen.query_one(RelatedList).display
        await pilot.press("tab")
        assert screen.focused is screen.query_one(TopicSidebar)
        await pilot.press("l")
        assert screen.focused is screen.query_one(ArticleList)


# --- moving inside a pane -------------------------------------------------------------------


async def test_list_movement_keys(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=(140, 12)) as pilot:  # a short list: pages of a few rows
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)
        page = articles.size.height - 1
        assert 2 <= page < 11
        expected = [
            ("j", 1),
            ("down", 2),
            ("k", 1),
            ("up", 0),
            ("up", 0),
            ("G", 11),
            ("j", 11),
            ("g", 0),
            ("end", 11),
            ("home", 0),
            ("pagedown", page),
            ("pagedown", min(11, 2 * page)),
            ("pageup", min(11, 2 * page) - page),
        ]
        for key, cursor in expected:
            await pilot.press(key)
            assert articles.cursor == cursor, key
        # The highlighted row is always on screen.
        await pilot.press("G")
        assert articles.scroll_y > 0
        assert "Undated clinic notice" in list_rows(app)[-1]


async def test_the_cursor_stays_on_its_article_across_sorts_and_a_reload(fixture_locations):
    """Kept by identity after a sort, and by path when a reload brings new entry objects."""
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)
        for _ in range(3):
            await pilot.press("j")
        chosen = articles.highlighted
        assert chosen is not None and chosen.path == DATE_ORDER[3]
        await pilot.press("s")
        assert articles.highlighted is chosen and articles.cursor == QUALITY_ORDER.index(
            chosen.path
        )
        await pilot.press("s")
        # A reload: the same files, read again from the index as new objects.
        screen.loader.post_message(
            LibraryLoader.Loaded(screen.source, screen.source.load(), False, None)
        )
        await wait_until(
            pilot, lambda: articles.highlighted is not chosen, what="the reloaded list"
        )
        assert articles.highlighted == chosen and articles.cursor == 3
        # An article the search leaves out: the cursor goes to the top.
        await pilot.press("slash", *"clinic", "enter")
        await wait_until(pilot, lambda: len(articles.entries) == 1, what="the search")
        assert articles.cursor == 0


async def test_sidebar_and_related_movement_keys(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        sidebar, related = screen.query_one(TopicSidebar), screen.query_one(RelatedList)
        await pilot.press("h")
        last = SIDEBAR_LAST
        for key, index in (
            ("j", 1),
            ("down", 2),
            ("j", 3),
            ("G", last),
            ("k", last - 1),
            ("up", last - 2),
            ("g", 0),
            ("end", last),
            ("home", 0),
        ):
            await pilot.press(key)
            assert sidebar.highlighted == index, key
        await pilot.press("pagedown")
        assert sidebar.highlighted == last
        await pilot.press("home")
        await related_ready(pilot, screen)  # the cache's most similar comes from the look-up
        await pilot.press("l", "l")
        assert screen.focused is related and related.highlighted == 0
        last = len(related.items) - 1  # the file's three, after the cache's most similar
        assert last == 3
        for key, index in (
            ("j", 1),
            ("down", 2),
            ("k", 1),
            ("g", 0),
            ("G", last),
            ("up", last - 1),
            ("home", 0),
            ("end", last),
        ):
            await pilot.press(key)
            assert related.highlighted == index, key
            assert related.current.title == related.items[index].title
        # Moving through related items leaves the article alone.
        assert screen.query_one(ArticleList).highlighted.path == "fresh.md"


# --- sorting ------------------------------------------------------------------------------


class _Watched(list):
    """A list that counts the passes made over it."""

    passes = 0

    def __iter__(self):
        _Watched.passes += 1
        return super().__iter__()


async def test_the_kept_row_is_looked_for_where_the_cursor_was_and_from_the_end_first(
    fixture_locations,
):
    """A reversed order has the kept row as far from the end as the cursor was from the start:
    found there at once, where a search through a million rows took 54 ms."""
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        articles = (await wait_loaded(pilot)).query_one(ArticleList)
        rows = list(articles.entries)
        articles.cursor = 2
        _Watched.passes = 0
        articles.set_entries(_Watched(rows[::-1]), keep=rows[2])
        assert articles.highlighted is rows[2] and articles.cursor == len(rows) - 3
        assert _Watched.passes == 0
        articles.set_entries(_Watched(rows[1:]), keep=rows[0])  # gone: looked for, not found
        assert _Watched.passes > 0 and articles.cursor == 0
        articles.cursor = 4
        articles.set_entries(_Watched(rows[3:]), keep=rows[5])  # elsewhere: found by the search
        assert articles.highlighted is rows[5]


async def test_with_its_order_the_kept_row_is_found_by_halving(fixture_locations):
    """Rows in a known order (all of it, or a search's part of it): the kept row is found, or
    known to be gone, without a pass over the list (38 ms at a million rows)."""
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        articles = (await wait_loaded(pilot)).query_one(ArticleList)
        rows = list(articles.entries)  # the date order, newest first
        order = (SortKey.DATE, False)
        articles.cursor = 0
        _Watched.passes = 0
        articles.set_entries(_Watched(rows[1:]), keep=rows[0], order=order)  # gone
        assert articles.cursor == 0 and _Watched.passes == 0
        part = _Watched(rows[::2])
        articles.set_entries(part, keep=rows[6], order=order)  # far from the cursor
        assert articles.highlighted is rows[6] and _Watched.passes == 0
        articles.set_entries(_Watched(rows[::-1]), keep=rows[4], order=(SortKey.DATE, True))
        assert articles.highlighted is rows[4]


class _Freed(list):
    """A list whose freeing can be watched (a weak reference to it)."""


async def test_long_rows_replaced_are_freed_after_the_new_ones_paint(fixture_locations):
    """Letting go of a long list reaches into every entry of it: done after the paint, the
    new rows are not held back by it."""
    from reader.widgets.article_list import FREE_AFTER_PAINT_FROM

    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        articles = (await wait_loaded(pilot)).query_one(ArticleList)
        rows = list(articles.entries)
        long = _Freed(rows * (FREE_AFTER_PAINT_FROM // len(rows) + 1))
        articles.set_entries(long)
        watched = weakref.ref(long)
        del long
        articles.set_entries(_Freed(rows))
        assert watched() is not None  # not yet: the new rows have not painted
        await pilot.pause()
        await pilot.pause()
        gc.collect()
        assert watched() is None
        short = _Freed(rows)
        articles.set_entries(short)
        watched = weakref.ref(short)
        del short
        articles.set_entries(_Freed(rows))
        assert watched() is None  # a short list goes at once


async def test_s_toggles_date_and_quality_and_r_reverses(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert paths(screen) == DATE_ORDER
        await pilot.press("s")
        assert paths(screen) == QUALITY_ORDER
        assert title(screen).endswith("by quality, highest first")
        # The rows on screen follow: the first shows quality 90, the last two none.
        rows = list_rows(app)
        assert rows[0].split()[:4] == ["●", "2d", "90", "Signal"]
        q = slice(QUALITY_COLUMN, QUALITY_COLUMN + 3)
        assert rows[-1][q] == rows[-2][q] == "   " and rows[-3][q] == " 10"
        await pilot.press("r")
        # Lowest first, but the articles without a quality stay at the bottom.
        assert paths(screen) == QUALITY_REVERSED
        assert title(screen).endswith("by quality, lowest first")
        rows = list_rows(app)
        assert rows[0][q] == " 10" and rows[-1][q] == rows[-2][q] == "   "
        await pilot.press("s")  # back to date: the direction starts over
        assert paths(screen) == DATE_ORDER
        await pilot.press("r")
        assert paths(screen) == DATE_REVERSED
        assert title(screen).endswith("by date, oldest first")
        assert list_rows(app)[-1].split()[:2] == ["●", "—"]  # undated, still last
        # The highlight stays on the same article, now the last dated row, and is scrolled into
        # view.
        articles = screen.query_one(ArticleList)
        assert articles.highlighted.path == "fresh.md" and articles.cursor == 10
        assert str(screen.query_one("#detail-title", Static).content).startswith("Fresh morning")
        await pilot.press("g")
        assert (
            str(screen.query_one("#detail-title", Static).content)
            == "Archive piece on glacier retreat"
        )


async def test_sort_applies_inside_a_topic(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        # Security (after Unread and Starred), by quality
        await pilot.press("h", "j", "j", "j", "s")
        assert paths(screen) == ["click-markup.md", "bold-markup.md", "js-url.md", "file-url.md"]
        assert title(screen) == "Security · 4 · by quality, highest first"


async def test_sort_is_remembered_for_the_next_start(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("s", "r")
        await pilot.press("q")
    assert app.return_code == 0
    saved = json.loads(fixture_locations.settings_path.read_text(encoding="utf-8"))
    assert saved == {"sort": "quality", "reverse": True}

    again = build_app(fixture_locations)
    async with again.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert title(screen) == "All articles · 12 · by quality, lowest first"
        assert paths(screen) == QUALITY_REVERSED
        await pilot.press("s")
    saved = json.loads(fixture_locations.settings_path.read_text(encoding="utf-8"))
    assert saved == {"sort": "date", "reverse": False}


async def test_a_damaged_settings_file_gives_the_default_order(fixture_locations):
    fixture_locations.data.mkdir(parents=True)
    fixture_locations.settings_path.write_text(
        '{"sort": "popularity", "reverse": "yes"', encoding="utf-8"
    )
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        assert title(screen).endswith("by date, newest first")
        await pilot.press("s")
        assert title(screen).endswith("by quality, highest first")


# --- search -----------------------------------------------------------------------------------


async def test_slash_searches_live_and_escape_clears(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        box = screen.query_one("#filter", Input)
        assert not box.display
        await pilot.press("slash")
        assert box.display and screen.focused is box
        await pilot.press("r", "e", "c", "o", "r", "d")
        # "record" is in one title and one excerpt; while typing the list already shrank.
        assert set(paths(screen)) == {"fresh.md", "two-days.md"}
        assert title(screen) == "All articles · 2 of 12 · by date, newest first · search “record”"
        await pilot.press("space", "q")
        assert paths(screen) == [
            "fresh.md"
        ]  # "record" and a word starting with q: "record quarter"
        assert title(screen).endswith(" · search “record q”")
        assert str(screen.query_one("#detail-title", Static).content).startswith("Fresh morning")
        await pilot.press("escape")
        assert not box.display and box.value == ""
        assert screen.focused is screen.query_one(ArticleList)
        assert paths(screen) == DATE_ORDER
        assert title(screen) == "All articles · 12 · by date, newest first"


async def test_search_matches_provider_case_insensitively_and_enter_returns_to_the_list(
    fixture_locations,
):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("slash", *"ARCHIVE desk", "enter")
        assert paths(screen) == ["old.md"]
        assert screen.focused is screen.query_one(ArticleList)
        # Keys are the list's again (not typed into the box); escape from the list clears the
        # search.
        await pilot.press("s")
        assert (
            title(screen)
            == "All articles · 1 of 12 · by quality, highest first · search “ARCHIVE desk”"
        )
        await pilot.press("escape")
        assert len(paths(screen)) == 12


async def test_search_works_within_a_topic(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("h", "j", "j", "j", "slash", *"script")
        # A search slower than a key (a loaded machine) gathers the keys behind it and runs
        # once they are in, a moment after the last key (see reader.screens.search_pacing).
        await wait_until(pilot, lambda: paths(screen) == ["js-url.md"], what="the search")
        assert title(screen) == "Security · 1 of 4 · by date, newest first · search “script”"


async def test_search_matches_words_and_their_beginnings_not_the_middle_of_words(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("slash", *"glac")  # the start of a word, as it is typed
        assert paths(screen) == ["old.md"]
        box = screen.query_one("#filter", Input)
        box.value = "turbine"
        await pilot.pause()
        assert paths(screen) == ["fresh.md"]  # "turbines" in the title, "turbine" in the excerpt
        box.value = "urbine"  # inside a word: no match (full-text search, not substrings)
        await pilot.pause()
        assert paths(screen) == []
        assert title(screen).startswith("All articles · 0 of 12 ")


async def test_letters_typed_in_the_filter_are_not_commands(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("slash", "q", "s", "r", "o", "question_mark")
        assert screen.query_one("#filter", Input).value == "qsro?"
        assert app.is_running and app.screen is screen
        assert "by date, newest first" in title(screen)


# --- quit, help, palette --------------------------------------------------------------------------


async def test_q_quits(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, what="the app to exit")
    assert app.return_code == 0


def help_text(app) -> str:
    """Everything the help screen lists, scrolled into view or not."""
    console = Console(width=100, record=True, file=io.StringIO())
    for section in app.screen.query(".help-section"):
        console.print(section.content)
    return console.export_text()


def has_row(text: str, keys: str, description: str) -> bool:
    return (
        # after the description, the action's name for [keys] (when it has one)
        re.search(
            rf"^\s*{re.escape(keys)}\s+{re.escape(description)}(\s+\w+)?\s*$", text, re.MULTILINE
        )
        is not None
    )


async def test_help_screen_lists_the_live_bindings(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        # A binding added at run time shows up: the help is built from the live bindings.
        app.bind("x", "bell", description="Ring the test bell")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "newsreader — keys" in screen_text(app)
        text = help_text(app)
        for keys, description in (
            ("s", "Sort"),
            ("r", "Reverse"),
            ("/", "Search"),
            ("o", "Open"),
            ("y", "Copy link"),
            ("!", "Skipped files"),
            ("esc", "Clear search"),
            ("m", "Read/unread"),
            ("M", "Mark all read"),
            ("f", "Star"),
            ("^s", "Save search"),
            ("R", "Fetch feeds"),
            ("space", "Scroll article"),
            ("shift+space b", "Scroll article back"),
            ("h ←", "Pane left"),
            ("l →", "Pane right"),
            ("tab", "Next pane"),
            ("x", "Ring the test bell"),
            ("?", "Help"),
            ("↓ j", "Down"),
            ("end G", "Last"),
        ):
            assert has_row(text, keys, description), (keys, description)
        sidebar = text[text.index("Topic sidebar") : text.index("Article list")]
        assert has_row(sidebar, "x del", "Delete saved search")
        assert re.search(r"^\s*(\^q )?q\s+Quit(\s+quit)?\s*$", text, re.MULTILINE)
        related = text[text.index("Related items") :]
        assert has_row(related, "⏎", "Go to article / read copy / open link")
        for section in (
            "Everywhere",
            "Main screen",
            "Topic sidebar",
            "Article list",
            "Related items",
        ):
            assert re.search(rf"^{section}\s*$", text, re.MULTILINE), section
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert app.screen is screen and app.is_running


async def test_help_does_not_promise_scrolling_for_arrows_that_move_panes(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        text = help_text(app)
        # ← and → move between panes (checked above); the help must not also say they scroll.
        assert has_row(text, "h ←", "Pane left")
        assert "Scroll Left" not in text and "Scroll Right" not in text
        assert "Page Left" not in text and "Page Right" not in text


async def test_command_palette_runs_the_same_actions(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"Sort: date")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, what="the palette to close")
        await wait_until(pilot, lambda: "by quality" in title(screen), what="the sort to change")
        assert paths(screen) == QUALITY_ORDER
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"Reverse order")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "lowest first" in title(screen), what="the order to flip")
        assert paths(screen) == QUALITY_REVERSED


async def test_command_palette_lists_every_screen_action(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        titles = [command.title for command in app.get_system_commands(screen)]
        for name in (
            "Sort: date / quality",
            "Reverse order",
            "Search articles",
            "Clear search",
            "Save search",
            "Open in browser",
            "Copy link",
            "Read / unread",
            "Mark all read",
            "Star / unstar",
            "Fetch feeds",
            "Skipped files",
            "Help: keys",
            "Quit",
        ):
            assert name in titles, name


async def test_keys_typed_in_one_burst_follow_the_focus_they_were_typed_for(fixture_locations):
    """A paste or a slow link delivers `/deep` or `h j j` at once: no key acts on the old pane."""
    from textual import events

    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)

        def burst(*keys: str) -> None:
            for key in keys:
                app.post_message(
                    events.Key(key, "/" if key == "slash" else key if len(key) == 1 else None)
                )

        burst("slash", *"mos")  # m, o, s on the list would mark, open and sort
        await wait_until(
            pilot,
            lambda: screen.query_one("#filter", Input).value == "mos",
            what="the typed search",
        )
        assert screen.settings.sort.value == "date" and not screen.state.read
        # In the search box, the pane and search keys are characters like any other.
        burst("h", "slash", "l")
        await wait_until(
            pilot,
            lambda: screen.query_one("#filter", Input).value == "mosh/l",
            what="typed letters",
        )
        assert isinstance(screen.focused, Input)
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: screen.focused is articles, what="the list focused again")
        burst("h", "j", "j")
        sidebar = screen.query_one(TopicSidebar)
        await wait_until(pilot, lambda: sidebar.highlighted == 2, what="two steps down the sidebar")
        assert articles.cursor == 0
