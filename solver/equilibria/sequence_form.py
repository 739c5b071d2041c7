"""One Nash equilibrium of a two-player extensive game with perfect recall, by the sequence form.

The sequence form [von Stengel 1996; Koller, Megiddo & von Stengel 1996] replaces pure strategies
(exponentially many) by *sequences*: a player's sequence is the list of its own moves on the way
to a node, which under perfect recall is fixed by the last (information set, move) pair. A mixed
strategy becomes a *realisation plan* x ≥ 0 with ``E x = e``: x(∅) = 1 and, at each information
set h, the plans of h's moves add up to the plan of the sequence leading to h. Expected payoffs
are bilinear, ``xᵀ A y`` and ``xᵀ B y``, with one entry per pair of sequences that meet at a
leaf (chance probabilities folded in), so the game is linear in the size of the tree.

An equilibrium is a solution of the linear complementarity problem (the best-response LPs and
their duals, p and q free)

    E x = e,  F y = f,  x, y ≥ 0,
    u = Eᵀp − A y ≥ 0 ⊥ x,        v = Fᵀq − Bᵀx ≥ 0 ⊥ y,

which Koller, Megiddo & von Stengel solve with Lemke's algorithm. We use the covering vector of
von Stengel, van den Elzen & Talman (2002), which traces from a prior pair (s, t) of completely
mixed plans — move m at information set h weighted 1 + (h + m) mod 2, which avoids the ties and
long degenerate paths a uniform prior causes in symmetric games — with one artificial variable
z0 ∈ [0, 1]:

    E x = e (1 − z0),  F y = f (1 − z0),
    u = Eᵀp − A (y + t z0) ≥ 0 ⊥ x,      v = Fᵀq − Bᵀ(x + s z0) ≥ 0 ⊥ y.

At z0 = 1 the start is (0, 0) with p, q the best-response values against the priors; when z0
leaves the basis, (x, y) is an equilibrium. No secondary ray exists for 0 ≤ z0 < 1: along a ray
x and y cannot move (``E x' = −e z0'`` with x', z0' ≥ 0 forces x' = 0), so u' = Eᵀp' ≥ 0, and
complementarity gives (1 − z0) p'(∅) = 0 while any completely mixed plan x̃ gives
p'(∅) = x̃ᵀEᵀp' > 0. Should the degenerate start ever give a ray, another prior is tried.

Pivoting is exact, on integers: each tableau row is kept as an integer vector whose entry in
its basic variable's column is the row's denominator, so a pivot rewrites only the rows with a
non-zero in the entering column (cross-multiplication, then division by the row's gcd) — the
row-wise form of integer pivoting [Edmonds 1967; von Stengel 2002, §2.6]. Entries stay in int64
while they are below 2³¹ and move to Python integers otherwise. Degeneracy is resolved by the
lexicographic minimum-ratio test with respect to the initial basis (the right-hand side
perturbed by ``B0 (ε, ε², …)``), which makes the start lexico-feasible even though it is
degenerate. The free variables p and q are pivoted in first and never leave, so their rows and
columns are then dropped. Float games are solved exactly from ``Fraction(float)`` data and
returned as floats.

The returned behaviour profile is realisation-equivalent to the plans found [Kuhn 1953]; at
information sets that a player's own plan never reaches, the move is a best response to the other
player's plan. Every result passes :func:`is_nash_at` (zero regret, exactly) before it is returned.
When the deadline passes, the result holds no profile (``complete=False`` and a deadline note).

References:
    B. von Stengel (1996), "Efficient computation of behavior strategies", Games and Economic
    Behavior 14, 220–246.
    D. Koller, N. Megiddo, B. von Stengel (1996), "Efficient computation of equilibria for
    extensive two-person games", Games and Economic Behavior 14, 247–259.
    B. von Stengel, A. van den Elzen, D. Talman (2002), "Computing normal form perfect equilibria
    for extensive two-person games", Econometrica 70, 693–715.
    B. von Stengel (2002), "Computing equilibria for two-person games", Handbook of Game Theory
    vol. 3, ch. 45.
    J. Edmonds (1967), "Systems of distinct representatives and linear algebra", Journal of
    Research of the National Bureau of Standards 71B, 241–245.
    H. W. Kuhn (1953), "Extensive games and the problem of information", Annals of Mathematics
    Studies 28, 193–216.

>>> from solver.model.tree import Chance, Decision, Terminal, build_tree
>>> from fractions import Fraction as F
>>> def bob(w):   # Bob sees neither the card nor Alice's hand
...     return Decision("Bob", {"Meet": Terminal((2 * w, -2 * w)), "Pass": Terminal((1, -1))}, infoset="bet")
>>> poker = build_tree(["Alice", "Bob"], Chance({"K": F(1, 2), "Q": F(1, 2)}, {
...     "K": Decision("Alice", {"Raise": bob(1), "Fold": Terminal((-1, 1))}, infoset="king"),
...     "Q": Decision("Alice", {"Raise": bob(-1), "Fold": Terminal((-1, 1))}, infoset="queen")})).evaluated()
>>> result = sequence_form_equilibrium(poker)
>>> [[str(p) for p in result.profiles[0][h]] for h in range(3)], [str(v) for v in result.payoffs[0]]
([['1', '0'], ['1/3', '2/3'], ['2/3', '1/3']], ['1/3', '-1/3'])
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from solver.core.deadline import DeadlinePassed, check
from solver.core.linear import RowScaledTableau
from solver.core.numbers import FLOAT_TOLERANCE, exact_array, integer_scaled, payoff_scale
from solver.equilibria.recall import require_perfect_recall
from solver.equilibria.result import DEADLINE, ONE_EQUILIBRIUM, AlgorithmResult, Note
from solver.model.tree import TERMINAL, ExtensiveGame
from solver.model.walk import chance_reach, expected_payoffs, product, reach_probabilities

# Deadline checked once per this many pivots.
_DEADLINE_STRIDE = 8

LABEL = "sequence form (Lemke's algorithm, one equilibrium)"
ONE_EQUILIBRIUM_TEXT = "Lemke's algorithm on the sequence form finds one equilibrium; others may exist"


class _Ray(Exception):
    """Lemke's algorithm met an unbounded edge (ray termination)."""


