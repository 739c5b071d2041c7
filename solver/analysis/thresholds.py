"""Exact thresholds: the values of one parameter at which the equilibrium outcome changes.

Every comparison that decides an equilibrium is a sign of a payoff difference, so the outcome can
only change where such a difference (a function of the parameter) is zero. The candidates
(``solver.analysis.candidates``) are those zeros, found exactly with sympy
(``solver.analysis.roots``): for trees with perfect information by backward induction run
symbolically on intervals, for normal forms from best-response differences and, for 2-player games,
the supports of mixed equilibria (support enumeration as in von Stengel 2007, "Equilibrium
computation for two-player games in strategic and extensive form", Algorithmic Game Theory ch. 3).

Between consecutive candidates the outcome is constant: it is computed once per interval, exactly,
with the project's ``solve`` at a rational interior point (and at each rational candidate itself),
and equal neighbours are merged. A vectorised sweep of the same range cross-checks the result; a
change the candidates missed (e.g. in games with imperfect information, which have no candidates
here) is located by exact bisection and reported as approximate. ``solver.present.thresholds_text``
writes the report for people.

>>> from solver import load_game
>>> report = find_thresholds(load_game("games/tech_transfer.yaml"), "ammo_gain")
>>> [str(p.value) for p in report.points]
['6']
>>> cause = report.points[0].causes[0]
>>> cause.player, cause.first, cause.second, direction(report, cause, report.points[0].value)
('Russia', 'Transfer', 'Withhold', '>')
>>> formula(report, cause, report.points[0].value)
china_squeeze
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import sympy

from solver.analysis.batched import ExactEvaluator, PointOutcome, PointSolver, ProgressReport
from solver.analysis.candidates import Candidate, CandidateSet, ClosedForm, Reason, normal_candidates, tree_candidates
from solver.analysis.labels import describe_key
from solver.analysis.regions import absorbed_by, zero_probability_labels
from solver.analysis.roots import OO, as_float, rational_between, same_value, unique_sorted
from solver.analysis.sweep import Axis, sweep, sweep_plan
from solver.api import SolveError, parameter_values
from solver.core.numbers import tie_tolerance
from solver.equilibria import registry
from solver.equilibria.result import INFO, ONLY_PURE, Note
from solver.model.expr import number, symbol, to_exact
from solver.model.tree import ExtensiveGame

CHECK_POINTS = 1001
POINTWISE_CHECK_POINTS = 65
BISECTION_STEPS = 60
#: Symbolic backward induction is skipped for trees larger than this (the cross-check remains).
MAX_SYMBOLIC_NODES = 5000
IRRATIONAL = "(irrational: not evaluated)"


# ---- the report -------------------------------------------------------------------------------------
@dataclass
class Interval:
    lo: sympy.Expr
    hi: sympy.Expr
    outcome: PointOutcome | None
    label: str
    payoffs: tuple | None = None      # trees: payoffs as formulas in the parameter


@dataclass(frozen=True)
class Switch:
    """A choice that changes at a threshold because of its causes: ``player`` at decision point
    ``decision`` (an information-set label) moves from ``before`` to ``after``."""
    player: str
    decision: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass
class ThresholdPoint:
    value: sympy.Expr
    outcome: PointOutcome | None      # at the point itself (None if irrational)
    label: str
    causes: list[Reason]
    consequences: list[Switch]
    approximate: bool = False
    edge: bool = False


@dataclass
class ThresholdReport:
    game: object
    game_path: str
    parameter: str
    symbol: sympy.Symbol
    domain: tuple
    values: dict                      # every parameter's exact value
    candidates: list[Candidate]
    intervals: list[Interval]
    points: list[ThresholdPoint]      # where the outcome changes (and isolated points)
    closed_forms: list[ClosedForm]
    notes: list[Note]
    by: str = "path"

    @property
    def substitution(self) -> dict:
        return {symbol(k): _sympy_number(v) for k, v in self.values.items() if k != self.parameter}


# ---- what a cause says -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Condition:
    """When a cause's ``first`` alternative holds, over every parameter, near the current values:
    ``parameter op bound`` where the difference is linear in the parameter (``at_value``: the bound
    is the threshold itself, no other parameter is involved), else ``positive > 0``. Each
    assumption ``(expression, sign)`` is a sign, as at the current values, the condition relies on."""
    op: str
    bound: sympy.Expr | None = None
    positive: sympy.Expr | None = None
    assumptions: tuple = ()
    at_value: bool = False


def direction(report: ThresholdReport, reason: Reason, value) -> str:
    """``">"`` if the reason's ``first`` alternative holds just above ``value``, else ``"<"``."""
    return ">" if _sign_near(report, reason, value, above=True) > 0 else "<"


