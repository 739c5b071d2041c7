"""Parameter sweeps: the equilibrium outcome at every point of a 1-D, 2-D (or larger) grid.

At each point the outcome is, for a sequential game, its subgame-perfect path(s) of play (or, with
``by="profile"``, the full subgame-perfect strategy profile) and for a normal-form game the set of
equilibria, identified by their supports (pure equilibria; for 2-player games also the mixed ones).
Points with equal outcomes are merged into regions, and the boundaries between them are found
(``solver.analysis.regions``); ``solver.present.sweep_text`` writes them for people.

The method is the registry's choice for batch work (``registry.choose(game, purpose="batch")``).
Where a batched solver of ``solver.analysis.batched`` computes what that method would (backward
induction on perfect-information trees, pure equilibria, 2×2 games), the grid is solved in chunks
with it; points where a player is (nearly) indifferent are flagged and solved again exactly with
the project's ``solve`` at the exact (rational) grid value. Other games (2-player games larger than
2×2, trees with imperfect information) are solved point by point in a process pool.

>>> from solver import load_game
>>> result = sweep(load_game("games/tech_transfer.yaml"), [parse_axis("ammo_gain=0:10:11")])
>>> [(r.outcome.label, r.ranges["ammo_gain"]) for r in result.regions() if not r.boundary]
[('Withhold → Enable → Engage', (Fraction(0, 1), Fraction(5, 1))), ('Transfer → Restrain → Engage', (Fraction(7, 1), Fraction(10, 1)))]
>>> [(b.kind, b.at["ammo_gain"], b.at["outcome"]) for b in result.boundaries()]
[('point', Fraction(6, 1), 'Transfer → Restrain → Engage | Withhold → Enable → Engage')]
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from solver.analysis import batched
from solver.analysis.batched import ExactEvaluator, PointOutcome, PointSolver, ProgressReport
from solver.analysis.grid import Axis, check_axes, grid_point, parse_axis
from solver.analysis.labels import describe_key
from solver.analysis.regions import Outcome, SweepResult, absorbed_by, zero_probability_labels
from solver.api import SolveError
from solver.core.numbers import tie_tolerance
from solver.equilibria import registry
from solver.equilibria.registry import Method
from solver.equilibria.result import ONLY_PURE, Note
from solver.model.tree import ExtensiveGame

SERIES_LIMIT = 200_000          # per-equilibrium payoff series are kept for grids up to this size
#: Descriptor of the completely mixed equilibrium of a 2×2 game (both supports {0, 1}).
MIXED_2X2 = ((0, 1), (0, 1))

#: ``Axis`` and ``parse_axis`` (from ``solver.analysis.grid``) are part of the sweep API.
__all__ = ["Axis", "SweepResult", "parse_axis", "sweep", "sweep_plan"]


def sweep_plan(game, pointwise: bool = False) -> tuple[str, Method]:
    """How the grid is solved: ``"tree"`` (batched backward induction), ``"normal"`` (batched pure
    equilibria, and the closed-form mixed one of 2×2 games) or ``"pointwise"``, and the registry's
    method for the points solved one by one. ``pointwise`` asks for the single-point solver's own
    choice everywhere (e.g. mixed equilibria of 3+ player games)."""
    method = registry.choose(game, purpose="solve" if pointwise else "batch")
    if pointwise:
        return "pointwise", method
    if method.name == "backward-induction":
        return "tree", method
    if method.name == "pure" or (method.name == "enumerate" and game.shape == (2, 2)):
        return "normal", method
    return "pointwise", method


class OutcomeCodes:
    """Outcome keys numbered in order of appearance, with their labels."""

    def __init__(self, game):
        self.game = game
        self.codes: dict[tuple, int] = {}
        self.outcomes: list[Outcome] = []

    def code(self, key: tuple) -> int:
        if key not in self.codes:
            self.codes[key] = len(self.outcomes)
            self.outcomes.append(Outcome(len(self.outcomes), key, describe_key(key, self.game)))
        return self.codes[key]

    def codes_of(self, keys: Sequence[tuple]) -> np.ndarray:
        return np.array([self.code(k) for k in keys], dtype=np.int32)


@dataclass
class _Grid:
    """The flat arrays a sweep fills in, one entry per grid point."""
    game: object
    shape: tuple[int, ...]
    outcomes: OutcomeCodes
    codes: np.ndarray = field(init=False)
    tie: np.ndarray = field(init=False)
    payoffs: np.ndarray = field(init=False)
    series: dict | None = field(init=False)

    def __post_init__(self):
        total, N = self.total, self.game.num_players
        self.codes = np.zeros(total, dtype=np.int32)
        self.tie = np.zeros(total, dtype=bool)
        self.payoffs = np.full((total, N), np.nan)
        self.series = {} if not isinstance(self.game, ExtensiveGame) and total <= SERIES_LIMIT else None

    @property
    def total(self) -> int:
        return int(np.prod(self.shape)) if self.shape else 1

    def series_slot(self, descriptor, width: int):
        if descriptor not in self.series:
            N = self.game.num_players
            self.series[descriptor] = (np.full((self.total, N), np.nan), np.full((self.total, width), np.nan))
        return self.series[descriptor]

    def record(self, flat: np.ndarray, outcomes: Sequence[PointOutcome]):
        """Outcomes of points solved one by one (exactly)."""
        sequential = isinstance(self.game, ExtensiveGame)
        for index, outcome in zip(flat, outcomes):
            self.codes[index] = self.outcomes.code(outcome.key)
            if outcome.payoffs is not None and (sequential or len(outcome.equilibria) == 1):
                self.payoffs[index] = outcome.payoffs
            else:
                self.payoffs[index] = np.nan
            if self.series is None:
                continue
            for pay, probs in self.series.values():
                pay[index] = np.nan
                probs[index] = np.nan
            for descriptor, pay, probs in outcome.equilibria:
                slot = self.series_slot(descriptor, len(probs))
                slot[0][index] = pay
                slot[1][index] = probs

    def result(self, axes, fixed, method_text, exact_points, started, by, notes, game_path) -> SweepResult:
        codes, outcomes = _renumber(self.codes, self.outcomes.outcomes)
        shape, N = self.shape, self.game.num_players
        codes = codes.reshape(shape)
        series = None if self.series is None else {
            k: (snap_noise(v[0]).reshape(shape + (N,)), snap_noise(v[1], 1.0).reshape(shape + (v[1].shape[1],)))
            for k, v in self.series.items()}
        concept = "subgame-perfect" if isinstance(self.game, ExtensiveGame) else "nash"
        regions = _absorb_zero_probability_branches(self.game, codes, outcomes, axes, fixed) if by == "path" else None
        return SweepResult(self.game, game_path, tuple(axes), fixed, codes, self.tie.reshape(shape), outcomes,
                           snap_noise(self.payoffs).reshape(shape + (N,)), series, method_text, concept, exact_points,
                           time.perf_counter() - started, by, notes, regions)


def snap_noise(values: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Float noise made exactly 0: entries within the tie tolerance (``solver.core.numbers``) of
    zero, relative to ``scale`` (default: the payoff scale of the finite entries), e.g. the
    ``-4.4e-16`` a closed-form mixed equilibrium leaves where a payoff is 0.

    Works in place on ``values`` (the sweep's own arrays) and returns it: a copy of a 10^6-point
    grid's payoffs would double the sweep's peak memory."""
    if scale is None:
        finite = np.isfinite(values)
        high = np.max(values, where=finite, initial=-np.inf)
        low = np.min(values, where=finite, initial=np.inf)
        scale = float(high - low) if high >= low else 0.0
    tolerance = tie_tolerance([0.0, scale])
    values[(values <= tolerance) & (values >= -tolerance)] = 0.0
    return values


