"""Agreement with Gambit on its own game collection.

Every ``.nfg``/``.efg`` file of Gambit 16.7's collection (a copy in ``tests/data/gambit``, or the
directory in ``$GAMBIT_CORPUS``) is read, trees are reduced to their normal form, and the results
are compared with what pygambit 16.7 computed (``reference.json``):

- players, and strategy labels in Gambit's order (``gambit_label`` for trees);
- the set of pure Nash equilibria (Gambit's ``enumpure_solve``) against a brute-force search
  written here: a profile is an equilibrium when every player's payoff is a maximum along that
  player's axis, and ``verify.is_nash`` confirms it profile by profile;
- for two players, the set of extreme equilibria (Gambit's ``enummixed_solve(rational=True)``)
  against ``solver.equilibria.enumerate2``, exactly.

Files Gambit no longer loads (``load_error``) may fail with ``GameFileError``; answers Gambit did
not give (strings such as ``timeout``) are skipped, as are games with more than 200,000 profiles.
"""
from __future__ import annotations

import ast
import functools
import itertools
import json
import os
import re
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from solver.core import regret
from solver.io.gambit import gambit_strategy_position, load_gambit
from solver.io.yamlfile import GameFileError
from solver.model.normal import NormalFormGame
from solver.model.reduce import reduced_normal_form

CORPUS = Path(os.environ.get("GAMBIT_CORPUS", Path(__file__).resolve().parent / "data" / "gambit"))
MAX_PROFILES = 200_000          # larger games: loaded, but not reduced or solved
IS_NASH_EVERY_PROFILE = 2_000   # up to this many profiles, is_nash checks every pure profile
EXTREME_SECONDS = 10.0          # time budget per game for the extreme equilibria


def _cases():
    cases = []
    for tag, root in (("corpus", CORPUS),):
        reference = root / "reference.json"
        if not reference.is_file():
            cases.append(pytest.param(None, None, None, id=tag,
                                      marks=pytest.mark.skip(reason=f"no Gambit corpus at {root}")))
            continue
        for rel, entry in json.loads(reference.read_text()).items():
            cases.append(pytest.param(root, rel, entry, id=f"{tag}:{rel}"))
    return cases


CASES = _cases()


# ---- what we compute, once per file --------------------------------------------------------------
@dataclass
class Analysis:
    game: object                         # NormalFormGame or ExtensiveGame
    normal: NormalFormGame | None        # the game, or the tree's reduced normal form
    labels: list[list[str]] | None       # per player, Gambit-style strategy labels in our order
    reduced: object | None               # ReducedNormalForm for trees


def _gambit_label(strategy) -> str:
    return strategy.gambit_label


@functools.lru_cache(maxsize=None)
def analyse(path: str, profiles: int | None) -> Analysis:
    game = load_gambit(path)
    if isinstance(game, NormalFormGame):
        return Analysis(game, game, [[gambit_strategy_position(s) for s in ss] for ss in game.strategies], None)
    if profiles is not None and profiles > MAX_PROFILES:
        return Analysis(game, None, None, None)
    reduced = reduced_normal_form(game)
    return Analysis(game, reduced.game, [[_gambit_label(s) for s in ss] for ss in reduced.strategies], reduced)


def _analysis(root, rel, entry) -> Analysis:
    if "load_error" in entry:
        pytest.skip(f"Gambit 16.7 does not load this file ({entry['load_error']})")
    if entry.get("profiles", 0) > MAX_PROFILES:
        pytest.skip(f"too large: {entry['profiles']:,} pure profiles (limit {MAX_PROFILES:,})")
    return analyse(str(root / rel), entry.get("profiles"))


def _reference_players(entry) -> list[str]:
    # reference.json names players with empty names "_1", "_2", ...; we call them "Player 1", ...
    return [f"Player {m.group(1)}" if (m := re.fullmatch(r"_(\d+)", p)) else p for p in entry["players"]]


def _reference_strategy_counts(entry) -> list[int] | None:
    strategies = entry["strategies"]
    if isinstance(strategies, dict):
        return [len(s) for s in strategies.values()]
    match = re.search(r"\{.*\}", strategies)        # "omitted: {'Player 1': 12, ...} strategies"
    return list(ast.literal_eval(match.group()).values()) if match else None


def _permutation(analysis: Analysis, entry) -> list[list[int]]:
    """For each player, the position in reference.json of each of our strategies (by label)."""
    strategies = entry["strategies"]
    if not isinstance(strategies, dict):
        pytest.skip("reference.json does not list the strategies")
    theirs = list(strategies.values())
    if [sorted(t) for t in theirs] != [sorted(o) for o in analysis.labels]:
        pytest.skip("strategy labels differ from Gambit's (see test_players_and_strategies)")
    return [[t.index(label) for label in ours] for t, ours in zip(theirs, analysis.labels)]


