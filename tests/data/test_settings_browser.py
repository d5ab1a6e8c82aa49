"""Remembered settings (``reader.settings``) and opening links (``reader.browser``)."""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path

import pytest

import reader.atomic as atomic
import reader.browser as browser
from reader.browser import RefusedURL, check_url, open_url
from reader.library import SortKey
from reader.paths import resolve
from reader.settings import Settings, SettingsSaver, load_settings, save_settings

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f]")


# --- settings ------------------------------------------------------------------


def test_settings_live_in_the_isolated_data_dir(isolated_dirs: Path) -> None:
    assert resolve().settings_path == isolated_dirs / "data" / "newsreader" / "settings.json"


def test_missing_settings_give_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "absent.json") == Settings(SortKey.DATE, False)


@pytest.mark.parametrize(
    "settings", [Settings(SortKey.QUALITY, True), Settings(SortKey.DATE, True), Settings()]
)
def test_settings_round_trip(settings: Settings) -> None:
    path = resolve().settings_path  # the data dir does not exist yet: saving creates it
    assert save_settings(path, settings)
    assert load_settings(path) == settings
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "sort": settings.sort.value,
        "reverse": settings.reverse,
    }


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[]",
        b"null",
        b"42",
        b'{"sort": "popularity"}',
        b'{"sort": ["date"]}',
        b'{"sort": null}',
        b'{"sort": "date", "reverse": "false"}',
        b'{"sort": "date", "reverse": 1}',
    ],
)
def test_damaged_settings_give_the_defaults(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert load_settings(path) == Settings()


def test_settings_path_that_is_a_folder_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").mkdir()
    assert load_settings(tmp_path / "settings.json") == Settings()
    assert save_settings(tmp_path / "settings.json", Settings(SortKey.QUALITY)) is False


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"sort": "quality", "reverse": true, "theme": "dark"}', encoding="utf-8")
    assert load_settings(path) == Settings(SortKey.QUALITY, True)


def test_unwritable_data_dir_reports_false(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data dir should be")
    assert save_settings(blocker / "settings.json", Settings(SortKey.QUALITY)) is False
    assert blocker.read_text() == "a file where the data dir should be"


def test_settings_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    assert save_settings(path, Settings(SortKey.QUALITY, True))
    before = path.read_bytes()

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", fail)
    assert save_settings(path, Settings(SortKey.DATE, False)) is False
    assert path.read_bytes() == before  # the old file, whole
    assert os.listdir(tmp_path) == ["settings.json"]  # no temporary file left
    monkeypatch.undo()
    assert load_settings(path) == Settings(SortKey.QUALITY, True)


def test_the_saver_writes_behind_the_caller_and_the_latest_value_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow disk holds the saver's thread, not the key that asked; values saved during a
    write replace each other, and the last one is what the file keeps."""
    path = tmp_path / "settings.json"
    release, started = threading.Event(), threading.Event()
    written: list[str] = []
    real = atomic.write_text

    def slow(target: Path, text: str) -> None:
        started.set()
        assert release.wait(5)
        written.append(text)
        real(target, text)

    monkeypatch.setattr(atomic, "write_text", slow)
    saver = SettingsSaver(path)
    settings = Settings(SortKey.QUALITY, False)
    saver.save(settings)
    assert started.wait(5)  # the first write is under way, held
    settings.reverse = True  # a copy was taken: changing the value later changes nothing saved
    saver.save(Settings(SortKey.DATE, True))
    saver.save(Settings(SortKey.QUALITY, True))
    assert not saver.flush(0.05)
    release.set()
    assert saver.flush(5)
    assert [json.loads(text) for text in written] == [
        {"sort": "quality", "reverse": False},
        {"sort": "quality", "reverse": True},
    ]
    assert load_settings(path) == Settings(SortKey.QUALITY, True)
    saver.save(Settings(SortKey.DATE, False))  # a new write after the thread ended
    assert saver.flush(5) and load_settings(path) == Settings(SortKey.DATE, False)


# --- browser ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com/a", "http://example.com/a"),
        ("https://example.com/a?b=1#c", "https://example.com/a?b=1#c"),
        ("HTTPS://Example.com/", "HTTPS://Example.com/"),
        ("  https://example.com/trimmed  ", "https://example.com/trimmed"),
        ("https://example.com/\x1b[31mred", "https://example.com/red"),
    ],
)
def test_check_url_accepts_http_and_https(url: str, expected: str) -> None:
    assert check_url(url) == expected


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(1)", "javascript"),
        ("JavaScript:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "only http and https"),
        ("\x00javascript:alert(1)", "javascript"),
        ("file:///etc/passwd", "file"),
        ("data:text/html,<script>alert(1)</script>", "data"),
        ("vbscript:msgbox(1)", "vbscript"),
        ("mailto:someone@example.com", "mailto"),
        ("/relative/path", "relative"),
        ("article.html", "relative"),
        ("//example.com/protocol-relative", "relative"),
        ("http://", "malformed http"),
        ("https://exa mple.com/", "malformed https"),
        ("", "no link"),
        ("   ", "no link"),
        (None, "no link"),
    ],
)
def test_check_url_refuses_with_a_reason(url: str | None, why: str) -> None:
    with pytest.raises(RefusedURL) as info:
        check_url(url)
    message = str(info.value)
    assert why in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "url",
    [
        "\x1b]0;pwned\x07javascript:x",
        "\x1b[2Jfile:///x",
        "[@click=app.quit]x:y",
        "[b]bold[/b]:z",
        "\u202egnp.exe:x",
    ],
)
def test_refusal_message_never_echoes_escapes_or_markup(url: str) -> None:
    with pytest.raises(RefusedURL) as info:
        check_url(url)
    message = str(info.value)
    assert not UNSAFE.search(message)
    assert "[" not in message and "\u202e" not in message


def test_open_url_calls_the_browser_only_for_allowed_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, int]] = []

    def fake_open(url: str, new: int = 0, autoraise: bool = True) -> bool:
        opened.append((url, new))
        return True

    monkeypatch.setattr(browser.webbrowser, "open", fake_open)
    assert open_url("https://example.com/a") is True
    assert open_url("  http://example.com/b\x07 ") is True
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:,x", "/relative", "", None):
        with pytest.raises(RefusedURL):
            open_url(bad)
    assert opened == [("https://example.com/a", 2), ("http://example.com/b", 2)]


def test_open_url_reports_a_browser_that_did_not_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser.webbrowser, "open", lambda url, new=0, autoraise=True: False)
    assert open_url("https://example.com/") is False
