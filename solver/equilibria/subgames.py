"""Subgame-perfect equilibria of finite extensive games with perfect recall.

A subgame-perfect equilibrium induces a Nash equilibrium in every proper subgame [Selten 1965;
Selten 1975, §3]. A node roots a proper subgame when no information set crosses the boundary of
its subtree. The solver works bottom-up over those subgames (Kuhn 1953; Osborne & Rubinstein 1994,
§6.2): the deepest subgames are solved first; each of their equilibria replaces the subgame by a
leaf carrying its payoffs, and the part of the enclosing subgame above the nested ones (its
*level*) is solved for every combination of the nested equilibria, so that several
subgame-perfect equilibria are all reported.

A level is solved as follows.
* Perfect information at the level: backward induction, every pure choice among ties
  (:mod:`solver.equilibria.backward`).
* Otherwise, ``route="normal-form"`` (the complete route): every extreme equilibrium of the
  level's reduced normal form — by vertex enumeration when two players move
  (:mod:`solver.equilibria.enumerate2`), by polynomial enumeration when three or more do
  (:mod:`solver.equilibria.polynomial`) — mapped to behaviour strategies (Kuhn 1953,
  :func:`solver.model.reduce.behaviour_from_mixed`).
* ``route="sequence-form"``: one equilibrium per level from the sequence form [Koller, Megiddo &
  von Stengel 1996; von Stengel 1996] (:mod:`solver.equilibria.sequence_form`); ``complete`` is
  then False.

At an information set that the player's own equilibrium strategy excludes, behaviour is
unconstrained (no subgame starts below it without starting above it); we choose a best response
to the others' behaviour there.

Verification, before anything is returned (zero regret for exact trees, at most 1e-9 × the payoff
range for floats): every level equilibrium is checked against the nested subgames' values, which
— every nested part being Nash in its own subgame — makes the combination Nash in the enclosing
subgame (a player's best response there is a best response at the level against the nested
best-response values, which equal the current ones). In addition the first ``DIRECT_CHECKS``
combinations at every proper subgame root are checked directly with :func:`is_nash_behaviour`.

"Complete" means: every combination of the extreme equilibria of every subgame, with pure
choices where a perfect-information mover is indifferent. Mixtures between tied moves, and
equilibria built from non-extreme points of a nested subgame's equilibrium component, are also
subgame perfect and are not listed.

References:
    R. Selten (1965), "Spieltheoretische Behandlung eines Oligopolmodells mit
    Nachfrageträgheit", Zeitschrift für die gesamte Staatswissenschaft 121, 301–324.
    R. Selten (1975), "Reexamination of the perfectness concept for equilibrium points in
    extensive games", International Journal of Game Theory 4, 25–55.
    H. W. Kuhn (1953), "Extensive games and the problem of information", Annals of Mathematics
    Studies 28, 193–216.
    D. Koller, N. Megiddo, B. von Stengel (1996), "Efficient computation of equilibria for
    extensive two-person games", Games and Economic Behavior 14, 247–259.
    B. von Stengel (1996), "Efficient computation of behavior strategies", Games and Economic
    Behavior 14, 220–246.
    M. J. Osborne, A. Rubinstein (1994), A Course in Game Theory, MIT Press.

>>> from solver.model.tree import Decision, Terminal, build_tree
>>> bos = {"B": Decision("P2", {"B": Terminal((3, 1)), "S": Terminal((0, 0))}, infoset="bos2"),
...        "S": Decision("P2", {"B": Terminal((0, 0)), "S": Terminal((1, 3))}, infoset="bos2")}
>>> game = build_tree(["P1", "P2"], Decision("P1", {"Out": Terminal((2, 2)), "In": Decision("P1", bos, infoset="bos1")})).evaluated()
>>> result = subgame_perfect_equilibria(game)
>>> [tuple(str(v) for v in e.payoffs) for e in result.equilibria], result.complete
([('2', '2'), ('2', '2'), ('3', '1')], True)
"""
from __future__ import annotations

