"""All Nash equilibria of an N-player normal-form game by support enumeration and polynomial systems.

Sources
-------
* R. D. McKelvey and A. McLennan, "Computation of equilibria in finite games", Handbook of
  Computational Economics vol. 1 (1996) ch. 2, §6 — every equilibrium solves the indifference
  equations of its own support profile, a system of multilinear polynomial equations.
* R. Porter, E. Nudelman and Y. Shoham, "Simple search methods for finding a Nash equilibrium",
  Games and Economic Behavior 63 (2008) 642–662 — backtracking over support profiles with
  iterated removal of conditionally strictly dominated strategies.
* R. S. Datta, "Using computer algebra to find Nash equilibria", ISSAC 2003 — solving the
  equilibrium equations with Gröbner bases.
* A. McLennan and R. McKelvey, "The maximal number of regular totally mixed Nash equilibria",
  J. Economic Theory 72 (1997) 411–425 — the multihomogeneous Bézout count of a support system.
* A. P. Morgan and A. J. Sommese, "A homotopy for solving general polynomial systems that
  respects m-homogeneous structures", Appl. Math. Comput. 24 (1987) 101–113 — the
  linear-product start system and the "gamma trick" used for float payoffs.
* D. Cox, J. Little and D. O'Shea, "Ideals, Varieties, and Algorithms", ch. 2–3 and 9 —
  elimination with lex bases, the shape lemma, dimension from leading monomials.

Method
------
Support profiles are searched player by player (fewest strategies first); after each choice
strategies conditionally strictly dominated given the others' (candidate) supports are removed,
and a profile is dropped when one of its own strategies is dominated (PNS 2008). Once the other
supports are fixed, two further necessary conditions are used, both valid for degenerate games:
weak dominance (against a mixture with full support on the others' supports a weakly dominated
strategy is never a best reply) and an LP relaxation — some distribution ``w > 0`` over the
others' support profiles, not necessarily a product, must make the whole support a set of best
replies (decided by a small dense simplex; it only prunes on a clear margin). For the player with
the most strategies the candidate supports are grown set by set, since the relaxation is monotone.

For a support profile the unknowns are the probabilities of the players who mix, with
``p_j[s0] = 1 - sum(rest)``; the equations say each mixing player is indifferent among its
support; the constraints are positivity on the support and "no better reply outside it".

Exact payoffs (``int`` / ``Fraction``; float payoffs that are small-denominator rationals such
as ``0.25`` are treated the same way and the answers converted to float):

* at most two mixing players: the equations are linear, solved with exact fractions; solution
  polytopes (degenerate games) are described by vertices found with linear programs and then
  re-solved exactly from their active constraints;
* three or more mixing players and at most ``GB_MAX_VARIABLES`` unknowns, or any system the
  homotopy below flags (singular or failed paths): a Gröbner basis (sympy, grevlex) decides
  emptiness and the dimension. Zero-dimensional systems are solved from a lex basis (FGLM) in
  shape position (a separating linear form is adjoined when needed): rational roots stay exact,
  irrational real roots are kept to 50 digits and returned as floats; the sign of each constraint
  at an algebraic root is decided exactly by reduction modulo the root's minimal polynomial.
  Positive-dimensional systems are *families*: the dimension comes from the leading monomials,
  sample points from adding each constraint as an equation (the family's boundary, recursively for
  dimension <= 2), and an interior point from a slice fixing a maximal independent set of
  variables between boundary samples, accepted when the Jacobian has rank ``n - dim`` there. Every
  sympy call runs under a per-system budget and the deadline (SIGALRM in the main thread, a forked
  child elsewhere); past it the system is solved numerically with a note;
* larger systems are first solved numerically (below); when every path ends at a nonsingular root
  or diverges, the roots are rounded to rationals and kept exact if they verify exactly,
  otherwise returned as floats.

Float payoffs: generic games are assumed (a support profile whose multihomogeneous Bézout count
is zero is skipped). Two mixing players: two square linear systems. Three mixing players with two
strategies each: a closed form (two ratios of linear functions and a quadratic). Otherwise a
linear-product homotopy with the gamma trick, tracked for all support profiles of one shape at once
(numpy, batched RK4 predictor and Newton corrector); endpoints are refined by Newton's method.
Singular or failed paths near the simplex set ``complete=False``.

Every equilibrium is checked with :mod:`solver.equilibria.verify` before it is reported: exact
zero regret for exact answers, regret at most ``1e-9`` times the payoff range for float ones.
``equilibria`` holds the equilibria isolated within their own support system (for a degenerate
game these include the vertices of families whose vertex has a smaller support); ``families``
the positive-dimensional sets with their sample points. Results are deduplicated and sorted by
their probability vectors.
"""
from __future__ import annotations

import itertools
import math
import multiprocessing
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator, Sequence

import numpy as np

from solver.core.linear import rref
from solver.core.numbers import is_exact_array, payoff_scale
from solver.core.regret import is_nash

__all__ = ["EquilibriumFamily", "PolynomialResult", "enumerate_polynomial"]

#: Float payoffs equal to a rational with at most this denominator are solved exactly.
_NICE_DENOMINATOR = 10_000
#: Seconds of computer algebra allowed for one support system before the numeric fallback.
SYSTEM_BUDGET = 8.0
#: Support systems with more unknowns are solved by homotopy first (Gröbner bases only when the
#: homotopy shows signs of degeneracy: singular or failed paths).
GB_MAX_VARIABLES = 4
#: Boundary recursion (family sample points) only for families of at most this dimension.
_MAX_BOUNDARY_DIM = 2
_DIGITS = 50


@dataclass(frozen=True)
class EquilibriumFamily:
    """A positive-dimensional set (continuum) of equilibria sharing one support profile."""

    support: tuple[tuple[int, ...], ...]
    dimension: int
    sample_points: tuple[tuple[np.ndarray, ...], ...]
    description: str


@dataclass(frozen=True)
class PolynomialResult:
    equilibria: tuple[tuple[np.ndarray, ...], ...]
    families: tuple[EquilibriumFamily, ...]
    complete: bool
    method: str
    notes: tuple[str, ...]


class _Budget(Exception):
    """Computer-algebra budget or deadline exhausted."""


class _Unsolved(Exception):
    """The exact method could not finish this system (e.g. no shape position)."""


# ------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------

def _frac(v) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if hasattr(v, "numerator") and hasattr(v, "denominator") and not isinstance(v, (float, np.floating)):
        return Fraction(int(v.numerator), int(v.denominator))
    return Fraction(float(v))


def _nice(v: float) -> Fraction | None:
    if not math.isfinite(v):
        return None
    f = Fraction(v).limit_denominator(_NICE_DENOMINATOR)
    return f if float(f) == v else None


def _fmt(v) -> str:
    if isinstance(v, Fraction):
        return str(v)
    return f"{float(v):.6g}"


def _profile_key(profile) -> tuple:
    return tuple(round(float(v), 7) for p in profile for v in p)


def _same_profile(a, b) -> bool:
    return all(np.allclose(np.asarray(x, dtype=float), np.asarray(y, dtype=float), atol=1e-7, rtol=0)
               for x, y in zip(a, b))


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


def _exact_rank(matrix: list[list[Fraction]]) -> int:
    if not matrix:
        return 0
    return len(rref(matrix, len(matrix[0]))[1])


