"""``sync_dir``: the folder a sync tool keeps in step between machines (empty: no sync).

A path with ``~`` is the home folder's; a relative path is rejected (it would
mean a different folder from every working directory). Whether the folder
exists is decided at each sync pass, not here: a drive may be unmounted for a while.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reader.config.model import Problem


def parse_sync_dir(document: Mapping[str, Any], problems: list[Problem]) -> str:
    """The sync folder as written (``~`` expanded), or "" for none."""
    value = document.get("sync_dir", "")
    if not isinstance(value, str):
        problems.append(Problem(("sync_dir",), f"wants a folder's path in quotes, not {value!r}"))
        return ""
    value = value.strip()
    if not value:
        return ""
    if not value.isprintable():
        problems.append(Problem(("sync_dir",), "has control characters; left out"))
        return ""
    path = Path(value).expanduser()
    if not path.is_absolute():
        problems.append(Problem(("sync_dir",), f"{value!r} is not an absolute path; left out"))
        return ""
    return str(path)
