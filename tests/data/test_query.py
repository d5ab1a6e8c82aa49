"""The search language (``reader.query``): parsing, per-row qualifier checks, FTS5 expressions."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest

from reader.entry import TOPIC_SEP, Entry, entry_key
from reader.query import Query, Term, fts_expression, parse_query, quote_value, row_check


def stamp(day: str) -> float:
    """Midnight UTC of an ISO day, as a POSIX timestamp."""
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp()


def entry(
    path: str,
    *,
    title: str = "T",
    published: float | None = None,
    quality: int | None = None,
    provider: str = "",
    domain: str = "",
    url: str | None = None,
    topics: tuple[str, ...] = (),
    type: str = "article",
) -> Entry:
    return Entry(
        path=path,
        title=title,
        published=published,
        quality=quality,
        heat=None,
        provider=provider,
        domain=domain,
        url=url,
        type=type,
        topics=TOPIC_SEP.join(topics),
    )


def matching(query: Query, entries: list[Entry], **state: set[str]) -> list[str]:
    check = row_check(query, **state)
    return [e.path for e in entries if check(e)]


def is_empty(query: Query) -> bool:
    """Whether the query filters nothing: no words, no qualifiers."""
    return not (query.words or query.terms)


# --- parsing -----------------------------------------------------------------------


def test_an_empty_query_filters_nothing() -> None:
    for text in ("", "   ", "\t"):
        query = parse_query(text)
        assert query == Query()
        assert is_empty(query) and not query.needs_state and not query.errors
        assert all(map(row_check(query), ENTRIES))


def test_every_qualifier_is_parsed() -> None:
    query = parse_query(
        "solar topic:AI provider:rt.com is:unread is:starred after:2024-01-01"
        " before:2024-02-01 quality:>50 type:video wind"
    )
    assert query.words == ("solar", "wind")
    assert query.terms == (
        Term("topic", "AI"),
        Term("provider", "rt.com"),
        Term("is", "unread"),
        Term("is", "starred"),
        Term("after", stamp("2024-01-01")),
        Term("before", stamp("2024-02-01")),
        Term("quality", (">", 50)),
        Term("type", "video"),
    )
    assert query.errors == ()
    assert query.needs_state


@pytest.mark.parametrize(
    "text, name, value",
    [
        ("topic:AI", "topic", "AI"),
        ("provider:rt.com", "provider", "rt.com"),
        ("is:unread", "is", "unread"),
        ("is:starred", "is", "starred"),
        ("is:read", "is", "read"),
        ("after:2024-01-01", "after", stamp("2024-01-01")),
        ("before:2024-03-01", "before", stamp("2024-03-01")),
        ("quality:>50", "quality", (">", 50)),
        ("type:video", "type", "video"),
    ],
)
def test_each_qualifier_alone_is_a_filter_not_a_word(text: str, name: str, value: object) -> None:
    query = parse_query(text)
    assert query.terms == (Term(name, value),)
    assert query.values(name) == (value,)
    assert query.words == ()


def test_state_qualifiers_need_the_state() -> None:
    assert parse_query("is:unread").needs_state
    assert parse_query("is:starred").needs_state
    assert parse_query("is:read").needs_state
    assert not parse_query("topic:AI quality:>3 solar after:2024-01-01 type:video").needs_state


def test_quoted_values_keep_their_spaces() -> None:
    query = parse_query('topic:"Machine Learning" provider:\'Ethics Weekly\' "heat pump"')
    assert query.values("topic") == ("Machine Learning",)
    assert query.values("provider") == ("Ethics Weekly",)
    assert query.words == ("heat pump",)


def test_qualifier_names_and_state_values_ignore_case() -> None:
    query = parse_query(
        "TOPIC:AI Provider:RT.com IS:Unread is:STARRED After:2024-01-01"
        " BEFORE:2024-02-01 Quality:>=5 Type:Video"
    )
    # Values keep their spelling; matching is case-insensitive.
    assert query.values("topic") == ("AI",)
    assert query.values("provider") == ("RT.com",)
    assert query.values("is") == ("unread", "starred")
    assert query.values("after") == (stamp("2024-01-01"),)
    assert query.values("before") == (stamp("2024-02-01"),)
    assert query.values("quality") == ((">=", 5),)
    assert query.values("type") == ("Video",)
    assert query.words == ()


def test_repeated_qualifiers_all_apply() -> None:
    query = parse_query("topic:AI topic:Speech provider:a provider:b quality:>10 quality:<20")
    assert query.values("topic") == ("AI", "Speech")
    assert query.values("provider") == ("a", "b")
    assert query.values("quality") == ((">", 10), ("<", 20))


def test_a_later_date_replaces_an_earlier_one() -> None:
    query = parse_query(
        "after:2024-03-01 before:2024-01-01 after:2024-01-01 before:2024-05-01 after:nope"
    )
    assert query.values("after") == (stamp("2024-01-01"),)
    assert query.values("before") == (stamp("2024-05-01"),)
    assert query.errors == ("after: wants a date like 2024-01-31",)


@pytest.mark.parametrize(
    "token", ["colour:red", "https://example.com/a", "is:nonsense", "topic:", "ratio:3:1"]
)
def test_unknown_or_empty_qualifiers_are_words(token: str) -> None:
    query = parse_query(f"solar {token}")
    assert query.words == ("solar", token)
    assert query.errors == ()
    assert not query.needs_state


def test_words_of_punctuation_alone_are_dropped() -> None:
    # They hold nothing full-text search can find: kept, they made the whole query match nothing.
    assert parse_query("solar - wind ( ) * : \"\" ''").words == ("solar", "wind")
    assert is_empty(parse_query("-"))
    assert parse_query("C++ -solar e.g.").words == ("C++", "-solar", "e.g.")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("after:yesterday", "after:"),
        ("after:2024-13-01", "after:"),
        ("before:2024-02-30", "before:"),
        ("before:01/02/2024", "before:"),
        ("quality:high", "quality:"),
        ("quality:>", "quality:"),
        ("quality:>5.5", "quality:"),
        ("quality:=>5", "quality:"),
    ],
)
def test_bad_dates_and_qualities_are_reported_and_ignored(text: str, problem: str) -> None:
    query = parse_query(f"solar {text}")
    assert len(query.errors) == 1 and query.errors[0].startswith(problem)
    assert "\n" not in query.errors[0]
    assert query.words == ("solar",)  # neither a filter nor a word
    assert query.terms == ()
    assert query == Query(words=("solar",))  # errors do not take part in equality


@pytest.mark.parametrize(
    "value, expected",
    [
        ("50", ("=", 50)),
        ("=50", ("=", 50)),
        (">50", (">", 50)),
        (">=50", (">=", 50)),
        ("<50", ("<", 50)),
        ("<=50", ("<=", 50)),
        ("<-3", ("<", -3)),
    ],
)
def test_quality_comparison_operators(value: str, expected: tuple[str, int]) -> None:
    assert parse_query(f"quality:{value}").values("quality") == (expected,)


def test_unbalanced_quotes_and_backslashes_never_raise() -> None:
    for text in ['"solar', "don't panic", 'topic:"AI', "trailing\\", '\\"', "'", '"""']:
        parse_query(text)


