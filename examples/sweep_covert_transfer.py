"""A covert transfer the US sees only through intelligence signals (covert_transfer).

    python examples/sweep_covert_transfer.py      # writes examples/output/covert_transfer_*.png

With imperfect information the equilibrium is mixed in behaviour strategies, and each point is
solved by the single-point solver (in a process pool), so these grids are coarser. The sweeps ask
how the outcome depends on what the article argues about: the cost of deterring (A21: "keeping …
contact with China"), and the quality of US intelligence (q_detect, false_alarm), which decides
how much an alarm tells the US.
"""
import os

from solver import load_game
from solver.analysis.sweep import parse_axis, sweep
from solver.analysis.thresholds import find_thresholds
from solver.present.progress import ProgressBar
from solver.present.sweep_plot import plot_sweep
from solver.present.sweep_text import sweep_text
from solver.present.thresholds_text import thresholds_text

HERE = os.path.dirname(os.path.abspath(__file__))
GAME = os.path.join(HERE, "..", "games", "covert_transfer.yaml")
OUT = os.path.join(HERE, "output")


def main():
    os.makedirs(OUT, exist_ok=True)
    game = load_game(GAME)
    for parameter in ("deter_cost", "q_detect"):
        print(thresholds_text(find_thresholds(game, parameter, game_path="games/covert_transfer.yaml")))
    runs = [
        ("covert_transfer_deter_cost.png", ["deter_cost=0:10:101"]),
        ("covert_transfer_q_detect.png", ["q_detect=0:1:101"]),
        ("covert_transfer_detect_vs_false_alarm.png", ["q_detect=0:1:31", "false_alarm=0:1:31"]),
    ]
    for name, params in runs:
        result = sweep(game, [parse_axis(p) for p in params], game_path="games/covert_transfer.yaml",
                       progress=ProgressBar())
        plot_sweep(result, os.path.join(OUT, name))
        print(sweep_text(result))
        print(f"wrote examples/output/{name}\n")


if __name__ == "__main__":
    main()
