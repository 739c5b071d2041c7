"""Benchmark: one equilibrium of poker-like trees by the sequence form, against the reduced normal
form and against pygambit's sequence-form Lemke.

    python benchmarks/bench_sequence_form.py [--max-k 12] [--nf-cap 100000] [--cap 120]

The games: two-round poker with 2^k deals. Each player antes 1 and holds a private card (Alice
one of 2^ceil(k/2) ranks, Bob one of 2^floor(k/2)); Alice bets 1 or checks; after a bet Bob calls
or folds; after a check Bob bets or checks and Alice then calls or folds; showdowns by rank
quantile, ties split. Zero-sum, so every equilibrium has the same value: the benchmark stops with
an error unless all methods agree on it exactly.

In the same run, for k = 1, 2, ...:
  * ``sequence form``: ``solver.equilibria.sequence_form.sequence_form_equilibrium`` (Koller,
    Megiddo & von Stengel 1996; exact, Lemke's algorithm with the van den Elzen–Talman prior);
  * ``normal form``: ``solver.model.reduce.reduced_normal_form`` followed by
    ``solver.equilibria.lemke_howson.lemke_howson`` (exact, label 0) — the route that the sequence
    form makes unnecessary; the time includes building the reduced normal form (Alice has
    3^(ranks), Bob 4^(ranks) reduced strategies), and it runs while the reduced normal form has at
    most ``--nf-cap`` pure profiles;
  * ``pygambit``: ``pygambit.nash.lcp_solve(game, rational=True)`` on the same tree (written by
    ``solver.io.gambit.write_efg`` and read back; reading is not timed) — Gambit's C++ Lemke on
    the sequence form, exact, the direct peer; and ``rational=False`` (floating point), whose
    value must agree to 1e-9.
Times are process CPU time (``time.process_time``), best of up to 3 runs (1 when a run takes more
than 10 s). A method that exceeds ``--cap`` seconds is not run on larger games. Ratios are peer
time / our time (> 1: ours is faster).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from benchmarks.common import fmt_ratio, fmt_time, machine_info, print_table  # noqa: E402
from solver.model.random_games import two_round_poker as poker  # noqa: E402
from solver.equilibria.sequence_form import sequence_form_equilibrium, sequences_of  # noqa: E402

try:
    import pygambit as gbt
except ImportError:  # pragma: no cover
    gbt = None


def timed(fn, repeats=3):
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.process_time()
        result = fn()
        elapsed = time.process_time() - start
        best = min(best, elapsed)
        if elapsed > 10:
            break
    return best, result


def ours(tree):
    return sequence_form_equilibrium(tree).payoffs[0][0]


def normal_form_route(tree):
    from solver.equilibria.lemke_howson import lemke_howson
    from solver.model.reduce import reduced_normal_form
    reduced = reduced_normal_form(tree)
    A, B = reduced.game.payoffs
    x, y = (np.array(p, dtype=object) for p in lemke_howson(A, B, 0, float_guided=False).profiles[0])
    return x @ A @ y


def to_gambit(tree):
    from solver.io.gambit import write_efg
    with tempfile.NamedTemporaryFile("w", suffix=".efg", delete=False) as handle:
        handle.write(write_efg(tree))
    try:
        return gbt.read_efg(handle.name)
    finally:
        os.unlink(handle.name)


def gambit_lcp(game, rational=True):
    eq = gbt.nash.lcp_solve(game, rational=rational).equilibria[0]
    value = eq.payoff(list(game.players)[0])
    return Fraction(str(value)) if rational else float(value)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-k", type=int, default=12)
    parser.add_argument("--nf-cap", type=int, default=100_000, help="largest reduced normal form (pure profiles) to solve")
    parser.add_argument("--cap", type=float, default=120.0, help="seconds after which a method is not run on larger games")
    args = parser.parse_args(argv)
    print(machine_info({"pygambit": gbt.__version__} if gbt else None))
    print(__doc__.split("\n\n")[1].strip().splitlines()[0])
    rows = []
    stopped = {"normal form": False, "pygambit": gbt is None, "pygambit float": gbt is None}
    for k in range(1, args.max_k + 1):
        ranks = (2 ** ((k + 1) // 2), 2 ** (k // 2))
        tree = poker(*ranks)
        seqs = sequences_of(tree)
        profiles = 3 ** ranks[0] * 4 ** ranks[1]
        t_ours, value = timed(lambda tree=tree: ours(tree))
        t_nf = t_gb = t_gf = None
        if not stopped["normal form"] and profiles <= args.nf_cap:
            t_nf, nf_value = timed(lambda tree=tree: normal_form_route(tree))
            if nf_value != value:
                raise SystemExit(f"k={k}: normal-form value {nf_value} differs from ours {value}")
            stopped["normal form"] = t_nf > args.cap
        game = to_gambit(tree) if gbt is not None else None
        if not stopped["pygambit"]:
            t_gb, gb_value = timed(lambda game=game: gambit_lcp(game))
            if gb_value != value:
                raise SystemExit(f"k={k}: pygambit value {gb_value} differs from ours {value}")
            stopped["pygambit"] = t_gb > args.cap
        if not stopped["pygambit float"]:
            t_gf, gf_value = timed(lambda game=game: gambit_lcp(game, rational=False))
            if abs(gf_value - float(value)) > 1e-9:
                raise SystemExit(f"k={k}: pygambit float value {gf_value} differs from ours {value}")
            stopped["pygambit float"] = t_gf > args.cap
        rows.append([k, 2 ** k, tree.num_nodes, f"{len(seqs.sequences[0])}x{len(seqs.sequences[1])}",
                     f"3^{ranks[0]} x 4^{ranks[1]}", str(value), fmt_time(t_ours),
                     fmt_time(t_nf) if t_nf is not None else "skipped", fmt_ratio(t_nf, t_ours),
                     fmt_time(t_gb) if t_gb is not None else "skipped", fmt_ratio(t_gb, t_ours),
                     fmt_time(t_gf) if t_gf is not None else "skipped", fmt_ratio(t_gf, t_ours)])
        print(f"k={k} done", file=sys.stderr, flush=True)
        if t_ours > args.cap:
            break
    print_table(["k", "deals", "nodes", "sequences", "reduced NF", "value (Alice)", "sequence form",
                 "normal form", "NF/ours", "gambit exact", "ratio", "gambit float", "ratio"], rows)


if __name__ == "__main__":
    main()
