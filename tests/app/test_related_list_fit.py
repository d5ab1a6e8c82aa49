"""The related list's items wrap at one width whether or not its scrollbar shows.

Textual measures an auto-height list at its full width but wraps its items beside
the scrollbar; a list the scrollbar made one line longer could keep the scrollbar
for good, its items wrapped narrow (a snapshot that failed under load). The list is
hosted here with the app's own stylesheet, so the style's part of the fix is tested.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

import reader
from reader.related_items import Kind, PaneItem
from reader.widgets.related_list import RelatedList

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
MAX_LINES = 24
"""The list's ``max-height`` in the stylesheet."""


class _Host(App):
    CSS_PATH = str(Path(reader.__file__).parent / "app.tcss")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield RelatedList(clock=lambda: NOW, id="related")


def _items(count: int, provider: str) -> list[PaneItem]:
    two_days_ago = NOW.timestamp() - 2 * 86_400
    return [
        PaneItem(Kind.SIMILAR, f"{provider} story {n}", f"https://x.example/{n}", provider,
                 two_days_ago, 44)
        for n in range(count)
    ]  # fmt: skip


async def test_the_items_wrap_at_one_width_with_or_without_the_scrollbar():
    app = _Host()
    async with app.run_test(size=(40, 60)) as pilot:
        related = app.query_one(RelatedList)
        widths, scrollbars = set(), set()
        # 5 "Harbour Gazette" items fit in 24 lines at the full width but not beside a
        # scrollbar; 12 never fit.
        for count, provider in [(1, "Broken Wire"), (5, "Harbour Gazette"), (12, "Other Paper"),
                                (2, "Other Paper"), (5, "Harbour Gazette")]:  # fmt: skip
            related.set_items(_items(count, provider))
            await pilot.pause()
            await pilot.pause()
            lines = related.virtual_size.height
            assert related.size.height == min(MAX_LINES, lines), (count, provider)
            assert related.show_vertical_scrollbar == (lines > MAX_LINES), (count, provider)
            widths.add(related.scrollable_content_region.width)
            scrollbars.add(related.show_vertical_scrollbar)
        assert scrollbars == {True, False}
        assert len(widths) == 1


async def test_a_late_answer_moves_the_highlight_only_off_a_chosen_item():
    """The look-up's answer (similar articles first) comes after the file's own items: an
    unfocused list starts at its top again; in a focused one the highlight follows the item."""
    app = _Host()
    async with app.run_test(size=(40, 60)) as pilot:
        related = app.query_one(RelatedList)
        own, found = _items(2, "Broken Wire"), _items(2, "Other Paper")
        related.set_items(own)
        await pilot.pause()
        assert related.highlighted == 0
        related.set_items(found + own, keep=True)
        await pilot.pause()
        assert related.highlighted == 0 and related.current == found[0]
        related.set_items(own)
        related.focus()
        related.highlighted = 1  # the user chose the file's second item
        await pilot.pause()
        related.set_items(found + own, keep=True)
        await pilot.pause()
        assert related.current == own[1] and related.highlighted == 3
        related.set_items(found + own)  # another article: from the top
        assert related.highlighted == 0
