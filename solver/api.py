"""The public API: ``load_game`` and ``solve``.

``solve`` evaluates the game's parameters, picks a method (the strongest complete method that fits
the game unless one is asked for), runs it, verifies every equilibrium, and returns a ``Solution``.

>>> game = load_game("games/prisoners_dilemma.yaml")
>>> solution = solve(game)
>>> [e.label for e in solution.equilibria], solution.complete
(['Defect, Defect'], True)
"""
from __future__ import annotations

import os
import time
from fractions import Fraction
from typing import Mapping

import numpy as np

from solver.core import numbers, regret
from solver.equilibria import verify
from solver.model.expr import ExpressionError, number, to_exact
from solver.model.normal import NormalFormGame
from solver.model.tree import CHANCE, ExtensiveGame
from solver.results import Component, Equilibrium, Solution

CONCEPTS = {"nash": "nash", "spe": "subgame-perfect", "subgame-perfect": "subgame-perfect"}


class SolveError(ValueError):
    """A request that cannot be carried out (bad parameter, method or concept)."""

    def __init__(self, message: str, option: str = ""):
        self.option = option
        super().__init__(message)


def load_game(path: str | os.PathLike):
    """Read a game file: YAML (``.yaml``/``.yml``) or Gambit (``.nfg``/``.efg``)."""
    path = os.fspath(path)
    extension = os.path.splitext(path)[1].lower()
    if extension in (".nfg", ".efg"):
        from solver.io.gambit import load_gambit
        return load_gambit(path)
    from solver.io.yamlfile import load_yaml_game
    return load_yaml_game(path)


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


def evaluate_game(game, values: Mapping[str, object]):
    """The numeric game for these parameter values; chance probabilities are checked."""
    try:
        numeric = game.evaluated(values)
    except ExpressionError as error:
        raise SolveError(f"cannot evaluate the payoffs: {error}") from None
    if isinstance(numeric, ExtensiveGame):
        problems = numeric.check_probabilities()
        if problems:
            raise SolveError("chance probabilities are invalid with these parameter values: " + "; ".join(problems))
    return numeric


# ---- normal form -----------------------------------------------------------------------------
def normal_form_equilibrium(game: NormalFormGame, profile, exact: bool, label: str = "") -> Equilibrium:
    """Wrap and verify one mixed profile of a numeric normal-form game."""
    dtype = object if exact else float
    payoffs = np.asarray(game.payoffs, dtype=dtype)
    profile = [np.asarray(p, dtype=dtype) for p in profile]
    if not regret.is_nash(payoffs, profile):
        raise AssertionError(f"internal error: a reported profile is not an equilibrium (regret {regret.max_regret(payoffs, profile)})")
    values = regret.expected_payoffs(payoffs, profile)
    pure = all(sum(1 for v in p if v != 0) == 1 for p in profile)
    if pure and not label:
        label = ", ".join(game.strategies[i][int(np.argmax([float(v) for v in p]))] for i, p in enumerate(profile))
    strategies = {player: {s: _clean(v) for s, v in zip(game.strategies[i], profile[i])}
                  for i, player in enumerate(game.players)}
    return Equilibrium(strategies=strategies, payoffs={p: _clean(values[i]) for i, p in enumerate(game.players)},
                       pure=pure, regret=_clean(regret.max_regret(payoffs, profile)), exact=exact, label=label)


def _clean(value):
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    value = float(value)
    return 0.0 if value == 0 else value


def _pure_profiles(game: NormalFormGame, exact: bool):
    from solver.equilibria.pure import pure_equilibria
    one = Fraction(1) if exact else 1.0
    zero = Fraction(0) if exact else 0.0
    for index in pure_equilibria(game.payoffs):
        yield [[one if k == s else zero for k in range(n)] for s, n in zip(index, game.shape)]


#: Beyond this many profiles, 3+ player games default to pure equilibria (the polynomial method
#: took 30 s on tech_transfer's 2×4×16 reduced normal form).
MAX_AUTO_POLYNOMIAL_PROFILES = 64
#: 2-player enumeration took 0.2–0.4 s at 12×12 and 2–5 s at 14×14 (benchmarks/bench_enumerate2.py).
MAX_AUTO_ENUMERATION_SIZE = 15

