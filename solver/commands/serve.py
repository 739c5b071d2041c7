"""``solve serve [FILE|DIR]``: the interactive explorer, a local web page (Starlette + uvicorn)."""
from __future__ import annotations

import os
import threading
import webbrowser

import click

from solver.commands.common import UserError, reports_errors, warn
from solver.serve.app import INSTALL_HINT, bind, create_app, is_loopback, run, url_of
from solver.serve.catalog import Catalog
from solver.serve.views import DEFAULT_TIMEOUT


@click.command("serve")
@click.argument("game_file", metavar="[FILE|DIR]", required=False, default=".", type=click.Path(path_type=str))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this machine can connect to the default; another address (e.g. 0.0.0.0 "
                   "to share on a classroom network) lets others connect too, and a warning says so.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to listen on; 0 picks a free one. The address is printed.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Time limit of one solve; the page says when a solve was stopped by it.")
@reports_errors
def serve_command(game_file, host, port, open_browser, timeout):
    """Explore the game in FILE (or the games in DIR) in the web browser: a slider per parameter,
    the game redrawn with its equilibrium on every change (solved exactly), the equilibria, the
    step-by-step explanation, a region map of any two parameters and the exact thresholds as ticks.

    The page's URL holds the values (a permalink); the game with the new values can be downloaded
    as YAML, and the HTML report too. The server reads only the games it was started with. Needs
    the optional extra: pip install 'strategy-solver[explorer]'.

    \b
    Examples:
      solve serve games/tech_transfer.yaml --open
      solve serve games/
      solve serve games/ --host 0.0.0.0 --port 8000      share on a classroom network
    """
    if not os.path.exists(game_file):
        raise UserError(f"{game_file}: no such file or directory")
    catalog = Catalog.from_path(game_file)
    if not len(catalog):
        raise UserError(f"{game_file}: no game files (.yaml, .yml, .nfg, .efg) in this directory")
    for skipped in catalog.skipped:
        warn(f"skipped {skipped.reason}")
    try:
        app = create_app(catalog, timeout)
    except ImportError:
        raise UserError(INSTALL_HINT) from None
    if not is_loopback(host):
        warn(f"listening on {host}: anyone who can reach this machine on the network can use the explorer "
             "(it shows only these games and reads no other file)")
    try:
        sock = bind(host, port)
    except OSError as error:
        raise UserError(f"cannot listen on {host}:{port} ({error.strerror or error})") from None
    url = url_of(sock)
    click.echo(f"Serving {len(catalog)} game{'s' if len(catalog) != 1 else ''} at {url}  (Ctrl+C to stop)")
    if open_browser:
        threading.Timer(0.8, webbrowser.open, [url]).start()
    run(app, sock)
