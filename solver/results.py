"""Immutable results of ``solve``, shared by every presenter.

A :class:`Solution` is an algorithm's verified :class:`~solver.equilibria.result.AlgorithmResult`
put in the game's own names: strategies keyed by player and strategy (or decision point and move),
payoffs, paths. ``Solution.to_dict()`` is the JSON contract of ``docs/game-format.md``; every
presenter (text, markdown, JSON, HTML) reads the same ``Solution``. Notes stay structured
(:class:`~solver.equilibria.result.Note`) until a presenter asks for their words.
"""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from solver.core.numbers import Number, as_json_number, format_number
from solver.equilibria.result import DEADLINE, LIMIT, TIES, Family, Note

__all__ = ["Equilibrium", "Solution", "as_json_number", "format_number", "family_text", "COMPLETENESS",
           "FINITE", "COMPONENTS", "FAMILIES", "PURE_WITH_TIES", "SUBGAME_EXTREMES", "PURE_ONLY", "INCOMPLETE"]

# ---- what the list of equilibria covers (``Solution.completeness``) ---------------------------
FINITE = "finite-complete"
COMPONENTS = "extreme-and-components"
FAMILIES = "isolated-and-families"
PURE_WITH_TIES = "pure-with-ties"
SUBGAME_EXTREMES = "subgame-extremes"
PURE_ONLY = "pure-only"
INCOMPLETE = "incomplete"
#: Every completeness code and what it means (``docs/game-format.md`` documents the same).
COMPLETENESS = {
    FINITE: "the game has finitely many equilibria of the concept and every one is listed",
    COMPONENTS: "every extreme equilibrium is listed; every other equilibrium lies in one of the components "
                "(each the union of maximal Nash subsets: every mixture of the listed equilibria of one subset "
                "is an equilibrium)",
    FAMILIES: "the search was complete, and the game also has continua of equilibria (families) of which only "
              "some points are listed",
    PURE_WITH_TIES: "every pure subgame-perfect equilibrium is listed; a player is indifferent somewhere, so "
                    "mixtures of the tied moves are subgame perfect too (infinitely many)",
    SUBGAME_EXTREMES: "every subgame-perfect equilibrium that combines extreme equilibria of the subgames is "
                      "listed; a subgame whose equilibria form a continuum would give more",
    PURE_ONLY: "every pure equilibrium is listed; mixed equilibria were not searched",
    INCOMPLETE: "the search was cut short or finds only some equilibria: others may exist",
}


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
    #: ``--concept pbe``: beliefs, belief conditions, classification and refinements (JSON-ready
    #: but for exact numbers), from :func:`solver.equilibria.refinements.assessment_record`.
    assessment: Mapping[str, Any] | None = None
    #: Trees through the reduced normal form: how many of its extreme equilibria give this one
    #: behaviour profile (realization-equivalent mixtures are listed once).
    extreme_points: int = 1

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
        if self.extreme_points > 1:
            out["extreme_points"] = self.extreme_points
        if self.notes:
            out["notes"] = [n.text() for n in self.notes]
        if self.assessment is not None:
            out.update(_numbers_as_json(self.assessment, exact and self.exact))
        return out


def _numbers_as_json(value, exact: bool):
    """A PBE's record with its numbers as JSON numbers (fraction strings when ``exact``)."""
    if isinstance(value, Mapping):
        return {k: _numbers_as_json(v, exact) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_numbers_as_json(v, exact) for v in value]
    return as_json_number(value, exact) if isinstance(value, (int, float, Fraction)) and not isinstance(value, bool) else value



#: The notebook view of a Solution, ``"module:function"`` (a presenter, imported when first shown).
HTML_VIEW = "solver.present.html:solution_html"


