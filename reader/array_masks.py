"""The masks of ``quality:``, ``after:``, ``before:`` and ``is:`` over a long list, in array
operations. No Textual.

At a million rows each of these masks cost 45 ms as a ``map`` in C over a list
column (``is:`` 100-130 ms once there are marks): a comparison or a set look-up
per row, each reaching into an object somewhere in memory. The first key of a
search such as ``is:unread quality:>40 d`` made both, and took 135-145 ms.
Here each is a pass over a packed array made ahead, in the worker that warms
the orders:

- ``quality:`` compares a float32 copy of the qualities (NaN for none, which
  no comparison keeps, as in Python); ``after:`` and ``before:`` a float64 copy
  of the dates;
- ``is:`` reads, for each row, one flag of a table indexed by the low bits of
  its key's hash, set for the hashes of the marked keys; the rows it flags (the
  marked ones, and a few others sharing their bits) are checked against the
  marks' whole hashes (see :mod:`reader.key_hashes`).

Anything else (other qualifiers, qualities beyond what float32 holds exactly)
keeps the ``map`` of :meth:`reader.qualifiers.Qualifier.mask`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from functools import partial
from itertools import islice
from operator import attrgetter
from typing import TYPE_CHECKING

from reader import key_hashes
from reader.entry import Entry
from reader.pieces import PIECE

if TYPE_CHECKING:
    import numpy as np

ARRAYS_FROM = 20_000
"""Lists this long get the arrays (shorter ones make their masks in a few milliseconds)."""
HASH_BITS = key_hashes.TABLE_BITS
"""The flags table of ``is:`` has 2**22 entries (4 MiB): few unmarked rows share a marked key's
bits while the marks are far fewer (1.5% of them with 60,000 marks)."""
EXACT_FLOAT32 = 1 << 24
"""Qualities up to this size (either sign) are exact in a float32."""
EXACT_FLOAT64 = 1 << 53
"""Dates (and bounds) up to this size (either sign) are exact in a float64."""


def quality_array(rows: Sequence[Entry]) -> np.ndarray | None:
    """The rows' qualities as float32 (NaN for none); None when a quality is too big for a
    float32 to hold exactly (the ``map`` then compares the numbers themselves)."""
    return _floats(rows, _QUALITY, "float32", EXACT_FLOAT32)


def published_array(rows: Sequence[Entry]) -> np.ndarray | None:
    """The rows' dates as float64 timestamps (NaN for none); None when one is too big for a
    float64 to hold exactly (the ``map`` then compares the numbers themselves)."""
    return _floats(rows, _PUBLISHED, "float64", EXACT_FLOAT64)


def _floats(
    rows: Sequence[Entry], field: Callable[[Entry], float | None], dtype: str, exact: int
) -> np.ndarray | None:
    """``field`` of every row in an array of ``dtype`` (NaN for None); None when a value is
    ``exact`` or more either way (the array may not hold it exactly)."""
    import numpy as np

    array = np.empty(len(rows), dtype=dtype)
    values = map(field, rows)
    for start in range(0, len(rows), PIECE):  # a piece at a time, as reader.pieces says why
        array[start : start + PIECE] = list(islice(values, PIECE))  # numpy makes None NaN
    known = array[~np.isnan(array)]
    if known.size and float(np.abs(known).max()) >= exact:
        return None
    return array


def key_bits(rows: Sequence[Entry]) -> np.ndarray:
    """The low :data:`HASH_BITS` bits of the hash of each row's key (:func:`entry_key`), as the
    table of ``is:`` is indexed."""
    import numpy as np

    low = (1 << HASH_BITS) - 1
    bits = np.empty(len(rows), dtype=np.uint32)
    it = iter(rows)
    for start in range(0, len(rows), PIECE):
        hashes = key_hashes.key_hashes(list(islice(it, PIECE)))
        bits[start : start + len(hashes)] = hashes & low
    return bits


_QUALITY = attrgetter("quality")
_PUBLISHED = attrgetter("published")

_UFUNCS: dict[Callable, str] = {
    operator.lt: "less",
    operator.le: "less_equal",
    operator.gt: "greater",
    operator.ge: "greater_equal",
    operator.eq: "equal",
}
"""The comparisons a ``quality:``, ``after:`` or ``before:`` step makes (the typed bound first),
as numpy names them."""


def compared(values: np.ndarray, steps: tuple) -> int | None:
    """The packed mask (a byte per row, see :func:`reader.filtering._packed`) of one comparison
    step ``partial(op, number)`` over ``values`` (:func:`quality_array`, whose bound must be a
    whole number, or :func:`published_array`); None for any other steps, or a bound the array's
    floats do not hold exactly."""
    import numpy as np

    if len(steps) != 1 or not isinstance(steps[0], partial):
        return None
    step = steps[0]
    name = _UFUNCS.get(step.func)
    if name is None or len(step.args) != 1 or step.keywords:
        return None
    bound = step.args[0]
    wide = values.dtype == np.float64
    kinds = (int, float) if wide else int
    if not isinstance(bound, kinds) or isinstance(bound, bool):
        return None
    if not abs(bound) < (EXACT_FLOAT64 if wide else EXACT_FLOAT32):  # NaN too
        return None
    kept = getattr(np, name)(values.dtype.type(bound), values)
    return int.from_bytes(kept.view(np.uint8).tobytes(), "little")


def marked(
    bits: np.ndarray, rows: Sequence[Entry], marks: set[str] | frozenset[str], unmarked: bool
) -> int | None:
    """The packed mask of the rows whose key is among ``marks`` (those whose key is not, with
    ``unmarked``); ``bits``: :func:`key_bits` of the rows' keys. The rows the table flags have
    their keys' whole hashes compared with the marks' (:func:`reader.key_hashes.key_hashes`)."""
    import numpy as np

    wanted = key_hashes.mark_hashes(marks, len(marks))
    table = key_hashes.flags_table(wanted, HASH_BITS)
    maybe = np.flatnonzero(table[bits])
    found = np.zeros(len(bits), dtype=np.uint8)
    if maybe.size:
        flagged = list(map(rows.__getitem__, maybe.tolist()))
        exact = np.isin(key_hashes.key_hashes(flagged), wanted)
        found[maybe[exact]] = 1
    if unmarked:
        found ^= 1
    return int.from_bytes(found.tobytes(), "little")
