"""``newsreader list``: the articles of the cache for scripts, one story per row by default.

The row shapes (plain text and JSON Lines) live here because ``newsreader
related`` prints the same rows with a score. Copies of one story (the index's
duplicate groups) fold into the first of them in the list's order, as the
reader's list does (:func:`reader.grouping.collapse`); ``--no-group`` or
``[list] group_duplicates = false`` prints every copy. Every row's JSON says
which other copies there are.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reader import early_check
from reader.early_check import CHECK_EVERY
from reader.entry import Entry, topics_of
from reader.formatting import fit
from reader.json_rows import date_text, json_line

if TYPE_CHECKING:
    from reader.collection import Collection
    from reader.config.list_settings import ListSettings
    from reader.filecheck import PendingDiff
    from reader.library import Source


def grouping_wanted(flag: bool | None, list_settings: ListSettings) -> bool:
    """``--group``/``--no-group`` when given, else ``[list] group_duplicates`` (on by default)."""
    return list_settings.group_duplicates if flag is None else flag


CHECK_QUIET_SECONDS = 0.5
"""How long ``list`` waits for the file check before it says so on a terminal (a million files
take seconds)."""


def scan_checked(source: Source, early: PendingDiff | None, every: bool = False) -> bool:
    """Bring the index up to date with the files, as every command does; whether any changed.

    The comparison of 100,000 files with the index takes longer than reading the rows: the
    entry point started it first, in a helper on the other core (:mod:`reader.early_check`),
    and its answer is taken here; when there is none (or the helper failed), the files are
    checked here, the same way (``every``: ``--check-every``).
    """
    import sqlite3

    from reader.cli import _Progress
    from reader.index_db import describe

    diff = None
    progress = _Progress("Indexing")
    if early is not None:
        try:
            if not early.arrives_within(CHECK_QUIET_SECONDS):
                progress.say("Checking the files…")
            diff = early.result()
        except RuntimeError:
            pass  # walked below
    try:
        if diff is None and not every:
            diff = source.index.folders_first()
        result = source.scan_index(progress, diff)
    except sqlite3.Error as exc:
        path = source.index.db_path or source.locations.index_path
        raise click.ClickException(f"cannot index {source.cache}: {describe(exc, path)}") from None
    finally:
        progress.close()
    return bool(result.touched)


def duplicate_urls(copies: Iterable[Entry]) -> list[str]:
    """The other copies' URLs, each once, in the order given (a copy without a URL has none)."""
    return list(dict.fromkeys(copy.url for copy in copies if copy.url))


def _published(entry: Entry) -> dt.datetime | None:
    if entry.published is None:
        return None
    return dt.datetime.fromtimestamp(entry.published, dt.UTC)


def record(entry: Entry, path: Path | str, duplicates: list[str]) -> dict[str, Any]:
    """One ``list --json`` row: the article's fields, its absolute ``path`` and its copies' URLs
    (``list`` writes the same bytes faster, see :mod:`reader.json_rows`)."""
    return {
        "title": entry.title,
        "url": entry.url,
        "published": date_text(entry.published),
        "quality": entry.quality,
        "heat": entry.heat,
        "provider": entry.provider,
        "domain": entry.domain,
        "type": entry.type,
        "topics": topics_of(entry),
        "path": str(path),
        "duplicates": duplicates,
    }


def plain_row(entry: Entry, copies: int = 0) -> str:
    """One plain row: date, quality, provider, title, and ``+N`` when N other copies fold here."""
    published = _published(entry)
    when = published.strftime("%Y-%m-%d %H:%M") if published else "-".ljust(16)
    quality = "" if entry.quality is None else str(entry.quality)
    more = f"  +{copies}" if copies else ""
    return f"{when}  {quality:>3}  {fit(entry.provider, 24)}  {entry.title}{more}"


_JSON = json.JSONEncoder(ensure_ascii=False)
"""``json.dumps(row, ensure_ascii=False)``, without making an encoder per row."""


def echo_json(row: dict[str, Any]) -> None:
    click.echo(_JSON.encode(row))


def path_text(source: Source) -> Callable[[Entry], str]:
    """``str(source.path_of(entry))`` as a function, without a ``Path`` per row (a ``Path``
    costs more than the rest of a JSON row; the index's paths are clean, with ``/``)."""
    if os.sep != "/":
        return lambda entry: str(source.path_of(entry))
    base = os.path.join(str(source.root), "")
    return lambda entry: base + entry.path


def printed_lines(
    source: Source, collection: Collection, rows: list[Entry], as_json: bool, grouped: bool
) -> list[str]:
    """The lines ``list`` prints for ``rows``, whose copies ``collection`` knows."""
    path_of, lines = path_text(source), []
    for entry in rows:
        copies = collection.copies(entry)
        if as_json:
            lines.append(json_line(entry, path_of(entry), duplicate_urls(copies)))
        else:
            lines.append(plain_row(entry, len(copies) if grouped else 0))
    return lines


