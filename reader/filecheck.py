"""Which files of a cache changed since the index last saw them.

The check walks every ``*.md`` below the cache and compares path, size and
mtime with the index. On a big cache that is the slowest part of a warm
start, so the reader runs it in a helper process while the UI starts. The
module uses the standard library only (and its siblings :mod:`reader.atomic`
and :mod:`reader.safe_open`, which do too) and runs as a plain script
(``python -I -S filecheck.py ROOT DB``): the helper then starts in a few
milliseconds instead of importing the whole program first.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import operator
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Container, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

if __package__:
    from reader import atomic, safe_open, walk_parts
else:  # run alone as the helper script (no ``reader`` package): load its siblings by path
    import importlib.util
    from types import ModuleType

    def _sibling(name: str) -> ModuleType:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    atomic, safe_open, walk_parts = (
        _sibling("atomic"),
        _sibling("safe_open"),
        _sibling("walk_parts"),
    )

Part = tuple[str, str] | None
"""The top-level names one helper takes (see :mod:`reader.walk_parts`); None: all."""


class FileInfo(NamedTuple):
    """One ``*.md`` found below the cache; with a ``problem`` it is also a row of the skip table."""

    path: str
    """Relative to the cache, with ``/`` separators."""
    size: int
    mtime_ns: int
    problem: str | None
    """Why it cannot be an article (a folder, a broken link...), or None."""


class FolderTimes(NamedTuple):
    """The folders a check listed, each with its time taken before the listing: what a later
    check that trusts folder times (:func:`folders_compare`) looks at again only if it changed.

    A folder's time changes when a file is added, removed or renamed in it, not when a file's
    content changes: a check by folders misses a file edited in place (see :data:`FOLDERS_FLAG`).
    """

    times: dict[str, int]
    """Folder (relative, ``/``-separated; "" for the cache itself) -> its mtime in ns, or
    :data:`UNSETTLED`."""
    gone: list[str]
    """Folders known before and no longer there (their records go, with those below them)."""
    whole: bool
    """``times`` holds every folder of the cache: they replace every record."""


UNSETTLED = -1
"""The recorded time of a folder changed too shortly before it was listed (see
:data:`SETTLE_NS`): equal to no time, so the next check lists it again."""
SETTLE_NS = 2_000_000_000
"""A folder whose time is this close to the walk's start is not trusted at that time: a file
added in the same tick of a coarse clock (1-2 s on some file systems) would leave it unchanged."""


class FileDiff(NamedTuple):
    """How the files differ from the index."""

    changed: list[FileInfo]
    """New or changed files (and files with a new problem)."""
    gone: list[str]
    """Indexed paths no longer found."""
    seen: int
    """How many files the walk found."""
    folders: FolderTimes | None = None
    """The folders listed, when the check trusts folder times (recorded once the diff is stored,
    see :meth:`reader.index.Index.scan`)."""


BAD_NAME = "file name is not valid UTF-8 (rename the file to read it)"
UNREADABLE_FOLDER = "cannot read this folder"
"""The start of a skip row's reason for a folder the walk could not list."""
IS_DIRECTORY = "is a directory"
"""A skip row's reason for a folder named like an article (``x.md``)."""


