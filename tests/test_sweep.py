"""Parameter sweeps: every grid point agrees with the single-point `solve`, the regions and
boundaries match values worked out by hand from each game's payoffs, and the command line works."""
import io
import json
import os
import sys
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from solver import load_game, solve
from solver.analysis.batched import exact_game, outcome_from_solution
from solver.analysis.sweep import Axis, parse_axis, sweep
from solver.api import SolveError, parameter_values
from solver.cli import main
from solver.present import progress
from solver.present.progress import ProgressBar, progress_bar
from solver.present.sweep_text import boundary_text, grid_value

ARTICLE_GAMES = ["tech_transfer", "tech_transfer_simultaneous", "buffer_discipline", "peninsula_stability",
                 "seoul_nuclear_option", "covert_transfer", "alliance_rupture"]
GAMES = [g for g in ARTICLE_GAMES if os.path.exists(f"games/{g}.yaml")]


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def reference(game, values):
    """The single-point solver's outcome (pure equilibria only for 3+ player normal forms, as the sweep)."""
    method = "pure" if not hasattr(game, "infosets") and game.num_players >= 3 else "auto"
    try:
        solution = solve(game, values, method=method)
    except SolveError:
        return None
    return outcome_from_solution(solution, game)


def assert_point_matches(result, index, game, values):
    expected = reference(game, values)
    got = result.outcome_at(index)
    if expected is None:
        assert got.key[0] == "invalid"
        return
    assert got.key == expected.key, (values, got.label)
    payoffs = result.payoffs[index]
    if expected.payoffs is not None and not np.all(np.isnan(payoffs)):
        assert np.allclose(payoffs, expected.payoffs, atol=1e-9), (values, payoffs, expected.payoffs)


# ---- a sweep point is the single-point solution -------------------------------------------------
def grid_values(game):
    """Hypothesis strategy: a few parameters and rational values in their ranges (many ties)."""
    params = [p for p in game.info.parameters if p.range]

    @st.composite
    def draw(draw_):
        chosen = draw_(st.lists(st.sampled_from(params), min_size=1, max_size=2, unique_by=lambda p: p.name))
        axes = []
        for p in chosen:
            lo, hi = Fraction(str(p.range[0])), Fraction(str(p.range[1]))
            denominator = draw_(st.sampled_from([1, 2, 4, 10]))
            k0 = draw_(st.integers(0, int((hi - lo) * denominator)))
            a = lo + Fraction(k0, denominator)
            count = draw_(st.integers(1, 3))
            step = Fraction(draw_(st.integers(1, 4)), denominator)
            b = a + step * (count - 1)
            axes.append(Axis(p.name, a, b if count > 1 else a, count))
        others = {}
        for p in params:
            if p.name not in {a.name for a in axes} and draw_(st.booleans()):
                lo, hi = Fraction(str(p.range[0])), Fraction(str(p.range[1]))
                others[p.name] = lo + (hi - lo) * Fraction(draw_(st.integers(0, 8)), 8)
        return axes, others
    return draw()


@pytest.mark.parametrize("name", GAMES)
def test_every_sweep_point_equals_single_point_solve(name):
    game = load_game(f"games/{name}.yaml")

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(grid_values(game))
    def check(drawn):
        axes, others = drawn
        result = sweep(game, axes, others, processes=1)
        for index in np.ndindex(*result.shape):
            values = {**others, **{a.name: a.exact(int(k)) for a, k in zip(axes, index)}}
            assert_point_matches(result, index, game, values)
    check()


RANDOM_BIMATRIX = """\
title: random 2x2
players: [Row, Column]
parameters: {a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0, h: 0}
strategies: {Row: [up, down], Column: [left, right]}
payoffs:
  up: {left: [a, e], right: [b, f]}
  down: {left: [c, g], right: [d, h]}
"""

RANDOM_TREE = """\
title: random tree with chance
players: [P1, P2]
parameters: {p: "1/2", a: 0, b: 0, c: 0, d: 0, e: 0, f: 0}
tree:
  player: P1
  moves:
    out: {payoffs: [a, b]}
    in:
      player: chance
      probs: {good: p, bad: 1 - p}
      moves:
        good:
          player: P2
          moves:
            fight: {payoffs: [c, d]}
            yield: {payoffs: [e, 1]}
        bad:
          player: P2
          moves:
            fight: {payoffs: [f, 0]}
            yield: {payoffs: [2, c]}
"""


