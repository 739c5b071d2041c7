"""The result of a parameter sweep, and its geometry: regions of equal outcome and the boundaries
between them, as data.

Points with equal outcomes form a region. In 1-D, the boundaries are the breakpoints between
neighbouring grid points (or tie points solved exactly); in 2-D and more, the pairs of adjacent
cells with different outcomes, and in 2-D a straight line fitted through them (total least squares
in grid-normalised units, e.g. Golub & Van Loan, "Matrix Computations", §6.3) where they lie on one,
or else up to ``MAX_PIECES`` straight pieces where they lie on those (a kink where another
comparison takes over). An outcome seen only at tie points, each next to other outcomes, is a
boundary, not a region; a point whose paths of play differ from a neighbour's only by a leaf behind
a chance move of probability 0 belongs to the neighbour's region (``region_codes``).
Presenters (``solver.present.sweep_text``, ``solver.present.sweep_plot``) turn these into words
and pictures.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from solver.analysis.batched import leaf_label
from solver.analysis.grid import Axis
from solver.model.tree import ExtensiveGame

#: A boundary that no straight line fits is tried as up to this many straight pieces.
MAX_PIECES = 2
#: Each straight piece holds at least this many boundary points.
MIN_PIECE_POINTS = 4
#: A point lies on a fitted line when it is at most this many grid cells from it.
CELL_TOLERANCE = 1.01
#: ... and on a straight piece when at most this many: the points of a straight boundary (midpoints
#: of cells on either side, tie points on it) are within half a cell, and a gently curved boundary
#: split into pieces is not.
PIECE_TOLERANCE = 0.55


@dataclass(frozen=True)
class Outcome:
    code: int
    key: tuple
    label: str


@dataclass
class Region:
    outcome: Outcome
    points: int
    ranges: dict[str, tuple[object, object]]    # parameter -> (lowest, highest) exact grid value
    boundary: bool = False                      # a set of tie points between regions, not a region
    components: int = 1
    payoffs: dict[str, tuple[float, float]] | None = None


@dataclass(frozen=True)
class Line:
    """A line through the boundary points between two 2-D regions: ``solved_for ≈ slope·other +
    intercept`` (rounded to ``digits`` decimals for people); ``deviation`` is the largest distance
    of a point from it, in grid cells. A single point has only ``point``. A boundary that is not
    straight but lies on a few straight lines has them as ``pieces`` (each a straight ``Line``
    whose ``extent`` is its part of the boundary)."""
    straight: bool
    solved_for: str = ""
    other: str = ""
    slope: float | None = None
    intercept: float | None = None
    digits: int = 0
    deviation: float = 0.0
    extent: dict[str, tuple[float, float]] = field(default_factory=dict)
    point: tuple[float, float] | None = None
    pieces: tuple["Line", ...] = ()


@dataclass
class Boundary:
    """Where the outcome changes. ``kind``: ``"point"`` (1-D: a tie point solved exactly),
    ``"interval"`` (1-D: between two grid points), ``"cells"`` (2-D and more: adjacent cells that
    differ) or ``"ties"`` (tie points between regions). ``at`` holds the numbers (exact grid values,
    counts) and, for ties, the outcome there."""
    kind: str
    between: tuple[str, ...]                    # outcome labels on either side
    at: dict = field(default_factory=dict)
    line: Line | None = None                    # 2-D cells
    edge: bool = False                          # a tie point at the end of the grid


@dataclass
class SweepResult:
    game: object
    game_path: str
    axes: tuple[Axis, ...]
    fixed: dict[str, object]
    codes: np.ndarray                           # grid shape, int32
    tie: np.ndarray                             # grid shape, bool: solved exactly by the single-point solver
    outcomes: list[Outcome]
    payoffs: np.ndarray                         # grid shape + (N,): SPE payoffs / the unique equilibrium's
    series: dict | None                         # normal forms: descriptor -> (payoffs, probabilities) arrays
    method: str
    concept: str
    exact_points: int
    elapsed: float
    by: str = "path"
    notes: list = field(default_factory=list)   # solver.equilibria.result.Note
    region_codes: np.ndarray | None = None      # codes with zero-probability-branch points absorbed

    @property
    def region_map(self) -> np.ndarray:
        """The outcome id each point's region is labelled with (``codes`` but for points whose
        outcome differs from a neighbour's only behind a chance move of probability 0)."""
        return self.codes if self.region_codes is None else self.region_codes

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(a.count for a in self.axes)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def players(self) -> tuple[str, ...]:
        return tuple(self.game.players)

    @property
    def sequential(self) -> bool:
        return isinstance(self.game, ExtensiveGame)

    @property
    def swept_names(self) -> set[str]:
        return {a.name for a in self.axes}

    def value(self, axis: int, k: int):
        return self.axes[axis].exact(k)

    def outcome_at(self, index: tuple[int, ...]) -> Outcome:
        return self.outcomes[int(self.codes[index])]

    def region_outcome_at(self, index: tuple[int, ...]) -> Outcome:
        return self.outcomes[int(self.region_map[index])]

    # -- regions ---------------------------------------------------------------------------------
    @cached_property
    def thin(self) -> set[int]:
        """Outcomes that only occur at tie points each next to another outcome: boundaries."""
        thin = set()
        codes = self.region_map
        different = np.zeros(self.shape, dtype=bool)      # a neighbour has another outcome
        for axis in range(len(self.shape)):
            if self.shape[axis] < 2:
                continue
            diff = np.diff(codes, axis=axis) != 0
            lead = [slice(None)] * len(self.shape)
            lead[axis] = slice(0, -1)
            different[tuple(lead)] |= diff
            lead[axis] = slice(1, None)
            different[tuple(lead)] |= diff
        for outcome in self.outcomes:
            where = codes == outcome.code
            if not where.any() or not np.all(self.tie[where]):
                continue
            if np.all(different[where]) and where.sum() < self.size:
                thin.add(outcome.code)
        return thin

    def regions(self) -> list[Region]:
        """Every outcome's region (largest first, boundaries last); runs of the grid in 1-D."""
        if len(self.axes) == 1:
            return self.runs()
        from scipy import ndimage     # scipy is slow to import; only 2-D and larger sweeps need it
        out = []
        for outcome in self.outcomes:
            where = self.region_map == outcome.code
            count = int(where.sum())
            if not count:
                continue
            idx = np.nonzero(where)
            ranges = {axis.name: (axis.exact(int(idx[a].min())), axis.exact(int(idx[a].max())))
                      for a, axis in enumerate(self.axes)}
            _, components = ndimage.label(where)
            out.append(Region(outcome, count, ranges, bool(outcome.code in self.thin), int(components),
                              self._payoff_range(where)))
        out.sort(key=lambda r: (r.boundary, -r.points))
        return out

    def _payoff_range(self, where: np.ndarray):
        values = self.payoffs[where]
        if values.size == 0 or np.all(np.isnan(values)):
            return None
        return {p: (float(np.nanmin(values[:, i])), float(np.nanmax(values[:, i]))) for i, p in enumerate(self.players)}

    def runs(self) -> list[Region]:
        """1-D: the runs of equal outcome along the grid, in order."""
        axis = self.axes[0]
        codes = self.region_map
        out = []
        start = 0
        for k in range(1, len(codes) + 1):
            if k == len(codes) or codes[k] != codes[start]:
                where = np.zeros(len(codes), dtype=bool)
                where[start:k] = True
                boundary = bool(k - start == 1 and bool(self.tie[start]) and len(codes) > 1
                                and (start == 0 or codes[start - 1] != codes[start])
                                and (k == len(codes) or codes[k] != codes[start]))
                out.append(Region(self.outcomes[int(codes[start])], k - start,
                                  {axis.name: (axis.exact(start), axis.exact(k - 1))},
                                  boundary, 1, self._payoff_range(where)))
                start = k
        return out

    # -- boundaries --------------------------------------------------------------------------------
    def boundaries(self) -> list[Boundary]:
        if len(self.axes) == 1:
            return self._boundaries_1d()
        out = []
        for (ca, cb), points in sorted(self._pairs().items(), key=lambda kv: -len(kv[1])):
            line = fit_boundary(np.array(points), self.axes) if len(self.axes) == 2 else None
            out.append(Boundary("cells", (self.outcomes[ca].label, self.outcomes[cb].label), {"cells": len(points)}, line))
        for code in sorted(self.thin):
            label = self.outcomes[code].label
            out.append(Boundary("ties", (label,), {"points": int((self.region_map == code).sum()), "outcome": label}))
        return out

    def _boundaries_1d(self) -> list[Boundary]:
        out = []
        position = 0
        previous = None           # (last index, run)
        pending: list[tuple[int, Region]] = []
        for run in self.runs():
            if run.boundary:
                pending.append((position, run))
            else:
                if previous is not None or pending:
                    out.extend(self._breakpoint(previous, pending, (position, run)))
                previous = (position + run.points - 1, run)
                pending = []
            position += run.points
        if pending:
            out.extend(self._breakpoint(previous, pending, None))
        return out

    def _breakpoint(self, previous, pending, following) -> list[Boundary]:
        axis = self.axes[0]
        between = tuple(side[1].outcome.label for side in (previous, following) if side is not None)
        if pending:
            return [Boundary("point", between, {axis.name: axis.exact(k), "outcome": run.outcome.label},
                             edge=k in (0, axis.count - 1)) for k, run in pending]
        if previous is None or following is None:
            return []
        lo, hi = axis.exact(previous[0]), axis.exact(following[0])
        return [Boundary("interval", between, {"low": lo, "high": hi, "estimate": (lo + hi) / 2})]

    def _pairs(self) -> dict[tuple[int, int], list]:
        """Adjacent cells with different (non-thin) outcomes, and thin points next to two outcomes:
        {(code_a, code_b): [points in parameter units]}."""
        grids = [a.floats for a in self.axes]
        evidence: dict[tuple[int, int], list] = {}
        codes = self.region_map
        nd = len(self.shape)
        for axis in range(nd):
            if self.shape[axis] < 2:
                continue
            a = codes[tuple(slice(0, -1) if d == axis else slice(None) for d in range(nd))]
            b = codes[tuple(slice(1, None) if d == axis else slice(None) for d in range(nd))]
            differ = a != b
            if self.thin:
                thin_arr = np.array(sorted(self.thin))
                differ &= ~np.isin(a, thin_arr) & ~np.isin(b, thin_arr)
            for index in zip(*np.nonzero(differ)):
                pair = tuple(sorted((int(a[index]), int(b[index]))))
                point = [grids[d][index[d]] for d in range(nd)]
                point[axis] = (grids[axis][index[axis]] + grids[axis][index[axis] + 1]) / 2
                evidence.setdefault(pair, []).append(point)
        for code in self.thin:
            for index in zip(*np.nonzero(codes == code)):
                ordered = sorted(self._neighbour_outcomes(index))
                for x in range(len(ordered)):
                    for y in range(x + 1, len(ordered)):
                        evidence.setdefault((ordered[x], ordered[y]), []).append([grids[d][index[d]] for d in range(nd)])
        return evidence

    def _neighbour_outcomes(self, index) -> set[int]:
        """The non-thin outcomes of the grid neighbours of ``index``."""
        neighbours = set()
        for axis in range(len(self.shape)):
            for step in (-1, 1):
                j = list(index)
                j[axis] += step
                if 0 <= j[axis] < self.shape[axis] and int(self.region_map[tuple(j)]) not in self.thin:
                    neighbours.add(int(self.region_map[tuple(j)]))
        return neighbours


