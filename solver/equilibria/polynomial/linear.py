"""Support systems that are linear: at most two mixing players (exact payoffs).

With one mixing player, or two whose indifference equations each involve only the other's
probabilities, every equation and every constraint is linear in the unknowns, so the solutions
form a polytope (McKelvey and McLennan, Handbook of Computational Economics vol. 1 (1996) ch. 2,
§6). It is solved with exact fractions: an isolated solution directly, a positive-dimensional one
(degenerate games) through its vertices, found by linear programs over the float relaxation and
then re-solved exactly from their active constraints.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from scipy.optimize import linprog

from solver.core.deadline import check
from solver.core.linear import rref
from solver.core.numbers import to_fraction
from solver.equilibria.polynomial.common import FoundFamily, Outcome, full_profile, same_profile, verified
from solver.equilibria.polynomial.simplex import polyhedron_nonempty

#: A constraint within this of 0 at a float LP optimum counts as active.
_ACTIVE_TOLERANCE = 1e-7
#: The strict-feasibility margin (and the tightness test) of the float LPs.
_LP_MARGIN = 1e-9


def _affine_solve(A: list[list[Fraction]], b: list[Fraction], n: int):
    """Solutions of A x = b as (x0, basis of the null space) or None if inconsistent."""
    rows, piv = rref([list(a) + [bb] for a, bb in zip(A, b)], n + 1)
    if piv and piv[-1] == n:
        return None
    x0 = [Fraction(0)] * n
    for row, c in zip(rows, piv):
        x0[c] = row[n]
    free = [c for c in range(n) if c not in piv]
    basis = []
    for f in free:
        v = [Fraction(0)] * n
        v[f] = Fraction(1)
        for row, c in zip(rows, piv):
            v[c] = -row[f]
        basis.append(v)
    return x0, basis


def exact_rank(matrix: list[list[Fraction]]) -> int:
    if not matrix:
        return 0
    return len(rref(matrix, len(matrix[0]))[1])


def _payoff_matrix(G, i, l, S) -> np.ndarray:
    """Player i's payoffs (all i's strategies x l's support) with everyone else pure at S."""
    t = G[i]
    for j in reversed(range(G.shape[0])):
        if j == l:
            t = np.take(t, list(S[l]), axis=j)
        elif j != i:
            t = np.take(t, S[j][0], axis=j)
    return t if i < l else t.T


def _payoff_vector(G, i, S) -> np.ndarray:
    """Player i's payoffs for each of its strategies with everyone else pure at S."""
    t = G[i]
    for j in reversed(range(G.shape[0])):
        if j != i:
            t = np.take(t, S[j][0], axis=j)
    return t


def _float_rows(rows) -> np.ndarray:
    return np.array([[float(v) for v in row] for row in rows], dtype=float)


