"""Batched solvers: one game solved at every point of a parameter grid with array operations.

The payoff expressions are compiled once (``compile_numpy``) and evaluated for a whole chunk of
grid points at a time; the solvers then work on arrays with a leading grid axis G:

- trees with perfect information (chance nodes allowed): backward induction level by level
  (Kuhn 1953; Osborne & Rubinstein 1994, Prop. 99.2) on values of shape ``(G, num_nodes, N)``,
  the batched form of ``solver.equilibria.backward``;
- normal forms: pure equilibria from best-response masks with batch axes
  (``solver.equilibria.pure``), and for 2×2 games the mixed equilibrium in closed form: each
  player mixes so as to make the other indifferent (e.g. Osborne 2004, §4.3).

Floats are compared with a tie window; a point where some mover or player is (nearly) indifferent
is flagged, never silently resolved: the sweep solves such points again exactly with the project's
single-point ``solve``. ``exact_game`` evaluates a game at rational parameter values through
compiled exact functions (much faster than sympy substitution) and gives the same numeric game as
``game.evaluated``; ``PointSolver`` runs ``solve`` on it, with the method the registry chooses for
batch work, and reduces the result to an outcome.
"""
from __future__ import annotations

import math
import operator
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import numpy as np
import sympy

from solver.api import SolveError, evaluate_game, solve
from solver.core.numbers import FLOAT_TOLERANCE
from solver.equilibria import registry
from solver.equilibria.pure import pure_equilibrium_mask
from solver.model.expr import compile_numpy, evaluate
from solver.model.normal import NormalFormGame
from solver.model.tree import CHANCE, ExtensiveGame

#: Relative to the payoff scale: float differences this small may be rounding, so the point is
#: flagged as a possible tie and solved again exactly (generous: a false flag only costs time).
TIE_WINDOW = FLOAT_TOLERANCE
PROBABILITY_WINDOW = FLOAT_TOLERANCE
#: ``progress(what, done, total)``: told as points are solved (a presenter draws it).
ProgressReport = Callable[[str, int, int], None]
INVALID = "the game is undefined here (invalid chance probabilities or payoffs)"


# ---- exact evaluation without sympy substitution ----------------------------------------------
class _Unsupported(Exception):
    pass


def _exact_callable(expr) -> Callable[[Mapping[str, Fraction]], object]:
    """A closure computing ``expr`` with Fractions; raises _Unsupported for irrational functions."""
    if isinstance(expr, (int, Fraction)):
        value = Fraction(expr)
        return lambda env: value
    if isinstance(expr, float):
        return lambda env: expr
    if expr.is_Rational:
        value = Fraction(int(expr.p), int(expr.q))
        return lambda env: value
    if expr.is_Symbol:
        name = expr.name
        return lambda env: env[name]
    if expr is sympy.true:
        return lambda env: True
    if expr is sympy.false:
        return lambda env: False
    args = [_exact_callable(a) for a in expr.args]
    if isinstance(expr, sympy.Add):
        return lambda env: sum((f(env) for f in args), Fraction(0))
    if isinstance(expr, sympy.Mul):
        def product(env):
            result = Fraction(1)
            for f in args:
                result = result * f(env)
            return result
        return product
    if isinstance(expr, sympy.Pow):
        exponent = expr.args[1]
        if not exponent.is_Integer:
            raise _Unsupported
        base, k = args[0], int(exponent)
        return lambda env: Fraction(base(env)) ** k
    if isinstance(expr, sympy.Piecewise):
        pairs = [(_exact_callable(e), _exact_callable(c)) for e, c in expr.args]

        def piecewise(env):
            for value, condition in pairs:
                if condition(env):
                    return value(env)
            raise _Unsupported
        return piecewise
    relations = {sympy.StrictLessThan: operator.lt, sympy.LessThan: operator.le, sympy.StrictGreaterThan: operator.gt,
                 sympy.GreaterThan: operator.ge, sympy.Equality: operator.eq, sympy.Unequality: operator.ne}
    for kind, op in relations.items():
        if isinstance(expr, kind):
            left, right = args
            return lambda env, op=op: op(left(env), right(env))
    if isinstance(expr, sympy.And):
        return lambda env: all(f(env) for f in args)
    if isinstance(expr, sympy.Or):
        return lambda env: any(f(env) for f in args)
    if isinstance(expr, sympy.Not):
        return lambda env: not args[0](env)
    if isinstance(expr, sympy.Min):
        return lambda env: min(f(env) for f in args)
    if isinstance(expr, sympy.Max):
        return lambda env: max(f(env) for f in args)
    if isinstance(expr, sympy.Abs):
        return lambda env: abs(args[0](env))
    raise _Unsupported


