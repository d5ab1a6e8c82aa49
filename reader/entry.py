"""The row model: what the list, the sidebar and the search know of one article.

Every other module (the index that stores rows, the query that filters them,
the sidebar that counts them, the widgets that draw them) imports the row
type from here, so it needs nothing heavier than the standard library.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, count, islice, repeat
from operator import itemgetter
from typing import NamedTuple, Protocol

from reader.pieces import pieces
from reader.sanitize import clean_line

TOPIC_SEP = "\x1f"
"""Joins an entry's topics into one string (cheap to store, load and compare)."""


class Entry(NamedTuple):
    """What the list and the sidebar need of one article, as stored in the index."""

    path: str
    """Relative to the cache directory, with ``/`` separators."""
    title: str
    published: float | None
    """POSIX timestamp, or None when the file gives no usable date."""
    quality: int | None
    heat: int | None
    provider: str
    domain: str
    url: str | None
    type: str
    """``article`` or ``video`` (the file's ``type`` field)."""
    topics: str
    """Topic names joined by :data:`TOPIC_SEP` (see :func:`topics_of`)."""
    id: int | None = None
    """The index's row id: what full-text matches are reported as (None outside an index)."""
    group: int | None = None
    """The duplicate group: the smallest id among the copies of the same story (None: alone)."""


def split_topics(joined: str) -> list[str]:
    """The topic names in a :data:`TOPIC_SEP`-joined string."""
    return joined.split(TOPIC_SEP) if joined else []


def topics_of(entry: Entry) -> list[str]:
    """An entry's topics as a list."""
    return split_topics(entry.topics)


def has_topic(entry: Entry, name: str) -> bool:
    """Whether ``entry`` carries the topic spelled exactly ``name``."""
    return name in entry.topics and name in entry.topics.split(TOPIC_SEP)


_MACHINE_TAG = re.compile(
    r"[+-]?\d+(?:[.,]\d+)*"  # a bare number: 5.9, 2024, 1,000
    r"|[\w.-]+[:|]\S.*",  # key:value or key|value: a spaceless key glued to its value
    re.DOTALL,
)


def is_machine_tag(name: str) -> bool:
    """Whether a category reads as a feed's machine tag rather than a topic a person would pick.

    Machine tags (``storytype:standard``, ``language|en-US``, ``5.9``) are
    kept in the file but not offered as topics. The rule, on the stripped name:

    - a bare number (digits, optionally signed, groups joined by ``.`` or
      ``,``): ``5.9``, ``2024``, ``123``; ``Web 3.0`` and ``2024 elections`` stay;
    - ``key:value`` or ``key|value``: a key of letters, digits, ``_``, ``.``
      or ``-`` only (no space), then the separator with no space on either
      side. ``Covid-19: the response`` and ``AI: ethics`` stay (a person puts
      a space after a colon); so does ``AI | ethics``. A URL counts as a tag.

    A bare locale such as ``en-US`` stays: nothing in its shape tells it from
    real hyphenated topics (``G-20``, ``F-35``, ``X-Men``). Known loss: a name
    styled without the space, such as AWS's ``re:Invent``, is dropped.
    """
    return _MACHINE_TAG.fullmatch(name.strip()) is not None


def offered_topics(names: Iterable[str]) -> list[str]:
    """The names that are offered as topics: ``names`` in order, without machine tags."""
    return [name for name in names if not is_machine_tag(name)]


def entry_key(entry: Entry) -> str:
    """What read/star state is keyed by: the URL, else the path (survives re-indexing)."""
    return entry.url or entry.path


def entry_keys(entries: list[Entry]) -> list[str]:
    """:func:`entry_key` of every entry, with the loop in C when every entry has a URL (the usual
    case); URLs and paths left in the index asked for together (see :func:`urls_of`). A long
    list of such rows is better told its marks by :func:`reader.key_hashes.key_hashes`."""
    keys = urls_of(entries)
    if None in keys:  # their paths asked for together: they may stay in the index
        bare = [at for at, url in enumerate(keys) if not url]
        for at, path in zip(bare, paths_of([entries[at] for at in bare])):
            keys[at] = path
    return keys


