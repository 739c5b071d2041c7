"""One Nash equilibrium of an N-player normal-form game by tracing the logit QRE path.

Sources
-------
* R. D. McKelvey and T. R. Palfrey, "Quantal response equilibria for normal form games",
  Games and Economic Behavior 10 (1995) 6–38 — the logit correspondence: each player plays
  ``sigma_i(a) ∝ exp(lambda * u_i(a, sigma_-i))``; at ``lambda = 0`` the unique solution is the
  uniform profile and its principal branch converges to a Nash equilibrium as ``lambda → ∞``.
* T. L. Turocy, "A dynamic homotopy interpretation of the logistic quantal response equilibrium
  correspondence", Games and Economic Behavior 51 (2005) 243–263 — tracing the branch in
  log-probabilities with a predictor–corrector method.
* E. L. Allgower and K. Georg, "Introduction to Numerical Continuation Methods" (SIAM 2003),
  ch. 2–6 — pseudo-arclength continuation with tangent predictor and Newton corrector.

Method
------
Payoffs are rescaled to [0, 1]. Unknowns are ``beta_i(a) = log sigma_i(a)`` and ``lambda``; the
equations are ``sum_a exp(beta_i(a)) = 1`` and ``beta_i(a) - beta_i(0) = lambda (u_i(a) - u_i(0))``.
The curve is followed by arclength from ``lambda = 0``. Whenever the current point is close to
equilibrium its likely supports (the strategies above a few relative probability cuts) are
*polished*: Newton's method (least squares when singular) on the indifference equations of that
support, accepted when the regret is at most ``1e-9`` times the payoff range
(:func:`solver.core.numbers.regret_tolerance`). Failing that, tracing continues until the logit
point itself has regret at most ``1e-6`` times the range; that point is then polished the same way
and, for exact payoffs, its support's exact system is solved
(:func:`solver.equilibria.polynomial.support_equilibria`).

The answer is made exact where it can be: for exact payoffs (``int`` / ``Fraction``, or floats
that are small-denominator rationals) the polished profile is rounded to rationals and kept when
its regret is exactly 0, and a support with at most two mixing players is solved exactly. An
irrational equilibrium stays a float with regret within the tolerance. If nothing verifies, the
best logit point is returned with ``approximate=True`` and its measured regret. If tracing breaks
down before getting close, support enumeration (:mod:`solver.equilibria.polynomial`) is the
fallback.

``deadline`` is a :func:`time.monotonic` value; when it passes the result has ``complete=False``,
a ``deadline`` note and at most the best logit point so far (marked approximate).
"""
from __future__ import annotations

import math
from typing import Iterator, Sequence

import numpy as np

from solver.core.deadline import DeadlinePassed, check
from solver.core.numbers import payoff_scale, regret_tolerance
from solver.core.profiles import pure_profile
from solver.core.regret import is_nash, max_regret
from solver.equilibria.polynomial import enumerate_polynomial, prepared_payoffs, rational_profile, support_equilibria
from solver.equilibria.result import APPROXIMATE, DEADLINE, INFO, ONE_EQUILIBRIUM, AlgorithmResult, Note

__all__ = ["one_equilibrium", "polish"]

LABEL = "homotopy (logit QRE tracing)"
#: Relative regret at which tracing stops and the logit point itself is polished.
COARSE_TOLERANCE = 1e-6
#: Polishing starts once the relative regret is below this and lambda above ``_POLISH_LAMBDA``.
_POLISH_REGRET = 1e-2
_POLISH_LAMBDA = 1.0
#: Relative probability cuts giving candidate supports, most plausible first.
_SUPPORT_CUTS = (1e-1, 1e-2, 1e-3, 1e-6, 1e-9)
#: Denominator bounds tried when rounding a polished profile to rationals.
_ROUNDING_BOUNDS = (10, 100, 1000, 10 ** 4, 10 ** 6)
_MAX_STEPS = 50_000
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ONE = Note(ONE_EQUILIBRIUM, "the homotopy finds one equilibrium; others may exist")


class _Game:
    """Payoff tensor rescaled to [0, 1] with cached einsum subscripts."""

    def __init__(self, payoffs: np.ndarray):
        self.U = np.asarray(payoffs, dtype=float)
        lo, hi = float(self.U.min()), float(self.U.max())
        self.scale = max(hi - lo, 1e-300)
        self.V = (self.U - lo) / self.scale
        self.N = self.U.shape[0]
        self.sizes = self.U.shape[1:]
        self.off = np.cumsum([0] + list(self.sizes))
        self.n = int(self.off[-1])
        L = _LETTERS[:self.N]
        self._v = [",".join([L] + [L[k] for k in range(self.N) if k != i]) + "->" + L[i] for i in range(self.N)]
        self._dv = {}
        for i in range(self.N):
            for j in range(self.N):
                if i != j:
                    ops = [L] + [L[k] for k in range(self.N) if k not in (i, j)]
                    self._dv[i, j] = ",".join(ops) + "->" + L[i] + L[j]

    def values(self, sigma: Sequence[np.ndarray]) -> list[np.ndarray]:
        return [np.einsum(self._v[i], self.V[i], *[sigma[k] for k in range(self.N) if k != i])
                for i in range(self.N)]

    def cross(self, sigma, i, j) -> np.ndarray:
        """d u_i(a) / d sigma_j(b) as an (n_i, n_j) matrix."""
        return np.einsum(self._dv[i, j], self.V[i], *[sigma[k] for k in range(self.N) if k not in (i, j)])


