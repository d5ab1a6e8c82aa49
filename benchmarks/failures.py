"""Measure the failure cases of issue #12 through the real program.

Usage:  python benchmarks/failures.py [--articles 30000] [--runs 3] [--workdir DIR]

Every case runs ``python -m reader`` in its own process: the reader in a
pseudo-terminal as ``bench.py`` drives it (stopped by ``q``, SIGTERM, SIGHUP
or ``kill -9`` once the status line shows a cold index running), ``fetch``
against hostile servers on 127.0.0.1 and ``import`` beside a 2 GB sparse file,
with HOME and the XDG folders in a temporary folder. Peak memory is the
child's own high-water mark (``VmHWM``, read as it exits: ``wait4``'s figure
would start from this script's size, which Linux carries across fork and
exec). Medians over ``--runs``; the machine is printed with the table, and
the figures of the issue beside ours. Copied into an older
checkout's ``benchmarks/``, it measures that code the same way.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from contextlib import closing, suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the synthetic articles and the pseudo-terminal harness

REPO = Path(__file__).resolve().parent.parent
RESTORE = b"\x1b[?1049l"
"""Leaving the alternate screen: what a restored terminal was sent last."""
XDG = ("config", "data", "cache")
"""The program's own folders, below a temporary HOME: never the user's."""
HUNG = 120.0
"""Seconds after which a process counts as hung and is killed."""
UNDER_WAY = r"Indexing [\d,]+/[\d,]+ files \((?:2[5-9]|[3-9]\d)%\)"
"""The status line of a cold index a quarter done or more: some of it is stored by now."""


# --- processes ---------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid: int) -> bool:
    """Running (a zombie has ended; it only waits for its parent)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``: parsers, the resource tracker, the file-check helper."""
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := _stat(int(name))) is not None:
            parents[int(name)] = int(fields[1])
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        children = {child for child, ppid in parents.items() if ppid == parent} - found
        todo += children
        found |= children
    return found


def until_exit(run: bench.Run) -> tuple[float, int, bytes]:
    """Seconds until the reader exits, its exit code, and what it wrote meanwhile."""
    started = time.perf_counter()
    out = bytearray()
    while True:
        pid, status, _ = os.wait4(run.proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > HUNG:
            with suppress(ProcessLookupError):
                os.killpg(run.proc.pid, signal.SIGKILL)
        # Keep reading: a full pseudo-terminal would block the reader's last writes.
        if select.select([run.master], [], [], 0.01)[0]:
            with suppress(OSError):
                out += os.read(run.master, 1 << 16)
    took = time.perf_counter() - started
    with suppress(OSError):  # what is left to read once it has exited
        while select.select([run.master], [], [], 0)[0] and (chunk := os.read(run.master, 1 << 16)):
            out += chunk
    os.close(run.master)
    run.proc.returncode = os.waitstatus_to_exitcode(status)  # bench.Run must not kill it again
    return took, run.proc.returncode, bytes(out)


_MEASURED = """
import atexit, runpy, sys
target = sys.argv.pop(1)
def peak():
    with open("/proc/self/status") as status, open(target, "w") as out:
        out.write(next(l.split()[1] for l in status if l.startswith("VmHWM:")))  # KiB