# ---- sequences ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sequences:
    """Every player's sequences in the subtree rooted at ``root`` (a proper subgame's root).

    ``sequences[i][0]`` is the empty sequence; ``node_sequence[i, n]`` is the index of i's last
    own sequence on the way from ``root`` to node n (-1 outside the subtree). ``infosets[i]`` lists
    i's information sets in the subtree, shallowest first, so a set's own successors come later.
    """
    root: int
    nodes: np.ndarray                               # subtree nodes, parents before children
    leaves: np.ndarray                              # its terminal nodes
    sequences: tuple[tuple, ...]                    # per player: (None, (h, m), ...)
    index: tuple[dict, ...]                         # per player: (h, m) -> position
    node_sequence: np.ndarray                       # (players, num_nodes)
    infosets: tuple[tuple[int, ...], ...]           # per player
    parent_sequence: dict                           # infoset -> index of its owner's sequence into it
    chance_reach: np.ndarray                        # per node: product of chance probabilities from root


def sequences_of(tree: ExtensiveGame, root: int = 0) -> Sequences:
    """The sequence structure of the subtree at ``root`` (perfect recall assumed)."""
    players = tree.num_players
    nodes = tree.subtree_nodes(root)
    node_sequence = np.full((players, tree.num_nodes), -1, dtype=np.int64)
    node_sequence[:, root] = 0
    sequences = [[None] for _ in range(players)]
    index = [{} for _ in range(players)]
    infosets = [[] for _ in range(players)]
    parent_sequence = {}
    for node in nodes.tolist():
        mover = int(tree.node_player[node])
        if mover == TERMINAL:
            continue
        if mover >= 0:
            h = int(tree.node_infoset[node])
            if h not in parent_sequence:
                parent_sequence[h] = int(node_sequence[mover, node])
                infosets[mover].append(h)
                for m in range(len(tree.infosets[h].moves)):
                    index[mover][(h, m)] = len(sequences[mover])
                    sequences[mover].append((h, m))
        for child in tree.children(node):
            node_sequence[:, child] = node_sequence[:, node]
            if mover >= 0:
                node_sequence[mover, child] = index[mover][(h, int(tree.move_index[child]))]
    leaves = nodes[tree.node_player[nodes] == TERMINAL]
    return Sequences(root, nodes, leaves, tuple(tuple(s) for s in sequences), tuple(index), node_sequence,
                     tuple(tuple(s) for s in infosets), parent_sequence, chance_reach(tree, root))


def _direct_values(seqs: Sequences, player: int, weights: np.ndarray) -> list:
    """Per own sequence of ``player``, the sum of ``weights`` (one per leaf of ``seqs``) over the
    leaves that the sequence ends at."""
    zero = Fraction(0) if weights.dtype == object else 0.0
    direct = np.full(len(seqs.sequences[player]), zero, dtype=weights.dtype)
    np.add.at(direct, seqs.node_sequence[player, seqs.leaves], weights)
    return direct.tolist()


