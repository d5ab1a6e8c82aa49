"""The refresh and prune settings: top-level defaults, per-feed overrides, bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.feeds.config import (
    Feed,
    FeedConfigError,
    load_feeds,
    load_policy,
    save_feeds,
)
from reader.feeds.policy import Policy


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    policy = load_policy(tmp_path / "absent.toml")
    assert policy == Policy(refresh_minutes=30, keep_days=0, max_items=0, prune_unread=False)
    assert not policy.prunes


def test_a_feed_overrides_the_top_level_settings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "keep_days = 30\nrefresh_minutes = 10\n"
        '[[feeds]]\nurl = "https://a.example/feed"\nmax_items = 5\nrefresh_minutes = 0\n'
        '[[feeds]]\nurl = "https://b.example/feed"\n',
    )
    defaults = load_policy(path)
    first, second = load_feeds(path)
    assert first.policy(defaults) == Policy(refresh_minutes=0, keep_days=30, max_items=5)
    assert second.policy(defaults) == Policy(refresh_minutes=10, keep_days=30)
    assert first.policy(defaults).prunes


def test_a_feeds_topic_comes_first_and_survives_a_save(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[feeds]]\nurl = "https://a.example/feed"\ntopic = "Science"\ntopics = ["Space"]\n'
        "prune_unread = true\n",
    )
    (feed,) = load_feeds(path)
    assert feed.topics == ("Science", "Space")
    save_feeds(path, [feed])
    assert load_feeds(path) == [feed]
    assert "prune_unread = true" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text, words",
    [
        ("keep_days = -1\n", "keep_days must be between 0"),
        ('max_items = "ten"\n', "max_items must be a whole number"),
        ("refresh_minutes = true\n", "refresh_minutes must be a whole number"),
        ('prune_unread = "yes"\n', "prune_unread must be true or false"),
    ],
)
def test_a_bad_top_level_value_is_named(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(FeedConfigError, match=words):
        load_policy(write(tmp_path, text))


def test_a_bad_feed_value_names_the_feed(tmp_path: Path) -> None:
    path = write(tmp_path, '[[feeds]]\nurl = "https://a.example/feed"\nkeep_days = 1.5\n')
    with pytest.raises(FeedConfigError, match="feed #1: keep_days must be a whole number"):
        load_feeds(path)


def test_overrides_are_kept_in_the_feed_table() -> None:
    feed = Feed(url="https://a.example/feed", overrides=(("max_items", 3),))
    assert feed.to_toml() == {"url": "https://a.example/feed", "max_items": 3}
