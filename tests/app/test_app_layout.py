"""Pilot tests: what the main screen shows (sidebar, list, detail pane, layouts).

Each test runs the real app from ``make_app`` on a copy of
``tests/fixtures/ui/cache`` (or the bundled samples) with a fixed clock,
and reads what is on screen.
"""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len
from textual.widgets import Static

from app.conftest import (
    MARKS,
    ROOMY_DETAIL,
    SIZE,
    build_app,
    list_rows,
    screen_lines,
    screen_text,
    sidebar_lines,
    wait_loaded,
    widget_text,
)
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane
from reader.widgets.related_list import RelatedList
from reader.widgets.topic_sidebar import TopicSidebar

DATE_END = MARKS + 12
"""Cell after the date column: marks (3), space, date (11, right-aligned)."""
TITLE_COLUMN = MARKS + 34
"""Cell where the title column starts: marks, space, date (11), space, quality (3), 2 spaces,
provider (14), 2 spaces."""
PROVIDER_COLUMN = MARKS + 18
QUALITY_COLUMN = MARKS + 13
VIEWS = [
    ["All", "articles", "12", "12"],  # unread, then total
    ["Unread", "12"],
    ["★", "Starred", "0"],
]
TOPICS = [
    ["Security", "4", "4"],  # unread, then total
    ["Climate", "3", "3"],  # Climate, Energy and Space tie at 3: alphabetical among themselves
    ["Energy", "3", "3"],
    ["Space", "3", "3"],
    ["[b]Hostile[/b]", "1", "1"],  # shown literally; "[" sorts before letters
    ["Health", "1", "1"],
]
SIDEBAR = [*VIEWS, ["─"], *TOPICS]
"""The top of the fixture cache's sidebar before anything is read, one list of words per line
(its Providers section follows: the cache has no feeds)."""


