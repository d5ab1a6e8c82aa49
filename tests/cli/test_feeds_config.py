"""The feed list commands (add, list, remove, import, export) through click's CliRunner."""

from __future__ import annotations

import json
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader import paths
from reader.feeds import Feed, load_feeds, parse_opml, save_feeds
from reader.feeds.commands import feeds

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Never touch the real user folders."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("NEWSREADER_CACHE_DIR", raising=False)


@pytest.fixture
def locations(tmp_path) -> paths.Locations:
    return paths.resolve(tmp_path / "cache")


@pytest.fixture
def invoke(locations):
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(feeds, list(args), obj=locations, catch_exceptions=False)

    return run


def test_add_list_remove(invoke, locations):
    assert invoke("list").stderr.startswith("No feeds yet")
    added = invoke(
        "add",
        "https://example.org/feed.xml",
        "--topic",
        "Science",
        "-t",
        "science",
        "-t",
        "Space",
        "--name",
        'The "Example" \\ Feed',
    )
    assert added.exit_code == 0 and "Added https://example.org/feed.xml" in added.stdout
    assert invoke("add", "http://other.example.net/rss").exit_code == 0

    config = tomllib.loads(locations.feeds_config_path.read_text(encoding="utf-8"))
    assert config["feeds"] == [
        {
            "url": "https://example.org/feed.xml",
            "name": 'The "Example" \\ Feed',
            "topics": ["Science", "Space"],
        },
        {"url": "http://other.example.net/rss"},
    ]
    listed = [json.loads(text) for text in invoke("list", "--json").stdout.splitlines()]
    assert [(feed["title"], feed["url"], feed["topics"]) for feed in listed] == [
        ('The "Example" \\ Feed', "https://example.org/feed.xml", ["Science", "Space"]),
        ("other.example.net", "http://other.example.net/rss", []),
    ]

    removed = invoke("remove", "https://example.org/feed.xml")
    assert removed.exit_code == 0
    assert [feed.url for feed in load_feeds(locations.feeds_config_path)] == [
        "http://other.example.net/rss"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "javascript:alert(1)"), "not an http:// or https:// URL"),
        (("add", "example.org/feed"), "not an http:// or https:// URL"),
        (("remove", "https://nowhere.example/"), "is not in the feed list"),
    ],
)
def test_bad_input_is_one_clear_line(invoke, args, message):
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_adding_twice_is_refused(invoke, locations):
    assert invoke("add", "https://example.org/feed.xml").exit_code == 0
    again = invoke("add", "https://example.org/feed.xml", "-t", "X")
    assert again.exit_code == 1 and "already in the feed list" in again.stderr
    assert load_feeds(locations.feeds_config_path) == [Feed("https://example.org/feed.xml")]


def test_other_settings_in_config_toml_survive(invoke, locations):
    path = locations.feeds_config_path
    path.parent.mkdir(parents=True)
    path.write_text('theme = "dark"\n\n[reader]\nwrap = true\nwidth = 80\n', encoding="utf-8")
    assert invoke("add", "https://example.org/feed.xml").exit_code == 0
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    assert config["theme"] == "dark" and config["reader"] == {"wrap": True, "width": 80}
    assert config["feeds"] == [{"url": "https://example.org/feed.xml"}]


def test_broken_config_is_reported_and_never_overwritten(invoke, locations):
    path = locations.feeds_config_path
    path.parent.mkdir(parents=True)
    path.write_text("[[feeds]\nurl = ", encoding="utf-8")
    for args in (("list",), ("add", "https://example.org/feed.xml")):
        result = invoke(*args)
        assert result.exit_code == 1
        assert "is not valid TOML" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert path.read_text(encoding="utf-8") == "[[feeds]\nurl = "


def test_feed_without_url_in_config_is_reported(invoke, locations):
    path = locations.feeds_config_path
    path.parent.mkdir(parents=True)
    path.write_text('[[feeds]]\nname = "x"\n', encoding="utf-8")
    result = invoke("list")
    assert result.exit_code == 1 and "feed #1 has no url" in result.stderr


def test_import_opml(invoke, locations):
    assert invoke("add", "https://tech.example.com/rss").exit_code == 0
    result = invoke("import", str(FIXTURES / "subscriptions.opml"))
    assert result.exit_code == 0
    assert result.stdout.strip() == "Imported 2 feeds (1 already subscribed)"
    assert load_feeds(locations.feeds_config_path) == [
        Feed("https://tech.example.com/rss"),
        Feed("https://gadgets.example.com/atom.xml", "Gadgets", ("Tech", "Hardware", "Reviews")),
        Feed("http://top.example.org/feed.json", "Top level"),
    ]


def test_import_rejects_what_is_not_opml(invoke, locations, tmp_path):
    not_opml = tmp_path / "feed.opml"
    not_opml.write_bytes((FIXTURES / "rss2.xml").read_bytes())
    result = invoke("import", str(not_opml))
    assert result.exit_code == 1 and "not OPML" in result.stderr
    entity = tmp_path / "entity.opml"
    entity.write_text(
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>'
    )
    assert "DOCTYPE" in invoke("import", str(entity)).stderr
    assert not locations.feeds_config_path.exists()


def test_export_import_round_trip(invoke, locations, tmp_path):
    original = [
        Feed("https://example.org/feed.xml", "Example & <Co>", ("Science", "Space")),
        Feed("http://plain.example.net/rss"),
        Feed("https://json.example.com/feed.json?x=1&y=2", "", ("Tech",)),
    ]
    save_feeds(locations.feeds_config_path, original)
    exported = invoke("export")
    assert exported.exit_code == 0
    root = ET.fromstring(exported.stdout)
    assert root.get("version") == "2.0" and root.find("head/title") is not None
    assert [o.get("xmlUrl") for o in root.iter("outline")] == [feed.url for feed in original]

    assert parse_opml(exported.stdout.encode()) == original
    # Importing its own export into an empty list gives the same URLs and topics back.
    opml = tmp_path / "out.opml"
    opml.write_text(exported.stdout, encoding="utf-8")
    save_feeds(locations.feeds_config_path, [])
    assert invoke("import", str(opml)).stdout.strip() == "Imported 3 feeds"
    assert load_feeds(locations.feeds_config_path) == original


def test_every_command_has_help(invoke):
    for command in ("add", "list", "remove", "import", "export"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout
        assert len(result.stdout.split("Options:")[0].splitlines()) > 3
