"""The report for people: the game in brief, the parameters in use, and each equilibrium.

Every presenter reads the same ``Solution``; this one writes plain text for a terminal. The words
shared with the Markdown and HTML reports (a mixed strategy, a player's moves, the notes) are
here too.
"""
from __future__ import annotations

import math
from fractions import Fraction

from solver.analysis.labels import START, decision_point, move_names
from solver.analysis.pictures import MarkedMatrix, PlayedTree
from solver.equilibria.result import Family
from solver.model.reduce import reduced_strategies
from solver.model.tree import ExtensiveGame
from solver.present.ascii import render_matrix, render_tree
from solver.present.table import columns, number, number_with_decimal
from solver.results import Equilibrium, Solution, format_number

MAX_PICTURE_LEAVES = 64
MAX_PICTURE_CELLS = 64
#: A continuum of equilibria is described by at most this many of its points.
MAX_FAMILY_POINTS = 3


def describe_mixed(probabilities: dict) -> str:
    """``{"hawk": 2/3, "dove": 1/3}`` → ``"hawk 2/3, dove 1/3"``; a pure strategy is its name."""
    support = [(s, p) for s, p in probabilities.items() if p != 0]
    if len(support) == 1:
        return support[0][0]
    return ", ".join(f"{s} {format_number(p)}" for s, p in support)


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


def concept_title(solution: Solution) -> str:
    return "Subgame-perfect equilibria" if solution.concept == "subgame-perfect" else "Nash equilibria"


def strategy_names(solution: Solution) -> tuple[tuple[str, ...], ...]:
    """The names of the strategies a family's indices count: a tree's are its reduced strategies."""
    game = solution.game
    if isinstance(game, ExtensiveGame):
        return tuple(tuple(s.name for s in reduced_strategies(game, i)) for i in range(game.num_players))
    return tuple(game.strategies)


def family_text(family: Family, players, strategies) -> str:
    """A continuum of equilibria in the game's names: its supports and a few of its points."""
    def support(i, player):
        names = [strategies[i][k] for k in family.support[i]]
        return f"{player} plays {names[0]}" if len(names) == 1 else f"{player} mixes {', '.join(names)}"

    def point(profile):
        parts = []
        for i, player in enumerate(players):
            used = [(strategies[i][k], v) for k, v in enumerate(profile[i]) if v != 0]
            parts.append(f"{player}: " + (used[0][0] if len(used) == 1 else ", ".join(f"{s} {number(v)}" for s, v in used)))
        return "(" + "; ".join(parts) + ")"
    text = (f"a continuum of equilibria of dimension {family.dimension} where "
            + "; ".join(support(i, p) for i, p in enumerate(players)))
    points = [point(p) for p in family.extreme_points[:MAX_FAMILY_POINTS]]
    return text + ("; it contains " + " and ".join(points) if points else "")


def game_families(solution: Solution) -> list[Family]:
    """The continua of equilibria of the game itself; a subgame's (``where`` set) come with a note
    in the subgame's own names."""
    return [f for f in solution.families if not f.where]


def note_lines(solution: Solution) -> list[str]:
    """The solution's remarks in words: its continua of equilibria first, then its notes."""
    families = game_families(solution)
    names = strategy_names(solution) if families else ()
    return [family_text(f, solution.players, names) for f in families] + solution.note_texts()


def _heading(solution: Solution) -> str:
    count = len(solution.equilibria)
    if solution.complete:
        completeness = "this is every one" if solution.concept == "subgame-perfect" or not solution.components else \
            "every extreme equilibrium, with the components they span"
    else:
        completeness = "NOT complete: other equilibria may exist"
    return f"{concept_title(solution)}: {count} found by {solution.method} ({completeness})"


def _parameter_lines(solution: Solution) -> list[str]:
    described = {p.name: p for p in solution.game.info.parameters}
    rows = []
    for name, value in solution.parameters.items():
        default = described[name].value if name in described else None
        changed = "" if default is None or Fraction(str(default)) == Fraction(value) else f"  (default {default})"
        description = described[name].description if name in described else ""
        rows.append([name, f"= {format_number(value)}", changed + (f"   {description}" if description else "")])
    return ["Parameters", *columns(rows, [" ", ""], indent="  "), ""]


def render(solution: Solution, source_path: str = "", picture: MarkedMatrix | PlayedTree | None = None) -> str:
    """The report; ``picture`` (the marked tree or matrix) is drawn when it is small enough."""
    game = solution.game
    info = game.info
    lines = [info.title or "(untitled game)"]
    kind = "sequential game" if solution.form == "sequential" else "normal-form game"
    if solution.form == "normal":
        kind += " (" + " × ".join(str(n) for n in game.shape) + ")"
    lines.append(f"{source_path or info.path} · {kind} · {len(solution.players)} players: {', '.join(solution.players)}")
    lines.append("")
    if solution.parameters:
        lines.extend(_parameter_lines(solution))
    drawn = _picture(picture)
    if drawn:
        lines.append("The game")
        lines.extend("  " + row if row else "" for row in drawn.rstrip("\n").split("\n"))
        lines.append("")
    lines.append(_heading(solution))
    if not solution.equilibria:
        lines.append("  none")
    for k, equilibrium in enumerate(solution.equilibria, 1):
        lines.append("")
        lines.extend(_render_equilibrium(solution, k, equilibrium))
    if solution.components:
        lines.append("")
        lines.append("Components (connected sets of equilibria)")
        for c in solution.components:
            members = ", ".join(str(i + 1) for i in c.members)
            lines.append(f"  equilibria {members}" + (" (an isolated equilibrium)" if len(c.members) == 1
                                                       else " and every mixture along the edges between them"))
    if solution.value is not None:
        lines.append("")
        lines.append(f"Value of the game (to {solution.players[0]}): {number_with_decimal(solution.value)}")
    notes = note_lines(solution)
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
                lines.extend(f"    {format_number(p):>8}  {outcome}" for outcome, p in equilibrium.path)
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
    return lines
