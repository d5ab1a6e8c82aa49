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


async def test_a_replaced_lists_late_counts_do_not_push_out_the_new_lists(fixture_locations):
    """Two counting threads (the list loaded early, then the list after the scan) may answer in
    either order before the screen takes the new list: the new list's counts must survive the
    old list's, come later. They were kept in one slot, and the sidebar never got its counts."""
    app = build_app(fixture_locations)
    async with app.run_test(size=WIDE) as pilot:
        screen = await wait_loaded(pilot)
        loader = screen.query_one(LibraryLoader)
        replaced = Collection(screen.collection.entries[:3])
        new = Collection(screen.collection.entries[:5])
        loader.post_message(LibraryLoader.Counted(screen.marks.tally(new)))
        loader.post_message(LibraryLoader.Counted(screen.marks.tally(replaced)))
        await pilot.pause()
        assert loader.source is not None
        loader.post_message(LibraryLoader.Loaded(loader.source, new, False, []))
        await wait_until(
            pilot, lambda: screen.marks.counts.total == 5, what="the new list's counts"
        )
        assert screen.marks.collection is new
        assert sidebar_line(app, "All")[-1] == "5"
