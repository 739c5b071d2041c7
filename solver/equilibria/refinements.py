"""Refinements of perfect Bayesian equilibria: the Intuitive Criterion and D1 for signalling
games, and whether an equilibrium's beliefs are consistent (sequential equilibrium).

**Intuitive Criterion** (Cho & Kreps 1987, §IV): for a message m no type sends, a type t is
excluded when its equilibrium payoff u*(t) beats anything m could bring it under a response that is
a best response to some belief (max over BR(Θ, m) of u(t, m, a) < u*(t)). The equilibrium fails
when some type t' that is not excluded gains for sure from m once the receiver's beliefs are
restricted to the types not excluded: min over BR(Θ \\ J, m) of u(t', m, a) > u*(t').

**D1** (Cho & Kreps 1987, §V; Fudenberg & Tirole 1991, §11.2): with the receiver's mixed best
responses α at m (to some belief), type t is eliminated at m if another type t' gains strictly for
every α with which t gains weakly ({α: u(t, α) ≥ u*(t)} ⊆ {α: u(t', α) > u*(t')}); the equilibrium
fails if its response at m is not a best response to any belief over the types not eliminated.
Computed for two responses, where α is the probability of the first response, an interval.

**Sequential equilibrium** (Kreps & Wilson 1982): beliefs must be limits of Bayes' beliefs along
fully mixed profiles tending to the equilibrium. In a signalling game with a prior of full support
every belief after an unsent message is such a limit (let type t send it with probability
ε·μ(t)/p(t)), so every PBE is sequential (Fudenberg & Tirole 1991, §8.2). In another tree, with a
tremble ε per move that the equilibrium never takes, a node's probability is c·Π ε over the
trembles on its path (c: the positive probabilities); a node whose trembles strictly include
another's gets no weight in the limit, nodes with the same trembles keep the ratio of their c, and
groups with disjoint trembles can take any weights. The consistent beliefs are then a polytope,
intersected exactly with the supporting ones. Overlapping trembles (within a set, or between two
sets whose weights are free) are not decided (None).

    I.-K. Cho, D. M. Kreps (1987), "Signaling games and stable equilibria", QJE 102, 179–221.
    D. M. Kreps, R. Wilson (1982), "Sequential equilibria", Econometrica 50, 863–894.
    D. Fudenberg, J. Tirole (1991), Game Theory, MIT Press, §8.2 and §11.2.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from solver.core.numbers import format_number
from solver.equilibria.pbe import Assessment, Beliefs, polytope_vertices
from solver.equilibria.signalling import SignallingGame, classification
from solver.model.tree import ExtensiveGame
from solver.model.walk import chance_reach


@dataclass(frozen=True)
class Verdict:
    """Whether an equilibrium survives a refinement (None: not decided) and, if not, why: the
    unsent message, the type that would deviate, its payoffs, and the types ruled out there."""
    survives: bool | None
    message: str = ""
    deviator: str = ""
    equilibrium_payoff: Fraction | None = None
    deviation_payoff: Fraction | None = None
    ruled_out: tuple[str, ...] = ()
    reason: str = ""


def sender_payoffs(game: SignallingGame, profile: Mapping) -> tuple[Fraction, ...]:
    """Each type's expected payoff u*(t) under ``profile``."""
    values = []
    for t, h in enumerate(game.sender_infosets):
        values.append(sum((profile[h][m] * profile[game.receiver_infosets[m]][a] * game.payoff[0][t][m][a]
                           for m in range(len(game.messages)) for a in range(len(game.responses))), Fraction(0)))
    return tuple(values)


def unsent(game: SignallingGame, profile: Mapping) -> list[int]:
    return [m for m in range(len(game.messages)) if all(profile[h][m] == 0 for h in game.sender_infosets)]


def best_responses(game: SignallingGame, message: int, types) -> list[int]:
    """The receiver's pure responses at ``message`` that are best against some belief over ``types``."""
    types = list(types)
    found = []
    for a in range(len(game.responses)):
        rows = [tuple(game.payoff[1][t][message][a] - game.payoff[1][t][message][b] for t in types)
                for b in range(len(game.responses)) if b != a]
        if polytope_vertices(len(types), rows):
            found.append(a)
    return found


