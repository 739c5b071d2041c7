"""Backward induction on perfect-information trees: against brute force, with ties and chance."""
import itertools
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from solver.core.profiles import pure_indices
from solver.equilibria.backward import backward_induction, vectorised_backward_induction
from solver.equilibria.result import DEADLINE, LIMIT, TIES
from solver.model.tree import CHANCE, Chance, Decision, Terminal, build_tree

PLAYERS = ("A", "B", "C")


@st.composite
def trees(draw, depth=0, players=2):
    """Small trees with small integer payoffs (so ties are common) and some chance nodes."""
    if depth >= 3 or (depth > 0 and draw(st.integers(0, 3)) == 0):
        return Terminal(tuple(Fraction(draw(st.integers(0, 2))) for _ in range(players)))
    k = draw(st.integers(2, 3))
    children = {f"m{depth}{i}": draw(trees(depth + 1, players)) for i in range(k)}
    if draw(st.integers(0, 4)) == 0:
        weights = [draw(st.integers(1, 3)) for _ in range(k)]
        probs = {m: Fraction(w, sum(weights)) for m, w in zip(children, weights)}
        return Chance(probs, children)
    return Decision(PLAYERS[draw(st.integers(0, players - 1))], children)


def exact_tree(spec, players=2):
    tree = build_tree(PLAYERS[:players], spec)
    return tree.with_changes( chance_probs=np.array([Fraction(str(p)) for p in tree.chance_probs], dtype=object),
                    leaf_payoffs=np.array([[Fraction(str(v)) for v in row] for row in tree.leaf_payoffs], dtype=object))


def spe_choices(tree, **options):
    """The pure SPE of ``backward_induction`` as decision node → move index, their root payoffs
    and completeness."""
    result = backward_induction(tree, **options)
    profiles = [{tree.infosets[h].nodes[0]: m for h, m in zip(behaviour, pure_indices(tuple(behaviour.values())))}
                for behaviour in result.profiles]
    return profiles, result.payoffs, result.complete


def continuation(tree, profile, node):
    """Payoffs from ``node`` when everyone follows ``profile``."""
    if tree.is_terminal(node):
        return tuple(tree.leaf_payoffs[node])
    kids = list(tree.children(node))
    if tree.node_player[node] == CHANCE:
        values = [continuation(tree, profile, c) for c in kids]
        return tuple(sum(tree.chance_probs[c] * v[i] for c, v in zip(kids, values)) for i in range(tree.num_players))
    return continuation(tree, profile, kids[profile[node]])


def brute_force_spe(tree):
    deciders = [int(n) for n in np.flatnonzero(tree.node_player >= 0)]
    found = []
    for moves in itertools.product(*[range(int(tree.num_children[n])) for n in deciders]):
        profile = dict(zip(deciders, moves))
        perfect = True
        for node in deciders:
            mover = int(tree.node_player[node])
            kids = list(tree.children(node))
            chosen = continuation(tree, profile, kids[profile[node]])[mover]
            if any(continuation(tree, profile, c)[mover] > chosen for c in kids):
                perfect = False
                break
        if perfect:
            found.append(profile)
    return found


@settings(max_examples=200, deadline=None)
@given(trees(players=2))
def test_every_spe_is_found_and_each_is_perfect(spec):
    tree = exact_tree(spec)
    profiles, values, complete = spe_choices(tree)
    assert complete
    key = lambda p: tuple(sorted(p.items()))
    assert sorted(map(key, profiles)) == sorted(map(key, brute_force_spe(tree)))
    for profile, value in zip(profiles, values):
        assert tuple(value) == continuation(tree, profile, 0)


@settings(max_examples=100, deadline=None)
@given(trees(players=3))
def test_three_players(spec):
    tree = exact_tree(spec, 3)
    profiles, _, _ = spe_choices(tree)
    key = lambda p: tuple(sorted(p.items()))
    assert sorted(map(key, profiles)) == sorted(map(key, brute_force_spe(tree)))


@settings(max_examples=100, deadline=None)
@given(trees(players=2))
def test_float_and_exact_agree(spec):
    tree = exact_tree(spec)
    floats = tree.with_changes(chance_probs=tree.chance_probs.astype(float), leaf_payoffs=tree.leaf_payoffs.astype(float))
    exact = vectorised_backward_induction(tree)
    approx = vectorised_backward_induction(floats)
    assert np.allclose(np.asarray(exact.values, dtype=float), approx.values)
    assert sorted(map(lambda p: tuple(sorted(p.items())), spe_choices(tree)[0])) == \
        sorted(map(lambda p: tuple(sorted(p.items())), spe_choices(floats)[0]))


