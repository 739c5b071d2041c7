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
* Otherwise, ``route="normal-form"`` (the complete route): the level's reduced normal form,
  restricted to the players who move in it, is solved by the method that the registry's one
  "auto" choice picks for it (:func:`solver.equilibria.registry.choose`: every extreme
  equilibrium by vertex enumeration for two movers, by polynomial enumeration for three or more,
  unless the level is too large), and each equilibrium is mapped to behaviour strategies (Kuhn
  1953, :func:`solver.model.reduce.behaviour_from_mixed`).
* ``route="sequence-form"``, or a two-mover level whose reduced normal form is too large: one
  equilibrium per level from the sequence form [Koller, Megiddo & von Stengel 1996; von Stengel
  1996] (:mod:`solver.equilibria.sequence_form`); ``complete`` is then False.

At an information set that the player's own equilibrium strategy excludes, behaviour is
unconstrained (no subgame starts below it without starting above it); we choose a best response
to the others' behaviour there.

Verification, before anything is returned (zero regret for exact trees, at most 1e-9 × the payoff
range for floats): every level equilibrium is checked against the nested subgames' values, which
— every nested part being Nash in its own subgame — makes the combination Nash in the enclosing
subgame (a player's best response there is a best response at the level against the nested
best-response values, which equal the current ones). In addition the first ``DIRECT_CHECKS``
combinations at every proper subgame root are checked directly with :func:`is_nash_behaviour`.
A level that the registry could only solve approximately (the logit homotopy may stop at a point
with a small regret) is not held to these checks: the result is then marked ``approximate`` and
the registry's verification reports each profile's measured regret.

