"""Exact thresholds: values worked out by hand from each game's payoffs, agreement with sweeps on
every article game and parameter, symbolic forms, and the command line."""
import json
import os
from fractions import Fraction

import pytest
import sympy
from click.testing import CliRunner

from solver import load_game
from solver.analysis.sweep import Axis, sweep
from solver.analysis.roots import real_roots
from solver.analysis.thresholds import find_thresholds
from solver.cli import main
from solver.present.thresholds_text import cause_sentence, thresholds_text

ARTICLE_GAMES = ["tech_transfer", "tech_transfer_simultaneous", "buffer_discipline", "peninsula_stability",
                 "seoul_nuclear_option", "covert_transfer", "alliance_rupture"]
GAMES = [g for g in ARTICLE_GAMES if os.path.exists(f"games/{g}.yaml")]


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def values(report):
    return [p.value for p in report.points if not p.edge]


# ---- the article's thresholds ---------------------------------------------------------------------
def test_ammo_gain_threshold_is_exactly_six():
    # Russia transfers iff a > s (docs/scenarios.md §1), s = 6.
    out = run("thresholds", "games/tech_transfer.yaml", "--param", "ammo_gain").stdout
    assert "\nammo_gain = 6  (= china_squeeze)\n  Russia: Transfer rather than Withhold iff ammo_gain > 6 (= china_squeeze)\n" in out
    assert "  0 ≤ ammo_gain < 6   Withhold → Enable → Engage   payoffs: Russia 0, China 0, US 0\n" in out
    assert "  6 < ammo_gain ≤ 10  Transfer → Restrain → Engage   payoffs: Russia ammo_gain - 6, China -5, US -4\n" in out
    report = find_thresholds(load_game("games/tech_transfer.yaml"), "ammo_gain")
    assert values(report) == [6] and isinstance(values(report)[0], sympy.Integer)


def test_deter_cost_thresholds_are_two_and_four_with_three_outcomes():
    # d < f·t·(1 − h) = 2: the US deters even after China restrains, so China enables and Russia transfers
    # (Transfer/Enable/Deter). 2 < d < 4: the US deters only after Transfer → Enable, so China would
    # restrain and Russia (a − s = −2 < 0) withholds. d > f·t = 4: the US never deters: Transfer/Enable/Engage.
    report = find_thresholds(load_game("games/tech_transfer.yaml"), "deter_cost")
    assert values(report) == [2, 4]
    assert [i.label for i in report.intervals] == ["Transfer → Enable → Deter", "Withhold → Enable → Engage",
                                                   "Transfer → Enable → Engage"]
    out = thresholds_text(report)
    assert "deter_cost = 2  (= deter_efficacy*nk_threat*(1 - restraint_efficacy))\n" \
           "  US after Transfer → Restrain: Engage rather than Deter iff deter_cost > 2 " \
           "(= deter_efficacy*nk_threat*(1 - restraint_efficacy))\n" in out
    assert "deter_cost = 4  (= deter_efficacy*nk_threat)\n" in out
    assert "  so China after Transfer switches from Restrain to Enable\n" in out
    assert "  2 < deter_cost < 4   Withhold → Enable → Engage   payoffs: Russia 0, China 0, US 0\n" in out


def test_symbolic_conditions():
    out = run("thresholds", "games/tech_transfer.yaml", "--param", "deter_cost", "--symbolic").stdout
    assert "  US after Transfer → Enable: Engage rather than Deter iff deter_cost > deter_efficacy*nk_threat\n" in out
    out = run("thresholds", "games/tech_transfer.yaml", "--param", "ammo_gain", "--symbolic").stdout
    assert "  Russia: Transfer rather than Withhold iff ammo_gain > china_squeeze\n" in out


def test_bloc_cost_below_restraint_cost_makes_china_enable():
    # docs/scenarios.md §1: b < k makes China enable (k = 2).
    report = find_thresholds(load_game("games/tech_transfer.yaml"), "bloc_cost")
    assert values(report) == [2]
    assert cause_sentence(report, report.points[0].causes[0], 2) == \
        "China after Transfer: Restrain rather than Enable iff bloc_cost > 2 (= restraint_cost)"


