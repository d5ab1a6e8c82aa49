"""The ``newsreader`` command: argument parsing and the subcommands for scripts.

The reader itself (Textual) is imported only when it is launched, so
``newsreader list`` stays quick. Every expected failure ends as one line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader import __version__
from reader.paths import CACHE_ENV, Locations, PathError, check_cache_dir, ensure_dir, resolve

if TYPE_CHECKING:  # imported where used: a command loads only what it needs
    from reader.entry import Entry
    from reader.index import ScanResult
    from reader.library import Collection, SortKey, Source

STATE_WAIT = 2.0
"""Seconds a command waits for another program holding the state file (a reader waits less)."""


SELF_REPORTING = {None, "config", "feeds", "fetch", "prune", "paths", "sync"}
"""Commands that say what is wrong with config.toml themselves (the reader: in its window)."""


def _config_warning(locations: Locations) -> None:
    """One line on stderr when config.toml has problems: the command runs with the defaults."""
    from reader.config import load_config
    from reader.config.report import summary

    path = locations.feeds_config_path
    text = summary(path, load_config(path))
    if text:
        click.echo(f"warning: {text}", err=True)


def _locations(ctx: click.Context) -> Locations:
    locations = ctx.find_object(Locations)
    return locations if locations is not None else resolve()


class _Progress:
    """A one-line progress counter on stderr, shown only on a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.enabled and total >= 200:
            self.shown = True
            click.echo(f"\r\x1b[K{self.label} {done:,}/{total:,} files…", nl=False, err=True)

    def say(self, text: str) -> None:
        """Show ``text`` on the line until the next count or :meth:`close`."""
        if self.enabled:
            self.shown = True
            click.echo(f"\r\x1b[K{text}", nl=False, err=True)

    def close(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", nl=False, err=True)


def _scan(
    locations: Locations,
    hide: tuple[str, ...] = (),
    by_folders: bool = False,
    folders_first: bool = False,
) -> tuple[Source, ScanResult]:
    """Index the cache (quietly updating only what changed) and return it, with ``hide``'s rules.

    ``folders_first``: trust folder times on a big index (see
    :meth:`reader.index.Index.folders_first`); else every file is compared. An index that cannot
    be written is kept in memory (see :func:`_storage_warning`).
    """
    from reader.index_db import describe
    from reader.library import Source

    # A bad [topics] is in the config warning (main) already.
    source = Source(locations, hide, by_folders)
    progress = _Progress("Indexing")
    try:
        result = source.scan_first_look(progress) if folders_first else source.scan_index(progress)
    except sqlite3.Error as exc:
        path = source.index.db_path or locations.index_path
        raise click.ClickException(f"cannot index {source.cache}: {describe(exc, path)}") from None
    finally:
        progress.close()
    return source, result


def _storage_warning(ctx: click.Context, source: Source) -> None:
    """Exit 1 with one line when the index could not be saved (the output above is complete)."""
    if source.problem:
        click.echo(f"newsreader: {source.problem}", err=True)
        ctx.exit(1)


def select_articles(
    locations: Locations,
    query: str,
    read: set[str] | None,
    starred: set[str] | None,
    sort: SortKey | None = None,
    reverse: bool = False,
    show_hidden: bool = False,
) -> tuple[Source, list[Entry]]:
    """Index the cache and return the articles QUERY matches, in order.

    ``mark`` selects through here as ``list`` does, from what a query's words match in the index
    when they match few (:func:`reader.list_rows.listed`), else from every entry: a query marks
    exactly what it lists (each copy of a story ``list`` folds).
    ``read``/``starred`` are the marks (None when the query needs none).
    Articles config.toml's ``hide`` rules match are left out unless ``show_hidden``.
    ``sort`` is the date's order unless given.
    """
    from reader.config import load_config
    from reader.library import SortKey
    from reader.list_rows import listed

    config = load_config(locations.feeds_config_path).config
    rules = () if show_hidden else config.hide
    source, _ = _scan(locations, rules, config.by_folders, folders_first=True)
    key = SortKey.DATE if sort is None else sort
    try:  # what a query's words match, read from the index, when they match few
        quick = listed(source, key, reverse, query, (read, starred), False, None)
    except sqlite3.Error:
        quick = None
    if quick is not None:
        return source, quick[1]
    collection = loaded_collection(source)
    if collection is None:
        return source, []
    return source, collection.view(key, reverse, None, query, read=read, starred=starred)


def loaded_collection(source: Source, say_empty: bool = True) -> Collection | None:
    """What ``source``'s rules leave shown of its index; None when it has no article."""
    collection = source.load()
    if not len(collection) and not collection.hidden:
        if say_empty:
            from reader.captions import IMPORT_HINT

            click.echo(
                f"No articles in {source.cache}. Bring some in with: {IMPORT_HINT}", err=True
            )
        return None
    return collection


def hoist_cache_dir(args: list[str]) -> list[str]:
    """``args`` with every ``--cache-dir`` (and its value) moved to the front.

    People type the option after the command (``newsreader list --cache-dir D``)
    as often as before it; the root group owns it, so it is moved there. A
    ``--`` ends the options: what follows is left alone.
    """
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == "--cache-dir" and index + 1 < len(args):
            front += args[index : index + 2]
            index += 2
            continue
        (front if arg.startswith("--cache-dir=") else rest).append(arg)
        index += 1
    return front + rest


SUBCOMMANDS = {
    "list": "reader.list_command:list_command",
    "related": "reader.related_command:related",
    "feeds": "reader.feeds.commands:feeds",
    "fetch": "reader.feeds.commands:fetch",
    "show": "reader.fulltext.commands:show",
    "fulltext": "reader.fulltext.commands:fulltext",
    "mark": "reader.mark_command:mark",
    "prune": "reader.prune_command:prune",
    "config": "reader.config_command:config",
    "sync": "reader.sync_command:sync",
    "state": "reader.state_command:state",
    "serve": "reader.serve_command:serve",
}
"""The subcommands kept in modules of their own: name -> ``module:attribute``."""


class _Commands(MutableMapping[str, click.Command]):
    """The root group's commands by name, each module imported when its command is first used.

    Importing every command's module cost ``newsreader list`` about a tenth of a second
    (the feed and full-text commands, the reader's captions); the names are known at once.
    """

    def __init__(self, commands: dict[str, click.Command], lazy: dict[str, str]) -> None:
        self._items: dict[str, click.Command | str] = {**lazy, **commands}

    def __getitem__(self, name: str) -> click.Command:
        item = self._items[name]
        if isinstance(item, str):
            module, _, attribute = item.partition(":")
            item = self._items[name] = getattr(importlib.import_module(module), attribute)
        return item

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._items[name] = command

    def __delitem__(self, name: str) -> None:
        del self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class _RootGroup(click.Group):
    """The ``newsreader`` command: ``--cache-dir`` is taken before or after a command."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands(self.commands, SUBCOMMANDS)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_cache_dir(args))


@click.group(
    cls=_RootGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=True, dir_okay=True, path_type=Path),
    help=f"Folder of article files (default: the platform cache dir; env {CACHE_ENV}). "
    "May also follow the command: newsreader list --cache-dir DIR.",
)
@click.version_option(__version__, "-V", "--version", prog_name="newsreader")
@click.pass_context
def main(ctx: click.Context, cache_dir: Path | None) -> None:
    """A fast terminal reader for folders of Markdown news articles.

    Run without a command to open the reader. Articles are Markdown files
    with YAML front matter anywhere below the cache directory; when it holds
    none, the reader opens on bundled sample articles.
    """
    explicit = cache_dir is not None or bool(os.environ.get(CACHE_ENV, "").strip())
    locations = resolve(cache_dir)
    ctx.obj = locations
    creating = ctx.invoked_subcommand in ("import", "fetch", "feeds", "paths", "config")
    try:
        check_cache_dir(locations.cache, must_exist=explicit and not creating)
    except PathError as exc:
        raise click.ClickException(str(exc)) from None
    if ctx.invoked_subcommand not in SELF_REPORTING:
        _config_warning(locations)
    if ctx.invoked_subcommand is None:
        from reader import gc_pause
        from reader.index_rows import prepare_workers
        from reader.library import preload

        gc_pause.pause()  # resumed by the main screen once the list has painted
        prepare_workers()
        from reader.config import load_config

        # Read once: the preload needs its hide rules, the app the rest (the sections that cost
        # more, feeds and openers, are checked by the app after its first frame).
        settings = load_config(locations.feeds_config_path, every_section=False)
        config = settings.config
        loading = preload(locations, config.hide, config.by_folders)  # while the UI starts
        from reader.app import make_app

        app = make_app(locations, preload=loading, settings=settings)
        app.run()
        for note in filter(None, app.farewell):
            click.echo(f"newsreader: {note}", err=True)
        if app.return_code:
            ctx.exit(app.return_code)


@main.command("check")
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """Parse every article file and list those that cannot be read, with why.

    Exits 1 when any file was skipped.
    """
    source, result = _scan(_locations(ctx))
    for skip in result.skipped:
        click.echo(f"{source.root / skip.path}: {skip.reason}")
    count = source.index.count()
    click.echo(
        f"{count:,} articles loaded, {len(result.skipped):,} "
        f"{'file' if len(result.skipped) == 1 else 'files'} skipped in {source.cache}",
        err=True,
    )
    _storage_warning(ctx, source)
    if result.skipped:
        ctx.exit(1)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def import_command(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Copy article files (files or folders, recursively) into the cache.

    Each file is validated first; files already in the cache (same URL or
    same content) are not copied again. Exits 1 when any file was rejected.
    """
    from reader.importer import import_paths

    locations = _locations(ctx)
    try:
        ensure_dir(locations.cache)
    except PathError as exc:
        raise click.ClickException(str(exc)) from None
    progress = _Progress("Importing")
    try:
        report = import_paths(list(paths), locations.cache, progress)
    finally:
        progress.close()
    for source_path, reason in report.rejected:
        click.echo(f"rejected {source_path}: {reason}", err=True)
    click.echo(
        f"{len(report.imported)} imported, {len(report.present)} already present, "
        f"{len(report.rejected)} rejected (into {locations.cache})"
    )
    if report.rejected:
        ctx.exit(1)


@main.command("paths")
@click.pass_context
def paths_command(ctx: click.Context) -> None:
    """Print the cache, config and data directories in use."""
    locations = _locations(ctx)
    click.echo(f"cache:  {locations.cache}")
    click.echo(f"index:  {locations.index_path}")
    click.echo(f"config: {locations.config}")
    click.echo(f"data:   {locations.data}")


def run() -> None:
    """Run the command line, turning a closed pipe or an unexpected error into one line."""
    try:
        main(prog_name="newsreader")
    except BrokenPipeError:
        # `newsreader list | head -1`: the reader of our output left; exit quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - a bug still deserves one readable line
        if os.environ.get("NEWSREADER_DEBUG"):
            raise
        click.echo(
            f"newsreader: unexpected error: {type(exc).__name__}: {exc} "
            "(set NEWSREADER_DEBUG=1 to see the traceback)",
            err=True,
        )
        sys.exit(2)