# --- row_check -----------------------------------------------------------------------

ENTRIES = [
    entry(
        "a.md",
        published=stamp("2024-01-01"),
        quality=50,
        provider="RT News",
        domain="rt.com",
        url="https://rt.com/a",
        topics=("AI", "Speech"),
    ),
    entry(
        "b.md",
        published=stamp("2024-01-15"),
        quality=80,
        provider="Example",
        domain="example.com",
        url="https://example.com/b",
        topics=("AI Ethics",),
        type="video",
    ),
    entry(
        "c.md",
        published=stamp("2024-02-01"),
        quality=None,
        provider="Lab",
        domain="lab.example",
        topics=("ai",),
    ),
    entry(
        "d.md",
        published=None,
        quality=90,
        provider="Example",
        domain="example.com",
        url="https://example.com/d",
    ),
]


def test_topic_matches_whole_topic_names_in_any_case() -> None:
    assert matching(parse_query("topic:ai"), ENTRIES) == ["a.md", "c.md"]  # not "AI Ethics"
    assert matching(parse_query('topic:"ai ethics"'), ENTRIES) == ["b.md"]
    assert matching(parse_query("topic:AI topic:speech"), ENTRIES) == ["a.md"]
    assert matching(parse_query("topic:Nope"), ENTRIES) == []


