"""Numeric solving of support systems: batched linear-product homotopy path tracking.

A. P. Morgan and A. J. Sommese, "A homotopy for solving general polynomial systems that respects
m-homogeneous structures", Appl. Math. Comput. 24 (1987) 101–113: the start system is a product of
random affine forms, one per other player's block, so its solutions (one per multihomogeneous
Bézout assignment, McLennan and McKelvey 1997) are found by linear algebra; the "gamma trick"
(a random complex constant) keeps the paths away from singularities for all but finitely many
choices. All support profiles of one shape are tracked at once (numpy; batched RK4 predictor and
Newton corrector, Allgower and Georg, "Introduction to Numerical Continuation Methods", SIAM
2003, ch. 2–6); endpoints are refined by Newton's method on the target system.
"""
from __future__ import annotations

import numpy as np

from solver.core.deadline import check
from solver.core.numbers import payoff_scale
from solver.equilibria.polynomial.common import full_profile, mixing_players, rational_profile, verified
from solver.equilibria.polynomial.support import bezout_assignments

_LETTERS = "abcdefghijklmnopqrstuvwxy"
#: Path status codes.
RUNNING, REACHED, DIVERGED, FAILED = 0, 1, 2, 3
_MAX_STEPS = 4000
#: Endpoints with a larger Jacobian condition number are singular.
_SINGULAR_CONDITION = 1e8
#: Residual (scaled payoffs) below which an endpoint has converged.
_RESIDUAL = 1e-9


class _Batch:
    """Support systems of one shape (mixing players with support sizes ``ks``)."""

    def __init__(self, ks: tuple[int, ...], D: list[np.ndarray]):
        # D[i]: (n_systems, k_i - 1, *(k_l for l != i)) payoff differences, complex
        self.ks = ks
        self.m = [k - 1 for k in ks]
        self.off = np.cumsum([0] + self.m)
        self.n = int(self.off[-1])
        self.D = D
        self.r = len(ks)

    def probs(self, q):
        return [np.concatenate([1 - q[:, self.off[l]:self.off[l + 1]].sum(1, keepdims=True),
                                q[:, self.off[l]:self.off[l + 1]]], axis=1) for l in range(self.r)]

    def evaluate(self, q, sys_idx):
        """f and its Jacobian for paths ``q`` (B, n) belonging to systems ``sys_idx``."""
        B = q.shape[0]
        P = self.probs(q)
        f = np.zeros((B, self.n), dtype=complex)
        J = np.zeros((B, self.n, self.n), dtype=complex)
        for i in range(self.r):
            if self.m[i] == 0:
                continue
            Di = self.D[i][sys_idx]
            others = [l for l in range(self.r) if l != i]
            letters = _LETTERS[:len(others)]
            for pos, l in enumerate(others):
                ins = ["zm" + letters] + ["z" + letters[k] for k in range(len(others)) if k != pos]
                ops = [Di] + [P[others[k]] for k in range(len(others)) if k != pos]
                Gl = np.einsum(",".join(ins) + "->zm" + letters[pos], *ops)
                if pos == 0:
                    f[:, self.off[i]:self.off[i + 1]] = np.einsum("zmk,zk->zm", Gl, P[l])
                if self.m[l]:
                    J[:, self.off[i]:self.off[i + 1], self.off[l]:self.off[l + 1]] = Gl[:, :, 1:] - Gl[:, :, :1]
        return f, J


