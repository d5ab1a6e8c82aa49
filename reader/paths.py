"""Every place on disk the program uses, decided in one module.

The cache holds the user's articles (``*.md`` anywhere below it) and, in the
``.newsreader`` dot-folder, the program's own index. State that must survive
clearing the cache (remembered sort, later read marks) lives in the user
data dir; settings such as the feed list live in the user config dir.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "newsreader"
CACHE_ENV = "NEWSREADER_CACHE_DIR"
OWN_DIR_NAME = ".newsreader"
SAMPLES_DIR = Path(__file__).parent / "samples"


class PathError(Exception):
    """A configured location cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class Locations:
    """The directories in use for one run."""

    cache: Path
    """Where article files live (searched recursively)."""
    config: Path
    """User settings, e.g. ``config.toml`` with the feed list."""
    data: Path
    """Program state that must outlive the cache."""

    @property
    def own_dir(self) -> Path:
        """The program's own files inside the cache, never mixed with articles."""
        return self.cache / OWN_DIR_NAME

    @property
    def index_path(self) -> Path:
        """The SQLite index of the cache."""
        return self.own_dir / "index.sqlite3"

    @property
    def settings_path(self) -> Path:
        """Small remembered preferences (sort order)."""
        return self.data / "settings.json"

    @property
    def state_path(self) -> Path:
        """Read marks, stars and saved searches."""
        return self.data / "state.sqlite3"

    @property
    def feeds_config_path(self) -> Path:
        """The feed list."""
        return self.config / "config.toml"


def default_cache_dir() -> Path:
    """The platform cache directory, unless ``NEWSREADER_CACHE_DIR`` says otherwise."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def resolve(cache_dir: str | os.PathLike[str] | None = None) -> Locations:
    """Work out the locations for this run; ``cache_dir`` wins over the environment."""
    cache = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    cache = cache.absolute()  # paths printed and stored stay valid from any working directory
    return Locations(
        cache=cache,
        config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
    )


def check_cache_dir(path: Path, *, must_exist: bool = False) -> None:
    """Raise :class:`PathError` when ``path`` cannot serve as a cache directory.

    A missing cache is fine for reading (the reader shows the samples) unless
    ``must_exist`` is set, as it is for an explicit ``--cache-dir``.
    """
    if path.exists():
        if not path.is_dir():
            raise PathError(f"cache directory {path} is not a directory")
        if not os.access(path, os.R_OK | os.X_OK):
            raise PathError(f"cache directory {path} is not readable")
    elif must_exist:
        raise PathError(f"cache directory {path} does not exist")


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) or raise :class:`PathError` with a clear reason."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise PathError(f"{path} exists and is not a directory") from None
    except OSError as exc:
        raise PathError(f"cannot create {path}: {exc.strerror or exc}") from None
    if not path.is_dir():
        raise PathError(f"{path} exists and is not a directory")
    return path