def test_seoul_goes_nuclear_above_six_and_a_quarter():
    report = find_thresholds(load_game("games/seoul_nuclear_option.yaml"), "nk_threat")
    assert values(report) == [sympy.Rational(25, 4)]
    assert cause_sentence(report, report.points[0].causes[0], sympy.Rational(25, 4)) == (
        "SouthKorea after Standard: GoNuclear rather than StayNonNuclear iff nk_threat > 25/4 "
        "(= proliferation_penalty/(nuclear_deterrence - standard_credibility))")
    assert [i.label for i in report.intervals] == ["Standard → StayNonNuclear", "Reassure → StayNonNuclear"]


def test_buffer_discipline_closed_form():
    out = run("thresholds", "games/buffer_discipline.yaml", "--param", "enforce_cost").stdout
    # China enforces w.p. g/L, North Korea provokes w.p. e/(z·b) (docs/scenarios.md §4)
    assert "  China plays Enforce with probability p* = provocation_gain/enforcement_penalty\n" in out
    assert "  NorthKorea plays Provoke with probability q* = enforce_cost/(enforce_efficacy*provocation_damage)\n" in out
    # q* reaches 1 at e = z·b = 3: above it China never enforces and North Korea provokes
    assert "enforce_cost = 3  (= enforce_efficacy*provocation_damage)\n" in out
    assert "  3 < enforce_cost ≤ 5  Lax, Provoke\n" in out


def test_peninsula_mutual_cooperation_iff_s_above_e_plus_tau():
    out = run("thresholds", "games/peninsula_stability.yaml", "--param", "stability_gain", "--symbolic").stdout
    assert "  US against China Cooperate: Cooperate rather than Compete iff stability_gain > competitive_edge + cooperation_cost\n" in out
    assert "  US plays Cooperate with probability p* = (competitive_edge + exposure_cost)/" \
           "(exposure_cost + stability_gain - cooperation_cost)\n" in out
    assert "  3 < stability_gain ≤ 10  Cooperate, Cooperate | Compete, Compete | mixed (Cooperate/Compete; Cooperate/Compete)\n" in out


def test_simultaneous_version_has_only_the_us_threshold():
    report = find_thresholds(load_game("games/tech_transfer_simultaneous.yaml"), "deter_cost")
    assert values(report) == [4]
    assert [i.label for i in report.intervals] == ["Transfer, Enable, Deter", "Transfer, Enable, Engage"]


# ---- sweeps and thresholds agree on every article game and every parameter ---------------------------
def _cases():
    for name in GAMES:
        game = load_game(f"games/{name}.yaml")
        for p in game.info.parameters:
            if p.range:
                yield name, p.name


@pytest.mark.parametrize("name, parameter", list(_cases()))
def test_sweep_boundaries_match_exact_thresholds(name, parameter):
    game = load_game(f"games/{name}.yaml")
    # games without symbolic candidates (imperfect information) get theirs from the cross-check
    symbolic = not hasattr(game, "infosets") or game.is_perfect_information
    report = find_thresholds(game, parameter, check=not symbolic)
    lo, hi = report.domain
    axis = Axis(parameter, Fraction(str(lo)), Fraction(str(hi)), 201)
    result = sweep(game, [axis], processes=1)
    exact = [(p.value, p.outcome) for p in report.points]
    for k in range(axis.count):
        x = sympy.Rational(axis.exact(k))
        # the region a point belongs to: a point whose path differs only behind a chance move of
        # probability 0 (p_end = 0, q_detect = 0 or 1) is in its neighbours' region, as in the report
        got = result.region_outcome_at((k,))
        at_point = [o for v, o in exact if v == x]
        if at_point:
            assert got.key == at_point[0].key, (x, got.label)
            continue
        interval = next(i for i in report.intervals if i.lo <= x <= i.hi)
        assert got.key == interval.outcome.key, (x, got.label, interval.label)
    # every threshold inside the range is seen by the sweep: the outcome changes across it
    step = (hi - lo) / (axis.count - 1)
    for value, _ in exact:
        if lo < value < hi:
            k = int(sympy.floor((value - lo) / step))
            left = result.outcome_at((k - 1 if sympy.Rational(axis.exact(k)) == value else k,))
            right = result.outcome_at((min(k + 1, axis.count - 1),))
            at = result.outcome_at((k,))
            assert left.key != right.key or at.key != left.key, (value, left.label, right.label)


