"""Perfect Bayesian equilibria, beliefs and refinements (solver.equilibria.pbe, signalling,
refinements).

Known answers: beer–quiche (Cho & Kreps 1987, §II: with a prior of 0.9 on strong, exactly two
pooling equilibria, and only pooling on Beer passes the Intuitive Criterion and D1), Spence's job
market on a grid of education levels (worked in games/job_market_signalling.yaml: separating at 2,
3 or 4 years, pooling at none, least-cost separating the only survivor). Oracles on random 2×2×2
signalling games: an independent check of each reported PBE (Bayes' rule on the path, sequential
rationality under the stated beliefs) and a brute force over pure profiles and a grid of off-path
beliefs. On every shipped game with imperfect information, each PBE is a Nash equilibrium of the
reduced normal form and each sequential equilibrium is a PBE.
"""
from __future__ import annotations

import glob
from fractions import Fraction as F
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver import load_game, solve
from solver.equilibria.pbe import polytope_vertices
from solver.model.reduce import reduced_normal_form
from solver.model.tree import Chance, Decision, ExtensiveGame, Terminal, build_tree


def _sender(equilibrium, type_name):
    return {m: F(p) for m, p in equilibrium.strategies["Sender"][type_name].items() if F(p) > 0}


# ---- beer–quiche -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def beer_quiche():
    return solve(load_game("games/beer_quiche.yaml"), concept="pbe")


def test_beer_quiche_has_exactly_two_pooling_equilibria(beer_quiche):
    pooled = sorted(next(iter(_sender(e, "strong"))) for e in beer_quiche.equilibria)
    assert pooled == ["Beer", "Quiche"]
    for e in beer_quiche.equilibria:
        assert _sender(e, "strong") == _sender(e, "weak")
        assert e.assessment["classification"] == "pooling"


def test_beer_quiche_belief_conditions(beer_quiche):
    by_message = {next(iter(_sender(e, "strong"))): e for e in beer_quiche.equilibria}
    on_beer, on_quiche = by_message["Beer"], by_message["Quiche"]
    assert on_beer.assessment["belief_conditions"]["Quiche"]["condition"] == "μ(strong | Quiche) ≤ 1/2"
    assert on_quiche.assessment["belief_conditions"]["Beer"]["condition"] == "μ(strong | Beer) ≤ 1/2"
    assert on_beer.assessment["beliefs"]["Beer"] == {"strong": F(9, 10), "weak": F(1, 10)}
    assert on_quiche.strategies["Receiver"]["Beer"]["Duel"] == 1
    assert on_beer.assessment["belief_conditions"]["Quiche"]["interval"] == {"node": "strong", "low": 0, "high": F(1, 2)}


def test_only_pooling_on_beer_survives_the_intuitive_criterion_and_d1(beer_quiche):
    survivors = {next(iter(_sender(e, "strong"))): (e.assessment["intuitive_criterion"]["holds"], e.assessment["d1"]["holds"])
                 for e in beer_quiche.equilibria}
    assert survivors == {"Beer": (True, True), "Quiche": (False, False)}
    quiche = next(e for e in beer_quiche.equilibria if "Quiche" in _sender(e, "strong"))
    assert "strong" in quiche.assessment["intuitive_criterion"]["why"]


def test_beer_quiche_equilibria_are_sequential(beer_quiche):
    assert all(e.assessment["sequential"]["holds"] for e in beer_quiche.equilibria)
    assert len(solve(load_game("games/beer_quiche.yaml"), concept="sequential").equilibria) == 2


def test_beer_quiche_json_has_the_belief_fields(beer_quiche):
    d = beer_quiche.to_dict(exact=True)["equilibria"][0]
    assert {"beliefs", "belief_conditions", "classification", "intuitive_criterion", "d1", "sequential"} <= set(d)
    assert d["beliefs"]["Beer"] == {"strong": "9/10", "weak": "1/10"}


def test_a_low_prior_removes_pooling_on_beer():
    """With a prior of 1/3 on strong, pooling on Beer no longer stops a duel after Beer: the
    equilibrium set changes (the threshold analysis finds 1/2)."""
    low = solve(load_game("games/beer_quiche.yaml"), {"prior_strong": "1/3"}, concept="pbe")
    assert not any(_sender(e, "strong") == {"Beer": 1} == _sender(e, "weak") for e in low.equilibria)


