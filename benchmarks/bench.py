"""Benchmark newsreader on a synthetic cache of N seed-format articles.

Usage:  python benchmarks/bench.py [--articles 100000] [--runs 3] [--workdir DIR]
        [--cold-runs N] [--reference 300] [--skip-start] [--skip-list] [--skip-resume]
        [--skip-baseline] [--clean] [--config FILE] [--edits-apart] [--from-disk]

Start-up figures are measured through the real entry point: ``newsreader``
runs in a pseudo-terminal and the clock stops when the painted screen shows
what a person waits for (the list's title with the article count; the status
line once the scan is done). The same start-up figures are taken on a small
cache (300 articles) in the same run, its warm and incremental starts each
right before one of the big cache's, and each big figure is given as a ratio
to its small one. ``newsreader list`` is timed as a command. Interaction
figures (sort, topic, filter keystroke, cursor step) are measured in a headless
app on the same index.
A plain ``DataTable`` holding every row is measured the same way as the
baseline. Medians over ``--runs``; the machine is printed with the table.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import fcntl
import json
import os
import platform
import pty
import random
import re
import resource
import select
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import SEARCH_WORD, WORDS, make_cache  # noqa: E402 - beside this script

ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07|\x1bP[^\x1b]*\x1b\\"
)


def reader_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment the measured reader runs in: its config, data and cache folders in
    ``home``, never the user's, and the cache named on its command line only."""
    env = dict(
        os.environ,
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        **extra,
    )
    env.pop("NEWSREADER_CACHE_DIR", None)
    return env


# --- driving the real program in a pseudo-terminal ------------------------------------------------


