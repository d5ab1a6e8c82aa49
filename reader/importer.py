"""``newsreader import``: copy validated article files into the cache.

Each file is parsed before it is copied, so the cache only ever gains files
the reader can show; the copy is written atomically and a file whose URL (or
exact content) is already in the cache is reported as present, not copied.
The source files are only read, never more than an article's size limit, and
no file in the cache is ever written over (a copy takes a free name).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader import atomic
from reader.articles import ArticleError, parse_text, read_text
from reader.index import Index, ProgressFn, index_path_for, scan_anyway
from reader.safe_open import read_regular_file

_ATTEMPTS = 5
"""Names tried when other processes keep taking the chosen one (in practice one is enough)."""


@dataclass
class ImportReport:
    """Counts and reasons, for the summary the command prints."""

    imported: list[Path] = field(default_factory=list)
    present: list[Path] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)


def _sources(paths: list[Path]) -> Iterator[tuple[Path, Path]]:
    """Yield ``(source file, destination relative to the cache)`` for every input.

    A folder contributes its ``*.md`` files (recursively, dot-folders left out)
    under a folder of its own name; a file named on the command line is taken
    whatever its suffix and stored as ``.md``.
    """
    for path in paths:
        if path.is_dir():
            base = Path(path.resolve().name or "imported")
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(".md") and not name.startswith("."):
                        full = Path(folder) / name
                        yield full, base / full.relative_to(path)
        else:
            yield path, Path(path.stem + ".md") if path.suffix != ".md" else Path(path.name)


def _same_content(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data``.

    Sizes are compared first (one ``stat``), so a file of another size, however
    huge, is never read; a same-size file is at most :data:`reader.articles.MAX_FILE_BYTES`, the
    size of ``data``. FIFOs and devices are never opened.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return read_regular_file(path, limit=len(data)) == data
    except (OSError, ValueError):
        return False


def _free_name(cache: Path, rel: Path, data: bytes) -> tuple[Path, bool]:
    """A destination for ``rel`` that does not overwrite another file.

    Returns ``(path, same)`` where ``same`` says an identical file is already there.
    """
    candidate = cache / rel
    n = 1
    while os.path.lexists(candidate):
        if _same_content(candidate, data):
            return candidate, True
        candidate = cache / rel.with_name(f"{rel.stem}-{n}{rel.suffix}")
        n += 1
    return candidate, False


def _store(cache: Path, rel: Path, data: bytes) -> tuple[Path, bool]:
    """Write ``data`` under a free name near ``rel``; ``(path, same)`` as :func:`_free_name`.

    The file is only ever created, never written over: if another process
    takes the chosen name meanwhile, the next free name is used. Raises
    ``OSError`` when the file cannot be written.
    """
    for _attempt in range(_ATTEMPTS):
        target, same = _free_name(cache, rel, data)
        if same:
            return target, True
        try:
            atomic.write_new(target, data)
        except FileExistsError:
            continue
        return target, False
    raise OSError(errno.EEXIST, f"every name tried for {rel} was taken meanwhile")


def import_paths(
    paths: list[Path], cache: Path, progress: ProgressFn | None = None
) -> ImportReport:
    """Validate and copy ``paths`` into ``cache``; see :class:`ImportReport`.

    ``progress(done, total)`` is called as the cache is indexed and as files are copied.
    """
    report = ImportReport()
    index = Index(cache, index_path_for(cache))
    try:
        # A file refusing writes: a copy in memory. Folder times trusted on a big index, as
        # the other commands do: at a million, comparing every file took most of 8 s.
        scanned, _ = scan_anyway(index, progress, index.folders_first())
        known_urls = scanned.urls()
        if scanned is not index:
            scanned.close()
    finally:
        index.close()
    sources = list(_sources(paths))
    swept: set[Path] = set()
    for done, (source, rel) in enumerate(sources, 1):
        if progress is not None and (done % 50 == 0 or done == len(sources)):
            progress(done, len(sources))
        if not source.exists() and not source.is_symlink():
            report.rejected.append((source, "no such file or folder"))
            continue
        try:
            text = read_text(source)
            article = parse_text(text, source)
        except ArticleError as exc:
            report.rejected.append((source, str(exc)))
            continue
        if article.url and article.url in known_urls:
            report.present.append(source)
            continue
        data = text.encode("utf-8")
        folder = (cache / rel).parent
        if folder not in swept:  # leftovers of a killed import in the folders written to
            atomic.sweep_stale(folder)
            swept.add(folder)
        try:
            target, same = _store(cache, rel, data)
        except OSError as exc:
            report.rejected.append((source, f"cannot write {cache / rel}: {exc.strerror or exc}"))
            continue
        if same:
            report.present.append(source)
            continue
        if article.url:
            known_urls.add(article.url)
        report.imported.append(target)
    return report
