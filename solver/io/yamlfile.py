"""YAML game files → immutable game objects, with errors that name the file, line and key.

The format is specified in ``docs/game-format.md``. Three bodies are read: a normal form
(``strategies`` + ``payoffs``, in either layout), an explicit ``tree``, and ``stages`` + ``payoffs``
(unfolded into a tree, or into a normal form when ``timing: simultaneous``).

YAML is composed into nodes first, so every value keeps its line; nothing is constructed with
tags, and duplicate keys are errors rather than silently overwritten.
"""
from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy
import yaml

from solver.model.expr import ExpressionError, number, parse_expression, symbol
from solver.model.normal import GameInfo, NormalFormGame, Parameter
from solver.model.tree import Chance, Decision, Terminal, build_tree

TOP_LEVEL_KEYS = ("title", "description", "source", "players", "parameters", "extends",
                  "strategies", "payoffs", "tree", "stages", "timing")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class GameFileError(ValueError):
    """A problem in a game file, reported as ``FILE:LINE: KEY.PATH: message``."""

    def __init__(self, path: str, line: int | None, key: str, message: str):
        self.path, self.line, self.key, self.message = path, line, key, message
        location = f"{path}:{line}" if line else path
        super().__init__(f"{location}: {key}: {message}" if key else f"{location}: {message}")


@dataclass
class Located:
    """A YAML value with its line (1-based) and key path."""
    value: Any
    line: int
    key: str


