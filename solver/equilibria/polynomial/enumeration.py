"""The driver: support profiles in, one :class:`~solver.equilibria.result.AlgorithmResult` out.

Exact payoffs go support by support to the exact solvers (:mod:`.linear`, :mod:`.groebner`), each
under its time budget (:mod:`.budget`); systems too large for Gröbner bases are tracked
numerically first (:mod:`.tracking`) and solved exactly only when the homotopy shows signs of
degeneracy. Float payoffs go to the float routes: pure checks, two square linear systems, closed
forms and batched homotopies.
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from solver.core.deadline import DeadlinePassed, expired
from solver.core.numbers import Surd, exact_value, integer_scaled, is_exact_array, payoff_scale, tie_tolerance, to_fraction
from solver.equilibria.polynomial.budget import SYSTEM_BUDGET, Unsolved, budget_seconds, guarded
from solver.equilibria.polynomial.common import (FoundFamily, Outcome, mixing_players, pure_check, rational_profile,
                                                 same_profile, support_remark)
from solver.equilibria.polynomial.groebner import GeneralSolver
from solver.equilibria.polynomial.linear import float_linear, linear_route, two_mixing_exact
from solver.equilibria.polynomial.support import bezout_assignments, support_profiles
from solver.equilibria.polynomial.tracking import newton_polish, numeric_batches, numeric_support
from solver.equilibria.result import DEADLINE, INFO, AlgorithmResult, Family, Note

#: Float payoffs equal to a rational with at most this denominator are solved exactly.
_NICE_DENOMINATOR = 10_000
#: Support systems with more unknowns are solved by homotopy first (Gröbner bases only when the
#: homotopy shows signs of degeneracy: singular or failed paths).
GB_MAX_VARIABLES = 4
#: The numeric fallback for one support system may take this many times the system budget.
_NUMERIC_FALLBACK_BUDGETS = 4
#: What the progress callback is told is being done.
PROGRESS_STAGE = "solving support systems"
EXACT_LABEL = "support enumeration + exact polynomial systems (Gröbner bases)"
FLOAT_LABEL = "support enumeration + linear-product homotopy"
ALGEBRAIC_LABEL = "support enumeration + exact square-root arithmetic"
#: Note code: float payoffs within the tie tolerance of a tie, so the generic float method may miss equilibria.
FLOAT_TIES = "float-ties"
#: Note code: a support system with irrational payoffs that could not be solved exactly.
INEXACT_SUPPORT = "inexact-support"


def _nice(v: float) -> Fraction | None:
    if not math.isfinite(v):
        return None
    f = Fraction(v).limit_denominator(_NICE_DENOMINATOR)
    return f if float(f) == v else None


def prepared_payoffs(payoffs, algebraic=None) -> tuple[np.ndarray, bool, bool]:
    """(payoffs, exact, float_out): exact payoffs as a Fraction object array; float payoffs that
    are all small-denominator rationals (such as 0.25) too, with ``float_out`` set so answers go
    back as floats; other float payoffs as float64 with ``exact`` False. ``algebraic``: the same
    payoffs exactly, as :class:`~solver.core.numbers.Surd` numbers (square roots), used instead of
    the floats (answers go back as floats)."""
    arr = np.asarray(payoffs)
    if arr.ndim < 2 or arr.shape[0] != arr.ndim - 1:
        raise ValueError(f"payoffs must have shape (N, n_1, ..., n_N); got {arr.shape}")
    if algebraic is not None:
        algebraic = np.asarray(algebraic, dtype=object)
        if algebraic.shape != arr.shape:
            raise ValueError(f"exact payoffs have shape {algebraic.shape}, expected {arr.shape}")
        return _fraction_array(arr.shape, [exact_value(Surd.of(v)) for v in algebraic.flat]), True, True
    if is_exact_array(arr):
        return _fraction_array(arr.shape, [to_fraction(v) for v in arr.flat]), True, False
    Gf = np.asarray(arr, dtype=float)
    fr = [_nice(float(v)) for v in Gf.flat]
    if all(f is not None for f in fr):
        return _fraction_array(arr.shape, fr), True, True
    return Gf, False, True


def _fraction_array(shape, values) -> np.ndarray:
    G = np.empty(shape, dtype=object)
    G.flat[:] = values
    return G


def _comparable(G: np.ndarray) -> np.ndarray:
    """Per-player integer version of exact payoffs (a positive scaling each) for dominance."""
    if any(isinstance(v, Surd) for v in G.flat):
        return _snapped_floats(G)
    out = np.empty(G.shape, dtype=object)
    for i in range(G.shape[0]):
        out[i].flat[:] = integer_scaled(G[i].flat)
    if all(abs(v) < 2 ** 62 for v in out.flat):
        return out.astype(np.int64)
    return out


def _snapped_floats(G: np.ndarray) -> np.ndarray:
    """Float payoffs whose comparisons are those of the exact ones (irrational payoffs): equal
    values get the same float, and the floats of the distinct values, sorted exactly, are checked
    to increase strictly."""
    distinct = sorted(set(G.flat))
    floats = [float(v) for v in distinct]
    if any(a >= b for a, b in zip(floats, floats[1:])):
        raise Unsolved("two distinct payoffs have the same float value")
    lookup = dict(zip(distinct, floats))
    return np.array([lookup[v] for v in G.flat], dtype=float).reshape(G.shape)


def _float_ties(Gf: np.ndarray) -> bool:
    """Whether two strategies of a player give payoffs within the tie tolerance of each other
    against some pure profile of the others (where the generic float method may miss continua)."""
    tolerance = tie_tolerance(Gf)
    for i in range(Gf.shape[0]):
        own = np.moveaxis(Gf[i], i, 0)
        for a in range(own.shape[0]):
            if np.any(np.abs(own[a + 1:] - own[a]) <= tolerance):
                return True
    return False


def _solve_support(G, S, deadline) -> Outcome:
    """Exact solution of one support system (run under a time budget)."""
    mixing = mixing_players(S)
    if not mixing:
        return pure_check(G, S)
    if len(mixing) <= 2:
        res = linear_route(G, S, mixing, deadline)
        if res is not None:
            return res
        if any(isinstance(v, Surd) for v in G.flat):
            return two_mixing_exact(G, S, mixing[0], mixing[1], deadline)
    return GeneralSolver(G, S, deadline).solve()


def _guarded_support(G, S, deadline) -> Outcome:
    seconds = budget_seconds(deadline)
    return guarded(_solve_support, (G, S, time.monotonic() + seconds), seconds)


def support_equilibria(G, S, deadline: float | None = None) -> list:
    """The verified equilibria the exact system of support profile ``S`` gives (its isolated
    solutions and the points found on its families), exact where rational; empty when the exact
    method fails or runs out of time. ``G`` holds exact payoffs (see :func:`prepared_payoffs`)."""
    try:
        outcome = _guarded_support(G, S, deadline)
    except (DeadlinePassed, Unsolved):
        return []
    return outcome.points + [p for f in outcome.families for p in f.points]


def _dedupe(points: list) -> list:
    """One of each equilibrium, the exact version where there are both."""
    kept: list = []
    for p in points:
        match = next((k for k, q in enumerate(kept) if same_profile(p, q)), None)
        if match is None:
            kept.append(p)
        elif all(x.dtype == object for x in p) and not all(x.dtype == object for x in kept[match]):
            kept[match] = p
    return kept


class _Enumeration:
    """The state of one run: what was found, whether it is complete, and the notes."""

    def __init__(self, payoffs, deadline, progress=None, algebraic=None):
        self.G, self.exact, self.float_out = prepared_payoffs(payoffs, algebraic)
        self.algebraic = self.exact and any(isinstance(v, Surd) for v in self.G.flat)
        self.deadline = deadline
        self.progress = progress
        self.points: list = []
        self.families: list[FoundFamily] = []
        self.notes: list[Note] = []
        self.complete = True

    def stopped(self, message: str) -> None:
        """The deadline passed: one deadline note (the first stage it stopped)."""
        self.complete = False
        if not any(n.code == DEADLINE for n in self.notes):
            self.notes.append(Note(DEADLINE, message))

    def info(self, remarks) -> None:
        self.notes.extend(Note(INFO, message, data) for message, data in remarks)

    def report(self, done: int, total: int) -> None:
        """Tell the progress callback (if any) how many support systems are solved."""
        if self.progress is not None:
            self.progress(PROGRESS_STAGE, done, total)

    def supports(self) -> list:
        try:
            cmp = _comparable(self.G) if self.exact else self.G
        except Unsolved as why:             # distinct irrational payoffs with one float: no safe comparison
            self.complete = False
            self.notes.append(Note(INEXACT_SUPPORT, "payoffs could not be compared exactly: {why}", {"why": str(why)}))
            return []
        found = []
        try:
            for S in support_profiles(cmp, generic=not self.exact, deadline=self.deadline):
                found.append(S)
        except DeadlinePassed:
            self.stopped("deadline reached during the support search")
        return found

    def solve_exact(self, supports) -> None:
        direct, numeric_first = [], []
        for S in supports:
            mixing = [len(s) for s in S if len(s) > 1]
            if len(mixing) >= 3 and self.algebraic:
                self._numeric_algebraic(S)
            elif len(mixing) >= 3 and sum(k - 1 for k in mixing) > GB_MAX_VARIABLES:
                numeric_first.append(S)
            else:
                direct.append(S)
        pending = direct + self._numeric_first(numeric_first)
        self.report(0, len(pending))
        for done, S in enumerate(pending, 1):
            if expired(self.deadline):
                self.stopped("deadline reached; some support profiles were not solved")
                return
            try:
                res = _guarded_support(self.G, S, self.deadline)
            except (DeadlinePassed, Unsolved) as exc:
                if expired(self.deadline):
                    self.stopped("deadline reached; some support profiles were not solved")
                    return
                self._numeric_fallback(S, "budget exceeded" if isinstance(exc, DeadlinePassed)
                                       else f"exact method failed ({exc})")
                self.report(done, len(pending))
                continue
            self.points.extend(res.points)
            self.families.extend(res.families)
            self.info(res.remarks)
            if res.unsure:
                self.complete = False
            self.report(done, len(pending))

    def _numeric_first(self, supports) -> list:
        """Track large systems numerically; return those that show signs of degeneracy."""
        if not supports:
            return []
        Gf = np.asarray(self.G, dtype=float)
        pending = []
        try:
            for S, found, flagged, clean in numeric_batches(Gf, supports, self.deadline, payoff_scale(Gf)):
                if clean and not flagged:
                    for prof, _ in found:
                        ex = rational_profile(self.G, prof)
                        self.points.append(ex if ex is not None else prof)
                else:
                    pending.append(S)
        except DeadlinePassed:
            self.stopped("deadline reached while tracking homotopy paths")
        return pending

    def _numeric_algebraic(self, S) -> None:
        """Three or more players mix and the payoffs are irrational: no exact solver applies, so
        the system is tracked numerically; complete only when every path ends at a nonsingular
        root (a square system without degeneracy)."""
        sizes = [len(s) for s in S if len(s) > 1]
        if next(bezout_assignments(sizes), None) is None:
            pts, unsure = [], True
        else:
            pts, unsure = self._numeric_points(S)
        self.points.extend(pts)
        if unsure:
            self.complete = False
            message, data = support_remark(S, "three or more players mix and the payoffs are irrational: solved "
                                              "numerically, and the system is degenerate, so equilibria may be missed")
            self.notes.append(Note(INEXACT_SUPPORT, message, data))

    def _numeric_points(self, S) -> tuple[list, bool]:
        """The support system tracked numerically within its own budget: (points, unsure)."""
        own = min(time.monotonic() + _NUMERIC_FALLBACK_BUDGETS * SYSTEM_BUDGET, self.deadline or math.inf)
        try:
            return numeric_support(self.G, S, own)
        except DeadlinePassed:
            return [], True

    def _numeric_fallback(self, S, why: str) -> None:
        pts, unsure = self._numeric_points(S)
        self.points.extend(pts)
        self.info([support_remark(S, "{why}; solved numerically by homotopy", why=why)])
        if unsure or len(mixing_players(S)) < 2:
            self.complete = False

    def solve_float(self, supports) -> None:
        Gf = self.G
        hard = []
        self.report(0, len(supports))
        for done, S in enumerate(supports, 1):
            mixing = mixing_players(S)
            if not mixing:
                self.points.extend(pure_check(Gf, S).points)
            elif len(mixing) == 2:
                p = float_linear(Gf, S, mixing)
                self.points.extend([p] if p is not None else [])
            elif len(mixing) > 2:
                hard.append(S)
            if len(mixing) <= 2:
                self.report(done - len(hard), len(supports))
        try:
            for tracked, (S, found, flagged, _clean) in enumerate(
                    numeric_batches(Gf, hard, self.deadline, payoff_scale(Gf)), 1):
                self.report(len(supports) - len(hard) + tracked, len(supports))
                self.points.extend(newton_polish(Gf, S, p) for p, _ in found)
                if flagged or any(singular for _, singular in found):
                    self.complete = False
                    self.info([support_remark(S, "singular or failed path endpoint near the simplex "
                                                 "(degenerate game?)")])
        except DeadlinePassed:
            self.stopped("deadline reached while tracking homotopy paths")
        tolerance = {"tolerance": f"{tie_tolerance(Gf):.3g}"}
        if _float_ties(Gf):
            self.complete = False
            self.notes.append(Note(FLOAT_TIES, "float payoffs tie (within {tolerance}); the float method assumes a "
                                               "generic game and may miss continua and degenerate equilibria", tolerance))
        else:
            self.info([("float payoffs: treated as a generic game (no two payoffs of a player tie within "
                        "{tolerance})", tolerance)])

    def result(self, n_supports: int) -> AlgorithmResult:
        convert = _as_floats if self.float_out else _as_tuples
        points = sorted((convert(p) for p in _dedupe(self.points)), key=_profile_key)
        found = sorted(self.families, key=lambda f: (f.support, f.dimension))
        families = tuple(_family(f, points, convert) for f in found)
        notes = [Note(INFO, "{count} support profile" + ("" if n_supports == 1 else "s") + " survived dominance pruning",
                      {"count": n_supports})]
        label = ALGEBRAIC_LABEL if self.algebraic else EXACT_LABEL if self.exact else FLOAT_LABEL
        return AlgorithmResult("polynomial", tuple(points), complete=self.complete, label=label, families=families,
                               notes=tuple(notes + self.notes))


def _as_tuples(profile) -> tuple:
    return tuple(tuple(p.tolist()) for p in profile)


def _as_floats(profile) -> tuple:
    return tuple(tuple(float(v) for v in p) for p in profile)


def _profile_key(profile) -> tuple:
    return tuple(round(float(v), 7) for p in profile for v in p)


def _family(found: FoundFamily, profiles: list, convert) -> Family:
    points = tuple(convert(p) for p in found.points)
    if len(points) > 1:
        varying = tuple(j for j in range(len(found.support))
                        if not all(same_profile((p[j],), (points[0][j],)) for p in points[1:]))
    else:               # one known point: every mixing player may vary
        varying = tuple(mixing_players(found.support))
    members = tuple(k for k, q in enumerate(profiles) if any(same_profile(q, p) for p in points))
    return Family(support=found.support, varying=varying, extreme_points=points, members=members,
                  dimension=found.dimension, all_extreme=found.all_extreme)


def enumerate_polynomial(payoffs, *, deadline: float | None = None, progress=None, algebraic=None) -> AlgorithmResult:
    """All Nash equilibria of an N-player game: isolated ones and positive-dimensional families.

    ``payoffs`` has shape ``(N, n_1, ..., n_N)``; exact (int / Fraction object arrays) or float64.
    ``deadline`` is a :func:`time.monotonic` value; when it passes the search stops and the result
    has ``complete=False`` and a ``deadline`` note. ``profiles`` are the equilibria isolated within
    their own support system (exact Fractions where exact), sorted; ``families`` the continua.
    ``progress``, if given, is called as ``progress(what, done, total)`` as support systems are solved.
    ``algebraic``: the payoffs exactly, when they are irrational (:class:`~solver.core.numbers.Surd`
    numbers, same shape): ties are then decided exactly and answers returned as floats.

    >>> import numpy as np
    >>> mp = np.zeros((3, 2, 2, 2), dtype=object)   # three-player matching pennies
    >>> for a, b, c in np.ndindex(2, 2, 2):
    ...     mp[0, a, b, c] = int(a == b); mp[1, a, b, c] = int(b == c); mp[2, a, b, c] = int(c != a)
    >>> res = enumerate_polynomial(mp)
    >>> [[str(v) for v in p] for p in res.profiles[0]], res.complete
    ([['1/2', '1/2'], ['1/2', '1/2'], ['1/2', '1/2']], True)
    """
    run = _Enumeration(payoffs, deadline, progress, algebraic)
    supports = run.supports()
    if run.exact:
        run.solve_exact(supports)
    else:
        run.solve_float(supports)
    return run.result(len(supports))
