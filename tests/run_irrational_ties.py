"""The acceptance run of issue 15, once, outside the suite: random games with tied irrational payoffs
(three values drawn from tests/test_irrational_ties.VALUES), each checked against that file's exact
brute force. Usage: python tests/run_irrational_ties.py 2x2x2,2x2x3,3x3x3 200 few SEED"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import test_irrational_ties as T
from solver.equilibria.polynomial import enumerate_polynomial
shapes = [tuple(int(x) for x in s.split("x")) for s in sys.argv[1].split(",")]
n = int(sys.argv[2])
few = len(sys.argv) > 3
rng = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 0)
stats = {"games": 0, "missed": 0, "incomplete": 0, "families": 0, "bf_points": 0}
t0 = time.time()
for g in range(n):
    shape = shapes[g % len(shapes)]
    size = len(shape) * int(np.prod(shape))
    if few:
        pick = rng.choice(len(T.VALUES), size=3, replace=False)
        idx = [int(pick[k]) for k in rng.integers(0, 3, size=size)]
    else:
        idx = [int(k) for k in rng.integers(0, len(T.VALUES), size=size)]
    G, exact = T._games(T._K_VALUES, T._SURD_VALUES, idx, shape)
    r = enumerate_polynomial(np.asarray(exact, dtype=float), algebraic=exact)
    bf = T.brute_force(G)
    missed = [q for q in bf if not T.covered(q, r)]
    stats["games"] += 1
    stats["missed"] += bool(missed)
    stats["incomplete"] += not r.complete
    stats["families"] += bool(r.families)
    stats["bf_points"] += len(bf)
    print(g, shape, "missed" if missed else "ok", "complete" if r.complete else "incomplete", flush=True)
    if missed and stats["missed"] <= 3:
        print("MISSED", shape, idx, missed[:3], "\n reported", r.profiles, [ (f.support, f.extreme_points) for f in r.families])
print(stats, f"{time.time() - t0:.1f}s")