def touches(report: ThresholdReport, reason: Reason, value) -> bool:
    """Whether the reason's difference is zero at ``value`` without changing sign there (the same
    alternative is preferred on both sides; the players are indifferent only at the point)."""
    above = _sign_near(report, reason, value, above=True)
    return above != 0 and above == _sign_near(report, reason, value, above=False)


def _sign_near(report: ThresholdReport, reason: Reason, value, above: bool):
    """The sign of the reason's difference between ``value`` and the next candidate (or end) on one side."""
    x = as_float(value)
    if above:
        others = [p.value for p in report.candidates if as_float(p.value) > x]
        end = others[0] if others else report.domain[1]
        t = rational_between(value, end) if end != value else value + 1
    else:
        others = [p.value for p in report.candidates if as_float(p.value) < x]
        end = others[-1] if others else report.domain[0]
        t = rational_between(end, value) if end != value else value - 1
    return sympy.sign(reason.difference.subs(report.symbol, t))


def formula(report: ThresholdReport, reason: Reason, value) -> sympy.Expr | None:
    """The threshold as a formula in the other parameters (where sympy can solve for it)."""
    try:
        full = reason.symbolic()
    except Exception:       # a symbolic form is a bonus; never fail the report for it
        return None
    x = report.symbol
    if x not in full.free_symbols or len(full.free_symbols) == 1:
        return None
    try:
        solutions = sympy.solve(full, x, dict=False)
    except (NotImplementedError, ValueError, TypeError):
        return None
    values = report.substitution
    for s in solutions if isinstance(solutions, list) else []:
        try:
            if same_value(sympy.nsimplify(s.subs(values)), value):
                return s
        except (TypeError, ValueError):
            continue
    return None


def condition(report: ThresholdReport, reason: Reason, value, op: str) -> Condition:
    """When the reason's ``first`` alternative holds, over every parameter (``op``: its direction)."""
    x = report.symbol
    try:
        full = sympy.expand(reason.symbolic())
    except Exception:       # as in ``formula``: fall back to the threshold's value
        full = None
    if full is None or x not in full.free_symbols:
        return Condition(op, bound=value, at_value=True)
    assumptions = []
    numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(full)))
    if denominator.free_symbols:
        sign = sympy.sign(denominator.subs(report.substitution).subs(x, value))
        if sign != 0:
            assumptions.append((sympy.expand(denominator), sign))
            full = sympy.expand(numerator * sign)
    else:
        full = sympy.expand(numerator * sympy.sign(denominator))
    if not (full.is_polynomial(x) and sympy.degree(full, x) == 1):
        return Condition(op, positive=sympy.factor(full), assumptions=tuple(assumptions))
    slope = full.coeff(x, 1)
    sign = sympy.sign(slope.subs(report.substitution))
    if slope.free_symbols:
        assumptions.append((slope, sign))
    return Condition(">" if sign > 0 else "<", bound=sympy.simplify(-(full - slope * x) / slope),
                     assumptions=tuple(assumptions))


# ---- the driver -------------------------------------------------------------------------------------
def parse_range(text: str | None):
    if not text:
        return None
    parts = text.split(":")
    if len(parts) != 2:
        raise SolveError("expected LO:HI, e.g. --range 0:10", "--range")
    try:
        lo, hi = (to_exact(number(p.strip())) for p in parts)
    except Exception:
        raise SolveError("LO and HI must be numbers such as 0, 2.5 or 1/3", "--range") from None
    if not lo < hi:
        raise SolveError("LO must be less than HI", "--range")
    return lo, hi