def _split(game: _Game, vec):
    return [vec[game.off[i]:game.off[i + 1]] for i in range(game.N)]


def _system(game: _Game, x: np.ndarray):
    """H(x) and its Jacobian (n x (n+1)) for x = (beta, lambda)."""
    beta, lam = x[:-1], x[-1]
    sigma = [np.exp(b) for b in _split(game, beta)]
    vals = game.values(sigma)
    n = game.n
    H = np.empty(n)
    J = np.zeros((n, n + 1))
    for i in range(game.N):
        o = game.off[i]
        k = game.sizes[i]
        H[o] = sigma[i].sum() - 1.0
        J[o, o:o + k] = sigma[i]
        d = vals[i][1:] - vals[i][0]
        H[o + 1:o + k] = beta[o + 1:o + k] - beta[o] - lam * d
        J[o + 1:o + k, o + 1:o + k] = np.eye(k - 1)
        J[o + 1:o + k, o] = -1.0
        J[o + 1:o + k, n] = -d
        for j in range(game.N):
            if j == i:
                continue
            C = game.cross(sigma, i, j)
            dd = C[1:] - C[:1]
            oj = game.off[j]
            J[o + 1:o + k, oj:oj + game.sizes[j]] = -lam * dd * sigma[j][None, :]
    return H, J, sigma


def _tangent(J: np.ndarray, prev: np.ndarray | None) -> np.ndarray:
    if prev is None:
        # null vector of J by SVD
        _, _, vt = np.linalg.svd(J)
        t = vt[-1]
        return t if t[-1] > 0 else -t
    A = np.vstack([J, prev])
    rhs = np.zeros(A.shape[0])
    rhs[-1] = 1.0
    t = np.linalg.solve(A, rhs)
    t /= np.linalg.norm(t)
    return t if t @ prev > 0 else -t


def polish(payoffs: np.ndarray, support: Sequence[Sequence[int]], start: Sequence[np.ndarray],
           iterations: int = 30):
    """Newton's method (least-squares steps) on the indifference equations of ``support`` from
    ``start``. Returns a float profile that passes :func:`is_nash`, or None."""
    U = np.asarray(payoffs, dtype=float)
    N = U.shape[0]
    sizes = U.shape[1:]
    scale = payoff_scale(U)
    V = U / scale
    S = [list(s) for s in support]
    ks = [len(s) for s in S]
    off = np.cumsum([0] + ks)
    nvar = int(off[-1]) + N
    z = np.zeros(nvar)
    for i in range(N):
        p = np.asarray(start[i], dtype=float)[S[i]]
        p = np.clip(p, 1e-12, None)
        z[off[i]:off[i + 1]] = p / p.sum()
    game = _Game(U)
    prof = _expand(z, S, off, sizes)
    for i in range(N):
        vals_i = np.einsum(game._v[i], V[i], *[prof[k] for k in range(N) if k != i])
        z[off[-1] + i] = float(np.dot(vals_i, prof[i]))
    for _ in range(iterations):
        prof = _expand(z, S, off, sizes)
        vals = [np.einsum(game._v[i], V[i], *[prof[k] for k in range(N) if k != i]) for i in range(N)]
        F = []
        J = np.zeros((int(off[-1]) + N, nvar))
        row = 0
        for i in range(N):
            for a in S[i]:
                F.append(vals[i][a] - z[off[-1] + i])
                for j in range(N):
                    if j == i:
                        continue
                    C = np.einsum(game._dv[i, j], V[i], *[prof[k] for k in range(N) if k not in (i, j)])
                    J[row, off[j]:off[j + 1]] = C[a, S[j]]
                J[row, off[-1] + i] = -1.0
                row += 1
        for i in range(N):
            F.append(z[off[i]:off[i + 1]].sum() - 1.0)
            J[row, off[i]:off[i + 1]] = 1.0
            row += 1
        F = np.array(F)
        if np.abs(F).max() < 1e-15:
            break
        step, *_ = np.linalg.lstsq(J, -F, rcond=None)
        z = z + step
        if np.abs(step).max() < 1e-16:
            break
    prof = _expand(z, S, off, sizes)
    if any(np.any(p < -1e-12) for p in prof):
        return None
    prof = [np.clip(p, 0.0, None) for p in prof]
    prof = [p / p.sum() for p in prof]
    tidy = [np.where(p < 1e-14, 0.0, p) for p in prof]
    tidy = [p / p.sum() for p in tidy]
    if is_nash(U, tidy):
        return tidy
    return prof if is_nash(U, prof) else None