"Complete" means: every combination of the extreme equilibria of every subgame, with pure
choices where a perfect-information mover is indifferent. Mixtures between tied moves, and
equilibria built from non-extreme points of a nested subgame's equilibrium component, are also
subgame perfect and are not listed. A level's continua that its listed equilibria do not span
are reported as ``families`` (``Family.where`` is the subgame root's node id; supports index the
level's reduced strategies of its movers) with a note in the subgame's own names.

When the deadline passes, the equilibria completed so far are returned with ``complete=False``
and a deadline note.

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
>>> sorted(tuple(str(v) for v in payoffs) for payoffs in result.payoffs), result.complete
([('2', '2'), ('2', '2'), ('3', '1')], True)
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from solver.core.deadline import expired
from solver.core.profiles import pure_vector
from solver.equilibria import registry
from solver.equilibria import sequence_form as sf
from solver.equilibria.dedupe import distinct_profiles
from solver.equilibria.recall import require_perfect_recall
from solver.equilibria.result import (CONSTANT_SUM, DEADLINE, FAMILY, INFO, LIMIT, ONE_EQUILIBRIUM, ONLY_PURE, SUBGAME,
                                      TIES, AlgorithmResult, Family, Note)
from solver.model.normal import NormalFormGame
from solver.model.reduce import behaviour_from_mixed, reduced_normal_form
from solver.model.tree import TERMINAL, ExtensiveGame, InformationSet
from solver.model.walk import expected_payoffs

#: At most this many subgame-perfect equilibria are listed (``complete`` is False beyond it).
MAX_EQUILIBRIA = 10_000

#: Largest reduced normal form (pure profiles) of a subgame level on the normal-form route; a
#: larger two-player level is solved by the sequence form instead (one equilibrium).
MAX_PROFILES = 50_000

ROUTES = ("normal-form", "sequence-form")

#: Combinations at each subgame root checked directly with the full-subgame Nash test (all of
#: them are verified through their parts: every level equilibrium and every nested subgame's).
DIRECT_CHECKS = 200

LABEL = "backward induction over subgames"
#: How each way of solving a level is named in the label (a registry method's name, or a route).
LEVEL_TEXT = {
    "backward-induction": "perfect-information decisions by backward induction (every pure choice among ties)",
    "sequence-form": "subgames by the sequence form (Lemke's algorithm, one equilibrium each)",
    "large": "large subgames by the sequence form (Lemke's algorithm, one equilibrium each)",
    "single": "single-mover subgames by their optimal pure plans",
    "enumerate": "subgames by 2-player extreme-equilibrium enumeration of the reduced normal form",
    "lemke-howson": "large 2-player subgames by Lemke–Howson on the reduced normal form (one equilibrium each)",
    "polynomial": "subgames with 3+ players by polynomial enumeration of the reduced normal form",
    "homotopy": "subgames with 3+ players by the logit homotopy (one equilibrium each)",
    "pure": "large subgames with 3+ players by their pure equilibria (mixed ones not searched)",
}
LARGE_TEXT = ("the subgame at '{where}': its reduced normal form has {profiles:,} pure profiles (more than "
              "{limit:,}); one equilibrium is found by the sequence form instead")
LIMIT_TEXT = "more than {limit} subgame-perfect equilibria: the list is cut at {limit}"
TIES_TEXT = ("a mover is indifferent at {count} perfect-information decision(s) ({where}): every pure choice is "
             "listed; mixtures of tied moves are also subgame perfect")
LEVEL_NOTE_TEXT = "the subgame at '{where}': {detail}"
#: Level notes that the label or this module's own notes already say, or that only inform about a
#: level's search (``INFO``); the others are passed on as ``SUBGAME`` notes.
_COVERED = {DEADLINE, LIMIT, TIES, ONE_EQUILIBRIUM, ONLY_PURE, CONSTANT_SUM, INFO}


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
    inside = set(tree.subtree_nodes(root).tolist())
    return all(set(tree.infosets[int(tree.node_infoset[n])].nodes) <= inside
               for n in inside if tree.node_infoset[n] >= 0)


def is_nash_behaviour(tree: ExtensiveGame, behaviour, root: int = 0) -> bool:
    """Whether ``behaviour`` is a Nash equilibrium of the subgame at ``root``.

    Each player's best response is computed over its own sequences (perfect recall), so the
    check is exact — zero regret — for exact trees and behaviour, and within 1e-9 × the payoff
    range for floats. ``root`` must root a proper subgame.
    """
    if not _is_subgame_root(tree, root):
        raise ValueError(f"node '{tree.node_ids[root]}' does not root a proper subgame (an information set crosses its subtree)")
    return sf.is_nash_at(tree, behaviour, root)


# ---- a level: the part of a subgame above its nested subgames -----------------------------------
@dataclass(frozen=True)
class _Level:
    game: ExtensiveGame          # payoffs at the cut leaves are filled in per combination
    old_infoset: tuple[int, ...]  # level infoset -> tree infoset
    cut_position: dict           # nested subgame root (tree node) -> level node


def _level(tree: ExtensiveGame, root: int, cuts: set[int]) -> _Level:
    """The subtree at ``root`` with every nested subgame root in ``cuts`` turned into a leaf."""
    exact = tree.leaf_payoffs.dtype == object
    zero = Fraction(0) if exact else 0.0
    order, parent, move, depth = [root], [-1], [-1], [0]
    first, count = [], []
    head = 0
    while head < len(order):
        node = order[head]
        inner = node not in cuts and tree.node_player[node] != TERMINAL
        first.append(len(order) if inner else -1)
        count.append(int(tree.num_children[node]) if inner else 0)
        for child in tree.children(node) if inner else ():
            order.append(child)
            parent.append(head)
            move.append(int(tree.move_index[child]))
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
    game = tree.with_changes(parent=np.array(parent, dtype=np.int64), node_player=np.array(players, dtype=np.int64),
                             first_child=np.array(first, dtype=np.int64), num_children=np.array(count, dtype=np.int64),
                             move_index=np.array(move, dtype=np.int64), depth=np.array(depth, dtype=np.int64),
                             node_infoset=np.array(infoset_of, dtype=np.int64), infosets=infosets,
                             node_moves=tuple(moves_of), chance_probs=prob_array, leaf_payoffs=payoffs,
                             node_ids=tuple(ids), outcomes=tuple(outcomes))
    return _Level(game, tuple(old_infoset), {c: position[c] for c in cuts})


def _with_cut_values(level: _Level, values: dict) -> ExtensiveGame:
    payoffs = np.array(level.game.leaf_payoffs, copy=True)
    for cut, value in values.items():
        payoffs[level.cut_position[cut], :] = list(value)
    return level.game.with_changes(leaf_payoffs=payoffs)


def _movers_game(game: ExtensiveGame, strategies, payoffs: np.ndarray, movers: list[int]) -> NormalFormGame:
    """A level's reduced normal form restricted to its movers (every other player has one strategy)."""
    index = tuple(slice(None) if p in movers else 0 for p in range(game.num_players))
    return NormalFormGame.from_arrays([game.players[p] for p in movers], [[s.name for s in strategies[p]] for p in movers],
                                      np.stack([payoffs[p][index] for p in movers]))


def _family_note(family: Family, k: int, count: int, level: NormalFormGame) -> Note:
    """A family's description in the subgame's own player and strategy names."""
    parts = []
    for i, support in enumerate(family.support):
        names = ", ".join(level.strategies[i][s] for s in support)
        if i in family.varying:
            parts.append(f"{level.players[i]} mixes {names} in proportions that vary across the family")
        elif len(support) == 1:
            parts.append(f"{level.players[i]} plays {names}")
        else:
            parts.append(f"{level.players[i]} mixes {names} in fixed proportions")
    size = "" if family.dimension is None else f"{family.dimension}-dimensional; "
    return Note(FAMILY, "the subgame at '{where}': equilibrium family {index} of {count} (" + size
                + "only some of its points are listed): {description}",
                {"where": family.where, "index": k, "count": count, "description": "; ".join(parts)})


def _fill_excluded(game: ExtensiveGame, behaviour: dict, missing: list[int], exact: bool) -> dict:
    """Behaviour at information sets the owner's own play excludes: a best response to the
    others (any move keeps the equilibrium, since no subgame starts there)."""
    if not missing:
        return behaviour
    full = dict(behaviour)
    for h in missing:          # placeholders; they never weigh in (their owner never gets there)
        full[h] = pure_vector(0, len(game.infosets[h].moves), exact)
    seqs = sf.sequences_of(game, 0)
    for player in sorted({game.infosets[h].player for h in missing}):
        _, best = sf.best_response_values(game, full, player, seqs)
        for h in missing:
            if game.infosets[h].player == player:
                full[h] = pure_vector(best[h], len(game.infosets[h].moves), exact)
    return full


class _Solver:
    """Solves the proper subgames bottom-up and collects the label's parts, the notes and the families."""

    def __init__(self, tree: ExtensiveGame, route: str, deadline, limit: int):
        self.tree, self.route, self.deadline, self.limit = tree, route, deadline, limit
        self.exact = tree.is_exact
        self.complete = True
        self.approximate = False
        self.methods: list[str] = []
        self.notes: list[Note] = []
        self.families: list[Family] = []
        self.ties: list[str] = []
        self._sequences: dict[int, sf.Sequences] = {}

    def sequences(self, root: int) -> sf.Sequences:
        """The sequences of the subgame at ``root`` of the whole tree (computed once per root)."""
        if root not in self._sequences:
            self._sequences[root] = sf.sequences_of(self.tree, root)
        return self._sequences[root]

    def method(self, key: str):
        text = LEVEL_TEXT.get(key, f"subgames by the '{key}' method on the reduced normal form")
        if text not in self.methods:
            self.methods.append(text)

    def note(self, note: Note):
        if note not in self.notes:
            self.notes.append(note)

    def absorb(self, result: AlgorithmResult, where: str):
        """A level result's completeness, approximation and notes (in this module's terms)."""
        self.complete = self.complete and result.complete
        self.approximate = self.approximate or result.approximate
        for note in result.notes:
            if note.code == DEADLINE:
                self.note(Note(DEADLINE))
            elif note.code == LIMIT:
                self.note(Note(LIMIT, LIMIT_TEXT, {"limit": self.limit}))
            elif note.code not in _COVERED:
                self.note(Note(SUBGAME, LEVEL_NOTE_TEXT, {"where": where, "detail": note.text(), "code": note.code}))

    # -- one level, one combination of nested payoffs --
    def solve_level(self, game: ExtensiveGame) -> tuple[list[dict], bool]:
        """The level's equilibria in behaviour strategies, and whether they are approximate."""
        if game.is_perfect_information:
            self.method("backward-induction")
            result = registry.run("backward-induction", game, deadline=self.deadline, limit=self.limit)
            if len(result.profiles) > 1 and game.node_ids[0] not in self.ties:
                self.ties.append(game.node_ids[0])
            self.absorb(result, game.node_ids[0])
            return [dict(p) for p in result.profiles], False
        movers = sf.active_players(game)
        if self.route == "sequence-form" and len(movers) == 2:
            return self._sequence_form(game, "sequence-form"), False
        return self._normal_form(game, movers)

    def _sequence_form(self, game: ExtensiveGame, key: str) -> list[dict]:
        self.method(key)
        result = sf.sequence_form_equilibrium(game, deadline=self.deadline)
        self.absorb(result, game.node_ids[0])
        return [dict(p) for p in result.profiles]

    def _normal_form(self, game: ExtensiveGame, movers: list[int]) -> tuple[list[dict], bool]:
        """The level's movers-only reduced normal form, solved by the registry's auto choice."""
        where = game.node_ids[0]
        seqs = sf.sequences_of(game, 0)
        size = math.prod(sf.reduced_strategy_count(game, p, seqs) for p in movers)
        if size > MAX_PROFILES:
            if len(movers) != 2:
                raise registry.CannotSolve(f"cannot solve: the subgame at '{where}' has {len(movers)} players moving and a "
                                           f"reduced normal form of {size:,} pure profiles, more than the "
                                           f"{MAX_PROFILES:,} this solver handles for 3 or more players")
            self.note(Note(SUBGAME, LARGE_TEXT, {"where": where, "profiles": size, "limit": MAX_PROFILES}))
            return self._sequence_form(game, "large"), False
        rnf = reduced_normal_form(game)
        level = _movers_game(game, rnf.strategies, np.asarray(rnf.game.payoffs), movers)
        result = registry.run(registry.AUTO, level, deadline=self.deadline)
        self.method("single" if len(movers) == 1 else result.method)
        self.absorb(result, where)
        families = [replace(f, where=where, members=()) for f in result.families if len(f.members) <= 1]
        for k, family in enumerate(families, 1):
            if all(f != family for f in self.families):
                self.families.append(family)
            self.note(_family_note(family, k, len(families), level))
        profiles = list(result.profiles) or [p for f in families for p in f.extreme_points]
        if self.route == "sequence-form" and len(movers) > 2:      # one equilibrium, as with two movers
            self.complete = False
            profiles = profiles[:1]
        behaviours = [self._behaviour(game, rnf.strategies, movers, mixed) for mixed in profiles]
        kept, _ = distinct_profiles(behaviours)        # realization-equivalent extreme equilibria: listed once
        return [behaviours[k] for k in kept], result.approximate

    def _behaviour(self, game: ExtensiveGame, strategies, movers: list[int], mixed) -> dict:
        """A mixed profile of the movers' reduced strategies as behaviour at every level set (Kuhn 1953)."""
        behaviour, missing = {}, []
        for p, probs in zip(movers, mixed):
            for h, b in behaviour_from_mixed(game, strategies[p], list(probs)).items():
                if b is None:
                    missing.append(h)
                else:
                    behaviour[h] = tuple(b)
        return _fill_excluded(game, behaviour, missing, self.exact)

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
        level = _level(self.tree, root, set(kids))
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
            profiles, approximate = self.solve_level(game)
            for level_behaviour in profiles:
                # The level part must be Nash against the nested subgames' values ...
                if not approximate and not sf.is_nash_at(game, level_behaviour, 0, seqs):
                    raise AssertionError(f"subgame-perfect solver: the equilibrium of the level at "
                                         f"'{self.tree.node_ids[root]}' fails the Nash check; this is a bug")
                own = {level.old_infoset[h]: tuple(p) for h, p in level_behaviour.items()}
                nested = [g[v] for g, v in zip(groups, values)]
                self._combine(root, own, expected_payoffs(game, level_behaviour), nested, found)
                if len(found) >= self.limit or self.past_deadline():
                    break
            if len(found) >= self.limit:
                self.complete = False
                self.note(Note(LIMIT, LIMIT_TEXT, {"limit": self.limit}))
                break
        return found

    def _combine(self, root: int, own: dict, value: tuple, nested: list[list[dict]], found: list):
        """The level part ``own`` with every combination of the nested subgames' equilibria."""
        for chosen in itertools.product(*nested):
            merged = dict(own)
            for part in chosen:
                merged.update(part)
            # ... which, with every nested part Nash in its subgame, makes the whole Nash in this
            # subgame (Kuhn 1953). The first combinations are also checked directly.
            if len(found) < DIRECT_CHECKS and not self.approximate and not sf.is_nash_at(self.tree, merged, root,
                                                                                         self.sequences(root)):
                raise AssertionError(f"subgame-perfect solver: the profile fails the Nash check in the "
                                     f"subgame at '{self.tree.node_ids[root]}'; this is a bug")
            found.append((value, merged))
            if len(found) >= self.limit or self.past_deadline():
                return

    def past_deadline(self) -> bool:
        if expired(self.deadline):
            self.complete = False
            self.note(Note(DEADLINE))
            return True
        return False


def subgame_perfect_equilibria(tree: ExtensiveGame, *, route: str = "normal-form", deadline: float | None = None,
                               limit: int = MAX_EQUILIBRIA) -> AlgorithmResult:
    """Subgame-perfect equilibria of a numeric tree with perfect recall, in behaviour strategies.

    ``route="normal-form"`` lists every combination of the extreme equilibria of every subgame
    (see the module docstring for what ``complete`` covers); ``route="sequence-form"`` finds one
    equilibrium per subgame by Lemke's algorithm on the sequence form (two movers per subgame).
    ``deadline`` is a ``time.monotonic()`` value (when it passes, what is complete is returned,
    with ``complete=False``); ``limit`` caps the number listed. Profiles cover every information
    set; ``payoffs`` are their expected payoffs; ``label`` names how the levels were solved.
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
    if not found and solver.complete:
        raise AssertionError("no subgame-perfect equilibrium found; this is a bug")
    if solver.ties:
        shown = ", ".join(f"'{t}'" for t in solver.ties[:5]) + (" …" if len(solver.ties) > 5 else "")
        solver.note(Note(TIES, TIES_TEXT, {"count": len(solver.ties), "where": shown}))
    kept, _ = distinct_profiles([behaviour for _, behaviour in found])
    found = [found[k] for k in kept]
    profiles = tuple({h: tuple(behaviour[h]) for h in range(len(tree.infosets))} for _, behaviour in found)
    return AlgorithmResult("subgames" if route == "normal-form" else "sequence-form", profiles, solver.complete,
                           label="; ".join([LABEL] + solver.methods), families=tuple(solver.families),
                           notes=tuple(solver.notes), approximate=solver.approximate,
                           payoffs=tuple(tuple(value) for value, _ in found))
