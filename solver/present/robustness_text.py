"""Robustness reports for people and programs: outcome probabilities with their intervals, the
threshold surfaces that explain them, the payoff distributions, the tornado and the Sobol indices;
as text, JSON, or every sample as CSV. Reads a ``solver.analysis.robustness.RobustnessResult``.

>>> bound_text("x", ("a", None)), bound_text("x", (1, "b*c"))
('x > a', '1 < x < b*c')
"""
from __future__ import annotations

import csv
import io
import math

import numpy as np

from solver.analysis.robustness import Explanation, RobustnessResult, sample_chunks
from solver.analysis.sampling import outcome_label
from solver.core.numbers import format_number
from solver.present.table import columns
from solver.present.thresholds_text import shortest


def percent(p: float, digits: int = 1) -> str:
    return f"{100 * p:.{digits}f}%"


def bound_text(parameter: str, piece) -> str:
    """One piece of a condition: ``x > a``, ``x < b`` or ``a < x < b`` (bounds as formulas)."""
    low, high = piece
    low_text = None if low is None else (low if isinstance(low, str) else _formula(low))
    high_text = None if high is None else (high if isinstance(high, str) else _formula(high))
    if low_text is not None and high_text is not None:
        return f"{low_text} < {parameter} < {high_text}"
    if low_text is not None:
        return f"{parameter} > {low_text}"
    return f"{parameter} < {high_text}"


def _formula(value) -> str:
    if isinstance(value, (int, float)):
        return format_number(value, 6)
    try:
        return shortest(value) if getattr(value, "free_symbols", None) else str(value)
    except (TypeError, ValueError):
        return str(value)


def condition_text(explanation: Explanation) -> str:
    return " or ".join(bound_text(explanation.parameter, piece) for piece in explanation.pieces)


def _describe(d) -> str:
    return d.text


def robustness_text(result: RobustnessResult) -> str:
    """The report for people."""
    beliefs = result.beliefs
    lines = [f"{result.game.info.title or result.game_path}",
             f"{result.samples:,} samples (seed {result.seed}), solved by {result.method}; {result.where}; "
             f"{result.elapsed:.1f} s", "", "Beliefs"]
    rows = [[f"  {name}", _describe(d)] for name, d in beliefs.distributions.items()]
    lines += columns(rows)
    for (a, b), rho in beliefs.correlations.items():
        lines.append(f"  rank correlation of {a} and {b}: {rho:g} (Gaussian copula)")
    lines += ["", "Outcome probabilities (95% Wilson intervals)"]
    rows = [[f"  {percent(o.probability)}", f"[{percent(o.low, 2)}, {percent(o.high, 2)}]", o.label] for o in result.outcomes]
    lines += columns(rows)
    if result.timed_out:
        lines.append(f"  {result.timed_out} sample(s) timed out and are not solved (counted above)")
    if result.exact_points:
        lines.append(f"  {result.exact_points} sample(s) solved exactly with the single-point solver")
    if result.explanations:
        lines += ["", "Threshold surfaces (from solve thresholds, the other parameters at their medians or at the file's values)"]
        for e in result.explanations:
            lines.append(f"  {e.label}: {percent(_share(result, e.label))} of the cases; {percent(e.coverage)} of them with "
                         f"{condition_text(e)} (which holds in {percent(e.holds)} of all cases, {percent(e.precision)} of "
                         f"them with this outcome; thresholds found at the {e.at})")
    lines += ["", "Equilibrium payoffs over the samples"]
    header = ["  player", "mean"] + [f"q{int(100 * q)}" for q in (0.05, 0.25, 0.5, 0.75, 0.95)]
    rows = [header] + [[f"  {s.player}", _number(s.mean)] + ([_number(v) for _, v in s.quantiles] or ["-"] * 5)
                       for s in result.payoffs]
    lines += columns(rows)
    if result.undefined_payoffs:
        lines.append(f"  {result.undefined_payoffs} sample(s) have several equilibria with different payoffs: left out here")
    if result.tornado:
        base = ", ".join(map(_number, result.tornado[0].base_payoffs))
        lines += ["", "Tornado: each parameter from its 5th to its 95th percentile, the others at their medians",
                  "  (payoffs " + ", ".join(result.game.players) + f"; all at their medians: {base})"]
        rows = []
        for bar in result.tornado:
            change = bar.low_label if bar.low_label == bar.high_label else f"{bar.low_label} at the 5th, {bar.high_label} at the 95th"
            rows.append([f"  {bar.parameter}", f"{_number(bar.low_value)} .. {_number(bar.high_value)}",
                         f"({', '.join(map(_number, bar.low_payoffs))}) .. ({', '.join(map(_number, bar.high_payoffs))})", change])
        lines += columns(rows)
    lines += _sobol_lines(result)
    if result.notes:
        lines += ["", "Notes"] + [f"  {n}" for n in result.notes]
    return "\n".join(lines) + "\n"