# ---- Spence ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spence():
    return solve(load_game("games/job_market_signalling.yaml"), concept="pbe")


def _worker(e, t):
    return {m: F(p) for m, p in e.strategies["Worker"][t].items() if F(p) > 0}


def test_spence_separating_levels_form_an_interval(spence):
    """The low type copies education e only if 2 − (3/2)e ≥ 1 (e ≤ 2/3); the high type prefers
    being known as high iff 2 − e/4 ≥ 1 (e ≤ 4): separating at 1, 2 and 3 years."""
    separating = {next(iter(_worker(e, "high"))) for e in spence.equilibria if e.assessment["classification"] == "separating"}
    assert separating == {"e1", "e2", "e3"}
    assert all(_worker(e, "low") == {"e0": 1} for e in spence.equilibria if e.assessment["classification"] == "separating")


def test_spence_pooling_is_at_no_education(spence):
    pooling = [e for e in spence.equilibria if e.assessment["classification"] == "pooling"]
    assert pooling and all(_worker(e, "high") == _worker(e, "low") == {"e0": 1} for e in pooling)


def test_spence_least_cost_separating_is_the_only_survivor(spence):
    for test in ("intuitive_criterion", "d1"):
        kept = {(e.assessment["classification"], tuple(_worker(e, "high"))) for e in spence.equilibria
                if e.assessment[test]["holds"]}
        assert kept == {("separating", ("e1",))}


def test_entry_hybrid_from_the_indifference_conditions():
    """The entrant mixes after High only if μ(low cost | High) = 1/2: (3/5)q / ((3/5)q + 2/5) = 1/2
    gives q = 2/3 for the low-cost type's High; the low-cost type is indifferent iff
    6 − 3r = 5, so the entrant enters with r = 1/3."""
    solution = solve(load_game("games/entry_signalling.yaml"), concept="pbe")
    (hybrid,) = [e for e in solution.equilibria if e.assessment["classification"] == "semi-separating"]
    assert hybrid.strategies["Incumbent"]["low_cost"] == {"High": F(2, 3), "Low": F(1, 3)}
    assert hybrid.strategies["Entrant"]["High"] == {"Enter": F(1, 3), "Out": F(2, 3)}
    assert hybrid.assessment["beliefs"]["High"] == {"low_cost": F(1, 2), "high_cost": F(1, 2)}


def test_a_segment_of_equilibria_is_found_and_noted():
    """Beer–quiche with a prior of 1/2: after Beer the receiver is indifferent, so pooling on Beer
    holds with any Duel probability r for which weak still prefers Beer, 2(1 − r) ≥ 1 (Quiche
    met by a duel): a segment; one point of it is listed and a note names it."""
    solution = solve(load_game("games/beer_quiche.yaml"), {"prior_strong": "1/2"}, concept="pbe")
    pooled = [e for e in solution.equilibria if _sender(e, "strong") == _sender(e, "weak") == {"Beer": 1}
              and 0 < F(e.strategies["Receiver"]["Beer"]["Duel"]) < 1]
    assert pooled and all(F(e.strategies["Receiver"]["Beer"]["Duel"]) <= F(1, 2) for e in pooled)
    assert any("Beer | Beer" in n and "segments" in n for n in solution.note_texts())


# ---- random signalling games: independent check and brute force --------------------------------
def _signalling_tree(prior, sender, receiver):
    def after(t, m):
        return Decision("R", {f"a{a}": Terminal((sender[t][m][a], receiver[t][m][a])) for a in range(2)}, infoset=f"m{m}")
    root = Chance({"t0": prior, "t1": 1 - prior},
                  {f"t{t}": Decision("S", {f"m{m}": after(t, m) for m in range(2)}) for t in range(2)})
    return build_tree(["S", "R"], root).evaluated()


def _optimal(values, support) -> bool:
    return all(values[a] == max(values) for a in support)


def _receiver_ok(receiver, m, belief, responses) -> bool:
    values = [sum(belief[t] * receiver[t][m][a] for t in range(2)) for a in range(2)]
    return _optimal(values, [a for a in range(2) if responses[a] > 0])


def _independent_check(prior, sender, receiver, sigma, rho, stated) -> None:
    """sigma[t][m], rho[m][a]: the profile; stated[m]: the supporting beliefs the solver states."""
    p = (prior, 1 - prior)
    for t in range(2):
        values = [sum(rho[m][a] * sender[t][m][a] for a in range(2)) for m in range(2)]
        assert _optimal(values, [m for m in range(2) if sigma[t][m] > 0])
    for m in range(2):
        total = sum(p[t] * sigma[t][m] for t in range(2))
        if total > 0:
            bayes = [p[t] * sigma[t][m] / total for t in range(2)]
            assert stated[m] == [bayes]
            assert _receiver_ok(receiver, m, bayes, rho[m])
        else:
            assert stated[m]
            for belief in stated[m]:
                assert _receiver_ok(receiver, m, belief, rho[m])


def _brute_force_pure(prior, sender, receiver, grid=40):
    p = (prior, 1 - prior)
    found = set()
    for s0, s1, r0, r1 in product(range(2), repeat=4):
        sigma, reply = (s0, s1), (r0, r1)
        if any(sender[t][sigma[t]][reply[sigma[t]]] < sender[t][1 - sigma[t]][reply[1 - sigma[t]]] for t in range(2)):
            continue
        ok = True
        for m in range(2):
            senders = [t for t in range(2) if sigma[t] == m]
            beliefs = ([[p[t] * (t in senders) / sum(p[k] for k in senders) for t in range(2)]] if senders
                       else [[F(k, grid), 1 - F(k, grid)] for k in range(grid + 1)])
            rho = [int(a == reply[m]) for a in range(2)]
            ok = ok and any(_receiver_ok(receiver, m, b, rho) for b in beliefs)
        if ok:
            found.add((sigma, reply))
    return found


payoff = st.integers(-3, 3)
table = st.lists(st.lists(st.lists(payoff, min_size=2, max_size=2), min_size=2, max_size=2), min_size=2, max_size=2)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 9), table, table)
def test_random_signalling_games(prior_tenths, sender, receiver):
    prior = F(prior_tenths, 10)
    solution = solve(_signalling_tree(prior, sender, receiver), concept="pbe")
    reported_pure = set()
    for e in solution.equilibria:
        sigma = [[F(e.strategies["S"][f"t{t}"][f"m{m}"]) for m in range(2)] for t in range(2)]
        rho = [[F(e.strategies["R"][f"m{m}"][f"a{a}"]) for a in range(2)] for m in range(2)]
        conditions = e.assessment["belief_conditions"]
        stated = [[[v["t0"], v["t1"]] for v in conditions[f"m{m}"]["supporting_beliefs"]] for m in range(2)]
        _independent_check(prior, sender, receiver, sigma, rho, stated)
        if e.pure:
            reported_pure.add((tuple(s.index(1) for s in sigma), tuple(r.index(1) for r in rho)))
    assert _brute_force_pure(prior, sender, receiver) <= reported_pure


def test_polytope_of_a_three_node_set():
    """{μ ≥ 0, Σμ = 1, μ1 ≥ μ2 + μ3}: the vertices (1, 0, 0), (1/2, 1/2, 0), (1/2, 0, 1/2)."""
    vertices = polytope_vertices(3, [(F(1), F(-1), F(-1))])
    assert set(vertices) == {(1, 0, 0), (F(1, 2), F(1, 2), 0), (F(1, 2), 0, F(1, 2))}
    assert polytope_vertices(2, [(F(-1), F(-1))]) == ()


# ---- every shipped game with imperfect information ---------------------------------------------
IMPERFECT = [path for path in sorted(glob.glob("games/*.yaml"))
             if isinstance(game := load_game(path), ExtensiveGame) and not game.evaluated().is_perfect_information]