class _LinearFamily:
    """Exact polytope of equilibria when all equations and constraints are linear.

    Variables: probabilities of the mixing players over their supports. ``eqs`` and ``ineqs``
    are (coefficients, constant) with meaning ``coef . z + const == 0`` / ``>= 0``; positivity
    constraints are listed first in ``ineqs`` (``npos`` of them)."""

    def __init__(self, G, S, mixing, eqs, ineqs, npos, deadline):
        self.G, self.S, self.mixing = G, S, mixing
        self.eqs, self.ineqs, self.npos = eqs, ineqs, npos
        self.deadline = deadline
        self.offsets = {}
        o = 0
        for j in mixing:
            self.offsets[j] = o
            o += len(S[j])
        self.n = o

    def _profile(self, z) -> tuple[np.ndarray, ...]:
        return full_profile(self.G, self.S, {j: list(z[self.offsets[j]:self.offsets[j] + len(self.S[j])])
                                             for j in self.mixing})

    def solve(self) -> Outcome:
        out = Outcome()
        sol = _affine_solve([e[0] for e in self.eqs], [-e[1] for e in self.eqs], self.n)
        if sol is None:
            return out
        x0, basis = sol
        # constraints in the parameters t: c0 + c . t >= 0
        cons = []
        for coef, const in self.ineqs:
            c0 = const + sum(a * b for a, b in zip(coef, x0))
            c = [sum(a * v[k] for k, a in enumerate(coef)) for v in basis]
            cons.append((c0, c))
        if not basis:
            if all(c0 > 0 for c0, _ in cons[:self.npos]) and all(c0 >= 0 for c0, _ in cons[self.npos:]):
                prof = self._profile(x0)
                if verified(self.G, prof):
                    out.points.append(prof)
            return out
        Aub = -_float_rows([c for _, c in cons])
        bub = np.array([float(c0) for c0, _ in cons])
        if not self._strictly_feasible(Aub, bub, len(basis)):
            return out
        dim = len(basis) - self._implicit_rank(cons, Aub, bub)
        profiles = []
        for z in self._vertices(cons, x0, basis, Aub, bub):
            prof = self._profile(z)
            if verified(self.G, prof) and not any(same_profile(prof, q) for q in profiles):
                profiles.append(prof)
        if not profiles:
            out.unsure = True
            out.remark(self.S, "polytope vertices could not be re-solved exactly")
        elif dim == 0:
            out.points.extend(profiles[:1])
        else:       # a segment has two vertices; in higher dimensions some may have been missed
            out.families.append(FoundFamily(self.S, dim, tuple(profiles), dim == 1 and len(profiles) == 2))
        return out

    def _strictly_feasible(self, Aub, bub, dL) -> bool:
        """Whether some point has every positivity constraint strictly positive (maximise the
        smallest positivity slack ``s``)."""
        A1 = np.hstack([Aub, np.zeros((len(bub), 1))])
        A1[:self.npos, -1] = 1.0
        bounds = [(None, None)] * dL + [(None, 1.0)]
        res = linprog(np.r_[np.zeros(dL), -1.0], A_ub=A1, b_ub=bub, bounds=bounds, method="highs")
        return res.status == 0 and -res.fun > _LP_MARGIN

    def _implicit_rank(self, cons, Aub, bub) -> int:
        """Rank of the weak constraints that hold with equality everywhere (implicit equalities)."""
        tight = []
        for k in range(self.npos, len(cons)):
            if not any(cons[k][1]):
                continue
            r = linprog(np.array([-float(a) for a in cons[k][1]]), A_ub=Aub, b_ub=bub,
                        bounds=[(None, None)] * Aub.shape[1], method="highs")
            if r.status == 0 and float(cons[k][0]) - r.fun <= _LP_MARGIN:
                tight.append(k)
        return exact_rank([list(cons[k][1]) for k in tight])

    def _vertices(self, cons, x0, basis, Aub, bub) -> list:
        """Vertices optimising each probability coordinate both ways, each re-solved exactly."""
        vertices = []
        for idx in range(self.n):
            coord = [v[idx] for v in basis]
            for sign in (1.0, -1.0):
                check(self.deadline)
                r = linprog(np.array([sign * float(a) for a in coord]), A_ub=Aub, b_ub=bub,
                            bounds=[(None, None)] * len(basis), method="highs")
                if r.status != 0:
                    continue
                v = self._exact_vertex(r.x, cons, x0, basis)
                if v is not None:
                    vertices.append(v)
        return vertices

    def _exact_vertex(self, t_float, cons, x0, basis):
        """Exact vertex whose active constraints are those tight at ``t_float``."""
        dL = len(basis)
        vals = [float(c0) + sum(float(a) * t for a, t in zip(c, t_float)) for c0, c in cons]
        active = [k for k, v in enumerate(vals) if abs(v) <= _ACTIVE_TOLERANCE]
        rows = [list(cons[k][1]) for k in active]
        rhs = [-cons[k][0] for k in active]
        sol = _affine_solve(rows, rhs, dL)
        if sol is None or sol[1]:
            return None
        t = sol[0]
        if any(c0 + sum(a * b for a, b in zip(c, t)) < 0 for c0, c in cons):
            return None
        return [x0[k] + sum(t[m] * basis[m][k] for m in range(dL)) for k in range(self.n)]


def _unit(k: int, n: int) -> list[Fraction]:
    return [Fraction(int(m == k)) for m in range(n)]


def _one_mixing(G, S, i: int, deadline) -> Outcome:
    """Player i mixes, everyone else is pure: i must be indifferent and the others best replies."""
    M = _payoff_vector(G, i, S)
    vals = [M[a] for a in S[i]]
    if any(v != vals[0] for v in vals) or any(M[b] > vals[0] for b in range(len(M))):
        return Outcome()
    k = len(S[i])
    eqs = [([Fraction(1)] * k, Fraction(-1))]
    ineqs = [(_unit(a, k), Fraction(0)) for a in range(k)]
    for j in range(G.shape[0]):
        if j == i:
            continue
        P = _payoff_matrix(G, j, i, S)  # (n_j, k_i)
        s0 = S[j][0]
        for b in range(P.shape[0]):
            if b != s0:
                ineqs.append(([to_fraction(P[s0, m] - P[b, m]) for m in range(k)], Fraction(0)))
    return _LinearFamily(G, S, [i], eqs, ineqs, k, deadline).solve()


