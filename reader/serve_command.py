"""``newsreader serve``: the reader in a web browser, on this machine unless asked otherwise.

Each browser tab runs the real reader (``python -m reader``) over the same
cache, state and config as the terminal, so tabs and terminal readers stay
consistent as two terminal readers do: they share the state file. The
server, its token and its routes are in :mod:`reader.web_serve`.
"""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_HOST = "127.0.0.1"
"""This machine only: any other ``--host`` needs ``--allow-remote``."""
DEFAULT_PORT = 8000


@click.command("serve")
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on; anything but this machine's loopback needs --allow-remote.",
)
@click.option(
    "--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535), help="Port."
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Let other machines connect (with the token): needed for any other --host.",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, allow_remote: bool) -> None:
    """Serve the reader to a web browser: the same keys, articles and reading state.

    Prints the address to open, with a random token that changes each run: the
    page and its connection refuse anyone without it. Links open in the
    browser's new tab, never on the server's machine. Ctrl-C stops it.
    """
    from reader.web_serve import ServeError, TokenServer, is_local, reader_command

    if not allow_remote and not is_local(host):
        raise click.ClickException(
            f"--host {host} lets other machines reach the reader; add --allow-remote to mean it"
        )
    cache_dir: Path | None = ctx.parent.params.get("cache_dir") if ctx.parent else None
    server = TokenServer(reader_command(cache_dir), host, port)
    try:
        server.listen()
    except ServeError as exc:
        raise click.ClickException(str(exc)) from None
    if not is_local(host):
        click.echo(
            f"warning: serving to other machines on {host}:{server.port}; anyone with the link "
            "below can read and mark your articles, over plain http (unencrypted)",
            err=True,
        )
    click.echo(f"Open {server.url} in a browser; Ctrl-C stops")
    server.run()
