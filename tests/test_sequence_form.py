"""The sequence form and Lemke's algorithm (solver.equilibria.sequence_form).

Known answers: one-card poker (Myerson 1991; Gambit 16.7's enummixed answer in reference.json)
and a zero-sum poker family whose value does not depend on the equilibrium found. Oracles: every
result is checked through the reduced normal form with verify.is_nash (independent of the
sequence-based regret check), on random trees (generic, degenerate with many ties, float) and on
every two-player tree with perfect recall in Gambit's game collection; pygambit's own sequence-form
Lemke (``lcp_solve``) on the poker family when pygambit is installed.
"""
from __future__ import annotations

import json
import os
import random
import tempfile
import time
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.model.random_games import two_round_poker as poker
from solver.equilibria.recall import perfect_recall_violation
from solver.equilibria import sequence_form
from solver.equilibria.result import DEADLINE, ONE_EQUILIBRIUM, SUBGAME
from solver.equilibria.sequence_form import sequences_of
from solver.equilibria.subgames import is_nash_behaviour
from solver.io.yamlfile import load_yaml_game
from solver.model.reduce import reduced_normal_form
from solver.model.tree import Chance, Decision, Terminal, build_tree
from solver.model.walk import expected_payoffs

from test_subgames import as_float, nash_by_normal_form, random_tree

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("GAMBIT_CORPUS", Path(__file__).resolve().parent / "data" / "gambit"))
VENDORED = ROOT / "tests" / "data" / "gambit"


def labelled(tree, behaviour):
    return {tree.infosets[h].label: tuple(p) for h, p in behaviour.items()}


def sequence_form_equilibrium(tree, **options):
    """The one behaviour profile of ``sequence_form.sequence_form_equilibrium``, after checking
    the result's shape: one profile, its payoffs, not complete, a one-equilibrium note."""
    result = sequence_form.sequence_form_equilibrium(tree, **options)
    (behaviour,) = result.profiles
    assert result.payoffs == (expected_payoffs(tree, behaviour),)
    assert result.complete is False and [n.code for n in result.notes] == [ONE_EQUILIBRIUM]
    return behaviour


def test_one_card_poker():
    tree = load_yaml_game(str(ROOT / "games" / "simple_poker.yaml")).evaluated()
    behaviour = sequence_form_equilibrium(tree)
    assert labelled(tree, behaviour) == {"Alice holds the King": (1, 0), "Alice holds the Queen": (F(1, 3), F(2, 3)),
                                         "Bob facing a raise": (F(2, 3), F(1, 3))}
    assert expected_payoffs(tree, behaviour) == (F(1, 3), F(-1, 3))
    assert all(isinstance(p, F) for probs in behaviour.values() for p in probs)


def test_one_card_poker_in_floats():
    tree = as_float(load_yaml_game(str(ROOT / "games" / "simple_poker.yaml")).evaluated())
    behaviour = sequence_form_equilibrium(tree)
    assert labelled(tree, behaviour)["Alice holds the Queen"] == pytest.approx((1 / 3, 2 / 3), abs=1e-12)
    assert all(isinstance(p, float) for probs in behaviour.values() for p in probs)


@pytest.mark.parametrize("ranks", [(1, 1), (2, 1), (2, 2), (4, 2), (3, 5), (16, 16)])
def test_zero_sum_poker_value_agrees_with_the_normal_form(ranks):
    """Zero-sum: every equilibrium has the same value, so the normal form's (by enumeration) is
    an independent oracle."""
    from solver.equilibria.enumerate2 import enumerate_extreme_equilibria
    tree = poker(*ranks)
    behaviour = sequence_form_equilibrium(tree)
    assert is_nash_behaviour(tree, behaviour)
    if ranks in ((1, 1), (2, 1), (2, 2), (4, 2)):
        assert nash_by_normal_form(tree, behaviour, 0)
    if ranks in ((1, 1), (2, 1), (2, 2)):
        reduced = reduced_normal_form(tree)
        A, B = reduced.game.payoffs
        x, y = (np.array(p, dtype=object) for p in enumerate_extreme_equilibria(A, B).profiles[0])
        assert expected_payoffs(tree, behaviour)[0] == x @ A @ y


def test_sequences():
    tree = poker(2, 1)
    seqs = sequences_of(tree)
    assert [len(s) for s in seqs.sequences] == [1 + 2 * 2 * 2, 1 + 2 * 2]
    for infoset in tree.infosets:       # the sequence into a set is the same at every node
        assert len({int(seqs.node_sequence[infoset.player, n]) for n in infoset.nodes}) == 1


def test_pure_equilibrium_found_at_once():
    # Dominant moves: the best replies to the uniform priors already form the equilibrium.
    tree = build_tree(["A", "B"], Decision("A", {
        "l": Decision("B", {"x": Terminal((3, 3)), "y": Terminal((0, 1))}, infoset="b"),
        "r": Decision("B", {"x": Terminal((1, 2)), "y": Terminal((0, 0))}, infoset="b")})).evaluated()
    assert labelled(tree, sequence_form_equilibrium(tree)) == {"root": (1, 0), "b": (1, 0)}


def test_one_mover_and_no_mover():
    tree = build_tree(["A", "B"], Chance({"h": F(1, 3), "t": F(2, 3)}, {
        "h": Decision("A", {"x": Terminal((1, 0)), "y": Terminal((0, 0))}, infoset="guess"),
        "t": Decision("A", {"x": Terminal((0, 0)), "y": Terminal((1, 0))}, infoset="guess")})).evaluated()
    assert labelled(tree, sequence_form_equilibrium(tree)) == {"guess": (0, 1)}
    lottery = build_tree(["A", "B"], Chance({"h": F(1, 2), "t": F(1, 2)}, {"h": Terminal((1, 0)), "t": Terminal((0, 1))}))
    assert sequence_form_equilibrium(lottery.evaluated()) == {}


