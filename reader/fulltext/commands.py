"""``newsreader show`` and ``newsreader fulltext``: reading articles from the shell.

``show`` prints one article with the same text the reader shows (file body,
else full text, else excerpt); ``fulltext`` downloads the full text of the
articles that have no body. Both find articles through the index, as
``list`` does.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from reader.articles import Article, ArticleError, load_article
from reader.feeds.interrupt import stop_on_signals
from reader.fulltext.store import FullTextStore
from reader.paths import Locations, resolve


def _locations(ctx: click.Context) -> Locations:
    locations = ctx.find_object(Locations)
    return locations if locations is not None else resolve()


def _find(locations: Locations, target: str) -> Article:
    """The article at path ``target``, or the indexed article whose URL is ``target``."""
    from reader.library import Source

    candidate = Path(target).expanduser()
    if "://" not in target and candidate.is_file():
        try:
            return load_article(candidate)
        except ArticleError as exc:
            raise click.ClickException(f"{candidate}: {exc}") from None
    source = Source(locations)
    source.scan_first_look()  # in memory when the index file refuses writes
    matches = source.index.entries_with_url(target.strip())
    if not matches:
        kind = "URL" if "://" in target else "file or URL"
        raise click.ClickException(f"no article with that {kind} in {source.cache}: {target}")
    try:
        return load_article(source.path_of(matches[0]))
    except ArticleError as exc:
        raise click.ClickException(f"{source.path_of(matches[0])}: {exc}") from None


@click.command("show")
@click.argument("target")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "text", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown with a header, plain text for pagers, or one JSON object.",
)
@click.pass_context
def show(ctx: click.Context, target: str, fmt: str) -> None:
    """Print one article: TARGET is its file's path or its URL.

    The body is the file's own, else the full text fetched for its URL
    (`newsreader fulltext`), else the excerpt; JSON says which in
    `body_source` (file, fulltext or excerpt).
    """
    from reader.article_text import article_text, as_json, as_markdown, as_text

    locations = _locations(ctx)
    article = _find(locations, target)
    text = article_text(article, FullTextStore(locations.cache))
    render = {"markdown": as_markdown, "text": as_text, "json": as_json}[fmt]
    click.echo(render(article, text))


@click.command("fulltext")
@click.argument("query", required=False, default="")
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="At most N articles.")
@click.option("--retry", is_flag=True, help="Try again the pages that failed before.")
@click.pass_context
def fulltext(ctx: click.Context, query: str, limit: int | None, retry: bool) -> None:
    """Download the full text of matching articles that have no body yet.

    QUERY takes the search language of `newsreader list` (all articles when
    empty). Pages are fetched at most 4 at a time and one per site, with a
    10 s limit each; the text is kept in the cache's .newsreader folder,
    never in the article files. Exits 1 when any page failed.
    """
    from reader.library import SortKey, Source
    from reader.list_rows import listed
    from reader.sanitize import web_url

    locations = _locations(ctx)
    source = Source(locations)
    source.scan_first_look()  # in memory when the index file refuses writes
    if source.problem:
        click.echo(f"newsreader: {source.problem}", err=True)
    if source.is_samples or not source.index.count():
        raise click.ClickException(f"no articles in {source.cache}")
    store = FullTextStore(locations.cache)
    # What a query's words match, read from the index when they match few, as list reads it.
    quick = listed(source, SortKey.DATE, False, query, (None, None), False, None)
    rows = quick[1] if quick is not None else source.load().view(SortKey.DATE, False, None, query)
    wanted: list[str] = []
    skipped = 0
    for entry in rows:
        if limit is not None and len(wanted) >= limit:
            break
        known = store.get(entry.url)
        if not web_url(entry.url) or (known is not None and (known.ok or not retry)):
            skipped += 1
            continue
        try:
            has_body = bool(load_article(source.path_of(entry)).body.strip())
        except ArticleError:
            has_body = True  # unreadable now: nothing to complete
        if has_body:
            skipped += 1
        else:
            wanted.append(entry.url)
    with stop_on_signals() as interrupt:
        extracted, failed = fetch_with_bar(wanted, store, stop=interrupt.event)
        source.index.add_full_texts(store.texts(wanted))  # searchable from now on
    if interrupt.event.is_set():
        click.echo(f"Stopped by {interrupt.name}: {extracted} full texts kept.", err=True)
        sys.exit(interrupt.exit_code)
    click.echo(f"{extracted} extracted, {failed} failed, {skipped} skipped")
    if failed:
        sys.exit(1)


def fetch_with_bar(
    urls: list[str],
    store: FullTextStore,
    prefix: str = "",
    stop: threading.Event | None = None,
) -> tuple[int, int]:
    """Download the pages of ``urls`` with a progress bar on a terminal; list each failure.

    Returns how many were extracted and how many failed. Setting ``stop``
    ends the downloads early (failures are then not listed: the caller says
    why it stopped).
    """
    from reader.fulltext.download import fetch_full_texts

    stderr = click.get_text_stream("stderr")
    with click.progressbar(
        length=len(urls),
        label="Fetching pages",
        file=stderr,
        show_pos=True,
        hidden=not stderr.isatty() or not urls,
    ) as bar:
        outcomes = fetch_full_texts(urls, store, progress=lambda _outcome: bar.update(1), stop=stop)
    failed = [o for o in outcomes if not o.result.ok]
    for outcome in failed if stop is None or not stop.is_set() else ():
        click.echo(f"{prefix}failed: {outcome.url}: {outcome.result.error}", err=True)
    return len(outcomes) - len(failed), len(failed)