def test_provider_matches_part_of_the_name_or_domain() -> None:
    assert matching(parse_query("provider:rt.com"), ENTRIES) == ["a.md"]
    assert matching(parse_query("provider:EXAMPLE"), ENTRIES) == [
        "b.md",
        "c.md",
        "d.md",
    ]  # c: lab.example
    assert matching(parse_query('provider:"rt news"'), ENTRIES) == ["a.md"]


def test_dates_after_is_inclusive_before_is_exclusive_and_undated_never_match() -> None:
    assert matching(parse_query("after:2024-01-15"), ENTRIES) == ["b.md", "c.md"]
    assert matching(parse_query("before:2024-01-15"), ENTRIES) == ["a.md"]
    assert matching(parse_query("after:2024-01-01 before:2024-02-01"), ENTRIES) == ["a.md", "b.md"]
    assert matching(parse_query("after:2024-02-02"), ENTRIES) == []


def test_quality_comparisons_and_articles_without_quality() -> None:
    assert matching(parse_query("quality:>50"), ENTRIES) == ["b.md", "d.md"]
    assert matching(parse_query("quality:>=50"), ENTRIES) == ["a.md", "b.md", "d.md"]
    assert matching(parse_query("quality:<80"), ENTRIES) == ["a.md"]  # no quality never matches
    assert matching(parse_query("quality:<=80"), ENTRIES) == ["a.md", "b.md"]
    assert matching(parse_query("quality:80"), ENTRIES) == ["b.md"]
    assert matching(parse_query("quality:>50 quality:<90"), ENTRIES) == ["b.md"]


def test_read_and_starred_use_the_url_else_the_path() -> None:
    read = {"https://rt.com/a", "c.md"}  # c.md has no URL: keyed by its path
    starred = {"https://example.com/d", "b.md"}  # b.md has a URL, so its path is not its key
    assert matching(parse_query("is:unread"), ENTRIES, read=read) == ["b.md", "d.md"]
    assert matching(parse_query("is:read"), ENTRIES, read=read) == ["a.md", "c.md"]
    assert matching(parse_query("is:starred"), ENTRIES, starred=starred) == ["d.md"]
    assert matching(parse_query("is:unread is:starred"), ENTRIES, read=read, starred=starred) == [
        "d.md"
    ]
    # Without state nothing is read or starred.
    assert matching(parse_query("is:unread"), ENTRIES) == ["a.md", "b.md", "c.md", "d.md"]
    assert matching(parse_query("is:starred"), ENTRIES) == []
    assert [entry_key(e) for e in ENTRIES] == [
        "https://rt.com/a",
        "https://example.com/b",
        "c.md",
        "https://example.com/d",
    ]


def test_qualifiers_combine() -> None:
    query = parse_query("topic:AI provider:example is:unread after:2024-01-10")
    assert matching(query, ENTRIES, read=set()) == ["c.md"]  # b is "AI Ethics", not AI
    assert matching(query, ENTRIES, read={"c.md"}) == []
    # c has no quality
    assert matching(parse_query("topic:AI provider:example quality:>=0"), ENTRIES) == []
    query = parse_query("provider:example quality:>60 is:starred")
    assert matching(query, ENTRIES, starred={"https://example.com/b", "https://example.com/d"}) == [
        "b.md",
        "d.md",
    ]


def test_type_matches_the_whole_type_in_any_case() -> None:
    assert matching(parse_query("type:video"), ENTRIES) == ["b.md"]
    assert matching(parse_query("type:VIDEO"), ENTRIES) == ["b.md"]
    assert matching(parse_query("type:article"), ENTRIES) == ["a.md", "c.md", "d.md"]
    assert matching(parse_query("type:vid"), ENTRIES) == []
    assert matching(parse_query("type:video quality:>90"), ENTRIES) == []