def _frame_row(equilibrium: Equilibrium, players, exact: bool) -> dict:
    def value(v):
        return Fraction(v) if exact and isinstance(v, (int, Fraction)) else float(v)
    row = {}
    for player in players:
        for name, probability in equilibrium.strategies[player].items():
            if isinstance(probability, Mapping):          # a tree: decision point -> move -> probability
                row.update({f"{player}: {name}: {move}": value(q) for move, q in probability.items()})
            else:
                row[f"{player}: {name}"] = value(probability)
    row.update({f"payoff: {p}": value(equilibrium.payoffs[p]) for p in players})
    row["pure"] = equilibrium.pure
    if equilibrium.subgame_perfect is not None:
        row["subgame_perfect"] = equilibrium.subgame_perfect
    row["regret"] = value(equilibrium.regret)
    return row


def numbered(indices) -> str:
    """0-based indices as the 1-based numbers every report uses, runs of three or more as a range:
    ``(0, 3, 4)`` → ``"1, 4 and 5"``, ``(6, 7, 8, 9, 11)`` → ``"7–10 and 12"``."""
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    numbers = []
    for run in runs:
        numbers += [f"{run[0] + 1}–{run[-1] + 1}"] if len(run) >= 3 else [str(i + 1) for i in run]
    return numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]


def family_text(family: Family, subsets: tuple[tuple[int, ...], ...] = ()) -> str:
    """Words for a component, whose extreme points are listed equilibria (numbered from 1, as every
    report numbers them), from its maximal Nash subsets ``subsets`` (each a convex set: every mixture
    of its listed equilibria is an equilibrium)."""
    subsets = subsets or (family.members,)
    if len(subsets) == 1:
        return f"equilibria {numbered(subsets[0])} and every mixture of them (all equilibria)"
    pieces = "; ".join(f"equilibria {numbered(s)} and every mixture of them" for s in subsets)
    return (f"equilibria {numbered(family.members)}, joined through shared strategies: the union of "
            f"{len(subsets)} convex sets of equilibria ({pieces})")


