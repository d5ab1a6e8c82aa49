"""The detail pane's related items in order, and finding a related article's row, without a
terminal."""

from __future__ import annotations

import datetime as dt

from reader.articles import Provider, Related
from reader.entry import Entry
from reader.library import Collection
from reader.navigation import MAX_CRUMBS, Breadcrumbs, Crumb, row_for, view_showing
from reader.related_items import Found, Kind, arrange, heading
from reader.scopes import ALL, topic_scope
from reader.view import ViewState

WHEN = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def entry(path: str, id: int, group: int | None = None, topics: str = "") -> Entry:
    return Entry(
        path, f"Title of {path}", WHEN.timestamp(), 50, None, "Prov", "prov.example",
        f"https://prov.example/{path}", "article", topics, id, group,
    )  # fmt: skip


HUB, STORAGE, PANELS, COPY = entry("hub", 1), entry("storage", 2), entry("panels", 3), entry("c", 4)
OWN = (
    Related("Storage, as the file calls it", url="http://storage.example/x"),
    Related("Not cached", url="https://elsewhere.example/", provider=Provider(name="Elsewhere")),
    Related("The article itself", url="https://hub.example/"),
    Related("No link at all"),
)
MEDIA = Related("▶ Audio", url="https://cdn.example/a.mp3", provider=Provider(domain="cdn.example"))


def test_before_the_index_answers_the_file_items_show_as_they_are():
    items = arrange(OWN, MEDIA, [COPY])
    assert [item.kind for item in items] == [Kind.MEDIA, Kind.COPY] + [Kind.LINK] * 4
    assert heading(items) == "Media\nSame story from 2 sources\nRelated (4)"


def test_cached_items_first_then_similar_then_the_rest_each_article_once():
    found = Found(
        HUB.id,
        by_url={"http://storage.example/x": STORAGE, "https://hub.example/": HUB},
        similar=[STORAGE, COPY, PANELS],  # the ones listed already are not listed again
    )
    items = arrange(OWN, MEDIA, [COPY], found)
    assert [(item.kind, item.entry.path if item.entry else item.title) for item in items] == [
        (Kind.MEDIA, "▶ Audio"),
        (Kind.COPY, "c"),
        (Kind.CACHED, "storage"),
        (Kind.SIMILAR, "panels"),
        (Kind.LINK, "Not cached"),
        (Kind.LINK, "No link at all"),
    ]
    cached = items[2]
    # The file's own words, with what the file leaves out taken from the cache.
    assert cached.title == "Storage, as the file calls it" and cached.url == OWN[0].url
    assert (cached.provider, cached.published, cached.quality) == ("Prov", WHEN.timestamp(), 50)
    assert cached.in_cache and items[3].in_cache
    assert not items[1].in_cache and not items[4].in_cache  # a copy is read, a link opened
    assert heading(items) == (
        "Media\nSame story from 2 sources\nRelated (3, 1 in your cache)\nSimilar in your cache (1)"
    )


def test_control_characters_in_cached_titles_are_stripped():
    hostile = entry("x", 9)._replace(title="Evil\x1b[31m red\x07", provider="P\x85q")
    (item,) = arrange((), found=Found(1, similar=[hostile]))
    assert item.title == "Evil red" and item.provider == "Pq"


def test_row_for_finds_the_row_or_its_story_row():
    folded = entry("rep", 7, group=4)
    assert row_for(STORAGE, [HUB, STORAGE]) is STORAGE
    assert row_for(entry("c", 4, group=4), [HUB, folded]) is folded  # a list that folds copies
    assert row_for(PANELS, [HUB, STORAGE]) is None


def test_view_showing_switches_to_all_articles_in_the_same_order():
    energy = entry("e", 10, topics="Energy")
    science = entry("s", 11, topics="Science")
    collection = Collection([energy, science])
    view = ViewState(scope=topic_scope("Energy"), text="words", reverse=True)
    shown = view_showing(science, view, collection, set(), set())
    assert shown == ViewState(scope=ALL, reverse=True)
    assert view_showing(entry("gone", 99), view, collection, set(), set()) is None


def test_breadcrumbs_keep_the_latest_steps():
    crumbs = Breadcrumbs()
    for number in range(MAX_CRUMBS + 5):
        crumbs.push(Crumb(ViewState(text=str(number)), None))
    assert len(crumbs) == MAX_CRUMBS
    assert crumbs.pop().view.text == str(MAX_CRUMBS + 4)
    while crumbs.pop() is not None:
        pass
    assert crumbs.pop() is None
