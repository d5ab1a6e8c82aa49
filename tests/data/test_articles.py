"""The parser of one article file (``reader.articles``): lenient and strict cases."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from conftest import BAD_ARTICLES, GOOD_ARTICLES, write_article

from reader.articles import MAX_FILE_BYTES, Article, ArticleError, load_article, parse_text

UTC = dt.UTC
# What no string coming out of the parser may contain: C0/C1 controls (tab and
# newline aside), DEL, ESC-introduced leftovers and bidi overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def load(name: str) -> Article:
    return load_article(GOOD_ARTICLES / name)


def strings_of(article: Article) -> list[str]:
    """Every string an article carries, nested ones included."""
    out = [article.title, article.excerpt, article.type, article.category, article.body]
    out += [article.url or "", article.amp_url or "", article.cdn_amp_url or ""]
    out += [article.provider.name, article.provider.domain, article.provider.logo or ""]
    out += [*article.topics, *article.tags]
    out += [s for image in article.images for s in (image.url, image.title)]
    for rel in article.related:
        out += [
            rel.title,
            rel.excerpt,
            rel.url or "",
            rel.type,
            rel.provider.name,
            rel.provider.domain,
        ]
        out += [s for image in rel.images for s in (image.url, image.title)]
    return out


# --- fixture integrity: git or an editor must not have "fixed" the tricky bytes ---


def test_tricky_fixture_bytes_are_intact() -> None:
    bom = (GOOD_ARTICLES / "bom_crlf.md").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf---\r\n") and b"\r\n---\r\n" in bom
    assert "\u0097".encode() in (GOOD_ARTICLES / "c1_control_in_title.md").read_bytes()
    assert b"\x1b[31m" in (GOOD_ARTICLES / "ansi_raw_title.md").read_bytes()
    assert b"\\e[31m" in (GOOD_ARTICLES / "ansi_yaml_escape.md").read_bytes()
    assert b"\x00" in (BAD_ARTICLES / "binary.md").read_bytes()
    assert b"\xe9" in (BAD_ARTICLES / "invalid_utf8.md").read_bytes()


# --- the reference shape and the two real generations --------------------------


def test_seed_shaped_article_has_every_field() -> None:
    a = load("seed_shaped.md")
    assert a.title == "Harbour city pilots autonomous ferries across the bay"
    assert a.excerpt.startswith("Three electric ferries will carry passengers")
    assert a.published == dt.datetime(2021, 3, 14, 9, 30, tzinfo=UTC)
    assert a.url == "https://news.example.com/2021/03/ferries"  # originalUrl wins over webUrl
    assert a.amp_url == "https://news.example.com/2021/03/ferries/amp/"
    assert (
        a.cdn_amp_url
        == "https://news-example-com.cdn.ampproject.org/c/s/news.example.com/2021/03/ferries/amp/"
    )
    assert (a.type, a.category, a.quality, a.heat, a.is_published) == (
        "article",
        "news",
        42,
        17,
        False,
    )
    assert (a.provider.name, a.provider.domain, a.provider.logo) == (
        "Example News",
        "news.example.com",
        None,
    )
    assert a.topics == ("Robotics", "Transport")
    assert a.tags == ("ferries", "autonomy")
    assert (
        a.body == "The ferries will run every twenty minutes.\n\nThey carry up to forty passengers."
    )
    assert a.path == GOOD_ARTICLES / "seed_shaped.md"
    (rel,) = a.related
    assert rel.title == "Autonomous shipping trials widen in northern Europe"
    assert rel.excerpt == "Regulators approved two more test corridors."
    assert rel.published == dt.datetime(2021, 3, 10, 8, 0, tzinfo=UTC)
    assert rel.url == "https://other.example.org/shipping-trials"
    assert (rel.provider.name, rel.provider.domain, rel.quality, rel.type) == (
        "Other Org",
        "other.example.org",
        51,
        "article",
    )
    assert [(i.url, i.width, i.height) for i in rel.images] == [
        ("https://img.example.org/ship.jpg", 1200, 800)
    ]


def test_older_generation_uses_source_and_amp_urls() -> None:
    a = load("older_generation.md")
    assert a.url == "https://lab.example.net/blog/speech-benchmark"
    assert a.amp_url == "https://lab.example.net/blog/speech-benchmark/amp"
    assert a.cdn_amp_url.startswith("https://lab-example-net.cdn.ampproject.org/")
    assert a.heat is None  # heat: -1 means unknown
    assert a.quality == 7
    assert a.body == ""
    assert a.excerpt.endswith("and the baseline err")  # cut mid-word in the source; kept as is
    (image,) = a.images
    assert (image.url, image.width, image.height, image.title) == (
        "https://lab.example.net/img/waveform.png",
        640,
        360,
        "A waveform with word boundaries",
    )
    (rel,) = a.related
    assert rel.url == "https://survey.example.edu/acoustic"
    assert rel.images[0].title == "Figure 1"


def test_newer_generation_video_with_provider_logo_and_high_quality() -> None:
    a = load("newer_generation.md")
    assert a.title == "Construire une appli Power Apps en 10 minutes — démo complète"
    assert a.type == "video"
    assert a.quality == 187  # above 100 is kept
    assert a.heat == 250
    assert a.url == "https://video.example/watch?v=abc123"
    assert a.provider == type(a.provider)(
        "Démo Studio", "video.example", "https://video.example/logo.png"
    )
    assert a.published == dt.datetime(2021, 2, 3, 10, 0, tzinfo=UTC)
    assert a.published.utcoffset() == dt.timedelta(hours=1)
    assert a.images[0].url == "https://img.video.example/abc123/maxres.jpg"
    assert "iframe" not in a.body  # featuredContent is not the body


# --- lenient cases: odd but loadable ------------------------------------------


def test_every_lenient_fixture_loads_and_is_clean() -> None:
    names = sorted(p.name for p in GOOD_ARTICLES.glob("*.md"))
    assert len(names) >= 20
    for name in names:
        article = load(name)
        assert article.title, name
        for text in strings_of(article):
            assert not UNSAFE.search(text.replace("\n", "").replace("\t", "")), (name, text)
        if article.published is not None:
            assert article.published.tzinfo is not None, name


def test_c1_control_inside_a_quoted_title() -> None:
    a = load("c1_control_in_title.md")
    assert a.title == "Chip makers the new race for smaller nodes"
    assert a.excerpt == "An excerpt with a C1 next-line and an 8-bit CSI sequence"
    assert a.quality == 20


def test_bom_and_crlf_line_endings() -> None:
    a = load("bom_crlf.md")
    assert a.title == "Windows line endings survive"
    assert a.published == dt.datetime(2021, 1, 5, 8, 0, tzinfo=UTC)
    assert a.topics == ("Power Apps",)
    assert a.body == "Line one.\nLine two."


def test_raw_ansi_escapes_bell_and_bidi_are_stripped() -> None:
    a = load("ansi_raw_title.md")
    assert a.title == "Market crash fears eased"
    assert a.excerpt == "Clear screen attempt"  # CSI and the whole OSC title sequence gone
    assert a.body == "Body blinking text."


def test_yaml_escaped_ansi_is_stripped_from_every_field() -> None:
    a = load("ansi_yaml_escape.md")
    assert a.title == "Prices fall again"
    assert a.excerpt == "An OSC link in the excerpt"
    assert a.category == "category"
    assert (a.provider.name, a.provider.domain) == ("Provider Green", "provider.example")
    assert a.topics == ("Topic Under",)
    assert a.tags == ("tagbell",)
    assert a.related[0].title == "Related reverse"
    assert a.images[0].title == "Image title"


def test_markup_like_text_is_kept_literally() -> None:
    a = load("markup_title.md")
    assert a.title == "[@click=app.quit]x[/]"
    assert (
        a.excerpt == "[bold red]not bold[/bold red] and [link=https://evil.example]no link[/link]"
    )
    assert a.provider.name == "[reverse]Provider[/]"
    assert a.topics == ("[b]Topic[/b]",)
    assert a.body == "Body with [@click=app.quit]markup[/] too."


def test_missing_optional_fields_get_defaults() -> None:
    a = load("missing_optional.md")
    assert a.title == "Only a title"
    assert (a.excerpt, a.published, a.url, a.amp_url, a.cdn_amp_url) == ("", None, None, None, None)
    assert (a.type, a.category, a.quality, a.heat, a.is_published) == (
        "article",
        "",
        None,
        None,
        None,
    )
    assert (a.provider.name, a.provider.domain, a.provider.logo) == ("", "", None)
    assert (a.topics, a.tags, a.images, a.related, a.body) == ((), (), (), (), "")


def test_numbers_where_strings_belong() -> None:
    a = load("number_title.md")
    assert (a.title, a.excerpt, a.provider.name) == ("12345", "3.5", "42")


def test_one_topic_as_a_plain_string() -> None:
    a = load("topic_string.md")
    assert a.topics == ("Machine Learning",)
    assert a.tags == ("solo-tag",)


def test_nulls_and_duplicates_inside_lists_are_dropped() -> None:
    a = load("nulls_in_lists.md")
    assert a.topics == ("AI", "Robotics")
    assert a.tags == ("kept",)
    assert [i.url for i in a.images] == ["https://img.example/kept.png"]
    assert [r.title for r in a.related] == ["Kept related"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("naive_date.md", dt.datetime(2020, 5, 6, 7, 8, 9, tzinfo=UTC)),
        ("date_only.md", dt.datetime(2020, 5, 6, tzinfo=UTC)),
        ("unparseable_date.md", None),
        ("impossible_date.md", None),  # 2020-13-45 once rejected the whole file
        ("far_future_date.md", None),  # year 10000 in UTC once crashed `newsreader list`
    ],
)
def test_dates(name: str, expected: dt.datetime | None) -> None:
    a = load(name)
    assert a.published == expected
    if expected is not None:
        assert a.published.utcoffset() == dt.timedelta(0)


def test_provider_as_a_plain_string() -> None:
    a = load("provider_string.md")
    assert (a.provider.name, a.provider.domain, a.provider.logo) == ("Plain Provider Ltd", "", None)


def test_related_holding_junk_keeps_the_usable_items() -> None:
    a = load("related_junk.md")
    assert [(r.title, r.url) for r in a.related] == [
        ("Kept with an unsafe link", None),
        ("Kept with an old-style link", "https://old.example/item"),
    ]
    assert a.related[1].provider.name == "String Provider"
    assert a.related[1].quality == 77


def test_related_images_and_tags_not_lists() -> None:
    a = load("related_not_list.md")
    assert (a.related, a.images, a.tags) == ((), (), ())


def test_unsafe_urls_are_never_taken() -> None:
    a = load("unsafe_urls_only.md")
    assert (a.url, a.amp_url, a.cdn_amp_url) == (None, None, None)
    b = load("unsafe_then_safe.md")
    assert b.url == "https://safe.example/article"


def test_keys_named_like_frontmatter_internals_and_numeric_keys() -> None:
    a = load("odd_keys.md")
    assert a.title == "Odd keys in the front matter"
    assert a.body == "Body."


@pytest.mark.parametrize(
    ("fields", "attr", "expected"),
    [
        ({"quality": "150"}, "quality", 150),
        ({"quality": 12.7}, "quality", 12),
        ({"quality": "high"}, "quality", None),
        ({"quality": True}, "quality", None),
        ({"quality": float("inf")}, "quality", None),
        ({"heat": -1}, "heat", None),
        ({"heat": 0}, "heat", 0),
        ({"heat": "-5"}, "heat", None),
        ({"published": "yes"}, "is_published", None),
        ({"type": ["video"]}, "type", "article"),
        (
            {"publishedDateTime": "2020-09-26T15:48:00Z"},
            "published",
            dt.datetime(2020, 9, 26, 15, 48, tzinfo=UTC),
        ),
        ({"publishedDateTime": 1600000000}, "published", None),
        ({"originalUrl": " https://spaced.example/x "}, "url", "https://spaced.example/x"),
        ({"originalUrl": "https://a.example/has space"}, "url", None),
        ({"originalUrl": "https://"}, "url", None),
        ({"webUrl": "HTTPS://Upper.example/"}, "url", "HTTPS://Upper.example/"),
    ],
)
def test_field_coercion(tmp_path: Path, fields: dict, attr: str, expected: object) -> None:
    path = write_article(tmp_path, "a.md", title="T", **fields)
    assert getattr(load_article(path), attr) == expected


def test_published_is_always_timezone_aware(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", title="T", publishedDateTime="2020-01-02T03:04:05+05:30")
    published = load_article(path).published
    assert published.utcoffset() == dt.timedelta(hours=5, minutes=30)
    assert published == dt.datetime(2020, 1, 1, 21, 34, 5, tzinfo=UTC)


def test_yaml_python_tag_does_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.md"
    path.write_text(
        f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n', encoding="utf-8"
    )
    with pytest.raises(ArticleError, match="constructor"):
        load_article(path)
    assert not marker.exists()


# --- strict cases: skipped with a one-line reason ------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("python_tag.md", "not valid YAML"),
        ("no_front_matter.md", "no front matter"),
        ("invalid_yaml.md", "not valid YAML"),
        ("front_matter_list.md", "not a mapping"),
        ("empty_front_matter.md", "empty"),
        ("no_title.md", "no usable title"),
        ("binary.md", "binary"),
        ("invalid_utf8.md", "not UTF-8"),
    ],
)
def test_strict_cases_raise_with_a_one_line_reason(name: str, reason: str) -> None:
    existed_before = os.path.exists("/tmp/pwned-by-yaml")
    with pytest.raises(ArticleError) as info:
        load_article(BAD_ARTICLES / name)
    message = str(info.value)
    assert reason in message
    assert "\n" not in message and "\r" not in message
    if not existed_before:
        assert not os.path.exists("/tmp/pwned-by-yaml")


def test_every_bad_fixture_is_covered() -> None:
    names = {p.name for p in BAD_ARTICLES.glob("*.md")}
    assert names == {
        "python_tag.md",
        "no_front_matter.md",
        "invalid_yaml.md",
        "front_matter_list.md",
        "empty_front_matter.md",
        "no_title.md",
        "binary.md",
        "invalid_utf8.md",
    }


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        "---\ntitle: x\n",  # never closed
        "---\njust a scalar\n---\n",
        "---\ntitle: '   '\n---\n",
        "---\ntitle: [a, list]\n---\n",
        "---\ntitle: {a: mapping}\n---\n",
        "---\ntitle: true\n---\n",
        "---\ntitle: ~\n---\n",
        '---\ntitle: "\x1b[31m\x1b[0m"\n---\n',  # nothing left after cleaning
        "---\ntitle: x\n  bad: indent\n---\n",
    ],
)
def test_more_strict_cases(text: str) -> None:
    with pytest.raises(ArticleError) as info:
        parse_text(text)
    assert str(info.value) and "\n" not in str(info.value)


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    head = b"---\ntitle: Huge\n---\n"
    path.write_bytes(head + b"x" * (MAX_FILE_BYTES + 1 - len(head)))
    with pytest.raises(ArticleError, match="too large"):
        load_article(path)
    path.write_bytes(head + b"x" * (MAX_FILE_BYTES - len(head)))  # exactly the limit still loads
    assert load_article(path).title == "Huge"


def test_directory_named_md(tmp_path: Path) -> None:
    (tmp_path / "x.md").mkdir()
    with pytest.raises(ArticleError, match="directory"):
        load_article(tmp_path / "x.md")


def test_broken_symlink_and_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "broken.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    with pytest.raises(ArticleError, match="broken symlink"):
        load_article(tmp_path / "broken.md")
    with pytest.raises(ArticleError, match="symlink loop"):
        load_article(tmp_path / "loop.md")


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(ArticleError, match="not a regular file"):
        load_article(fifo)  # must not block reading a FIFO
