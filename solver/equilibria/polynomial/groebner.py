"""Support systems with three or more mixing players: Gröbner bases over the rationals.

Every equilibrium solves the indifference equations of its own support profile, a system of
multilinear polynomial equations (McKelvey and McLennan, Handbook of Computational Economics
vol. 1 (1996) ch. 2, §6); R. S. Datta ("Using computer algebra to find Nash equilibria", ISSAC
2003) solves them with Gröbner bases. The unknowns are the probabilities of the players who mix,
with ``p_j[s0] = 1 - sum(rest)``; the constraints are positivity on the support and "no better
reply outside it".

A Gröbner basis (sympy, grevlex) decides emptiness and the dimension (Cox, Little and O'Shea,
"Ideals, Varieties, and Algorithms", ch. 9). Zero-dimensional systems are solved by
:func:`~solver.equilibria.polynomial.algebraic.solve_zero_dim`. Positive-dimensional systems are
*families*: sample points come from adding each constraint as an equation (the family's boundary,
recursively for dimension <= 2), and an interior point from a slice fixing a maximal independent
set of variables between boundary samples, accepted when the Jacobian has rank ``n - dim`` there.
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from sympy.polys.domains import QQ
from sympy.polys.orderings import grevlex
from sympy.polys.rings import ring

from solver.core.deadline import check
from solver.equilibria.polynomial.algebraic import (Root, dimension, eval_poly, groebner_basis, is_unit_ideal, qq,
                                                    solve_zero_dim)
from solver.equilibria.polynomial.common import (FoundFamily, Outcome, full_profile, has_support, mixing_players,
                                                 same_profile, verified)
from solver.equilibria.polynomial.linear import exact_rank
from solver.equilibria.polynomial.tracking import numeric_support

#: Boundary recursion (family sample points) only for families of at most this dimension.
_MAX_BOUNDARY_DIM = 2
#: At most this many slices are tried for an interior point of a family.
_MAX_SLICES = 30
#: Fixed "generic" slice values, used after the values between boundary samples.
_GENERIC_VALUES = (Fraction(1, 3), Fraction(5, 11), Fraction(2, 7), Fraction(7, 9), Fraction(1, 13), Fraction(12, 13))


class _PolySystem:
    """The support system as sympy ring polynomials over QQ (grevlex), with its constraints:
    positivity first (``npos`` of them), then the best-reply inequalities."""

    def __init__(self, G, S):
        self.G, self.S = G, S
        self.mixing = mixing_players(S)
        names = [f"p{j + 1}_{s}" for j in self.mixing for s in S[j][1:]]
        self.ring = ring(",".join(names), QQ, grevlex)[0]
        R = self.ring
        probs = {}
        g = 0
        for j in self.mixing:
            qs = list(R.gens[g:g + len(S[j]) - 1])
            g += len(S[j]) - 1
            probs[j] = [R.one - sum(qs, R.zero)] + qs
        self.payoff = {i: self._payoff_polys(i, probs) for i in range(G.shape[0])}
        self.equations = []
        for i in self.mixing:
            s0 = S[i][0]
            for s in S[i][1:]:
                e = self.payoff[i][s] - self.payoff[i][s0]
                if e:
                    self.equations.append(e)
        self.n_equations_total = sum(len(S[i]) - 1 for i in self.mixing)
        self.constraints = [probs[j][m] for j in self.mixing for m in range(len(S[j]))]
        self.npos = len(self.constraints)
        for i in range(G.shape[0]):
            s0 = S[i][0]
            self.constraints += [self.payoff[i][s0] - self.payoff[i][b] for b in range(G.shape[1 + i]) if b not in S[i]]

    def _payoff_polys(self, i: int, probs) -> list:
        """Player i's expected payoff of each of its strategies, as polynomials."""
        G, S, R = self.G, self.S, self.ring
        N = G.shape[0]
        others = [j for j in range(N) if j != i]
        vec = [R.zero] * G.shape[1 + i]
        for prof in itertools.product(*[range(len(S[j])) for j in others]):
            w = R.one
            idx = [0] * N
            for j, m in zip(others, prof):
                if j in probs:
                    w = w * probs[j][m]
                idx[j] = S[j][m]
            for a in range(G.shape[1 + i]):
                idx[i] = a
                u = G[(i,) + tuple(idx)]
                if u != 0:
                    vec[a] = vec[a] + w * qq(u)
        return vec

    def variable_value(self, prof, v: int) -> Fraction:
        """The value of unknown ``v`` at profile ``prof`` (rounded to a rational if a float)."""
        g = 0
        for j in self.mixing:
            k = len(self.S[j]) - 1
            if v < g + k:
                val = prof[j][self.S[j][1 + v - g]]
                return val if isinstance(val, Fraction) else Fraction(float(val)).limit_denominator(10 ** 6)
            g += k
        raise IndexError(v)


