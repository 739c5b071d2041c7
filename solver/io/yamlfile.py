"""YAML game files → immutable game objects, with errors that name the file, line and key.

The format is specified in ``docs/game-format.md``. Three bodies are read: a normal form
(``strategies`` + ``payoffs``, in either layout), an explicit ``tree``, and ``stages`` + ``payoffs``
(unfolded into a tree, or into a normal form when ``timing: simultaneous``).

YAML is composed into nodes first, so every value keeps its line; nothing is constructed with
tags, and duplicate keys are errors rather than silently overwritten.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import replace

import numpy as np

from solver.core.limits import exceeded, limit
from solver.io.located import IDENTIFIER, GameFileError, Located, YamlReader, check_probabilities, count_of, read_bytes
from solver.io.stages import unfold_stages
from solver.io.types import with_types
from solver.model.normal import GameInfo, NormalFormGame, Parameter
from solver.model.tree import Chance, Decision, Terminal, build_tree

TOP_LEVEL_KEYS = ("title", "description", "source", "players", "parameters", "extends",
                  "strategies", "payoffs", "tree", "stages", "timing", "types")
# ---- loading -------------------------------------------------------------------------------
def read_document(path: str, _seen: tuple = (), include: tuple[str, ...] = ()) -> tuple[dict[str, Located], YamlReader]:
    """The top-level mapping of a file, with ``extends`` resolved: mappings merge key by key (this
    file's keys win), anything else of this file replaces the base's (``tree`` replaces whole).
    ``include``: folders besides the file's own from which ``extends`` may read (see
    :func:`extends_target`)."""
    reader = YamlReader(path)
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise GameFileError(path, line, "", f"the file is not UTF-8 text (byte 0x{data[error.start]:02X} at line {line})") from None
    top = reader.mapping(reader.compose(text), "a mapping of keys such as title, players and payoffs")
    for key, item in top.items():
        if key not in TOP_LEVEL_KEYS:
            close = [k for k in TOP_LEVEL_KEYS if k[:3] == key[:3]]
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            reader.fail(item, f"unknown key{hint}; allowed keys: {', '.join(TOP_LEVEL_KEYS)}", key)
    if "extends" not in top:
        return top, reader
    base_name = reader.text(top["extends"], "a file name")
    base_path = extends_target(reader, top["extends"], path, base_name, include)
    if base_path in _seen:
        reader.fail(top["extends"], f"'{base_name}' extends this file again (a cycle)")
    base, _ = read_document(base_path, _seen + (os.path.realpath(path),), include)
    merged = dict(base)
    for key, item in top.items():
        if key != "extends":
            merged[key] = item if key in REPLACED_WHOLE or key not in base else merge_values(base[key], item)
    return merged, reader


#: Errors about reading a file at all (not about its content), shown whatever its name.
_UNREAD = ("no such file", "is a directory", "is not a regular file", "cannot read the file", "the file has")
#: Files ``extends`` may name.
GAME_SUFFIXES = (".yaml", ".yml")
#: Extra folders ``extends`` may read from, separated by ``os.pathsep`` (as ``--include`` gives them).
INCLUDE_VARIABLE = "SOLVE_INCLUDE"


def include_folders(include: tuple[str, ...] = ()) -> tuple[str, ...]:
    """``include`` and the folders in ``$SOLVE_INCLUDE``, resolved."""
    extra = [f for f in os.environ.get(INCLUDE_VARIABLE, "").split(os.pathsep) if f]
    return tuple(os.path.realpath(f) for f in (*include, *extra))


def extends_target(reader: YamlReader, item: Located, path: str, name: str, include: tuple[str, ...] = ()) -> str:
    """The resolved path of the file ``extends: name`` names in the file at ``path``. It must be
    a YAML game file (``.yaml``/``.yml``) inside the folder of ``path`` or of an ``include``
    folder, after symbolic links are resolved: a shared game file cannot make ``solve`` read (and
    show in an error message) any other file on the machine."""
    target = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(path)), name))
    folders = (os.path.realpath(os.path.dirname(os.path.abspath(path))),) + include_folders(include)
    if not target.lower().endswith(GAME_SUFFIXES):
        reader.fail(item, f"'{name}' is not a YAML game file: 'extends' names a .yaml or .yml file")
    if not any(os.path.commonpath([folder, target]) == folder for folder in folders):
        reader.fail(item, f"'{name}' is outside the folder of this game; 'extends' reads only game files in that folder "
                          f"(or below it), or in a folder allowed with --include DIR (or ${INCLUDE_VARIABLE})")
    if not os.path.isfile(target):
        reader.fail(item, f"cannot find '{name}' (looked for {os.path.join(os.path.dirname(path), name)})")
    return target


#: Top-level keys that ``extends`` replaces whole: merging two trees node by node would mix them.
REPLACED_WHOLE = ("tree",)


def merge_values(base: Located, override: Located) -> Located:
    """``override`` merged into ``base``: mappings key by key, at every depth; anything else
    replaces. A parameter given as a plain value keeps the base's range, description and source."""
    if not isinstance(override.value, dict) or not isinstance(base.value, dict):
        return override
    merged = dict(base.value)
    for key, item in override.value.items():
        if key not in merged:
            merged[key] = item
        elif override.key == "parameters" and isinstance(merged[key].value, dict) and not isinstance(item.value, dict):
            merged[key] = Located({**merged[key].value, "value": item}, item.line, item.key, item.path)
        else:
            merged[key] = merge_values(merged[key], item)
    return Located(merged, override.line, override.key, override.path)


