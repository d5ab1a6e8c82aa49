"""Remove the old articles of feeds, as ``keep_days`` and ``max_items`` ask.

Removing cannot be undone, so only the program's own files go:

- only files in ``<cache>/feeds/<domain>/``, the folder a configured feed's
  last fetch wrote to (:mod:`reader.feeds.status`), and only those the
  program wrote and nobody changed since (:mod:`reader.feeds.owned`);
- a starred article always stays, an unread one unless ``prune_unread``;
- each file is looked at again just before it is removed, and left alone
  if it changed since the plan was made.

A feed's articles are the files in its folder (with its provider name, when
two feeds share the folder), as ``newsreader feeds list`` counts them. The
index needs no help: its next scan drops the files that are gone.
"""

from __future__ import annotations

import os
import stat
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.feeds.config import Feed, FeedConfigError, load_policy
from reader.feeds.ledger import Ledger, mark_of
from reader.feeds.owned import Candidate, own_files
from reader.feeds.policy import Policy
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.paths import Locations

if TYPE_CHECKING:
    from reader.feeds.fetcher import FetchReport
    from reader.feeds.store import ArticleWriter

DAY_SECONDS = 24 * 60 * 60
STATE_WAIT = 2.0
"""Seconds to wait for the read marks while another instance writes them."""


class PruneError(Exception):
    """Nothing could be pruned; ``str()`` is the one-line reason."""


@dataclass
class FeedPlan:
    """What goes from one feed."""

    url: str
    title: str
    remove: list[Candidate] = field(default_factory=list)


@dataclass
class PrunePlan:
    """What a prune would remove, and what it keeps only because of its marks."""

    feeds: list[FeedPlan] = field(default_factory=list)
    """Feeds with something to remove, in config order."""
    kept_starred: int = 0
    """Articles past a limit kept because they are starred."""
    kept_unread: int = 0
    """Articles past a limit kept because they are unread (and ``prune_unread`` is off)."""
    warnings: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(feed.remove) for feed in self.feeds)


@dataclass
class PruneResult:
    """What a prune did."""

    removed: int = 0
    feeds: int = 0
    """Feeds that lost at least one article."""
    kept_starred: int = 0
    kept_unread: int = 0
    warnings: list[str] = field(default_factory=list)
    """One line per problem (a file that could not be removed, the ledger not saved)."""


def open_ledger(locations: Locations) -> Ledger:
    """The ledger of the files written into this run's cache."""
    return Ledger(locations.cache)


def prunes(feeds: Iterable[Feed], defaults: Policy) -> bool:
    """Whether any of ``feeds`` has a prune rule."""
    return any(feed.policy(defaults).prunes for feed in feeds)


def read_marks(locations: Locations) -> tuple[set[str], set[str]]:
    """The keys of read and of starred articles; :class:`PruneError` when unknown.

    Pruning without the stars could remove a starred article, so a marks
    file that cannot be read stops the prune rather than counting as empty.
    """
    from reader.state import UNSAVED, StateStore

    unsaved = locations.state_path.with_name(locations.state_path.name + UNSAVED)
    if not os.path.lexists(locations.state_path) and not os.path.lexists(unsaved):
        return set(), set()  # no mark was ever made: everything is unread and unstarred
    state = StateStore(locations.state_path, wait=STATE_WAIT)
    read, starred = set(state.read), set(state.starred)
    loaded, reason = state.loaded, state.reason or state.problem
    state.close()
    if not loaded:
        raise PruneError(f"cannot read the marks: {reason or 'unknown reason'}")
    return read, starred


def plan_prune(
    locations: Locations,
    feeds: list[Feed],
    defaults: Policy,
    *,
    ledger: Ledger | None = None,
    now: float | None = None,
) -> PrunePlan:
    """What pruning ``feeds`` would remove now; :class:`PruneError` when the marks are unknown."""
    plan = PrunePlan()
    policies = {feed.url: feed.policy(defaults) for feed in feeds}
    if not any(policy.prunes for policy in policies.values()):
        return plan
    read, starred = read_marks(locations)
    ledger = ledger or open_ledger(locations)
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    statuses = {feed.url: store.get(feed.url) for feed in feeds}
    sharing: dict[str, int] = defaultdict(int)
    for status in statuses.values():
        if status.domain:
            sharing[status.domain] += 1
    now = time.time() if now is None else now
    folders: dict[str, list[Candidate]] = {}
    taken: set[Path] = set()
    for feed in feeds:
        policy, status = policies[feed.url], statuses[feed.url]
        if not policy.prunes or not status.domain:
            continue
        if status.domain not in folders:
            folders[status.domain], problem = own_files(locations.cache, status.domain, ledger)
            plan.warnings.extend([problem] if problem else [])
        mine = folders[status.domain]
        if sharing[status.domain] > 1:
            mine = [c for c in mine if c.provider == status.provider]
        mine = sorted(mine, key=lambda c: (c.when, c.relative), reverse=True)
        cutoff = now - policy.keep_days * DAY_SECONDS if policy.keep_days else None
        going = FeedPlan(feed.url, feed.name or status.title or status.domain)
        for rank, candidate in enumerate(mine):
            over = bool(policy.max_items) and rank >= policy.max_items
            if not (over or (cutoff is not None and candidate.when < cutoff)):
                continue
            if candidate.path in taken:
                continue
            if candidate.key in starred:
                plan.kept_starred += 1
            elif candidate.key not in read and not policy.prune_unread:
                plan.kept_unread += 1
            else:
                taken.add(candidate.path)
                going.remove.append(candidate)
        if going.remove:
            plan.feeds.append(going)
    return plan


