"""``newsreader prune``: remove old fetched articles as ``keep_days`` and ``max_items`` ask.

The same prune runs after every fetch; this command runs it alone, or with
``--dry-run`` says what it would remove. The rules (only the program's own
files, never a starred article, an unread one only with ``prune_unread``)
are in :mod:`reader.feeds.prune`.
"""

from __future__ import annotations

import click

from reader.paths import Locations, resolve

OFF = (
    "Pruning is off: set keep_days or max_items in config.toml "
    "(at the top for every feed, or in a feed's [[feeds]] table)."
)


def _articles(count: int) -> str:
    return f"{count:,} article{'' if count == 1 else 's'}"


@click.command("prune")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed, feed by feed.")
@click.pass_context
def prune(ctx: click.Context, dry_run: bool) -> None:
    """Remove old articles of the subscribed feeds, as config.toml asks.

    keep_days = N removes a feed's articles published more than N days ago;
    max_items = N keeps only its N newest. Only files newsreader wrote from
    feeds and that nobody changed since are removed; starred articles always
    stay, unread ones unless prune_unread = true. Exits 1 when the config or
    the marks cannot be read, or a file could not be removed.
    """
    from reader.feeds.config import FeedConfigError, load_feeds, load_policy
    from reader.feeds.prune import PruneError, open_ledger, perform, plan_prune, prunes, summary

    locations = ctx.find_object(Locations) or resolve()  # the root group's, with --cache-dir
    try:
        feeds = load_feeds(locations.feeds_config_path)
        defaults = load_policy(locations.feeds_config_path)
    except FeedConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if not feeds:
        click.echo("No feeds yet. Add one with: newsreader feeds add URL", err=True)
        return
    if not prunes(feeds, defaults):
        click.echo(OFF)
        return
    ledger = open_ledger(locations)
    try:
        plan = plan_prune(locations, feeds, defaults, ledger=ledger)
    except PruneError as exc:
        raise click.ClickException(f"nothing pruned: {exc}") from None
    if dry_run:
        for feed in plan.feeds:
            click.echo(f"would remove {_articles(len(feed.remove))} from {feed.title} ({feed.url})")
        for warning in plan.warnings:
            click.echo(f"warning: {warning}", err=True)
        kept = plan.kept_starred, plan.kept_unread
        click.echo(summary(plan.count, len(plan.feeds), *kept, dry=True))
        return
    result = perform(plan, ledger)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    kept = result.kept_starred, result.kept_unread
    click.echo(summary(result.removed, result.feeds, *kept, dry=False))
    if result.warnings:
        ctx.exit(1)