class Run:
    """One ``newsreader`` process in a 160x45 pseudo-terminal."""

    def __init__(self, cache: Path, home: Path) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
        env = reader_env(home, TERM="xterm-256color", COLUMNS="160", LINES="45")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reader", "--cache-dir", str(cache)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        self.screen = ""
        self.quit_seconds = 0.0

    def wait_for(self, pattern: str, timeout: float = 300.0) -> float:
        """Seconds from process start until ``pattern`` (a regex) appears on screen."""
        regex = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        raw = b""
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    break
                raw += chunk
                self.screen = ANSI.sub("", raw[-200_000:].decode("utf-8", "replace"))
                if regex.search(self.screen):
                    return time.perf_counter() - self.started
        raise TimeoutError(f"{pattern!r} did not appear; last screen text: {self.screen[-400:]!r}")

    def idle(self, seconds: float) -> None:
        """Leave the reader alone for ``seconds``, reading the terminal so its writes never
        block (the whole list and the other order settle behind the first screen)."""
        until = time.perf_counter() + seconds
        while (left := until - time.perf_counter()) > 0:
            if select.select([self.master], [], [], min(left, 0.05))[0]:
                try:
                    os.read(self.master, 1 << 16)
                except OSError:
                    return

    def wait_stored(self, index: Path, files: list[Changed], timeout: float) -> float | None:
        """Seconds from process start until the index at ``index`` holds each of ``files`` as
        it is now (None when it does not within ``timeout``): the edits made in place, which a
        check by folder times does not see, are in. Reads the terminal meanwhile."""
        deadline = time.perf_counter() + timeout
        query = "SELECT count(*) FROM articles WHERE path = ? AND size = ? AND mtime_ns = ?"
        while time.perf_counter() < deadline:
            try:
                conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True, timeout=1)
                try:
                    stored = sum(conn.execute(query, file).fetchone()[0] for file in files)
                finally:
                    conn.close()
            except sqlite3.Error:
                stored = 0
            if stored == len(files):
                return time.perf_counter() - self.started
            self.idle(0.05)
        return None

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Never leave a program running behind a failed measurement."""
        if self.proc.returncode is None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            os.close(self.master)

    def quit(self) -> int:
        """Press q and return the process's peak resident memory in MiB (``quit_seconds``: how
        long the exit took)."""
        os.write(self.master, b"q")
        pressed = time.perf_counter()
        try:
            while True:
                pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - pressed > QUIT_LIMIT_SECONDS:
                    os.killpg(self.proc.pid, signal.SIGKILL)  # recorded as this long, not hung
                # Keep reading the terminal: a full pty buffer would block the app's last writes.
                if select.select([self.master], [], [], 0.05)[0]:
                    try:
                        os.read(self.master, 1 << 16)
                    except OSError:
                        pass
        finally:
            os.close(self.master)
        self.quit_seconds = time.perf_counter() - pressed
        self.proc.returncode = status
        return usage.ru_maxrss // 1024


QUIT_LIMIT_SECONDS = 120.0
"""A reader that has not exited this long after ``q`` is killed (and the wait recorded)."""


def shown_count(cache: Path, home: Path) -> int:
    """How many articles the reader lists with the config in ``home`` (hide rules hide some)."""
    env = reader_env(home)
    command = [sys.executable, "-m", "reader", "--cache-dir", str(cache), "list", "--json"]
    # Counted as it streams: held whole, a million rows' JSON (~0.7 GB) grew this process, and
    # every reader started from it after inherited that size as its peak (a child's ru_maxrss
    # counts the parent's memory it was forked from).
    lines = 0
    with subprocess.Popen(command, stdout=subprocess.PIPE, env=env) as listed:
        assert listed.stdout is not None
        while chunk := listed.stdout.read(1 << 20):
            lines += chunk.count(b"\n")
    if listed.returncode:
        raise subprocess.CalledProcessError(listed.returncode, command)
    return lines


USABLE = r"All articles · [1-9][\d,]* ·"
"""The list's title with a count: articles are listed (a cold start's first rows included)."""


START_FIGURES = (
    "cold: usable screen",
    "cold: full index",
    "cold: CPU/wall",
    "cold: q during the index, to exit",
    "cold: after that q, resumed to full index",
    "warm: usable screen",
    "warm: scan checked",
    "incremental (100 files): done",
    "incremental (100 files): edits in place stored",
    "peak memory MiB (warm)",
)


class Beside(NamedTuple):
    """A cache whose warm and incremental starts alternate with another's (see
    :func:`start_figures`), and the figures they add to."""

    cache: Path
    count: int
    figures: dict[str, list[float]]


def start_figures(
    cache: Path,
    count: int,
    home: Path,
    runs: int,
    cold_runs: int,
    resume: bool = True,
    beside: Beside | None = None,
    edits_apart: bool = False,
    from_disk: bool = False,
) -> dict[str, list[float]]:
    """Cold, warm and incremental start-up, each from process start (``count``: articles shown).

    With ``resume``, one more cold start is stopped by ``q`` a few seconds into the
    index (how long the exit takes), and the start after it times the rest. With ``beside``,
    each warm and incremental start of ``cache`` comes right after one of ``beside``'s: this
    machine's speed drifts over minutes (a warm start of 300 articles took 0.55-0.85 s within
    ten), and a ratio of starts made minutes apart measured the drift as much as the cache.
    With ``from_disk``, every cold start (the resumed one too) reads the files from the disk.
    """
    cold = drop_page_cache if from_disk else _nothing
    out: dict[str, list[float]] = {k: [] for k in START_FIGURES}
    done = _done(count)
    index_dir = cache / ".newsreader"
    if resume:
        shutil.rmtree(index_dir, ignore_errors=True)
        cold()
        with Run(cache, home) as run:
            run.wait_for(USABLE)
            time.sleep(QUIT_AFTER_SECONDS)
            run.quit()
            _add(out, "cold: q during the index, to exit", run.quit_seconds)
        cold()
        with Run(cache, home) as run:
            _add(out, "cold: after that q, resumed to full index", run.wait_for(done, COLD_WAIT))
            run.quit()
    for _ in range(cold_runs):
        shutil.rmtree(index_dir, ignore_errors=True)
        cold()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with Run(cache, home) as run:
            _add(out, "cold: usable screen", run.wait_for(USABLE, COLD_WAIT))
            wall = run.wait_for(done, COLD_WAIT)
            _add(out, "cold: full index", wall)
            run.quit()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        _add(out, "cold: CPU/wall", cpu / wall)
    if not cold_runs and not resume:
        index_once(cache, home)  # a warm start needs an index; a fresh work folder has none
    label = "" if beside is None else f"({beside.count:,}) "
    for _ in range(runs):
        if beside is not None:
            warm_start(beside.cache, beside.count, home, beside.figures, label)
        warm_start(cache, count, home, out)
    for r in range(runs):
        if beside is not None:
            edited = touch_100(beside.cache, r, edits_apart)
            incremental_start(beside.cache, beside.count, home, beside.figures, label, edited)
        edited = touch_100(cache, r, edits_apart)
        incremental_start(cache, count, home, out, edited=edited)
    return {name: values for name, values in out.items() if values}


def _nothing() -> None:
    pass


def drop_page_cache() -> None:
    """Empty the system's page cache, so that the next start reads every file from the disk, as
    the first start after a reboot or a copy does (Linux, as root; OSError otherwise)."""
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def _done(count: int) -> str:
    """The status line once the files are checked and ``count`` articles are in."""
    return rf"{count:,} articles in"


def warm_start(
    cache: Path, count: int, home: Path, out: dict[str, list[float]], label: str = ""
) -> None:
    """One warm start's figures, added to ``out`` (``label``: printed before each)."""
    with Run(cache, home) as run:
        _add(out, "warm: usable screen", run.wait_for(rf"All articles · {count:,} ·"), label)
        _add(out, "warm: scan checked", run.wait_for(_done(count)), label)
        run.idle(settle_seconds(count))  # the peak may come after "articles in"
        _add(out, "peak memory MiB (warm)", run.quit(), label)


