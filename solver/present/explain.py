"""A step-by-step account of a game's solution in plain language, using the game's own names.

The reasoning is computed by :func:`solver.analysis.explanation.explain_game`; this module puts
each of its parts in words:

- Normal form: iterated elimination of dominated strategies (including domination by mixtures),
  the payoff matrix with best responses marked, the pure equilibria read off the marks, and for
  each mixed equilibrium the indifference equations written out and solved exactly.
- Perfect-information trees: backward induction node by node with the numbers compared (and the
  expected-value arithmetic at chance nodes), the behaviour off the path, the equilibrium path,
  and the Nash equilibria of the normal form that rest on threats that would not be carried out.
- Trees with information sets: the equilibrium behaviour at each information set, with the
  beliefs there and the comparison (or indifference) that justifies each move.

The account is a list of :class:`Section` objects; :func:`render` prints it for a terminal and the
HTML report renders the same sections.

>>> from solver.analysis.explanation import explain_game
>>> from solver.api import load_game
>>> text = render(explain_game(load_game("games/prisoners_dilemma.yaml")))
>>> "Row's Cooperate is strictly dominated by Defect (payoffs 3, 1 > 2, 0 against Column's Cooperate, Defect)" in text
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy

from solver.analysis.explanation import (BestResponses, Dominance, Earnings, Explanation, Indifference,
                                         MixedEquilibria, PureEquilibria)
from solver.analysis.tree_explanation import (MAX_EXPLAINED, BackwardInduction, ChanceAverage, Choice,
                                              EmptyThreats, EquilibriumPath, ImperfectInformation, OffPath,
                                              PinnedMixture, Threat)
from solver.model.normal import NormalFormGame
from solver.model.tree import CHANCE, ExtensiveGame
from solver.present.ascii import render_matrix
from solver.present.table import MINUS, number
from solver.present.text import family_text, game_families
from solver.present.words import completeness_sentence, headline

#: At most this many Nash equilibria resting on empty threats are listed.
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


#: The opening paragraph of the sections that start with a general idea.
INTRODUCTIONS = {
    "Backward induction": (
        "Start with the last decisions and work back to the first. At each decision point the mover compares "
        "what each move leads to (the play that follows has already been worked out) and takes the best for "
        "itself; chance nodes are replaced by their expected payoffs."),
    "Information sets": (
        "Some players do not see everything that happened before they move: the nodes they cannot tell apart "
        "form an information set, and they must choose the same move at all of them. Backward induction cannot "
        "start there, because the best move depends on what the player believes happened."),
}


# ---- numbers and names ----------------------------------------------------------------------------
def num(value) -> str:
    """A number with a real minus sign: ``−7``, ``3/2``, ``0.375``. An exact number is written
    exactly, since the account does arithmetic with it: as a decimal only when that decimal is
    exact (``303/128``, not ``2.36719``)."""
    text = number(value, MINUS)
    if isinstance(value, (int, Fraction, np.integer)):
        exact = Fraction(int(value)) if isinstance(value, np.integer) else Fraction(value)
        if Fraction(text.replace(MINUS, "-")) != exact:
            text = str(exact).replace("-", MINUS)
    return text


def paren(value) -> str:
    """A number inside arithmetic: negatives in parentheses, ``(−3)``."""
    text = num(value)
    return f"({text})" if text.startswith(MINUS) else text


def _join(names: Sequence[str], word: str = "and") -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {word} " + names[-1]


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


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


def _place(tree: ExtensiveGame, infoset: int) -> str:
    """Where a decision is made: the node of a one-node information set, else the set's label."""
    info = tree.infosets[infoset]
    return where(tree, info.nodes[0]) if len(info.nodes) == 1 else f"at {info.label}"


def _mover(tree: ExtensiveGame, node: int) -> str:
    kind = int(tree.node_player[node])
    return "Chance" if kind == CHANCE else tree.players[kind]