def exact_function(expr):
    """``f(values) -> Fraction | float``: exact where rational, as ``solver.model.expr.evaluate``."""
    try:
        compiled = _exact_callable(expr)
    except _Unsupported:
        return lambda env: evaluate(expr, env)

    def run(env):
        try:
            value = compiled(env)
        except (_Unsupported, ZeroDivisionError):
            return evaluate(expr, env)
        return Fraction(value) if isinstance(value, (int, bool)) else value
    return run


class ExactEvaluator:
    """Evaluates a (symbolic) game at parameter values exactly: the numeric game that
    ``game.evaluated(values)`` gives, built from compiled exact functions."""

    def __init__(self, game):
        self.game = game
        if isinstance(game, ExtensiveGame):
            self.prob_fns = [exact_function(e) for e in game.chance_probs]
            self.payoff_fns = [exact_function(e) for e in game.leaf_payoffs.flat]
        else:
            self.payoff_fns = [exact_function(e) for e in game.payoffs.flat]

    def __call__(self, values: Mapping[str, object]):
        game = self.game
        if not game.is_symbolic:
            return game
        env = {k: (Fraction(v) if isinstance(v, (int, Fraction)) else v) for k, v in values.items()}
        payoffs = [f(env) for f in self.payoff_fns]
        if isinstance(game, ExtensiveGame):
            probs = [f(env) for f in self.prob_fns]
            exact = all(isinstance(v, Fraction) for v in payoffs + probs)
            payoff_array = _array(payoffs, exact).reshape(game.leaf_payoffs.shape)
            return game.with_changes(chance_probs=_array(probs, exact), leaf_payoffs=payoff_array)
        exact = all(isinstance(v, Fraction) for v in payoffs)
        return NormalFormGame(game.players, game.strategies, _array(payoffs, exact).reshape(game.payoffs.shape), game.info)


def _array(values, exact: bool) -> np.ndarray:
    if exact:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.array([float(v) for v in values], dtype=float)


def exact_game(game, values: Mapping[str, object]):
    """The numeric game at ``values`` (all parameters), as ``game.evaluated(values)``."""
    return ExactEvaluator(game)(values)


# ---- outcomes of one point, from the single-point solver ---------------------------------------
@dataclass(frozen=True)
class PointOutcome:
    """What a grid point's solution is reduced to.

    ``key`` identifies the outcome (points with equal keys form one region); ``payoffs`` are the
    first equilibrium's payoffs (floats); ``equilibria`` lists (descriptor, payoffs, probabilities)
    for every equilibrium of a normal form (probabilities flattened player by player).
    """
    key: tuple
    payoffs: tuple | None = None
    equilibria: tuple = ()


def leaf_label(tree: ExtensiveGame, node: int) -> str:
    return tree.outcomes[node] or tree.node_ids[node]


def tree_path_key(paths: Sequence[tuple[str, ...]]) -> tuple:
    """Key of a sequential outcome: the distinct paths of play (outcome labels reached)."""
    return ("path", tuple(sorted(set(paths))))


def tree_profile_key(profiles: Sequence[tuple]) -> tuple:
    return ("profile", tuple(sorted(set(profiles))))


def normal_key(descriptors: Sequence[tuple]) -> tuple:
    """Key of a normal-form outcome: the supports of every equilibrium (one tuple per player)."""
    return ("nash", tuple(sorted(set(descriptors), key=lambda d: (sum(len(s) for s in d), d))))


def invalid_key(message: str) -> tuple:
    return ("invalid", message)


