"""Subgame-perfect equilibria of trees with imperfect information (solver.equilibria.subgames).

Known answers: the article's covert_transfer and alliance_rupture (hand-worked, see the game
files), the battle of the sexes with an outside option (Osborne & Rubinstein 1994, §6.6.2: three
SPE), Selten's horse (Selten 1975; Gambit's catalog) and one-card poker (Myerson 1991; Gambit).
Oracles on random trees: backward.py on perfect-information trees without ties; for imperfect
information, a Nash check of every subgame through its reduced normal form and regret.is_nash
(independent of the sequence-based check), and agreement between the two routes.
"""
from __future__ import annotations

import random
import time
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from solver.core import regret
from solver.equilibria.backward import backward_induction, vectorised_backward_induction
from solver.equilibria.recall import perfect_recall_violation
from solver.equilibria.result import DEADLINE, FAMILY, LIMIT, TIES, AlgorithmResult
from solver.equilibria.subgames import is_nash_behaviour, proper_subgame_roots, subgame_perfect_equilibria
from solver.io.yamlfile import load_yaml_game
from solver.model.reduce import reduced_normal_form
from solver.model.tree import CHANCE, TERMINAL, Chance, Decision, Terminal, build_tree
from solver.model.walk import expected_payoffs, outcome_distribution

GAMES = Path(__file__).resolve().parent.parent / "games"


def load(name: str, **values):
    return load_yaml_game(str(GAMES / name)).evaluated(values or None)


def by_label(tree, behaviour) -> dict[str, tuple]:
    return {tree.infosets[h].label: tuple(p) for h, p in behaviour.items()}


def equilibria(result):
    """(behaviour, payoffs) per listed equilibrium; checks that the payoffs are the profiles'."""
    assert len(result.payoffs) == len(result.profiles)
    return list(zip(result.profiles, result.payoffs))


# ---- random trees with perfect recall -------------------------------------------------------------
def random_tree(rng: random.Random, players: int = 2, max_depth: int = 4, imperfect: bool = True,
                chance: bool = True, low: int = -50, high: int = 50, floats: bool = False):
    """A random tree; an information set joins nodes of one player with equal own histories and
    equal numbers of moves, so recall is perfect by construction."""
    infosets: dict[str, tuple] = {}
    count = [0]

    def payoff():
        values = tuple(rng.randint(low, high) for _ in range(players))
        return tuple(v + rng.random() for v in values) if floats else values

    def node(depth, history):
        if depth >= max_depth or (depth > 0 and rng.random() < 0.25):
            return Terminal(payoff())
        if chance and rng.random() < 0.2:
            k = rng.choice([2, 3])
            weights = [rng.randint(1, 4) for _ in range(k)]
            probs = {f"c{j}": (w / sum(weights) if floats else F(w, sum(weights))) for j, w in enumerate(weights)}
            return Chance(probs, {f"c{j}": node(depth + 1, history) for j in range(k)})
        p = rng.randrange(players)
        k = rng.choice([2, 2, 3])
        label = None
        if imperfect:
            same = [name for name, key in infosets.items() if key == (p, k, history[p])]
            if same and rng.random() < 0.6:
                label = rng.choice(same)
        if label is None:
            count[0] += 1
            label = f"h{count[0]}"
            infosets[label] = (p, k, history[p])
        moves = {}
        for j in range(k):
            after = list(history)
            after[p] = history[p] + ((label, j),)
            moves[f"m{j}"] = node(depth + 1, tuple(after))
        return Decision(f"P{p}", moves, infoset=label)

    root = node(0, tuple(() for _ in range(players)))
    if isinstance(root, Terminal):
        root = Decision("P0", {"a": root, "b": Terminal(payoff())})
    return build_tree([f"P{i}" for i in range(players)], root).evaluated()


def subtree_game(tree, root: int):
    """The subgame at ``root`` as a tree of its own, rebuilt from nested specs; information-set
    labels are the original indices."""
    def spec(n):
        if tree.node_player[n] == TERMINAL:
            return Terminal(tuple(tree.leaf_payoffs[n]))
        kids = list(tree.children(n))
        moves = {tree.node_moves[n][k]: spec(c) for k, c in enumerate(kids)}
        if tree.node_player[n] == CHANCE:
            return Chance({tree.node_moves[n][k]: tree.chance_probs[c] for k, c in enumerate(kids)}, moves)
        return Decision(tree.players[tree.node_player[n]], moves, infoset=str(int(tree.node_infoset[n])))
    return build_tree(tree.players, spec(root)).evaluated()


