"""The second check of a start on a big cache: every file, behind the screen.

With config.toml's ``check = "every"`` (the default), a start on a big index
first asks only for the files of the folders whose time changed (see
:data:`reader.filecheck.FIRST_FLAG`): new, removed and renamed files are in
within a second at a million, where a check of every file took seven. A file
edited in place leaves its folder's time alone, so every file is then
compared in a helper at a lower priority, and what it finds is read as the
watcher's changes are (:meth:`reader.components.library_loader.LibraryLoader.apply`).
No Textual.
"""

from __future__ import annotations

import threading

from reader import filecheck
from reader.components.early_scan import checked_files
from reader.index import Index


def changed_paths(index: Index, stop: threading.Event) -> list[str] | None:
    """The paths (relative) a check of every file finds changed or gone against ``index``;
    None without a helper (an index in memory, none could start, it failed) or on ``stop``.

    A helper that fails leaves the files edited in place for the next start: the reader does
    not walk a million files on its own threads, which the screen needs.
    """
    if index.db_path is None or stop.is_set():
        return None
    pending = filecheck.start(str(index.root), str(index.db_path))  # behind the screen
    files = checked_files(pending, stop)
    if files is None:
        return None
    return [info.path for info in files.changed] + files.gone
