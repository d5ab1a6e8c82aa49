"""The ``newsreader feeds ...`` and ``newsreader fetch`` commands.

Thin click wrappers over :mod:`reader.feeds`: they find the run's
:class:`~reader.paths.Locations`, call one function and turn its errors
into one clear line (``click.ClickException``).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader import paths
from reader.feeds.config import (
    Feed,
    FeedConfigError,
    check_feed_url,
    clean_topics,
    find,
    load_feeds,
    save_feeds,
)
from reader.feeds.interrupt import stop_on_signals
from reader.feeds.limits import Limits
from reader.feeds.opml import OpmlError, parse_opml, to_opml
from reader.feeds.text import line
from reader.paths import Locations

if TYPE_CHECKING:
    from reader.feeds.fetcher import FetchReport
    from reader.known_urls import KnownUrls


def _locations(ctx: click.Context) -> Locations:
    """The Locations the root group put in ``ctx.obj``, or the defaults."""
    found = ctx.find_object(Locations)
    return found if found is not None else paths.resolve()


def _config_path(ctx: click.Context) -> Path:
    return _locations(ctx).feeds_config_path


def _load(path: Path) -> list[Feed]:
    try:
        return load_feeds(path)
    except FeedConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _save(path: Path, feeds: list[Feed]) -> None:
    try:
        save_feeds(path, feeds)
    except FeedConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _send_now(ctx: click.Context) -> None:
    """With a sync folder set, a changed feed list goes out to the other machines at once."""
    from reader.sync_command import send_now

    send_now(_locations(ctx))


@click.group()
def feeds() -> None:
    """Manage the list of subscribed feeds (RSS, Atom, JSON Feed).

    The list lives in config.toml in the user config directory.
    Run `newsreader fetch` to download new articles from them.
    """


@feeds.command("add")
@click.argument("url")
@click.option(
    "--topic",
    "-t",
    "topics",
    multiple=True,
    metavar="TOPIC",
    help="Topic given to every article of this feed; repeat for several.",
)
@click.option(
    "--name",
    "-n",
    default="",
    metavar="NAME",
    help="Name to show for this feed instead of the feed's own title.",
)
@click.option(
    "--pick",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="When URL is a web page that names several feeds, add the Nth (default: the first).",
)
@click.option(
    "--check/--no-check",
    default=None,
    help="Download URL first to check it is a feed (default: only when the address does not "
    "say so, e.g. a site's home page); --no-check adds it as given, offline.",
)
@click.pass_context
def add_command(
    ctx: click.Context,
    url: str,
    topics: tuple[str, ...],
    name: str,
    pick: int | None,
    check: bool | None,
) -> None:
    """Subscribe to the feed at URL (http:// or https://), or the feed a web page names.

    A site's address works too: its page is downloaded and the feeds it
    names (<link rel="alternate">) are listed; the first, or the one
    --pick chooses, is added. If the server cannot be reached, the address is
    added as given with a warning (the next fetch tries again).

    Example: newsreader feeds add https://example.org/feed.xml --topic Science
    """
    from reader.feeds.discover import names_a_feed

    try:
        url = check_feed_url(url)
    except FeedConfigError as exc:
        raise click.ClickException(str(exc)) from None
    path = _config_path(ctx)
    current = _load(path)
    if find(current, url) is not None:
        raise click.ClickException(f"{url} is already in the feed list")
    if check is None:
        check = pick is not None or not names_a_feed(url)
    elif pick is not None and not check:
        raise click.ClickException("--pick needs the page: leave out --no-check")
    title = ""
    if check:
        url, title = _discover(url, pick)
        if find(current, url) is not None:
            raise click.ClickException(f"{url} is already in the feed list")
    current.append(Feed(url=url, name=line(name), topics=clean_topics(topics)))
    _save(path, current)
    click.echo(f"Added {url}" + (f" ({title})" if title else ""))
    _send_now(ctx)


def _discover(url: str, pick: int | None) -> tuple[str, str]:
    """The feed to add for ``url`` and its title, saying what was found; exits on no feed."""
    from reader.feeds.discover import DiscoverError, probe

    try:
        found = probe(url)
    except DiscoverError as exc:
        raise click.ClickException(str(exc)) from None
    if found.warning:
        click.echo(f"warning: could not check {url}: {found.warning}; adding it as given", err=True)
    choices = found.feeds
    if pick is not None and pick > len(choices):
        many = f"names only {len(choices)} feed{'s' * (len(choices) != 1)}"
        raise click.ClickException(f"--pick {pick}: {url} {many if found.page else 'is a feed'}")
    chosen = choices[(pick or 1) - 1]
    if found.page and len(choices) > 1:
        click.echo(f"{url} names {len(choices)} feeds:")
        for number, candidate in enumerate(choices, start=1):
            mark = "  (added)" if candidate is chosen else ""
            click.echo(f"  {number}. {candidate.label()}  {candidate.url}{mark}")
        click.echo(f"Add another with: newsreader feeds add {url} --pick N")
    elif found.page:
        click.echo(f"{url} is a web page; it names one feed: {chosen.label()}")
    return chosen.url, chosen.title


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one feed per line.")
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Show each subscribed feed: title, URL, articles in the cache, unread, last fetch.

    The last fetch's result is "ok: N new", "not modified" or why it failed;
    a feed not fetched yet shows "never".
    """
    from reader.feeds.listing import feed_rows, table_lines

    locations = _locations(ctx)
    current = _load(locations.feeds_config_path)
    if not current:
        click.echo("No feeds yet. Add one with: newsreader feeds add URL", err=True)
        return
    rows, warnings = feed_rows(locations, current)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
    else:
        for text in table_lines(rows):
            click.echo(text)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


@feeds.command("remove")
@click.argument("url")
@click.pass_context
def remove_command(ctx: click.Context, url: str) -> None:
    """Unsubscribe from the feed at URL. Articles already fetched stay in the cache."""
    path = _config_path(ctx)
    current = _load(path)
    feed = find(current, url)
    if feed is None:
        raise click.ClickException(
            f"{line(url)} is not in the feed list (see `newsreader feeds list`)"
        )
    _save(path, [other for other in current if other is not feed])
    click.echo(f"Removed {feed.url}")
    _send_now(ctx)


@feeds.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_command(ctx: click.Context, file: Path) -> None:
    """Add the feeds listed in an OPML FILE (exported by another feed reader).

    Feeds already subscribed are skipped; folder names become topics.
    """
    try:
        imported = parse_opml(file.read_bytes())
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror or exc}") from None
    except OpmlError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    path = _config_path(ctx)
    current = _load(path)
    new = [feed for feed in imported if find(current, feed.url) is None]
    if new:
        _save(path, current + new)
    skipped = len(imported) - len(new)
    click.echo(
        f"Imported {len(new)} feed{'s' * (len(new) != 1)}"
        + (f" ({skipped} already subscribed)" if skipped else "")
    )
    if new:
        _send_now(ctx)