def _block_nonempty(x0, basis, rows) -> bool:
    """Whether some p = x0 + sum t_k basis_k has p >= 0 and row . p >= 0 for every row (a float
    phase-I test that only answers False on a clear margin)."""
    k = len(x0)
    X0 = np.array([float(v) for v in x0])
    Bm = _float_rows(basis).reshape(len(basis), k)
    R = np.vstack([np.eye(k)] + ([_float_rows(rows)] if rows else []))
    # constraints R (x0 + t B) >= 0 with t free: write t = t+ - t-
    A = R @ Bm.T                    # (rows, len(basis))
    c = R @ X0
    scale = max(1.0, float(np.abs(A).max(initial=0)), float(np.abs(c).max(initial=0)))
    A, c = A / scale, c / scale
    # feasibility of {z >= 0 : -[A, -A] z <= c}
    return polyhedron_nonempty(np.hstack([-A, A]), c)


def _placed(values: list[Fraction], start: int, n: int) -> list[Fraction]:
    """A row of ``n`` coefficients holding ``values`` from position ``start``, zero elsewhere."""
    c = [Fraction(0)] * n
    c[start:start + len(values)] = values
    return c


def _bimatrix_polytope(G, S, i: int, l: int, blocks, deadline) -> Outcome:
    """Two players, both mixing, with a degenerate block: the joint polytope of the two players'
    indifference equations and best-reply constraints."""
    n = len(S[i]) + len(S[l])
    off = {i: 0, l: len(S[i])}
    eqs, ineqs = [], []
    for me, other in ((i, l), (l, i)):
        P = blocks[other][1]
        s0 = S[me][0]
        k = len(S[other])
        for s in S[me][1:]:
            eqs.append((_placed([to_fraction(P[s, m] - P[s0, m]) for m in range(k)], off[other], n), Fraction(0)))
        eqs.append((_placed([Fraction(1)] * k, off[other], n), Fraction(-1)))
        for b in range(P.shape[0]):
            if b not in S[me]:
                ineqs.append((_placed([to_fraction(P[s0, m] - P[b, m]) for m in range(k)], off[other], n), Fraction(0)))
    pos = [(_unit(k, n), Fraction(0)) for k in range(n)]
    return _LinearFamily(G, S, sorted((i, l)), eqs, pos + ineqs, n, deadline).solve()


def _two_mixing(G, S, i: int, l: int, deadline) -> Outcome | None:
    """Players i and l mix, the others are pure; None when the general route is needed."""
    blocks = {}
    for me, other in ((i, l), (l, i)):
        P = _payoff_matrix(G, me, other, S)  # (n_me, k_other)
        k = len(S[other])
        s0 = S[me][0]
        A = [[to_fraction(P[s, m] - P[s0, m]) for m in range(k)] for s in S[me][1:]] + [[Fraction(1)] * k]
        b = [Fraction(0)] * (len(S[me]) - 1) + [Fraction(1)]
        sol = _affine_solve(A, b, k)
        if sol is None:
            return Outcome()
        blocks[other] = (sol, P)
    if not blocks[i][0][1] and not blocks[l][0][1]:
        mixed = {j: blocks[j][0][0] for j in (i, l)}
        if any(v <= 0 for j in (i, l) for v in mixed[j]):
            return Outcome()
        out = Outcome()
        prof = full_profile(G, S, mixed)
        if verified(G, prof):
            out.points.append(prof)
        return out
    # each block separately: player me's indifference and best-reply constraints bound p_other
    for me, other in ((i, l), (l, i)):
        (x0, basis), P = blocks[other]
        s0 = S[me][0]
        rows = [[to_fraction(P[s0, m] - P[b, m]) for m in range(len(S[other]))]
                for b in range(P.shape[0]) if b not in S[me]]
        if not _block_nonempty(x0, basis, rows):
            return Outcome()
    if G.shape[0] == 2:
        return _bimatrix_polytope(G, S, i, l, blocks, deadline)
    return None


def linear_route(G, S, mixing, deadline) -> Outcome | None:
    """Supports with one or two mixing players. Returns None when the general route is needed."""
    if len(mixing) == 1:
        return _one_mixing(G, S, mixing[0], deadline)
    return _two_mixing(G, S, mixing[0], mixing[1], deadline)


def float_linear(Gf, S, mixing):
    """Two mixing players, generic float game: two square linear systems (each player's
    indifference fixes the other's mixture)."""
    i, l = mixing
    mixed = {}
    for me, other in ((i, l), (l, i)):
        P = _payoff_matrix(Gf, me, other, S)
        s0 = S[me][0]
        A = np.array([[P[s, m] - P[s0, m] for m in range(len(S[other]))] for s in S[me][1:]]
                     + [[1.0] * len(S[other])])
        b = np.zeros(len(S[me]))
        b[-1] = 1.0
        if A.shape[0] != A.shape[1]:
            return None
        try:
            x = np.linalg.solve(A, b)
        except np.linalg.LinAlgError:
            return None
        if np.any(x <= 0):
            return None
        mixed[other] = list(x / x.sum())
    prof = full_profile(Gf, S, mixed)
    return prof if verified(Gf, prof) else None
