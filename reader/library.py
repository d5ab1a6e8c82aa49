"""The cache as a whole: which folder to read, its index, and loading its entries.

:class:`Source` decides what is read (the cache, or the bundled samples when
the cache holds no article) and keeps its index; what it loads is a
:class:`reader.collection.Collection`, the views over the entries.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING

from reader import early_check, gc_pause
from reader.collection import TOPIC_VIEWS_KEPT, Collection
from reader.entry import Entry, EntryDecoder
from reader.first_page import ORDERS, PAGE_ROWS, FirstPage, Order
from reader.hiding import HideRules
from reader.index import (
    FileDiff,
    Index,
    PendingDiff,
    ProgressFn,
    ScanResult,
    index_path_for,
    scan_anyway,
    start_diff,
)
from reader.index_changes import Changes, apply_paths, expand
from reader.index_reads import REMOVED_KEPT
from reader.known_urls import KnownUrls
from reader.ordering import SortKey, sort_entries
from reader.paths import SAMPLES_DIR, Locations
from reader.topic_names import load_topic_names

if TYPE_CHECKING:
    from reader.articles import Article

__all__ = [
    "TOPIC_VIEWS_KEPT",
    "Collection",
    "Preloaded",
    "SortKey",
    "Source",
    "preload",
    "sort_entries",
]

FEED_URLS_FROM = 20_000
"""Articles under ``feeds/`` from which a fetch in the reader takes their URLs from the index
(see :meth:`Source.feed_urls`): reading each file's head takes 15 s at 100,000, 150 s at a
million."""
PATCH_LIMIT = 5000
"""Up to this many changed files, a scan patches the loaded list instead of reloading it."""
PATCH_SHARE = 5
"""Past :data:`PATCH_LIMIT`, a list is still patched for up to one changed file in this many of
its rows (see :func:`patch_limit`)."""


def patch_limit(rows: int) -> int:
    """How many changed files a loaded list of ``rows`` is patched for rather than read again.

    A fixed 5,000 read a million rows again after a fetch of 6,000 new files: a second whole
    list beside the one shown, 1.1 GiB at its peak against 0.7. A patch costs a pass over the
    rows and a read of the changed ones, far less than reading them all while they are a fifth.
    """
    return max(PATCH_LIMIT, rows // PATCH_SHARE)


class Source:
    """The folder being read and its index: the cache, or the samples when it is empty."""

    def __init__(
        self, locations: Locations, hide: Iterable[str] = (), by_folders: bool = False
    ) -> None:
        self.locations = locations
        self.cache = locations.cache
        self.is_samples = False
        self.index = Index(self.cache, index_path_for(self.cache) if self.cache.is_dir() else None)
        self.index.by_folders = by_folders
        self.problem = self.index.problem
        """Why the cache's index is kept in memory this run (empty when it is saved)."""
        self._swapped = False
        self.names, self.topic_problem = load_topic_names(locations.feeds_config_path)
        """Topic renames from the config, applied to every entry loaded, and what was wrong."""
        self.hiding = HideRules(hide, self.names)
        """The hide rules: what they match is loaded into each collection's ``hidden``."""

    @property
    def root(self) -> Path:
        """The folder whose files the entries' paths are relative to."""
        return self.index.root

    def load(self, apart: bool = False, between: Callable[[], object] | None = None) -> Collection:
        """What the index holds now, without touching the files (fast); ``apart``: read on a
        connection of its own, beside a scan, calling ``between`` before each chunk (see
        :meth:`IndexReads.entries_apart`)."""
        with gc_pause.paused():
            index, decoder = self.index, EntryDecoder()
            loaded = (
                index.entries_apart(between=between, decoder=decoder) if apart else index.entries()
            )
            collection = Collection.hiding(
                self.names.apply(loaded),
                self.hiding,
                index.search,
                index.match_ids,
                self.names,
                index.match_array,
            )
            if apart and collection.entries is loaded:  # no topic renamed, nothing hidden
                collection.topics_numbered(decoder.topic_numbers, decoder.topic_codes)
            return collection

    def first_page(self, limit: int = PAGE_ROWS, orders: Iterable[Order] = ORDERS) -> FirstPage:
        """The head of each list order (of ``orders``) and the list's size, read from the index
        alone.

        A few milliseconds whatever the cache's size (see :mod:`reader.first_page`).
        """
        index, heads = self.index, {}
        for key, reverse in orders:
            entries = self.names.apply(index.page(key.value, reverse, limit))
            heads[(key, reverse)] = Collection.hiding(
                entries, self.hiding, index.search, index.match_ids, self.names, index.match_array
            )
        return FirstPage(*index.list_size(), heads)

    def patchable(self, loaded: Collection, result: ScanResult) -> bool:
        """Whether ``loaded`` is patched after ``result`` (few files changed) by :meth:`reload`,
        in a blink, rather than loaded afresh. Never for more files than the index keeps the
        removed rows of (:data:`~reader.index_reads.REMOVED_KEPT`): the list finds its rows of
        removed files by those."""
        fresh = not self.is_samples and not self._swapped
        most = min(patch_limit(len(loaded)), REMOVED_KEPT)
        return len(result.touched) <= most and len(loaded) > 0 and fresh

    def reload(self, loaded: Collection, result: ScanResult, apart: bool = False) -> Collection:
        """The collection after ``result``: patched when few files changed, else loaded afresh
        (``apart``: see :meth:`load`)."""
        if self.patchable(loaded, result):
            return loaded.patched(self.index, result.touched)
        self._swapped = False
        return self.load(apart)

    def apply(
        self, loaded: Collection, paths: list[str], stop: threading.Event | None = None
    ) -> tuple[Collection, Changes]:
        """``loaded`` with the files at ``paths`` (relative) read again: nothing else is looked at.

        The index is updated for those files only, in one transaction; the
        collection is ``loaded`` itself when none of them changed, or ``stop`` was set first
        (see :func:`reader.index_changes.apply_paths`).
        """
        changes = apply_paths(self.index, paths, stop=stop)
        if not changes.touched:
            return loaded, changes
        return loaded.patched(self.index, changes.touched), changes

    def parts_behind(self, paths: Iterable[str], size: int = PATCH_LIMIT) -> list[list[str]]:
        """The article files behind changed ``paths`` (a folder stands for its files, see
        :func:`reader.index_changes.expand`), in parts of at most ``size`` files to read.

        The files gone all go in the first part: they cost no parsing, and every part costs a
        pass over the whole list (a folder of 10,000 moved out of a million took 4 s in one
        part, 8 s in two).
        """
        files = expand(self.index, paths)
        root = self.root
        present = [os.path.lexists(root / path) for path in files]
        here = list(compress(files, present))
        gone = [path for path, there in zip(files, present, strict=True) if not there]
        parts = [here[start : start + size] for start in range(0, len(here), size)] or [[]]
        parts[0] = gone + parts[0]
        return parts if parts[0] else []

    def scan_index(
        self,
        progress: ProgressFn | None = None,
        diff: FileDiff | None = None,
        stop: threading.Event | None = None,
    ) -> ScanResult:
        """Update the index from the files; in memory from then on when its file refuses a write.

        Another program may take the file, or the disk fill up, after it was
        opened: the scan then goes on in a copy, and the file is left as it was.
        """
        before = self.index
        self.index, result = scan_anyway(before, progress, diff, stop)
        if self.index is not before:
            self.problem = self.index.problem
            self._swapped = True  # the loaded entries' searches still use the old connection
        return result

    def scan_first_look(self, progress: ProgressFn | None = None) -> ScanResult:
        """:meth:`scan_index` as a command does it: from folder times on a big index (see
        :meth:`reader.index.Index.folders_first`)."""
        return self.scan_index(progress, self.index.folders_first())

    def scan(
        self,
        progress: ProgressFn | None = None,
        diff: FileDiff | None = None,
        stop: threading.Event | None = None,
    ) -> ScanResult:
        """Update the index from the files; switch to the samples when there are no articles.

        ``stop`` ends the scan early (see :meth:`Index.scan`).
        """
        result = self.scan_index(progress, diff, stop)
        if not result.stopped and self.index.count() == 0 and not self.is_samples:
            self.use_samples()
            self.index.scan()
        return result

    def feed_urls(self) -> KnownUrls | None:
        """The URLs under ``feeds/`` as the index has them, for a fetch beside the open reader
        (whose watcher keeps the index current): a fetch then reads no file to know them. None
        where the files are to be read instead: the samples, an index being built (it has only
        some of them), a feed folder of fewer than :data:`FEED_URLS_FROM` articles (read in a few
        seconds), or an index that cannot be read."""
        index = self.index
        if self.is_samples or index.bulk_indexing or index.db_path is None:
            return None
        try:
            hashes = index.url_hashes_under("feeds")  # reader.feeds.store.FEEDS_DIR
        except sqlite3.Error:
            return None
        return KnownUrls(hashes) if len(hashes) >= FEED_URLS_FROM else None

    def use_samples(self) -> None:
        """Read the bundled samples instead of the (empty) cache, indexed in memory."""
        self.index.close()
        self.index = Index(SAMPLES_DIR, None)
        self.is_samples = True

    def path_of(self, entry: Entry) -> Path:
        """The file behind an entry."""
        return self.root / entry.path

    def load_entry(self, entry: Entry) -> Article:
        """The article behind an entry, parsed (raises :class:`ArticleError`)."""
        from reader.articles import load_article  # not needed by a start until an article shows

        return load_article(self.path_of(entry))


