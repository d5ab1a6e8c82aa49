"""Removing an unsubscribed feed's articles too, when the user asks for it.

The same files pruning would consider the feed's (:mod:`reader.feeds.prune`):
the program's own files, unchanged since it wrote them, in the folder the
feed's last fetch wrote to, told apart by provider name when another
subscribed feed shares the folder. A starred article stays, as pruning
keeps it; unread ones go, since the user asked for the feed's articles to
go. Each file is looked at again just before it is removed.
"""

from __future__ import annotations

from reader.feeds.config import Feed
from reader.feeds.ledger import Ledger
from reader.feeds.owned import own_files
from reader.feeds.prune import FeedPlan, PrunePlan, PruneResult, open_ledger, perform, read_marks
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.paths import Locations


def removal_plan(
    locations: Locations, feed: Feed, others: list[Feed], ledger: Ledger | None = None
) -> PrunePlan:
    """What removing ``feed``'s articles would remove (``others``: the feeds that stay).

    Raises :class:`~reader.feeds.prune.PruneError` when the stars cannot be read.
    """
    _, starred = read_marks(locations)
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    status = store.get(feed.url)
    plan = PrunePlan()
    if not status.domain:
        return plan  # never fetched into this cache: it has no articles here
    files, problem = own_files(locations.cache, status.domain, ledger or open_ledger(locations))
    plan.warnings.extend([problem] if problem else [])
    if any(store.get(other.url).domain == status.domain for other in others):
        files = [candidate for candidate in files if candidate.provider == status.provider]
    going = FeedPlan(feed.url, feed.name or status.title or status.domain)
    for candidate in files:
        if candidate.key in starred:
            plan.kept_starred += 1
        else:
            going.remove.append(candidate)
    if going.remove:
        plan.feeds.append(going)
    return plan


def remove_articles(locations: Locations, feed: Feed, others: list[Feed]) -> PruneResult:
    """Remove ``feed``'s own articles but the starred ones; PruneError when stars are unknown."""
    ledger = open_ledger(locations)
    return perform(removal_plan(locations, feed, others, ledger), ledger)
