"""Benchmark: does ``--timeout T`` hold? Each case's elapsed time against its limit, and what a fork costs.

    python benchmarks/bench_timeouts.py [--quick] [--timeout T]

Part 1 runs the slow cases of issue 11 as the program (``python -m solver.cli``, a subprocess,
timed from before it starts, so starting Python and importing count): 3- and 4-player games
under the polynomial and homotopy methods, a fully tied 5,000-leaf tree, and a 300×300 game under
``solve``, ``explain``, ``draw`` and ``report``. Each runs with ``--timeout T`` and, as its peer
in the same run, without it (stopped after ``--cap`` seconds): the table gives the elapsed time,
how far past the limit it ended, the exit status, and the time without a limit over the time
with one.

Part 2 measures what running a method in a child process costs (solver/core/isolate.py):
``registry.run`` on small games in this process against the same call in a forked child (a
deadline far away), best of several runs; the difference is the fork, the pickling of the result
and the wait. It is why the registry runs games of at most ``registry.TRIVIAL_SIZE`` (36)
profiles, and the methods that check their own deadline, in-process.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from benchmarks.common import best_of, fmt_ratio, fmt_time, machine_info, print_table  # noqa: E402
from solver.equilibria import registry  # noqa: E402
from solver.io.gambit_write import write_efg, write_nfg  # noqa: E402
from solver.model.random_games import random_normal_form, random_perfect_information_tree  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_cases(directory: str, quick: bool) -> list[tuple[str, list[str]]]:
    """The slow cases as command lines (without --timeout)."""
    def save(name, text):
        path = os.path.join(directory, name)
        with open(path, "w") as handle:
            handle.write(text)
        return path

    rng = np.random.default_rng
    three = save("random_4x4x4.nfg", write_nfg(random_normal_form((4, 4, 4), rng(1), integer_range=(0, 9))))
    four = save("random_3x3x3x3.nfg", write_nfg(random_normal_form((3, 3, 3, 3), rng(1), integer_range=(0, 9))))
    tied = save("tied_5000.efg", write_efg(random_perfect_information_tree(
        5000, 2, rng(0), chance_fraction=0.0, integer_payoffs=True, exact=True, payoff_range=(0, 0))))
    big = save("random_300x300.nfg", write_nfg(random_normal_form((300, 300), rng(2), integer_range=(0, 9))))
    cases = [("3 players 4×4×4, polynomial", [three, "--method", "polynomial", "--format", "json"]),
             ("4 players 3×3×3×3, polynomial", [four, "--method", "polynomial", "--format", "json"]),
             ("3 players 4×4×4, homotopy", [three, "--method", "homotopy", "--format", "json"]),
             ("tied tree, 5,000 leaves", [tied, "--format", "json"])]
    if not quick:
        cases += [("300×300, solve (auto)", [big, "--format", "json"]),
                  ("300×300, explain", ["explain", big]),
                  ("300×300, draw", ["draw", big, "-o", os.path.join(directory, "big.svg")]),
                  ("300×300, report", ["report", big, "--sweep-points", "0", "-o", os.path.join(directory, "big.html")])]
    return cases


def run(args: list[str], cap: float) -> tuple[float, int | None, str]:
    """Elapsed wall time, exit status (None when stopped at ``cap``) and whether JSON said complete."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "solver.cli", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=cap)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, None, ""
    elapsed = time.perf_counter() - started
    complete = ""
    if "--format" in args and done.returncode == 0:
        try:
            complete = "complete" if json.loads(done.stdout)["complete"] else "not complete"
        except (ValueError, KeyError):
            complete = "?"
    elif done.returncode == 2:
        complete = "error: " + done.stderr.strip().split(": ")[-1][:40]
    return elapsed, done.returncode, complete


def part_one(cases, limit: float, cap: float):
    rows = []
    for name, args in cases:
        with_limit, status, outcome = run(args + ["--timeout", f"{limit:g}"], cap)
        without, free_status, _ = run(args, cap)
        free = fmt_time(without) if free_status is not None else f"> {cap:g} s"
        rows.append([name, fmt_time(with_limit), f"{with_limit - limit:+.2f} s", status, outcome, free,
                     fmt_ratio(without, with_limit)])
    print_table(["case", f"--timeout {limit:g}", "past the limit", "exit", "result", "no limit", "ratio"], rows)


def part_two(repeats: int):
    rows = []
    games = [("2×2 enumerate", (2, 2), "enumerate"), ("6×6 enumerate", (6, 6), "enumerate"),
             ("10×10 enumerate", (10, 10), "enumerate"), ("2×2×2 polynomial", (2, 2, 2), "polynomial"),
             ("3×3×3 polynomial", (3, 3, 3), "polynomial")]
    for name, shape, method in games:
        game = random_normal_form(shape, np.random.default_rng(0), integer_range=(0, 9)).evaluated()
        entry = registry.BY_NAME[method]
        far = time.monotonic() + 3600
        direct, _ = best_of(lambda entry=entry, game=game: registry._execute(entry, game, None, (), None, {}), repeats)
        isolated, _ = best_of(lambda entry=entry, game=game, far=far: registry.isolate.call(
            registry._execute, entry, game, far, (), None, {}, deadline=far), repeats)
        rows.append([name, fmt_time(direct.wall), fmt_time(isolated.wall), fmt_time(isolated.wall - direct.wall),
                     fmt_ratio(isolated.wall, direct.wall)])
    print_table(["game", "in this process", "in a child", "fork overhead", "ratio"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the 3- and 4-player games and the tied tree")
    parser.add_argument("--timeout", type=float, default=5.0, help="the limit each case runs under (default 5)")
    parser.add_argument("--cap", type=float, default=60.0, help="stop the runs without a limit after this long")
    options = parser.parse_args()
    print(machine_info())
    with tempfile.TemporaryDirectory() as directory:
        print(f"\nPart 1: elapsed time of `solve … --timeout {options.timeout:g}` (from before Python starts)")
        part_one(write_cases(directory, options.quick), options.timeout, options.cap)
    print("\nPart 2: registry.run in this process and in a forked child")
    part_two(5 if options.quick else 20)


if __name__ == "__main__":
    main()
