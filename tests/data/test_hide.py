"""Hide rules: config.toml's ``hide`` read (``reader.config.hide``), and what the rules leave out
of the list, the counts and the loaded collection (``reader.hiding``, ``reader.library``)."""

from __future__ import annotations

from itertools import compress
from pathlib import Path

import pytest
from conftest import write_article

from reader.config import load_config
from reader.config.hide import parse_hide
from reader.config.model import Problem
from reader.entry import TOPIC_SEP, Entry
from reader.filtering import Rows
from reader.hiding import HideRules
from reader.library import Collection, SortKey, Source, preload
from reader.paths import Locations
from reader.qualifiers import Marks
from reader.query import parse_query
from reader.scopes import HIDDEN, Counts
from reader.topic_names import TopicNames
from reader.view import ScopeSize, ViewState


def entry(n: int, title: str, provider="Wire", domain="wire.test", topics=()) -> Entry:
    return Entry(
        f"a{n}.md",
        title,
        float(n),
        n,
        None,
        provider,
        domain,
        f"https://{domain}/{n}",
        "article",
        TOPIC_SEP.join(topics),
        n,
    )


ENTRIES = [
    entry(1, "Rates rise again"),
    entry(2, "Sponsored: a better mattress", "Ads Daily", "ads.example.com"),
    entry(3, "Unsponsored opinion"),
    entry(4, "SPONSORED content for you"),
    entry(5, "Election night", "Example", "example.com", topics=("Politics",)),
    entry(6, "Quiet week", "Other", "other.test", topics=("AI",)),
]


def titles(rows: list[Entry]) -> list[str]:
    return [e.title for e in rows]


# --- parse_hide -------------------------------------------------------------------------------


def test_the_rules_are_kept_in_order() -> None:
    problems: list[Problem] = []
    rules = ["provider:example.com", 'title:"sponsored"', "crypto"]
    assert parse_hide({"hide": rules}, problems) == tuple(rules)
    assert problems == []


def test_no_hide_key_means_no_rules() -> None:
    problems: list[Problem] = []
    assert parse_hide({"theme": "nord"}, problems) == ()
    assert problems == []


@pytest.mark.parametrize("value", ["provider:example.com", 3, {"a": "b"}])
def test_a_hide_that_is_not_a_list_is_a_problem_and_hides_nothing(value) -> None:
    problems: list[Problem] = []
    assert parse_hide({"hide": value}, problems) == ()
    assert [p.path for p in problems] == [("hide",)]
    assert "list" in problems[0].message


def test_each_bad_rule_is_a_problem_at_its_index_and_the_others_are_kept() -> None:
    problems: list[Problem] = []
    rules = ["provider:a.test", 7, "after:yesterday", "", "  -  ", "is:unread", "title:x"]
    assert parse_hide({"hide": rules}, problems) == ("provider:a.test", "title:x")
    assert [p.path for p in problems] == [("hide", i) for i in (1, 2, 3, 4, 5)]
    messages = [p.message for p in problems]
    assert "query" in messages[0]
    assert "after:yesterday" in messages[1] and "date" in messages[1]
    assert "every article" in messages[2] and "every article" in messages[3]
    assert "is:" in messages[4]


def test_load_config_reads_the_rules_and_reports_the_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('hide = ["provider:example.com", "quality:lots"]\n', encoding="utf-8")
    loaded = load_config(path)
    assert loaded.config.hide == ("provider:example.com",)
    assert [p.path for p in loaded.problems] == [("hide", 1)]


# --- which entries a rule hides -------------------------------------------------------------


def test_a_provider_rule_hides_that_provider_by_name_or_domain() -> None:
    shown, hidden = HideRules(["provider:example.com"]).split(ENTRIES, None)
    assert titles(hidden) == ["Sponsored: a better mattress", "Election night"]
    assert len(shown) == 4 and not set(titles(shown)) & set(titles(hidden))


def test_a_title_rule_hides_the_whole_word_in_any_case() -> None:
    shown, hidden = HideRules(['title:"sponsored"']).split(ENTRIES, None)
    assert titles(hidden) == ["Sponsored: a better mattress", "SPONSORED content for you"]
    assert "Unsponsored opinion" in titles(shown)  # a word, not a part of one


def test_a_title_phrase_needs_its_words_together() -> None:
    _, hidden = HideRules(['title:"sponsored content"']).split(ENTRIES, None)
    assert titles(hidden) == ["SPONSORED content for you"]


