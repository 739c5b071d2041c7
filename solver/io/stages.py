"""Staged games: ``stages`` + ``payoffs`` in a YAML game file, unfolded into a tree (sequential
timing) or straight into a normal form (``timing: simultaneous``).

Each stage is a player's move or a chance draw; ``observes`` lists the earlier stages a mover sees
(information sets follow from it) and ``when`` skips a stage where its expression is 0. Payoffs
are expressions in indicator variables, one per move, that are 1 when the move was made.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from solver.core.limits import exceeded, limit
from solver.io.located import IDENTIFIER, Located, check_probabilities
from solver.model.expr import symbol
from solver.model.normal import NormalFormGame
from solver.model.tree import Chance, Decision, InformationSet, Terminal, build_tree

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


def unfold_stages(reader, players, stages_item, payoffs_item, names, info, timing):
    """The game a ``stages`` body describes: a tree, or a normal form for simultaneous timing."""
    items = reader.sequence(stages_item, "a list of stages")
    if not items:
        reader.fail(stages_item, "expected at least one stage")
    stages: list[_Stage] = []
    seen: dict[tuple[str, str], Located] = {}
    ids: dict[str, int] = {}
    for position, item in enumerate(items):
        stages.append(_read_stage(reader, item, position, players, names, seen, ids))
    indicators = StageNames(stages, names)
    for position, stage in enumerate(stages):
        _resolve_stage(reader, stages, position, stage, indicators)
    payoff_exprs = _stage_payoffs(reader, payoffs_item, players, indicators)
    _check_size(reader, stages_item, players, stages, timing)
    if timing == "simultaneous":
        return _simultaneous(reader, players, stages, payoff_exprs, indicators.symbols, info)
    return _sequential(reader, players, stages, payoff_exprs, indicators.symbols, info)


class StageNames:
    """The names an expression of a staged game may use: the parameters, and each move as a 0/1
    indicator, written bare (``X``) when only one mover has a move of that name, and qualified by
    the mover or the stage id (``Voter1.X``) always.

    ``symbols[(position, move)]`` is the indicator of ``move`` at the stage at ``position``: the
    bare name's symbol when the name is unique, else the qualified one."""

    def __init__(self, stages: list[_Stage], parameters: set[str]):
        movers: dict[str, list[_Stage]] = {}
        for stage in stages:
            for move in stage.moves:
                movers.setdefault(move, []).append(stage)
        self.written: dict[str, str] = {name: name for name in parameters}
        self.ambiguous: dict[str, str] = {}
        self.symbols: dict[tuple[int, str], sympy.Symbol] = {}
        self.indicators: set[str] = set()
        for position, stage in enumerate(stages):
            for move in stage.moves:
                unique = len({s.mover for s in movers[move]}) == 1
                name = move if unique else f"{stage.mover}.{move}"
                self.symbols[(position, move)] = symbol(name)
                self.indicators.add(name)
                for qualifier in (stage.mover, stage.ident):
                    self.written[f"{qualifier}.{move}"] = name
                if unique:
                    self.written[move] = name
                else:
                    self.ambiguous[move] = _ambiguity(move, movers[move])


def _ambiguity(move: str, stages: list[_Stage]) -> str:
    """Why a bare move name is refused, and how to write it instead."""
    forms = []
    for stage in stages:
        qualifier = next((q for q in (stage.mover, stage.ident) if IDENTIFIER.match(q)), None)
        form = f"{qualifier}.{move}" if qualifier else f"(give {stage.mover}'s stage an id).{move}"
        if form not in forms:
            forms.append(form)
    listed = ", ".join(forms[:-1]) + " or " + forms[-1]
    players = ", ".join(dict.fromkeys(s.mover for s in stages))
    return f"'{move}' is a move of several players ({players}): write {listed}"


def _read_stage(reader, item, position, players, names, seen, ids) -> _Stage:
    """One stage's mover and moves; move names are identifiers, unique per mover (``seen``)."""
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
        if m in names or m in players:
            reader.fail(m_item, f"name '{m}' is already used (a parameter or player); a move name must differ from them")
        if (mover, m) in seen:
            reader.fail(m_item, f"'{m}' is already a move of {mover} (line {seen[(mover, m)].line}); the moves of "
                                f"one player (or one chance name) must have different names")
        seen[(mover, m)] = m_item
    ident = reader.text(spec["id"]) if "id" in spec else mover
    if "id" in spec:
        if ident in ids:
            reader.fail(spec["id"], f"duplicate stage id '{ident}'")
        ids[ident] = position
    elif kind == "chance":
        ids.setdefault(mover, position)
    return _Stage(kind, mover, moves, probs, None, spec.get("when"), ident, item)


def _resolve_stage(reader, stages, position, stage, names: StageNames) -> None:
    """``observes`` names → earlier stage positions; ``when`` and chance probabilities → expressions."""
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
        stage.when = reader.expression(stage.when, names.written, names.ambiguous)
        extra = {s.name for s in stage.when.free_symbols} - names.indicators
        if extra:
            reader.fail(spec["when"], f"'when' may use only earlier moves and outcomes, not parameters ({', '.join(sorted(extra))})")
    if stage.kind == "chance":
        stage.probs = {m: reader.expression(stage.probs[m], names.written, names.ambiguous) for m in stage.moves}