def _sympy_number(v):
    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    return sympy.nsimplify(v)


def _rational(t) -> Fraction:
    return Fraction(int(t.p), int(t.q))


@dataclass
class _Analysis:
    """What assembling a report needs: the game, the parameter and its range, exact solvers."""
    game: object
    game_path: str
    parameter: str
    x: sympy.Symbol
    domain: tuple
    values: dict
    by: str
    solver: PointSolver
    profiler: PointSolver | None          # trees: whole strategy profiles, to explain a change
    root_pieces: object = None            # trees: the root's value on each piece of the range
    closed_forms: tuple = ()
    notes: tuple = ()
    progress: ProgressReport | None = None

    def outcome_at(self, t) -> PointOutcome:
        return self.solver({self.parameter: _rational(t)})

    def same_outcome(self, outcome: PointOutcome, interval: "Interval", t) -> bool:
        """Whether the outcome at ``t`` is the interval's: the same key, or (trees) the same paths
        but for leaves behind a chance move of probability 0 at ``t``, with the interval's payoffs."""
        if outcome.key == interval.outcome.key:
            return True
        if not isinstance(self.game, ExtensiveGame) or not absorbed_by(outcome.key, interval.outcome.key):
            return False
        numeric = ExactEvaluator(self.game)({**self.values, self.parameter: _rational(t)})
        if not absorbed_by(outcome.key, interval.outcome.key, zero_probability_labels(numeric)):
            return False
        if interval.payoffs is None or outcome.payoffs is None:
            return True
        limit = [float(v.subs(self.x, t)) for v in interval.payoffs]
        return all(abs(a - b) <= tie_tolerance(limit + list(outcome.payoffs)) for a, b in zip(limit, outcome.payoffs))


def find_thresholds(game, parameter: str, settings: Mapping[str, object] | None = None, *, by: str = "path",
                    domain: tuple | None = None, check: bool = True, game_path: str = "",
                    processes: int | None = 1, progress: ProgressReport | None = None) -> ThresholdReport:
    """The exact values of ``parameter`` where the equilibrium outcome changes, the other
    parameters at their values (``settings`` override them). ``progress(what, done, total)`` is
    told how far the exact solves, the cross-check sweep and the bisections have got."""
    values = parameter_values(game, settings)
    if parameter not in values:
        known = ", ".join(sorted(values)) or "this game has no parameters"
        raise SolveError(f"unknown parameter '{parameter}' (parameters: {known})", f"--param {parameter}")
    if settings and parameter in settings:
        raise SolveError(f"'{parameter}' is both analysed and set with --set", f"--param {parameter}")
    x = symbol(parameter)
    declared = next(p for p in game.info.parameters if p.name == parameter)
    if domain is not None:
        lo, hi = _sympy_number(domain[0]), _sympy_number(domain[1])
    elif declared.range:
        lo, hi = sympy.sympify(declared.range[0]), sympy.sympify(declared.range[1])
    else:
        lo, hi = -OO, OO
    substitution = {symbol(k): _sympy_number(v) for k, v in values.items() if k != parameter}
    found = CandidateSet()
    notes, closed, root_pieces, structural = [], [], None, True
    sequential = isinstance(game, ExtensiveGame)
    if sequential and game.is_perfect_information and game.num_nodes <= MAX_SYMBOLIC_NODES:
        root_pieces = tree_candidates(game, x, substitution, (lo, hi), found)
    elif sequential:
        structural = False
        notes.append(Note(INFO, "imperfect information: no symbolic candidates; thresholds are located by a sweep and "
                                "exact bisection"))
    else:
        closed = normal_candidates(game, x, substitution, (lo, hi), found)
    method = registry.choose(game, purpose="batch").name
    if method == "pure" and game.num_players >= 3:
        notes.append(Note(ONLY_PURE, "3 or more players: pure equilibria only"))
    analysis = _Analysis(game, game_path, parameter, x, (lo, hi), dict(values), by,
                         PointSolver(game, values, by=by, method=method),
                         PointSolver(game, values, by="profile", method=method) if sequential else None,
                         root_pieces, tuple(closed), tuple(notes), progress)
    report = _assemble(analysis, found.sorted())
    if check:
        extra = unique_sorted(_cross_check(report, analysis, structural, processes))
        if extra:
            for value in extra:
                found.add(value, None, approximate=True)
            report = _assemble(analysis, found.sorted())
            report.notes.append(Note(INFO, "{count} change(s) found by the cross-check sweep and located by exact bisection",
                                     {"count": len(extra)}))
    return report


