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
equilibrium its likely support (strategies within a few ``1/lambda`` of the best reply) is
*polished*: Newton's method (least squares when singular) on the indifference equations of that
support, accepted only if :func:`solver.equilibria.verify.is_nash` passes with regret at most
``1e-9`` times the payoff range. Failing that, tracing continues until the logit point itself has
regret at most ``1e-6`` times the range, which is then returned (float). If tracing breaks down,
support enumeration (:mod:`solver.equilibria.polynomial`) is used as a fallback.

``deadline`` is a :func:`time.monotonic` value; when it passes :class:`HomotopyTimeout` (a
:class:`TimeoutError`) is raised.
"""
from __future__ import annotations

import math
import time
from typing import Sequence

import numpy as np

from solver.core.numbers import payoff_scale
from solver.core.regret import is_nash, max_regret

__all__ = ["HomotopyTimeout", "one_equilibrium", "polish"]

#: Relative regret accepted for an unpolished logit point.
COARSE_TOLERANCE = 1e-6
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class HomotopyTimeout(TimeoutError):
    """The deadline passed before an equilibrium was found."""


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


def _candidate_supports(game: _Game, sigma, vals, lam):
    """Likely equilibrium supports near a logit point, most plausible first."""
    out = []
    for cut in (1e-3, 1e-6, 1e-9):
        S = []
        for i in range(game.N):
            rel = sigma[i] / sigma[i].max()
            S.append(tuple(int(a) for a in np.flatnonzero(rel > cut)))
        if S not in out:
            out.append(S)
    return out


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


def _check(deadline):
    if deadline is not None and time.monotonic() > deadline:
        raise HomotopyTimeout("logit homotopy: deadline passed")


def _trace(game: _Game, U: np.ndarray, deadline, max_steps: int = 50_000):
    """Follow the principal logit branch; return a verified profile or None on breakdown."""
    n = game.n
    x = np.concatenate([np.concatenate([np.full(k, -math.log(k)) for k in game.sizes]), [0.0]])
    H, J, sigma = _system(game, x)
    t = _tangent(J, None)
    h = 0.3
    coarse = None
    tried: set = set()
    for step in range(max_steps):
        _check(deadline)
        xp = x + h * t
        xc = xp.copy()
        ok = False
        for it in range(8):
            H, J, _ = _system(game, xc)
            if not (np.all(np.isfinite(H)) and np.all(np.isfinite(J))):
                break
            A = np.vstack([J, t])
            rhs = np.concatenate([-H, [0.0]])
            try:
                dx = np.linalg.solve(A, rhs)
            except np.linalg.LinAlgError:
                break
            xc += dx
            if not np.all(np.isfinite(xc)):
                break
            if np.abs(dx).max() <= 1e-10 * (1 + np.abs(xc).max()):
                ok = True
                break
        if ok:
            H, J, sigma = _system(game, xc)
            try:
                tn = _tangent(J, t)
            except np.linalg.LinAlgError:
                ok = False
        if not ok or np.linalg.norm(xc - xp) > 0.5 * h or tn @ t < 0.95:
            h *= 0.5
            if h < 1e-12:
                return coarse
            continue
        x, t = xc, tn
        if it <= 2:
            h = min(h * 1.6, 1e3 * (1 + x[-1]))
        lam = x[-1]
        if lam <= 0 and step > 10:
            return coarse  # left through lambda = 0: abnormal
        sigma = [np.exp(b) for b in _split(game, x[:-1])]
        prof = [s / s.sum() for s in sigma]
        reg = float(max_regret(U, prof)) / payoff_scale(U)
        if reg <= COARSE_TOLERANCE:
            coarse = prof
        if reg < 1e-2 and lam > 1.0:
            vals = game.values(sigma)
            for S in _candidate_supports(game, sigma, vals, lam):
                key = tuple(S)
                if key in tried and step % 25:
                    continue
                tried.add(key)
                pol = polish(U, S, prof)
                if pol is not None:
                    return pol
        if coarse is not None:
            return coarse
    return coarse


def one_equilibrium(payoffs, *, deadline: float | None = None) -> tuple[np.ndarray, ...]:
    """One Nash equilibrium (float) of the game ``payoffs`` of shape ``(N, n_1, ..., n_N)``.

    The limit of the principal logit-QRE branch, polished on its support to regret at most
    ``1e-9`` times the payoff range (``1e-6`` if polishing fails).

    >>> import numpy as np
    >>> mp = np.zeros((3, 2, 2, 2))     # three-player matching pennies
    >>> for a, b, c in np.ndindex(2, 2, 2):
    ...     mp[0, a, b, c] = a == b; mp[1, a, b, c] = b == c; mp[2, a, b, c] = c != a
    >>> [np.round(p, 6).tolist() for p in one_equilibrium(mp)]
    [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]
    """
    U = np.asarray(payoffs, dtype=float)
    if U.ndim < 2 or U.shape[0] != U.ndim - 1:
        raise ValueError(f"payoffs must have shape (N, n_1, ..., n_N); got {U.shape}")
    scale = payoff_scale(U)
    # a pure equilibrium in dominant strategies needs no tracing
    if float(U.max() - U.min()) == 0:
        return tuple(np.eye(n)[0] for n in U.shape[1:])
    game = _Game(U)
    prof = None
    try:
        with np.errstate(all="ignore"):
            prof = _trace(game, U, deadline)
    except (np.linalg.LinAlgError, FloatingPointError):
        prof = None
    if prof is not None and float(max_regret(U, prof)) <= COARSE_TOLERANCE * scale:
        return tuple(np.asarray(p, dtype=float) for p in prof)
    # fallback: support enumeration
    from solver.equilibria.polynomial import enumerate_polynomial

    res = enumerate_polynomial(payoffs, deadline=deadline)
    cands = list(res.equilibria) + [s for f in res.families for s in f.sample_points]
    if not cands:
        if deadline is not None and time.monotonic() > deadline:
            raise HomotopyTimeout("logit homotopy: deadline passed")
        raise RuntimeError("no equilibrium found")
    return tuple(np.asarray(p, dtype=float) for p in cands[0])
