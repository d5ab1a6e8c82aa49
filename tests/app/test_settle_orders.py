"""After a load, both orders are warmed even when `s` is pressed while that runs."""

from __future__ import annotations

from pathlib import Path

from data.test_filtering import _entries

from reader.collection import Collection
from reader.components.library_loader import LibraryLoader
from reader.marks import Marks
from reader.ordering import SortKey
from reader.paths import Locations
from reader.settings import Settings


class TogglingSettings(Settings):
    """Settings whose order flips every time it is read: an `s` between any two reads."""

    @property  # type: ignore[override]
    def sort(self) -> SortKey:
        self._reads = getattr(self, "_reads", 0) + 1
        return SortKey.DATE if self._reads % 2 else SortKey.QUALITY

    @sort.setter
    def sort(self, value: SortKey) -> None:
        pass


def test_both_orders_are_warmed_though_the_order_changes_meanwhile(tmp_path: Path) -> None:
    collection = Collection(_entries(1, 400))
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    marks = Marks(None)  # type: ignore[arg-type] - the state is not read by this step
    loader = LibraryLoader(locations, TogglingSettings(), marks)
    loader._settle(collection, None)
    for key in SortKey:
        assert collection.ordered(key) and collection._rows(key)._made, key
        assert key in collection._codes, key  # a topic in either order finds its numbers