@dataclass
class Preloaded:
    """What :func:`preload` has ready: the source, its first page, and the files' comparison."""

    source: Source
    page: FirstPage
    """The head of each list order (the whole collection is loaded once it has painted)."""
    diff: PendingDiff | None
    """The walk of the cache, running in a helper process (None when there is none)."""


def preload(
    locations: Locations, hide: Iterable[str] | None = None, by_folders: bool = False
) -> Future[Preloaded]:
    """Open the index, start comparing the files with it, and read its first page, before the UI.

    Walking 100,000 files takes a few tenths of a second: started first, in a
    helper process (by the entry point, see :mod:`reader.early_check`, or
    here), it overlaps the start-up of the terminal UI instead of following
    it. The index is opened here, in the caller's thread, so that the helper
    is told at once: in a thread of its own each SQLite call waited for the
    interpreter lock the importing UI held, a few tenths of a second in all.
    The first page is read in that thread (milliseconds); loading every entry
    would hold the lock the starting UI needs, so that waits for the first
    paint. The hide rules are config.toml's unless given; ``by_folders``: see
    :mod:`reader.check_setting` (without it, a big index is checked by folder times first, and
    every file after, see :attr:`reader.filecheck.PendingDiff.partial`).
    """
    future: Future[Preloaded] = Future()
    try:
        rules = hide
        if rules is None:
            from reader.config import load_config

            rules = load_config(locations.feeds_config_path).config.hide
        source = Source(locations, rules, by_folders)
        index = source.index
        diff = early_check.claim(index.root, index.db_path) or start_diff(index, not by_folders)
    except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the result
        future.set_exception(exc)
        return future

    def run() -> None:
        try:
            future.set_result(Preloaded(source, source.first_page(), diff))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the result
            future.set_exception(exc)

    threading.Thread(target=run, name="newsreader-preload", daemon=True).start()
    return future