def test_a_rule_that_matches_nothing_leaves_the_same_list() -> None:
    shown, hidden = HideRules(["provider:nowhere.test"]).split(ENTRIES, None)
    assert shown is ENTRIES and hidden == []


def test_an_invalid_rule_is_left_out_and_the_others_apply() -> None:
    rules = HideRules(["after:someday", "is:read", "", "topic:Politics"])
    assert len(rules.queries) == 1
    _, hidden = rules.split(ENTRIES, None)
    assert titles(hidden) == ["Election night"]


def test_without_usable_rules_nothing_is_hidden() -> None:
    rules = HideRules(["is:unread"])
    assert not rules
    assert rules.split(ENTRIES, None) == (ENTRIES, [])


def test_rules_add_up_and_qualifiers_of_one_rule_all_apply() -> None:
    rules = HideRules(["provider:wire quality:>3", "topic:ai"])
    _, hidden = rules.split(ENTRIES, None)
    assert titles(hidden) == ["SPONSORED content for you", "Quiet week"]


def test_a_topic_rule_follows_the_topic_renames() -> None:
    names = TopicNames({"AI": "Artificial Intelligence"})
    renamed = names.apply(ENTRIES)
    _, hidden = HideRules(["topic:AI"], names).split(renamed, None)
    assert titles(hidden) == ["Quiet week"]


def test_free_words_without_an_index_look_in_titles_and_providers() -> None:
    _, hidden = HideRules(["mattress"]).split(ENTRIES, None)
    assert titles(hidden) == ["Sponsored: a better mattress"]


def test_free_words_use_the_full_text_match() -> None:
    asked: list[str] = []

    def match(expression: str) -> set[int]:
        asked.append(expression)
        return {5, 6}

    _, hidden = HideRules(["election provider:example"]).split(ENTRIES, match)
    assert titles(hidden) == ["Election night"]
    assert asked == ['"election"*']  # as `newsreader list election` searches


# --- the collection, the views and the counts ---------------------------------------------------


def hiding(rules: list[str]) -> Collection:
    return Collection.hiding(ENTRIES, HideRules(rules))


def test_hidden_entries_are_in_no_view_and_listed_on_their_own() -> None:
    collection = hiding(["provider:example.com"])
    assert len(collection) == 4 and len(collection.hidden) == 2
    assert titles(collection.view(SortKey.DATE, text="election")) == []
    assert titles(collection.view(SortKey.DATE, topic="Politics")) == []
    hidden = ViewState(scope=HIDDEN).rows(collection, set(), set())
    assert titles(hidden) == ["Election night", "Sponsored: a better mattress"]
    assert ViewState().rows(collection, set(), set()) == collection.sorted(SortKey.DATE)


def test_a_search_in_the_hidden_scope_searches_the_hidden_ones() -> None:
    collection = hiding(["provider:example.com"])
    view = ViewState(scope=HIDDEN, text="election")
    assert titles(view.rows(collection, set(), set())) == ["Election night"]
    assert ScopeSize().of(view, collection, 1, set(), set()) == 2


def test_no_rules_no_hidden_collection() -> None:
    collection = hiding([])
    assert collection.hidden is None and len(collection) == len(ENTRIES)
    assert ViewState(scope=HIDDEN).rows(collection, set(), set()) == []


def test_counts_leave_the_hidden_out_and_count_them_apart() -> None:
    collection = hiding(["provider:example.com"])
    read = {"https://example.com/5"}
    starred = {"https://example.com/5", "https://wire.test/1"}
    counts = Counts(collection.entries, read, starred, collection.hidden.entries)
    assert (counts.total, counts.unread, counts.starred) == (4, 4, 1)
    assert (counts.hidden_total, counts.hidden_unread) == (2, 1)
    assert "Politics" not in dict((t, n) for t, n, _ in counts.topics())
    assert counts.source("example.com") == (0, 0)
    unread_hidden = collection.hidden.entries[0]
    assert unread_hidden.title == "Sponsored: a better mattress"
    counts.read_changed([unread_hidden], True)
    counts.stars_changed([unread_hidden], True)
    assert (counts.unread, counts.starred) == (4, 1)  # a hidden article's marks count apart
    assert counts.hidden_unread == 0
    counts.read_changed([collection.entries[0]], True)
    counts.stars_changed([collection.entries[0]], True)
    assert (counts.unread, counts.starred) == (3, 2)
    assert Counts(collection.entries, read, starred).hidden_total is None


