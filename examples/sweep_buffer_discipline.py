"""China disciplining its North Korean buffer (buffer_discipline), an inspection game.

    python examples/sweep_buffer_discipline.py    # writes examples/output/buffer_discipline_*.png

The only equilibrium is mixed (scenarios §4): China enforces with probability
g/L = provocation_gain/enforcement_penalty and North Korea provokes with probability
e/(z·b) = enforce_cost/(enforce_efficacy·provocation_damage). The sweeps show what the article's
claims imply:
- enforcement_penalty (A18–A20: North Korea "cannot survive" without China's food and trade): the
  harsher China's penalty, the less often China needs to enforce;
- enforce_cost (A10: squeezing its buffer costs China) against provocation_gain (A14): once
  enforcing costs China more than the damage it prevents (e > z·b = 3), China stays lax and North
  Korea provokes.
"""
import os

from solver import load_game
from solver.analysis.sweep import parse_axis, sweep
from solver.analysis.thresholds import find_thresholds
from solver.present.sweep_plot import plot_sweep
from solver.present.sweep_text import sweep_text
from solver.present.thresholds_text import thresholds_text

HERE = os.path.dirname(os.path.abspath(__file__))
GAME = os.path.join(HERE, "..", "games", "buffer_discipline.yaml")
OUT = os.path.join(HERE, "output")


def main():
    os.makedirs(OUT, exist_ok=True)
    game = load_game(GAME)
    for parameter in ("enforce_cost", "enforcement_penalty"):
        print(thresholds_text(find_thresholds(game, parameter, game_path="games/buffer_discipline.yaml")))
    runs = [
        ("buffer_discipline_enforcement_penalty.png", ["enforcement_penalty=0:20:401"]),
        ("buffer_discipline_enforce_cost.png", ["enforce_cost=0:5:401"]),
        ("buffer_discipline_cost_vs_gain.png", ["enforce_cost=0:5:301", "provocation_gain=0:10:301"]),
    ]
    for name, params in runs:
        result = sweep(game, [parse_axis(p) for p in params], game_path="games/buffer_discipline.yaml")
        plot_sweep(result, os.path.join(OUT, name))
        print(sweep_text(result))
        print(f"wrote examples/output/{name}\n")


if __name__ == "__main__":
    main()
