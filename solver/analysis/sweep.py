"""Parameter sweeps: the equilibrium outcome at every point of a 1-D, 2-D (or larger) grid.

At each point the outcome is, for a sequential game, its subgame-perfect path(s) of play (or, with
``by="profile"``, the full subgame-perfect strategy profile) and for a normal-form game the set of
equilibria, identified by their supports (pure equilibria; for 2-player games also the mixed ones).
Points with equal outcomes are merged into regions, and the boundaries between regions are
reported: in 1-D the breakpoints between grid points, in 2-D the boundary cells and a straight line
fitted through them where they lie on one.

The grid is solved in chunks with the batched solvers of ``solver.analysis.batched``; points where a
player is (nearly) indifferent are flagged and solved again exactly with the project's ``solve`` at
the exact (rational) grid value. Games the batched solvers do not cover (2-player games larger than
2×2, trees with imperfect information) are solved point by point in a process pool.

>>> from solver import load_game
>>> result = sweep(load_game("games/tech_transfer.yaml"), [parse_axis("ammo_gain=0:10:11")])
>>> [(r.outcome.label, r.ranges["ammo_gain"]) for r in result.regions() if not r.boundary]
[('Withhold → Enable → Engage', ('0', '5')), ('Transfer → Restrain → Engage', ('7', '10'))]
>>> [b.text for b in result.boundaries()]
['ammo_gain = 6 (a tie, solved exactly: Transfer → Restrain → Engage | Withhold → Enable → Engage)']
"""
from __future__ import annotations

import csv
import io
import math
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np

from solver.analysis import batched
from solver.analysis.batched import PointOutcome, PointSolver
from solver.api import SolveError, parameter_values
from solver.model.expr import ExpressionError, number, to_exact
from solver.model.tree import ExtensiveGame

MAX_POINTS = 50_000_000
SERIES_LIMIT = 200_000          # per-equilibrium payoff series are kept for grids up to this size
JSON_POINTS_LIMIT = 10_000
AXIS_SYNTAX = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^:]+):([^:]+):\s*([0-9]+)\s*$")


# ---- the grid ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Axis:
    """``count`` evenly spaced values from ``lo`` to ``hi`` (exact where the ends are rational)."""
    name: str
    lo: object
    hi: object
    count: int

    def exact(self, k: int):
        if isinstance(self.lo, Fraction) and isinstance(self.hi, Fraction):
            return batched.exact_grid_value(self.lo, self.hi, self.count, k)
        return float(self.lo) + (float(self.hi) - float(self.lo)) * k / max(1, self.count - 1)

    @property
    def floats(self) -> np.ndarray:
        return np.array([float(self.exact(k)) for k in range(self.count)])

    @property
    def step(self) -> float:
        return (float(self.hi) - float(self.lo)) / max(1, self.count - 1)


def parse_axis(text: str) -> Axis:
    """``"ammo_gain=0:10:101"`` → Axis; LO and HI may be fractions (``1/3``) or expressions."""
    match = AXIS_SYNTAX.match(text)
    if not match:
        raise SolveError("expected NAME=LO:HI:N, e.g. --param ammo_gain=0:10:101", f"--param {text}")
    name, lo_text, hi_text, count_text = match.groups()
    try:
        lo, hi = to_exact(number(lo_text.strip())), to_exact(number(hi_text.strip()))
    except (ExpressionError, TypeError, ValueError):
        raise SolveError("LO and HI must be numbers such as 0, 2.5 or 1/3", f"--param {text}") from None
    count = int(count_text)
    if count < 1:
        raise SolveError("N (the number of points) must be at least 1", f"--param {text}")
    if count > 1 and not lo < hi:
        raise SolveError("LO must be less than HI", f"--param {text}")
    return Axis(name, lo, hi, count)


# ---- outcomes ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    code: int
    key: tuple
    label: str


def describe_key(key: tuple, game) -> str:
    """Readable text for an outcome key."""
    kind, body = key
    if kind == "invalid":
        return f"invalid: {body}"
    if kind == "path":
        return " | ".join(compress_path(path) if path else "(no path)" for path in body)
    if kind == "profile":
        return " | ".join(_profile_text(profile, game) for profile in body)
    if not body:
        return "no equilibrium found"
    texts = []
    for supports in body:
        if all(len(s) == 1 for s in supports):
            texts.append(", ".join(game.strategies[i][s[0]] for i, s in enumerate(supports)))
        else:
            texts.append("mixed (" + "; ".join("/".join(game.strategies[i][k] for k in s) for i, s in enumerate(supports)) + ")")
    return " | ".join(texts)


