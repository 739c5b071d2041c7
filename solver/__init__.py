"""Game-theoretic scenario solver: exact equilibria, sweeps and explanations for game files.

>>> from solver import load_game, solve
>>> solution = solve(load_game("games/tech_transfer.yaml"))
>>> solution.equilibria[0].path
(('Withhold → Enable → Engage', Fraction(1, 1)),)
"""
from solver.api import load_game, solve
from solver.results import Equilibrium, Solution

__all__ = ["load_game", "solve", "Equilibrium", "Solution"]
