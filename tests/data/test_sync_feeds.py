"""Subscriptions travel through the sync folder: added, renamed and dropped, comments kept."""

from __future__ import annotations

from sync_machines import make_machines

from reader.feeds.config import Feed, load_feeds, save_feeds

FEED = "https://example.org/feed.xml"


def _config(machine):
    return machine.locations.feeds_config_path


def test_a_feed_subscribed_on_one_machine_is_subscribed_on_the_other(tmp_path, monkeypatch):
    _, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    _config(b).parent.mkdir(parents=True)
    _config(b).write_text('# my settings\ntheme = "nord"\n')
    save_feeds(_config(a), [Feed(FEED, name="Example")])
    a.sync()
    report = b.sync()
    assert report.feeds_added == [FEED]
    assert [(f.url, f.name) for f in load_feeds(_config(b))] == [(FEED, "Example")]
    text = _config(b).read_text()
    assert "# my settings" in text and 'theme = "nord"' in text


def test_a_feed_dropped_later_on_the_other_machine_is_dropped_everywhere(tmp_path, monkeypatch):
    _, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    save_feeds(_config(a), [Feed(FEED), Feed("https://example.org/other.xml")])
    a.sync()
    b.sync()
    save_feeds(_config(b), [Feed("https://example.org/other.xml")])  # unsubscribed on b
    b.sync()
    report = a.sync()
    assert report.feeds_removed == [FEED]
    assert [f.url for f in load_feeds(_config(a))] == ["https://example.org/other.xml"]
    a.sync()
    b.sync()  # a's next pass does not bring it back
    assert [f.url for f in load_feeds(_config(b))] == ["https://example.org/other.xml"]


def test_a_feed_list_that_cannot_be_read_is_left_alone(tmp_path, monkeypatch):
    _, (a, b) = make_machines(tmp_path, monkeypatch, "a", "b")
    save_feeds(_config(a), [Feed(FEED)])
    a.sync()
    _config(b).parent.mkdir(parents=True)
    _config(b).write_text("this is [not toml\n")
    report = b.sync()
    assert report.problems and "not valid TOML" in report.problems[0]
    assert _config(b).read_text() == "this is [not toml\n"
    _config(b).write_text("# fixed by hand\n")
    report = b.sync()  # the list catches up once it can be read again
    assert report.feeds_added == [FEED]
    assert [f.url for f in load_feeds(_config(b))] == [FEED]
