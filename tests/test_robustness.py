"""`solve robustness`: outcome probabilities over distributions of the parameters, checked against
values known by hand (thresholds), independent oracles (scipy's distributions, the single-point
solver, analytic Sobol indices) and against itself (the same seed with any number of workers)."""
from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from solver import load_game
from solver.analysis import sobol
from solver.analysis.batched import PointSolver
from solver.analysis.distributions import Beliefs, parse_distribution
from solver.analysis.robustness import robustness, wilson
from solver.analysis.sampling import make_plan, outcome_label
from solver.api import SolveError
from solver.cli import main

TECH = "games/tech_transfer.yaml"
TRANSFER = "Transfer → Restrain → Engage"
needs_salib = pytest.mark.skipif(not sobol.available(), reason="SALib is not installed (pip install -e '.[uncertainty]')")


def run(*args):
    return CliRunner().invoke(main, ["robustness", *args])


def beliefs_of(game, **texts) -> Beliefs:
    names = [p.name for p in game.info.parameters]
    return Beliefs({}, {k: parse_distribution(v, k, names) for k, v in texts.items()})


def comparable(result) -> dict:
    data = json.loads(result.output)
    data.pop("elapsed_seconds")
    data.pop("run_on")
    return data


# ---- the acceptance example ------------------------------------------------------------------------
def test_russia_transfers_with_probability_four_tenths_as_the_threshold_says():
    # thresholds: Russia transfers iff ammo_gain > china_squeeze = 6, so P = 4/10 under uniform(0, 10)
    result = run(TECH, "--dist", "ammo_gain=uniform(0,10)", "--seed", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    share = next(o for o in data["outcomes"] if o["label"] == TRANSFER)
    assert abs(share["probability"] - 0.4) < 0.01
    assert share["low"] <= 0.4 <= share["high"]
    assert data["samples"] == 100_000
    explanation = next(t for t in data["thresholds"] if t["outcome"] == TRANSFER)
    assert explanation["condition"] == "ammo_gain > china_squeeze" and explanation["coverage"] == 1.0


def test_text_report_names_outcomes_intervals_and_the_surface():
    result = run(TECH, "--dist", "ammo_gain=uniform(0,10)", "--samples", "5000", "--sobol-samples", "0")
    assert result.exit_code == 0, result.output
    assert "95% Wilson" in result.output
    assert f"{TRANSFER}: " in result.output and "with ammo_gain > china_squeeze" in result.output


def test_the_same_seed_gives_the_same_output_with_one_two_and_four_workers():
    outputs = [comparable(run(TECH, "--dist", "ammo_gain=uniform(0,10)", "--dist", "china_squeeze=triangular(2,6,9)",
                              "--dist", "deter_cost=normal(3,1,0,10)", "--samples", "140000", "--seed", "7",
                              "--sobol-samples", "512", "--workers", str(k), "--format", "json"))
               for k in (1, 2, 4)]
    assert outputs[0] == outputs[1] == outputs[2]
    other_seed = comparable(run(TECH, "--dist", "ammo_gain=uniform(0,10)", "--dist", "china_squeeze=triangular(2,6,9)",
                                "--dist", "deter_cost=normal(3,1,0,10)", "--samples", "140000", "--seed", "8",
                                "--sobol-samples", "512", "--workers", "1", "--format", "json"))
    assert other_seed["outcomes"] != outputs[0]["outcomes"]


def test_each_chunk_draws_from_the_seeds_spawned_child():
    game = load_game(TECH)
    plan = make_plan(game, beliefs_of(game, ammo_gain="uniform(0,10)", deter_cost="uniform(0,10)"), {}, 200_000, 5)
    child = np.random.SeedSequence(5).spawn(3)[2]
    expected = np.random.Generator(np.random.PCG64(child)).random((plan.chunk_rows(2), 2))
    assert np.array_equal(plan.uniforms(2), expected)


# ---- the samples are solved as the single-point solver solves them ------------------------------------
@pytest.mark.parametrize("path,texts", [
    (TECH, {"ammo_gain": "uniform(0,10)", "china_squeeze": "uniform(0,10)", "deter_cost": "uniform(0,10)",
            "deter_efficacy": "beta(2,2)"}),
    ("games/peninsula_stability.yaml", {"stability_gain": "uniform(0,10)", "competitive_edge": "triangular(0,2,6)"}),
])
def test_sampled_outcomes_agree_with_the_single_point_solver(path, texts):
    game = load_game(path)
    result = robustness(game, beliefs_of(game, **texts), samples=300, seed=3, workers=1, sobol_base=0, thresholds=False,
                        keep_samples=True)
    defaults = {p.name: p.value for p in game.info.parameters}
    solver = PointSolver(game, {k: v for k, v in defaults.items() if k not in texts})
    columns = result.beliefs.columns(result.plan.uniforms(0))
    for index in range(0, 300, 7):
        outcome = solver({name: Fraction(float(columns[name][index])) for name in texts})
        assert result.keys[result.codes[index]] == outcome.key


def test_an_exact_tie_in_a_discrete_belief_is_solved_exactly():
    game = load_game(TECH)
    result = robustness(game, beliefs_of(game, ammo_gain="discrete([4, 6, 8], [0.25, 0.5, 0.25])"), samples=4000, seed=2,
                        workers=1, sobol_base=0)
    shares = {o.label: o.probability for o in result.outcomes}
    tie = f"{TRANSFER} | Withhold → Enable → Engage"
    assert set(shares) == {"Withhold → Enable → Engage", TRANSFER, tie}
    assert result.exact_points == round(shares[tie] * 4000)
    assert abs(shares[tie] - 0.5) < 0.03


def test_a_formula_parameter_follows_the_sampled_one():
    game = load_game(TECH)
    result = robustness(game, beliefs_of(game, ammo_gain="uniform(0,10)", china_squeeze="formula(ammo_gain - 1)"),
                        samples=2000, seed=4, workers=1, sobol_base=0, thresholds=False)
    # ammo_gain > china_squeeze always: Russia transfers in every sample
    assert [o.label for o in result.outcomes] == [TRANSFER]


def test_games_solved_sample_by_sample_count_every_sample():
    game = load_game("games/covert_transfer.yaml")
    result = robustness(game, beliefs_of(game, deter_cost="uniform(0,10)"), samples=40, seed=1, workers=1)
    assert result.plan.mode == "pointwise"
    assert sum(o.count for o in result.outcomes) == 40 and result.timed_out == 0
    assert any("Sobol indices skipped" in n for n in result.notes)


def test_timed_out_samples_are_counted_not_dropped(monkeypatch):
    game = load_game("games/covert_transfer.yaml")
    from solver.analysis import sampling

    def out_of_time(*args, **kwargs):      # every sample's deadline has passed before it starts
        return real(*args, **{**kwargs, "deadline": 0.0})
    real = sampling.solve
    monkeypatch.setattr(sampling, "solve", out_of_time)
    result = robustness(game, beliefs_of(game, deter_cost="uniform(0,10)"), samples=10, seed=1, workers=1, timeout=1,
                        thresholds=False)
    assert result.timed_out == 10
    assert [o.label for o in result.outcomes] == [outcome_label(sampling.TIMEOUT_KEY, game)]


# ---- distributions ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,oracle", [
    ("uniform(2, 5)", scipy.stats.uniform(2, 3)),
    ("triangular(2, 4, 8)", scipy.stats.triang(1 / 3, loc=2, scale=6)),
    ("normal(3, 2)", scipy.stats.norm(3, 2)),
    ("normal(3, 2, 0, 4)", scipy.stats.truncnorm(-1.5, 0.5, loc=3, scale=2)),
    ("lognormal(1, 0.5)", scipy.stats.lognorm(0.5, scale=math.e)),
    ("beta(2, 5)", scipy.stats.beta(2, 5)),
    ("beta(2, 5, 10, 20)", scipy.stats.beta(2, 5, loc=10, scale=10)),
])
def test_inverse_distribution_functions_match_scipy(text, oracle):
    u = np.linspace(0.01, 0.99, 99)
    assert np.allclose(parse_distribution(text, "x").ppf(u), oracle.ppf(u), rtol=1e-9, atol=1e-9)


