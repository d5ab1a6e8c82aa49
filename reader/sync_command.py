"""``newsreader sync``: one pass through the shared folder, setting that folder, and its status.

Everything a file in the folder says came from another machine, so what is
printed of it (feed URLs, host names) goes through :func:`clean_line`. A
folder that is not there (an unmounted drive) exits 1, so a script notices;
the changes wait in the state file for the next pass that finds it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader.paths import Locations, resolve
from reader.sanitize import clean_line

if TYPE_CHECKING:
    from reader.sync.run import Report
    from reader.sync_status import Machine, Status

SET_HINT = "set one with: newsreader sync --dir DIR"


def _plural(count: int, word: str, many: str = "") -> str:
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def _locations(ctx: click.Context) -> Locations:
    """The root group's locations (with ``--cache-dir``), or the defaults."""
    return ctx.find_object(Locations) or resolve()


def configured(locations: Locations) -> tuple[Path | None, str]:
    """The folder config.toml names, or None and why (a ``sync_dir`` it could not use)."""
    from reader.config.load import load_config
    from reader.config.report import named

    loaded = load_config(locations.feeds_config_path)
    if loaded.config.sync_dir:
        return Path(loaded.config.sync_dir), ""
    why = next((named(p) for p in loaded.problems if p.path[:1] == ("sync_dir",)), "")
    return None, clean_line(why)


def _set_folder(locations: Locations, given: Path) -> Path:
    """Make ``given`` the sync folder in config.toml (absolute, created if missing)."""
    from reader.config.edit import ConfigWriteError, set_value
    from reader.paths import PathError, ensure_dir

    where = given.expanduser().absolute()
    if not str(where).isprintable():
        raise click.ClickException("the sync folder's path has control characters")
    existed = where.is_dir()
    try:
        ensure_dir(where)
    except PathError as exc:
        raise click.ClickException(str(exc)) from None
    if not existed:
        click.echo(f"created the sync folder {where}", err=True)
    try:
        set_value(locations.feeds_config_path, ("sync_dir",), str(where))
    except ConfigWriteError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"sync folder set to {where} (in {locations.feeds_config_path})", err=True)
    return where


def _turn_off(locations: Locations) -> None:
    from reader.config.edit import ConfigWriteError, set_value

    where, _ = configured(locations)
    if where is None:
        click.echo("sync is off already (no sync_dir in config.toml)", err=True)
        return
    try:
        set_value(locations.feeds_config_path, ("sync_dir",), "")
    except ConfigWriteError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"sync is off; the files in {where} stay as they are", err=True)


def run_pass(locations: Locations, where: Path) -> Report:
    """One pass; its one-line failure (:class:`SyncError`, an unusable data folder) as a
    :class:`click.ClickException`."""
    from reader.sync.run import SyncError, sync_once

    try:
        return sync_once(locations, where)
    except SyncError as exc:
        raise click.ClickException(f"cannot sync: {exc}") from None
    except OSError as exc:  # the lock file in the data folder
        raise click.ClickException(f"cannot sync: {exc.strerror or exc}") from None


def report_lines(report: Report) -> tuple[list[str], list[str]]:
    """What a pass did as plain lines for stdout, and what went wrong for stderr."""
    if report.missing:
        return [], [f"the sync folder {report.folder} is not there: changes wait until it is"]
    out = [f"sent {_plural(report.sent, 'change')} to {report.folder}"]
    if report.merged:
        parts = [_plural(report.marks, "mark")]
        if report.views:
            parts.append(_plural(report.views, "saved search", "saved searches"))
        out.append(f"merged from other machines: {', '.join(parts)}")
    else:
        out.append("nothing new from other machines")
    out += [f"subscribed to {clean_line(url)}" for url in report.feeds_added]
    out += [f"unsubscribed from {clean_line(url)}" for url in report.feeds_removed]
    if report.skipped:
        lines = _plural(report.skipped, "unreadable line")
        out.append(f"skipped {lines} in the folder's files (see: newsreader sync status)")
    return out, [clean_line(problem) for problem in report.problems]


