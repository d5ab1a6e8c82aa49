"""``newsreader state export|import``: read marks, stars and saved searches as JSON Lines.

The lines are the sync folder's (:mod:`reader.sync.records`), so an export
is a snapshot another machine can merge, by hand or over a USB stick. An
import merges like a sync pass: a change wins only when it is later than
the one in force, so an old export never undoes newer marks, and this
machine passes the imported changes on through the sync folder. Feed lines
are left out both ways: subscriptions travel as OPML (``newsreader feeds
export``) or through the sync folder, never from a file handed over.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from reader.paths import Locations, resolve
from reader.sanitize import clean_line
from reader.sync.records import Change, Header

KINDS = ("read", "star", "view")
"""What moves through a state file: marks and saved searches."""


def _locations(ctx: click.Context) -> Locations:
    """The root group's locations (with ``--cache-dir``), or the defaults."""
    return ctx.find_object(Locations) or resolve()


def _plural(count: int, word: str, many: str = "") -> str:
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def _describe(exc: sqlite3.Error, path: Path) -> str:
    from reader.index_db import describe

    return describe(exc, path)


@click.group("state")
def state() -> None:
    """Move read marks, stars and saved searches between machines as JSON Lines."""


def everything(locations: Locations) -> tuple[str, list[Change]]:
    """This machine's id and every mark and saved search in force (the latest change of each)."""
    from reader.sync import ledger
    from reader.sync.run import SyncError, open_state

    try:
        conn = open_state(locations.state_path)
    except SyncError as exc:
        raise click.ClickException(f"cannot read the marks: {exc}") from None
    try:
        conn.execute("BEGIN IMMEDIATE")
        me = ledger.machine_id(conn)
        ledger.backfill(conn)  # marks made before stamping existed, at the time they were made
        conn.execute("COMMIT")
        return me, ledger.everything(conn, KINDS)
    except sqlite3.Error as exc:
        reason = _describe(exc, locations.state_path)
        raise click.ClickException(f"cannot read the marks: {reason}") from None
    finally:
        conn.close()


@state.command("export")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.pass_context
def export_command(ctx: click.Context, file: Path | None) -> None:
    """Write every read mark, star and saved search to FILE (default, or -: stdout).

    One JSON line per article and mark, with when it was set and on which
    machine; undone marks (unread, unstarred) are there too, so an import
    undoes older marks. The file is written whole or not at all.

    Example: newsreader state export marks.jsonl
    """
    from reader import atomic
    from reader.sync.folder import host_name
    from reader.sync.records import header_line

    me, changes = everything(_locations(ctx))
    text = header_line(me, host_name()) + "".join(change.line() for change in changes)
    if file is None or str(file) == "-":
        click.echo(text, nl=False)
        return
    try:
        atomic.write_text(file, text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {file}: {exc.strerror or exc}") from None
    click.echo(f"exported {_summary(changes)} to {file}")


def _summary(changes: list[Change]) -> str:
    count = {kind: sum(c.kind == kind and c.value is not None for c in changes) for kind in KINDS}
    undone = sum(c.value is None for c in changes)
    text = (
        f"{_plural(count['read'], 'read mark')}, {_plural(count['star'], 'star')}, "
        f"{_plural(count['view'], 'saved search', 'saved searches')}"
    )
    return text + (f" ({_plural(undone, 'undone mark')})" if undone else "")


def read_lines(file: Path) -> tuple[list[Change], int, int]:
    """The changes in ``file``, how many lines were unreadable and how many were headers."""
    from reader.sync.folder import MAX_FILE
    from reader.sync.records import parse_lines

    try:
        if str(file) == "-":
            data = sys.stdin.buffer.read(MAX_FILE + 1)
        else:
            with open(file, "rb") as handle:
                data = handle.read(MAX_FILE + 1)
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE:
        raise click.ClickException(f"{file} is larger than 256 MiB: not a file of marks")
    changes: list[Change] = []
    bad = headers = 0
    for found in parse_lines([raw for raw in data.split(b"\n") if raw.strip()]):
        if isinstance(found, Change):
            changes.append(found)
        elif isinstance(found, Header):
            headers += 1
        else:
            bad += 1
    if bad and not changes and not headers:
        raise click.ClickException(
            f"{file}: no line reads as a mark or a search; "
            "it is not JSON Lines from newsreader state export"
        )
    return changes, bad, headers


@state.command("import")
@click.argument("file", type=click.Path(allow_dash=True, path_type=Path))
@click.pass_context
def import_command(ctx: click.Context, file: Path) -> None:
    """Merge the marks and saved searches in FILE (from 'newsreader state export'; -: stdin).

    A mark in FILE changes the one here only when it was set later, so an
    old file never undoes newer marks. Lines that cannot be read are
    skipped and counted; feed lines are left out (subscriptions: 'newsreader
    feeds import'). With a sync folder set, the imported marks go out through it.
    """
    from reader.sync import ledger
    from reader.sync.run import SyncError, open_state

    locations = _locations(ctx)
    changes, bad, _ = read_lines(file)
    marks = [change for change in changes if change.kind in KINDS]
    try:
        conn = open_state(locations.state_path)
    except SyncError as exc:
        raise click.ClickException(f"cannot save the marks: {exc}") from None
    try:
        merged = ledger.merge(conn, marks, carry=True)
    except sqlite3.Error as exc:
        reason = _describe(exc, locations.state_path)
        raise click.ClickException(f"cannot save the marks: {reason}") from None
    finally:
        conn.close()
    applied = merged.marks + merged.views
    parts = [
        f"{applied:,} applied",
        f"{len(marks) - applied:,} left (the same or newer here)",
    ]
    if bad:
        parts.append(f"{_plural(bad, 'unreadable line')} skipped")
    if len(changes) > len(marks):
        parts.append(f"{_plural(len(changes) - len(marks), 'feed line')} left out")
    click.echo(
        f"read {_plural(len(changes), 'change')} from {clean_line(str(file))}: " + ", ".join(parts)
    )
    if marks:  # later stamps travel even when the marks here were already so
        from reader.sync_command import send_now

        send_now(locations)
