"""The one result type every algorithm returns.

An algorithm is a pure function from a numeric game (and a deadline) to an
:class:`AlgorithmResult`: the profiles it found (index-based, see :mod:`solver.core.profiles`),
whether that list is provably complete, the method and its parameters, the families (continua) of
equilibria as structured data, and notes as structured items that presenters turn into words.

When its deadline passes, an algorithm returns what it has with ``complete=False`` and a
``deadline`` note; no algorithm-specific timeout exception reaches the caller. An approximate
method either polishes its answer to an exact equilibrium or sets ``approximate=True`` and reports
each profile's measured regret in ``regrets``.

>>> result = AlgorithmResult("pure", profiles=(((1, 0), (0, 1)),), complete=False,
...                          notes=(Note(ONLY_PURE),))
>>> result.notes[0].text()
'only pure-strategy equilibria were searched; mixed equilibria may exist'
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Mapping

from solver.core.numbers import Number, format_number

# ---- note codes: a stable identifier each, with the words presenters use ---------------------
DEADLINE = "deadline"
ONLY_PURE = "only-pure"
ONE_EQUILIBRIUM = "one-equilibrium"
CONSTANT_SUM = "constant-sum"
AUTO_CHOICE = "auto-choice"
LIMIT = "limit"
TIES = "ties"
FAMILY = "family"
SUBGAME = "subgame"
APPROXIMATE = "approximate"
REJECTED = "rejected"
INFO = "info"

#: Words for the codes whose sentence does not depend on the data; others carry a ``message``.
NOTE_TEXT = {
    DEADLINE: "stopped by the time limit: the list may miss equilibria",
    ONLY_PURE: "only pure-strategy equilibria were searched; mixed equilibria may exist",
    CONSTANT_SUM: "a constant-sum game: every equilibrium gives the same payoffs (the value of the game)",
    APPROXIMATE: "the equilibrium is approximate: its regret {regret} is above the exactness tolerance",
    REJECTED: "{count} profile(s) the method returned failed the equilibrium check (regret up to {regret}) "
              "and were left out",
}


@dataclass(frozen=True)
class Note:
    """A structured remark: ``code`` says what kind; ``data`` holds the values behind the words.

    ``message`` is an optional ready sentence for codes whose wording is specific to one
    algorithm; ``text()`` fills ``NOTE_TEXT[code]`` (or ``message``) with ``data``.
    """
    code: str
    message: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "data", MappingProxyType(dict(self.data)))

    def __hash__(self):
        return hash((self.code, self.message))

    def text(self) -> str:
        template = self.message or NOTE_TEXT.get(self.code, self.code)
        if not self.data:
            return template
        return template.format(**{k: format_number(v) if isinstance(v, (Fraction, float)) else v
                                  for k, v in self.data.items()})


@dataclass(frozen=True)
class Family:
    """A set of equilibria that is not finite (a continuum), as data.

    ``support``: per player, the strategies with positive probability somewhere in the family.
    ``varying``: the players whose mixtures vary across the family (the others' are fixed).
    ``extreme_points``: for a polytope (a component of a two-player game) its vertices; for a curved
    N-player family, the points of its boundary that the algorithm found (``all_extreme=False``).
    ``members``: indices into the result's ``profiles`` of the listed equilibria inside the family.
    ``dimension``: the family's dimension (``None`` if unknown).
    """
    support: tuple[tuple[int, ...], ...]
    varying: tuple[int, ...]
    extreme_points: tuple = ()
    members: tuple[int, ...] = ()
    dimension: int | None = None
    all_extreme: bool = True
    where: str = ""                  # for a subgame's family: the node id of the subgame's root


@dataclass(frozen=True)
class AlgorithmResult:
    """What every algorithm returns; see the module docstring.

    ``profiles``: mixed profiles (normal form) or behaviour profiles (trees), index-based.
    ``payoffs``: each profile's expected payoff vector where the algorithm computed it (trees).
    ``regrets``: each profile's measured regret, set by approximate methods and by verification.
    ``value``: the value of a constant-sum game, when known.
    """
    method: str
    profiles: tuple = ()
    complete: bool = False
    label: str = ""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    families: tuple[Family, ...] = ()
    notes: tuple[Note, ...] = ()
    approximate: bool = False
    regrets: tuple = ()
    payoffs: tuple = ()
    value: Number | None = None

    def __post_init__(self):
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "profiles", tuple(self.profiles))
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(self, "families", tuple(self.families))
        if not self.label:
            object.__setattr__(self, "label", self.method)

    def with_changes(self, **changes) -> "AlgorithmResult":
        """A copy with some fields replaced (the result itself is immutable)."""
        return replace(self, **changes)

    def has_note(self, code: str) -> bool:
        return any(n.code == code for n in self.notes)

    def __hash__(self):
        return hash((self.method, self.complete, len(self.profiles)))
