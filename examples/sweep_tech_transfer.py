"""Sensitivity of the central scenario, tech_transfer, to the parameters the article argues about.

    python examples/sweep_tech_transfer.py        # writes examples/output/tech_transfer_*.png

- ammo_gain (A1, A11: how badly Russia needs North Korea's ammunition) against china_squeeze
  (A6, A18–A20: China's leverage over Russia): Russia transfers iff ammo_gain > china_squeeze.
- deter_cost (A21–A22: what deterrence costs the US): three regimes, with thresholds at
  f·t·(1 − h) = 2 and f·t = 4.
- bloc_cost (A7–A8, A15–A17: what a tighter US bloc costs China) against restraint_cost (A6):
  China enables Russia when the bloc is cheap for it.
- nk_threat (A3–A5) against deter_cost: when the threat is large, deterrence is worth its cost.
"""
import os

from solver import load_game
from solver.analysis.sweep import parse_axis, sweep
from solver.analysis.thresholds import find_thresholds
from solver.present.sweep_plot import plot_sweep
from solver.present.sweep_text import sweep_text
from solver.present.thresholds_text import thresholds_text

HERE = os.path.dirname(os.path.abspath(__file__))
GAME = os.path.join(HERE, "..", "games", "tech_transfer.yaml")
OUT = os.path.join(HERE, "output")


def main():
    os.makedirs(OUT, exist_ok=True)
    game = load_game(GAME)
    for parameter in ("ammo_gain", "deter_cost", "bloc_cost"):
        print(thresholds_text(find_thresholds(game, parameter, game_path="games/tech_transfer.yaml")))
    runs = [
        ("tech_transfer_ammo_gain.png", ["ammo_gain=0:10:501"]),
        ("tech_transfer_deter_cost.png", ["deter_cost=0:10:501"]),
        ("tech_transfer_ammo_vs_squeeze.png", ["ammo_gain=0:10:501", "china_squeeze=0:10:501"]),
        ("tech_transfer_bloc_vs_restraint.png", ["bloc_cost=0:10:401", "restraint_cost=0:10:401"]),
        ("tech_transfer_threat_vs_deter_cost.png", ["nk_threat=0:10:401", "deter_cost=0:10:401"]),
    ]
    for name, params in runs:
        result = sweep(game, [parse_axis(p) for p in params], game_path="games/tech_transfer.yaml")
        plot_sweep(result, os.path.join(OUT, name))
        print(sweep_text(result))
        print(f"wrote examples/output/{name}\n")


if __name__ == "__main__":
    main()