METHODS = {
    "auto": "the strongest complete method that fits the game",
    "pure": "every pure-strategy equilibrium (vectorised best responses); mixed equilibria are not searched",
    "enumerate": "2 players: every extreme equilibrium, exactly, with the components they span",
    "lemke-howson": "2 players: one equilibrium by lexicographic Lemke–Howson pivoting (not complete)",
    "zero-sum": "2-player constant-sum games: the value and one optimal pair by linear programming",
    "polynomial": "3+ players: support enumeration solving each support's polynomial indifference system",
    "homotopy": "3+ players: one equilibrium by tracing the logit quantal-response path (not complete)",
    "backward-induction": "perfect-information trees: every pure subgame-perfect equilibrium",
    "subgames": "any tree with perfect recall: subgame-perfect equilibria in behaviour strategies",
    "sequence-form": "2-player trees: one equilibrium per subgame from the sequence form (not complete)",
}


def solve_normal_form(game: NormalFormGame, method: str, deadline: float | None):
    """Equilibria of a numeric normal-form game: (equilibria, complete, method, notes, components, value)."""
    exact = game.is_exact
    n = game.num_players
    notes: list[str] = []
    components: tuple = ()
    value = None
    auto = method == "auto"
    if auto:
        profiles = int(np.prod(game.shape))
        if n == 1 or min(game.shape) == 0:
            method = "pure"
        elif n == 2 and min(game.shape) <= MAX_AUTO_ENUMERATION_SIZE:
            method = "enumerate"
        elif n == 2:
            method = "lemke-howson"
            notes.append(f"a {game.shape[0]}×{game.shape[1]} game is too large to enumerate every equilibrium quickly, so "
                         "Lemke–Howson found one: use --method enumerate (with --timeout) for all")
        elif profiles <= MAX_AUTO_POLYNOMIAL_PROFILES:
            method = "polynomial"
        else:
            method = "pure"
            notes.append(f"with {n} players and {profiles} strategy profiles the complete polynomial method is slow, "
                         "so only pure equilibria were searched: use --method polynomial (with --timeout) for "
                         "mixed ones, or --method homotopy for one")
    if method == "pure" or n == 1:
        equilibria = [normal_form_equilibrium(game, p, exact) for p in _pure_profiles(game, exact)]
        if n == 1:
            return equilibria, True, "best responses (one player)", notes, components, value
        if not auto:
            notes.append("only pure-strategy equilibria were searched; mixed equilibria may exist")
        return equilibria, False, "pure", notes, components, value
    if method in ("enumerate", "lemke-howson", "zero-sum") and n != 2:
        raise SolveError(f"method '{method}' needs a 2-player game; this game has {n} players", "--method")
    if method in ("polynomial", "homotopy") and n < 2:
        raise SolveError(f"method '{method}' needs at least 2 players", "--method")
    A, B = game.payoffs[0], game.payoffs[1]
    if method == "enumerate":
        from solver.equilibria.enumerate2 import enumerate_extreme_equilibria
        from solver.equilibria.components import equilibrium_components
        found = enumerate_extreme_equilibria(A, B, deadline=deadline)
        profiles = sorted(found.equilibria, key=_pure_first)
        equilibria = [normal_form_equilibrium(game, [x, y], exact) for x, y in profiles]
        groups = equilibrium_components(A, B, tuple(profiles)) if profiles else ()
        if any(len(g) > 1 for g in groups):
            components = tuple(Component(tuple(g), f"a continuum of equilibria spanned by equilibria {', '.join(str(i + 1) for i in g)}")
                               for g in groups)
        if not found.complete:
            notes.append("stopped by the time limit: the list may miss equilibria")
        if _is_constant_sum(A, B):
            notes.append("a constant-sum game: every equilibrium gives the same payoffs (the value of the game)")
            value = equilibria[0].payoffs[game.players[0]] if equilibria else None
        return equilibria, found.complete, found.method, notes, components, value
    if method == "lemke-howson":
        from solver.equilibria.lemke_howson import lemke_howson
        # Exact integer pivoting costs ~12 ms a pivot at 200×200: follow the path in floats and
        # prove the final basis exactly instead (still an exact, verified equilibrium).
        x, y = lemke_howson(A, B, 0, deadline=deadline, float_guided=exact and max(game.shape) > 30)
        notes.append("Lemke–Howson finds one equilibrium; others may exist")
        return [normal_form_equilibrium(game, [x, y], exact)], False, "lemke-howson", notes, components, value
    if method == "zero-sum":
        from solver.equilibria.zerosum import is_constant_sum, solve_zero_sum
        if not is_constant_sum(A, B):
            raise SolveError("method 'zero-sum' needs a constant-sum game (payoffs of the two players add to the same total)", "--method")
        result = solve_zero_sum(A, B)
        notes.append("linear programming gives one optimal strategy pair; all optimal pairs share the value")
        eq = normal_form_equilibrium(game, [result.row_strategy, result.column_strategy], exact)
        return [eq], False, "zero-sum (linear programming)", notes, components, result.value
    if method == "polynomial":
        from solver.equilibria.polynomial import enumerate_polynomial
        found = enumerate_polynomial(game.payoffs, deadline=deadline)
        equilibria = []
        for profile in found.equilibria:
            is_exact = exact and all(isinstance(v, Fraction) for p in profile for v in p)
            equilibria.append(normal_form_equilibrium(game, profile, is_exact))
        for family in found.families:
            notes.append(_family_note(game, family))
        notes.extend(found.notes)
        return equilibria, found.complete, found.method, notes, components, value
    if method == "homotopy":
        from solver.equilibria.homotopy import one_equilibrium
        profile = one_equilibrium(game.payoffs, deadline=deadline)
        notes.append("the homotopy finds one equilibrium; others may exist")
        return [normal_form_equilibrium(game, profile, False)], False, "homotopy (logit QRE tracing)", notes, components, value
    raise SolveError(f"method '{method}' does not apply to a normal-form game (try: {', '.join(m for m in METHODS if m not in ('backward-induction', 'subgames', 'sequence-form'))})", "--method")