class _Reader:
    """Walks composed YAML nodes, keeping line numbers, and raises GameFileError."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, where: Located | None, message: str, key: str | None = None):
        raise GameFileError(self.path, where.line if where else None, key if key is not None else (where.key if where else ""), message)

    def compose(self, text: str):
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = (error.problem or "invalid YAML").strip()
            raise GameFileError(self.path, mark.line + 1 if mark else None, "", f"YAML syntax error: {problem}") from None
        except yaml.YAMLError as error:
            raise GameFileError(self.path, None, "", f"YAML error: {error}") from None
        if node is None:
            raise GameFileError(self.path, 1, "", "the file is empty; expected a mapping with 'title', 'players' and a game body")
        return self.convert(node, "")

    def convert(self, node, key: str) -> Located:
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Located] = {}
            for k_node, v_node in node.value:
                if not isinstance(k_node, yaml.ScalarNode):
                    raise GameFileError(self.path, k_node.start_mark.line + 1, key, "a key must be a plain name")
                name = k_node.value
                if k_node.tag == "tag:yaml.org,2002:merge":
                    raise GameFileError(self.path, k_node.start_mark.line + 1, key, "YAML merge keys ('<<') are not supported")
                child_key = f"{key}.{name}" if key else name
                if name in result:
                    raise GameFileError(self.path, k_node.start_mark.line + 1, child_key,
                                        f"duplicate key '{name}' (first given on line {result[name].line})")
                result[name] = self.convert(v_node, child_key)
            return Located(result, line, key)
        if isinstance(node, yaml.SequenceNode):
            return Located([self.convert(v, f"{key}[{i}]") for i, v in enumerate(node.value)], line, key)
        if node.tag.startswith("tag:yaml.org,2002:") or node.tag == "!":
            constructor = yaml.SafeLoader(""); value = constructor.construct_object(node, deep=True)
            return Located(value, line, key)
        raise GameFileError(self.path, line, key, f"YAML tag {node.tag} is not allowed")

    # ---- typed accessors -------------------------------------------------------------------
    def mapping(self, item: Located, what: str = "a mapping") -> dict[str, Located]:
        if not isinstance(item.value, dict):
            self.fail(item, f"expected {what}, got {_kind(item.value)}")
        return item.value

    def sequence(self, item: Located, what: str = "a list") -> list[Located]:
        if not isinstance(item.value, list):
            self.fail(item, f"expected {what}, got {_kind(item.value)}")
        return item.value

    def text(self, item: Located, what: str = "text") -> str:
        if isinstance(item.value, (dict, list)) or item.value is None:
            self.fail(item, f"expected {what}, got {_kind(item.value)}")
        return str(item.value)

    def name_list(self, item: Located, what: str) -> list[str]:
        names = [self.text(v, "a name") for v in self.sequence(item, f"a list of {what}")]
        seen = {}
        for v, n in zip(item.value, names):
            if n in seen:
                singular = {"strategies": "strategy", "players": "player", "moves": "move"}.get(what, what)
                self.fail(v, f"duplicate {singular} name '{n}' (first given on line {seen[n].line})")
            seen[n] = v
        if not names:
            self.fail(item, f"expected at least one of the {what}")
        return names

    def expression(self, item: Located, names) -> sympy.Expr:
        value = item.value
        if isinstance(value, (dict, list)) or value is None or isinstance(value, bool):
            self.fail(item, f"expected a number or an expression, got {_kind(value)}")
        try:
            return parse_expression(value if isinstance(value, str) else value, names)
        except ExpressionError as error:
            self.fail(item, str(error))


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    return f"{type(value).__name__} {value!r}"


# ---- loading -------------------------------------------------------------------------------
def read_document(path: str, _seen: tuple = ()) -> tuple[dict[str, Located], _Reader]:
    """The top-level mapping of a file, with ``extends`` resolved (this file's keys win)."""
    reader = _Reader(path)
    if os.path.isdir(path):
        raise GameFileError(path, None, "", "is a directory; expected a game file (.yaml, .nfg or .efg)")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise GameFileError(path, None, "", "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GameFileError(path, None, "", f"cannot read the file: {error}") from None
    top = reader.mapping(reader.compose(text), "a mapping of keys such as title, players and payoffs")
    for key, item in top.items():
        if key not in TOP_LEVEL_KEYS:
            close = [k for k in TOP_LEVEL_KEYS if k[:3] == key[:3]]
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            reader.fail(item, f"unknown key{hint}; allowed keys: {', '.join(TOP_LEVEL_KEYS)}", key)
    if "extends" in top:
        base_name = reader.text(top["extends"], "a file name")
        base_path = os.path.join(os.path.dirname(path), base_name)
        if os.path.abspath(base_path) in _seen:
            reader.fail(top["extends"], f"'{base_name}' extends this file again (a cycle)")
        if not os.path.isfile(base_path):
            reader.fail(top["extends"], f"cannot find '{base_name}' (looked for {base_path})")
        base, base_reader = read_document(base_path, _seen + (os.path.abspath(path),))
        merged = dict(base)
        merged.update({k: v for k, v in top.items() if k != "extends"})
        # Keys inherited from the base report their errors against the base file.
        return _MergedDocument(merged, {k: base_reader for k in base if k not in top}), reader
    return top, reader


class _MergedDocument(dict):
    def __init__(self, items, origins):
        super().__init__(items)
        self.origins = origins


def load_yaml_game(path: str):
    """Load a YAML game file into a ``NormalFormGame`` or ``ExtensiveGame``."""
    top, reader = read_document(path)
    origins = getattr(top, "origins", {})

    def reader_for(key):
        return origins.get(key, reader)

    def required(key, what):
        if key not in top:
            reader.fail(None, f"missing '{key}': {what}", key)
        return top[key]

    title = reader_for("title").text(required("title", "a one-line title for the game"), "a one-line title")
    players = reader_for("players").name_list(required("players", "a list of player names"), "players")
    if "chance" in players:
        item = top["players"]
        reader_for("players").fail(item.value[players.index("chance")], "'chance' is reserved for chance moves; choose another player name")
    parameters = _parameters(reader_for("parameters"), top.get("parameters"))
    info = GameInfo(
        title=title,
        description=reader_for("description").text(top["description"]) if "description" in top else "",
        source=reader_for("source").text(top["source"]) if "source" in top else "",
        parameters=tuple(parameters),
        path=path,
    )
    names = {p.name for p in parameters}
    bodies = [k for k in ("tree", "stages", "strategies") if k in top]
    if not bodies:
        reader.fail(None, "missing a game body: 'strategies' + 'payoffs' (normal form), 'tree', or 'stages' + 'payoffs'", "")
    if len(bodies) > 1:
        reader.fail(top[bodies[1]], f"a game has one body, but both '{bodies[0]}' and '{bodies[1]}' are given", bodies[1])
    if "timing" in top and "stages" not in top:
        reader.fail(top["timing"], "'timing' applies only to a 'stages' body", "timing")
    body = bodies[0]
    if body == "strategies":
        payoffs = required("payoffs", "the payoffs for each strategy profile")
        return _normal_form(reader_for("strategies"), reader_for("payoffs"), players, top["strategies"], payoffs, names, info)
    if body == "tree":
        if "payoffs" in top:
            reader.fail(top["payoffs"], "a 'tree' carries its payoffs at its leaves; remove the top-level 'payoffs'", "payoffs")
        return _tree(reader_for("tree"), players, top["tree"], names, info)
    payoffs = required("payoffs", "an expression per player over the move indicators")
    timing = reader_for("timing").text(top["timing"]) if "timing" in top else "sequential"
    if timing not in ("sequential", "simultaneous"):
        reader.fail(top["timing"], f"expected 'sequential' or 'simultaneous', got '{timing}'", "timing")
    return _staged(reader_for("stages"), reader_for("payoffs"), players, top["stages"], payoffs, names, info, timing)


def _parameters(reader: _Reader, item: Located | None) -> list[Parameter]:
    if item is None:
        return []
    result = []
    for name, spec in reader.mapping(item, "a mapping of parameter names to values").items():
        if not IDENTIFIER.match(name) or name.startswith("__"):
            reader.fail(spec, "a parameter name must be an identifier (letters, digits, _)")
        if name in ("min", "max", "abs", "sqrt", "exp", "log", "chance"):
            reader.fail(spec, f"'{name}' is reserved")
        if isinstance(spec.value, dict):
            fields = spec.value
            for k in fields:
                if k not in ("value", "range", "description", "source"):
                    reader.fail(fields[k], "unknown parameter field; allowed: value, range, description, source")
            if "value" not in fields:
                reader.fail(spec, "missing 'value'", f"{spec.key}.value")
            value = _constant(reader, fields["value"])
            low_high = None
            if "range" in fields:
                bounds = reader.sequence(fields["range"], "[low, high]")
                if len(bounds) != 2:
                    reader.fail(fields["range"], f"expected [low, high], got a list of {len(bounds)}")
                low_high = (_constant(reader, bounds[0]), _constant(reader, bounds[1]))
                if not low_high[0] < low_high[1]:
                    reader.fail(fields["range"], f"low ({low_high[0]}) must be below high ({low_high[1]})")
            result.append(Parameter(name, value, low_high,
                                    reader.text(fields["description"]) if "description" in fields else "",
                                    reader.text(fields["source"]) if "source" in fields else ""))
        else:
            result.append(Parameter(name, _constant(reader, spec)))
    return result


def _constant(reader: _Reader, item: Located):
    value = reader.expression(item, set())
    if value.free_symbols or not value.is_real:
        reader.fail(item, f"expected a number, got {item.value!r}")
    return value


# ---- normal form ---------------------------------------------------------------------------
def _normal_form(reader, payoff_reader, players, strategies_item, payoffs_item, names, info):
    spec = reader.mapping(strategies_item, "a mapping from each player to a list of strategies")
    for p in spec:
        if p not in players:
            reader.fail(spec[p], f"'{p}' is not a player (players: {', '.join(players)})")
    strategies = []
    for p in players:
        if p not in spec:
            reader.fail(strategies_item, f"missing the strategies of player '{p}'", f"strategies.{p}")
        strategies.append(reader.name_list(spec[p], "strategies"))
    shape = tuple(len(s) for s in strategies)
    n = len(players)
    tensor = np.empty((n,) + shape, dtype=object)
    reader = payoff_reader
    value = reader.mapping(payoffs_item, "a nested mapping of strategies, or one array per player")
    if set(value) <= set(players) and set(value):
        # layout (b): one array per player
        for i, p in enumerate(players):
            if p not in value:
                reader.fail(payoffs_item, f"missing the payoff array of player '{p}'", f"payoffs.{p}")
            _fill_array(reader, value[p], tensor, i, shape, 0, (), names)
    else:
        _fill_nested(reader, payoffs_item, tensor, players, strategies, 0, (), names)
    return NormalFormGame(tuple(players), tuple(tuple(s) for s in strategies), tensor, info)


def _fill_array(reader, item, tensor, player, shape, axis, index, names):
    if axis == len(shape):
        tensor[(player,) + index] = reader.expression(item, names)
        return
    rows = reader.sequence(item, f"a list of {shape[axis]} (axis {axis + 1} of shape {'×'.join(map(str, shape))})")
    if len(rows) != shape[axis]:
        reader.fail(item, f"expected {_count(shape[axis], 'entry', 'entries')} (one per strategy of player {axis + 1}; "
                          f"the array must have shape {'×'.join(map(str, shape))}), got {len(rows)}")
    for k, row in enumerate(rows):
        _fill_array(reader, row, tensor, player, shape, axis + 1, index + (k,), names)


def _fill_nested(reader, item, tensor, players, strategies, axis, index, names):
    if axis == len(players):
        for i, v in enumerate(_payoff_leaf(reader, item, players, names)):
            tensor[(i,) + index] = v
        return
    level = reader.mapping(item, f"a mapping over the strategies of {players[axis]}")
    for k in level:
        if k not in strategies[axis]:
            reader.fail(level[k], f"'{k}' is not a strategy of {players[axis]} ({', '.join(strategies[axis])})")
    for k, s in enumerate(strategies[axis]):
        if s not in level:
            reader.fail(item, f"missing the payoffs for {players[axis]} playing '{s}'", f"{item.key}.{s}")
        _fill_nested(reader, level[s], tensor, players, strategies, axis + 1, index + (k,), names)


def _payoff_leaf(reader, item, players, names):
    """Payoffs at an outcome: a list in the players' order, or {player: value}."""
    if isinstance(item.value, dict):
        for p in item.value:
            if p not in players:
                reader.fail(item.value[p], f"'{p}' is not a player (players: {', '.join(players)})")
        missing = [p for p in players if p not in item.value]
        if missing:
            reader.fail(item, f"missing the payoff of {', '.join(missing)}")
        return [reader.expression(item.value[p], names) for p in players]
    values = reader.sequence(item, f"a list of {len(players)} payoffs (one per player) or a mapping player: payoff")
    if len(values) != len(players):
        reader.fail(item, f"expected {len(players)} payoffs (one per player: {', '.join(players)}), got {len(values)}")
    return [reader.expression(v, names) for v in values]


# ---- explicit tree -------------------------------------------------------------------------
def _tree(reader, players, root_item, names, info):
    node_names: dict[str, Located] = {}

    def node(item: Located):
        spec = reader.mapping(item, "a node: a mapping with 'player' and 'moves', or with 'payoffs'")
        allowed = {"player", "moves", "probs", "payoffs", "outcome", "name", "infoset"}
        for k in spec:
            if k not in allowed:
                reader.fail(spec[k], f"unknown node key; allowed: {', '.join(sorted(allowed))}")
        name = reader.text(spec["name"]) if "name" in spec else None
        if name is not None:
            if name in node_names:
                reader.fail(spec["name"], f"duplicate node name '{name}' (also on line {node_names[name].line})")
            node_names[name] = spec["name"]
        if "moves" not in spec:
            if "payoffs" not in spec:
                reader.fail(item, "a node needs 'moves' (a decision or chance node) or 'payoffs' (a leaf)")
            for k in ("player", "probs", "infoset"):
                if k in spec:
                    reader.fail(spec[k], f"a leaf (a node with payoffs and no moves) cannot have '{k}'")
            outcome = reader.text(spec["outcome"]) if "outcome" in spec else ""
            return Terminal(tuple(_payoff_leaf(reader, spec["payoffs"], players, names)), outcome, name)
        if "player" not in spec:
            reader.fail(item, f"a node with moves needs 'player' (one of {', '.join(players)}, or chance)")
        player = reader.text(spec["player"])
        moves = reader.mapping(spec["moves"], "a mapping from move names to nodes")
        if not moves:
            reader.fail(spec["moves"], "expected at least one move")
        own_payoffs = tuple(_payoff_leaf(reader, spec["payoffs"], players, names)) if "payoffs" in spec else None
        children = {label: node(child) for label, child in moves.items()}
        if player == "chance":
            if "probs" not in spec:
                reader.fail(item, "a chance node needs 'probs': a probability for each move")
            probs_spec = reader.mapping(spec["probs"], "a mapping from move names to probabilities")
            for label in probs_spec:
                if label not in moves:
                    reader.fail(probs_spec[label], f"'{label}' is not a move of this chance node ({', '.join(moves)})")
            missing = [m for m in moves if m not in probs_spec]
            if missing:
                reader.fail(spec["probs"], f"missing the probability of {', '.join(missing)}")
            probs = {m: reader.expression(probs_spec[m], names) for m in moves}
            _check_probabilities(reader, spec["probs"], probs_spec, probs, info)
            return Chance(probs, children, name, None, own_payoffs)
        if player not in players:
            reader.fail(spec["player"], f"'{player}' is not a player (players: {', '.join(players)}, or chance)")
        if "probs" in spec:
            reader.fail(spec["probs"], "only a chance node has 'probs'")
        infoset = reader.text(spec["infoset"]) if "infoset" in spec else None
        return Decision(player, children, infoset, name, own_payoffs)

    root = node(root_item)
    try:
        return build_tree(players, root, info)
    except ValueError as error:
        label = re.search(r"information set '([^']*)'", str(error))
        where = _find_infoset(reader, root_item, label.group(1)) if label else root_item
        reader.fail(where, str(error))


def _find_infoset(reader, item: Located, label: str) -> Located:
    """The last node declaring ``infoset: label`` (the one that disagrees), for error lines."""
    found = None
    stack = [item]
    while stack:
        current = stack.pop()
        if isinstance(current.value, dict):
            if "infoset" in current.value and current.value["infoset"].value == label:
                if found is None or current.value["infoset"].line > found.line:
                    found = current.value["infoset"]
            stack.extend(current.value.values())
    return found or item


def _check_probabilities(reader, item, probs_items, probs, info, indicators=None):
    """With the default parameter values, probabilities must be ≥ 0 and sum to 1."""
    values = {**info.defaults, **(indicators or {})}
    total = 0
    for label, expr in probs.items():
        value = expr.subs({symbol(k): v for k, v in values.items()}) if expr.free_symbols else expr
        if value.free_symbols:
            return
        if value < 0:
            reader.fail(probs_items[label] if label in probs_items else item, f"probability {value} is negative")
        total += value
    if sympy.simplify(total - 1) != 0:
        reader.fail(item, f"probabilities sum to {total}, not 1")


# ---- stages --------------------------------------------------------------------------------
@dataclass
class _Stage:
    kind: str                 # "player" or "chance"
    mover: str                # player name or chance name
    moves: list[str]
    probs: dict | None
    observes: list[int] | None
    when: Any
    ident: str
    item: Located


def _staged(reader, payoff_reader, players, stages_item, payoffs_item, names, info, timing):
    items = reader.sequence(stages_item, "a list of stages")
    if not items:
        reader.fail(stages_item, "expected at least one stage")
    stages: list[_Stage] = []
    move_names: dict[str, Located] = {}
    ids: dict[str, int] = {}
    for position, item in enumerate(items):
        spec = reader.mapping(item, "a stage: {player: NAME, moves: [...]} or {chance: NAME, outcomes: {...}}")
        allowed = {"player", "moves", "chance", "outcomes", "observes", "when", "id"}
        for k in spec:
            if k not in allowed:
                reader.fail(spec[k], f"unknown stage key; allowed: {', '.join(sorted(allowed))}")
        if ("player" in spec) == ("chance" in spec):
            reader.fail(item, "a stage has either 'player' (with 'moves') or 'chance' (with 'outcomes')")
        if "player" in spec:
            mover = reader.text(spec["player"])
            if mover not in players:
                reader.fail(spec["player"], f"'{mover}' is not a player (players: {', '.join(players)})")
            if "moves" not in spec:
                reader.fail(item, "missing 'moves'", f"{item.key}.moves")
            moves = reader.name_list(spec["moves"], "moves")
            move_items = spec["moves"].value
            kind, probs = "player", None
        else:
            mover = reader.text(spec["chance"])
            if "outcomes" not in spec:
                reader.fail(item, "missing 'outcomes': a probability for each outcome", f"{item.key}.outcomes")
            outcome_map = reader.mapping(spec["outcomes"], "a mapping from outcome names to probabilities")
            moves = list(outcome_map)
            move_items = list(outcome_map.values())
            kind, probs = "chance", outcome_map
        for m, m_item in zip(moves, move_items):
            if not IDENTIFIER.match(m):
                reader.fail(m_item, f"move name '{m}' must be an identifier, since it is a 0/1 indicator in expressions")
            if m in move_names or m in names or m in players:
                other = f"line {move_names[m].line}" if m in move_names else "a parameter or player"
                reader.fail(m_item, f"name '{m}' is already used ({other}); every move and outcome name must be unique")
            move_names[m] = m_item
        ident = reader.text(spec["id"]) if "id" in spec else mover
        if "id" in spec:
            if ident in ids:
                reader.fail(spec["id"], f"duplicate stage id '{ident}'")
            ids[ident] = position
        elif kind == "chance":
            ids.setdefault(mover, position)
        stages.append(_Stage(kind, mover, moves, probs, None, spec.get("when"), ident, item))
    all_names = names | set(move_names)
    # observes: resolve names to earlier stage positions
    for position, stage in enumerate(stages):
        spec = stage.item.value
        if "observes" in spec:
            if stage.kind != "player":
                reader.fail(spec["observes"], "only a player's stage observes")
            refs = reader.sequence(spec["observes"], "a list of earlier stages (player names, chance names or stage ids)")
            observed = []
            for ref in refs:
                label = reader.text(ref)
                matches = [k for k in range(position) if label in (stages[k].ident, stages[k].mover)]
                if not matches:
                    reader.fail(ref, f"'{label}' is not an earlier stage (earlier: "
                                     f"{', '.join(dict.fromkeys(s.ident for s in stages[:position])) or 'none'})")
                observed.extend(matches)
            stage.observes = sorted(set(observed))
        if stage.when is not None:
            stage.when = reader.expression(stage.when, all_names)
            extra = {s.name for s in stage.when.free_symbols} - set(move_names)
            if extra:
                reader.fail(spec["when"], f"'when' may use only earlier moves and outcomes, not parameters ({', '.join(sorted(extra))})")
        if stage.kind == "chance":
            stage.probs = {m: reader.expression(stage.probs[m], all_names) for m in stage.moves}
    spec = payoff_reader.mapping(payoffs_item, "a mapping from each player to a payoff expression")
    for p in spec:
        if p not in players:
            payoff_reader.fail(spec[p], f"'{p}' is not a player (players: {', '.join(players)})")
    missing = [p for p in players if p not in spec]
    if missing:
        payoff_reader.fail(payoffs_item, f"missing the payoff of {', '.join(missing)}", f"payoffs.{missing[0]}")
    payoff_exprs = [payoff_reader.expression(spec[p], all_names) for p in players]
    indicator_symbols = {m: symbol(m) for m in move_names}
    if timing == "simultaneous":
        return _simultaneous(reader, players, stages, payoff_exprs, indicator_symbols, info)
    return _sequential(reader, players, stages, payoff_exprs, indicator_symbols, info)


def _substitute(expr, assignment):
    return expr.subs(assignment) if expr.free_symbols else expr


def _active(stage: _Stage, assignment) -> bool:
    if stage.when is None:
        return True
    value = _substitute(stage.when, assignment)
    return bool(value != 0)


def _sequential(reader, players, stages, payoff_exprs, indicators, info):
    zeros = {s: 0 for s in indicators.values()}

    def unfold(position: int, assignment: dict, history: list):
        if position == len(stages):
            values = {**zeros, **assignment}
            return Terminal(tuple(_substitute(e, values) for e in payoff_exprs),
                            " → ".join(label for _, label in history))
        stage = stages[position]
        if not _active(stage, {**zeros, **assignment}):
            return unfold(position + 1, assignment, history)
        children = {}
        for m in stage.moves:
            children[m] = unfold(position + 1, {**assignment, indicators[m]: 1}, history + [(position, m)])
        if stage.kind == "chance":
            values = {**zeros, **assignment}
            probs = {m: _substitute(stage.probs[m], values) for m in stage.moves}
            _check_probabilities(reader, stage.item, stage.item.value["outcomes"].value, probs, info)
            return Chance(probs, children)
        observed = [label for k, label in history if stage.observes is None or k in stage.observes]
        # Nodes of one stage with the same observations form one information set.
        return Decision(stage.mover, children, infoset=f"{stage.ident}@{'/'.join(observed) or stage.ident}")

    root = unfold(0, {}, [])
    game = build_tree(players, root, info)
    return _relabel_staged(game, stages)


def _relabel_staged(game, stages):
    """Information sets of staged games read "after alarm" rather than internal keys."""
    from solver.model.tree import InformationSet, _replace
    infosets = []
    for s in game.infosets:
        ident, observed = s.label.split("@", 1)
        infosets.append(InformationSet(observed, s.player, s.moves, s.nodes))
    labels = [s.label for s in infosets]
    if len(set(labels)) < len(labels):   # two stages see the same history: keep the stage id
        infosets = [InformationSet(s.label.replace("@", ": ", 1), i.player, i.moves, i.nodes)
                    for s, i in zip(game.infosets, infosets)]
    return _replace(game, infosets=tuple(infosets))


def _simultaneous(reader, players, stages, payoff_exprs, indicators, info):
    """Nobody observes anything: strategies are a move per own stage; chance is averaged out."""
    own = {p: [k for k, s in enumerate(stages) if s.kind == "player" and s.mover == p] for p in players}
    for p in players:
        if not own[p]:
            reader.fail(stages[0].item, f"player '{p}' has no stage; with timing: simultaneous every player needs one", "stages")
    strategy_lists = []
    for p in players:
        combos = list(itertools.product(*[stages[k].moves for k in own[p]]))
        strategy_lists.append(combos)
    names = [["+".join(c) for c in combos] for combos in strategy_lists]
    shape = tuple(len(c) for c in strategy_lists)
    tensor = np.empty((len(players),) + shape, dtype=object)
    chance_stages = [k for k, s in enumerate(stages) if s.kind == "chance"]
    zeros = {s: 0 for s in indicators.values()}
    for index in itertools.product(*[range(n) for n in shape]):
        choice = {}
        for i, p in enumerate(players):
            for k, move in zip(own[p], strategy_lists[i][index[i]]):
                choice[k] = move
        totals = [sympy.Integer(0)] * len(players)

        def walk(position, assignment, weight):
            if position == len(stages):
                values = {**zeros, **assignment}
                for i, e in enumerate(payoff_exprs):
                    totals[i] = totals[i] + weight * _substitute(e, values)
                return
            stage = stages[position]
            if not _active(stage, {**zeros, **assignment}):
                return walk(position + 1, assignment, weight)
            if stage.kind == "player":
                return walk(position + 1, {**assignment, indicators[choice[position]]: 1}, weight)
            values = {**zeros, **assignment}
            for m in stage.moves:
                walk(position + 1, {**assignment, indicators[m]: 1}, weight * _substitute(stage.probs[m], values))

        walk(0, {}, sympy.Integer(1))
        for i in range(len(players)):
            tensor[(i,) + index] = sympy.expand(totals[i]) if chance_stages else totals[i]
    return NormalFormGame(tuple(players), tuple(tuple(n) for n in names), tensor, info)