# ---- roots, irrational thresholds, games without candidates ----------------------------------------
def test_real_roots_exact_and_piecewise():
    x = sympy.Symbol("x", real=True)
    assert real_roots(x ** 2 - 2, x, sympy.Integer(0), sympy.Integer(10)) == ([sympy.sqrt(2)], False)
    roots, approximate = real_roots(sympy.Max(x, 2) - 3, x, sympy.Integer(0), sympy.Integer(10))
    assert roots == [2, 3] and not approximate      # the kink at 2 is a candidate too


QUADRATIC = """\
title: quadratic
players: [A, B]
parameters:
  x: {value: 1, range: [0, 4]}
tree:
  player: A
  moves:
    safe: {payoffs: [2, 0]}
    risky: {payoffs: ["x*x", 1]}
"""


def test_irrational_threshold(tmp_path):
    path = tmp_path / "quadratic.yaml"
    path.write_text(QUADRATIC)
    report = find_thresholds(load_game(path), "x")
    assert values(report) == [sympy.sqrt(2)]
    assert "x = sqrt(2)\n  A: safe rather than risky iff x < sqrt(2)\n" in thresholds_text(report)
    assert "a sweep of 1001 points over the range agrees" in thresholds_text(report)


COVERT = """\
title: a covert transfer (imperfect information)
players: [Russia, US]
parameters:
  gain: {value: 3, range: [0, 10]}
stages:
  - {player: Russia, moves: [transfer, withhold]}
  - {chance: signal, outcomes: {alarm: "transfer*7/10 + withhold/10", quiet: "1 - transfer*7/10 - withhold/10"}}
  - {player: US, moves: [deter, engage], observes: [signal]}
payoffs:
  Russia: "gain*transfer - 5*transfer*deter"
  US: "-8*transfer*(1 - deter/2) - 3*deter"
"""


def test_imperfect_information_thresholds_by_bisection(tmp_path):
    path = tmp_path / "covert.yaml"
    path.write_text(COVERT)
    report = find_thresholds(load_game(path), "gain")
    assert all(p.approximate for p in report.points if not p.edge)
    assert 5 in values(report)         # Russia's gain outweighs the full penalty 5 (docs/scenarios.md §5 values)
    assert "no symbolic candidates" in report.notes[0].text()


# ---- the command line ------------------------------------------------------------------------------
def test_json_output():
    out = json.loads(run("thresholds", "games/tech_transfer.yaml", "--param", "deter_cost", "--format", "json").stdout)
    assert [t["exact"] for t in out["thresholds"]] == ["2", "4"]
    assert [t["formula"] for t in out["thresholds"]] == ["deter_efficacy*nk_threat*(1 - restraint_efficacy)",
                                                          "deter_efficacy*nk_threat"]
    assert [i["outcome"] for i in out["intervals"]] == ["Transfer → Enable → Deter", "Withhold → Enable → Engage",
                                                        "Transfer → Enable → Engage"]


def test_set_moves_the_threshold():
    out = run("thresholds", "games/tech_transfer.yaml", "--param", "ammo_gain", "--set", "china_squeeze=8").stdout
    assert "ammo_gain = 8  (= china_squeeze)\n" in out


def test_range_option():
    out = run("thresholds", "games/tech_transfer.yaml", "--param", "ammo_gain", "--range", "0:5").stdout
    assert "No threshold inside the range" in out