def intuitive_criterion(game: SignallingGame, profile: Mapping) -> Verdict:
    """The Intuitive Criterion (module docstring)."""
    u = sender_payoffs(game, profile)
    everyone = range(len(game.types))
    for m in unsent(game, profile):
        replies = best_responses(game, m, everyone)
        excluded = [t for t in everyone if u[t] > max(game.payoff[0][t][m][a] for a in replies)]
        rest = [t for t in everyone if t not in excluded]
        if not excluded or not rest:
            continue
        restricted = best_responses(game, m, rest)
        for t in rest:
            worst = min(game.payoff[0][t][m][a] for a in restricted)
            if worst > u[t]:
                return Verdict(False, game.messages[m], game.types[t], u[t], worst,
                               tuple(game.types[k] for k in excluded),
                               f"{_names(game, excluded)} cannot gain from {game.messages[m]} whatever the receiver "
                               f"then believes; if the receiver believes the sender is {_names(game, rest)}, every "
                               f"best response to {game.messages[m]} gives {game.types[t]} at least {format_number(worst)}, "
                               f"more than its {format_number(u[t])} in the equilibrium")
    return Verdict(True, reason=_survival(game, profile))


def _survival(game: SignallingGame, profile: Mapping) -> str:
    off = unsent(game, profile)
    if not off:
        return "every message is sent, so no belief is off the path"
    return (f"after {', '.join(game.messages[m] for m in off)} (unsent) the receiver's answer is a best response to a "
            f"belief over the types the test keeps")


def _names(game: SignallingGame, types) -> str:
    names = [game.types[t] for t in types]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _interval_where(low, high, a, b, bound, strict: bool):
    """The r in [low, high] with r·a + (1 − r)·b ≥ bound (> when ``strict``), as (lo, hi, closed
    ends) or None when empty."""
    f_low, f_high = low * a + (1 - low) * b - bound, high * a + (1 - high) * b - bound
    ok_low = f_low > 0 or (f_low == 0 and not strict)
    ok_high = f_high > 0 or (f_high == 0 and not strict)
    if ok_low and ok_high:
        return low, high
    if not ok_low and not ok_high:
        return None
    slope = a - b
    cross = (bound - b) / slope if slope != 0 else low
    return (cross, high) if ok_high else (low, cross)


def _contained(weak, a, b, bound) -> bool:
    """Whether every r in the closed interval ``weak`` gives strictly more than ``bound``."""
    if weak is None:
        return True
    return all(r * a + (1 - r) * b > bound for r in weak)


def d1(game: SignallingGame, profile: Mapping) -> Verdict:
    """D1 (module docstring); None for games with more than two responses."""
    if len(game.responses) != 2:
        return Verdict(None, reason="D1 is computed for two responses only")
    u = sender_payoffs(game, profile)
    everyone = range(len(game.types))
    for m in unsent(game, profile):
        replies = best_responses(game, m, everyone)
        low, high = (Fraction(0), Fraction(1)) if len(replies) == 2 else (Fraction(int(replies[0] == 0)),) * 2
        pay = [(game.payoff[0][t][m][0], game.payoff[0][t][m][1]) for t in everyone]
        weak = [_interval_where(low, high, *pay[t], u[t], strict=False) for t in everyone]
        eliminated = [t for t in everyone
                      if any(_contained(weak[t], *pay[s], u[s]) and _interval_where(low, high, *pay[s], u[s], True)
                             for s in everyone if s != t)]
        kept = [t for t in everyone if t not in eliminated] or list(everyone)
        if not _supported(game, m, profile, kept):
            deviator = next((t for t in kept if weak[t] is not None), kept[0])
            return Verdict(False, game.messages[m], game.types[deviator], u[deviator], None,
                           tuple(game.types[t] for t in eliminated),
                           f"whenever {_names(game, eliminated)} would gain from {game.messages[m]}, "
                           f"{_names(game, [t for t in everyone if t not in eliminated])} gains strictly; with beliefs "
                           f"on the latter the receiver's answer to {game.messages[m]} is not a best response")
    return Verdict(True, reason=_survival(game, profile))


