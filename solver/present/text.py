"""The report for people: the game in brief, the parameters in use, and each equilibrium.

Every presenter reads the same ``Solution``; this one writes plain text for a terminal. The words
shared with the Markdown and HTML reports (a player's moves, the notes) are here too; what the
list covers and the continua are worded in :mod:`solver.present.words`.
"""
from __future__ import annotations

import math
import textwrap
from fractions import Fraction

from solver.analysis.labels import START, decision_point, move_names
from solver.analysis.pictures import MarkedMatrix, PlayedTree
from solver.equilibria.result import Family
from solver.model.reduce import reduced_strategies
from solver.model.tree import ExtensiveGame
from solver.present.ascii import render_matrix, render_tree
from solver.present.beliefs import belief_lines
from solver.present.table import columns, number, number_with_decimal
from solver.present.words import (COVERED_NOTES, completeness_sentence, component_lines, concept_title, describe_mixed,
                                  family_summary, headline, mixture_lines, plural)
from solver.results import Equilibrium, Solution, numbered

__all__ = ["render", "describe_mixed", "describe_behaviour", "payoff_line", "concept_title", "strategy_names",
           "family_text", "game_families", "note_lines", "continua_section"]

MAX_PICTURE_LEAVES = 64
MAX_PICTURE_CELLS = 64
#: A continuum of equilibria is described by at most this many of its points (one unless verbose).
MAX_FAMILY_POINTS = 3
#: Unless verbose, a continuum's support of more strategies than this is counted, not named.
MAX_NAMED_STRATEGIES = 4


def describe_behaviour(player: str, points: dict, moves_in_game: frozenset = frozenset()) -> str:
    """One sentence per player: the move at each decision point, compressing the common move."""
    if not points:
        return "(no decision on or off the path)"
    moves = {label: describe_mixed(probs) for label, probs in points.items()}
    if len(moves) == 1:
        (label, move), = moves.items()
        where = decision_point(label, player, moves_in_game)
        return move if where == START else f"{move} {where}"
    counts: dict[str, int] = {}
    for move in moves.values():
        counts[move] = counts.get(move, 0) + 1
    common, frequency = max(counts.items(), key=lambda kv: kv[1])
    if frequency == len(moves):
        return f"always {common}"
    if frequency >= 3 and frequency > len(moves) / 2:
        others = [f"{m} {decision_point(l, player, moves_in_game)}" for l, m in moves.items() if m != common]
        return "; ".join(others + [f"{common} otherwise"])
    return "; ".join(f"{m} {decision_point(l, player, moves_in_game)}" for l, m in moves.items())


def payoff_line(equilibrium: Equilibrium, players, exact: bool = True) -> str:
    return ", ".join(f"{p} {number_with_decimal(equilibrium.payoffs[p], exact)}" for p in players)


def strategy_names(solution: Solution) -> tuple[tuple[str, ...], ...]:
    """The names of the strategies a family's indices count: a tree's are its reduced strategies."""
    game = solution.game
    if isinstance(game, ExtensiveGame):
        return tuple(tuple(s.name for s in reduced_strategies(game, i)) for i in range(game.num_players))
    return tuple(game.strategies)


def family_text(family: Family, players, strategies, brief: bool = True) -> str:
    """A continuum of equilibria in the game's names: its supports and a few of its points.
    ``brief``: a support of more than ``MAX_NAMED_STRATEGIES`` strategies is counted, not named,
    and at most one point is shown (none when a support is counted); strategy names holding
    separators are put in parentheses."""
    def name(i, k):
        text = strategies[i][k]
        return f"({text})" if any(c in text for c in ",;:") else text

    def support(i, player):
        names = [name(i, k) for k in family.support[i]]
        if len(names) == 1:
            return f"{player} plays {names[0]}"
        if brief and len(names) > MAX_NAMED_STRATEGIES:
            return f"{player} mixes {len(names)} of its {len(strategies[i])} strategies"
        return f"{player} mixes {', '.join(names)}"

    def point(profile):
        parts = []
        for i, player in enumerate(players):
            used = [(name(i, k), v) for k, v in enumerate(profile[i]) if v != 0]
            parts.append(f"{player}: " + (used[0][0] if len(used) == 1 else ", ".join(f"{s} {number(v)}" for s, v in used)))
        return "(" + "; ".join(parts) + ")"
    text = (f"a continuum of equilibria of dimension {family.dimension} where "
            + "; ".join(support(i, p) for i, p in enumerate(players)))
    if family.members:
        return text + f"; it contains equilibria {numbered(family.members)}"
    counted = brief and any(len(s) > MAX_NAMED_STRATEGIES for s in family.support)
    points = [] if counted else [point(p) for p in family.extreme_points[:1 if brief else MAX_FAMILY_POINTS]]
    return text + ("; it contains " + " and ".join(points) if points else "")


def game_families(solution: Solution) -> list[Family]:
    """The continua of equilibria of the game itself; a subgame's (``where`` set) come with a note
    in the subgame's own names."""
    return [f for f in solution.families if not f.where]


def note_lines(solution: Solution, verbose: bool = False) -> list[str]:
    """The solution's remarks in words: its continua of equilibria first (the largest few, and
    how many of each dimension, unless ``verbose``), then its notes."""
    notes = [n.text() for n in solution.notes if n.code not in COVERED_NOTES]
    families = game_families(solution)
    if not families:
        return notes
    names = strategy_names(solution)
    summary, shown = family_summary(tuple(families), verbose)
    lines = [family_text(f, solution.players, names, brief=not verbose) for f in shown]
    return ([summary] if len(families) > 1 else []) + lines + notes


