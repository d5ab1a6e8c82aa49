"""The ``newsreader`` command's entry point: the file check starts before the program loads.

Importing the command line, the reader and Textual takes a few tenths of a
second; the file check of a warm start needs none of it, so it is started
first (see :mod:`reader.early_check`).
"""

from __future__ import annotations

import sys

from reader import early_check


def run() -> None:
    """Begin the file check (when the command line opens the reader), then run the command."""
    early_check.begin(sys.argv[1:])
    from reader.cli import run as run_command

    run_command()
