"""The command line, tested with CliRunner against exact output (values worked out by hand in
each game's `source` and docs/article_claims.md)."""
import json

from click.testing import CliRunner

from solver.cli import main
from solver.equilibria.registry import method_summaries


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


TECH_TRANSFER_REPORT = """\
Subgame-perfect equilibria: 1 found by backward-induction
  This is the game's only subgame-perfect equilibrium.

Equilibrium 1 (pure)
  Path of play:  Withhold → Enable → Engage
  Payoffs:       Russia 0, China 0, US 0
  Strategies:
    Russia  Withhold
    China   Restrain after Transfer; Enable after Withhold
    US      Deter after Transfer → Enable; Engage otherwise
"""


def test_tech_transfer_report_exact():
    output = run("games/tech_transfer.yaml")
    assert output.startswith("Russia's technology transfer to North Korea, with China and the US responding\n"
                             "games/tech_transfer.yaml · sequential game · 3 players: Russia, China, US\n\nParameters\n")
    assert "  ammo_gain          = 4     Russia's gain from the deal" in output
    assert "  deter_efficacy     = 1/2   Share of the threat that US deterrence removes." in output
    assert output.endswith(TECH_TRANSFER_REPORT)
    assert "  └━▶ Withhold: China\n" in output       # the tree, with the equilibrium move marked


def test_set_ammo_gain_makes_russia_transfer():
    output = run("games/tech_transfer.yaml", "--set", "ammo_gain=6.5")
    assert "  ammo_gain          = 13/2  (default 4)" in output
    assert "  Path of play:  Transfer → Restrain → Engage\n  Payoffs:       Russia 1/2, China -5, US -4\n" in output


def test_python_module_entry_point():
    import subprocess
    import sys
    completed = subprocess.run([sys.executable, "-m", "solver", "games/prisoners_dilemma.yaml", "--format", "json"],
                               capture_output=True, text=True, check=True)
    out = json.loads(completed.stdout)
    assert [e["strategies"]["Row"] for e in out["equilibria"]] == [{"Cooperate": 0, "Defect": 1}]


def test_concept_nash_lists_22_pure_equilibria_one_subgame_perfect():
    out = json.loads(run("games/tech_transfer.yaml", "--concept", "nash", "--method", "pure", "--format", "json"))
    assert out["concept"] == "nash"
    assert len(out["equilibria"]) == 22
    assert all(e["pure"] for e in out["equilibria"])
    perfect = [e for e in out["equilibria"] if e["subgame_perfect"]]
    assert len(perfect) == 1
    assert perfect[0]["path"] == [{"outcome": "Withhold → Enable → Engage", "probability": 1}]


def test_concept_nash_text_names_the_empty_threats():
    output = run("games/entry_deterrence.yaml", "--concept", "nash", "--method", "pure")
    assert "Equilibrium 1 (pure, not subgame-perfect)" in output
    assert ("  ! Incumbent at In would play Fight (0) though Accommodate gives 1: a threat that would not be carried out"
            in output)
    assert "(pure, subgame-perfect)" in output


def test_simultaneous_tech_transfer():
    out = json.loads(run("games/tech_transfer_simultaneous.yaml", "--format", "json", "--method", "pure", "--exact"))
    assert out["form"] == "normal"
    assert [(e["strategies"]["Russia"]["Transfer"], e["strategies"]["China"]["Enable"], e["strategies"]["US"]["Deter"])
            for e in out["equilibria"]] == [("1", "1", "1")]
    assert out["equilibria"][0]["payoffs"] == {"Russia": "2", "China": "-9", "US": "-7"}


def test_json_contract_keys_and_exact_fractions():
    out = json.loads(run("games/battle_of_the_sexes.yaml", "--format", "json", "--exact"))
    assert set(out) >= {"title", "form", "players", "parameters", "concept", "method", "complete", "equilibria"}
    assert out["complete"] is True
    mixed = [e for e in out["equilibria"] if not e["pure"]]
    assert mixed == [{"strategies": {"Row": {"Bach": "2/3", "Stravinsky": "1/3"},
                                     "Column": {"Bach": "1/3", "Stravinsky": "2/3"}},
                      "payoffs": {"Row": "2/3", "Column": "2/3"}, "pure": False, "regret": "0"}]


def test_markdown_format():
    output = run("games/prisoners_dilemma.yaml", "--format", "markdown")
    assert output.startswith("# Prisoner's dilemma\n")
    assert "| 1 | Defect | Defect | (1, 1) |" in output


def test_chance_node_expected_payoffs():
    out = json.loads(run("games/oil_drilling.yaml", "--format", "json", "--exact"))
    (eq,) = out["equilibria"]
    assert eq["payoffs"] == {"Firm": "2"}        # 3/10·(10 − 1) + 7/10·(−1) = 2
    assert eq["path"] == [{"outcome": "Tested, oil, drilled", "probability": "3/10"},
                          {"outcome": "Tested, dry, not drilled", "probability": "7/10"}]
    out = json.loads(run("games/oil_drilling.yaml", "--format", "json", "--exact", "--set", "test_cost=2"))
    # blind drilling 9/10 beats testing 3/10·8 − 7/10·2 = 1 ... testing still wins: 3/10·(10−2) + 7/10·(−2) = 1
    assert out["equilibria"][0]["payoffs"] == {"Firm": "1"}


def test_centipede_takes_at_once():
    out = json.loads(run("games/centipede.yaml", "--format", "json"))
    (eq,) = out["equilibria"]
    assert eq["payoffs"] == {"Ann": 1, "Bob": 0}
    assert all(points["Take"] == 1 for player in eq["strategies"].values() for points in player.values())


def test_output_file(tmp_path):
    target = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["games/chicken.yaml", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0
    assert json.loads(target.read_text())["players"] == ["Row", "Column"]


def test_methods_command_lists_every_method():
    output = run("methods")
    for name in method_summaries():
        assert name in output


def test_validate_command():
    assert run("validate", "games/chicken.yaml") == "games/chicken.yaml: ok (normal form, 2 players)\n"


def test_help_has_examples_for_every_command():
    from solver.cli import main as group
    for name in group.commands:
        text = run(name, "--help")
        assert "Example" in text, f"'solve {name} --help' has no example"