@feeds.command("export")
@click.pass_context
def export_command(ctx: click.Context) -> None:
    """Print the feed list as OPML 2.0, for another feed reader.

    Example: newsreader feeds export > feeds.opml
    """
    click.echo(to_opml(_load(_config_path(ctx))), nl=False)


@click.command()
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=Limits.timeout,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a feed whose whole download (redirects included) takes longer.",
)
@click.pass_context
def fetch(ctx: click.Context, timeout: float) -> None:
    """Download new articles from every subscribed feed into the cache.

    Feeds are fetched at the same time; a feed that fails is reported on one
    line and does not stop the others. Exits with status 1 if any feed failed.
    Ctrl-C or SIGTERM stops the fetch within a second, keeping the articles
    written so far (exit status 130 or 143).
    """
    locations = _locations(ctx)
    current = _load(locations.feeds_config_path)
    if not current:
        click.echo("No feeds yet. Add one with: newsreader feeds add URL", err=True)
        return
    with stop_on_signals() as interrupt:
        known = _known_urls(locations)
        report = _fetch_with_bar(
            locations, current, Limits(timeout=timeout), interrupt.event, known
        )
        if not report.stopped:
            for url, reason in report.failures:
                click.echo(f"failed: {url}: {reason}", err=True)
            for warning in report.warnings:
                click.echo(f"warning: {warning}", err=True)
            click.echo(_summary(report))
        full_text = (0, 0)
        if report.full_text_urls and not interrupt.event.is_set():
            from reader.fulltext.commands import fetch_with_bar
            from reader.fulltext.store import FullTextStore

            full_text = fetch_with_bar(
                report.full_text_urls,
                FullTextStore(locations.cache),
                prefix="full text ",
                stop=interrupt.event,
            )
            if not interrupt.event.is_set():
                click.echo(f"Full text: {full_text[0]} extracted, {full_text[1]} failed.")
    if interrupt.event.is_set():
        click.echo(_stopped_line(report, interrupt.name, full_text[0]), err=True)
        ctx.exit(interrupt.exit_code)
    if report.failures:
        ctx.exit(1)