class _StartSystem:
    """Linear-product start system: equation (i, r) is the product over the other blocks l of a
    random affine form in block l's variables."""

    def __init__(self, batch: _Batch, rng):
        self.b = batch
        self.C = {}
        for i in range(batch.r):
            for l in range(batch.r):
                if l != i:
                    self.C[i, l] = (rng.normal(size=(batch.m[i], batch.m[l] + 1))
                                    + 1j * rng.normal(size=(batch.m[i], batch.m[l] + 1)))
        # all forms at once: equation e (row of player i), factor f (f-th other block)
        n, r = batch.n, batch.r
        self.nf = r - 1
        self.C0 = np.zeros((n, self.nf), dtype=complex)
        self.Cq = np.zeros((n, self.nf, n), dtype=complex)
        for i in range(r):
            others = [l for l in range(r) if l != i]
            for row in range(batch.m[i]):
                e = batch.off[i] + row
                for f, l in enumerate(others):
                    self.C0[e, f] = self.C[i, l][row, 0]
                    self.Cq[e, f, batch.off[l]:batch.off[l + 1]] = self.C[i, l][row, 1:]
        self.Cflat = self.Cq.reshape(n * self.nf, n).T.copy()

    def evaluate(self, q):
        B, n = q.shape
        L = (q @ self.Cflat).reshape(B, n, self.nf) + self.C0[None]
        g = L.prod(axis=2)
        # products of all factors but one (prefix x suffix)
        pre = np.ones((B, n, self.nf), dtype=complex)
        suf = np.ones((B, n, self.nf), dtype=complex)
        for f in range(1, self.nf):
            pre[:, :, f] = pre[:, :, f - 1] * L[:, :, f - 1]
            suf[:, :, self.nf - 1 - f] = suf[:, :, self.nf - f] * L[:, :, self.nf - f]
        J = np.einsum("bef,efk->bek", pre * suf, self.Cq)
        return g, J

    def solutions(self) -> np.ndarray:
        b = self.b
        sols = []
        eq_owner = [i for i in range(b.r) for _ in range(b.m[i])]
        eq_row = [r for i in range(b.r) for r in range(b.m[i])]
        for a in bezout_assignments(list(b.ks)):
            q = np.zeros(b.n, dtype=complex)
            for l in range(b.r):
                if b.m[l] == 0:
                    continue
                rows = [e for e, tgt in enumerate(a) if tgt == l]
                A = np.array([self.C[eq_owner[e], l][eq_row[e], 1:] for e in rows])
                c0 = np.array([self.C[eq_owner[e], l][eq_row[e], 0] for e in rows])
                q[b.off[l]:b.off[l + 1]] = np.linalg.solve(A, -c0)
            sols.append(q)
        return np.array(sols).reshape(len(sols), b.n)


def _safe_solve(A, b):
    """Batched ``A x = b``; NaN rows where a matrix is singular."""
    try:
        return np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.full(b.shape, np.nan, dtype=complex)
        for k in range(A.shape[0]):
            try:
                out[k] = np.linalg.solve(A[k], b[k])
            except np.linalg.LinAlgError:
                pass
        return out


class _Homotopy:
    """``H(q, t) = (1 - t) gamma g(q) + t f(q)`` between the start system g and the target f."""

    def __init__(self, batch: _Batch, start: _StartSystem, gamma: complex):
        self.batch, self.start, self.gamma = batch, start, gamma

    def values(self, q, t, idx):
        """H, its Jacobian in q and its derivative in t."""
        f, Jf = self.batch.evaluate(q, idx)
        g, Jg = self.start.evaluate(q)
        a = (1 - t)[:, None] * self.gamma
        return a * g + t[:, None] * f, a[:, :, None] * Jg + t[:, None, None] * Jf, f - self.gamma * g

    def tangent(self, q, t, idx):
        _, Hq, Ht = self.values(q, t, idx)
        return -_safe_solve(Hq, Ht)

    def step(self, q, t, h, idx):
        """An RK4 predictor step of length ``h`` then three Newton corrections: (point, new t,
        whether the corrector converged)."""
        k1 = self.tangent(q, t, idx)
        k2 = self.tangent(q + 0.5 * h[:, None] * k1, t + 0.5 * h, idx)
        k3 = self.tangent(q + 0.5 * h[:, None] * k2, t + 0.5 * h, idx)
        k4 = self.tangent(q + h[:, None] * k3, t + h, idx)
        qp = q + (h / 6)[:, None] * (k1 + 2 * k2 + 2 * k3 + k4)
        t1 = t + h
        qc = qp.copy()
        scale = 1 + np.abs(q).max(1)
        first = None
        for _ in range(3):
            Hv, Hq, _ = self.values(qc, t1, idx)
            dq = _safe_solve(Hq, -Hv)
            qc = qc + dq
            nd = np.abs(dq).max(1)
            if first is None:
                first = nd
        good = (np.isfinite(qc).all(1) & (nd <= 1e-9 * scale) & (first <= 0.05 * scale) & np.isfinite(qp).all(1))
        return qc, t1, good