def test_words_alone_are_no_qualifiers() -> None:
    query = parse_query("solar wind")
    assert query.terms == ()
    assert all(map(row_check(query), ENTRIES))


# --- fts_expression -------------------------------------------------------------------


def test_fts_expression_quotes_every_word_and_prefixes_the_last() -> None:
    assert fts_expression(("solar",)) == '"solar"*'
    assert fts_expression(("solar", "pan")) == '"solar" AND "pan"*'
    assert fts_expression(("solar", "pan"), prefix_last=False) == '"solar" AND "pan"'
    assert fts_expression(('say "hi"',)) == '"say ""hi"""*'
    assert fts_expression(("AND", "OR", "NOT")) == '"AND" AND "OR" AND "NOT"*'


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE s USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.executemany(
        "INSERT INTO s VALUES (?, ?)",
        [
            ("Solar panels and wind", "AND OR NOT NEAR are words here"),
            ("Café culture", 'say "hi" to the barista'),
        ],
    )
    return conn


def count(conn: sqlite3.Connection, expression: str) -> int:
    return conn.execute("SELECT count(*) FROM s WHERE s MATCH ?", (expression,)).fetchone()[0]


HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "-",
    "(",
    ")",
    "^",
    ":",
    "+",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "a OR",
    "solar*",
    "-solar",
    "(solar",
    "title:solar",
    "{title}: x",
    'say "hi"',
    "\\",
    "col:umn",
    "a\x00b",
    "🚀",
    "ünïcödé",
    "x" * 300,
]


@pytest.mark.parametrize("word", HOSTILE)
def test_fts_expression_of_any_user_word_is_valid_fts5(fts: sqlite3.Connection, word: str) -> None:
    for words in ((word,), ("solar", word), (word, "solar")):
        for prefix in (True, False):
            count(fts, fts_expression(words, prefix))  # must not raise


def test_fts_syntax_words_are_searched_as_words(fts: sqlite3.Connection) -> None:
    assert count(fts, fts_expression(("AND",))) == 1
    assert count(fts, fts_expression(("near", "not"))) == 1
    assert count(fts, fts_expression(("-solar",))) == 1
    # a phrase, not a column filter
    assert count(fts, fts_expression(("title:solar",), prefix_last=False)) == 0
    assert count(fts, fts_expression(("solar:panels",), prefix_last=False)) == 1
    assert count(fts, fts_expression(('"hi"',))) == 1
    assert count(fts, fts_expression(("cafe",))) == 1


def test_random_queries_parse_and_make_valid_expressions(fts: sqlite3.Connection) -> None:
    rng = random.Random(1234)
    alphabet = "ab é\"'*-():^+\\ topic:is:after:quality:><=AND OR NEAR 2024-01-01"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        query = parse_query(text)
        if query.words:
            count(fts, fts_expression(query.words))


@pytest.mark.parametrize(
    ("text", "words", "topics"),
    [
        (
            '"machine lea',
            ("machine lea",),
            (),
        ),  # a phrase being typed searches for what is typed so far
        ('topic:"open sou', (), ("open sou",)),
        ("C:\\temp notes", ("C:\\temp", "notes"), ()),  # backslashes outside quotes are letters
        ("it's rock'n'roll", ("it's", "rock'n'roll"), ()),  # apostrophes are letters
        ("'heat pump' topic:'Open Source'", ("heat pump",), ("Open Source",)),
        (
            '"say \\"hi\\"" \\"raw\\"',
            ('say "hi"', '\\raw"'),
            (),
        ),  # a backslash outside quotes is a letter
        ('"" x', ("x",), ()),
    ],
)
def test_splitting_is_kind_to_half_typed_quotes_backslashes_and_apostrophes(
    text, words, topics
) -> None:
    query = parse_query(text)
    assert (query.words, query.values("topic")) == (words, topics)


def test_quote_value_round_trips_through_the_query_language() -> None:
    import random

    rng = random.Random(3)
    alphabet = "ab \"'\\:"
    for _ in range(500):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))).strip()
        if not value:
            continue
        assert parse_query(f"topic:{quote_value(value)}").values("topic") == (value,), value