def _supported(game: SignallingGame, m: int, profile: Mapping, types) -> bool:
    """Whether the equilibrium's response at ``m`` is a best response to a belief over ``types``."""
    mix = profile[game.receiver_infosets[m]]
    rows = [tuple(game.payoff[1][t][m][a] - game.payoff[1][t][m][b] for t in types)
            for a, p in enumerate(mix) if p > 0 for b in range(len(game.responses)) if b != a]
    return bool(polytope_vertices(len(types), rows))


def sequential(tree: ExtensiveGame, game: SignallingGame | None, assessment: Assessment) -> Verdict:
    """Whether the PBE's beliefs can be consistent (module docstring)."""
    if game is not None:
        if all(p > 0 for p in game.prior):
            return Verdict(True, reason="a signalling game with a prior of full support: every belief after an unsent "
                                        "message is the limit of Bayes' beliefs as types send it with vanishing probability")
        return Verdict(None, reason="a type has prior probability 0")
    used: set = set()
    for beliefs in assessment.beliefs:
        if beliefs.on_path or len(beliefs.nodes) == 1:
            continue
        label = tree.infosets[beliefs.infoset].label
        classes = _tremble_classes(tree, assessment.profile, beliefs.nodes)
        if classes is None:
            return Verdict(None, reason=f"at {label} the trembles that reach the nodes overlap; consistency is not "
                                        f"decided here")
        if len(classes) > 1:
            trembles = set().union(*(z for z, _ in classes))
            if trembles & used:
                return Verdict(None, reason="two information sets off the path rest on the same trembles; their joint "
                                            "consistency is not decided here")
            used |= trembles
        if not polytope_vertices(len(beliefs.nodes), [d for _, _, d in beliefs.constraints]
                                 + _consistency_rows(beliefs.nodes, classes)):
            return Verdict(False, reason=f"at {label} no consistent belief (a limit of Bayes' beliefs along trembles "
                                         f"towards the equilibrium) supports the prescribed moves")
    return Verdict(True, reason="each belief off the path is a limit of Bayes' beliefs as the moves that lead there "
                                "are taken with vanishing probabilities")


def _tremble_classes(tree: ExtensiveGame, profile: Mapping, nodes) -> list | None:
    """The nodes that keep weight in the limit, grouped by the set Z of zero-probability moves on
    their paths: with a tremble ε per move, a node's probability is c·Π_{z∈Z} ε_z, so a node whose
    Z strictly contains another's gets none, nodes with the same Z keep the ratio of their c, and
    classes with disjoint Z can take any weights. [(Z, {node: c})], or None when the classes'
    Z overlap (not decided here)."""
    chance = chance_reach(tree)
    found = {}
    for x in nodes:
        zero, weight = set(), Fraction(chance[x])
        for h, m in _player_moves(tree, int(x)):
            p = Fraction(profile[h][m])
            if p == 0:
                zero.add((h, m))
            else:
                weight *= p
        found[int(x)] = (frozenset(zero), weight)
    kept = {x: zw for x, zw in found.items() if not any(z2 < zw[0] for z2, _ in found.values())}
    classes: dict = {}
    for x, (z, c) in kept.items():
        classes.setdefault(z, {})[x] = c
    keys = list(classes)
    if any(a & b for i, a in enumerate(keys) for b in keys[i + 1:]):
        return None
    return [(z, members) for z, members in classes.items()]


def _consistency_rows(nodes, classes) -> list[tuple[Fraction, ...]]:
    """Inequalities (d·μ ≥ 0) for the consistent beliefs: no weight off the kept nodes, and the
    kept nodes of one class in the ratio of their c."""
    index = {int(x): i for i, x in enumerate(nodes)}
    kept = {x for _, members in classes for x in members}
    rows = []
    def row(pairs):
        out = [Fraction(0)] * len(nodes)
        for x, v in pairs:
            out[index[x]] += v
        return tuple(out)
    for x in index:
        if x not in kept:
            rows.append(row([(x, Fraction(-1))]))
    for _, members in classes:
        items = list(members.items())
        for (x, cx), (y, cy) in zip(items, items[1:]):
            rows += [row([(x, cy), (y, -cx)]), row([(x, -cy), (y, cx)])]
    return rows