def outcome_from_solution(solution, game, by: str = "path") -> PointOutcome:
    """Reduce a ``Solution`` to the outcome key the sweeps compare."""
    equilibria = solution.equilibria
    if solution.form == "sequential":
        tree = solution.game
        order = {leaf_label(tree, n): k for k, n in enumerate(tree.terminal_nodes())}
        if by == "profile":
            labels = [s.label for s in tree.infosets]
            profiles = []
            for e in equilibria:
                chosen = {}
                for points in e.strategies.values():
                    for label, probs in points.items():
                        chosen[label] = tuple(m for m, p in probs.items() if p != 0)
                profiles.append(tuple((label, chosen.get(label, ())) for label in labels))
            key = tree_profile_key(profiles)
        else:
            paths = [tuple(sorted((o for o, p in e.path if p != 0), key=lambda o: order.get(o, -1))) for e in equilibria]
            key = tree_path_key(paths)
        payoffs = tuple(float(equilibria[0].payoffs[p]) for p in solution.players) if equilibria else None
        return PointOutcome(key, payoffs)
    numeric = solution.game
    described = []
    for e in equilibria:
        supports, probs = [], []
        for i, player in enumerate(solution.players):
            row = [e.strategies[player][s] for s in numeric.strategies[i]]
            supports.append(tuple(k for k, p in enumerate(row) if p != 0))
            probs.extend(float(p) for p in row)
        described.append((tuple(supports), tuple(float(e.payoffs[p]) for p in solution.players), tuple(probs)))
    key = normal_key([d for d, _, _ in described])
    payoffs = described[0][1] if described else None
    return PointOutcome(key, payoffs, tuple(described))


class PointSolver:
    """Solves one grid point exactly with the project's ``solve`` (the game evaluated by compiled
    exact functions first), and reduces the solution to a ``PointOutcome``.

    ``method``: a registry method name; by default the registry's choice for batch work."""

    def __init__(self, game, fixed: Mapping[str, object], by: str = "path", method: str | None = None):
        self.game = game
        self.fixed = dict(fixed)
        self.by = by
        self.method = method or registry.choose(game, purpose="batch").name
        self.evaluate = ExactEvaluator(game)

    def __call__(self, values: Mapping[str, object]) -> PointOutcome:
        merged = {**self.fixed, **values}
        try:
            numeric = self.evaluate(merged)
            numeric = evaluate_game(numeric, merged)      # checks chance probabilities
            solution = solve(numeric, method=self.method)
        except (SolveError, ValueError, ZeroDivisionError):
            return PointOutcome(invalid_key(INVALID))
        return outcome_from_solution(solution, self.game, self.by)


# ---- a pool of processes for points that need the full solver ---------------------------------
_WORKER: PointSolver | None = None


def _init_worker(solver: PointSolver):
    global _WORKER
    _WORKER = solver


def _solve_batch(batch):
    return [(index, _WORKER(values)) for index, values in batch]