def _endgame(batch: _Batch, q, sys_idx, ends):
    """Newton on the target system from the endpoints ``ends``: (converged, singular) masks."""
    ok = np.zeros(q.shape[0], dtype=bool)
    sing = np.zeros(q.shape[0], dtype=bool)
    if ends.size:
        qe = q[ends]
        idx = sys_idx[ends]
        for _ in range(8):
            f, J = batch.evaluate(qe, idx)
            dq = _safe_solve(J, -f)
            dq[~np.isfinite(dq).all(1)] = 0
            qe = qe + dq
        f, J = batch.evaluate(qe, idx)
        with np.errstate(all="ignore"):
            cond = np.linalg.cond(J)
        q[ends] = qe
        ok[ends] = np.abs(f).max(1) <= _RESIDUAL
        sing[ends] = ~(cond < _SINGULAR_CONDITION)
    return ok, sing


def _track_batch(batch: _Batch, deadline, seed: int = 0, h_max: float = 0.2):
    """Track all paths of all systems in ``batch``; returns endpoints (S, P, n) and the masks
    ok (converged), singular, and the path status (REACHED t = 1, DIVERGED, FAILED)."""
    rng = np.random.default_rng(seed)
    start = _StartSystem(batch, rng)
    q0 = start.solutions()
    P = q0.shape[0]
    S = batch.D[0].shape[0] if batch.D else 0
    homotopy = _Homotopy(batch, start, np.exp(2j * np.pi * rng.random()))
    q = np.tile(q0, (S, 1))
    sys_idx = np.repeat(np.arange(S), P)
    B = q.shape[0]
    t = np.zeros(B)
    h = np.full(B, 0.05)
    streak = np.zeros(B, dtype=int)
    status = np.full(B, RUNNING)
    for _ in range(_MAX_STEPS):
        act = np.flatnonzero(status == RUNNING)
        if act.size == 0:
            break
        check(deadline)
        qc, t1, good = homotopy.step(q[act], t[act], np.minimum(h[act], 1 - t[act]), sys_idx[act])
        ga, ba = act[good], act[~good]
        q[ga] = qc[good]
        t[ga] = t1[good]
        streak[ga] += 1
        grow = ga[streak[ga] >= 3]
        h[grow] = np.minimum(h[grow] * 2, h_max)
        streak[grow] = 0
        h[ba] *= 0.5
        streak[ba] = 0
        status[ga[t[ga] >= 1.0]] = REACHED
        qa = np.abs(q[ga]).max(1)
        status[ga[(qa > 1e8) | ((qa > 1e4) & (t[ga] > 0.95) & (t[ga] < 1.0))]] = DIVERGED
        status[ba[h[ba] < 1e-14]] = FAILED
    ok, sing = _endgame(batch, q, sys_idx, np.where((status == REACHED) | ((status == FAILED) & (t > 0.999)))[0])
    n = batch.n
    return q.reshape(S, P, n), ok.reshape(S, P), sing.reshape(S, P), status.reshape(S, P)


def _difference_tensors(Gf: np.ndarray, S, mixing) -> list[np.ndarray]:
    """For each mixing player i: its payoff differences over its support (relative to S_i[0])
    as a tensor over the other mixing players' supports (pure players fixed)."""
    N = Gf.shape[0]
    out = []
    for i in mixing:
        t = Gf[i]
        for j in reversed(range(N)):
            if j in mixing:
                t = np.take(t, list(S[j]), axis=j)
            else:
                t = np.take(t, S[j][0], axis=j)
        # axes now: mixing players in order; move i's axis first
        t = np.moveaxis(t, mixing.index(i), 0)
        out.append(t[1:] - t[:1])
    return out


def _has_crossing(Q: np.ndarray, regular: np.ndarray) -> bool:
    """Two regular endpoints at the same root: a path jumped to another path."""
    pts = Q[regular]
    for a in range(len(pts)):
        for b in range(a + 1, len(pts)):
            if np.abs(pts[a] - pts[b]).max() <= 1e-7 * (1 + np.abs(pts[a]).max()):
                return True
    return False


def _maybe_feasible(qv) -> bool:
    """A failed endpoint that might lie in the simplex."""
    return bool(np.all(np.isfinite(qv)) and np.abs(qv.imag).max(initial=0) < 1e-3
                and np.all(qv.real > -1e-3) and np.all(qv.real < 1 + 1e-3))


