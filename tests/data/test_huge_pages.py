"""numpy's huge pages are off in the reader unless the user turns them on (see reader/__init__)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_ASK = (
    "import reader, numpy\n"
    "core = getattr(numpy, '_core', None) or numpy.core\n"
    "print(core.multiarray._get_madvise_hugepage())"
)


@pytest.mark.parametrize(("given", "expected"), [(None, "False"), ("1", "True"), ("0", "False")])
def test_huge_pages_follow_the_users_variable_else_are_off(
    given: str | None, expected: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if given is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = given
    out = subprocess.run(
        [sys.executable, "-c", _ASK], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected
