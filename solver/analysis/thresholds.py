"""Exact thresholds: the values of one parameter at which the equilibrium outcome changes.

Every comparison that decides an equilibrium is a sign of a payoff difference, so the outcome can
only change where such a difference (a function of the parameter) is zero:

- trees with perfect information: at each node the differences between the mover's values of its
  children. Those values are piecewise functions of the parameter (backward induction below
  chooses differently on different intervals), so the induction is run symbolically on intervals:
  each node's value is a list of pieces, split where a child's piece changes or where the mover's
  preference changes (a real root of a difference);
- normal forms: best-response differences; for 2-player games also the supports of mixed
  equilibria: on each pair of supports the indifference equations give the mixed equilibrium as a
  rational function of the parameter, and the candidates are where a probability reaches 0, an
  outside strategy becomes as good, or the system is singular (support enumeration as in
  von Stengel 2007, "Equilibrium computation for two-player games in strategic and extensive
  form", Algorithmic Game Theory ch. 3, done in sympy). For 2×2 games this is the closed form
  p* = …, q* = ….

Roots are found with sympy (exact rationals, radicals or ``CRootOf``). Between consecutive
candidates the outcome is constant: it is computed once per interval, exactly, with the project's
``solve`` at a rational interior point (and at each rational candidate itself), and equal
neighbours are merged. A vectorised sweep of the same range cross-checks the result; a change the
candidates missed (e.g. in games with imperfect information, which have no candidates here) is
located by exact bisection and reported as approximate.

>>> from solver import load_game
>>> report = find_thresholds(load_game("games/tech_transfer.yaml"), "ammo_gain")
>>> [str(p.value) for p in report.points]
['6']
>>> report.points[0].causes[0].sentence(report)
'Russia: Transfer rather than Withhold iff ammo_gain > 6 (= china_squeeze)'
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping

import sympy

from solver.analysis.batched import PointOutcome, PointSolver
from solver.api import SolveError, parameter_values
from solver.model.expr import number, symbol, to_exact
from solver.model.normal import NormalFormGame
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame

OO = sympy.oo
COMBINATION_LIMIT = 256
CHECK_POINTS = 1001
POINTWISE_CHECK_POINTS = 65
BISECTION_STEPS = 60


# ---- numbers -----------------------------------------------------------------------------------
def _n(value) -> float:
    if value == OO:
        return math.inf
    if value == -OO:
        return -math.inf
    return float(sympy.N(value, 40))


def _same(a, b) -> bool:
    if a.is_Rational and b.is_Rational:
        return a == b
    if a.is_infinite or b.is_infinite:
        return a == b
    return abs(sympy.N(a - b, 60)) < sympy.Float(10) ** -45


def _unique_sorted(values) -> list:
    out: list = []
    for v in sorted(values, key=_n):
        if not out or not _same(out[-1], v):
            out.append(v)
    return out


def _sample(lo, hi) -> sympy.Rational:
    """A simple rational strictly between lo and hi (either may be infinite)."""
    lo, hi = sympy.sympify(lo), sympy.sympify(hi)
    if lo == -OO and hi == OO:
        return sympy.Integer(0)
    if lo == -OO:
        return sympy.floor(hi) - 1
    if hi == OO:
        return sympy.ceiling(lo) + 1
    if lo.is_Rational and hi.is_Rational:
        mid = (lo + hi) / 2
        # prefer a short decimal when one fits comfortably
        for digits in range(0, 8):
            candidate = sympy.Rational(round(float(mid) * 10 ** digits), 10 ** digits)
            if lo + (hi - lo) / 4 < candidate < hi - (hi - lo) / 4:
                return candidate
        return mid
    a, b = sympy.N(lo, 60), sympy.N(hi, 60)
    for digits in range(1, 60):
        candidate = sympy.Rational(str(sympy.N((a + b) / 2, digits)))
        if lo < candidate < hi:
            return candidate
    return sympy.nsimplify((a + b) / 2, rational=True)


def _text(value) -> str:
    """An exact value for people: 6, 13/2, sqrt(2), or a decimal approximation of a CRootOf."""
    if value.is_Rational:
        return str(value)
    if isinstance(value, sympy.CRootOf) or len(str(value)) > 40:
        return f"≈{float(sympy.N(value, 15)):.10g}"
    return str(value)


# ---- roots ---------------------------------------------------------------------------------------
def _branch_at(expr, x, t):
    """``expr`` with every Piecewise replaced by its branch active at x = t."""
    def pick(pw):
        for value, condition in pw.args:
            if condition is sympy.true or bool(condition.subs(x, t)):
                return value
        return pw.args[-1][0]
    return expr.replace(lambda e: isinstance(e, sympy.Piecewise), pick)


def real_roots(expr, x, lo, hi) -> tuple[list, bool]:
    """Real zeros (and poles and kinks) of ``expr`` strictly inside (lo, hi): ``(values, approximate)``."""
    expr = sympy.sympify(expr)
    if x not in expr.free_symbols:
        return [], False
    if expr.has(sympy.Piecewise, sympy.Min, sympy.Max, sympy.Abs):
        expr = sympy.piecewise_fold(expr.rewrite(sympy.Piecewise))
        kinks, approximate = [], False
        for relation in expr.atoms(sympy.core.relational.Relational):
            found, approx = real_roots(relation.lhs - relation.rhs, x, lo, hi)
            kinks += found
            approximate |= approx
        kinks = _unique_sorted(kinks)
        out = list(kinks)
        bounds = [lo] + kinks + [hi]
        for a, b in zip(bounds, bounds[1:]):
            found, approx = real_roots(_branch_at(expr, x, _sample(a, b)), x, a, b)
            out += found
            approximate |= approx
        return _unique_sorted(out), approximate
    numerator, denominator = sympy.fraction(sympy.together(expr))
    out, approximate = [], False
    for part in (numerator, denominator):
        if x not in part.free_symbols:
            continue
        found = None
        if part.is_polynomial(x):
            try:
                found = sympy.Poly(part, x).real_roots()
            except (sympy.PolynomialError, NotImplementedError, sympy.DomainError):
                found = None
        if found is None:
            try:
                solutions = sympy.solveset(part, x, sympy.Interval.open(lo, hi))
                if isinstance(solutions, sympy.FiniteSet):
                    found = list(solutions)
            except (NotImplementedError, ValueError, TypeError):
                found = None
        if found is None:
            found = _numeric_roots(part, x, lo, hi)
            approximate = True
        out += [r for r in found if r.is_real is not False and lo < r < hi]
    return _unique_sorted(out), approximate


def _numeric_roots(expr, x, lo, hi) -> list:
    a = _n(lo) if lo != -OO else -1e6
    b = _n(hi) if hi != OO else 1e6
    f = sympy.lambdify(x, expr, "math")
    grid = [a + (b - a) * k / 2000 for k in range(1, 2000)]
    out = []
    previous = None
    for t in grid:
        try:
            value = f(t)
        except (ValueError, ZeroDivisionError, OverflowError):
            previous = None
            continue
        if previous is not None and (value == 0 or (previous[1] < 0) != (value < 0)):
            try:
                root = sympy.nsolve(expr, x, (previous[0] + t) / 2)
                out.append(sympy.Rational(str(sympy.N(root, 30))))
            except (ValueError, ZeroDivisionError, TypeError):
                pass
        previous = (t, value)
    return out


# ---- reasons: the comparisons whose sign changes at a candidate ----------------------------------
@dataclass
class Reason:
    """A payoff comparison ``difference > 0`` that changes sign at a candidate.

    ``kind``: "choice" (a mover's preference between two moves), "best-response", "mixed"
    (a probability or an indifference in a mixed equilibrium), "chance" (a probability reaches 0).
    ``difference`` is in the parameter alone; ``symbolic()`` gives it over every parameter.
    """
    kind: str
    player: str
    where: str                 # "after Transfer → Enable", "against China Cooperate", ...
    first: str                 # the alternative preferred when difference > 0
    second: str
    difference: sympy.Expr
    symbolic: Callable[[], sympy.Expr]
    infoset: str | None = None

    def direction(self, report: "ThresholdReport", value) -> str:
        """'>' if ``first`` holds just above ``value``, else '<'."""
        x = report.symbol
        points = [p.value for p in report.candidates]
        above = [p for p in points if _n(p) > _n(value)]
        hi = above[0] if above else report.domain[1]
        t = _sample(value, hi) if hi != value else value + 1
        return ">" if sympy.sign(self.difference.subs(x, t)) > 0 else "<"

    def sentence(self, report: "ThresholdReport", value=None, symbolic: bool = False) -> str:
        value = sympy.sympify(value if value is not None else report.points[0].value)
        op = self.direction(report, value)
        formula = self.solved(report, value)
        where = f" {self.where}" if self.where else ""
        if self.kind == "mixed":
            head = f"{self.player}{where}: {self.first}"
        elif self.kind == "chance":
            head = f"chance{where}: {self.first} has positive probability"
        else:
            head = f"{self.player}{where}: {self.first} rather than {self.second}"
        if symbolic:
            condition = self.inequality(report, value, op)
            return f"{head} iff {condition}"
        tail = f" (= {formula})" if formula and formula != _text(value) else ""
        return f"{head} iff {report.parameter} {op} {_text(value)}{tail}"

    def solved(self, report: "ThresholdReport", value) -> str:
        """The candidate as a formula in the other parameters (where sympy can solve for it)."""
        try:
            full = self.symbolic()
        except Exception:       # a symbolic form is a bonus; never fail the report for it
            return ""
        x = report.symbol
        if x not in full.free_symbols or len(full.free_symbols) == 1:
            return ""
        try:
            solutions = sympy.solve(full, x, dict=False)
        except (NotImplementedError, ValueError, TypeError):
            return ""
        values = report.substitution
        for s in solutions if isinstance(solutions, list) else []:
            try:
                if _same(sympy.nsimplify(s.subs(values)), value):
                    return _shortest(s)
            except (TypeError, ValueError):
                continue
        return ""

    def inequality(self, report: "ThresholdReport", value, op: str) -> str:
        """``first`` holds iff this inequality (over every parameter) holds, near the current values."""
        x = report.symbol
        try:
            full = sympy.expand(self.symbolic())
        except Exception:
            full = None
        if full is None or x not in full.free_symbols:
            return f"{report.parameter} {op} {_text(value)}"
        notes = []
        numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(full)))
        if denominator.free_symbols:
            sign = sympy.sign(denominator.subs(report.substitution).subs(x, value))
            if sign != 0:
                notes.append(_sign_note(sympy.expand(denominator), sign))
                full = sympy.expand(numerator * sign)
        elif not denominator.free_symbols:
            full = sympy.expand(numerator * sympy.sign(denominator))
        if full.is_polynomial(x) and sympy.degree(full, x) == 1:
            slope = full.coeff(x, 1)
            rest = full - slope * x
            bound = _shortest(sympy.simplify(-rest / slope))
            sign = sympy.sign(slope.subs(report.substitution))
            op_here = ">" if sign > 0 else "<"
            text = f"{report.parameter} {op_here} {bound}"
            if slope.free_symbols:
                notes.append(_sign_note(slope, sign))
        else:
            text = f"{_shortest(sympy.factor(full))} > 0"
        if notes:
            text += f" (given {' and '.join(notes)}, as at the current values)"
        return text


def _sign_note(expr, sign) -> str:
    """``"g > 0"`` for (-g, negative): the assumption on a sign, written without a leading minus."""
    if expr.could_extract_minus_sign():
        expr, sign = -expr, -sign
    return f"{_positive_first(sympy.expand(expr)) if isinstance(expr, sympy.Add) else _shortest(expr)} {'>' if sign > 0 else '<'} 0"


def _shortest(expr) -> str:
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


@dataclass
class Candidate:
    value: sympy.Expr
    reasons: list[Reason] = field(default_factory=list)
    approximate: bool = False


class _Candidates:
    def __init__(self):
        self.items: list[Candidate] = []

    def add(self, value, reason: Reason | None, approximate: bool = False):
        for c in self.items:
            if _same(c.value, value):
                if reason is not None and not any(_reason_id(r) == _reason_id(reason) for r in c.reasons):
                    c.reasons.append(reason)
                c.approximate &= approximate
                return
        self.items.append(Candidate(value, [reason] if reason else [], approximate))

    def sorted(self) -> list[Candidate]:
        return sorted(self.items, key=lambda c: _n(c.value))


def _reason_id(r: Reason):
    return (r.kind, r.player, r.where, frozenset((r.first, r.second)))


# ---- trees: backward induction on intervals -----------------------------------------------------
@dataclass(frozen=True)
class _Alt:
    values: tuple            # per player, in the parameter alone
    symbolic: tuple          # per player, over every parameter

    @property
    def key(self):
        return tuple(sympy.srepr(sympy.expand(v)) for v in self.values)


@dataclass
class _Pieces:
    breaks: list             # sorted interior breakpoints
    alts: list               # len(breaks) + 1 lists of _Alt

    def at(self, lo, hi) -> list:
        t = _n(_sample(lo, hi))
        k = sum(1 for b in self.breaks if _n(b) < t)
        return self.alts[k]


def _tree_candidates(game: ExtensiveGame, x, values: Mapping, domain, found: _Candidates):
    """Symbolic backward induction over the parameter's domain; returns the root's pieces."""
    from solver.present.text import move_names
    moves_in_game = move_names(game)
    substitution = values
    pieces: dict[int, _Pieces] = {}
    lo0, hi0 = domain
    for node in range(game.num_nodes - 1, -1, -1):
        player = int(game.node_player[node])
        if player == TERMINAL:
            sym = tuple(sympy.sympify(v) for v in game.leaf_payoffs[node])
            pieces[node] = _Pieces([], [[_Alt(tuple(v.subs(substitution) for v in sym), sym)]])
            continue
        kids = list(game.children(node))
        breaks = _unique_sorted([b for c in kids for b in pieces[c].breaks])
        bounds = [lo0] + breaks + [hi0]
        new_breaks, new_alts = [], []
        info = game.infosets[int(game.node_infoset[node])] if player >= 0 else None
        for k, (lo, hi) in enumerate(zip(bounds, bounds[1:])):
            options = [pieces[c].at(lo, hi) for c in kids]
            if player == CHANCE:
                probs_sym = [sympy.sympify(game.chance_probs[c]) for c in kids]
                probs = [p.subs(substitution) for p in probs_sym]
                for c, p, ps in zip(kids, probs, probs_sym):
                    roots, approx = real_roots(p, x, lo, hi)
                    label = game.move_label(c)
                    for r in roots:
                        found.add(r, Reason("chance", "chance", _where(game, node, "chance", moves_in_game), label, "",
                                            p, lambda ps=ps: ps), approx)
                alts = []
                for combo in itertools.islice(itertools.product(*options), COMBINATION_LIMIT):
                    vals = tuple(sum(p * a.values[i] for p, a in zip(probs, combo)) for i in range(game.num_players))
                    syms = tuple(sum(p * a.symbolic[i] for p, a in zip(probs_sym, combo)) for i in range(game.num_players))
                    alts.append(_Alt(vals, syms))
                local = [(lo, hi, _dedupe(alts))]
            else:
                roots_here = []
                where = _where(game, node, game.players[player], moves_in_game)
                for a, b in itertools.combinations(range(len(kids)), 2):
                    for alt_a in options[a]:
                        for alt_b in options[b]:
                            difference = alt_a.values[player] - alt_b.values[player]
                            roots, approx = real_roots(difference, x, lo, hi)
                            for r in roots:
                                found.add(r, Reason("choice", game.players[player], where, info.moves[a], info.moves[b],
                                                    difference, lambda d=alt_a.symbolic[player] - alt_b.symbolic[player]: d,
                                                    info.label), approx)
                            roots_here += roots
                sub = _unique_sorted(roots_here)
                sub_bounds = [lo] + sub + [hi]
                local = []
                for l2, h2 in zip(sub_bounds, sub_bounds[1:]):
                    t = _sample(l2, h2)
                    alts = []
                    for combo in itertools.islice(itertools.product(*options), COMBINATION_LIMIT):
                        scores = [a.values[player].subs(x, t) for a in combo]
                        best = max(scores)
                        alts += [a for a, s in zip(combo, scores) if s == best]
                    local.append((l2, h2, _dedupe(alts)))
            for l2, h2, alts in local:
                if new_alts and _alts_key(new_alts[-1]) == _alts_key(alts):
                    continue              # same choice on both sides: no breakpoint here
                if new_alts:
                    new_breaks.append(l2)
                new_alts.append(alts)
        pieces[node] = _Pieces(new_breaks, new_alts)
    return pieces[0]


def _dedupe(alts: list) -> list:
    seen, out = set(), []
    for a in alts:
        key = (a.key, tuple(sympy.srepr(sympy.expand(v)) for v in a.symbolic))
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def _alts_key(alts) -> tuple:
    return tuple(sorted(a.key for a in alts))


def _where(game, node: int, player: str, moves) -> str:
    from solver.present.text import decision_label
    if int(game.node_player[node]) == CHANCE:
        return f"at {game.node_ids[node]}" if node else "at the start"
    label = game.infosets[int(game.node_infoset[node])].label
    text = decision_label(label, player, moves)
    return "" if text == "at the start" else text


# ---- normal forms ---------------------------------------------------------------------------------
def _normal_candidates(game: NormalFormGame, x, values: Mapping, domain, found: _Candidates) -> list[str]:
    """Best-response differences (every game) and mixed supports (2 players). Returns closed forms."""
    lo, hi = domain
    payoffs_sym = game.payoffs
    N = game.num_players
    shape = game.shape
    numeric = {index: sympy.sympify(payoffs_sym[index]).subs(values) for index in itertools.product(range(N), *[range(n) for n in shape])}
    sym = {index: sympy.sympify(payoffs_sym[index]) for index in numeric}
    if N == 2:
        return _bimatrix_candidates(game, x, numeric, sym, domain, found)
    for i in range(N):
        others = [range(n) if j != i else [None] for j, n in enumerate(shape)]
        for profile in itertools.product(*others):
            against = ", ".join(f"{game.players[j]} {game.strategies[j][s]}" for j, s in enumerate(profile) if j != i)
            for a, b in itertools.combinations(range(shape[i]), 2):
                pa = tuple(a if j == i else s for j, s in enumerate(profile))
                pb = tuple(b if j == i else s for j, s in enumerate(profile))
                difference = numeric[(i,) + pa] - numeric[(i,) + pb]
                roots, approx = real_roots(difference, x, lo, hi)
                for r in roots:
                    found.add(r, Reason("best-response", game.players[i], f"against {against}", game.strategies[i][a],
                                        game.strategies[i][b], difference,
                                        lambda d=sym[(i,) + pa] - sym[(i,) + pb]: d), approx)
    return []


def _bimatrix_candidates(game, x, numeric, sym, domain, found: _Candidates) -> list[str]:
    lo, hi = domain
    m, n = game.shape
    A = sympy.Matrix(m, n, lambda i, j: numeric[(0, i, j)])
    B = sympy.Matrix(m, n, lambda i, j: numeric[(1, i, j)])
    As = sympy.Matrix(m, n, lambda i, j: sym[(0, i, j)])
    Bs = sympy.Matrix(m, n, lambda i, j: sym[(1, i, j)])
    row, col = game.players
    S = game.strategies
    closed: list[str] = []

    def add(expr, reason_args, symbolic):
        roots, approx = real_roots(expr, x, lo, hi)
        for r in roots:
            found.add(r, Reason(*reason_args[:5], expr, symbolic, None), approx)

    for k in range(1, min(m, n) + 1):
        if math.comb(m, k) * math.comb(n, k) > 5000:
            break
        for I in itertools.combinations(range(m), k):
            for J in itertools.combinations(range(n), k):
                support = f"(supports {'/'.join(S[0][i] for i in I)}; {'/'.join(S[1][j] for j in J)})"
                solved = _indifference(A, B, I, J)
                if solved is None:
                    continue
                p, q, u, v, determinant = solved
                symbolic = lambda I=I, J=J: _indifference(As, Bs, I, J)
                if k == 1:
                    i, j = I[0], J[0]
                    for other in range(m):
                        if other != i:
                            add(A[i, j] - A[other, j], ("best-response", row, f"against {col} {S[1][j]}", S[0][i], S[0][other]),
                                lambda i=i, j=j, other=other: As[i, j] - As[other, j])
                    for other in range(n):
                        if other != j:
                            add(B[i, j] - B[i, other], ("best-response", col, f"against {row} {S[0][i]}", S[1][j], S[1][other]),
                                lambda i=i, j=j, other=other: Bs[i, j] - Bs[i, other])
                    continue
                for position, i in enumerate(I):
                    add(p[position], ("mixed", row, f"in the mixed equilibrium {support}", f"plays {S[0][i]} with positive probability", ""),
                        lambda position=position, s=symbolic: s()[0][position])
                for position, j in enumerate(J):
                    add(q[position], ("mixed", col, f"in the mixed equilibrium {support}", f"plays {S[1][j]} with positive probability", ""),
                        lambda position=position, s=symbolic: s()[1][position])
                for other in (r for r in range(m) if r not in I):
                    expr = u - sum(A[other, j] * q[t] for t, j in enumerate(J))
                    add(expr, ("mixed", row, f"in the mixed equilibrium {support}", f"prefers the support to {S[0][other]}", ""),
                        lambda other=other, s=symbolic, J=J: s()[2] - sum(As[other, j] * s()[1][t] for t, j in enumerate(J)))
                for other in (c for c in range(n) if c not in J):
                    expr = v - sum(B[i, other] * p[t] for t, i in enumerate(I))
                    add(expr, ("mixed", col, f"in the mixed equilibrium {support}", f"prefers the support to {S[1][other]}", ""),
                        lambda other=other, s=symbolic, I=I: s()[3] - sum(Bs[i, other] * s()[0][t] for t, i in enumerate(I)))
                add(determinant, ("mixed", "", f"the indifference equations {support}", "are solvable", ""),
                    lambda s=symbolic: s()[4])
                if (m, n) == (2, 2):
                    full = _indifference(As, Bs, I, J)
                    if full is not None:
                        ps, qs = full[0], full[1]
                        closed.append(f"{row} plays {S[0][0]} with probability p* = {_shortest(ps[0])}")
                        closed.append(f"{col} plays {S[1][0]} with probability q* = {_shortest(qs[0])}")
    return closed


def _indifference(A, B, I, J):
    """Mixed equilibrium on supports I, J: (p over I, q over J, u, v, determinant) or None."""
    k = len(I)
    u_sym, v_sym = sympy.Dummy("u"), sympy.Dummy("v")
    qs = [sympy.Dummy(f"q{t}") for t in range(k)]
    ps = [sympy.Dummy(f"p{t}") for t in range(k)]
    equations_q = [sum(A[i, j] * qs[t] for t, j in enumerate(J)) - u_sym for i in I] + [sum(qs) - 1]
    equations_p = [sum(B[i, j] * ps[t] for t, i in enumerate(I)) - v_sym for j in J] + [sum(ps) - 1]
    Mq, bq = sympy.linear_eq_to_matrix(equations_q, qs + [u_sym])
    Mp, bp = sympy.linear_eq_to_matrix(equations_p, ps + [v_sym])
    det_q, det_p = sympy.cancel(Mq.det()), sympy.cancel(Mp.det())
    if det_q == 0 or det_p == 0:
        return None
    sol_q = Mq.LUsolve(bq).applyfunc(sympy.cancel)
    sol_p = Mp.LUsolve(bp).applyfunc(sympy.cancel)
    return list(sol_p[:k]), list(sol_q[:k]), sol_q[k], sol_p[k], det_q * det_p


# ---- the report -------------------------------------------------------------------------------------
@dataclass
class Interval:
    lo: sympy.Expr
    hi: sympy.Expr
    outcome: PointOutcome | None
    label: str
    payoffs: tuple | None = None      # trees: payoffs as formulas in the parameter


@dataclass
class ThresholdPoint:
    value: sympy.Expr
    outcome: PointOutcome | None      # at the point itself (None if irrational)
    label: str
    causes: list[Reason]
    consequences: list[str]
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
    closed_forms: list[str]
    notes: list[str]
    by: str = "path"

    @property
    def substitution(self) -> dict:
        return {symbol(k): sympy.nsimplify(v) if not isinstance(v, Fraction) else sympy.Rational(v.numerator, v.denominator)
                for k, v in self.values.items() if k != self.parameter}

    def to_text(self, symbolic: bool = False) -> str:
        game = self.game
        lo, hi = self.domain
        lines = [f"Thresholds in {self.parameter} for: {game.info.title or '(untitled game)'}"]
        if self.game_path:
            lines.append(self.game_path)
        others = {k: v for k, v in self.values.items() if k != self.parameter}
        scope = f"{self.parameter} in [{_text(lo)}, {_text(hi)}]" if lo != -OO and hi != OO else f"{self.parameter} over the real line"
        if others and not symbolic:
            scope += "; other parameters at " + ", ".join(f"{k} = {_show(v)}" for k, v in others.items())
        elif others:
            scope += "; conditions over every parameter (each valid near the current values)"
        lines.append(scope)
        lines.append("")
        changes = [p for p in self.points if not p.edge]
        if not changes:
            lines.append("No threshold inside the range: the outcome is the same throughout"
                         + (" (except at an end, below)." if self.points else "."))
        for point in self.points:
            head = f"{self.parameter} = {_text(point.value)}"
            if point.approximate:
                head += " (located by exact bisection between sweep points, to within 1e-15; not derived symbolically)"
            elif point.edge:
                head += " (edge of the range; the outcome differs at this single point)"
            elif point.causes:
                formula = point.causes[0].solved(self, point.value)
                if formula and formula != _text(point.value):
                    head += f"  (= {formula})"
            lines.append(head)
            for cause in point.causes:
                lines.append("  " + cause.sentence(self, point.value, symbolic))
            for text in point.consequences:
                lines.append("  " + text)
        lines.append("")
        lines.append("Outcome on each interval")
        rows = self._interval_rows()
        width = max(len(r[0]) for r in rows) if rows else 0
        for left, right in rows:
            lines.append(f"  {left:<{width}}  {right}")
        if self.closed_forms:
            lines.append("")
            lines.append("Mixed equilibrium in closed form (where it exists)")
            lines.extend(f"  {c}" for c in self.closed_forms)
        if self.notes:
            lines.append("")
            lines.append("Notes")
            lines.extend(f"  - {n}" for n in self.notes)
        return "\n".join(lines) + "\n"

    def _interval_rows(self) -> list[tuple[str, str]]:
        rows = []
        name = self.parameter
        sequence = sorted([("interval", i) for i in self.intervals] + [("point", p) for p in self.points],
                          key=lambda item: (_n(item[1].lo) if item[0] == "interval" else _n(item[1].value),
                                            0 if item[0] == "point" else 1))
        for kind, item in sequence:
            if kind == "interval":
                lo, hi = item.lo, item.hi
                left_op = "≤" if lo != -OO and not any(_same(p.value, lo) for p in self.points) else "<"
                right_op = "≤" if hi != OO and not any(_same(p.value, hi) for p in self.points) else "<"
                parts = []
                if lo != -OO:
                    parts.append(f"{_text(lo)} {left_op} ")
                parts.append(name)
                if hi != OO:
                    parts.append(f" {right_op} {_text(hi)}")
                text = item.label
                if item.payoffs:
                    text += "   payoffs: " + ", ".join(f"{p} {v}" for p, v in zip(self.game.players, item.payoffs))
                rows.append(("".join(parts), text))
            elif item.outcome is not None:
                rows.append((f"{name} = {_text(item.value)}", item.label + ("   (several equilibria: a tie)" if _several(item.outcome) else "")))
        return rows

    def to_dict(self, symbolic: bool = False) -> dict:
        def value(v):
            return {"exact": _text(v), "float": _n(v)}

        def end(v):        # JSON has no infinity: null for an unbounded end
            return None if v.is_infinite else _n(v)
        return {
            "title": self.game.info.title,
            "game": self.game_path,
            "parameter": self.parameter,
            "domain": [end(self.domain[0]), end(self.domain[1])],
            "parameters": {k: _show(v) for k, v in self.values.items() if k != self.parameter},
            "thresholds": [{**value(p.value), "approximate": p.approximate, "edge": p.edge,
                            "formula": (p.causes[0].solved(self, p.value) if p.causes else ""),
                            "outcome": p.label,
                            "conditions": [c.sentence(self, p.value, symbolic) for c in p.causes],
                            "consequences": list(p.consequences)} for p in self.points],
            "intervals": [{"low": end(i.lo), "high": end(i.hi), "low_exact": _text(i.lo), "high_exact": _text(i.hi),
                           "outcome": i.label,
                           **({"payoffs": dict(zip(self.game.players, i.payoffs))} if i.payoffs else {})}
                          for i in self.intervals],
            "closed_forms": list(self.closed_forms),
            "notes": list(self.notes),
        }


def _several(outcome: PointOutcome) -> bool:
    return outcome.key[0] in ("path", "profile") and len(outcome.key[1]) > 1


def _show(value) -> str:
    if isinstance(value, Fraction):
        return str(value)
    return f"{value:.6g}" if isinstance(value, float) else str(value)


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


def find_thresholds(game, parameter: str, settings: Mapping[str, object] | None = None, *, by: str = "path",
                    domain: tuple | None = None, check: bool = True, game_path: str = "",
                    processes: int | None = 1) -> ThresholdReport:
    """The exact values of ``parameter`` where the equilibrium outcome changes, the other
    parameters at their values (``settings`` override them)."""
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
    found = _Candidates()
    notes: list[str] = []
    closed: list[str] = []
    root_pieces = None
    structural = True
    if isinstance(game, ExtensiveGame):
        if game.is_perfect_information and game.num_nodes <= 5000:
            root_pieces = _tree_candidates(game, x, substitution, (lo, hi), found)
        else:
            structural = False
            notes.append("imperfect information: no symbolic candidates; thresholds are located by a sweep and exact bisection")
    else:
        closed = _normal_candidates(game, x, substitution, (lo, hi), found)
    method = "auto" if isinstance(game, ExtensiveGame) or game.num_players <= 2 else "pure"
    if method == "pure":
        notes.append("3 or more players: pure equilibria only")
    solver = PointSolver(game, values, by=by, method=method)
    profiler = PointSolver(game, values, by="profile", method=method) if isinstance(game, ExtensiveGame) else None

    def outcome_at(t) -> PointOutcome:
        return solver({parameter: Fraction(int(t.p), int(t.q))})

    candidates = found.sorted()
    report = _assemble(game, game_path, parameter, x, (lo, hi), values, candidates, outcome_at, profiler,
                       root_pieces, closed, notes, by)
    if check:
        extra = _unique_sorted(_cross_check(report, game, values, by, outcome_at, structural, processes))
        if extra:
            for value in extra:
                found.add(value, None, approximate=True)
            report = _assemble(game, game_path, parameter, x, (lo, hi), values, found.sorted(), outcome_at, profiler,
                               root_pieces, closed, notes, by)
            report.notes.append(f"{len(extra)} change(s) found by the cross-check sweep and located by exact bisection")
    return report


def _assemble(game, game_path, parameter, x, domain, values, candidates, outcome_at, profiler, root_pieces,
              closed, notes, by) -> ThresholdReport:
    from solver.analysis.sweep import describe_key
    lo, hi = domain
    inside = [c for c in candidates if lo < c.value < hi]
    bounds = [lo] + [c.value for c in inside] + [hi]
    intervals = []
    for a, b in zip(bounds, bounds[1:]):
        t = _sample(a, b)
        outcome = outcome_at(t)
        payoffs = None
        if root_pieces is not None:
            alts = root_pieces.at(a, b)
            if len(alts) == 1:
                payoffs = tuple(_shortest(sympy.nsimplify(v)) for v in alts[0].values)
        intervals.append(Interval(a, b, outcome, describe_key(outcome.key, game), payoffs))
    at_points = []
    for c in inside:
        outcome = outcome_at(c.value) if c.value.is_Rational else None
        at_points.append((c, outcome))
    # merge equal neighbours
    merged = [intervals[0]]
    points: list[ThresholdPoint] = []
    for (c, outcome), right in zip(at_points, intervals[1:]):
        left = merged[-1]
        same_sides = left.outcome.key == right.outcome.key
        point_same = outcome is None or outcome.key == left.outcome.key
        if same_sides and point_same:
            merged[-1] = Interval(left.lo, right.hi, left.outcome, left.label,
                                  left.payoffs if left.payoffs == right.payoffs else None)
            continue
        label = describe_key(outcome.key, game) if outcome is not None else "(irrational: not evaluated)"
        causes, consequences = _explain(game, c, left, right, outcome_at, profiler, parameter)
        if same_sides:
            points.append(ThresholdPoint(c.value, outcome, label, causes, consequences, c.approximate))
            merged[-1] = Interval(left.lo, right.hi, left.outcome, left.label, left.payoffs if left.payoffs == right.payoffs else None)
            continue
        points.append(ThresholdPoint(c.value, outcome, label, causes, consequences, c.approximate))
        merged.append(right)
    # the ends of the range
    for end, interval in ((lo, merged[0]), (hi, merged[-1])):
        if end.is_infinite or not end.is_Rational:
            continue
        outcome = outcome_at(end)
        if outcome.key != interval.outcome.key:
            points.append(ThresholdPoint(end, outcome, describe_key(outcome.key, game), [], [], False, edge=True))
    points.sort(key=lambda p: _n(p.value))
    return ThresholdReport(game, game_path, parameter, x, domain, dict(values), candidates, merged, points,
                           list(closed), list(notes), by)


def _explain(game, candidate: Candidate, left: Interval, right: Interval, outcome_at, profiler, parameter):
    """The comparisons that flip at a threshold (causes) and the choices that change with them."""
    reasons = list(candidate.reasons)
    if profiler is None or not reasons:
        return reasons, []
    t_left = _sample(left.lo, candidate.value) if left.lo != candidate.value else candidate.value
    t_right = _sample(candidate.value, right.hi)
    a = profiler({parameter: Fraction(int(t_left.p), int(t_left.q))}).key
    b = profiler({parameter: Fraction(int(t_right.p), int(t_right.q))}).key
    if a[0] != "profile" or b[0] != "profile" or len(a[1]) != 1 or len(b[1]) != 1:
        return reasons, []
    before, after = dict(a[1][0]), dict(b[1][0])
    changed = [label for label in before if before[label] != after.get(label)]
    causes = [r for r in reasons if r.infoset in changed] or [r for r in reasons if r.kind == "chance"] or reasons
    caused = {r.infoset for r in causes}
    owner = {info.label: game.players[info.player] for info in game.infosets}
    consequences = []
    from solver.present.text import decision_label, move_names
    moves = move_names(game)
    for label in changed:
        if label in caused:
            continue
        where = decision_label(label, owner[label], moves)
        where = "" if where == "at the start" else f" {where}"
        consequences.append(f"so {owner[label]}{where} switches from {'/'.join(before[label])} to {'/'.join(after[label])}")
    return causes, consequences


def _simplest_in(lo, hi):
    """The simplest rational in [lo, hi] (a bisection bracket), e.g. 7/2 rather than a 60-bit fraction."""
    middle = Fraction(int(((lo + hi) / 2).p), int(((lo + hi) / 2).q))
    for denominator in (1, 2, 4, 5, 8, 10, 16, 20, 25, 50, 100, 1000, 10**4, 10**6, 10**9):
        c = middle.limit_denominator(denominator)
        if lo <= sympy.Rational(c.numerator, c.denominator) <= hi:
            return sympy.Rational(c.numerator, c.denominator)
    return sympy.Rational(middle.numerator, middle.denominator)


def _cross_check(report: ThresholdReport, game, values, by, outcome_at, structural: bool, processes) -> list:
    """Sweep the range; where two neighbouring grid points differ with no threshold between them,
    bisect exactly. Returns the located values (empty when the sweep agrees)."""
    from solver.analysis.sweep import Axis, sweep, sweep_mode
    lo, hi = report.domain
    finite = [p.value for p in report.candidates if p.value.is_finite]
    a = lo if lo != -OO else (min(map(_n, finite), default=0) - 10)
    b = hi if hi != OO else (max(map(_n, finite), default=0) + 10)
    a, b = _sympy_number(a if not isinstance(a, float) else Fraction(a).limit_denominator(10**6)), \
        _sympy_number(b if not isinstance(b, float) else Fraction(b).limit_denominator(10**6))
    pointwise = sweep_mode(game) == "pointwise"
    count = POINTWISE_CHECK_POINTS if pointwise else CHECK_POINTS
    axis = Axis(report.parameter, Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q)), count)
    settings = {k: v for k, v in values.items() if k != report.parameter}
    result = sweep(game, [axis], settings, by=by, processes=processes)
    keys = [result.outcomes[int(c)].key for c in result.codes]
    thresholds = [p.value for p in report.points] + [c.value for c in report.candidates]
    located = []
    for k in range(len(keys) - 1):
        if keys[k] == keys[k + 1]:
            continue
        x0, x1 = axis.exact(k), axis.exact(k + 1)
        s0, s1 = sympy.Rational(x0.numerator, x0.denominator), sympy.Rational(x1.numerator, x1.denominator)
        if any(s0 <= t <= s1 for t in thresholds if t.is_finite):
            continue
        # a change no candidate explains: bisect exactly
        left_key = keys[k]
        for _ in range(BISECTION_STEPS):
            mid = (s0 + s1) / 2
            if outcome_at(mid).key == left_key:
                s0 = mid
            else:
                s1 = mid
        located.append(_simplest_in(s0, s1))
    if not located and structural:
        where = "the range" if lo != -OO and hi != OO else f"[{_text(a)}, {_text(b)}]"
        report.notes.append(f"a sweep of {count} points over {where} agrees with these thresholds")
    return located