_TOPICS_AT = Entry._fields.index("topics")
_PATH_AT = Entry._fields.index("path")
_TITLE_AT = Entry._fields.index("title")
_ID_AT = Entry._fields.index("id")
_URL_AT = Entry._fields.index("url")
_HELD_TITLE = itemgetter(_TITLE_AT)
_HELD_URL = itemgetter(_URL_AT)
_ID = itemgetter(_ID_AT)

file_key = itemgetter(_PATH_AT)
"""What tells one file's row from another's within one list: its path, or, for a row whose
path stays in the index (see :func:`rows_apart`), its id, held where the path would be (the
loops over a million rows stay in C, and read nothing). Rows of one list are all of one kind;
:func:`same_file_keys` matches a row against a list of either kind."""

TitleReads = Callable[[list[int]], dict[int, str]]
"""Row ids -> their titles as the index holds them (the ids it could not read left out)."""
UrlReads = Callable[[list[int]], dict[int, str | None]]
"""Row ids -> their URLs as the index holds them (None for none; unreadable ids left out)."""
PathReads = Callable[[list[int]], dict[int, str]]
"""Row ids -> their paths: the index's, else those of rows it removed lately."""
IdReads = Callable[[list[str]], dict[str, int]]
"""Paths -> the ids of the rows the index holds for them now."""


class KeyTaking(Protocol):
    """What the hashes of decoded rows' keys go to (:class:`reader.key_hashes.KeyTable`)."""

    def add(self, ids: list[int], keys: Iterable[str]) -> None: ...


def rows_apart(
    read_titles: TitleReads,
    read_paths: PathReads | None = None,
    ids_at: IdReads | None = None,
    read_urls: UrlReads | None = None,
    key_hashes: Callable[[Sequence[int]], object] | None = None,
) -> type[Entry]:
    """A row type whose titles (and, with ``read_paths``, paths, with ``read_urls`` URLs) stay
    in the index, read by id when asked for.

    At a million articles the titles held in memory cost 113 MiB (a string of about 65
    characters each), the paths 72 MiB, the URLs 86 MiB, and the list shows some forty of them
    at a time. A row of this type holds its id where an :class:`Entry` holds its title, path
    and URL (the same int object: nothing more per row; None for no URL), and its ``title``,
    ``path`` and ``url`` read the index by that id (tens of microseconds). Everything else
    about it is an :class:`Entry`'s; a row given a title (``_replace(title=...)``) shows that
    one. Bulk readers go through :func:`titles_of`, :func:`paths_of` and :func:`urls_of`, which
    ask for many at once; the marks are told by their keys' hashes, made as the rows were
    decoded (``key_hashes``: ids -> an array of them, see :mod:`reader.key_hashes`).
    ``ids_at`` finds the rows a file has now (a changed file's row has a new id): see
    :func:`same_file_keys`.
    """

    def title(row: Entry) -> str:
        held = _HELD_TITLE(row)
        if held.__class__ is str:
            return held
        found = read_titles([row.id]).get(row.id)
        return found if found is not None else _title_unread(row)

    def path(row: Entry) -> str:
        held = file_key(row)
        if held.__class__ is str or read_paths is None:
            return held
        found = read_paths([row.id]).get(row.id)
        return found if found is not None else ""

    def url(row: Entry) -> str | None:
        held = _HELD_URL(row)
        if held is None or held.__class__ is str or read_urls is None:
            return held
        return read_urls([row.id]).get(row.id)

    return type(
        "IndexedEntry",
        (Entry,),
        {
            "__slots__": (),
            "__doc__": "An :class:`Entry` whose title, path and URL are read from the index "
            "(see :func:`rows_apart`).",
            "title": property(title, doc="The title, read from the index."),
            "path": property(path, doc="The path, read from the index ('' when it cannot be)."),
            "url": property(url, doc="The URL, read from the index (None when it cannot be)."),
            "read_titles": staticmethod(read_titles),
            "read_paths": staticmethod(read_paths or (lambda ids: {})),
            "read_urls": staticmethod(read_urls or (lambda ids: {})),
            "key_hashes": staticmethod(key_hashes) if key_hashes is not None else None,
            "ids_at": staticmethod(ids_at or (lambda paths: {})),
            "__eq__": _equal_whole,
            "__ne__": lambda row, other: not _equal_whole(row, other),
            "__hash__": lambda row: hash(_whole(row)),
        },
    )


