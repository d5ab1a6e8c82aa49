"""Read an HTTP body within a byte cap that counts decoded bytes, however they are packed.

httpx decodes a ``Content-Encoding`` in one go per network chunk, so a 3 kB
body that is gzip of gzip of 2 GB of zeros becomes 2 GB in memory before any
cap can look at it, and the event loop (with every deadline on it) is stuck
meanwhile. Here the raw bytes are decoded stage by stage in small steps
(``zlib``'s ``max_length``), every stage's output is counted against the cap
as it appears, and the loop gets control back after each step, so a deadline
around the read can fire. Shared by the feed and the full-text downloaders.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Iterator

import httpx

ACCEPT_ENCODING = "gzip, deflate"
"""What we can decode step by step (no brotli or zstd: no bounded decoder is installed)."""
STEP = 64 * 1024
"""Most bytes one decoding step produces: the memory a stage holds besides the body."""
MAX_ENCODINGS = 8
"""No real server stacks more encodings than this; more are refused rather than unpacked."""
_UNSUPPORTED = {"br", "zstd", "compress", "x-compress"}
"""Real compressions we do not decode: reading them as text would only give garbage."""
_GZIP_MAGIC = b"\x1f\x8b"


class BodyError(Exception):
    """The body cannot be read within the rules; ``str()`` is the one-line reason."""


class TooLarge(BodyError):
    """The body, at some stage of decoding, passed the byte cap."""


def size_text(limit: int) -> str:
    """``5 MiB``, ``256 KiB`` or ``1000 bytes``: a cap as people read it."""
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit} bytes"


def too_large(limit: int) -> TooLarge:
    """The one error every cap check raises, so the message is the same everywhere."""
    return TooLarge(f"response larger than {size_text(limit)}")


def encodings(response: httpx.Response) -> list[str]:
    """The ``Content-Encoding`` tokens in the order they were applied (identity dropped)."""
    values = response.headers.get_list("content-encoding", split_commas=True)
    return [token for value in values if (token := value.strip().lower()) not in ("", "identity")]


class _Inflate:
    """One gzip or deflate stage that never produces more than :data:`STEP` bytes at once."""

    def __init__(self, name: str) -> None:
        self.gzip = name in ("gzip", "x-gzip")
        self.name = name
        self._obj: zlib._Decompress | None = None  # None until a stream (or gzip member) starts
        self._pending = b""  # the first bytes of a stream, until there are enough to judge
        self._streams = 0
        self._done = False  # the stream ended and what follows is not another gzip member

    def _start(self, data: bytes) -> bytes:
        """Open the next stream once its first two bytes are in (they say what it is)."""
        data = self._pending + data
        if len(data) < 2:
            self._pending = data
            return b""
        self._pending = b""
        if self.gzip:
            if self._streams and not data.startswith(_GZIP_MAGIC):
                self._done = True  # trailing bytes after the last member: ignored, as browsers do
                return b""
            wbits = zlib.MAX_WBITS | 16
        else:  # servers send both zlib-wrapped and raw deflate as "deflate"
            wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            wbits = zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)
        self._streams += 1
        return data

    def push(self, data: bytes) -> Iterator[bytes]:
        """Decode ``data`` (``b""`` drains), yielding pieces of at most :data:`STEP` bytes."""
        while not self._done:
            if self._obj is None:
                data = self._start(data)
                if self._obj is None:
                    return
            try:
                piece = self._obj.decompress(data, STEP)
            except zlib.error as exc:
                raise BodyError(f"could not decode the response body ({self.name})") from exc
            yield piece
            data = self._obj.unconsumed_tail
            if self._obj.eof:
                data = self._obj.unused_data + data
                self._obj = None
                if not self.gzip:
                    self._done = True  # one deflate stream per body; anything after is ignored
                continue
            if not data and len(piece) < STEP:
                return


class DecodedBody:
    """The body of one response, decoded as it arrives, each stage held to ``max_bytes``.

    The bytes on the wire, every intermediate stage and the final text each
    count separately: real compression only ever shrinks, so a stage bigger
    than the cap means the final text would be too (or the body is a trick).
    """

    def __init__(self, names: list[str], max_bytes: int) -> None:
        if len(names) > MAX_ENCODINGS:
            raise BodyError(f"too many content encodings (more than {MAX_ENCODINGS})")
        for name in names:
            if name in _UNSUPPORTED:
                raise BodyError(f"unsupported content encoding: {name}")
        # Unknown tokens (a charset by mistake, say) are skipped, as httpx and browsers do.
        known = [name for name in names if name in ("gzip", "x-gzip", "deflate")]
        self._stages = [_Inflate(name) for name in reversed(known)]  # the last applied goes first
        self._counts = [0] * (len(self._stages) + 1)
        self.max_bytes = max_bytes
        self._chunks: list[bytes] = []

    def _count(self, stage: int, piece: bytes) -> None:
        self._counts[stage] += len(piece)
        if self._counts[stage] > self.max_bytes:
            raise too_large(self.max_bytes)

    def _through(self, stage: int, data: bytes) -> Iterator[None]:
        """Pass ``data`` from ``stage`` on; yields after every step so the caller can pause."""
        if stage == len(self._stages):
            if data:
                self._chunks.append(data)
            yield
            return
        for piece in self._stages[stage].push(data):
            self._count(stage + 1, piece)
            if piece:
                yield from self._through(stage + 1, piece)
            else:
                yield

    def feed(self, raw: bytes) -> Iterator[None]:
        """Take the next bytes from the wire; iterate to do the work, step by step."""
        self._count(0, raw)
        yield from self._through(0, raw)

    def finish(self) -> Iterator[None]:
        """Drain every stage once the wire is done."""
        for stage in range(len(self._stages)):
            yield from self._through(stage, b"")

    def body(self) -> bytes:
        """The decoded body so far (all of it once :meth:`finish` has run)."""
        return b"".join(self._chunks)


async def read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body of a streamed ``response``; raises :class:`BodyError` past the cap.

    Declared lengths are checked first, then every byte as it streams; the
    event loop runs between decoding steps, so a deadline around this holds.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    decoded = DecodedBody(encodings(response), max_bytes)
    async for raw in response.aiter_raw():
        for _ in decoded.feed(raw):
            await asyncio.sleep(0)
    for _ in decoded.finish():
        await asyncio.sleep(0)
    return decoded.body()