def load_yaml_game(path: str, include: tuple[str, ...] = ()):
    """Load a YAML game file into a ``NormalFormGame`` or ``ExtensiveGame``; its ``info.origins``
    say where each expression that depends on a parameter was written. ``include``: folders from
    which ``extends`` may read besides the file's own."""
    try:
        top, reader = read_document(path, include=tuple(include))
        game = _load_body(top, reader, path)
    except GameFileError as error:
        if os.path.splitext(path)[1].lower() in GAME_SUFFIXES or error.path != path or error.message.startswith(_UNREAD):
            raise
        # Not named as a game file: say where it failed, never what it contains (it may be any file).
        raise GameFileError(path, error.line, "", "does not read as a game file (a .yaml or .yml game, or a Gambit "
                                                  ".nfg or .efg file); its content is not shown") from None
    origins = sorted(reader.origins, key=lambda o: (o.path != path, o.line))     # this file first, top down
    return replace(game, info=replace(game.info, origins=tuple(origins)))


def _load_body(top: dict[str, Located], reader: YamlReader, path: str):
    def required(key, what):
        if key not in top:
            reader.fail(None, f"missing '{key}': {what}", key)
        return top[key]

    title = reader.text(required("title", "a one-line title for the game"), "a one-line title")
    players = reader.name_list(required("players", "a list of player names"), "players")
    if "chance" in players:
        item = top["players"]
        reader.fail(item.value[players.index("chance")], "'chance' is reserved for chance moves; choose another player name")
    parameters = _parameters(reader, top.get("parameters"))
    info = GameInfo(
        title=title,
        description=reader.text(top["description"]) if "description" in top else "",
        source=reader.text(top["source"]) if "source" in top else "",
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
    if "types" in top and body != "stages":
        reader.fail(top["types"], "'types' needs a 'stages' body; in a 'tree', write the chance move over types", "types")
    if body == "strategies":
        payoffs = required("payoffs", "the payoffs for each strategy profile")
        return _normal_form(reader, players, top["strategies"], payoffs, names, info)
    if body == "tree":
        if "payoffs" in top:
            reader.fail(top["payoffs"], "a 'tree' carries its payoffs at its leaves; remove the top-level 'payoffs'", "payoffs")
        return _tree(reader, players, top["tree"], names, info)
    payoffs = required("payoffs", "an expression per player over the move indicators")
    timing = reader.text(top["timing"]) if "timing" in top else "sequential"
    if timing not in ("sequential", "simultaneous"):
        reader.fail(top["timing"], f"expected 'sequential' or 'simultaneous', got '{timing}'", "timing")
    stages = top["stages"]
    if "types" in top:                      # players' types: the Harsanyi tree (solver/io/types.py)
        stages, timing = with_types(reader, players, top["types"], stages, timing)
    return unfold_stages(reader, players, stages, payoffs, names, info, timing)


def _parameters(reader: YamlReader, item: Located | None) -> list[Parameter]:
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
                if k not in ("value", "range", "description", "source", "distribution"):
                    reader.fail(fields[k], "unknown parameter field; allowed: value, range, description, source, distribution")
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
            belief = fields.get("distribution")
            result.append(Parameter(name, value, low_high,
                                    reader.text(fields["description"]) if "description" in fields else "",
                                    reader.text(fields["source"]) if "source" in fields else "",
                                    reader.text(belief) if belief is not None else "", belief.line if belief is not None else 0))
        else:
            result.append(Parameter(name, _constant(reader, spec)))
    return result


def _constant(reader: YamlReader, item: Located):
    """A parameter's value or bound: an exact rational number (``sqrt(2)`` is refused, since
    reports and sweeps compare values exactly; write ``1.4142`` or ``99/70``)."""
    value = reader.expression(item, set())
    if value.free_symbols or not value.is_real:
        reader.fail(item, f"expected a number, got {item.value!r}")
    if not value.is_Rational:
        reader.fail(item, f"{item.value} is irrational; a parameter's value must be a rational number such as 1.4142 or 99/70")
    return value


# ---- normal form ---------------------------------------------------------------------------
def _normal_form(reader, players, strategies_item, payoffs_item, names, info):
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
    entries = n * math.prod(shape)
    if entries > limit("MAX_PAYOFF_ENTRIES"):
        reader.fail(strategies_item, exceeded("MAX_PAYOFF_ENTRIES", f"the game has {entries} payoffs"), "strategies")
    tensor = np.empty((n,) + shape, dtype=object)
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
        reader.fail(item, f"expected {count_of(shape[axis], 'entry', 'entries')} (one per strategy of player {axis + 1}; "
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
            check_probabilities(reader, spec["probs"], probs_spec, probs, info)
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