def _expand(z, S, off, sizes):
    prof = []
    for i, n in enumerate(sizes):
        p = np.zeros(n)
        p[S[i]] = z[off[i]:off[i + 1]]
        prof.append(p)
    return prof


def _candidate_supports(prof) -> list[list[tuple[int, ...]]]:
    """Likely equilibrium supports near a profile, most plausible first."""
    out = []
    for cut in _SUPPORT_CUTS:
        S = [tuple(int(a) for a in np.flatnonzero(p / p.max() > cut)) for p in prof]
        if S not in out:
            out.append(S)
    return out


def _corrected(game: _Game, xp: np.ndarray, t: np.ndarray):
    """Newton's method from ``xp`` on ``H = 0`` within the hyperplane orthogonal to ``t``:
    (point, iterations used, converged)."""
    xc = xp.copy()
    for it in range(8):
        H, J, _ = _system(game, xc)
        if not (np.all(np.isfinite(H)) and np.all(np.isfinite(J))):
            return xc, it, False
        try:
            dx = np.linalg.solve(np.vstack([J, t]), np.concatenate([-H, [0.0]]))
        except np.linalg.LinAlgError:
            return xc, it, False
        xc += dx
        if not np.all(np.isfinite(xc)):
            return xc, it, False
        if np.abs(dx).max() <= 1e-10 * (1 + np.abs(xc).max()):
            return xc, it, True
    return xc, 8, False


def _logit_points(game: _Game, deadline) -> Iterator[tuple[list[np.ndarray], float, int]]:
    """(profile, lambda, step) at each accepted point of the principal branch; stops where the
    tracing breaks down, raises :class:`DeadlinePassed` when the deadline passes."""
    x = np.concatenate([np.concatenate([np.full(k, -math.log(k)) for k in game.sizes]), [0.0]])
    t = _tangent(_system(game, x)[1], None)
    h = 0.3
    for step in range(_MAX_STEPS):
        check(deadline)
        xp = x + h * t
        xc, it, ok = _corrected(game, xp, t)
        if ok:
            try:
                tn = _tangent(_system(game, xc)[1], t)
            except np.linalg.LinAlgError:
                ok = False
        if not ok or np.linalg.norm(xc - xp) > 0.5 * h or tn @ t < 0.95:
            h *= 0.5
            if h < 1e-12:
                return
            continue
        x, t = xc, tn
        if it <= 2:
            h = min(h * 1.6, 1e3 * (1 + x[-1]))
        if x[-1] <= 0 and step > 10:
            return  # left through lambda = 0: abnormal
        sigma = [np.exp(b) for b in _split(game, x[:-1])]
        yield [s / s.sum() for s in sigma], float(x[-1]), step