def _check_size(reader, stages_item, players, stages, timing) -> None:
    """Refuse, before unfolding, a stages body whose game would pass the limits: the tree's
    leaves (every stage counted as reached, since ``when`` is known only while unfolding), or
    the normal form's profiles × chance draws."""
    if timing == "simultaneous":
        profiles = 1
        for p in players:
            for stage in stages:
                if stage.kind == "player" and stage.mover == p:
                    profiles *= len(stage.moves)
        if profiles * len(players) > limit("MAX_PAYOFF_ENTRIES"):
            reader.fail(stages_item, exceeded("MAX_PAYOFF_ENTRIES", f"the normal form would have {profiles * len(players)} payoffs "
                                                                    f"({profiles} profiles × {len(players)} players)"), "stages")
        outcomes = profiles
        for stage in stages:
            outcomes *= len(stage.moves) if stage.kind == "chance" else 1
        if outcomes > limit("MAX_STAGED_OUTCOMES"):
            reader.fail(stages_item, exceeded("MAX_STAGED_OUTCOMES", f"the stages unfold into {outcomes} outcomes "
                                                                     f"({profiles} profiles × the chance draws)"), "stages")
        return
    leaves = 1
    for stage in stages:
        leaves *= len(stage.moves)
        if leaves > limit("MAX_STAGED_OUTCOMES"):
            total = math.prod(len(s.moves) for s in stages)
            reader.fail(stages_item, exceeded("MAX_STAGED_OUTCOMES", f"the stages unfold into a tree with up to {total} "
                                                                     f"leaves (counting every stage as reached)"), "stages")


def _stage_payoffs(payoff_reader, payoffs_item, players, names: StageNames) -> list:
    spec = payoff_reader.mapping(payoffs_item, "a mapping from each player to a payoff expression")
    for p in spec:
        if p not in players:
            payoff_reader.fail(spec[p], f"'{p}' is not a player (players: {', '.join(players)})")
    missing = [p for p in players if p not in spec]
    if missing:
        payoff_reader.fail(payoffs_item, f"missing the payoff of {', '.join(missing)}", f"payoffs.{missing[0]}")
    return [payoff_reader.expression(spec[p], names.written, names.ambiguous) for p in players]


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
            children[m] = unfold(position + 1, {**assignment, indicators[(position, m)]: 1}, history + [(position, m)])
        if stage.kind == "chance":
            values = {**zeros, **assignment}
            probs = {m: _substitute(stage.probs[m], values) for m in stage.moves}
            check_probabilities(reader, stage.item, stage.item.value["outcomes"].value, probs, info)
            return Chance(probs, children)
        observed = [label for k, label in history if stage.observes is None or k in stage.observes]
        # Nodes of one stage with the same observations form one information set.
        return Decision(stage.mover, children, infoset=f"{stage.ident}@{'/'.join(observed) or stage.ident}")

    root = unfold(0, {}, [])
    game = build_tree(players, root, info)
    return _relabel_staged(game, stages)


def _relabel_staged(game, stages):
    """Information sets of staged games read "after alarm" rather than internal keys."""
    infosets = []
    for s in game.infosets:
        ident, observed = s.label.split("@", 1)
        # The first decision is "root", as an unnamed root is in tree files and .efg files.
        infosets.append(InformationSet("root" if 0 in s.nodes else observed, s.player, s.moves, s.nodes))
    labels = [s.label for s in infosets]
    if len(set(labels)) < len(labels):   # two stages see the same history: keep the stage id
        infosets = [i if i.label == "root" else InformationSet(s.label.replace("@", ": ", 1), i.player, i.moves, i.nodes)
                    for s, i in zip(game.infosets, infosets)]
    return game.with_changes(infosets=tuple(infosets))


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
    for index in itertools.product(*[range(n) for n in shape]):
        choice = {}
        for i, p in enumerate(players):
            for k, move in zip(own[p], strategy_lists[i][index[i]]):
                choice[k] = move
        totals = _expected_payoffs(stages, choice, payoff_exprs, indicators)
        for i in range(len(players)):
            tensor[(i,) + index] = sympy.expand(totals[i]) if chance_stages else totals[i]
    return NormalFormGame(tuple(players), tuple(tuple(n) for n in names), tensor, info)


def _expected_payoffs(stages, choice, payoff_exprs, indicators) -> list:
    """Each player's payoff when the players' stages take the moves in ``choice`` (stage position →
    move), averaged over the chance stages, as sympy expressions in the parameters."""
    zeros = {s: 0 for s in indicators.values()}
    totals = [sympy.Integer(0)] * len(payoff_exprs)
    pending = [(0, {}, sympy.Integer(1))]          # (stage position, indicators set so far, probability)
    while pending:
        position, assignment, weight = pending.pop()
        values = {**zeros, **assignment}
        if position == len(stages):
            for i, e in enumerate(payoff_exprs):
                totals[i] = totals[i] + weight * _substitute(e, values)
            continue
        stage = stages[position]
        if not _active(stage, values):
            pending.append((position + 1, assignment, weight))
        elif stage.kind == "player":
            pending.append((position + 1, {**assignment, indicators[(position, choice[position])]: 1}, weight))
        else:
            for m in reversed(stage.moves):
                pending.append((position + 1, {**assignment, indicators[(position, m)]: 1}, weight * _substitute(stage.probs[m], values)))
    return totals
