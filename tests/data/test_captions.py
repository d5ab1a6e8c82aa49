"""What the main screen says (``reader.captions``): titles, empty states, banner, status."""

from __future__ import annotations

from reader.captions import (
    IMPORT_HINT,
    empty_message,
    fetch_progress,
    fetch_started,
    fetch_summary,
    list_title,
    samples_banner,
    scan_progress,
    status_parts,
)
from reader.library import SortKey
from reader.scopes import ALL, STARRED, UNREAD, topic_scope, view_scope
from reader.view import ViewState


def test_list_title_names_scope_count_and_order():
    assert list_title(ViewState(), 12, 12).plain == "All articles · 12 · by date, newest first"
    view = ViewState(scope=topic_scope("Energy"), sort=SortKey.QUALITY, reverse=True)
    assert list_title(view, 3, 3).plain == "Energy · 3 · by quality, lowest first"


def test_list_title_while_searching_says_of_how_many_and_what():
    title = list_title(ViewState(text="solar"), 2, 49)
    assert title.plain == "All articles · 2 of 49 · by date, newest first · search “solar”"
    assert title.spans[-1].style == "italic"


def test_relevance_is_the_order_only_while_words_are_searched():
    ranked = ViewState(text="solar", relevance=True)
    assert "by relevance, best first" in list_title(ranked, 1, 2).plain
    reverse = ViewState(text="solar", relevance=True, reverse=True)
    assert "by relevance, worst first" in list_title(reverse, 1, 2).plain
    assert "by date" in list_title(ViewState(text="is:unread", relevance=True), 1, 2).plain


def test_empty_messages_say_why_and_what_to_do():
    assert empty_message(ViewState(), loading=True) == "Loading articles…"
    assert empty_message(ViewState(text="zebra"), False).startswith("No articles match “zebra”.")
    assert empty_message(ViewState(scope=UNREAD), False).startswith("Nothing unread.")
    assert empty_message(ViewState(scope=STARRED), False).startswith("No starred articles yet.")
    assert empty_message(ViewState(scope=view_scope("mine", "x")), False).startswith(
        "No articles in “mine”."
    )
    assert empty_message(ViewState(scope=ALL), False).endswith(IMPORT_HINT)


def test_samples_banner_says_why_the_samples_are_shown():
    assert samples_banner(0).plain == (
        f"Sample articles — your cache is empty. Bring your own: {IMPORT_HINT}"
    )
    assert "the one file in your cache could not be read" in samples_banner(1).plain
    assert "none of the 1,200 files in your cache" in samples_banner(1200).plain


def test_progress_and_fetch_captions():
    assert scan_progress(5, 20) == "Indexing 5/20 files (25%)…"
    assert scan_progress(0, 0) == "Indexing 0/0 files (0%)…"
    assert fetch_started(1) == "Fetching 1 feed… (R to stop)"
    assert fetch_started(3) == "Fetching 3 feeds… (R to stop)"
    assert fetch_progress(2, 3) == "Fetching feeds 2/3… (R to stop)"


def test_fetch_summary_names_failures_and_stops():
    assert fetch_summary(1, [], False) == ("1 new article", "Feeds fetched", "information")
    assert fetch_summary(0, [], True)[0] == "Fetch stopped; 0 new articles so far"
    failures = [(f"https://f{n}.test", "404") for n in range(5)]
    message, title, severity = fetch_summary(2, failures, False)
    assert message == (
        "2 new articles. Failed: https://f0.test: 404; https://f1.test: 404; "
        "https://f2.test: 404 (and 2 more)"
    )
    assert (title, severity) == ("Fetched, with failures", "warning")


def test_status_parts_while_scanning_and_after():
    common = dict(articles=12, samples=False, cache="/c", unread=3, skipped=0, errors=())
    assert status_parts(fetch="", scan="Reading the index…", **common) == ["Reading the index…"]
    assert status_parts(fetch="F", scan=None, **common) == ["F", "12 articles in /c", "3 unread"]
    parts = status_parts(
        fetch="", scan=None, **{**common, "samples": True, "skipped": 1, "errors": ("a", "b")}
    )
    assert parts == [
        "12 sample articles",
        "3 unread",
        "1 file skipped (press ! to see why)",
        "ignored: a; b",
    ]
