"""Entries' whole text kept as the article's Markdown body, safely.

Converted by :mod:`reader.html_markdown` from RSS ``content:encoded``, Atom
``content`` and JSON Feed ``content_html``/``content_text``; scripts, frames,
forms and pixels dropped, images turned into links, unsafe links unlinked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import frontmatter
import pytest

from reader.feeds import store
from reader.feeds.parse import parse_document
from reader.feeds.store import ArticleWriter, render, stable_id
from reader.html_markdown import MAX_BODY_CHARS, html_to_markdown

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"


def test_html_becomes_markdown_with_absolute_links():
    md = html_to_markdown(
        '<h2>Head</h2><p>A <b>bold</b> <a href="/x?a=1">link</a>.</p><ul><li>one</li></ul>',
        "https://site.example/post/1",
    )
    assert md == "## Head\n\nA **bold** [link](https://site.example/x?a=1).\n\n- one"


def test_nothing_executable_or_tracking_survives():
    md = html_to_markdown(
        "<p>Text</p><script>alert(1)</script><style>p{}</style>"
        '<iframe src="https://evil.example/"></iframe>'
        '<form><input value="x"><button>Go</button></form><object data="x.swf">fallback</object>'
        '<img src="https://t.example/p.gif" width="1" height="1">'
        '<img src="https://feeds.feedburner.com/~r/x/~4/abc">'
    )
    assert md == "Text"


def test_images_become_links_and_only_web_and_mail_links_stay():
    md = html_to_markdown(
        '<img src="https://i.example/a.png" alt="A [cat]"> <img src="data:image/png;base64,AAAA">'
        '<img src="file:///etc/passwd" alt="secret"><a href="javascript:alert(1)">js</a> '
        '<a href="file:///etc/passwd">file</a> <a href="mailto:a@b.example">mail</a>'
    )
    assert "[image: A (cat)](https://i.example/a.png)" in md
    assert "data:" not in md and "file:" not in md and "javascript:" not in md
    assert "js" in md and "file" in md  # the words stay, unlinked
    assert "[mail](mailto:a@b.example)" in md
    assert "secret" not in md


def test_control_characters_and_escapes_are_removed_and_markup_is_kept_as_text():
    md = html_to_markdown("<p>\x1b[31mred\x1b[0m \x97dash \x07 [@click=app.quit]x[/]</p>")
    assert "\x1b" not in md and "\x97" not in md and "\x07" not in md
    assert "[@click=app.quit]x[/]" in md  # literal text; the view never interprets markup


def test_a_huge_body_is_cut_at_a_paragraph():
    html = "".join(f"<p>{'word ' * 200}{i}</p>" for i in range(1000))
    md = html_to_markdown(html)
    assert len(md) <= MAX_BODY_CHARS + 3 and md.endswith("…")


def test_rss_content_encoded_is_the_body():
    feed = parse_document((FIXTURES / "content.xml").read_bytes(), "https://harbour.example/feed")
    tides, note = feed.entries
    assert tides.summary == "The quay opened on Monday."
    assert tides.body.startswith(
        "The quay opened on Monday, [as planned](https://harbour.example/2023/plans)."
    )
    assert "## What changes" in tides.body and "- Ferries dock at berth 2" in tides.body
    assert "[image: The new quay](https://harbour.example/img/quay.jpg)" in tides.body
    assert "[Write to us](mailto:desk@harbour.example)" in tides.body
    for gone in ("owned", "video.example", "Subscribe", "pixel.gif", "javascript"):
        assert gone not in tides.body
    assert note.body == "Only a summary, nothing more."


def test_atom_content_is_the_body_when_longer_than_the_summary():
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
<link href="https://atom.example/"/><updated>2024-01-01T00:00:00Z</updated>
<entry><title>E</title><id>urn:e</id><link href="https://atom.example/e"/>
<updated>2024-01-01T00:00:00Z</updated><summary>Short.</summary>
<content type="html">&lt;p&gt;Short.&lt;/p&gt;
&lt;p&gt;And the &lt;em&gt;rest&lt;/em&gt; of it.&lt;/p&gt;</content>
</entry></feed>"""
    (entry,) = parse_document(atom, "https://atom.example/feed").entries
    assert entry.body == "Short.\n\nAnd the *rest* of it."


def test_json_feed_html_and_text_bodies():
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "home_page_url": "https://j.example/",
        "items": [
            {"id": "1", "url": "https://j.example/1", "content_html": "<p>Hi <i>there</i></p>"},
            {
                "id": "2",
                "url": "https://j.example/2",
                "content_text": "Line one.\n\nLine \x1b[2Jtwo.",
            },
        ],
    }
    first, second = parse_document(json.dumps(doc).encode(), "https://j.example/feed.json").entries
    assert first.body == "Hi *there*"
    assert second.body == "Line one.\n\nLine two."