def _ranking_text(moves: Sequence[str], values, ranked, equal, verb: str = "") -> str:
    """``"Deter −7 > Engage −8"``: moves by value, best first (``verb`` after the first move)."""
    text = f"{moves[ranked[0]]} {verb}{num(values[ranked[0]])}"
    for b, same in zip(ranked[1:], equal):
        text += f" {'=' if same else '>'} {moves[b]} {num(values[b])}"
    return text


# ---- the entry points ---------------------------------------------------------------------------
def sections(explanation: Explanation) -> list[Section]:
    """The explanation's parts in words, one or more sections each."""
    out: list[Section] = []
    for part in explanation.parts:
        out.extend(WORDS[type(part)](part, explanation.game))
    return out


def render(explanation: Explanation) -> str:
    """The explanation as plain text for a terminal."""
    lines = [f"How to solve: {explanation.title or '(untitled game)'}"]
    if explanation.values:
        lines.append("With " + ", ".join(f"{k} = {num(v)}" for k, v in explanation.values.items()) + ".")
    for k, section in enumerate(sections(explanation), 1):
        heading = f"{k}. {section.title}"
        lines += ["", heading, "─" * len(heading)]
        for kind, content in section.items:
            if kind == "p":
                lines.append(content)
            elif kind == "li":
                lines.append(f"  - {content}")
            else:
                lines.extend("    " + line if line else "" for line in content.rstrip("\n").split("\n"))
    return "\n".join(lines) + "\n"


# ---- normal form --------------------------------------------------------------------------------
def _mixture_text(game: NormalFormGame, player: int, weights) -> str:
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


def _game_text(game: NormalFormGame, remaining) -> str:
    """The strategies each player has in a (reduced) game: ``Row: T, B; Column: L, R``."""
    return "; ".join(f"{p}: {', '.join(game.strategies[i][k] for k in remaining[i])}" for i, p in enumerate(game.players))


def _round_heading(game: NormalFormGame, result, round_number: int) -> str:
    """Which game a round's steps are checked in: the full game, or what the rounds before left."""
    remaining = result.game_of_round(round_number)
    if round_number == 1:
        return f"Round 1, in the full game ({_game_text(game, remaining)}):"
    return f"Round {round_number}, in the game left after round {round_number - 1} ({_game_text(game, remaining)}):"


def _step_text(game: NormalFormGame, step) -> str:
    name = game.strategies[step.player][step.strategy]
    relation, how = (">", "strictly") if step.strict else ("≥", "weakly")
    dominating = ", ".join(num(v) for v in step.dominating_payoffs)
    dominated = ", ".join(num(v) for v in step.dominated_payoffs)
    return (f"Round {step.round}: {_possessive(game.players[step.player])} {name} is {how} dominated by "
            f"{_mixture_text(game, step.player, step.dominator)} (payoffs {dominating} {relation} {dominated} "
            f"{_opponents_text(game, step.player, step.opponents)}), so it is eliminated.")


def dominance_words(part: Dominance, game: NormalFormGame) -> list[Section]:
    result, weak = part.result, part.weak
    kinds = "strictly or weakly" if weak else "strictly"
    section = Section("Dominated strategies")
    section.p(f"A strategy is {kinds} dominated when another strategy, or a mixture of strategies, pays the "
              "same player more whatever the others do" + (" (weakly: at least as much, and more somewhere)" if weak else "")
              + ". A rational player never uses a strictly dominated strategy, so it can be crossed out; then "
              "look again, because with fewer strategies left for the others more may become dominated.")
    if not result.eliminations:
        section.p(f"No strategy is {kinds} dominated, not even by a mixture: dominance does not narrow this game down."
                  + ("" if weak else " (Try --weak to look for weakly dominated strategies.)"))
        return [section]
    section.p("Each round looks at the game the rounds before it left, named at the start of the round, and "
              "crosses out every strategy dominated in that game at once"
              + (" (weakly dominated ones only in a round where nothing is strictly dominated)" if weak else "") + ".")
    for round_number in range(1, result.rounds + 1):
        section.p(_round_heading(game, result, round_number))
        for step in result.eliminations:
            if step.round == round_number:
                section.li(_step_text(game, step))
    section.p(f"What survives: {_game_text(game, result.surviving)}.")
    if result.solved:
        profile = ", ".join(game.strategies[i][s[0]] for i, s in enumerate(result.surviving))
        if weak and any(not e.strict for e in result.eliminations):
            section.p(f"One profile survives: ({profile}). It is a Nash equilibrium, but weak elimination can "
                      "discard other equilibria, so it need not be the only one.")
        else:
            section.p(f"One profile survives: ({profile}). Strict elimination never removes an equilibrium, "
                      "so this is the game's only Nash equilibrium.")
    return [section]