def nash_by_normal_form(tree, behaviour, root: int) -> bool:
    """Kuhn's mixed strategy of ``behaviour`` in the reduced normal form of the subgame at
    ``root``, checked with regret.is_nash."""
    game = subtree_game(tree, root)
    reduced = reduced_normal_form(game)
    profile = []
    for strategies in reduced.strategies:
        weights = []
        for s in strategies:
            w = F(1) if tree.is_exact else 1.0
            for h, m in zip(s.infosets, s.choices):
                if m is not None:
                    w = w * behaviour[int(game.infosets[h].label)][m]
            weights.append(w)
        profile.append(np.array(weights, dtype=object if tree.is_exact else float))
    payoffs = np.asarray(reduced.game.payoffs, dtype=object if tree.is_exact else float)
    return regret.is_nash(payoffs, profile)


# ---- acceptance: the article's games and the classics ---------------------------------------------
@pytest.mark.parametrize("route", ["normal-form", "sequence-form"])
def test_covert_transfer(route):
    tree = load("covert_transfer.yaml")
    assert tree.is_exact
    result = subgame_perfect_equilibria(tree, route=route)
    assert len(result.profiles) == 1
    (behaviour, payoffs), = equilibria(result)
    assert by_label(tree, behaviour) == {"root": (F(3, 10), F(7, 10)), "Alarm": (F(20, 27), F(7, 27)),
                                         "Quiet": (F(0), F(1))}
    assert payoffs == (F(-4, 27), F(-12, 5))
    assert expected_payoffs(tree, behaviour) == payoffs
    assert sum(p for _, p in outcome_distribution(tree, behaviour)) == 1
    assert result.complete is (route == "normal-form")
    assert proper_subgame_roots(tree) == [0]


def test_covert_transfer_posterior_is_where_deterrence_pays():
    """Bayes: in equilibrium an alarm means a transfer with probability 3/4, exactly the belief
    at which deterring pays as much as engaging (nk_threat · deter_efficacy · 3/4 = deter_cost)."""
    tree = load("covert_transfer.yaml")
    (behaviour,) = subgame_perfect_equilibria(tree).profiles
    russia = behaviour[0]
    alarm = next(s for s in tree.infosets if s.label == "Alarm")
    weight = {n: russia[int(tree.move_index[tree.parent[n]])] * tree.chance_probs[n] for n in alarm.nodes}
    after_transfer = next(n for n in alarm.nodes if tree.move_index[tree.parent[n]] == 0)
    belief = weight[after_transfer] / sum(weight.values())
    assert belief == F(3, 4)
    p = {k: F(int(v.p), int(v.q)) for k, v in tree.info.defaults.items()}
    assert p["nk_threat"] * p["deter_efficacy"] * belief == p["deter_cost"]


def as_float(tree):
    return tree.with_changes(chance_probs=np.asarray(tree.chance_probs, dtype=float),
                             leaf_payoffs=np.asarray(tree.leaf_payoffs, dtype=float))


def test_covert_transfer_with_floats():
    tree = as_float(load("covert_transfer.yaml"))
    assert not tree.is_exact
    (behaviour,) = subgame_perfect_equilibria(tree).profiles
    probs = by_label(tree, behaviour)
    assert probs["root"][0] == pytest.approx(0.3, abs=1e-6)
    assert probs["Alarm"][0] == pytest.approx(20 / 27, abs=1e-6)
    assert isinstance(probs["Alarm"][0], float)


@pytest.mark.parametrize("route", ["normal-form", "sequence-form"])
def test_alliance_rupture(route):
    tree = load("alliance_rupture.yaml")
    result = subgame_perfect_equilibria(tree, route=route)
    assert result.complete
    (behaviour, payoffs), = equilibria(result)
    assert by_label(tree, behaviour) == {"root": (1, 0), "Supply/WarEnds": (0, 1), "Supply/WarGoesOn": (1, 0)}
    assert payoffs == (F(8, 5), F(23, 5))


def test_alliance_rupture_threshold():
    """North Korea supplies iff (1 − p_end)·g > n, i.e. p_end < 2/3."""
    for p_end, supplies in ((F(3, 5), True), (F(7, 10), False)):
        (behaviour,) = subgame_perfect_equilibria(load("alliance_rupture.yaml", p_end=p_end)).profiles
        assert by_label(load("alliance_rupture.yaml"), behaviour)["root"] == ((1, 0) if supplies else (0, 1))


