"""What there is to read of an article, and how the reader view prepares it."""

from __future__ import annotations

from reader.article_text import (
    EXCERPT,
    FILE,
    FULLTEXT,
    article_text,
    number_links,
    preview,
    reading_minutes,
)
from reader.articles import Article
from reader.fulltext.store import FullText, FullTextStore


def test_the_files_body_comes_first_then_the_full_text_then_the_excerpt(tmp_path):
    store = FullTextStore(tmp_path)
    url = "https://a.example/story"
    bare = Article(title="T", excerpt="The excerpt.", url=url)
    assert article_text(bare, store).source == EXCERPT
    assert article_text(bare, store).markdown == "The excerpt."
    store.put(FullText(url, error="HTTP 403"))
    failed = article_text(bare, store)
    assert failed.source == EXCERPT and failed.fulltext.error == "HTTP 403"
    store.put(FullText(url, markdown="The **whole** story."))
    assert article_text(bare, store).source == FULLTEXT
    assert article_text(bare, store).text == "The whole story."
    own = Article(title="T", excerpt="E", url=url, body="Own body.\n")
    assert (article_text(own, store).source, article_text(own, store).markdown) == (
        FILE,
        "Own body.",
    )
    assert article_text(bare, None).source == EXCERPT


def test_links_are_numbered_in_reading_order_once_per_url():
    numbered = number_links(
        "A [report](https://a.example/r), <https://auto.example/x>, [image: cat](https://i.example/c)"
        ' and the [report](https://a.example/r "Title") again; [spaced](<https://s.example/a b>).'
    )
    assert numbered.links == (
        "https://a.example/r",
        "https://auto.example/x",
        "https://i.example/c",
        "https://s.example/a b",
    )
    assert numbered.markdown == (
        "A report \\[1\\], https://auto.example/x \\[2\\], image: cat \\[3\\]"
        " and the report \\[1\\] again; spaced \\[4\\]."
    )


def test_escaped_brackets_and_empty_links_are_not_numbered():
    numbered = number_links("\\[not a link\\](x) and [empty]()")
    assert numbered.links == () and numbered.markdown == "\\[not a link\\](x) and empty"


def test_reading_time_is_at_least_a_minute():
    assert reading_minutes("") == 1
    assert reading_minutes("word " * 2300) == 10


def test_the_preview_is_cut_after_a_paragraph_and_counts_what_is_left():
    short = "One paragraph."
    assert preview(short) == (short, 0)
    text = "\n\n".join(f"Paragraph {i} " + "word " * 50 for i in range(20))
    shown, left = preview(text, 1000)
    assert len(shown) <= 1000 and shown.endswith("word")
    assert text.startswith(shown) and left == len(text[len(shown) :].split())