def _roll_up(direct: list, seqs: Sequences, player: int, tree: ExtensiveGame):
    """Best-response values: ``direct[σ]`` is what the leaves ending in own sequence σ are worth;
    returns (values with the best continuation added up, best move per information set)."""
    values = list(direct)
    best = {}
    index = seqs.index[player]
    for h in reversed(seqs.infosets[player]):
        options = [values[index[(h, m)]] for m in range(len(tree.infosets[h].moves))]
        top = max(options)
        best[h] = options.index(top)
        values[seqs.parent_sequence[h]] += top
    return values, best


def reduced_strategy_count(tree: ExtensiveGame, player: int, seqs: Sequences) -> int:
    """How many reduced pure strategies ``player`` has in the subtree of ``seqs``: after a
    sequence, the product over the sets that follow it of the sum over their moves."""
    count = [1] * len(seqs.sequences[player])
    for h in reversed(seqs.infosets[player]):
        count[seqs.parent_sequence[h]] *= sum(count[seqs.index[player][(h, m)]] for m in range(len(tree.infosets[h].moves)))
    return count[0]


def best_response_values(tree: ExtensiveGame, behaviour, player: int, seqs: Sequences):
    """(best-response value, best move per own information set) of ``player`` in the subgame of
    ``seqs`` against the others' behaviour. At sets the others never let the player reach, any
    move is best (the values there are zero)."""
    own = {h: (1,) * len(tree.infosets[h].moves) for h in seqs.infosets[player]}   # count others' moves only
    others = reach_probabilities(tree, {**behaviour, **own}, seqs.root)
    payoffs = np.asarray(tree.leaf_payoffs[seqs.leaves, player], dtype=others.dtype)
    values, best = _roll_up(_direct_values(seqs, player, product(payoffs, others[seqs.leaves])), seqs, player, tree)
    return values[0], best


def behaviour_regrets(tree: ExtensiveGame, behaviour, root: int = 0, seqs: Sequences | None = None) -> list:
    """Each player's regret (best-response value minus current value) in the subgame at ``root``.

    The best response is computed over the player's own sequences, so the check is exact for exact
    trees and behaviour, and linear in the size of the subtree."""
    seqs = seqs or sequences_of(tree, root)
    current = expected_payoffs(tree, behaviour, root)
    return [best_response_values(tree, behaviour, i, seqs)[0] - current[i] for i in range(tree.num_players)]


def is_exact_behaviour(behaviour) -> bool:
    return all(isinstance(p, (int, Fraction)) and not isinstance(p, bool)
               for probs in behaviour.values() for p in probs)


def valid_behaviour(tree: ExtensiveGame, behaviour, infosets, exact: bool) -> bool:
    """Every listed information set has a probability vector over its moves."""
    for h in infosets:
        probs = behaviour.get(h)
        if probs is None or len(probs) != len(tree.infosets[h].moves):
            return False
        if exact:
            if any(p < 0 for p in probs) or sum(probs) != 1:
                return False
        elif any(float(p) < -FLOAT_TOLERANCE for p in probs) or abs(float(sum(probs)) - 1) > 1e-9 * len(probs):
            return False
    return True


def is_nash_at(tree: ExtensiveGame, behaviour, root: int = 0, seqs: Sequences | None = None) -> bool:
    """Whether ``behaviour`` is a Nash equilibrium of the subgame at ``root`` (exact when exact)."""
    seqs = seqs or sequences_of(tree, root)
    exact = tree.is_exact and is_exact_behaviour(behaviour)
    own = [h for infosets in seqs.infosets for h in infosets]
    if not valid_behaviour(tree, behaviour, own, exact):
        return False
    if exact:
        return all(r == 0 for r in behaviour_regrets(tree, behaviour, root, seqs))
    as_float = {h: tuple(float(p) for p in probs) for h, probs in behaviour.items()}
    tolerance = FLOAT_TOLERANCE * payoff_scale(tree.leaf_payoffs[seqs.leaves])
    return all(float(r) <= tolerance for r in behaviour_regrets(tree, as_float, root, seqs))