def continua_section(solution: Solution, verbose: bool = False) -> tuple[str, str, list[str]]:
    """The continua spanned by listed equilibria as (title, introduction, lines): one line per
    component (its convex pieces indented by two spaces) or per pair of equilibria joined by a
    segment; empty when there are none."""
    if solution.components:
        return ("Components", "Every mixture of the listed equilibria of one convex set below is an equilibrium too.",
                component_lines(solution, verbose))
    if solution.mixtures:
        return "Segments of equilibria", "", mixture_lines(solution, verbose)
    return "", "", []


def _heading(solution: Solution) -> list[str]:
    """The headline and what the list covers, wrapped for a terminal."""
    return [headline(solution), *textwrap.wrap(completeness_sentence(solution), 100, initial_indent="  ",
                                               subsequent_indent="  ", break_on_hyphens=False)]


def _parameter_lines(solution: Solution) -> list[str]:
    described = {p.name: p for p in solution.game.info.parameters}
    rows = []
    for name, value in solution.parameters.items():
        default = described[name].value if name in described else None
        changed = "" if default is None or Fraction(str(default)) == Fraction(value) else f"  (default {default})"
        description = described[name].description if name in described else ""
        rows.append([name, f"= {number(value)}", changed + (f"   {description}" if description else "")])
    return ["Parameters", *columns(rows, [" ", ""], indent="  "), ""]


def render(solution: Solution, source_path: str = "", picture: MarkedMatrix | PlayedTree | None = None,
           verbose: bool = False) -> str:
    """The report; ``picture`` (the marked tree or matrix) is drawn when it is small enough;
    ``verbose`` lists every component, convex set and continuum rather than the largest few."""
    game = solution.game
    info = game.info
    lines = [info.title or "(untitled game)"]
    kind = "sequential game" if solution.form == "sequential" else "normal-form game"
    if solution.form == "normal":
        kind += " (" + " × ".join(str(n) for n in game.shape) + ")"
    lines.append(f"{source_path or info.path} · {kind} · {plural(len(solution.players), 'player')}: {', '.join(solution.players)}")
    lines.append("")
    if solution.parameters:
        lines.extend(_parameter_lines(solution))
    drawn = _picture(picture)
    if drawn:
        lines.append("The game")
        lines.extend("  " + row if row else "" for row in drawn.rstrip("\n").split("\n"))
        lines.append("")
    lines.extend(_heading(solution))
    if not solution.equilibria:
        lines.append("  none")
    for k, equilibrium in enumerate(solution.equilibria, 1):
        lines.append("")
        lines.extend(_render_equilibrium(solution, k, equilibrium))
    title, intro, continua = continua_section(solution, verbose)
    if continua:
        lines += ["", title] + [f"  {line}" for line in ([intro] if intro else []) + continua]
    if solution.value is not None:
        lines.append("")
        lines.append(f"Value of the game (to {solution.players[0]}): {number_with_decimal(solution.value)}")
    notes = note_lines(solution, verbose)
    if notes:
        lines.append("")
        lines.append("Notes")
        lines.extend(f"  - {n}" for n in notes)
    return "\n".join(lines) + "\n"


def _picture(picture: MarkedMatrix | PlayedTree | None) -> str:
    """The tree (box-drawing characters, equilibrium moves marked) or the payoff matrix (best
    responses marked), when small enough to read in a terminal."""
    if isinstance(picture, PlayedTree):
        return render_tree(picture) if len(picture.tree.terminal_nodes()) <= MAX_PICTURE_LEAVES else ""
    if isinstance(picture, MarkedMatrix):
        game = picture.game
        return render_matrix(picture) if math.prod(game.shape) <= MAX_PICTURE_CELLS and game.num_players >= 2 else ""
    return ""


def _render_equilibrium(solution: Solution, k: int, equilibrium: Equilibrium) -> list[str]:
    tags = ["pure" if equilibrium.pure else "mixed"]
    if solution.concept == "nash" and equilibrium.subgame_perfect is not None:
        tags.append("subgame-perfect" if equilibrium.subgame_perfect else "not subgame-perfect")
    if equilibrium.extreme_points > 1:
        tags.append(f"given by {equilibrium.extreme_points} extreme equilibria of the reduced normal form")
    title = f"Equilibrium {k} ({', '.join(tags)})"
    if equilibrium.label and solution.form == "normal":
        title += f": {equilibrium.label}"
    lines = [title]
    players = solution.players
    if solution.form == "sequential":
        if equilibrium.path:
            if len(equilibrium.path) == 1:
                lines.append(f"  Path of play:  {equilibrium.path[0][0]}")
            else:
                lines.append("  Outcomes:")
                lines.extend(f"    {number(p):>8}  {outcome}" for outcome, p in equilibrium.path)
        lines.append(f"  Payoffs:       {payoff_line(equilibrium, players)}")
        lines.append("  Strategies:")
        moves = move_names(solution.game)
        rows = [[p, describe_behaviour(p, equilibrium.strategies[p], moves)] for p in players]
    else:
        lines.append("  Strategies:")
        rows = [[p, describe_mixed(equilibrium.strategies[p])] for p in players]
    lines.extend(columns(rows, "  ", indent="    "))
    if solution.form != "sequential":
        lines.append(f"  Payoffs:       {payoff_line(equilibrium, players)}")
    lines.extend(f"  ! {note.text()}" for note in equilibrium.notes)
    if equilibrium.assessment is not None:                   # --concept pbe: beliefs and refinements
        lines.extend(belief_lines(equilibrium.assessment))
    return lines
