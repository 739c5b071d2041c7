"""Backward induction on perfect-information trees: against brute force, with ties and chance."""
import itertools
from fractions import Fraction

import numpy as np
from hypothesis import given, settings, strategies as st

from solver.equilibria.backward import subgame_perfect_equilibria, vectorised_backward_induction
from solver.model.tree import CHANCE, Chance, Decision, Terminal, _replace, build_tree

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
    return _replace(tree, chance_probs=np.array([Fraction(str(p)) for p in tree.chance_probs], dtype=object),
                    leaf_payoffs=np.array([[Fraction(str(v)) for v in row] for row in tree.leaf_payoffs], dtype=object))


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
    profiles, values, complete = subgame_perfect_equilibria(tree)
    assert complete
    key = lambda p: tuple(sorted(p.items()))
    assert sorted(map(key, profiles)) == sorted(map(key, brute_force_spe(tree)))
    for profile, value in zip(profiles, values):
        assert tuple(value) == continuation(tree, profile, 0)


@settings(max_examples=100, deadline=None)
@given(trees(players=3))
def test_three_players(spec):
    tree = exact_tree(spec, 3)
    profiles, _, _ = subgame_perfect_equilibria(tree)
    key = lambda p: tuple(sorted(p.items()))
    assert sorted(map(key, profiles)) == sorted(map(key, brute_force_spe(tree)))


@settings(max_examples=100, deadline=None)
@given(trees(players=2))
def test_float_and_exact_agree(spec):
    tree = exact_tree(spec)
    floats = _replace(tree, chance_probs=tree.chance_probs.astype(float), leaf_payoffs=tree.leaf_payoffs.astype(float))
    exact = vectorised_backward_induction(tree)
    approx = vectorised_backward_induction(floats)
    assert np.allclose(np.asarray(exact.values, dtype=float), approx.values)
    assert sorted(map(lambda p: tuple(sorted(p.items())), subgame_perfect_equilibria(tree)[0])) == \
        sorted(map(lambda p: tuple(sorted(p.items())), subgame_perfect_equilibria(floats)[0]))


@settings(max_examples=60, deadline=None)
@given(trees(players=2), st.fractions(min_value=Fraction(1, 3), max_value=4), st.integers(-3, 3))
def test_affine_maps_of_payoffs_keep_the_equilibria(spec, scale, shift):
    tree = exact_tree(spec)
    changed = tree.leaf_payoffs.copy()
    terminal = tree.terminal_nodes()
    changed[terminal, 0] = changed[terminal, 0] * scale + shift
    other = _replace(tree, leaf_payoffs=changed)
    key = lambda p: tuple(sorted(p.items()))
    assert sorted(map(key, subgame_perfect_equilibria(tree)[0])) == sorted(map(key, subgame_perfect_equilibria(other)[0]))


def test_indifference_lists_every_equilibrium():
    # B is indifferent after "in"; A's best move depends on B's choice: two SPE.
    spec = Decision("A", {"out": Terminal((1, 0)),
                          "in": Decision("B", {"x": Terminal((2, 1)), "y": Terminal((0, 1))})})
    tree = exact_tree(spec)
    profiles, values, _ = subgame_perfect_equilibria(tree)
    assert sorted((p[0], p[2]) for p in profiles) == [(0, 1), (1, 0)]   # (out if y), (in if x)
    assert sorted(tuple(v) for v in values) == [(1, 0), (2, 1)]


def test_tech_transfer_defaults_and_thresholds():
    from solver import load_game
    game = load_game("games/tech_transfer.yaml")
    tree = game.evaluated()
    (profile,), (value,), _ = subgame_perfect_equilibria(tree)
    assert list(value) == [0, 0, 0]
    transfer = game.evaluated({"ammo_gain": Fraction(13, 2)})
    (profile,), (value,), _ = subgame_perfect_equilibria(transfer)
    assert list(value) == [Fraction(1, 2), -5, -4]      # 6.5 − 6 for Russia
