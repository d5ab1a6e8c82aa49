"""OPML 2.0: the format feed readers use to hand subscription lists to each other.

Import reads every ``<outline>`` with an ``xmlUrl`` at any depth; the names
of the folders it sits in and its ``category`` attribute become topics.
Export writes one flat outline per feed, topics in ``category``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET

from reader.feeds.config import Feed, FeedConfigError, check_feed_url, clean_topics
from reader.feeds.text import line

MAX_OPML_BYTES = 10 * 1024 * 1024


class OpmlError(Exception):
    """The file is not OPML we can read; ``str()`` is a one-line reason."""


def parse_opml(data: bytes) -> list[Feed]:
    """The feeds listed in an OPML document, in document order, without repeats."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError("file is larger than 10 MiB")
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise OpmlError("OPML with a DOCTYPE or entities is not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not valid XML: {line(str(exc))}") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"not OPML: the root element is <{line(root.tag)[:40]}>")
    body = root.find("body")
    if body is None:
        raise OpmlError("not OPML: no <body>")
    feeds: list[Feed] = []
    seen: set[str] = set()
    _walk(body, [], feeds, seen)
    return feeds


def _walk(element: ET.Element, folders: list[str], feeds: list[Feed], seen: set[str]) -> None:
    for outline in element.findall("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        name = line(outline.get("title") or outline.get("text") or "")
        if not url:
            _walk(outline, [*folders, name] if name else folders, feeds, seen)
            continue
        try:
            url = check_feed_url(url)
        except FeedConfigError:
            continue
        if url in seen:
            continue
        if name == url:  # exporters fill the required text attribute with the URL
            name = ""
        seen.add(url)
        categories = [
            part.strip().strip("/") for part in (outline.get("category") or "").split(",")
        ]
        feeds.append(Feed(url=url, name=name, topics=clean_topics([*folders, *categories])))


def to_opml(feeds: list[Feed], title: str = "newsreader feeds") -> str:
    """An OPML 2.0 document listing ``feeds``."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(
        dt.datetime.now(dt.UTC).replace(microsecond=0), usegmt=True
    )
    body = ET.SubElement(root, "body")
    for feed in feeds:
        label = feed.name or feed.url
        attributes = {"type": "rss", "text": label, "title": label, "xmlUrl": feed.url}
        if feed.topics:
            attributes["category"] = ",".join(t.replace(",", " ") for t in feed.topics)
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