def incremental_start(
    cache: Path,
    count: int,
    home: Path,
    out: dict[str, list[float]],
    label: str = "",
    edited: list[Changed] = (),
) -> None:
    """One start after files changed (see :func:`touch_100`), added to ``out``: until the
    status line says the articles are in, then until the index holds the ``edited`` files.

    A start on a big index finds new, removed and renamed files by folder times first and says
    so; the files edited in place come after, from the check of every file behind the screen.
    With ``check = "folders"`` they do not come: the wait ends at :data:`EDITS_WAIT` unrecorded.
    """
    with Run(cache, home) as run:
        _add(out, "incremental (100 files): done", run.wait_for(_done(count)), label)
        if edited:
            index = cache / ".newsreader" / "index.sqlite3"
            stored = run.wait_stored(index, list(edited), EDITS_WAIT)
            if stored is None:
                print(
                    f"  {label}edits in place: not stored within {EDITS_WAIT:.0f} s",
                    file=sys.stderr,
                )
            else:
                _add(out, "incremental (100 files): edits in place stored", stored, label)
        run.quit()


EDITS_WAIT = 60.0
"""How long a start after changes waits for its files edited in place to be stored."""


def index_once(cache: Path, home: Path) -> None:
    """Bring the cache's index up to date with ``newsreader list --limit 0`` (untimed): on a
    fresh work folder, without it the first warm start would be a cold index (minutes)."""
    env = reader_env(home)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reader", "--cache-dir", str(cache), "list", "--limit", "0"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(
        f"  indexed before the warm starts ({time.perf_counter() - started:.1f} s, untimed)",
        file=sys.stderr,
        flush=True,
    )


def _add(out: dict[str, list[float]], name: str, value: float, label: str = "") -> None:
    """Record a figure, and show it at once (a long run's figures survive its interruption)."""
    out.setdefault(name, []).append(value)
    print(f"  {label}{name}: {value:.2f}", file=sys.stderr, flush=True)


def settle_seconds(count: int) -> float:
    """How long the reader is left alone before the memory figure is taken: the whole list
    loads and both orders warm up behind the first screen, which can say "N articles in" first."""
    return max(3.0, 5.0 * count / 100_000)


QUIT_AFTER_SECONDS = 3.0
"""How far into a cold index ``q`` is pressed for the exit figure."""
COLD_WAIT = 3600.0
"""The longest a cold index may take before the benchmark gives up (1,000,000 files)."""


