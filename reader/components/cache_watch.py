"""Watching the cache folder, so that files arriving by other means show up by themselves.

:class:`CacheWatch` is a display-less widget whose thread follows the
cache with :mod:`watchfiles` (the operating system's notifications: nothing
is polled, and the cost of a change is that of the files changed). It
watches each article folder on its own rather than the tree: a recursive
watch walks every file of the cache holding the interpreter lock (0.3 s at
100,000 articles, a frozen screen), and would be woken by the program's own
index writes in ``.newsreader/``. A folder that appears or goes away makes
it list the folders again. It starts once the list has painted
(:meth:`CacheWatch.start`), so it never competes with the first screen. It
gathers the article paths that changed until the folder has been quiet for a
moment, and reports them with :class:`CacheWatch.Changed`; the screen hands
them to the loader, which reads those files only. The program's own files
(dot-folders, the atomic writer's dot-named temporary files) are left out by
the scan's own rule (:func:`reader.index_changes.may_hold_articles`).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message
from textual.widget import Widget

from reader.index_changes import may_hold_articles
from reader.watch_folders import article_folders

QUIET_SECONDS = 0.3
"""Changed paths are reported once the folder has been quiet this long (a burst is one report)."""
LONGEST_WAIT_SECONDS = 1.0
"""A steady stream of changes (a long fetch, a sync) is still reported this often."""
STEP_MS = 50
"""How often the watching thread looks whether the reader is closing (so quitting never waits)."""
IDLE_MS = 100
"""How long the watching thread waits for a change before it looks at what it has gathered."""
MISSING_CHECK_SECONDS = 1.0
"""How often a cache folder that does not exist (yet) is looked for."""


class CacheWatch(Widget):
    """Follows the cache folder and says which article files were added, changed or removed."""

    DEFAULT_CSS = "CacheWatch { display: none; }"

    @dataclass
    class Changed(Message):
        """Paths (relative to the cache) of articles, or folders, that changed."""

        paths: list[str]

    @dataclass
    class Failed(Message):
        """The folder cannot be watched (the reason is one line); a restart reads new files."""

        reason: str

    def __init__(self, cache: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cache = cache
        self._stop = threading.Event()
        """Set when the reader closes: the watching thread ends within :data:`STEP_MS`."""
        self.watching = False
        """Whether the operating system is telling the thread about changes (for tests)."""

        self._started = False

    def on_mount(self) -> None:
        # Like the loader: the app's closing event stops the thread as soon as the exit starts.
        self._stop = getattr(self.app, "closing", self._stop)

    def start(self) -> None:
        """Begin watching (once; later calls do nothing)."""
        if self._started or self._stop.is_set():
            return
        self._started = True
        # A daemon thread, not a worker: it runs as long as the reader does, and a worker that
        # never ends would keep waits for the workers (and an exit) waiting.
        threading.Thread(target=self._watch, name="newsreader-cache-watch", daemon=True).start()

    def on_unmount(self) -> None:
        self._stop.set()

    def _relative(self, path: str) -> str | None:
        """``path`` relative to the cache with ``/`` separators; None when it is outside it."""
        root = os.path.join(str(self.cache), "")
        if not path.startswith(root):
            return None
        rel = path[len(root) :]
        return rel if os.sep == "/" else rel.replace(os.sep, "/")

    def _watch(self) -> None:
        """Watch until the reader closes; a folder that goes away is waited for, then watched."""
        try:
            from watchfiles import watch
        except ImportError:
            self.post_message(self.Failed("not watching the cache: watchfiles is not installed"))
            return
        missing = False
        while not self._stop.is_set():
            if not self.cache.is_dir():
                missing = True
                self._stop.wait(MISSING_CHECK_SECONDS)
                continue
            if missing:  # what arrived with the folder, before it could be watched
                missing = False
                self._report_contents()
            try:
                self._follow(watch)
            except Exception as exc:  # noqa: BLE001 - say why, and never take the reader down
                self.watching = False
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                self.post_message(self.Failed(f"not watching the cache for changes: {reason}"))
                return

    def _folders(self) -> set[str]:
        """The cache and every folder under it that may hold articles (not dot-folders)."""
        return article_folders(str(self.cache), self._stop)

    def _follow(self, watch) -> None:
        """Report changes in bursts until the reader closes or the folders change."""
        identity = os.stat(self.cache).st_ino
        folders = self._folders()
        pending: set[str] = set()
        first = last = 0.0
        for changes in watch(
            *sorted(folders),
            recursive=False,
            watch_filter=None,
            debounce=int(LONGEST_WAIT_SECONDS * 1000),
            step=STEP_MS,
            rust_timeout=IDLE_MS,
            yield_on_timeout=True,
            stop_event=self._stop,
            raise_interrupt=False,
            ignore_permission_denied=True,
        ):
            self.watching = True
            now = time.monotonic()
            wanted = {rel for _, path in changes if (rel := self._relative(path))}
            wanted = {rel for rel in wanted if may_hold_articles(rel)}
            if wanted:
                first = first if pending else now
                last = now
                pending |= wanted
            quiet = now - last >= QUIET_SECONDS
            if pending and (quiet or now - first >= LONGEST_WAIT_SECONDS):
                self.post_message(self.Changed(sorted(pending)))
                pending = set()
            if not changes and not self._same_folder(identity):
                break  # deleted or replaced: its notifications are gone; watch the new one
            if self._folders_changed(changes, folders):
                break  # a folder came or went: watch the folders as they are now
        self.watching = False
        if pending and not self._stop.is_set():
            self.post_message(self.Changed(sorted(pending)))

    def _folders_changed(self, changes, folders: set[str]) -> bool:
        """Whether a folder to watch appeared, or a watched one went away (or was replaced)."""
        root = str(self.cache)
        for change, path in changes:
            if path == root:
                continue  # the cache itself: see _same_folder
            if path in folders:
                if change.name != "modified":  # moved away, deleted, made again
                    return True
            elif not os.path.basename(path).startswith(".") and os.path.isdir(path):
                return True
        return False

    def _report_contents(self) -> None:
        try:
            names = sorted(name for name in os.listdir(self.cache) if may_hold_articles(name))
        except OSError:
            return
        if names:
            self.post_message(self.Changed(names))

    def _same_folder(self, identity: int) -> bool:
        try:
            return os.stat(self.cache).st_ino == identity
        except OSError:
            return False
