"""The ``newsreader`` command through its real entry point (``python -m reader``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BAD_ARTICLES, GOOD_ARTICLES, RunCli, copy_articles, write_article

from reader import __version__

JSON_KEYS = {"title", "url", "published", "quality", "provider", "domain", "topics", "path"}
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def news(cache: Path) -> Path:
    """A small cache whose orders are known: dates, qualities and topics all differ."""
    write_article(
        cache,
        "ferries.md",
        "Body",
        title="Autonomous ferries",
        quality=40,
        publishedDateTime="2021-03-14T09:30:00Z",
        originalUrl="https://example.com/ferries",
        provider={"name": "Example News", "domain": "example.com"},
        topics=["Robotics", "Transport"],
    )
    write_article(
        cache,
        "ethics.md",
        title="Machine ethics panel",
        quality=90,
        publishedDateTime="2021-03-12T10:00:00+02:00",
        webUrl="https://ethics.example/panel",
        provider="Ethics Weekly",
        topics=["AI"],
    )
    write_article(
        cache / "sub",
        "speech.md",
        title="Speech benchmark",
        quality=10,
        publishedDateTime="2021-03-13T00:00:00Z",
        sourceUrl="https://lab.example/speech",
        topics=["AI", "Speech"],
    )
    write_article(cache, "undated.md", title="Undated note", topics="robotics-adjacent")
    return cache


def titles(stdout: str) -> list[str]:
    """The titles of ``list`` text output (the last column)."""
    return [re.split(r"\s{2,}", line.strip())[-1] for line in stdout.splitlines()]


def assert_one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    message = result.stderr.strip()
    assert message and "\n" not in message, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return message


# --- help and version ------------------------------------------------------------


def _subcommands() -> list[str]:
    from reader.cli import main

    return sorted(main.commands)


def test_the_documented_subcommands_exist() -> None:
    assert {"list", "check", "import", "paths"} <= set(_subcommands())


@pytest.mark.parametrize(
    "args", [[], *[[name] for name in _subcommands()]], ids=lambda a: " ".join(a) or "root"
)
def test_help(run_cli: RunCli, args: list[str]) -> None:
    for flag in ("--help", "-h") if not args else ("--help",):
        result = run_cli(*args, flag)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"Usage: newsreader {' '.join(args)}".rstrip())
        assert result.stderr == ""


def test_version(run_cli: RunCli) -> None:
    for flag in ("--version", "-V"):
        result = run_cli(flag)
        assert result.returncode == 0
        assert result.stdout.strip() == f"newsreader, version {__version__}"


# --- list ------------------------------------------------------------------------


def test_list_text_output_newest_first(run_cli: RunCli, news: Path) -> None:
    result = run_cli("--cache-dir", news, "list")
    assert result.returncode == 0, result.stderr
    assert titles(result.stdout) == [
        "Autonomous ferries",
        "Speech benchmark",
        "Machine ethics panel",
        "Undated note",
    ]
    first = result.stdout.splitlines()[0]
    assert first.startswith("2021-03-14 09:30")
    assert "Example News" in first and " 40 " in first
    assert "2021-03-12 08:00" in result.stdout  # +02:00 shown in UTC


def test_list_sort_quality_and_reverse(run_cli: RunCli, news: Path) -> None:
    by_quality = run_cli("--cache-dir", news, "list", "--sort", "quality")
    assert titles(by_quality.stdout) == [
        "Machine ethics panel",
        "Autonomous ferries",
        "Speech benchmark",
        "Undated note",
    ]
    reversed_ = run_cli("--cache-dir", news, "list", "--sort", "quality", "--reverse")
    # Reversing flips the scored articles; the one without a score stays last.
    assert titles(reversed_.stdout) == titles(by_quality.stdout)[:3][::-1] + ["Undated note"]
    by_date_reversed = run_cli("--cache-dir", news, "list", "--reverse")
    assert titles(by_date_reversed.stdout)[-2:] == ["Autonomous ferries", "Undated note"]
    bad = run_cli("--cache-dir", news, "list", "--sort", "popularity")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_list_topic_is_case_insensitive(run_cli: RunCli, news: Path) -> None:
    for spelling in ("AI", "ai", "Ai"):
        result = run_cli("--cache-dir", news, "list", "--topic", spelling)
        assert result.returncode == 0
        assert titles(result.stdout) == ["Speech benchmark", "Machine ethics panel"]
    robotics = run_cli("--cache-dir", news, "list", "--topic", "ROBOTICS")
    assert titles(robotics.stdout) == ["Autonomous ferries"]  # not "robotics-adjacent"
    none = run_cli("--cache-dir", news, "list", "--topic", "gardening")
    assert none.returncode == 0 and none.stdout == ""


def test_list_limit(run_cli: RunCli, news: Path) -> None:
    assert titles(run_cli("--cache-dir", news, "list", "--limit", "2").stdout) == [
        "Autonomous ferries",
        "Speech benchmark",
    ]
    assert run_cli("--cache-dir", news, "list", "--limit", "0").stdout == ""
    assert len(run_cli("--cache-dir", news, "list", "--limit", "99").stdout.splitlines()) == 4
    negative = run_cli("--cache-dir", news, "list", "--limit", "-1")
    assert negative.returncode == 2 and "Traceback" not in negative.stderr


def test_list_json_paths_are_absolute_with_a_relative_cache_dir(
    run_cli: RunCli, news: Path
) -> None:
    """A script that changes folder afterwards can still open every printed path."""
    result = run_cli("--cache-dir", news.name, "list", "--json", cwd=news.parent)
    assert result.returncode == 0, result.stderr
    paths = [Path(json.loads(line)["path"]) for line in result.stdout.splitlines()]
    assert len(paths) == 4 and all(p.is_absolute() and p.is_file() for p in paths)
    assert (news / "ferries.md") in paths


def test_list_json(run_cli: RunCli, news: Path) -> None:
    result = run_cli("--cache-dir", news, "list", "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in records] == [
        "Autonomous ferries",
        "Speech benchmark",
        "Machine ethics panel",
        "Undated note",
    ]
    for record in records:
        assert JSON_KEYS <= set(record)
        assert isinstance(record["topics"], list)
        assert Path(record["path"]).resolve().is_file()
        if record["published"] is not None:
            assert (
                dt.datetime.fromisoformat(record["published"].replace("Z", "+00:00")).tzinfo
                is not None
            )
    ferries, speech, ethics, undated = records
    assert ferries == ferries | {
        "url": "https://example.com/ferries",
        "published": "2021-03-14T09:30:00Z",
        "quality": 40,
        "provider": "Example News",
        "domain": "example.com",
        "topics": ["Robotics", "Transport"],
    }
    assert Path(ferries["path"]).resolve() == (news / "ferries.md").resolve()
    assert Path(speech["path"]).resolve() == (news / "sub" / "speech.md").resolve()
    assert dt.datetime.fromisoformat(ethics["published"].replace("Z", "+00:00")) == dt.datetime(
        2021, 3, 12, 8, 0, tzinfo=dt.UTC
    )
    assert ethics["provider"] == "Ethics Weekly" and ethics["url"] == "https://ethics.example/panel"
    assert undated["published"] is None and undated["quality"] is None and undated["url"] is None
    assert undated["topics"] == ["robotics-adjacent"]


def test_list_prints_hostile_text_inert(run_cli: RunCli, good_cache: Path) -> None:
    result = run_cli("--cache-dir", good_cache, "list")
    assert result.returncode == 0
    assert not UNSAFE.search(result.stdout.replace("\n", ""))
    assert "[@click=app.quit]x[/]" in result.stdout  # kept literally, never interpreted
    assert len(result.stdout.splitlines()) == len(list(GOOD_ARTICLES.glob("*.md")))
    as_json = run_cli("--cache-dir", good_cache, "list", "--json")
    for line in as_json.stdout.splitlines():
        record = json.loads(line)
        assert not UNSAFE.search(record["title"])
        assert record["url"] is None or record["url"].startswith(("http://", "https://"))


def test_list_on_an_empty_cache_says_how_to_fill_it(run_cli: RunCli, cache: Path) -> None:
    result = run_cli("--cache-dir", cache, "list")
    assert result.returncode == 0
    assert result.stdout == ""
    assert "newsreader import" in result.stderr and "Traceback" not in result.stderr


def test_list_into_head_closes_quietly(tmp_path: Path, cache: Path) -> None:
    long = "x" * 600
    for n in range(350):  # ~220 KB of output: far more than a pipe holds
        write_article(
            cache,
            f"a{n:03d}.md",
            title=f"Article {n:03d} {long}",
            publishedDateTime=f"2021-01-01T{n // 60:02d}:{n % 60:02d}:00Z",
        )
    python = shlex.quote(sys.executable)
    for extra in ("", " --json"):
        command = f"{python} -m reader --cache-dir {shlex.quote(str(cache))} list{extra} | head -1"
        result = subprocess.run(
            command,
            shell=True,
            capture_output=True,
            text=True,
            env=dict(os.environ),
            cwd=tmp_path,
            timeout=60,
        )
        assert result.returncode == 0
        assert len(result.stdout.splitlines()) == 1
        assert "Article 349" in result.stdout
        assert "Traceback" not in result.stderr
        assert "BrokenPipeError" not in result.stderr
        assert "Exception ignored" not in result.stderr
        assert result.stderr == ""


# --- check ----------------------------------------------------------------------


def test_check_lists_skipped_files_and_exits_1(run_cli: RunCli, cache: Path) -> None:
    copy_articles(GOOD_ARTICLES, cache)
    bad = copy_articles(BAD_ARTICLES, cache)
    (cache / "dangling.md").symlink_to(cache / "nowhere.md")
    result = run_cli("--cache-dir", cache, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(bad) + 1
    reasons = {}
    for line in lines:
        path, _, reason = line.partition(": ")
        assert reason, line
        reasons[Path(path).name] = reason
    assert set(reasons) == {*bad, "dangling.md"}
    assert reasons["dangling.md"] == "broken symlink"
    assert reasons["no_title.md"] == "no usable title"
    assert "Traceback" not in result.stderr
    assert f"{len(list(GOOD_ARTICLES.glob('*.md')))} articles loaded" in result.stderr


def test_check_exits_0_when_clean(run_cli: RunCli, good_cache: Path) -> None:
    result = run_cli("--cache-dir", good_cache, "check")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


# --- paths and the cache location -----------------------------------------------


def test_paths_prints_the_isolated_dirs(run_cli: RunCli, isolated_dirs: Path) -> None:
    result = run_cli("paths")
    assert result.returncode == 0, result.stderr
    printed = dict(line.split(":", 1) for line in result.stdout.splitlines())
    printed = {key.strip(): Path(value.strip()) for key, value in printed.items()}
    assert printed["cache"] == isolated_dirs / "cache" / "newsreader"
    assert printed["config"] == isolated_dirs / "config" / "newsreader"
    assert printed["data"] == isolated_dirs / "data" / "newsreader"
    assert str(printed["index"]).startswith(str(printed["cache"]))


def test_cache_dir_env_var_is_honoured_and_the_option_wins(run_cli: RunCli, tmp_path: Path) -> None:
    from_env = tmp_path / "from-env"
    from_option = tmp_path / "from-option"
    write_article(from_env, "e.md", title="From the environment")
    write_article(from_option, "o.md", title="From the option")
    env = {"NEWSREADER_CACHE_DIR": str(from_env)}
    assert titles(run_cli("list", env=env).stdout) == ["From the environment"]
    assert titles(run_cli("--cache-dir", from_option, "list", env=env).stdout) == [
        "From the option"
    ]
    assert f"cache:  {from_env}" in run_cli("paths", env=env).stdout
    missing = run_cli("list", env={"NEWSREADER_CACHE_DIR": str(tmp_path / "absent")})
    assert "does not exist" in assert_one_line_error(missing)


def test_default_cache_is_the_isolated_platform_dir(run_cli: RunCli, isolated_dirs: Path) -> None:
    write_article(isolated_dirs / "cache" / "newsreader", "d.md", title="In the default cache")
    assert titles(run_cli("list").stdout) == ["In the default cache"]


# --- errors: one line, non-zero, no traceback -------------------------------------


@pytest.mark.parametrize("command", ["list", "check"])
def test_missing_cache_dir_is_one_line(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    message = assert_one_line_error(run_cli("--cache-dir", tmp_path / "absent", command))
    assert "does not exist" in message and str(tmp_path / "absent") in message


@pytest.mark.parametrize("command", ["list", "check", "import"])
def test_cache_dir_that_is_a_file_is_one_line(
    run_cli: RunCli, tmp_path: Path, command: str
) -> None:
    file = tmp_path / "a-file"
    file.write_text("not a folder")
    args = [command, *([str(GOOD_ARTICLES / "seed_shaped.md")] if command == "import" else [])]
    message = assert_one_line_error(run_cli("--cache-dir", file, *args))
    assert "not a directory" in message
    assert file.read_text() == "not a folder"


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod 000 does not stop root from reading the folder",
)
def test_unreadable_cache_dir_is_one_line(run_cli: RunCli, cache: Path) -> None:
    write_article(cache, "a.md", title="Locked away")
    cache.chmod(0)
    try:
        message = assert_one_line_error(run_cli("--cache-dir", cache, "list"))
        assert "not readable" in message
    finally:
        cache.chmod(0o755)


def test_import_of_a_missing_path_is_reported(run_cli: RunCli, cache: Path, tmp_path: Path) -> None:
    result = run_cli("--cache-dir", cache, "import", tmp_path / "nothing-here.md")
    assert result.returncode == 1
    assert "no such file or folder" in result.stderr and "Traceback" not in result.stderr


def test_unknown_command_and_option(run_cli: RunCli) -> None:
    for args in (["frobnicate"], ["list", "--frobnicate"]):
        result = run_cli(*args)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr and "Error:" in result.stderr


def test_cache_dir_may_follow_the_command(run_cli, tmp_path: Path) -> None:
    news = tmp_path / "elsewhere"
    write_article(news, "one.md", title="Only here", webUrl="https://example.com/only-here")
    for args in (
        ("list", "--cache-dir", news),
        ("list", f"--cache-dir={news}"),
        ("--cache-dir", news, "list"),
    ):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
        assert "Only here" in result.stdout
    listed = run_cli("feeds", "list", "--cache-dir", news)
    assert listed.returncode == 0 and "No such option" not in listed.stderr
    paths = run_cli("paths", "--cache-dir", news)
    assert str(news) in paths.stdout
    # After "--" it is a search text, not the option: no article matches it.
    searched = run_cli("--cache-dir", news, "list", "--", "--cache-dir")
    assert searched.returncode == 0 and "Only here" not in searched.stdout


def test_hoisting_moves_only_the_cache_option() -> None:
    from reader.cli import hoist_cache_dir

    assert hoist_cache_dir(["list", "AI", "--cache-dir", "D", "--json"]) == [
        "--cache-dir",
        "D",
        "list",
        "AI",
        "--json",
    ]
    assert hoist_cache_dir(["feeds", "list", "--cache-dir=D"]) == ["--cache-dir=D", "feeds", "list"]
    assert hoist_cache_dir(["list", "--", "--cache-dir", "D"]) == ["list", "--", "--cache-dir", "D"]
    assert hoist_cache_dir(["list", "--cache-dir"]) == ["list", "--cache-dir"]  # click says why


def test_a_bad_topics_section_is_one_warning_and_the_list_goes_on(run_cli, tmp_path: Path) -> None:
    news = tmp_path / "news"
    write_article(news, "one.md", title="Renamed or not", topics=["AI"])
    config = tmp_path / "xdg" / "config" / "newsreader" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[topics]\nrename = "AI"\n', encoding="utf-8")
    result = run_cli("list", "--cache-dir", news)
    assert result.returncode == 0 and "Renamed or not" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "topics" in warnings[0]
