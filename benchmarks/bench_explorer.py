"""Benchmark: the explorer's answer to a slider change (``solve serve``), per article game.

    python benchmarks/bench_explorer.py [--changes 200] [--cold 10] [--redraws 20] [--quick]

``solve serve games`` runs as a subprocess (the real command, on a free loopback port). For each
article game, ``--changes`` slider changes are made in a row, as a person dragging sliders would:
each change moves one parameter with a range (in turn) to a seeded random value on its slider's
grid (200 steps), the others keeping their last values, so no two requests are the same (the
server's cache never answers). Each change is one HTTP request for the page's view (the exact
solve, the picture as SVG, the equilibria as HTML), timed from request to parsed JSON over a
kept-alive connection: the median and the 95th percentile are reported, and the server's own
solve-and-draw time (``solve_ms``). A change the game cannot take (a probability made negative)
is answered with the one-line error and counted as ``errors``; it is timed too.

Peers in the same run, at the same values:

  * ``cold CLI``: ``solve FILE --set …`` as a new process per change (the text report, no
    picture): what answering a change cost before the explorer; ``--cold`` changes per game.
  * ``matplotlib redraw``: in this process, warm, the picture ``solve draw`` makes
    (``game_picture`` + ``game_figure`` + SVG), the way the static report draws it: what redrawing
    with the command line's renderer would cost per change; ``--redraws`` changes per game.

The ratios are peer median / explorer median. CPU contention: the machine is shared, so the
percentiles move between runs; the ratios are the steadier figures.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
from urllib.parse import urlencode, urlparse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from benchmarks.common import machine_info, print_table  # noqa: E402
from solver.analysis.pictures import game_picture  # noqa: E402
from solver.api import load_game  # noqa: E402
from solver.model.expr import to_exact  # noqa: E402
from solver.present.draw import game_figure, svg_markup  # noqa: E402
from solver.serve.pages import SLIDER_STEPS  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
ARTICLE_GAMES = ["tech_transfer", "tech_transfer_simultaneous", "covert_transfer", "alliance_rupture", "peninsula_stability",
                 "seoul_nuclear_option", "buffer_discipline"]


def changes(game, count: int, seed: int) -> list[dict[str, str]]:
    """``count`` successive states of the sliders: each moves one ranged parameter (in turn) to a
    random step of its slider; values as the page sends them (decimals)."""
    rng = random.Random(seed)
    ranged = [p for p in game.info.parameters if p.range is not None]
    state: dict[str, str] = {}
    out = []
    for k in range(count):
        p = ranged[k % len(ranged)]
        lo, hi = float(to_exact(p.range[0])), float(to_exact(p.range[1]))
        step = rng.randrange(SLIDER_STEPS + 1)
        state[p.name] = repr(round(lo + (hi - lo) * step / SLIDER_STEPS, 10))
        out.append(dict(state))
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def start_server() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "solver", "serve", "games", "--port", "0"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if not line.startswith("Serving"):
        process.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return process, line.split(" at ")[1].split()[0]


def explorer_times(url: str, game_id: str, states: list[dict[str, str]]) -> tuple[list[float], list[float], int]:
    parsed = urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
    connection.request("GET", f"/api/{game_id}/view")                  # the game's first view (not timed)
    connection.getresponse().read()
    times, solve_ms, errors = [], [], 0
    for state in states:
        started = time.perf_counter()
        connection.request("GET", f"/api/{game_id}/view?" + urlencode(state))
        response = connection.getresponse()
        data = json.loads(response.read())
        times.append(time.perf_counter() - started)
        if response.status != 200:
            errors += 1
        else:
            solve_ms.append(data["solve_ms"] / 1000)
    connection.close()
    return times, solve_ms, errors


def cold_cli_times(path: str, states: list[dict[str, str]]) -> list[float]:
    times = []
    for state in states:
        command = [sys.executable, "-m", "solver", path] + [f"--set={k}={v}" for k, v in state.items()]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
    return times


def redraw_times(game, states: list[dict[str, str]]) -> list[float]:
    game_picture(game)                                                   # warm: imports, first figure
    svg_markup(game_figure(game_picture(game), title=""))
    times = []
    for state in states:
        started = time.perf_counter()
        try:
            svg_markup(game_figure(game_picture(game, state), title=""))
        except ValueError:
            pass                                                          # values the game cannot take
        times.append(time.perf_counter() - started)
    return times


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--redraws", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="40 changes, 3 cold, 5 redraws per game")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.changes, arguments.cold, arguments.redraws = 40, 3, 5
    print(machine_info({"changes per game": str(arguments.changes)}))
    process, url = start_server()
    rows = []
    try:
        for seed, name in enumerate(ARTICLE_GAMES):
            path = f"games/{name}.yaml"
            game = load_game(os.path.join(ROOT, path))
            states = changes(game, arguments.changes, seed)
            times, solve_ms, errors = explorer_times(url, name, states)
            cold = cold_cli_times(path, states[: arguments.cold])
            redraw = redraw_times(game, states[: arguments.redraws])
            median = statistics.median(times)
            rows.append([name, ms(median), ms(percentile(times, 0.95)), ms(max(times)),
                         ms(statistics.median(solve_ms)) if solve_ms else "-", str(errors),
                         ms(statistics.median(cold)), f"{statistics.median(cold) / median:.0f}×",
                         ms(statistics.median(redraw)), f"{statistics.median(redraw) / median:.1f}×"])
            print(f"  {name}: done", file=sys.stderr)
    finally:
        process.terminate()
        process.wait(timeout=10)
    print_table(["game", "explorer median", "p95", "max", "server solve+draw", "errors", "cold CLI median", "ratio",
                 "matplotlib redraw", "ratio"], rows)


if __name__ == "__main__":
    main()