class _Search:
    """One run: the game in floats and (when exact) in Fractions, and the best logit point."""

    def __init__(self, payoffs, deadline):
        self.G, self.exact, self.float_out = prepared_payoffs(payoffs)
        self.U = np.asarray(self.G, dtype=float)
        self.scale = payoff_scale(self.U)
        self.deadline = deadline
        self.best, self.best_regret = None, math.inf

    def run(self) -> AlgorithmResult:
        if float(self.U.max() - self.U.min()) == 0:     # constant payoffs: anything is an equilibrium
            shape = self.U.shape[1:]
            return self._result(tuple(np.asarray(p, dtype=object) for p in pure_profile([0] * len(shape), shape, True)))
        try:
            with np.errstate(all="ignore"):
                found = self._trace()
        except (np.linalg.LinAlgError, FloatingPointError):
            found = None
        if found is None and self.best is not None:
            found = self._settle(self.best)
        if found is not None:
            return self._result(found)
        if self.best is not None and self.best_regret <= COARSE_TOLERANCE:
            return self._result(self.best)
        return self._fallback()

    def _trace(self):
        """Follow the branch; a verified profile as soon as one of its points polishes to one."""
        tried: set = set()
        for prof, lam, step in _logit_points(_Game(self.U), self.deadline):
            reg = float(max_regret(self.U, prof)) / self.scale
            if reg < self.best_regret:
                self.best, self.best_regret = prof, reg
            if reg < _POLISH_REGRET and lam > _POLISH_LAMBDA:
                for S in _candidate_supports(prof):
                    key = tuple(S)
                    if key in tried and step % 25:
                        continue
                    tried.add(key)
                    pol = polish(self.U, S, prof)
                    if pol is not None:
                        return self._exact_version(pol, S) or pol
            if reg <= COARSE_TOLERANCE:
                return None
        return None

    def _settle(self, prof):
        """A verified equilibrium near the logit point ``prof``, or None."""
        rounded = self._rounded(prof)
        if rounded is not None:
            return rounded
        for S in _candidate_supports(prof):
            pol = polish(self.U, S, prof)
            if pol is not None:
                return self._exact_version(pol, S) or pol
            if self.exact:
                near = self._nearest(prof, support_equilibria(self.G, S, self.deadline))
                if near is not None:
                    return near
        return None

    def _rounded(self, prof):
        """``prof`` rounded to rationals with small denominators, if that is an exact equilibrium."""
        if not self.exact:
            return None
        for bound in _ROUNDING_BOUNDS:
            exact = rational_profile(self.G, prof, bound)
            if exact is not None:
                return exact
        return None

    def _exact_version(self, prof, S):
        """The exact equilibrium a polished float profile approximates, when one is found: by
        rounding, or from the support's exact system when it is linear (two mixing players)."""
        rounded = self._rounded(prof)
        if rounded is not None or not self.exact or sum(len(s) > 1 for s in S) > 2:
            return rounded
        exact = [q for q in support_equilibria(self.G, S, self.deadline) if all(p.dtype == object for p in q)]
        return self._nearest(prof, exact)

    @staticmethod
    def _nearest(prof, candidates):
        if not candidates:
            return None
        return min(candidates, key=lambda q: max(float(np.abs(np.asarray(a, dtype=float) - b).max())
                                                 for a, b in zip(q, prof)))

    def _fallback(self) -> AlgorithmResult:
        """Tracing broke down: one equilibrium from support enumeration."""
        res = enumerate_polynomial(self.G, deadline=self.deadline)
        found = list(res.profiles) + [p for f in res.families for p in f.extreme_points]
        if found:
            return self._result(tuple(np.asarray(p) for p in found[0]))
        if res.has_note(DEADLINE):
            raise DeadlinePassed()
        if self.best is not None:
            return self._result(self.best)
        return self._empty((Note(INFO, "no equilibrium was found"),))

    def stopped(self) -> AlgorithmResult:
        """The deadline passed: the best logit point so far, if any, marked approximate."""
        notes = (Note(DEADLINE),)
        return self._empty(notes) if self.best is None else self._result(self.best, notes)

    def _empty(self, notes) -> AlgorithmResult:
        return AlgorithmResult("homotopy", (), complete=False, label=LABEL, notes=(_ONE,) + notes)

    def _result(self, profile, notes=()) -> AlgorithmResult:
        """The answer: exact Fractions when the profile is exact and the payoffs were given exactly,
        floats otherwise; approximate (with its regret) when the regret is above the tolerance."""
        exact = all(np.asarray(p).dtype == object for p in profile) and not self.float_out
        if exact:
            out = tuple(tuple(p.tolist()) for p in profile)
            regret = max_regret(self.G, list(profile))
        else:
            out = tuple(tuple(float(v) for v in p) for p in profile)
            regret = float(max_regret(self.U, [np.asarray(p, dtype=float) for p in out]))
        notes = (_ONE,) + tuple(notes)
        if regret == 0 or (not exact and regret <= regret_tolerance(self.U)):
            return AlgorithmResult("homotopy", (out,), complete=False, label=LABEL, notes=notes)
        measured = float(regret)
        return AlgorithmResult("homotopy", (out,), complete=False, label=LABEL, approximate=True,
                               regrets=(measured,), notes=notes + (Note(APPROXIMATE, data={"regret": f"{measured:.3g}"}),))


def one_equilibrium(payoffs, *, deadline: float | None = None) -> AlgorithmResult:
    """One Nash equilibrium of the game ``payoffs`` of shape ``(N, n_1, ..., n_N)``.

    The limit of the principal logit-QRE branch, polished on its support to an exact equilibrium
    (exact payoffs, rational equilibrium) or to regret at most ``1e-9`` times the payoff range;
    otherwise marked ``approximate`` with its measured regret. ``complete`` is always False.

    >>> import numpy as np
    >>> mp = np.zeros((3, 2, 2, 2))     # three-player matching pennies
    >>> for a, b, c in np.ndindex(2, 2, 2):
    ...     mp[0, a, b, c] = a == b; mp[1, a, b, c] = b == c; mp[2, a, b, c] = c != a
    >>> one_equilibrium(mp).profiles
    (((0.5, 0.5), (0.5, 0.5), (0.5, 0.5)),)
    >>> one_equilibrium(mp.astype(int)).profiles[0][0]
    (Fraction(1, 2), Fraction(1, 2))
    """
    search = _Search(payoffs, deadline)
    try:
        return search.run()
    except DeadlinePassed:
        return search.stopped()
