"""Immutable results of ``solve``, shared by every presenter.

A :class:`Solution` is an algorithm's verified :class:`~solver.equilibria.result.AlgorithmResult`
put in the game's own names: strategies keyed by player and strategy (or decision point and move),
payoffs, paths. ``Solution.to_dict()`` is the JSON contract of ``docs/game-format.md``; every
presenter (text, markdown, JSON, HTML) reads the same ``Solution``. Notes stay structured
(:class:`~solver.equilibria.result.Note`) until a presenter asks for their words.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from solver.core.numbers import Number, as_json_number, format_number
from solver.equilibria.result import Family, Note

__all__ = ["Equilibrium", "Solution", "as_json_number", "format_number", "family_text"]


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium.

    ``strategies``: for a normal form, player → {strategy: probability}; for a tree, player →
    {decision point: {move: probability}}. ``path`` (trees only): outcome → probability of reaching it.
    ``approximate``: the method could not make it exact; ``regret`` is its measured regret.
    ``notes``: structured remarks, e.g. the threats of a Nash equilibrium that is not subgame perfect.
    """
    strategies: Mapping[str, Mapping[str, Any]]
    payoffs: Mapping[str, Number]
    pure: bool
    regret: Number = 0
    exact: bool = True
    path: tuple[tuple[str, Number], ...] | None = None
    subgame_perfect: bool | None = None
    notes: tuple[Note, ...] = ()
    label: str = ""           # e.g. the reduced-normal-form strategy names of a pure profile
    approximate: bool = False

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
        if self.approximate:
            out["approximate"] = True
        if self.notes:
            out["notes"] = [n.text() for n in self.notes]
        return out


def family_text(family: Family) -> str:
    """Words for a component of a two-player game, whose extreme points are listed equilibria
    (counted from 1, as presenters number them)."""
    numbers = [str(i + 1) for i in family.members]
    listed = ", ".join(numbers[:-1]) + " and " + numbers[-1]
    return f"a continuum of equilibria connecting equilibria {listed}, its extreme points"


@dataclass(frozen=True)
class Solution:
    title: str
    form: str                            # "normal" | "sequential"
    players: tuple[str, ...]
    parameters: Mapping[str, Number]
    concept: str                         # "nash" | "subgame-perfect"
    method: str                          # how the method is named in reports
    complete: bool
    equilibria: tuple[Equilibrium, ...]
    components: tuple[Family, ...] = ()  # components spanned by listed equilibria (``members``)
    notes: tuple[Note, ...] = ()
    value: Number | None = None          # zero-sum games: the value for the first player
    families: tuple[Family, ...] = ()    # continua known only through sample points (3+ players)
    method_name: str = ""                # the registry name ("enumerate", ...)
    method_parameters: Mapping[str, Any] = field(default_factory=dict)
    strategy_names: tuple = ()           # per player, the strategies family indices refer to
    game: Any = field(default=None, compare=False, repr=False)

    def note_texts(self) -> list[str]:
        return [n.text() for n in self.notes]

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
            out["components"] = [{"equilibria": list(c.members), "description": family_text(c)} for c in self.components]
        named = [f for f in self.families if not f.where and self.strategy_names]
        if named:
            out["families"] = [self._family_dict(f, exact) for f in named]
        if self.value is not None:
            out["value"] = as_json_number(self.value, exact)
        if self.notes:
            out["notes"] = self.note_texts()
        return out

    def _family_dict(self, family: Family, exact: bool) -> dict:
        """A continuum in the game's names: who mixes over what, and the points of it that were found."""
        names = self.strategy_names
        return {
            "dimension": family.dimension,
            "support": {p: [names[i][k] for k in family.support[i]] for i, p in enumerate(self.players)},
            "varying": [self.players[i] for i in family.varying],
            "points": [{p: {names[i][k]: as_json_number(v, exact) for k, v in enumerate(point[i])}
                        for i, p in enumerate(self.players)} for point in family.extreme_points],
            "all_extreme_points": family.all_extreme,
        }