def best_response_words(part: BestResponses, game: NormalFormGame) -> list[Section]:
    section = Section("Best responses")
    if part.matrix is None:
        section.p(f"The game has {part.cells} strategy profiles, too many to print the matrix here "
                  "('solve draw' draws it).")
        return [section]
    if game.num_players == 1:
        section.p("With one player, the best strategy is simply the one with the highest payoff (marked *).")
    elif game.num_players == 2:
        section.p(f"For each strategy of one player, mark with * the other player's best reply. {game.players[0]} "
                  f"chooses a row, {game.players[1]} a column; each cell lists {_possessive(game.players[0])} payoff, "
                  f"then {_possessive(game.players[1])}.")
    else:
        section.p(f"One matrix for each choice of {_join(game.players[2:])}; each cell lists the payoffs of "
                  f"{_join(game.players)} in that order, with * where that player's strategy is a best reply to the others'.")
    section.pre(render_matrix(part.matrix, unicode_minus=True))
    return [section]


def pure_equilibria_words(part: PureEquilibria, game: NormalFormGame) -> list[Section]:
    section = Section("Pure equilibria")
    if game.num_players == 1:
        section.p(f"The best choice: {_join([game.strategies[0][p[0]] for p in part.profiles], 'or')}.")
        return [section]
    if not part.profiles:
        section.p("No cell has every payoff marked: whatever is played, someone would rather switch. "
                  "There is no equilibrium in pure strategies.")
        return [section]
    section.p("A cell where every payoff is marked is a profile in which each player's strategy is a best reply "
              "to the others': a pure Nash equilibrium.")
    for profile in part.profiles:
        names = ", ".join(game.strategies[i][k] for i, k in enumerate(profile))
        payoffs = ", ".join(num(game.payoffs[(i,) + tuple(profile)]) for i in range(game.num_players))
        section.li(f"({names}), with payoffs {payoffs}.")
    return [section]


def _continua(part: MixedEquilibria, game: NormalFormGame) -> list[str]:
    """The solution's continua: each component as its convex sets of equilibria (named by the listed
    equilibria that span them), then the families."""
    solution = part.solution
    mixed_number = {id(a.equilibrium): k for k, a in enumerate(part.accounts, 1)}

    def names(indices) -> str:
        return _join([f"({solution.equilibria[i].label})" if solution.equilibria[i].pure
                      else f"mixed equilibrium {mixed_number[id(solution.equilibria[i])]}" for i in indices])
    out = []
    for component in solution.components:
        subsets = solution.subsets_of(component)
        if len(subsets) == 1:
            out.append(f"a continuum: {names(subsets[0])}, and every mixture of them, are equilibria")
        else:
            out.append(f"a continuum made of {len(subsets)} convex sets of equilibria joined at shared strategies: "
                       + "; ".join(f"{names(s)}, with every mixture of them" for s in subsets)
                       + " (a mixture across two of the sets need not be an equilibrium)")
    return out + [family_text(f, game.players, game.strategies) for f in game_families(solution)]


