"""The random game generators make well-formed games.

Structure is checked against the definition of the flat layout (breadth-first numbering, children
contiguous, consistent parent / depth / move index), against ``build_tree`` (the library's own
flattening of the same tree written as nested specs must give identical arrays), and the numbers
against their stated distributions (chance probabilities summing to 1, payoffs in range).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from solver.model.random_games import random_normal_form, random_perfect_information_tree
from solver.model.tree import CHANCE, TERMINAL, Chance, Decision, Terminal, build_tree


def check_layout(tree):
    """Every invariant of the flat breadth-first layout, checked node by node in plain Python."""
    n = tree.num_nodes
    parent, first, count = tree.parent.tolist(), tree.first_child.tolist(), tree.num_children.tolist()
    player, depth, move = tree.node_player.tolist(), tree.depth.tolist(), tree.move_index.tolist()
    assert parent[0] == -1 and depth[0] == 0 and move[0] == -1
    # breadth-first: the children of node 0, then of node 1, ... are numbered 1, 2, 3, ... in order
    next_free = 1
    for v in range(n):
        if count[v] == 0:
            assert first[v] == -1 and player[v] == TERMINAL and tree.node_moves[v] == ()
            continue
        assert player[v] != TERMINAL
        assert first[v] == next_free
        assert len(tree.node_moves[v]) == count[v]
        for k, c in enumerate(range(first[v], first[v] + count[v])):
            assert parent[c] == v and move[c] == k and depth[c] == depth[v] + 1
        next_free += count[v]
    assert next_free == n                          # every non-root node is someone's child
    assert all(depth[v] <= depth[v + 1] for v in range(n - 1))      # levels are contiguous blocks
    assert all(parent[v] < v for v in range(1, n))


def check_infosets(tree):
    assert tree.is_perfect_information
    deciders = np.flatnonzero(tree.node_player >= 0).tolist()
    assert len(tree.infosets) == len(deciders)
    for v in deciders:
        infoset = tree.infosets[tree.node_infoset[v]]
        assert infoset.nodes == (v,)
        assert infoset.player == tree.node_player[v]
        assert infoset.moves == tree.node_moves[v]
    assert np.all(tree.node_infoset[tree.node_player < 0] == -1)
    assert len(set(tree.node_ids)) == tree.num_nodes
    assert len(tree.outcomes) == tree.num_nodes


def check_probabilities(tree, exact):
    assert tree.check_probabilities() == []
    chance_children = np.isin(tree.parent, np.flatnonzero(tree.node_player == CHANCE))
    for v in np.flatnonzero(~chance_children).tolist():
        assert tree.chance_probs[v] == 1
    for v in np.flatnonzero(tree.node_player == CHANCE).tolist():
        probs = [tree.chance_probs[c] for c in tree.children(v)]
        assert all(p > 0 for p in probs)
        if exact:
            assert all(isinstance(p, Fraction) for p in probs) and sum(probs) == 1
        else:
            assert abs(sum(probs) - 1) <= 1e-12


@pytest.mark.parametrize("leaves", [1, 2, 3, 7, 50, 1000, 20_000])
@pytest.mark.parametrize("players", [1, 2, 3])
def test_layout_and_exact_leaf_count(leaves, players):
    rng = np.random.default_rng(leaves * 10 + players)
    tree = random_perfect_information_tree(leaves, players, rng)
    check_layout(tree)
    check_infosets(tree)
    check_probabilities(tree, exact=False)
    assert len(tree.terminal_nodes()) == leaves
    assert set(tree.node_player.tolist()) <= {TERMINAL, CHANCE, *range(players)}
    assert tree.leaf_payoffs.shape == (tree.num_nodes, players)
    assert tree.leaf_payoffs.dtype == float and not tree.is_exact


@pytest.mark.parametrize("max_branching", [2, 3, 6])
def test_branching_is_irregular_and_bounded(max_branching):
    tree = random_perfect_information_tree(5000, 2, np.random.default_rng(max_branching), max_branching=max_branching)
    check_layout(tree)
    counts = tree.num_children[tree.num_children > 0]
    assert counts.min() >= 2 and counts.max() <= max_branching
    if max_branching > 2:
        assert len(set(counts.tolist())) == max_branching - 1       # every branching factor occurs
    leaf_depths = set(tree.depth[tree.terminal_nodes()].tolist())
    assert len(leaf_depths) >= 3                                     # leaves at several depths


def test_chance_fraction_is_respected():
    rng = np.random.default_rng(5)
    none = random_perfect_information_tree(3000, 2, rng, chance_fraction=0.0)
    assert not none.has_chance
    check_probabilities(none, exact=False)
    inner = random_perfect_information_tree(30_000, 2, rng, chance_fraction=0.25)
    share = np.mean(inner.node_player[inner.num_children > 0] == CHANCE)
    assert 0.22 < share < 0.28                   # about 11 000 inner nodes: ~0.004 standard deviation
    check_probabilities(inner, exact=False)
    everything = random_perfect_information_tree(200, 2, rng, chance_fraction=1.0)
    assert np.all(everything.node_player[everything.num_children > 0] == CHANCE)
    check_probabilities(everything, exact=False)


def test_payoffs_live_on_leaves_only():
    tree = random_perfect_information_tree(500, 3, np.random.default_rng(9))
    inner = tree.num_children > 0
    assert np.all(tree.leaf_payoffs[inner] == 0)
    leaves = tree.leaf_payoffs[~inner]
    assert np.all((leaves >= 0) & (leaves < 1))
    ints = random_perfect_information_tree(500, 3, np.random.default_rng(9), integer_payoffs=True, payoff_range=(-2, 2))
    values = ints.leaf_payoffs[ints.num_children == 0]
    assert ints.leaf_payoffs.dtype == float
    assert set(np.unique(values).tolist()) == {-2.0, -1.0, 0.0, 1.0, 2.0}


@pytest.mark.parametrize("integer_payoffs", [False, True])
def test_exact_trees(integer_payoffs):
    tree = random_perfect_information_tree(400, 2, np.random.default_rng(3), exact=True, integer_payoffs=integer_payoffs,
                                           chance_fraction=0.3)
    check_layout(tree)
    check_infosets(tree)
    check_probabilities(tree, exact=True)
    assert tree.is_exact and not tree.is_symbolic
    leaves = tree.leaf_payoffs[tree.num_children == 0].ravel().tolist()
    assert all(isinstance(v, int if integer_payoffs else Fraction) for v in leaves)
    assert all(0 <= v <= (9 if integer_payoffs else 99) for v in leaves)


def test_same_seed_same_tree():
    a = random_perfect_information_tree(2000, 3, np.random.default_rng(42))
    b = random_perfect_information_tree(2000, 3, np.random.default_rng(42))
    for name in ("parent", "node_player", "num_children", "chance_probs", "leaf_payoffs"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    c = random_perfect_information_tree(2000, 3, np.random.default_rng(43))
    assert not np.array_equal(a.num_children, c.num_children) or not np.array_equal(a.leaf_payoffs, c.leaf_payoffs)


def as_spec(tree, node=0):
    """The nested description of the subtree at ``node`` (Fractions kept exact)."""
    if tree.is_terminal(node):
        return Terminal(tuple(tree.leaf_payoffs[node]))
    kids = list(tree.children(node))
    moves = {tree.node_moves[node][k]: as_spec(tree, c) for k, c in enumerate(kids)}
    if tree.node_player[node] == CHANCE:
        return Chance({tree.node_moves[node][k]: tree.chance_probs[c] for k, c in enumerate(kids)}, moves)
    return Decision(tree.players[tree.node_player[node]], moves)


def test_agrees_with_build_tree():
    """Flattening the same tree with the library's own ``build_tree`` gives the same arrays."""
    tree = random_perfect_information_tree(300, 3, np.random.default_rng(11), exact=True, chance_fraction=0.3)
    rebuilt = build_tree(tree.players, as_spec(tree)).evaluated()
    for name in ("parent", "node_player", "first_child", "num_children", "move_index", "depth", "node_infoset"):
        assert np.array_equal(getattr(tree, name), getattr(rebuilt, name)), name
    assert tree.node_moves == rebuilt.node_moves
    assert [Fraction(p) for p in rebuilt.chance_probs] == list(tree.chance_probs)
    assert [[Fraction(v) for v in row] for row in rebuilt.leaf_payoffs] == tree.leaf_payoffs.tolist()


