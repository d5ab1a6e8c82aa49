"""The detail pane's related section on a hand-made cache: what is in the cache comes first and
says so, enter goes there (and backspace back), o opens the link, copies of the story are read."""

from __future__ import annotations

from textual.widgets import Static

from app.conftest import (
    ROOMY_DETAIL,
    build_app,
    choose_scope,
    opened,
    put_cursor_on,
    screen_text,
    settle,
    wait_loaded,
    wait_until,
)
from app.related_setup import (
    OUTSIDE_URL,
    PANELS_URL,
    STORAGE_LINK,
    WIRE_B_URL,
    related_cache,
    related_ready,
)
from reader.components.related_lookup import RelatedLookup
from reader.related_items import Kind
from reader.scopes import ALL
from reader.screens.reader_view import ReaderView
from reader.widgets.article_list import ArticleList
from reader.widgets.related_list import RelatedList
from reader.widgets.status_line import StatusLine


def _kinds(related: RelatedList) -> list[tuple[Kind, str]]:
    return [(item.kind, item.entry.path if item.entry else item.url) for item in related.items]


async def _focus_item(pilot, related: RelatedList, path_or_url: str) -> None:
    """Focus the related list and highlight the item for ``path_or_url``."""
    at = [value for _, value in _kinds(related)].index(path_or_url)
    related.focus()
    related.highlighted = at
    await pilot.pause()


async def test_in_cache_items_come_first_then_similar_then_the_rest(tmp_path):
    app = build_app(related_cache(tmp_path))
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.query_one(ArticleList).highlighted.path == "hub.md"
        await related_ready(pilot, screen)
        kinds = _kinds(screen.query_one(RelatedList))
        # The file's own item in the cache (its address spelt another way), then the computed
        # ones (the article in other words first, never the item already listed), then the rest.
        assert kinds[0] == (Kind.CACHED, "storage.md")
        assert kinds[1] == (Kind.SIMILAR, "panels.md")
        assert kinds[-1] == (Kind.LINK, OUTSIDE_URL)
        assert [path for _, path in kinds].count("storage.md") == 1
        assert "hub.md" not in [path for _, path in kinds]
        assert {kind for kind, _ in kinds[1:-1]} == {Kind.SIMILAR}
        prompts = [str(option.prompt) for option in screen.query_one(RelatedList).options]
        assert prompts[0].splitlines() == [
            "Grid storage steps in after dark",
            "● in your cache · Battery World · 6d",
        ]
        assert prompts[1].splitlines()[1] == "≈ similar · Science Weekly · 5d"
        assert prompts[-1].splitlines()[1] == "Elsewhere"  # as before: no marker
        heading = str(screen.query_one("#detail-related-title", Static).content)
        assert heading.splitlines() == ["Related (2, 1 in your cache)", "Similar in your cache (1)"]
        assert "● in your cache" in screen_text(app)


async def test_enter_goes_to_a_cached_article_in_another_view_and_backspace_returns(tmp_path):
    app = build_app(related_cache(tmp_path))
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        await choose_scope(pilot, screen, "Energy")  # panels is a Science article: not listed
        articles, related = screen.query_one(ArticleList), screen.query_one(RelatedList)
        assert articles.highlighted.path == "hub.md"
        await related_ready(pilot, screen)
        await _focus_item(pilot, related, "panels.md")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.view.scope == ALL and screen.view.text == ""
        assert articles.highlighted.path == "panels.md"
        assert screen.focused is articles
        note = str(screen.query_one(StatusLine).content)
        assert note.startswith("Showing all articles to reach a related article")
        assert "backspace goes back" in note
        # Within the view: no switch, the list just moves.
        await related_ready(pilot, screen)
        assert _kinds(related)[0][1] == "hub.md"  # panels' most similar is hub
        await _focus_item(pilot, related, "hub.md")
        await pilot.press("enter")
        await pilot.pause()
        assert articles.highlighted.path == "hub.md" and screen.view.scope == ALL
        # Back along the way: panels in All articles, then hub in Energy.
        await pilot.press("backspace")
        assert articles.highlighted.path == "panels.md" and screen.view.scope == ALL
        await pilot.press("backspace")
        assert screen.view.scope.name == "Energy"
        assert articles.highlighted.path == "hub.md"
        assert screen.query_one("TopicSidebar").current.name == "Energy"
        assert "Showing all" not in str(screen.query_one(StatusLine).content)


async def test_backspace_restores_a_search(tmp_path):
    app = build_app(related_cache(tmp_path))
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("slash", *"desert", "enter")
        await wait_until(pilot, lambda: screen.view.text == "desert", what="the search")
        articles, related = screen.query_one(ArticleList), screen.query_one(RelatedList)
        await put_cursor_on(pilot, screen, "hub.md")
        await related_ready(pilot, screen)
        await _focus_item(pilot, related, "storage.md")  # no "desert" in it: not listed
        await pilot.press("enter")
        await pilot.pause()
        assert screen.view.text == "" and articles.highlighted.path == "storage.md"
        assert not screen.query_one("#filter").display
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.view.text == "desert" and screen.query_one("#filter").value == "desert"
        assert articles.highlighted.path == "hub.md"


