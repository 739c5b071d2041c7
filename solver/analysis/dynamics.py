"""Learning and evolutionary dynamics for 2-player normal-form games, with a verdict.

- Replicator dynamics (Taylor & Jonker 1978; Weibull 1995, ch. 3 and 5): each population's share of
  a strategy grows in proportion to how much better than average it does. Integrated with nashpy's
  ``asymmetric_replicator_dynamics`` (two populations, one per player). Payoffs are first scaled to
  a range of 1 (which changes only the speed, not the paths), so ``horizon`` means the same in
  every game.
- Fictitious play (Brown 1951; Fudenberg & Levine 1998, ch. 2): each round, each player
  best-responds to the empirical frequency of the other's past play. Run with nashpy's
  ``fictitious_play``; ties are broken at random, so a ``seed`` makes a run reproducible.

The verdict: "converges" (to a point, named after the Nash equilibrium it is near), "converges
slowly", or "cycles" (keeps oscillating; the time average is reported, which in zero-sum games
like matching pennies is near the mixed equilibrium). For the replicator it compares how much the
probabilities still move in the last quarter of the run with how much they moved between 1/8 and
1/4 of it; for fictitious play, whose frequencies always move less and less, it asks whether the
players' regret against the empirical frequencies vanishes, shrinks, or stays (Shapley 1964).

Works on floats (float64 arrays). :mod:`solver.present.dynamics` writes the summary and draws
the trajectories.

>>> import numpy as np
>>> A = np.array([[2., 0.], [3., 1.]]); B = A.T           # the prisoner's dilemma
>>> run = replicator(A, B, steps=400, horizon=40)
>>> verdict(run).kind, [round(float(v), 3) for v in run.row[-1]]
('converges', [0.0, 1.0])
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from solver.api import SolveError, evaluate_game, parameter_values, solve
from solver.model.reduce import reduced_normal_form
from solver.model.tree import ExtensiveGame

METHODS = ("replicator", "fictitious-play")
#: The most time points or rounds a run takes (each keeps a row of probabilities; a billion would not fit).
MAX_STEPS = 1_000_000
#: The latest end time of the replicator (payoffs scaled to a range of 1: 60 is plenty to settle).
MAX_HORIZON = 1e6
CONVERGED = 2e-3          # largest movement of a probability in the last quarter that counts as settled


@dataclass(frozen=True)
class Trajectory:
    method: str
    times: np.ndarray          # (T,)  time (replicator) or round (fictitious play)
    row: np.ndarray            # (T, n1) probabilities (population shares or empirical frequencies)
    column: np.ndarray         # (T, n2)


@dataclass(frozen=True)
class Verdict:
    kind: str                  # "converges" | "cycles" | "converges slowly"
    spread: float              # movement over the last quarter
    limit: tuple               # (row, column): last point, or the time average when cycling
    average: tuple             # time average over the second half


def start_point(n: int, offset: int = 1) -> np.ndarray:
    """A default interior start away from symmetric points: shares ∝ offset, offset + 1, …"""
    weights = np.arange(offset, n + offset, dtype=float)
    return weights / weights.sum()


def _scaled(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    span = max(float(np.ptp(A)), float(np.ptp(B)), 1e-12)
    return A / span, B / span


def replicator(A, B, x0=None, y0=None, steps: int = 2000, horizon: float = 60.0) -> Trajectory:
    """Two-population replicator dynamics from (x0, y0) over ``steps`` time points in [0, horizon]."""
    import nashpy  # slow to import: only when dynamics run
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    A, B = _scaled(A, B)
    x0 = start_point(A.shape[0]) if x0 is None else np.asarray(x0, dtype=float)
    y0 = start_point(A.shape[1], offset=2) if y0 is None else np.asarray(y0, dtype=float)
    times = np.linspace(0, horizon, max(2, steps))
    xs, ys = nashpy.Game(A, B).asymmetric_replicator_dynamics(x0=x0, y0=y0, timepoints=times)
    xs = np.clip(np.asarray(xs), 0, 1)
    ys = np.clip(np.asarray(ys), 0, 1)
    return Trajectory("replicator", times, xs / xs.sum(axis=1, keepdims=True), ys / ys.sum(axis=1, keepdims=True))


def fictitious_play(A, B, steps: int = 2000, seed: int = 0) -> Trajectory:
    """Empirical frequencies of play over ``steps`` rounds of fictitious play."""
    import nashpy  # slow to import: only when dynamics run
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        counts = list(nashpy.Game(A, B).fictitious_play(iterations=max(1, steps)))
    finally:
        np.random.set_state(state)
    counts = counts[1:]                   # the first entry is all zeros
    row = np.array([c[0] / c[0].sum() for c in counts], dtype=float)
    column = np.array([c[1] / c[1].sum() for c in counts], dtype=float)
    return Trajectory("fictitious-play", np.arange(1, len(counts) + 1, dtype=float), row, column)


def regrets(run: Trajectory, A, B) -> np.ndarray:
    """For each time: the total gain both players could get by best-responding to the other's
    current mixture, as a share of the payoff range (0 exactly at a Nash equilibrium)."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    span = max(float(np.ptp(A)), float(np.ptp(B)), 1e-12)
    Ay = run.column @ A.T                     # (T, n1): row's payoff of each strategy
    xB = run.row @ B                          # (T, n2): column's payoff of each strategy
    row_gain = Ay.max(axis=1) - np.einsum("ti,ti->t", run.row, Ay)
    column_gain = xB.max(axis=1) - np.einsum("tj,tj->t", run.column, xB)
    return (row_gain + column_gain) / span