import itertools
import math
import re
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from solver.equilibria import sequence_form as sf
from solver.equilibria.recall import require_perfect_recall
from solver.model.tree import TERMINAL, ExtensiveGame, InformationSet

#: At most this many subgame-perfect equilibria are listed (``complete`` is False beyond it).
MAX_EQUILIBRIA = 10_000

#: Largest reduced normal form (pure profiles) of a subgame level on the normal-form route; a
#: larger two-player level is solved by the sequence form instead (one equilibrium).
MAX_PROFILES = 50_000

ROUTES = ("normal-form", "sequence-form")

#: Combinations at each subgame root checked directly with the full-subgame Nash test (all of
#: them are verified through their parts: every level equilibrium and every nested subgame's).
DIRECT_CHECKS = 200


@dataclass(frozen=True)
class BehaviourEquilibrium:
    behaviour: dict[int, tuple]                            # information set -> probability per move
    payoffs: tuple                                         # expected payoff per player at the root
    outcome_distribution: tuple[tuple[int, object], ...]   # (terminal node, probability > 0)


@dataclass(frozen=True)
class SubgamePerfectResult:
    equilibria: tuple[BehaviourEquilibrium, ...]
    complete: bool
    method: str
    notes: tuple[str, ...]


# ---- structure --------------------------------------------------------------------------------
def proper_subgame_roots(tree: ExtensiveGame) -> list[int]:
    """Non-terminal nodes whose subtree no information set crosses, in increasing order (0 first)."""
    crossed = np.zeros(tree.num_nodes, dtype=bool)
    for infoset in tree.infosets:
        if len(infoset.nodes) < 2:
            continue
        paths = [tree.path_to(n) for n in infoset.nodes]
        shared = 0
        while all(len(p) > shared and p[shared] == paths[0][shared] for p in paths):
            shared += 1
        for path in paths:           # below the last common ancestor, on the way to a member
            crossed[path[shared:]] = True
    return [n for n in range(tree.num_nodes) if n == 0 or (tree.node_player[n] != TERMINAL and not crossed[n])]


def _is_subgame_root(tree: ExtensiveGame, root: int) -> bool:
    inside = set(int(n) for n in sf.subtree_nodes(tree, root))
    return all(set(tree.infosets[int(tree.node_infoset[n])].nodes) <= inside
               for n in inside if tree.node_infoset[n] >= 0)


def behaviour_payoffs(tree: ExtensiveGame, behaviour) -> tuple:
    """Expected payoff per player of a behaviour profile (exact for exact trees and behaviour)."""
    return sf.behaviour_payoffs_at(tree, behaviour, 0)


def is_nash_behaviour(tree: ExtensiveGame, behaviour, root: int = 0) -> bool:
    """Whether ``behaviour`` is a Nash equilibrium of the subgame at ``root``.

    Each player's best response is computed over its own sequences (perfect recall), so the
    check is exact — zero regret — for exact trees and behaviour, and within 1e-9 × the payoff
    range for floats. ``root`` must root a proper subgame.
    """
    if not _is_subgame_root(tree, root):
        raise ValueError(f"node '{tree.node_ids[root]}' does not root a proper subgame (an information set crosses its subtree)")
    return sf.is_nash_at(tree, behaviour, root)


def outcome_distribution(tree: ExtensiveGame, behaviour, seqs: sf.Sequences | None = None) -> tuple[tuple[int, object], ...]:
    """(terminal node, probability) for every leaf the profile reaches with positive probability."""
    reach = sf.reach_probabilities(tree, behaviour, seqs or sf.sequences_of(tree, 0))
    return tuple((int(n), reach[int(n)]) for n in tree.terminal_nodes() if reach[int(n)] > 0)


# ---- a level: the part of a subgame above its nested subgames -----------------------------------
@dataclass(frozen=True)
class _Level:
    game: ExtensiveGame          # payoffs at the cut leaves are filled in per combination
    old_infoset: tuple[int, ...]  # level infoset -> tree infoset
    cut_position: dict           # nested subgame root (tree node) -> level node