def test_discrete_and_correlated_samples():
    d = parse_distribution("discrete([8, 2, 4], [0.3, 0.2, 0.5])", "x")
    values = d.ppf(np.random.default_rng(0).random(100_000))
    assert abs(np.mean(values == 4) - 0.5) < 0.01 and set(np.unique(values)) == {2.0, 4.0, 8.0}
    beliefs = Beliefs({}, {"a": parse_distribution("uniform(0, 1)", "a"), "b": parse_distribution("lognormal(0, 1)", "b")},
                      {("a", "b"): 0.6})
    u = beliefs.uniforms(np.random.default_rng(1), 100_000)
    columns = beliefs.columns(u)
    rho = scipy.stats.spearmanr(columns["a"], columns["b"]).statistic
    assert abs(rho - 0.6) < 0.01


@pytest.mark.parametrize("option,message", [
    ("--dist=ammo_gain=uniform(5,2)", "the width must be positive"),
    ("--dist=ammo_gain=uniform(3,3)", "the width is 0"),
    ("--dist=ammo_gain=gamma(2,2)", "unknown distribution family 'gamma'"),
    ("--dist=ammo_gain=discrete([1,2],[0.5,0.4])", "sum to 0.9, not 1"),
    ("--dist=ammo_gain=normal(1,-2)", "must be positive"),
    ("--dist=ammo_gain=__import__('os')", "unknown distribution family '__import__'"),
    ("--dist=ammo_gain=os.system('true')", "expected FAMILY(ARGUMENTS)"),
    ("--dist=ammo_gain=uniform(0,__import__('os'))", "is not a number"),
    ("--dist=nothing=uniform(0,1)", "unknown parameter 'nothing'"),
])
def test_bad_distributions_are_one_line_errors(option, message):
    result = run(TECH, option, "--samples", "10")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("Error: games/tech_transfer.yaml: --dist"), lines


