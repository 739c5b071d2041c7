"""Maximal Nash subsets and connected components spanned by the extreme equilibria of a bimatrix game.

Take the bipartite graph whose nodes are the distinct row strategies x and column strategies y
occurring in extreme equilibria, with an edge x–y when (x, y) is an extreme equilibrium. A
*maximal Nash subset* is a maximal biclique X' × Y' of this graph: every pair in it is an
equilibrium, and so is every pair of the convex hulls, conv X' × conv Y' (the equilibrium
conditions are linear in x for fixed labels of y and vice versa). The union of the maximal Nash
subsets is the set of all equilibria, and its topologically connected *components* are the
connected components of the graph [Winkels 1979; Jansen 1981; Avis, Rosenberg, Savani & von
Stengel 2010, §2.4]. This is what Gambit's ``enummixed -c`` reports.

Maximal bicliques are the closed pairs (X', Y') with Y' = N(X') and X' = N(Y'); their Y-sides are
exactly the non-empty intersections of neighbourhoods N(x), which are found by closing the family
{N(x)} under pairwise intersection (the "formal concepts" of the incidence relation [Ganter &
Wille 1999]).

Strategies are matched exactly for exact (``Fraction``) input, and after rounding to 12
significant digits for floats. :func:`equilibrium_families` describes each component with more
than one extreme equilibrium as a :class:`~solver.equilibria.result.Family`; its dimension is the
largest of its maximal Nash subsets', dim conv X' + dim conv Y'.

References:
    D. Avis, G. D. Rosenberg, R. Savani, B. von Stengel (2010), "Enumeration of Nash equilibria
    for two-player games", Economic Theory 42, 9–37.
    M. J. M. Jansen (1981), "Maximal Nash subsets for bimatrix games", Naval Research Logistics
    Quarterly 28, 147–152.
    H.-M. Winkels (1979), "An algorithm to determine all equilibrium points of a bimatrix game",
    in Game Theory and Related Topics, 137–148.

>>> import numpy as np
>>> A = np.array([[1, 1], [0, 0]], dtype=object)   # row 1 dominates; column player indifferent
>>> B = np.zeros((2, 2), dtype=object)
>>> e = [(np.array([1, 0]), np.array([0, 1])), (np.array([1, 0]), np.array([1, 0]))]
>>> equilibrium_components(A, B, e)
((0, 1),)
>>> maximal_nash_subsets(A, B, e)
(((0,), (0, 1)),)
>>> nash_subset_members(e)
((0, 1),)
>>> family, = equilibrium_families(e)
>>> family.support, family.varying, family.members, family.dimension
(((0,), (0, 1)), (1,), (0, 1), 1)
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import numpy as np

from solver.core import numbers, regret
from solver.core.linear import rref
from solver.core.profiles import support
from solver.equilibria.result import Family


def _key(vector) -> tuple:
    """A hashable identity for a strategy: exact values, or floats rounded to 12 digits."""
    values = np.asarray(vector, dtype=object).ravel()
    if all(isinstance(v, (int, Fraction, np.integer)) and not isinstance(v, bool) for v in values):
        return tuple(Fraction(int(v)) if isinstance(v, np.integer) else Fraction(v) for v in values)
    return tuple(float(f"{float(v):.12g}") + 0.0 for v in values)


def distinct_strategies(extremes: Sequence[tuple]) -> tuple[list[int], list[int], list[int], list[int]]:
    """Number the distinct row and column strategies of ``extremes``.

    Returns ``(x_ids, y_ids, x_first, y_first)``: ``x_ids[k]`` is the number of the row strategy of
    equilibrium k, and ``x_first[a]`` the index of the first equilibrium whose row strategy has
    number a (likewise for columns). Numbers follow first appearance.
    """
    x_index: dict[tuple, int] = {}
    y_index: dict[tuple, int] = {}
    x_ids, y_ids, x_first, y_first = [], [], [], []
    for k, (x, y) in enumerate(extremes):
        kx, ky = _key(x), _key(y)
        if kx not in x_index:
            x_index[kx] = len(x_first)
            x_first.append(k)
        if ky not in y_index:
            y_index[ky] = len(y_first)
            y_first.append(k)
        x_ids.append(x_index[kx])
        y_ids.append(y_index[ky])
    return x_ids, y_ids, x_first, y_first


def equilibrium_components(A, B, extremes) -> tuple[tuple[int, ...], ...]:
    """Connected components of the extreme equilibria: tuples of indices into ``extremes``.

    Two extreme equilibria are connected when they share a row or a column strategy; components
    are listed in order of their smallest index, each sorted. ``A`` and ``B`` are used only to
    check that every listed pair is an equilibrium.
    """
    _check(A, B, extremes)
    return _components(extremes)


def _components(extremes) -> tuple[tuple[int, ...], ...]:
    x_ids, y_ids, x_first, _ = distinct_strategies(extremes)
    # Union-find over equilibria: join each to the first one sharing its x and its y.
    parent = list(range(len(extremes)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    first_with_y: dict[int, int] = {}
    for k in range(len(extremes)):
        for other in (x_first[x_ids[k]], first_with_y.setdefault(y_ids[k], k)):
            ra, rb = find(k), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for k in range(len(extremes)):
        groups.setdefault(find(k), []).append(k)
    return tuple(tuple(group) for _, group in sorted(groups.items()))


def maximal_nash_subsets(A, B, extremes) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """Maximal Nash subsets as ``(x-vertex indices, y-vertex indices)``.

    A row (column) strategy is named by the index in ``extremes`` of the first equilibrium that
    uses it, so ``extremes[i][0]`` is the vector of x-vertex i. Every pair of the product of the two
    sets is an equilibrium, and no strategy can be added to either side. Sorted by their index
    tuples.
    """
    _check(A, B, extremes)
    return _maximal_subsets(extremes)


def _maximal_subsets(extremes) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    x_ids, y_ids, x_first, y_first = distinct_strategies(extremes)
    neighbours: list[int] = [0] * len(x_first)  # bit mask of y-numbers adjacent to each x-number
    for xi, yi in zip(x_ids, y_ids):
        neighbours[xi] |= 1 << yi

    # Close {N(x)} under intersection; each closed non-empty set is the Y-side of one biclique.
    closed: set[int] = set()
    frontier = [mask for mask in set(neighbours) if mask]
    closed.update(frontier)
    generators = sorted(set(neighbours))
    while frontier:
        new = []
        for mask in frontier:
            for g in generators:
                meet = mask & g
                if meet and meet not in closed:
                    closed.add(meet)
                    new.append(meet)
        frontier = new

    subsets = []
    for y_mask in closed:
        xs = tuple(x_first[a] for a in range(len(x_first)) if neighbours[a] & y_mask == y_mask)
        ys = tuple(y_first[b] for b in range(len(y_first)) if y_mask >> b & 1)
        subsets.append((tuple(sorted(xs)), tuple(sorted(ys))))
    return tuple(sorted(subsets))


def nash_subset_members(extremes) -> tuple[tuple[int, ...], ...]:
    """Each maximal Nash subset conv X' × conv Y' as the indices of the extreme equilibria in it:
    its vertices, the pairs X' × Y' (every one of them is in ``extremes``). The subset is the
    convex hull of these equilibria, so every mixture of them is an equilibrium; a component is
    the union of the subsets it contains. Sorted; an isolated equilibrium is a subset of its own.
    """
    x_ids, y_ids, _, _ = distinct_strategies(extremes)
    out = []
    for xs, ys in _maximal_subsets(extremes):
        rows, columns = {x_ids[k] for k in xs}, {y_ids[k] for k in ys}
        out.append(tuple(k for k in range(len(extremes)) if x_ids[k] in rows and y_ids[k] in columns))
    return tuple(sorted(out))


def equilibrium_families(extremes) -> tuple[Family, ...]:
    """The components with more than one member, as families, for extreme equilibria ``extremes``
    (pairs (x, y) already known to be equilibria; tuples of exact values give exact dimensions).

    ``support``: per player, the strategies used somewhere in the component; ``varying``: the
    players whose strategy differs between members; ``extreme_points``: the member profiles;
    ``members``: their indices in ``extremes``; ``dimension``: the largest dim conv X' + dim conv Y'
    over the component's maximal Nash subsets (X', Y').
    """
    components = [c for c in _components(extremes) if len(c) > 1]
    if not components:
        return ()
    subsets = _maximal_subsets(extremes)
    keys = [(_key(x), _key(y)) for x, y in extremes]
    families = []
    for members in components:
        inside = set(members)
        points = tuple(tuple(tuple(p) for p in extremes[k]) for k in members)
        supports = [support(p) for p in points]
        used = tuple(tuple(sorted({s for own in supports for s in own[i]})) for i in range(2))
        varying = tuple(i for i in range(2) if len({keys[k][i] for k in members}) > 1)
        dimension = max(_affine_dimension([extremes[k][0] for k in xs]) + _affine_dimension([extremes[k][1] for k in ys])
                        for xs, ys in subsets if xs[0] in inside)
        families.append(Family(used, varying, points, tuple(members), dimension))
    return tuple(families)


def maximal_families(families: Sequence[Family], payoffs=None) -> tuple[Family, ...]:
    """The families that are not part of a larger one, in their original order.

    A family F lies in a larger family G when G's supports contain F's (and differ), the players
    G holds fixed play G's strategy at every known point of F, and at each of those points every
    strategy of G's support is a best response: the point then satisfies G's equilibrium
    conditions with some of G's strategies at probability 0, a face of G (for a G in which one
    player's mixture varies, G's closure is exactly that convex set). Faces are what a support
    enumeration finds again for each smaller support; listing them adds nothing. Families of a
    subgame (``where`` set) are compared only with the same subgame's and kept unless they
    repeat one, as are all families when ``payoffs`` (the game's payoff tensor, whose strategies the
    supports index) is not given.
    """
    if payoffs is None or not families:
        return tuple(f for k, f in enumerate(families) if f not in families[:k])
    payoffs = np.asarray(payoffs)
    if numbers.is_exact_array(payoffs):   # integers, same best responses: faster than Fraction arithmetic
        payoffs = np.array(numbers.integer_scaled(payoffs.ravel().tolist()), dtype=object).reshape(payoffs.shape)
    tolerance = numbers.regret_tolerance(payoffs.astype(float))
    best = {}                                     # id of a point -> per player, its best responses
    order = sorted(range(len(families)), key=lambda k: -(families[k].dimension or 0))
    kept: list[int] = []
    for k in order:
        family = families[k]
        if not any(_inside(family, families[j], payoffs, tolerance, best) for j in kept):
            kept.append(k)
    return tuple(families[k] for k in sorted(kept))


def _inside(small: Family, large: Family, payoffs, tolerance, best: dict) -> bool:
    if small.where != large.where:
        return False
    if small.where or small.support == large.support:
        return small == large                     # only the same family twice
    if not small.extreme_points or not large.extreme_points:
        return False
    if not all(set(a) <= set(b) for a, b in zip(small.support, large.support)):
        return False
    fixed = [i for i in range(len(large.support)) if i not in large.varying]
    anchor = large.extreme_points[0]
    for point in small.extreme_points:
        if any(_key(point[i]) != _key(anchor[i]) for i in fixed):
            return False
        if id(point) not in best:
            best[id(point)] = _best_responses(payoffs, point, tolerance)
        if not all(set(s) <= b for s, b in zip(large.support, best[id(point)])):
            return False
    return True


def _best_responses(payoffs, point, tolerance) -> tuple[set, ...]:
    """Per player, the pure strategies that are best responses at ``point``: exactly for exact
    payoffs and points (scaled to integers per player, which keeps every best response), else
    within ``tolerance``."""
    if payoffs.dtype == object and all(numbers.is_exact_number(v) for p in point for v in p):
        vectors, tolerance = [np.array(numbers.integer_scaled(p), dtype=object) for p in point], 0
    else:
        payoffs, vectors = payoffs.astype(float), [np.asarray(p, dtype=float) for p in point]
    values = regret.deviation_payoffs(payoffs, vectors)
    return tuple({k for k, v in enumerate(row) if v >= max(row) - tolerance} for row in values)


def _affine_dimension(points) -> int:
    """The dimension of the affine hull of ``points`` (exact rank of the differences)."""
    if len(points) < 2:
        return 0
    base = [numbers.to_fraction(v) for v in points[0]]
    differences = [[numbers.to_fraction(v) - b for v, b in zip(p, base)] for p in points[1:]]
    return len(rref(differences, len(base))[1])


def _check(A, B, extremes) -> None:
    A, B = np.asarray(A), np.asarray(B)
    if A.ndim != 2 or A.shape != B.shape:
        raise ValueError(f"A and B must be matrices of one shape, got {A.shape} and {B.shape}")
    exact = numbers.is_exact_array(A) and numbers.is_exact_array(B)
    payoffs = np.stack([A.astype(object), B.astype(object)]) if exact else np.stack([A.astype(float), B.astype(float)])
    for x, y in extremes:
        if len(x) != A.shape[0] or len(y) != A.shape[1]:
            raise ValueError("strategy lengths do not match the payoff matrices")
        if not regret.is_nash(payoffs, [x, y]):
            raise ValueError(f"({list(x)}, {list(y)}) is not a Nash equilibrium of the game")
