"""US–China assurance over the peninsula (peninsula_stability), a stag hunt.

    python examples/sweep_peninsula_stability.py  # writes examples/output/peninsula_stability_*.png

The article (A23–A24) says the stake in stability is "much higher" than in Ukraine or the Middle
East. In the game, mutual cooperation is an equilibrium iff S > e + τ
(stability_gain > competitive_edge + cooperation_cost); then there are three equilibria, and in the
mixed one each side cooperates with probability (e + x)/(S − τ + x): the larger the stake, the
less assurance each side needs before cooperating.
"""
import os

from solver import load_game
from solver.analysis.sweep import parse_axis, sweep
from solver.analysis.thresholds import find_thresholds
from solver.present.sweep_plot import plot_sweep
from solver.present.sweep_text import sweep_text
from solver.present.thresholds_text import thresholds_text

HERE = os.path.dirname(os.path.abspath(__file__))
GAME = os.path.join(HERE, "..", "games", "peninsula_stability.yaml")
OUT = os.path.join(HERE, "output")


def main():
    os.makedirs(OUT, exist_ok=True)
    game = load_game(GAME)
    for parameter in ("stability_gain", "competitive_edge"):
        print(thresholds_text(find_thresholds(game, parameter, game_path="games/peninsula_stability.yaml"), symbolic=True))
    runs = [
        ("peninsula_stability_stability_gain.png", ["stability_gain=0:10:501"]),
        ("peninsula_stability_gain_vs_edge.png", ["stability_gain=0:10:401", "competitive_edge=0:10:401"]),
    ]
    for name, params in runs:
        result = sweep(game, [parse_axis(p) for p in params], game_path="games/peninsula_stability.yaml")
        plot_sweep(result, os.path.join(OUT, name))
        print(sweep_text(result))
        print(f"wrote examples/output/{name}\n")


if __name__ == "__main__":
    main()
