"""Verification: every profile an algorithm returns is checked here before it is reported.

Normal form: zero regret for exact profiles, at most ``FLOAT_TOLERANCE`` times the payoff range for
floats (:mod:`solver.core.regret`). Trees: the one-shot deviation check for pure profiles of
perfect-information trees (Osborne & Rubinstein 1994, Lemma 98.2), and the best-response check over
each player's sequences otherwise (:mod:`solver.equilibria.sequence_form`).

:func:`verified_result` and :func:`verified_tree_result` never raise on a bad profile: it is left
out, the result is marked incomplete and a note says so, unless the method declared its result
approximate, in which case the profile stays with its measured regret.

    M. J. Osborne, A. Rubinstein (1994), A Course in Game Theory, MIT Press.
"""
from __future__ import annotations

import numpy as np

from solver.core.numbers import clean, is_exact_array, regret_tolerance
from solver.core.regret import is_probability_vector, max_regret
from solver.equilibria import sequence_form as sf
from solver.equilibria.result import APPROXIMATE, REJECTED, AlgorithmResult, Note
from solver.model.tree import ExtensiveGame
from solver.model.walk import subtree_values


def profile_regret(payoffs: np.ndarray, profile) -> tuple[object, bool]:
    """(largest regret, whether it is exact) of a mixed profile; ``inf`` for a non-profile."""
    exact = is_exact_array(payoffs) and all(is_exact_array(np.asarray(p, dtype=object)) for p in profile)
    vectors = [np.asarray(p, dtype=object if exact else float) for p in profile]
    if len(vectors) != payoffs.shape[0] or any(len(v) != n for v, n in zip(vectors, payoffs.shape[1:])):
        return float("inf"), False
    if not all(is_probability_vector(v, exact) for v in vectors):
        return float("inf"), exact
    return max_regret(payoffs, vectors), exact


def _accepted(regret, exact: bool, tolerance: float) -> bool:
    return regret == 0 if exact else float(regret) <= tolerance


def _checked(result: AlgorithmResult, measured: list[tuple[object, bool]], tolerance: float) -> AlgorithmResult:
    keep, regrets, rejected = [], [], []
    for k, (regret, exact) in enumerate(measured):
        if _accepted(regret, exact, tolerance) or result.approximate:
            keep.append(k)
            regrets.append(clean(regret) if regret != float("inf") else regret)
        else:
            rejected.append(float(regret))
    notes = list(result.notes)
    if result.approximate and not result.has_note(APPROXIMATE) and any(not _accepted(r, False, tolerance) for r in regrets):
        worst = max(float(r) for r in regrets)
        notes.append(Note(APPROXIMATE, data={"regret": f"{worst:.3g}"}))
    changes = {"regrets": tuple(regrets)}
    if rejected:
        notes.append(Note(REJECTED, data={"count": len(rejected), "regret": f"{max(rejected):.3g}"}))
        changes.update(complete=False, profiles=tuple(result.profiles[k] for k in keep),
                       payoffs=tuple(result.payoffs[k] for k in keep) if result.payoffs else ())
        changes["families"] = ()
    return result.with_changes(notes=tuple(notes), **changes)


def verified_result(result: AlgorithmResult, payoffs) -> AlgorithmResult:
    """``result`` with every mixed profile checked against the payoff tensor (see module doc)."""
    payoffs = np.asarray(payoffs)
    measured = [profile_regret(payoffs, profile) for profile in result.profiles]
    return _checked(result, measured, regret_tolerance(np.asarray(payoffs, dtype=float)))


def verified_tree_result(result: AlgorithmResult, tree: ExtensiveGame) -> AlgorithmResult:
    """``result`` with every behaviour profile checked: the one-shot deviation check where the
    tree has perfect information and the profile is pure, the Nash check at the root otherwise
    (subgame perfection below the root is checked by the subgame solver, level by level)."""
    seqs = None
    measured = []
    for behaviour in result.profiles:
        exact = tree.is_exact and sf.is_exact_behaviour(behaviour)
        if tree.is_perfect_information and all(sum(1 for q in p if q != 0) == 1 for p in behaviour.values()):
            measured.append((behaviour_subgame_regret(tree, behaviour), tree.is_exact))
            continue
        seqs = seqs or sf.sequences_of(tree, 0)
        if not sf.valid_behaviour(tree, behaviour, range(len(tree.infosets)), exact):
            measured.append((float("inf"), exact))
            continue
        profile = behaviour if exact else {h: tuple(float(q) for q in p) for h, p in behaviour.items()}
        measured.append((max(sf.behaviour_regrets(tree, profile, 0, seqs)), exact))
    leaves = tree.leaf_payoffs[tree.terminal_nodes()]
    return _checked(result, measured, regret_tolerance(np.asarray(leaves, dtype=float)))


def behaviour_subgame_regret(tree: ExtensiveGame, behaviour) -> object:
    """For a behaviour profile of a perfect-information tree, the largest gain any mover could get
    by changing the move at any one node, holding the rest fixed. Zero means the profile is
    subgame perfect (the one-shot deviation principle, Osborne & Rubinstein 1994, Lemma 98.2).
    Exact for exact trees; one walk of the tree (:func:`solver.model.walk.subtree_values`)."""
    values = subtree_values(tree, behaviour)
    deciders = np.flatnonzero(tree.node_player >= 0)
    if not deciders.size:
        return 0
    movers = tree.node_player[deciders]
    counts = tree.num_children[deciders]
    starts = np.cumsum(counts) - counts
    children = np.repeat(tree.first_child[deciders], counts) + np.arange(int(counts.sum())) - np.repeat(starts, counts)
    best = np.maximum.reduceat(values[children, np.repeat(movers, counts)], starts)
    return max(best - values[deciders, movers])