def mixed_equilibria_words(part: MixedEquilibria, game: NormalFormGame) -> list[Section]:
    section = Section("Mixed equilibria")
    solution = part.solution
    if solution is None:
        section.p("The mixed equilibria could not be computed " + part.problem + ".")
        return [section]
    continua = _continua(part, game)
    if continua:
        section.p("Some equilibria form continua:")
        for text in continua:
            section.li(text)
    if not part.accounts:
        section.p("No other mixed equilibrium was listed." if continua else
                  "No equilibrium in which someone mixes was found.")
        section.p(found_text(solution))
        return [section]
    others = "OTHER player's" if game.num_players == 2 else "OTHER players'"
    section.p("In a mixed equilibrium each player who randomises must be indifferent between the strategies "
              f"they mix: otherwise they would drop the worse one. So each player's mixture is pinned down by the "
              f"{others} indifference.")
    for k, account in enumerate(part.accounts, 1):
        equilibrium = account.equilibrium
        strategies = "; ".join(f"{p} plays " + ", ".join(s if q == 1 else f"{s} {num(q)}"
                                                         for s, q in equilibrium.strategies[p].items() if q != 0)
                               for p in game.players)
        payoffs = ", ".join(f"{p} {num(equilibrium.payoffs[p])}" for p in game.players)
        section.p(f"Mixed equilibrium {k}: {strategies} (expected payoffs {payoffs}).")
        for step in account.steps:
            if isinstance(step, Indifference):
                section.li(indifference_text(game, step))
            else:
                section.li(earnings_text(game, step))
    section.p(found_text(solution))
    return [section]


def found_text(solution) -> str:
    """How many equilibria ``solve`` found, by which method, and what the list covers (the one
    completeness sentence every report uses)."""
    return f"{headline(solution)}. {completeness_sentence(solution)}"


def _term(coefficient, variable: str) -> tuple[int, str]:
    """(sign, text) of ``coefficient · variable`` in the style ``2q``, ``1(1 − q)``, ``(3/2)q``."""
    sign = -1 if coefficient < 0 else 1
    text = num(-coefficient if coefficient < 0 else coefficient)
    if "/" in text or "." in text:
        text = f"({text})"
    return sign, f"{text}{variable}"


def linear_text(coefficients: Sequence, variables: Sequence[str]) -> str:
    """``[2, 0], ["q", "(1 − q)"]`` → ``"2q"``; zero terms are left out; all zero gives ``"0"``."""
    parts = [_term(c, v) for c, v in zip(coefficients, variables) if c != 0]
    if not parts:
        return "0"
    text = (MINUS if parts[0][0] < 0 else "") + parts[0][1]
    for sign, term in parts[1:]:
        text += f" {MINUS} " if sign < 0 else " + "
        text += term
    return text


def indifference_text(game: NormalFormGame, step: Indifference) -> str:
    """How the other player's indifference pins down the mixer's probabilities (two players)."""
    mixer, other = step.mixer, 1 - step.mixer
    mover, chooser = game.players[mixer], game.players[other]
    names, choices = game.strategies[mixer], [game.strategies[other][s] for s, _ in step.rows]
    letter = "pq"[mixer]
    if len(step.support) == 2:
        a, b = step.support
        intro = f"{mover} mixes {letter} on {names[a]} (and 1 {MINUS} {letter} on {names[b]})"
        if len(step.rows) < 2:
            return (f"{intro}, with {letter} = {num(step.mixture[0])}: {chooser} uses only {choices[0]}, so {chooser} "
                    f"need not be indifferent; {letter} only has to keep {choices[0]} a best reply.")
        equation = " = ".join(linear_text(c, [letter, f"(1 {MINUS} {letter})"]) for _, c in step.rows)
        verb = f"{chooser} is indifferent {'between' if len(step.rows) == 2 else 'among'} {_join(choices)}"
        if step.solved is not None:
            return f"{intro}: {verb} when {equation}, so {letter} = {num(step.solved[0])}."
        return (f"{intro}: {verb} whatever {letter} is ({equation} for every {letter}); "
                f"the equilibrium has {letter} = {num(step.mixture[0])}.")
    variables = [f"{letter}({names[t]})" for t in step.support]
    intro = f"{mover} mixes " + ", ".join(f"{names[t]} with probability {v}" for t, v in zip(step.support, variables))
    equation = " = ".join(linear_text(c, variables) for _, c in step.rows)
    head = f"{intro}: {chooser} is indifferent among {_join(choices)} when {equation}"
    if step.solved is not None:
        return head + "; with the probabilities summing to 1 this gives " + \
            ", ".join(f"{v} = {num(x)}" for v, x in zip(variables, step.solved)) + "."
    return head + "; these hold at " + ", ".join(f"{v} = {num(x)}" for v, x in zip(variables, step.mixture)) + "."


