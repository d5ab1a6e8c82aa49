"""Pilot tests: a list that shows the titles, and ``[list]`` in config.toml taking effect.

The default widths leave the title column most of a 160-column terminal; the
detail pane goes below the list under 120 columns. ``columns``, ``date``,
``sidebar_width`` and ``detail_width`` change what the running app draws.
"""

from __future__ import annotations

from pathlib import Path

from app.conftest import build_app, list_rows, locations_for, wait_loaded
from reader.paths import Locations
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane
from reader.widgets.topic_sidebar import TopicSidebar

LONG_TITLES = [
    (
        "2026-11-26T10:15:00Z",
        "Harbor Ledger",
        80,
        "Port authority approves a ten-year plan to dredge the inner harbour"
        " and rebuild its docks.",
    ),
    (
        "2026-11-26T07:40:00Z",
        "The Meridian Post",
        64,
        "Regional rail operators agree to a shared timetable after months of missed connections",
    ),
    (
        "2026-11-25T18:05:00Z",
        "Northwind Health Bulletin",
        71,
        "Hospital network reports that evening clinics cut emergency waiting times by a third",
    ),
    (
        "2026-11-24T09:30:00Z",
        "Signal & Noise",
        None,
        "Researchers publish the full data set behind last spring's contested battery study",
    ),
    (
        "2026-11-19T12:00:00Z",
        "Orbital Dispatch",
        93,
        "Lunar relay satellite completes its first month of continuous service to the far side",
    ),
    (
        "2026-11-03T08:00:00Z",
        "Fieldstone Science Review",
        57,
        "Soil survey finds that cover crops kept more water in the ground through the dry summer",
    ),
    (
        "2025-06-12T16:45:00Z",
        "Railhead Journal",
        42,
        "Archive: the night train returns to the coast line after a twelve-year absence at last",
    ),
]
"""(published, provider, quality, title): titles of 84 to 90 characters, dates over two years."""
NINETY = LONG_TITLES[0][3]
assert len(NINETY) == 90


def long_titles_cache(tmp_path: Path, config: str = "") -> Locations:
    """A cache of :data:`LONG_TITLES` (and config.toml holding ``config``)."""
    source = tmp_path / "long-titles"
    source.mkdir()
    for number, (published, provider, quality, title) in enumerate(LONG_TITLES):
        score = "" if quality is None else f"quality: {quality}\n"
        domain = provider.lower().replace(" ", "-").replace("&", "and") + ".example"
        (source / f"long-{number}.md").write_text(
            f'---\ntitle: "{title}"\nexcerpt: "{title[:40]}."\n'
            f"publishedDateTime: {published}\n"
            f'originalUrl: "https://{domain}/{number}"\n{score}'
            f"provider:\n  name: {provider}\n  domain: {domain}\n---\nThe story.\n",
            encoding="utf-8",
        )
    locations = locations_for(tmp_path, source)
    if config:
        locations.feeds_config_path.parent.mkdir(parents=True, exist_ok=True)
        locations.feeds_config_path.write_text(config, encoding="utf-8")
    return locations


def title_shown(app, title: str) -> str:
    """What the list shows of ``title`` (the ellipsis left out)."""
    row = next(row for row in list_rows(app) if title[:12] in row)
    return row[row.index(title[:12]) :].rstrip().removesuffix("…")


def widths(app) -> tuple[int, int, int]:
    """Sidebar, list pane and detail pane widths, borders included."""
    screen = app.screen
    return tuple(
        screen.query_one(selector).region.width
        for selector in (TopicSidebar, "#middle", DetailPane)
    )


async def test_at_160_columns_a_90_character_title_shows_70_of_its_characters(tmp_path):
    app = build_app(long_titles_cache(tmp_path))
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await wait_loaded(pilot)
        assert not screen.has_class("-narrow")  # sidebar, list and detail pane side by side
        assert widths(app) == (22, 111, 27)
        shown = title_shown(app, NINETY)
        assert len(shown) >= 70 and NINETY.startswith(shown)


