"""The layering rule: the data layer (and the script commands) never import Textual."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import reader

REPO = Path(__file__).resolve().parent.parent
PACKAGE = Path(reader.__file__).resolve().parent
CORE_DATA_LAYER = {
    "reader.articles",
    "reader.sanitize",
    "reader.paths",
    "reader.index",
    "reader.library",
    "reader.importer",
    "reader.settings",
    "reader.browser",
    "reader.atomic",
}


def _contract() -> dict:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if "textual" in c.get("forbidden_modules", []))


def _expand(module: str) -> list[str]:
    """A module, or a package and every module inside it (found on disk, not imported)."""
    path = PACKAGE.joinpath(*module.split(".")[1:])
    if not path.is_dir():
        return [module]
    return [module] + sorted(
        f"{module}.{'.'.join(p.relative_to(path).with_suffix('').parts)}"
        for p in path.rglob("*.py")
        if p.name != "__init__.py"
    )


def test_the_contract_covers_the_data_layer() -> None:
    contract = _contract()
    assert contract["type"] == "forbidden"
    assert CORE_DATA_LAYER <= set(contract["source_modules"])


def test_import_linter_contract_is_kept() -> None:
    command = _tool("lint-imports")
    result = subprocess.run(
        [command, "--no-cache", "--no-logo"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
    assert "The data layer never imports Textual KEPT" in result.stdout


_PROBE = (
    "import importlib, sys; importlib.import_module(sys.argv[1]); "
    "print(' '.join(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))))"
)


def test_data_layer_modules_import_without_textual() -> None:
    modules = sorted(
        {m for name in _contract()["source_modules"] for m in _expand(name)} | {"reader.cli"}
    )
    assert set(CORE_DATA_LAYER) <= set(modules)
    # One fresh interpreter per module (run side by side), so no import hides another's.
    procs = {
        module: subprocess.Popen(
            [sys.executable, "-c", _PROBE, module],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for module in modules
    }
    problems = {}
    for module, proc in procs.items():
        out, err = proc.communicate(timeout=60)
        if proc.returncode != 0:
            problems[module] = f"import failed: {err.strip().splitlines()[-1:]}"
        elif out.strip():
            problems[module] = f"loaded {out.split()[:3]}"
    assert not problems


def _tool(name: str) -> str:
    beside_python = Path(sys.executable).with_name(name)
    command = str(beside_python) if beside_python.exists() else shutil.which(name)
    assert command, f"{name} is not installed (pip install -e '.[test]')"
    return command


def test_ruff_finds_nothing() -> None:
    """Lint (pyflakes, pycodestyle, bugbear, import order) and format, as pyproject.toml says."""
    ruff = _tool("ruff")
    lint = subprocess.run(
        [ruff, "check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    style = subprocess.run(
        [ruff, "format", "--check", "--no-cache", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert style.returncode == 0, style.stdout + style.stderr