def compress_path(leaves) -> str:
    """Several outcomes reached (chance, mixing) as one line: the move sequences as a trie whose
    identical branches are merged, e.g. ``Supply → (WarEnds → Renege; WarGoesOn → Deliver)``."""
    if len(leaves) == 1:
        return leaves[0]
    trie: dict = {}
    for leaf in leaves:
        node = trie
        for move in leaf.split(" → "):
            node = node.setdefault(move, {})

    def render(node, top=False) -> str:
        groups: list[tuple[list[str], str]] = []
        for move, child in node.items():
            text = render(child)
            for names, existing in groups:
                if existing == text:
                    names.append(move)
                    break
            else:
                groups.append(([move], text))
        parts = ["/".join(names) + (f" → {text}" if text else "") for names, text in groups]
        if len(parts) > 1 and not top:
            return "(" + "; ".join(parts) + ")"
        return "; ".join(parts)
    return render(trie, top=True)


def _profile_text(profile, game) -> str:
    """``Russia Withhold; China Restrain after Transfer, Enable after Withhold; ...``"""
    from solver.present.text import decision_label, move_names
    owner = {info.label: game.players[info.player] for info in game.infosets}
    moves = move_names(game)
    by_player: dict[str, list[str]] = {}
    for label, chosen in profile:
        player = owner.get(label, "?")
        where = decision_label(label, player, moves)
        move = "/".join(chosen) or "-"
        by_player.setdefault(player, []).append(move if where == "at the start" else f"{move} {where}")
    return "; ".join(f"{player} {', '.join(parts)}" for player, parts in by_player.items())


def format_value(value) -> str:
    """A grid value for people: exact decimals where they terminate, else 6 significant digits."""
    if isinstance(value, Fraction):
        d = value.denominator
        while d % 2 == 0:
            d //= 2
        while d % 5 == 0:
            d //= 5
        if d == 1:
            text = f"{float(value):.12f}".rstrip("0").rstrip(".")
            return "0" if text in ("-0", "") else text
        return f"{float(value):.6g}"
    text = f"{float(value):.6g}"
    return "0" if text == "-0" else text


# ---- results -------------------------------------------------------------------------------------
@dataclass
class Region:
    outcome: Outcome
    points: int
    ranges: dict[str, tuple[str, str]]          # parameter -> (low, high) as text
    bounds: dict[str, tuple[float, float]]
    boundary: bool = False                      # a set of tie points between regions, not a region
    components: int = 1
    payoffs: dict[str, tuple[float, float]] | None = None


