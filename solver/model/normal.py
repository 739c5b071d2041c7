"""The normal-form (strategic-form) game: N players, their strategies, and a payoff tensor.

Modelled on QuantEcon's ``game_theory.NormalFormGame``: the payoff tensor has shape
``(N, n_1, ..., n_N)`` and ``is_nash`` is built in. Entries are sympy expressions while the game
still depends on parameters, exact ``Fraction`` objects once evaluated, or float64.

>>> from fractions import Fraction
>>> game = NormalFormGame.from_arrays(["Row", "Column"], [["up", "down"], ["left", "right"]],
...                                   [[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
>>> game.shape
(2, 2)
>>> game.is_nash([[0, 1], [0, 1]])
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np
import sympy

from solver.core.limits import scale_problem
from solver.core.numbers import is_exact_array
from solver.core.regret import is_nash
from solver.model.expr import ExpressionError, evaluate_array, to_exact, undefined_reason


@dataclass(frozen=True)
class Parameter:
    """A named payoff parameter with its default value and documentation."""
    name: str
    value: object                      # sympy number (exact)
    range: tuple | None = None         # (low, high) sympy numbers
    description: str = ""
    source: str = ""
    distribution: str = ""             # what is believed about it, e.g. "triangular(2, 4, 8)" (solve robustness)
    distribution_line: int = 0         # where the file writes it, for error messages


@dataclass(frozen=True)
class Origin:
    """Where an expression of a game file was written, as written: for error messages."""
    expression: object                 # the sympy expression
    text: str                          # as written in the file
    path: str
    line: int
    key: str


@dataclass(frozen=True)
class GameInfo:
    """What a game is about, shown in reports; not used by the solvers. ``origins``: where the
    file wrote each expression that depends on parameters (for error messages)."""
    title: str = ""
    description: str = ""
    source: str = ""
    parameters: tuple[Parameter, ...] = ()
    path: str = ""
    origins: tuple[Origin, ...] = field(default=(), compare=False, repr=False)

    @property
    def defaults(self) -> dict[str, object]:
        return {p.name: p.value for p in self.parameters}

    def undefined_origin(self, values: Mapping[str, object] | None = None) -> tuple[Origin, str] | None:
        """The first expression the file wrote that has no finite real value at ``values`` (the
        defaults where not given), with the reason; ``None`` when there is none."""
        merged = {**self.defaults, **(values or {})}
        for origin in self.origins:
            reason = undefined_reason(origin.expression, merged)
            if reason:
                return origin, reason
        return None


def check_scale(values: np.ndarray, what: str) -> None:
    """Exact values that cannot be scaled to integers within range together (see
    :func:`solver.core.limits.scale_problem`) raise ``ExpressionError``."""
    if values.dtype == object:
        problem = scale_problem(values.flat)
        if problem:
            raise ExpressionError(f"the {what} span too many orders of magnitude: {problem}")


def read_only(array: np.ndarray) -> np.ndarray:
    array = np.array(array, copy=True)
    array.setflags(write=False)
    return array


def as_exact_array(values) -> np.ndarray:
    """An object array of ``Fraction`` (from ints, Fractions, or sympy rationals)."""
    array = np.asarray(values, dtype=object)
    out = np.empty(array.shape, dtype=object)
    for index, v in np.ndenumerate(array):
        out[index] = to_exact(v) if not isinstance(v, float) else Fraction(v)
    return out


class Players:
    """What every game model shares: its players and its information (``info.title``)."""
    players: tuple[str, ...]
    info: GameInfo

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def num_players(self) -> int:
        return len(self.players)


@dataclass(frozen=True)
class NormalFormGame(Players):
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray                 # shape (N, n_1, ..., n_N); read-only
    info: GameInfo = field(default_factory=GameInfo)

    def __post_init__(self):
        shape = tuple(len(s) for s in self.strategies)
        if self.payoffs.shape != (len(self.players),) + shape:
            raise ValueError(f"payoff tensor has shape {self.payoffs.shape}, expected {(len(self.players),) + shape}")
        if self.payoffs.flags.writeable:
            object.__setattr__(self, "payoffs", read_only(self.payoffs))

    @classmethod
    def from_arrays(cls, players, strategies, payoffs, info: GameInfo | None = None) -> "NormalFormGame":
        """Build from nested lists; ints and Fractions stay exact, floats stay floats."""
        array = np.asarray(payoffs, dtype=object)
        if all(isinstance(v, (int, Fraction)) for v in array.flat):
            array = as_exact_array(array)
        elif all(isinstance(v, (int, float, Fraction)) for v in array.flat):
            array = np.asarray(payoffs, dtype=float)
        return cls(tuple(players), tuple(tuple(s) for s in strategies), array, info or GameInfo())

    @property
    def shape(self) -> tuple[int, ...]:
        return self.payoffs.shape[1:]

    @property
    def is_symbolic(self) -> bool:
        return self.payoffs.dtype == object and any(isinstance(v, sympy.Basic) for v in self.payoffs.flat)

    @property
    def is_exact(self) -> bool:
        return is_exact_array(self.payoffs)

    def evaluated(self, values: Mapping[str, object] | None = None) -> "NormalFormGame":
        """The same game with every payoff a number (exact ``Fraction`` where rational)."""
        if not self.is_symbolic:
            return self
        merged = {**self.info.defaults, **(values or {})}
        payoffs = evaluate_array(self.payoffs, merged)
        check_scale(payoffs, "payoffs")
        return NormalFormGame(self.players, self.strategies, payoffs, self.info)

    def float_payoffs(self) -> np.ndarray:
        return np.asarray(self.evaluated().payoffs, dtype=float)

    def is_nash(self, profile: Sequence[Sequence], tolerance: float | None = None) -> bool:
        """Whether the mixed ``profile`` (a probability vector per player) is a Nash equilibrium."""
        game = self.evaluated()
        if game.is_exact:
            vectors = [np.array([Fraction(v) if not isinstance(v, float) else Fraction(v) for v in p], dtype=object)
                       for p in profile]
        else:
            vectors = [np.array([float(Fraction(v)) if isinstance(v, str) else float(v) for v in p]) for p in profile]
        return is_nash(game.payoffs, vectors, tolerance)

    def strategy_index(self, player: int, name: str) -> int:
        return self.strategies[player].index(name)
