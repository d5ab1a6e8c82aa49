"""Shared test fixtures.

Every test runs with its own cache, config, data and state folders (the
autouse :func:`isolated_dirs`), so no test ever reads or writes the real user
folders, and subprocesses started with ``os.environ`` inherit the same
isolation. Helpers here write articles and run the real ``newsreader``
entry point.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE_FIXTURES = FIXTURES / "articles"
GOOD_ARTICLES = ARTICLE_FIXTURES / "good"
"""Files that must load, however odd (lenient cases)."""
BAD_ARTICLES = ARTICLE_FIXTURES / "bad"
"""Files that must be skipped with a reason (strict cases)."""

XDG_VARS = {
    "XDG_CACHE_HOME": "cache",
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "XDG_STATE_HOME": "state",
}


PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every platformdirs location at ``tmp_path/xdg``; return that folder."""
    base = tmp_path / "xdg"
    for var, name in XDG_VARS.items():
        monkeypatch.setenv(var, str(base / name))
    monkeypatch.delenv("NEWSREADER_CACHE_DIR", raising=False)
    monkeypatch.delenv("NEWSREADER_DEBUG", raising=False)
    # A proxy set in the environment must not stand between a test and its server on 127.0.0.1.
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    return base


def write_article(folder: Path, name: str, body: str = "", **fields: Any) -> Path:
    """Write ``folder/name`` with ``fields`` as YAML front matter; return its path.

    Only the given fields are written (no default title), so tests can leave
    any of them out.
    """
    folder.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) if fields else ""
    path = folder / name
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


def copy_articles(source: Path, dest: Path) -> list[str]:
    """Copy the ``*.md`` files of ``source`` into ``dest``; return their names."""
    dest.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in source.glob("*.md"))
    for name in names:
        shutil.copy2(source / name, dest / name)
    return names


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """An empty cache folder, to pass as ``--cache-dir`` or to an ``Index``."""
    path = tmp_path / "cache"
    path.mkdir()
    return path


@pytest.fixture
def good_cache(cache: Path) -> Path:
    """A cache holding a copy of every lenient fixture article."""
    copy_articles(GOOD_ARTICLES, cache)
    return cache


RunCli = Callable[..., subprocess.CompletedProcess]


def imported_modules(run_cli: RunCli, *args: str | Path) -> set[str]:
    """The modules a command imports (it must succeed), from ``-X importtime``'s report."""
    result = run_cli(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run ``python -m reader ARGS`` (the real entry point) with the isolated environment.

    ``env`` adds or overrides variables; the result has text ``stdout``/``stderr``.
    """

    def run(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess:
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "reader", *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=full_env,
            cwd=cwd or tmp_path,
            timeout=60,
        )

    return run


def count_reads(index: Any, name: str) -> list[int]:
    """Make ``index``'s rows count the ids they read by its method ``name`` (``titles_by_id``,
    ``paths_by_id``): call it before its rows are first read, as their type takes the method."""
    asked: list[int] = []
    read = getattr(index, name)

    def counting(ids: list[int]) -> dict[int, str]:
        asked.extend(ids)
        return read(ids)

    setattr(index, name, counting)
    return asked