def fit_line(points: np.ndarray, axes) -> Line:
    """A straight line through 2-D boundary points (total least squares in grid-normalised units)."""
    if len(points) < 2:
        x, y = points[0] if len(points) else (float("nan"), float("nan"))
        return Line(False, point=(float(x), float(y)))
    span = np.array([max(float(a.hi) - float(a.lo), 1e-300) for a in axes])
    low = np.array([float(a.lo) for a in axes])
    u = (points - low) / span
    centre = u.mean(axis=0)
    _, _, vt = np.linalg.svd(u - centre, full_matrices=False)
    normal = vt[-1]
    residual = np.abs((u - centre) @ normal)
    cell = _cell(axes)
    # back to parameter units: n0 (x - lo0)/s0 + n1 (y - lo1)/s1 = n·centre
    a0, a1 = normal[0] / span[0], normal[1] / span[1]
    c = normal @ centre + normal[0] * low[0] / span[0] + normal[1] * low[1] / span[1]
    digits = max(0, -int(math.floor(math.log10(min(a.step for a in axes) or 1)))) + 2
    x_name, y_name = axes[0].name, axes[1].name
    if abs(normal[1]) >= abs(normal[0]):           # y = m x + k
        solved_for, other, m, k = y_name, x_name, -a0 / a1, c / a1
    else:
        solved_for, other, m, k = x_name, y_name, -a1 / a0, c / a0
    extent = {a.name: (float(points[:, d].min()), float(points[:, d].max())) for d, a in enumerate(axes)}
    return Line(bool(residual.max() <= CELL_TOLERANCE * cell), solved_for, other, float(m), float(k), digits,
                float(residual.max() / cell), extent)