def _reduced_profile(tree, reduced, behaviour):
    index = {s.label: h for h, s in enumerate(tree.infosets)}
    profile = []
    for strategies in reduced.strategies:
        mixed = []
        for s in strategies:
            weight = F(1)
            for h, choice in zip(s.infosets, s.choices):
                if choice is not None:
                    player = tree.players[tree.infosets[h].player]
                    weight *= F(behaviour[player][tree.infosets[h].label][tree.infosets[h].moves[choice]])
            mixed.append(weight)
        profile.append(mixed)
    assert len(index) == len(tree.infosets)
    return profile


@pytest.mark.parametrize("path", IMPERFECT)
def test_every_pbe_is_a_nash_equilibrium_of_the_reduced_normal_form(path):
    solution = solve(load_game(path), concept="pbe")
    tree = solution.game
    reduced = reduced_normal_form(tree)
    for e in solution.equilibria:
        assert reduced.game.is_nash(_reduced_profile(tree, reduced, e.strategies))


@pytest.mark.parametrize("path", IMPERFECT)
def test_every_sequential_equilibrium_is_a_pbe(path):
    game = load_game(path)
    pbe = [e.strategies for e in solve(game, concept="pbe").equilibria]
    for e in solve(game, concept="sequential").equilibria:
        assert e.strategies in pbe


# ---- thresholds, explanation, command line ------------------------------------------------------
def test_thresholds_of_the_prior_are_exact():
    """Beer–quiche: pooling needs μ(strong) ≥ 1/2 at the pooled breakfast. China: the US engages
    after silence iff μ(committed) ≥ (T·d − c)/(g + T·d) with threat T, deterrence share d, cost c
    and engagement gain g: (4 − 3)/(2 + 4) = 1/6, and with T = 10, (5 − 3)/(2 + 5) = 2/7."""
    from solver.analysis.pbe_thresholds import pbe_thresholds
    assert [str(t) for t in pbe_thresholds(load_game("games/beer_quiche.yaml"), "prior_strong").thresholds] == ["1/2"]
    china = load_game("games/china_restraint_signal.yaml")
    report = pbe_thresholds(china, "prior_committed")
    assert [str(t) for t in report.thresholds] == ["1/6"] and report.approximate == ()
    assert [str(t) for t in pbe_thresholds(china, "prior_committed", {"nk_threat": 10}).thresholds] == ["2/7"]
    below, above = report.stretches[0], report.stretches[-2]
    assert not any("Quiet Engage" in e for e in below.equilibria)
    assert any("pooling" in e and "Quiet Engage" in e and "fails" not in e for e in above.equilibria)


def test_explain_walks_through_bayes_and_the_refinement():
    from solver.analysis.pbe_explanation import explain_pbe
    from solver.present.beliefs import explanation_text
    text = explanation_text(explain_pbe(load_game("games/beer_quiche.yaml")))
    assert "μ(strong) = 9/10·1 / (9/10·1 + 1/10·1) = 9/10" in text
    assert "Receiver at Beer given μ(strong) = 1/4, μ(weak) = 3/4: plays Duel: Duel 3/4 ≥ Decline 1/4." in text
    assert "Intuitive Criterion: fails — weak cannot gain from Beer" in text


def test_the_command_line_shows_beliefs():
    from click.testing import CliRunner
    from solver.cli import main
    result = CliRunner().invoke(main, ["games/beer_quiche.yaml", "--concept", "pbe"])
    assert result.exit_code == 0, result.output
    assert "at Quiche  μ(strong | Quiche) ≤ 1/2" in result.output
    explained = CliRunner().invoke(main, ["explain", "games/beer_quiche.yaml", "--concept", "pbe"])
    assert explained.exit_code == 0 and "Beliefs off the path" in explained.output