def test_a_correlation_matrix_that_is_not_positive_semidefinite_is_refused():
    result = run(TECH, "--dist", "ammo_gain=uniform(0,10)", "--dist", "china_squeeze=uniform(0,10)",
                 "--dist", "deter_cost=uniform(0,10)", "--correlate", "ammo_gain,china_squeeze=0.9",
                 "--correlate", "china_squeeze,deter_cost=0.9", "--correlate", "ammo_gain,deter_cost=-0.9")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "not positive semi-definite" in lines[0]


def test_wilson_interval_matches_the_textbook_formula():
    # Brown, Cai & DasGupta (2001), eq. 4, by hand for 81 of 263
    n, p, z = 263, 81 / 263, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson(81, 263) == pytest.approx((centre - half, centre + half))
    assert wilson(0, 10)[0] == 0.0


# ---- Sobol indices of functions whose indices are known ------------------------------------------------
@needs_salib
def test_sobol_indices_of_the_ishigami_function():
    # Ishigami & Homma (1990), a = 7, b = 0.1, x_i ~ U(-π, π): S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)
    u = sobol.design(3, 8192, 7)
    x = -np.pi + 2 * np.pi * u
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    result = sobol.indices(y, 3, 8192, 7)
    for estimate, error, known in zip(result.first + result.total, result.first_error + result.total_error,
                                      (0.3139, 0.4424, 0.0, 0.5576, 0.4424, 0.2437)):
        assert abs(estimate - known) <= error


