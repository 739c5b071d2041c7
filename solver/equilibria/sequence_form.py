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
>>> behaviour = sequence_form_equilibrium(poker)
>>> [[str(p) for p in behaviour[h]] for h in range(3)]
[['1', '0'], ['1/3', '2/3'], ['2/3', '1/3']]
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from solver.equilibria.recall import require_perfect_recall
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame

#: Relative tolerance for float regrets, as in :mod:`solver.equilibria.verify`.
FLOAT_TOLERANCE = 1e-9

# Deadline checked once per this many pivots.
_DEADLINE_STRIDE = 8


class SequenceFormTimeout(TimeoutError):
    """The deadline passed before Lemke's algorithm finished."""


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
    sequences: tuple[tuple, ...]                    # per player: (None, (h, m), ...)
    index: tuple[dict, ...]                         # per player: (h, m) -> position
    node_sequence: np.ndarray                       # (players, num_nodes)
    infosets: tuple[tuple[int, ...], ...]           # per player
    parent_sequence: dict                           # infoset -> index of its owner's sequence into it
    chance_reach: dict                              # node -> product of chance probabilities from root


def subtree_nodes(tree: ExtensiveGame, root: int) -> np.ndarray:
    """The nodes below ``root`` (inclusive), in increasing index order (parents first)."""
    found = [root]
    head = 0
    while head < len(found):
        node = found[head]
        head += 1
        start = int(tree.first_child[node])
        if start >= 0:
            found.extend(range(start, start + int(tree.num_children[node])))
    return np.array(sorted(found), dtype=np.int64)


def _one(tree: ExtensiveGame):
    return Fraction(1) if tree.chance_probs.dtype == object else 1.0


def sequences_of(tree: ExtensiveGame, root: int = 0) -> Sequences:
    """The sequence structure of the subtree at ``root`` (perfect recall assumed)."""
    players = tree.num_players
    nodes = subtree_nodes(tree, root)
    node_sequence = np.full((players, tree.num_nodes), -1, dtype=np.int64)
    node_sequence[:, root] = 0
    sequences = [[None] for _ in range(players)]
    index = [{} for _ in range(players)]
    infosets = [[] for _ in range(players)]
    parent_sequence = {}
    chance_reach = {root: _one(tree)}
    for node in nodes:
        node = int(node)
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
                chance_reach[child] = chance_reach[node]
            else:
                chance_reach[child] = chance_reach[node] * tree.chance_probs[child]
    return Sequences(root, nodes, tuple(tuple(s) for s in sequences), tuple(index), node_sequence,
                     tuple(tuple(s) for s in infosets), parent_sequence, chance_reach)


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
    options = {}
    for h in reversed(seqs.infosets[player]):
        options[h] = sum(count[seqs.index[player][(h, m)]] for m in range(len(tree.infosets[h].moves)))
        count[seqs.parent_sequence[h]] *= options[h]
    return count[0]


def _move_probability(tree: ExtensiveGame, behaviour, node: int, child: int):
    mover = int(tree.node_player[node])
    if mover == CHANCE:
        return tree.chance_probs[child]
    return behaviour[int(tree.node_infoset[node])][int(tree.move_index[child])]


def reach_probabilities(tree: ExtensiveGame, behaviour, seqs: Sequences, player: int | None = None):
    """Probability of reaching each subtree node from the root, counting every move except
    ``player``'s own (all moves when ``player`` is None)."""
    reach = {seqs.root: _one(tree)}
    for node in seqs.nodes:
        node = int(node)
        if tree.node_player[node] == TERMINAL:
            continue
        own = int(tree.node_player[node]) == player
        for child in tree.children(node):
            reach[child] = reach[node] if own else reach[node] * _move_probability(tree, behaviour, node, child)
    return reach


def best_response_values(tree: ExtensiveGame, behaviour, player: int, seqs: Sequences):
    """(best-response value, best move per own information set) of ``player`` in the subgame of
    ``seqs`` against the others' behaviour. At sets the others never let the player reach, any
    move is best (the values there are zero)."""
    others = reach_probabilities(tree, behaviour, seqs, player)
    direct = [0 * _one(tree)] * len(seqs.sequences[player])
    for node in seqs.nodes:
        node = int(node)
        if tree.node_player[node] == TERMINAL:
            direct[seqs.node_sequence[player, node]] += others[node] * tree.leaf_payoffs[node, player]
    values, best = _roll_up(direct, seqs, player, tree)
    return values[0], best