@dataclass
class Boundary:
    between: tuple[str, ...]                    # outcome labels on either side
    text: str
    at: dict = field(default_factory=dict)      # machine-readable description


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
    notes: list[str] = field(default_factory=list)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(a.count for a in self.axes)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def players(self) -> tuple[str, ...]:
        return tuple(self.game.players)

    def value(self, axis: int, k: int):
        return self.axes[axis].exact(k)

    def outcome_at(self, index: tuple[int, ...]) -> Outcome:
        return self.outcomes[int(self.codes[index])]

    # -- regions ---------------------------------------------------------------------------------
    def _thin(self) -> set[int]:
        """Outcomes that only occur at tie points each next to another outcome: boundaries."""
        cached = self.__dict__.get("_thin_cache")
        if cached is not None:
            return cached
        thin = set()
        different = np.zeros(self.shape, dtype=bool)      # a neighbour has another outcome
        for axis in range(len(self.shape)):
            if self.shape[axis] < 2:
                continue
            diff = np.diff(self.codes, axis=axis) != 0
            lead = [slice(None)] * len(self.shape)
            lead[axis] = slice(0, -1)
            different[tuple(lead)] |= diff
            lead[axis] = slice(1, None)
            different[tuple(lead)] |= diff
        for outcome in self.outcomes:
            where = self.codes == outcome.code
            if not where.any() or not np.all(self.tie[where]):
                continue
            if np.all(different[where]) and where.sum() < self.size:
                thin.add(outcome.code)
        self.__dict__["_thin_cache"] = thin
        return thin

    def regions(self) -> list[Region]:
        if len(self.axes) == 1:
            return self._runs()
        from scipy import ndimage
        thin = self._thin()
        out = []
        for outcome in self.outcomes:
            where = self.codes == outcome.code
            count = int(where.sum())
            if not count:
                continue
            idx = np.nonzero(where)
            ranges, bounds = {}, {}
            for a, axis in enumerate(self.axes):
                lo, hi = int(idx[a].min()), int(idx[a].max())
                ranges[axis.name] = (format_value(axis.exact(lo)), format_value(axis.exact(hi)))
                bounds[axis.name] = (float(axis.exact(lo)), float(axis.exact(hi)))
            _, components = ndimage.label(where)
            out.append(Region(outcome, count, ranges, bounds, bool(outcome.code in thin), int(components),
                              self._payoff_range(where)))
        out.sort(key=lambda r: (r.boundary, -r.points))
        return out

    def _payoff_range(self, where: np.ndarray):
        values = self.payoffs[where]
        if values.size == 0 or np.all(np.isnan(values)):
            return None
        return {p: (float(np.nanmin(values[:, i])), float(np.nanmax(values[:, i]))) for i, p in enumerate(self.players)}

    def _runs(self) -> list[Region]:
        axis = self.axes[0]
        codes = self.codes
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
                                  {axis.name: (format_value(axis.exact(start)), format_value(axis.exact(k - 1)))},
                                  {axis.name: (float(axis.exact(start)), float(axis.exact(k - 1)))},
                                  boundary, 1, self._payoff_range(where)))
                start = k
        return out

    # -- boundaries --------------------------------------------------------------------------------
    def boundaries(self) -> list[Boundary]:
        if len(self.axes) == 1:
            return self._boundaries_1d()
        if len(self.axes) == 2:
            return self._boundaries_2d()
        return self._boundaries_nd()

    def _boundaries_1d(self) -> list[Boundary]:
        axis = self.axes[0]
        runs = self._runs()
        out = []
        position = 0
        previous = None           # (run, last index)
        pending: list[tuple[int, Region]] = []
        for run in runs:
            if run.boundary:
                pending.append((position, run))
            else:
                if previous is not None or pending:
                    out.extend(self._breakpoint(axis, previous, pending, (position, run)))
                previous = (position + run.points - 1, run)
                pending = []
            position += run.points
        if pending:
            out.extend(self._breakpoint(axis, previous, pending, None))
        return out

    def _breakpoint(self, axis, previous, pending, following) -> list[Boundary]:
        left = previous[1].outcome.label if previous else None
        right = following[1].outcome.label if following else None
        between = tuple(x for x in (left, right) if x is not None)
        if pending:
            out = []
            for k, run in pending:
                value = axis.exact(k)
                where = "edge of the grid, " if k in (0, axis.count - 1) else ""
                text = f"{axis.name} = {format_value(value)} ({where}a tie, solved exactly: {run.outcome.label})"
                out.append(Boundary(between, text, {"kind": "point", axis.name: _json_value(value), "outcome": run.outcome.label}))
            return out
        if previous is None or following is None:
            return []
        lo, hi = axis.exact(previous[0]), axis.exact(following[0])
        mid = (lo + hi) / 2
        text = f"{format_value(lo)} < {axis.name} < {format_value(hi)} (≈ {format_value(mid)}): [{left}] to [{right}]"
        return [Boundary(between, text, {"kind": "interval", "low": _json_value(lo), "high": _json_value(hi),
                                         "estimate": _json_value(mid)})]

    def _pairs(self):
        """Adjacent cells with different (non-thin) outcomes, and thin points next to two outcomes:
        {(code_a, code_b): [points in parameter units]}."""
        thin = self._thin()
        grids = [a.floats for a in self.axes]
        evidence: dict[tuple[int, int], list] = {}
        codes = self.codes
        nd = len(self.shape)
        for axis in range(nd):
            if self.shape[axis] < 2:
                continue
            a = codes[tuple(slice(0, -1) if d == axis else slice(None) for d in range(nd))]
            b = codes[tuple(slice(1, None) if d == axis else slice(None) for d in range(nd))]
            differ = a != b
            if thin:
                thin_arr = np.array(sorted(thin))
                differ &= ~np.isin(a, thin_arr) & ~np.isin(b, thin_arr)
            for index in zip(*np.nonzero(differ)):
                pair = tuple(sorted((int(a[index]), int(b[index]))))
                point = [grids[d][index[d]] for d in range(nd)]
                point[axis] = (grids[axis][index[axis]] + grids[axis][index[axis] + 1]) / 2
                evidence.setdefault(pair, []).append(point)
        for code in thin:
            for index in zip(*np.nonzero(codes == code)):
                neighbours = set()
                for axis in range(nd):
                    for step in (-1, 1):
                        j = list(index)
                        j[axis] += step
                        if 0 <= j[axis] < self.shape[axis] and int(codes[tuple(j)]) not in thin:
                            neighbours.add(int(codes[tuple(j)]))
                ordered = sorted(neighbours)
                for x in range(len(ordered)):
                    for y in range(x + 1, len(ordered)):
                        evidence.setdefault((ordered[x], ordered[y]), []).append([grids[d][index[d]] for d in range(nd)])
        return evidence

    def _boundaries_2d(self) -> list[Boundary]:
        out = []
        for (ca, cb), points in sorted(self._pairs().items(), key=lambda kv: -len(kv[1])):
            a, b = self.outcomes[ca].label, self.outcomes[cb].label
            line = fit_line(np.array(points), self.axes)
            text = f"{a}  |  {b}: {len(points)} boundary points; {line['text']}"
            out.append(Boundary((a, b), text, {"kind": "cells", "cells": len(points), **line}))
        out.extend(self._tie_groups())
        return out

    def _boundaries_nd(self) -> list[Boundary]:
        out = []
        for (ca, cb), points in sorted(self._pairs().items(), key=lambda kv: -len(kv[1])):
            a, b = self.outcomes[ca].label, self.outcomes[cb].label
            out.append(Boundary((a, b), f"{a}  |  {b}: {len(points)} boundary points", {"kind": "cells", "cells": len(points)}))
        out.extend(self._tie_groups())
        return out

    def _tie_groups(self) -> list[Boundary]:
        out = []
        for code in sorted(self._thin()):
            count = int((self.codes == code).sum())
            label = self.outcomes[code].label
            out.append(Boundary((label,), f"{count} tie points solved exactly: {label}",
                                {"kind": "ties", "points": count, "outcome": label}))
        return out

    # -- output ------------------------------------------------------------------------------------
    def to_dict(self, include_points: bool | None = None) -> dict:
        out = {
            "title": self.game.info.title,
            "game": self.game_path,
            "form": "sequential" if isinstance(self.game, ExtensiveGame) else "normal",
            "players": list(self.players),
            "concept": self.concept,
            "outcome": self.by if isinstance(self.game, ExtensiveGame) else "equilibria",
            "method": self.method,
            "parameters": {k: _json_value(v) for k, v in self.fixed.items() if k not in {a.name for a in self.axes}},
            "axes": [{"name": a.name, "low": _json_value(a.lo), "high": _json_value(a.hi), "points": a.count} for a in self.axes],
            "points": self.size,
            "exact_points": self.exact_points,
            "seconds": round(self.elapsed, 3),
            "outcomes": [{"id": o.code, "label": o.label} for o in self.outcomes],
            "regions": [{"outcome": r.outcome.label, "id": r.outcome.code, "points": r.points,
                         "boundary": r.boundary, "components": r.components,
                         "ranges": {k: [float(lo), float(hi)] for k, (lo, hi) in r.bounds.items()},
                         **({"payoffs": {p: list(v) for p, v in r.payoffs.items()}} if r.payoffs else {})}
                        for r in self.regions()],
            "boundaries": [{"between": list(b.between), "text": b.text, **b.at} for b in self.boundaries()],
        }
        if self.notes:
            out["notes"] = list(self.notes)
        if include_points is None:
            include_points = self.size <= JSON_POINTS_LIMIT
        if include_points:
            rows = []
            for flat in range(self.size):
                index = np.unravel_index(flat, self.shape)
                row = {a.name: _json_value(a.exact(int(k))) for a, k in zip(self.axes, index)}
                row["outcome"] = int(self.codes[index])
                row["tie"] = bool(self.tie[index])
                pay = self.payoffs[index]
                if not np.all(np.isnan(pay)):
                    row["payoffs"] = {p: float(v) for p, v in zip(self.players, pay)}
                rows.append(row)
            out["grid"] = rows
        else:
            out["grid_omitted"] = f"more than {JSON_POINTS_LIMIT} points: use --format csv for every point"
        return out

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([a.name for a in self.axes] + ["outcome_id", "outcome", "tie"] + [f"payoff_{p}" for p in self.players])
        labels = [o.label for o in self.outcomes]
        grids = [[format_value(a.exact(k)) for k in range(a.count)] for a in self.axes]
        codes = self.codes.reshape(-1)
        ties = self.tie.reshape(-1)
        payoffs = self.payoffs.reshape(-1, len(self.players))
        payoff_text = np.where(np.isnan(payoffs), "", np.char.mod("%.10g", np.nan_to_num(payoffs)))
        indices = np.indices(self.shape).reshape(len(self.shape), -1).T
        for flat in range(self.size):
            writer.writerow([grids[d][indices[flat, d]] for d in range(len(self.axes))]
                            + [int(codes[flat]), labels[codes[flat]], int(ties[flat])] + list(payoff_text[flat]))
        return buffer.getvalue()

    def to_text(self) -> str:
        lines = [self.game.info.title or "(untitled game)"]
        grid = " × ".join(f"{a.name} {format_value(a.lo)}..{format_value(a.hi)} ({a.count} points)" for a in self.axes)
        lines.append(f"{self.game_path + ' · ' if self.game_path else ''}sweep of {grid} = {self.size} points")
        others = {k: v for k, v in self.fixed.items() if k not in {a.name for a in self.axes}}
        if others:
            lines.append("Other parameters: " + ", ".join(f"{k} = {format_value(v) if isinstance(v, Fraction) else v}"
                                                          for k, v in others.items()))
        what = {"subgame-perfect": f"subgame-perfect {'path of play' if self.by == 'path' else 'strategy profile'}",
                "nash": "Nash equilibria"}[self.concept]
        plural = "point" if self.exact_points == 1 else "points"
        lines.append(f"Outcome: {what}; solved by {self.method}; {self.exact_points} {plural} solved exactly "
                     f"with the single-point solver; {self.elapsed:.2f} s")
        lines.append("")
        regions = self.regions()
        real = [r for r in regions if not r.boundary]
        lines.append(f"Regions ({len(real)})")
        names = [a.name for a in self.axes]
        header = ["outcome"] + names + ["points"]
        rows = []
        for r in real:
            row = [r.outcome.label] + [f"{lo} .. {hi}" if lo != hi else lo for lo, hi in r.ranges.values()] + [str(r.points)]
            if len(self.axes) > 1 and r.components > 1:
                row[-1] += f" ({r.components} parts)"
            rows.append(row)
        if len(self.axes) == 1:
            header = names + ["outcome"] + (["payoffs (" + ", ".join(self.players) + ")"] if self.payoffs.size else [])
            rows = []
            for r in real:
                lo, hi = next(iter(r.ranges.values()))
                row = [f"{lo} .. {hi}" if lo != hi else lo, r.outcome.label]
                if r.payoffs:
                    row.append(", ".join(_range_text(*r.payoffs[p]) for p in self.players))
                elif self.payoffs.size:
                    row.append("")
                rows.append(row)
        lines.extend(_table(header, rows))
        lines.append("")
        bounds = self.boundaries()
        lines.append(f"Boundaries ({len(bounds)})")
        lines.extend(f"  {b.text}" for b in bounds)
        if not bounds:
            lines.append("  none: one outcome on the whole grid")
        if self.notes:
            lines.append("")
            lines.append("Notes")
            lines.extend(f"  - {n}" for n in self.notes)
        return "\n".join(lines) + "\n"


