"""The public API: ``load_game`` and ``solve``.

``solve`` evaluates the game's parameters, asks the registry for the method (the strongest complete
method that fits the game unless one is asked for), runs it (the registry verifies every profile),
and puts the result in the game's own names as a ``Solution``.

>>> game = load_game("games/prisoners_dilemma.yaml")
>>> solution = solve(game)
>>> [e.label for e in solution.equilibria], solution.complete
(['Defect, Defect'], True)
"""
from __future__ import annotations

import dataclasses
import itertools
import os
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np
import sympy

from solver.core.deadline import deadline_after
from solver.core.numbers import Surd, clean
from solver.core.profiles import is_pure, pure_indices
from solver.core.regret import expected_payoffs
from solver.equilibria import registry
from solver.equilibria import subgames
from solver.equilibria.backward import backward_induction
from solver.equilibria.components import maximal_families, nash_subset_members
from solver.equilibria.dedupe import deduplicated_result, distinct_profiles, extreme_point_counts
from solver.equilibria.pbe import assess, perfect_bayesian_equilibria
from solver.equilibria.refinements import assessment_record
from solver.equilibria.signalling import signalling_structure
from solver.equilibria.result import AlgorithmResult, Note
from solver.io.gambit import load_gambit
from solver.io.yamlfile import load_yaml_game
from solver.model.expr import ExpressionError, number, symbol, to_exact
from solver.model.normal import NormalFormGame
from solver.model.reduce import behaviour_from_mixed, reduced_normal_form
from solver.model.tree import ExtensiveGame
from solver.model.walk import outcome_distribution, subtree_values
from solver.results import Equilibrium, Solution

CONCEPTS = {"nash": "nash", "spe": "subgame-perfect", "subgame-perfect": "subgame-perfect",
            "pbe": "perfect-bayesian", "perfect-bayesian": "perfect-bayesian", "sequential": "sequential"}
THREAT = "threat"
#: What ``solve methods`` lists and ``--method`` accepts.
METHODS = registry.method_summaries()
#: Listed subgame-perfect equilibria beyond this many are not compared pairwise for segments.
MAX_PAIR_CHECK = 300


class SolveError(ValueError):
    """A request that cannot be carried out (bad parameter, method or concept)."""

    def __init__(self, message: str, option: str = ""):
        self.option = option
        super().__init__(message)


def solve_with_beliefs(game, parameters: Mapping[str, object] | None = None, concept: str = "pbe",
                       timeout: float | None = None) -> Solution:
    """The perfect Bayesian (or sequential) equilibria of a sequential game, for the outputs that
    show beliefs (picture, explanation, report): beliefs live at information sets, so a
    normal-form game is a SolveError naming ``--concept`` (``solve`` itself lists its Nash
    equilibria, which are those)."""
    if not isinstance(game, ExtensiveGame):
        kind = "sequential" if CONCEPTS.get(concept) == "sequential" else "perfect Bayesian"
        raise SolveError(f"this is a normal-form game: it has no information sets to hold beliefs, and its {kind} "
                         "equilibria are its Nash equilibria (leave --concept out)", "--concept")
    return solve(game, parameters, concept=concept, timeout=timeout)


def load_game(path: str | os.PathLike, include: Sequence[str | os.PathLike] = ()):
    """Read a game file: YAML (``.yaml``/``.yml``) or Gambit (``.nfg``/``.efg``). ``include``
    lists further folders whose game files ``extends`` may name (besides the file's own folder)."""
    path = os.fspath(path)
    if os.path.splitext(path)[1].lower() in (".nfg", ".efg"):
        return load_gambit(path)
    return load_yaml_game(path, include=tuple(include))