def test_draw_writes_beliefs_beside_the_nodes():
    from click.testing import CliRunner
    from solver.cli import main
    result = CliRunner().invoke(main, ["draw", "games/beer_quiche.yaml", "--concept", "pbe"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "[information set Beer]" in line]
    assert [line.split("  ")[-1] for line in lines] == ["μ(strong) = 9/10", "μ(weak) = 1/10"]


# ---- sequential equilibrium: consistency of beliefs ---------------------------------------------
def _weak_but_not_sequential():
    """Chance draws x (3/4) or y; player 1, not seeing it, takes Out (1) or In; after In, player 2,
    not seeing chance's draw either, plays a (1 to 2 at x) or b (1 at y); player 1 gets 2 after a,
    0 after b. (Out, b) is a PBE with μ(x) ≤ 1/2 off the path, but the only consistent belief is
    chance's, μ(x) = 3/4 (both nodes are reached by the same tremble, In): not sequential."""
    def after(x_or_y):
        return Decision("P2", {"a": Terminal((2, int(x_or_y == "x"))), "b": Terminal((0, int(x_or_y == "y")))},
                        infoset="after In")
    root = Chance({"x": F(3, 4), "y": F(1, 4)}, {
        c: Decision("P1", {"Out": Terminal((1, 0)), "In": after(c)}, infoset="P1") for c in ("x", "y")})
    return build_tree(["P1", "P2"], root).evaluated()


def test_a_pbe_whose_beliefs_are_not_consistent_is_not_sequential():
    pbe = solve(_weak_but_not_sequential(), concept="pbe")
    verdicts = {e.strategies["P1"]["P1"]["Out"]: e.assessment["sequential"]["holds"] for e in pbe.equilibria}
    assert verdicts == {1: False, 0: True}
    out = next(e for e in pbe.equilibria if e.strategies["P1"]["P1"]["Out"] == 1)
    assert out.assessment["belief_conditions"]["after In"]["condition"] == "μ(x | after In) ≤ 1/2"
    sequential = solve(_weak_but_not_sequential(), concept="sequential")
    assert [e.strategies["P1"]["P1"]["In"] for e in sequential.equilibria] == [1]


def test_seltens_horse_equilibrium_is_sequential():
    """Selten (1975): (C, c, R) with μ(L) ≤ 1/3 at player 3; the two nodes are reached by
    trembles at different information sets (D, and d), so any belief is consistent."""
    (equilibrium,) = solve(load_game("games/selten_horse.yaml"), concept="pbe").equilibria
    assert equilibrium.assessment["belief_conditions"]["player 3"]["condition"].endswith("≤ 1/3")
    assert equilibrium.assessment["sequential"]["holds"] is True


def test_a_deadline_gives_an_incomplete_answer():
    solution = solve(load_game("games/job_market_signalling.yaml"), concept="pbe", timeout=0)
    assert not solution.complete and solution.has_note("deadline")


def test_thresholds_command_finds_the_prior_exactly():
    """The US engages a quiet China iff its prior in commitment is at least (T·d − c)/(g + T·d):
    (8·1/2 − 3)/(2 + 8·1/2) = 1/6, and (10·1/2 − 3)/(2 + 10·1/2) = 2/7 with nk_threat = 10."""
    import json
    from click.testing import CliRunner
    from solver.cli import main
    for extra, threshold in (([], "1/6"), (["--set", "nk_threat=10"], "2/7")):
        result = CliRunner().invoke(main, ["thresholds", "games/china_restraint_signal.yaml", "--param", "prior_committed",
                                           "--concept", "pbe", "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["thresholds"] == [threshold]


def test_markdown_and_html_show_the_beliefs():
    from solver.present import markdown
    from solver.present.html import equilibria_html
    solution = solve(load_game("games/beer_quiche.yaml"), concept="pbe")
    text = markdown.render(solution)
    assert "- Classification: pooling" in text
    assert "  - at Quiche  μ(strong | Quiche) ≤ 1/2" in text
    page = equilibria_html(solution)
    assert "<li>at Quiche  μ(strong | Quiche) ≤ 1/2" in page and "Intuitive Criterion: fails" in page


def test_beer_quiche_completeness_is_pure_with_ties():
    """Prior 9/10: no hybrid exists (the search for them is exhaustive in 2-type games), so the two
    pure pooling profiles and the receiver's off-path mixing at the tied belief 1/2 are every PBE."""
    solution = solve(load_game("games/beer_quiche.yaml"), concept="pbe")
    assert solution.complete and solution.completeness == "pure-with-ties"
    covert = solve(load_game("games/covert_transfer.yaml"), concept="pbe")      # not a signalling game
    assert not covert.complete