def static_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def test_sidebar_lists_the_views_then_topics_by_count_then_name(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert sidebar_lines(app)[: len(SIDEBAR) + 2] == [*SIDEBAR, ["─"], ["Providers"]]
        assert "Topics" in screen_lines(app)[0]
        # The divider spans the sidebar (22 cells wide, 20 inside its border).
        assert "─" * 20 in widget_text(app.screen.query_one(TopicSidebar))
        # The divider is not a line you can choose: ten scopes for eleven lines.
        sidebar = app.screen.query_one(TopicSidebar)
        assert [scope.name for scope in sidebar.scopes][:9] == [
            "All articles",
            "Unread",
            "Starred",
            "Security",
            "Climate",
            "Energy",
            "Space",
            "[b]Hostile[/b]",
            "Health",
        ]


async def test_sidebar_on_samples_is_sorted_by_count(samples_locations):
    app = build_app(samples_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        lines = sidebar_lines(app)
        assert lines[:4] == [
            ["All", "articles", "49", "49"],
            ["Unread", "49"],
            ["★", "Starred", "0"],
            ["─"],
        ]
        topics = lines[4:]
        counts = [(-int(line[-1]), " ".join(line[:-2]).casefold()) for line in topics]
        assert counts == sorted(counts)
        assert all(line[-2] == line[-1] for line in topics)  # nothing read yet: unread == total
        assert len(topics) > 5


async def test_choosing_a_topic_filters_the_list_and_retitles_it(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)
        assert static_text(app, "#list-title").startswith("All articles · 12 · ")
        # to the sidebar, then down past Unread and Starred to "Security"
        await pilot.press("h", "j", "j", "j")
        assert screen.focused is screen.query_one(TopicSidebar)
        assert screen.view.scope.topic == "Security"
        assert static_text(app, "#list-title") == "Security · 4 · by date, newest first"
        assert {e.title for e in articles.entries} == {
            "[@click=app.quit]x[/]",
            "[bold]x[/]",
            "Article whose link is a script",
            "Article whose link is a local file",
        }
        assert len(list_rows(app)) == 4
        await pilot.press("j", "j", "j")  # Climate, Energy, Space
        assert static_text(app, "#list-title") == "Space · 3 · by date, newest first"
        assert [e.path for e in articles.entries] == ["cjk.md", "emoji.md", "long-title.md"]
        await pilot.press("g")
        assert static_text(app, "#list-title").startswith("All articles · 12 ")
        assert len(articles.entries) == 12


async def test_rows_show_date_quality_provider_title(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        rows = list_rows(app)
        assert len(rows) == 12
        by_start = {row[TITLE_COLUMN : TITLE_COLUMN + 12]: row for row in rows}
        fresh = by_start["Fresh mornin"]
        # Nothing is read yet: every row starts with the unread mark, and no star.
        assert all(row[:MARKS] == " ● " for row in rows)
        assert fresh.split()[:5] == ["●", "3h", "70", "Morning", "Wire"]
        assert by_start["Storage auct"].split()[:4] == ["●", "2d", "90", "Signal"]
        assert by_start["Archive piec"].split()[:5] == ["●", "12", "Mar", "2024", "Archive"]
        script = next(row for row in rows if "Script Host" in row)
        assert script.split()[:5] == ["●", "13", "Nov", "2026", "10"]
        # No quality: the column is blank, the provider still starts in its column.
        local_file = next(row for row in rows if "File Host" in row)
        assert local_file[QUALITY_COLUMN : QUALITY_COLUMN + 3] == "   "
        assert local_file[PROVIDER_COLUMN:].startswith("File Host")
        undated = rows[-1]
        assert undated.split()[:3] == ["●", "—", "50"] and "Undated clinic notice" in undated
        # Dates are right-aligned: every date ends at the same cell.
        assert all(row[DATE_END] == " " and row[DATE_END - 1] != " " for row in rows)


async def test_long_titles_and_providers_end_in_an_ellipsis(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        rows = list_rows(app)
        long_row = next(row for row in rows if "A remarkably long" in row)
        assert long_row.rstrip().endswith("…")
        assert "must be cut" not in long_row
        assert long_row[PROVIDER_COLUMN:TITLE_COLUMN].rstrip() == "The Extremely…"
        cjk_row = next(row for row in rows if "東京の" in row)
        assert cjk_row.rstrip().endswith("…")
        # The detail pane has the whole title.
        await pilot.press("G", "k", "k")
        assert screen.query_one(ArticleList).highlighted.path == "long-title.md"
        assert "so that it must be cut" in static_text(app, "#detail-title")


async def test_cjk_emoji_and_rtl_titles_keep_the_columns_aligned(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)
        width = articles.scrollable_content_region.width
        rows = list_rows(app)
        titles = [entry.title for entry in articles.entries]
        assert (
            any("東京" in t for t in titles)
            and any("🚀" in t for t in titles)
            and any("محطة" in t for t in titles)
        )
        for row, entry in zip(rows, articles.entries, strict=True):
            assert cell_len(row) == width, row
            start = row.rfind(entry.title[:4])
            assert start > 0, (row, entry.title)
            assert cell_len(row[:start]) == TITLE_COLUMN, row
            provider = entry.provider[:4]
            assert cell_len(row[: row.find(provider)]) == PROVIDER_COLUMN, row
        # On the screen itself, the list's right border is in the same cell on every row.
        left = articles.region.x
        border_cells = set()
        for line in screen_lines(app)[articles.region.y : articles.region.y + len(rows)]:
            inside = line[
                left:
            ]  # the sidebar and left border are ASCII/box characters: 1 cell each
            border_cells.add(left + cell_len(inside[: inside.index("│")]))
        assert len(border_cells) == 1


async def test_title_over_the_list_says_sort_and_direction(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert static_text(app, "#list-title") == "All articles · 12 · by date, newest first"
        await pilot.press("r")
        assert static_text(app, "#list-title") == "All articles · 12 · by date, oldest first"
        await pilot.press("s")
        assert static_text(app, "#list-title") == "All articles · 12 · by quality, highest first"
        await pilot.press("r")
        assert static_text(app, "#list-title") == "All articles · 12 · by quality, lowest first"
        assert "by quality, lowest first" in screen_text(app)


async def test_detail_pane_shows_everything_about_the_article(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=ROOMY_DETAIL) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.query_one(ArticleList).highlighted.path == "fresh.md"
        assert static_text(app, "#detail-title") == "Fresh morning briefing on offshore turbines"
        meta = static_text(app, "#detail-meta").splitlines()
        assert meta == [
            "Source     Morning Wire · morningwire.example",
            "Published  Thu 26 Nov 2026, 09:00 (3h ago)",
            "Score      quality 70 · heat 12 · analysis",
            "Topics     Energy, Climate",
            "State      unread",
        ]
        assert (
            static_text(app, "#detail-excerpt")
            == "Briefing excerpt: turbine makers report a record quarter."
        )
        assert (
            static_text(app, "#detail-url")
            == "Link       https://morningwire.example/2026/11/26/fresh-briefing"
        )
        # The Markdown body is rendered, not shown as source.
        assert screen.query_one("#detail-body", Static).display
        text = screen_text(app)
        assert "Turbine orders" in text and "## Turbine" not in text
        assert "record orders for" in text and "**" not in text
        assert "• Order book up a third" in text
        # Related: each item with title, provider, date and quality.
        # The file's items are not in this cache; the cache's most similar article comes first.
        assert static_text(app, "#detail-related-title") == "Related (3)\nSimilar in your cache (1)"
        related = screen.query_one(RelatedList)
        prompts = [str(option.prompt) for option in related.options]
        assert prompts[0].splitlines() == [
            "Storage auction clears at a record low price",
            "≈ similar · Signal Desk · 2d · quality 90",
        ]
        assert prompts[1:] == [
            "Grid battery tender opens to bidders\nSignal Desk · 1d · quality 80",
            "Wind farm output sets a monthly record\nMorning Wire · 1 Nov 2026 · quality 65",
            "Related item whose only link is a script\nSketchy Relay · 6d",
        ]
        # Focusing the related list brings all of it into view.
        await pilot.press("l")
        text = screen_text(app)
        assert "Sketchy Relay · 6d" in text and "Morning Wire · 1 Nov 2026 · quality 65" in text


async def test_detail_pane_without_body_quality_or_related(fixture_locations, nothing_alike):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("G", "k")  # the 2024 article: no quality, no heat, no body, no related
        assert screen.query_one(ArticleList).highlighted.path == "old.md"
        assert static_text(app, "#detail-title") == "Archive piece on glacier retreat"
        meta = static_text(app, "#detail-meta")
        assert "Published  Tue 12 Mar 2024, 10:00" in meta and "ago" not in meta
        assert "Score      article" in meta and "quality" not in meta and "heat" not in meta
        assert not screen.query_one("#detail-body", Static).display
        assert not screen.query_one(RelatedList).display
        assert static_text(app, "#detail-related-title") == ""
        await pilot.press("G")  # no date at all
        assert "Published  date unknown" in static_text(app, "#detail-meta")


async def test_detail_pane_uses_the_local_time_zone(fixture_locations, monkeypatch):
    # The same instant shown in a zone 5 hours behind UTC (the clock's zone is the local one).
    zone = dt.timezone(dt.timedelta(hours=-5))
    app = build_app(fixture_locations)
    app.clock = lambda: dt.datetime(2026, 11, 26, 7, 0, tzinfo=zone)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert "Published  Thu 26 Nov 2026, 04:00 (3h ago)" in static_text(app, "#detail-meta")


async def test_detail_follows_the_highlighted_article_at_once(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        articles = screen.query_one(ArticleList)
        for key in ("j", "down", "j", "k", "end", "home", "pagedown", "pageup"):
            await pilot.press(key)
            assert static_text(app, "#detail-title") == articles.highlighted.title, key
        await pilot.press("j")
        assert static_text(app, "#detail-title") == "Storage auction clears at a record low price"


async def test_wide_layout_puts_the_detail_pane_on_the_right(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        middle, detail = screen.query_one("#middle").region, screen.query_one(DetailPane).region
        sidebar = screen.query_one(TopicSidebar).region
        assert sidebar.right <= middle.x and middle.right <= detail.x
        assert detail.y == middle.y
        assert not screen.has_class("-narrow")


async def test_narrow_layout_puts_the_detail_pane_below_the_list(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=(90, 40)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.has_class("-narrow")
        # The narrower sidebar still gives each topic one line, its count included.
        assert sidebar_lines(app)[: len(SIDEBAR)] == SIDEBAR
        middle, detail = screen.query_one("#middle").region, screen.query_one(DetailPane).region
        assert detail.y >= middle.bottom and detail.x == middle.x
        assert static_text(app, "#detail-title") in screen_text(app)
        rows = list_rows(app)
        assert rows and all(
            cell_len(r) == screen.query_one(ArticleList).scrollable_content_region.width
            for r in rows
        )
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert not screen.has_class("-narrow")
        assert screen.query_one(DetailPane).region.x >= screen.query_one("#middle").region.right


async def test_footer_shows_the_main_bindings(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        footer = screen_lines(app)[-1]
        for key, label in (
            ("s", "Sort"),
            ("r", "Reverse"),
            ("/", "Search"),
            ("o", "Open"),
            ("m", "Read/unread"),
            ("f", "Star"),
            ("R", "Fetch feeds"),
            ("q", "Quit"),
            ("?", "Help"),
        ):
            assert f"{key} {label}" in footer, (key, footer)
        # Copying still works (y) but gave its place in the footer to the reading keys.
        assert "Copy link" not in footer


async def test_long_topic_names_are_cut_but_keep_their_count(fixture_locations):
    (fixture_locations.cache / "long-topic.md").write_text(
        "---\ntitle: Long topic\n"
        "topics: [An extraordinarily long topic name for any sidebar]\n---\n",
        encoding="utf-8",
    )
    for size in (SIZE, (90, 40)):
        app = build_app(fixture_locations)
        async with app.run_test(size=size) as pilot:
            await wait_loaded(pilot)
            sidebar = app.screen.query_one(TopicSidebar)
            rows = [line for line in widget_text(sidebar).splitlines() if line.strip()]
            providers = next(i for i, row in enumerate(rows) if row.strip() == "Providers")
            assert providers - 1 == len(SIDEBAR) + 1, rows  # before the divider of the providers
            long_row = next(row for row in rows if row.startswith("An extra"))
            assert "…" in long_row and long_row.rstrip().endswith(" 1 1"), long_row
            assert "sidebar" not in long_row