# ---- parameters ------------------------------------------------------------------------------
def parameter_values(game, overrides: Mapping[str, object] | None = None) -> dict[str, object]:
    """Defaults merged with ``overrides``; values are exact (Fraction) where rational."""
    defaults = {p.name: p.value for p in game.info.parameters}
    values = dict(defaults)
    for name, raw in (overrides or {}).items():
        if name not in defaults:
            known = ", ".join(sorted(defaults)) or "this game has no parameters"
            raise SolveError(f"unknown parameter '{name}' (parameters: {known})", f"--set {name}")
        try:
            values[name] = number(raw) if not isinstance(raw, (int, Fraction)) else number(Fraction(raw))
        except ExpressionError:
            raise SolveError(f"expected a number such as 6.5, 13/2 or 2**-1, got {raw!r}", f"--set {name}") from None
        if values[name].free_symbols:
            raise SolveError(f"the value of '{name}' must be a number, got {raw!r}", f"--set {name}")
    return {k: to_exact(v) for k, v in values.items()}


@dataclass(frozen=True)
class AlgebraicGame(NormalFormGame):
    """A numeric normal-form game whose payoffs are exact but irrational (square roots): ``payoffs``
    are float64 as for any float game, ``exact_payoffs`` the same numbers as exact
    :class:`~solver.core.numbers.Surd` objects, for the methods that keep exactness (the
    polynomial method decides ties with them)."""
    exact_payoffs: np.ndarray | None = field(default=None, compare=False, repr=False)


def evaluate_game(game, values: Mapping[str, object]):
    """The numeric game for these parameter values; chance probabilities are checked. A
    normal-form game whose payoffs are sums of rational multiples of square roots (``sqrt(2)``)
    comes back as an :class:`AlgebraicGame`, carrying them exactly besides the floats."""
    try:
        numeric = game.evaluated(values)
    except ExpressionError as error:
        raise SolveError(f"cannot evaluate the payoffs: {error}") from None
    if isinstance(numeric, ExtensiveGame):
        problems = numeric.check_probabilities()
        if problems:
            raise SolveError("chance probabilities are invalid with these parameter values: " + "; ".join(problems))
    elif numeric is not game and numeric.payoffs.dtype == float:
        exact = _exact_payoffs(game, values)
        if exact is not None:
            numeric = AlgebraicGame(numeric.players, numeric.strategies, numeric.payoffs, numeric.info, exact)
    return numeric


def _exact_payoffs(game: NormalFormGame, values: Mapping[str, object]) -> np.ndarray | None:
    """The payoffs at ``values`` as :class:`Surd` numbers, or None when one is not a sum of
    rational multiples of square roots (``pi``, a cube root) or a parameter value is a float
    that is not its exact default."""
    defaults = game.info.defaults
    substitution = {}
    for name, value in values.items():
        if isinstance(value, Fraction):
            value = sympy.Rational(value.numerator, value.denominator)
        elif name in defaults and isinstance(defaults[name], sympy.Expr) and float(defaults[name]) == value:
            value = defaults[name]
        else:
            return None
        substitution[symbol(name)] = value
    out = np.empty(game.payoffs.shape, dtype=object)
    for index, expr in np.ndenumerate(game.payoffs):
        exact = _surd(expr.subs(substitution) if isinstance(expr, sympy.Basic) else expr)
        if exact is None:
            return None
        out[index] = exact
    return out


def _surd(expr) -> Surd | None:
    """An exact sympy number as a :class:`Surd`, or None when it is not one (see ``_exact_payoffs``)."""
    if isinstance(expr, (int, Fraction)):
        return Surd.of(expr)
    if not isinstance(expr, sympy.Expr) or expr.free_symbols:
        return None
    if expr.is_Rational:
        return Surd.of(Fraction(int(expr.p), int(expr.q)))
    if expr.is_Pow and expr.exp.is_Rational and expr.exp.q == 2 and expr.base.is_Rational and expr.base >= 0:
        root = Surd.sqrt(Fraction(int(expr.base.p), int(expr.base.q)))
        return _power(root, int(expr.exp.p)) if root else None
    if expr.is_Pow and expr.exp.is_Integer:
        base = _surd(expr.base)
        return _power(base, int(expr.exp)) if base is not None and (base or expr.exp > 0) else None
    if expr.is_Add or expr.is_Mul:
        parts = [_surd(a) for a in expr.args]
        if any(p is None for p in parts):
            return None
        total = parts[0]
        for p in parts[1:]:
            total = total + p if expr.is_Add else total * p
        return total
    return None