@settings(max_examples=60, deadline=None)
@given(trees(players=2), st.fractions(min_value=Fraction(1, 3), max_value=4), st.integers(-3, 3))
def test_affine_maps_of_payoffs_keep_the_equilibria(spec, scale, shift):
    tree = exact_tree(spec)
    changed = tree.leaf_payoffs.copy()
    terminal = tree.terminal_nodes()
    changed[terminal, 0] = changed[terminal, 0] * scale + shift
    other = tree.with_changes(leaf_payoffs=changed)
    key = lambda p: tuple(sorted(p.items()))
    assert sorted(map(key, spe_choices(tree)[0])) == sorted(map(key, spe_choices(other)[0]))


def test_indifference_lists_every_equilibrium():
    # B is indifferent after "in"; A's best move depends on B's choice: two SPE.
    spec = Decision("A", {"out": Terminal((1, 0)),
                          "in": Decision("B", {"x": Terminal((2, 1)), "y": Terminal((0, 1))})})
    tree = exact_tree(spec)
    profiles, values, _ = spe_choices(tree)
    assert sorted((p[0], p[2]) for p in profiles) == [(0, 1), (1, 0)]   # (out if y), (in if x)
    assert sorted(tuple(v) for v in values) == [(1, 0), (2, 1)]
    result = backward_induction(tree)
    assert result.complete and [n.code for n in result.notes] == [TIES] and result.label == "backward induction"
    assert all(isinstance(p, Fraction) for behaviour in result.profiles for probs in behaviour.values() for p in probs)


def test_tech_transfer_defaults_and_thresholds():
    from solver import load_game
    game = load_game("games/tech_transfer.yaml")
    tree = game.evaluated()
    (profile,), (value,), _ = spe_choices(tree)
    assert list(value) == [0, 0, 0]
    transfer = game.evaluated({"ammo_gain": Fraction(13, 2)})
    (profile,), (value,), _ = spe_choices(transfer)
    assert list(value) == [Fraction(1, 2), -5, -4]      # 6.5 − 6 for Russia


def _ties(n):
    """Bob is indifferent at each of ``n`` nodes that Ann chooses among: 2^n pure SPE."""
    bob = lambda v: Decision("B", {"x": Terminal((v, 0)), "y": Terminal((v, 0))})
    return exact_tree(Decision("A", {f"a{k}": bob(k) for k in range(n)}))


def test_the_limit_cuts_the_list():
    result = backward_induction(_ties(3), limit=5)
    assert len(result.profiles) == 5 and len(result.payoffs) == 5 and not result.complete
    assert [n.code for n in result.notes] == [LIMIT] and "cut at 5" in result.notes[0].text()
    assert len(backward_induction(_ties(3)).profiles) == 8


def test_a_passed_deadline_returns_the_first_equilibrium():
    tree = _ties(3)
    result = backward_induction(tree, deadline=time.monotonic() - 1)
    assert result.complete is False and result.has_note(DEADLINE)
    (behaviour,) = result.profiles
    assert result.payoffs == (tuple(vectorised_backward_induction(tree).values[0]),)
    without_ties = exact_tree(Decision("A", {"l": Terminal((1, 0)), "r": Terminal((0, 1))}))
    assert backward_induction(without_ties, deadline=time.monotonic() - 1).complete


def test_float_trees_give_float_profiles():
    tree = _ties(2)
    floats = tree.with_changes(chance_probs=tree.chance_probs.astype(float), leaf_payoffs=tree.leaf_payoffs.astype(float))
    result = backward_induction(floats)
    assert all(type(p) is float for behaviour in result.profiles for probs in behaviour.values() for p in probs)
    assert all(type(v) is float for payoffs in result.payoffs for v in payoffs)


def test_refuses_imperfect_information():
    tree = build_tree(["A", "B"], Decision("A", {"l": Decision("B", {"x": Terminal((1, 0)), "y": Terminal((0, 1))}, infoset="b"),
                                                "r": Decision("B", {"x": Terminal((0, 0)), "y": Terminal((1, 1))}, infoset="b")}))
    with pytest.raises(ValueError, match="perfect information"):
        backward_induction(tree.evaluated())
