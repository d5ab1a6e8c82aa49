"""Podcasts and video end to end: fetched from a local server, written, listed and shown."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import frontmatter
import pytest

from reader import paths
from reader.feeds import Feed, Limits, fetch_feeds, save_feeds

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"
REPO = Path(__file__).resolve().parents[2]
TYPES = {
    "podcast.xml": "application/rss+xml",
    "video.atom": "application/atom+xml",
    "attachments.json": "application/feed+json",
}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        name = self.path.lstrip("/")
        if name not in TYPES:
            self.send_error(404)
            return
        body = (FIXTURES / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", TYPES[name])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def locations(tmp_path, monkeypatch) -> paths.Locations:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    return paths.resolve(tmp_path / "cache")


def _articles(cache: Path) -> dict[str, dict]:
    return {
        (data := frontmatter.load(path).metadata)["title"]: {**data, "path": path}
        for path in (cache / "feeds").rglob("*.md")
    }


def test_fetched_podcasts_and_videos_are_typed_with_their_enclosure(server, locations):
    feeds = [Feed(f"{server}/{name}") for name in TYPES]
    save_feeds(locations.feeds_config_path, feeds)
    report = fetch_feeds(locations, limits=Limits(timeout=5))
    assert report.failures == []

    articles = _articles(locations.cache)
    episode = articles["Episode 1: Pilots"]
    assert episode["type"] == "audio"
    assert episode["enclosure"] == {
        "url": "https://cdn.example.com/audio/ep1.mp3",
        "type": "audio/mpeg",
        "length": 45_200_000,
    }
    assert articles["A clip"]["type"] == "video"
    talk = articles["A talk on feeds"]
    assert talk["type"] == "video"
    # A relative enclosure is resolved against the document it came from.
    assert talk["enclosure"]["url"] == f"{server}/media/feeds.webm"
    assert articles["Episode with an attachment"]["enclosure"]["url"] == (
        "https://jsoncast.example.net/1.ogg"
    )
    hostile = articles["Episode 2: A hostile enclosure"]
    assert hostile["type"] == "article" and "enclosure" not in hostile
    assert "alert(1)" not in hostile["path"].read_text()

    # The reader sees them: type:audio finds the episodes, show prints the enclosure.
    run = [sys.executable, "-m", "reader", "--cache-dir", str(locations.cache)]
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(locations.cache)}
    listed = subprocess.run(
        [*run, "list", "type:audio", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    titles = {json.loads(row)["title"] for row in listed.stdout.splitlines() if row.strip()}
    assert titles == {
        "Episode 1: Pilots",
        "Episode 3: A bad length",
        "Episode with an attachment",
        "Attachment with junk",
    }
    shown = subprocess.run(
        [*run, "show", "--format", "text", str(episode["path"])],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert "Media: ▶ Audio · audio/mpeg · 45.2 MB · https://cdn.example.com/audio/ep1.mp3" in (
        shown.stdout
    )
