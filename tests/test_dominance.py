"""Iterated elimination of dominated strategies, checked against hand-worked textbook examples and
against pure-equilibrium enumeration (strict elimination never removes an equilibrium)."""
import itertools
from fractions import Fraction

import numpy as np
import pytest

from solver.api import evaluate_game, load_game, parameter_values
from solver.analysis.dominance import find_dominator, iterated_elimination
from solver.equilibria.pure import pure_equilibrium_indices

F = Fraction


def exact(row_payoffs, column_payoffs):
    return np.array([row_payoffs, column_payoffs], dtype=object)


def test_dominated_only_by_an_even_mixture():
    # Row's M pays (1, 1); T pays (3, 0) and B (0, 3). No pure strategy dominates M, but the even mix
    # pays (3/2, 3/2) > (1, 1); the LP maximising the margin gives exactly 1/2–1/2.
    payoffs = exact([[3, 0], [1, 1], [0, 3]], [[0, 0], [0, 0], [0, 0]])
    result = iterated_elimination(payoffs)
    assert len(result.eliminations) == 1
    step = result.eliminations[0]
    assert (step.player, step.strategy, step.strict) == (0, 1, True)
    assert step.dominator == {0: F(1, 2), 2: F(1, 2)}
    assert step.dominating_payoffs == (F(3, 2), F(3, 2))
    assert step.dominated_payoffs == (1, 1)
    assert step.by_mixture
    assert result.surviving == ((0, 2), (0, 1))


def test_mixture_weights_come_from_the_best_margin():
    # T pays (4, 0), B pays (0, 2), M pays (1, 1). σ T + (1 − σ) B dominates M for σ in (1/4, 1/2);
    # the largest margin solves 4σ − 1 = 2(1 − σ) − 1: σ = 1/3, paying (4/3, 4/3).
    payoffs = exact([[4, 0], [1, 1], [0, 2]], [[0, 0], [0, 0], [0, 0]])
    step = iterated_elimination(payoffs).eliminations[0]
    assert step.dominator == {0: F(1, 3), 2: F(2, 3)}
    assert step.dominating_payoffs == (F(4, 3), F(4, 3))


def test_no_mixture_when_it_only_ties():
    # M pays (3/2, 3/2): the even mix only ties it, so M is not strictly dominated, and equal
    # payoffs everywhere are not weak dominance either.
    payoffs = exact([[3, 0], [F(3, 2), F(3, 2)], [0, 3]], [[0, 0], [0, 0], [0, 0]])
    assert iterated_elimination(payoffs).eliminations == ()
    assert iterated_elimination(payoffs, weak=True).eliminations == ()


def test_float_payoffs_give_float_weights():
    payoffs = np.array([[[3.0, 0.0], [1.0, 1.0], [0.0, 3.0]], np.zeros((3, 2))])
    step = iterated_elimination(payoffs).eliminations[0]
    assert step.strategy == 1
    assert step.dominator[0] == pytest.approx(0.5) and step.dominator[2] == pytest.approx(0.5)


def test_prisoners_dilemma():
    game = load_game("games/prisoners_dilemma.yaml")
    result = iterated_elimination(evaluate_game(game, parameter_values(game)).payoffs)
    # Defect pays Row 3 > 2 against Cooperate and 1 > 0 against Defect.
    first = result.eliminations[0]
    assert (first.player, first.strategy, first.dominator) == (0, 0, {1: F(1)})
    assert first.dominating_payoffs == (3, 1) and first.dominated_payoffs == (2, 0)
    assert result.surviving == ((1,), (1,))
    assert result.solved


def test_gibbons_iterated_example():
    # Gibbons (1992), Figure 1.1.1: Right is dominated by Middle (2 > 1, 1 > 0); then Down by Up
    # (1 > 0, 1 > 0); then Left by Middle (2 > 0). (Up, Middle) survives.
    row = [[1, 1, 0], [0, 0, 2]]
    column = [[0, 2, 1], [3, 1, 0]]
    result = iterated_elimination(exact(row, column))
    order = [(e.player, e.strategy, tuple(e.dominator)) for e in result.eliminations]
    assert order == [(1, 2, (1,)), (0, 1, (0,)), (1, 0, (1,))]
    assert result.surviving == ((0,), (1,))
    # Three rounds, one a level: Left is not dominated while Down is still there (0 < 3 against Down).
    # (This used to be 2: Left was checked, inside round 2, against the game that round had reduced.)
    assert result.rounds == 3
    assert [e.round for e in result.eliminations] == [1, 2, 3]
    assert [e.remaining for e in result.eliminations] == [((0, 1), (0, 1, 2)), ((0, 1), (0, 1)), ((0,), (0, 1))]


def test_weak_dominance_only_with_the_flag():
    # B pays (1, 0) against T's (1, 1): weakly dominated (equal against L, worse against R).
    payoffs = exact([[1, 1], [1, 0]], [[0, 0], [0, 0]])
    assert iterated_elimination(payoffs).eliminations == ()
    result = iterated_elimination(payoffs, weak=True)
    step = result.eliminations[0]
    assert (step.player, step.strategy, step.strict, step.dominator) == (0, 1, False, {0: F(1)})
    assert result.surviving[0] == (0,)