@pytest.fixture(scope="module")
def random_games(tmp_path_factory):
    folder = tmp_path_factory.mktemp("games")
    (folder / "bimatrix.yaml").write_text(RANDOM_BIMATRIX)
    (folder / "tree.yaml").write_text(RANDOM_TREE)
    return load_game(folder / "bimatrix.yaml"), load_game(folder / "tree.yaml")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=8, max_size=8), st.integers(-3, 3))
def test_random_2x2_sweeps_agree_with_solve_including_degenerate_games(random_games, values, low):
    game = random_games[0]
    names = "abcdefgh"
    others = {n: v for n, v in zip(names[1:], values[1:])}
    result = sweep(game, [Axis("a", Fraction(low), Fraction(low + 2), 3)], others, processes=1)
    for k in range(3):
        assert_point_matches(result, (k,), game, {**others, "a": Fraction(low + k)})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-2, 2), min_size=6, max_size=6), st.sampled_from([0, 1, 2, 3, 4]))
def test_random_trees_with_chance_agree_with_solve(random_games, values, p4):
    game = random_games[1]
    others = dict(zip("bcdef", values[1:]))
    result = sweep(game, [Axis("a", Fraction(-1), Fraction(1), 3), Axis("p", Fraction(p4, 4), Fraction(p4, 4), 1)], others,
                   processes=1)
    for k in range(3):
        assert_point_matches(result, (k, 0), game, {**others, "a": Fraction(k - 1), "p": Fraction(p4, 4)})


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(GAMES), st.data())
def test_exact_evaluation_equals_sympy_evaluation(name, data):
    game = load_game(f"games/{name}.yaml")
    values = parameter_values(game)
    for p in game.info.parameters:
        if p.range and data.draw(st.booleans()):
            values[p.name] = Fraction(str(p.range[0])) + Fraction(data.draw(st.integers(0, 20)), 20) * \
                (Fraction(str(p.range[1])) - Fraction(str(p.range[0])))
    ours, theirs = exact_game(game, values), game.evaluated(values)
    arrays = ("leaf_payoffs", "chance_probs") if hasattr(game, "infosets") else ("payoffs",)
    for name_ in arrays:
        assert list(getattr(ours, name_).flat) == list(getattr(theirs, name_).flat)


# ---- regions and boundaries, known by hand ------------------------------------------------------------
def test_ammo_gain_sweep_finds_the_tie_at_six():
    # docs/scenarios.md §1: Russia transfers iff a > s = 6; at a = 6 Russia is indifferent (two SPE paths).
    result = sweep(load_game("games/tech_transfer.yaml"), [parse_axis("ammo_gain=0:10:101")])
    regions = [r for r in result.regions() if not r.boundary]
    assert [(r.outcome.label, tuple(map(grid_value, r.ranges["ammo_gain"]))) for r in regions] == [
        ("Withhold → Enable → Engage", ("0", "5.9")), ("Transfer → Restrain → Engage", ("6.1", "10"))]
    assert [boundary_text(b, result.axes) for b in result.boundaries()] == [
        "ammo_gain = 6 (a tie, solved exactly: Transfer → Restrain → Engage | Withhold → Enable → Engage)"]
    assert result.exact_points == 1
    # payoffs on the transfer side: Russia a - s, China -i - k = -5, US -t(1 - h) = -4
    assert np.allclose(result.payoffs[80], [2, -5, -4])


def test_deter_cost_sweep_has_three_regions():
    # d < f·t·(1-h) = 2: Transfer/Enable/Deter; 2 < d < 4: Withhold; d > f·t = 4: Transfer/Enable/Engage.
    result = sweep(load_game("games/tech_transfer.yaml"), [parse_axis("deter_cost=0:10:41")])
    labels = [r.outcome.label for r in result.regions() if not r.boundary]
    assert labels == ["Transfer → Enable → Deter", "Withhold → Enable → Engage", "Transfer → Enable → Engage"]
    assert [b.at.get("deter_cost") for b in result.boundaries()] == [2, 4]