def behaviour_payoffs_at(tree: ExtensiveGame, behaviour, root: int = 0, seqs: Sequences | None = None) -> tuple:
    """Expected payoffs of a behaviour profile in the subgame at ``root``."""
    seqs = seqs or sequences_of(tree, root)
    reach = reach_probabilities(tree, behaviour, seqs, None)
    totals = [0 * _one(tree)] * tree.num_players
    for node in seqs.nodes:
        node = int(node)
        if tree.node_player[node] == TERMINAL and reach[node] != 0:
            for i in range(tree.num_players):
                totals[i] = totals[i] + reach[node] * tree.leaf_payoffs[node, i]
    return tuple(totals)


def behaviour_regrets(tree: ExtensiveGame, behaviour, root: int = 0, seqs: Sequences | None = None) -> list:
    """Each player's regret (best-response value minus current value) in the subgame at ``root``.

    The best response is computed over the player's own sequences, so the check is exact for exact
    trees and behaviour, and linear in the size of the subtree."""
    seqs = seqs or sequences_of(tree, root)
    current = behaviour_payoffs_at(tree, behaviour, root, seqs)
    return [best_response_values(tree, behaviour, i, seqs)[0] - current[i] for i in range(tree.num_players)]


def payoff_range(tree: ExtensiveGame) -> float:
    """The range of the leaf payoffs (at least 1), which scales float tolerances."""
    values = np.asarray(tree.leaf_payoffs[tree.terminal_nodes()], dtype=float)
    return max(1.0, float(values.max() - values.min())) if values.size else 1.0


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
    tolerance = FLOAT_TOLERANCE * payoff_range(tree)
    return all(float(r) <= tolerance for r in behaviour_regrets(tree, as_float, root, seqs))


# ---- the sequence-form LCP -----------------------------------------------------------------
def _exact_tree(tree: ExtensiveGame) -> ExtensiveGame:
    """The same tree with exact numbers (floats read exactly, as binary fractions)."""
    if tree.is_exact:
        return tree
    from solver.model.tree import _replace

    def exact(array):
        out = np.empty(array.shape, dtype=object)
        for index, value in np.ndenumerate(array):
            out[index] = Fraction(value) if not isinstance(value, Fraction) else value
        return out

    return _replace(tree, chance_probs=exact(tree.chance_probs), leaf_payoffs=exact(tree.leaf_payoffs))


def _payoff_matrices(tree: ExtensiveGame, seqs: Sequences, a: int, b: int):
    n1, n2 = len(seqs.sequences[a]), len(seqs.sequences[b])
    A = [[Fraction(0)] * n2 for _ in range(n1)]
    B = [[Fraction(0)] * n2 for _ in range(n1)]
    for node in seqs.nodes:
        node = int(node)
        if tree.node_player[node] != TERMINAL:
            continue
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


def _integer_row(row: list[Fraction]) -> list[int]:
    scale = math.lcm(*(value.denominator for value in row if value)) if any(row) else 1
    return [int(value * scale) for value in row]


_SMALL = 1 << 31     # below this, products of two entries fit in int64 with room for a sum


class _Tableau:
    """An integer tableau whose rows carry their own scale: row r is ``T[r] / T[r, basis[r]]`` of
    B⁻¹ [G | b], so a pivot touches only the rows with a non-zero in the entering column, and
    every touched row is divided by the gcd of its entries. Entries live in int64 while they
    are below 2³¹ (then no product or difference can overflow) and in Python ints otherwise."""

    def __init__(self, rows: list[list[int]]):
        self.T = np.array(rows, dtype=object)
        self.basis = [-1] * len(rows)
        self.pivots = 0
        self._compact()

    def _compact(self):
        if self.T.dtype == object and all(-_SMALL < v < _SMALL for v in self.T.flat):
            self.T = self.T.astype(np.int64)

    def pivot(self, r: int, c: int):
        T = self.T
        if T[r, c] < 0:
            T[r, :] = -T[r, :]
        p = T[r, c]
        touched = np.flatnonzero(T[:, c] != 0)
        touched = touched[touched != r]
        if len(touched):
            rows = T[touched, :] * p - np.multiply.outer(T[touched, c], T[r, :])
            if T.dtype == object:
                for k, row in zip(touched, rows):
                    g = math.gcd(*row)
                    T[k, :] = row // g if g > 1 else row
            else:
                g = np.gcd.reduce(rows, axis=1)
                g[g == 0] = 1
                rows //= g[:, None]
                T[touched, :] = rows
                if np.abs(rows).max() >= _SMALL:
                    self.T = T.astype(object)
        self.basis[r] = c
        self.pivots += 1
        if self.T.dtype == object and self.pivots % 16 == 0:
            self._compact()

    def value(self, r: int) -> Fraction:
        return Fraction(int(self.T[r, -1]), int(self.T[r, self.basis[r]]))


