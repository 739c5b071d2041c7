"""Threshold reports for people and programs: each threshold with the comparison that flips there,
the outcome on every interval, and the 2×2 mixed equilibrium in closed form; as text or JSON.
Reads a ``solver.analysis.thresholds.ThresholdReport``; formulas are written in the shortest of a
few equivalent sympy forms.

>>> from solver import load_game
>>> from solver.analysis.thresholds import find_thresholds
>>> report = find_thresholds(load_game("games/tech_transfer.yaml"), "ammo_gain")
>>> cause_sentence(report, report.points[0].causes[0])
'Russia: Transfer rather than Withhold iff ammo_gain > 6 (= china_squeeze)'
"""
from __future__ import annotations

import sympy

from solver.analysis.labels import START, decision_point, move_names
from solver.analysis.roots import OO, as_float, same_value
from solver.analysis.thresholds import Condition, Interval, Switch, ThresholdReport, condition, direction, formula, touches
from solver.core.numbers import format_number
from solver.present.table import columns


# ---- formulas ----------------------------------------------------------------------------------------
def exact_text(value) -> str:
    """An exact value for people: 6, 13/2, sqrt(2), or a decimal approximation of a CRootOf."""
    if value.is_Rational:
        return str(value)
    if isinstance(value, sympy.CRootOf) or len(str(value)) > 40:
        return f"≈{float(sympy.N(value, 15)):.10g}"
    return str(value)


def _sign_note(expr, sign) -> str:
    """``"g > 0"`` for (-g, negative): the assumption on a sign, written without a leading minus."""
    if expr.could_extract_minus_sign():
        expr, sign = -expr, -sign
    return f"{_positive_first(sympy.expand(expr)) if isinstance(expr, sympy.Add) else shortest(expr)} {'>' if sign > 0 else '<'} 0"


def shortest(expr) -> str:
    """The shortest of a few equivalent forms, with as few minus signs as possible."""
    options = [expr]
    for transform in (sympy.factor, sympy.simplify, sympy.expand, sympy.cancel):
        try:
            options.append(transform(expr))
        except Exception:
            pass
    texts = [str(o) for o in options] + [_positive_first(o) for o in options if isinstance(o, sympy.Add)]
    try:
        numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(expr)))
        if denominator != 1:
            for sign in (1, -1):
                n, d = sympy.expand(sign * numerator), sympy.expand(sign * denominator)
                texts.append(f"{_wrap(n)}/{_wrap(d)}")
    except Exception:
        pass
    return min(texts, key=lambda t: (t.count("-"), t.startswith("-"), len(t)))


def _wrap(expr) -> str:
    text = _positive_first(expr)
    return f"({text})" if isinstance(expr, (sympy.Add, sympy.Mul)) and len(expr.args) > 1 else text


def _positive_first(expr) -> str:
    """``a + b - c`` rather than ``-c + a + b``."""
    if not isinstance(expr, sympy.Add):
        return str(expr)
    terms = expr.as_ordered_terms()
    positive = [t for t in terms if not t.could_extract_minus_sign()]
    negative = [t for t in terms if t.could_extract_minus_sign()]
    text = " + ".join(str(t) for t in positive) if positive else ""
    for t in negative:
        text = f"{text} - {-t}" if text else f"-{-t}"
    return text


def _number(value) -> str:
    return format_number(value, 6)


def formula_text(report: ThresholdReport, reason, value) -> str:
    """The threshold as a formula in the other parameters, or "" where there is none."""
    solved = formula(report, reason, value)
    return shortest(solved) if solved is not None else ""


def condition_text(report: ThresholdReport, found: Condition) -> str:
    if found.positive is not None:
        text = f"{shortest(found.positive)} > 0"
    elif found.at_value:
        text = f"{report.parameter} {found.op} {exact_text(found.bound)}"
    else:
        text = f"{report.parameter} {found.op} {shortest(found.bound)}"
    if found.assumptions:
        notes = " and ".join(_sign_note(expr, sign) for expr, sign in found.assumptions)
        text += f" (given {notes}, as at the current values)"
    return text


def cause_sentence(report: ThresholdReport, reason, value=None, symbolic: bool = False) -> str:
    """``Russia: Transfer rather than Withhold iff ammo_gain > 6 (= china_squeeze)``; with
    ``symbolic`` the condition over every parameter instead."""
    value = sympy.sympify(value if value is not None else report.points[0].value)
    op = direction(report, reason, value)
    where = f" {reason.where}" if reason.where else ""
    if reason.kind == "mixed":
        head = f"{reason.player}{where}: {reason.first}"
    elif reason.kind == "chance":
        head = f"chance{where}: {reason.first} has positive probability"
    else:
        head = f"{reason.player}{where}: {reason.first} rather than {reason.second}"
    if touches(report, reason, value):
        return f"{head} on both sides of {report.parameter} = {_value_text(report, reason, value)}; indifferent only there"
    if symbolic:
        return f"{head} iff {condition_text(report, condition(report, reason, value, op))}"
    return f"{head} iff {report.parameter} {op} {_value_text(report, reason, value)}"


def _value_text(report: ThresholdReport, reason, value) -> str:
    """``6 (= china_squeeze)``: a threshold and, where there is one, its formula."""
    solved = formula_text(report, reason, value)
    return exact_text(value) + (f" (= {solved})" if solved and solved != exact_text(value) else "")


def switch_text(report: ThresholdReport, switch: Switch) -> str:
    """``so China after Transfer switches from Restrain to Enable``"""
    where = decision_point(switch.decision, switch.player, move_names(report.game))
    where = "" if where == START else f" {where}"
    return f"so {switch.player}{where} switches from {'/'.join(switch.before)} to {'/'.join(switch.after)}"