# ---- errors ----------------------------------------------------------------------------------------
def test_refuses_three_movers_imperfect_recall_and_symbols():
    horse = load_yaml_game(str(ROOT / "games" / "selten_horse.yaml"))
    with pytest.raises(ValueError, match="evaluate"):
        sequence_form_equilibrium(load_yaml_game(str(ROOT / "games" / "covert_transfer.yaml")))
    with pytest.raises(ValueError, match="two players"):
        sequence_form_equilibrium(horse.evaluated())
    forgetful = build_tree(["A", "B"], Decision("A", {
        "a": Decision("A", {"x": Terminal((1, 0)), "y": Terminal((0, 1))}, infoset="late"),
        "b": Decision("A", {"x": Terminal((0, 0)), "y": Terminal((1, 1))}, infoset="late")})).evaluated()
    with pytest.raises(ValueError, match="perfect recall"):
        sequence_form_equilibrium(forgetful)


def test_deadline():
    result = sequence_form.sequence_form_equilibrium(poker(8, 8), deadline=time.monotonic() - 1)
    assert result.complete is False and result.profiles == () and [n.code for n in result.notes] == [DEADLINE]


# ---- random trees ----------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9), st.booleans())
def test_random_trees_give_equilibria(seed, ties):
    rng = random.Random(seed)
    tree = random_tree(rng, max_depth=5, low=0 if ties else -50, high=2 if ties else 50)
    behaviour = sequence_form_equilibrium(tree)
    assert set(behaviour) == set(range(len(tree.infosets)))
    assert is_nash_behaviour(tree, behaviour)
    if reduced_normal_form_size(tree) <= 1_000:
        assert nash_by_normal_form(tree, behaviour, 0)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9))
def test_random_float_trees(seed):
    tree = random_tree(random.Random(seed), max_depth=4, floats=True)
    behaviour = sequence_form_equilibrium(tree)
    assert all(isinstance(p, float) for probs in behaviour.values() for p in probs)
    assert is_nash_behaviour(tree, behaviour) and nash_by_normal_form(tree, behaviour, 0)


def reduced_normal_form_size(tree) -> int:
    from solver.model.reduce import reduced_strategies
    return int(np.prod([len(reduced_strategies(tree, p)) for p in range(tree.num_players)]))


# ---- Gambit's collection -----------------------------------------------------------------------------
def _gambit_trees():
    cases = []
    for tag, root in (("corpus", CORPUS),):
        reference = root / "reference.json"
        if not reference.is_file():
            cases.append(pytest.param(None, None, id=tag, marks=pytest.mark.skip(reason=f"no Gambit files at {root}")))
            continue
        for rel, entry in json.loads(reference.read_text()).items():
            if rel.endswith(".efg") and "load_error" not in entry and len(entry.get("players", [])) == 2:
                cases.append(pytest.param(root / rel, entry, id=f"{tag}:{rel}"))
    return cases


@pytest.mark.parametrize("path, entry", _gambit_trees())
def test_gambit_collection(path, entry):
    from solver.io.gambit import load_gambit
    tree = load_gambit(str(path))
    if tree.is_symbolic:
        tree = tree.evaluated()
    if perfect_recall_violation(tree) is not None:
        with pytest.raises(ValueError, match="perfect recall"):
            sequence_form_equilibrium(tree)
        return
    behaviour = sequence_form_equilibrium(tree)
    assert is_nash_behaviour(tree, behaviour)
    if entry.get("profiles", 0) <= 2_000:
        assert nash_by_normal_form(tree, behaviour, 0)


# ---- pygambit -----------------------------------------------------------------------------------------
def to_pygambit(tree):
    gbt = pytest.importorskip("pygambit")
    from solver.io.gambit import write_efg
    with tempfile.NamedTemporaryFile("w", suffix=".efg", delete=False) as handle:
        handle.write(write_efg(tree))
    try:
        return gbt, gbt.read_efg(handle.name)
    finally:
        os.unlink(handle.name)


@pytest.mark.parametrize("ranks", [(1, 1), (2, 2), (4, 2)])
def test_value_agrees_with_pygambit_lcp(ranks):
    tree = poker(*ranks)
    gbt, game = to_pygambit(tree)
    theirs = gbt.nash.lcp_solve(game, rational=True).equilibria[0]
    ours = expected_payoffs(tree, sequence_form_equilibrium(tree))
    assert ours[0] == F(str(theirs.payoff(list(game.players)[0])))


def test_subgame_perfection_falls_back_to_the_sequence_form_on_large_levels():
    from solver.equilibria.subgames import subgame_perfect_equilibria
    tree = poker(8, 8)                  # reduced normal form: 3^8 x 4^8 pure profiles
    result = subgame_perfect_equilibria(tree)
    assert not result.complete
    assert any(n.code == SUBGAME and "sequence form instead" in n.text() and n.data["profiles"] == 3 ** 8 * 4 ** 8
               for n in result.notes)
    (behaviour,) = result.profiles
    assert result.payoffs[0][0] == F(-5, 96)    # the value (zero-sum), as in the benchmark's three-way check
    assert is_nash_behaviour(tree, behaviour)