def earnings_text(game: NormalFormGame, step: Earnings) -> str:
    """What a player's strategies earn: a check on the other player (two players), or why a
    player of a larger game is willing to mix."""
    player, names = game.players[step.player], game.strategies[step.player]
    outside = [k for k in range(len(names)) if k not in step.support]
    if game.num_players > 2:
        earned = ", ".join(f"{names[k]} {num(step.payoffs[k])}" for k in step.support)
        text = (f"{player} mixes {_join([names[k] for k in step.support])}: given the others' mixtures these earn "
                f"{earned} — equal, so {player} is willing to mix")
        if outside:
            text += "; " + ", ".join(f"{names[k]} would earn {num(step.payoffs[k])}" for k in outside)
        return text + "."
    value = num(step.payoffs[step.support[0]])
    if len(step.support) == 1:
        text = f"Then {_possessive(player)} {names[step.support[0]]} earns {value}"
    else:
        text = (f"Then each of {_possessive(player)} strategies in use ({_join([names[k] for k in step.support])}) "
                f"earns {value}")
    if outside:
        text += "; the others earn " + ", ".join(f"{names[k]} {num(step.payoffs[k])}" for k in outside) + \
                (" (no more)" if step.unbeaten else "")
    return text + "."


# ---- perfect information -----------------------------------------------------------------------
def backward_induction_words(part: BackwardInduction, tree: ExtensiveGame) -> list[Section]:
    section = Section("Backward induction", [("p", INTRODUCTIONS["Backward induction"])])
    for step in part.steps:
        if isinstance(step, ChanceAverage):
            parts = "; ".join(f"{p} expects " + " + ".join(f"{num(q)} × {paren(v)}" for q, v in zip(step.probabilities, values))
                              + f" = {num(step.averages[i])}" for i, (p, values) in enumerate(zip(tree.players, step.values)))
            section.li(f"Chance {where(tree, step.node)}: {parts}.")
            continue
        moves = tree.node_moves[step.node]
        line = f"{_mover(tree, step.node)} {where(tree, step.node)}: {_ranking_text(moves, step.values, step.ranked, step.equal)}"
        if step.tie:
            line += (f" — a tie: {_mover(tree, step.node)} is indifferent, so each best move gives a subgame-perfect "
                     f"equilibrium (this account follows {moves[step.chosen]})")
        section.li(line + ".")
    return [section]


def path_words(part: EquilibriumPath, tree: ExtensiveGame) -> list[Section]:
    section = Section("The equilibrium path")
    payoffs = ", ".join(f"{p} {num(v)}" for p, v in zip(tree.players, part.payoffs))
    if len(part.outcomes) == 1:
        moves = path_moves(tree, part.outcomes[0][0])
        section.p(f"Following the best moves from the start: {' → '.join(moves)}, with payoffs {payoffs}.")
    else:
        section.p("Following the best moves from the start, chance decides among these outcomes:")
        for leaf, probability in part.outcomes:
            label = tree.outcomes[leaf] or " → ".join(path_moves(tree, leaf))
            section.li(f"{num(probability)}: {label} ({', '.join(num(v) for v in tree.leaf_payoffs[leaf])})")
        section.p(f"Expected payoffs: {payoffs}.")
    if part.count > 1:
        section.p(f"Because of ties there are {part.count} subgame-perfect equilibria in pure strategies, and infinitely "
                  "many more that mix between tied moves; 'solve FILE' lists the pure ones.")
    return [section]


