"""Candidate thresholds: the parameter values where a comparison that decides an equilibrium can
change sign, each with the comparisons (reasons) that do.

- Trees with perfect information: backward induction run symbolically on intervals of the
  parameter. Each node's value is a list of pieces, split where a child's piece changes or where
  the mover's preference changes (a real root of the difference between two children's values to
  the mover); chance nodes add the roots of their probabilities.
- Normal forms: the roots of best-response differences; for 2-player games also those of the mixed
  equilibria on every pair of supports: where a probability reaches 0, an outside strategy becomes
  as good, or the indifference equations become singular (support enumeration as in von Stengel
  2007, "Equilibrium computation for two-player games in strategic and extensive form",
  Algorithmic Game Theory ch. 3, done in sympy). For 2×2 games this also gives the mixed
  equilibrium in closed form.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

import sympy

from solver.analysis.labels import START, decision_point, move_names
from solver.analysis.roots import as_float, rational_between, real_roots, same_value, unique_sorted
from solver.model.normal import NormalFormGame
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame

COMBINATION_LIMIT = 256


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


@dataclass
class Candidate:
    value: sympy.Expr
    reasons: list[Reason] = field(default_factory=list)
    approximate: bool = False


class CandidateSet:
    """Candidates found so far: one per value, with every distinct reason for it."""

    def __init__(self):
        self.items: list[Candidate] = []

    def add(self, value, reason: Reason | None, approximate: bool = False):
        for c in self.items:
            if same_value(c.value, value):
                if reason is not None and not any(_reason_id(r) == _reason_id(reason) for r in c.reasons):
                    c.reasons.append(reason)
                c.approximate &= approximate
                return
        self.items.append(Candidate(value, [reason] if reason else [], approximate))

    def sorted(self) -> list[Candidate]:
        return sorted(self.items, key=lambda c: as_float(c.value))


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
        t = as_float(rational_between(lo, hi))
        k = sum(1 for b in self.breaks if as_float(b) < t)
        return self.alts[k]


def tree_candidates(game: ExtensiveGame, x, values: Mapping, domain, found: CandidateSet) -> _Pieces:
    """Symbolic backward induction over the parameter's domain (``values``: the other parameters);
    adds every candidate to ``found`` and returns the root's pieces."""
    moves_in_game = move_names(game)
    pieces: dict[int, _Pieces] = {}
    lo0, hi0 = domain
    for node in range(game.num_nodes - 1, -1, -1):
        player = int(game.node_player[node])
        if player == TERMINAL:
            sym = tuple(sympy.sympify(v) for v in game.leaf_payoffs[node])
            pieces[node] = _Pieces([], [[_Alt(tuple(v.subs(values) for v in sym), sym)]])
            continue
        kids = list(game.children(node))
        bounds = [lo0] + unique_sorted([b for c in kids for b in pieces[c].breaks]) + [hi0]
        where = _where(game, node, "chance" if player == CHANCE else game.players[player], moves_in_game)
        new_breaks, new_alts = [], []
        for lo, hi in zip(bounds, bounds[1:]):
            options = [pieces[c].at(lo, hi) for c in kids]
            if player == CHANCE:
                local = _chance_pieces(game, kids, options, x, values, (lo, hi), found, where)
            else:
                local = _decision_pieces(game, node, options, x, (lo, hi), found, where)
            for start, alts in local:
                if new_alts and _alts_key(new_alts[-1]) == _alts_key(alts):
                    continue              # same choice on both sides: no breakpoint here
                if new_alts:
                    new_breaks.append(start)
                new_alts.append(alts)
        pieces[node] = _Pieces(new_breaks, new_alts)
    return pieces[0]


def _chance_pieces(game, kids, options, x, values, interval, found: CandidateSet, where: str) -> list:
    """A chance node on one interval: the roots of its probabilities are candidates; its value is
    the expectation of every combination of its children's values."""
    lo, hi = interval
    probs_sym = [sympy.sympify(game.chance_probs[c]) for c in kids]
    probs = [p.subs(values) for p in probs_sym]
    for c, p, ps in zip(kids, probs, probs_sym):
        roots, approx = real_roots(p, x, lo, hi)
        for r in roots:
            found.add(r, Reason("chance", "chance", where, game.move_label(c), "", p, lambda ps=ps: ps), approx)
    alts = []
    for combo in itertools.islice(itertools.product(*options), COMBINATION_LIMIT):
        vals = tuple(sum(p * a.values[i] for p, a in zip(probs, combo)) for i in range(game.num_players))
        syms = tuple(sum(p * a.symbolic[i] for p, a in zip(probs_sym, combo)) for i in range(game.num_players))
        alts.append(_Alt(vals, syms))
    return [(lo, _dedupe(alts))]


