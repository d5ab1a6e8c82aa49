"""The README says what the program does: its config section is `newsreader config --default`."""

from __future__ import annotations

import re
from pathlib import Path

from reader.config.report import default_text

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_config_section_is_the_documented_default():
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert default_text() in blocks