def off_path_words(part: OffPath, tree: ExtensiveGame) -> list[Section]:
    section = Section("Off the equilibrium path")
    if not part.choices:
        section.p("Every decision point is reached in equilibrium.")
        return [section]
    section.p("These decision points are never reached, but what would happen there is what makes the "
              "path above optimal: the earlier movers' comparisons use these moves.")
    for node, move in part.choices:
        section.li(f"{_mover(tree, node)} {where(tree, node)} would play {tree.node_moves[node][move]}.")
    return [section]


def threat_text(tree: ExtensiveGame, threat: Threat) -> str:
    """A move that would not be carried out: ``Incumbent after In would play Fight (0) though …``,
    saying what is taken for the decision points the plans leave open that the numbers pass through."""
    moves = tree.node_moves[threat.node]
    text = (f"{_mover(tree, threat.node)} {where(tree, threat.node)} would play {moves[threat.move]} "
            f"({num(threat.value)}) though {moves[threat.better]} gives {num(threat.better_value)}")
    if len(threat.assumed) == 1:
        (node, move), = threat.assumed
        mover = _mover(tree, node)
        text += (f", counting {mover} {where(tree, node)} as playing {tree.node_moves[node][move]}, its best move there "
                 f"({_possessive(mover)} plan leaves that point open: its own earlier move rules it out)")
    elif threat.assumed:
        played = _join([f"{_mover(tree, n)} {where(tree, n)} as playing {tree.node_moves[n][m]}" for n, m in threat.assumed])
        text += (f", counting {played}, each its player's best move there (their plans leave those points open: "
                 "their own earlier moves rule them out)")
    return text


def threats_words(part: EmptyThreats, tree: ExtensiveGame) -> list[Section]:
    section = Section("Nash equilibria that rest on empty threats")
    if part.too_large:
        section.p("The normal form of this tree is too large to list its Nash equilibria here "
                  "('solve FILE --concept nash --method pure' does it).")
        return [section]
    if part.solution is None:
        section.p("The Nash equilibria of the normal form could not be computed " + part.problem + ".")
        return [section]
    equilibria = part.solution.equilibria
    perfect = [e for e in equilibria if e.subgame_perfect]
    others = [e for e in equilibria if e.subgame_perfect is False]
    section.p("Written as a normal form, each player choosing in advance a move at every decision point that its "
              "own earlier moves do not rule out (the reduced normal form), the game has "
              f"{len(equilibria)} pure Nash equilibri{'um' if len(equilibria) == 1 else 'a'}; "
              f"{len(perfect)} {'is' if len(perfect) == 1 else 'are'} subgame-perfect.")
    if not others:
        section.p("None rests on a threat that would not be carried out.")
        return [section]
    subject = "The other one rests" if len(others) == 1 else f"The other {len(others)} rest"
    section.p(f"{subject} on moves that a player would not make if the decision point were "
              "actually reached — threats (or promises) that are not credible. A Nash equilibrium only checks "
              "the moves on its own path; subgame perfection checks every decision point.")
    for k, e in [(k, e) for k, e in enumerate(equilibria) if e.subgame_perfect is False][:MAX_LISTED]:
        path = " ; ".join(o if p == 1 else f"{o} ({num(p)})" for o, p in (e.path or ()))
        payoffs = ", ".join(num(e.payoffs[p]) for p in tree.players)
        threats = "; ".join(threat_text(tree, threat) for threat in part.threats[k])
        section.li(f"Path {path} (payoffs {payoffs}): {threats}.")
    if len(others) > MAX_LISTED:
        section.p(f"… and {len(others) - MAX_LISTED} more ('solve FILE --concept nash --method pure' lists them all).")
    return [section]


