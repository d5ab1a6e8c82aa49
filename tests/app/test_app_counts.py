"""The sidebar's counts reach the screen whatever the order of the loader's messages.

Counting runs in a thread once the list has painted; its message goes to the
loader first and bubbles to the screen. A new list is taken by the screen only
when its own message has bubbled there, so counts can come before the list they
counted is shown (a list that took long to paint). Such counts were dropped as
stale, and the sidebar kept the previous list's numbers, or none.
"""

from __future__ import annotations

from app.conftest import build_app, sidebar_line, wait_loaded, wait_until
from reader.collection import Collection
from reader.components.library_loader import LibraryLoader

WIDE = (140, 40)


async def test_counts_that_come_before_their_list_are_shown_with_it(fixture_locations):
    app = build_app(fixture_locations)
    async with app.run_test(size=WIDE) as pilot:
        screen = await wait_loaded(pilot)
        before = screen.marks.counts.total
        fewer = Collection(screen.collection.entries[:5])
        loader = screen.query_one(LibraryLoader)
        loader.post_message(LibraryLoader.Counted(screen.marks.tally(fewer)))
        await pilot.pause()
        assert screen.marks.counts.total == before  # not the list shown: not taken
        assert loader.source is not None
        loader.post_message(LibraryLoader.Loaded(loader.source, fewer, False, []))
        await wait_until(pilot, lambda: screen.marks.counts.total == 5, what="the early counts")
        assert screen.marks.collection is fewer
        assert sidebar_line(app, "All")[-1] == "5"