GROUP_OPTION = click.option(
    "--group/--no-group",
    "group",
    default=None,
    help="One row per story (default; config: [list] group_duplicates), or every copy.",
)
"""Folding copies of one story into one row: ``list`` and ``related`` take it alike."""


@click.command("list")
@click.argument("query", required=False, default="")
@click.option(
    "--sort",
    "sort",
    type=click.Choice(["date", "quality"]),
    default="date",
    show_default=True,
    help="Newest first, or highest quality first (no quality last, ties newest first).",
)
@click.option("--reverse", is_flag=True, help="Reverse the order.")
@click.option("--unread", is_flag=True, help="Only articles not read yet (same as is:unread).")
@click.option("--topic", metavar="T", help="Only articles with this topic (case-insensitive).")
@click.option(
    "--source",
    metavar="NAME",
    help="Only articles of this source: a feed's title or a provider's name or domain (source:).",
)
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Print at most N articles.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one article per line.")
@click.option("--all", "show_hidden", is_flag=True, help="Include what config.toml's hide hides.")
@click.option(
    CHECK_EVERY,
    "check_every",
    is_flag=True,
    help="Compare every file with the index first. Without it, an index of 20,000 articles or"
    ' more (or config.toml\'s check = "folders") trusts folder times, which miss a file edited'
    " in place until the reader's next check of every file.",
)
@GROUP_OPTION
@click.pass_context
def list_command(
    ctx: click.Context,
    query: str,
    sort: str,
    reverse: bool,
    unread: bool,
    topic: str | None,
    source: str | None,
    limit: int | None,
    as_json: bool,
    show_hidden: bool,
    check_every: bool,
    group: bool | None,
) -> None:
    """Print the articles in the cache, for scripts.

    QUERY takes the reader's search language: free words match title,
    excerpt, provider and body; qualifiers narrow it down, e.g.
    'topic:AI is:unread provider:rt.com after:2024-01-01 before:2024-02-01
    quality:>50 is:starred title:word'. What config.toml's hide rules match
    is left out unless --all. Copies of one story (the same address, or
    near-identical text from two providers) print as one row, marked +N;
    --json rows list the other copies' URLs in "duplicates".
    """
    import sqlite3

    from reader.cli import STATE_WAIT, _locations, _storage_warning, loaded_collection

    locations = _locations(ctx)
    from reader.config import load_config
    from reader.library import SortKey, Source
    from reader.list_rows import listed
    from reader.query import parse_query, quote_value
    from reader.state import StateStore

    settings = load_config(locations.feeds_config_path, every_section=False).config
    if unread:
        query = f"{query} is:unread".strip()
    parsed = parse_query(query)
    for problem in parsed.errors:
        click.echo(f"newsreader: ignoring a qualifier: {problem}", err=True)
    read = starred = None
    if parsed.needs_state:
        state = StateStore(locations.state_path, wait=STATE_WAIT)
        read, starred, loaded = state.read, state.starred, state.loaded
        state.close()
        if not loaded:  # an answer without the marks would be wrong, and look right
            raise click.ClickException(f"cannot read the marks: {state.reason}")
    if topic:
        # The query's topic qualifier matches every spelling of a topic, ignoring case.
        query = f"{query} topic:{quote_value(topic)}".strip()
    if source:
        query = f"{query} source:{quote_value(source)}".strip()
    grouped = grouping_wanted(group, settings.list)
    key, marks = SortKey(sort), (read, starred)
    by_folders = settings.by_folders and not check_every
    source_used = Source(locations, () if show_hidden else settings.hide, by_folders)
    # The entry point's helper has walked the files meanwhile; now the index is open it reads it.
    early = early_check.claim(source_used.root, source_used.index.db_path)
    if early is not None:
        ctx.call_on_close(early.cancel)  # once answered, a no-op

    def quick_lines() -> list[str] | None:
        """The lines from part of the index (see :func:`reader.list_rows.listed`), if it can
        tell them."""
        try:
            quick = listed(source_used, key, reverse, query, marks, grouped, limit)
        except sqlite3.Error:
            return None  # the scan says what is wrong with the index, as it always did
        return None if quick is None else printed_lines(source_used, *quick, as_json, grouped)

    lines = quick_lines()  # read and formatted while the files are compared with the index
    if scan_checked(source_used, early, check_every):
        lines = quick_lines()  # read again from the index as the changes left it
    if lines is None:
        collection = loaded_collection(source_used)
        if collection is None:
            _storage_warning(ctx, source_used)
            return
        rows = collection.view(key, reverse, None, query, read=read, starred=starred)
        if grouped:
            rows = collection.groups.collapse(rows)
        if limit is not None:
            rows = rows[:limit]
        lines = printed_lines(source_used, collection, rows, as_json, grouped)
    if lines:
        click.echo("\n".join(lines))
    _storage_warning(ctx, source_used)