def _range_text(lo: float, hi: float) -> str:
    a, b = _num(lo), _num(hi)
    return a if a == b else f"{a}..{b}"


def _num(v: float) -> str:
    text = f"{v:.4g}"
    return "0" if text == "-0" else text


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    out = ["  " + "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    for row in rows:
        out.append("  " + "  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip())
    return out


def _json_value(value):
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return float(value)


def fit_line(points: np.ndarray, axes: Sequence[Axis]) -> dict:
    """A straight line through boundary points (total least squares in grid-normalised units)."""
    if len(points) < 2:
        x, y = points[0] if len(points) else (float("nan"), float("nan"))
        return {"text": f"near {axes[0].name} = {_num(x)}, {axes[1].name} = {_num(y)}", "straight": False}
    span = np.array([max(float(a.hi) - float(a.lo), 1e-300) for a in axes])
    low = np.array([float(a.lo) for a in axes])
    u = (points - low) / span
    centre = u.mean(axis=0)
    _, singular, vt = np.linalg.svd(u - centre, full_matrices=False)
    normal = vt[-1]
    residual = np.abs((u - centre) @ normal)
    cell = max(1.0 / max(1, a.count - 1) for a in axes)
    straight = bool(residual.max() <= 1.01 * cell)
    # back to parameter units: n0 (x - lo0)/s0 + n1 (y - lo1)/s1 = n·centre
    a0, a1 = normal[0] / span[0], normal[1] / span[1]
    c = normal @ centre + normal[0] * low[0] / span[0] + normal[1] * low[1] / span[1]
    digits = max(0, -int(math.floor(math.log10(min(a.step for a in axes) or 1)))) + 2
    x_name, y_name = axes[0].name, axes[1].name
    if abs(normal[1]) >= abs(normal[0]):           # y = m x + k
        m, k = -a0 / a1, c / a1
        text = _line_text(y_name, x_name, m, k, digits)
    else:
        m, k = -a1 / a0, c / a0
        text = _line_text(x_name, y_name, m, k, digits)
    extent = {a.name: [float(points[:, d].min()), float(points[:, d].max())] for d, a in enumerate(axes)}
    if not straight:
        text = (f"curved: no straight line fits within one cell (the best, {text}, is {residual.max() / cell:.1f} cells off); "
                f"spans {axes[0].name} {_num(extent[x_name][0])}..{_num(extent[x_name][1])}, "
                f"{axes[1].name} {_num(extent[y_name][0])}..{_num(extent[y_name][1])}")
    else:
        text = f"boundary line {text} (largest deviation {residual.max() / cell:.2f} cells)"
    return {"text": text, "straight": straight, "slope": float(m), "intercept": float(k), "extent": extent}


def _line_text(lhs: str, rhs: str, m: float, k: float, digits: int) -> str:
    m_r, k_r = round(m, digits), round(k, digits)
    m_r, k_r = (0.0 if m_r == 0 else m_r), (0.0 if k_r == 0 else k_r)
    if m_r == 0:
        return f"{lhs} ≈ {_trim(k_r)}"
    slope = "" if m_r == 1 else ("-" if m_r == -1 else f"{_trim(m_r)}·")
    tail = "" if k_r == 0 else (f" + {_trim(k_r)}" if k_r > 0 else f" - {_trim(-k_r)}")
    return f"{lhs} ≈ {slope}{rhs}{tail}"


def _trim(v: float) -> str:
    text = f"{v:.10f}".rstrip("0").rstrip(".")
    return text or "0"


# ---- the sweep -----------------------------------------------------------------------------------
def check_axes(game, axes: Sequence[Axis], settings: Mapping[str, object] | None = None) -> dict[str, object]:
    """Validate the swept names against the game; the exact values of every other parameter."""
    fixed = parameter_values(game, settings)
    known = ", ".join(sorted(fixed)) or "this game has no parameters"
    seen = set()
    for axis in axes:
        if axis.name not in fixed:
            raise SolveError(f"unknown parameter '{axis.name}' (parameters: {known})", f"--param {axis.name}")
        if axis.name in seen:
            raise SolveError(f"'{axis.name}' is swept twice", f"--param {axis.name}")
        if settings and axis.name in settings:
            raise SolveError(f"'{axis.name}' is both swept and set with --set", f"--param {axis.name}")
        seen.add(axis.name)
    total = int(np.prod([a.count for a in axes])) if axes else 1
    if total > MAX_POINTS:
        raise SolveError(f"the grid has {total} points; at most {MAX_POINTS} are allowed", "--param")
    return fixed


def sweep_mode(game, pointwise: bool = False) -> str:
    """'tree' (batched backward induction), 'normal' (batched pure + 2×2 mixed) or 'pointwise'."""
    if pointwise:
        return "pointwise"
    if isinstance(game, ExtensiveGame):
        return "tree" if game.is_perfect_information else "pointwise"
    if game.num_players == 2 and game.shape != (2, 2):
        return "pointwise"
    return "normal"


class _Registry:
    def __init__(self, game):
        self.game = game
        self.codes: dict[tuple, int] = {}
        self.outcomes: list[Outcome] = []

    def code(self, key: tuple) -> int:
        if key not in self.codes:
            self.codes[key] = len(self.outcomes)
            self.outcomes.append(Outcome(len(self.outcomes), key, describe_key(key, self.game)))
        return self.codes[key]


def sweep(game, axes: Sequence[Axis], settings: Mapping[str, object] | None = None, *, by: str = "path",
          processes: int | None = None, progress: bool = False, pointwise: bool = False,
          game_path: str = "", chunk: int | None = None) -> SweepResult:
    """Solve ``game`` at every point of the grid spanned by ``axes`` (other parameters at their
    values, with ``settings`` overriding them)."""
    started = time.perf_counter()
    axes = tuple(axes)
    fixed = check_axes(game, axes, settings)
    if by not in ("path", "profile"):
        raise SolveError(f"unknown outcome '{by}' (use path or profile)", "--by")
    mode = sweep_mode(game, pointwise)
    shape = tuple(a.count for a in axes)
    total = int(np.prod(shape)) if shape else 1
    N = game.num_players
    registry = _Registry(game)
    codes = np.zeros(total, dtype=np.int32)
    tie = np.zeros(total, dtype=bool)
    payoffs = np.full((total, N), np.nan)
    keep_series = not isinstance(game, ExtensiveGame) and total <= SERIES_LIMIT
    series: dict | None = {} if keep_series else None
    floats = {k: batched.float_value(v) for k, v in fixed.items()}
    grids = [a.floats for a in axes]
    notes: list[str] = []
    is_tree = isinstance(game, ExtensiveGame)
    concept = "subgame-perfect" if is_tree else "nash"
    method = "auto"
    if not is_tree and N >= 3 and mode != "pointwise":
        method = "pure"
        notes.append("3 or more players: pure equilibria only (vectorised); use --pointwise to search mixed equilibria point by point")

    def record(flat: np.ndarray, outcomes: Sequence[PointOutcome]):
        for index, outcome in zip(flat, outcomes):
            codes[index] = registry.code(outcome.key)
            if outcome.payoffs is not None and (is_tree or len(outcome.equilibria) == 1):
                payoffs[index] = outcome.payoffs
            else:
                payoffs[index] = np.nan
            if series is not None:
                for arrays in series.values():
                    arrays[0][index] = np.nan
                    arrays[1][index] = np.nan
                for descriptor, pay, probs in outcome.equilibria:
                    _series_slot(series, descriptor, total, N, len(probs))
                    series[descriptor][0][index] = pay
                    series[descriptor][1][index] = probs

    solver = PointSolver(game, fixed, by=by, method=method)
    if mode == "pointwise":
        points = [_point(axes, np.unravel_index(k, shape)) for k in range(total)]
        outcomes = batched.solve_points(solver, points, processes, progress, "solving points")
        record(np.arange(total), outcomes)
        tie[:] = True
        exact_points = total
        method_text = "the single-point solver at every point (process pool)"
    else:
        compiled = batched.GridPayoffs(game, list(fixed))
        if is_tree:
            per_point = 8 * game.num_nodes * (2 * N + 6)
            method_text = "batched backward induction"
        else:
            per_point = 8 * int(np.prod(game.payoffs.shape)) * 6
            method_text = "batched best responses" + (" and the closed-form 2×2 mixed equilibrium" if game.shape == (2, 2) and N == 2 else "")
        size = chunk or batched.chunk_size(per_point)
        flagged: list[np.ndarray] = []
        bar = batched.Progress(total, "sweeping", progress and total > 4 * size)
        for start in range(0, total, size):
            stop = min(total, start + size)
            flat = np.arange(start, stop)
            index = np.unravel_index(flat, shape) if shape else ()
            columns = dict(floats)
            for a, axis in enumerate(axes):
                columns[axis.name] = grids[a][index[a]]
            if is_tree:
                _tree_chunk(game, compiled, columns, flat, registry, codes, payoffs, tie, by)
            else:
                _normal_chunk(game, compiled, columns, flat, registry, codes, payoffs, tie, series, total)
            flagged.append(flat[tie[start:stop]])
            bar.update(stop - start)
        bar.close()
        flagged_all = np.concatenate(flagged) if flagged else np.zeros(0, dtype=np.int64)
        points = [_point(axes, np.unravel_index(int(k), shape)) for k in flagged_all]
        outcomes = batched.solve_points(solver, points, processes, progress, "solving ties exactly")
        record(flagged_all, outcomes)
        exact_points = len(flagged_all)
    codes, outcomes = _renumber(codes, registry.outcomes)
    elapsed = time.perf_counter() - started
    return SweepResult(game, game_path, axes, fixed, codes.reshape(shape), tie.reshape(shape), outcomes,
                       payoffs.reshape(shape + (N,)),
                       {k: (v[0].reshape(shape + (N,)), v[1].reshape(shape + (v[1].shape[1],))) for k, v in series.items()}
                       if series is not None else None,
                       method_text, concept, exact_points, elapsed, by, notes)


def _renumber(codes: np.ndarray, outcomes: list[Outcome]) -> tuple[np.ndarray, list[Outcome]]:
    """Outcome ids in order of first appearance on the grid; unused outcomes dropped."""
    present, first = np.unique(codes, return_index=True)
    order = present[np.argsort(first)]
    mapping = np.zeros(len(outcomes), dtype=np.int32)
    mapping[order] = np.arange(len(order), dtype=np.int32)
    renamed = [Outcome(k, outcomes[old].key, outcomes[old].label) for k, old in enumerate(order)]
    return mapping[codes], renamed


def _point(axes, index) -> dict[str, object]:
    return {a.name: a.exact(int(k)) for a, k in zip(axes, index)}


def _series_slot(series, descriptor, total, N, width):
    if descriptor not in series:
        series[descriptor] = (np.full((total, N), np.nan), np.full((total, width), np.nan))


def _tree_chunk(game, compiled, columns, flat, registry, codes, payoffs, tie, by):
    G = len(flat)
    leaf, probs = compiled(columns, G)
    solution = batched.batched_backward_induction(game, leaf, probs)
    near_zero = np.zeros(G, dtype=bool)
    if len(compiled.chance_children):
        p = probs[compiled.chance_children]
        near_zero = np.any((np.abs(p) <= batched.PROBABILITY_WINDOW) & (p != 0), axis=0)
    flagged = (solution.tie | near_zero) & ~solution.invalid
    tie[flat] = flagged
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
    lookup = np.array([registry.code(k) for k in keys], dtype=np.int32)
    codes[flat] = lookup[inverse]
    payoffs[flat] = solution.values
    if np.any(solution.invalid):
        bad = solution.invalid
        codes[flat[bad]] = registry.code(batched.invalid_key(batched.INVALID))
        payoffs[flat[bad]] = np.nan


def _normal_chunk(game, compiled, columns, flat, registry, codes, payoffs, tie, series, total):
    G = len(flat)
    N = game.num_players
    P = compiled(columns, G)
    solution = batched.batched_normal_form(P)
    tie[flat] = solution.tie & ~solution.invalid
    bits = solution.pure.reshape(G, -1)
    if solution.mixed is not None:
        bits = np.concatenate([bits, solution.mixed[:, None]], axis=1)
    rows, inverse = batched.pack_rows(bits)
    shape = game.shape
    profiles = list(np.ndindex(*shape))
    keys = []
    for row in rows:
        descriptors = [tuple((s,) for s in profiles[j]) for j in np.flatnonzero(row[:len(profiles)])]
        if solution.mixed is not None and row[-1]:
            descriptors.append(((0, 1), (0, 1)))
        keys.append(batched.normal_key(descriptors))
    lookup = np.array([registry.code(k) for k in keys], dtype=np.int32)
    codes[flat] = lookup[inverse]
    counts = bits.sum(axis=1)
    width = sum(shape)
    # payoffs of the unique equilibrium, and per-equilibrium series
    flat_payoffs = P.reshape(G, N, -1)
    unique_pure = (counts == 1) & (solution.pure.reshape(G, -1).sum(axis=1) == 1)
    if np.any(unique_pure):
        which = np.argmax(solution.pure.reshape(G, -1), axis=1)
        payoffs[flat[unique_pure]] = flat_payoffs[np.flatnonzero(unique_pure), :, which[unique_pure]]
    if solution.mixed is not None:
        only_mixed = solution.mixed & (counts == 1)
        payoffs[flat[only_mixed]] = solution.mixed_payoffs[only_mixed]
    payoffs[flat[counts != 1]] = np.nan
    if series is not None:
        pure_flat = solution.pure.reshape(G, -1)
        offsets = np.cumsum([0] + list(shape))
        for j in np.flatnonzero(pure_flat.any(axis=0)):
            profile = profiles[j]
            descriptor = tuple((s,) for s in profile)
            _series_slot(series, descriptor, total, N, width)
            here = pure_flat[:, j]
            series[descriptor][0][flat[here]] = flat_payoffs[here, :, j]
            probs = np.zeros(width)
            for i, s in enumerate(profile):
                probs[offsets[i] + s] = 1.0
            series[descriptor][1][flat[here]] = probs
        if solution.mixed is not None and np.any(solution.mixed):
            descriptor = ((0, 1), (0, 1))
            _series_slot(series, descriptor, total, N, width)
            here = solution.mixed
            series[descriptor][0][flat[here]] = solution.mixed_payoffs[here]
            p, q = solution.mixed_probs[here, 0], solution.mixed_probs[here, 1]
            series[descriptor][1][flat[here]] = np.stack([p, 1 - p, q, 1 - q], axis=1)
    if np.any(solution.invalid):
        codes[flat[solution.invalid]] = registry.code(batched.invalid_key(batched.INVALID))
