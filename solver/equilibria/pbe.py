"""Perfect Bayesian equilibria of extensive games with perfect recall: every pure one with the
exact set of beliefs that supports it at each information set, and the hybrid (semi-separating)
ones of two-type signalling games (:mod:`solver.equilibria.signalling`).

An assessment is a behaviour profile with a belief (a probability over the nodes) at every
information set. It is a perfect Bayesian equilibrium (Fudenberg & Tirole 1991b, §8.2; the "weak
PBE" of Mas-Colell, Whinston & Green 1995, §9.C) when beliefs on the path of play follow from the
profile by Bayes' rule and, at every information set, the mover's moves are optimal given the
belief there and the continuation play (sequential rationality). In signalling games this is
Fudenberg and Tirole's PBE, and every one is also sequential (Fudenberg & Tirole 1991b, §8.2).

Method. With the profile fixed, the value to the mover of each move at each node is fixed
(:func:`solver.model.walk.subtree_values`), so the prescribed moves at an information set are
optimal under a belief μ iff, for each prescribed move a and each other move b,
Σ_x μ(x)·(v(x, a) − v(x, b)) ≥ 0: a polytope in the simplex over the set's nodes. On the path μ is
Bayes' and the inequalities are checked; off the path the polytope is the exact set of supporting
beliefs, found by its vertices (exact arithmetic) — for a two-node set, an interval of μ(first
node). Conditions at different information sets are independent, so a profile is a PBE iff every
on-path set passes and every off-path polytope is non-empty. Pure profiles are enumerated; each
candidate is also checked to be a Nash equilibrium (exact best responses over sequences), which
covers deviations at several information sets from the root. Off the path, deviations are checked
one information set at a time (one-shot deviations), which is exact when no player moves twice
along a path (signalling games); otherwise a note says so.

    D. Fudenberg, J. Tirole (1991a), "Perfect Bayesian equilibrium and sequential equilibrium",
      Journal of Economic Theory 53, 236–260; (1991b) Game Theory, MIT Press, ch. 8.
    M. J. Osborne, A. Rubinstein (1994), A Course in Game Theory, MIT Press, ch. 12.
    A. Mas-Colell, M. D. Whinston, J. R. Green (1995), Microeconomic Theory, OUP, §9.C.

>>> from fractions import Fraction as F
>>> from solver.model.tree import Chance, Decision, Terminal, build_tree
>>> def receiver(infoset):       # the receiver fights (1 against weak, 0 against strong) or yields (0)
...     return Decision("R", {"fight": Terminal((0, 0)), "yield": Terminal((1, 0))}, infoset=infoset)
>>> tree = build_tree(["S", "R"], Chance({"strong": F(1, 2), "weak": F(1, 2)}, {
...     "strong": Decision("S", {"go": receiver("h")}),
...     "weak": Decision("S", {"go": Decision("R", {"fight": Terminal((0, 1)), "yield": Terminal((1, 0))},
...                                            infoset="h")})})).evaluated()
>>> assess(tree, {0: (1,), 1: (1,), 2: (F(0), F(1))}) is None      # yielding: fighting gains 1/2
True
>>> assessment = assess(tree, {0: (1,), 1: (1,), 2: (F(1), F(0))})
>>> assessment.beliefs[2].belief, assessment.beliefs[2].on_path
((Fraction(1, 2), Fraction(1, 2)), True)
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import numpy as np

from solver.core.deadline import expired
from solver.equilibria.result import DEADLINE, LIMIT, TIES, AlgorithmResult, Note
from solver.equilibria.sequence_form import is_nash_at
from solver.equilibria.signalling import CONTINUUM, hybrid_candidates, signalling_structure
from solver.model.tree import ExtensiveGame
from solver.model.walk import reach_probabilities, subtree_values

#: Pure profiles beyond this many are not enumerated (the result says it is incomplete).
MAX_PROFILES = 200_000
ONE_SHOT = "one-shot"
MIXED_SEARCH = "mixed-search"


@dataclass(frozen=True)
class Beliefs:
    """The beliefs at one information set under an equilibrium profile.

    ``belief``: Bayes' rule on the path; off the path one supporting belief (the average of the
    vertices, inside the set when it has an inside).
    ``vertices``: every supporting belief is a mixture of these (on the path: Bayes' belief only).
    ``constraints``: (prescribed move, other move, d) — the belief μ supports the prescribed move
    against the other iff Σ d·μ ≥ 0 (d: the mover's gain per node); move indices.
    """
    infoset: int
    nodes: tuple[int, ...]
    on_path: bool
    belief: tuple[Fraction, ...]
    vertices: tuple[tuple[Fraction, ...], ...]
    constraints: tuple[tuple[int, int, tuple[Fraction, ...]], ...]

    @property
    def interval(self) -> tuple[Fraction, Fraction] | None:
        """For a two-node set: the range of μ(first node) over the supporting beliefs."""
        if len(self.nodes) != 2:
            return None
        firsts = [v[0] for v in self.vertices]
        return min(firsts), max(firsts)

    @property
    def unrestricted(self) -> bool:
        """Whether every belief supports the prescribed moves."""
        return all(all(g >= 0 for g in d) for _, _, d in self.constraints)


@dataclass(frozen=True)
class Assessment:
    """A behaviour profile with its beliefs: one :class:`Beliefs` per information set, in order."""
    profile: Mapping[int, tuple]
    beliefs: tuple[Beliefs, ...]


def _exact(value) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def _dot(a, b) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def solve_square(rows: list[list[Fraction]], n: int) -> tuple[Fraction, ...] | None:
    """The unique solution of ``n`` equations (augmented rows) in ``n`` unknowns, or None."""
    m = [list(r) for r in rows]
    for col in range(n):
        pivot = next((r for r in range(col, n) if m[r][col] != 0), None)
        if pivot is None:
            return None
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col] != 0:
                factor = m[r][col] / m[col][col]
                m[r] = [a - factor * b for a, b in zip(m[r], m[col])]
    return tuple(m[r][n] / m[r][r] for r in range(n))


def polytope_vertices(size: int, rows) -> tuple[tuple[Fraction, ...], ...]:
    """The vertices of {μ ≥ 0, Σμ = 1, d·μ ≥ 0 for each d in ``rows``}, sorted (empty: no belief).

    >>> polytope_vertices(2, [(Fraction(1), Fraction(-1))])       # μ1 ≥ μ2
    ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 1), Fraction(0, 1)))
    """
    units = [tuple(Fraction(int(i == j)) for j in range(size)) for i in range(size)]
    inequalities = list(dict.fromkeys(units + [tuple(_exact(v) for v in d) for d in rows if any(v != 0 for v in d)]))
    found: set[tuple[Fraction, ...]] = set()
    for tight in itertools.combinations(inequalities, size - 1):
        point = solve_square([list(t) + [Fraction(0)] for t in tight] + [[Fraction(1)] * (size + 1)], size)
        if point is not None and all(_dot(row, point) >= 0 for row in inequalities):
            found.add(point)
    return tuple(sorted(found))


def supporting_beliefs(tree: ExtensiveGame, behaviour: Mapping, infoset: int, values: np.ndarray,
                       reach: np.ndarray) -> Beliefs | None:
    """The beliefs at ``infoset`` under which its prescribed moves are optimal (Bayes' on the
    path), or None when no belief (or Bayes' belief, on the path) supports them."""
    info = tree.infosets[infoset]
    kids = [list(tree.children(x)) for x in info.nodes]
    probs = behaviour[infoset]

    def gains(a: int, b: int) -> tuple[Fraction, ...]:
        return tuple(_exact(values[k[a]][info.player]) - _exact(values[k[b]][info.player]) for k in kids)
    constraints = tuple((a, b, gains(a, b)) for a, p in enumerate(probs) if p > 0
                        for b in range(len(info.moves)) if b != a)
    total = sum((_exact(reach[x]) for x in info.nodes), Fraction(0))
    if total > 0:
        belief = tuple(_exact(reach[x]) / total for x in info.nodes)
        if all(_dot(d, belief) >= 0 for _, _, d in constraints):
            return Beliefs(infoset, info.nodes, True, belief, (belief,), constraints)
        return None
    vertices = polytope_vertices(len(info.nodes), [d for _, _, d in constraints])
    if not vertices:
        return None
    centre = tuple(sum(v[i] for v in vertices) / len(vertices) for i in range(len(info.nodes)))
    return Beliefs(infoset, info.nodes, False, centre, vertices, constraints)


def assess(tree: ExtensiveGame, behaviour: Mapping) -> Assessment | None:
    """The assessment that makes ``behaviour`` a perfect Bayesian equilibrium, or None if none does
    (one-shot deviations at every information set, and a Nash check from the root)."""
    values = subtree_values(tree, behaviour)
    reach = reach_probabilities(tree, behaviour)
    beliefs = []
    for h in range(len(tree.infosets)):
        found = supporting_beliefs(tree, behaviour, h, values, reach)
        if found is None:
            return None
        beliefs.append(found)
    if not is_nash_at(tree, behaviour):
        return None
    return Assessment(behaviour, tuple(beliefs))


def player_moves_twice(tree: ExtensiveGame) -> bool:
    """Whether some player has two decision nodes on one path (one-shot checks may then miss a
    deviation at several information sets off the path)."""
    return any(len(tree.own_history(int(n), int(tree.node_player[n]))) > 0
               for n in np.flatnonzero(tree.node_player >= 0))


def pure_assessments(tree: ExtensiveGame, deadline: float | None = None) -> tuple[list[Assessment], tuple[Note, ...]]:
    """Every pure PBE with its beliefs, and notes if the enumeration was cut short."""
    sizes = [len(s.moves) for s in tree.infosets]
    count = math.prod(sizes)
    if count > MAX_PROFILES:
        return [], (Note(LIMIT, f"{count:,} pure profiles are more than the {MAX_PROFILES:,} the PBE search enumerates"),)
    found = []
    units = [[tuple(Fraction(int(k == m)) for k in range(n)) for m in range(n)] for n in sizes]
    for choice in itertools.product(*[range(n) for n in sizes]):
        if expired(deadline):
            return found, (Note(DEADLINE),)
        behaviour = {h: units[h][m] for h, m in enumerate(choice)}
        assessment = assess(tree, behaviour)
        if assessment is not None:
            found.append(assessment)
    return found, ()


def off_path_mixing(assessment: Assessment) -> list[int]:
    """The off-path information sets where a supporting belief makes the mover indifferent between
    a prescribed move and another: mixing there may also be supported (a continuum of PBE with
    the same path)."""
    return [b.infoset for b in assessment.beliefs if not b.on_path
            and any(_dot(d, v) == 0 for _, _, d in b.constraints for v in b.vertices)]


def _segments(tree: ExtensiveGame, samples: Mapping, assessments: list[Assessment]) -> tuple[Note, ...]:
    """Check the points sampled along each segment of mixtures the indifference conditions leave
    free; list the first that is an equilibrium (appended to ``assessments``) and say what was found."""
    found, empty = [], []
    for pattern, profiles in samples.items():
        verified = next((a for a in (assess(tree, p) for p in profiles) if a is not None), None)
        words = " | ".join("+".join(s) for s in pattern)
        if verified is None:
            empty.append(words)
        else:
            assessments.append(verified)
            found.append(words)
    notes = []
    if found:
        notes.append(Note(CONTINUUM, "mixed equilibria in which the types send {patterns} form segments (one "
                                     "probability is free); one point of each is listed", {"patterns": "; ".join(found)}))
    if empty:
        notes.append(Note(CONTINUUM, "for {count} more support pattern(s) one probability is left free, and the points "
                                     "checked along each are not equilibria (a thinner segment is not excluded)",
                          {"count": len(empty)}))
    return tuple(notes)


def perfect_bayesian_equilibria(tree: ExtensiveGame, *, deadline: float | None = None) -> AlgorithmResult:
    """Every pure perfect Bayesian equilibrium of an exact tree with perfect recall, and, for a
    two-type signalling game, the hybrid ones (:func:`solver.equilibria.signalling.hybrid_candidates`,
    each checked here as every pure one is).

    ``complete`` is True only when the list provably holds every PBE: a two-type signalling game
    whose mixed equilibria were searched in full and that has no continuum; notes say what else
    may exist.
    """
    assessments, notes = pure_assessments(tree, deadline)
    structure = signalling_structure(tree)
    if structure is not None and len(structure.types) == 2 and not notes:
        candidates, samples, mixed_notes = hybrid_candidates(structure, deadline)
        seen = [a.profile for a in assessments]
        for profile in candidates:
            assessment = assess(tree, profile) if profile not in seen else None
            if assessment is not None:
                assessments.append(assessment)
                seen.append(profile)
        notes += mixed_notes + _segments(tree, samples, assessments)
    elif not notes:
        notes += (Note(MIXED_SEARCH, "only pure perfect Bayesian equilibria were searched (mixed ones are searched "
                                     "in two-type signalling games); mixed ones may exist"),)
    if player_moves_twice(tree):
        notes += (Note(ONE_SHOT, "off the path, deviations were checked at one information set at a time"),)
    # The search was exhaustive; what it leaves out is only mixing off the path at tied beliefs,
    # which (when every listed equilibrium is pure) is what the "pure with ties" wording says.
    searched_all = not notes
    mixing = sorted({tree.infosets[h].label for a in assessments for h in off_path_mixing(a)})
    if mixing:
        notes += (Note(CONTINUUM, "off the path, at {where}, a supporting belief makes the mover indifferent: mixing "
                                  "there gives further equilibria with the same path (a continuum)",
                       {"where": ", ".join(mixing)}),)
    all_pure = all(all(max(p) == 1 for p in a.profile.values()) for a in assessments)
    complete = searched_all and (not mixing or all_pure)
    if mixing and complete:
        notes += (Note(TIES, "mixing between tied moves off the path gives further equilibria"),)
    return AlgorithmResult("pbe", profiles=tuple(a.profile for a in assessments), complete=complete,
                           label="perfect Bayesian", notes=notes)
