"""Copies of one story folded into one row: in the view's own order, with the number of the
other copies, in every view, and not at all when grouping is off."""

from __future__ import annotations

from reader.entry import Entry
from reader.grouping import Groups, collapse, groups_of
from reader.hiding import HideRules
from reader.library import Collection, SortKey
from reader.scopes import HIDDEN, topic_scope
from reader.view import ScopeSize, ViewState


def entry(path: str, published: float, quality: int, group: int | None = None, **kw) -> Entry:
    fields = {
        "title": kw.pop("title", f"Title {path}"),
        "published": published,
        "quality": quality,
        "heat": None,
        "provider": kw.pop("provider", "P"),
        "domain": "p.example",
        "url": f"https://p.example/{path}",
        "type": "article",
        "topics": kw.pop("topics", ""),
    }
    return Entry(path, **fields, id=kw.pop("id", None), group=group)


# A story in three copies (group 1), one in two (group 5), and two articles alone.
A1 = entry("a1", 100.0, 10, 1, title="Ferries go electric", topics="Boats")
A2 = entry("a2", 300.0, 90, 1, title="Ferries go electric (wire)", topics="Boats")
A3 = entry("a3", 200.0, 50, 1, title="Port backs electric ferries")
B1 = entry("b1", 250.0, 20, 5)
B2 = entry("b2", 150.0, 80, 5, topics="Boats")
C = entry("c", 400.0, 30, topics="Boats")
D = entry("d", 50.0, 70)
ALL = [A1, A2, A3, B1, B2, C, D]


def paths(rows: list[Entry]) -> list[str]:
    return [e.path for e in rows]


def test_collapse_keeps_the_first_copy_in_the_rows_own_order():
    groups = groups_of(ALL)
    by_date = sorted(ALL, key=lambda e: -e.published)  # c a2 b1 a3 b2 a1 d
    assert paths(collapse(by_date, groups)) == ["c", "a2", "b1", "d"]
    by_quality = sorted(ALL, key=lambda e: -e.quality)  # a2 b2 d a3 c b1 a1
    assert paths(collapse(by_quality, groups)) == ["a2", "b2", "d", "c"]
    oldest_first = by_date[::-1]
    assert paths(collapse(oldest_first, groups)) == ["d", "a1", "b2", "c"]


def test_collapse_returns_the_rows_themselves_when_nothing_folds():
    rows = [A1, B1, C, D]
    assert collapse(rows, groups_of(ALL)) is rows
    assert collapse(ALL, {}) is ALL


def test_a_group_of_one_loaded_copy_is_no_group():
    rows = [A1, C]
    groups = groups_of(rows)
    assert groups == {} and collapse(rows, groups) is rows
    assert Groups(rows).extra(A1) == 0


def test_extra_counts_the_other_copies_in_the_whole_collection():
    groups = Groups(ALL)
    assert (groups.extra(A1), groups.extra(A3), groups.extra(B2), groups.extra(C)) == (2, 2, 1, 0)
    assert paths(groups.copies(A1)) == ["a2", "a3"]  # newest first, without itself
    assert paths(groups.story(B1)) == ["b1", "b2"]


def test_stories_adds_every_other_copy_once():
    groups = Groups(ALL)
    assert sorted(paths(groups.stories([A2, C, A3]))) == ["a1", "a2", "a3", "c"]
    rows = [C, D]
    assert groups.stories(rows) is rows


def test_group_at_finds_the_story_of_a_file():
    groups = Groups(ALL)
    assert (groups.group_at(A3), groups.group_at(B1), groups.group_at(C)) == (1, 5, None)
    assert groups.group_at(A3._replace(title="Read again")) == 1  # another row of the same file


def test_the_same_view_is_folded_once():
    groups = Groups(ALL)
    rows = sorted(ALL, key=lambda e: -e.published)
    assert groups.collapse(rows) is groups.collapse(rows)
    assert groups.collapse(list(rows)) == groups.collapse(rows)


# --- views -----------------------------------------------------------------------------------