def _whole(row: Entry) -> tuple:
    """``row``'s fields as a plain tuple, its title and path read where the row holds its id
    instead."""
    if _HELD_TITLE(row).__class__ is str and file_key(row).__class__ is str:
        if _HELD_URL(row).__class__ is not int:
            return tuple(row)
    return (row.path, row.title, *row[_TITLE_AT + 1 : _URL_AT], row.url, *row[_URL_AT + 1 :])


def _equal_whole(row: Entry, other: object) -> bool:
    """Rows are equal when their fields are, titles and paths read or held alike: the first
    page's row and the whole list's of the same article are the same article."""
    if tuple.__eq__(row, other) is True:
        return True
    if not isinstance(other, Entry) or _rest(row) != _rest(other):
        return False  # the rest differs (the id, say): no title, path or URL read
    return _whole(row) == _whole(other)


def _rest(row: Entry) -> tuple:
    """``row``'s fields that a row read apart holds as they are."""
    return row[_TITLE_AT + 1 : _URL_AT] + row[_URL_AT + 1 :]


def same_file_keys(row: Entry) -> set:
    """The :func:`file_key` values under which ``row``'s file may be found in a list of rows of
    either kind: its path, its id, and the id its file's row has in the index now (the list
    was read again after the file changed, and the row kept is the one shown before)."""
    path = row.path
    keys = {file_key(row), path, row.id} - {None, ""}
    ids_at = getattr(type(row), "ids_at", None)
    if ids_at is not None and path:
        keys.update(ids_at([path]).values())
    return keys


def _title_unread(row: Entry) -> str:
    """What shows for a title the index no longer gives (the index closed, or the row gone
    since the list was read, until the list is patched): the file's name, made safe to show."""
    return clean_line(row.path.rpartition("/")[2]) or "Untitled"


def titles_of(rows: Sequence[Entry]) -> list[str]:
    """The title of every row, those of rows from :func:`rows_apart` asked for together, one
    call per index, rather than a read each; the loops in C where every row is apart (a title
    search over a whole list of a million)."""
    titles = _read_apart(rows, _HELD_TITLE, "read_titles")
    if None in titles:  # titles the index no longer gives
        titles = [_title_unread(row) if t is None else t for t, row in zip(titles, rows)]
    return titles


def paths_of(rows: Sequence[Entry]) -> list[str]:
    """The path of every row, asked for together as :func:`titles_of` asks for titles ('' for
    a path the index cannot give)."""
    paths = _read_apart(rows, file_key, "read_paths")
    if None in paths:
        paths = ["" if p is None else p for p in paths]
    return paths


def urls_of(rows: Sequence[Entry]) -> list[str | None]:
    """The URL of every row (None for none), asked for together as :func:`titles_of` asks for
    titles."""
    return _read_apart(rows, _HELD_URL, "read_urls")


def _read_apart(rows: Sequence[Entry], held: Callable[[Entry], object], reads: str) -> list:
    """``held`` of every row, where the row holds its id instead (an int) read by the ``reads``
    of its type, once per type; None where that gives nothing."""
    values = list(map(held, pieces(rows)))
    apart = list(compress(count(), map(isinstance, values, repeat(int))))
    kinds = set(map(type, map(rows.__getitem__, apart)))
    for kind in kinds:
        positions = apart if len(kinds) == 1 else [at for at in apart if type(rows[at]) is kind]
        ids = list(map(_ID, map(rows.__getitem__, positions)))
        read = getattr(kind, reads, None)
        found = list(map(read(ids).get, ids)) if read is not None else [None] * len(ids)
        if len(positions) == len(values):
            values = found
        else:
            for at, value in zip(positions, found):
                values[at] = value
    return values


SHARED_FIELDS = frozenset({"provider", "domain", "type", "topics"})
"""Fields whose values repeat across entries (a few hundred providers, some thousand topic sets):
held once each in memory (see :func:`shared`)."""


def shared(values: list, first: dict | None = None) -> list:
    """``values`` with equal ones made one object, the first of them (the loop in C).

    Decoded from JSON, each of 100,000 provider names is a fresh string: about 240 bytes an
    entry go to copies of the provider, domain, type and topics. Shared, they cost a pointer,
    and the lookups keyed on them (the filter columns, the counts) hash each string once.
    ``first`` (the values met so far, kept by the caller) shares them across several calls.
    """
    first = {} if first is None else first
    return list(map(first.setdefault, values, values))