def test_weak_dominance_by_a_mixture():
    # M pays (1, 1, 0); T pays (2, 0, 0), B pays (0, 2, 0): the even mix pays (1, 1, 0) — equal —
    # so it is not weakly dominated. Raise T's third entry to 1: the mix pays (1, 1, 1/2) ≥ (1, 1, 0).
    payoffs = exact([[2, 0, 1], [1, 1, 0], [0, 2, 0]], np.zeros((3, 3), dtype=int).tolist())
    result = iterated_elimination(payoffs, weak=True)
    weak = [e for e in result.eliminations if e.player == 0 and e.strategy == 1]
    assert weak and not weak[0].strict
    mix = weak[0].dominator
    assert mix == {0: F(1, 2), 2: F(1, 2)}
    assert all(a >= b for a, b in zip(weak[0].dominating_payoffs, weak[0].dominated_payoffs))


def test_three_players_tech_transfer_simultaneous():
    # Round 1, the full game: Russia's Transfer pays 4 more than Withhold whatever the others do;
    # China's Enable pays 2 more than Restrain (it saves the restraint cost) whatever the others do.
    # The US's Engage is NOT dominated in the full game (0 > −3 against (Withhold, Restrain)).
    # Round 2, with only Transfer and Enable left: Deter −4 − 3 = −7 > Engage −8.
    game = load_game("games/tech_transfer_simultaneous.yaml")
    numeric = evaluate_game(game, parameter_values(game))
    result = iterated_elimination(numeric.payoffs)
    names = [(numeric.players[e.player], numeric.strategies[e.player][e.strategy]) for e in result.eliminations]
    assert names == [("Russia", "Withhold"), ("China", "Restrain"), ("US", "Engage")]
    assert result.eliminations[2].dominating_payoffs == (-7,) and result.eliminations[2].dominated_payoffs == (-8,)
    assert [e.round for e in result.eliminations] == [1, 1, 2]
    china = result.eliminations[1]
    assert china.remaining == ((0, 1), (0, 1), (0, 1)) and len(china.opponents) == 4
    assert china.dominating_payoffs == (-3, -9, 0, -6) and china.dominated_payoffs == (-5, -11, -2, -8)
    assert result.eliminations[2].remaining == ((0,), (1,), (0, 1))
    assert [numeric.strategies[i][s[0]] for i, s in enumerate(result.surviving)] == ["Transfer", "Enable", "Deter"]


def test_rock_paper_scissors_has_nothing_dominated():
    game = load_game("games/rock_paper_scissors.yaml")
    result = iterated_elimination(evaluate_game(game, parameter_values(game)).payoffs, weak=True)
    assert result.eliminations == () and result.surviving == ((0, 1, 2), (0, 1, 2))


def test_find_dominator_reports_none_for_a_best_response():
    payoffs = exact([[3, 0], [0, 3]], [[0, 0], [0, 0]])
    assert find_dominator(payoffs, 0, 0, [[0, 1], [0, 1]]) is None


@pytest.mark.parametrize("seed", range(25))
def test_random_games_claims_hold_and_equilibria_survive(seed):
    """Oracles: every reported domination holds exactly, and strict elimination keeps every pure
    Nash equilibrium (found by enumeration on the full game)."""
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(2, 5, size=2 if seed % 3 else 3))
    n = len(shape)
    payoffs = np.empty((n,) + shape, dtype=object)
    for index in np.ndindex(*payoffs.shape):
        payoffs[index] = F(int(rng.integers(-4, 6)))
    result = iterated_elimination(payoffs)
    left = [list(range(k)) for k in shape]
    for round_number in range(1, result.rounds + 1):
        steps = [e for e in result.eliminations if e.round == round_number]
        # each step names the game its round began with, and compares against exactly its profiles
        assert all(e.remaining == tuple(tuple(s) for s in left) for e in steps)
        for e in steps:
            others = [left[j] for j in range(n) if j != e.player]
            assert list(e.opponents) == list(itertools.product(*others))
        for e in steps:
            left[e.player].remove(e.strategy)
    assert result.surviving == tuple(tuple(s) for s in left)
    for step in result.eliminations:
        mixed = step.dominating_payoffs
        assert all(a > b for a, b in zip(mixed, step.dominated_payoffs))
        assert sum(step.dominator.values()) == 1 and all(w > 0 for w in step.dominator.values())
        # recompute the mixture's payoffs independently
        for c, opponents in enumerate(step.opponents):
            total = F(0)
            for k, w in step.dominator.items():
                index = list(opponents[: step.player]) + [k] + list(opponents[step.player:])
                total += w * payoffs[(step.player,) + tuple(index)]
            assert total == mixed[c]
    for profile in pure_equilibrium_indices(payoffs):
        assert all(s in result.surviving[i] for i, s in enumerate(profile))