def shown(view: ViewState, collection: Collection) -> list[str]:
    return paths(view.rows(collection, set(), set()))


def test_every_order_and_scope_shows_each_story_once():
    collection = Collection(list(ALL))
    assert shown(ViewState(), collection) == ["c", "a2", "b1", "d"]
    assert shown(ViewState(sort=SortKey.QUALITY), collection) == ["a2", "b2", "d", "c"]
    assert shown(ViewState(reverse=True), collection) == ["d", "a1", "b2", "c"]
    # In a topic, the story's copies of that topic stand for it (a3 is not in Boats).
    assert shown(ViewState(scope=topic_scope("Boats")), collection) == ["c", "a2", "b2"]


def test_grouping_off_shows_every_copy():
    collection = Collection(list(ALL))
    assert shown(ViewState(grouped=False), collection) == ["c", "a2", "b1", "a3", "b2", "a1", "d"]


def test_a_search_matching_one_copy_shows_that_copy():
    collection = Collection(list(ALL))
    rows = ViewState(text="title:port").rows(collection, set(), set())
    assert paths(rows) == ["a3"]
    assert collection.groups.extra(rows[0]) == 2
    assert shown(ViewState(text="title:ferries"), collection) == ["a2"]


def test_a_marks_search_folds_what_it_finds():
    collection = Collection(list(ALL))
    read = {A2.url, B1.url}
    unread = ViewState(text="is:unread").rows(collection, read, set())
    assert paths(unread) == ["c", "a3", "b2", "d"]


def test_a_changed_collection_folds_a_new_copy_into_its_row():
    before = Collection(list(ALL))
    assert shown(ViewState(), before) == ["c", "a2", "b1", "d"]
    newest = entry("a4", 500.0, 40, 1, title="Electric ferries approved")
    after = Collection([*ALL, newest])
    assert shown(ViewState(), after) == ["a4", "c", "b1", "d"]
    assert after.groups.extra(newest) == 3


def test_the_hidden_list_folds_its_own_copies():
    hidden_one = entry("h1", 120.0, 10, 9, provider="Spam")
    hidden_two = entry("h2", 110.0, 10, 9, provider="Spam")
    collection = Collection.hiding([*ALL, hidden_one, hidden_two], HideRules(["provider:Spam"]))
    assert shown(ViewState(), collection) == ["c", "a2", "b1", "d"]
    assert shown(ViewState(scope=HIDDEN), collection) == ["h1"]
    assert ViewState(scope=HIDDEN).groups(collection).extra(hidden_one) == 1
    assert ViewState(grouped=False).groups(collection) is None


def test_the_scope_size_while_searching_counts_stories():
    collection = Collection(list(ALL))
    view = ViewState(text="title:ferries")
    rows = view.rows(collection, set(), set())
    assert ScopeSize().of(view, collection, len(rows), set(), set()) == 4
    unfolded = ViewState(text="title:ferries", grouped=False)
    assert ScopeSize().of(unfolded, collection, 2, set(), set()) == 7


def test_a_collection_shown_ahead_leaves_its_first_view_nothing_to_fold(monkeypatch):
    """The loader folds the order shown in its worker: the screen's first view of a new
    collection (after a load, a changed file) then finds its groups and folded rows made."""
    collection = Collection(list(ALL))
    collection.shown_ahead(SortKey.QUALITY, reverse=True)
    folds: list[list[Entry]] = []
    monkeypatch.setattr("reader.grouping.collapse", lambda rows, groups: folds.append(rows) or rows)
    monkeypatch.setattr("reader.grouping.groups_of", lambda entries: folds.append(entries) or {})
    rows = ViewState(sort=SortKey.QUALITY, reverse=True).rows(collection, set(), set())
    assert paths(rows) == ["a1", "b1", "c", "d"]  # one row per story, the lowest quality first
    assert folds == []
    ViewState(sort=SortKey.DATE).rows(collection, set(), set())  # an order not folded ahead
    assert len(folds) == 1