def _entry(body_html: str, summary: str = "Summary."):
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "home_page_url": "https://j.example/",
        "items": [
            {
                "id": "k",
                "url": "https://j.example/k",
                "title": "T",
                "summary": summary,
                "content_html": body_html,
            }
        ],
    }
    return parse_document(json.dumps(doc).encode(), "https://j.example/feed.json").entries[0]


def test_the_writer_puts_the_body_under_the_front_matter(tmp_path):
    writer = ArticleWriter(tmp_path)
    path = writer.write(
        _entry("<p>Summary.</p><p>More.</p>"), feed_title="J", domain="j.example", topics=()
    )
    post = frontmatter.load(path)
    assert post["excerpt"] == "Summary." and post.content == "Summary.\n\nMore."


def test_a_body_that_only_repeats_the_excerpt_is_not_written(tmp_path):
    writer = ArticleWriter(tmp_path)
    path = writer.write(_entry("<p>Summary.</p>"), feed_title="J", domain="j.example", topics=())
    assert path.read_text(encoding="utf-8").endswith("---\n")


def _old_file(tmp_path, entry, **changes):
    """A file as an earlier fetch (front matter only) wrote it for ``entry``."""
    data = {
        "category": "news",
        "title": "T",
        "excerpt": "Summary.",
        "webUrl": entry.url,
        "type": "article",
        **changes,
    }
    path = tmp_path / "feeds" / "j.example" / f"{stable_id(entry.key)}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data), encoding="utf-8")
    return path


KNOWN = pytest.mark.parametrize("known", [None, set()], ids=["files read", "URLs from the index"])
"""How the writer learns what is under ``feeds/``: each file's head, or the index's URLs (the
reader on a big cache), when it tells a body-less file only as it completes it."""


@KNOWN
def test_a_file_written_earlier_without_a_body_is_completed(tmp_path, known):
    entry = _entry("<p>Summary.</p><p>The whole story.</p>")
    path = _old_file(tmp_path, entry)
    before = frontmatter.load(path).metadata
    writer = ArticleWriter(tmp_path, known_urls=known)
    assert writer.write(entry, feed_title="J", domain="j.example", topics=()) is None
    assert writer.complete(entry, "j.example") == path
    post = frontmatter.load(path)
    assert post.metadata == before and post.content == "Summary.\n\nThe whole story."
    assert writer.complete(entry, "j.example") is None  # once only


@KNOWN
def test_files_the_program_did_not_write_are_never_completed(tmp_path, known):
    entry = _entry("<p>Summary.</p><p>The whole story.</p>")
    foreign = _old_file(tmp_path, entry, category="notes")  # not the fetcher's front matter
    original = foreign.read_bytes()
    assert ArticleWriter(tmp_path, known_urls=known).complete(entry, "j.example") is None
    assert foreign.read_bytes() == original
    other = _old_file(tmp_path, entry, webUrl="https://j.example/another")
    original = other.read_bytes()
    assert ArticleWriter(tmp_path, known_urls=known).complete(entry, "j.example") is None
    assert other.read_bytes() == original


@KNOWN
def test_a_file_that_has_a_body_is_left_alone(tmp_path, known):
    entry = _entry("<p>Summary.</p><p>The whole story.</p>")
    path = _old_file(tmp_path, entry)
    path.write_text(path.read_text(encoding="utf-8") + "\nMy own notes.\n", encoding="utf-8")
    original = path.read_bytes()
    assert ArticleWriter(tmp_path, known_urls=known).complete(entry, "j.example") is None
    assert path.read_bytes() == original


def test_a_writer_given_the_urls_reads_no_file_and_skips_the_ones_it_knows(tmp_path, monkeypatch):
    def unread(*args, **kwargs):
        raise AssertionError("every file read, though the URLs were given")

    monkeypatch.setattr(store, "existing_urls", unread)
    folder = tmp_path / "feeds" / "j.example"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.md")  # opened, it would block the fetch for ever
    entry = _entry("<p>Summary.</p><p>The whole story.</p>")
    writer = ArticleWriter(tmp_path, known_urls={entry.url})
    assert writer.skipped == []
    assert writer.write(entry, feed_title="J", domain="j.example", topics=()) is None
    assert writer.complete(entry, "j.example") is None  # no file of its own to complete
    assert sorted(p.name for p in folder.iterdir()) == ["pipe.md"]
    other = ArticleWriter(tmp_path, known_urls=set())
    path = other.write(entry, feed_title="J", domain="j.example", topics=())
    assert path is not None and frontmatter.load(path)["webUrl"] == entry.url