async def test_o_opens_the_item_link_and_enter_opens_one_not_in_the_cache(tmp_path, browser):
    app = build_app(related_cache(tmp_path))
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        related = screen.query_one(RelatedList)
        await related_ready(pilot, screen)
        await _focus_item(pilot, related, "storage.md")
        await pilot.press("o")  # the link as the file spells it; the list stays
        await _focus_item(pilot, related, "panels.md")
        await pilot.press("o")
        await _focus_item(pilot, related, OUTSIDE_URL)
        await pilot.press("enter")  # not in the cache: the browser, as before
        await settle(pilot)
        assert opened(browser) == [STORAGE_LINK, PANELS_URL, OUTSIDE_URL]
        assert screen.query_one(ArticleList).highlighted.path == "hub.md"


async def test_copies_of_the_story_are_listed_first_and_enter_reads_one(tmp_path):
    app = build_app(related_cache(tmp_path))
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        await put_cursor_on(pilot, screen, "wire-a.md")
        related = screen.query_one(RelatedList)
        # Copies are known at once (they are loaded); the look-up adds the rest.
        assert _kinds(related)[0] == (Kind.COPY, "wire-b.md")
        await related_ready(pilot, screen)
        kinds = _kinds(related)
        assert kinds[0] == (Kind.COPY, "wire-b.md")
        assert "wire-b.md" not in [path for _, path in kinds[1:]]
        prompt = str(related.options[0].prompt).splitlines()
        assert prompt == ["Port approves electric ferries", "same story · Coast Courier · 3d"]
        heading = str(screen.query_one("#detail-related-title", Static).content)
        assert heading.splitlines() == ["Same story from 2 sources", "Related (1, 1 in your cache)"]
        await _focus_item(pilot, related, "wire-b.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderView), what="reader view")
        assert app.screen.entry.path == "wire-b.md"
        assert app.screen.entry.url == WIRE_B_URL
        await pilot.press("q")
        await pilot.pause()
        assert screen.query_one(ArticleList).highlighted.path == "wire-a.md"


async def _settled_lookup(pilot) -> tuple:
    """The loaded main screen, once its first related look-up is shown, and its look-up part."""
    screen = await wait_loaded(pilot)
    await related_ready(pilot, screen)
    return screen, screen.query_one(RelatedLookup)


async def test_a_fast_cursor_run_ends_on_the_right_related_items(tmp_path):
    app = build_app(related_cache(tmp_path))
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen, lookup = await _settled_lookup(pilot)
        before = lookup.looked_up
        articles = screen.query_one(ArticleList)
        # The two wire copies are one row (the list folds copies); the run ends on it.
        wire = next(i for i, e in enumerate(articles.entries) if e.path.startswith("wire-"))
        rows = len(articles.entries)
        keys = ["j"] * rows + ["k"] * rows + ["j"] * wire  # to the end, to the top, to the wire
        await pilot.press(*keys)
        shown = articles.highlighted.path
        assert shown in ("wire-a.md", "wire-b.md")
        other = "wire-b.md" if shown == "wire-a.md" else "wire-a.md"
        await related_ready(pilot, screen)
        assert _kinds(screen.query_one(RelatedList))[0] == (Kind.COPY, other)
        assert screen.query_one(RelatedList).items[0].entry.path == other
        assert lookup.looked_up - before <= len(keys)  # never more than asked, often fewer


async def test_after_a_slow_look_up_rows_that_flash_by_are_not_looked_up(tmp_path, monkeypatch):
    """A big index takes tenths of a second a look-up: the next one waits for the highlight to
    rest, so a run of keys looks up the row it ends on (the code before looked up every row it
    could, one after another)."""
    import dataclasses
    import time

    from reader import related_items
    from reader.components import related_lookup

    real = related_items.look_up

    def slow(index, entry, urls):
        time.sleep(0.06)
        return dataclasses.replace(real(index, entry, urls), seconds=0.06)

    monkeypatch.setattr(related_items, "look_up", slow)
    # A rest far longer than the gap between keys, so a busy machine cannot make one look like
    # a rest (at 0.2 s, a loaded CI machine spaced some keys that far apart).
    monkeypatch.setattr(related_lookup, "REST_SECONDS", 1.0)
    app = build_app(related_cache(tmp_path))
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen, lookup = await _settled_lookup(pilot)
        before = lookup.looked_up
        for _ in range(6):  # down and up again, a key every 50 ms: 24 rows highlighted
            for key in ["j"] * 2 + ["k"] * 2:
                await pilot.press(key)
                await pilot.pause(0.05)
        await related_ready(pilot, screen)  # the pane shows the row the run ended on
        assert lookup.looked_up - before <= 8  # the code before: about 24, one per row
