"""Pure Nash equilibria: vectorised solver against a brute-force oracle, and invariances."""
import itertools
from fractions import Fraction

import numpy as np
from hypothesis import given, settings, strategies as st

from solver.equilibria.pure import pure_equilibrium_indices, pure_equilibrium_mask


def brute_force(payoffs):
    """Check every profile and every unilateral deviation, one at a time."""
    n = payoffs.shape[0]
    shape = payoffs.shape[1:]
    found = []
    for profile in itertools.product(*[range(k) for k in shape]):
        stable = True
        for i in range(n):
            for alternative in range(shape[i]):
                deviation = list(profile)
                deviation[i] = alternative
                if payoffs[(i, *deviation)] > payoffs[(i, *profile)]:
                    stable = False
        if stable:
            found.append(profile)
    return found


@st.composite
def games(draw, exact=True):
    n = draw(st.integers(2, 4))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    size = n * int(np.prod(shape))
    if exact:
        values = draw(st.lists(st.fractions(min_value=-3, max_value=3, max_denominator=4), min_size=size, max_size=size))
        return np.array(values, dtype=object).reshape((n,) + shape)
    values = draw(st.lists(st.integers(-2, 2), min_size=size, max_size=size))   # many ties
    return np.array(values, dtype=float).reshape((n,) + shape)


@settings(max_examples=150, deadline=None)
@given(games(exact=True))
def test_exact_matches_brute_force(payoffs):
    assert pure_equilibrium_indices(payoffs) == brute_force(payoffs)


@settings(max_examples=150, deadline=None)
@given(games(exact=False))
def test_float_with_ties_matches_brute_force(payoffs):
    assert pure_equilibrium_indices(payoffs) == brute_force(payoffs)


@settings(max_examples=60, deadline=None)
@given(games(exact=True), st.randoms(use_true_random=False), st.fractions(min_value=Fraction(1, 5), max_value=5),
       st.fractions(min_value=-5, max_value=5))
def test_relabelling_and_affine_maps_keep_the_equilibria(payoffs, rng, scale, shift):
    n = payoffs.shape[0]
    before = set(pure_equilibrium_indices(payoffs))
    # a positive affine map of one player's payoffs
    player = rng.randrange(n)
    changed = payoffs.copy()
    changed[player] = changed[player] * scale + shift
    assert set(pure_equilibrium_indices(changed)) == before
    # permuting a player's strategies permutes the equilibria
    axis = rng.randrange(n)
    order = list(range(payoffs.shape[axis + 1]))
    rng.shuffle(order)
    permuted = np.take(payoffs, order, axis=axis + 1)
    mapped = {tuple(order.index(s) if k == axis else s for k, s in enumerate(p)) for p in before}
    assert set(pure_equilibrium_indices(permuted)) == mapped


def test_float_rounding_does_not_hide_a_tie():
    # 0.1 + 0.2 != 0.3 in floats; both strategies are best responses.
    payoffs = np.array([[[0.1 + 0.2], [0.3]], [[1.0], [1.0]]])
    assert pure_equilibrium_indices(payoffs) == [(0, 0), (1, 0)]


def test_batch_axes_solve_many_games_at_once():
    # prisoner's dilemma with the temptation t as a batch axis: t < 2 makes (C, C) an equilibrium
    ts = np.array([1.0, 3.0])
    batch = np.empty((2, 2, 2, 2))
    for k, t in enumerate(ts):
        batch[k] = [[[2, 0], [t, 1]], [[2, t], [0, 1]]]
    mask = pure_equilibrium_mask(batch, num_players=2)
    assert mask[0].tolist() == [[True, False], [False, True]]
    assert mask[1].tolist() == [[False, False], [False, True]]


def test_textbook_games():
    from solver import load_game
    pd = load_game("games/prisoners_dilemma.yaml").evaluated()
    assert pure_equilibrium_indices(pd.payoffs) == [(1, 1)]
    mp = load_game("games/matching_pennies.yaml").evaluated()
    assert pure_equilibrium_indices(mp.payoffs) == []
    simultaneous = load_game("games/tech_transfer_simultaneous.yaml").evaluated()
    assert pure_equilibrium_indices(simultaneous.payoffs) == [(0, 1, 1)]
