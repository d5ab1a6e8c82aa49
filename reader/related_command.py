"""``newsreader related TARGET``: the cache's articles most like one article, for scripts.

The answer is the index's (:meth:`reader.index.Index.related`): similar
words, topics and nearness in time, never TARGET itself nor its copies. The
rows are ``newsreader list``'s with a score, and the same rules apply: what
config.toml hides is left out, and copies of one story print as one row.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from reader.entry import Entry
from reader.grouping import collapse
from reader.library import Collection, Source
from reader.list_command import (
    GROUP_OPTION,
    duplicate_urls,
    echo_json,
    grouping_wanted,
    plain_row,
    record,
)

SCORE_DIGITS = 4
"""Decimals of a score in JSON: enough to order by, not the float's noise."""


def _inside(path: Path, root: Path) -> str | None:
    """``path`` relative to ``root`` with ``/`` separators, or None when it is outside."""
    for candidate, base in ((path, root), (path.resolve(), root.resolve())):
        if candidate.is_relative_to(base):
            return candidate.relative_to(base).as_posix()
    return None


def _by_path(source: Source, target: str) -> Entry:
    """The indexed article at path ``target``: from here, or else relative to the cache."""
    given = Path(target).expanduser()
    root = Path(os.path.abspath(source.root))
    tries = [Path(os.path.abspath(given))]
    if not given.is_absolute():
        tries.append(Path(os.path.abspath(root / given)))
    existing = [path for path in tries if path.exists()]
    if not existing:
        raise click.ClickException(f"no article with that file or URL in {source.cache}: {target}")
    inside = [(path, rel) for path in existing if (rel := _inside(path, root)) is not None]
    if not inside:
        raise click.ClickException(
            f"{target} is outside the cache {source.cache} "
            "(related articles come from the cache: newsreader import PATH brings it in)"
        )
    path, relative = inside[0]
    if path.is_dir():
        raise click.ClickException(f"{target} is a folder, not an article file")
    found = source.index.entries_at([relative])
    if found:
        return found[0]
    reason = next((skip.reason for skip in source.index.skipped() if skip.path == relative), "")
    why = f": {reason}" if reason else " (not a Markdown file the index reads)"
    raise click.ClickException(f"{target} is not an article{why}")


def _by_url(source: Source, target: str) -> Entry:
    """The indexed article at URL ``target`` (tracking parameters, http/https and www. aside)."""
    found = source.index.ids_for_urls([target.strip()])
    entry = source.index.entries_by_id(found.values()).get(found.get(target.strip(), -1))
    if entry is None:
        raise click.ClickException(f"no article with that URL in {source.cache}: {target}")
    return entry


def related_rows(
    collection: Collection, scores: dict[int, float], limit: int, grouped: bool
) -> list[tuple[Entry, float]]:
    """The shown articles most like the target, best first, at most ``limit``: ``scores`` are
    the index's candidates, ``collection`` those of them and their copies as the whole cache
    holds them (:func:`reader.list_rows.copies_included`).

    The index scores a fixed number of candidates whatever the limit, so
    asking it for all of them costs nothing more and leaves enough once the
    hidden articles (and, when ``grouped``, the lesser copies) are taken out.
    """
    shown = {entry.id: entry for entry in collection.entries if entry.id in scores}
    ranked = [shown[at] for at in scores if at in shown]
    if grouped:
        ranked = collapse(ranked, collection.groups.members)
    return [(entry, scores[entry.id]) for entry in ranked[:limit]]


@click.command("related")
@click.argument("target")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    metavar="N",
    help="Print at most N articles.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines: list --json's + score.")
@GROUP_OPTION
@click.pass_context
def related(ctx: click.Context, target: str, limit: int, as_json: bool, group: bool | None) -> None:
    """Print the cache's articles most related to TARGET, best first.

    TARGET is an article file in the cache (a path from here, or relative to
    the cache) or an article's URL (tracking parameters, http/https and www.
    do not matter). TARGET and its copies from other sources are left out,
    and so is what config.toml's hide rules match. Each row is a list row
    after its score; --json rows have list --json's keys plus "score".

    \b
    Examples:
      newsreader related 2024/coral-reefs.md --limit 5
      newsreader related 'http://example.com/story?utm_source=rss' --json
    """
    from reader.cli import _locations, _scan, _storage_warning
    from reader.config import load_config
    from reader.list_rows import copies_included
    from reader.similar_store import CANDIDATES

    locations = _locations(ctx)
    settings = load_config(locations.feeds_config_path, every_section=False).config
    source, _ = _scan(locations, settings.hide, settings.by_folders, folders_first=True)
    if not source.index.count():
        raise click.ClickException(f"no articles in {source.cache} to relate {target} to")
    entry = _by_url(source, target) if "://" in target else _by_path(source, target)
    assert entry.id is not None
    scores = dict(source.index.related(entry.id, max(limit, CANDIDATES)))
    # The candidates and their copies, not every article: at a million that took 4 s and 750 MB.
    collection = copies_included(source, list(source.index.entries_by_id(scores).values()))
    grouped = grouping_wanted(group, settings.list)
    for other, score in related_rows(collection, scores, limit, grouped):
        copies = collection.copies(other)
        if as_json:
            row = record(other, source.path_of(other), duplicate_urls(copies))
            echo_json(row | {"score": round(score, SCORE_DIGITS)})
        else:
            click.echo(f"{score:.3f}  {plain_row(other, len(copies) if grouped else 0)}")
    _storage_warning(ctx, source)