def _level(tree: ExtensiveGame, root: int, cuts: set[int]) -> _Level:
    """The subtree at ``root`` with every nested subgame root in ``cuts`` turned into a leaf."""
    from solver.model.tree import _replace
    exact = tree.leaf_payoffs.dtype == object
    zero = Fraction(0) if exact else 0.0
    order, parent, move, depth = [root], [-1], [-1], [0]
    first, count = [], []
    head = 0
    while head < len(order):
        node = order[head]
        if node in cuts or tree.node_player[node] == TERMINAL:
            first.append(-1); count.append(0)
        else:
            first.append(len(order)); count.append(int(tree.num_children[node]))
            for child in tree.children(node):
                order.append(child); parent.append(head); move.append(int(tree.move_index[child]))
                depth.append(depth[head] + 1)
        head += 1
    position = {node: k for k, node in enumerate(order)}
    players, infoset_of, moves_of, probs, ids, outcomes = [], [], [], [], [], []
    old_infoset, new_index = [], {}
    payoffs = np.empty((len(order), tree.num_players), dtype=object if exact else float)
    for k, node in enumerate(order):
        leaf = node in cuts or tree.node_player[node] == TERMINAL
        players.append(TERMINAL if leaf else int(tree.node_player[node]))
        moves_of.append(() if leaf else tree.node_moves[node])
        probs.append(tree.chance_probs[node] if k > 0 else (Fraction(1) if exact else 1.0))
        ids.append(tree.node_ids[node])
        outcomes.append(tree.outcomes[node])
        payoffs[k, :] = tree.leaf_payoffs[node] if tree.node_player[node] == TERMINAL else zero
        h = int(tree.node_infoset[node])
        if leaf or h < 0:
            infoset_of.append(-1)
            continue
        if h not in new_index:
            new_index[h] = len(old_infoset)
            old_infoset.append(h)
        infoset_of.append(new_index[h])
    infosets = tuple(InformationSet(tree.infosets[h].label, tree.infosets[h].player, tree.infosets[h].moves,
                                    tuple(position[n] for n in tree.infosets[h].nodes)) for h in old_infoset)
    prob_array = np.empty(len(order), dtype=object) if exact else np.zeros(len(order))
    prob_array[:] = probs
    game = _replace(tree, parent=np.array(parent, dtype=np.int64), node_player=np.array(players, dtype=np.int64),
                    first_child=np.array(first, dtype=np.int64), num_children=np.array(count, dtype=np.int64),
                    move_index=np.array(move, dtype=np.int64), depth=np.array(depth, dtype=np.int64),
                    node_infoset=np.array(infoset_of, dtype=np.int64), infosets=infosets,
                    node_moves=tuple(moves_of), chance_probs=prob_array, leaf_payoffs=payoffs,
                    node_ids=tuple(ids), outcomes=tuple(outcomes))
    return _Level(game, tuple(old_infoset), {c: position[c] for c in cuts})


def _with_cut_values(level: _Level, values: dict) -> ExtensiveGame:
    from solver.model.tree import _replace
    payoffs = np.array(level.game.leaf_payoffs, copy=True)
    for cut, value in values.items():
        payoffs[level.cut_position[cut], :] = list(value)
    return _replace(level.game, leaf_payoffs=payoffs)


def _family_text(family, game: ExtensiveGame, movers: list[int], rnf) -> str:
    """A family's description with player and strategy names instead of indices."""
    parts = []
    for segment in family.description.split("; "):
        match = re.match(r"player (\d+) (.*)", segment)
        if not match:
            continue
        k = int(match.group(1)) - 1
        if not 0 <= k < len(movers):
            return family.description
        names = [s.name for s in rnf.strategies[movers[k]]]
        text = re.sub(r"\bs(\d+)\b", lambda m: names[int(m.group(1))] if int(m.group(1)) < len(names) else m.group(0),
                      match.group(2))
        parts.append(f"{game.players[movers[k]]} {text}")
    return "; ".join(parts) if parts else family.description