# ---- the sequence-form LCP -----------------------------------------------------------------
def _payoff_matrices(tree: ExtensiveGame, seqs: Sequences, a: int, b: int):
    n1, n2 = len(seqs.sequences[a]), len(seqs.sequences[b])
    A = [[Fraction(0)] * n2 for _ in range(n1)]
    B = [[Fraction(0)] * n2 for _ in range(n1)]
    for node in seqs.leaves.tolist():
        i, j = int(seqs.node_sequence[a, node]), int(seqs.node_sequence[b, node])
        weight = seqs.chance_reach[node]
        A[i][j] += weight * tree.leaf_payoffs[node, a]
        B[i][j] += weight * tree.leaf_payoffs[node, b]
    return A, B


def _constraint_rows(tree: ExtensiveGame, seqs: Sequences, player: int) -> list[dict[int, int]]:
    """Rows of E (sparse): x(∅) = 1, then Σ_m x(h, m) − x(parent(h)) = 0 per information set."""
    rows = [{0: 1}]
    for h in seqs.infosets[player]:
        row = {seqs.index[player][(h, m)]: 1 for m in range(len(tree.infosets[h].moves))}
        row[seqs.parent_sequence[h]] = -1
        rows.append(row)
    return rows


def _prior_plan(tree: ExtensiveGame, seqs: Sequences, player: int, rng: random.Random | None):
    """Realisation plan of the prior: at information set h, move m has weight 1 + (h + m) mod 2
    (small numbers, but no symmetry between moves or between sets, which a uniform prior has and
    which makes for long degenerate paths); with ``rng``, random positive weights."""
    plan = [Fraction(0)] * len(seqs.sequences[player])
    plan[0] = Fraction(1)
    for h in seqs.infosets[player]:
        k = len(tree.infosets[h].moves)
        raw = [rng.randint(1, 9) if rng is not None else 1 + (h + m) % 2 for m in range(k)]
        for m in range(k):
            plan[seqs.index[player][(h, m)]] = plan[seqs.parent_sequence[h]] * Fraction(raw[m], sum(raw))
    return plan


def _best_sequences(tree, seqs, player, direct) -> set[int]:
    """Sequences of a pure best response given the direct sequence values (one move per set)."""
    _, best = _roll_up(direct, seqs, player, tree)
    return {seqs.index[player][(h, m)] for h, m in best.items()}


@dataclass(frozen=True)
class _Lcp:
    """The LCP's equations: variables x, y, u, v, p, q, z0 are numbered in that order."""
    A: list
    B: list
    E: list[dict[int, int]]
    F: list[dict[int, int]]
    At: list          # A t: the payoff of each of a's sequences against b's prior
    Bs: list          # Bᵀ s: the payoff of each of b's sequences against a's prior

    @property
    def sizes(self) -> tuple[int, int, int, int]:
        return len(self.A), len(self.A[0]), len(self.E), len(self.F)

    def first(self) -> tuple[int, int, int, int, int, int, int]:
        """The first variable of x, y, u, v, p, q and z0."""
        n1, n2, k1, k2 = self.sizes
        return 0, n1, n1 + n2, 2 * n1 + n2, 2 * (n1 + n2), 2 * (n1 + n2) + k1, 2 * (n1 + n2) + k1 + k2

    def rows(self) -> list[list[int]]:
        """E x + e z0 = e;  F y + f z0 = f;  Eᵀp − A y − (A t) z0 − u = 0;  Fᵀq − Bᵀx − (Bᵀs) z0 − v = 0;
        each row scaled to integers, the right-hand side last."""
        n1, n2, _, _ = self.sizes
        X, Y, U, V, P, Q, Z = self.first()
        width = Z + 2

        def line(entries: dict) -> list[int]:
            row = [0] * width
            for column, value in entries.items():
                row[column] = value
            return integer_scaled(row)

        start = {Z: 1, Z + 1: 1}
        rows = [line({**{X + i: v for i, v in e.items()}, **(start if r == 0 else {})}) for r, e in enumerate(self.E)]
        rows += [line({**{Y + j: v for j, v in f.items()}, **(start if r == 0 else {})}) for r, f in enumerate(self.F)]
        for i in range(n1):
            rows.append(line({**{P + r: e[i] for r, e in enumerate(self.E) if i in e},
                              **{Y + j: -self.A[i][j] for j in range(n2) if self.A[i][j]}, Z: -self.At[i], U + i: -1}))
        for j in range(n2):
            rows.append(line({**{Q + r: f[j] for r, f in enumerate(self.F) if j in f},
                              **{X + i: -self.B[i][j] for i in range(n1) if self.B[i][j]}, Z: -self.Bs[j], V + j: -1}))
        return rows