def list_figures(cache: Path, home: Path, runs: int) -> dict[str, list[float]]:
    """The commands through the real entry point: ``list``'s first 50 and a search as JSON
    (the issue's targets), and what the others take on the same cache: ``list --check-every``,
    ``mark --dry-run`` of that search, ``show`` and ``related`` of the newest article."""
    env = reader_env(home)
    base = [sys.executable, "-m", "reader", "--cache-dir", str(cache)]
    newest = subprocess.run(
        [*base, "list", "--limit", "1", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    row = json.loads(newest.stdout)
    commands = {
        "list --limit 50": [*base, "list", "--limit", "50"],
        f"list {SEARCH_WORD} --json": [*base, "list", SEARCH_WORD, "--json"],
        "list --check-every --limit 50": [*base, "list", "--check-every", "--limit", "50"],
        f"mark read {SEARCH_WORD} --dry-run": [*base, "mark", "read", SEARCH_WORD, "--dry-run"],
        "show URL": [*base, "show", row["url"]],
        "related FILE": [*base, "related", row["path"]],
    }
    out: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
            out[name].append(time.perf_counter() - started)
    return out


Changed = tuple[str, int, int]
"""A file as changed: path (relative), size and mtime in ns."""


def touch_100(cache: Path, seed: int, apart: bool = False) -> list[Changed]:
    """Change 40 files in place, add 30 and remove 30 (the count stays the same); returns the
    40 as they are now.

    ``apart``: the 40 edited in place in the first half of the folders, the 30 renamed in the
    other half, so no folder time tells of an edit (a check by folder times misses all 40).
    """
    rng = random.Random(seed)
    files = sorted(cache.glob("batch00*/*.md"))
    if len(files) < 100:  # a small cache: any of its files
        files = sorted(cache.glob("batch*/*.md"))
    renamed_from = files
    folders = sorted({path.parent for path in files})
    if apart and len(folders) > 1:
        first = set(folders[: len(folders) // 2])
        renamed_from = [path for path in files if path.parent not in first]
        files = [path for path in files if path.parent in first]
    edited = rng.sample(files, 40)
    for path in edited:
        path.write_text(
            path.read_text(encoding="utf-8").replace("published: false", "published: true "),
            encoding="utf-8",
        )
    stamp = time.time_ns()
    for n, path in enumerate(rng.sample(renamed_from, 30)):
        new = path.with_name(f"moved-{stamp}-{n}.md")  # a name never used before
        path.rename(new)  # removes one path and adds another
        os.utime(new)
    edited = [path for path in edited if path.exists()]  # a renamed one is a new file now
    return [
        (path.relative_to(cache).as_posix(), info.st_size, info.st_mtime_ns)
        for path in edited
        for info in [path.stat()]
    ]


# --- interaction figures, in-process -------------------------------------------------------------


async def _interaction(cache: Path, home: Path, runs: int) -> dict[str, list[float]]:
    from reader import gc_pause
    from reader.app import make_app
    from reader.paths import Locations
    from reader.scopes import ALL, topic_counts, topic_scope
    from reader.widgets.article_list import ArticleList

    gc_pause.pause()  # as `newsreader` starts (see reader.gc_pause); resumed after the first paint
    app = make_app(Locations(cache, home / "config", home / "data"))
    out: dict[str, list[float]] = {
        k: []
        for k in (
            "sort toggle",
            "reverse",
            "topic switch",
            "search keystroke",
            "search keystroke (with qualifiers)",
            "cursor step",
        )
    }
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        articles = screen.query_one(ArticleList)
        for _ in range(600):
            await pilot.pause(0.1)
            if not screen.scanning and articles.entries:
                break
        counts = topic_counts(screen.collection.entries)  # the sidebar's order: most articles first
        topics = sorted(counts, key=lambda name: (-counts[name], name.casefold()))[: runs * 2]

        async def timed(name: str, action) -> None:
            started = time.perf_counter()
            action()
            for y in range(articles.size.height):  # what the next paint costs
                articles.render_line(y)
            out[name].append((time.perf_counter() - started) * 1000)
            await pilot.pause()

        def choose_topic(name: str) -> None:
            screen.view = replace(screen.view, scope=topic_scope(name))

        for i in range(runs * 3):
            await timed("sort toggle", screen.action_toggle_sort)
            await timed("reverse", screen.action_reverse)
            await timed("topic switch", partial(choose_topic, topics[i % len(topics)]))
        screen.view = replace(screen.view, scope=ALL)
        typed = [SEARCH_WORD[:n] for n in range(1, len(SEARCH_WORD) + 1)]
        typed += [f"{SEARCH_WORD} {WORDS[3][:n]}" for n in range(1, len(WORDS[3]) + 1)]
        for figure, prefix in (
            ("search keystroke", ""),
            ("search keystroke (with qualifiers)", "is:unread quality:>40 "),
        ):
            for text in typed:

                def keystroke(text: str = prefix + text) -> None:
                    screen.view = replace(screen.view, text=text)

                await timed(figure, keystroke)
        screen.view = replace(screen.view, text="")
        for _ in range(runs * 10):
            await timed("cursor step", articles.action_cursor_down)
    return out


async def _datatable_baseline(cache: Path, home: Path) -> float:
    """Seconds to fill and paint a plain DataTable with every indexed row."""
    from textual.app import App
    from textual.widgets import DataTable

    from reader.library import SortKey, Source
    from reader.paths import Locations

    source = Source(Locations(cache, home / "config", home / "data"))
    rows = source.load().sorted(SortKey.DATE)

    class Baseline(App):
        def compose(self):
            yield DataTable()

    app = Baseline()
    async with app.run_test(size=(160, 45)) as pilot:
        started = time.perf_counter()
        table = app.query_one(DataTable)
        table.add_columns("date", "quality", "provider", "title")
        table.add_rows((str(e.published), str(e.quality), e.provider, e.title) for e in rows)
        await pilot.pause()
        app.save_screenshot(str(home / "baseline.svg"))  # forces a full paint
        return time.perf_counter() - started


# --- report ----------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = f"Python {platform.python_version()}, {platform.system()}"
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {python}"


def page_out() -> str | None:
    """What pages the system's cache out on its own, when a DAMON scheme does (Linux): this
    machine's pages out what was not touched for about a minute, with 20 GiB free, so a warm
    start that follows a minute's wait reads part of the index, and of Python, from the disk."""
    for scheme in Path("/sys/kernel/mm/damon/admin/kdamonds").glob("*/contexts/*/schemes/*"):
        try:
            state = (scheme.parents[3] / "state").read_text().strip()
            action = (scheme / "action").read_text().strip()
            min_age = int((scheme / "access_pattern/age/min").read_text())
            intervals = scheme.parents[1] / "monitoring_attrs/intervals"
            aggregation_us = int((intervals / "aggr_us").read_text())
        except (OSError, ValueError):
            continue
        if state == "on" and action == "pageout":
            return f"DAMON pages out memory unused for {min_age * aggregation_us / 1e6:.0f} s"
    return None


def compile_program() -> None:
    """Compile the program's modules to bytecode, as ``pip install`` does.

    Every start is then measured as a user's installed program starts. Where no bytecode is
    kept (a checkout run with PYTHONDONTWRITEBYTECODE set, or a read-only one), Python compiles
    each module again at every start: 0.07 s more on this machine, at 300 articles as at
    100,000, and 0.03-0.07 s more for ``list``.
    """
    import reader

    package = Path(reader.__file__).resolve().parent
    compileall.compile_dir(package, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="size of the synthetic cache")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "newsreader-bench",
        help="where the synthetic cache is kept between runs",
    )
    parser.add_argument(
        "--skip-baseline", action="store_true", help="do not measure the DataTable baseline"
    )
    parser.add_argument(
        "--skip-start", action="store_true", help="do not measure cold, warm and incremental starts"
    )
    parser.add_argument(
        "--skip-list",
        action="store_true",
        help="do not time the commands (`newsreader list`, `mark`, `show`, `related`)",
    )
    parser.add_argument(
        "--skip-resume", action="store_true", help="do not time q during a cold index and resuming"
    )
    parser.add_argument(
        "--cold-runs",
        type=int,
        help="cold full indexes to time (default: --runs; 1 from 500,000 articles up)",
    )
    parser.add_argument(
        "--reference",
        type=int,
        default=REFERENCE,
        help=f"the small cache the start figures are compared with (default {REFERENCE}; 0: none)",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="delete the synthetic caches from --workdir when done (a million is ~4 GB)",
    )
    parser.add_argument(
        "--edits-apart",
        action="store_true",
        help="edit files in place only in folders no rename touches (found by the check of"
        " every file alone)",
    )
    parser.add_argument(
        "--from-disk",
        action="store_true",
        help="empty the page cache before each cold start, so it reads the files from the disk"
        " (Linux, as root)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="a config.toml the measured reader starts with (default: none, every default)",
    )
    args = parser.parse_args()
    if args.from_disk and not args.skip_start:
        try:
            drop_page_cache()
        except OSError as exc:
            parser.error(f"--from-disk cannot empty the page cache: {exc.strerror or exc}")
    cold_runs = args.cold_runs if args.cold_runs is not None else args.runs
    if args.cold_runs is None and args.articles >= 500_000:
        cold_runs = 1

    cache = args.workdir / f"cache-{args.articles}"
    small = args.workdir / f"cache-{args.reference}"
    home = Path(tempfile.mkdtemp(prefix="newsreader-bench-home-"))
    if args.config is not None:
        # Where the real program finds it (XDG) and where the headless app is pointed.
        for folder in (home / "config" / "newsreader", home / "config"):
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(args.config, folder / "config.toml")
        print(f"config: {args.config}")
    print(f"machine: {machine()}")
    if reclaim := page_out():
        print(f"page cache: {reclaim} (warm starts may read from the disk)")
    compile_program()
    print("bytecode: the program's modules compiled, as an installed program's are")
    if args.from_disk:
        print("cold starts: the page cache emptied before each (the files read from the disk)")
    started = time.perf_counter()
    make_cache(cache, args.articles)
    print(
        f"synthetic cache: {args.articles:,} articles in {cache}"
        f" ({time.perf_counter() - started:.1f} s to make)"
    )

    shown = args.articles if args.config is None else shown_count(cache, home)
    if shown != args.articles:
        print(f"shown with this config: {shown:,} (the rest hidden by its rules)")
    reference: dict[str, list[float]] = {}
    figures: dict[str, list[float]] = {}
    if not args.skip_start:
        if args.reference:
            make_cache(small, args.reference)
            small_shown = args.reference if args.config is None else shown_count(small, home)
            # Its cold starts here, its warm and incremental ones each beside one of the big
            # cache's (see start_figures).
            reference = start_figures(
                small, small_shown, home, 0, args.runs, False, from_disk=args.from_disk
            )
        beside = Beside(small, small_shown, reference) if args.reference else None
        resume = not args.skip_resume
        figures = start_figures(
            cache,
            shown,
            home,
            args.runs,
            cold_runs,
            resume,
            beside,
            args.edits_apart,
            args.from_disk,
        )
    if not args.skip_list:
        figures.update(list_figures(cache, home, args.runs))
    interaction = asyncio.run(_interaction(cache, home, args.runs))
    figures.update(interaction)
    if not args.skip_baseline:
        figures["baseline: DataTable first paint"] = [asyncio.run(_datatable_baseline(cache, home))]

    print()
    print(report(figures, interaction, reference, args.articles, args.reference))
    shutil.rmtree(home, ignore_errors=True)
    if args.clean:
        for folder in (cache, small):
            shutil.rmtree(folder, ignore_errors=True)
        print(f"removed the synthetic caches from {args.workdir}")


REFERENCE = 300
"""The small cache whose start-up the big one's is compared with, in the same run."""


def report(
    figures: dict[str, list[float]],
    interaction: dict[str, list[float]],
    reference: dict[str, list[float]],
    articles: int,
    small: int,
) -> str:
    """The Markdown table: median, min, max, runs, and the median's ratio to the small cache's."""
    ratio = f" × {small:,} articles" if reference else ""
    lines = [
        f"| figure ({articles:,} articles) | median | min | max | runs |"
        + (f" median at {small:,} | ratio{ratio} |" if reference else ""),
        "|---|---|---|---|---|" + ("---|---|" if reference else ""),
    ]
    for name, values in figures.items():
        if name in interaction:
            unit, fmt = " ms", (lambda v: f"{v:.1f}")
        elif "CPU" in name or "MiB" in name:
            unit, fmt = "", (lambda v: f"{v:.2f}")
        else:
            unit, fmt = " s", (lambda v: f"{v:.2f}")
        median = statistics.median(values)
        line = f"| {name} | {fmt(median)}{unit} | {fmt(min(values))} | {fmt(max(values))}"
        line += f" | {len(values)} |"
        if reference:
            small_values = reference.get(name)
            if small_values and "CPU" not in name:
                small_median = statistics.median(small_values)
                line += f" {fmt(small_median)}{unit} | {median / small_median:.2f} |"
            else:
                line += " | |"
        lines.append(line)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