def _share(result: RobustnessResult, label: str) -> float:
    return next((o.probability for o in result.outcomes if o.label == label), 0.0)


def _number(value: float) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else format_number(float(value), 4)


def _sobol_lines(result: RobustnessResult) -> list[str]:
    if not result.sensitivities:
        return []
    from_design = result.sobol_base * (len(result.beliefs.sampled) + 2)
    lines = ["", f"Sobol indices (first-order S1 and total ST, ± 95% bootstrap half-width; {from_design:,} runs; "
                 "Saltelli/Jansen estimators via SALib)"]
    names = result.beliefs.sampled
    for s in result.sensitivities:
        what = f"P({s.name})" if s.what == "outcome" else f"{s.name}'s payoff"
        if s.indices.constant:
            lines.append(f"  {what}: constant over the design")
            continue
        order = sorted(range(len(names)), key=lambda j: -s.indices.total[j])
        shown = [j for j in order if s.indices.total[j] >= 0.01][:6] or order[:1]
        parts = [f"{names[j]} S1 {s.indices.first[j]:.2f}±{s.indices.first_error[j]:.2f}, ST {s.indices.total[j]:.2f}"
                 f"±{s.indices.total_error[j]:.2f}" for j in shown]
        lines.append(f"  {what}: " + "; ".join(parts))
    return lines


def robustness_json(result: RobustnessResult) -> dict:
    """Everything in the text report, as data."""
    beliefs = result.beliefs
    return {
        "game": result.game_path, "title": result.game.info.title, "samples": result.samples, "seed": result.seed,
        "method": result.method, "run_on": result.where, "elapsed_seconds": round(result.elapsed, 3),
        "distributions": {name: d.text for name, d in beliefs.distributions.items()},
        "rank_correlations": [{"parameters": [a, b], "rho": rho} for (a, b), rho in beliefs.correlations.items()],
        "interval": "95% Wilson score interval",
        "outcomes": [{"label": o.label, "count": o.count, "probability": o.probability, "low": o.low, "high": o.high}
                     for o in result.outcomes],
        "timed_out": result.timed_out, "solved_exactly": result.exact_points,
        "payoffs": [{"player": s.player, "samples": s.defined, "mean": _json(s.mean),
                     "quantiles": {f"{q:g}": v for q, v in s.quantiles},
                     "histogram": {"edges": list(s.edges), "counts": list(s.counts)}} for s in result.payoffs],
        "payoffs_not_unique": result.undefined_payoffs,
        "thresholds": [{"outcome": e.label, "parameter": e.parameter, "condition": condition_text(e), "coverage": e.coverage,
                        "holds": e.holds, "precision": e.precision, "found_at": e.at} for e in result.explanations],
        "tornado": [{"parameter": b.parameter, "low": b.low_value, "high": b.high_value,
                     "low_payoffs": [_json(v) for v in b.low_payoffs], "high_payoffs": [_json(v) for v in b.high_payoffs],
                     "low_outcome": b.low_label, "high_outcome": b.high_label,
                     "median_payoffs": [_json(v) for v in b.base_payoffs]} for b in result.tornado],
        "sobol": {"method": "Saltelli design, Saltelli 2010 first-order and Jansen 1999 total estimators (SALib), "
                            "95% bootstrap intervals", "base_samples": result.sobol_base, "parameters": list(beliefs.sampled),
                  "outputs": [{"output": s.what, "name": s.name, "constant": s.indices.constant,
                               "S1": list(s.indices.first), "S1_conf": list(s.indices.first_error),
                               "ST": list(s.indices.total), "ST_conf": list(s.indices.total_error)} for s in result.sensitivities]},
        "notes": list(result.notes),
    }


def _json(value: float):
    return None if value is None or math.isnan(value) else value


def robustness_csv(result: RobustnessResult, handle) -> None:
    """Every sample: its index, each uncertain parameter, the outcome and each player's payoff."""
    names = list(result.beliefs.distributions)
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["sample", *names, "outcome", *(f"payoff_{p}" for p in result.game.players)])
    keys = _keys(result)
    for start, cols, codes, payoffs in sample_chunks(result):
        n = len(codes)
        values = [np.broadcast_to(np.asarray(cols[name], dtype=float), (n,)) for name in names]
        buffer = io.StringIO()
        inner = csv.writer(buffer, lineterminator="\n")
        for r in range(n):
            inner.writerow([start + r, *(repr(float(v[r])) for v in values), keys[codes[r]],
                            *("" if math.isnan(x) else repr(float(x)) for x in payoffs[r])])
        handle.write(buffer.getvalue())


def _keys(result: RobustnessResult) -> list[str]:
    """Outcome labels indexed by the codes the result keeps (order of first appearance)."""
    return [outcome_label(key, result.game) for key in result.keys]