def test_outside_option_battle_of_the_sexes_has_three_spe():
    tree = load("outside_option_bos.yaml")
    assert proper_subgame_roots(tree) == [0, 2]
    result = subgame_perfect_equilibria(tree)
    assert result.complete
    found = {(by_label(tree, b)["entry"], by_label(tree, b)["player 1 in the game"],
              by_label(tree, b)["player 2 in the game"], v) for b, v in equilibria(result)}
    assert found == {
        ((0, 1), (1, 0), (1, 0), (3, 1)),                         # In, then (B, B)
        ((1, 0), (0, 1), (0, 1), (2, 2)),                         # Out; (S, S) in the subgame
        ((1, 0), (F(3, 4), F(1, 4)), (F(1, 4), F(3, 4)), (2, 2)),  # Out; the mixed equilibrium
    }
    # Nash but not subgame perfect: Out with (B, S) in the subgame is not an equilibrium there.
    entry, p1, p2 = (tree.infosets.index(s) for s in tree.infosets)
    not_perfect = {entry: (1, 0), p1: (1, 0), p2: (0, 1)}
    assert is_nash_behaviour(tree, not_perfect, 0) and not is_nash_behaviour(tree, not_perfect, 2)


def test_one_card_poker_matches_gambit():
    tree = load("simple_poker.yaml")
    result = subgame_perfect_equilibria(tree)
    assert result.complete
    (behaviour, payoffs), = equilibria(result)
    assert by_label(tree, behaviour) == {"Alice holds the King": (1, 0), "Alice holds the Queen": (F(1, 3), F(2, 3)),
                                         "Bob facing a raise": (F(2, 3), F(1, 3))}
    assert payoffs == (F(1, 3), F(-1, 3))


def _horse_profile(tree, p1_r, p2_r, p3_r):
    labels = [s.label for s in tree.infosets]
    return {labels.index("root"): (p1_r, 1 - p1_r), labels.index("R"): (p2_r, 1 - p2_r),
            labels.index("player 3"): (p3_r, 1 - p3_r)}


def test_selten_horse_components_by_nash_check():
    """The two components (Selten 1975), checked point by point without any solver."""
    tree = load("selten_horse.yaml")
    assert proper_subgame_roots(tree) == [0]      # no proper subgame: SPE = Nash
    for q in (F(0), F(1, 8), F(1, 4)):
        assert is_nash_behaviour(tree, _horse_profile(tree, 1, 1, q))
    assert not is_nash_behaviour(tree, _horse_profile(tree, 1, 1, F(1, 4) + F(1, 100)))
    for r in (F(1, 3), F(2, 3), F(1)):
        assert is_nash_behaviour(tree, _horse_profile(tree, 0, r, 1))
    assert not is_nash_behaviour(tree, _horse_profile(tree, 0, F(1, 3) - F(1, 100), 1))
    assert expected_payoffs(tree, _horse_profile(tree, 0, F(1, 2), 1)) == (3, 2, 2)


def test_selten_horse_spe():
    pytest.importorskip("solver.equilibria.polynomial")
    tree = load("selten_horse.yaml")
    result = subgame_perfect_equilibria(tree)
    assert result.complete
    profiles = {tuple(tuple(p) for _, p in sorted(b.items())): v for b, v in equilibria(result)}
    # Gambit 16.7 enumpure: (R, R, L) and (L, R, R)
    assert profiles[((1, 0), (1, 0), (0, 1))] == (1, 1, 1)
    assert profiles[((0, 1), (1, 0), (1, 0))] == (3, 2, 2)
    for _, payoffs in equilibria(result):
        assert payoffs in {(1, 1, 1), (3, 2, 2)}
    assert sum(note.code == FAMILY for note in result.notes) == 2
    assert len(result.families) == 2 and all(f.where == "root" for f in result.families)


# ---- structure and errors ------------------------------------------------------------------------
def test_proper_subgame_roots():
    tree = load("alliance_rupture.yaml")
    assert proper_subgame_roots(tree) == [n for n in range(tree.num_nodes) if tree.node_player[n] != TERMINAL]
    assert proper_subgame_roots(load("simple_poker.yaml")) == [0]
    with pytest.raises(ValueError, match="does not root a proper subgame"):
        is_nash_behaviour(load("simple_poker.yaml"), {}, root=1)


def test_imperfect_recall_is_refused_with_the_reason():
    forgetful = Decision("Ann", {
        "a": Decision("Bob", {"x": Decision("Ann", {"l": Terminal((1, 0)), "r": Terminal((0, 1))}, infoset="late")}),
        "b": Decision("Ann", {"l": Terminal((0, 0)), "r": Terminal((1, 1))}, infoset="late")})
    tree = build_tree(["Ann", "Bob"], forgetful).evaluated()
    message = perfect_recall_violation(tree)
    assert "Ann" in message and "'late'" in message
    with pytest.raises(ValueError, match="perfect recall"):
        subgame_perfect_equilibria(tree)


def test_unknown_route():
    with pytest.raises(ValueError, match="route"):
        subgame_perfect_equilibria(load("simple_poker.yaml"), route="guess")