def _assemble(analysis: _Analysis, candidates: list[Candidate]) -> ThresholdReport:
    """The outcome on each interval between candidates and at each candidate. Equal neighbours are
    merged unless the outcome differs at the candidate between them (a tie point, its own row):
    the intervals and the threshold points partition the range."""
    game = analysis.game
    lo, hi = analysis.domain
    inside = [c for c in candidates if lo < c.value < hi]
    bounds = [lo] + [c.value for c in inside] + [hi]
    intervals = []
    for a, b in zip(bounds, bounds[1:]):
        intervals.append(_interval(analysis, a, b))
        if analysis.progress:
            analysis.progress("solving each interval exactly", len(intervals), len(bounds) - 1)
    merged = [intervals[0]]
    points: list[ThresholdPoint] = []
    for c, right in zip(inside, intervals[1:]):
        outcome = analysis.outcome_at(c.value) if c.value.is_Rational else None
        left = merged[-1]
        same_sides = left.outcome.key == right.outcome.key
        differs = outcome is not None and not analysis.same_outcome(outcome, left, c.value)
        if not same_sides or differs:
            label = describe_key(outcome.key, game) if outcome is not None else IRRATIONAL
            causes, consequences = _explain(analysis, c, left, right)
            points.append(ThresholdPoint(c.value, outcome, label, causes, consequences, c.approximate))
        if same_sides and not differs:
            merged[-1] = Interval(left.lo, right.hi, left.outcome, left.label,
                                  left.payoffs if left.payoffs == right.payoffs else None)
        else:
            merged.append(right)
    # the ends of the range
    for end, interval in ((lo, merged[0]), (hi, merged[-1])):
        if end.is_infinite or not end.is_Rational:
            continue
        outcome = analysis.outcome_at(end)
        if not analysis.same_outcome(outcome, interval, end):
            points.append(ThresholdPoint(end, outcome, describe_key(outcome.key, game), [], [], False, edge=True))
    points.sort(key=lambda p: as_float(p.value))
    return ThresholdReport(game, analysis.game_path, analysis.parameter, analysis.x, analysis.domain, dict(analysis.values),
                           candidates, merged, points, list(analysis.closed_forms), list(analysis.notes), analysis.by)


def _interval(analysis: _Analysis, a, b) -> Interval:
    """The outcome between two consecutive candidates (solved at a rational inside), and for trees
    the payoffs as formulas where one choice of moves holds throughout."""
    outcome = analysis.outcome_at(rational_between(a, b))
    payoffs = None
    if analysis.root_pieces is not None:
        alternatives = analysis.root_pieces.at(a, b)
        if len(alternatives) == 1:
            payoffs = tuple(sympy.nsimplify(v) for v in alternatives[0].values)
    return Interval(a, b, outcome, describe_key(outcome.key, analysis.game), payoffs)