# ---- loading, players and strategies --------------------------------------------------------------
@pytest.mark.parametrize("root, rel, entry", CASES)
def test_players_and_strategies(root, rel, entry):
    path = str(root / rel)
    if "load_error" in entry:
        try:
            load_gambit(path)               # we may be more lenient than Gambit 16.7 ...
        except GameFileError:
            pass                            # ... or refuse it too, with a located message
        return
    game = load_gambit(path)
    assert list(game.players) == _reference_players(entry)
    counts = _reference_strategy_counts(entry)
    if entry["profiles"] > MAX_PROFILES:
        pytest.skip(f"loaded; too large to reduce: {entry['profiles']:,} pure profiles (limit {MAX_PROFILES:,})")
    analysis = _analysis(root, rel, entry)
    assert [len(s) for s in analysis.labels] == counts
    assert int(np.prod(counts)) == entry["profiles"]
    if not isinstance(entry["strategies"], dict):
        return
    theirs = list(entry["strategies"].values())
    assert analysis.labels == theirs


# ---- pure equilibria ---------------------------------------------------------------------------
def pure_equilibria(payoffs: np.ndarray) -> set[tuple[int, ...]]:
    """Every pure Nash equilibrium, by brute force over the payoff tensor (N, n_1, ..., n_N)."""
    n = payoffs.shape[0]
    shape = payoffs.shape[1:]
    stable = np.ones(shape, dtype=bool)
    for i in range(n):
        best = payoffs[i].max(axis=i, keepdims=True)
        stable &= np.asarray(payoffs[i] == best, dtype=bool)
    found = {tuple(int(k) for k in index) for index in np.argwhere(stable)}
    size = int(np.prod(shape))
    if size <= IS_NASH_EVERY_PROFILE:
        profiles = itertools.product(*[range(k) for k in shape])
    else:                                  # confirm the equilibria found (at most 100, spread out)
        profiles = sorted(found)
        profiles = profiles[::max(1, len(profiles) // 100)]
    for profile in profiles:
        vectors = [np.array([Fraction(int(j == k)) for j in range(m)], dtype=object) for k, m in zip(profile, shape)]
        assert regret.is_nash(payoffs, vectors) == (profile in found), profile
    return found


@pytest.mark.parametrize("root, rel, entry", CASES)
def test_pure_equilibria(root, rel, entry):
    analysis = _analysis(root, rel, entry)
    if isinstance(entry["pure_nash"], str):
        omitted = re.match(r"omitted: (\d+) equilibria", entry["pure_nash"])
        if omitted:                       # Gambit's list was too long to store; its length was kept
            assert len(pure_equilibria(np.asarray(analysis.normal.payoffs))) == int(omitted.group(1))
            return
        pytest.skip(f"no answer from Gambit: {entry['pure_nash']}")
    permutation = _permutation(analysis, entry)
    expected = {tuple(permutation[p].index(eq[p].index("1")) for p in range(len(eq))) for eq in entry["pure_nash"]}
    assert pure_equilibria(np.asarray(analysis.normal.payoffs)) == expected


# ---- extreme equilibria of two-player games ----------------------------------------------------------
def _enumerate2():
    try:
        from solver.equilibria.enumerate2 import enumerate_extreme_equilibria
    except ImportError:
        pytest.skip("solver.equilibria.enumerate2 is not available yet")
    return enumerate_extreme_equilibria


@pytest.mark.parametrize("root, rel, entry", CASES)
def test_extreme_equilibria(root, rel, entry):
    if "load_error" not in entry and len(entry["players"]) != 2:
        pytest.skip("extreme equilibria are compared for two-player games")
    analysis = _analysis(root, rel, entry)
    reference = entry.get("extreme_nash")
    if not isinstance(reference, list):
        pytest.skip(f"no answer from Gambit: {reference}")
    enumerate_extreme_equilibria = _enumerate2()
    permutation = _permutation(analysis, entry)
    A, B = analysis.normal.payoffs
    result = enumerate_extreme_equilibria(A, B, deadline=time.monotonic() + EXTREME_SECONDS)
    if not result.complete:
        pytest.skip(f"enumeration did not finish within {EXTREME_SECONDS:g} s")
    ours = {(tuple(x), tuple(y)) for x, y in result.profiles}
    for x, y in ours:
        assert all(type(v) is Fraction for v in x + y)
    expected = {tuple(tuple(Fraction(eq[p][k]) for k in permutation[p]) for p in range(2)) for eq in reference}
    if not expected:
        # Every finite game has an equilibrium (Nash 1951): an empty answer is Gambit failing, as
        # on tests/test_games/large_payoff_game.efg, whose payoffs of 10^19 overflow enummixed.
        # Check ours instead: not empty, and containing Gambit's own pure equilibria.
        assert ours
        pure = {tuple(tuple(Fraction(eq[p][k]) for k in permutation[p]) for p in range(2)) for eq in entry["pure_nash"]}
        assert pure <= ours
        return
    assert ours == expected