class GeneralSolver:
    """Gröbner-basis route for one support system (exact payoffs)."""

    def __init__(self, G, S, deadline):
        self.G, self.S, self.deadline = G, S, deadline
        self.sys = _PolySystem(G, S)
        self.R = self.sys.ring
        self.n = len(self.R.gens)

    def _profile(self, root: Root):
        mixed = {}
        g = 0
        for j in self.sys.mixing:
            k = len(self.S[j])
            qs = root.values[g:g + k - 1]
            g += k - 1
            if root.exact:
                mixed[j] = [1 - sum(qs, Fraction(0))] + list(qs)
            else:
                qf = [float(v) for v in qs]
                mixed[j] = [1.0 - sum(qf)] + qf
        return full_profile(self.G, self.S, mixed)

    def _strict(self, root) -> bool:
        np_ = self.sys.npos
        return all(s > 0 for s in root.signs[:np_]) and all(s >= 0 for s in root.signs[np_:])

    @staticmethod
    def _closed(root) -> bool:
        return all(s >= 0 for s in root.signs)

    def _accept(self, root):
        prof = self._profile(root)
        if not root.exact:
            prof = tuple(np.clip(p, 0.0, None) / np.clip(p, 0.0, None).sum() for p in prof)
        return prof if verified(self.G, prof) else None

    def solve(self) -> Outcome:
        out = Outcome()
        G = groebner_basis(self.sys.equations, self.R)
        if is_unit_ideal(G):
            return out
        d, U = dimension(G, self.n)
        if d > 0:
            self._family(G, d, U, out)
            return out
        for root in solve_zero_dim(G, self.R, self.sys.constraints, self.deadline):
            if self._strict(root):
                prof = self._accept(root)
                if prof is not None:
                    out.points.append(prof)
                else:
                    out.unsure = True
                    out.remark(self.S, "a root failed verification")
        return out

    def _boundary_samples(self, G, d, live) -> list:
        """Equilibria on the family's boundary: the variety with one constraint made an equation."""
        samples: list = []
        seen: set = set()
        if d > _MAX_BOUNDARY_DIM:
            return samples
        for k in live:
            check(self.deadline)
            for root in self._points_on(list(G) + [self.sys.constraints[k]], depth=d):
                key = tuple(round(float(v), 9) for v in root.values)
                if key in seen:
                    continue
                seen.add(key)
                prof = self._accept(root)
                if prof is not None and not any(same_profile(prof, q) for q in samples):
                    samples.append(prof)
        return samples

    def _interior_point(self, G, d, U, samples):
        """A point of the family with the whole support, on a slice with a regular Jacobian."""
        for W, u in self._slice_candidates(U, samples, d):
            check(self.deadline)
            extra = [self.R.gens[v] - qq(val) for v, val in zip(W, u)]
            Gs = groebner_basis(list(G) + extra, self.R)
            if is_unit_ideal(Gs) or dimension(Gs, self.n)[0] != 0:
                continue
            for root in solve_zero_dim(Gs, self.R, self.sys.constraints, self.deadline):
                if self._strict(root) and self._jacobian_rank(G, root) <= self.n - d:
                    prof = self._accept(root)
                    if prof is not None:
                        return prof
        return None

    def _family(self, G, d, U, out: Outcome):
        """Positive-dimensional solution set: look for interior points and boundary samples."""
        cons = self.sys.constraints
        # a positivity constraint identically zero on the variety leaves no interior
        if any(not cons[k].rem(G) for k in range(self.sys.npos)):
            return
        samples = self._boundary_samples(G, d, [k for k, c in enumerate(cons) if c.rem(G)])
        interior = self._interior_point(G, d, U, samples)
        if interior is not None:
            out.families.append(FoundFamily(self.S, d, tuple(samples) + (interior,)))
            # isolated roots of a square system besides the family: numeric check
            if len(self.sys.equations) == self.sys.n_equations_total and self.sys.n_equations_total:
                self._isolated_numeric(out)
            return
        # no interior point: closure samples with exactly this support are (pinched) equilibria
        own = [prof for prof in samples if has_support(prof, self.S)]
        out.points.extend(own)
        if len(own) > 1:
            out.unsure = True
            out.remark(self.S, "{dimension}-dimensional variety with {count} boundary equilibria but no interior "
                               "point found on slices", dimension=d, count=len(own))

    def _points_on(self, polys, depth) -> list[Root]:
        """Closure-feasible points of the variety of ``polys`` (vertices of the boundary)."""
        Gs = groebner_basis(polys, self.R)
        if is_unit_ideal(Gs):
            return []
        d, U = dimension(Gs, self.n)
        cons = self.sys.constraints
        if d == 0:
            return [r for r in solve_zero_dim(Gs, self.R, cons, self.deadline) if self._closed(r)]
        found = []
        if depth <= 1:
            # one slice through the middle
            for u in self._slice_values(U, [], d)[:2]:
                extra = [self.R.gens[v] - qq(val) for v, val in zip(U, u)]
                Gt = groebner_basis(list(Gs) + extra, self.R)
                if is_unit_ideal(Gt) or dimension(Gt, self.n)[0] != 0:
                    continue
                found += [r for r in solve_zero_dim(Gt, self.R, cons, self.deadline) if self._closed(r)]
            return found
        for c in cons:
            if c.rem(Gs):
                found += self._points_on(list(Gs) + [c], depth - 1)
        return found

    def _slice_candidates(self, U, samples, d) -> list[tuple[tuple[int, ...], tuple[Fraction, ...]]]:
        """(variables, values) to slice at. Components of the variety may have different
        independent sets, so with boundary samples every d-subset of variables is tried with
        values between the samples; then generic values for U."""
        out = []
        if samples:
            subsets = [tuple(U)] + [W for W in itertools.combinations(range(self.n), d) if W != tuple(U)]
            for W in subsets:
                out += [(W, u) for u in self._slice_values(W, samples, d, generic=False)]
        out += [(tuple(U), u) for u in self._slice_values(U, [], d)]
        return list(dict.fromkeys(out))[:_MAX_SLICES]

    def _slice_values(self, U, samples, d, generic: bool = True) -> list[tuple[Fraction, ...]]:
        """Candidate values of the independent variables: between sample coordinates, then
        fixed 'generic' rationals."""
        cands = []
        if samples and d == 1:
            vals = sorted({self.sys.variable_value(prof, U[0]) for prof in samples})
            cands += [((a + b) / 2,) for a, b in zip(vals, vals[1:])]
        elif samples:
            pts = [tuple(self.sys.variable_value(prof, v) for v in U) for prof in samples]
            cands.append(tuple(sum(p[k] for p in pts) / len(pts) for k in range(d)))
            cands += [tuple((x + y) / 2 for x, y in zip(a, b)) for a, b in itertools.combinations(pts, 2)]
        values = _GENERIC_VALUES
        for r in range(len(values) if generic else 0):
            cands.append(tuple(values[(r + 2 * k) % len(values)] for k in range(d)))
        return list(dict.fromkeys(tuple(Fraction(x) for x in c) for c in cands))[:10]

    def _jacobian_rank(self, G, root: Root) -> int:
        rows = [[eval_poly(p.diff(self.R.gens[k]), root.values) for k in range(self.n)] for p in G]
        if root.exact:
            return exact_rank(rows)
        return int(np.linalg.matrix_rank(np.array(rows, dtype=float), tol=1e-9))

    def _isolated_numeric(self, out: Outcome):
        """Nonsingular isolated roots of the square system, found by homotopy."""
        pts, _ = numeric_support(self.G, self.S, self.deadline, nonsingular_only=True)
        for prof in pts:
            if not any(same_profile(prof, q) for f in out.families for q in f.points):
                out.points.append(prof)
