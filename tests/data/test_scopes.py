"""The sidebar's counts: totals, unread and starred, overall and per topic."""

from __future__ import annotations

import random
from collections import Counter

from reader.entry import TOPIC_SEP, Entry, entry_key
from reader.scopes import Counts


def _entry(n: int, topics: list[str], url: bool) -> Entry:
    return Entry(
        path=f"f{n}.md",
        title=f"T{n}",
        published=None,
        quality=None,
        heat=None,
        provider="P",
        domain="p.test",
        url=f"https://p.test/{n}" if url else None,
        type="article",
        topics=TOPIC_SEP.join(topics),
        id=n,
    )


def _plain_counts(entries, read, starred):
    """The obvious per-entry count the fast one must agree with."""
    total, unread = Counter(), Counter()
    for e in entries:
        topics = e.topics.split(TOPIC_SEP) if e.topics else []
        total.update(topics)
        if entry_key(e) not in read:
            unread.update(topics)
    return (
        len(entries),
        sum(entry_key(e) not in read for e in entries),
        sum(entry_key(e) in starred for e in entries),
        total,
        unread,
    )


def test_counts_agree_with_a_plain_count_for_urls_paths_and_topic_mixes():
    rng = random.Random(7)
    names = ["AI", "Energy", "Space", "ai", "Open Source"]
    entries = [_entry(n, rng.sample(names, rng.randint(0, 3)), url=n % 4 != 0) for n in range(500)]
    keys = [entry_key(e) for e in entries]
    read = set(rng.sample(keys, 200)) | {"https://p.test/not-loaded"}
    starred = set(rng.sample(keys, 30))
    counts = Counts(entries, read, starred)
    total, unread, stars, per_topic, per_topic_unread = _plain_counts(entries, read, starred)
    assert (counts.total, counts.unread, counts.starred) == (total, unread, stars)
    assert counts.topic_total == per_topic and counts.topic_unread == per_topic_unread
    assert "" not in counts.topic_total  # articles without topics count in no topic
    # A path-keyed article (no URL) is read by its path.
    assert entries[0].url is None and Counts([entries[0]], {"f0.md"}, set()).unread == 0


def test_counts_accept_any_iterable_and_nothing():
    entries = [_entry(1, ["AI"], True), _entry(2, [], False)]
    assert Counts(iter(entries), set(), {"f2.md"}).starred == 1
    empty = Counts([], set(), set())
    assert (empty.total, empty.unread, empty.starred, empty.topics()) == (0, 0, 0, [])


def test_unread_counts_agree_whether_few_or_most_articles_are_read():
    """Unread counts are made from the read rows when those are fewer (the totals less theirs),
    else from the unread rows: both ways give the plain count, per topic and per source."""
    rng = random.Random(11)
    names = ["AI", "Energy", "Space", "ai"]
    spellings = [("Rt", "rt.com"), ("RT", "rt.com"), ("rt.com", "rt.com"), ("BBC", "bbc.co.uk")]
    entries = []
    for n in range(400):
        provider, domain = rng.choice(spellings)
        entry = _entry(n, rng.sample(names, rng.randint(0, 2)), url=n % 5 != 0)
        entries.append(entry._replace(provider=provider, domain=domain))
    keys = [entry_key(e) for e in entries]
    for share in (0, 1, 120, 200, 201, 330, 400):
        read = set(rng.sample(keys, share))
        counts = Counts(entries, read, set())
        unread_rows = [e for e in entries if entry_key(e) not in read]
        _, unread, _, _, per_topic_unread = _plain_counts(entries, read, set())
        assert counts.unread == unread == len(unread_rows), share
        assert counts.topic_unread == per_topic_unread, share
        for source in ("rt", "RT", "rt.com", "bbc", "bbc.co.uk", "nobody"):
            plain = sum(
                source.casefold() in (e.provider.casefold(), e.domain.casefold())
                for e in unread_rows
            )
            assert counts.source(source)[1] == plain, (share, source)
        spelled = Counter(e.provider for e in unread_rows)
        assert +counts.source_unread.spellings == +spelled, share
