"""One of each behaviour profile: the equilibria of a tree, listed once however many extreme
equilibria of its reduced normal form give them.

Different mixed strategies of the reduced normal form can be realization equivalent, i.e. give the
same behaviour strategy (H. W. Kuhn, "Extensive games and the problem of information",
Contributions to the Theory of Games II (1953) 193–216): a player with two information sets that do
not follow one another mixes ``½(L,l) + ½(R,r)`` and ``½(L,r) + ½(R,l)`` the same way. So distinct
extreme equilibria of the reduced normal form can be one behaviour profile, listed once here.

Exact profiles (``Fraction``) are compared exactly; float ones after rounding to
:data:`FLOAT_DIGITS` digits.

>>> from fractions import Fraction as F
>>> half = (F(1, 2), F(1, 2))
>>> distinct_profiles([{0: half, 1: (F(1), F(0))}, {0: (F(1), F(0))}, {0: half, 1: (F(1), F(0))}])
([0, 1], [0, 1, 0])
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Mapping, Sequence

from solver.equilibria.result import AlgorithmResult

#: Float probabilities are compared after rounding to this many decimal digits.
FLOAT_DIGITS = 9


def _number_key(value):
    if value is None or isinstance(value, (int, Fraction)):
        return value
    return round(float(value), FLOAT_DIGITS) + 0.0           # + 0.0 makes -0.0 equal 0.0


def behaviour_key(behaviour: Mapping[int, Sequence | None]) -> tuple:
    """A hashable key equal for two behaviour profiles exactly when they prescribe the same
    probabilities at every information set (``None``, an information set the profile leaves
    open, is a value of its own)."""
    return tuple(sorted((h, None if probs is None else tuple(_number_key(q) for q in probs))
                        for h, probs in behaviour.items()))


def distinct_profiles(behaviours: Sequence[Mapping[int, Sequence | None]]) -> tuple[list[int], list[int]]:
    """``(kept, group)``: the index of the first occurrence of each distinct profile, in order, and
    for every input profile the position in ``kept`` of its own profile."""
    first: dict[tuple, int] = {}
    kept: list[int] = []
    group: list[int] = []
    for k, behaviour in enumerate(behaviours):
        key = behaviour_key(behaviour)
        if key not in first:
            first[key] = len(kept)
            kept.append(k)
        group.append(first[key])
    return kept, group


def deduplicated_result(result: AlgorithmResult, kept: Sequence[int], group: Sequence[int]) -> AlgorithmResult:
    """``result`` with only the ``kept`` profiles and its families' members renumbered to match. A
    family all of whose extreme points are listed and fall on one profile is that one profile,
    not a continuum, and is dropped."""
    if len(kept) == len(group):
        return result
    families = []
    for family in result.families:
        members = tuple(sorted({group[k] for k in family.members}))
        if family.all_extreme and family.members and len(members) == 1 and len(family.members) == len(family.extreme_points):
            continue
        families.append(replace(family, members=members))
    return result.with_changes(profiles=tuple(result.profiles[k] for k in kept),
                               regrets=tuple(result.regrets[k] for k in kept) if result.regrets else (),
                               payoffs=tuple(result.payoffs[k] for k in kept) if result.payoffs else (),
                               families=tuple(families))


def extreme_point_counts(group: Sequence[int]) -> list[int]:
    """For each kept profile, how many of the input profiles (extreme points) it stands for."""
    counts = [0] * (max(group) + 1 if group else 0)
    for g in group:
        counts[g] += 1
    return counts
