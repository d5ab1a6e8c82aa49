"""The same story, found: one page under several addresses, or one wire text from several
providers; and not articles that merely share a subject."""

from __future__ import annotations

import pytest

from reader.duplicates import Story, duplicate_groups, normal_url

WIRE = (
    "Regulators in the port city approved a plan on Tuesday to replace the ageing ferry fleet "
    "with battery-electric vessels by 2030, citing lower running costs and cleaner air for the "
    "neighbourhoods along the harbour front."
)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("http://example.org/a/story", "https://example.org/a/story"),
        ("https://www.example.org/a/story", "https://example.org/a/story/"),
        (
            "https://example.org/a/story?utm_source=rss&utm_medium=feed",
            "https://example.org/a/story",
        ),
        ("https://example.org/a/story?fbclid=XYZ#comments", "https://Example.org/a/story"),
        ("https://example.org/a?b=2&a=1", "https://example.org/a?a=1&b=2&gclid=9"),
        ("https://example.org:443/a", "https://example.org/a"),
    ],
)
def test_addresses_of_one_page_normalise_alike(one, other):
    assert normal_url(one) == normal_url(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://example.org/a/story", "https://example.org/a/story-2"),
        ("https://example.org/a?id=1", "https://example.org/a?id=2"),
        ("https://example.org/a", "https://example.com/a"),
        ("https://example.org:8080/a", "https://example.org/a"),
    ],
)
def test_different_pages_stay_different(one, other):
    assert normal_url(one) != normal_url(other)


def test_one_page_under_several_addresses_is_one_group():
    stories = [
        Story("https://example.org/a?utm_source=x", "One title", "Example"),
        Story("https://example.org/b", "Another title", "Example"),
        Story("http://www.example.org/a/", "One title, edited", "Example"),
    ]
    assert duplicate_groups(stories) == [[0, 2]]


def test_a_wire_story_from_several_providers_is_one_group():
    stories = [
        Story("https://one.example/ferries", "Port approves electric ferries. " + WIRE, "One"),
        Story("https://two.example/news/1", "Port approves electric ferries " + WIRE, "Two"),
        Story("https://three.example/x", "City backs battery ferries. " + WIRE + " More.", "Three"),
        Story("https://four.example/y", "Ferries: a different story about fares", "Four"),
    ]
    assert duplicate_groups(stories) == [[0, 1, 2]]


def test_articles_on_one_subject_with_their_own_words_are_not_grouped():
    stories = [
        Story(
            "https://one.example/a",
            "The harbour's new electric ferries will start service in spring, the operator said, "
            "after sea trials showed the batteries last a full day of crossings.",
            "One",
        ),
        Story(
            "https://two.example/b",
            "Critics of the ferry electrification plan say the charging stations at the harbour "
            "will cost far more than the city has budgeted for the next five years.",
            "Two",
        ),
    ]
    assert duplicate_groups(stories) == []


def test_near_identical_text_from_one_provider_is_not_a_duplicate_by_text():
    """A provider's own follow-up repeats its wording; only other providers' copies are copies."""
    stories = [
        Story("https://one.example/a", WIRE, "One"),
        Story("https://one.example/b", WIRE + " Updated with a statement.", "One"),
    ]
    assert duplicate_groups(stories) == []


def test_short_texts_are_never_grouped_by_text():
    stories = [
        Story("https://one.example/a", "AI news today", "One"),
        Story("https://two.example/b", "AI news today", "Two"),
    ]
    assert duplicate_groups(stories) == []


def test_a_lower_threshold_groups_looser_copies():
    edited = WIRE.replace("Tuesday", "Wednesday").replace("cleaner air", "quieter streets")
    stories = [
        Story("https://one.example/a", WIRE, "One"),
        Story("https://two.example/b", edited, "Two"),
    ]
    assert duplicate_groups(stories) == []
    assert duplicate_groups(stories, threshold=0.6) == [[0, 1]]