def _is_utf8(name: str) -> bool:
    """Whether a file system name is valid UTF-8 (undecodable bytes arrive as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def walk(
    root: Path | str, part: Part = None, folders: dict[str, int] | None = None
) -> Iterator[tuple[str, int, int, str | None]]:
    """Yield the fields of a :class:`FileInfo` for every ``*.md`` below ``root`` (with ``part``,
    below the top-level names in that range, see :mod:`reader.walk_parts`).

    Plain tuples: 100,000 of them are made on a warm start, and only the few
    that changed become :class:`FileInfo` (in :func:`compare`).

    Dot-folders (the program's own among them) are not entered and symlinked
    folders are not followed, so a link loop cannot trap the scan. ``problem``
    is set for names that cannot be articles (folders, broken or looping links,
    FIFOs, sockets and devices, found by ``stat`` and never opened) and for
    sub-folders that cannot be read. A symlink to a regular file anywhere is an
    article like any other. Our own temporary files (dot-names, never listed)
    that a killed write left behind are removed on the way
    (:func:`reader.atomic.sweep_stale`'s rule).

    ``folders``, when given, gets each folder listed with its time (see :class:`FolderTimes`).
    """
    top = os.fspath(root)
    return _walk(top, [top], part, folders)


def _walk(
    top: str,
    stack: list[str],
    part: Part = None,
    folders: dict[str, int] | None = None,
    known: Container[str] = (),
) -> Iterator[tuple[str, int, int, str | None]]:
    """:func:`walk` from the folders on ``stack`` (paths below ``top``, the cache), not
    entering the sub-folders named in ``known`` (relative, as :class:`FolderTimes` has them)."""
    now = time.time()
    started_ns = time.time_ns()
    cut = len(os.path.join(top, ""))  # plain slicing: os.path.relpath is slow at 100,000 files
    while stack:
        folder = stack.pop()
        rel_folder = folder[cut:] if os.sep == "/" else folder[cut:].replace(os.sep, "/")
        mtime = None
        if folders is not None:
            with contextlib.suppress(OSError):
                mtime = os.stat(folder).st_mtime_ns  # before the listing: a later change shows
        try:
            with os.scandir(folder) as it:
                entries = list(it)
            if part is not None and folder == top:
                entries = [entry for entry in entries if walk_parts.in_part(entry, part)]
        except OSError as exc:
            if (
                folder != top
            ):  # a sub-folder the user cannot read: say so rather than skip it silently
                yield rel_folder, 0, 0, f"{UNREADABLE_FOLDER}: {exc.strerror or exc}"
            continue
        if folders is not None and mtime is not None:
            folders[rel_folder] = mtime if started_ns - mtime > SETTLE_NS else UNSETTLED
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                if atomic.is_temp_name(name):
                    atomic.remove_if_stale(entry.path, now, atomic.STALE_AFTER)
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            rel = entry.path[cut:]
            if os.sep != "/":
                rel = rel.replace(os.sep, "/")
            if is_dir and rel not in known:
                stack.append(entry.path)
            if not name.endswith(".md"):
                continue
            if not rel.isascii() and not _is_utf8(rel):
                # The index stores text: such a name is listed (readably) as skipped instead.
                yield os.fsencode(rel).decode("utf-8", "backslashreplace"), 0, 0, BAD_NAME
                continue
            if is_dir:
                yield rel, 0, 0, IS_DIRECTORY
                continue
            try:
                info = entry.stat()
            except OSError as exc:
                reason = "symlink loop" if exc.errno == 40 else "broken symlink"
                yield rel, 0, 0, reason if entry.is_symlink() else f"cannot stat: {exc.strerror}"
                continue
            if not stat.S_ISREG(info.st_mode):
                yield rel, 0, 0, safe_open.not_regular_reason(info.st_mode, entry.is_symlink())
                continue
            yield rel, info.st_size, info.st_mtime_ns, None


FOLDER_KEY = (
    f"CASE WHEN instr(path, '/') = 0 AND (reason = '{IS_DIRECTORY}'"
    f" OR reason LIKE '{UNREADABLE_FOLDER}%') THEN path || '/' ELSE path END"
)
"""How a skip row sorts among top-level names: a folder (named ``x.md``, or unreadable) as
``x.md/``, where the walk of its half finds it (see :func:`reader.walk_parts.key_of`)."""


def _known_rows(part: Part) -> tuple[str, tuple[str, ...]]:
    """The query of every indexed file's (path, size, mtime), in ``part`` only when given."""
    if part is None:
        return "SELECT path, size, mtime_ns FROM articles UNION ALL " + _SKIPS, ()
    bounds = tuple(bound for bound in part if bound)
    low, high = part

    def within(key: str) -> str:
        conditions = [c for c, bound in ((f"{key} >= ?", low), (f"{key} < ?", high)) if bound]
        return " WHERE " + " AND ".join(conditions)

    query = (
        # ``+path``: read in the table's order, not through the path index (a lookup per row,
        # twice as slow for half a million rows).
        f"SELECT path, size, mtime_ns FROM articles{within('+path')}"
        f" UNION ALL {_SKIPS}{within(FOLDER_KEY)}"
    )
    return query, bounds * 2


_SKIPS = "SELECT path, size, mtime_ns FROM skipped"


def stamp(size: int, mtime: int) -> int:
    """A file's size and mtime (ns) as one int, equal exactly when both are: a tuple of two ints
    per file cost the helper 116 bytes, this about 40 (70 MiB at a million files)."""
    return (size << 64) + mtime


def known_files(conn: sqlite3.Connection, part: Part = None) -> dict[str, int]:
    """What the index last saw of each file (in ``part``): path -> :func:`stamp` of its size and
    mtime.

    Read as one JSON array per column, built by SQLite and decoded in C:
    fetched row by row, 100,000 rows took longer than walking their files. The stamps are made
    before the paths are decoded, and each array let go once used: all three held beside the
    dictionary made the helper's peak 450 MiB at a million files.
    """
    rows, bounds = _known_rows(part)
    try:
        row = list(
            conn.execute(
                "SELECT json_group_array(size), json_group_array(mtime_ns),"
                f" json_group_array(path) FROM ({rows})",
                bounds,
            ).fetchone()
        )
        sizes, mtimes = json.loads(row[0]), json.loads(row[1])
        row[0] = row[1] = None
        stamps = list(map(operator.add, map(operator.lshift, sizes, itertools.repeat(64)), mtimes))
        del sizes, mtimes
        paths = json.loads(row[2])
        row[2] = None
    except (sqlite3.OperationalError, ValueError, TypeError):  # an SQLite without JSON
        return {path: stamp(size, mtime) for path, size, mtime in conn.execute(rows, bounds)}
    return dict(zip(paths, stamps))


def problems_of(conn: sqlite3.Connection) -> dict[str, str]:
    """The skips that are no file to compare (folders, broken links): path -> reason."""
    return dict(conn.execute("SELECT path, reason FROM skipped WHERE size = 0 AND mtime_ns = 0"))


def compare(root: Path | str, conn: sqlite3.Connection) -> FileDiff:
    """Walk ``root`` and compare it with the index behind ``conn``, by path, size and mtime."""
    files = walk(root) if os.path.isdir(root) else iter(())
    return compare_files(files, known_files(conn), problems_of(conn))


FOLDERS_TABLE = "folders"
"""The index's table of folder times (see :class:`FolderTimes`, and
:mod:`reader.index_schema`)."""


def recorded_folders(conn: sqlite3.Connection) -> dict[str, int]:
    """The folder times the last check by folders left (empty: none, or an index without them)."""
    try:
        return dict(conn.execute(f"SELECT path, mtime_ns FROM {FOLDERS_TABLE}"))
    except sqlite3.OperationalError:
        return {}


def folders_compare(root: Path | str, conn: sqlite3.Connection, whole_below: int = 0) -> FileDiff:
    """The check that trusts folder times: only the folders whose time changed since the last
    one are listed (their sub-folders new since, walked whole), and their files compared with
    the index. Without recorded times (a first check by folders), or on an index of fewer than
    ``whole_below`` articles (see :func:`indexed_size`), or when every recorded folder changed
    (a flat cache, whose one folder changes with any file added), every file is walked, and
    every folder's time recorded: the answer is then whole (``folders.whole``), and the start
    needs no check of every file after it.

    What it finds: new, removed and renamed files, and files replaced whole (written beside and
    renamed over, as fetches, sync tools and most editors do). What it misses: a file whose
    content changed in place (its folder's time stays), until a check of every file.
    """
    top = os.fspath(root)
    recorded = recorded_folders(conn) if os.path.isdir(top) else {}
    times: dict[str, int] = {}
    if recorded and not (whole_below and indexed_size(conn) < whole_below):
        changed, gone = _moved_folders(top, recorded)
        if gone or len(changed) < len(recorded):  # else listing each is walking them all
            return _listed_compare(top, conn, changed, gone, times, recorded)
    files = walk(top, None, times) if os.path.isdir(top) else iter(())
    diff = compare_files(files, known_files(conn), problems_of(conn))
    return diff._replace(folders=FolderTimes(times, [], True))


def _listed_compare(
    top: str,
    conn: sqlite3.Connection,
    changed: list[str],
    gone: list[str],
    times: dict[str, int],
    recorded: dict[str, int],
) -> FileDiff:
    """:func:`folders_compare` of the ``changed`` folders and those ``gone`` alone."""
    problems = problems_of(conn)
    # A folder that could not be read has no time recorded, and a permission given back does
    # not change its parent's: it is tried again at each check, unless its parent is listed.
    listed = set(changed)
    retried = [
        rel
        for rel, reason in problems.items()
        if reason.startswith(UNREADABLE_FOLDER) and rel.rpartition("/")[0] not in listed
    ]
    stack = [_joined(top, rel) for rel in reversed(changed + sorted(retried))]
    found = list(_walk(top, stack, None, times, recorded))
    gone += [rel for rel in changed if rel not in times]  # no longer readable: as the walk does
    remaining = _known_in(conn, list(times), gone)
    remaining.update((rel, stamp(0, 0)) for rel in retried)  # its skip row: gone once read
    diff = compare_files(found, remaining, problems)
    return diff._replace(folders=FolderTimes(times, gone, False))


def indexed_size(conn: sqlite3.Connection) -> int:
    """About how many articles the index holds, at once whatever its size: its highest row id
    (never fewer than the rows; more after many removals). A count at a million took 9 ms warm
    and 150 ms with the index file out of memory; this takes a tenth of a millisecond."""
    try:
        return conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0
    except sqlite3.Error:
        return 0


def _joined(top: str, rel: str) -> str:
    return os.path.join(top, *rel.split("/")) if rel else top


def _moved_folders(top: str, recorded: dict[str, int]) -> tuple[list[str], list[str]]:
    """Of the ``recorded`` folders: those whose time changed, and those no longer folders
    (a symlink now counts as none, as the walk does not follow one), each sorted."""
    changed, gone = [], []
    for rel in sorted(recorded):
        try:
            info = os.stat(top) if not rel else os.lstat(_joined(top, rel))
        except OSError:
            gone.append(rel)
            continue
        if not stat.S_ISDIR(info.st_mode):
            gone.append(rel)
        elif info.st_mtime_ns != recorded[rel]:
            changed.append(rel)
    return changed, gone


def _known_in(conn: sqlite3.Connection, listed: list[str], gone: list[str]) -> dict[str, int]:
    """What the index knows of the files directly in the ``listed`` folders and of every file
    below the ``gone`` ones: path -> :func:`stamp`. Read by path ranges, through the path
    index."""
    known: dict[str, int] = {}
    for rel, below in [(rel, False) for rel in listed] + [(rel, True) for rel in gone]:
        if not rel:
            where, bounds = ("1" if below else "instr(path, '/') = 0"), ()
        else:
            low, high = rel + "/", rel + "0"  # '0' follows '/'
            inside = "" if below else " AND instr(substr(path, ?), '/') = 0"
            where = "path >= ? AND path < ?" + inside
            bounds = (low, high) if below else (low, high, len(low) + 1)
        for table in ("articles", "skipped"):
            rows = conn.execute(f"SELECT path, size, mtime_ns FROM {table} WHERE {where}", bounds)
            known.update((path, stamp(size, mtime)) for path, size, mtime in rows)
    return known


def compare_files(
    files: Iterable[tuple[str, int, int, str | None]],
    remaining: dict[str, int],
    problems: dict[str, str],
) -> FileDiff:
    """Compare what a walk found with what the index knew (:func:`known_files`, used up here,
    and :func:`problems_of`).

    Each file found is taken out of what the index knows (one dictionary
    operation per file, the walk's hot loop); what is left is gone.
    """
    take = remaining.pop
    changed: list[FileInfo] = []
    seen = 0
    for rel, size, mtime, problem in files:
        seen += 1
        if take(rel, None) == (size << 64) + mtime and (  # stamp(), inline: the hot loop
            problem == problems.get(rel) if problem is not None or problems else True
        ):
            continue  # unchanged file, or the same broken link / folder as last time
        changed.append(FileInfo(rel, size, mtime, problem))
    return FileDiff(changed, list(remaining), seen)


def joined(first: FileDiff, second: FileDiff) -> FileDiff:
    """The answers of two helpers that each checked a part of the cache, as one.

    An indexed path is looked for in one part and found in the other only when its name is not
    valid UTF-8 (see :mod:`reader.walk_parts`): it is then changed, not gone.
    """
    changed = first.changed + second.changed
    found = {info.path for info in changed}
    gone = [path for path in first.gone + second.gone if path not in found]
    return FileDiff(changed, gone, first.seen + second.seen)


def decoded(out: bytes) -> FileDiff:
    """A helper's answer read back from its JSON (raises ValueError or TypeError)."""
    changed, gone, seen, *rest = json.loads(out)
    # JSON knows only lists: the named tuples are made again here.
    folders = None
    if rest and rest[0] is not None:
        times, gone_folders, whole = rest[0]
        folders = FolderTimes(
            {str(k): int(v) for k, v in dict(times).items()}, list(gone_folders), bool(whole)
        )
    return FileDiff(list(map(FileInfo._make, changed)), list(gone), int(seen), folders)


class Unwanted(Exception):
    """The reader did not claim a file check it started early (see :func:`start`)."""


def diff_files(
    root: str,
    db_path: str,
    told: Callable[[], bool] | None = None,
    part: Part = None,
    by_folders: bool = False,
    whole_below: int = 0,
) -> FileDiff:
    """:func:`compare` on its own read-only connection to the index file at ``db_path`` (the
    files in ``part`` of the cache only, when given).

    The walk (system calls, mostly) and the read of the index (in SQLite and
    the C JSON decoder) overlap, in a thread each. With ``told``, the index
    is read only once ``told()`` returns True (False: :class:`Unwanted`): the
    walk may then start before the reader has opened the index, which can
    rebuild it. ``by_folders``: :func:`folders_compare` instead (with ``whole_below``), which
    needs the index's folder times before it walks (and then walks little).
    """
    if by_folders:
        if told is not None and not told():
            raise Unwanted("the reader did not claim the file check")
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        try:
            return folders_compare(root, conn, whole_below)
        finally:
            conn.close()
    index: list[tuple[dict[str, int], dict[str, str]] | BaseException] = []

    def read() -> None:
        try:
            if told is not None and not told():
                raise Unwanted("the reader did not claim the file check")
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
            try:
                index.append((known_files(conn, part), problems_of(conn)))
            finally:
                conn.close()
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            index.append(exc)

    reading = threading.Thread(target=read, name="newsreader-index-read", daemon=True)
    reading.start()
    files = walk(root, part) if os.path.isdir(root) else iter(())
    walked = []  # what is found before the index is in: compared as soon as it is
    for found in files:
        walked.append(found)
        if index:
            break
    reading.join()
    if isinstance(index[0], BaseException):
        raise index[0]
    return compare_files(itertools.chain(walked, files), *index[0])


class PendingDiff:
    """A :func:`diff_files` running in a helper process; :meth:`result` waits for it."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._answer: FileDiff | RuntimeError | None = None
        self.partial = False
        """Whether the answer trusted folder times (not whole): a file edited in place may be
        left for a check of every file (see :data:`FIRST_FLAG`). Kept past :meth:`forget`."""
        self.then: PendingDiff | None = None
        """The check of every file started beside a check by folder times first (see
        :func:`start`): its answer is wanted when this one's is :attr:`partial`."""

    def claim(self) -> None:
        """Tell a helper started with ``wait`` that the index is open: it may read it now."""
        if self.then is not None:
            self.then.claim()
        stdin, self._process.stdin = self._process.stdin, None
        if stdin is not None:
            with contextlib.suppress(OSError):
                stdin.write(GO)
                stdin.close()

    def result(self, timeout: float | None = None) -> FileDiff:
        """The comparison.

        Raises ``subprocess.TimeoutExpired`` when it is not ready within
        ``timeout`` (ask again later: nothing is lost), and ``RuntimeError``
        when the helper failed (the caller then walks the files itself).
        """
        if self._answer is None:
            out, _ = self._process.communicate(timeout=timeout)
            self._answer = self._parse(out)
        if isinstance(self._answer, RuntimeError):
            raise self._answer
        return self._answer

    def arrives_within(self, seconds: float) -> bool:
        """Whether the answer is in within ``seconds`` (a failed helper counts as an answer)."""
        try:
            self.result(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        except RuntimeError:
            pass  # reported where the result is used
        return True

    def forget(self) -> None:
        """Drop the answer once used: on a first scan it lists every file, and whoever started
        the comparison may keep this object for the whole run."""
        self._answer = RuntimeError("the file check's answer was used already")

    def cancel(self) -> None:
        """Stop the helper (the reader is closing): its answer is no longer wanted."""
        if self.then is not None:
            self.then.cancel()
        if self._answer is None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
            self._answer = RuntimeError("the file check was stopped")

    def _parse(self, out: bytes) -> FileDiff | RuntimeError:
        if self._process.returncode != 0:
            return RuntimeError(f"the file check exited with {self._process.returncode}")
        try:
            answer = decoded(out)
        except (ValueError, TypeError) as exc:
            return RuntimeError(f"the file check answered nonsense: {exc}")
        self.partial = answer.folders is not None and not answer.folders.whole
        return answer


PARENT_CHECK_SECONDS = 0.2
"""How often a helper process looks whether the reader that started it is still there."""


def exit_with_parent(parent_pid: int) -> None:
    """End this helper process as soon as the reader that started it (``parent_pid``) is gone.

    A reader killed outright (``kill -9``) cannot stop its helpers, and they
    would walk or parse on as orphans. A watching thread notices within a
    fifth of a second that the process was handed to a new parent, on any
    system; the pid comes from the parent, so a parent that died before the
    helper got here is noticed too. It lives here because the file check runs
    this file as a script that can import nothing else; the parser processes
    use it as well.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def start(
    root: str,
    db_path: str,
    wait: bool = False,
    halves: bool = False,
    by_folders: bool = False,
    first: bool = False,
) -> PendingDiff | None:
    """Run :func:`diff_files` in a helper process; None when none can be started.

    The helper runs this file as a script in isolated mode without ``site``:
    it needs the standard library only, so it is walking the files a few
    milliseconds after it starts. Its answer comes back as JSON on a pipe. It
    exits by itself when the reader dies. With ``wait`` it walks at once but
    reads the index only once :meth:`PendingDiff.claim` says the reader has
    opened it (see :mod:`reader.early_check`). With ``halves``, a big cache is checked by two
    helpers, one per core (see :mod:`reader.walk_parts`): for a caller that only waits.
    Without, the caller's screen is starting: the helper runs behind it (see :data:`BEHIND`).
    ``by_folders``: the check that trusts folder times (see :data:`FOLDERS_FLAG`), in one helper.
    ``first``: the reader's start with ``check = "every"``: that check first on a big index
    (see :data:`FIRST_FLAG`), and a check of every file beside it (:attr:`PendingDiff.then`,
    unless the index is huge, see :data:`LATE_EVERY_BYTES`), both behind the screen. The first
    answers in a second at a million; the second finds the files edited in place. ``first``
    with ``halves``: ``newsreader list``, which waits for the first answer alone (a command has
    no "behind the screen" for the second), at full priority.
    """
    if first:
        behind = () if halves else (BEHIND_FLAG,)
        process = _helper(root, db_path, wait, f"{FIRST_FLAG}{WHOLE_BELOW}", *behind)
    elif by_folders:
        process = _helper(root, db_path, wait, FOLDERS_FLAG)
    else:
        process = _helper(root, db_path, wait, HALVES_FLAG if halves else BEHIND_FLAG)
    if process is None:
        return None
    pending = PendingDiff(process)
    if first and not halves and _early_every(db_path):
        pending.then = start(root, db_path, wait)
    return pending


def _early_every(db_path: str) -> bool:
    """Whether the check of every file starts beside the first check by folder times, or only
    once the first screen is painted (an index of :data:`LATE_EVERY_BYTES` or more)."""
    try:
        return os.stat(db_path).st_size < LATE_EVERY_BYTES
    except OSError:
        return True


LATE_EVERY_BYTES = 1 << 30
"""An index file this big (some 500,000 articles) has its check of every file wait for the
first screen. Begun with it on a million files, it slowed the first screen (0.46-0.62 s against
0.39-0.46) and the first answer's changes (1.4-1.8 s against 1.0-1.1), and brought the edits no
sooner: at that size the whole list comes in first anyway. At 100,000 it brings them with the
first answer's (0.9 s against 1.45)."""


def _helper(root: str, db_path: str, wait: bool, *flags: str) -> subprocess.Popen[bytes] | None:
    """This file run as a helper script on ``root``, watching this process; None when it
    cannot be started."""
    script = Path(__file__)
    if not sys.executable or not script.is_file():
        return None
    command = [sys.executable, "-I", "-S", str(script), root, db_path, str(os.getpid()), *flags]
    try:
        return subprocess.Popen(
            [*command, WAIT_FLAG] if wait else command,
            stdin=subprocess.PIPE if wait else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


WAIT_FLAG = "--wait"
"""The helper's option: read the index only once told to on stdin (see :func:`start`)."""
GO = b"go\n"
"""What the reader writes to a waiting helper once the index is open (anything else: stop)."""


FROM_FLAG = "--from="
"""The helper's option: check only the top-level names from this one on (the second half)."""
HALVES_FLAG = "--halves"
"""The helper's option: check a big cache in two halves (see :func:`start`)."""
FOLDERS_FLAG = "--folders"
"""The helper's option: compare only the files of folders whose time changed
(:func:`folders_compare`): config.toml's ``check = "folders"``."""
FIRST_FLAG = "--folders-first="
"""The helper's option (with a number of articles, :data:`WHOLE_BELOW`): the check that trusts
folder times on an index of at least that many articles, else every file, folder times recorded
either way. A start whose answer trusted folder times shows what it found (new, removed, renamed
files: a second at a million) before every file is checked behind the screen for files edited in
place (seconds at a million)."""
WHOLE_BELOW = 20_000
"""Below this many indexed articles, a start checks every file at once (a few hundredths of a
second per 10,000): one pass finds everything, and no second check follows."""
BEHIND_FLAG = "--behind"
"""The helper's option: run at a lower priority (see :data:`BEHIND`)."""
BEHIND = 10
"""How much the reader's own file check lowers its priority (``nice``). The screen starting
beside it needs a core now and then as well (Textual has a thread of its own): on a million
files the walk took it, and the first screen came in 0.40-0.52 s instead of 0.32-0.42. The check
is no slower for it when the screen is idle."""


def _main(argv: list[str]) -> int:
    flags = set()
    named = (WAIT_FLAG, HALVES_FLAG, BEHIND_FLAG, FOLDERS_FLAG)
    while argv and (argv[-1] in named or argv[-1].startswith((FROM_FLAG, FIRST_FLAG))):
        flags.add(argv.pop())
    if len(argv) not in (2, 3):
        usage = (
            f"CACHE_DIR INDEX_FILE [PARENT_PID"
            f" [{HALVES_FLAG}|{FROM_FLAG}NAME|{BEHIND_FLAG}|{FOLDERS_FLAG}|{FIRST_FLAG}N]"
            f" [{WAIT_FLAG}]]"
        )
        print(f"usage: filecheck.py {usage}", file=sys.stderr)
        return 2
    if len(argv) == 3:
        exit_with_parent(int(argv[2]))
    if BEHIND_FLAG in flags and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(BEHIND)
    root, db_path, wait = argv[0], argv[1], WAIT_FLAG in flags
    low = next((flag[len(FROM_FLAG) :] for flag in flags if flag.startswith(FROM_FLAG)), None)
    first = next((flag[len(FIRST_FLAG) :] for flag in flags if flag.startswith(FIRST_FLAG)), None)
    told = (lambda: sys.stdin.buffer.readline() == GO) if wait else None
    try:
        if first is not None:
            below = int(first) if first.isdigit() else WHOLE_BELOW
            diff = diff_files(root, db_path, told, None, by_folders=True, whole_below=below)
        elif FOLDERS_FLAG in flags:
            diff = diff_files(root, db_path, told, None, by_folders=True)
        elif HALVES_FLAG in flags:
            diff = _in_halves(root, db_path, wait)
        else:  # all, or the second half for the helper that started this one
            diff = diff_files(root, db_path, told, None if low is None else (low, ""))
    except Unwanted:
        return 3
    # ASCII only (JSON escapes): names arrive intact whatever encoding the locale gives stdout.
    json.dump(list(diff), sys.stdout, separators=(",", ":"))
    return 0


def _in_halves(root: str, db_path: str, wait: bool) -> FileDiff:
    """The whole check: on a big cache, the second half by a helper this one starts (which is
    told to go when this one is), the first half here (see :mod:`reader.walk_parts`)."""
    cut = walk_parts.cut_point(root, db_path) if os.path.isdir(root) else None
    partner = None if cut is None else _helper(root, db_path, wait, FROM_FLAG + cut)

    def tell_partner(line: bytes) -> None:
        if partner is not None and partner.stdin is not None:
            stdin, partner.stdin = partner.stdin, None  # communicate() below must not touch it
            with contextlib.suppress(OSError):
                stdin.write(line)  # anything but GO (or nothing) stops it
                stdin.close()

    def told() -> bool:
        line = sys.stdin.buffer.readline()
        tell_partner(line)
        return line == GO

    try:
        part = None if cut is None else ("", cut)
        first = diff_files(root, db_path, told if wait else None, part)
    finally:
        tell_partner(b"")
    if partner is None or cut is None:
        return first
    out, _ = partner.communicate()
    try:
        if partner.returncode == 0:
            return joined(first, decoded(out))
    except (ValueError, TypeError):
        pass
    return joined(first, diff_files(root, db_path, None, (cut, "")))  # the helper failed


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
