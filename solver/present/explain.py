"""A step-by-step account of a game's solution in plain language, using the game's own names.

- Normal form: iterated elimination of dominated strategies (including domination by mixtures),
  the payoff matrix with best responses marked, the pure equilibria read off the marks, and for
  each mixed equilibrium the indifference equations written out and solved exactly.
- Perfect-information trees: backward induction node by node with the numbers compared (and the
  expected-value arithmetic at chance nodes), the behaviour off the path, the equilibrium path,
  and the Nash equilibria of the normal form that rest on threats that would not be carried out.
- Trees with information sets: the equilibrium behaviour at each information set, with the
  beliefs there and the comparison (or indifference) that justifies each move.

The account is a list of ``Section`` objects; ``render_text`` prints it for a terminal and the
HTML report renders the same sections.

>>> from solver.api import load_game
>>> text = explain(load_game("games/prisoners_dilemma.yaml"))
>>> "Row's Cooperate is strictly dominated by Defect (payoffs 3, 1 > 2, 0 against Column's Cooperate, Defect)" in text
True
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np

from solver.api import evaluate_game, parameter_values, solve
from solver.model.normal import NormalFormGame
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame
from solver.present.ascii import fmt as _fmt
from solver.present.ascii import render_matrix
from solver.results import Solution

MINUS = "−"
#: Above this many profiles the explanation skips the payoff matrix and the normal form of trees.
MAX_MATRIX_CELLS = 400
MAX_NORMAL_FORM_PROFILES = 20_000
MAX_LISTED = 10


@dataclass
class Section:
    """A titled part of the explanation: items are ``("p", text)``, ``("li", text)`` or ``("pre", text)``."""
    title: str
    items: list = field(default_factory=list)

    def p(self, text: str):
        self.items.append(("p", text))

    def li(self, text: str):
        self.items.append(("li", text))

    def pre(self, text: str):
        self.items.append(("pre", text))


# ---- numbers ------------------------------------------------------------------------------------
def num(value) -> str:
    """A number with a real minus sign: ``−7``, ``3/2``, ``0.333``."""
    return _fmt(value, unicode_minus=True)


def paren(value) -> str:
    """A number inside arithmetic: negatives in parentheses, ``(−3)``."""
    text = num(value)
    return f"({text})" if text.startswith(MINUS) else text


def _is_exact(value) -> bool:
    return isinstance(value, (Fraction, int))


def _join(names: Sequence[str], word: str = "and") -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {word} " + names[-1]


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# ---- the entry points ---------------------------------------------------------------------------
def explanation(game, parameters: Mapping[str, object] | None = None, weak: bool = False) -> list[Section]:
    """The sections of the explanation of ``game`` (as loaded) at ``parameters`` (defaults if None)."""
    values = parameter_values(game, parameters)
    numeric = evaluate_game(game, values)
    if isinstance(numeric, NormalFormGame):
        return explain_normal_form(game, numeric, parameters, weak)
    if numeric.is_perfect_information:
        return explain_perfect_information(game, numeric, parameters)
    return explain_imperfect_information(game, numeric, parameters)


def explain(game, parameters: Mapping[str, object] | None = None, weak: bool = False) -> str:
    """The explanation as plain text."""
    values = parameter_values(game, parameters)
    return render_text(game.info.title, values, explanation(game, parameters, weak))


def render_text(title: str, values: Mapping[str, object], sections: Sequence[Section]) -> str:
    lines = [f"How to solve: {title or '(untitled game)'}"]
    if values:
        lines.append("With " + ", ".join(f"{k} = {num(v)}" for k, v in values.items()) + ".")
    for k, section in enumerate(sections, 1):
        lines.append("")
        heading = f"{k}. {section.title}"
        lines.append(heading)
        lines.append("─" * len(heading))
        for kind, content in section.items:
            if kind == "p":
                lines.append(content)
            elif kind == "li":
                lines.append(f"  - {content}")
            else:
                lines.extend("    " + line if line else "" for line in content.rstrip("\n").split("\n"))
    return "\n".join(lines) + "\n"


# ---- normal form --------------------------------------------------------------------------------
def _mixture_text(game: NormalFormGame, player: int, weights: Mapping[int, object]) -> str:
    if len(weights) == 1:
        return game.strategies[player][next(iter(weights))]
    return "the mixture " + " + ".join(f"{num(w)} {game.strategies[player][k]}" for k, w in weights.items())


def _opponents_text(game: NormalFormGame, player: int, opponents) -> str:
    others = [j for j in range(game.num_players) if j != player]
    if len(others) == 1:
        j = others[0]
        return f"against {_possessive(game.players[j])} " + ", ".join(game.strategies[j][t[0]] for t in opponents)
    return "against " + ", ".join("(" + ", ".join(game.strategies[j][k] for j, k in zip(others, t)) + ")"
                                  for t in opponents)


def dominance_section(game: NormalFormGame, weak: bool) -> tuple[Section, object]:
    from solver.equilibria.dominance import iterated_elimination
    result = iterated_elimination(game.payoffs, weak=weak)
    kinds = "strictly or weakly" if weak else "strictly"
    section = Section("Dominated strategies")
    section.p(f"A strategy is {kinds} dominated when another strategy, or a mixture of strategies, pays the "
              "same player more whatever the others do" + (" (weakly: at least as much, and more somewhere)" if weak else "")
              + ". A rational player never uses a strictly dominated strategy, so it can be crossed out; then "
              "look again, because with fewer strategies left for the others more may become dominated.")
    if not result.eliminations:
        section.p(f"No strategy is {kinds} dominated, not even by a mixture: dominance does not narrow this game down."
                  + ("" if weak else " (Try --weak to look for weakly dominated strategies.)"))
        return section, result
    for step in result.eliminations:
        player = game.players[step.player]
        name = game.strategies[step.player][step.strategy]
        relation = ">" if step.strict else "≥"
        dominating = ", ".join(num(v) for v in step.dominating_payoffs)
        dominated = ", ".join(num(v) for v in step.dominated_payoffs)
        how = "strictly" if step.strict else "weakly"
        section.li(f"Round {step.round}: {_possessive(player)} {name} is {how} dominated by "
                   f"{_mixture_text(game, step.player, step.dominator)} (payoffs {dominating} {relation} {dominated} "
                   f"{_opponents_text(game, step.player, step.opponents)}), so it is eliminated.")
    left = "; ".join(f"{p}: {', '.join(game.strategies[i][k] for k in result.surviving[i])}"
                     for i, p in enumerate(game.players))
    section.p(f"What survives: {left}.")
    if result.solved:
        profile = ", ".join(game.strategies[i][s[0]] for i, s in enumerate(result.surviving))
        if weak and any(not e.strict for e in result.eliminations):
            section.p(f"One profile survives: ({profile}). It is a Nash equilibrium, but weak elimination can "
                      "discard other equilibria, so it need not be the only one.")
        else:
            section.p(f"One profile survives: ({profile}). Strict elimination never removes an equilibrium, "
                      "so this is the game's only Nash equilibrium.")
    return section, result


def _cells(game: NormalFormGame) -> int:
    return int(np.prod(game.shape)) if game.shape else 1


def best_response_section(game: NormalFormGame) -> Section:
    section = Section("Best responses")
    if _cells(game) > MAX_MATRIX_CELLS:
        section.p(f"The game has {_cells(game)} strategy profiles, too many to print the matrix here "
                  "('solve draw' draws it).")
        return section
    if game.num_players == 1:
        section.p("With one player, the best strategy is simply the one with the highest payoff (marked *).")
    elif game.num_players == 2:
        section.p(f"For each strategy of one player, mark with * the other player's best reply. {game.players[0]} "
                  f"chooses a row, {game.players[1]} a column; each cell lists {_possessive(game.players[0])} payoff, "
                  f"then {_possessive(game.players[1])}.")
    else:
        section.p(f"One matrix for each choice of {_join(game.players[2:])}; each cell lists the payoffs of "
                  f"{_join(game.players)} in that order, with * where that player's strategy is a best reply to the others'.")
    section.pre(render_matrix(game, unicode_minus=True))
    return section


def pure_equilibria_section(game: NormalFormGame) -> Section:
    from solver.equilibria.pure import pure_equilibrium_indices
    section = Section("Pure equilibria")
    profiles = pure_equilibrium_indices(game.payoffs)
    if game.num_players == 1:
        best = [game.strategies[0][p[0]] for p in profiles]
        section.p(f"The best choice: {_join(best, 'or')}.")
        return section
    if not profiles:
        section.p("No cell has every payoff marked: whatever is played, someone would rather switch. "
                  "There is no equilibrium in pure strategies.")
        return section
    section.p("A cell where every payoff is marked is a profile in which each player's strategy is a best reply "
              "to the others': a pure Nash equilibrium.")
    for profile in profiles:
        names = ", ".join(game.strategies[i][k] for i, k in enumerate(profile))
        payoffs = ", ".join(num(game.payoffs[(i,) + tuple(profile)]) for i in range(game.num_players))
        section.li(f"({names}), with payoffs {payoffs}.")
    return section


def _solve_quietly(game, parameters, **options) -> tuple[Solution | None, str]:
    """``solve`` with a readable note instead of an exception when a method is unavailable."""
    try:
        return solve(game, parameters, **options), ""
    except ImportError as error:
        return None, f"(not available in this installation: {error})"
    except (ValueError, AssertionError, TimeoutError) as error:
        return None, f"({error})"


def mixed_equilibria_section(game, numeric: NormalFormGame, parameters) -> Section:
    section = Section("Mixed equilibria")
    solution, problem = _solve_quietly(game, parameters, timeout=30)
    if solution is None:
        section.p("The mixed equilibria could not be computed " + problem + ".")
        return section
    mixed = [e for e in solution.equilibria if not e.pure]
    continua = [n for n in solution.notes if "continuum" in n]
    if continua:
        section.p("Some equilibria form continua:")
        for note in continua:
            section.li(note)
    if not mixed:
        if continua:
            section.p("No other mixed equilibrium was listed.")
        elif solution.complete:
            section.p("There is no equilibrium in which someone mixes: the pure equilibria above are all of them.")
        else:
            section.p(f"No mixed equilibrium was found ({solution.method}; the search was not complete).")
        return section
    section.p("In a mixed equilibrium each player who randomises must be indifferent between the strategies "
              "they mix: otherwise they would drop the worse one. So each player's mixture is pinned down by the "
              "OTHER player's indifference.")
    for k, equilibrium in enumerate(mixed, 1):
        strategies = "; ".join(f"{p} plays " + ", ".join(f"{s} {num(q)}" for s, q in equilibrium.strategies[p].items() if q != 0)
                               for p in numeric.players)
        payoffs = ", ".join(f"{p} {num(equilibrium.payoffs[p])}" for p in numeric.players)
        section.p(f"Mixed equilibrium {k}: {strategies} (expected payoffs {payoffs}).")
        profile = [[equilibrium.strategies[p][s] for s in numeric.strategies[i]] for i, p in enumerate(numeric.players)]
        if numeric.num_players == 2:
            for line in indifference_lines_2p(numeric, profile):
                section.li(line)
        else:
            for line in indifference_lines_np(numeric, profile):
                section.li(line)
    if not solution.complete:
        section.p(f"The search ({solution.method}) was not complete: other equilibria may exist.")
    return section


def _term(coefficient, variable: str) -> tuple[int, str]:
    """(sign, text) of ``coefficient · variable`` in the style ``2q``, ``1(1 − q)``, ``(3/2)q``."""
    sign = -1 if coefficient < 0 else 1
    magnitude = -coefficient if coefficient < 0 else coefficient
    text = num(magnitude)
    if "/" in text or "." in text:
        text = f"({text})"
    return sign, f"{text}{variable}"


def linear_text(coefficients: Sequence, variables: Sequence[str]) -> str:
    """``[2, 0], ["q", "(1 − q)"]`` → ``"2q"``; zero terms are left out; all zero gives ``"0"``."""
    parts = [_term(c, v) for c, v in zip(coefficients, variables) if c != 0]
    if not parts:
        return "0"
    text = ("−" if parts[0][0] < 0 else "") + parts[0][1]
    for sign, term in parts[1:]:
        text += (" − " if sign < 0 else " + ") + term
    return text


def indifference_lines_2p(game: NormalFormGame, profile) -> list[str]:
    """The indifference equations of a 2-player mixed equilibrium, written out and solved."""
    lines = []
    payoffs = game.payoffs
    symbols = ["p", "q"]
    for mixer in (0, 1):
        other = 1 - mixer
        mix = profile[mixer]
        support = [k for k, v in enumerate(mix) if v != 0]
        other_support = [k for k, v in enumerate(profile[other]) if v != 0]
        if len(support) < 2:
            continue
        mover, chooser = game.players[mixer], game.players[other]
        names = game.strategies[mixer]
        # the chooser's payoff for own strategy s against the mixer's pure strategy t
        def u(s, t):
            index = (s, t) if other == 0 else (t, s)
            return payoffs[(other,) + index]
        if len(support) == 2:
            v = symbols[mixer]
            a, b = support
            variables = [v, f"(1 {MINUS} {v})"]
            intro = f"{mover} mixes {v} on {names[a]} (and 1 {MINUS} {v} on {names[b]})"
            expressions = [(s, [u(s, a), u(s, b)]) for s in other_support]
            texts = [linear_text(c, variables) for _, c in expressions]
            if len(expressions) < 2:
                only = game.strategies[other][expressions[0][0]]
                lines.append(f"{intro}, with {v} = {num(mix[a])}: {chooser} uses only {only}, so {chooser} need not "
                             f"be indifferent; {v} only has to keep {only} a best reply.")
                lines.extend(_payoff_check_2p(game, profile, other))
                continue
            solved = None
            for (_, c1), (_, c2) in zip(expressions, expressions[1:]):
                # c1[0] q + c1[1] (1 − q) = c2[0] q + c2[1] (1 − q)
                slope = (c1[0] - c1[1]) - (c2[0] - c2[1])
                if slope != 0:
                    solved = (c2[1] - c1[1]) / slope
                    break
            equation = " = ".join(texts)
            between = "between" if len(expressions) == 2 else "among"
            verb = f"{chooser} is indifferent {between} {_join([game.strategies[other][s] for s, _ in expressions])}"
            if solved is not None:
                value = solved if _is_exact(solved) else float(solved)
                lines.append(f"{intro}: {verb} when {equation}, so {v} = {num(value)}.")
            else:
                lines.append(f"{intro}: {verb} whatever {v} is ({equation} for every {v}); "
                             f"the equilibrium has {v} = {num(mix[a])}.")
        else:
            letter = symbols[mixer]
            variables = [f"{letter}({names[t]})" for t in support]
            intro = (f"{mover} mixes " + ", ".join(f"{names[t]} with probability {letter}({names[t]})" for t in support))
            expressions = [(s, [u(s, t) for t in support]) for s in other_support]
            equation = " = ".join(linear_text(coeffs, variables) for _, coeffs in expressions)
            solution = _solve_indifference([c for _, c in expressions], len(support))
            if solution is not None:
                result = ", ".join(f"{letter}({names[t]}) = {num(x)}" for t, x in zip(support, solution))
                lines.append(f"{intro}: {chooser} is indifferent among {_join([game.strategies[other][s] for s, _ in expressions])} "
                             f"when {equation}; with the probabilities summing to 1 this gives {result}.")
            else:
                result = ", ".join(f"{letter}({names[t]}) = {num(mix[t])}" for t in support)
                lines.append(f"{intro}: {chooser} is indifferent among {_join([game.strategies[other][s] for s, _ in expressions])} "
                             f"when {equation}; these hold at {result}.")
        lines.extend(_payoff_check_2p(game, profile, other))
    return lines


def _payoff_check_2p(game, profile, player) -> list[str]:
    from solver.core.regret import deviation_payoffs
    exact = game.is_exact
    dtype = object if exact else float
    deviations = deviation_payoffs(np.asarray(game.payoffs, dtype=dtype), [np.asarray(p, dtype=dtype) for p in profile])[player]
    support = [k for k, v in enumerate(profile[player]) if v != 0]
    value = deviations[support[0]]
    names = game.strategies[player]
    if len(support) == 1:
        text = f"Then {_possessive(game.players[player])} {names[support[0]]} earns {num(_clean(value))}"
    else:
        text = (f"Then each of {_possessive(game.players[player])} strategies in use ({_join([names[k] for k in support])}) "
                f"earns {num(_clean(value))}")
    outside = [k for k in range(len(names)) if k not in support]
    if outside:
        text += "; the others earn " + ", ".join(f"{names[k]} {num(_clean(deviations[k]))}" for k in outside) + \
                (" (no more)" if all(deviations[k] <= value + (0 if exact else 1e-9) for k in outside) else "")
    return [text + "."]


def _clean(value):
    if isinstance(value, (Fraction, int)):
        return Fraction(value)
    return float(value)


def _solve_indifference(rows: Sequence[Sequence], unknowns: int):
    """Solve: all rows·x equal, Σx = 1, exactly when the rows are exact; None unless unique."""
    import sympy
    xs = sympy.symbols(f"x0:{unknowns}")
    def s(v):
        return sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sympy.Float(v)
    exprs = [sum(s(c) * x for c, x in zip(row, xs)) for row in rows]
    equations = [sympy.Eq(e, exprs[0]) for e in exprs[1:]] + [sympy.Eq(sum(xs), 1)]
    solution = sympy.solve(equations, xs, dict=True)
    if len(solution) != 1 or len(solution[0]) != unknowns:
        return None
    values = []
    for x in xs:
        v = solution[0][x]
        if v.free_symbols:
            return None
        values.append(Fraction(int(v.p), int(v.q)) if v.is_Rational else float(v))
    return values


def indifference_lines_np(game: NormalFormGame, profile) -> list[str]:
    """For 3+ players: each mixing player's payoffs from each strategy, given the others' mixtures."""
    from solver.core.regret import deviation_payoffs
    exact = game.is_exact and all(_is_exact(v) for p in profile for v in p)
    dtype = object if exact else float
    deviations = deviation_payoffs(np.asarray(game.payoffs, dtype=dtype), [np.asarray(p, dtype=dtype) for p in profile])
    lines = []
    for i, player in enumerate(game.players):
        support = [k for k, v in enumerate(profile[i]) if v != 0]
        if len(support) < 2:
            continue
        names = game.strategies[i]
        earned = ", ".join(f"{names[k]} {num(_clean(deviations[i][k]))}" for k in support)
        text = (f"{player} mixes {_join([names[k] for k in support])}: given the others' mixtures these earn {earned} — "
                f"equal, so {player} is willing to mix")
        outside = [k for k in range(len(names)) if k not in support]
        if outside:
            text += "; " + ", ".join(f"{names[k]} would earn {num(_clean(deviations[i][k]))}" for k in outside)
        lines.append(text + ".")
    return lines


def explain_normal_form(game, numeric: NormalFormGame, parameters, weak: bool) -> list[Section]:
    dominance, _ = dominance_section(numeric, weak)
    sections = [dominance, best_response_section(numeric), pure_equilibria_section(numeric)]
    if numeric.num_players >= 2:
        sections.append(mixed_equilibria_section(game, numeric, parameters))
    return sections


# ---- trees: names of places ------------------------------------------------------------------------
def path_moves(tree: ExtensiveGame, node: int) -> list[str]:
    return [tree.move_label(n) for n in tree.path_to(node)[1:]]


def where(tree: ExtensiveGame, node: int) -> str:
    """``"after Transfer→Enable"`` (the moves leading here), or ``"at the start"``; a node with its
    own name adds it: ``"at stage2 (after Pass)"``."""
    moves = path_moves(tree, node)
    text = "after " + "→".join(moves) if moves else "at the start"
    name = tree.node_ids[node]
    if name not in ("root", "/".join(moves)) and moves:
        text = f"at {name} ({text})"
    return text


def _mover(tree: ExtensiveGame, node: int) -> str:
    kind = int(tree.node_player[node])
    return "Chance" if kind == CHANCE else tree.players[kind]


def chance_arithmetic(tree: ExtensiveGame, node: int, values, player: int) -> str:
    """``3/10 × 10 + 7/10 × (−3) = 9/10``."""
    kids = list(tree.children(node))
    terms = " + ".join(f"{num(tree.chance_probs[c])} × {paren(values[c][player])}" for c in kids)
    return f"{terms} = {num(values[node][player])}"


def comparison(tree: ExtensiveGame, node: int, values) -> tuple[str, bool]:
    """``"Deter −7 > Engage −8"`` for the mover at ``node``: its moves by its payoff, best first."""
    mover = int(tree.node_player[node])
    kids = list(tree.children(node))
    moves = tree.node_moves[node]
    ranked = sorted(range(len(kids)), key=lambda k: (-float(values[kids[k]][mover]), k))
    text = f"{moves[ranked[0]]} {num(values[kids[ranked[0]]][mover])}"
    tie = False
    for a, b in zip(ranked, ranked[1:]):
        va, vb = values[kids[a]][mover], values[kids[b]][mover]
        equal = va == vb if _is_exact(va) and _is_exact(vb) else abs(float(va) - float(vb)) <= 1e-12 * max(1.0, abs(float(va)))
        tie = tie or (equal and a == ranked[0])
        text += f" {'=' if equal else '>'} {moves[b]} {num(vb)}"
    return text, tie


def _reached(tree: ExtensiveGame, choice: Mapping[int, int]) -> set[int]:
    """Nodes reached with positive probability when every decision node follows ``choice``."""
    reached = {0}
    stack = [0]
    while stack:
        node = stack.pop()
        kids = list(tree.children(node))
        if not kids:
            continue
        if tree.node_player[node] == CHANCE:
            nxt = [c for c in kids if tree.chance_probs[c] != 0]
        else:
            nxt = [choice[node]]
        for c in nxt:
            reached.add(c)
            stack.append(c)
    return reached


def explain_perfect_information(game, tree: ExtensiveGame, parameters) -> list[Section]:
    from solver.equilibria.backward import vectorised_backward_induction
    result = vectorised_backward_induction(tree)
    values = result.values
    sections = []
    section = Section("Backward induction")
    section.p("Start with the last decisions and work back to the first. At each decision point the mover "
              "compares what each move leads to (the play that follows has already been worked out) and takes "
              "the best for itself; chance nodes are replaced by their expected payoffs.")
    decision_nodes = [n for n in range(tree.num_nodes) if tree.node_player[n] != TERMINAL]
    order = sorted(decision_nodes, key=lambda n: (-int(tree.depth[n]), n))
    ties = []
    for node in order:
        if tree.node_player[node] == CHANCE:
            parts = "; ".join(f"{p} expects {chance_arithmetic(tree, node, values, i)}"
                              for i, p in enumerate(tree.players))
            section.li(f"Chance {where(tree, node)}: {parts}.")
            continue
        text, tie = comparison(tree, node, values)
        chosen = tree.node_moves[node][int(result.choice[node] - tree.first_child[node])]
        line = f"{_mover(tree, node)} {where(tree, node)}: {text}"
        if tie:
            line += (f" — a tie: {_mover(tree, node)} is indifferent, so each best move gives a subgame-perfect "
                     f"equilibrium (this account follows {chosen})")
            ties.append(node)
        section.li(line + ".")
    sections.append(section)

    solution, problem = _solve_quietly(game, parameters)
    choice = {n: int(result.choice[n]) for n in decision_nodes if tree.node_player[n] >= 0}
    reached = _reached(tree, choice)
    path_section = Section("The equilibrium path")
    leaves = [n for n in reached if tree.node_player[n] == TERMINAL]
    payoffs = ", ".join(f"{p} {num(values[0][i])}" for i, p in enumerate(tree.players))
    if len(leaves) == 1:
        moves = path_moves(tree, leaves[0])
        path_section.p(f"Following the best moves from the start: {' → '.join(moves)}, with payoffs {payoffs}.")
    else:
        path_section.p("Following the best moves from the start, chance decides among these outcomes:")
        for leaf in sorted(leaves):
            label = tree.outcomes[leaf] or " → ".join(path_moves(tree, leaf))
            path_section.li(f"{num(tree.reach_probability(leaf))}: {label} "
                            f"({', '.join(num(v) for v in tree.leaf_payoffs[leaf])})")
        path_section.p(f"Expected payoffs: {payoffs}.")
    if solution is not None and len(solution.equilibria) > 1:
        path_section.p(f"Because of ties there are {len(solution.equilibria)} subgame-perfect equilibria; "
                       "'solve FILE' lists them all.")
    sections.append(path_section)

    off = [n for n in decision_nodes if tree.node_player[n] >= 0 and n not in reached]
    off_section = Section("Off the equilibrium path")
    if not off:
        off_section.p("Every decision point is reached in equilibrium.")
    else:
        off_section.p("These decision points are never reached, but what would happen there is what makes the "
                      "path above optimal: the earlier movers' comparisons use these moves.")
        for node in sorted(off, key=lambda n: (int(tree.depth[n]), n)):
            chosen = tree.node_moves[node][int(result.choice[node] - tree.first_child[node])]
            off_section.li(f"{_mover(tree, node)} {where(tree, node)} would play {chosen}.")
    sections.append(off_section)
    if tree.num_players >= 2:
        sections.append(threats_section(game, tree, parameters))
    return sections


def _normal_form_size(tree: ExtensiveGame) -> float:
    """An upper bound on the number of pure profiles: Π over information sets of the move counts."""
    total = 0.0
    for info in tree.infosets:
        total += math.log10(max(1, len(info.moves)))
    return 10 ** total


def threats_section(game, tree: ExtensiveGame, parameters) -> Section:
    section = Section("Nash equilibria that rest on empty threats")
    if _normal_form_size(tree) > MAX_NORMAL_FORM_PROFILES:
        section.p("The normal form of this tree is too large to list its Nash equilibria here "
                  "('solve FILE --concept nash --method pure' does it).")
        return section
    solution, problem = _solve_quietly(game, parameters, concept="nash", method="pure")
    if solution is None:
        section.p("The Nash equilibria of the normal form could not be computed " + problem + ".")
        return section
    equilibria = solution.equilibria
    perfect = [e for e in equilibria if e.subgame_perfect]
    others = [e for e in equilibria if e.subgame_perfect is False]
    section.p(f"Written as a normal form (each player choosing a complete plan in advance), the game has "
              f"{len(equilibria)} pure Nash equilibri{'um' if len(equilibria) == 1 else 'a'}; "
              f"{len(perfect)} {'is' if len(perfect) == 1 else 'are'} subgame-perfect.")
    if not others:
        section.p("None rests on a threat that would not be carried out.")
        return section
    subject = "The other one rests" if len(others) == 1 else f"The other {len(others)} rest"
    section.p(f"{subject} on moves that a player would not make if the decision point were "
              "actually reached — threats (or promises) that are not credible. A Nash equilibrium only checks "
              "the moves on its own path; subgame perfection checks every decision point.")
    places = {f" at {info.label} would ": f" {where(tree, info.nodes[0])} would "
              for info in tree.infosets if len(info.nodes) == 1}
    for e in others[:MAX_LISTED]:
        path = " ; ".join(o if p == 1 else f"{o} ({num(p)})" for o, p in (e.path or ()))
        payoffs = ", ".join(num(e.payoffs[p]) for p in tree.players)
        notes = []
        for note in e.notes:
            note = note.replace(": a threat that would not be carried out", "")
            for old, new in places.items():
                note = note.replace(old, new)
            notes.append(re.sub(r"\((-)", "(" + MINUS, note).replace(" -", " " + MINUS))
        notes = "; ".join(notes)
        section.li(f"Path {path} (payoffs {payoffs}): {notes}.")
    if len(others) > MAX_LISTED:
        section.p(f"… and {len(others) - MAX_LISTED} more ('solve FILE --concept nash --method pure' lists them all).")
    return section


# ---- imperfect information -----------------------------------------------------------------------
def _behaviour_of(tree: ExtensiveGame, equilibrium) -> dict[int, list]:
    behaviour = {}
    for h, info in enumerate(tree.infosets):
        probs = equilibrium.strategies.get(tree.players[info.player], {}).get(info.label)
        if probs is not None:
            behaviour[h] = [probs.get(m, 0) for m in info.moves]
    return behaviour


def _values_under(tree: ExtensiveGame, behaviour: Mapping[int, list], one) -> list:
    """Expected payoffs of every subtree when play follows ``behaviour`` (uniform where unspecified)."""
    values = [None] * tree.num_nodes
    for node in range(tree.num_nodes - 1, -1, -1):
        kind = int(tree.node_player[node])
        if kind == TERMINAL:
            values[node] = [v for v in tree.leaf_payoffs[node]]
            continue
        kids = list(tree.children(node))
        if kind == CHANCE:
            probs = [tree.chance_probs[c] for c in kids]
        else:
            probs = behaviour.get(int(tree.node_infoset[node])) or [one / len(kids)] * len(kids)
        values[node] = [sum(p * values[c][i] for p, c in zip(probs, kids)) for i in range(tree.num_players)]
    return values


def _reach(tree: ExtensiveGame, behaviour: Mapping[int, list], one) -> list:
    reach = [one] * tree.num_nodes
    for node in range(1, tree.num_nodes):
        parent = int(tree.parent[node])
        kind = int(tree.node_player[parent])
        if kind == CHANCE:
            p = tree.chance_probs[node]
        else:
            probs = behaviour.get(int(tree.node_infoset[parent]))
            p = probs[int(tree.move_index[node])] if probs is not None else 0
        reach[node] = reach[parent] * p
    return reach


def explain_imperfect_information(game, tree: ExtensiveGame, parameters) -> list[Section]:
    sections = []
    intro = Section("Information sets")
    shared = [h for h, info in enumerate(tree.infosets) if len(info.nodes) > 1]
    intro.p("Some players do not see everything that happened before they move: the nodes they cannot tell "
            "apart form an information set, and they must choose the same move at all of them. Backward "
            "induction cannot start there, because the best move depends on what the player believes happened.")
    for h in shared:
        info = tree.infosets[h]
        intro.li(f"{tree.players[info.player]} at {info.label} cannot tell apart: "
                 + "; ".join(where(tree, n) for n in info.nodes) + ".")
    sections.append(intro)
    solution, problem = _solve_quietly(game, parameters, timeout=60)
    concept = "subgame-perfect"
    if solution is None:
        solution, problem2 = _solve_quietly(game, parameters, concept="nash", timeout=20)
        concept = "Nash"
        if solution is None:
            failed = Section("Equilibrium behaviour")
            failed.p("The equilibria could not be computed " + problem + " " + problem2 + ".")
            return sections + [failed]
        intro.p("Subgame-perfect equilibria could not be computed " + problem + "; what follows are Nash "
                "equilibria of the reduced normal form, in behaviour strategies.")
    one = Fraction(1) if tree.is_exact else 1.0
    for k, equilibrium in enumerate(solution.equilibria[:3], 1):
        section = Section(f"Equilibrium {k} ({concept}, {'pure' if equilibrium.pure else 'in behaviour strategies'})")
        behaviour = _behaviour_of(tree, equilibrium)
        values = _values_under(tree, behaviour, one)
        reach = _reach(tree, behaviour, one)
        payoffs = ", ".join(f"{p} {num(equilibrium.payoffs[p])}" for p in tree.players)
        section.p(f"Expected payoffs: {payoffs}. Each decision point, last first:")
        order = sorted(range(len(tree.infosets)), key=lambda h: (-max(int(tree.depth[n]) for n in tree.infosets[h].nodes), h))
        for h in order:
            if h not in behaviour:
                continue
            section.li(_infoset_account(tree, h, behaviour, values, reach))
        for line in _pinned_mixtures(tree, behaviour, one):
            section.li(line)
        if equilibrium.path:
            outcomes = "; ".join(f"{num(p)} {o}" for o, p in equilibrium.path)
            section.p(f"Outcomes: {outcomes}.")
        sections.append(section)
    if len(solution.equilibria) > 3:
        sections[-1].p(f"… and {len(solution.equilibria) - 3} more equilibria ('solve FILE' lists them all).")
    if not solution.complete:
        sections[-1].p(f"The search ({solution.method}) was not complete: other equilibria may exist.")
    return sections


def _infoset_account(tree: ExtensiveGame, h: int, behaviour, values, reach) -> str:
    info = tree.infosets[h]
    player = info.player
    name = tree.players[player]
    probs = behaviour[h]
    chosen = ", ".join(f"{m} {num(p)}" if p != 1 else m for m, p in zip(info.moves, probs) if p != 0)
    nodes = list(info.nodes)
    place = where(tree, nodes[0]) if len(nodes) == 1 else f"at {info.label}"
    # The probability of reaching each node, leaving out the player's own move here.
    weights = [reach[n] for n in nodes]
    total = sum(weights)
    move_values = []
    for m in range(len(info.moves)):
        if total == 0:
            break
        value = sum(w * values[int(tree.first_child[n]) + m][player] for w, n in zip(weights, nodes)) / total
        move_values.append(value)
    if total == 0:
        return f"{name} {place}: {chosen} (never reached in this equilibrium)."
    text = f"{name} {place}" + ("" if len(nodes) > 1 else ":")
    if len(nodes) > 1:
        beliefs = ", ".join(f"{num(w / total)} {where(tree, n)}" for w, n in zip(weights, nodes))
        text += f" believes: {beliefs}; so"
    ranked = sorted(range(len(info.moves)), key=lambda k: -float(move_values[k]))
    parts = [f"{info.moves[ranked[0]]} gives {num(move_values[ranked[0]])}"]
    for a, b in zip(ranked, ranked[1:]):
        equal = _equal(move_values[a], move_values[b])
        parts.append(f"{'=' if equal else '>'} {info.moves[b]} {num(move_values[b])}")
    text += " " + " ".join(parts)
    mixed = sum(1 for p in probs if p != 0) > 1
    if mixed:
        text += f": indifferent, so {name} is willing to mix ({chosen})"
    else:
        text += f": plays {chosen}"
    return text + "."


def _equal(a, b) -> bool:
    if _is_exact(a) and _is_exact(b):
        return a == b
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


def _pinned_mixtures(tree: ExtensiveGame, behaviour, one) -> list[str]:
    """For each mixed information set with two moves, the indifference condition written with the
    OTHER players' mixing probabilities as unknowns, solved when one unknown remains."""
    import sympy
    if tree.num_nodes > 2000:
        return []
    mixed = [h for h, probs in behaviour.items() if probs is not None and len(probs) == 2 and all(p != 0 for p in probs)]
    if not mixed:
        return []
    symbols = {h: sympy.Symbol(f"x{h}") for h in mixed}

    def rational(v):
        return sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sympy.Float(v)

    lines = []
    for h in mixed:
        info = tree.infosets[h]
        player = info.player
        symbolic = {}
        for g, probs in behaviour.items():
            if probs is None:
                continue
            if g in symbols and tree.infosets[g].player != player:
                symbolic[g] = [symbols[g], 1 - symbols[g]]
            else:
                symbolic[g] = [rational(p) for p in probs]
        values = _values_under_symbolic(tree, symbolic, rational)
        reach = _reach_symbolic(tree, symbolic, rational, h)
        sides = []
        for m in range(2):
            sides.append(sympy.expand(sum(reach[n] * values[int(tree.first_child[n]) + m][player] for n in info.nodes)))
        difference = sympy.expand(sides[0] - sides[1])
        unknowns = difference.free_symbols
        if len(unknowns) != 1:
            continue
        x = next(iter(unknowns))
        g = next(k for k, s in symbols.items() if s == x)
        other = tree.infosets[g]
        roots = [r for r in sympy.solve(sympy.Eq(sides[0], sides[1]), x) if r.is_real and 0 <= r <= 1]
        if len(roots) != 1:
            continue
        root = roots[0]
        value = Fraction(int(root.p), int(root.q)) if root.is_Rational else float(root)
        variable = "x"
        place = where(tree, other.nodes[0]) if len(other.nodes) == 1 else f"at {other.label}"
        left = _sympy_text(sides[0].subs(x, sympy.Symbol(variable)))
        right = _sympy_text(sides[1].subs(x, sympy.Symbol(variable)))
        here = where(tree, info.nodes[0]) if len(info.nodes) == 1 else f"at {info.label}"
        lines.append(f"Why {tree.players[other.player]} mixes as it does: let x be the probability that "
                     f"{tree.players[other.player]} plays {other.moves[0]} {place}. {tree.players[player]} {here} "
                     f"is indifferent between {info.moves[0]} and {info.moves[1]} when {left} = {right} "
                     f"(payoffs weighted by the chance of reaching each node), so x = {num(value)}.")
    return lines