atexit.register(peak)
sys.argv[0] = "newsreader"
runpy.run_module("reader", run_name="__main__")
"""
"""``python -m reader`` that writes its own peak memory (KiB) to the file named first."""


def command(home: Path, *args: object) -> dict[str, object]:
    """``python -m reader ARGS`` with its own HOME: seconds, exit code, peak memory, message.

    The message is the first ``failed:`` line, or else the last line of the output.
    """
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update({f"XDG_{n.upper()}_HOME": str(home / n) for n in XDG}, HOME=str(home))
    started = time.perf_counter()
    with (home / "output.txt").open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", _MEASURED, str(home / "peak.txt"), *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=home,
        )
        while not (waited := os.wait4(process.pid, os.WNOHANG))[0]:
            if time.perf_counter() - started > HUNG:
                process.kill()
            time.sleep(0.01)
    took = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(waited[1])
    lines = (home / "output.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    message = next(
        (line for line in lines if line.startswith("failed:")), lines[-1] if lines else ""
    )
    return {
        "seconds": took,
        "exit code": str(process.returncode),
        "peak memory MiB": int((home / "peak.txt").read_text()) / 1024,
        "message": re.sub(r"https?://\S+?: | \(into .*\)$", "", message),
    }


# --- the reader stopped during a cold index ------------------------------------------------


def stored(cache: Path) -> int:
    """Files the index holds (articles and skipped files)."""
    path = cache / ".newsreader" / "index.sqlite3"
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = ("articles", "skipped")
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def stop_cold_index(cache: Path, home: Path, count: int, how: str) -> dict[str, object]:
    """Start a cold index, stop it with ``how`` (q or a signal's name) and see what is left."""
    shutil.rmtree(cache / ".newsreader", ignore_errors=True)
    with bench.Run(cache, home) as run:
        run.wait_for(UNDER_WAY)
        children = descendants(run.proc.pid)
        if how == "q":
            os.write(run.master, b"q")
        else:
            os.kill(run.proc.pid, getattr(signal, how))
        took, code, out = until_exit(run)
    time.sleep(1)
    left = [pid for pid in children if alive(pid)]
    for pid in left:  # leave nothing running behind the measurement
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    figures: dict[str, object] = {
        "seconds to exit": took,
        "exit code": str(code),
        "terminal restored": "yes" if RESTORE in out else "no",
        "children while indexing": len(children),
        "children alive 1 s after": len(left),
    }
    if how == "SIGKILL":  # nothing can be restored or exit cleanly after it
        figures = {"children while indexing": len(children), "children alive 1 s after": len(left)}
    elif how == "q":
        kept = stored(cache)
        with bench.Run(cache, home) as run:
            run.wait_for(rf"{count:,} articles in")
            totals = re.findall(r"Indexing [\d,]+/([\d,]+) files", run.screen)
            run.quit()
        figures["files the index kept"] = kept
        figures["files the next start parsed"] = (
            max(int(t.replace(",", "")) for t in totals) if totals else count - kept
        )
    return figures


# --- hostile servers ---------------------------------------------------------------------------


def gzip_gzip_zeros(size: int = 2 << 30) -> bytes:
    """``size`` zeros, gzip-compressed twice: a few kB on the wire."""
    inner = zlib.compressobj(1, zlib.DEFLATED, 31)
    block = bytes(16 << 20)
    once = b"".join([*(inner.compress(block) for _ in range(size // len(block))), inner.flush()])
    outer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return outer.compress(once) + outer.flush()


class HostileServer:
    """``/bomb``: a gzip-of-gzip body; ``/drip``: one byte a second for ever."""

    def __init__(self) -> None:
        self.bomb = gzip_gzip_zeros()
        self.stopping = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.stopping.set()
        self.listener.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
        with conn:
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    if not (data := conn.recv(65536)):
                        return
                    request += data
                if request.split(b" ", 2)[1] == b"/bomb":
                    head += f"Content-Encoding: gzip, gzip\r\nContent-Length: {len(self.bomb)}\r\n"
                    conn.sendall(f"{head}\r\n".encode() + self.bomb)
                    return
                conn.sendall(f"{head}\r\n<".encode())
                while not self.stopping.wait(1.0):
                    conn.sendall(b" ")
            except OSError:
                pass  # the client gave up, as it must


def fetch_figures(server: HostileServer, home: Path, path: str) -> dict[str, object]:
    """One ``fetch`` of a single feed at ``path``, in a home of its own."""
    shutil.rmtree(home, ignore_errors=True)
    (home / "articles").mkdir(parents=True)
    command(home, "--cache-dir", home / "articles", "feeds", "add", f"{server.url}{path}")
    return command(home, "--cache-dir", home / "articles", "fetch")


def import_figures(home: Path) -> dict[str, object]:
    """``import big.md`` into a cache holding a 2 GB sparse ``big.md``."""
    shutil.rmtree(home, ignore_errors=True)
    (home / "articles").mkdir(parents=True)
    (home / "in").mkdir()
    with (home / "articles" / "big.md").open("wb") as big:
        big.truncate(2 << 30)
    source = home / "in" / "big.md"
    source.write_text('---\ntitle: "Big"\n---\nSmall body.\n', encoding="utf-8")
    return command(home, "--cache-dir", home / "articles", "import", source)


# --- report ------------------------------------------------------------------------------------

BEFORE = {
    ("q", "seconds to exit"): "4.8-6.5 s (waited for the whole index); 1 in 10 not within 60 s",
    ("q", "files the next start parsed"): "none left: q waited for all",
    ("SIGTERM", "terminal restored"): "no (alternate screen, mouse on, no cursor)",
    ("SIGTERM", "children alive 1 s after"): "3 (2 parsers, resource tracker)",
    ("SIGKILL", "children alive 1 s after"): "3, still running 60 s later",
    ("gzip, gzip bomb", "seconds"): "9.8 s",
    ("gzip, gzip bomb", "peak memory MiB"): "2.1 GB",
    ("drip", "seconds"): "62 s",
    ("drip", "message"): "timed out after 20 s",
    ("import", "seconds"): "11 s",
    ("import", "peak memory MiB"): "2.1 GB",
}


def summary(name: str, values: list[object]) -> str:
    """Median (min-max) of numbers; otherwise each value, with how often it came if they differ."""
    if all(isinstance(v, int | float) for v in values):
        digits = 2 if "seconds" in name else 0
        low, mid, high = (
            f"{v:,.{digits}f}" for v in (min(values), statistics.median(values), max(values))
        )
        return mid if low == high else f"{mid} ({low}-{high})"
    counts = Counter(map(str, values))
    return ", ".join(f"`{v}`" + (f" x{n}" if len(counts) > 1 else "") for v, n in counts.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=30_000, help="files in the cold index")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported")
    parser.add_argument(
        "--workdir", type=Path, help="keep the synthetic cache here (default: a temporary folder)"
    )
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        sys.exit("needs Linux: children are found in /proc")

    home = Path(tempfile.mkdtemp(prefix="newsreader-failures-"))
    workdir = args.workdir or home / "work"
    cache = workdir / f"cache-{args.articles}"
    os.environ.update({f"XDG_{n.upper()}_HOME": str(home / n) for n in XDG}, HOME=str(home))
    os.environ["PYTHONPATH"] = str(REPO)  # this tree's reader, wherever the script runs from
    for name in ("NEWSREADER_CACHE_DIR", "TEXTUAL"):
        os.environ.pop(name, None)
    print(f"machine: {bench.machine()}")
    results: dict[tuple[str, str], list[object]] = {}

    def record(case: str, figures: dict[str, object]) -> None:
        for name, value in figures.items():
            results.setdefault((case, name), []).append(value)

    server = None
    try:
        bench.make_cache(cache, args.articles)
        for how in ("q", "SIGTERM", "SIGHUP", "SIGKILL"):
            for _ in range(args.runs):
                record(how, stop_cold_index(cache, home, args.articles, how))
        server = HostileServer()
        print(f"bomb: {len(server.bomb):,} bytes on the wire, 2 GiB decoded")
        for _ in range(args.runs):
            record("gzip, gzip bomb", fetch_figures(server, home / "fetch", "/bomb"))
            record("drip", fetch_figures(server, home / "fetch", "/drip"))
            record("import", import_figures(home / "import"))
    finally:
        if server is not None:
            server.close()
        shutil.rmtree(cache / ".newsreader", ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)

    labels = {
        "q": f"`q` during a cold index of {args.articles:,} files",
        "SIGTERM": "SIGTERM during a cold index",
        "SIGHUP": "SIGHUP during a cold index",
        "SIGKILL": "`kill -9` during a cold index",
        "gzip, gzip bomb": "`fetch`: `gzip, gzip` body inflating to 2 GiB",
        "drip": "`fetch`: a server sending one byte a second",
        "import": "`import big.md` beside a 2 GB `big.md`",
    }
    print()
    print(f"| case | figure | median (min-max) of {args.runs} | issue #12 (before) |")
    print("|---|---|---|---|")
    for (case, name), values in results.items():
        before = BEFORE.get((case, name), "")
        print(f"| {labels[case]} | {name} | {summary(name, values)} | {before} |")


if __name__ == "__main__":
    main()
