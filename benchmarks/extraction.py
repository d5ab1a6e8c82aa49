"""Score full-text extraction against pages with hand-checked article text.

Usage: python benchmarks/extraction.py --pages PATH/TO/pages

PAGES holds ``html/<key>.html.gz`` and ``ground-truth.json`` (``{key: {url,
articleBody}}``). The pages are served from a local HTTP server; a
temporary cache gets one article per page whose URL points there; then
``newsreader fulltext`` downloads and extracts them all (timed: the
throughput), and ``newsreader show URL --format json`` prints each one's
``text``, which is scored against ``articleBody``: both split into words
(``\\w+``), 4-word shingles counted, each page's true and false positives
and negatives normalised to sum to 1, precision, recall and F1 averaged over
pages. The extractors alone are scored the same way in-process, with a
plain trafilatura call as the baseline, and timed per page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WORDS = re.compile(r"\w+")


def shingles(text: str) -> Counter[tuple[str, ...]]:
    words = WORDS.findall(text or "")
    return Counter(tuple(words[i : i + 4]) for i in range(max(0, len(words) - 3)))


def score(found: str, truth: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of one page, with the counts normalised to sum to 1."""
    got, want = shingles(found), shingles(truth)
    tp, fp, fn = sum((got & want).values()), sum((got - want).values()), sum((want - got).values())
    total = tp + fp + fn
    if not total:
        return 1.0, 1.0, 1.0
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def averaged(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    n = len(scores)
    return tuple(sum(s[i] for s in scores) / n for i in range(3))  # type: ignore[return-value]


def serve(pages: Path) -> ThreadingHTTPServer:
    """Serve ``/<key>.html`` from the gzipped pages, on 127.0.0.1."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = pages / "html" / f"{self.path.strip('/').removesuffix('.html')}.html.gz"
            if not re.fullmatch(r"/[0-9a-f]+\.html", self.path) or not path.is_file():
                self.send_error(404)
                return
            body = gzip.decompress(path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def cli(cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "reader", "--cache-dir", str(cache), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def end_to_end(pages: Path, truth: dict[str, dict]) -> None:
    server = serve(pages)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        cache.mkdir()
        for key in truth:
            url = f"{base}/{key}.html"
            (cache / f"{key}.md").write_text(
                f'---\ntitle: "Page {key[:8]}"\nwebUrl: "{url}"\n---\n', encoding="utf-8"
            )
        cli(cache, "list", "--limit", "1")  # index first, so the run below times downloads
        started = time.perf_counter()
        run = cli(cache, "fulltext")
        seconds = time.perf_counter() - started
        print(
            f"fulltext: {run.stdout.strip()} in {seconds:.1f} s "
            f"({len(truth) / seconds:.1f} pages/s); failures: {run.stderr.strip() or 'none'}"
        )
        scores = []
        for key, page in truth.items():
            shown = cli(cache, "show", f"{base}/{key}.html", "--format", "json")
            record = json.loads(shown.stdout) if shown.returncode == 0 else {"text": ""}
            scores.append(score(record.get("text", ""), page["articleBody"]))
        p, r, f = averaged(scores)
        print(
            f"| newsreader fulltext + show --format json (end to end) | {p:.3f} | {r:.3f} "
            f"| {f:.3f} | - |"
        )
    server.shutdown()


def in_process(pages: Path, truth: dict[str, dict]) -> None:
    import trafilatura

    from reader.article_text import markdown_to_text
    from reader.fulltext.extract import (
        NoArticle,
        _with_readability,
        _with_trafilatura,
        extract_article,
    )

    def combined(html: bytes, url: str) -> str:
        try:
            return markdown_to_text(extract_article(html, url).markdown)
        except NoArticle:
            return ""

    variants: list[tuple[str, Callable[[bytes, str], str]]] = [
        (
            "plain trafilatura.extract() (baseline)",
            lambda h, u: trafilatura.extract(h, url=u) or "",
        ),
        (
            "trafilatura as newsreader calls it",
            lambda h, u: markdown_to_text(_with_trafilatura(h, u)),
        ),
        (
            "readability-lxml as newsreader calls it",
            lambda h, u: markdown_to_text(_with_readability(h, u)),
        ),
        ("newsreader: both, second opinion when short", combined),
    ]
    documents = {k: gzip.decompress((pages / "html" / f"{k}.html.gz").read_bytes()) for k in truth}
    for name, extract in variants:
        scores, times = [], []
        for key, page in truth.items():
            started = time.perf_counter()
            text = extract(documents[key], page["url"])
            times.append(time.perf_counter() - started)
            scores.append(score(text, page["articleBody"]))
        p, r, f = averaged(scores)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | "
            f"{statistics.median(times) * 1000:.0f} / {p95 * 1000:.0f} ms |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages", type=Path, required=True, help="folder with html/ and ground-truth.json"
    )
    args = parser.parse_args()
    truth = json.loads((args.pages / "ground-truth.json").read_text(encoding="utf-8"))
    print(
        f"{len(truth)} pages; {platform.processor() or platform.machine()},"
        f" {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| extractor | precision | recall | F1 | time per page (median / p95) |")
    print("|---|---|---|---|---|")
    in_process(args.pages, truth)
    end_to_end(args.pages, truth)


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)
    main()