def _decision_pieces(game, node: int, options, x, interval, found: CandidateSet, where: str) -> list:
    """A decision node on one interval: the roots of the mover's differences between children are
    candidates; between them the mover's best children are the node's value."""
    lo, hi = interval
    player = int(game.node_player[node])
    info = game.infosets[int(game.node_infoset[node])]
    roots_here = []
    for a, b in itertools.combinations(range(len(options)), 2):
        for alt_a in options[a]:
            for alt_b in options[b]:
                difference = alt_a.values[player] - alt_b.values[player]
                roots, approx = real_roots(difference, x, lo, hi)
                for r in roots:
                    found.add(r, Reason("choice", game.players[player], where, info.moves[a], info.moves[b],
                                        difference, lambda d=alt_a.symbolic[player] - alt_b.symbolic[player]: d,
                                        info.label), approx)
                roots_here += roots
    sub_bounds = [lo] + unique_sorted(roots_here) + [hi]
    local = []
    for start, stop in zip(sub_bounds, sub_bounds[1:]):
        t = rational_between(start, stop)
        alts = []
        for combo in itertools.islice(itertools.product(*options), COMBINATION_LIMIT):
            scores = [a.values[player].subs(x, t) for a in combo]
            best = max(scores)
            alts += [a for a, s in zip(combo, scores) if s == best]
        local.append((start, _dedupe(alts)))
    return local


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
    """Where a node's comparison is made, for a reason: ``"after Transfer → Enable"``, or ``""``
    for the first move."""
    if int(game.node_player[node]) == CHANCE:
        return f"at {game.node_ids[node]}" if node else START
    text = decision_point(game.infosets[int(game.node_infoset[node])].label, player, moves)
    return "" if text == START else text


# ---- normal forms ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClosedForm:
    """In the completely mixed equilibrium of a 2×2 game, ``player`` plays ``strategy`` with
    probability ``name`` = ``probability`` (over every parameter)."""
    player: str
    strategy: str
    name: str
    probability: sympy.Expr


def normal_candidates(game: NormalFormGame, x, values: Mapping, domain, found: CandidateSet) -> list[ClosedForm]:
    """Best-response differences (every game) and mixed supports (2 players). Returns the 2×2
    mixed equilibrium's closed form, where there is one."""
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


def _bimatrix_candidates(game, x, numeric, sym, domain, found: CandidateSet) -> list[ClosedForm]:
    lo, hi = domain
    m, n = game.shape
    A = sympy.Matrix(m, n, lambda i, j: numeric[(0, i, j)])
    B = sympy.Matrix(m, n, lambda i, j: numeric[(1, i, j)])
    As = sympy.Matrix(m, n, lambda i, j: sym[(0, i, j)])
    Bs = sympy.Matrix(m, n, lambda i, j: sym[(1, i, j)])
    row, col = game.players
    S = game.strategies
    closed: list[ClosedForm] = []

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
                mixed = f"in the mixed equilibrium {support}"
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
                    add(p[position], ("mixed", row, mixed, f"plays {S[0][i]} with positive probability", ""),
                        lambda position=position, s=symbolic: s()[0][position])
                for position, j in enumerate(J):
                    add(q[position], ("mixed", col, mixed, f"plays {S[1][j]} with positive probability", ""),
                        lambda position=position, s=symbolic: s()[1][position])
                for other in (r for r in range(m) if r not in I):
                    expr = u - sum(A[other, j] * q[t] for t, j in enumerate(J))
                    add(expr, ("mixed", row, mixed, f"prefers the support to {S[0][other]}", ""),
                        lambda other=other, s=symbolic, J=J: s()[2] - sum(As[other, j] * s()[1][t] for t, j in enumerate(J)))
                for other in (c for c in range(n) if c not in J):
                    expr = v - sum(B[i, other] * p[t] for t, i in enumerate(I))
                    add(expr, ("mixed", col, mixed, f"prefers the support to {S[1][other]}", ""),
                        lambda other=other, s=symbolic, I=I: s()[3] - sum(Bs[i, other] * s()[0][t] for t, i in enumerate(I)))
                add(determinant, ("mixed", "", f"the indifference equations {support}", "are solvable", ""),
                    lambda s=symbolic: s()[4])
                if (m, n) == (2, 2):
                    full = _indifference(As, Bs, I, J)
                    if full is not None:
                        ps, qs = full[0], full[1]
                        closed.append(ClosedForm(row, S[0][0], "p*", ps[0]))
                        closed.append(ClosedForm(col, S[1][0], "q*", qs[0]))
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