def _lcp(tree: ExtensiveGame, seqs: Sequences, a: int, b: int, rng) -> tuple[_Lcp, list, list]:
    """The LCP of players a and b and their priors' realisation plans (s, t)."""
    A, B = _payoff_matrices(tree, seqs, a, b)
    s, t = _prior_plan(tree, seqs, a, rng), _prior_plan(tree, seqs, b, rng)
    n1, n2 = len(A), len(A[0])
    At = [sum(A[i][j] * t[j] for j in range(n2) if A[i][j]) for i in range(n1)]
    Bs = [sum(B[i][j] * s[i] for i in range(n1) if B[i][j]) for j in range(n2)]
    return _Lcp(A, B, _constraint_rows(tree, seqs, a), _constraint_rows(tree, seqs, b), At, Bs), s, t


def _initial_tableau(lcp: _Lcp, tree: ExtensiveGame, seqs: Sequences, a: int, b: int):
    """The tableau of the start at z0 = 1 (best responses to the priors; x(∅) and u(∅) both
    non-basic) with the rows and columns of p and q dropped (z0 is then column P, the
    right-hand side P + 1), and the lexicographic order: the columns of the start's variables."""
    n1, n2, k1, k2 = lcp.sizes
    X, Y, U, V, P, Q, Z = lcp.first()
    br1 = _best_sequences(tree, seqs, a, lcp.At)
    br2 = _best_sequences(tree, seqs, b, lcp.Bs) | {0}
    slacks = [U + i for i in range(n1) if i not in br1 and i != 0] + [V + j for j in range(n2) if j not in br2]
    others = [Z] + [X + i for i in sorted(br1)] + [Y + j for j in sorted(br2)]
    tab = RowScaledTableau(lcp.rows())
    assigned = set()
    for c in slacks:             # a slack's column is −(scale)·unit: its own row, made positive
        r = k1 + k2 + (c - U)
        tab.T[r, :] = -tab.T[r, :]
        tab.basis[r] = c
        assigned.add(r)

    def gauss_jordan(c):
        column = tab.T[:, c]
        r = next(r for r in range(len(tab.basis)) if r not in assigned and column[r] != 0)
        assigned.add(r)
        tab.pivot(r, c)

    for c in range(P, Z):        # Gauss–Jordan: p and q first; then their rows and columns go
        gauss_jordan(c)
    keep_rows = [k for k in range(len(tab.basis)) if not P <= tab.basis[k] < Z]
    tab.T = tab.T[np.ix_(keep_rows, list(range(P)) + [Z, Z + 1])]
    tab.basis = [tab.basis[k] for k in keep_rows]
    assigned = {i for i, k in enumerate(keep_rows) if k in assigned}
    others = [P] + others[1:]
    for c in others:
        gauss_jordan(c)
    if any(tab.value(r) < 0 for r in range(len(tab.basis))):
        raise AssertionError("sequence form: the initial basis is infeasible; this is a bug")
    # Any lexicographic order of the start's columns is correct (p and q's were unit columns in
    # rows that are gone); this one (deepest sequences first, z0 last) walked the fewest
    # degenerate pivots on poker and random trees.
    return tab, (others + slacks)[::-1]


def _solve_lcp(tree: ExtensiveGame, seqs: Sequences, a: int, b: int, rng, deadline):
    """Realisation plans (x, y) of an equilibrium for players a and b (exact tree), and the LCP."""
    lcp, _, _ = _lcp(tree, seqs, a, b, rng)
    tab, lex_columns = _initial_tableau(lcp, tree, seqs, a, b)
    n1, n2, _, _ = lcp.sizes
    X, Y, U, _, P, _, _ = lcp.first()
    entering = X                                         # x(∅): z0 (now column P) starts to fall
    steps = 0
    while True:
        steps += 1
        if steps % _DEADLINE_STRIDE == 0:
            check(deadline)
        r = tab.lex_min_row(entering, lex_columns)
        if r < 0:
            raise _Ray()
        leaving = tab.basis[r]
        tab.pivot(r, entering)
        if leaving == P:
            break
        entering = leaving + U if leaving < U else leaving - U     # the complement: x <-> u, y <-> v
    values = [Fraction(0)] * (2 * (n1 + n2))
    for r, var in enumerate(tab.basis):
        if var < len(values):
            values[var] = tab.value(r)
    return values[X:X + n1], values[Y:Y + n2], lcp