def _lex_min_row(tab: _Tableau, entering: int, rhs: int, lex_columns: list[int]) -> int:
    """The leaving row by the lexicographic minimum-ratio test (−1 if the column is unbounded)."""
    T = tab.T
    column = T[:, entering]
    rows = [int(r) for r in np.flatnonzero(column > 0)]
    if not rows:
        return -1
    for key in [rhs] + lex_columns:
        if len(rows) == 1:
            break
        best = [rows[0]]
        for r in rows[1:]:
            # compare T[r,key]/column[r] with T[b,key]/column[b]; denominators are positive
            left = int(T[r, key]) * int(column[best[0]])
            right = int(T[best[0], key]) * int(column[r])
            if left < right:
                best = [r]
            elif left == right:
                best.append(r)
        rows = best
    return rows[0]


def _solve_lcp(tree: ExtensiveGame, seqs: Sequences, a: int, b: int, rng, deadline):
    """Realisation plans (x, y) of an equilibrium for players a and b (exact tree)."""
    A, B = _payoff_matrices(tree, seqs, a, b)
    Erows, Frows = _constraint_rows(tree, seqs, a), _constraint_rows(tree, seqs, b)
    n1, n2, k1, k2 = len(A), len(A[0]), len(Erows), len(Frows)
    s, t = _prior_plan(tree, seqs, a, rng), _prior_plan(tree, seqs, b, rng)
    At = [sum(A[i][j] * t[j] for j in range(n2) if A[i][j]) for i in range(n1)]
    Bs = [sum(B[i][j] * s[i] for i in range(n1) if B[i][j]) for j in range(n2)]
    X, Y, U, V = 0, n1, n1 + n2, 2 * n1 + n2
    P, Q = 2 * n1 + 2 * n2, 2 * n1 + 2 * n2 + k1
    Z = Q + k2
    RHS = Z + 1
    width = RHS + 1

    rows = []
    for r, row in enumerate(Erows):                      # E x + e z0 = e
        line = [Fraction(0)] * width
        for col, value in row.items():
            line[X + col] = Fraction(value)
        if r == 0:
            line[Z] = line[RHS] = Fraction(1)
        rows.append(line)
    for r, row in enumerate(Frows):                      # F y + f z0 = f
        line = [Fraction(0)] * width
        for col, value in row.items():
            line[Y + col] = Fraction(value)
        if r == 0:
            line[Z] = line[RHS] = Fraction(1)
        rows.append(line)
    for i in range(n1):                                  # Eᵀp − A y − (A t) z0 − u = 0
        line = [Fraction(0)] * width
        for r, row in enumerate(Erows):
            if i in row:
                line[P + r] = Fraction(row[i])
        for j in range(n2):
            line[Y + j] = -A[i][j]
        line[Z] = -At[i]
        line[U + i] = Fraction(-1)
        rows.append(line)
    for j in range(n2):                                  # Fᵀq − Bᵀx − (Bᵀs) z0 − v = 0
        line = [Fraction(0)] * width
        for r, row in enumerate(Frows):
            if j in row:
                line[Q + r] = Fraction(row[j])
        for i in range(n1):
            line[X + i] = -B[i][j]
        line[Z] = -Bs[j]
        line[V + j] = Fraction(-1)
        rows.append(line)
    tab = _Tableau([_integer_row(line) for line in rows])

    # Initial basis B0 at z0 = 1: best responses to the priors, x(∅) and u(∅) both non-basic.
    br1 = _best_sequences(tree, seqs, a, At)
    br2 = _best_sequences(tree, seqs, b, Bs) | {0}
    slacks = [U + i for i in range(n1) if i not in br1 and i != 0] + [V + j for j in range(n2) if j not in br2]
    free = [P + r for r in range(k1)] + [Q + r for r in range(k2)]
    others = [Z] + [X + i for i in sorted(br1)] + [Y + j for j in sorted(br2)]
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

    for c in free:               # Gauss–Jordan: p and q first; then their rows and columns go
        gauss_jordan(c)
    keep_rows = [k for k in range(len(tab.basis)) if not P <= tab.basis[k] < Z]
    tab.T = tab.T[np.ix_(keep_rows, list(range(P)) + [Z, RHS])]
    tab.basis = [tab.basis[k] for k in keep_rows]
    assigned = {i for i, k in enumerate(keep_rows) if k in assigned}
    Z, RHS = P, P + 1
    others = [Z] + others[1:]
    for c in others:
        gauss_jordan(c)
    if any(tab.value(r) < 0 for r in range(len(tab.basis))):
        raise AssertionError("sequence form: the initial basis is infeasible; this is a bug")
    z, rhs = Z, RHS
    # The lexicographic order: the columns of B0's variables (p and q's are unit columns in
    # rows that are gone, so they never break a tie). Any order is correct; this one (deepest
    # sequences first, z0 last) walked the fewest degenerate pivots on poker and random trees.
    lex_columns = (others + slacks)[::-1]

    def complement(var: int) -> int:
        if var < U:
            return var + U          # x -> u, y -> v
        return var - U

    entering = X                                         # x(∅): z0 starts to fall
    steps = 0
    while True:
        steps += 1
        if deadline is not None and steps % _DEADLINE_STRIDE == 0 and time.monotonic() > deadline:
            raise SequenceFormTimeout("the deadline passed during Lemke's algorithm on the sequence form")
        r = _lex_min_row(tab, entering, rhs, lex_columns)
        if r < 0:
            raise _Ray()
        leaving = tab.basis[r]
        tab.pivot(r, entering)
        if leaving == z:
            break
        entering = complement(leaving)

    values = [Fraction(0)] * (2 * (n1 + n2))
    for r, var in enumerate(tab.basis):
        if var < len(values):
            values[var] = tab.value(r)
    return values[X:X + n1], values[Y:Y + n2], A, B


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
    direct = [Fraction(0)] * len(seqs.sequences[player])
    for node in seqs.nodes:
        node = int(node)
        if tree.node_player[node] == TERMINAL:
            direct[seqs.node_sequence[player, node]] += seqs.chance_reach[node] * tree.leaf_payoffs[node, player]
    _, best = _roll_up(direct, seqs, player, tree)
    return {h: tuple(Fraction(int(m == best[h])) for m in range(len(tree.infosets[h].moves))) for h in best}


