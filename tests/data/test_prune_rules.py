"""Pruning rules (reader.feeds.prune): what goes, and above all what never goes.

Articles are written by the real :class:`ArticleWriter` into a temp cache,
with the ledger and the feeds' status recorded as a fetch records them, so
the files are exactly the program's own. Foreign files (a user's file, a
link, a file edited since it was written) sit beside them and must survive.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reader import paths
from reader.feeds.config import Feed
from reader.feeds.ledger import Ledger, ledger_path
from reader.feeds.parse import FeedEntry
from reader.feeds.policy import Policy
from reader.feeds.prune import (
    DAY_SECONDS,
    PruneError,
    open_ledger,
    perform,
    plan_prune,
    prune,
    summary,
)
from reader.feeds.status import STATUS_FILE, StatusStore
from reader.feeds.store import ArticleWriter, render
from reader.library import Source
from reader.state import StateStore

DOMAIN = "news.example"
FEED = Feed("https://news.example/feed.xml", name="Example News")
NOW = dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.UTC).timestamp()


@pytest.fixture
def locations(tmp_path: Path) -> paths.Locations:
    found = paths.resolve(tmp_path / "cache")
    assert str(found.data).startswith(str(tmp_path))  # conftest isolates platformdirs
    return found


def _entry(number: int, days_old: float, prefix: str = "a") -> FeedEntry:
    url = f"https://{DOMAIN}/{prefix}/{number}"
    published = dt.datetime.fromtimestamp(NOW - days_old * DAY_SECONDS, dt.UTC)
    return FeedEntry(
        key=url, title=f"{prefix} {number}", summary="text", url=url, published=published
    )


def _fetched(
    locations: paths.Locations,
    count: int,
    *,
    feed: Feed = FEED,
    provider: str = "Example News",
    prefix: str = "a",
    record: bool = True,
) -> list[Path]:
    """Write ``count`` entries, one a day old more than the last, as a fetch of ``feed`` does."""
    writer = ArticleWriter(locations.cache)
    written = [
        writer.write(_entry(n, n, prefix), feed_title=provider, domain=DOMAIN, topics=())
        for n in range(count)
    ]
    if record:
        ledger = open_ledger(locations)
        for path, info in writer.written.items():
            ledger.record(path, info)
        ledger.save()
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    store.record(feed.url, ok=True, result="ok", title=provider, domain=DOMAIN, provider=provider)
    store.save()
    assert all(path is not None for path in written)
    return written  # type: ignore[return-value]


def _urls(count: int, prefix: str = "a") -> list[str]:
    return [f"https://{DOMAIN}/{prefix}/{n}" for n in range(count)]


def _mark(locations: paths.Locations, read=(), starred=()) -> None:
    state = StateStore(locations.state_path)
    state.set_read(read)
    state.set_starred(starred)
    assert state.close() == ""


def _left(paths_: list[Path]) -> list[int]:
    return [number for number, path in enumerate(paths_) if path.exists()]


def test_keep_days_removes_read_articles_published_before_the_limit(locations):
    written = _fetched(locations, 10)
    _mark(locations, read=_urls(10))
    result = prune(locations, [FEED], Policy(keep_days=5), now=NOW)
    assert _left(written) == [0, 1, 2, 3, 4, 5]  # 5 days old exactly is not older than 5 days
    assert (result.removed, result.feeds, result.warnings) == (4, 1, [])
    assert summary(4, 1, 0, 0, dry=False) == "Removed 4 articles from 1 feed."


def test_max_items_keeps_the_newest_of_each_feed(locations):
    written = _fetched(locations, 10)
    _mark(locations, read=_urls(10))
    result = prune(locations, [FEED], Policy(max_items=3), now=NOW)
    assert _left(written) == [0, 1, 2]
    assert result.removed == 7


def test_a_feeds_own_setting_wins_and_a_feed_without_a_rule_is_left_alone(locations):
    written = _fetched(locations, 6)
    _mark(locations, read=_urls(6))
    own = Feed(FEED.url, name=FEED.name, overrides=(("max_items", 0),))
    assert prune(locations, [own], Policy(max_items=2), now=NOW).removed == 0
    strict = Feed(FEED.url, name=FEED.name, overrides=(("max_items", 4),))
    assert prune(locations, [strict], Policy(), now=NOW).removed == 2
    assert _left(written) == [0, 1, 2, 3]


def test_starred_articles_are_never_removed(locations):
    written = _fetched(locations, 10)
    urls = _urls(10)
    _mark(locations, read=urls, starred=[urls[8], urls[9], urls[1]])
    result = prune(locations, [FEED], Policy(keep_days=5, prune_unread=True), now=NOW)
    assert _left(written) == [0, 1, 2, 3, 4, 5, 8, 9]
    assert (result.removed, result.kept_starred, result.kept_unread) == (2, 2, 0)
    assert summary(2, 1, 2, 0, dry=False) == "Removed 2 articles from 1 feed (kept 2 starred)."


def test_unread_articles_stay_unless_prune_unread(locations):
    written = _fetched(locations, 10)
    urls = _urls(10)
    _mark(locations, read=urls[:7], starred=[urls[9]])  # 7, 8, 9 unread; 9 starred too
    result = prune(locations, [FEED], Policy(max_items=2), now=NOW)
    assert _left(written) == [0, 1, 7, 8, 9]
    assert (result.removed, result.kept_starred, result.kept_unread) == (5, 1, 2)
    assert (
        summary(5, 1, 1, 2, dry=False)
        == "Removed 5 articles from 1 feed (kept 1 starred, 2 unread)."
    )
    result = prune(locations, [FEED], Policy(max_items=2, prune_unread=True), now=NOW)
    assert _left(written) == [0, 1, 9]
    assert (result.removed, result.kept_starred, result.kept_unread) == (2, 1, 0)


def test_without_any_mark_nothing_is_read_so_nothing_goes(locations):
    written = _fetched(locations, 5)
    result = prune(locations, [FEED], Policy(max_items=1), now=NOW)
    assert (result.removed, result.kept_unread) == (0, 4)
    assert _left(written) == [0, 1, 2, 3, 4]
    assert not locations.state_path.exists()  # reading no marks created no file


def test_marks_that_cannot_be_read_stop_the_prune(locations):
    written = _fetched(locations, 5)
    locations.state_path.parent.mkdir(parents=True, exist_ok=True)
    locations.state_path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(PruneError, match="cannot read the marks"):
        prune(locations, [FEED], Policy(max_items=1, prune_unread=True), now=NOW)
    assert _left(written) == [0, 1, 2, 3, 4]


def test_a_plan_removes_nothing(locations):
    written = _fetched(locations, 6)
    _mark(locations, read=_urls(6))
    plan = plan_prune(locations, [FEED], Policy(max_items=2), now=NOW)
    assert plan.count == 4 and [feed.title for feed in plan.feeds] == ["Example News"]
    assert _left(written) == [0, 1, 2, 3, 4, 5]
    assert summary(plan.count, 1, 0, 0, dry=True) == "Would remove 4 articles from 1 feed."


def _foreign(folder: Path, outside: Path) -> dict[str, Path]:
    """Files beside the feed's own that are not the program's, each old enough to be pruned."""
    old = {
        "category": "news",
        "title": "Old",
        "publishedDateTime": "2000-01-01T00:00:00Z",
        "webUrl": f"https://{DOMAIN}/old",
        "provider": {"name": "Example News", "domain": DOMAIN},
    }
    made = {
        "user_named": folder / "my-notes.md",  # our front matter, but not our kind of name
        "other_category": folder / "0123456789abcdef.md",  # our kind of name, not our front matter
        "other_domain": folder / "fedcba9876543210.md",  # says it belongs to another folder
        "no_front_matter": folder / "00000000aaaaaaaa.md",
    }
    made["user_named"].write_text(render(old))
    made["other_category"].write_text(render({**old, "category": "opinion"}))
    made["other_domain"].write_text(
        render({**old, "provider": {"name": "Example News", "domain": "elsewhere.example"}})
    )
    made["no_front_matter"].write_text("just notes\n")
    target = outside / "1111111111111111.md"
    target.write_text(render(old))
    made["link"] = folder / "2222222222222222.md"
    made["link"].symlink_to(target)
    made["link_target"] = target
    for path in made.values():
        os.utime(path, (0, 0), follow_symlinks=False)
    return made


def test_foreign_files_are_never_touched(locations, tmp_path):
    written = _fetched(locations, 6)
    _mark(locations, read=[*_urls(6), f"https://{DOMAIN}/old"])
    outside = tmp_path / "outside"
    outside.mkdir()
    foreign = _foreign(written[0].parent, outside)
    edited, touched = written[4], written[5]
    edited.write_text(edited.read_text() + "\nMy own notes.\n")  # edited: the user's now
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1))
    before = {name: path.read_bytes() for name, path in foreign.items()}

    result = prune(locations, [FEED], Policy(max_items=1, prune_unread=True), now=NOW)

    assert _left(written) == [0, 4, 5]
    assert result.removed == 3
    assert {name: path.read_bytes() for name, path in foreign.items()} == before
    assert foreign["link"].is_symlink()


def test_files_written_before_the_ledger_are_pruned_by_their_name_and_front_matter(locations):
    written = _fetched(locations, 5, record=False)
    assert not ledger_path(locations.cache).exists()
    _mark(locations, read=_urls(5))
    assert prune(locations, [FEED], Policy(max_items=2), now=NOW).removed == 3
    assert _left(written) == [0, 1]


def test_a_folder_that_is_a_link_is_never_pruned(locations, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    real = paths.resolve(elsewhere)
    written = _fetched(real, 4, record=False)
    (locations.cache / "feeds").mkdir(parents=True)
    (locations.cache / "feeds" / DOMAIN).symlink_to(written[0].parent)
    store = StatusStore(locations.data / STATUS_FILE, locations.cache)
    store.record(FEED.url, ok=True, result="ok", domain=DOMAIN, provider="Example News")
    store.save()
    _mark(locations, read=_urls(4))
    assert prune(locations, [FEED], Policy(max_items=1), now=NOW).removed == 0
    assert _left(written) == [0, 1, 2, 3]


def test_a_file_changed_after_the_plan_is_left_alone(locations):
    written = _fetched(locations, 4)
    _mark(locations, read=_urls(4))
    ledger = open_ledger(locations)
    plan = plan_prune(locations, [FEED], Policy(max_items=1), ledger=ledger, now=NOW)
    assert plan.count == 3
    written[3].write_text(written[3].read_text() + "edited meanwhile\n")
    result = perform(plan, ledger)
    assert _left(written) == [0, 3]
    assert result.removed == 2


def test_feeds_sharing_a_folder_are_told_apart_by_provider_name(locations):
    other = Feed("https://news.example/other.xml", name="Other Desk")
    mine = _fetched(locations, 5)
    theirs = _fetched(locations, 5, feed=other, provider="Other Desk", prefix="b")
    _mark(locations, read=[*_urls(5), *_urls(5, "b")])
    strict = Feed(FEED.url, name=FEED.name, overrides=(("max_items", 2),))
    result = prune(locations, [strict, other], Policy(), now=NOW)
    assert result.removed == 3
    assert _left(mine) == [0, 1]
    assert _left(theirs) == [0, 1, 2, 3, 4]


def test_a_file_that_cannot_be_removed_is_one_warning(locations):
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("needs root and chattr to make a file that cannot be removed")
    written = _fetched(locations, 5)
    _mark(locations, read=_urls(5))
    stuck = [written[3], written[4]]
    for path in stuck:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i refused here: {done.stderr.decode().strip()}")
    try:
        result = prune(locations, [FEED], Policy(max_items=1), now=NOW)
    finally:
        for path in stuck:
            subprocess.run(["chattr", "-i", str(path)], check=False)
    assert _left(written) == [0, 3, 4]
    assert result.removed == 2
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(f"cannot remove {written[3].parent}")
    assert "Operation not permitted (and 1 more)" in result.warnings[0]


def test_the_ledger_remembers_pruned_files_and_keeps_another_runs_records(locations):
    written = _fetched(locations, 4)
    _mark(locations, read=_urls(4))
    ledger = open_ledger(locations)
    other = open_ledger(locations)  # another process, recording a fetch at the same time
    extra = locations.cache / "feeds" / DOMAIN / "abcdefabcdefabcd.md"
    extra.write_text(render({"category": "news", "title": "x"}))
    other.record(extra, os.lstat(extra))
    other.save()
    prune(locations, [FEED], Policy(max_items=1), ledger=ledger, now=NOW)
    data = json.loads(ledger_path(locations.cache).read_text())
    folder = f"feeds/{DOMAIN}"
    assert sorted(data["files"]) == sorted(
        [f"{folder}/{written[0].name}", f"{folder}/{extra.name}"]
    )
    assert sorted(data["pruned"]) == sorted(f"{folder}/{path.name}" for path in written[1:])
    assert Ledger(locations.cache).get(f"{folder}/{written[1].name}") is None


def test_a_pruned_entry_the_feed_still_offers_is_not_written_again(locations):
    written = _fetched(locations, 5)
    _mark(locations, read=_urls(5))
    assert prune(locations, [FEED], Policy(max_items=2), now=NOW).removed == 3
    writer = ArticleWriter(locations.cache)
    again = [
        writer.write(_entry(n, n), feed_title="Example News", domain=DOMAIN, topics=())
        for n in range(6)
    ]
    assert again[:5] == [None] * 5  # two still there, three pruned
    assert again[5] is not None  # a new one is written as usual
    assert writer.pruned_offered == set(written[2:])


def test_the_index_drops_pruned_files_on_its_next_scan(locations):
    written = _fetched(locations, 6)
    _mark(locations, read=_urls(6))

    def indexed() -> set[str]:
        source = Source(locations)
        try:
            source.scan_index()
            return {entry.path for entry in source.index.entries()}
        finally:
            source.index.close()

    assert len(indexed()) == 6
    prune(locations, [FEED], Policy(max_items=2), now=NOW)
    assert indexed() == {f"feeds/{DOMAIN}/{path.name}" for path in written[:2]}


def test_the_quick_read_of_the_writers_own_layout_agrees_with_yaml(locations):
    from reader.feeds.owned import front_matter

    writer = ArticleWriter(locations.cache)
    odd = [
        (
            "title: with\nwebUrl: https://evil.example/",
            "Desk: \"quoted\" 'news'",
            "https://a.example/x?y='1'#z",
        ),
        ("yes", "no", "https://a.example/%20space"),
        ("- a list?", "#hash", "https://a.example/:colon: "),
        ("  ", "Ünïcode — name", "https://a.example/ü"),
    ]
    for number, (title, provider, url) in enumerate(odd):
        entry = FeedEntry(
            key=f"k{number}",
            title=title,
            summary="provider:\n  name: fake",
            url=url,
            published=dt.datetime(2024, 1, number + 1, tzinfo=dt.UTC) if number % 2 else None,
        )
        path = writer.write(entry, feed_title=provider, domain=DOMAIN, topics=("a: b",))
        assert path is not None
        quick = front_matter(path, own_layout=True)
        full = front_matter(path, own_layout=False)
        assert full is not None and quick is not None
        for name in ("category", "publishedDateTime", "webUrl"):
            assert quick.get(name) == full.get(name), (name, path.read_text())
        assert quick["provider"] == {k: full["provider"][k] for k in ("name", "domain")}