def _behaviour_from_plan(tree, seqs: Sequences, player: int, plan, opponent_direct) -> dict[int, tuple]:
    """Behaviour from a realisation plan; where the plan is zero, a best response to the opponent."""
    _, best = _roll_up(opponent_direct, seqs, player, tree)
    out = {}
    for h in seqs.infosets[player]:
        k = len(tree.infosets[h].moves)
        reach = plan[seqs.parent_sequence[h]]
        if reach > 0:
            out[h] = tuple(plan[seqs.index[player][(h, m)]] / reach for m in range(k))
        else:
            out[h] = tuple(Fraction(int(m == best[h])) for m in range(k))
    return out


def _pure_best_response(tree, seqs: Sequences, player: int) -> dict[int, tuple]:
    """A pure optimal plan for a single mover (a decision problem against chance)."""
    weights = product(tree.leaf_payoffs[seqs.leaves, player], seqs.chance_reach[seqs.leaves])
    _, best = _roll_up(_direct_values(seqs, player, weights), seqs, player, tree)
    return {h: tuple(Fraction(int(m == best[h])) for m in range(len(tree.infosets[h].moves))) for h in best}


def active_players(tree: ExtensiveGame) -> list[int]:
    """Players with at least one information set."""
    return sorted({s.player for s in tree.infosets})


def _two_player_equilibrium(game: ExtensiveGame, seqs: Sequences, a: int, b: int, deadline) -> dict[int, tuple]:
    rng = None
    for attempt in range(4):
        try:
            x, y, lcp = _solve_lcp(game, seqs, a, b, rng, deadline)
            break
        except _Ray:
            rng = random.Random(attempt)
    else:
        raise RuntimeError("Lemke's algorithm on the sequence form ended on a ray for every prior tried")
    A, B = lcp.A, lcp.B
    Ay = [sum(A[i][j] * y[j] for j in range(len(y)) if A[i][j] and y[j]) for i in range(len(x))]
    Bx = [sum(B[i][j] * x[i] for i in range(len(x)) if B[i][j] and x[i]) for j in range(len(y))]
    return {**_behaviour_from_plan(game, seqs, a, x, Ay), **_behaviour_from_plan(game, seqs, b, y, Bx)}


def _equilibrium(tree: ExtensiveGame, movers: list[int], deadline) -> dict[int, tuple]:
    """The verified behaviour profile; :class:`DeadlinePassed` when the deadline passes."""
    game = tree if tree.is_exact else tree.with_changes(chance_probs=exact_array(tree.chance_probs),
                                                        leaf_payoffs=exact_array(tree.leaf_payoffs))
    seqs = sequences_of(game, 0)
    if not movers:
        behaviour = {}
    elif len(movers) == 1:
        behaviour = _pure_best_response(game, seqs, movers[0])
    else:
        behaviour = _two_player_equilibrium(game, seqs, *movers, deadline)
    if not is_nash_at(game, behaviour, 0, seqs):
        raise AssertionError("the sequence-form solution fails the regret check; this is a bug")
    if game is tree:
        return behaviour
    floats = {h: tuple(float(p) for p in probs) for h, probs in behaviour.items()}
    if not is_nash_at(tree, floats, 0):
        raise AssertionError("float rounding of the sequence-form solution fails the regret check")
    return floats


def sequence_form_equilibrium(tree: ExtensiveGame, *, deadline: float | None = None) -> AlgorithmResult:
    """One Nash equilibrium, in behaviour strategies, of a tree in which at most two players move.

    The profile maps every information set's index to a probability per move: exact ``Fraction``
    values when the tree is exact, floats otherwise; ``payoffs`` holds its expected payoffs.
    ``complete`` is False (others may exist). Raises ``ValueError`` without perfect recall or with
    three or more movers. When ``deadline`` (a ``time.monotonic()`` value) passes, the result has
    no profile and a deadline note.
    """
    if tree.is_symbolic:
        raise ValueError("evaluate the tree's parameters before solving it")
    require_perfect_recall(tree)
    movers = active_players(tree)
    if len(movers) > 2:
        raise ValueError(f"the sequence form here is for two players; {len(movers)} players move in this tree")
    try:
        behaviour = _equilibrium(tree, movers, deadline)
    except DeadlinePassed:
        return AlgorithmResult("sequence-form", (), False, label=LABEL, notes=(Note(DEADLINE),))
    return AlgorithmResult("sequence-form", (behaviour,), False, label=LABEL,
                           notes=(Note(ONE_EQUILIBRIUM, ONE_EQUILIBRIUM_TEXT),),
                           payoffs=(expected_payoffs(tree, behaviour),))
