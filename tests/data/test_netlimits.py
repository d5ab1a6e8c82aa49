"""The step-by-step decoder behind both downloaders' byte caps (``reader.netlimits``).

The hostile-server tests check the cap against real sockets; these check
that honest bodies still decode exactly, whatever the chunking.
"""

from __future__ import annotations

import gzip
import re
import zlib

import httpx
import pytest

from reader.netlimits import (
    MAX_ENCODINGS,
    STEP,
    BodyError,
    DecodedBody,
    TooLarge,
    encodings,
    size_text,
)

TEXT = b"".join(b"line %d of an honest feed\n" % n for n in range(20_000))  # about 500 kB


def _deflate(data: bytes, wbits: int) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


def _decode(names: list[str], wire: bytes, chunk: int, max_bytes: int = 10**7) -> bytes:
    body = DecodedBody(names, max_bytes)
    for start in range(0, len(wire), chunk):
        for _ in body.feed(wire[start : start + chunk]):
            pass
    for _ in body.finish():
        pass
    return body.body()


CASES = {
    "none": ([], TEXT),
    "identity": (["identity"], TEXT),
    "gzip": (["gzip"], gzip.compress(TEXT)),
    "x-gzip": (["x-gzip"], gzip.compress(TEXT)),
    "deflate-zlib": (["deflate"], _deflate(TEXT, 15)),  # zlib-wrapped, as the RFC says
    "deflate-raw": (["deflate"], _deflate(TEXT, -15)),  # raw, as many servers send it
    "gzip-gzip": (["gzip", "gzip"], gzip.compress(gzip.compress(TEXT))),
    "deflate-gzip-x-gzip": (
        ["deflate", "gzip", "x-gzip"],
        gzip.compress(gzip.compress(_deflate(TEXT, 15))),
    ),
    "two-members": (["gzip"], gzip.compress(TEXT[:1000]) + gzip.compress(TEXT[1000:])),
    "trailing-junk": (["gzip"], gzip.compress(TEXT) + b"\n"),  # ignored, as browsers do
    "nonsense-token": (["utf-8", "gzip"], gzip.compress(TEXT)),  # skipped, as httpx does
}


CHUNKINGS = [
    (case, chunk)
    for case in sorted(CASES)
    for chunk in (1, 7, 4096, 10**7)
    if chunk > 1 or len(CASES[case][1]) <= 100_000  # byte by byte: the compressed bodies only
]


@pytest.mark.parametrize(("case", "chunk"), CHUNKINGS)
def test_honest_bodies_decode_exactly_in_any_chunking(case, chunk):
    names, wire = CASES[case]
    assert _decode(names, wire, chunk) == TEXT


def test_every_step_yields_at_most_one_step_of_output():
    body = DecodedBody(["gzip"], 10**7)
    steps = sum(1 for _ in body.feed(gzip.compress(TEXT)))
    assert steps >= len(TEXT) // STEP  # the caller gets control back between steps


def test_the_cap_counts_decoded_bytes_not_wire_bytes():
    wire = gzip.compress(bytes(8 * 1024 * 1024))
    with pytest.raises(TooLarge, match=r"^response larger than 1 MiB$"):
        _decode(["gzip"], wire, len(wire), max_bytes=1024 * 1024)


def test_an_intermediate_stage_is_capped_too():
    """Empty deflate blocks decode to nothing but cost work: the stage before is counted."""
    empty_blocks = b"\x00\x00\x00\xff\xff" * 600_000  # 3 MB of raw deflate that says nothing
    assert _decode(["deflate"], empty_blocks, 4096) == b""
    with pytest.raises(TooLarge):
        _decode(["deflate", "gzip"], gzip.compress(empty_blocks), 4096, max_bytes=1024 * 1024)


@pytest.mark.parametrize(
    ("names", "reason"),
    [
        (["br"], "unsupported content encoding: br"),
        (["gzip", "zstd"], "unsupported content encoding: zstd"),
        (["gzip"] * (MAX_ENCODINGS + 1), f"too many content encodings (more than {MAX_ENCODINGS})"),
    ],
)
def test_what_cannot_be_decoded_is_refused_up_front(names, reason):
    with pytest.raises(BodyError, match=f"^{re.escape(reason)}$"):
        DecodedBody(names, 1000)


def test_a_corrupt_stream_is_one_line():
    with pytest.raises(BodyError, match=r"^could not decode the response body \(gzip\)$"):
        _decode(["gzip"], b"\x1f\x8bnot really gzip at all", 4096)


def test_sizes_read_as_people_say_them():
    assert [size_text(n) for n in (5 * 1024 * 1024, 256 * 1024, 1000)] == [
        "5 MiB",
        "256 KiB",
        "1000 bytes",
    ]


def test_encodings_are_read_from_every_header_line_in_order():
    response = httpx.Response(
        200,
        headers=[
            ("Content-Encoding", "deflate, Identity"),
            ("Content-Encoding", " GZIP"),
        ],
    )
    assert encodings(response) == ["deflate", "gzip"]
