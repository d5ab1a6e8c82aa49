"""Sources in the sidebar (counts per feed or provider) and topic renames, without a terminal."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from reader.entry import TOPIC_SEP, Entry, entry_key, topics_of
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.library import Collection, SortKey, Source
from reader.paths import Locations
from reader.scopes import Counts, source_scope
from reader.sources import feed_sources
from reader.topic_names import TopicNames, load_topic_names, topic_names_from_document
from reader.view import ViewState


def entry(n: int, provider: str, domain: str, topics: tuple[str, ...] = ()) -> Entry:
    return Entry(
        path=f"feeds/{domain}/{n}.md",
        title=f"Story {n}",
        published=1_700_000_000.0 + n,
        quality=None,
        heat=None,
        provider=provider,
        domain=domain,
        url=f"https://{domain}/{n}",
        type="article",
        topics=TOPIC_SEP.join(topics),
    )


ENTRIES = [
    entry(1, "BBC News", "bbc.co.uk"),
    entry(2, "BBC News", "bbc.co.uk"),
    entry(3, "bbc news", "bbc.co.uk"),  # the same source in another case
    entry(4, "BBC Sport", "bbc.co.uk"),  # same domain, another name
    entry(5, "The Verge", "theverge.com"),
    entry(6, "theverge.com", "theverge.com"),  # named by its domain
    entry(7, "", "nameless.example"),
]


def listed(entries: list[Entry], name: str, read: set[str] = frozenset()) -> list[Entry]:
    """What the sidebar's scope for ``name`` lists: the rows of ``source:NAME``."""
    view = ViewState(scope=source_scope(name))
    return view.rows(Collection(entries), set(read), set())


def test_source_counts_agree_with_what_source_lists():
    """Every count is the number of rows the scope shows, whatever the case or the domain."""
    read = {entry_key(ENTRIES[0])}
    counts = Counts(ENTRIES, read, set())
    for name in ("BBC News", "bbc NEWS", "BBC Sport", "bbc.co.uk", "The Verge", "theverge.com"):
        rows = listed(ENTRIES, name)
        unread = [e for e in rows if entry_key(e) not in read]
        assert counts.source(name) == (len(rows), len(unread)), name
    assert counts.source("BBC News") == (3, 2)
    assert counts.source("bbc.co.uk") == (4, 3)  # source: takes the whole domain too


def test_providers_most_articles_first_one_line_per_spelling():
    counts = Counts(ENTRIES, set(), set())
    providers, more = counts.providers()
    # "bbc news" is the same provider as "BBC News" (the commonest spelling); nameless is left out
    assert providers == [
        ("BBC News", 3, 3),
        ("theverge.com", 2, 2),  # its domain's two articles
        ("BBC Sport", 1, 1),
        ("The Verge", 1, 1),
    ]
    assert more == 0
    shown, more = counts.providers(limit=2)
    assert [name for name, _, _ in shown] == ["BBC News", "theverge.com"] and more == 2


def test_reading_adjusts_the_source_counts_per_article():
    counts = Counts(ENTRIES, set(), set())
    counts.read_changed([ENTRIES[0], ENTRIES[3]], True)
    assert counts.source("BBC News") == (3, 2)
    assert counts.source("BBC Sport") == (1, 0)
    assert counts.source("bbc.co.uk") == (4, 2)
    counts.read_changed([ENTRIES[0]], False)
    assert counts.source("BBC News") == (3, 3)
    assert dict((n, u) for n, _, u in counts.providers()[0])["BBC News"] == 3


def test_source_counts_are_cheap_at_100000_articles():
    """Counted per distinct (provider, domain) pair: target well under a second (measured ~0.1 s
    for the whole Counts on this machine)."""
    many = [entry(n, f"Provider {n % 300}", f"site{n % 300}.example") for n in range(100_000)]
    start = time.perf_counter()
    counts = Counts(many, set(), set())
    providers, more = counts.providers()
    took = time.perf_counter() - start
    assert len(providers) == 100 and more == 200
    assert counts.source("Provider 7") == (334, 334)
    assert took < 5, took


# --- the feeds of the Feeds section ----------------------------------------------------------


def locations(tmp_path: Path) -> Locations:
    found = Locations(cache=tmp_path / "cache", config=tmp_path / "config", data=tmp_path / "data")
    for folder in (found.cache, found.config, found.data):
        folder.mkdir(parents=True)
    return found


def test_feed_sources_titles_providers_and_failures(tmp_path):
    where = locations(tmp_path)
    where.feeds_config_path.write_text(
        '[[feeds]]\nurl = "https://bbc.co.uk/feed"\nname = "Beeb"\n'
        '[[feeds]]\nurl = "https://www.theverge.com/rss"\n'
        '[[feeds]]\nurl = "https://broken.example/feed"\n'
        '[[feeds]]\nurl = "https://never.example/feed"\n',
        encoding="utf-8",
    )
    store = StatusStore(where.data / STATUS_FILE, where.cache)
    when = dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC)
    store.record("https://bbc.co.uk/feed", ok=True, result="ok: 3 new", title="BBC News",
                 domain="bbc.co.uk", provider="BBC", when=when)  # fmt: skip
    store.record("https://www.theverge.com/rss", ok=True, result="ok", title="The Verge",
                 domain="theverge.com", provider="The Verge", when=when)  # fmt: skip
    store.record("https://broken.example/feed", ok=False, result="HTTP 404 Not Found", when=when)
    store.save()
    feeds, problem = feed_sources(where)
    assert problem == ""
    assert [(f.title, f.provider, f.problem) for f in feeds] == [
        ("Beeb", "BBC", ""),  # the config's name; its articles still carry the older name
        ("The Verge", "The Verge", ""),  # the feed's own title
        ("broken.example", "broken.example", "HTTP 404 Not Found"),  # the host; failed
        ("never.example", "never.example", ""),  # never fetched: no mark
    ]