G_GAME = """
title: A decision whose payoff is Sobol's g-function
players: [Analyst, Other]
parameters: {x1: {value: 0.5}, x2: {value: 0.5}, x3: {value: 0.5}}
strategies: {Analyst: [Act, Wait], Other: [Left, Right]}
payoffs:
  Act:
    Left: ["abs(4*x1 - 2)*(abs(4*x2 - 2) + 1)/2*(abs(4*x3 - 2) + 9)/10", 1]
    Right: ["abs(4*x1 - 2)*(abs(4*x2 - 2) + 1)/2*(abs(4*x3 - 2) + 9)/10", 0]
  Wait:
    Left: [-1, 1]
    Right: [-1, 0]
"""


@needs_salib
def test_sobol_indices_through_a_game_whose_payoff_is_the_g_function(tmp_path):
    # Sobol's g-function with a = (0, 1, 9): V_i = 1/(3(1 + a_i)²), S_i = V_i/V, ST_i = V_i·Π_{j≠i}(1 + V_j)/V
    path = tmp_path / "g.yaml"
    path.write_text(G_GAME)
    game = load_game(path)
    result = robustness(game, beliefs_of(game, x1="uniform(0,1)", x2="uniform(0,1)", x3="uniform(0,1)"), samples=1000,
                        seed=11, workers=1, sobol_base=8192, thresholds=False)
    partial = [1 / (3 * (1 + a) ** 2) for a in (0, 1, 9)]
    total_variance = math.prod(1 + v for v in partial) - 1
    first = [v / total_variance for v in partial]
    total = [v * math.prod(1 + w for k, w in enumerate(partial) if k != i) / total_variance for i, v in enumerate(partial)]
    payoff = next(s.indices for s in result.sensitivities if s.what == "payoff" and s.name == "Analyst")
    for estimate, error, known in zip(payoff.first + payoff.total, payoff.first_error + payoff.total_error, first + total):
        assert abs(estimate - known) <= error


def test_unknown_parameters_and_set_conflicts_are_refused():
    game = load_game(TECH)
    with pytest.raises(SolveError, match="both a distribution and a --set value"):
        robustness(game, beliefs_of(game, ammo_gain="uniform(0,10)"), {"ammo_gain": "3"}, samples=10)


def test_csv_and_plot_are_written(tmp_path):
    csv_path, plot_path = tmp_path / "samples.csv", tmp_path / "beliefs.png"
    result = run(TECH, "--dist", "ammo_gain=uniform(0,10)", "--samples", "500", "--sobol-samples", "0", "--csv", str(csv_path),
                 "--plot", str(plot_path), "--quiet")
    assert result.exit_code == 0, result.output
    rows = csv_path.read_text().splitlines()
    assert rows[0] == "sample,ammo_gain,outcome,payoff_Russia,payoff_China,payoff_US" and len(rows) == 501
    first = rows[1].split(",")
    assert (float(first[1]) > 6) == (first[2] == TRANSFER)
    assert plot_path.stat().st_size > 10_000


def test_the_report_has_a_robustness_section():
    from solver.analysis.report import build_report
    from solver.present.html import robustness_html
    report = build_report(load_game(TECH), {"ammo_gain": "5"}, sweep_points=3)
    result = report.robustness
    assert "ammo_gain" not in result.beliefs.distributions and len(result.beliefs.distributions) == 9
    assert sum(o.count for o in result.outcomes) == result.samples
    page = robustness_html(report)
    assert page.startswith('<section id="robustness">') and "95% interval" in page and "mean payoff" in page
    assert build_report(load_game(TECH), sweep_points=0).robustness is None


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 9), st.integers(1, 10), st.integers(0, 2**32 - 1), st.sampled_from(["uniform", "triangular", "beta"]))
def test_each_sample_transfers_exactly_when_ammo_gain_exceeds_the_squeeze(lo, width, seed, family):
    # the exact threshold: Russia transfers iff ammo_gain > china_squeeze = 6 (the other defaults)
    game = load_game(TECH)
    hi = lo + width
    text = {"uniform": f"uniform({lo},{hi})", "triangular": f"triangular({lo},{lo + width / 3},{hi})",
            "beta": f"beta(2,3,{lo},{hi})"}[family]
    result = robustness(game, beliefs_of(game, ammo_gain=text), samples=300, seed=seed, workers=1, sobol_base=0,
                        thresholds=False, keep_samples=True)
    ammo = result.beliefs.columns(result.plan.uniforms(0))["ammo_gain"]
    labels = np.array([outcome_label(result.keys[c], game) for c in result.codes])
    assert np.all((ammo >= lo) & (ammo <= hi))
    assert np.array_equal(labels == TRANSFER, ammo > 6)


