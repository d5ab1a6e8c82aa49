"""The file check of a warm start or ``newsreader list``, begun before the program is imported.

On a big cache, walking every file to compare it with the index is the
longest step of a start (a few tenths of a second at 100,000 files), and of
``list``, which must answer from an index that matches the files. It needs
only the cache folder, which the command line names: the entry point
(:mod:`reader.launch`) calls :func:`begin` before importing click, Textual
and the reader's own modules, and the reader or ``list`` :func:`claim`\\ s the
helper once it has opened the index. The helper walks meanwhile, but reads the
index only when claimed, since opening it may rebuild it. Only the standard
library, :mod:`reader.paths`, :mod:`reader.filecheck` and :mod:`reader.check_setting`
(config.toml's ``check``, which decides the helper's kind) are imported here. No Textual.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from reader import check_setting, filecheck
from reader.paths import resolve

_started: tuple[str, str, filecheck.PendingDiff] | None = None
"""The cache, the index file and the helper that :func:`begin` started, until claimed."""


class Checked(NamedTuple):
    """What a command line that gets an early check checks."""

    cache: Path
    listing: bool
    """``newsreader list``, which waits for the answer: the check then takes both cores (see
    :mod:`reader.walk_parts`). The reader's own start needs one of them."""
    every: bool = False
    """``list --check-every``: every file compared, whatever the index's size or config.toml's
    ``check``."""


CHECK_EVERY = "--check-every"
"""``list``'s option that compares every file, where it would trust folder times (a big index,
or config.toml's ``check = "folders"``)."""


def checked_cache(args: list[str]) -> Checked | None:
    """The cache folder when the command line ``args`` open the reader or run ``list``, else
    None.

    The reader opens when nothing but ``--cache-dir`` is given; ``list`` with any of its
    options but ``--help``, ``--cache-dir`` before or after it. Anything else (another command,
    ``--help``) runs no file check, or not this early.
    """
    value: str | None = None
    listing = every = False
    given = iter(args)
    for arg in given:
        if arg == "--cache-dir":
            value = next(given, None)
            if value is None:
                return None
        elif arg.startswith("--cache-dir="):
            value = arg.partition("=")[2]
        elif arg == "list" and not listing:
            listing = True
        elif arg in HELP or not listing:
            return None
        elif arg == CHECK_EVERY:
            every = True
        # else: one of list's own options or its query, which name no cache
    return Checked(resolve(value or None).cache, listing, every)


HELP = frozenset({"--help", "-h"})
"""What asks ``list`` for its help instead of the articles."""


def begin(args: list[str]) -> None:
    """Start the file check in a helper process when ``args`` open the reader or run ``list``
    on a cache that has an index (a first start has nothing to compare with). Never raises:
    the reader or ``list`` walks the files itself when this check is not there."""
    global _started
    try:
        checked = checked_cache(args)
        if checked is None:
            return
        cache = checked.cache
        locations = resolve(cache)
        index = locations.index_path
        if not index.is_file():
            return
        folders = not checked.every and check_setting.by_folders(locations.feeds_config_path)
        # By folder times first on a big index: the reader checks every file after, behind its
        # screen; ``list`` answers from that first check alone unless --check-every.
        first = not folders and not checked.every
        pending = filecheck.start(
            str(cache),
            str(index),
            wait=True,
            halves=checked.listing,
            by_folders=folders,
            first=first,
        )
    except (OSError, ValueError):
        return
    if pending is not None:
        _started = (str(cache), str(index), pending)


def claim(root: Path, db_path: Path | None) -> filecheck.PendingDiff | None:
    """The check :func:`begin` started, now that the index of ``root`` at ``db_path`` is open
    (None: none was started, or for another folder or file, and it is stopped)."""
    global _started
    started, _started = _started, None
    if started is None:
        return None
    cache, index, pending = started
    if db_path is None or (str(root), str(db_path)) != (cache, index):
        pending.cancel()
        return None
    pending.claim()
    return pending