def _explain(analysis: _Analysis, candidate: Candidate, left: Interval, right: Interval):
    """The comparisons that flip at a threshold (causes) and the choices that change with them."""
    reasons = list(candidate.reasons)
    if analysis.profiler is None or not reasons:
        return reasons, []
    t_left = rational_between(left.lo, candidate.value) if left.lo != candidate.value else candidate.value
    t_right = rational_between(candidate.value, right.hi)
    a = analysis.profiler({analysis.parameter: _rational(t_left)}).key
    b = analysis.profiler({analysis.parameter: _rational(t_right)}).key
    if a[0] != "profile" or b[0] != "profile" or len(a[1]) != 1 or len(b[1]) != 1:
        return reasons, []
    before, after = dict(a[1][0]), dict(b[1][0])
    changed = [label for label in before if before[label] != after.get(label)]
    causes = [r for r in reasons if r.infoset in changed] or [r for r in reasons if r.kind == "chance"] or reasons
    caused = {r.infoset for r in causes}
    owner = {info.label: analysis.game.players[info.player] for info in analysis.game.infosets}
    consequences = [Switch(owner[label], label, before[label], after[label]) for label in changed if label not in caused]
    return causes, consequences


def _simplest_in(lo, hi):
    """The simplest rational in [lo, hi] (a bisection bracket), e.g. 7/2 rather than a 60-bit fraction."""
    middle = _rational((lo + hi) / 2)
    for denominator in (1, 2, 4, 5, 8, 10, 16, 20, 25, 50, 100, 1000, 10**4, 10**6, 10**9):
        c = middle.limit_denominator(denominator)
        if lo <= sympy.Rational(c.numerator, c.denominator) <= hi:
            return sympy.Rational(c.numerator, c.denominator)
    return sympy.Rational(middle.numerator, middle.denominator)


def _check_range(report: ThresholdReport) -> tuple:
    """The range the cross-check sweeps: the domain, or around the candidates where it is unbounded."""
    lo, hi = report.domain
    finite = [p.value for p in report.candidates if p.value.is_finite]
    a = lo if lo != -OO else (min(map(as_float, finite), default=0) - 10)
    b = hi if hi != OO else (max(map(as_float, finite), default=0) + 10)
    return tuple(_sympy_number(v if not isinstance(v, float) else Fraction(v).limit_denominator(10**6)) for v in (a, b))


def _cross_check(report: ThresholdReport, analysis: _Analysis, structural: bool, processes) -> list:
    """Sweep the range; where two neighbouring grid points differ with no threshold between them,
    bisect exactly. Returns the located values (empty when the sweep agrees)."""
    a, b = _check_range(report)
    count = POINTWISE_CHECK_POINTS if sweep_plan(analysis.game)[0] == "pointwise" else CHECK_POINTS
    axis = Axis(report.parameter, _rational(a), _rational(b), count)
    settings = {k: v for k, v in analysis.values.items() if k != report.parameter}
    result = sweep(analysis.game, [axis], settings, by=analysis.by, processes=processes, progress=analysis.progress)
    keys = [result.outcomes[int(c)].key for c in result.region_map]
    thresholds = [p.value for p in report.points] + [c.value for c in report.candidates]
    unexplained = []
    for k in (k for k in range(len(keys) - 1) if keys[k] != keys[k + 1]):
        s0, s1 = _sympy_number(axis.exact(k)), _sympy_number(axis.exact(k + 1))
        if not any(s0 <= t <= s1 for t in thresholds if t.is_finite):
            unexplained.append((keys[k], s0, s1))
    located = []
    for key, s0, s1 in unexplained:           # a change no candidate explains: bisect exactly
        for step in range(BISECTION_STEPS):
            mid = (s0 + s1) / 2
            if analysis.outcome_at(mid).key == key:
                s0 = mid
            else:
                s1 = mid
            if analysis.progress:
                analysis.progress("locating changes by bisection", len(located) * BISECTION_STEPS + step + 1,
                                  len(unexplained) * BISECTION_STEPS)
        located.append(_simplest_in(s0, s1))
    if not located and structural:
        lo, hi = report.domain
        if lo != -OO and hi != OO:
            report.notes.append(Note(INFO, "a sweep of {count} points over the range agrees with these thresholds",
                                     {"count": count}))
        else:
            report.notes.append(Note(INFO, "a sweep of {count} points over [{low}, {high}] agrees with these thresholds",
                                     {"count": count, "low": a, "high": b}))
    return located