async def test_the_detail_pane_gives_way_on_narrower_terminals(tmp_path):
    app = build_app(long_titles_cache(tmp_path))
    async with app.run_test(size=(200, 40)) as pilot:
        screen = await wait_loaded(pilot)
        assert widths(app) == (22, 144, 34)  # 17% of the terminal
        assert title_shown(app, NINETY) == NINETY
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not screen.has_class("-narrow") and widths(app) == (22, 71, 27)
        assert len(title_shown(app, NINETY)) >= 30
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert screen.has_class("-narrow")  # below the list, as wide as it
        sidebar, middle, detail = widths(app)
        assert sidebar == 22 and middle == detail == 78
        assert len(title_shown(app, NINETY)) >= 37


async def test_columns_and_their_order_come_from_the_config(tmp_path):
    config = '[list]\ncolumns = ["title", "date", "provider"]\ndate = "iso"\n'
    app = build_app(long_titles_cache(tmp_path, config))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_loaded(pilot)
        assert app.loaded_config.problems == ()
        first = list_rows(app)[0]
        # The title first (no marks), then the date and the provider at the end of the row.
        assert first.startswith(NINETY[:80])
        assert first.rstrip().endswith(" 2026-11-26  Harbor Ledger")
        assert "●" not in first and " 80 " not in first


async def test_absolute_dates_show_the_time_this_year_and_the_year_before(tmp_path):
    app = build_app(long_titles_cache(tmp_path, '[list]\ndate = "absolute"\n'))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_loaded(pilot)
        rows = list_rows(app)
        assert rows[0].startswith(" ●  26 Nov 10:15  80  Harbor Ledger   Port authority")
        assert rows[-1].startswith(" ●   12 Jun 2025  42  Railhead Jour…  Archive")


async def test_relative_dates_are_the_default(tmp_path):
    app = build_app(long_titles_cache(tmp_path))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_loaded(pilot)
        rows = list_rows(app)
        assert rows[0].startswith(" ●           1h  80  Harbor Ledger   Port")
        assert rows[3].startswith(" ●           2d      Signal & Noise  Researchers")
        assert rows[-1].startswith(" ●  12 Jun 2025  42  Railhead Jour…  Archive")


async def test_sidebar_and_detail_widths_in_columns_hold_beside_the_list_only(tmp_path):
    config = "[list]\nsidebar_width = 30\ndetail_width = 50\n"
    app = build_app(long_titles_cache(tmp_path, config))
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await wait_loaded(pilot)
        assert widths(app) == (30, 80, 50)
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert screen.has_class("-narrow")
        assert widths(app) == (30, 70, 70)  # the detail pane below the list takes its width
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert widths(app) == (30, 80, 50)


async def test_widths_as_percentages_are_of_the_terminal(tmp_path):
    config = '[list]\nsidebar_width = "25%"\ndetail_width = "30%"\n'
    app = build_app(long_titles_cache(tmp_path, config))
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_loaded(pilot)
        assert widths(app) == (50, 90, 60)


async def test_wrong_list_values_keep_their_defaults_and_the_app_starts(tmp_path):
    config = '[list]\ncolumns = ["date"]\ndate = "iso"\ndetail_width = "90%"\nwidth = 3\n'
    app = build_app(long_titles_cache(tmp_path, config))
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await wait_loaded(pilot)
        paths = [problem.path for problem in app.loaded_config.problems]
        assert paths == [("list", "columns"), ("list", "detail_width"), ("list", "width")]
        assert screen.query_one(ArticleList).columns == (
            "mark",
            "date",
            "quality",
            "provider",
            "title",
        )
        assert list_rows(app)[0].startswith(" ●  2026-11-26  80  Harbor Ledger")
        assert widths(app) == (22, 111, 27)