def _player_moves(tree: ExtensiveGame, node: int) -> list[tuple[int, int]]:
    path = tree.path_to(node)
    return [(int(tree.node_infoset[a]), int(tree.move_index[b])) for a, b in zip(path[:-1], path[1:])
            if tree.node_player[a] >= 0]


# ---- the record of one PBE, in the game's names (the JSON fields of ``--concept pbe``) -----------
def node_labels(tree: ExtensiveGame, nodes) -> list[str]:
    """Names for the nodes of an information set: the chance moves on their paths (the types, in a
    Harsanyi tree) when those tell the nodes apart, else the node ids."""
    labels = []
    for x in nodes:
        path = tree.path_to(int(x))
        labels.append("/".join(tree.move_label(b) for a, b in zip(path[:-1], path[1:]) if tree.node_player[a] < 0))
    return labels if len(set(labels)) == len(labels) and all(labels) else [tree.node_ids[int(x)] for x in nodes]


def condition_text(tree: ExtensiveGame, beliefs: Beliefs) -> str:
    """The supporting beliefs in words: ``μ(strong | Beer) ≤ 1/2``, ``any belief``, or the
    inequalities over the nodes."""
    label = tree.infosets[beliefs.infoset].label
    names = node_labels(tree, beliefs.nodes)
    if beliefs.on_path:
        return "Bayes' rule: " + ", ".join(f"μ({n} | {label}) = {format_number(p)}" for n, p in zip(names, beliefs.belief))
    if beliefs.unrestricted:
        return "any belief"
    if len(names) == 2:
        low, high = beliefs.interval
        mu = f"μ({names[0]} | {label})"
        if low == high:
            return f"{mu} = {format_number(low)}"
        if low == 0:
            return f"{mu} ≤ {format_number(high)}"
        return f"{mu} ≥ {format_number(low)}" if high == 1 else f"{format_number(low)} ≤ {mu} ≤ {format_number(high)}"
    parts = []
    for _, _, d in dict.fromkeys((0, 0, d) for _, _, d in beliefs.constraints):
        terms = " + ".join(f"{format_number(c)}·μ({n})" for c, n in zip(d, names) if c != 0)
        parts.append(f"{terms} ≥ 0".replace("+ -", "− "))
    return ", ".join(parts)


def _verdict_record(verdict: Verdict) -> dict:
    return {"holds": verdict.survives, "why": verdict.reason}


def assessment_record(tree: ExtensiveGame, game: SignallingGame | None, assessment: Assessment) -> dict:
    """Beliefs at each information set of several nodes (``{set: {node: probability}}``; off the
    path one supporting belief), the conditions on beliefs, and for signalling games the
    classification and the refinements' verdicts."""
    beliefs, conditions = {}, {}
    for b in assessment.beliefs:
        if len(b.nodes) < 2:
            continue
        label = tree.infosets[b.infoset].label
        names = node_labels(tree, b.nodes)
        beliefs[label] = dict(zip(names, b.belief))
        conditions[label] = {"on_path": b.on_path, "condition": condition_text(tree, b),
                             "supporting_beliefs": [dict(zip(names, v)) for v in b.vertices]}
        if b.interval is not None:
            conditions[label]["interval"] = {"node": names[0], "low": b.interval[0], "high": b.interval[1]}
    record = {"beliefs": beliefs, "belief_conditions": conditions,
              "sequential": _verdict_record(sequential(tree, game, assessment))}
    if game is not None:
        record["classification"] = classification(game, assessment.profile)
        record["intuitive_criterion"] = _verdict_record(intuitive_criterion(game, assessment.profile))
        record["d1"] = _verdict_record(d1(game, assessment.profile))
    return record