def _absorb_zero_probability_branches(game, codes: np.ndarray, outcomes: list[Outcome], axes, fixed) -> np.ndarray | None:
    """Region codes for a tree with chance moves: a point whose paths of play are a neighbour's,
    except for leaves behind a chance move of probability exactly 0 there, belongs to the
    neighbour's region (the equilibrium is the same; only a zero-probability branch's label is
    missing). ``None`` when no point is absorbed. Each such point is checked exactly."""
    if not isinstance(game, ExtensiveGame) or not game.has_chance:
        return None
    keys = [o.key for o in outcomes]
    pairs = [(a, b) for a in range(len(keys)) for b in range(len(keys)) if absorbed_by(keys[a], keys[b])]
    if not pairs:
        return None
    candidates: dict[tuple, list[int]] = {}
    for axis in range(codes.ndim):
        for step in (1, -1):
            here = [slice(None)] * codes.ndim
            there = [slice(None)] * codes.ndim
            here[axis], there[axis] = (slice(0, -1), slice(1, None)) if step == 1 else (slice(1, None), slice(0, -1))
            for a, b in pairs:
                mask = np.zeros(codes.shape, dtype=bool)
                mask[tuple(here)] = (codes[tuple(here)] == a) & (codes[tuple(there)] == b)
                for index in zip(*np.nonzero(mask)):
                    candidates.setdefault(tuple(int(k) for k in index), []).append(b)
    evaluate, regions = ExactEvaluator(game), codes.copy()
    for index, others in candidates.items():
        null = zero_probability_labels(evaluate({**fixed, **grid_point(axes, index)}))
        absorbing = [b for b in others if absorbed_by(keys[int(codes[index])], keys[b], null)]
        if absorbing:
            regions[index] = absorbing[0]
    return regions if np.any(regions != codes) else None