def test_feed_sources_of_a_broken_config_say_why(tmp_path):
    where = locations(tmp_path)
    where.feeds_config_path.write_text("[[feeds]\nurl =", encoding="utf-8")
    feeds, problem = feed_sources(where)
    assert feeds is None and "not valid TOML" in problem and "\n" not in problem
    assert feed_sources(locations(tmp_path / "none")) == ([], "")


# --- topic renames ----------------------------------------------------------------------------


def test_renames_ignore_case_merge_spellings_and_follow_chains():
    names = TopicNames({"AI": "Artificial Intelligence", "ML": "ai", "Tech": "tech"})
    assert names.name("ai") == "Artificial Intelligence"
    assert names.name("Ml") == "Artificial Intelligence"  # ML -> ai -> Artificial Intelligence
    assert names.name("artificial INTELLIGENCE") == "Artificial Intelligence"
    assert names.name("TECH") == "tech"  # a rename may only set the casing
    assert names.name("Space") == "Space"
    for topic in ("AI", "ml", "Artificial intelligence", "Tech", "Space"):
        assert names.name(names.name(topic)) == names.name(topic)  # renaming twice is once


def test_circular_renames_are_left_out():
    names = TopicNames({"A": "B", "b": "a", "C": "D"})
    assert names.circular == ["a", "b"]
    assert (names.name("A"), names.name("B"), names.name("c")) == ("A", "B", "D")
    _, problem = topic_names_from_document({"topics": {"rename": {"A": "B", "B": "A"}}}, Path("c"))
    assert "circle" in problem and "\n" not in problem


def test_renamed_entries_keep_one_of_each_topic():
    names = TopicNames({"AI": "Artificial Intelligence"})
    entries = [
        entry(1, "P", "p.example", ("AI", "Science")),
        entry(2, "P", "p.example", ("ai", "Artificial Intelligence")),
        entry(3, "P", "p.example", ("Science",)),
    ]
    renamed = names.apply(entries)
    assert [topics_of(e) for e in renamed] == [
        ["Artificial Intelligence", "Science"],
        ["Artificial Intelligence"],
        ["Science"],
    ]
    assert renamed[2] is entries[2]  # untouched entries are the same objects
    assert names.apply(renamed) == renamed
    assert TopicNames().apply(entries) is entries


def test_bad_topics_sections_are_one_line_warnings(tmp_path):
    cases = {
        "topics = 3\n": "[topics] must be a table",
        "[topics]\nrename = 3\n": "rename must be a table",
        '[topics]\nrename = {"AI" = 3, "ML" = "  ", "Web" = "World Wide Web"}\n': "'AI', 'ML'",
    }
    for text, said in cases.items():
        path = tmp_path / "config.toml"
        path.write_text(text, encoding="utf-8")
        names, problem = load_topic_names(path)
        assert said in problem and "\n" not in problem, (text, problem)
    assert names.name("web") == "World Wide Web"  # the good rename of the last case stays
    path.write_text("not [ toml", encoding="utf-8")
    assert load_topic_names(path)[1] == ""  # the feed list reports an unreadable file
    assert load_topic_names(tmp_path / "absent.toml")[1] == ""


def test_renames_reach_counts_qualifier_and_patched_lists(tmp_path):
    """Applied once at load: the sidebar's counts, topic: (old and new name) and a patched list."""
    where = locations(tmp_path)
    where.feeds_config_path.write_text(
        '[topics]\nrename = {"AI" = "Artificial Intelligence"}\n', encoding="utf-8"
    )
    for n, topics in enumerate(("AI", "ai", "Artificial Intelligence", "Science")):
        (where.cache / f"a{n}.md").write_text(
            f"---\ntitle: Story {n}\npublishedDateTime: 2026-11-0{n + 1}T09:00:00Z\n"
            f"webUrl: https://p.example/{n}\nprovider: {{name: P, domain: p.example}}\n"
            f"topics: [{topics}]\n---\n",
            encoding="utf-8",
        )
    source = Source(where)
    try:
        source.scan()
        collection = source.load()
        counts = Counts(collection.entries, set(), set())
        assert dict(counts.topic_total) == {"Artificial Intelligence": 3, "Science": 1}
        for typed in ("topic:AI", "topic:ai", 'topic:"artificial intelligence"'):
            assert len(collection.view(SortKey.DATE, text=typed)) == 3, typed
        (where.cache / "a9.md").write_text(
            "---\ntitle: Late\nwebUrl: https://p.example/9\ntopics: [Ai]\n---\n", encoding="utf-8"
        )
        result = source.scan()
        patched = source.reload(collection, result)
        assert len(patched.view(SortKey.DATE, topic="Artificial Intelligence")) == 4
    finally:
        source.index.close()
