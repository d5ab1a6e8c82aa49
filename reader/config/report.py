"""How config.toml's problems are said: ``file:line: message`` each, or one summary line.

The same words on the command line (``newsreader config --check``, the
warning before ``newsreader list``) and in the reader's start-up notice. No Textual.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from reader.config.model import LoadedConfig, Problem
from reader.sanitize import clean_line


def default_text() -> str:
    """The documented default config.toml: every key, its default and what it does."""
    return files("reader.config").joinpath("default.toml").read_text(encoding="utf-8")


def problem_line(path: Path, problem: Problem) -> str:
    """``file:line: message`` (``file: message`` when the line is not known)."""
    where = f"{path}:{problem.line}" if problem.line is not None else str(path)
    return f"{where}: {clean_line(named(problem))}"


def named(problem: Problem) -> str:
    """The message, after the key it is about (``list.date: must be ...``) unless it names it."""
    last = problem.path[-1] if problem.path else None
    if last is None or (isinstance(last, str) and last in problem.message):
        return problem.message
    label = ""
    for part in problem.path:
        label += f"[{part}]" if isinstance(part, int) else f".{part}" if label else str(part)
    return f"{label}: {problem.message}"


def summary(path: Path, loaded: LoadedConfig) -> str:
    """One line for the start: what is wrong, and where to see it all ("" when nothing is)."""
    count = len(loaded.problems)
    if not count:
        return ""
    if count == 1:
        problem = loaded.problems[0]
        line = f":{problem.line}" if problem.line is not None else ""
        text = f"{path.name}{line}: {clean_line(named(problem))}"
        return f"{text[:160]}; the default stands in (newsreader config --check)"
    return f"{path.name}: {count} problems, the defaults stand in (newsreader config --check)"
