"""What the solvers of one support system share: the outcome they return and profile helpers.

A *support profile* ``S`` lists, per player, the strategies played with positive probability; a
player with one strategy in ``S`` plays it purely, the others *mix*. Profiles are tuples of numpy
vectors here (object arrays of ``Fraction`` when exact, float64 otherwise); the package turns them
into the tuples of :class:`~solver.equilibria.result.AlgorithmResult` at the end.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from solver.core.numbers import Surd
from solver.core.regret import is_nash

#: Two profiles closer than this in every probability are the same equilibrium.
SAME_PROFILE_TOLERANCE = 1e-7
#: Largest denominator tried when rounding a float profile to rationals.
RATIONAL_DENOMINATOR = 10 ** 6


@dataclass(frozen=True)
class FoundFamily:
    """A positive-dimensional set (continuum) of equilibria sharing one support profile.

    ``points``: equilibria in its closure that were found (vertices of a polytope, boundary and
    interior samples of a curved family); ``all_extreme``: they are provably all its vertices."""
    support: tuple[tuple[int, ...], ...]
    dimension: int
    points: tuple[tuple[np.ndarray, ...], ...]
    all_extreme: bool = False


@dataclass
class Outcome:
    """What solving one support system gave. ``remarks`` are ``(message, data)`` pairs (picklable,
    so an outcome can come back from a child process); ``unsure`` means something may be missed."""
    points: list = field(default_factory=list)
    families: list = field(default_factory=list)
    remarks: list = field(default_factory=list)
    unsure: bool = False

    def remark(self, S, message: str, **data) -> None:
        self.remarks.append(support_remark(S, message, **data))


def support_remark(S, message: str, **data) -> tuple[str, dict]:
    """A remark about support profile ``S``: ``(message, data)``, the message prefixed by the
    support and filled from ``data`` when a note is made of it."""
    return "support {support}: " + message, {"support": _support_text(S), **data}


def mixing_players(S) -> list[int]:
    return [j for j in range(len(S)) if len(S[j]) > 1]


def _support_text(S) -> str:
    return "(" + ", ".join("{" + ",".join(map(str, s)) + "}" for s in S) + ")"


def full_profile(G: np.ndarray, S, mixed: dict) -> tuple[np.ndarray, ...]:
    """Profile from a dict player -> probabilities over its support (pure players implied)."""
    out = []
    for j, n in enumerate(G.shape[1:]):
        if j in mixed and all(isinstance(v, (Fraction, Surd)) for v in mixed[j]):
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


def verified(G: np.ndarray, profile) -> bool:
    """Exact zero regret for an exact profile, the float tolerance otherwise."""
    if all(p.dtype == object for p in profile):
        return is_nash(G, profile)
    return is_nash(np.asarray(G, dtype=float), [np.asarray(p, dtype=float) for p in profile])


def pure_check(G: np.ndarray, S) -> Outcome:
    out = Outcome()
    prof = full_profile(G, S, {})
    if verified(G, prof):
        out.points.append(prof)
    return out


def same_profile(a, b) -> bool:
    """The same profile: exactly for exact profiles, within ``SAME_PROFILE_TOLERANCE`` otherwise."""
    if all(np.asarray(x).dtype == object for x in a) and all(np.asarray(y).dtype == object for y in b):
        return all(len(x) == len(y) and all(u == v for u, v in zip(x, y)) for x, y in zip(a, b))
    return all(np.allclose(np.asarray(x, dtype=float), np.asarray(y, dtype=float), atol=SAME_PROFILE_TOLERANCE, rtol=0)
               for x, y in zip(a, b))


def has_support(prof, S) -> bool:
    for p, s in zip(prof, S):
        nz = tuple(int(k) for k in np.flatnonzero(np.asarray(p, dtype=float) > 0))
        if nz != tuple(s):
            return False
    return True


def rational_profile(G: np.ndarray, prof, bound: int = RATIONAL_DENOMINATOR):
    """The float profile ``prof`` rounded to rationals with denominators up to ``bound``, when
    that is an exact equilibrium of the exact game ``G``; otherwise None."""
    guess = []
    for p in prof:
        v = [Fraction(float(x)).limit_denominator(bound) for x in p]
        if any(x < 0 for x in v) or sum(v) == 0:
            return None
        total = sum(v)
        guess.append(np.array([x / total for x in v], dtype=object))
    guess = tuple(guess)
    return guess if is_nash(G, guess) else None
