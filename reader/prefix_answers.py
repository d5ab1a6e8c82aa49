"""The matches of one- and two-letter prefixes, found ahead for a big index. No Textual.

The first letters of a search match most articles: at a million, FTS5 takes 90-160 ms to
list the ids under ``d*``, and about as long under ``do*``, each time a search begins. Those
answers depend on the index alone, so once the list has settled a thread finds them ahead,
on the side connection: every letter and digit, then the two-letter prefixes under the
letters that match many articles. The ones that match many (the slow ones) are kept, a bit
per row id (125 KiB each at a million), for that version of the index; any write to the index
makes them stale, and the next short search finds them again behind the screen.
"""

from __future__ import annotations

import re
import string
import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

WARM_FROM = 300_000
"""Articles from which short prefixes are found ahead: at 100,000, FTS5 lists a first letter's
matches in about 10 ms."""
KEPT_FROM = 150_000
"""Matches from which a prefix's answer is kept: FTS5 takes 15-20 ms for fewer at a million."""
LETTERS = string.ascii_lowercase + string.digits
"""The first characters found ahead (FTS5 folds case; other scripts are searched as typed)."""

_SHORT = re.compile(r'"([a-z0-9]{1,2})"\*')


def short_prefix(expression: str) -> str | None:
    """The one- or two-character prefix an FTS5 ``expression`` asks for alone (as
    :func:`reader.query.fts_expression` writes a first word being typed), lower case; None for
    anything else."""
    found = _SHORT.fullmatch(expression.lower()) if expression.isascii() else None
    return found.group(1) if found else None


class PrefixAnswers:
    """Short prefixes' matching row ids for one version of the index, as bit tables.

    Filled by :meth:`fill` with every one-letter answer of a version, then with every answer:
    a search reads either all the answers of their kind for one version or none.
    """

    def __init__(self) -> None:
        self._kept: tuple[Hashable, dict[str, np.ndarray], int] = (None, {}, 0)
        """The version of the index, the bit table per prefix, and how many row ids it spans."""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.wanted = False
        """Whether answers are found ahead at all (by the reader's screen, not ``list``)."""

    def version(self) -> Hashable:
        """The version of the index the answers were found for (None: none yet)."""
        return self._kept[0]

    def get(self, prefix: str, version: Hashable) -> np.ndarray | None:
        """The row ids matching ``prefix`` in this ``version`` of the index; None when not kept
        (not found ahead, few matches, or another version)."""
        kept_version, bits, span = self._kept
        table = bits.get(prefix) if kept_version == version else None
        if table is None:
            return None
        import numpy as np

        return np.flatnonzero(np.unpackbits(table, count=span)).astype(np.int32)

    def fill(self, version: Hashable, answers: dict[str, np.ndarray], span: int) -> None:
        """Keep ``answers`` (bit tables over ``span`` row ids) as those of ``version``."""
        self._kept = (version, answers, span)

    def start(self, find: Callable[[threading.Event], None]) -> None:
        """Run ``find`` in a daemon thread unless one runs already; it stops early once
        :meth:`close` sets the event it is given."""
        if self._stop.is_set() or (self._thread is not None and self._thread.is_alive()):
            return
        self._thread = threading.Thread(
            target=find, args=(self._stop,), name="newsreader-prefixes", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop finding answers (the index is closing)."""
        self._stop.set()


CHUNK_IDS = 1 << 16
"""Row ids whose matches are listed at a time: the text of a million ids and its array held the
reader's peak 35 MiB higher at a million (a process finding every answer alone: 1,000,000 ids
at a time +30 MiB, 131,072 +22, 65,536 +14, with 8 MiB of answers kept)."""


def find_answers(
    search: Callable[[str, int, int], np.ndarray | None],
    count: Callable[[str], int | None],
    top: int,
    stop: threading.Event,
    first_found: Callable[[dict[str, np.ndarray]], None] | None = None,
) -> dict[str, np.ndarray] | None:
    """The kept answers (see :data:`KEPT_FROM`) of every prefix in :data:`LETTERS`, then of the
    two-letter prefixes under the one-letter ones kept, as bit tables over row ids ``0..top``;
    None when ``search`` or ``count`` could not answer (they give None) or ``stop`` was set.

    ``first_found``, when given, is handed the one-letter answers as soon as they are all
    found: a search's first key is the one that needs them, and they take about a third of the
    whole time (7 of 17 s at a million).

    ``search(expression, above, up_to)`` lists the ids in that range that match. A prefix is
    counted before its ids are listed: most two-letter ones match few articles, and FTS5 counts
    in half the time it lists.
    """
    import numpy as np

    def table(prefix: str) -> np.ndarray | None:
        expression = f'"{prefix}"*'
        found = count(expression)
        if found is None or stop.is_set():
            raise LookupError(prefix)
        if found < KEPT_FROM:
            return None
        flags = np.zeros(top + 1, dtype=np.bool_)
        for above in range(0, top + 1, CHUNK_IDS):
            ids = search(expression, above, above + CHUNK_IDS)
            if ids is None or stop.is_set():
                raise LookupError(prefix)
            flags[ids[(ids >= 0) & (ids <= top)]] = True
        return np.packbits(flags)

    answers: dict[str, np.ndarray] = {}
    try:
        for first in LETTERS:
            if (bits := table(first)) is not None:
                answers[first] = bits
        if first_found is not None:
            first_found(dict(answers))
        for first in list(answers):
            for second in LETTERS:
                if (bits := table(first + second)) is not None:
                    answers[first + second] = bits
    except LookupError:
        return None
    return answers