def sweep(game, axes: Sequence[Axis], settings: Mapping[str, object] | None = None, *, by: str = "path",
          processes: int | None = None, progress: ProgressReport | None = None, pointwise: bool = False,
          game_path: str = "", chunk: int | None = None) -> SweepResult:
    """Solve ``game`` at every point of the grid spanned by ``axes`` (other parameters at their
    values, with ``settings`` overriding them). ``progress(what, done, total)`` is told how far
    the work has got."""
    started = time.perf_counter()
    axes = tuple(axes)
    fixed = check_axes(game, axes, settings)
    if by not in ("path", "profile"):
        raise SolveError(f"unknown outcome '{by}' (use path or profile)", "--by")
    mode, method = sweep_plan(game, pointwise)
    grid = _Grid(game, tuple(a.count for a in axes), OutcomeCodes(game))
    notes = []
    if mode == "normal" and method.name == "pure" and game.num_players >= 3:
        notes.append(Note(ONLY_PURE, "3 or more players: pure equilibria only (vectorised); use --pointwise to search "
                                     "mixed equilibria point by point"))
    solver = PointSolver(game, fixed, by=by, method=method.name)
    if mode == "pointwise":
        points = [grid_point(axes, np.unravel_index(k, grid.shape)) for k in range(grid.total)]
        grid.record(np.arange(grid.total), batched.solve_points(solver, points, processes, progress, "solving points"))
        grid.tie[:] = True
        return grid.result(axes, fixed, "the single-point solver at every point (process pool)", grid.total, started, by,
                           notes, game_path)
    method_text = _solve_batched(grid, axes, fixed, mode, by, chunk, progress)
    flagged = np.flatnonzero(grid.tie)
    points = [grid_point(axes, np.unravel_index(int(k), grid.shape)) for k in flagged]
    grid.record(flagged, batched.solve_points(solver, points, processes, progress, "solving ties exactly"))
    return grid.result(axes, fixed, method_text, len(flagged), started, by, notes, game_path)


def _solve_batched(grid: _Grid, axes, fixed, mode: str, by: str, chunk: int | None, progress) -> str:
    """Solve the grid chunk by chunk with a batched solver; returns what solved it, for people."""
    game = grid.game
    N = game.num_players
    compiled = batched.GridPayoffs(game, list(fixed))
    if mode == "tree":
        per_point = 8 * game.num_nodes * (2 * N + 6)
        method_text = "batched backward induction"
    else:
        per_point = 8 * int(np.prod(game.payoffs.shape)) * 6
        method_text = "batched best responses" + (" and the closed-form 2×2 mixed equilibrium" if game.shape == (2, 2) and N == 2 else "")
    size = chunk or batched.chunk_size(per_point)
    report = progress
    floats = {k: batched.float_value(v) for k, v in fixed.items()}
    grids = [a.floats for a in axes]
    if report:
        report("sweeping", 0, grid.total)
    for start in range(0, grid.total, size):
        flat = np.arange(start, min(grid.total, start + size))
        index = np.unravel_index(flat, grid.shape) if grid.shape else ()
        columns = dict(floats)
        for a, axis in enumerate(axes):
            columns[axis.name] = grids[a][index[a]]
        if mode == "tree":
            _tree_chunk(grid, compiled, columns, flat, by)
        else:
            _normal_chunk(grid, compiled, columns, flat)
        if report:
            report("sweeping", int(flat[-1]) + 1, grid.total)
    return method_text


def _renumber(codes: np.ndarray, outcomes: list[Outcome]) -> tuple[np.ndarray, list[Outcome]]:
    """Outcome ids in order of first appearance on the grid; unused outcomes dropped."""
    present, first = np.unique(codes, return_index=True)
    order = present[np.argsort(first)]
    mapping = np.zeros(len(outcomes), dtype=np.int32)
    mapping[order] = np.arange(len(order), dtype=np.int32)
    renamed = [Outcome(k, outcomes[old].key, outcomes[old].label) for k, old in enumerate(order)]
    return mapping[codes], renamed