@pytest.mark.parametrize("args, message", [
    (["--param", "nonsense"], "games/tech_transfer.yaml: --param nonsense: unknown parameter 'nonsense' (parameters: "),
    (["--param", "ammo_gain", "--range", "5"], "--range: expected LO:HI"),
    (["--param", "ammo_gain", "--range", "5:1"], "--range: LO must be less than HI"),
    (["--param", "ammo_gain", "--set", "ammo_gain=3"], "'ammo_gain' is both analysed and set"),
    (["--param", "ammo_gain", "--set", "nope=3"], "--set nope: unknown parameter 'nope'"),
])
def test_errors_are_one_line_exit_2(args, message):
    result = CliRunner().invoke(main, ["thresholds", "games/tech_transfer.yaml", *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert message in result.stderr


def test_missing_param_option_is_a_usage_error():
    result = CliRunner().invoke(main, ["thresholds", "games/tech_transfer.yaml"])
    assert result.exit_code == 2 and "Missing option '--param'" in result.output


def test_help_has_an_example():
    assert "solve thresholds games/tech_transfer.yaml --param ammo_gain" in run("thresholds", "--help").stdout


# ---- issue 10: intervals partition the range; zero-probability branches are no change --------------
CONCESSION = """\
title: a concession that only ties
players: [Union, Firm]
parameters:
  concession: {value: 1, range: [0, 5]}
tree:
  player: Union
  moves:
    Accept: {payoffs: [0, 0], outcome: Status quo}
    Strike:
      player: Firm
      moves:
        Concede: {payoffs: ["-(concession - 2)**2", -1], outcome: Settlement}
        Hold: {payoffs: [-5, -3], outcome: Lockout}
"""

GAMBLE = """\
title: a gamble that pays only when it can win
players: [Player]
parameters:
  p: {value: "1/2", range: [0, 1]}
tree:
  player: Player
  moves:
    Safe: {payoffs: [0], outcome: Safe}
    Gamble:
      player: chance
      probs: {Win: p, Lose: 1 - p}
      moves:
        Win: {payoffs: [10], outcome: Won}
        Lose: {payoffs: [0], outcome: Lost}
"""


def assert_partition(report):
    """The interval rows and the threshold rows cover the range once each: a threshold at every
    junction of two intervals, none inside an interval, edge points only at the ends."""
    intervals, points = report.intervals, {p.value for p in report.points}
    assert intervals[0].lo == report.domain[0] and intervals[-1].hi == report.domain[1]
    for left, right in zip(intervals, intervals[1:]):
        assert left.hi == right.lo and left.hi in points, (left.label, right.label)
    for p in report.points:
        assert not any(i.lo < p.value < i.hi for i in intervals), p.value
        assert not p.edge or p.value in report.domain


def test_a_tie_point_with_the_same_outcome_on_both_sides_is_its_own_row(tmp_path):
    # Union is indifferent at concession = 2 only (-(c - 2)² ≤ 0): the old report said
    # "0 ≤ concession ≤ 5  Status quo" and then "concession = 2 … tie", two rows for one value.
    path = tmp_path / "concession.yaml"
    path.write_text(CONCESSION)
    text = run("thresholds", str(path), "--param", "concession").stdout
    assert ("Outcome on each interval\n"
            "  0 ≤ concession < 2  Status quo   payoffs: Union 0, Firm 0\n"
            "  concession = 2      Settlement | Status quo   (several equilibria: a tie)\n"
            "  2 < concession ≤ 5  Status quo   payoffs: Union 0, Firm 0\n") in text
    assert "  Union: Accept rather than Strike on both sides of concession = 2; indifferent only there\n" in text
    intervals = json.loads(run("thresholds", str(path), "--param", "concession", "--format", "json").stdout)["intervals"]
    assert [(i["low_exact"], i["high_exact"]) for i in intervals] == [("0", "2"), ("2", "5")]
    assert_partition(find_thresholds(load_game(path), "concession"))


def test_a_zero_probability_branch_is_not_a_threshold():
    # At p_oil = 1 the firm still drills blind; only the dry well (probability 0) leaves the path.
    text = run("thresholds", "games/oil_drilling.yaml", "--param", "p_oil").stdout
    assert "p_oil = 1 " not in text and "p_oil = 1\n" not in text and "edge of the range" not in text
    assert "  2/3 < p_oil ≤ 1     Drilled blind, oil/Drilled blind, dry   payoffs: Firm 13*p_oil - 3\n" in text
    assert "a sweep of 1001 points over the range agrees with these thresholds" in text
    report = find_thresholds(load_game("games/oil_drilling.yaml"), "p_oil")
    assert [p.value for p in report.points] == [sympy.Rational(1, 10), sympy.Rational(2, 3)]


def test_a_real_change_at_a_zero_probability_end_is_kept(tmp_path):
    # At p = 0 the gamble can only lose: the player is indifferent (0 = 0), a tie, not a lost label.
    path = tmp_path / "gamble.yaml"
    path.write_text(GAMBLE)
    report = find_thresholds(load_game(path), "p")
    assert [(p.value, p.edge, p.label) for p in report.points] == [(0, True, "Lost | Safe")]
    assert_partition(report)
    assert "  p = 0      Lost | Safe   (several equilibria: a tie)\n" in thresholds_text(report)


@pytest.mark.parametrize("name, parameter", list(_cases()) + [("oil_drilling", "p_oil"), ("oil_drilling", "test_cost")])
def test_intervals_partition_the_range(name, parameter):
    game = load_game(f"games/{name}.yaml")
    symbolic = not hasattr(game, "infosets") or game.is_perfect_information
    assert_partition(find_thresholds(game, parameter, check=not symbolic))