def _pure(k: int, m: int, exact: bool) -> tuple:
    return tuple((Fraction(int(j == m)) if exact else float(j == m)) for j in range(k))


def _fill_excluded(game: ExtensiveGame, behaviour: dict, missing: list[int], exact: bool) -> dict:
    """Behaviour at information sets the owner's own play excludes: a best response to the
    others (any move keeps the equilibrium, since no subgame starts there)."""
    if not missing:
        return behaviour
    full = dict(behaviour)
    for h in missing:          # placeholders; they never weigh in (their owner never gets there)
        full[h] = _pure(len(game.infosets[h].moves), 0, exact)
    seqs = sf.sequences_of(game, 0)
    for player in sorted({game.infosets[h].player for h in missing}):
        _, best = sf.best_response_values(game, full, player, seqs)
        for h in missing:
            if game.infosets[h].player == player:
                full[h] = _pure(len(game.infosets[h].moves), best[h], exact)
    return full


class _Solver:
    def __init__(self, tree: ExtensiveGame, route: str, deadline, limit: int):
        self.tree, self.route, self.deadline, self.limit = tree, route, deadline, limit
        self.exact = tree.is_exact
        self.complete = True
        self.methods: list[str] = []
        self.notes: list[str] = []
        self.ties: list[str] = []

    def method(self, text: str):
        if text not in self.methods:
            self.methods.append(text)

    def note(self, text: str):
        if text not in self.notes:
            self.notes.append(text)

    # -- one level, one combination of nested payoffs --
    def solve_level(self, game: ExtensiveGame) -> list[dict]:
        movers = sf.active_players(game)
        if game.is_perfect_information:
            return self._perfect_information(game)
        if self.route == "sequence-form" and len(movers) == 2:
            self.method("subgames by the sequence form (Lemke's algorithm, one equilibrium each)")
            self.complete = False
            return [sf.sequence_form_equilibrium(game, deadline=self.deadline)]
        return self._normal_form(game, movers)

    def _perfect_information(self, game: ExtensiveGame) -> list[dict]:
        from solver.equilibria.backward import subgame_perfect_equilibria as backward
        self.method("perfect-information decisions by backward induction (every pure choice among ties)")
        profiles, _, complete = backward(game, limit=self.limit)
        if not complete:
            self.complete = False
        if len(profiles) > 1 and game.node_ids[0] not in self.ties:
            self.ties.append(game.node_ids[0])
        out = []
        for profile in profiles:
            out.append({int(game.node_infoset[n]): _pure(int(game.num_children[n]), m, self.exact)
                        for n, m in profile.items()})
        return out

    def _normal_form(self, game: ExtensiveGame, movers: list[int]) -> list[dict]:
        from solver.model.reduce import behaviour_from_mixed, reduced_normal_form
        seqs = sf.sequences_of(game, 0)
        profiles_count = math.prod(sf.reduced_strategy_count(game, p, seqs) for p in movers)
        if profiles_count > MAX_PROFILES:
            where = f"the subgame at '{game.node_ids[0]}'"
            if len(movers) == 2:
                self.note(f"{where}: its reduced normal form has {profiles_count:,} pure profiles (more than "
                          f"{MAX_PROFILES:,}); one equilibrium is found by the sequence form instead")
                self.method("large subgames by the sequence form (Lemke's algorithm, one equilibrium each)")
                self.complete = False
                return [sf.sequence_form_equilibrium(game, deadline=self.deadline)]
            raise ValueError(f"{where} has {len(movers)} players moving and a reduced normal form of "
                             f"{profiles_count:,} pure profiles, more than the {MAX_PROFILES:,} this solver handles")
        if self.past_deadline():
            return []
        rnf = reduced_normal_form(game)
        payoffs = np.asarray(rnf.game.payoffs)
        index = tuple(slice(None) if p in movers else 0 for p in range(game.num_players))
        sub = np.stack([payoffs[p][index] for p in movers])          # movers only
        profiles: list[list] = []
        if len(movers) == 1:
            self.method("single-mover subgames by their optimal pure plans")
            values = list(sub[0])
            top = max(values)
            scale = sf.payoff_range(game)
            for s, v in enumerate(values):
                if (v == top) if self.exact else (top - v <= 1e-12 * scale):
                    profiles.append([_pure(len(values), s, self.exact)])
        elif len(movers) == 2:
            from solver.equilibria.enumerate2 import enumerate_extreme_equilibria
            self.method("subgames by 2-player extreme-equilibrium enumeration of the reduced normal form")
            result = enumerate_extreme_equilibria(sub[0], sub[1], deadline=self.deadline)
            if not result.complete:
                self.complete = False
                self.note(f"the enumeration in the subgame at '{game.node_ids[0]}' stopped at the deadline")
            profiles = [[x, y] for x, y in result.equilibria]
        else:
            profiles = self._many_players(game, sub, movers, rnf)
        solutions = []
        for mixed in profiles:
            behaviour, missing = {}, []
            for p, probs in zip(movers, mixed):
                for h, b in behaviour_from_mixed(game, rnf.strategies[p], list(probs)).items():
                    if b is None:
                        missing.append(h)
                    else:
                        behaviour[h] = tuple(b)
            solutions.append(_fill_excluded(game, behaviour, missing, self.exact))
        return solutions

    def _many_players(self, game: ExtensiveGame, sub: np.ndarray, movers: list[int], rnf) -> list[list]:
        where = f"the subgame at '{game.node_ids[0]}'"
        try:
            from solver.equilibria.polynomial import enumerate_polynomial
        except ImportError:
            enumerate_polynomial = None
        if self.route == "normal-form" or (self.exact and enumerate_polynomial is not None):
            if enumerate_polynomial is None:
                raise NotImplementedError(f"{where} has three or more players moving; this needs "
                                          "solver.equilibria.polynomial")
            self.method("subgames with 3+ players by polynomial enumeration of the reduced normal form")
            result = enumerate_polynomial(sub, deadline=self.deadline)
            if not result.complete:
                self.complete = False
                self.note(f"{where}: the polynomial enumeration did not finish")
            profiles = [list(profile) for profile in result.equilibria]
            for k, family in enumerate(result.families, 1):
                self.note(f"{where}: equilibrium family {k} of {len(result.families)} ({family.dimension}-dimensional; only some "
                          f"of its points are listed): {_family_text(family, game, movers, rnf)}")
            if not profiles:                          # only families: report their sample points
                profiles = [list(p) for f in result.families for p in f.sample_points]
            if self.route == "sequence-form":         # one equilibrium, as on the two-player route
                self.complete = False
                profiles = profiles[:1]
            return profiles
        from solver.equilibria.homotopy import one_equilibrium
        self.method("subgames with 3+ players by the logit homotopy (one equilibrium each)")
        self.complete = False
        return [list(one_equilibrium(sub, deadline=self.deadline))]

    # -- the whole tree, bottom-up --
    def run(self) -> list[tuple[tuple, dict]]:
        tree = self.tree
        roots = proper_subgame_roots(tree)
        is_root = set(roots)
        kids: dict[int, list[int]] = {r: [] for r in roots}
        for r in roots[1:]:
            up = int(tree.parent[r])
            while up not in is_root:
                up = int(tree.parent[up])
            kids[up].append(r)
        solutions: dict[int, list[tuple[tuple, dict]]] = {}
        for r in reversed(roots):                     # children have larger indices
            solutions[r] = self.solve_root(r, kids[r], solutions)
            for c in kids[r]:
                del solutions[c]
        return solutions[0]

    def solve_root(self, root: int, kids: list[int], solutions) -> list[tuple[tuple, dict]]:
        tree = self.tree
        level = _level(tree, root, set(kids))
        groups = []                                   # per nested subgame: value -> behaviours
        for c in kids:
            by_value: dict[tuple, list[dict]] = {}
            for value, behaviour in solutions[c]:
                by_value.setdefault(value, []).append(behaviour)
            groups.append(by_value)
        found: list[tuple[tuple, dict]] = []
        seqs = None
        for values in itertools.product(*[list(g) for g in groups]):
            if self.past_deadline():
                break
            game = _with_cut_values(level, dict(zip(kids, values)))
            seqs = seqs or sf.sequences_of(game, 0)
            for level_behaviour in self.solve_level(game):
                # The level part must be Nash against the nested subgames' values ...
                if not sf.is_nash_at(game, level_behaviour, 0, seqs):
                    raise AssertionError(f"subgame-perfect solver: the equilibrium of the level at "
                                         f"'{tree.node_ids[root]}' fails the Nash check; this is a bug")
                value = tuple(sf.behaviour_payoffs_at(game, level_behaviour, 0, seqs))
                own = {level.old_infoset[h]: tuple(p) for h, p in level_behaviour.items()}
                for chosen in itertools.product(*[g[v] for g, v in zip(groups, values)]):
                    merged = dict(own)
                    for part in chosen:
                        merged.update(part)
                    # ... which, with every nested part Nash in its subgame, makes the whole Nash in
                    # this subgame (Kuhn 1953). The first combinations are also checked directly.
                    if len(found) < DIRECT_CHECKS and not sf.is_nash_at(tree, merged, root):
                        raise AssertionError(f"subgame-perfect solver: the profile fails the Nash check in the "
                                             f"subgame at '{tree.node_ids[root]}'; this is a bug")
                    found.append((value, merged))
                    if len(found) >= self.limit or self.past_deadline():
                        break
                if len(found) >= self.limit or self.past_deadline():
                    break
            if len(found) >= self.limit:
                self.complete = False
                self.note(f"more than {self.limit} subgame-perfect equilibria: the list is cut at {self.limit}")
                break
        return found

    def past_deadline(self) -> bool:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.complete = False
            self.note("the deadline passed: some subgame combinations were not solved")
            return True
        return False