def _cell(axes) -> float:
    """One grid cell, in grid-normalised units (the larger of the two axes' steps)."""
    return max(1.0 / max(1, a.count - 1) for a in axes)


def fit_boundary(points: np.ndarray, axes) -> Line:
    """The line through a 2-D boundary (``fit_line``); where it is not straight, the boundary as
    up to ``MAX_PIECES`` straight pieces when it lies on them, e.g. two comparisons that decide
    the boundary on either side of a kink."""
    line = fit_line(points, axes)
    if line.straight or line.point is not None:
        return line
    pieces = _straight_pieces(points, axes, MAX_PIECES)
    return replace(line, pieces=tuple(pieces)) if pieces and len(pieces) > 1 else line


def _straight_pieces(points: np.ndarray, axes, budget: int) -> list[Line] | None:
    """At most ``budget`` straight lines covering the points, or None. The points are split where
    two lines fit best (least squares over the split positions of four orderings: by one
    coordinate, then the other, either way), and each side is fitted again."""
    line = fit_line(points, axes)
    if line.deviation <= PIECE_TOLERANCE:
        return [line]
    if budget < 2 or len(points) < 2 * MIN_PIECE_POINTS:
        return None
    span = np.array([max(float(a.hi) - float(a.lo), 1e-300) for a in axes])
    u = (points - np.array([float(a.lo) for a in axes])) / span
    best = None
    for primary, secondary, sign in ((0, 1, 1), (0, 1, -1), (1, 0, 1), (1, 0, -1)):
        order = np.lexsort((sign * u[:, secondary], u[:, primary]))
        split, cost = _best_split(u[order])
        if best is None or cost < best[0]:
            best = (cost, order[:split], order[split:])
    first = _straight_pieces(points[best[1]], axes, budget - 1)
    if first is None:
        return None
    second = _straight_pieces(points[best[2]], axes, budget - len(first))
    return None if second is None else first + second


