"""The support profiles worth solving: backtracking search with dominance pruning.

Support profiles are searched player by player (fewest strategies first); after each choice,
strategies conditionally strictly dominated given the others' (candidate) supports are removed,
and a profile is dropped when one of its own strategies is dominated (R. Porter, E. Nudelman and
Y. Shoham, "Simple search methods for finding a Nash equilibrium", Games and Economic Behavior 63
(2008) 642–662). Once the other supports are fixed, two further necessary conditions are used,
both valid for degenerate games: weak dominance (against a mixture with full support on the
others' supports a weakly dominated strategy is never a best reply) and an LP relaxation — some
distribution ``w > 0`` over the others' support profiles, not necessarily a product, must make the
whole support a set of best replies. For the player with the most strategies the candidate
supports are grown set by set, since the relaxation is monotone. For generic (float) games a
support profile whose multihomogeneous Bézout count is zero has no solution and is skipped
(A. McLennan and R. McKelvey, "The maximal number of regular totally mixed Nash equilibria",
J. Economic Theory 72 (1997) 411–425).
"""
from __future__ import annotations

import itertools
from typing import Iterator, Sequence

import numpy as np

from solver.core.deadline import check
from solver.equilibria.polynomial.simplex import cone_feasible

#: The LP relaxation is used for the last player's supports when its domain has more strategies.
_RELAXATION_MIN_DOMAIN = 5
#: The deadline is checked once every this many candidate supports.
_CHECK_EVERY = 64

SupportProfile = tuple[tuple[int, ...], ...]


def _restrict(tensor: np.ndarray, i: int, R) -> np.ndarray:
    """Player i's payoffs as a matrix: all of i's strategies x the others' profiles within ``R``."""
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


def bezout_assignments(sizes: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """The assignments behind the multihomogeneous Bézout number of a support system (McLennan &
    McKelvey 1997): each indifference equation of player i (equations listed player by player)
    gets one other player's block, so that block j receives ``sizes[j] - 1`` equations."""
    m = [k - 1 for k in sizes]
    eqs = [i for i in range(len(m)) for _ in range(m[i])]
    cap = list(m)
    cur: list[int] = []

    def rec(e):
        if e == len(eqs):
            yield tuple(cur)
            return
        i = eqs[e]
        for j in range(len(m)):
            if j != i and cap[j] > 0:
                cap[j] -= 1
                cur.append(j)
                yield from rec(e + 1)
                cur.pop()
                cap[j] += 1

    yield from rec(0)


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
    return cone_feasible(E, F)


class _SupportSearch:
    """The backtracking search; ``cmp`` holds payoffs whose comparisons are exact (integers) or
    floats for generic games (``generic=True`` also applies the Bézout count)."""

    def __init__(self, cmp: np.ndarray, generic: bool, deadline: float | None):
        self.cmp, self.generic, self.deadline = cmp, generic, deadline
        self.N = cmp.shape[0]
        self.sizes = cmp.shape[1:]
        self.order = sorted(range(self.N), key=lambda i: (self.sizes[i], i))
        self.big = max(self.sizes) >= _RELAXATION_MIN_DOMAIN
        self.counter = 0

    def tick(self) -> None:
        self.counter += 1
        if self.counter % _CHECK_EVERY == 0:
            check(self.deadline)

    def profiles(self) -> Iterator[SupportProfile]:
        start = _irsds(self.cmp, [np.arange(n) for n in self.sizes], [False] * self.N)
        yield from self._rec(start, [False] * self.N, 0)

    def _leaf_ok(self, R) -> bool:
        cmp, N = self.cmp, self.N
        for i in range(N):
            if _dominated(_restrict(cmp[i], i, R), weak=True)[R[i]].any():
                return False
        if self.generic:
            mixing = [len(r) for r in R if len(r) > 1]
            if next(bezout_assignments(mixing), None) is None:
                return False
        if self.big:
            for i in range(N):
                if self.sizes[i] > 2 and (len(R[i]) > 1 or any(len(R[j]) > 1 for j in range(N) if j != i)):
                    self.tick()
                    if not _relaxation_feasible(_restrict(cmp[i], i, R), list(R[i])):
                        return False
        return True

    def _last_supports(self, R, i, D, max_k):
        if len(D) < _RELAXATION_MIN_DOMAIN:
            for k in range(1, max_k + 1):
                yield from itertools.combinations(D.tolist(), k)
            return
        # Apriori-style growth: a set is feasible only if all its subsets are
        sub = _restrict(self.cmp[i], i, R)
        level = []
        for a in D.tolist():
            self.tick()
            if _relaxation_feasible(sub, [a]):
                level.append((a,))
        yield from level
        for k in range(2, max_k + 1):
            prev = set(level)
            cands = sorted({s + (a,) for s in level for a in D.tolist() if a > s[-1]
                            and all((s + (a,))[:j] + (s + (a,))[j + 1:] in prev for j in range(k))})
            level = []
            for c in cands:
                self.tick()
                if _relaxation_feasible(sub, list(c)):
                    level.append(c)
            yield from level
            if not level:
                return

    def _rec(self, R, assigned, pos):
        i = self.order[pos]
        D = R[i]
        last = pos == self.N - 1
        if last:
            D = D[~_dominated(_restrict(self.cmp[i], i, R), weak=True)[D]]
        max_k = len(D)
        if self.generic:
            max_k = min(max_k, 1 + sum(len(R[j]) - 1 for j in range(self.N) if j != i))
        cands = (self._last_supports(R, i, D, max_k) if last else
                 (S for k in range(1, max_k + 1) for S in itertools.combinations(D.tolist(), k)))
        for S in cands:
            self.tick()
            R2 = list(R)
            R2[i] = np.array(S, dtype=int)
            a2 = list(assigned)
            a2[i] = True
            R3 = _irsds(self.cmp, R2, a2)
            if R3 is None:
                continue
            if not last:
                yield from self._rec(R3, a2, pos + 1)
            elif self._leaf_ok(R3):
                yield tuple(tuple(int(v) for v in r) for r in R3)


def support_profiles(cmp: np.ndarray, generic: bool, deadline: float | None) -> Iterator[SupportProfile]:
    """Every support profile that survives the pruning, in search order; raises
    :class:`~solver.core.deadline.DeadlinePassed` when the deadline passes."""
    return _SupportSearch(cmp, generic, deadline).profiles()
