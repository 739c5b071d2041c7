"""The acceptance run of issue 15, once, outside the suite: random games with tied irrational
payoffs (three values drawn from ``tests/test_irrational_ties.VALUES``), each checked against that
file's exact brute force.

Usage: ``python tests/run_irrational_ties.py 2x2x2,2x2x3,3x3x3 200 few SEED``
"""
import sys
import time
from pathlib import Path

import numpy as np


def main(argv: list[str]) -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    import test_irrational_ties as oracle          # the test module's brute force, run as a script
    from solver.equilibria.polynomial import enumerate_polynomial
    shapes = [tuple(int(x) for x in s.split("x")) for s in argv[0].split(",")]
    count = int(argv[1])
    few = len(argv) > 2
    rng = np.random.default_rng(int(argv[3]) if len(argv) > 3 else 0)
    stats = {"games": 0, "missed": 0, "incomplete": 0, "families": 0, "bf_points": 0}
    start = time.time()
    for g in range(count):
        shape = shapes[g % len(shapes)]
        size = len(shape) * int(np.prod(shape))
        if few:
            pick = rng.choice(len(oracle.VALUES), size=3, replace=False)
            indices = [int(pick[k]) for k in rng.integers(0, 3, size=size)]
        else:
            indices = [int(k) for k in rng.integers(0, len(oracle.VALUES), size=size)]
        game, exact = oracle._games(oracle._K_VALUES, oracle._SURD_VALUES, indices, shape)
        result = enumerate_polynomial(np.asarray(exact, dtype=float), algebraic=exact)
        found = oracle.brute_force(game)
        missed = [q for q in found if not oracle.covered(q, result)]
        stats["games"] += 1
        stats["missed"] += bool(missed)
        stats["incomplete"] += not result.complete
        stats["families"] += bool(result.families)
        stats["bf_points"] += len(found)
        print(g, shape, "missed" if missed else "ok", "complete" if result.complete else "incomplete", flush=True)
        if missed and stats["missed"] <= 3:
            print("MISSED", shape, indices, missed[:3], "\n reported", result.profiles,
                  [(f.support, f.extreme_points) for f in result.families])
    print(stats, f"{time.time() - start:.1f}s")
    return stats


if __name__ == "__main__":
    main(sys.argv[1:])