def _best_split(u: np.ndarray) -> tuple[int, float]:
    """Where to cut ordered points in two so that the two total-least-squares lines leave the least
    sum of squared distances: (the first index of the second part, that sum)."""
    n = len(u)

    def scatter(x, y):       # running sums → the smaller eigenvalue of each prefix's scatter matrix
        count = np.arange(1, n + 1)
        sx, sy = np.cumsum(x), np.cumsum(y)
        a = np.cumsum(x * x) - sx * sx / count
        c = np.cumsum(y * y) - sy * sy / count
        b = np.cumsum(x * y) - sx * sy / count
        return (a + c) / 2 - np.sqrt(np.maximum(((a - c) / 2) ** 2 + b * b, 0.0))

    prefix = scatter(u[:, 0], u[:, 1])
    suffix = scatter(u[::-1, 0], u[::-1, 1])[::-1]
    k = np.arange(MIN_PIECE_POINTS, n - MIN_PIECE_POINTS + 1)    # the first part is u[:k]
    costs = prefix[k - 1] + suffix[k]
    best = int(np.argmin(costs))
    return int(k[best]), float(costs[best])


# ---- outcomes that differ only behind a chance move of probability 0 -------------------------------
def zero_probability_labels(tree: ExtensiveGame) -> frozenset[str]:
    """The leaf labels of a numeric tree all of whose leaves lie behind a chance move of
    probability exactly 0: paths of play that differ only in them are the same equilibrium."""
    behind = np.zeros(tree.num_nodes, dtype=bool)
    zero = np.array([p == 0 for p in tree.chance_probs], dtype=bool)
    for level in reversed(tree.levels):          # shallowest first: parents before children
        children = np.arange(level.start, level.stop)
        behind[children] = behind[tree.parent[children]] | zero[children]
    null: dict[str, bool] = {}
    for node in tree.terminal_nodes():
        label = leaf_label(tree, int(node))
        null[label] = null.get(label, True) and bool(behind[node])
    return frozenset(label for label, hidden in null.items() if hidden)


def absorbed_by(key: tuple, other: tuple, null: frozenset | None = None) -> bool:
    """Whether the paths of play ``key`` are those of ``other`` with some leaves left out, each of
    them in ``null`` (any leaf when ``null`` is None): one path for each of ``other``'s paths."""
    if key[0] != "path" or other[0] != "path" or key == other or len(key[1]) != len(other[1]):
        return False
    remaining = [set(path) for path in other[1]]
    for path in map(set, key[1]):
        match = next((k for k, candidate in enumerate(remaining)
                      if path <= candidate and (null is None or candidate - path <= null)), None)
        if match is None:
            return False
        del remaining[match]
    return True
