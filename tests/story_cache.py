"""A hand-made cache whose related articles and duplicates are known (for ``related`` and ``list``).

Three articles about coral bleaching (``reef``, ``survey``, ``pacific``) and
three on subjects that share no word with them. ``reef`` has two copies: the
same address with tracking parameters over http (``reef-feed``), and the same
wire text from another provider (``reef-wire``). ``survey`` shares reef's
topic and many words, but is another story.
"""

from __future__ import annotations

from pathlib import Path

from conftest import write_article

REEF_URL = "https://ocean.example/2024/reef-bleaching"
FEED_URL = "http://www.ocean.example/2024/reef-bleaching/?utm_source=rss&utm_medium=feed"
WIRE_URL = "https://wire.example/stories/88123"
REEF_TITLE = "Coral reefs bleach as ocean heat breaks records"
REEF_EXCERPT = (
    "Marine biologists surveying the Great Barrier Reef found coral bleaching across hundreds "
    "of reefs after record ocean heat this summer, and warned that many corals may not recover "
    "before the next marine heatwave arrives."
)

STORIES = {
    "reef.md": dict(
        title=REEF_TITLE,
        excerpt=REEF_EXCERPT,
        originalUrl=REEF_URL,
        provider={"name": "Ocean Times", "domain": "ocean.example"},
        publishedDateTime="2024-03-01T08:00:00Z",
        topics=["Oceans", "Climate"],
    ),
    "feeds/reef-feed.md": dict(
        title=REEF_TITLE,
        excerpt="Corals bleached on the Great Barrier Reef.",
        originalUrl=FEED_URL,
        provider={"name": "Ocean Times", "domain": "ocean.example"},
        publishedDateTime="2024-03-01T07:00:00Z",
        topics=["Oceans"],
    ),
    "reef-wire.md": dict(
        title=REEF_TITLE,
        excerpt=REEF_EXCERPT,
        originalUrl=WIRE_URL,
        provider={"name": "Wire Service", "domain": "wire.example"},
        publishedDateTime="2024-03-01T06:00:00Z",
        topics=["Oceans"],
    ),
    "survey.md": dict(
        title="Aerial survey maps coral bleaching on the Great Barrier Reef",
        excerpt=(
            "Scientists flying over the Great Barrier Reef mapped coral bleaching on more reefs "
            "than in any earlier survey, blaming ocean heat."
        ),
        originalUrl="https://science.example/reef-survey",
        provider={"name": "Science Weekly", "domain": "science.example"},
        publishedDateTime="2024-03-03T10:00:00Z",
        topics=["Oceans", "Climate"],
    ),
    "pacific.md": dict(
        title="Heatwave bleaches corals in the Pacific",
        excerpt="Divers report coral bleaching on reefs around Fiji as ocean heat lingers.",
        originalUrl="https://pacific.example/corals",
        provider={"name": "Pacific News", "domain": "pacific.example"},
        publishedDateTime="2024-02-20T10:00:00Z",
        topics=["Oceans"],
    ),
    "ferries.md": dict(
        title="Autonomous electric ferries start service in Oslo harbour",
        excerpt="Driverless boats now carry commuters between the islands of the fjord.",
        originalUrl="https://transport.example/ferries",
        provider={"name": "Transport Daily", "domain": "transport.example"},
        publishedDateTime="2024-03-02T10:00:00Z",
        topics=["Transport"],
    ),
    "chess.md": dict(
        title="Chess engine wins championship with a new search",
        excerpt="The program beat grandmasters using a cheaper lookahead than its rivals.",
        originalUrl="https://games.example/chess",
        provider={"name": "Games Monthly", "domain": "games.example"},
        publishedDateTime="2024-03-02T11:00:00Z",
        topics=["Games"],
    ),
    "bread.md": dict(
        title="Sourdough bakers swap starter recipes",
        excerpt="Home bakers trade flour blends and proving times at a village fair.",
        originalUrl="https://food.example/sourdough",
        provider={"name": "Kitchen Notes", "domain": "food.example"},
        publishedDateTime="2024-03-02T12:00:00Z",
        topics=["Food"],
    ),
}
"""Front matter of each file, by its path in the cache."""
TITLES = {name: fields["title"] for name, fields in STORIES.items()}


def write_stories(cache: Path) -> Path:
    """Write :data:`STORIES` into ``cache``; return it."""
    for name, fields in STORIES.items():
        path = cache / name
        write_article(path.parent, path.name, f"{fields['excerpt']}\n", **fields)
    return cache
