"""Benchmark of `solve robustness`: 10^6 sampled parameter points against per-sample loops.

Rows:
  * ``solve robustness`` (command line, a child process): all ten parameters of tech_transfer
    uncertain (uniform over their declared ranges), 10^6 samples, 2 local workers, with the tornado,
    Sobol indices (4096 base rows: 49 152 more runs) and threshold surfaces; wall time including
    Python start-up, and the peak of the summed resident memory of the command and its workers
    (psutil, polled every 20 ms).
  * ``robustness()`` in process: the same analysis timed without start-up, 1 and 2 workers.
  * ``loop: solve --set``: the command line once per sample (10 samples timed, scaled to 10^6).
  * ``loop: api.solve``: the project's ``solve`` in a loop in one process (200 samples, scaled).
  * the 2×2 scenario (peninsula_stability, its four parameters uncertain): ``robustness()`` against
    ``nashpy.Game(A, B).support_enumeration()`` and pygambit's ``enummixed_solve`` per sample
    (400 samples each, scaled).

Run: ``python benchmarks/bench_robustness.py`` (``--samples`` to change 10^6).
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time

import numpy as np

from solver import load_game
from solver.analysis.distributions import Beliefs, parse_distribution
from solver.analysis.robustness import robustness
from solver.api import solve

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import fmt_bytes, fmt_time, machine_info, print_table  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TECH = os.path.join(ROOT, "games", "tech_transfer.yaml")
SQUARE = os.path.join(ROOT, "games", "peninsula_stability.yaml")


def uniform_beliefs(game) -> dict[str, str]:
    return {p.name: f"uniform({p.range[0]}, {p.range[1]})" for p in game.info.parameters}


def beliefs_of(texts: dict[str, str]) -> Beliefs:
    return Beliefs({}, {k: parse_distribution(v, k) for k, v in texts.items()})


def command_run(texts: dict[str, str], samples: int, extra=()) -> tuple[float, float, int | None]:
    """Wall time and CPU time (user + system, the command and its workers) of the command, and the
    peak of the summed RSS of its process tree."""
    args = [sys.executable, "-m", "solver", "robustness", TECH, "--samples", str(samples), "--seed", "1", "--workers", "2",
            "--format", "json", "-o", os.devnull, "--quiet", *extra]
    for name, text in texts.items():
        args += ["--dist", f"{name}={text}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [None]
    try:
        import psutil       # installed with the uncertainty extra (distributed); optional here
    except ImportError:
        psutil = None
    if psutil is not None:
        def watch():
            process = psutil.Process(child.pid)
            while child.poll() is None:
                try:
                    total = sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
                except psutil.Error:
                    continue
                peak[0] = max(peak[0] or 0, total)
                time.sleep(0.02)
        watcher = threading.Thread(target=watch)
        watcher.start()
    _, errors = child.communicate()
    elapsed = time.perf_counter() - start
    if psutil is not None:
        watcher.join()
    if child.returncode:
        raise SystemExit(f"solve robustness failed: {errors.decode()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, peak[0]


def sampled_settings(game, texts, count, seed=5):
    beliefs = beliefs_of(texts)
    columns = beliefs.columns(beliefs.uniforms(np.random.default_rng(seed), count))
    return [{name: f"{float(columns[name][k]):.6g}" for name in texts} for k in range(count)]


def per_sample(function, items) -> float:
    start = time.perf_counter()
    for item in items:
        function(item)
    return (time.perf_counter() - start) / len(items)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=1_000_000)
    args = parser.parse_args()
    N = args.samples
    print(machine_info())
    print("(the load average is other work on this shared machine; the CPU time column does not depend on it)")
    rows = []
    tech = load_game(TECH)
    texts = uniform_beliefs(tech)
    wall, cpu, memory = command_run(texts, N)
    rows.append(["tech_transfer (10 uncertain)", "solve robustness (command, 2 workers)", f"{N:,}", "-", fmt_time(wall),
                 "1×", fmt_bytes(memory), fmt_time(cpu)])
    bare, bare_cpu, bare_memory = command_run(texts, N, ("--sobol-samples", "0", "--no-thresholds"))
    rows.append(["tech_transfer (10 uncertain)", "  the same, --sobol-samples 0 --no-thresholds", f"{N:,}", "-", fmt_time(bare),
                 "-", fmt_bytes(bare_memory), fmt_time(bare_cpu)])
    for workers in (1, 2):
        start = time.perf_counter()
        robustness(tech, beliefs_of(texts), samples=N, seed=1, workers=workers)
        rows.append(["tech_transfer (10 uncertain)", f"robustness() in process, {workers} worker(s)", f"{N:,}", "-",
                     fmt_time(time.perf_counter() - start), "-", "-", "-"])
    points = sampled_settings(tech, texts, 10)

    def command_point(values):
        subprocess.run([sys.executable, "-m", "solver", TECH, *sum((["--set", f"{k}={v}"] for k, v in values.items()), [])],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    per = per_sample(command_point, points)
    rows.append(["tech_transfer (10 uncertain)", "loop: solve --set (command per sample)", "10 sampled", fmt_time(per),
                 fmt_time(per * N), f"{per * N / wall:.0f}×", "-", "-"])
    points = sampled_settings(tech, texts, 200)
    per = per_sample(lambda values: solve(tech, values), points)
    rows.append(["tech_transfer (10 uncertain)", "loop: api.solve in one process", "200 sampled", fmt_time(per),
                 fmt_time(per * N), f"{per * N / wall:.0f}×", "-", "-"])
    bench_square(N, rows)
    print()
    print_table(["game", "method", "samples", "per sample", "all samples", "slower than ours", "peak memory", "CPU time"], rows)
    print()
    print("Loops: mean time of the sampled points × the number of samples. The command's time includes Python start-up, "
          "the tornado, 49 152 Sobol runs, the SALib analysis and the threshold surfaces.")


def bench_square(N: int, rows: list):
    """The 2×2 scenario: every equilibrium (pure and mixed) at each sample."""
    game = load_game(SQUARE)
    texts = uniform_beliefs(game)
    start = time.perf_counter()
    robustness(game, beliefs_of(texts), samples=N, seed=1, workers=2)
    ours = time.perf_counter() - start
    rows.append(["peninsula_stability 2×2 (4 uncertain)", "robustness() in process, 2 workers", f"{N:,}", "-", fmt_time(ours),
                 "1×", "-", "-"])
    points = sampled_settings(game, texts, 400)
    matrices = []
    for values in points:
        numeric = game.evaluated({**{p.name: p.value for p in game.info.parameters}, **values})
        payoffs = np.asarray(numeric.payoffs, dtype=float)
        matrices.append((payoffs[0], payoffs[1]))
    try:
        import nashpy       # a peer, for comparison only
        per = per_sample(lambda m: list(nashpy.Game(m[0], m[1]).support_enumeration()), matrices)
        rows.append(["peninsula_stability 2×2 (4 uncertain)", "loop: nashpy support_enumeration", "400 sampled", fmt_time(per),
                     fmt_time(per * N), f"{per * N / ours:.0f}×", "-", "-"])
    except ImportError:
        pass
    try:
        import pygambit as gbt      # a peer, for comparison only
        from fractions import Fraction

        def gambit_point(m):
            g = gbt.Game.from_arrays([[Fraction(float(x)) for x in row] for row in m[0]],
                                     [[Fraction(float(x)) for x in row] for row in m[1]])
            return gbt.nash.enummixed_solve(g)
        per = per_sample(gambit_point, matrices)
        rows.append(["peninsula_stability 2×2 (4 uncertain)", "loop: pygambit enummixed_solve", "400 sampled", fmt_time(per),
                     fmt_time(per * N), f"{per * N / ours:.0f}×", "-", "-"])
    except ImportError:
        pass


if __name__ == "__main__":
    main()
