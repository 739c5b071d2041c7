"""Games → YAML game files in this project's format (``docs/game-format.md``).

:func:`write_yaml` is the inverse of :func:`solver.io.yamlfile.load_yaml_game`: a
``NormalFormGame`` becomes ``strategies`` + ``payoffs`` (one array per player, or nested by
strategies), an ``ExtensiveGame`` an explicit ``tree`` with ``infoset:`` labels on decision nodes
and ``probs:`` at chance nodes. Exact numbers are written as integers or fraction strings
(``"1/3"``), so nothing is rounded; parameters and symbolic payoffs are written as expressions.

Reading the text back gives an equal game. For trees, one thing is not kept: the order of the
information sets, which the reader derives from the tree (first appearance, breadth first).

>>> from solver.model.normal import NormalFormGame
>>> game = NormalFormGame.from_arrays(["Row", "Col"], [["U", "D"], ["L", "R"]],
...                                   [[[1, 0], [0, 1]], [[Fraction(1, 3), 0], [0, 1]]])
>>> print(write_yaml(game, title="Coordination"), end="")
title: Coordination
players: [Row, Col]
strategies:
  Row: [U, D]
  Col: [L, R]
payoffs:
  Row: [[1, 0], [0, 1]]
  Col: [[1/3, 0], [0, 1]]
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import sympy
import yaml
from sympy.printing.str import StrPrinter

from solver.core.limits import exceeded, limit
from solver.io.located import GameFileError
from solver.model.normal import NormalFormGame
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame

__all__ = ["write_yaml"]


class _ExpressionPrinter(StrPrinter):
    """sympy → the expression language of game files (``min``, ``max``, ``abs``, ...)."""

    def _print_Min(self, expr):
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Max(self, expr):
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Abs(self, expr):
        return "abs(" + self._print(expr.args[0]) + ")"

    def _print_Piecewise(self, expr):
        raise ValueError(f"cannot write the conditional expression {expr} to a game file")


def _value(value) -> Any:
    """A number or expression as YAML: int, fraction string, decimal float or expression text."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"cannot write the number {value} to a game file")
        return int(value) if value.is_integer() else value
    if isinstance(value, sympy.Basic):
        if isinstance(value, sympy.Integer):
            return int(value)
        if isinstance(value, sympy.Rational):
            return f"{value.p}/{value.q}"
        if isinstance(value, sympy.Float):
            return float(value)
        return _ExpressionPrinter().doprint(value)
    raise ValueError(f"cannot write {type(value).__name__} {value!r} to a game file")