# --- the cache: loading and live changes -------------------------------------------------------


def article(cache: Path, name: str, title: str, provider: str) -> None:
    write_article(
        cache,
        name,
        f"{title}, the body.",
        title=title,
        originalUrl=f"https://{provider}/{name}",
        provider={"name": provider, "domain": provider},
        topics=["News"],
    )


@pytest.fixture
def locations(cache: Path, tmp_path: Path) -> Locations:
    article(cache, "a.md", "Plain news", "wire.test")
    article(cache, "b.md", "Sponsored post", "wire.test")
    article(cache, "c.md", "From the spam farm", "spam.example")
    return Locations(cache=cache, config=tmp_path / "config", data=tmp_path / "data")


@pytest.mark.parametrize("apart", [False, True], ids=["titles held", "titles apart"])
def test_a_source_loads_with_its_rules_and_hides_live_changes(
    locations: Locations, apart: bool
) -> None:
    source = Source(locations, ["provider:spam.example", "title:sponsored", "farm2"])
    try:
        source.scan()
        loaded = source.load(apart=apart)
        loaded.sorted(SortKey.DATE)
        assert titles(loaded.entries) == ["Plain news"]
        assert sorted(titles(loaded.hidden.entries)) == ["From the spam farm", "Sponsored post"]
        article(locations.cache, "d.md", "More spam", "spam.example")
        article(locations.cache, "e.md", "Another sponsored one", "wire.test")
        article(locations.cache, "f.md", "Farm2 news", "wire.test")  # a free word, through FTS
        article(locations.cache, "b.md", "No longer an ad", "wire.test")  # was hidden, now shown
        article(locations.cache, "g.md", "Fresh news", "wire.test")
        changed = ["b.md", "d.md", "e.md", "f.md", "g.md"]
        collection, _ = source.apply(loaded, changed)
        assert sorted(titles(collection.entries)) == ["Fresh news", "No longer an ad", "Plain news"]
        assert sorted(titles(collection.hidden.entries)) == [
            "Another sponsored one",
            "Farm2 news",
            "From the spam farm",
            "More spam",
        ]
    finally:
        source.index.close()


def test_a_source_without_rules_hides_nothing(locations: Locations) -> None:
    source = Source(locations)
    try:
        source.scan()
        loaded = source.load()
        assert len(loaded) == 3 and loaded.hidden is None
    finally:
        source.index.close()


def test_preload_reads_the_rules_from_config_toml(locations: Locations) -> None:
    locations.feeds_config_path.parent.mkdir(parents=True)
    locations.feeds_config_path.write_text('hide = ["provider:spam.example"]\n', encoding="utf-8")
    Source(locations).scan_index()  # the preload reads the index as it is: fill it first
    ready = preload(locations).result(timeout=30)
    try:
        head = ready.page.head(SortKey.DATE, False)
        assert titles(head.hidden.entries) == ["From the spam farm"]
        assert len(head) == 2
    finally:
        if ready.diff is not None:
            ready.diff.cancel()
        ready.source.index.close()


@pytest.mark.parametrize(
    "text",
    ["provider:wire", "title:sponsored quality:>2", "topic:politics", "source:example", "type:x"],
)
def test_a_rule_mask_keeps_what_the_filter_keeps(text: str) -> None:
    query = parse_query(text)
    rows = Rows(ENTRIES)
    mask = rows.mask(query, None, Marks())
    assert list(compress(ENTRIES, mask)) == rows.filtered(query, None, Marks())
    assert rows.mask(parse_query(""), None, Marks()) is None  # nothing asked: every row


def test_title_words_are_narrowed_by_the_index_then_checked_whole() -> None:
    asked: list[str] = []

    def match(expression: str) -> set[int]:
        asked.append(expression)
        return {2, 3}  # the index's tokens: "sponsored" in both; the pattern decides

    _, hidden = HideRules(["title:Sponsored", "title:café"]).split(ENTRIES, match)
    assert titles(hidden) == ["Sponsored: a better mattress"]  # not "Unsponsored opinion"
    assert asked == ['title : "sponsored"']  # "café" is not plain ASCII: checked on every title
