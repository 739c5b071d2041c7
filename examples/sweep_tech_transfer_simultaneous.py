"""The same scenario when nobody sees the others' moves (tech_transfer_simultaneous).

    python examples/sweep_tech_transfer_simultaneous.py   # writes examples/output/tech_transfer_simultaneous_*.png

The lesson of the article's claim A6 in game form: China's leverage works only when China can see
Russia's move and respond to it. In the sequential game Russia transfers iff
ammo_gain > china_squeeze; here (Transfer, Enable, Deter) is the equilibrium for every positive
ammo_gain, whatever China's squeeze, and the only threshold is the US's: it deters iff
deter_cost < deter_efficacy·nk_threat = 4.
"""
import os

from solver import load_game
from solver.analysis.sweep import parse_axis, sweep
from solver.analysis.thresholds import find_thresholds
from solver.present.sweep_plot import plot_sweep
from solver.present.sweep_text import sweep_text
from solver.present.thresholds_text import thresholds_text

HERE = os.path.dirname(os.path.abspath(__file__))
GAME = os.path.join(HERE, "..", "games", "tech_transfer_simultaneous.yaml")
OUT = os.path.join(HERE, "output")


def main():
    os.makedirs(OUT, exist_ok=True)
    game = load_game(GAME)
    for parameter in ("ammo_gain", "china_squeeze", "deter_cost"):
        print(thresholds_text(find_thresholds(game, parameter, game_path="games/tech_transfer_simultaneous.yaml")))
    runs = [
        ("tech_transfer_simultaneous_ammo_vs_squeeze.png", ["ammo_gain=0:10:401", "china_squeeze=0:10:401"]),
        ("tech_transfer_simultaneous_deter_cost.png", ["deter_cost=0:10:501"]),
    ]
    for name, params in runs:
        result = sweep(game, [parse_axis(p) for p in params], game_path="games/tech_transfer_simultaneous.yaml")
        plot_sweep(result, os.path.join(OUT, name))
        print(sweep_text(result))
        print(f"wrote examples/output/{name}\n")


if __name__ == "__main__":
    main()
