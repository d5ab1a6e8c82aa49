"""After a load, both orders are warmed even when `s` is pressed while that runs."""

from __future__ import annotations

from pathlib import Path

from data.test_filtering import _entries

from reader.collection import Collection
from reader.components.library_loader import LibraryLoader
from reader.filtering import ROW_ID
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


class LoggingCollection(Collection):
    """A collection that notes each warming step the loader asks of it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.steps: list[tuple] = []

    def warm_ids(self, key: SortKey, reverse: bool = False) -> None:
        self.steps.append(("ids", key, reverse))
        super().warm_ids(key, reverse)

    def sorted(self, key: SortKey, reverse: bool = False) -> list:
        self.steps.append(("sorted", key, reverse))
        return super().sorted(key, reverse)


def test_the_ids_of_the_order_shown_come_first(tmp_path: Path) -> None:
    """A search's first key reads the row ids of the order shown: they are made before the other
    order is sorted (an `s` shows that order's head meanwhile), so a search typed in the first
    second after a load at a million does not make them itself (0.6-1.0 s → 0.3-0.4 s)."""
    collection = LoggingCollection(_entries(1, 400))
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    settings = Settings()
    settings.sort, settings.reverse = SortKey.QUALITY, True
    loader = LibraryLoader(locations, settings, Marks(None))  # type: ignore[arg-type]
    loader._settle(collection, None)
    assert collection.steps[0] == ("ids", SortKey.QUALITY, True)
    assert ("sorted", SortKey.DATE, False) in collection.steps[1:]
    shown = collection._rows(SortKey.QUALITY, True)
    over = shown._over()  # a reversed order's ids are those of the rows its masks are made over
    assert ROW_ID in (over[0] if over is not None else shown)._made


class _Index:
    def __init__(self, steps: list[tuple]) -> None:
        self.steps = steps

    def keep_prefixes(self) -> None:
        self.steps.append(("prefixes",))


class _Source:
    def __init__(self, steps: list[tuple]) -> None:
        self.index = _Index(steps)


def test_a_searchs_first_letters_are_found_last(tmp_path: Path) -> None:
    """The index finds the first letters' matches once the orders and columns are made: it runs
    a thread of its own for seconds at a million, which must not delay them."""
    collection = LoggingCollection(_entries(1, 400))
    locations = Locations(tmp_path / "cache", tmp_path / "config", tmp_path / "data")
    loader = LibraryLoader(locations, Settings(), Marks(None))  # type: ignore[arg-type]
    loader._settle(collection, None, _Source(collection.steps))  # type: ignore[arg-type]
    assert collection.steps[-1] == ("prefixes",) and len(collection.steps) > 1
    loader._stop.set()  # quitting: not asked for
    collection.steps.clear()
    loader._settle(collection, None, _Source(collection.steps))  # type: ignore[arg-type]
    assert ("prefixes",) not in collection.steps