def _profile_from_q(Gf, S, mixing, batch, q):
    """The profile of a real root ``q`` (None when it leaves the simplex)."""
    mixed = {}
    for pos, j in enumerate(mixing):
        qs = q[batch.off[pos]:batch.off[pos + 1]]
        p = np.concatenate([[1 - qs.sum()], qs])
        if np.any(p < -1e-9) or np.any(p > 1 + 1e-9):
            return None
        p = np.clip(p, 0, None)
        mixed[j] = list(p / p.sum())
    return full_profile(Gf, S, mixed)


def _solve_bilinear3(D) -> list[np.ndarray] | None:
    """Closed form for three mixing players with two strategies each (McKelvey & McLennan 1996,
    §6): ``f_i = a_i + b_i u + c_i v + d_i u v`` with (u, v) the other two players' probabilities.
    f_0 and f_1 give y(z) and x(z) as ratios of linear functions; f_2 then is a quadratic in z.
    Returns the real roots as q-vectors (x, y, z), or None when the system looks degenerate."""
    coef = []
    for t in D:
        t = np.asarray(t, dtype=float)
        coef.append((t[0, 0], t[1, 0] - t[0, 0], t[0, 1] - t[0, 0], t[0, 0] - t[1, 0] - t[0, 1] + t[1, 1]))
    (a0, b0, c0, d0), (a1, b1, c1, d1), (a2, b2, c2, d2) = coef
    tol = 1e-9
    # y = Ny / Dy and x = Nx / Dx as functions of z (polynomials, highest degree first)
    Ny, Dy = np.array([-c0, -a0]), np.array([d0, b0])
    Nx, Dx = np.array([-c1, -a1]), np.array([d1, b1])
    for N_, D_ in ((Ny, Dy), (Nx, Dx)):
        if abs(D_[0]) <= tol and abs(D_[1]) <= tol:
            return None
        if abs(D_[0]) > tol:
            z0 = -D_[1] / D_[0]
            if abs(np.polyval(N_, z0)) <= tol * (1 + abs(z0)):
                return None    # common root: a whole line of solutions
    poly = (a2 * np.convolve(Dx, Dy) + b2 * np.convolve(Nx, Dy) + c2 * np.convolve(Ny, Dx)
            + d2 * np.convolve(Nx, Ny))
    if np.all(np.abs(poly) <= tol):
        return None
    out = []
    for z in np.roots(np.trim_zeros(poly, "f")):
        if abs(z.imag) > 1e-9:
            continue
        z = z.real
        dx, dy = np.polyval(Dx, z), np.polyval(Dy, z)
        if abs(dx) <= tol or abs(dy) <= tol:
            return None
        q = np.array([np.polyval(Nx, z) / dx, np.polyval(Ny, z) / dy, z])
        # two Newton steps on the original system
        for _ in range(2):
            x, y, zz = q
            F = np.array([a0 + b0 * y + c0 * zz + d0 * y * zz, a1 + b1 * x + c1 * zz + d1 * x * zz,
                          a2 + b2 * x + c2 * y + d2 * x * y])
            J = np.array([[0, b0 + d0 * zz, c0 + d0 * y], [b1 + d1 * zz, 0, c1 + d1 * x],
                          [b2 + d2 * y, c2 + d2 * x, 0]])
            try:
                q = q - np.linalg.solve(J, F)
            except np.linalg.LinAlgError:
                break
        out.append(q)
    return out


def _closed_forms(Gf, members, tensors, mixing, scale):
    """Support systems of shape (2, 2, 2) solved by :func:`_solve_bilinear3`: yields results as
    :func:`numeric_batches` does, then returns the (support, tensors) pairs it could not solve."""
    rest = []
    for S, T in zip(members, tensors):
        roots = _solve_bilinear3([t[0] / scale for t in T])
        if roots is None:
            rest.append((S, T))
            continue
        found = []
        for q in roots:
            prof = _profile_from_q(Gf, S, mixing, _Batch((2, 2, 2), []), q)
            if prof is not None and verified(Gf, prof):
                found.append((prof, False))
        yield S, found, False, True
    return rest


