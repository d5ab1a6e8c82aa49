"""``newsreader mark``: set read marks or stars on every article a query matches, for scripts.

The articles are chosen by the same search as ``newsreader list QUERY``, so
what a query lists is exactly what it marks. The marks go through the
reader's :class:`~reader.state.StateStore`; a mark that cannot be saved is
never reported as done.
"""

from __future__ import annotations

import click

ACTIONS = {
    "read": ("read", True),
    "unread": ("read", False),
    "star": ("starred", True),
    "unstar": ("starred", False),
}
"""Each action: which set of marks it changes, and whether it adds to it or takes from it."""
DONE = {"read": "read", "unread": "unread", "star": "starred", "unstar": "unstarred"}
"""How the summary line names each action."""


def _articles(count: int) -> str:
    return f"{count:,} article{'' if count == 1 else 's'}"


@click.command("mark")
@click.argument("action", type=click.Choice(list(ACTIONS)))
@click.argument("query", required=False, default="")
@click.option("--all", "every", is_flag=True, help="Required when QUERY is empty: mark everything.")
@click.option("--dry-run", is_flag=True, help="Only say how many articles would change.")
@click.pass_context
def mark(ctx: click.Context, action: str, query: str, every: bool, dry_run: bool) -> None:
    """Mark every article QUERY matches read, unread, starred or unstarred.

    QUERY is the search language of 'newsreader list QUERY' (e.g.
    'topic:AI before:2024-01-01'), and selects the same articles. An empty
    QUERY means every article, so it needs --all. Prints how many articles
    changed; exits 1 when the marks cannot be read or saved.
    """
    from reader.cli import STATE_WAIT, _locations, _storage_warning, select_articles
    from reader.entry import entry_keys
    from reader.query import parse_query
    from reader.state import StateStore

    if not query.strip() and not every:
        raise click.ClickException("no QUERY: pass --all to mark every article")
    parsed = parse_query(query)
    if parsed.errors:  # ignoring a qualifier would mark more than was asked for
        raise click.ClickException(f"not marking anything: {parsed.errors[0]}")
    locations = _locations(ctx)
    state = StateStore(locations.state_path, wait=STATE_WAIT)
    if not state.loaded or not (dry_run or state.on_file):
        state.close()  # writes nothing: no change was made
        verb = "read" if not state.loaded else "save"
        raise click.ClickException(f"cannot {verb} the marks: {state.reason}")
    name, on = ACTIONS[action]
    marks: set[str] = getattr(state, name)
    source, rows = select_articles(locations, query, state.read, state.starred)
    keys = entry_keys(rows)
    todo = {key for key in keys if (key in marks) != on}
    changed = sum(key in todo for key in keys)  # articles, even when two share a URL
    if not dry_run and todo:
        setter = state.set_read if name == "read" else state.set_starred
        setter(todo, on)
    lost = state.close()
    if not dry_run and (lost or state.pending):
        # The store keeps what the file refused beside it, and the next run writes it: say so.
        waiting = f"the marks could not be saved now, the next run saves them: {state.reason}"
        click.echo(f"newsreader: {lost or waiting}", err=True)
        ctx.exit(1)
    same = (
        f" ({_articles(len(rows) - changed)} already {DONE[action]})" if changed < len(rows) else ""
    )
    did = "would mark" if dry_run else "marked"
    click.echo(f"{did} {_articles(changed)} {DONE[action]}{same}")
    if not dry_run and todo:  # with a sync folder set, the change goes out now
        from reader.sync_command import send_now

        send_now(locations)
    _storage_warning(ctx, source)