# ---- information sets ---------------------------------------------------------------------------
def imperfect_information_words(part: ImperfectInformation, tree: ExtensiveGame) -> list[Section]:
    intro = Section("Information sets", [("p", INTRODUCTIONS["Information sets"])])
    for h in part.shared:
        info = tree.infosets[h]
        intro.li(f"{tree.players[info.player]} at {info.label} cannot tell apart: "
                 + "; ".join(where(tree, n) for n in info.nodes) + ".")
    out = [intro]
    solution = part.solution
    if solution is None:
        failed = Section("Equilibrium behaviour")
        failed.p("The equilibria could not be computed " + part.problem + ".")
        return out + [failed]
    if part.fallback:
        intro.p("Subgame-perfect equilibria could not be computed " + part.fallback + "; what follows are Nash "
                "equilibria of the reduced normal form, in behaviour strategies.")
    for k, account in enumerate(part.accounts, 1):
        equilibrium = account.equilibrium
        section = Section(f"Equilibrium {k} ({part.concept}, {'pure' if equilibrium.pure else 'in behaviour strategies'})")
        payoffs = ", ".join(f"{p} {num(equilibrium.payoffs[p])}" for p in tree.players)
        section.p(f"Expected payoffs: {payoffs}. Each decision point, last first:")
        for choice in account.choices:
            section.li(choice_text(tree, choice))
        for pinned in account.pinned:
            section.li(pinned_text(tree, pinned))
        if equilibrium.path:
            section.p("Outcomes: " + "; ".join(f"{num(p)} {o}" for o, p in equilibrium.path) + ".")
        out.append(section)
    if len(solution.equilibria) > MAX_EXPLAINED:
        command = "solve FILE" if part.concept == "subgame-perfect" else "solve FILE --concept nash"
        out[-1].p(f"… and {len(solution.equilibria) - MAX_EXPLAINED} more equilibria ('{command}' lists them).")
    out[-1].p(found_text(solution))
    return out


def choice_text(tree: ExtensiveGame, choice: Choice) -> str:
    """The behaviour at an information set and why: beliefs, then the moves' values compared."""
    info = tree.infosets[choice.infoset]
    name = tree.players[info.player]
    chosen = ", ".join(f"{m} {num(p)}" if p != 1 else m for m, p in zip(info.moves, choice.probabilities) if p != 0)
    place = _place(tree, choice.infoset)
    if not choice.move_values:
        return f"{name} {place}: {chosen} (never reached in this equilibrium)."
    text = f"{name} {place}" + ("" if choice.beliefs else ":")
    if choice.beliefs:
        beliefs = ", ".join(f"{num(b)} {where(tree, n)}" for b, n in zip(choice.beliefs, info.nodes))
        text += f" believes: {beliefs}; so"
    text += " " + _ranking_text(info.moves, choice.move_values, choice.ranked, choice.equal, verb="gives ")
    if sum(1 for p in choice.probabilities if p != 0) > 1:
        return text + f": indifferent, so {name} is willing to mix ({chosen})."
    return text + f": plays {chosen}."


def _sympy_text(expression) -> str:
    text = sympy.sstr(sympy.nsimplify(expression) if not expression.free_symbols else expression)
    return text.replace("*", "·").replace("-", MINUS)


def pinned_text(tree: ExtensiveGame, pinned: PinnedMixture) -> str:
    info, other = tree.infosets[pinned.infoset], tree.infosets[pinned.other]
    mover = tree.players[other.player]
    return (f"Why {mover} mixes as it does: let x be the probability that {mover} plays {other.moves[0]} "
            f"{_place(tree, pinned.other)}. {tree.players[info.player]} {_place(tree, pinned.infoset)} "
            f"is indifferent between {info.moves[0]} and {info.moves[1]} when {_sympy_text(pinned.left)} = "
            f"{_sympy_text(pinned.right)} (payoffs weighted by the chance of reaching each node), so x = {num(pinned.value)}.")


WORDS = {Dominance: dominance_words, BestResponses: best_response_words, PureEquilibria: pure_equilibria_words,
         MixedEquilibria: mixed_equilibria_words, BackwardInduction: backward_induction_words,
         EquilibriumPath: path_words, OffPath: off_path_words, EmptyThreats: threats_words,
         ImperfectInformation: imperfect_information_words}