class EntryDecoder:
    """Entries decoded from JSON arrays of their fields, one chunk of rows after another, each
    repeated string (see :data:`SHARED_FIELDS`) held once across every chunk.

    Decoded chunk by chunk without it, the whole list held a copy of its provider, domain,
    type and topics per entry: 240 bytes an entry, 23 MiB at 100,000.
    """

    def __init__(self) -> None:
        self._first: dict[str, dict] = {name: {} for name in SHARED_FIELDS}
        self.topic_numbers: dict[str, int] = {}
        """Every joined topics string decoded, numbered in the order first met."""
        self.topic_codes: list[array] = []
        """The number (see :attr:`topic_numbers`) of each entry decoded, an array per chunk, in
        decoding order: what a collection's topic views are filtered by, made here a chunk at a
        time (a few milliseconds each) rather than by a pass over a million entries once they
        are in."""
        self.keys: KeyTaking | None = None
        """Where the keys of rows decoded apart go, hashed (see :mod:`reader.key_hashes`): given,
        their URLs and paths are left out of the rows (see :meth:`decode`)."""

    def decode(
        self, count: int, texts: list[str | None], row_type: type[Entry] = Entry
    ) -> list[Entry]:
        """``count`` entries from one JSON array per field, in :class:`Entry`'s field order.

        Each text is dropped from ``texts`` as soon as it is decoded, so the peak holds one of
        them, not all twelve. Raises ValueError when an array is not ``count`` long. With a
        ``row_type`` from :func:`rows_apart`, the titles' text may be None, and then the paths'
        too: each row then holds its id in their place. With :attr:`keys` as well, each row's
        key (its URL, else its path: that text holds the paths of the rows without a URL) goes
        there hashed, and the row holds its id for a URL (None for none) and for a path.
        """
        apart = row_type is not Entry and texts[_TITLE_AT] is None
        keyed = apart and self.keys is not None
        paths_apart = apart and texts[_PATH_AT] is None
        if apart and len(texts) <= _ID_AT:
            raise ValueError("rows without ids cannot read their titles apart")
        columns: list[list] = []
        for at, name in enumerate(Entry._fields[: len(texts)]):
            text, texts[at] = texts[at], None
            if (apart and at == _TITLE_AT) or (paths_apart and at == _PATH_AT):
                columns.append([])  # the ids', below
                continue
            column = json.loads(text or "[]")
            del text
            if len(column) != count:
                raise ValueError("columns of different lengths")
            first = self._first.get(name)
            columns.append(column if first is None else shared(column, first))
        if apart:
            columns[_TITLE_AT] = columns[_ID_AT]
        if keyed:
            self._hash_keys(columns)
        elif paths_apart:
            columns[_PATH_AT] = columns[_ID_AT]
        entries = list(map(tuple.__new__, repeat(row_type), zip(*columns)))
        if len(columns) == len(Entry._fields):
            self._number(columns[_TOPICS_AT])
        return entries

    def _hash_keys(self, columns: list[list]) -> None:
        """Give :attr:`keys` the key of each row of a chunk, and leave the rows their ids
        where their URLs and paths were (None where there is no URL)."""
        ids, urls, bare = columns[_ID_AT], columns[_URL_AT], columns[_PATH_AT]
        if None in urls or "" in urls:
            keys = [url or path for url, path in zip(urls, bare)]
            columns[_URL_AT] = [None if url is None else at for url, at in zip(urls, ids)]
        else:
            keys, columns[_URL_AT] = urls, ids
        self.keys.add(ids, keys)  # type: ignore[union-attr]
        columns[_PATH_AT] = ids

    def _number(self, topics: list[str]) -> None:
        """Number the joined topics of a chunk decoded (the strings met first get new numbers:
        they are the newest keys of the shared ``topics`` strings, kept in the order met)."""
        numbers, met = self.topic_numbers, self._first["topics"]
        if len(met) > len(numbers):
            numbers.update(zip(islice(met, len(numbers), None), count(len(numbers))))
        self.topic_codes.append(array("i", map(numbers.__getitem__, topics)))


def entries_from_json(count: int, texts: list[str | None]) -> list[Entry]:
    """``count`` entries from one JSON array per field (see :meth:`EntryDecoder.decode`)."""
    return EntryDecoder().decode(count, texts)