def _power(base: Surd, exponent: int) -> Surd:
    result = Surd.of(1)
    for _ in range(abs(exponent)):
        result = result * base
    return result if exponent >= 0 else result.inverse()


def run_method(method: str, game, deadline: float | None, progress=None) -> AlgorithmResult:
    """``registry.run`` with its refusals as ``SolveError``s naming ``--method``; ``progress``
    (``progress(what, done, total)``) goes to methods that report it."""
    try:
        extra = {}
        if getattr(game, "exact_payoffs", None) is not None and registry.resolve(method, game)[0].name == "polynomial":
            extra["algebraic"] = game.exact_payoffs          # the polynomial method keeps irrational payoffs exact
        return registry.run(method, game, deadline=deadline, progress=progress, **extra)
    except registry.MethodError as error:
        raise SolveError(str(error), "" if isinstance(error, registry.CannotSolve) else "--method") from None


# ---- normal form -----------------------------------------------------------------------------
def normal_form_equilibrium(game: NormalFormGame, profile, regret=0, approximate: bool = False) -> Equilibrium:
    """One verified mixed profile of a numeric normal-form game in the game's names."""
    exact = game.is_exact and all(isinstance(v, (int, Fraction)) for p in profile for v in p)
    dtype = object if exact else float
    vectors = [np.asarray(p, dtype=dtype) for p in profile]
    values = expected_payoffs(np.asarray(game.payoffs, dtype=dtype), vectors)
    pure = is_pure(profile)
    label = ", ".join(game.strategies[i][k] for i, k in enumerate(pure_indices(profile))) if pure else ""
    strategies = {player: {s: clean(v) for s, v in zip(game.strategies[i], profile[i])}
                  for i, player in enumerate(game.players)}
    return Equilibrium(strategies=strategies, payoffs={p: clean(values[i]) for i, p in enumerate(game.players)},
                       pure=pure, regret=clean(regret), exact=exact, label=label, approximate=approximate)


def normal_form_equilibria(game: NormalFormGame, result: AlgorithmResult) -> list[Equilibrium]:
    regrets = result.regrets or (0,) * len(result.profiles)
    return [normal_form_equilibrium(game, p, r, result.approximate) for p, r in zip(result.profiles, regrets)]


def _components(result: AlgorithmResult) -> tuple:
    """Families whose extreme points are all listed equilibria (two-player components, segments
    with both ends found); the others stay families, known through some of their points."""
    return tuple(f for f in result.families if f.all_extreme and len(f.members) > 1)


def _component_subsets(result: AlgorithmResult, components: tuple) -> tuple:
    """Each component's maximal Nash subsets as the listed equilibria that are their vertices: from
    the bipartite graph of the extreme equilibria for vertex enumeration; a segment of an N-player
    game (both ends listed) is one convex set."""
    if result.method != "enumerate":
        return tuple((c.members,) for c in components)
    subsets = nash_subset_members(result.profiles)
    return tuple(tuple(s for s in subsets if set(s) <= set(c.members)) for c in components)


def _continua(result: AlgorithmResult, payoffs=None) -> dict:
    """The solution's fields about continua: components with their maximal Nash subsets, and the
    other families. Vertex enumeration's components are disjoint and maximal; other methods'
    families that lie in a larger one (faces found again for a smaller support) are left out."""
    families = result.families if result.method == "enumerate" else maximal_families(result.families, payoffs)
    components = _components(result.with_changes(families=families))
    return {"components": components, "component_subsets": _component_subsets(result, components),
            "families": tuple(f for f in families if f not in components)}


def _one_point_mixtures(tree: ExtensiveGame, profiles) -> tuple[tuple[int, int], ...]:
    """Pairs of listed behaviour profiles that differ at exactly one information set. With perfect
    recall every player's payoff, in every subgame, is affine in the behaviour there, so each mixture
    of the two moves is an equilibrium of every subgame the pair's profiles are: a segment of
    subgame-perfect equilibria. Checked for at most ``MAX_PAIR_CHECK`` profiles."""
    if len(profiles) > MAX_PAIR_CHECK:
        return ()
    pairs = []
    for a, b in itertools.combinations(range(len(profiles)), 2):
        differ = [h for h in range(len(tree.infosets)) if profiles[a].get(h) != profiles[b].get(h)]
        if len(differ) == 1:
            pairs.append((a, b))
    return tuple(pairs)


