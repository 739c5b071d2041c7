"""Immutable results shared by every solver and presenter.

``Solution.to_dict()`` is the JSON contract of ``docs/game-format.md``: every presenter (text,
markdown, JSON, HTML) reads the same ``Solution``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

Number = Any   # Fraction (exact) or float


def as_json_number(value: Number, exact: bool):
    """Fractions become ``"2/3"`` strings when ``exact``; otherwise JSON numbers."""
    if isinstance(value, Fraction) or isinstance(value, int):
        value = Fraction(value)
        if exact:
            return str(value)
        return int(value) if value.denominator == 1 else float(value)
    value = float(value)
    return value


def format_number(value: Number, digits: int = 4) -> str:
    """For people: exact fractions as ``2/3``, floats rounded, ``-0`` shown as ``0``."""
    if isinstance(value, (Fraction, int)):
        return str(Fraction(value))
    text = f"{float(value):.{digits}g}"
    return "0" if text in ("-0", "0") else text


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium.

    ``strategies``: for a normal form, player → {strategy: probability}; for a tree, player →
    {decision point: {move: probability}}. ``path`` (trees only): outcome → probability of reaching it.
    """
    strategies: Mapping[str, Mapping[str, Any]]
    payoffs: Mapping[str, Number]
    pure: bool
    regret: Number = 0
    exact: bool = True
    path: tuple[tuple[str, Number], ...] | None = None
    subgame_perfect: bool | None = None
    notes: tuple[str, ...] = ()
    label: str = ""           # e.g. the reduced-normal-form strategy names of a pure profile

    def to_dict(self, exact: bool = False) -> dict:
        def convert(v):
            if isinstance(v, Mapping):
                return {k: convert(x) for k, x in v.items()}
            return as_json_number(v, exact and self.exact)
        out = {
            "strategies": convert(self.strategies),
            "payoffs": convert(self.payoffs),
            "pure": self.pure,
        }
        if self.path is not None:
            out["path"] = [{"outcome": o, "probability": as_json_number(p, exact and self.exact)} for o, p in self.path]
        if self.subgame_perfect is not None:
            out["subgame_perfect"] = self.subgame_perfect
        out["regret"] = as_json_number(self.regret, exact and self.exact)
        if self.notes:
            out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True)
class Component:
    """A maximal connected set of equilibria (degenerate games): indices into ``equilibria``."""
    members: tuple[int, ...]
    description: str = ""


@dataclass(frozen=True)
class Solution:
    title: str
    form: str                            # "normal" | "sequential"
    players: tuple[str, ...]
    parameters: Mapping[str, Number]
    concept: str                         # "nash" | "subgame-perfect"
    method: str
    complete: bool
    equilibria: tuple[Equilibrium, ...]
    components: tuple[Component, ...] = ()
    notes: tuple[str, ...] = ()
    value: Number | None = None          # zero-sum games: the value for the first player
    game: Any = field(default=None, compare=False, repr=False)

    def to_dict(self, exact: bool = False) -> dict:
        out = {
            "title": self.title,
            "form": self.form,
            "players": list(self.players),
            "parameters": {k: as_json_number(v, exact) for k, v in self.parameters.items()},
            "concept": self.concept,
            "method": self.method,
            "complete": self.complete,
            "equilibria": [e.to_dict(exact) for e in self.equilibria],
        }
        if self.components:
            out["components"] = [{"equilibria": list(c.members), **({"description": c.description} if c.description else {})}
                                 for c in self.components]
        if self.value is not None:
            out["value"] = as_json_number(self.value, exact)
        if self.notes:
            out["notes"] = list(self.notes)
        return out