def verdict(run: Trajectory, A=None, B=None) -> Verdict:
    """Replicator: does the point stop moving? Fictitious play (given the payoffs): does the
    empirical profile's regret vanish (converges), shrink (converges slowly) or stay (cycles)?"""
    T = len(run.times)
    both = np.hstack([run.row, run.column])
    last = both[max(0, T - T // 4 - 1):]
    earlier = both[T // 8: max(T // 8 + 1, T // 4)]
    spread = float(np.max(np.ptp(last, axis=0))) if len(last) else 0.0
    half = both[T // 2:]
    average = half.mean(axis=0)
    n1 = run.row.shape[1]
    average_pair = (average[:n1], average[n1:])
    end = (run.row[-1], run.column[-1])
    if run.method == "fictitious-play" and A is not None and B is not None:
        r = regrets(run, A, B)
        late = float(r[-max(1, T // 10):].mean())
        early = float(r[T // 8: max(T // 8 + 1, T // 4)].mean())
        if late <= 0.01:
            return Verdict("converges", spread, end, average_pair)
        if late < 0.7 * early:
            return Verdict("converges slowly", spread, end, average_pair)
        return Verdict("cycles", spread, average_pair, average_pair)
    earlier_spread = float(np.max(np.ptp(earlier, axis=0))) if len(earlier) else 0.0
    if spread <= CONVERGED:
        return Verdict("converges", spread, end, average_pair)
    if earlier_spread > 0 and spread < 0.5 * earlier_spread:
        return Verdict("converges slowly", spread, end, average_pair)
    return Verdict("cycles", spread, average_pair, average_pair)


def nearest_equilibrium(point: tuple, equilibria: Sequence[tuple], tolerance: float = 0.03):
    """Index of the equilibrium (a (row, column) pair of vectors) within ``tolerance`` of ``point``."""
    best, distance = None, tolerance
    for k, (x, y) in enumerate(equilibria):
        d = max(float(np.max(np.abs(np.asarray(point[0]) - np.asarray(x, dtype=float)))),
                float(np.max(np.abs(np.asarray(point[1]) - np.asarray(y, dtype=float)))))
        if d <= distance:
            best, distance = k, d
    return best


def vector_field_2x2(A, B, grid: int = 15):
    """(X, Y, U, V): the replicator field for 2×2 games over P(row's first), P(column's first)."""
    A, B = _scaled(np.asarray(A, dtype=float), np.asarray(B, dtype=float))
    s = np.linspace(0.03, 0.97, grid)
    X, Y = np.meshgrid(s, s)
    row_gain = (A[0, 0] - A[1, 0]) * Y + (A[0, 1] - A[1, 1]) * (1 - Y)
    col_gain = (B[0, 0] - B[0, 1]) * X + (B[1, 0] - B[1, 1]) * (1 - X)
    return X, Y, X * (1 - X) * row_gain, Y * (1 - Y) * col_gain


@dataclass
class DynamicsReport:
    """The runs (the first from the default start; for 2×2 games more, for the phase plot), the
    verdict on the first, the game's Nash equilibria as (row, column, strategies by player), and
    which of them the verdict's point (or time average, when cycling) is near (None: none)."""
    title: str
    players: tuple
    strategies: tuple
    method: str
    runs: list
    verdict: Verdict
    equilibria: list = field(default_factory=list)
    A: np.ndarray | None = None
    B: np.ndarray | None = None
    settings: dict = field(default_factory=dict)
    nearest: int | None = None


def two_player_game(numeric):
    """The 2-player normal form to run dynamics on (a tree becomes its reduced normal form)."""
    if isinstance(numeric, ExtensiveGame):
        numeric = reduced_normal_form(numeric).game
    if numeric.num_players != 2:
        raise ValueError(f"dynamics needs a 2-player game; this game has {numeric.num_players} players")
    return numeric


def _nearest(verdict: Verdict, equilibria) -> int | None:
    """The equilibrium the verdict's point is near: the time average when cycling (within 0.05),
    the end point when converging (0.03; 0.08 when converging slowly)."""
    points = [(x, y) for x, y, _ in equilibria]
    if verdict.kind == "cycles":
        return nearest_equilibrium(verdict.average, points, 0.05)
    return nearest_equilibrium(verdict.limit, points, 0.03 if verdict.kind == "converges" else 0.08)


def _equilibria(numeric) -> list:
    """The Nash equilibria as (row, column, strategies by player); none when they cannot be found."""
    try:
        solution = solve(numeric)
    except ValueError:
        return []
    out = []
    for e in solution.equilibria:
        x = [float(e.strategies[numeric.players[0]][s]) for s in numeric.strategies[0]]
        y = [float(e.strategies[numeric.players[1]][s]) for s in numeric.strategies[1]]
        out.append((x, y, e.strategies))
    return out


def run_dynamics(game, method: str = "replicator", parameters=None, steps: int | None = None,
                 horizon: float = 60.0, seed: int = 0) -> DynamicsReport:
    """Evaluate ``game`` (as loaded) at ``parameters`` and run the dynamics; for 2×2 games the
    replicator is also run from a few more starting points (for the phase plot)."""
    if method not in METHODS:
        raise SolveError(f"unknown dynamics '{method}' (use {' or '.join(METHODS)})", "--method")
    if steps is not None and not 1 <= steps <= MAX_STEPS:
        raise SolveError(f"expected 1 to {MAX_STEPS:,} steps (dynamics.MAX_STEPS), got {steps:,}", "--steps")
    if not (isinstance(horizon, (int, float)) and math.isfinite(horizon) and 0 < horizon <= MAX_HORIZON):
        raise SolveError(f"expected a positive, finite end time of at most {MAX_HORIZON:g}, got {horizon}", "--horizon")
    values = parameter_values(game, parameters)
    try:
        numeric = two_player_game(evaluate_game(game, values))
    except ValueError as error:
        raise SolveError(str(error)) from None
    A = np.asarray(numeric.payoffs[0], dtype=float)
    B = np.asarray(numeric.payoffs[1], dtype=float)
    steps = steps or 2000
    runs = []
    if method == "replicator":
        runs.append(replicator(A, B, steps=steps, horizon=horizon))
        if A.shape == (2, 2):
            for x, y in [(0.15, 0.15), (0.85, 0.85), (0.15, 0.85), (0.85, 0.15), (0.5, 0.2), (0.2, 0.5)]:
                runs.append(replicator(A, B, [x, 1 - x], [y, 1 - y], steps=min(steps, 800), horizon=horizon))
    else:
        runs.append(fictitious_play(A, B, steps=steps, seed=seed))
    result = verdict(runs[0], A, B)
    equilibria = _equilibria(numeric)
    return DynamicsReport(game.info.title or "(untitled game)", tuple(numeric.players), tuple(numeric.strategies),
                          method, runs, result, equilibria, A, B, {"seed": seed, "horizon": horizon},
                          _nearest(result, equilibria))
