"""Learning dynamics, checked against known behaviour: dominance solvability (prisoner's dilemma),
the conserved quantity of replicator orbits in matching pennies, the basins of the stag hunt,
Robinson's theorem for fictitious play in zero-sum games, and Shapley's non-converging game."""

import numpy as np
import pytest
from click.testing import CliRunner

from solver.analysis.dynamics import (fictitious_play, regrets, replicator, run_dynamics, vector_field_2x2,
                                      verdict)
from solver.api import load_game
from solver.cli import main
from solver.present.dynamics import summary

PD_A = np.array([[2.0, 0.0], [3.0, 1.0]])            # Row: Cooperate, Defect
PD_B = PD_A.T
PENNIES_A = np.array([[1.0, -1.0], [-1.0, 1.0]])
PENNIES_B = -PENNIES_A
STAG_A = np.array([[4.0, 0.0], [3.0, 3.0]])          # mixed equilibrium: stag with probability 3/4
STAG_B = STAG_A.T


def test_prisoners_dilemma_converges_to_defection():
    run = replicator(PD_A, PD_B, steps=500, horizon=60)
    assert run.row[-1] == pytest.approx([0, 1], abs=1e-4)
    assert run.column[-1] == pytest.approx([0, 1], abs=1e-4)
    assert verdict(run).kind == "converges"
    # the share of Cooperate falls monotonically: Defect is strictly dominant
    assert np.all(np.diff(run.row[:, 0]) <= 1e-9)


def test_matching_pennies_orbits_are_closed():
    # For zero-sum 2×2 games with an interior equilibrium (1/2, 1/2), H = ln x + ln(1 − x) + ln y + ln(1 − y)
    # is constant along replicator orbits (Hofbauer & Sigmund 1998, §10.5): the orbit neither spirals in nor out.
    run = replicator(PENNIES_A, PENNIES_B, steps=3000, horizon=60)
    x, y = run.row[:, 0], run.column[:, 0]
    H = np.log(x) + np.log(1 - x) + np.log(y) + np.log(1 - y)
    assert np.ptp(H) < 1e-3
    v = verdict(run)
    assert v.kind == "cycles"
    # the time average is close to the equilibrium
    assert v.average[0] == pytest.approx([0.5, 0.5], abs=0.05)


def test_stag_hunt_basins():
    # Stag is a best reply iff the other hunts stag with probability ≥ 3/4 (4q ≥ 3).
    above = replicator(STAG_A, STAG_B, [0.85, 0.15], [0.85, 0.15], steps=400, horizon=80)
    below = replicator(STAG_A, STAG_B, [0.6, 0.4], [0.6, 0.4], steps=400, horizon=80)
    assert above.row[-1][0] > 0.99 and above.column[-1][0] > 0.99
    assert below.row[-1][0] < 0.01 and below.column[-1][0] < 0.01


def test_vector_field_points_towards_defection():
    X, Y, U, V = vector_field_2x2(PD_A, PD_B, grid=7)
    assert np.all(U < 0) and np.all(V < 0)


def test_fictitious_play_in_matching_pennies_approaches_the_equilibrium():
    # Robinson (1951): in zero-sum games the empirical frequencies converge to equilibrium.
    run = fictitious_play(PENNIES_A, PENNIES_B, steps=3000, seed=1)
    assert run.row[-1] == pytest.approx([0.5, 0.5], abs=0.05)
    assert run.column[-1] == pytest.approx([0.5, 0.5], abs=0.05)
    r = regrets(run, PENNIES_A, PENNIES_B)
    assert r[-1] < r[len(r) // 8]
    assert verdict(run, PENNIES_A, PENNIES_B).kind in ("converges", "converges slowly")


def test_fictitious_play_frequencies_are_counts():
    run = fictitious_play(PD_A, PD_B, steps=50, seed=0)
    # after round t each frequency is a multiple of 1/t
    for t, row in zip(run.times, run.row):
        assert all(abs(v * t - round(v * t)) < 1e-9 for v in row)
    assert run.row[-1][1] > 0.95


def test_shapley_game_fictitious_play_cycles():
    # Shapley (1964): fictitious play does not converge in this game; its unique equilibrium is uniform.
    game = load_game("examples/classroom/games/shapley.yaml")
    report = run_dynamics(game, "fictitious-play", steps=3000)
    assert report.verdict.kind == "cycles"
    r = regrets(report.runs[0], report.A, report.B)
    assert r[-300:].mean() > 0.2                     # far from equilibrium at the end


def test_fictitious_play_is_reproducible_with_a_seed():
    a = fictitious_play(PENNIES_A, PENNIES_B, steps=200, seed=7)
    b = fictitious_play(PENNIES_A, PENNIES_B, steps=200, seed=7)
    assert np.array_equal(a.row, b.row) and np.array_equal(a.column, b.column)


def test_summary_names_the_equilibrium():
    report = run_dynamics(load_game("games/prisoners_dilemma.yaml"), "replicator", steps=400)
    text = summary(report)
    assert text.startswith("Replicator dynamics for Prisoner's dilemma")
    assert "Verdict: converges to the Nash equilibrium (Defect; Defect)." in text
    assert len(report.runs) > 1                      # extra starts for the 2×2 phase plot


def test_sequential_two_player_game_uses_its_reduced_normal_form():
    report = run_dynamics(load_game("games/entry_deterrence.yaml"), "replicator", steps=400)
    assert report.strategies == (("Out", "In"), ("Fight", "Accommodate"))


def test_cli_writes_plot_and_summary(tmp_path):
    out = tmp_path / "pennies.png"
    result = CliRunner().invoke(main, ["dynamics", "games/matching_pennies.yaml", "-o", str(out), "--steps", "600"])
    assert result.exit_code == 0, result.output
    assert "Verdict: cycles" in result.stdout
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_svg_for_a_3x3_game(tmp_path):
    out = tmp_path / "rps.svg"
    result = CliRunner().invoke(main, ["dynamics", "games/rock_paper_scissors.yaml", "--method", "fictitious-play",
                                       "--steps", "500", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert ">Scissors<" in text and ">Row<" in text


def test_cli_rejects_three_players():
    result = CliRunner().invoke(main, ["dynamics", "games/tech_transfer.yaml"])
    assert result.exit_code == 2
    assert "needs a 2-player game; this game has 3 players" in result.stderr
