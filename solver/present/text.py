"""The report for people: the game in brief, the parameters in use, and each equilibrium.

Every presenter reads the same ``Solution``; this one writes plain text for a terminal.
"""
from __future__ import annotations

from fractions import Fraction

from solver.results import Equilibrium, Solution, format_number


def number(value, exact: bool = True) -> str:
    """A payoff or probability: exact fractions stay fractions (with a decimal when that helps)."""
    if isinstance(value, (Fraction, int)):
        value = Fraction(value)
        if value.denominator == 1 or not exact:
            return str(value) if value.denominator == 1 else format_number(float(value))
        if Fraction(round(float(value), 3)).limit_denominator(1000) == value:
            return str(value)     # 1/2, 3/8: the fraction is as clear as a decimal
        return f"{value} (≈{format_number(float(value), 3)})"
    return format_number(value)


def short_number(value) -> str:
    if isinstance(value, (Fraction, int)):
        return str(Fraction(value))
    return format_number(value)


def decision_label(label: str, player: str, moves: frozenset = frozenset()) -> str:
    """A decision point named by the moves before it (``"Transfer/Enable"``) reads as
    ``"after Transfer → Enable"``; any other name reads as ``"at stage1"``."""
    if label in (player, "root", ""):
        return "at the start"
    parts = label.split("/")
    if not moves or all(p in moves for p in parts):
        return "after " + " → ".join(parts)
    return f"at {label}"


def move_names(game) -> frozenset:
    """Every move label of a tree (empty for a normal-form game)."""
    return frozenset(m for moves in getattr(game, "node_moves", ()) for m in moves)


def describe_mixed(probabilities: dict) -> str:
    """``{"hawk": 2/3, "dove": 1/3}`` → ``"hawk 2/3, dove 1/3"``; a pure strategy is its name."""
    support = [(s, p) for s, p in probabilities.items() if p != 0]
    if len(support) == 1:
        return support[0][0]
    return ", ".join(f"{s} {short_number(p)}" for s, p in support)


def describe_behaviour(player: str, points: dict, moves_in_game: frozenset = frozenset()) -> str:
    """One sentence per player: the move at each decision point, compressing the common move."""
    if not points:
        return "(no decision on or off the path)"
    moves = {label: describe_mixed(probs) for label, probs in points.items()}
    if len(moves) == 1:
        (label, move), = moves.items()
        where = decision_label(label, player, moves_in_game)
        return move if where == "at the start" else f"{move} {where}"
    counts: dict[str, int] = {}
    for move in moves.values():
        counts[move] = counts.get(move, 0) + 1
    common, frequency = max(counts.items(), key=lambda kv: kv[1])
    if frequency == len(moves):
        return f"always {common}"
    if frequency >= 3 and frequency > len(moves) / 2:
        others = [f"{m} {decision_label(l, player, moves_in_game)}" for l, m in moves.items() if m != common]
        return "; ".join(others + [f"{common} otherwise"])
    return "; ".join(f"{m} {decision_label(l, player, moves_in_game)}" for l, m in moves.items())


def payoff_line(equilibrium: Equilibrium, players) -> str:
    return ", ".join(f"{p} {number(equilibrium.payoffs[p])}" for p in players)


def _heading(solution: Solution) -> str:
    concept = "Subgame-perfect equilibria" if solution.concept == "subgame-perfect" else "Nash equilibria"
    count = len(solution.equilibria)
    if solution.complete:
        completeness = "this is every one" if solution.concept == "subgame-perfect" or not solution.components else \
            "every extreme equilibrium, with the components they span"
    else:
        completeness = "NOT complete: other equilibria may exist"
    return f"{concept}: {count} found by {solution.method} ({completeness})"


def render(solution: Solution, source_path: str = "") -> str:
    game = solution.game
    info = game.info
    lines = [info.title or "(untitled game)"]
    kind = "sequential game" if solution.form == "sequential" else "normal-form game"
    if solution.form == "normal":
        kind += " (" + " × ".join(str(n) for n in game.shape) + ")"
    lines.append(f"{source_path or info.path} · {kind} · {len(solution.players)} players: {', '.join(solution.players)}")
    lines.append("")
    if solution.parameters:
        lines.append("Parameters")
        width = max(len(k) for k in solution.parameters)
        described = {p.name: p for p in info.parameters}
        value_width = max(len(short_number(v)) for v in solution.parameters.values())
        for name, value in solution.parameters.items():
            default = described[name].value if name in described else None
            changed = "" if default is None or Fraction(str(default)) == Fraction(value) else f"  (default {default})"
            description = described[name].description if name in described else ""
            text = f"  {name:<{width}} = {short_number(value):<{value_width}}{changed}"
            if description:
                text += f"   {description}"
            lines.append(text)
        lines.append("")
    picture = _picture(solution)
    if picture:
        lines.append("The game")
        lines.extend("  " + row if row else "" for row in picture.rstrip("\n").split("\n"))
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
            lines.append(f"  equilibria {members}" + (" (an isolated equilibrium)" if len(c.members) == 1 else " and every mixture along the edges between them"))
    if solution.value is not None:
        lines.append("")
        lines.append(f"Value of the game (to {solution.players[0]}): {number(solution.value)}")
    if solution.notes:
        lines.append("")
        lines.append("Notes")
        lines.extend(f"  - {n}" for n in solution.notes)
    return "\n".join(lines) + "\n"


MAX_PICTURE_LEAVES = 64
MAX_PICTURE_CELLS = 64


def _picture(solution: Solution) -> str:
    """The tree (box-drawing characters, equilibrium moves marked) or the payoff matrix (best
    responses marked), when small enough to read in a terminal."""
    from solver.present.ascii import render_matrix, render_tree
    game = solution.game
    if solution.form == "sequential":
        if len(game.terminal_nodes()) <= MAX_PICTURE_LEAVES:
            return render_tree(game, solution)
        return ""
    cells = 1
    for n in game.shape:
        cells *= n
    return render_matrix(game) if cells <= MAX_PICTURE_CELLS and game.num_players >= 2 else ""


def _render_equilibrium(solution: Solution, k: int, equilibrium: Equilibrium) -> list[str]:
    kind = "pure" if equilibrium.pure else "mixed"
    tags = [kind]
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
                for outcome, p in equilibrium.path:
                    lines.append(f"    {short_number(p):>8}  {outcome}")
        lines.append(f"  Payoffs:       {payoff_line(equilibrium, players)}")
        lines.append("  Strategies:")
        width = max(len(p) for p in players)
        for p in players:
            lines.append(f"    {p:<{width}}  {describe_behaviour(p, equilibrium.strategies[p], move_names(solution.game))}")
    else:
        width = max(len(p) for p in players)
        lines.append("  Strategies:")
        for p in players:
            lines.append(f"    {p:<{width}}  {describe_mixed(equilibrium.strategies[p])}")
        lines.append(f"  Payoffs:       {payoff_line(equilibrium, players)}")
    for note in equilibrium.notes:
        lines.append(f"  ! {note}")
    return lines
