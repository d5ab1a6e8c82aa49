"""``newsreader config``: show, find, edit and check config.toml.

``--edit`` works like visudo: the file is checked after the editor closes
and, when something is wrong, the person is asked whether to edit again
(a script's non-interactive input just gets the report). No Textual.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click

from reader.config import load_config
from reader.config.model import Problem
from reader.config.report import default_text, problem_line
from reader.paths import Locations, resolve

FALLBACK_EDITORS = ("sensible-editor", "editor", "nano", "vim", "vi", "notepad")
"""Tried in order on the PATH when neither $VISUAL nor $EDITOR is set."""


class _EditorMissing(click.ClickException):
    pass


def editor_command() -> list[str]:
    """The editor to run: $VISUAL, else $EDITOR, else the first fallback on the PATH."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                argv = shlex.split(value)
            except ValueError as exc:
                raise click.ClickException(f"${name} cannot be read: {exc}") from None
            if argv:
                return argv
    for name in FALLBACK_EDITORS:
        found = shutil.which(name)
        if found:
            return [found]
    raise _EditorMissing(
        f"no editor found: set $VISUAL or $EDITOR (none of {', '.join(FALLBACK_EDITORS)} "
        "is on the PATH)"
    )


def stdin_is_terminal() -> bool:
    """Whether someone can answer "edit it again?" (a script's input cannot)."""
    return sys.stdin.isatty()


def check(path: Path) -> list[str]:
    """Every problem of the file at ``path`` as ``file:line: message`` (an absent file: none)."""
    from reader.config.load import placed
    from reader.config.theme import theme_problem

    loaded = load_config(path)
    problems = list(loaded.problems)
    if loaded.config.keys.remaps:  # checked against the real bindings, which need Textual
        from reader.screens.keymap import key_problems

        problems += key_problems(loaded.config.keys)
    if "theme" in loaded.document:  # Textual's themes, which the data layer does not know
        from reader.theming import known_theme_names

        if message := theme_problem(loaded.config.theme, known_theme_names()):
            problems.append(Problem(("theme",), message))
    return [problem_line(path, problem) for problem in placed(problems, loaded.text)]


@click.command("config")
@click.option("--default", "show_default", is_flag=True, help="Print the documented defaults.")
@click.option("--path", "show_path", is_flag=True, help="Print where config.toml is.")
@click.option("--edit", is_flag=True, help="Open it in $VISUAL/$EDITOR, then check it.")
@click.option("--check", "check_only", is_flag=True, help="Report every problem; exit 1 if any.")
@click.pass_context
def config(
    ctx: click.Context, show_default: bool, show_path: bool, edit: bool, check_only: bool
) -> None:
    """Show, find, edit or check config.toml, the reader's one settings file.

    Every key is optional; `newsreader config --default` prints each one
    with its default and what it does (valid TOML: a good start for your own).
    A wrong value is reported as file:line: message, and its default stands
    in: the reader starts anyway. Without an option: --check.
    """
    chosen = sum((show_default, show_path, edit, check_only))
    if chosen > 1:
        raise click.UsageError("give one of --default, --path, --edit, --check")
    locations = ctx.find_object(Locations) or resolve()
    path = locations.feeds_config_path
    if show_default:
        click.echo(default_text(), nl=False)
    elif show_path:
        click.echo(str(path))
    elif edit:
        _edit(ctx, path)
    else:
        _report(ctx, path)


def _report(ctx: click.Context, path: Path) -> None:
    problems = check(path)
    for text in problems:
        click.echo(text)
    if problems:
        count = len(problems)
        click.echo(f"{count} problem{'s' * (count != 1)}; the defaults stand in for them", err=True)
        ctx.exit(1)
    click.echo(f"{path}: ok" + ("" if path.exists() else " (absent: every default)"))


def _edit(ctx: click.Context, path: Path) -> None:
    """Open the file in the editor until it has no problem or the person stops."""
    argv = editor_command()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot create {path.parent}: {exc.strerror or exc}") from None
    interactive = stdin_is_terminal()
    while True:
        try:
            status = subprocess.run([*argv, str(path)], check=False).returncode
        except OSError as exc:
            raise click.ClickException(f"cannot start {argv[0]}: {exc.strerror or exc}") from None
        if status != 0:
            click.echo(f"newsreader: the editor exited with status {status}", err=True)
        problems = check(path)
        for text in problems:
            click.echo(text)
        if not problems:
            click.echo(f"{path}: ok")
            return
        if not interactive or not click.confirm("Edit it again?", default=True, err=True):
            click.echo("The defaults stand in for these keys until they are fixed.", err=True)
            ctx.exit(1)