@contextmanager
def _time_limit(seconds: float):
    """Raise :class:`_Budget` after ``seconds`` (main thread only; elsewhere a no-op)."""
    usable = (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if not usable:
        yield
        return

    def handler(signum, frame):
        raise _Budget()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _can_alarm() -> bool:
    return (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


def _child_entry(conn, fn, args):
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as exc:  # report anything to the parent
        conn.send(("error", repr(exc)))
    finally:
        conn.close()


def _guarded(fn, args, seconds: float):
    """``fn(*args)`` limited to ``seconds``; raises :class:`_Budget` when it runs out."""
    if seconds <= 0:
        raise _Budget()
    if _can_alarm():
        with _time_limit(seconds):
            return fn(*args)
    if "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)  # no way to interrupt: rely on the small systems being fast
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_entry, args=(child, fn, args), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(seconds):
            status, value = parent.recv()
        else:
            raise _Budget()
    except EOFError:
        raise _Budget() from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
    if status != "ok":
        if "_Budget" in value:
            raise _Budget()
        raise _Unsolved(value)
    return value


# ------------------------------------------------------------------------------------------
# Support enumeration (Porter, Nudelman & Shoham 2008) with conditional dominance
# ------------------------------------------------------------------------------------------

def _restrict(tensor: np.ndarray, i: int, R) -> np.ndarray:
    idx = [np.arange(tensor.shape[j]) if j == i else np.asarray(R[j]) for j in range(tensor.ndim)]
    sub = tensor[np.ix_(*idx)]
    return np.moveaxis(sub, i, 0).reshape(tensor.shape[i], -1)


def _dominated(sub: np.ndarray, weak: bool) -> np.ndarray:
    """``out[a]``: some row strictly (or weakly) dominates row ``a`` of ``sub``."""
    gt = sub[:, None, :] > sub[None, :, :]
    if weak:
        rel = (sub[:, None, :] >= sub[None, :, :]).all(-1) & gt.any(-1)
    else:
        rel = gt.all(-1)
    return np.asarray(rel.any(0), dtype=bool)


def _irsds(cmp: np.ndarray, R: list, assigned: list[bool]):
    """Iterated removal of conditionally strictly dominated strategies; None if an assigned
    support loses a strategy."""
    R = list(R)
    changed = True
    while changed:
        changed = False
        for i in range(cmp.shape[0]):
            dom = _dominated(_restrict(cmp[i], i, R), weak=False)[R[i]]
            if dom.any():
                if assigned[i]:
                    return None
                R[i] = R[i][~dom]
                changed = True
    return R


def _bezout_count(sizes: Sequence[int], limit: int | None = None) -> int:
    """Multihomogeneous Bézout number of a support system (McLennan & McKelvey 1997): the number
    of ways to give each indifference equation of player i one other player's block so that
    block j receives ``sizes[j] - 1`` equations. Counting stops at ``limit``."""
    m = [k - 1 for k in sizes]
    eqs = [i for i in range(len(m)) for _ in range(m[i])]
    cap = list(m)
    count = 0

    def rec(e):
        nonlocal count
        if limit is not None and count >= limit:
            return
        if e == len(eqs):
            count += 1
            return
        i = eqs[e]
        for j in range(len(m)):
            if j != i and cap[j] > 0:
                cap[j] -= 1
                rec(e + 1)
                cap[j] += 1

    rec(0)
    return count


def _bezout_assignments(sizes: Sequence[int]) -> list[tuple[int, ...]]:
    """All assignments counted by :func:`_bezout_count` (equations listed player by player)."""
    m = [k - 1 for k in sizes]
    eqs = [i for i in range(len(m)) for _ in range(m[i])]
    cap = list(m)
    out: list[tuple[int, ...]] = []
    cur: list[int] = []

    def rec(e):
        if e == len(eqs):
            out.append(tuple(cur))
            return
        i = eqs[e]
        for j in range(len(m)):
            if j != i and cap[j] > 0:
                cap[j] -= 1
                cur.append(j)
                rec(e + 1)
                cur.pop()
                cap[j] += 1

    rec(0)
    return out


def _cone_feasible(E: np.ndarray, F: np.ndarray, tol: float = 1e-9, max_iter: int = 2000) -> bool:
    """Whether some ``w >= 1`` has ``E w = 0`` and ``F w <= 0`` (phase I of a dense simplex
    method with Bland's rule, on ``u = w - 1 >= 0``). Errs on the side of True."""
    P = E.shape[1]
    p, q = E.shape[0], F.shape[0]
    m = p + q
    if m == 0:
        return True
    one = np.ones(P)
    A = np.zeros((m, P + q))
    b = np.zeros(m)
    A[:p, :P] = E
    b[:p] = -E @ one
    A[p:, :P] = F
    A[p:, P:] = np.eye(q)
    b[p:] = -F @ one
    basis = np.full(m, -1)
    art = []
    for r in range(m):
        if b[r] < 0:
            A[r] *= -1
            b[r] *= -1
        if r >= p and A[r, P + r - p] == 1.0:
            basis[r] = P + r - p
        else:
            art.append(r)
    ncol = P + q
    T = np.zeros((m + 1, ncol + len(art) + 1))
    T[:m, :ncol] = A
    T[:m, -1] = b
    for k, r in enumerate(art):
        T[r, ncol + k] = 1.0
        basis[r] = ncol + k
    for r in art:
        T[m] -= T[r]
    T[m, ncol:ncol + len(art)] = 0
    return _run_phase_one(T, basis, m, tol, max_iter)


def _relaxation_feasible(sub: np.ndarray, S: Sequence[int]) -> bool:
    """Necessary condition for the strategies ``S`` of a player to be best replies together
    against a mixture with full support on the others' supports: some distribution ``w > 0`` over
    the others' support profiles (not necessarily a product) makes every strategy in ``S`` a best
    reply. ``sub`` is the player's payoff matrix (own strategies x others' support profiles). By
    homogeneity ``w > 0`` may be taken as ``w >= 1``, leaving an LP feasibility problem."""
    sub = np.asarray(sub, dtype=float)
    rng_ = float(sub.max() - sub.min())
    if rng_ == 0:
        return True
    sub = sub / rng_
    a0 = S[0]
    n, P = sub.shape
    E = np.array([sub[a] - sub[a0] for a in S[1:]]).reshape(-1, P)
    F = np.array([sub[b] - sub[a0] for b in range(n) if b not in S]).reshape(-1, P)
    return _cone_feasible(E, F)


#: The LP relaxation is used for the last player's supports when its domain has more strategies.
_RELAXATION_MIN_DOMAIN = 5


def _support_profiles(cmp: np.ndarray, generic: bool, clock) -> Iterator[tuple[tuple[int, ...], ...]]:
    N = cmp.shape[0]
    sizes = cmp.shape[1:]
    order = sorted(range(N), key=lambda i: (sizes[i], i))
    start = _irsds(cmp, [np.arange(n) for n in sizes], [False] * N)
    counter = [0]
    big = max(sizes) >= _RELAXATION_MIN_DOMAIN

    def tick():
        counter[0] += 1
        if counter[0] % 64 == 0:
            clock.check()

    def leaf_ok(R) -> bool:
        for i in range(N):
            if _dominated(_restrict(cmp[i], i, R), weak=True)[R[i]].any():
                return False
        if generic:
            mixing = [len(r) for r in R if len(r) > 1]
            if _bezout_count(mixing, limit=1) == 0:
                return False
        if big:
            for i in range(N):
                if sizes[i] > 2 and (len(R[i]) > 1 or any(len(R[j]) > 1 for j in range(N) if j != i)):
                    tick()
                    if not _relaxation_feasible(_restrict(cmp[i], i, R), list(R[i])):
                        return False
        return True

    def last_supports(R, i, D, max_k):
        if len(D) < _RELAXATION_MIN_DOMAIN:
            for k in range(1, max_k + 1):
                yield from itertools.combinations(D.tolist(), k)
            return
        # Apriori-style growth: a set is feasible only if all its subsets are
        sub = _restrict(cmp[i], i, R)
        level = []
        for a in D.tolist():
            tick()
            if _relaxation_feasible(sub, [a]):
                level.append((a,))
        yield from level
        for k in range(2, max_k + 1):
            prev = set(level)
            cands = sorted({s + (a,) for s in level for a in D.tolist() if a > s[-1]
                            and all((s + (a,))[:j] + (s + (a,))[j + 1:] in prev for j in range(k))})
            level = []
            for c in cands:
                tick()
                if _relaxation_feasible(sub, list(c)):
                    level.append(c)
            yield from level
            if not level:
                return

    def rec(R, assigned, pos):
        i = order[pos]
        D = R[i]
        last = pos == N - 1
        if last:
            D = D[~_dominated(_restrict(cmp[i], i, R), weak=True)[D]]
        max_k = len(D)
        if generic:
            max_k = min(max_k, 1 + sum(len(R[j]) - 1 for j in range(N) if j != i))
        cands = (last_supports(R, i, D, max_k) if last else
                 (S for k in range(1, max_k + 1) for S in itertools.combinations(D.tolist(), k)))
        for S in cands:
            tick()
            R2 = list(R)
            R2[i] = np.array(S, dtype=int)
            a2 = list(assigned)
            a2[i] = True
            R3 = _irsds(cmp, R2, a2)
            if R3 is None:
                continue
            if last:
                if leaf_ok(R3):
                    yield tuple(tuple(int(v) for v in r) for r in R3)
            else:
                yield from rec(R3, a2, pos + 1)

    yield from rec(start, [False] * N, 0)


class _Clock:
    def __init__(self, deadline: float | None):
        self.deadline = deadline

    def remaining(self) -> float:
        return math.inf if self.deadline is None else self.deadline - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def check(self):
        if self.expired():
            raise _Budget()


# ------------------------------------------------------------------------------------------
# Exact solving of one support system
# ------------------------------------------------------------------------------------------

@dataclass
class _Outcome:
    points: list = field(default_factory=list)      # isolated equilibria (profiles)
    families: list = field(default_factory=list)    # EquilibriumFamily
    notes: list = field(default_factory=list)
    unsure: bool = False


def _full_profile(G: np.ndarray, S, mixed: dict) -> tuple[np.ndarray, ...]:
    """Profile from a dict player -> probabilities over its support (pure players implied)."""
    out = []
    for j, n in enumerate(G.shape[1:]):
        if j in mixed and all(isinstance(v, Fraction) for v in mixed[j]):
            p = np.array([Fraction(0)] * n, dtype=object)
        elif j in mixed:
            p = np.zeros(n)
        else:
            p = np.array([Fraction(0)] * n, dtype=object)
            p[S[j][0]] = Fraction(1)
            out.append(p)
            continue
        for s, v in zip(S[j], mixed[j]):
            p[s] = v
        out.append(p)
    if any(p.dtype != object for p in out):
        out = [np.asarray(p, dtype=float) for p in out]
    return tuple(out)


def _verified(G: np.ndarray, profile) -> bool:
    if all(p.dtype == object for p in profile):
        return is_nash(G, profile)
    return is_nash(np.asarray(G, dtype=float), [np.asarray(p, dtype=float) for p in profile])


def _pure_check(G: np.ndarray, S) -> _Outcome:
    out = _Outcome()
    prof = _full_profile(G, S, {})
    if _verified(G, prof):
        out.points.append(prof)
    return out


def _payoff_matrix(G, i, l, S) -> np.ndarray:
    """Player i's payoffs (all i's strategies x l's support) with everyone else pure at S."""
    t = G[i]
    for j in reversed(range(G.shape[0])):
        if j == l:
            t = np.take(t, list(S[l]), axis=j)
        elif j != i:
            t = np.take(t, S[j][0], axis=j)
    return t if i < l else t.T


class _LinearFamily:
    """Exact polytope of equilibria when all equations and constraints are linear.

    Variables: probabilities of the mixing players over their supports. ``eqs`` and ``ineqs``
    are (coefficients, constant) with meaning ``coef . z + const == 0`` / ``>= 0``; positivity
    constraints are listed first in ``ineqs`` (``npos`` of them)."""

    def __init__(self, G, S, mixing, eqs, ineqs, npos, clock):
        self.G, self.S, self.mixing = G, S, mixing
        self.eqs, self.ineqs, self.npos = eqs, ineqs, npos
        self.clock = clock
        self.offsets = {}
        o = 0
        for j in mixing:
            self.offsets[j] = o
            o += len(S[j])
        self.n = o

    def _profile(self, z) -> tuple[np.ndarray, ...]:
        return _full_profile(self.G, self.S, {j: list(z[self.offsets[j]:self.offsets[j] + len(self.S[j])])
                                              for j in self.mixing})

    def solve(self) -> _Outcome:
        from scipy.optimize import linprog

        out = _Outcome()
        n = self.n
        sol = _affine_solve([e[0] for e in self.eqs], [-e[1] for e in self.eqs], n)
        if sol is None:
            return out
        x0, basis = sol
        dL = len(basis)
        # constraints in the parameters t: c0 + c . t >= 0
        cons = []
        for coef, const in self.ineqs:
            c0 = const + sum(a * b for a, b in zip(coef, x0))
            c = [sum(a * v[k] for k, a in enumerate(coef)) for v in basis]
            cons.append((c0, c))
        if dL == 0:
            if all(c0 > 0 for c0, _ in cons[:self.npos]) and all(c0 >= 0 for c0, _ in cons[self.npos:]):
                prof = self._profile(x0)
                if _verified(self.G, prof):
                    out.points.append(prof)
            return out
        Aub = np.array([[-float(a) for a in c] for _, c in cons])
        bub = np.array([float(c0) for c0, _ in cons])
        # maximise s with positivity >= s: strict feasibility of the support
        A1 = np.hstack([Aub, np.zeros((len(cons), 1))])
        A1[:self.npos, -1] = 1.0
        bounds = [(None, None)] * dL + [(None, 1.0)]
        res = linprog(np.r_[np.zeros(dL), -1.0], A_ub=A1, b_ub=bub, bounds=bounds, method="highs")
        if res.status != 0 or -res.fun <= 1e-9:
            return out
        # implicit equalities among the weak constraints
        tight = []
        for k in range(self.npos, len(cons)):
            if not any(cons[k][1]):
                continue
            r = linprog(np.array([-float(a) for a in cons[k][1]]), A_ub=Aub, b_ub=bub,
                        bounds=[(None, None)] * dL, method="highs")
            if r.status == 0 and float(cons[k][0]) - r.fun <= 1e-9:
                tight.append(k)
        rank = _exact_rank([list(cons[k][1]) for k in tight])
        dim = dL - rank
        # vertices: optimise +- each probability coordinate, then re-solve each vertex exactly
        vertices = []
        ranges = {}
        for idx in range(n):
            coord = [v[idx] for v in basis]
            lo_hi = []
            for sign in (1.0, -1.0):
                self.clock.check()
                r = linprog(np.array([sign * float(a) for a in coord]), A_ub=Aub, b_ub=bub,
                            bounds=[(None, None)] * dL, method="highs")
                if r.status != 0:
                    continue
                v = self._exact_vertex(r.x, cons, x0, basis)
                if v is not None:
                    vertices.append(v)
                    lo_hi.append(v[idx])
            if lo_hi:
                ranges[idx] = (min(lo_hi), max(lo_hi))
        profiles = []
        for z in vertices:
            prof = self._profile(z)
            if _verified(self.G, prof) and not any(_same_profile(prof, q) for q in profiles):
                profiles.append(prof)
        if not profiles:
            out.unsure = True
            out.notes.append(f"support {self.S}: polytope vertices could not be re-solved exactly")
            return out
        if dim == 0:
            out.points.extend(profiles[:1])
            return out
        # the centroid of the vertices lies in the family (the closure is convex)
        zc = [sum(z[k] for z in vertices) / len(vertices) for k in range(n)]
        cprof = self._profile(zc)
        if _verified(self.G, cprof) and all(zc[k] > 0 for k in range(n)):
            profiles.append(cprof)
        desc = self._describe(dim, ranges)
        out.families.append(EquilibriumFamily(self.S, dim, tuple(profiles), desc))
        return out

    def _exact_vertex(self, t_float, cons, x0, basis):
        """Exact vertex whose active constraints are those tight at ``t_float``."""
        dL = len(basis)
        vals = [float(c0) + sum(float(a) * t for a, t in zip(c, t_float)) for c0, c in cons]
        active = [k for k, v in enumerate(vals) if abs(v) <= 1e-7]
        rows = [list(cons[k][1]) for k in active]
        rhs = [-cons[k][0] for k in active]
        sol = _affine_solve(rows, rhs, dL)
        if sol is None or sol[1]:
            return None
        t = sol[0]
        if any(c0 + sum(a * b for a, b in zip(c, t)) < 0 for c0, c in cons):
            return None
        return [x0[k] + sum(t[m] * basis[m][k] for m in range(dL)) for k in range(self.n)]

    def _describe(self, dim, ranges) -> str:
        parts = [f"{dim}-dimensional polytope of equilibria on support {_support_str(self.S)}"]
        for j in self.mixing:
            items = []
            for m, s in enumerate(self.S[j]):
                lo, hi = ranges.get(self.offsets[j] + m, (None, None))
                if lo is None:
                    continue
                items.append(f"s{s} = {_fmt(lo)}" if lo == hi else f"s{s} ∈ [{_fmt(lo)}, {_fmt(hi)}]")
            parts.append(f"player {j + 1} plays " + ", ".join(items))
        pure = [f"player {j + 1} plays s{self.S[j][0]}" for j in range(len(self.S)) if j not in self.mixing]
        if pure:
            parts.append("; ".join(pure))
        return "; ".join(parts) + " (coordinate ranges over the polytope)"


def _support_str(S) -> str:
    return "(" + ", ".join("{" + ",".join(map(str, s)) + "}" for s in S) + ")"


def _linear_route(G, S, mixing, clock) -> _Outcome | None:
    """Supports with at most two mixing players. Returns None when the general route is needed."""
    N = G.shape[0]
    if len(mixing) == 1:
        i = mixing[0]
        M = _payoff_matrix_pure_others(G, i, S)   # i's payoff vector with all others pure
        vals = [M[a] for a in S[i]]
        if any(v != vals[0] for v in vals):
            return _Outcome()
        if any(M[b] > vals[0] for b in range(len(M))):
            return _Outcome()
        k = len(S[i])
        eqs = [([Fraction(1)] * k, Fraction(-1))]
        ineqs = [([Fraction(int(m == a)) for m in range(k)], Fraction(0)) for a in range(k)]
        for j in range(N):
            if j == i:
                continue
            P = _payoff_matrix(G, j, i, S)  # (n_j, k_i)
            s0 = S[j][0]
            for b in range(P.shape[0]):
                if b != s0:
                    ineqs.append(([_frac(P[s0, m] - P[b, m]) for m in range(k)], Fraction(0)))
        return _LinearFamily(G, S, mixing, eqs, ineqs, k, clock).solve()
    i, l = mixing
    blocks = {}
    for me, other in ((i, l), (l, i)):
        P = _payoff_matrix(G, me, other, S)  # (n_me, k_other)
        k = len(S[other])
        s0 = S[me][0]
        A = [[_frac(P[s, m] - P[s0, m]) for m in range(k)] for s in S[me][1:]] + [[Fraction(1)] * k]
        b = [Fraction(0)] * (len(S[me]) - 1) + [Fraction(1)]
        sol = _affine_solve(A, b, k)
        if sol is None:
            return _Outcome()
        blocks[other] = (sol, P)
    if not blocks[i][0][1] and not blocks[l][0][1]:
        mixed = {j: blocks[j][0][0] for j in (i, l)}
        if any(v <= 0 for j in (i, l) for v in mixed[j]):
            return _Outcome()
        out = _Outcome()
        prof = _full_profile(G, S, mixed)
        if _verified(G, prof):
            out.points.append(prof)
        return out
    # each block separately: player me's indifference and best-reply constraints bound p_other
    for me, other in ((i, l), (l, i)):
        (x0, basis), P = blocks[other]
        s0 = S[me][0]
        rows = [[_frac(P[s0, m] - P[b, m]) for m in range(len(S[other]))]
                for b in range(P.shape[0]) if b not in S[me]]
        if not _block_nonempty(x0, basis, rows):
            return _Outcome()
    if N == 2:
        eqs, ineqs, pos = [], [], []
        k_i, k_l = len(S[i]), len(S[l])
        n = k_i + k_l
        off = {i: 0, l: k_i}
        for me, other in ((i, l), (l, i)):
            P = blocks[other][1]
            s0 = S[me][0]
            for s in S[me][1:]:
                c = [Fraction(0)] * n
                for m in range(len(S[other])):
                    c[off[other] + m] = _frac(P[s, m] - P[s0, m])
                eqs.append((c, Fraction(0)))
            c = [Fraction(0)] * n
            for m in range(len(S[other])):
                c[off[other] + m] = Fraction(1)
            eqs.append((c, Fraction(-1)))
            for b in range(P.shape[0]):
                if b not in S[me]:
                    c = [Fraction(0)] * n
                    for m in range(len(S[other])):
                        c[off[other] + m] = _frac(P[s0, m] - P[b, m])
                    ineqs.append((c, Fraction(0)))
        for k in range(n):
            pos.append(([Fraction(int(m == k)) for m in range(n)], Fraction(0)))
        return _LinearFamily(G, S, sorted(mixing), eqs, pos + ineqs, n, clock).solve()
    return None


def _block_nonempty(x0, basis, rows) -> bool:
    """Whether some p = x0 + sum t_k basis_k has p >= 0 and row . p >= 0 for every row (a float
    phase-I test that only answers False on a clear margin)."""
    k = len(x0)
    X0 = np.array([float(v) for v in x0])
    Bm = np.array([[float(v) for v in b] for b in basis]).reshape(len(basis), k)
    R = np.vstack([np.eye(k)] + ([np.array([[float(v) for v in r] for r in rows])] if rows else []))
    # constraints R (x0 + t B) >= 0 with t free: write t = t+ - t-
    A = R @ Bm.T                    # (rows, len(basis))
    c = R @ X0
    scale = max(1.0, float(np.abs(A).max(initial=0)), float(np.abs(c).max(initial=0)))
    A, c = A / scale, c / scale
    # feasibility of {z >= 0 : -[A, -A] z <= c}: phase I on the slack form
    M = np.hstack([-A, A])
    return _phase_one(M, c)


def _run_phase_one(T: np.ndarray, basis: np.ndarray, m: int, tol: float, max_iter: int) -> bool:
    """Pivot a phase-I tableau (objective in row ``m``) with Bland's rule; True when the artificial
    objective reaches 0 (feasible), or when unsure (unbounded column, iteration cap)."""
    for _ in range(max_iter):
        enter = np.flatnonzero(T[m, :-1] < -tol)
        if enter.size == 0:
            return -T[m, -1] <= 1e-7
        c = enter[0]
        col = T[:m, c]
        pos = col > tol
        if not pos.any():
            return True
        ratios = np.full(m, np.inf)
        ratios[pos] = T[:m, -1][pos] / col[pos]
        rmin = ratios.min()
        cand = np.flatnonzero(ratios <= rmin + tol * (1 + abs(rmin)))
        r = cand[np.argmin(basis[cand])]
        T[r] /= T[r, c]
        f = T[:, c].copy()
        f[r] = 0
        T -= np.outer(f, T[r])
        basis[r] = c
    return True


def _phase_one(M: np.ndarray, c: np.ndarray, tol: float = 1e-9) -> bool:
    """Whether {z >= 0 : M z <= c} is nonempty (dense simplex, Bland's rule; True if unsure)."""
    m, n = M.shape
    A = np.hstack([M, np.eye(m)])
    b = c.astype(float).copy()
    neg = b < 0
    A[neg] *= -1
    b[neg] *= -1
    art = np.flatnonzero(neg)
    T = np.zeros((m + 1, n + m + len(art) + 1))
    T[:m, :n + m] = A
    T[:m, -1] = b
    basis = np.arange(n, n + m)
    for k, r in enumerate(art):
        T[r, n + m + k] = 1.0
        basis[r] = n + m + k
        T[m] -= T[r]
    T[m, n + m:n + m + len(art)] = 0
    return _run_phase_one(T, basis, m, tol, 2000)


def _payoff_matrix_pure_others(G, i, S) -> np.ndarray:
    t = G[i]
    for j in reversed(range(G.shape[0])):
        if j != i:
            t = np.take(t, S[j][0], axis=j)
    return t


class _PolySystem:
    """The support system as sympy ring polynomials over QQ (grevlex), with its constraints."""

    def __init__(self, G, S):
        from sympy.polys.domains import QQ
        from sympy.polys.orderings import grevlex
        from sympy.polys.rings import ring

        self.G, self.S = G, S
        N = G.shape[0]
        self.mixing = [j for j in range(N) if len(S[j]) > 1]
        names = [f"p{j + 1}_{s}" for j in self.mixing for s in S[j][1:]]
        self.names = names
        self.ring = ring(",".join(names), QQ, grevlex)[0]
        self.gens = list(self.ring.gens)
        R = self.ring
        one = R.one
        probs = {}
        g = 0
        for j in self.mixing:
            qs = self.gens[g:g + len(S[j]) - 1]
            g += len(S[j]) - 1
            probs[j] = [one - sum(qs, R.zero)] + list(qs)
        self.probs = probs

        def coeff(v):
            v = _frac(v)
            return QQ(v.numerator, v.denominator)

        self.payoff = {}
        for i in range(N):
            others = [j for j in range(N) if j != i]
            vec = [R.zero] * G.shape[1 + i]
            for prof in itertools.product(*[range(len(S[j])) for j in others]):
                w = one
                for j, m in zip(others, prof):
                    if j in probs:
                        w = w * probs[j][m]
                idx = [None] * N
                for j, m in zip(others, prof):
                    idx[j] = S[j][m]
                for a in range(G.shape[1 + i]):
                    idx[i] = a
                    u = G[(i,) + tuple(idx)]
                    if u != 0:
                        vec[a] = vec[a] + w * coeff(u)
            self.payoff[i] = vec
        self.equations = []
        for i in self.mixing:
            s0 = S[i][0]
            for s in S[i][1:]:
                e = self.payoff[i][s] - self.payoff[i][s0]
                if e:
                    self.equations.append(e)
        self.n_equations_total = sum(len(S[i]) - 1 for i in self.mixing)
        # constraints: positivity first, then best-reply inequalities
        self.constraints = []
        self.labels = []
        for j in self.mixing:
            for m, s in enumerate(S[j]):
                self.constraints.append(probs[j][m])
                self.labels.append(("pos", j, s))
        self.npos = len(self.constraints)
        for i in range(N):
            s0 = S[i][0]
            for b in range(G.shape[1 + i]):
                if b not in S[i]:
                    self.constraints.append(self.payoff[i][s0] - self.payoff[i][b])
                    self.labels.append(("br", i, b))



# --- Gröbner helpers -------------------------------------------------------------------------

def _groebner(polys, R):
    from sympy.polys.groebnertools import groebner

    polys = [p for p in polys if p]
    if not polys:
        return []
    return groebner(polys, R)


def _is_unit_ideal(G) -> bool:
    return len(G) == 1 and G[0].is_ground and bool(G[0])


def _dimension(G, n: int) -> tuple[int, tuple[int, ...]]:
    """Krull dimension and a maximal independent set of variables from leading monomials."""
    if not G:
        return n, tuple(range(n))
    masks = set()
    for g in G:
        lm = g.LM
        masks.add(sum(1 << k for k, e in enumerate(lm) if e))
    for size in range(n, -1, -1):
        for U in itertools.combinations(range(n), size):
            um = sum(1 << k for k in U)
            if all((m & ~um) != 0 for m in masks):
                return size, U
    return 0, ()


def _to_fraction(q) -> Fraction:
    return Fraction(int(q.numerator), int(q.denominator))


@dataclass
class _Root:
    values: list          # Fractions (exact) or mpmath mpf
    exact: bool
    signs: list           # per constraint: -1, 0, 1


def _shape_basis(G, R, nvars_sep: int):
    """If G (lex, reduced) is {x_k - h_k(w)} + {g(w)} with w the last generator, return
    (h list, g); otherwise None."""
    n = len(R.gens)
    if len(G) != n:
        return None
    last = n - 1
    h = []
    g = None
    for poly in G:
        lm = poly.LM
        if all(e == 0 for e in lm[:last]):
            if g is not None:
                return None
            g = poly
            continue
        k = next(k for k, e in enumerate(lm) if e)
        if lm[k] != 1 or any(lm[j] for j in range(n) if j != k):
            return None
        rest = poly - poly.LC * R.gens[k]
        if any(any(e for e in m[:last]) for m in rest.monoms()):
            return None
        h.append((k, -rest * (1 / poly.LC) if poly.LC != 1 else -rest))
    if g is None or len(h) != n - 1:
        return None
    h.sort(key=lambda kv: kv[0])
    return [v for _, v in h], g


def _univariate_coeffs(p, idx: int) -> list[Fraction]:
    """Coefficients (highest degree first) of a ring polynomial in generator ``idx`` only."""
    deg = max((m[idx] for m in p.monoms()), default=0)
    c = [Fraction(0)] * (deg + 1)
    for m, v in p.terms():
        c[deg - m[idx]] += _to_fraction(v)
    return c


def _ring_univariate(coeffs: list[Fraction], R, idx: int):
    deg = len(coeffs) - 1
    x = R.gens[idx]
    return sum((_qq(c) * x ** (deg - k) for k, c in enumerate(coeffs) if c), R.zero)


def _sympy_univariate(coeffs: list[Fraction], w):
    import sympy
    return sympy.Poly([sympy.Rational(c.numerator, c.denominator) for c in coeffs], w, domain="QQ")


def _from_sympy_coeffs(poly) -> list[Fraction]:
    import sympy
    return [Fraction(int(sympy.fraction(c)[0]), int(sympy.fraction(c)[1])) for c in poly.all_coeffs()]


def _horner(coeffs: list[Fraction], x):
    if isinstance(x, Fraction):
        acc = Fraction(0)
        for c in coeffs:
            acc = acc * x + c
        return acc
    import mpmath
    acc = mpmath.mpf(0)
    for c in coeffs:
        acc = acc * x + mpmath.mpf(c.numerator) / c.denominator
    return acc


def _solve_zero_dim(polys, R, constraints, clock) -> list[_Root]:
    """Real roots of a zero-dimensional system, with exact signs of the constraints.

    A separating variable ``w = sum c_k x_k`` is adjoined (first ``w = x_n``) and a lex basis
    computed by FGLM; in shape position it reads ``x_k = h_k(w)``, ``g(w) = 0``. Each irreducible
    factor f of g gives rational roots (exact) or real algebraic roots (50 digits); a constraint's
    sign at a root of f is that of its normal form modulo ``{x_k - h_k, f}``, zero exactly when
    the normal form vanishes."""
    import mpmath
    import sympy
    from sympy.polys.domains import QQ
    from sympy.polys.fglmtools import matrix_fglm
    from sympy.polys.orderings import grevlex, lex
    from sympy.polys.rings import ring

    n = len(R.gens)
    Rw = ring(",".join([str(g) for g in R.gens] + ["w_sep"]), QQ, grevlex)[0]
    gw = Rw.gens
    Rlex = Rw.clone(order=lex)
    w = sympy.Symbol("w_sep")
    shape = None
    for attempt in range(4):
        clock.check()
        sep = gw[n - 1] if attempt == 0 else sum(((attempt * 7 + 3 * k) % 11 + 1) * gw[k] for k in range(n))
        base = [p.set_ring(Rw) for p in polys] + [gw[n] - sep]
        Gg = _groebner(base, Rw)
        if _is_unit_ideal(Gg):
            return []
        if _dimension(Gg, n + 1)[0] != 0:
            raise _Unsolved("not zero-dimensional")
        Gl = [p.set_ring(Rlex) for p in matrix_fglm(Gg, Rw, lex)]
        shape = _shape_basis(Gl, Rlex, n)
        if shape is None:
            # not radical? adjoin the square-free part of the eliminant and retry
            uni = [p for p in Gl if all(e == 0 for m in p.monoms() for e in m[:n])]
            if len(uni) != 1:
                continue
            gpoly = _sympy_univariate(_univariate_coeffs(uni[0], n), w)
            sqf = sympy.quo(gpoly, sympy.gcd(gpoly, gpoly.diff(w)))
            Gg = _groebner(base + [_ring_univariate(_from_sympy_coeffs(sqf), Rw, n)], Rw)
            if _is_unit_ideal(Gg):
                return []
            Gl = [p.set_ring(Rlex) for p in matrix_fglm(Gg, Rw, lex)]
            shape = _shape_basis(Gl, Rlex, n)
        if shape is not None:
            break
    if shape is None:
        raise _Unsolved("no shape position")
    h, g = shape
    _, factors = _sympy_univariate(_univariate_coeffs(g, n), w).factor_list()
    cons_w = [c.set_ring(Rlex) for c in constraints]
    roots: list[_Root] = []
    for f, _mult in factors:
        clock.check()
        fc = _from_sympy_coeffs(f)
        fring = _ring_univariate(fc, Rlex, n)
        basis = [Rlex.gens[k] - h[k] for k in range(n)] + [fring]
        coord_forms = [_univariate_coeffs(hk.rem([fring]), n) for hk in h]
        cons_forms = [_univariate_coeffs(c.rem(basis), n) for c in cons_w]
        if len(fc) == 2:
            r = -fc[1] / fc[0]
            vals = [_horner(cf, r) for cf in coord_forms]
            signs = []
            for cf in cons_forms:
                v = _horner(cf, r)
                signs.append((v > 0) - (v < 0))
            roots.append(_Root(vals, True, signs))
            continue
        with mpmath.workdps(_DIGITS):
            for rr in f.real_roots():
                x = mpmath.mpf(str(sympy.N(rr, _DIGITS + 10)))
                vals = [_horner(cf, x) for cf in coord_forms]
                signs = []
                for cf in cons_forms:
                    if not any(cf):
                        signs.append(0)
                    else:
                        signs.append(1 if _horner(cf, x) > 0 else -1)
                roots.append(_Root(vals, False, signs))
    return roots


class _GeneralSolver:
    """Gröbner-basis route for one support system (exact payoffs)."""

    def __init__(self, G, S, clock):
        self.G, self.S, self.clock = G, S, clock
        self.sys = _PolySystem(G, S)
        self.R = self.sys.ring
        self.n = len(self.R.gens)
        self.notes: list[str] = []
        self.unsure = False

    # profile of a root ------------------------------------------------------------------
    def _profile(self, root: _Root):
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
        return _full_profile(self.G, self.S, mixed)

    def _strict(self, root) -> bool:
        np_ = self.sys.npos
        return all(s > 0 for s in root.signs[:np_]) and all(s >= 0 for s in root.signs[np_:])

    def _closed(self, root) -> bool:
        return all(s >= 0 for s in root.signs)

    def _accept(self, root):
        prof = self._profile(root)
        if root.exact:
            return prof if _verified(self.G, prof) else None
        prof = tuple(np.clip(p, 0.0, None) / np.clip(p, 0.0, None).sum() for p in prof)
        return prof if _verified(self.G, prof) else None

    # main ----------------------------------------------------------------------------------
    def solve(self) -> _Outcome:
        out = _Outcome()
        eqs = self.sys.equations
        G = _groebner(eqs, self.R)
        if _is_unit_ideal(G):
            return out
        d, U = _dimension(G, self.n)
        if d == 0:
            for root in _solve_zero_dim(G, self.R, self.sys.constraints, self.clock):
                if self._strict(root):
                    prof = self._accept(root)
                    if prof is not None:
                        out.points.append(prof)
                    else:
                        self.unsure = True
                        self.notes.append(f"support {_support_str(self.S)}: a root failed verification")
            out.notes, out.unsure = self.notes, self.unsure
            return out
        self._family(G, d, U, out)
        out.notes.extend(self.notes)
        out.unsure = out.unsure or self.unsure
        return out

    def _family(self, G, d, U, out: _Outcome):
        """Positive-dimensional solution set: look for interior points and boundary samples."""
        cons = self.sys.constraints
        npos = self.sys.npos
        live = [k for k, c in enumerate(cons) if c.rem(G)]
        # constraints identically zero on the variety: positivity => no interior, BR => tie
        if any(k < npos and not cons[k].rem(G) for k in range(len(cons))):
            return
        samples: list = []
        seen: set = set()
        if d <= _MAX_BOUNDARY_DIM:
            for k in live:
                self.clock.check()
                for root in self._points_on(list(G) + [cons[k]], depth=d):
                    key = tuple(round(float(v), 9) for v in root.values)
                    if key in seen:
                        continue
                    seen.add(key)
                    prof = self._accept(root)
                    if prof is not None and not any(_same_profile(prof, q) for q in samples):
                        samples.append(prof)
        interior = None
        for W, u in self._slice_candidates(U, samples, d):
            self.clock.check()
            extra = [self.R.gens[v] - _qq(val) for v, val in zip(W, u)]
            Gs = _groebner(list(G) + extra, self.R)
            if _is_unit_ideal(Gs) or _dimension(Gs, self.n)[0] != 0:
                continue
            for root in _solve_zero_dim(Gs, self.R, cons, self.clock):
                if self._strict(root) and self._jacobian_rank(G, root) <= self.n - d:
                    prof = self._accept(root)
                    if prof is not None:
                        interior = prof
                        break
            if interior is not None:
                break
        if interior is not None:
            pts = tuple(samples) + (interior,)
            out.families.append(EquilibriumFamily(self.S, d, pts, self._describe(G, d, pts)))
            # isolated roots of a square system besides the family: numeric check
            if len(self.sys.equations) == self.sys.n_equations_total and self.sys.n_equations_total:
                self._isolated_numeric(out)
            return
        # no interior point: closure samples with exactly this support are (pinched) equilibria
        own = [prof for prof in samples if _has_support(prof, self.S)]
        out.points.extend(own)
        if len(own) > 1:
            self.unsure = True
            self.notes.append(f"support {_support_str(self.S)}: {d}-dimensional variety with "
                              f"{len(own)} boundary equilibria but no interior point found on slices")

    def _points_on(self, polys, depth) -> list[_Root]:
        """Closure-feasible points of the variety of ``polys`` (vertices of the boundary)."""
        Gs = _groebner(polys, self.R)
        if _is_unit_ideal(Gs):
            return []
        d, U = _dimension(Gs, self.n)
        cons = self.sys.constraints
        if d == 0:
            return [r for r in _solve_zero_dim(Gs, self.R, cons, self.clock) if self._closed(r)]
        if depth <= 1:
            # one slice through the middle
            found = []
            for u in self._slice_values(U, [], d)[:2]:
                extra = [self.R.gens[v] - _qq(val) for v, val in zip(U, u)]
                Gt = _groebner(list(Gs) + extra, self.R)
                if _is_unit_ideal(Gt) or _dimension(Gt, self.n)[0] != 0:
                    continue
                found += [r for r in _solve_zero_dim(Gt, self.R, cons, self.clock) if self._closed(r)]
            return found
        found = []
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
        seen, uniq = set(), []
        for item in out:
            if item not in seen:
                seen.add(item)
                uniq.append(item)
        return uniq[:30]

    def _slice_values(self, U, samples, d, generic: bool = True) -> list[tuple[Fraction, ...]]:
        """Candidate values of the independent variables: between sample coordinates, then
        fixed 'generic' rationals."""
        cands = []
        if samples:
            coords = []
            for v in U:
                vals = sorted({_var_value(self.sys, prof, v) for prof in samples})
                coords.append(vals)
            if d == 1:
                vals = coords[0]
                for a, b in zip(vals, vals[1:]):
                    cands.append(((a + b) / 2,))
            else:
                pts = [tuple(_var_value(self.sys, prof, v) for v in U) for prof in samples]
                cands.append(tuple(sum(p[k] for p in pts) / len(pts) for k in range(d)))
                for a, b in itertools.combinations(pts, 2):
                    cands.append(tuple((x + y) / 2 for x, y in zip(a, b)))
        values = [Fraction(1, 3), Fraction(5, 11), Fraction(2, 7), Fraction(7, 9), Fraction(1, 13),
                  Fraction(12, 13)]
        for r in range(len(values) if generic else 0):
            cands.append(tuple(values[(r + 2 * k) % len(values)] for k in range(d)))
        out = []
        for c in cands:
            c = tuple(Fraction(x) if not isinstance(x, Fraction) else x for x in c)
            if c not in out:
                out.append(c)
        return out[:10]

    def _jacobian_rank(self, G, root: _Root) -> int:
        rows = []
        for p in G:
            row = []
            for k in range(self.n):
                dp = p.diff(self.R.gens[k])
                row.append(_eval_poly(dp, root.values))
            rows.append(row)
        if root.exact:
            return _exact_rank(rows)
        return int(np.linalg.matrix_rank(np.array(rows, dtype=float), tol=1e-9))

    def _describe(self, G, d, pts) -> str:
        eqs = ", ".join(f"{g.as_expr()} = 0" for g in G) if G else "none"
        parts = [f"{d}-dimensional family on support {_support_str(self.S)}",
                 f"indifference variety: {eqs} (with p_j_s the probability of player j's strategy s"
                 " and the first support strategy taking the remainder)"]
        parts.extend(_ranges_text(self.S, pts, self.sys.mixing))
        return "; ".join(parts) + " (ranges over the sample points)"

    def _isolated_numeric(self, out: _Outcome):
        """Nonsingular isolated roots of the square system, found by homotopy."""
        pts, _ = _numeric_support(self.G, self.S, self.clock, nonsingular_only=True)
        for prof in pts:
            if any(_same_profile(prof, q) for f in out.families for q in f.sample_points):
                continue
            out.points.append(prof)


def _has_support(prof, S) -> bool:
    for p, s in zip(prof, S):
        nz = tuple(int(k) for k in np.flatnonzero(np.asarray(p, dtype=float) > 0))
        if nz != tuple(s):
            return False
    return True


def _ranges_text(S, pts, mixing) -> list[str]:
    parts = []
    for j in range(len(S)):
        if j not in mixing:
            parts.append(f"player {j + 1} plays s{S[j][0]}")
            continue
        items = []
        for s in S[j]:
            vals = [p[j][s] for p in pts]
            exact = all(isinstance(v, Fraction) for v in vals)
            if exact:
                lo, hi = min(vals), max(vals)
            else:
                fv = [float(v) for v in vals]
                lo, hi = min(fv), max(fv)
            items.append(f"s{s} = {_fmt(lo)}" if (lo == hi or (not exact and abs(hi - lo) < 1e-9))
                         else f"s{s} ∈ [{_fmt(lo)}, {_fmt(hi)}]")
        parts.append(f"player {j + 1} plays " + ", ".join(items))
    return parts


def _var_value(sys: _PolySystem, prof, v: int) -> Fraction:
    g = 0
    for j in sys.mixing:
        k = len(sys.S[j]) - 1
        if v < g + k:
            val = prof[j][sys.S[j][1 + v - g]]
            return val if isinstance(val, Fraction) else Fraction(float(val)).limit_denominator(10 ** 6)
        g += k
    raise IndexError(v)


def _qq(v: Fraction):
    from sympy.polys.domains import QQ
    return QQ(v.numerator, v.denominator)


def _eval_poly(p, values):
    acc = 0
    exact = all(isinstance(v, Fraction) for v in values)
    for m, c in p.terms():
        term = _to_fraction(c) if exact else float(_to_fraction(c))
        for e, v in zip(m, values):
            if e:
                term = term * (v if exact else float(v)) ** e
        acc = acc + term
    return acc


def _exact_support(G, S, deadline):
    """Exact solution of one support system (run under a time budget)."""
    clock = _Clock(deadline)
    N = G.shape[0]
    mixing = [j for j in range(N) if len(S[j]) > 1]
    if not mixing:
        return _pure_check(G, S)
    if len(mixing) <= 2:
        res = _linear_route(G, S, mixing, clock)
        if res is not None:
            return res
    return _GeneralSolver(G, S, clock).solve()


# ------------------------------------------------------------------------------------------
# Numeric route: batched linear-product homotopy (Morgan & Sommese 1987)
# ------------------------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxy"


class _Batch:
    """Support systems of one shape (mixing players ``mix`` with support sizes ``ks``)."""

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
        mixing = list(range(b.r))
        assigns = _bezout_assignments([k for k in b.ks])
        sols = []
        eq_owner = [i for i in mixing for _ in range(b.m[i])]
        eq_row = [r for i in mixing for r in range(b.m[i])]
        for a in assigns:
            q = np.zeros(b.n, dtype=complex)
            for l in mixing:
                if b.m[l] == 0:
                    continue
                rows = [e for e, tgt in enumerate(a) if tgt == l]
                A = np.array([self.C[eq_owner[e], l][eq_row[e], 1:] for e in rows])
                c0 = np.array([self.C[eq_owner[e], l][eq_row[e], 0] for e in rows])
                q[b.off[l]:b.off[l + 1]] = np.linalg.solve(A, -c0)
            sols.append(q)
        return np.array(sols).reshape(len(sols), b.n)


def _safe_solve(A, b):
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


def _track_batch(batch: _Batch, clock, seed: int = 0, h_max: float = 0.2):
    """Track all paths of all systems in ``batch``; returns endpoints (S, P, n) and the masks
    ok (converged), singular, and the path status (1 reached t = 1, 2 diverged, 3 failed)."""
    rng = np.random.default_rng(seed)
    start = _StartSystem(batch, rng)
    q0 = start.solutions()
    P = q0.shape[0]
    S = batch.D[0].shape[0] if batch.D else 0
    gamma = np.exp(2j * np.pi * rng.random())
    n = batch.n
    q = np.tile(q0, (S, 1))
    sys_idx = np.repeat(np.arange(S), P)
    B = q.shape[0]
    t = np.zeros(B)
    h = np.full(B, 0.05)
    streak = np.zeros(B, dtype=int)
    status = np.zeros(B, dtype=int)  # 0 running, 1 reached t=1, 2 diverged, 3 failed

    def H(qq, tt, idx):
        f, Jf = batch.evaluate(qq, idx)
        g, Jg = start.evaluate(qq)
        a = (1 - tt)[:, None] * gamma
        Hv = a * g + tt[:, None] * f
        Hq = a[:, :, None] * Jg + tt[:, None, None] * Jf
        return Hv, Hq, f - gamma * g

    def tangent(qq, tt, idx):
        _, Hq, Ht = H(qq, tt, idx)
        return -_safe_solve(Hq, Ht)

    for _iteration in range(4000):
        act = np.flatnonzero(status == 0)
        if act.size == 0:
            break
        clock.check()
        tt, qq, idx = t[act], q[act], sys_idx[act]
        hh = np.minimum(h[act], 1 - tt)
        k1 = tangent(qq, tt, idx)
        k2 = tangent(qq + 0.5 * hh[:, None] * k1, tt + 0.5 * hh, idx)
        k3 = tangent(qq + 0.5 * hh[:, None] * k2, tt + 0.5 * hh, idx)
        k4 = tangent(qq + hh[:, None] * k3, tt + hh, idx)
        qp = qq + (hh / 6)[:, None] * (k1 + 2 * k2 + 2 * k3 + k4)
        t1 = tt + hh
        qc = qp.copy()
        scale = 1 + np.abs(qq).max(1)
        first = None
        for it in range(3):
            Hv, Hq, _ = H(qc, t1, idx)
            dq = _safe_solve(Hq, -Hv)
            qc = qc + dq
            nd = np.abs(dq).max(1)
            if first is None:
                first = nd
        good = (np.isfinite(qc).all(1) & (nd <= 1e-9 * scale) & (first <= 0.05 * scale)
                & np.isfinite(qp).all(1))
        ga, ba = act[good], act[~good]
        q[ga] = qc[good]
        t[ga] = t1[good]
        streak[ga] += 1
        grow = ga[streak[ga] >= 3]
        h[grow] = np.minimum(h[grow] * 2, h_max)
        streak[grow] = 0
        h[ba] *= 0.5
        streak[ba] = 0
        done = ga[t[ga] >= 1.0]
        status[done] = 1
        qa = np.abs(q[ga]).max(1)
        big = ga[(qa > 1e8) | ((qa > 1e4) & (t[ga] > 0.95) & (t[ga] < 1.0))]
        status[big] = 2
        tiny = ba[h[ba] < 1e-14]
        status[tiny] = 3
    # endgame: Newton on the target system from every path that got close to t = 1
    ends = np.where((status == 1) | ((status == 3) & (t > 0.999)))[0]
    ok = np.zeros(B, dtype=bool)
    sing = np.zeros(B, dtype=bool)
    if ends.size:
        qe = q[ends]
        idx = sys_idx[ends]
        for _ in range(8):
            f, J = batch.evaluate(qe, idx)
            dq = _safe_solve(J, -f)
            bad = ~np.isfinite(dq).all(1)
            dq[bad] = 0
            qe = qe + dq
        f, J = batch.evaluate(qe, idx)
        res = np.abs(f).max(1)
        with np.errstate(all="ignore"):
            cond = np.linalg.cond(J)
        q[ends] = qe
        ok[ends] = res <= 1e-9
        sing[ends] = ~(cond < 1e8)
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
        ax = mixing.index(i)
        t = np.moveaxis(t, ax, 0)
        out.append(t[1:] - t[:1])
    return out


def _numeric_batches(Gf: np.ndarray, supports: list, clock, scale: float):
    """Solve support systems with >= 2 mixing players by batched homotopy, grouped by shape.
    Yields (support, [(profile, singular)], flagged, clean): ``flagged`` marks a path that failed
    or ended at a non-converged point near the simplex; ``clean`` says every path either ended at
    a converged nonsingular root or diverged (no sign of a degenerate system)."""
    groups: dict = {}
    for S in supports:
        mixing = tuple(j for j in range(Gf.shape[0]) if len(S[j]) > 1)
        key = (mixing, tuple(len(S[j]) for j in mixing))
        groups.setdefault(key, []).append(S)
    for (mixing, ks), members in sorted(groups.items()):
        tensors = [_difference_tensors(Gf, S, list(mixing)) for S in members]
        if ks == (2, 2, 2):
            rest = []
            for S, T in zip(members, tensors):
                roots = _solve_bilinear3([t[0] / scale for t in T])
                if roots is None:
                    rest.append((S, T))
                    continue
                found = []
                for q in roots:
                    prof = _profile_from_q(Gf, S, mixing, _Batch(ks, []), q)
                    if prof is not None and _verified(Gf, prof):
                        found.append((prof, False))
                yield S, found, False, True
            if not rest:
                continue
            members, tensors = [r[0] for r in rest], [r[1] for r in rest]
        D = [np.stack([t[k] for t in tensors]).astype(complex) / scale for k in range(len(mixing))]
        batch = _Batch(ks, D)
        Q, ok, sing, status = _track_batch(batch, clock)
        # two paths ending at the same regular root means a path jumped: retrack those systems
        crossed = [s_idx for s_idx in range(len(members)) if _has_crossing(Q[s_idx], ok[s_idx] & ~sing[s_idx])]
        if crossed:
            sub = _Batch(ks, [d[crossed] for d in D])
            Q2, ok2, sing2, st2 = _track_batch(sub, clock, seed=1, h_max=0.02)
            for k, s_idx in enumerate(crossed):
                Q[s_idx], ok[s_idx], sing[s_idx], status[s_idx] = Q2[k], ok2[k], sing2[k], st2[k]
        for s_idx, S in enumerate(members):
            found, flagged = [], False
            st = status[s_idx]
            big = ~(np.abs(Q[s_idx]).max(1) < 1e4)
            clean = bool(np.all((ok[s_idx] & ~sing[s_idx]) | (st == 2) | ((st == 1) & ~ok[s_idx] & big)))
            if _has_crossing(Q[s_idx], ok[s_idx] & ~sing[s_idx]):
                clean, flagged = False, True
            for p_idx in range(Q.shape[1]):
                qv = Q[s_idx, p_idx]
                if not ok[s_idx, p_idx]:
                    if status[s_idx, p_idx] in (1, 3) and _maybe_feasible(qv):
                        flagged = True
                    continue
                if np.abs(qv.imag).max(initial=0) > 1e-7:
                    continue
                prof = _profile_from_q(Gf, S, mixing, batch, qv.real)
                if prof is None:
                    continue
                if _verified(Gf, prof):
                    found.append((prof, bool(sing[s_idx, p_idx])))
                elif sing[s_idx, p_idx]:
                    flagged = True
            yield S, found, flagged, clean


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


def _has_crossing(Q: np.ndarray, regular: np.ndarray) -> bool:
    pts = Q[regular]
    for a in range(len(pts)):
        for b in range(a + 1, len(pts)):
            if np.abs(pts[a] - pts[b]).max() <= 1e-7 * (1 + np.abs(pts[a]).max()):
                return True
    return False


def _maybe_feasible(qv) -> bool:
    return bool(np.all(np.isfinite(qv)) and np.abs(qv.imag).max(initial=0) < 1e-3
                and np.all(qv.real > -1e-3) and np.all(qv.real < 1 + 1e-3))


def _profile_from_q(Gf, S, mixing, batch, q):
    mixed = {}
    for pos, j in enumerate(mixing):
        qs = q[batch.off[pos]:batch.off[pos + 1]]
        p = np.concatenate([[1 - qs.sum()], qs])
        if np.any(p < -1e-9) or np.any(p > 1 + 1e-9):
            return None
        p = np.clip(p, 0, None)
        mixed[j] = list(p / p.sum())
    return _full_profile(Gf, S, mixed)


def _numeric_support(G, S, clock, nonsingular_only: bool = False):
    """Numeric solve of one support system of an exact game (fallback). Returns (profiles,
    unsure); a profile is exact when a rational reconstruction verifies exactly."""
    Gf = np.asarray(G, dtype=float)
    scale = payoff_scale(Gf)
    mixing = [j for j in range(G.shape[0]) if len(S[j]) > 1]
    out, unsure = [], False
    if len(mixing) >= 2:
        for _, found, flagged, _clean in _numeric_batches(Gf, [S], clock, scale):
            unsure = unsure or flagged
            for prof, singular in found:
                if singular:
                    unsure = True
                    if nonsingular_only:
                        continue
                ex = _exactify(G, prof)
                out.append(ex if ex is not None else prof)
    return out, unsure


def _exactify(G, prof):
    guess = []
    for p in prof:
        v = [Fraction(float(x)).limit_denominator(10 ** 6) for x in p]
        s = sum(v)
        if s == 0:
            return None
        guess.append(np.array([x / s for x in v], dtype=object))
    guess = tuple(guess)
    if is_exact_array(np.asarray(G)) and is_nash(G, guess):
        return guess
    return None


def _newton_polish(Gf: np.ndarray, S, prof):
    """A few Newton steps on the square indifference system of ``S`` starting at ``prof``."""
    mixing = [j for j in range(Gf.shape[0]) if len(S[j]) > 1]
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
    if new is not None and _verified(Gf, new):
        return new
    return prof


def _float_linear(Gf, S, mixing):
    """Two mixing players, generic float game: two square linear systems."""
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
    prof = _full_profile(Gf, S, mixed)
    return prof if _verified(Gf, prof) else None


# ------------------------------------------------------------------------------------------
# Driver
# ------------------------------------------------------------------------------------------

def _prepare(payoffs):
    arr = np.asarray(payoffs)
    if arr.ndim < 2 or arr.shape[0] != arr.ndim - 1:
        raise ValueError(f"payoffs must have shape (N, n_1, ..., n_N); got {arr.shape}")
    if is_exact_array(arr):
        G = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            G[idx] = _frac(v)
        return G, True, False
    Gf = np.asarray(arr, dtype=float)
    fr = [_nice(float(v)) for v in Gf.flat]
    if all(f is not None for f in fr):
        G = np.empty(arr.shape, dtype=object)
        for k, idx in enumerate(np.ndindex(arr.shape)):
            G[idx] = fr[k]
        return G, True, True
    return Gf, False, True


def _integer_scaled(G: np.ndarray) -> np.ndarray:
    """Per-player integer version of exact payoffs for dominance comparisons."""
    out = np.empty(G.shape, dtype=object)
    for i in range(G.shape[0]):
        den = 1
        for v in G[i].flat:
            den = den * v.denominator // math.gcd(den, v.denominator)
        for idx, v in np.ndenumerate(G[i]):
            out[(i,) + idx] = int(v * den)
    if all(abs(v) < 2 ** 62 for v in out.flat):
        return out.astype(np.int64)
    return out


def _dedupe(points: list) -> list:
    kept: list = []
    for p in points:
        match = next((k for k, q in enumerate(kept) if _same_profile(p, q)), None)
        if match is None:
            kept.append(p)
        elif all(x.dtype == object for x in p) and not all(x.dtype == object for x in kept[match]):
            kept[match] = p
    return kept


def enumerate_polynomial(payoffs, *, deadline: float | None = None) -> PolynomialResult:
    """All Nash equilibria of an N-player game: isolated ones and positive-dimensional families.

    ``payoffs`` has shape ``(N, n_1, ..., n_N)``; exact (int / Fraction object arrays) or float64.
    ``deadline`` is a :func:`time.monotonic` value; when it passes the search stops and the result
    has ``complete=False``.

    >>> import numpy as np
    >>> mp = np.zeros((3, 2, 2, 2), dtype=object)   # three-player matching pennies
    >>> for a, b, c in np.ndindex(2, 2, 2):
    ...     mp[0, a, b, c] = int(a == b); mp[1, a, b, c] = int(b == c); mp[2, a, b, c] = int(c != a)
    >>> res = enumerate_polynomial(mp)
    >>> [[str(v) for v in p] for p in res.equilibria[0]], res.complete
    ([['1/2', '1/2'], ['1/2', '1/2'], ['1/2', '1/2']], True)
    """
    clock = _Clock(deadline)
    G, exact, float_out = _prepare(payoffs)
    N = G.shape[0]
    notes: list[str] = []
    complete = True
    points: list = []
    families: list = []
    cmp = _integer_scaled(G) if exact else G
    supports = []
    try:
        for S in _support_profiles(cmp, generic=not exact, clock=clock):
            supports.append(S)
    except _Budget:
        complete = False
        notes.append("deadline reached during the support search")
    method = ("support enumeration + exact polynomial systems (Gröbner bases)" if exact
              else "support enumeration + linear-product homotopy")
    if exact:
        direct, numeric_first = [], []
        for S in supports:
            mixing = [len(s) for s in S if len(s) > 1]
            if len(mixing) >= 3 and sum(k - 1 for k in mixing) > GB_MAX_VARIABLES:
                numeric_first.append(S)
            else:
                direct.append(S)
        pending = list(direct)
        if numeric_first:
            Gf = np.asarray(G, dtype=float)
            try:
                for S, found, flagged, clean in _numeric_batches(Gf, numeric_first, clock, payoff_scale(Gf)):
                    if clean and not flagged:
                        for prof, _ in found:
                            ex = _exactify(G, prof)
                            points.append(ex if ex is not None else prof)
                    else:
                        pending.append(S)
            except _Budget:
                complete = False
                notes.append("deadline reached while tracking homotopy paths")
        for S in pending:
            if clock.expired():
                complete = False
                notes.append("deadline reached; some support profiles were not solved")
                break
            budget = min(SYSTEM_BUDGET, clock.remaining())
            try:
                res = _guarded(_exact_support, (G, S, time.monotonic() + budget), budget)
            except (_Budget, _Unsolved) as exc:
                if clock.expired():
                    complete = False
                    notes.append("deadline reached; some support profiles were not solved")
                    break
                try:
                    pts, unsure = _numeric_support(G, S, _Clock(min(time.monotonic() + 4 * SYSTEM_BUDGET,
                                                                       clock.deadline or math.inf)))
                except _Budget:
                    pts, unsure = [], True
                points.extend(pts)
                why = "budget exceeded" if isinstance(exc, _Budget) else f"exact method failed ({exc})"
                notes.append(f"support {_support_str(S)}: {why}; solved numerically by homotopy")
                if unsure or sum(len(s) > 1 for s in S) < 2:
                    complete = False
                continue
            points.extend(res.points)
            families.extend(res.families)
            notes.extend(res.notes)
            if res.unsure:
                complete = False
    else:
        scale = payoff_scale(G)
        Gf = G
        hard = []
        for S in supports:
            mixing = [j for j in range(N) if len(S[j]) > 1]
            if not mixing:
                pts = _pure_check(Gf, S).points
            elif len(mixing) == 2:
                p = _float_linear(Gf, S, mixing)
                pts = [p] if p is not None else []
            elif len(mixing) == 1:
                pts = []
            else:
                hard.append(S)
                continue
            points.extend(pts)
        try:
            for S, found, flagged, _clean in _numeric_batches(Gf, hard, clock, scale):
                points.extend(_newton_polish(Gf, S, p) for p, _ in found)
                if flagged or any(singular for _, singular in found):
                    complete = False
                    notes.append(f"support {_support_str(S)}: singular or failed path endpoint near the "
                                 "simplex (degenerate game?)")
        except _Budget:
            complete = False
            notes.append("deadline reached while tracking homotopy paths")
    points = _dedupe(points)
    if float_out:
        points = [tuple(np.asarray(p, dtype=float) for p in prof) for prof in points]
        families = [EquilibriumFamily(f.support, f.dimension,
                                      tuple(tuple(np.asarray(p, dtype=float) for p in s) for s in f.sample_points),
                                      f.description) for f in families]
    points.sort(key=_profile_key)
    families.sort(key=lambda f: (f.support, f.dimension))
    n_sup = len(supports)
    notes.insert(0, f"{n_sup} support profiles survived dominance pruning")
    return PolynomialResult(tuple(points), tuple(families), complete, method, tuple(notes))