def _family_note(game: NormalFormGame, family) -> str:
    """A continuum of equilibria in the game's own names: the supports and a few verified points."""
    def support_text(i, p):
        names = [game.strategies[i][k] for k in family.support[i]]
        return f"{p} plays {names[0]}" if len(names) == 1 else f"{p} mixes {', '.join(names)}"
    supports = "; ".join(support_text(i, p) for i, p in enumerate(game.players))
    points = []
    for profile in family.sample_points[:3]:
        parts = []
        for i, p in enumerate(game.players):
            mixed = [f"{game.strategies[i][k]} {v}" for k, v in enumerate(profile[i]) if v != 0]
            if len(mixed) == 1:
                mixed = [mixed[0].rsplit(" ", 1)[0]]
            parts.append(f"{p}: {', '.join(mixed)}")
        points.append("(" + "; ".join(parts) + ")")
    text = f"a continuum of equilibria of dimension {family.dimension} where {supports}"
    if points:
        text += "; it contains " + " and ".join(points)
    return text


def _pure_first(profile) -> tuple:
    """Pure equilibria first, in strategy order; then mixed ones by support size."""
    support = sum(sum(1 for v in p if v != 0) for p in profile)
    return (support, tuple(-float(v) for p in profile for v in p))


def _is_constant_sum(A, B) -> bool:
    total = A + B
    first = total.flat[0]
    if total.dtype == object:
        return all(v == first for v in total.flat)
    return bool(np.allclose(total, first, rtol=0, atol=1e-12 * max(1.0, float(np.ptp(A)))))


# ---- trees -----------------------------------------------------------------------------------
def outcome_path(tree: ExtensiveGame, behaviour: Mapping[int, object]) -> list[tuple[str, object]]:
    """Outcomes reached, with probabilities, when play follows ``behaviour`` (infoset → probabilities)."""
    exact = tree.is_exact
    result: dict[str, object] = {}
    stack = [(0, Fraction(1) if exact else 1.0)]
    while stack:
        node, p = stack.pop()
        if p == 0:
            continue
        if tree.is_terminal(node):
            label = tree.outcomes[node] or tree.node_ids[node]
            result[label] = result.get(label, 0) + p
            continue
        kids = list(tree.children(node))
        if tree.node_player[node] == CHANCE:
            probs = [tree.chance_probs[c] for c in kids]
        else:
            probs = behaviour.get(int(tree.node_infoset[node]))
            if probs is None:
                continue
        for c, q in reversed(list(zip(kids, probs))):
            stack.append((c, p * q))
    return list(result.items())