class _Flow(list):
    """A list written on one line: ``[1, 2]``."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_text(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def _header(game, title: str | None) -> dict:
    info = game.info
    document: dict[str, Any] = {"title": title if title is not None else info.title}
    if info.description:
        document["description"] = info.description
    if info.source:
        document["source"] = info.source
    if "chance" in game.players:
        raise ValueError("a player named 'chance' cannot be written: 'chance' is reserved for chance moves in game files")
    document["players"] = _Flow(game.players)
    if info.parameters:
        parameters = {}
        for p in info.parameters:
            if p.range is None and not p.description and not p.source:
                parameters[p.name] = _value(p.value)
            else:
                entry: dict[str, Any] = {"value": _value(p.value)}
                if p.range is not None:
                    entry["range"] = _Flow([_value(p.range[0]), _value(p.range[1])])
                if p.description:
                    entry["description"] = p.description
                if p.source:
                    entry["source"] = p.source
                parameters[p.name] = entry
        document["parameters"] = parameters
    return document


def _nested_ambiguous(game: NormalFormGame) -> bool:
    """Whether a nested payoff mapping would be read as one array per player (layout b)."""
    first = set(game.strategies[0])
    return bool(first) and first <= set(game.players)


def _normal_form(game: NormalFormGame, document: dict, layout: str) -> dict:
    document["strategies"] = {p: _Flow(s) for p, s in zip(game.players, game.strategies)}
    if layout == "nested" and not _nested_ambiguous(game):
        def nest(axis: int, index: tuple):
            if axis == game.num_players:
                return _Flow(_value(game.payoffs[(i,) + index]) for i in range(game.num_players))
            return {s: nest(axis + 1, index + (k,)) for k, s in enumerate(game.strategies[axis])}
        document["payoffs"] = nest(0, ())
    else:
        def array(tensor):
            if tensor.ndim == 1:
                return _Flow(_value(v) for v in tensor)
            if tensor.ndim == 2:
                return _Flow(_Flow(_value(v) for v in row) for row in tensor)
            return [array(t) for t in tensor]
        document["payoffs"] = {p: array(np.asarray(game.payoffs[i], dtype=object)) for i, p in enumerate(game.players)}
    return document


def _tree(game: ExtensiveGame, document: dict) -> dict:
    defaults = game.default_node_ids()
    named: dict[str, int] = {}
    for node in range(game.num_nodes):
        if game.node_ids[node] != defaults[node]:
            named[game.node_ids[node]] = named.get(game.node_ids[node], 0) + 1
    labels = [s.label for s in game.infosets]
    if len(set(labels)) < len(labels):
        duplicate = next(label for label in labels if labels.count(label) > 1)
        raise ValueError(f"two information sets share the label '{duplicate}'; a game file could not tell them apart")

    def node(n: int) -> dict:
        spec: dict[str, Any] = {}
        ident = game.node_ids[n]
        if ident != defaults[n] and named[ident] == 1:
            spec["name"] = ident
        kind = int(game.node_player[n])
        if kind == TERMINAL:
            spec["payoffs"] = _Flow(_value(v) for v in game.leaf_payoffs[n])
            if game.outcomes[n]:
                spec["outcome"] = game.outcomes[n]
            return spec
        children = list(game.children(n))
        moves = game.node_moves[n]
        if len(set(moves)) < len(moves):
            raise ValueError(f"node '{ident}' has two moves with one label; a game file could not tell them apart")
        if kind == CHANCE:
            spec["player"] = "chance"
            spec["probs"] = {m: _value(game.chance_probs[c]) for m, c in zip(moves, children)}
        else:
            spec["player"] = game.players[kind]
            spec["infoset"] = game.infosets[int(game.node_infoset[n])].label
        if any(v != 0 for v in game.leaf_payoffs[n]):
            spec["payoffs"] = _Flow(_value(v) for v in game.leaf_payoffs[n])
        spec["moves"] = {m: node(c) for m, c in zip(moves, children)}
        return spec

    document["tree"] = node(0)
    return document


def write_yaml(game, *, layout: str = "arrays", title: str | None = None) -> str:
    """The text of a YAML game file describing ``game`` (a NormalFormGame or ExtensiveGame).

    ``layout`` chooses the normal-form payoffs: ``"arrays"`` (one array per player, the default)
    or ``"nested"`` (strategy by strategy; falls back to arrays when player 1's strategy names
    are player names, which the reader would take for arrays). ``title`` overrides the game's.
    """
    if layout not in ("arrays", "nested"):
        raise ValueError(f"layout must be 'arrays' or 'nested', not {layout!r}")
    if isinstance(game, ExtensiveGame) and game.num_nodes and 2 * int(game.depth.max()) + 4 > limit("MAX_YAML_DEPTH"):
        raise GameFileError(game.info.path or "<game>", None, "", exceeded(
            "MAX_YAML_DEPTH", f"the tree is {int(game.depth.max())} moves deep, too deep to write as YAML (each move nests "
                              f"2 levels); write it as .efg instead"))
    document = _header(game, title)
    if isinstance(game, NormalFormGame):
        document = _normal_form(game, document, layout)
    elif isinstance(game, ExtensiveGame):
        document = _tree(game, document)
    else:
        raise TypeError(f"expected a NormalFormGame or an ExtensiveGame, got {type(game).__name__}")
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