def perform(plan: PrunePlan, ledger: Ledger) -> PruneResult:
    """Remove what ``plan`` lists, each file only if it is still as planned; save the ledger."""
    result = PruneResult(
        kept_starred=plan.kept_starred, kept_unread=plan.kept_unread, warnings=list(plan.warnings)
    )
    for feed in plan.feeds:
        gone, failed = 0, []
        for candidate in feed.remove:
            try:
                now = os.lstat(candidate.path)
                if not _unchanged(candidate.info, now):
                    continue  # changed since the plan: looked at again on the next prune
                os.unlink(candidate.path)
            except FileNotFoundError:
                ledger.forget(candidate.relative)  # someone else removed it: nothing to do
                continue
            except OSError as exc:
                failed.append(f"{candidate.path}: {exc.strerror or exc}")
                continue
            ledger.pruned(candidate.relative)
            gone += 1
        if failed:
            more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
            result.warnings.append(f"cannot remove {failed[0]}{more}")
        result.removed += gone
        result.feeds += gone > 0
    try:
        ledger.save()
    except OSError as exc:
        result.warnings.append(
            f"could not save the list of written files {ledger.path}: {exc.strerror or exc}"
        )
    return result


def _unchanged(before: os.stat_result, after: os.stat_result) -> bool:
    return (
        stat.S_ISREG(after.st_mode)
        and (before.st_dev, before.st_ino) == (after.st_dev, after.st_ino)
        and mark_of(before) == mark_of(after)
    )


def prune(
    locations: Locations,
    feeds: list[Feed],
    defaults: Policy,
    *,
    ledger: Ledger | None = None,
    now: float | None = None,
) -> PruneResult:
    """Plan and remove in one go; :class:`PruneError` when the marks cannot be read."""
    ledger = ledger or open_ledger(locations)
    return perform(plan_prune(locations, feeds, defaults, ledger=ledger, now=now), ledger)


def after_fetch(
    locations: Locations,
    feeds: list[Feed],
    writer: ArticleWriter,
    report: FetchReport,
) -> None:
    """Record the files a fetch wrote, then prune its feeds (unless it was stopped).

    Never raises: what goes wrong is a warning in ``report``, and
    ``report.pruned`` says how many articles went.
    """
    ledger = open_ledger(locations)
    for path, info in writer.written.items():
        ledger.record(path, info)
    for path in writer.pruned_offered:
        ledger.pruned(ledger.relative(path))  # still offered: still not to be written again
    try:
        if not report.stopped:
            defaults = load_policy(locations.feeds_config_path)
            if prunes(feeds, defaults):
                result = prune(locations, feeds, defaults, ledger=ledger)  # saves the ledger
                report.pruned = result.removed
                report.warnings.extend(result.warnings)
                return
    except (FeedConfigError, PruneError) as exc:
        report.warnings.append(f"nothing pruned: {exc}")
    except Exception as exc:  # noqa: BLE001 - a prune must never cost the fetch its report
        report.warnings.append(f"nothing pruned: unexpected error: {type(exc).__name__}: {exc}")
    try:
        ledger.save()
    except OSError as exc:
        report.warnings.append(
            f"could not save the list of written files {ledger.path}: {exc.strerror or exc}"
        )


def _articles(count: int) -> str:
    return f"{count:,} article{'' if count == 1 else 's'}"


def summary(removed: int, feeds: int, kept_starred: int, kept_unread: int, *, dry: bool) -> str:
    """``Removed 12 articles from 3 feeds (kept 4 starred, 9 unread).``"""
    text = f"{'Would remove' if dry else 'Removed'} {_articles(removed)}"
    if removed:
        text += f" from {feeds} feed{'' if feeds == 1 else 's'}"
    kept = [f"{kept_starred:,} starred"] if kept_starred else []
    kept += [f"{kept_unread:,} unread"] if kept_unread else []
    if kept:
        text += f" (kept {', '.join(kept)})"
    return text + "."
