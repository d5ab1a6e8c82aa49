"""The folders of a cache that the live watch follows, found without listing every file.

The watch follows each article folder on its own (see
:mod:`reader.components.cache_watch`), so it needs the list of folders. Finding them by
listing every entry of every folder took the interpreter 0.3-0.4 s at 1,000,000 articles,
at the moment the whole list was loading. The standard library only; no Textual.
"""

from __future__ import annotations

import os
import threading

LEAF_LINKS = 2
"""The link count of a folder with no folder inside it, on a file system that keeps one: its
own ``.`` and its name in its parent (ext4, XFS and tmpfs add one per sub-folder's ``..``)."""


def article_folders(root: str, stop: threading.Event | None = None) -> set[str]:
    """``root`` and every folder below it that may hold articles (not dot-folders).

    A folder whose link count is :data:`LEAF_LINKS` has no folder inside it, so its files are
    not listed to find some: at 1,000,000 articles in 100 folders, 0.3 ms instead of 0.4 s.
    Where the count says nothing (1 on Btrfs and some network file systems), the folder is
    listed.
    """
    folders, stack = {root}, [root]
    while stack and not (stop is not None and stop.is_set()):
        folder = stack.pop()
        try:
            if os.stat(folder).st_nlink == LEAF_LINKS:
                continue
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        folders.add(entry.path)
                        stack.append(entry.path)
        except OSError:
            continue  # unreadable or gone: what can be watched still is
    return folders