def solve_points(solver: PointSolver, points: Sequence[Mapping[str, object]], processes: int | None = None,
                 progress: ProgressReport | None = None, label: str = "solving points") -> list[PointOutcome]:
    """Solve each point with ``solver``; a process pool when there are many points."""
    processes = processes or os.cpu_count() or 1
    total = len(points)
    results: list[PointOutcome | None] = [None] * total
    done = 0
    if progress:
        progress(label, done, total)
    if processes <= 1 or total < 64:
        for k, values in enumerate(points):
            results[k] = solver(values)
            if progress:
                progress(label, k + 1, total)
        return results     # type: ignore[return-value]
    size = max(1, min(256, total // (processes * 8) or 1))
    batches = [list(enumerate(points))[k:k + size] for k in range(0, total, size)]
    with ProcessPoolExecutor(max_workers=processes, initializer=_init_worker, initargs=(solver,)) as pool:
        for solved in pool.map(_solve_batch, batches):
            for index, outcome in solved:
                results[index] = outcome
            done += len(solved)
            if progress:
                progress(label, done, total)
    return results     # type: ignore[return-value]


# ---- compiled payoffs over a grid --------------------------------------------------------------
class GridPayoffs:
    """The game's expressions compiled once; ``__call__(columns)`` evaluates them for a chunk.

    ``columns`` maps every parameter name to a float array of shape (G,) or a scalar.
    Trees give ``(leaf values (L, N, G), edge probabilities (num_nodes, G))`` (grid axis last);
    normal forms give
    the payoff tensor ``(G, N, n_1, ..., n_N)``.
    """

    def __init__(self, game, names: Sequence[str]):
        self.game = game
        self.names = list(names)
        if isinstance(game, ExtensiveGame):
            self.leaves = game.terminal_nodes()
            leaf_exprs = [game.leaf_payoffs[n, i] for n in self.leaves for i in range(game.num_players)]
            self.chance_children = np.flatnonzero(np.asarray([p >= 0 and game.node_player[p] == CHANCE for p in game.parent]))
            prob_exprs = [game.chance_probs[c] for c in self.chance_children]
            self.function = compile_numpy([_sympy(e) for e in leaf_exprs + prob_exprs], self.names)
            self.num_leaf_exprs = len(leaf_exprs)
        else:
            self.function = compile_numpy([_sympy(e) for e in game.payoffs.flat], self.names)

    def __call__(self, columns: Mapping[str, object], size: int):
        arrays = [np.broadcast_to(np.asarray(columns[n], dtype=float), (size,)) for n in self.names]
        outputs = self.function(*arrays) if arrays else self.function()
        outputs = [np.broadcast_to(o, (size,)) for o in outputs]
        game = self.game
        if isinstance(game, ExtensiveGame):
            N = game.num_players
            leaf = np.stack(outputs[:self.num_leaf_exprs], axis=0).reshape(len(self.leaves), N, size) \
                if self.num_leaf_exprs else np.zeros((0, N, size))
            probs = np.ones((game.num_nodes, size))
            if len(self.chance_children):
                probs[self.chance_children] = np.stack(outputs[self.num_leaf_exprs:], axis=0)
            return leaf, probs
        return np.stack(outputs, axis=1).reshape((size,) + game.payoffs.shape)


def _sympy(value):
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, (int, float)):
        return sympy.sympify(value)
    return value


# ---- batched backward induction ------------------------------------------------------------------
@dataclass
class BatchedTreeSolution:
    values: np.ndarray        # (G, N) subgame-perfect payoffs at the root (first best moves)
    choice: np.ndarray        # (G, D) chosen move index at each decision node (node order)
    reach: np.ndarray         # (G, L) probability of reaching each leaf
    tie: np.ndarray           # (G,) a mover is (nearly) indifferent somewhere: solve exactly
    invalid: np.ndarray       # (G,) chance probabilities invalid or payoffs not finite
    decision_nodes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def batched_backward_induction(tree: ExtensiveGame, leaf_values: np.ndarray, probs: np.ndarray,
                               tie_window: float = TIE_WINDOW) -> BatchedTreeSolution:
    """Backward induction at G points at once: ``leaf_values`` (L, N, G), ``probs`` (num_nodes, G).

    The grid axis is last so that every node's values are contiguous. Each level of the
    BFS-ordered tree (``tree.levels``) is one block of nodes; their children are gathered into a
    padded array of shape (nodes, max children, N, G), so that a decision is a maximum of the
    mover's values along the children axis (keeping the first best child) and a chance node an
    expectation. Points where a mover's best and second-best values differ by at most
    ``tie_window`` × the payoff scale are flagged in ``tie``.
    """
    if not tree.is_perfect_information:
        raise ValueError("batched backward induction needs perfect information")
    G, N = leaf_values.shape[2], tree.num_players
    n = tree.num_nodes
    leaves = tree.terminal_nodes()
    values = np.zeros((n + 1, N, G))          # row n: padding for uneven branching
    values[leaves] = leaf_values
    finite = np.isfinite(leaf_values).all(axis=(0, 1))
    if tree.has_chance:
        finite &= np.isfinite(probs).all(axis=0)
    scale = max(1.0, float(np.nanmax(leaf_values)), -float(np.nanmin(leaf_values))) if leaf_values.size and finite.any() else 1.0
    padded_probs = np.concatenate([probs, np.zeros((1, G))], axis=0) if tree.has_chance else probs
    step = _LevelStep(tree, values, padded_probs, tie_window * scale, ~finite)
    for level in tree.levels:                 # deepest first
        step.solve(level.inner)
    reach = _reach(tree, step.chosen_child, probs)
    decision_nodes = np.flatnonzero(tree.node_player >= 0)
    return BatchedTreeSolution(values[0].T, step.chosen_child[decision_nodes].T, reach[leaves].T, step.tie, step.invalid,
                               decision_nodes)


class _LevelStep:
    """Solves one level of inner nodes at every grid point, writing into the shared arrays."""

    def __init__(self, tree: ExtensiveGame, values: np.ndarray, probs: np.ndarray, window: float, invalid: np.ndarray):
        self.tree, self.values, self.probs, self.window = tree, values, probs, window
        G = values.shape[2]
        self.chosen_child = np.full((tree.num_nodes, G), -1, dtype=np.int16)       # move index at decision nodes
        self.tie = np.zeros(G, dtype=bool)
        self.invalid = invalid

    def solve(self, inner: np.ndarray):
        tree, values = self.tree, self.values
        first, counts = tree.first_child[inner], tree.num_children[inner]
        width = int(counts.max())
        n = tree.num_nodes
        if bool(np.all(counts == width)):     # children of consecutive nodes are consecutive: a view, no copy
            index = first[:, None] + np.arange(width)[None, :]
            kids = values[int(first[0]):int(first[0]) + width * inner.size].reshape(inner.size, width, *values.shape[1:])
            own = self._mover_values(kids, inner)
        else:
            slots = np.arange(width)
            index = np.where(slots[None, :] < counts[:, None], first[:, None] + slots[None, :], n)
            kids = values[index]                                                # (I, W, N, G)
            own = np.where((index < n)[:, :, None], self._mover_values(kids, inner), -np.inf)
        is_decision = tree.node_player[inner] >= 0
        best = own[:, 0].copy()
        first_best = np.zeros(best.shape, dtype=np.int16)
        for w in range(1, width):
            better = own[:, w] > best
            first_best[better] = w
            np.maximum(best, own[:, w], out=best)
        if np.any(is_decision):
            near = np.zeros(best.shape, dtype=np.int8)
            for w in range(width):
                near += (best - own[:, w]) <= self.window
            self.tie |= np.any(near[is_decision] > 1, axis=0)
        chosen = kids[:, 0].copy()                                              # (I, N, G)
        for w in range(1, width):
            np.copyto(chosen, kids[:, w], where=(first_best == w)[:, None, :])
        if not np.all(is_decision):
            chance = ~is_decision
            p = self.probs[index[chance]]                                       # (Ic, W, G)
            chosen[chance] = (np.where(p[:, :, None, :] != 0, kids[chance], 0.0) * p[:, :, None, :]).sum(axis=1)
            total = p.sum(axis=1)
            self.invalid |= (np.any(p < -PROBABILITY_WINDOW, axis=(0, 1))
                             | np.any(np.abs(total - 1) > PROBABILITY_WINDOW, axis=0))
        values[inner] = chosen
        self.chosen_child[inner] = np.where(is_decision[:, None], first_best, -1)

    def _mover_values(self, kids: np.ndarray, inner: np.ndarray) -> np.ndarray:
        """(I, W, G): each child's value to the player moving at its parent (player 0 at chance)."""
        effective = np.maximum(self.tree.node_player[inner], 0)
        if np.all(effective == effective[0]):
            return kids[:, :, int(effective[0]), :]
        own = np.empty((inner.size, kids.shape[1], kids.shape[3]))
        for m in np.unique(effective):
            rows = effective == m
            own[rows] = kids[rows][:, :, int(m), :]
        return own


def _reach(tree: ExtensiveGame, chosen_child: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """(num_nodes, G): the probability of reaching each node, top down."""
    reach = np.zeros(chosen_child.shape)
    reach[0] = 1.0
    for level in reversed(tree.levels):       # shallowest first: parents before children
        nodes = np.arange(level.start, level.stop)
        parent = tree.parent[nodes]
        factor = chosen_child[parent] == tree.move_index[nodes][:, None]
        from_chance = tree.node_player[parent] == CHANCE
        if np.any(from_chance):
            factor = np.where(from_chance[:, None], probs[nodes], factor)
        reach[nodes] = reach[parent] * factor
    return reach


# ---- batched normal forms ------------------------------------------------------------------------
@dataclass
class BatchedNormalSolution:
    pure: np.ndarray          # (G, n_1, ..., n_N) True at pure equilibria
    tie: np.ndarray           # (G,) some player has two (nearly) equal best replies somewhere
    invalid: np.ndarray       # (G,) payoffs not finite
    mixed: np.ndarray | None = None          # (G,) 2×2 only: a completely mixed equilibrium exists
    mixed_probs: np.ndarray | None = None    # (G, 2): row's probability of its first strategy, column's
    mixed_payoffs: np.ndarray | None = None  # (G, 2)


def batched_normal_form(payoffs: np.ndarray, tie_window: float = TIE_WINDOW) -> BatchedNormalSolution:
    """Pure equilibria at G points (``payoffs`` of shape (G, N, n_1, ..., n_N)), with tie flags,
    and for 2×2 games the completely mixed equilibrium in closed form."""
    G, N = payoffs.shape[0], payoffs.shape[1]
    finite = np.all(np.isfinite(payoffs.reshape(G, -1)), axis=1)
    safe = np.where(finite.reshape((G,) + (1,) * (payoffs.ndim - 1)), payoffs, 0.0)
    scale = np.maximum(1.0, np.max(np.abs(safe.reshape(G, -1)), axis=1)) if safe.size else np.ones(G)
    window = (tie_window * scale).reshape((G,) + (1,) * N)
    tie = np.zeros(G, dtype=bool)
    for i in range(N):
        own = safe[:, i]
        best = own.max(axis=1 + i, keepdims=True)
        near = (best - own) <= window
        counts = near.sum(axis=1 + i)
        tie |= np.any(counts.reshape(G, -1) > 1, axis=1)
    mask = pure_equilibrium_mask(safe, N)
    result = BatchedNormalSolution(mask, tie, ~finite)
    if N == 2 and safe.shape[2:] == (2, 2):
        A, B = safe[:, 0], safe[:, 1]
        with np.errstate(all="ignore"):
            q = (A[:, 1, 1] - A[:, 0, 1]) / (A[:, 0, 0] - A[:, 0, 1] - A[:, 1, 0] + A[:, 1, 1])
            p = (B[:, 1, 1] - B[:, 1, 0]) / (B[:, 0, 0] - B[:, 1, 0] - B[:, 0, 1] + B[:, 1, 1])
            exists = (p > 0) & (p < 1) & (q > 0) & (q < 1) & ~tie
            u = q * A[:, 0, 0] + (1 - q) * A[:, 0, 1]
            v = p * B[:, 0, 0] + (1 - p) * B[:, 1, 0]
        result.mixed = exists
        result.mixed_probs = np.where(exists[:, None], np.stack([p, q], axis=1), np.nan)
        result.mixed_payoffs = np.where(exists[:, None], np.stack([u, v], axis=1), np.nan)
    return result


def pack_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique rows of a (G, K) array of small non-negative ints or bools: (unique rows, the
    index of each point's row). Rows are encoded as one integer when they fit in 63 bits."""
    G, K = rows.shape
    if K == 0:
        return np.zeros((1, 0), dtype=rows.dtype), np.zeros(G, dtype=np.int64)
    base = int(rows.max()) + 1 if rows.size else 1
    base = max(base, 2)
    if K * math.log2(base) <= 62:
        weights = base ** np.arange(K, dtype=np.int64)
        codes = rows.astype(np.int64) @ weights
        unique_codes, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        return rows[first], inverse.reshape(-1)
    unique, inverse = np.unique(np.ascontiguousarray(rows), axis=0, return_inverse=True)
    return unique, inverse.reshape(-1)


def chunk_size(bytes_per_point: int, budget: int = 24 * 2**20) -> int:
    """Points per chunk so that a chunk's arrays stay within ``budget`` bytes."""
    return int(max(1, min(65_536, budget // max(1, bytes_per_point))))


def float_value(value) -> float:
    return float(value) if not isinstance(value, float) else value


__all__ = ["ExactEvaluator", "exact_game", "PointSolver", "PointOutcome", "solve_points", "GridPayoffs",
           "batched_backward_induction", "batched_normal_form", "outcome_from_solution", "ProgressReport",
           "tree_path_key", "tree_profile_key", "normal_key", "invalid_key", "leaf_label", "pack_rows",
           "chunk_size", "float_value"]