def test_rejects_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError):
        random_perfect_information_tree(0, 2, rng)
    with pytest.raises(ValueError):
        random_perfect_information_tree(10, 2, rng, max_branching=1)
    with pytest.raises(ValueError):
        random_perfect_information_tree(10, 0, rng)
    with pytest.raises(ValueError):
        random_normal_form((3, 0), rng)


# ---- normal form -----------------------------------------------------------------------------

def test_random_normal_form_float():
    game = random_normal_form((3, 4, 5), np.random.default_rng(0))
    assert game.shape == (3, 4, 5) and game.num_players == 3
    assert game.payoffs.shape == (3, 3, 4, 5) and game.payoffs.dtype == float
    assert np.all((game.payoffs >= 0) & (game.payoffs < 1))
    assert [len(s) for s in game.strategies] == [3, 4, 5]
    assert not game.is_exact


def test_random_normal_form_integers():
    game = random_normal_form((6, 7), np.random.default_rng(1), integer_range=(-3, 3))
    assert game.payoffs.dtype == object and game.is_exact
    values = game.payoffs.ravel().tolist()
    assert all(type(v) is int for v in values)
    assert set(values) == set(range(-3, 4))                     # closed range, 84 draws of 7 values
    floats = random_normal_form((6, 7), np.random.default_rng(1), integer_range=(-3, 3), exact=False)
    assert floats.payoffs.dtype == float
    assert np.array_equal(floats.payoffs, game.payoffs.astype(float))   # same draws either way