# ---- trees -----------------------------------------------------------------------------------
def behaviour_equilibrium(tree: ExtensiveGame, behaviour: Mapping[int, object], payoffs, exact: bool,
                          subgame_perfect: bool | None = None, notes=(), label: str = "", regret=0,
                          approximate: bool = False, extreme_points: int = 1) -> Equilibrium:
    strategies: dict[str, dict] = {p: {} for p in tree.players}
    for h, probs in sorted(behaviour.items()):
        if probs is None:
            continue
        info = tree.infosets[h]
        strategies[tree.players[info.player]][info.label] = {m: clean(q) for m, q in zip(info.moves, probs)}
    reached = sorted(outcome_distribution(tree, behaviour), key=lambda item: tree.depth_first_rank[item[0]])
    path = tuple((tree.outcomes[node] or tree.node_ids[node], clean(p)) for node, p in reached)
    merged: dict[str, object] = {}
    for outcome, p in path:                       # two leaves may share an outcome label
        merged[outcome] = merged.get(outcome, 0) + p
    return Equilibrium(strategies=strategies, payoffs={p: clean(v) for p, v in zip(tree.players, payoffs)},
                       pure=is_pure(behaviour), regret=clean(regret), exact=exact,
                       path=tuple((o, clean(p)) for o, p in merged.items()),
                       subgame_perfect=subgame_perfect, notes=tuple(notes), label=label, approximate=approximate,
                       extreme_points=extreme_points)


def _tree_spe(tree: ExtensiveGame, method: str, deadline, progress=None) -> tuple[AlgorithmResult, list[Equilibrium]]:
    result = run_method(method, tree, deadline, progress)
    regrets = result.regrets or (0,) * len(result.profiles)
    payoffs = result.payoffs or tuple(subtree_values(tree, b)[0] for b in result.profiles)
    equilibria = [behaviour_equilibrium(tree, b, v, tree.is_exact and _all_exact(v), True, regret=r,
                                        approximate=result.approximate)
                  for b, v, r in zip(result.profiles, payoffs, regrets)]
    return result, equilibria


def _all_exact(values) -> bool:
    return all(isinstance(v, (int, Fraction)) for v in values)


def _tree_nash(tree: ExtensiveGame, method: str, deadline,
               progress=None) -> tuple[AlgorithmResult, list[Equilibrium], NormalFormGame]:
    """Nash equilibria through the reduced normal form, each marked subgame-perfect or not. Extreme
    equilibria of the reduced normal form that are one behaviour profile are listed once
    (:mod:`solver.equilibria.dedupe`), with the number of them it stands for; the result's
    profiles and families are renumbered to match the list."""
    reduced = reduced_normal_form(tree)
    game = reduced.game
    result = run_method(method, game, deadline, progress)
    behaviours = []
    for profile in result.profiles:
        behaviour = {}
        for i in range(tree.num_players):
            behaviour.update(behaviour_from_mixed(tree, reduced.strategies[i], list(profile[i])))
        behaviours.append(behaviour)
    kept, group = distinct_profiles(behaviours)
    counts = extreme_point_counts(group)
    result = deduplicated_result(result, kept, group)
    spe_profiles = backward_induction(tree).profiles if tree.is_perfect_information else None
    equilibria = []
    for k, eq in zip(kept, normal_form_equilibria(game, result)):
        behaviour = behaviours[k]
        spe, threats = None, ()
        if spe_profiles is not None and eq.pure:
            spe, threats = _credibility(tree, behaviour, spe_profiles)
        equilibria.append(behaviour_equilibrium(tree, behaviour, [eq.payoffs[p] for p in game.players], eq.exact,
                                                spe, threats, label=eq.label, regret=eq.regret,
                                                approximate=eq.approximate, extreme_points=counts[len(equilibria)]))
    return result.with_changes(label=f"{result.label} on the reduced normal form"), equilibria, game