def behaviour_equilibrium(tree: ExtensiveGame, behaviour: Mapping[int, object], payoffs, exact: bool,
                          subgame_perfect: bool | None = None, notes=(), label: str = "", regret=0) -> Equilibrium:
    strategies: dict[str, dict] = {p: {} for p in tree.players}
    for h, probs in sorted(behaviour.items()):
        if probs is None:
            continue
        info = tree.infosets[h]
        strategies[tree.players[info.player]][info.label] = {m: _clean(q) for m, q in zip(info.moves, probs)}
    pure = all(probs is None or sum(1 for q in probs if q != 0) == 1 for probs in behaviour.values())
    return Equilibrium(strategies=strategies,
                       payoffs={p: _clean(v) for p, v in zip(tree.players, payoffs)},
                       pure=pure, regret=_clean(regret), exact=exact,
                       path=tuple((o, _clean(p)) for o, p in outcome_path(tree, behaviour)),
                       subgame_perfect=subgame_perfect, notes=tuple(notes), label=label)


def _pure_behaviour(tree: ExtensiveGame, choices: Mapping[int, int], exact: bool) -> dict[int, list]:
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
    behaviour = {}
    for node, move in choices.items():
        h = int(tree.node_infoset[node])
        behaviour[h] = [one if k == move else zero for k in range(int(tree.num_children[node]))]
    return behaviour


def solve_tree_spe(tree: ExtensiveGame, method: str, deadline: float | None):
    exact = tree.is_exact
    if method in ("auto", "backward-induction") and tree.is_perfect_information:
        from solver.equilibria.backward import subgame_perfect_equilibria
        profiles, values, complete = subgame_perfect_equilibria(tree)
        equilibria = []
        for profile, value in zip(profiles, values):
            regret = verify.subgame_regret(tree, profile)
            tolerance = 0 if exact else numbers.regret_tolerance(tree.leaf_payoffs[tree.terminal_nodes()])
            if regret > tolerance:
                raise AssertionError(f"internal error: backward induction returned a profile with subgame regret {regret}")
            equilibria.append(behaviour_equilibrium(tree, _pure_behaviour(tree, profile, exact), value, exact, True,
                                                    regret=regret))
        notes = [] if complete else ["more than 100000 subgame-perfect equilibria: the list is cut short"]
        if len(profiles) > 1:
            notes.append("a player is indifferent somewhere, so several subgame-perfect equilibria exist; all are listed")
        return equilibria, complete, "backward induction", notes
    if method == "backward-induction":
        raise SolveError("backward induction needs perfect information; this tree has information sets with several nodes (use --method subgames)", "--method")
    if method not in ("auto", "subgames", "sequence-form"):
        raise SolveError(f"method '{method}' does not apply to subgame perfection in a tree (use backward-induction, subgames or sequence-form)", "--method")
    from solver.equilibria.recall import perfect_recall_violation
    from solver.equilibria.subgames import subgame_perfect_equilibria
    problem = perfect_recall_violation(tree)
    if problem:
        raise SolveError(f"the game lacks perfect recall: {problem}; subgame perfection needs it (use --concept nash)")
    route = "sequence-form" if method == "sequence-form" else "normal-form"
    result = subgame_perfect_equilibria(tree, route=route, deadline=deadline)
    equilibria = [behaviour_equilibrium(tree, e.behaviour, e.payoffs, exact and _all_fractions(e.payoffs), True)
                  for e in result.equilibria]
    return equilibria, result.complete, result.method, list(result.notes)


def _all_fractions(values) -> bool:
    return all(isinstance(v, Fraction) for v in values)


def solve_tree_nash(tree: ExtensiveGame, method: str, deadline: float | None):
    """Nash equilibria through the reduced normal form, each marked subgame-perfect or not."""
    from solver.model.reduce import behaviour_from_mixed, reduced_normal_form
    reduced = reduced_normal_form(tree)
    game = reduced.game
    nf_method = "auto" if method in ("auto",) else method
    equilibria_nf, complete, used, notes, components, _ = solve_normal_form(game, nf_method, deadline)
    spe_behaviours = None
    if tree.is_perfect_information:
        from solver.equilibria.backward import subgame_perfect_equilibria
        profiles, _, _ = subgame_perfect_equilibria(tree)
        spe_behaviours = profiles
    exact = tree.is_exact
    results = []
    for eq in equilibria_nf:
        mixed = [[eq.strategies[p][s] for s in game.strategies[i]] for i, p in enumerate(game.players)]
        behaviour = {}
        for i in range(tree.num_players):
            behaviour.update(behaviour_from_mixed(tree, reduced.strategies[i], mixed[i]))
        payoffs = [eq.payoffs[p] for p in game.players]
        spe, threat_notes = None, ()
        if spe_behaviours is not None and eq.pure:
            spe, threat_notes = _credibility(tree, behaviour, spe_behaviours)
        results.append(behaviour_equilibrium(tree, behaviour, payoffs, eq.exact, spe, threat_notes, label=eq.label))
    return results, complete, f"{used} on the reduced normal form", notes, components


