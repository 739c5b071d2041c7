"""Parameter sweeps for people and programs: the text report (regions and boundaries), every grid
point as CSV, and both as JSON. Reads a ``solver.analysis.regions.SweepResult``.

>>> from solver import load_game
>>> from solver.analysis.sweep import parse_axis, sweep
>>> result = sweep(load_game("games/tech_transfer.yaml"), [parse_axis("ammo_gain=0:10:11")])
>>> [boundary_text(b, result.axes) for b in result.boundaries()]
['ammo_gain = 6 (a tie, solved exactly: Transfer → Restrain → Engage | Withhold → Enable → Engage)']
"""
from __future__ import annotations

import csv
import io
from fractions import Fraction

import numpy as np

from solver.analysis.regions import Boundary, Line, SweepResult
from solver.core.numbers import as_json_number, format_number
from solver.present.table import columns

JSON_POINTS_LIMIT = 10_000


def grid_value(value) -> str:
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


def value_range(low, high) -> str:
    """``"0 .. 5.9"``, or one value where both ends read the same."""
    lo, hi = grid_value(low), grid_value(high)
    return lo if lo == hi else f"{lo} .. {hi}"


def _payoff_range(low: float, high: float) -> str:
    a, b = format_number(float(low)), format_number(float(high))
    return a if a == b else f"{a}..{b}"


def _fixed_point(v: float) -> str:
    text = f"{v:.10f}".rstrip("0").rstrip(".")
    return text or "0"


def line_equation(line: Line) -> str:
    """``china_squeeze ≈ ammo_gain``, ``y ≈ 0.5·x - 2``: the fitted line rounded to its digits."""
    m_r, k_r = round(line.slope, line.digits), round(line.intercept, line.digits)
    m_r, k_r = (0.0 if m_r == 0 else m_r), (0.0 if k_r == 0 else k_r)
    if m_r == 0:
        return f"{line.solved_for} ≈ {_fixed_point(k_r)}"
    slope = "" if m_r == 1 else ("-" if m_r == -1 else f"{_fixed_point(m_r)}·")
    tail = "" if k_r == 0 else (f" + {_fixed_point(k_r)}" if k_r > 0 else f" - {_fixed_point(-k_r)}")
    return f"{line.solved_for} ≈ {slope}{line.other}{tail}"