def _endpoint_profiles(Gf, S, mixing, batch, Q, ok, sing, status):
    """(verified profiles with their singular flag, flagged, clean) from one system's endpoints."""
    found, flagged = [], False
    big = ~(np.abs(Q).max(1) < 1e4)
    clean = bool(np.all((ok & ~sing) | (status == DIVERGED) | ((status == REACHED) & ~ok & big)))
    if _has_crossing(Q, ok & ~sing):
        clean, flagged = False, True
    for p_idx in range(Q.shape[0]):
        qv = Q[p_idx]
        if not ok[p_idx]:
            if status[p_idx] in (REACHED, FAILED) and _maybe_feasible(qv):
                flagged = True
            continue
        if np.abs(qv.imag).max(initial=0) > 1e-7:
            continue
        prof = _profile_from_q(Gf, S, mixing, batch, qv.real)
        if prof is None:
            continue
        if verified(Gf, prof):
            found.append((prof, bool(sing[p_idx])))
        elif sing[p_idx]:
            flagged = True
    return found, flagged, clean


def numeric_batches(Gf: np.ndarray, supports: list, deadline, scale: float):
    """Solve support systems with >= 2 mixing players by batched homotopy, grouped by shape.
    Yields (support, [(profile, singular)], flagged, clean): ``flagged`` marks a path that failed
    or ended at a non-converged point near the simplex; ``clean`` says every path either ended at
    a converged nonsingular root or diverged (no sign of a degenerate system)."""
    groups: dict = {}
    for S in supports:
        mixing = tuple(mixing_players(S))
        groups.setdefault((mixing, tuple(len(S[j]) for j in mixing)), []).append(S)
    for (mixing, ks), members in sorted(groups.items()):
        tensors = [_difference_tensors(Gf, S, list(mixing)) for S in members]
        if ks == (2, 2, 2):
            rest = yield from _closed_forms(Gf, members, tensors, mixing, scale)
            if not rest:
                continue
            members, tensors = [r[0] for r in rest], [r[1] for r in rest]
        D = [np.stack([t[k] for t in tensors]).astype(complex) / scale for k in range(len(mixing))]
        batch = _Batch(ks, D)
        Q, ok, sing, status = _track_batch(batch, deadline)
        # two paths ending at the same regular root means a path jumped: retrack those systems
        crossed = [s_idx for s_idx in range(len(members)) if _has_crossing(Q[s_idx], ok[s_idx] & ~sing[s_idx])]
        if crossed:
            sub = _Batch(ks, [d[crossed] for d in D])
            Q2, ok2, sing2, st2 = _track_batch(sub, deadline, seed=1, h_max=0.02)
            for k, s_idx in enumerate(crossed):
                Q[s_idx], ok[s_idx], sing[s_idx], status[s_idx] = Q2[k], ok2[k], sing2[k], st2[k]
        for s_idx, S in enumerate(members):
            found, flagged, clean = _endpoint_profiles(Gf, S, mixing, batch, Q[s_idx], ok[s_idx], sing[s_idx],
                                                       status[s_idx])
            yield S, found, flagged, clean


def numeric_support(G, S, deadline, nonsingular_only: bool = False):
    """Numeric solve of one support system of an exact game (fallback). Returns (profiles,
    unsure); a profile is exact when a rational reconstruction verifies exactly."""
    Gf = np.asarray(G, dtype=float)
    mixing = mixing_players(S)
    out, unsure = [], False
    if len(mixing) >= 2:
        for _, found, flagged, _clean in numeric_batches(Gf, [S], deadline, payoff_scale(Gf)):
            unsure = unsure or flagged
            for prof, singular in found:
                if singular:
                    unsure = True
                    if nonsingular_only:
                        continue
                ex = rational_profile(G, prof)
                out.append(ex if ex is not None else prof)
    return out, unsure


def newton_polish(Gf: np.ndarray, S, prof):
    """A few Newton steps on the square indifference system of ``S`` starting at ``prof``."""
    mixing = mixing_players(S)
    if len(mixing) < 2:
        return prof
    ks = tuple(len(S[j]) for j in mixing)
    D = [d[None].astype(complex) for d in _difference_tensors(Gf, S, mixing)]
    batch = _Batch(ks, D)
    q = np.concatenate([np.asarray(prof[j], dtype=float)[list(S[j][1:])] for j in mixing])[None].astype(complex)
    for _ in range(5):
        f, J = batch.evaluate(q, np.zeros(1, dtype=int))
        dq = _safe_solve(J, -f)
        if not np.isfinite(dq).all():
            return prof
        q = q + dq
    new = _profile_from_q(Gf, S, mixing, batch, q[0].real)
    if new is not None and verified(Gf, new):
        return new
    return prof