def subgame_perfect_equilibria(tree: ExtensiveGame, *, route: str = "normal-form", deadline: float | None = None,
                               limit: int = MAX_EQUILIBRIA) -> SubgamePerfectResult:
    """Subgame-perfect equilibria of a numeric tree with perfect recall, in behaviour strategies.

    ``route="normal-form"`` lists every combination of the extreme equilibria of every subgame
    (see the module docstring for what ``complete`` covers); ``route="sequence-form"`` finds one
    equilibrium per subgame by Lemke's algorithm on the sequence form (two movers per subgame).
    ``deadline`` is a ``time.monotonic()`` value; ``limit`` caps the number listed.
    """
    if route not in ROUTES:
        raise ValueError(f"route must be one of {', '.join(ROUTES)}, got {route!r}")
    if tree.is_symbolic:
        raise ValueError("evaluate the tree's parameters before solving it")
    require_perfect_recall(tree)
    problems = tree.check_probabilities()
    if problems:
        raise ValueError("; ".join(problems))
    solver = _Solver(tree, route, deadline, limit)
    found = solver.run()
    if not found:
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError("the deadline passed before any subgame-perfect equilibrium was complete")
        raise AssertionError("no subgame-perfect equilibrium found; this is a bug")
    if solver.ties:
        shown = ", ".join(f"'{t}'" for t in solver.ties[:5]) + (" …" if len(solver.ties) > 5 else "")
        solver.note(f"a mover is indifferent at {len(solver.ties)} perfect-information decision(s) ({shown}): every pure "
                    "choice is listed; mixtures of tied moves are also subgame perfect")
    infosets = range(len(tree.infosets))
    seqs = sf.sequences_of(tree, 0)
    equilibria = []
    for value, behaviour in found:
        full = {h: tuple(behaviour[h]) for h in infosets}
        equilibria.append(BehaviourEquilibrium(full, tuple(value), outcome_distribution(tree, full, seqs)))
    method = "backward induction over subgames; " + "; ".join(solver.methods) if solver.methods else "backward induction over subgames"
    return SubgamePerfectResult(tuple(equilibria), solver.complete, method, tuple(solver.notes))
