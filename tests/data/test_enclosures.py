"""Enclosures (podcasts and video): parsed from feeds, written, and read back as untrusted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.article_text import article_text, as_json, as_text, number_links
from reader.articles import parse_text
from reader.enclosure import Enclosure, describe, from_front_matter, human_size, make
from reader.feeds.parse import parse_document
from reader.feeds.store import article_data, render

FEEDS = Path(__file__).parent.parent / "fixtures" / "feeds"


def _entries(name: str, url: str) -> dict[str, object]:
    parsed = parse_document((FEEDS / name).read_bytes(), url)
    return {entry.title: entry for entry in parsed.entries}


def _front(entry) -> dict:
    text = render(article_data(entry, feed_title="Feed", domain="example.com", topics=()))
    return yaml.safe_load(text.split("---\n")[1])


def test_rss_enclosures_are_kept_and_hostile_ones_dropped():
    entries = _entries("podcast.xml", "https://podcast.example.com/feed.xml")
    assert entries["Episode 1: Pilots"].enclosures == (
        Enclosure("https://cdn.example.com/audio/ep1.mp3", "audio/mpeg", 45_200_000),
    )
    assert entries["Episode 2: A hostile enclosure"].enclosures == ()  # javascript: dropped
    # A length that is no number is left out; MIME parameters are dropped.
    assert entries["Episode 3: A bad length"].enclosures == (
        Enclosure("https://cdn.example.com/audio/ep3.m4a", "audio/x-m4a", None),
    )
    # Media RSS: the video is an enclosure, the picture stays an image.
    clip = entries["A clip"]
    assert clip.enclosures == (Enclosure("https://cdn.example.com/clip.mp4", "video/mp4", 1234),)
    assert clip.images == ("https://cdn.example.com/clip.jpg",)
    notes = entries["Show notes only"]
    assert notes.enclosures == (Enclosure("https://cdn.example.com/notes.pdf", "application/pdf"),)


def test_atom_enclosure_link_is_resolved_against_the_feed():
    (entry,) = _entries("video.atom", "https://talks.example.org/feed.atom").values()
    assert entry.enclosures == (
        Enclosure("https://talks.example.org/media/feeds.webm", "video/webm", 2048),
    )


def test_json_feed_attachments():
    entries = _entries("attachments.json", "https://jsoncast.example.net/feed.json")
    assert entries["Episode with an attachment"].enclosures == (
        Enclosure("https://jsoncast.example.net/1.ogg", "audio/ogg", 3_500_000),
    )
    # data: dropped, a number as MIME type ignored (guessed from .ogg), "big" is no size.
    assert entries["Attachment with junk"].enclosures == (
        Enclosure("https://jsoncast.example.net/2.ogg", "audio/ogg", None),
    )


def test_an_audio_or_video_entry_is_written_with_its_type_and_enclosure():
    entries = _entries("podcast.xml", "https://podcast.example.com/feed.xml")
    front = _front(entries["Episode 1: Pilots"])
    assert front["type"] == "audio"
    assert front["enclosure"] == {
        "url": "https://cdn.example.com/audio/ep1.mp3",
        "type": "audio/mpeg",
        "length": 45_200_000,
    }
    assert _front(entries["Episode 3: A bad length"])["enclosure"] == {
        "url": "https://cdn.example.com/audio/ep3.m4a",
        "type": "audio/x-m4a",
    }
    clip = _front(entries["A clip"])
    assert clip["type"] == "video" and clip["images"] == [
        {"url": "https://cdn.example.com/clip.jpg"}
    ]
    for title in ("Episode 2: A hostile enclosure", "Show notes only"):
        front = _front(entries[title])
        assert front["type"] == "article" and "enclosure" not in front


def test_a_written_podcast_file_reads_back_the_same():
    entries = _entries("podcast.xml", "https://podcast.example.com/feed.xml")
    data = article_data(entries["Episode 1: Pilots"], feed_title="P", domain="d", topics=())
    article = parse_text(render(data))
    assert article.type == "audio"
    assert article.enclosure == Enclosure(
        "https://cdn.example.com/audio/ep1.mp3", "audio/mpeg", 45_200_000
    )


@pytest.mark.parametrize(
    "value",
    [
        {"url": "javascript:alert(1)", "type": "audio/mpeg"},
        {"url": "file:///etc/passwd"},
        {"url": "/relative.mp3"},
        {"url": ["https://x.example/a.mp3"]},
        "https://x.example/a.mp3",
        ["https://x.example/a.mp3"],
        None,
    ],
)
def test_an_unusable_enclosure_in_a_file_is_none(value):
    assert from_front_matter(value) is None


def test_enclosure_fields_from_a_file_are_validated():
    hostile = {
        "url": "https://x.example/a.mp3",
        "type": "audio/mpeg\n\x1b[31mred: yes",
        "length": -3,
    }
    enclosure = from_front_matter(hostile)
    # The type is no clean MIME type: the one the file name says is used; -3 is no size.
    assert enclosure == Enclosure("https://x.example/a.mp3", "audio/mpeg", None)
    for length in (True, "12.5MB", 1.5e30, 10**16, "0", 0):
        assert from_front_matter({"url": "https://x.example/a", "length": length}).length is None
    assert from_front_matter({"url": "https://x.example/a", "length": "1234"}).length == 1234
    upper = {"url": "https://x.example/a", "type": "Video/MP4"}
    assert from_front_matter(upper).type == "video/mp4"
    assert from_front_matter({"url": "https://x.example/a", "type": 4}).type == ""


def test_human_size_and_description():
    assert human_size(999) == "999 B"
    assert human_size(45_200_000) == "45.2 MB"
    assert human_size(1_500) == "1.5 kB"
    assert human_size(999_960) == "1.0 MB"
    assert human_size(3 * 10**12) == "3.0 TB"
    enclosure = Enclosure("https://x.example/a.mp3", "audio/mpeg", 45_200_000)
    assert describe(enclosure) == "▶ Audio · audio/mpeg · 45.2 MB"
    assert describe(Enclosure("https://x.example/v", "", None), "video") == "▶ Video"
    assert describe(Enclosure("https://x.example/v", "application/octet-stream")) == (
        "▶ Media · application/octet-stream"
    )
    assert make("https://x.example/clip.webm").type == "video/webm"


def test_show_prints_the_enclosure():
    text = (
        "---\ntitle: Episode\ntype: audio\nwebUrl: https://p.example/1\n"
        "enclosure:\n  url: https://cdn.example/1.mp3\n  type: audio/mpeg\n  length: 45200000\n"
        "---\nNotes.\n"
    )
    article = parse_text(text)
    body = article_text(article, None)
    assert "Media: ▶ Audio · audio/mpeg · 45.2 MB · https://cdn.example/1.mp3" in as_text(
        article, body
    )
    assert '"enclosure": {"url": "https://cdn.example/1.mp3", "type": "audio/mpeg"' in as_json(
        article, body
    )


def test_the_enclosure_takes_the_first_link_number():
    numbered = number_links("See [notes](https://n.example/).", ("https://cdn.example/1.mp3",))
    assert numbered.links == ("https://cdn.example/1.mp3", "https://n.example/")
    assert numbered.markdown == "See notes \\[2\\]."
