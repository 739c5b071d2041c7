"""`solve convert`: round trips through YAML and Gambit's formats keep the game and its equilibria."""
import numpy as np
import pytest
from click.testing import CliRunner

from solver import load_game, solve
from solver.cli import main


def convert(tmp_path, source, target, *extra):
    out = tmp_path / f"converted.{target}"
    result = CliRunner().invoke(main, ["convert", source, "--to", target, "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return str(out)


def equilibrium_payoffs(solution):
    return sorted(tuple(e.payoffs[p] for p in solution.players) for e in solution.equilibria)


@pytest.mark.parametrize("game", ["games/battle_of_the_sexes.yaml", "games/chicken.yaml", "games/jordan_matching_pennies.yaml"])
def test_normal_form_to_nfg_and_back(tmp_path, game):
    original = load_game(game).evaluated()
    copy = load_game(convert(tmp_path, game, "nfg"))
    assert copy.players == original.players and copy.strategies == original.strategies
    assert np.array_equal(copy.payoffs, original.payoffs)


def test_tree_to_efg_keeps_the_subgame_perfect_equilibrium(tmp_path):
    copy = load_game(convert(tmp_path, "games/tech_transfer.yaml", "efg"))
    assert equilibrium_payoffs(solve(copy)) == [(0, 0, 0)]
    shifted = load_game(convert(tmp_path, "games/tech_transfer.yaml", "efg", "--set", "ammo_gain=6.5"))
    assert [e.path for e in solve(shifted).equilibria] == [(("Transfer -> Restrain -> Engage", 1),)]   # Gambit labels are ASCII


def test_tree_to_nfg_is_the_reduced_normal_form(tmp_path):
    copy = load_game(convert(tmp_path, "games/tech_transfer.yaml", "nfg"))
    assert copy.shape == (2, 4, 16)
    assert len(solve(copy, method="pure").equilibria) == 22


def test_normal_form_to_efg_is_a_simultaneous_tree(tmp_path):
    tree = load_game(convert(tmp_path, "games/battle_of_the_sexes.yaml", "efg"))
    assert [len(s.nodes) for s in tree.infosets] == [1, 2]       # Column does not see Row's move
    nash = solve(tree, concept="nash")
    assert equilibrium_payoffs(nash) == equilibrium_payoffs(solve(load_game("games/battle_of_the_sexes.yaml")))


def test_yaml_keeps_parameters(tmp_path):
    copy = load_game(convert(tmp_path, "games/chicken.yaml", "yaml"))
    assert [p.name for p in copy.info.parameters] == ["crash_cost"]
    assert equilibrium_payoffs(solve(copy, {"crash_cost": 4})) == equilibrium_payoffs(
        solve(load_game("games/chicken.yaml"), {"crash_cost": 4}))


def test_pygambit_reads_our_files_back(tmp_path):
    gbt = pytest.importorskip("pygambit")
    efg = convert(tmp_path, "games/tech_transfer.yaml", "efg")
    game = gbt.read_efg(efg)
    assert [p.label for p in game.players] == ["Russia", "China", "US"]
    nfg = convert(tmp_path, "games/battle_of_the_sexes.yaml", "nfg")
    result = gbt.nash.enummixed_solve(gbt.read_nfg(nfg), rational=True)
    assert len(result.equilibria) == 3


IRRATIONAL_CHANCE = """\
title: three-way chance
players: [A]
tree:
  player: chance
  probs: {L: sqrt(2)/4, M: sqrt(3)/12, R: 1 - sqrt(2)/4 - sqrt(3)/12}
  moves:
    L: {player: A, moves: {x: {payoffs: [1]}, y: {payoffs: [0]}}}
    M: {payoffs: [2]}
    R: {payoffs: [3]}
"""


def test_irrational_chance_probabilities_are_written_summing_to_one(tmp_path):
    """Each decimal rounded on its own sums to 1.00000000000000003 here (found by hand); the
    last probability is written as 1 minus the others, and the rounding is announced."""
    from fractions import Fraction
    import re
    source = tmp_path / "chance.yaml"
    source.write_text(IRRATIONAL_CHANCE)
    out = tmp_path / "chance.efg"
    result = CliRunner().invoke(main, ["convert", str(source), "--to", "efg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "irrational numbers, which Gambit files cannot hold" in result.output
    chance_line = next(line for line in out.read_text().splitlines() if line.startswith("c "))
    probabilities = [Fraction(p) for p in re.findall(r'"[LMR]" (\S+)', chance_line)]
    assert len(probabilities) == 3 and sum(probabilities) == 1
    assert abs(float(probabilities[0]) - 2 ** 0.5 / 4) < 1e-16
    assert abs(float(probabilities[2]) - (1 - 2 ** 0.5 / 4 - 3 ** 0.5 / 12)) < 1e-15
    copy = load_game(str(out))
    assert sum(Fraction(p) for p in copy.chance_probs[1:4]) == 1


def test_rational_games_convert_without_the_rounding_warning(tmp_path):
    result = CliRunner().invoke(main, ["convert", "games/oil_drilling.yaml", "--to", "efg"])
    assert result.exit_code == 0 and "irrational" not in result.output
    assert '"Oil" 3/10 "Dry" 7/10' in result.output