def test_profile_outcomes_see_off_path_changes():
    # With china_squeeze = 10 and us_pressure = 5 Russia withholds while the US would deter after a
    # transfer (d < f·t = 4): then a - p = -1 < 0 or a - s = -6 < 0. The US's choice after
    # Transfer → Restrain still flips at d = f·t·(1 - h) = 2, off the path; for d > 4 Russia transfers.
    game = load_game("games/tech_transfer.yaml")
    settings_ = {"china_squeeze": 10, "us_pressure": 5}
    by_path = sweep(game, [parse_axis("deter_cost=0:10:41")], settings_, by="path")
    by_profile = sweep(game, [parse_axis("deter_cost=0:10:41")], settings_, by="profile")
    # (at d = 0 deterring costs nothing, so the US is indifferent after Withhold: a tie at the edge)
    assert [b.at.get("deter_cost") for b in by_path.boundaries()] == [0, 4]
    assert [b.at.get("deter_cost") for b in by_profile.boundaries()] == [0, 2, 4]
    first = [r for r in by_profile.regions() if not r.boundary][0]
    assert first.outcome.label.startswith("Russia Withhold; China Enable after Transfer, Enable after Withhold; "
                                          "US Deter after Transfer → Restrain")


def test_buffer_discipline_mixed_closed_form_matches_solver():
    # (a sweep needs 2 points or more; the point enforce_cost = 1 is the first of 1:2:2)
    result = sweep(load_game("games/buffer_discipline.yaml"), [parse_axis("enforce_cost=1:2:2")])
    (descriptor, (payoffs, probs)), = result.series.items()
    assert descriptor == ((0, 1), (0, 1))
    assert np.allclose(probs[0], [0.3, 0.7, 1 / 3, 2 / 3])       # g/L = 0.3, e/(z·b) = 1/3
    assert np.allclose(payoffs[0], [-2, 0])


def test_peninsula_region_boundary_at_e_plus_tau():
    result = sweep(load_game("games/peninsula_stability.yaml"), [parse_axis("stability_gain=0:10:101")])
    labels = [r.outcome.label for r in result.regions() if not r.boundary]
    assert labels == ["Compete, Compete", "Cooperate, Cooperate | Compete, Compete | mixed (Cooperate/Compete; Cooperate/Compete)"]
    mixed = result.series[((0, 1), (0, 1))][1]
    # each cooperates with probability (e + x)/(S - tau + x) = 5/(S + 2)
    assert np.allclose(mixed[80, 0], 5 / 10)


def test_two_dimensional_million_point_sweep_and_plot(tmp_path):
    png = tmp_path / "map.png"
    out = run("sweep", "games/tech_transfer.yaml", "--param", "ammo_gain=0:10:1001", "--param", "china_squeeze=0:10:1001",
              "--plot", str(png), "--quiet").stdout
    assert "= 1002001 points" in out
    assert "boundary line china_squeeze ≈ ammo_gain (largest deviation 0.00 cells)" in out
    assert "1001 tie points solved exactly: Transfer → Restrain → Engage | Withhold → Enable → Engage" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---- the command line -----------------------------------------------------------------------------------
def test_cli_text_table():
    # South Korea goes nuclear under the standard umbrella iff nk_threat > 2.5/0.4 = 6.25; the US then reassures.
    out = run("sweep", "games/seoul_nuclear_option.yaml", "--param", "nk_threat=0:10:11").stdout
    assert "Regions (2)\n  nk_threat  outcome                    payoffs (US, SouthKorea)\n" in out
    assert "  0 .. 6     Standard → StayNonNuclear  0, -3.6..0\n" in out
    assert "  7 .. 10    Reassure → StayNonNuclear  -2, -3..-2.1\n" in out
    assert out.endswith("Boundaries (1)\n  6 < nk_threat < 7 (≈ 6.5): [Standard → StayNonNuclear] to [Reassure → StayNonNuclear]\n")
    tie = run("sweep", "games/seoul_nuclear_option.yaml", "--param", "nk_threat=0:10:9").stdout
    assert "  nk_threat = 6.25 (a tie, solved exactly: Reassure → StayNonNuclear | Standard → StayNonNuclear)\n" in tie


