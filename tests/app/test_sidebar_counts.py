"""The sidebar's counts leave its names room on a big cache.

At a million articles, two full counts (``83,914 83,914``) took 13 of the sidebar's 20 cells:
the topics read ``Hea…`` and the first line's total ``1,000,0…``. A section's counts now print
short (``84k``), then the unread alone, when in full they would leave its names less than
:data:`~reader.widgets.topic_sidebar.NAME_ROOM` cells; a small cache's counts print as before.
"""

from __future__ import annotations

from rich.console import Console

from app.conftest import build_app, sidebar_line, sidebar_lines, wait_loaded, wait_until
from reader.collection import Collection
from reader.components.library_loader import LibraryLoader
from reader.entry import TOPIC_SEP, Entry
from reader.formatting import short_count
from reader.widgets.topic_sidebar import NAME_ROOM, CountColumn, ScopeLine

WIDE = (140, 40)


def _big_collection() -> Collection:
    """120,000 entries: 84,000 on Health, 24,000 on AI, 12,000 on Semiconductors, and one
    provider with 3,487 of them among providers with fewer."""
    entries = []
    for n in range(120_000):
        topic = "Health" if n < 84_000 else "AI" if n < 108_000 else "Semiconductors"
        provider = "Outlet 200" if n < 3_487 else f"Outlet {n % 100}"
        entries.append(
            Entry(
                f"big/{n}.md",
                f"Story {n}",
                1_700_000_000.0 + n,
                n % 100,
                None,
                provider,
                "example.com",
                f"https://example.com/{n}",
                "article",
                TOPIC_SEP.join([topic]),
                n + 1,
            )
        )
    return Collection(entries)


async def test_a_big_caches_sidebar_shows_whole_names_and_short_counts(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=WIDE) as pilot:
        screen = await wait_loaded(pilot)
        assert sidebar_line(app, "All") == ["All", "articles", "12", "12"]  # small: in full
        big = _big_collection()
        loader = screen.query_one(LibraryLoader)
        assert loader.source is not None
        loader.post_message(LibraryLoader.Loaded(loader.source, big, False, []))
        loader.post_message(LibraryLoader.Counted(screen.marks.tally(big)))
        await wait_until(pilot, lambda: screen.marks.counts.total == 120_000, what="the counts")
        await pilot.pause()
        # The first section: "120k 120k" would leave "All articles" 8 cells: the unread alone.
        assert sidebar_line(app, "All") == ["All", "articles", "120k"]
        assert sidebar_line(app, "Unread") == ["Unread", "120k"]
        # The topics: short, the same on every line, and the names given NAME_ROOM cells.
        assert sidebar_line(app, "Health") == ["Health", "84k", "84k"]
        assert sidebar_line(app, "AI") == ["AI", "24k", "24k"]
        assert sidebar_line(app, "Semicond") == ["Semicondu…", "12k", "12k"]
        # The providers: "3.4k 3.4k" would cut "Outlet 200": the unread alone.
        assert sidebar_line(app, "Outlet 200") == ["Outlet", "200", "3.4k"]
        assert not any(word.endswith("…") for line in sidebar_lines(app) for word in line[1:])


def _rendered(lines: list[ScopeLine], width: int) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    out = []
    for line in lines:
        with console.capture() as capture:
            console.print(line)
        out.append(capture.get().rstrip("\n"))
    return out


def test_counts_are_cut_not_rounded_up():
    """999,999 unread of a million must not read as all of them (``1.0M 1.0M``)."""
    assert [short_count(n) for n in (0, 999, 1000, 3487, 9999, 10_000, 83_914, 999_999)] == [
        "0",
        "999",
        "1.0k",
        "3.4k",
        "9.9k",
        "10k",
        "83k",
        "999k",
    ]
    assert [short_count(n) for n in (1_000_000, 1_234_567, 9_999_999, 12_345_678)] == [
        "1.0M",
        "1.2M",
        "9.9M",
        "12M",
    ]


def test_a_section_prints_its_counts_alike_at_the_width_it_is_rendered_at():
    lines = [ScopeLine("Health", 83_914, 83_914), ScopeLine("AI", 500, 83_306)]
    CountColumn(lines)
    assert _rendered(lines, 19) == ["Health      83k 83k", "AI          500 83k"]
    # Wide enough for the full counts beside NAME_ROOM cells of name: in full, as before.
    room = NAME_ROOM + 1 + len("83,914 83,914")
    assert _rendered(lines, room) == [
        "Health".ljust(room - 13) + "83,914 83,914",
        "AI".ljust(room - 10) + "500 83,306",
    ]


def test_nothing_unread_shows_the_total_and_a_line_alone_prints_in_full():
    lines = [ScopeLine("Read", 0, 1_200_000), ScopeLine("Starred", None, 3)]
    CountColumn(lines)
    assert _rendered(lines, 19) == ["Read           1.2M", "Starred           3"]
    assert _rendered([ScopeLine("Alone", 1, 83_914)], 19) == ["Alone      1 83,914"]
