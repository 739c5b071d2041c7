"""Seoul's nuclear option (seoul_nuclear_option): when must the US reassure South Korea?

    python examples/sweep_seoul_nuclear_option.py # writes examples/output/seoul_nuclear_option_*.png

A16: South Korean opinion may shift toward its own nuclear weapons. Under the standard umbrella
South Korea goes nuclear once nk_threat > proliferation_penalty/(nuclear_deterrence −
standard_credibility) = 6.25, and the US then prefers to reassure (it costs less than a nuclear
South Korea). The sweeps show the threshold in the threat, how it moves with the credibility of the
standard umbrella, and when reassurance is worth its cost to the US.
"""
import os

from solver import load_game
from solver.analysis.sweep import parse_axis, sweep
from solver.analysis.thresholds import find_thresholds
from solver.present.sweep_plot import plot_sweep
from solver.present.sweep_text import sweep_text
from solver.present.thresholds_text import thresholds_text

HERE = os.path.dirname(os.path.abspath(__file__))
GAME = os.path.join(HERE, "..", "games", "seoul_nuclear_option.yaml")
OUT = os.path.join(HERE, "output")


def main():
    os.makedirs(OUT, exist_ok=True)
    game = load_game(GAME)
    for parameter in ("nk_threat", "standard_credibility", "reassure_cost"):
        print(thresholds_text(find_thresholds(game, parameter, game_path="games/seoul_nuclear_option.yaml")))
    runs = [
        ("seoul_nuclear_option_nk_threat.png", ["nk_threat=0:10:501"]),
        ("seoul_nuclear_option_threat_vs_credibility.png", ["nk_threat=0:10:401", "standard_credibility=0:1:401"]),
        ("seoul_nuclear_option_reassure_vs_proliferation.png", ["reassure_cost=0:10:401", "proliferation_cost=0:10:401"]),
    ]
    for name, params in runs:
        result = sweep(game, [parse_axis(p) for p in params], game_path="games/seoul_nuclear_option.yaml")
        plot_sweep(result, os.path.join(OUT, name))
        print(sweep_text(result))
        print(f"wrote examples/output/{name}\n")


if __name__ == "__main__":
    main()
