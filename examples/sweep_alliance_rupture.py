"""The alliance that may rupture when the Ukrainian war ends (alliance_rupture).

    python examples/sweep_alliance_rupture.py     # writes examples/output/alliance_rupture_*.png

A12–A13: the relationship "may be ruptured by the end of the Ukrainian war at any time", and
Trump says he will end the war quickly. Russia delivers the technology only while the war goes on,
so North Korea supplies iff (1 − p_end)·tech_value > supply_cost, i.e. p_end < 1 − supply_cost/
tech_value = 2/3. The sweeps show that threshold and how it moves with what the technology is worth
to Kim (A14: "main goal is to establish North Korea as a nuclear country").
"""
import os

from solver import load_game
from solver.analysis.sweep import parse_axis, sweep
from solver.analysis.thresholds import find_thresholds
from solver.present.sweep_plot import plot_sweep
from solver.present.sweep_text import sweep_text
from solver.present.thresholds_text import thresholds_text

HERE = os.path.dirname(os.path.abspath(__file__))
GAME = os.path.join(HERE, "..", "games", "alliance_rupture.yaml")
OUT = os.path.join(HERE, "output")


def main():
    os.makedirs(OUT, exist_ok=True)
    game = load_game(GAME)
    for parameter in ("p_end", "tech_value"):
        print(thresholds_text(find_thresholds(game, parameter, game_path="games/alliance_rupture.yaml"), symbolic=True))
    runs = [
        ("alliance_rupture_p_end.png", ["p_end=0:1:501"]),
        ("alliance_rupture_p_end_vs_tech_value.png", ["p_end=0:1:401", "tech_value=0:10:401"]),
    ]
    for name, params in runs:
        result = sweep(game, [parse_axis(p) for p in params], game_path="games/alliance_rupture.yaml")
        plot_sweep(result, os.path.join(OUT, name))
        print(sweep_text(result))
        print(f"wrote examples/output/{name}\n")


if __name__ == "__main__":
    main()