def active_players(tree: ExtensiveGame) -> list[int]:
    """Players with at least one information set."""
    return sorted({s.player for s in tree.infosets})


def sequence_form_equilibrium(tree: ExtensiveGame, *, deadline: float | None = None) -> dict[int, tuple]:
    """One Nash equilibrium, in behaviour strategies, of a tree in which at most two players move.

    Returns information set index → probability per move, for every information set; exact
    ``Fraction`` values when the tree is exact, floats otherwise. Raises ``ValueError`` without
    perfect recall or with three or more movers, :class:`SequenceFormTimeout` after ``deadline``
    (a ``time.monotonic()`` value).
    """
    if tree.is_symbolic:
        raise ValueError("evaluate the tree's parameters before solving it")
    require_perfect_recall(tree)
    movers = active_players(tree)
    if len(movers) > 2:
        raise ValueError(f"the sequence form here is for two players; {len(movers)} players move in this tree")
    exact_input = tree.is_exact
    game = _exact_tree(tree)
    seqs = sequences_of(game, 0)
    if not movers:
        behaviour = {}
    elif len(movers) == 1:
        behaviour = _pure_best_response(game, seqs, movers[0])
    else:
        a, b = movers
        rng = None
        for attempt in range(4):
            try:
                x, y, A, B = _solve_lcp(game, seqs, a, b, rng, deadline)
                break
            except _Ray:
                rng = random.Random(attempt)
        else:
            raise RuntimeError("Lemke's algorithm on the sequence form ended on a ray for every prior tried")
        Ay = [sum(A[i][j] * y[j] for j in range(len(y)) if A[i][j] and y[j]) for i in range(len(x))]
        Bx = [sum(B[i][j] * x[i] for i in range(len(x)) if B[i][j] and x[i]) for j in range(len(y))]
        behaviour = {**_behaviour_from_plan(game, seqs, a, x, Ay), **_behaviour_from_plan(game, seqs, b, y, Bx)}
    if not is_nash_at(game, behaviour, 0, seqs):
        raise AssertionError("the sequence-form solution fails the regret check; this is a bug")
    if exact_input:
        return behaviour
    floats = {h: tuple(float(p) for p in probs) for h, probs in behaviour.items()}
    if not is_nash_at(tree, floats, 0):
        raise AssertionError("float rounding of the sequence-form solution fails the regret check")
    return floats
