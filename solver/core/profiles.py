"""Index-based strategy profiles; the name-keyed form is made only for output.

* A **mixed profile** of a normal-form game is one probability vector per player, indexed by
  strategy: ``((1, 0), (Fraction(1, 3), Fraction(2, 3)))``.
* A **behaviour profile** of a tree maps each information set (by index) to a probability vector
  over its moves; an information set may be missing where the profile does not say.

>>> pure_profile((1, 0), (2, 3), exact=True)
((Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1), Fraction(0, 1)))
>>> support(((0, 1), (0.5, 0.5, 0)))
((1,), (0, 1))
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping, Sequence

from solver.core.numbers import Number

MixedProfile = tuple[tuple[Number, ...], ...]
BehaviourProfile = Mapping[int, tuple[Number, ...]]


def pure_vector(index: int, size: int, exact: bool) -> tuple[Number, ...]:
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
    return tuple(one if k == index else zero for k in range(size))


def pure_profile(indices: Sequence[int], shape: Sequence[int], exact: bool) -> MixedProfile:
    """The mixed profile that plays strategy ``indices[i]`` for each player ``i`` with certainty."""
    return tuple(pure_vector(int(s), int(n), exact) for s, n in zip(indices, shape))


def support(profile: MixedProfile) -> tuple[tuple[int, ...], ...]:
    """Per player, the strategies played with positive probability."""
    return tuple(tuple(k for k, v in enumerate(p) if v != 0) for p in profile)


def is_pure(profile) -> bool:
    """One strategy (or move) with positive probability per player (or information set)."""
    vectors = profile.values() if isinstance(profile, Mapping) else profile
    return all(sum(1 for v in p if v != 0) == 1 for p in vectors if p is not None)


def pure_indices(profile: MixedProfile) -> tuple[int, ...]:
    """The strategy of each player in a pure profile."""
    return tuple(max(range(len(p)), key=lambda k: float(p[k])) for p in profile)


def pure_first_order(profile: MixedProfile) -> tuple:
    """Sort key: pure profiles first, in strategy order; then mixed ones by support size."""
    size = sum(len(s) for s in support(profile))
    return (size, tuple(-float(v) for p in profile for v in p))