def test_the_tornado_solves_the_percentiles_by_hand():
    # ammo_gain ~ uniform(0, 10): 5th percentile 0.5 (Withhold: all 0), 95th 9.5 (Transfer → Restrain → Engage:
    # Russia 9.5 − 6, China −nk_instability − restraint_cost = −5, US −nk_threat·(1 − restraint_efficacy) = −4); median 5
    game = load_game(TECH)
    result = robustness(game, beliefs_of(game, ammo_gain="uniform(0,10)", deter_cost="fixed(3)"), samples=100, seed=0,
                        workers=1, sobol_base=0, thresholds=False)
    [bar] = result.tornado
    assert (bar.parameter, bar.low_value, bar.high_value) == ("ammo_gain", pytest.approx(0.5), pytest.approx(9.5))
    assert bar.low_payoffs == (0, 0, 0) and bar.high_payoffs == pytest.approx((3.5, -5, -4)) and bar.base_payoffs == (0, 0, 0)
    assert (bar.low_label, bar.high_label) == ("Withhold → Enable → Engage", TRANSFER)


def test_progress_is_drawn_as_chunks_arrive():
    import io

    from solver.present.progress import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    screen = Terminal()
    game = load_game(TECH)
    robustness(game, beliefs_of(game, ammo_gain="uniform(0,10)"), samples=140_000, seed=1, workers=2, sobol_base=0,
               thresholds=False, progress=ProgressBar(stream=screen))
    drawn = screen.getvalue()
    assert "solving samples [" in drawn and "140000/140000 100.0%" in drawn


BELIEF_GAME = """title: a belief in the file
players: [A, B]
parameters:
  gain: {value: 4, distribution: "DIST"}
strategies: {A: [x, y], B: [l, r]}
payoffs:
  A: [[gain, 0], [6, 1]]
  B: [[1, 0], [0, 1]]
"""


def test_a_distribution_written_in_the_game_file(tmp_path):
    """gain ~ uniform(0, 10) in the file: A's y is strict against l iff gain < 6, and then (y, r)
    is the only equilibrium (B's r answers y), so P(y, r) = 0.6; --dist overrides the file."""
    path = tmp_path / "belief.yaml"
    path.write_text(BELIEF_GAME.replace("DIST", "uniform(0, 10)"), encoding="utf-8")
    result = run(str(path), "--seed", "1", "--samples", "20000", "--format", "json", "--no-thresholds",
                 "--sobol-samples", "0")
    assert result.exit_code == 0, result.output
    outcomes = {o["label"]: o["probability"] for o in json.loads(result.stdout)["outcomes"]}
    assert abs(outcomes["y, r"] - 0.6) < 0.015
    overridden = run(str(path), "--dist", "gain=uniform(0,6)", "--seed", "1", "--samples", "2000", "--format", "json",
                     "--no-thresholds", "--sobol-samples", "0")
    assert {o["label"] for o in json.loads(overridden.stdout)["outcomes"]} == {"y, r"}


def test_a_bad_distribution_in_the_file_names_its_line(tmp_path):
    path = tmp_path / "belief.yaml"
    path.write_text(BELIEF_GAME.replace("DIST", "uniform(10, 0)"), encoding="utf-8")
    for command in (["validate", str(path)], ["robustness", str(path)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2
        (line,) = result.output.strip().splitlines()
        assert line.startswith(f"Error: {path}:4: parameters.gain.distribution: ")