def closed_form_text(closed) -> str:
    return f"{closed.player} plays {closed.strategy} with probability {closed.name} = {shortest(closed.probability)}"


# ---- text ------------------------------------------------------------------------------------------
def thresholds_text(report: ThresholdReport, symbolic: bool = False) -> str:
    """The report: the range, each threshold with its causes, the outcome on each interval."""
    lo, hi = report.domain
    lines = [f"Thresholds in {report.parameter} for: {report.game.info.title or '(untitled game)'}"]
    if report.game_path:
        lines.append(report.game_path)
    others = {k: v for k, v in report.values.items() if k != report.parameter}
    scope = (f"{report.parameter} in [{exact_text(lo)}, {exact_text(hi)}]" if lo != -OO and hi != OO
             else f"{report.parameter} over the real line")
    if others and not symbolic:
        scope += "; other parameters at " + ", ".join(f"{k} = {_number(v)}" for k, v in others.items())
    elif others:
        scope += "; conditions over every parameter (each valid near the current values)"
    lines += [scope, ""]
    if not [p for p in report.points if not p.edge]:
        lines.append("No threshold inside the range: the outcome is the same throughout"
                     + (" (except at an end, below)." if report.points else "."))
    for point in report.points:
        head = f"{report.parameter} = {exact_text(point.value)}"
        if point.approximate:
            head += " (located by exact bisection between sweep points, to within 1e-15; not derived symbolically)"
        elif point.edge:
            head += " (edge of the range; the outcome differs at this single point)"
        elif point.causes:
            solved = formula_text(report, point.causes[0], point.value)
            if solved and solved != exact_text(point.value):
                head += f"  (= {solved})"
        lines.append(head)
        lines.extend("  " + cause_sentence(report, cause, point.value, symbolic) for cause in point.causes)
        lines.extend("  " + switch_text(report, switch) for switch in point.consequences)
    lines += ["", "Outcome on each interval"]
    lines.extend(columns(_interval_rows(report), indent="  "))
    if report.closed_forms:
        lines += ["", "Mixed equilibrium in closed form (where it exists)"]
        lines.extend(f"  {closed_form_text(c)}" for c in report.closed_forms)
    if report.notes:
        lines += ["", "Notes"]
        lines.extend(f"  - {n.text()}" for n in report.notes)
    return "\n".join(lines) + "\n"


def _several(outcome) -> bool:
    return outcome.key[0] in ("path", "profile") and len(outcome.key[1]) > 1


def _interval_rows(report: ThresholdReport) -> list[tuple[str, str]]:
    """Intervals and threshold points in order: ``0 ≤ ammo_gain < 6`` and the outcome there."""
    name = report.parameter
    sequence = sorted([(as_float(i.lo), 1, i) for i in report.intervals] + [(as_float(p.value), 0, p) for p in report.points],
                      key=lambda item: item[:2])
    rows = []
    for _, is_interval, item in sequence:
        if is_interval:
            rows.append((_interval_range(report, item), _interval_outcome(report, item)))
        else:
            tie = item.outcome is not None and _several(item.outcome)
            rows.append((f"{name} = {exact_text(item.value)}", item.label + ("   (several equilibria: a tie)" if tie else "")))
    return rows


def _interval_range(report: ThresholdReport, interval: Interval) -> str:
    lo, hi = interval.lo, interval.hi
    left_op = "≤" if lo != -OO and not any(same_value(p.value, lo) for p in report.points) else "<"
    right_op = "≤" if hi != OO and not any(same_value(p.value, hi) for p in report.points) else "<"
    text = f"{exact_text(lo)} {left_op} " if lo != -OO else ""
    text += report.parameter
    return text + (f" {right_op} {exact_text(hi)}" if hi != OO else "")


def _interval_outcome(report: ThresholdReport, interval: Interval) -> str:
    if not interval.payoffs:
        return interval.label
    return interval.label + "   payoffs: " + ", ".join(f"{p} {shortest(v)}" for p, v in zip(report.game.players, interval.payoffs))


# ---- JSON ------------------------------------------------------------------------------------------
def _end(v):        # JSON has no infinity: null for an unbounded end
    return None if v.is_infinite else as_float(v)


def thresholds_json(report: ThresholdReport, symbolic: bool = False) -> dict:
    """Thresholds (exact and as floats, with their formulas, conditions and consequences) and the
    outcome on each interval."""
    players = report.game.players
    return {
        "title": report.game.info.title,
        "game": report.game_path,
        "parameter": report.parameter,
        "domain": [_end(report.domain[0]), _end(report.domain[1])],
        "parameters": {k: _number(v) for k, v in report.values.items() if k != report.parameter},
        "thresholds": [{"exact": exact_text(p.value), "float": as_float(p.value), "approximate": p.approximate, "edge": p.edge,
                        "formula": formula_text(report, p.causes[0], p.value) if p.causes else "",
                        "outcome": p.label,
                        "conditions": [cause_sentence(report, c, p.value, symbolic) for c in p.causes],
                        "consequences": [switch_text(report, s) for s in p.consequences]} for p in report.points],
        "intervals": [{"low": _end(i.lo), "high": _end(i.hi), "low_exact": exact_text(i.lo), "high_exact": exact_text(i.hi),
                       "outcome": i.label,
                       **({"payoffs": {p: shortest(v) for p, v in zip(players, i.payoffs)}} if i.payoffs else {})}
                      for i in report.intervals],
        "closed_forms": [closed_form_text(c) for c in report.closed_forms],
        "notes": [n.text() for n in report.notes],
    }