def _choices(behaviour) -> dict[int, int]:
    return {h: max(range(len(p)), key=lambda k: float(p[k])) for h, p in behaviour.items() if p is not None}


def _credibility(tree: ExtensiveGame, behaviour, spe_profiles) -> tuple[bool, tuple[Note, ...]]:
    """Whether a pure profile agrees with some subgame-perfect equilibrium wherever it prescribes a
    move, and otherwise the moves that would not be carried out (not optimal in their subgame)."""
    choice = _choices(behaviour)
    for profile in spe_profiles:
        if all(choice.get(h, m) == m for h, m in _choices(profile).items()):
            return True, ()
    values = _values_with_best_moves_where_open(tree, choice)
    notes = []
    for node in np.flatnonzero(tree.node_player >= 0):
        h = int(tree.node_infoset[node])
        if h not in choice:
            continue
        mover = int(tree.node_player[node])
        kids = list(tree.children(int(node)))
        chosen = choice[h]
        best = max(range(len(kids)), key=lambda k: values[kids[k]][mover])
        if values[kids[best]][mover] > values[kids[chosen]][mover]:
            info = tree.infosets[h]
            notes.append(Note(THREAT, "{player} at {decision} would play {move} ({value}) though {better_move} gives "
                                      "{better_value}: a threat that would not be carried out",
                              {"player": tree.players[mover], "decision": info.label, "move": info.moves[chosen],
                               "value": values[kids[chosen]][mover], "better_move": info.moves[best],
                               "better_value": values[kids[best]][mover]}))
    return False, tuple(notes)


def _values_with_best_moves_where_open(tree: ExtensiveGame, choice: Mapping[int, int]) -> dict:
    """Each subtree's payoffs (perfect information) when movers follow ``choice`` and, at points
    the plan leaves open (its own earlier moves rule them out), take their best move there."""
    values: dict[int, object] = {}
    for node in range(tree.num_nodes - 1, -1, -1):            # breadth-first order: children later
        kids = list(tree.children(node))
        if not kids:
            values[node] = tree.leaf_payoffs[node]
        elif tree.node_player[node] < 0:
            values[node] = sum(tree.chance_probs[c] * values[c] for c in kids)
        else:
            mover, h = int(tree.node_player[node]), int(tree.node_infoset[node])
            k = choice[h] if h in choice else max(range(len(kids)), key=lambda j: values[kids[j]][mover])
            values[node] = values[kids[k]]
    return values


def _tree_pbe(tree: ExtensiveGame, method: str, concept: str, deadline) -> tuple[AlgorithmResult, list[Equilibrium]]:
    """Perfect Bayesian equilibria with their beliefs (``solver/equilibria/pbe.py``); for
    ``sequential``, those whose beliefs are shown consistent (an undecided one is left out and noted)."""
    if method not in ("auto", "pbe"):
        raise SolveError(f"--concept {concept} has its own method; leave out --method {method}", "--method")
    if not tree.is_exact:
        raise SolveError("perfect Bayesian equilibria are computed exactly: the payoffs and probabilities must be rational "
                         "at these parameter values", "--concept")
    result = perfect_bayesian_equilibria(tree, deadline=deadline)
    structure = signalling_structure(tree)
    equilibria, kept = [], []
    for profile in result.profiles:
        record = assessment_record(tree, structure, assess(tree, profile))
        if concept == "sequential" and record["sequential"]["holds"] is not True:
            continue
        kept.append(profile)
        equilibrium = behaviour_equilibrium(tree, profile, subtree_values(tree, profile)[0], True)
        equilibria.append(dataclasses.replace(equilibrium, assessment=record))
    if len(kept) < len(result.profiles):
        note = Note("not-sequential", "{count} perfect Bayesian equilibria are left out: their beliefs are not (or not "
                                      "shown to be) consistent", {"count": len(result.profiles) - len(kept)})
        result = result.with_changes(profiles=tuple(kept), notes=result.notes + (note,))
    if concept == "sequential":
        result = result.with_changes(label="sequential (perfect Bayesian with consistent beliefs)")
    return result, equilibria


