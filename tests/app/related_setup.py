"""A hand-made cache with known related articles and one story from two providers."""

from __future__ import annotations

from pathlib import Path

from conftest import write_article
from textual.pilot import Pilot

from app.conftest import locations_for, wait_until
from reader.paths import Locations
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.detail_pane import DetailPane

STORAGE_URL = "https://batteries.example/grid-storage"
STORAGE_LINK = "http://www.batteries.example/grid-storage/?utm_source=rss&utm_medium=feed"
"""How the hub's related list spells the storage article's address."""
OUTSIDE_URL = "https://elsewhere.example/not-cached"
PANELS_URL = "https://science.example/desert-solar-panels"
WIRE_A_URL = "https://one.example/ferries"
WIRE_B_URL = "https://two.example/news/ferries"

WIRE = (
    "Regulators in the port city approved a plan on Tuesday to replace the ageing ferry fleet "
    "with battery-electric vessels by 2030, citing lower running costs and cleaner air for the "
    "neighbourhoods along the harbour front. The first two vessels are due next spring."
)
SOLAR = (
    "Desert solar farms keep growing: new photovoltaic panels track the sun across the dunes, "
    "and the solar farms now feed the desert towns at night from molten salt storage. "
)


def related_cache(tmp_path: Path) -> Locations:
    """hub (newest, Energy): related to storage (in the cache, another spelling of its address)
    and to a page outside it; panels (Science) says the same as hub in other words; two
    providers carry one wire story (the first related to storage); two fillers
    give the words their weights."""
    locations = locations_for(tmp_path)
    cache = locations.cache

    def article(name: str, title: str, body: str, day: int, url: str, **fields) -> None:
        fields.setdefault("topics", ["Energy"])
        fields.setdefault("provider", {"name": "Solar Daily", "domain": "solar.example"})
        write_article(
            cache,
            name,
            body,
            title=title,
            excerpt=body[:160],
            publishedDateTime=f"2026-11-{day:02d}T09:00:00Z",
            webUrl=url,
            **fields,
        )

    article(
        "hub.md",
        "Desert solar farms double their output",
        SOLAR + "Operators of the desert solar farms report record photovoltaic output.",
        25,
        "https://solar.example/desert-farms",
        related=[
            {"title": "Grid storage steps in after dark", "webUrl": STORAGE_LINK},
            {
                "title": "A page the cache does not hold",
                "webUrl": OUTSIDE_URL,
                "provider": {"name": "Elsewhere"},
            },
        ],
    )
    article(
        "storage.md",
        "Grid storage steps in after dark",
        "Utilities install lithium batteries beside substations to cover the evening peak.",
        20,
        STORAGE_URL,
        provider={"name": "Battery World", "domain": "batteries.example"},
    )
    article(
        "panels.md",
        "Photovoltaic panels in the desert track the sun",
        SOLAR + "Researchers measured how desert dust lowers photovoltaic panel output.",
        21,
        PANELS_URL,
        topics=["Science"],
        provider={"name": "Science Weekly", "domain": "science.example"},
    )
    for name, url, provider, day, related in (
        (
            "wire-a.md",
            WIRE_A_URL,
            "Harbour Herald",
            24,
            [{"title": "Batteries", "webUrl": STORAGE_URL}],
        ),
        ("wire-b.md", WIRE_B_URL, "Coast Courier", 23, []),
    ):
        article(
            name,
            "Port approves electric ferries",
            WIRE,
            day,
            url,
            topics=["Transport"],
            provider={"name": provider, "domain": url.split("/")[2]},
            related=related,
        )
    article(
        "bread.md",
        "Sourdough starters need patience",
        "Bakers feed the starter flour and water every morning for a week before baking.",
        15,
        "https://kitchen.example/sourdough",
        topics=["Food"],
        provider={"name": "Kitchen Notes", "domain": "kitchen.example"},
    )
    article(
        "chess.md",
        "A quiet opening wins the championship",
        "The challenger chose a slow opening and ground out an endgame over six hours.",
        14,
        "https://games.example/chess-final",
        topics=["Games"],
        provider={"name": "Board Report", "domain": "games.example"},
    )
    return locations


async def related_ready(pilot: Pilot, screen: MainScreen) -> DetailPane:
    """Wait until the detail pane shows what the index says of the highlighted article."""
    pane, articles = screen.query_one(DetailPane), screen.query_one(ArticleList)
    await wait_until(
        pilot,
        lambda: pane.found_for is not None and pane.found_for == articles.highlighted,
        what="the related look-up",
    )
    await pilot.pause()
    return pane
