"""The view state (``reader.view``): what the list shows, as one immutable value."""

from __future__ import annotations

from dataclasses import replace

from reader.library import SortKey
from reader.scopes import ALL, UNREAD, topic_scope
from reader.view import ViewState


def test_search_text_joins_the_scope_query_and_the_typed_text():
    assert ViewState().search_text == ""
    assert ViewState(scope=UNREAD, text="solar").search_text == "is:unread solar"
    assert ViewState(scope=UNREAD, text="solar").query.words


def test_equal_choices_are_equal_values():
    assert ViewState(text="a") == replace(ViewState(), text="a")
    assert ViewState(text="a") != ViewState(text="b")


def test_sort_key_cycles_date_and_quality_and_resets_the_direction():
    view = ViewState(reverse=True)
    assert view.next_sort() == ViewState(sort=SortKey.QUALITY)
    assert view.next_sort().next_sort() == ViewState(sort=SortKey.DATE)


def test_during_a_word_search_relevance_joins_the_cycle():
    view = ViewState(text="solar")
    steps = [view := view.next_sort() for _ in range(3)]
    assert [(v.sort, v.relevance) for v in steps] == [
        (SortKey.QUALITY, False),
        (SortKey.QUALITY, True),
        (SortKey.DATE, False),
    ]
    assert steps[1].by_relevance and not replace(steps[1], text="is:unread").by_relevance


def test_cleared_keeps_scope_and_order():
    view = ViewState(scope=UNREAD, text="x", sort=SortKey.QUALITY, reverse=True, relevance=True)
    assert view.cleared() == ViewState(scope=UNREAD, sort=SortKey.QUALITY, reverse=True)


def test_saved_search_keeps_the_scope():
    assert ViewState(scope=ALL).saved_search == ""
    assert ViewState(scope=ALL, text="solar").saved_search == "solar"
    assert ViewState(scope=UNREAD, text="solar").saved_search == "is:unread solar"
    topic = ViewState(scope=topic_scope("Climate science"), text="ice")
    assert topic.saved_search == 'topic:"Climate science" ice'