@dataclass(frozen=True)
class Solution:
    """The verified equilibria of one game at one set of parameter values, in the game's names.

    ``components``: two-player components (and segments of N-player games) whose extreme points are
    listed equilibria (``Family.members``, 0-based); ``component_subsets``: for each component its
    maximal Nash subsets, each as the listed equilibria that are its vertices (every mixture of
    them is an equilibrium). ``families``: the other continua (only some points known), maximal
    ones only. ``mixtures``: pairs of listed equilibria (0-based) that differ at one decision point
    only, so that every mixture of the two moves there is an equilibrium too. ``extremes_only``:
    the method combines extreme equilibria of subgames and does not report a subgame's continuum.
    ``completeness`` classifies what the list covers (see ``COMPLETENESS``).
    """
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
    component_subsets: tuple[tuple[tuple[int, ...], ...], ...] = ()
    mixtures: tuple[tuple[int, int], ...] = ()
    extremes_only: bool = False

    def note_texts(self) -> list[str]:
        return [n.text() for n in self.notes]

    # ---- in a notebook or script -----------------------------------------------------------
    def __repr__(self) -> str:
        kind = {"subgame-perfect": "subgame-perfect", "perfect-bayesian": "perfect Bayesian",
                "sequential": "sequential"}.get(self.concept, "Nash")
        count = len(self.equilibria)
        return (f"<Solution {self.title!r}: {count} {kind} {'equilibrium' if count == 1 else 'equilibria'} by "
                f"{self.method_name or self.method}; {self.completeness}>")

    def _repr_html_(self) -> str:
        """What a notebook shows: the ``--format markdown`` report, rendered. The presenters sit
        above this layer, so the view is looked up by name when first shown (as the registry does
        with algorithms)."""
        module, function = HTML_VIEW.split(":")
        return getattr(importlib.import_module(module), function)(self)

    def to_json(self, exact: bool = False, indent: int | None = 2) -> str:
        """The JSON contract of ``solve FILE --format json`` (``exact``: fractions as strings)."""
        return json.dumps(self.to_dict(exact), indent=indent, ensure_ascii=False)

    def to_frame(self, exact: bool = False):
        """One row per equilibrium (index: its number, from 1), a column per player and strategy
        (trees: player, decision point and move) with its probability, then each player's payoff,
        whether it is pure, and its regret. Floats unless ``exact`` (then ``Fraction``s). Needs
        pandas (``pip install 'strategy-solver[frame]'``)."""
        try:
            import pandas  # optional: only this method needs it
        except ImportError:
            raise ImportError("Solution.to_frame() needs pandas: pip install pandas "
                              "(or pip install 'strategy-solver[frame]')") from None
        rows = [_frame_row(e, self.players, exact) for e in self.equilibria]
        frame = pandas.DataFrame(rows, index=pandas.RangeIndex(1, len(rows) + 1, name="equilibrium"))
        return frame

    @property
    def method_title(self) -> str:
        """The method as ``--method`` names it, with how it ran: ``"enumerate (vertex-enumeration)"``,
        ``"backward-induction"``, ``"pure on the reduced normal form"``."""
        name, label = self.method_name, self.method
        if not name or label.startswith(name):
            return label or name
        return name if label.replace(" ", "-") == name else f"{name} ({label})"

    def has_note(self, code: str) -> bool:
        return any(n.code == code for n in self.notes)

    @property
    def completeness(self) -> str:
        """What the list of equilibria covers, as one of the ``COMPLETENESS`` codes: computed from
        the structured result (completeness, families, components, notes), never from words."""
        if not self.complete:
            pure = self.method_name == "pure" and not self.has_note(DEADLINE) and not self.has_note(LIMIT)
            return PURE_ONLY if pure else INCOMPLETE
        if self.families or self.mixtures:
            return FAMILIES
        if self.has_note(TIES):
            return PURE_WITH_TIES
        if self.components:
            return COMPONENTS
        return SUBGAME_EXTREMES if self.extremes_only else FINITE

    @property
    def is_finite(self) -> bool:
        """Whether the list is provably every equilibrium of the concept (finitely many)."""
        return self.completeness == FINITE

    def subsets_of(self, component: Family) -> tuple[tuple[int, ...], ...]:
        """The maximal Nash subsets of one of ``components`` (its own members when unknown)."""
        for c, subsets in zip(self.components, self.component_subsets):
            if c is component:
                return subsets
        return (component.members,)

    def to_dict(self, exact: bool = False) -> dict:
        out = {
            "title": self.title,
            "form": self.form,
            "players": list(self.players),
            "parameters": {k: as_json_number(v, exact) for k, v in self.parameters.items()},
            "concept": self.concept,
            "method": self.method_title,
            "complete": self.complete,
            "completeness": self.completeness,
            "method_name": self.method_name,
            "equilibria": [e.to_dict(exact) for e in self.equilibria],
        }
        if self.components:
            out["components"] = [self._component_dict(c, k) for k, c in enumerate(self.components, 1)]
        named = [f for f in self.families if not f.where and self.strategy_names]
        if named:
            out["families"] = [self._family_dict(f, exact) for f in named]
        if self.mixtures:
            out["mixtures"] = [{"equilibria": list(pair), "numbers": [i + 1 for i in pair]} for pair in self.mixtures]
        if self.value is not None:
            out["value"] = as_json_number(self.value, exact)
        if self.notes:
            out["notes"] = self.note_texts()
        return out

    def _component_dict(self, component: Family, number: int) -> dict:
        """A component: ``equilibria`` are 0-based indices into ``equilibria``, ``numbers`` the same
        equilibria numbered from 1 as in every report; likewise for its maximal Nash subsets."""
        subsets = self.subsets_of(component)
        return {"number": number, "equilibria": list(component.members), "numbers": [i + 1 for i in component.members],
                "dimension": component.dimension,
                "maximal_nash_subsets": [{"equilibria": list(s), "numbers": [i + 1 for i in s]} for s in subsets],
                "description": family_text(component, subsets)}

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
            "equilibria": list(family.members),
            "numbers": [i + 1 for i in family.members],
        }