def line_text(line: Line, axes) -> str:
    x_name, y_name = axes[0].name, axes[1].name
    if line.point is not None:
        x, y = line.point
        return f"near {x_name} = {format_number(x)}, {y_name} = {format_number(y)}"
    equation = line_equation(line)
    if line.straight:
        return f"boundary line {equation} (largest deviation {line.deviation:.2f} cells)"
    if line.pieces:
        parts = "; ".join(f"{line_equation(p)} for {p.other} {_span(*p.extent[p.other])}" for p in line.pieces)
        deviation = max(p.deviation for p in line.pieces)
        return f"{len(line.pieces)} straight pieces: {parts} (largest deviation {deviation:.2f} cells)"
    (x0, x1), (y0, y1) = line.extent[x_name], line.extent[y_name]
    return (f"curved: no straight line fits within one cell (the best, {equation}, is {line.deviation:.1f} cells off); "
            f"spans {x_name} {format_number(x0)}..{format_number(x1)}, {y_name} {format_number(y0)}..{format_number(y1)}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _span(low: float, high: float) -> str:
    a, b = format_number(low), format_number(high)
    return a if a == b else f"{a}..{b}"


def boundary_text(boundary: Boundary, axes) -> str:
    at = boundary.at
    if boundary.kind == "point":
        name = axes[0].name
        where = "edge of the grid, " if boundary.edge else ""
        return f"{name} = {grid_value(at[name])} ({where}a tie, solved exactly: {at['outcome']})"
    if boundary.kind == "interval":
        left, right = boundary.between
        return (f"{grid_value(at['low'])} < {axes[0].name} < {grid_value(at['high'])} (≈ {grid_value(at['estimate'])}): "
                f"[{left}] to [{right}]")
    if boundary.kind == "ties":
        return f"{_count(at['points'], 'tie point')} solved exactly: {at['outcome']}"
    a, b = boundary.between
    text = f"{a}  |  {b}: {_count(at['cells'], 'boundary point')}"
    return f"{text}; {line_text(boundary.line, axes)}" if boundary.line is not None else text


# ---- text ------------------------------------------------------------------------------------------
def sweep_text(result: SweepResult) -> str:
    """The report: the grid, the method, the regions (a table) and the boundaries."""
    lines = [result.game.info.title or "(untitled game)"]
    grid = " × ".join(f"{a.name} {grid_value(a.lo)}..{grid_value(a.hi)} ({a.count} points)" for a in result.axes)
    lines.append(f"{result.game_path + ' · ' if result.game_path else ''}sweep of {grid} = {result.size} points")
    others = {k: v for k, v in result.fixed.items() if k not in result.swept_names}
    if others:
        lines.append("Other parameters: " + ", ".join(f"{k} = {grid_value(v) if isinstance(v, Fraction) else v}"
                                                      for k, v in others.items()))
    what = {"subgame-perfect": f"subgame-perfect {'path of play' if result.by == 'path' else 'strategy profile'}",
            "nash": "Nash equilibria"}[result.concept]
    plural = "point" if result.exact_points == 1 else "points"
    lines.append(f"Outcome: {what}; solved by {result.method}; {result.exact_points} {plural} solved exactly "
                 f"with the single-point solver; {result.elapsed:.2f} s")
    lines.append("")
    real = [r for r in result.regions() if not r.boundary]
    lines.append(f"Regions ({len(real)})")
    header, rows = _region_table(result, real)
    lines.extend(columns([header, *rows], indent="  "))
    lines.append("")
    bounds = result.boundaries()
    lines.append(f"Boundaries ({len(bounds)})")
    lines.extend(f"  {boundary_text(b, result.axes)}" for b in bounds)
    if not bounds:
        lines.append("  none: one outcome on the whole grid")
    if result.notes:
        lines.append("")
        lines.append("Notes")
        lines.extend(f"  - {n.text()}" for n in result.notes)
    return "\n".join(lines) + "\n"


def _region_table(result: SweepResult, regions) -> tuple[list[str], list[list[str]]]:
    """1-D: range, outcome and payoff ranges per region; larger grids: outcome, ranges, size."""
    names = [a.name for a in result.axes]
    if len(result.axes) > 1:
        rows = []
        for r in regions:
            parts = f" ({r.components} parts)" if r.components > 1 else ""
            rows.append([r.outcome.label] + [value_range(lo, hi) for lo, hi in r.ranges.values()] + [f"{r.points}{parts}"])
        return ["outcome"] + names + ["points"], rows
    with_payoffs = bool(result.payoffs.size)
    header = names + ["outcome"] + (["payoffs (" + ", ".join(result.players) + ")"] if with_payoffs else [])
    rows = []
    for r in regions:
        row = [value_range(*next(iter(r.ranges.values()))), r.outcome.label]
        if r.payoffs:
            row.append(", ".join(_payoff_range(*r.payoffs[p]) for p in result.players))
        elif with_payoffs:
            row.append("")
        rows.append(row)
    return header, rows


# ---- CSV -------------------------------------------------------------------------------------------
CSV_CHUNK = 50_000


def _csv_field(text: str) -> str:
    """One CSV field as the csv module writes it (quoted where it holds a comma, quote or newline)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([text])
    return buffer.getvalue()


def sweep_csv(result: SweepResult, progress=None) -> str:
    """Every grid point: the swept values, the outcome (id and label), the tie flag, the payoffs.
    ``progress(what, done, total)`` is told as rows are written (a million rows take seconds)."""
    header = [a.name for a in result.axes] + ["outcome_id", "outcome", "tie"] + [f"payoff_{p}" for p in result.players]
    outcome_fields = [f"{o.code},{_csv_field(o.label)}" for o in result.outcomes]
    grids = [[_csv_field(grid_value(a.exact(k))) for k in range(a.count)] for a in result.axes]
    codes = result.codes.reshape(-1)
    ties = result.tie.reshape(-1).astype(np.int8)
    payoffs = result.payoffs.reshape(-1, len(result.players))
    parts = [",".join(_csv_field(h) for h in header) + "\n"]
    for start in range(0, result.size, CSV_CHUNK):
        flat = np.arange(start, min(result.size, start + CSV_CHUNK))
        index = np.unravel_index(flat, result.shape)
        columns = [[grids[d][k] for k in index[d].tolist()] for d in range(len(result.axes))]
        columns.append([outcome_fields[c] for c in codes[flat].tolist()])
        columns.append(ties[flat].astype(str).tolist())
        columns += [["" if v != v else f"{v:.10g}" for v in payoffs[flat, i].tolist()] for i in range(payoffs.shape[1])]
        parts.append("\n".join(map(",".join, zip(*columns))) + "\n")
        if progress:
            progress("writing CSV", int(flat[-1]) + 1, result.size)
    return "".join(parts)


# ---- JSON ------------------------------------------------------------------------------------------
def _number(value):
    return as_json_number(value, exact=False)


def _boundary_json(boundary: Boundary, axes) -> dict:
    out = {"between": list(boundary.between), "text": boundary_text(boundary, axes), "kind": boundary.kind,
           **{k: v if isinstance(v, str) else _number(v) for k, v in boundary.at.items()}}
    line = boundary.line
    if line is not None:       # the line's own text stands for the boundary's (as it always has)
        out.update({"text": line_text(line, axes), "straight": line.straight})
        if line.point is None:
            out.update(_line_json(line))
        if line.pieces:
            out["pieces"] = [{"text": line_equation(p), "solved_for": p.solved_for, **_line_json(p),
                              "deviation": p.deviation} for p in line.pieces]
    return out


def _line_json(line: Line) -> dict:
    return {"slope": line.slope, "intercept": line.intercept,
            "extent": {name: list(span) for name, span in line.extent.items()}}


def sweep_json(result: SweepResult, include_points: bool | None = None) -> dict:
    """Regions, boundaries and (up to ``JSON_POINTS_LIMIT`` points, or as asked) every grid point."""
    out = {
        "title": result.game.info.title,
        "game": result.game_path,
        "form": "sequential" if result.sequential else "normal",
        "players": list(result.players),
        "concept": result.concept,
        "outcome": result.by if result.sequential else "equilibria",
        "method": result.method,
        "parameters": {k: _number(v) for k, v in result.fixed.items() if k not in result.swept_names},
        "axes": [{"name": a.name, "low": _number(a.lo), "high": _number(a.hi), "points": a.count} for a in result.axes],
        "points": result.size,
        "exact_points": result.exact_points,
        "seconds": round(result.elapsed, 3),
        "outcomes": [{"id": o.code, "label": o.label} for o in result.outcomes],
        "regions": [{"outcome": r.outcome.label, "id": r.outcome.code, "points": r.points,
                     "boundary": r.boundary, "components": r.components,
                     "ranges": {k: [float(lo), float(hi)] for k, (lo, hi) in r.ranges.items()},
                     **({"payoffs": {p: list(v) for p, v in r.payoffs.items()}} if r.payoffs else {})}
                    for r in result.regions()],
        "boundaries": [_boundary_json(b, result.axes) for b in result.boundaries()],
    }
    if result.notes:
        out["notes"] = [n.text() for n in result.notes]
    if include_points is None:
        include_points = result.size <= JSON_POINTS_LIMIT
    if include_points:
        out["grid"] = [_point_json(result, np.unravel_index(flat, result.shape)) for flat in range(result.size)]
    else:
        out["grid_omitted"] = f"more than {JSON_POINTS_LIMIT} points: use --format csv for every point"
    return out


def _point_json(result: SweepResult, index) -> dict:
    row = {a.name: _number(a.exact(int(k))) for a, k in zip(result.axes, index)}
    row["outcome"] = int(result.codes[index])
    row["tie"] = bool(result.tie[index])
    pay = result.payoffs[index]
    if not np.all(np.isnan(pay)):
        row["payoffs"] = {p: float(v) for p, v in zip(result.players, pay)}
    return row