def test_ties_list_every_pure_choice_and_the_limit_cuts():
    # Bob is indifferent at each of three nodes, Ann is not: 2 * 2 * 2 pure SPE.
    bob = lambda v: Decision("Bob", {"x": Terminal((v, 0)), "y": Terminal((v, 0))})
    tree = build_tree(["Ann", "Bob"], Decision("Ann", {"a": bob(3), "b": bob(2), "c": bob(1)})).evaluated()
    result = subgame_perfect_equilibria(tree)
    assert len(result.profiles) == 8 and result.complete
    assert any(n.code == TIES and "indifferent" in n.text() for n in result.notes)
    cut = subgame_perfect_equilibria(tree, limit=5)
    assert len(cut.profiles) == 5 and len(cut.payoffs) == 5 and not cut.complete
    assert any(n.code == LIMIT and "cut" in n.text() for n in cut.notes)


def test_off_path_information_sets_get_behaviour():
    """Ann's second set is excluded by her own first move in every equilibrium: it still gets a
    probability vector (here her best reply, r)."""
    tree = build_tree(["Ann", "Bob"], Decision("Ann", {
        "stop": Terminal((5, 0)),
        "go": Decision("Bob", {"u": Decision("Ann", {"l": Terminal((0, 1)), "r": Terminal((1, 0))}, infoset="late"),
                               "d": Decision("Ann", {"l": Terminal((0, 0)), "r": Terminal((2, 2))}, infoset="late")},
                       infoset="bob")})).evaluated()
    result = subgame_perfect_equilibria(tree)
    for behaviour in result.profiles:
        assert set(behaviour) == set(range(len(tree.infosets)))
        assert by_label(tree, behaviour)["late"] == (0, 1)


# ---- random trees ----------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9))
def test_perfect_information_without_ties_agrees_with_backward_induction(seed):
    tree = random_tree(random.Random(seed), players=3, max_depth=5, imperfect=False, low=-10**6, high=10**6)
    assume(not vectorised_backward_induction(tree).tie_below[0])
    backward = backward_induction(tree)
    result = subgame_perfect_equilibria(tree)
    assert result.complete and backward.complete and len(backward.profiles) == 1 and len(result.profiles) == 1
    (behaviour, payoffs), = equilibria(result)
    assert behaviour == backward.profiles[0]
    assert payoffs == backward.payoffs[0] == tuple(vectorised_backward_induction(tree).values[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9))
def test_random_imperfect_information_spe_are_nash_in_every_subgame(seed):
    tree = random_tree(random.Random(seed), max_depth=4)
    assert perfect_recall_violation(tree) is None
    roots = proper_subgame_roots(tree)
    result = subgame_perfect_equilibria(tree)
    assert result.complete and result.profiles
    for behaviour, payoffs in equilibria(result)[:20]:
        assert set(behaviour) == set(range(len(tree.infosets)))
        assert payoffs == expected_payoffs(tree, behaviour)
        for r in roots:
            assert is_nash_behaviour(tree, behaviour, r)
            assert nash_by_normal_form(tree, behaviour, r)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9))
def test_random_trees_the_two_routes_agree(seed):
    tree = random_tree(random.Random(seed), max_depth=4)
    normal = subgame_perfect_equilibria(tree, route="normal-form")
    sequence = subgame_perfect_equilibria(tree, route="sequence-form")
    listed = set(normal.payoffs)
    for behaviour, payoffs in equilibria(sequence)[:10]:   # several only where a perfect-information mover is indifferent
        for r in proper_subgame_roots(tree):
            assert nash_by_normal_form(tree, behaviour, r)
        # generic payoffs: the sequence-form equilibrium is one the normal-form route lists
        assert payoffs in listed


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9))
def test_random_float_trees(seed):
    tree = random_tree(random.Random(seed), max_depth=4, floats=True)
    assert not tree.is_exact
    for route in ("normal-form", "sequence-form"):
        result = subgame_perfect_equilibria(tree, route=route)
        for behaviour in result.profiles[:5]:
            assert all(isinstance(p, float) for probs in behaviour.values() for p in probs)
            for r in proper_subgame_roots(tree):
                assert is_nash_behaviour(tree, behaviour, r)


def test_result_types():
    result = subgame_perfect_equilibria(load("simple_poker.yaml"))
    assert isinstance(result, AlgorithmResult) and isinstance(result.profiles[0], dict)
    assert result.method == "subgames" and "reduced normal form" in result.label


def test_a_passed_deadline_returns_an_incomplete_result():
    result = subgame_perfect_equilibria(load("outside_option_bos.yaml"), deadline=time.monotonic() - 1)
    assert result.complete is False and result.profiles == () and result.has_note(DEADLINE)