def _sympy_text(expr) -> str:
    import sympy
    text = sympy.sstr(sympy.nsimplify(expr) if not expr.free_symbols else expr)
    return text.replace("*", "·").replace("-", MINUS)


def _values_under_symbolic(tree, behaviour, rational):
    values = [None] * tree.num_nodes
    for node in range(tree.num_nodes - 1, -1, -1):
        kind = int(tree.node_player[node])
        if kind == TERMINAL:
            values[node] = [rational(v) for v in tree.leaf_payoffs[node]]
            continue
        kids = list(tree.children(node))
        if kind == CHANCE:
            probs = [rational(tree.chance_probs[c]) for c in kids]
        else:
            probs = behaviour.get(int(tree.node_infoset[node]))
            if probs is None:
                probs = [rational(Fraction(1, len(kids)))] * len(kids)
        values[node] = [sum(p * values[c][i] for p, c in zip(probs, kids)) for i in range(tree.num_players)]
    return values


def _reach_symbolic(tree, behaviour, rational, exclude: int):
    import sympy
    reach = [sympy.Integer(1)] * tree.num_nodes
    for node in range(1, tree.num_nodes):
        parent = int(tree.parent[node])
        kind = int(tree.node_player[parent])
        if kind == CHANCE:
            p = rational(tree.chance_probs[node])
        elif int(tree.node_infoset[parent]) == exclude:
            p = sympy.Integer(1)
        else:
            probs = behaviour.get(int(tree.node_infoset[parent]))
            p = probs[int(tree.move_index[node])] if probs is not None else sympy.Integer(0)
        reach[node] = reach[parent] * p
    return reach
