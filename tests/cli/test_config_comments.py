"""Every command that writes config.toml keeps a person's comments, order and blank lines."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from reader.config.edit import ConfigWriteError, set_value
from reader.feeds.config import FeedConfigError, load_feeds, save_feeds

OPML = Path(__file__).parent.parent / "fixtures" / "feeds"

COMMENTED = """\
# My settings, kept by hand.
theme = "textual-dark"   # dark, always

# Tidy up after a month.
keep_days = 30

[list]   # the list
# dates I can read
date = "iso"

# -- news --
[[feeds]]
# the first one
url = "https://a.example/feed.xml"   # Alpha's feed
name = "Alpha"


[[feeds]]
url = "https://b.example/rss"
topic = "Boats"        # one topic
keep_days = 7          # short-lived

# podcasts below
[[openers]]
match = 'mp3$'   # audio
command = ["mpv", "{url}"]
"""

COMMENTS = re.findall(r"#[^\n]*", COMMENTED)


def _config(run_cli) -> Path:
    path = Path(run_cli("config", "--path").stdout.strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def _kept(text: str, *, but: tuple[str, ...] = ()) -> None:
    for comment in COMMENTS:
        if comment not in but:
            assert comment in text, f"lost: {comment}"
    assert "\n\n\n[[feeds]]" in text or "Alpha" not in text  # blank lines as written
    assert text.index("[list]") < text.index("[[feeds]]") < text.index("[[openers]]")


def test_feeds_add_keeps_comments(run_cli):
    path = _config(run_cli)
    result = run_cli("feeds", "add", "https://c.example/atom", "--no-check", "-t", "Sea")
    assert result.returncode == 0, result.stderr
    text = path.read_text()
    _kept(text)
    assert text.startswith(COMMENTED.split("# podcasts below")[0])  # untouched up to there
    urls = [feed.url for feed in load_feeds(path)]
    assert urls == ["https://a.example/feed.xml", "https://b.example/rss", "https://c.example/atom"]
    assert tomllib.loads(text)["feeds"][2] == {"url": "https://c.example/atom", "topics": ["Sea"]}


def test_feeds_remove_keeps_the_other_comments(run_cli):
    path = _config(run_cli)
    assert run_cli("feeds", "remove", "https://a.example/feed.xml").returncode == 0
    text = path.read_text()
    _kept(text, but=("# the first one", "# Alpha's feed"))
    assert "# -- news --\n" in text and "a.example" not in text
    assert [feed.url for feed in load_feeds(path)] == ["https://b.example/rss"]
    assert run_cli("feeds", "remove", "https://b.example/rss").returncode == 0
    text = path.read_text()
    assert "# podcasts below" in text and "[[feeds]]" not in text and "[[openers]]" in text


def test_feeds_import_keeps_comments(run_cli, tmp_path):
    path = _config(run_cli)
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="Tech">'
        '<outline text="D" xmlUrl="https://d.example/feed"/>'
        '<outline text="A" xmlUrl="https://a.example/feed.xml"/></outline></body></opml>'
    )
    result = run_cli("feeds", "import", opml)
    assert result.returncode == 0 and "Imported 1 feed (1 already subscribed)" in result.stdout
    text = path.read_text()
    _kept(text)
    assert [feed.url for feed in load_feeds(path)][-1] == "https://d.example/feed"


def test_renaming_and_settings_change_only_their_keys(tmp_path):
    """What the feeds screen does (rename, topics, full text, its own settings) via save_feeds."""
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    alpha, boats = load_feeds(path)
    alpha = replace(alpha, name="Alpha News", full_text=True, overrides=(("max_items", 50),))
    boats = replace(boats, topics=("Boats", "Sea"), overrides=())
    save_feeds(path, [alpha, boats])
    text = path.read_text()
    _kept(text, but=("# one topic", "# short-lived"))  # their keys were replaced or removed
    assert 'url = "https://a.example/feed.xml"   # Alpha\'s feed\nname = "Alpha News"' in text
    feeds = tomllib.loads(text)["feeds"]
    assert feeds[0] == {
        "url": "https://a.example/feed.xml",
        "name": "Alpha News",
        "full_text": True,
        "max_items": 50,
    }
    assert feeds[1] == {"url": "https://b.example/rss", "topics": ["Boats", "Sea"]}
    save_feeds(path, load_feeds(path))
    assert path.read_text() == text  # nothing changed, nothing moved


def test_a_table_the_reader_cannot_use_is_left_alone(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[[feeds]]\nname = "no url yet"  # fill in\n\n[[feeds]]\nurl = "https://a.example/"\n'
    )
    save_feeds(path, [])
    assert path.read_text() == '[[feeds]]\nname = "no url yet"  # fill in\n\n'


def test_a_theme_written_by_the_palette_keeps_comments(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    set_value(path, ("theme",), "nord")
    text = path.read_text()
    assert text == COMMENTED.replace('"textual-dark"', '"nord"')
    set_value(path, ("list", "date"), "relative")
    assert '[list]   # the list\n# dates I can read\ndate = "relative"\n' in path.read_text()


@pytest.mark.parametrize("bad", [b"theme = [\n", b"\xff\xfe", b'a = "x"\na = "y"\n'])
def test_a_file_that_is_not_valid_toml_is_never_written(tmp_path, bad, run_cli):
    path = tmp_path / "config.toml"
    path.write_bytes(bad)
    with pytest.raises(FeedConfigError) as raised:
        save_feeds(path, [])
    assert "left as it is" in str(raised.value) and "\n" not in str(raised.value)
    with pytest.raises(ConfigWriteError):
        set_value(path, ("theme",), "nord")
    assert path.read_bytes() == bad
    config = Path(run_cli("config", "--path").stdout.strip())
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(bad)
    result = run_cli("feeds", "add", "https://z.example/feed", "--no-check")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert config.read_bytes() == bad


def test_a_value_where_a_table_should_be_is_a_one_line_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("list = 3  # oops\n")
    with pytest.raises(ConfigWriteError, match=r"list is not a table$"):
        set_value(path, ("list", "date"), "iso")
    assert path.read_text() == "list = 3  # oops\n"
