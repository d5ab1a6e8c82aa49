"""The reader notices a terminal that went away without telling it (no SIGHUP)."""

from __future__ import annotations

import os
import pty

from reader.app import terminal_hung_up


def test_a_closed_pseudo_terminal_counts_as_hung_up_and_an_open_one_does_not():
    master, slave = pty.openpty()
    with os.fdopen(slave, "r", closefd=True) as stream:
        try:
            assert not terminal_hung_up(stream)
            os.write(master, b"j")  # pending input is not a hang-up
            assert not terminal_hung_up(stream)
        finally:
            os.close(master)
        assert terminal_hung_up(stream)


def test_no_stream_or_a_closed_one_is_not_reported():
    assert not terminal_hung_up(None)
    read_end, write_end = os.pipe()
    os.close(write_end)
    stream = os.fdopen(read_end, "r")
    stream.close()
    assert not terminal_hung_up(stream)  # fileno() raises ValueError on a closed file