def _credibility(tree: ExtensiveGame, behaviour, spe_profiles) -> tuple[bool, tuple[str, ...]]:
    """Whether a pure profile agrees with some subgame-perfect equilibrium wherever it prescribes a
    move, and otherwise the moves that would not be carried out (not optimal in their subgame)."""
    choice = {h: int(np.argmax([float(q) for q in probs])) for h, probs in behaviour.items() if probs is not None}
    for profile in spe_profiles:
        if all(choice.get(int(tree.node_infoset[n]), m) == m for n, m in profile.items()):
            return True, ()
    # Evaluate every subtree under this profile; a move is a non-credible threat where another is better.
    values = {}
    for node in range(tree.num_nodes - 1, -1, -1):
        if tree.is_terminal(node):
            values[node] = tree.leaf_payoffs[node]
            continue
        kids = list(tree.children(node))
        if tree.node_player[node] == CHANCE:
            values[node] = sum(tree.chance_probs[c] * values[c] for c in kids)
        else:
            h = int(tree.node_infoset[node])
            values[node] = values[kids[choice.get(h, 0)]]
    notes = []
    for node in range(tree.num_nodes):
        if tree.node_player[node] < 0:
            continue
        h = int(tree.node_infoset[node])
        if h not in choice:
            continue
        mover = int(tree.node_player[node])
        kids = list(tree.children(node))
        chosen = choice[h]
        best = max(range(len(kids)), key=lambda k: values[kids[k]][mover])
        if values[kids[best]][mover] > values[kids[chosen]][mover]:
            info = tree.infosets[h]
            notes.append(f"{tree.players[mover]} at {info.label} would play {info.moves[chosen]} "
                         f"({_fmt(values[kids[chosen]][mover])}) though {info.moves[best]} gives {_fmt(values[kids[best]][mover])}: "
                         f"a threat that would not be carried out")
    return False, tuple(notes)


def _fmt(value) -> str:
    from solver.results import format_number
    return format_number(value)


# ---- the entry point -------------------------------------------------------------------------
def solve(game, parameters: Mapping[str, object] | None = None, *, concept: str | None = None,
          method: str = "auto", exact: bool = False, timeout: float | None = None) -> Solution:
    """Solve ``game`` at the given parameter values.

    ``concept``: ``"nash"`` or ``"spe"``/``"subgame-perfect"`` (sequential games; default
    subgame-perfect). ``method``: see ``METHODS``. ``timeout``: seconds; the run stops cleanly and
    reports ``complete=False``. ``exact`` only affects ``to_dict`` output (probabilities as fraction strings).
    """
    if method not in METHODS:
        raise SolveError(f"unknown method '{method}' (methods: {', '.join(METHODS)})", "--method")
    values = parameter_values(game, parameters)
    numeric = evaluate_game(game, values)
    deadline = time.monotonic() + timeout if timeout else None
    components: tuple = ()
    value = None
    if isinstance(numeric, ExtensiveGame):
        chosen = CONCEPTS.get(concept or "spe")
        if chosen is None:
            raise SolveError(f"unknown concept '{concept}' (use nash or spe)", "--concept")
        if chosen == "subgame-perfect":
            equilibria, complete, used, notes = solve_tree_spe(numeric, method, deadline)
        else:
            equilibria, complete, used, notes, components = solve_tree_nash(numeric, method, deadline)
        form = "sequential"
    else:
        chosen = CONCEPTS.get(concept or "nash")
        if chosen is None:
            raise SolveError(f"unknown concept '{concept}' (use nash)", "--concept")
        if chosen == "subgame-perfect":
            chosen = "nash"    # a normal-form game has no proper subgames: both concepts agree
        equilibria, complete, used, notes, components, value = solve_normal_form(numeric, method, deadline)
        form = "normal"
    return Solution(title=game.info.title, form=form, players=tuple(game.players), parameters=values,
                    concept=chosen, method=used, complete=complete, equilibria=tuple(equilibria),
                    components=tuple(components), notes=tuple(notes), value=value, game=numeric)