def test_cli_csv_every_point():
    out = run("sweep", "games/tech_transfer.yaml", "--param", "ammo_gain=5:7:3", "--format", "csv").stdout
    assert out.splitlines() == [
        "ammo_gain,outcome_id,outcome,tie,payoff_Russia,payoff_China,payoff_US",
        "5,0,Withhold → Enable → Engage,0,0,0,0",
        "6,1,Transfer → Restrain → Engage | Withhold → Enable → Engage,1,0,-5,-4",
        "7,2,Transfer → Restrain → Engage,0,1,-5,-4",
    ]


def test_cli_json():
    out = json.loads(run("sweep", "games/buffer_discipline.yaml", "--param", "enforce_cost=0:5:11", "--format", "json").stdout)
    assert out["points"] == 11 and out["axes"] == [{"name": "enforce_cost", "low": 0, "high": 5, "points": 11}]
    assert [r["outcome"] for r in out["regions"] if not r["boundary"]] == ["mixed (Enforce/Lax; Provoke/Comply)", "Lax, Provoke"]
    assert len(out["grid"]) == 11


def test_cli_svg_plot(tmp_path):
    svg = tmp_path / "payoffs.svg"
    run("sweep", "games/peninsula_stability.yaml", "--param", "stability_gain=0:10:51", "--plot", str(svg))
    text = svg.read_text()
    assert text.startswith("<?xml") and "<svg" in text


