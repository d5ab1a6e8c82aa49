"""Every sentence the main screen shows about its state, as pure functions. No Textual.

The list title, the empty-list message, the samples banner and the status
line's parts are computed here from plain values, so their wording is
tested without a terminal and stays in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.article_text import FILE, FULLTEXT, ArticleText
from reader.library import SortKey
from reader.theme_styles import ALERT
from reader.view import ViewState

if TYPE_CHECKING:  # rich is imported when a caption is built: the CLI never needs it
    from rich.text import Text

IMPORT_HINT = "newsreader import PATH"
"""The command that brings articles in (the CLI says it too)."""
READING_INDEX = "Reading the index…"
"""The status while the index is first read."""
READING_NEW = "Reading new articles…"
"""The status while files written by a fetch are indexed."""


def reading_changed(done: int, total: int) -> str:
    """The status while many changed files (a folder moved in) are read a part at a time."""
    return f"Reading changed files: {done:,} of {total:,}…"


CHECKING_FILES = "Checking the files…"
"""The status once the whole list is loaded, while the files are compared with the index."""
CHECKING_EVERY = "checking every file for edits…"
"""After a start on a big cache that found new and removed files by folder times."""
STILL_COUNTING = "The list is still loading: try again in a moment."
"""What a key that needs the whole list says before it is in."""
FETCH_STOPPING = "Stopping the fetch…"
"""The status from a stop request until the fetch has stopped."""
NO_ARTICLE = "No article selected."
"""The detail pane's note when nothing is highlighted."""


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def order_caption(view: ViewState) -> str:
    """How the list is ordered, in words."""
    if view.by_relevance:
        return "by relevance, worst first" if view.reverse else "by relevance, best first"
    if view.sort is SortKey.DATE:
        return "by date, " + ("oldest first" if view.reverse else "newest first")
    return "by quality, " + ("lowest first" if view.reverse else "highest first")


def list_title(view: ViewState, shown: int, total: int, counting: bool = False) -> Text:
    """The line above the list: scope, how many rows (of how many, while searching), order.

    ``counting``: the rows are not known yet (the whole list is still loading).
    """
    from rich.text import Text

    count = f"{shown:,} of {total:,}" if view.text else f"{shown:,}"
    count = "counting…" if counting else count
    title = Text.assemble((view.scope.name, "bold"))
    if view.scope.problem:  # a feed whose last fetch failed: why, where the keyboard user looks
        title.append(f" · ! last fetch failed: {view.scope.problem}", style=ALERT)
    title.append(f" · {count} · {order_caption(view)}")
    if view.text:
        title.append(f" · search “{view.text}”", style="italic")
    return title


def empty_message(view: ViewState, loading: bool) -> str:
    """What the list area says when no row matches (``loading``: nothing loaded yet)."""
    kind = view.scope.kind
    if loading:
        return "Loading articles…"
    if view.text:
        return f"No articles match “{view.text}”.\nPress escape to clear the search."
    if kind == "unread":
        return "Nothing unread. Well done!\nChoose “All articles” on the left to see everything."
    if kind == "starred":
        return "No starred articles yet.\nPress f on an article to star it."
    if kind != "all":
        return f"No articles in “{view.scope.name}”.\nChoose another line on the left."
    return f"No articles yet.\nBring some in with: {IMPORT_HINT}"


def samples_banner(skipped: int) -> Text:
    """The banner over the bundled samples: why they are shown, and how to bring articles in."""
    from rich.text import Text

    if skipped == 1:  # the cache has files, but none could be read: "empty" would mislead
        why = " — the one file in your cache could not be read (press ! to see why). "
    elif skipped:
        why = f" — none of the {skipped:,} files in your cache could be read (press ! to see why). "
    else:
        why = " — your cache is empty. "
    hint = (IMPORT_HINT, "bold")
    return Text.assemble(("Sample articles", "bold"), why, "Bring your own: ", hint)


def counting(articles: int) -> str:
    """The status while the whole list loads behind its first screen."""
    return f"Counting {_plural(articles, 'article')}…"


def checked(articles: int, cache: str) -> str:
    """The status once the files are checked, while the whole list still loads."""
    return f"{_held(articles, False, cache)} · counting…"


def _held(articles: int, samples: bool, cache: str) -> str:
    where = "sample articles" if samples else f"articles in {cache}"
    return f"{articles:,} {where}"


def scan_progress(done: int, total: int) -> str:
    """The status during a scan."""
    percent = done * 100 // max(1, total)
    return f"Indexing {done:,}/{total:,} files ({percent}%)…"


def fetch_started(feeds: int) -> str:
    """The status as a fetch starts."""
    return f"Fetching {feeds} feed{'' if feeds == 1 else 's'}… (R to stop)"


def fetch_progress(done: int, total: int) -> str:
    """The status as feeds are fetched."""
    return f"Fetching feeds {done}/{total}… (R to stop)"


def pages_progress(done: int, total: int) -> str:
    """The status while the pages of new articles are downloaded after a fetch."""
    return f"Downloading full text {done}/{total}… (R to stop)"


def fetch_summary(
    new: int,
    failures: Sequence[tuple[str, str]],
    stopped: bool,
) -> tuple[str, str, str]:
    """The notification after a fetch: ``(message, title, severity)``."""
    summary = _plural(new, "new article")
    if stopped:
        summary = f"Fetch stopped; {summary} so far"
    if not failures:
        return summary, "Feeds fetched", "information"
    failed = "; ".join(f"{url}: {why}" for url, why in failures[:3])
    more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
    return f"{summary}. Failed: {failed}{more}", "Fetched, with failures", "warning"


def status_parts(
    *,
    fetch: str,
    scan: str | None,
    articles: int,
    samples: bool,
    cache: str,
    unread: int | None,
    skipped: int,
    errors: Sequence[str],
    problems: Sequence[str] = (),
    checking: bool = False,
) -> list[str]:
    """The status line's parts (``scan`` is None once no scan runs, ``unread`` before a count;
    ``checking``: every file is being checked behind the screen, see :data:`CHECKING_EVERY`).

    ``problems`` are the storage conditions (an index in memory, marks not
    saved): shown even during a scan, since they explain what follows.
    """
    parts = [fetch] if fetch else []
    if scan is not None:
        parts.append(scan)
    else:
        parts.append(_held(articles, samples, cache))
        if unread is not None:
            parts.append(f"{unread:,} unread")
        if checking:
            parts.append(CHECKING_EVERY)
        if skipped:
            parts.append(f"{_plural(skipped, 'file')} skipped (press ! to see why)")
    parts += (f"⚠ {problem}" for problem in problems if problem)
    if errors:
        parts.append("ignored: " + "; ".join(errors))
    return parts


def body_note(text: ArticleText, words_left: int) -> Text:
    """The line under the detail pane's body: what more there is, or how to get it."""
    from rich.text import Text

    more = f"{words_left:,} more words: enter reads them" if words_left else ""
    if text.source == FULLTEXT:
        return Text(f"Full text from the article's page · {more or 'enter to read'}", style="dim")
    if more:
        return Text(f"… {more}", style="dim")
    if text.source == FILE:
        return Text("")
    if text.fulltext is not None and text.fulltext.error:
        return Text(f"No full text: {text.fulltext.error} (X tries again)", style="dim")
    return Text("Only the excerpt · x downloads the full text", style="dim")