def _tree_chunk(grid: _Grid, compiled, columns, flat, by):
    game = grid.game
    G = len(flat)
    leaf, probs = compiled(columns, G)
    solution = batched.batched_backward_induction(game, leaf, probs)
    near_zero = np.zeros(G, dtype=bool)
    if len(compiled.chance_children):
        p = probs[compiled.chance_children]
        near_zero = np.any((np.abs(p) <= batched.PROBABILITY_WINDOW) & (p != 0), axis=0)
    grid.tie[flat] = (solution.tie | near_zero) & ~solution.invalid
    leaves = game.terminal_nodes()
    if by == "path":
        rows, inverse = batched.pack_rows(solution.reach > 0)
        keys = [batched.tree_path_key([tuple(batched.leaf_label(game, leaves[j]) for j in np.flatnonzero(row))]) for row in rows]
    else:
        rows, inverse = batched.pack_rows(solution.choice)
        labels = {}
        for position, node in enumerate(solution.decision_nodes):
            h = int(game.node_infoset[node])
            labels[h] = (position, game.infosets[h])
        keys = []
        for row in rows:
            profile = tuple((info.label, (info.moves[int(row[position])],)) for h, (position, info) in sorted(labels.items()))
            keys.append(batched.tree_profile_key([profile]))
    grid.codes[flat] = grid.outcomes.codes_of(keys)[inverse]
    grid.payoffs[flat] = solution.values
    if np.any(solution.invalid):
        bad = flat[solution.invalid]
        grid.codes[bad] = grid.outcomes.code(batched.invalid_key(batched.INVALID))
        grid.payoffs[bad] = np.nan


def _normal_chunk(grid: _Grid, compiled, columns, flat):
    game = grid.game
    G = len(flat)
    P = compiled(columns, G)
    solution = batched.batched_normal_form(P)
    grid.tie[flat] = solution.tie & ~solution.invalid
    pure = solution.pure.reshape(G, -1)
    bits = pure if solution.mixed is None else np.concatenate([pure, solution.mixed[:, None]], axis=1)
    rows, inverse = batched.pack_rows(bits)
    profiles = list(np.ndindex(*game.shape))
    keys = []
    for row in rows:
        descriptors = [tuple((s,) for s in profiles[j]) for j in np.flatnonzero(row[:len(profiles)])]
        if solution.mixed is not None and row[-1]:
            descriptors.append(MIXED_2X2)
        keys.append(batched.normal_key(descriptors))
    grid.codes[flat] = grid.outcomes.codes_of(keys)[inverse]
    # payoffs of the unique equilibrium
    counts = bits.sum(axis=1)
    flat_payoffs = P.reshape(G, game.num_players, -1)
    unique_pure = (counts == 1) & (pure.sum(axis=1) == 1)
    if np.any(unique_pure):
        which = np.argmax(pure, axis=1)
        grid.payoffs[flat[unique_pure]] = flat_payoffs[np.flatnonzero(unique_pure), :, which[unique_pure]]
    if solution.mixed is not None:
        only_mixed = solution.mixed & (counts == 1)
        grid.payoffs[flat[only_mixed]] = solution.mixed_payoffs[only_mixed]
    grid.payoffs[flat[counts != 1]] = np.nan
    if grid.series is not None:
        _normal_series(grid, solution, flat_payoffs, profiles, flat)
    if np.any(solution.invalid):
        grid.codes[flat[solution.invalid]] = grid.outcomes.code(batched.invalid_key(batched.INVALID))


def _normal_series(grid: _Grid, solution, flat_payoffs, profiles, flat):
    """Per-equilibrium payoff and probability series of a chunk (for plots)."""
    shape = grid.game.shape
    width = sum(shape)
    pure = solution.pure.reshape(len(flat), -1)
    offsets = np.cumsum([0] + list(shape))
    for j in np.flatnonzero(pure.any(axis=0)):
        profile = profiles[j]
        payoffs, probabilities = grid.series_slot(tuple((s,) for s in profile), width)
        here = pure[:, j]
        payoffs[flat[here]] = flat_payoffs[here, :, j]
        probs = np.zeros(width)
        for i, s in enumerate(profile):
            probs[offsets[i] + s] = 1.0
        probabilities[flat[here]] = probs
    if solution.mixed is not None and np.any(solution.mixed):
        payoffs, probabilities = grid.series_slot(MIXED_2X2, width)
        here = solution.mixed
        payoffs[flat[here]] = solution.mixed_payoffs[here]
        p, q = solution.mixed_probs[here, 0], solution.mixed_probs[here, 1]
        probabilities[flat[here]] = np.stack([p, 1 - p, q, 1 - q], axis=1)
