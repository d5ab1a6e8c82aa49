"""``newsreader feeds add`` with a site's address: the feeds its page names are found.

Against the site of ``tests/discover_server.py`` on 127.0.0.1. An address
that says it is a feed (``/feed.xml``, ``/rss``) is still added offline,
without a request, as before; a download that fails adds the address as
given with a warning (as newsboat adds any URL to its list and reports a
failure at the fetch); a page that names no feed, or a document that is
neither page nor feed, is refused with one line.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PROXY_VARS
from discover_server import DiscoverServer, serving

from reader import paths
from reader.feeds import Feed, load_feeds
from reader.feeds.commands import feeds

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site() -> Iterator[DiscoverServer]:
    with serving() as server:
        yield server


@pytest.fixture
def locations(tmp_path) -> paths.Locations:
    return paths.resolve(tmp_path / "cache")


@pytest.fixture
def invoke(locations):
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(feeds, list(args), obj=locations, catch_exceptions=False)

    return run


def _urls(locations: paths.Locations) -> list[str]:
    return [feed.url for feed in load_feeds(locations.feeds_config_path)]


def test_a_page_with_one_feed_adds_it_and_says_which(invoke, locations, site):
    result = invoke("add", site.url("/one/"), "--topic", "Blogs")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{site.url('/one/')} is a web page; it names one feed: Blog (RSS)",
        f"Added {site.url('/blog/rss.xml')} (Blog)",
    ]
    assert load_feeds(locations.feeds_config_path) == [
        Feed(site.url("/blog/rss.xml"), topics=("Blogs",))
    ]


def test_a_page_with_several_feeds_adds_the_first_and_lists_the_others(invoke, locations, site):
    result = invoke("add", site.url("/"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{site.url('/')} names 3 feeds:",
        f"  1. Example posts (Atom)  {site.url('/feed.xml')}  (added)",
        f"  2. Comments (RSS)  {site.url('/comments.rss')}",
        f"  3. JSON & more (JSON Feed)  {site.url('/feed.json')}",
        f"Add another with: newsreader feeds add {site.url('/')} --pick N",
        f"Added {site.url('/feed.xml')} (Example posts)",
    ]
    assert _urls(locations) == [site.url("/feed.xml")]
    picked = invoke("add", site.url("/"), "--pick", "3")
    assert picked.exit_code == 0 and picked.stdout.endswith(
        f"Added {site.url('/feed.json')} (JSON & more)\n"
    )
    assert _urls(locations) == [site.url("/feed.xml"), site.url("/feed.json")]
    again = invoke("add", site.url("/"))
    assert again.exit_code == 1
    assert again.stderr == f"Error: {site.url('/feed.xml')} is already in the feed list\n"


def test_pick_beyond_the_feeds_named_is_refused(invoke, locations, site):
    result = invoke("add", site.url("/"), "--pick", "4")
    assert result.exit_code == 1
    assert result.stderr == f"Error: --pick 4: {site.url('/')} names only 3 feeds\n"
    assert not locations.feeds_config_path.exists()


def test_a_page_without_feeds_is_refused_with_one_line(invoke, locations, site):
    result = invoke("add", site.url("/plain/"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {site.url('/plain/')} is a web page that names no feed "
        '(no <link rel="alternate"> to RSS, Atom or JSON Feed)\n'
    )
    assert not locations.feeds_config_path.exists()


def test_an_address_that_is_a_feed_is_checked_and_added(invoke, locations, site):
    result = invoke("add", site.url("/mislabeled"))  # says nothing of a feed: downloaded
    assert result.exit_code == 0 and result.stdout.startswith(f"Added {site.url('/mislabeled')} (")
    assert _urls(locations) == [site.url("/mislabeled")]


def test_neither_page_nor_feed_is_refused(invoke, locations, site):
    result = invoke("add", site.url("/notes.txt"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {site.url('/notes.txt')} is not a feed: ")
    assert len(result.stderr.splitlines()) == 1
    assert not locations.feeds_config_path.exists()


def test_a_failed_download_adds_the_address_with_a_warning(invoke, locations, site):
    result = invoke("add", site.url("/gone"))
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: could not check {site.url('/gone')}: HTTP 404 Not Found; adding it as given\n"
    )
    assert result.stdout == f"Added {site.url('/gone')}\n"
    assert _urls(locations) == [site.url("/gone")]


def test_an_address_that_names_a_feed_is_added_offline_as_before(invoke, locations, site):
    before = len(site.requests)
    closed = "http://127.0.0.1:9/news/feed.xml"  # the discard port: nothing answers there
    result = invoke("add", closed)
    assert result.exit_code == 0 and result.stdout == f"Added {closed}\n" and not result.stderr
    assert invoke("add", site.url("/plain/"), "--no-check").exit_code == 0
    assert len(site.requests) == before  # neither was downloaded
    assert _urls(locations) == [closed, site.url("/plain/")]


def test_check_downloads_even_an_address_that_names_a_feed(invoke, locations, site):
    result = invoke("add", site.url("/feed.xml"), "--check")
    assert (
        result.exit_code == 0
        and result.stdout == f"Added {site.url('/feed.xml')} (Atom Chronicle)\n"
    )
    assert invoke("add", site.url("/"), "--no-check", "--pick", "2").exit_code == 1


def test_the_real_command_adds_from_a_page_without_a_traceback(site, tmp_path):
    env = {
        name: value
        for name, value in __import__("os").environ.items()
        if name not in PROXY_VARS and name != "NEWSREADER_CACHE_DIR"
    }
    env["PYTHONPATH"] = str(REPO)
    command = [sys.executable, "-m", "reader", "--cache-dir", str(tmp_path / "c")]
    added = subprocess.run(
        [*command, "feeds", "add", site.url("/one/")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    refused = subprocess.run(
        [*command, "feeds", "add", site.url("/plain/")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    config = tomllib.loads(paths.resolve(tmp_path / "c").feeds_config_path.read_text("utf-8"))
    assert config["feeds"] == [{"url": site.url("/blog/rss.xml")}]