# ---- the entry point -------------------------------------------------------------------------
def solve(game, parameters: Mapping[str, object] | None = None, *, concept: str | None = None,
          method: str = "auto", exact: bool = False, timeout: float | None = None,
          deadline: float | None = None, progress=None) -> Solution:
    """Solve ``game`` at the given parameter values.

    ``concept``: ``"nash"`` or ``"spe"``/``"subgame-perfect"`` (sequential games; default
    subgame-perfect). ``method``: see ``METHODS``. ``timeout``: seconds; the run stops cleanly and
    reports ``complete=False``; ``deadline`` (a ``time.monotonic()`` value, e.g. counted from the
    start of a command) takes precedence over ``timeout``. ``exact`` only affects ``to_dict`` output (probabilities as fraction strings).
    ``progress``: an optional ``progress(what, done, total)`` callback, called by methods that
    report their progress (the polynomial method).
    """
    if method not in METHODS:
        raise SolveError(f"unknown method '{method}' (methods: {', '.join(METHODS)})", "--method")
    values = parameter_values(game, parameters)
    numeric = evaluate_game(game, values)
    deadline = deadline if deadline is not None else deadline_after(timeout)
    sequential = isinstance(numeric, ExtensiveGame)
    chosen = CONCEPTS.get(concept or ("spe" if sequential else "nash"))
    if chosen is None:
        raise SolveError(f"unknown concept '{concept}' (use nash{', spe, pbe or sequential' if sequential else ''})", "--concept")
    if not sequential:
        chosen = "nash"    # a normal-form game has no proper subgames: both concepts agree
        result = run_method(method, numeric, deadline, progress)
        equilibria = normal_form_equilibria(numeric, result)
        extra = {"strategy_names": numeric.strategies, **_continua(result, numeric.payoffs)}
    elif chosen in ("perfect-bayesian", "sequential"):
        result, equilibria = _tree_pbe(numeric, method, chosen, deadline)
        extra = {}
    elif chosen == "subgame-perfect":
        result, equilibria = _tree_spe(numeric, method, deadline, progress)
        extra = _spe_continua(numeric, result, deadline)
    else:
        result, equilibria, reduced = _tree_nash(numeric, method, deadline, progress)
        extra = {"strategy_names": reduced.strategies, **_continua(result, reduced.payoffs)}
    return Solution(title=game.info.title, form="sequential" if sequential else "normal", players=tuple(game.players),
                    parameters=values, concept=chosen, method=result.label, complete=result.complete,
                    equilibria=tuple(equilibria), notes=result.notes, value=result.value, method_name=result.method,
                    method_parameters=result.parameters, game=numeric, **extra)


def _spe_continua(tree: ExtensiveGame, result: AlgorithmResult, deadline=None) -> dict:
    """Continua of subgame-perfect equilibria: the subgames' families, segments between listed
    equilibria, and whether the method may leave a subgame's continuum unreported (the subgame
    route lists every combination of the subgames' extreme equilibria; unless it says it reports
    every continuum (``subgames.REPORTS_EVERY_CONTINUUM``), a level with a continuum spanned by
    its extreme equilibria leaves no trace in the result)."""
    extra = _continua(result)
    if result.method == "subgames":
        extra["mixtures"] = _one_point_mixtures(tree, result.profiles)
        extra["extremes_only"] = not (tree.is_perfect_information or getattr(subgames, "REPORTS_EVERY_CONTINUUM", False)
                                      or _one_level_without_continua(tree, result, deadline))
    return extra


def _one_level_without_continua(tree: ExtensiveGame, result: AlgorithmResult, deadline=None) -> bool:
    """Whether a complete two-player result with no proper subgame but the whole game provably
    lists every subgame-perfect equilibrium: these are then the Nash equilibria of the reduced
    normal form, finitely many when vertex enumeration finds no component with several extreme
    equilibria (each maximal Nash subset is then one point)."""
    if not result.complete or result.families or tree.num_players != 2 or subgames.proper_subgame_roots(tree) != [0]:
        return False
    game = reduced_normal_form(tree).game
    if registry.choose(game).name != "enumerate":
        return False
    check = registry.run("enumerate", game, deadline=deadline)
    return check.complete and not check.families