def send_now(locations: Locations) -> None:
    """A quiet pass after a command changed something, so the change goes out at once.

    Says only what went wrong (one line on stderr); never changes the command's exit code.
    """
    where, _ = configured(locations)
    if where is None:
        return
    try:
        report = run_pass(locations, where)
    except click.ClickException as exc:
        click.echo(f"newsreader: {exc.message}", err=True)
        return
    _, problems = report_lines(report)
    if problems:
        click.echo(f"newsreader: sync: {'; '.join(problems)}", err=True)


@click.group("sync", invoke_without_command=True)
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    help="Sync through this folder from now on (written to config.toml as sync_dir; "
    "created if missing), then sync.",
)
@click.option("--off", is_flag=True, help="Stop syncing: clear sync_dir (the folder's files stay).")
@click.pass_context
def sync(ctx: click.Context, folder: Path | None, off: bool) -> None:
    """Sync read marks, stars, saved searches and subscriptions through a shared folder.

    The folder is one a sync tool (Syncthing, Nextcloud, Dropbox, a git repo,
    a USB stick) keeps in step between machines. Each machine writes only its
    own files there and merges everyone else's: the later change wins.
    Without a subcommand, runs one pass now and prints what it did; exits 1
    when the folder is not there or a change could not be written.

    Example: newsreader sync --dir ~/Sync/newsreader
    """
    if folder is not None and off:
        raise click.UsageError("--dir and --off: choose one")
    locations = _locations(ctx)
    if off:
        _turn_off(locations)
        return
    where = _set_folder(locations, folder) if folder is not None else None
    if ctx.invoked_subcommand is not None:
        return
    if where is None:
        where, why = configured(locations)
        if where is None:
            because = f" (config.toml {why})" if why else ""
            raise click.ClickException(f"no sync folder{because}: {SET_HINT}")
    out, problems = report_lines(run_pass(locations, where))
    for text in out:
        click.echo(text)
    for text in problems:
        click.echo(f"newsreader: sync: {text}", err=True)
    if problems:
        ctx.exit(1)


@sync.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print it as one JSON object, for scripts.")
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Show this machine, the sync folder, the changes not yet sent and every other machine
    seen in the folder: its host, its last change, and the lines of its files skipped."""
    from reader.sync.run import SyncError
    from reader.sync_status import gather

    locations = _locations(ctx)
    where, why = configured(locations)
    try:
        status = gather(locations, where)
    except SyncError as exc:
        raise click.ClickException(f"cannot show the sync status: {exc}") from None
    if as_json:
        import json
        from dataclasses import asdict

        click.echo(json.dumps(asdict(status), default=str, ensure_ascii=False))
        return
    for text in status_lines(status, why):
        click.echo(text)


def status_lines(status: Status, why: str = "") -> list[str]:
    lines = [f"this machine: {status.me} ({clean_line(status.host) or 'no host name'})"]
    if status.folder is None:
        because = f" (config.toml {why})" if why else ""
        lines.append(f"sync folder: none{because}; {SET_HINT}")
    else:
        there = "" if status.present else " (not there: changes wait until it is)"
        lines.append(f"sync folder: {status.folder}{there}")
    lines.append(f"not yet sent: {_plural(status.unsent, 'change')}")
    if status.folder is None or not status.present:
        return lines
    others = [m for m in status.machines if m.id and m.id != status.me]
    lines.append(f"other machines in the folder: {len(others) or 'none yet'}")
    now = dt.datetime.now().astimezone()
    lines += [line for machine in status.machines for line in _machine_lines(machine, status, now)]
    return lines


def _machine_lines(machine: Machine, status: Status, now: dt.datetime) -> list[str]:
    from reader.formatting import long_date

    files = _plural(machine.files, "file")
    if not machine.id:
        head = f"  files that name no machine: {files}"
    else:
        host = clean_line(machine.host) or "host unknown"
        mine = ", conflict copies of this machine's" if machine.id == status.me else ""
        when = (
            long_date(dt.datetime.fromtimestamp(machine.last_wall / 1000, dt.UTC), now)
            if machine.last_wall
            else "none"
        )
        head = (
            f"  {machine.id} ({host}{mine}): last change {when}, "
            f"{_plural(machine.changes, 'change')} made there, {files}"
        )
    lines = [head]
    if machine.skipped:
        lines.append(f"    skipped {_plural(machine.skipped, 'unreadable line')}")
    if machine.partial:
        waiting = _plural(machine.partial, "file ends", "files end")
        lines.append(f"    {waiting} in a cut-off line (still arriving?)")
    return lines