@pytest.mark.parametrize("args, message", [
    (["--param", "ammo_gain=0:10"], "--param ammo_gain=0:10: expected NAME=LO:HI:N"),
    (["--param", "ammo_gain"], "expected NAME=LO:HI:N"),
    (["--param", "nonsense=0:1:3"], "--param nonsense: unknown parameter 'nonsense' (parameters: ammo_gain, "),
    (["--param", "ammo_gain=x:1:3"], "LO and HI must be numbers"),
    (["--param", "ammo_gain=3:1:3"], "LO must be less than HI"),
    (["--param", "ammo_gain=0:1:3", "--set", "ammo_gain=2"], "'ammo_gain' is both swept and set"),
    (["--param", "ammo_gain=0:1:3", "--plot", "out.gif"], "use a .png, .svg or .pdf file name"),
    # issue 10: `--param x=0:10:1` silently solved one point; a grid needs 2 points or more
    (["--param", "ammo_gain=0:10:1"], "--param ammo_gain=0:10:1: N (the number of points) must be at least 2, got 1"),
    (["--param", "ammo_gain=0:10:0"], "--param ammo_gain=0:10:0: N (the number of points) must be at least 2, got 0"),
    (["--param", "ammo_gain=0:10:11", "--param", "china_squeeze=3:3:1"], "--param china_squeeze=3:3:1: N (the number"),
])
def test_cli_errors_are_one_line_exit_2(args, message, tmp_path):
    result = CliRunner().invoke(main, ["sweep", "games/tech_transfer.yaml", *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert not os.path.exists("out.gif")


def test_help_has_an_example():
    out = run("sweep", "--help").stdout
    assert "solve sweep games/tech_transfer.yaml --param ammo_gain=0:10:101" in out


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.sampled_from(["ammo_gain", "deter_cost", "bloc_cost"]))
def test_cli_sweep_point_equals_cli_solve_with_set(a4, d4, other):
    # the literal contract: the first point of `solve sweep … --param NAME=v:w:2` == `solve FILE --set NAME=v …`
    a, d = Fraction(a4, 4), Fraction(d4, 4)
    names = ["china_squeeze", other]
    sweep_out = json.loads(run("sweep", "games/tech_transfer.yaml", "--param", f"{names[0]}={a}:{a + 1}:2",
                               "--set", f"{names[1]}={d}", "--format", "json", "--quiet").stdout)
    solve_out = json.loads(run("games/tech_transfer.yaml", "--set", f"{names[0]}={a}", "--set", f"{names[1]}={d}",
                               "--format", "json").stdout)
    paths = sorted({" + ".join(p["outcome"] for p in e["path"] if p["probability"] != 0) for e in solve_out["equilibria"]})
    point = sweep_out["grid"][0]
    assert sweep_out["outcomes"][point["outcome"]]["label"] == " | ".join(paths)
    first = solve_out["equilibria"][0]["payoffs"]
    assert point["payoffs"] == pytest.approx(first)


WEIGHTED_RPS = """\
title: weighted rock paper scissors
players: [Row, Column]
parameters:
  w: {value: 1, range: [0, 4]}
strategies: {Row: [R, P, S], Column: [R, P, S]}
payoffs:
  R: {R: [0, 0], P: [-1, 1], S: [w, -w]}
  P: {R: [1, -1], P: [0, 0], S: [-1, 1]}
  S: {R: [-1, 1], P: [1, -1], S: ["w - 2", 0]}
"""


def test_larger_two_player_games_are_solved_point_by_point_in_a_pool(tmp_path):
    path = tmp_path / "rps.yaml"
    path.write_text(WEIGHTED_RPS)
    game = load_game(path)
    result = sweep(game, [parse_axis("w=0:4:65")], processes=2)
    assert result.method == "the single-point solver at every point (process pool)"
    assert result.exact_points == 65
    for k in range(0, 65, 8):
        assert_point_matches(result, (k,), game, {"w": Fraction(k, 16)})


def test_progress_bar_only_when_enabled(capsys):
    ProgressBar(enabled=False)("solving points", 10, 10)
    assert capsys.readouterr().err == ""
    ProgressBar(enabled=True)("solving points", 10, 10)
    assert "solving points [" in capsys.readouterr().err


# ---- issue 10: float noise, piecewise-straight boundaries, zero-probability branches, progress -----
def test_float_noise_is_snapped_to_zero():
    # The closed-form 2×2 mixed equilibrium gave North Korea -4.441e-16 where its payoff is 0.
    args = ["sweep", "games/buffer_discipline.yaml", "--param", "enforce_cost=0:20:401"]
    text = run(*args).stdout
    assert "e-1" not in text and "e-1" not in run(*args, "--format", "csv").stdout
    assert "  0.05 .. 2.95  mixed (Enforce/Lax; Provoke/Comply)  -5.9..-0.1, 0\n" in text
    assert "  3.05 .. 20    Lax, Provoke                         -6, 3\n" in text
    result = sweep(load_game("games/buffer_discipline.yaml"), [parse_axis("enforce_cost=0:20:401")])
    arrays = [result.payoffs] + [a for pair in result.series.values() for a in pair]
    for values in arrays:
        small = np.abs(values[np.isfinite(values)])
        assert not np.any((small > 0) & (small < 1e-9))


def test_a_boundary_of_two_straight_pieces_is_recognised():
    # Russia transfers (and the US deters an enabled transfer) iff ammo_gain > us_pressure = 2 when
    # bloc_cost < restraint_cost = 2 (China enables), else Russia withholds up to ammo_gain = 6:
    # the boundary is the line ammo_gain = 2 below bloc_cost = 2 and the line bloc_cost = 2 right of it.
    args = ["sweep", "games/tech_transfer.yaml", "--param", "ammo_gain=0:10:101", "--param", "bloc_cost=0:10:101"]
    out = run(*args).stdout
    assert ("  Withhold → Enable → Engage  |  Transfer → Enable → Deter: 59 boundary points; 2 straight pieces: "
            "ammo_gain ≈ 2 for bloc_cost 0..1.9; bloc_cost ≈ 2 for ammo_gain 2.1..5.9 (largest deviation 0.00 cells)\n") in out
    assert "curved" not in out
    boundaries = json.loads(run(*args, "--format", "json").stdout)["boundaries"]
    assert [p["text"] for b in boundaries for p in b.get("pieces", [])] == ["ammo_gain ≈ 2", "bloc_cost ≈ 2"]


def test_a_curved_boundary_is_not_called_piecewise_straight():
    # North Korea supplies iff p_end < 1 - supply_cost/tech_value: a hyperbola
    result = sweep(load_game("games/alliance_rupture.yaml"), [parse_axis("p_end=0:1:201"), parse_axis("tech_value=0:10:201")])
    texts = [boundary_text(b, result.axes) for b in result.boundaries()]
    assert any(t.startswith("Hold  |  Supply → (WarEnds → Renege; WarGoesOn → Deliver)") and "curved" in t for t in texts)
    assert not any("straight pieces" in t for t in texts)


def test_a_zero_probability_branch_is_not_a_change():
    # At p_oil = 1 the firm still drills blind; only the dry well (probability 0) is missing from the path.
    out = run("sweep", "games/oil_drilling.yaml", "--param", "p_oil=0:1:11").stdout
    assert ("Regions (3)\n"
            "  p_oil       outcome                                        payoffs (Firm)\n"
            "  0           Did nothing                                    0\n"
            "  0.2 .. 0.6  Tested, oil, drilled/Tested, dry, not drilled  1..5\n"
            "  0.7 .. 1    Drilled blind, oil/Drilled blind, dry          6.1..10\n") in out
    assert "Boundaries (2)\n" in out and "[Drilled blind, oil]" not in out
    # each point's own outcome is still the single-point solver's (CSV, JSON grid)
    csv_out = run("sweep", "games/oil_drilling.yaml", "--param", "p_oil=0:1:11", "--format", "csv").stdout
    assert csv_out.splitlines()[-1].startswith("1,4,\"Drilled blind, oil\",0,10")
    # in 2-D, the column p_end = 0 of alliance_rupture is no region of its own
    alliance = sweep(load_game("games/alliance_rupture.yaml"), [parse_axis("p_end=0:1:41"), parse_axis("tech_value=0:10:41")])
    assert [r.outcome.label for r in alliance.regions() if not r.boundary] == [
        "Hold", "Supply → (WarEnds → Renege; WarGoesOn → Deliver)"]


def test_a_zero_probability_branch_with_a_real_change_is_kept(random_games):
    # P2 yields after "good" (1 > d = 0) and fights after "bad" (0 > c = -2), so "in" is worth
    # p·e + (1 - p)·f = 2p - 1 to P1 against a = -1 for "out": P1 goes in for p > 0 and is
    # indifferent at p = 0, where "good" has probability 0. The tie is a change, not a missing label;
    # at p = 1 only "bad" (probability 0) is missing, and the point is in its neighbours' region.
    game = random_games[1]
    values = {"a": -1, "b": 0, "c": -2, "d": 0, "e": 1, "f": -1}
    result = sweep(game, [Axis("p", Fraction(0), Fraction(1), 5)], values, processes=1)
    assert [result.region_outcome_at((k,)).key[1] for k in range(5)] == [
        (("in/bad/fight",), ("out",))] + [(("in/good/yield", "in/bad/fight"),)] * 4
    assert result.outcome_at((4,)).key[1] == (("in/good/yield",),)
    assert [b.kind for b in result.boundaries()] == ["point"] and result.boundaries()[0].edge
    for k in range(5):
        assert_point_matches(result, (k,), game, {**values, "p": Fraction(k, 4)})


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal():
    assert progress_bar(stream=io.StringIO()) is None
    assert progress_bar(quiet=True, stream=FakeTerminal()) is None
    assert isinstance(progress_bar(stream=FakeTerminal()), ProgressBar)
    screen = FakeTerminal()
    bar = ProgressBar(stream=screen, delay=60)        # work done within the delay draws nothing
    bar("sweeping", 5, 10)
    bar("sweeping", 10, 10)
    assert screen.getvalue() == ""


def run_with_stderr(monkeypatch, capsys, stream, *args):
    """Run the command line with ``stream`` as sys.stderr (a terminal or not); its stdout and stderr."""
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    main.main(list(args), standalone_mode=False)
    return capsys.readouterr().out, stream.getvalue()


@pytest.mark.parametrize("args, stage", [
    (["sweep", "games/tech_transfer.yaml", "--param", "ammo_gain=0:10:11", "--param", "china_squeeze=0:10:11",
      "--format", "csv"], "writing CSV ["),
    (["sweep", "games/covert_transfer.yaml", "--param", "deter_cost=0:10:3", "--processes", "1"], "solving points ["),
    (["thresholds", "games/tech_transfer.yaml", "--param", "ammo_gain"], "solving each interval exactly ["),
    (["thresholds", "games/tech_transfer.yaml", "--param", "ammo_gain"], "sweeping ["),
])
def test_long_commands_draw_progress_on_a_terminal_only(monkeypatch, capsys, args, stage):
    out, err = run_with_stderr(monkeypatch, capsys, FakeTerminal(), *args)
    assert stage in err and err.endswith("\n") and out
    out_plain, err_plain = run_with_stderr(monkeypatch, capsys, io.StringIO(), *args)
    assert err_plain == "" and out_plain
    _, quiet = run_with_stderr(monkeypatch, capsys, FakeTerminal(), *args, "--quiet")
    assert quiet == ""