def _stopped_line(report: FetchReport, signal_name: str, extracted: int) -> str:
    """The one line said when a signal stopped the fetch: what was kept."""
    new = len(report.new_paths)
    text = (
        f"Stopped by {signal_name}: {new:,} new article{'s' * (new != 1)} kept, "
        f"{report.fetched} of {report.total} feed{'s' * (report.total != 1)} done"
    )
    if extracted:
        text += f", {extracted} full text{'s' * (extracted != 1)} kept"
    return text + "."


def _known_urls(locations: Locations) -> KnownUrls | None:
    """The URLs already under ``feeds/``, from the index after the first look ``list`` takes
    (new and removed files, by folder times): reading every file's head for them took 150 s
    at a million. None, and the files are read, where there is no index yet (building one
    takes minutes at a million), few articles, or an index that cannot be read."""
    from reader.feeds.store import FEEDS_DIR

    if not locations.index_path.is_file() or not (locations.cache / FEEDS_DIR).is_dir():
        return None
    import sqlite3

    from reader.library import Source

    source = Source(locations)
    try:
        source.scan_first_look()
        return source.feed_urls()
    except (sqlite3.Error, OSError):
        return None
    finally:
        source.index.close()


def _fetch_with_bar(
    locations: Locations,
    current: list[Feed],
    limits: Limits,
    stop: threading.Event,
    known: KnownUrls | None = None,
) -> FetchReport:
    from reader.feeds.fetcher import fetch_feeds  # httpx and feedparser load only when fetching

    stderr = click.get_text_stream("stderr")
    with click.progressbar(
        length=len(current),
        label="Fetching feeds",
        file=stderr,
        show_pos=True,
        hidden=not stderr.isatty(),  # not even the label when stderr is a file or pipe
    ) as bar:

        def progress(done: int, total: int, url: str) -> None:
            bar.update(1)

        return fetch_feeds(
            locations, progress, limits=limits, feeds=current, stop=stop, known_urls=known
        )


def _summary(report: FetchReport) -> str:
    new = len(report.new_paths)
    text = (
        f"Fetched {report.fetched} of {report.total} feed{'s' * (report.total != 1)}: "
        f"{new:,} new article{'s' * (new != 1)}, {len(report.failures)} failed."
    )
    if report.completed_paths:
        done = len(report.completed_paths)
        text += f" {done} earlier article{'s' * (done != 1)} completed with the full text."
    if report.unchanged:
        text += f" ({report.unchanged} unchanged since last fetch)"
    if report.pruned:
        text += f" {report.pruned} old article{'s' * (report.pruned != 1)} pruned."
    return text
