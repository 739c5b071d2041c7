"""Plain-text pictures of games, for terminals: a tree drawn with box-drawing characters and
payoff matrices with best responses marked.

Both draw what :mod:`solver.analysis.pictures` marked: a :class:`MarkedMatrix` (best responses)
or a :class:`PlayedTree` (the moves of an equilibrium).

>>> from solver.analysis.pictures import marked_matrix
>>> from solver.model.normal import NormalFormGame
>>> pd = NormalFormGame.from_arrays(["Row", "Column"], [["Cooperate", "Defect"], ["Cooperate", "Defect"]],
...                                 [[[2, 0], [3, 1]], [[2, 3], [0, 1]]])
>>> print(render_matrix(marked_matrix(pd)), end="")
Row ╲ Column │ Cooperate │ Defect
─────────────┼───────────┼───────
Cooperate    │ 2, 2      │ 0, 3*
Defect       │ 3*, 0     │ 1*, 1*
* marks a best response to the other players' strategies (Row's payoff first).
"""
from __future__ import annotations

from solver.analysis.pictures import MarkedMatrix, PlayedTree
from solver.model.tree import CHANCE, TERMINAL
from solver.present.table import HYPHEN, MINUS, box_table, matrix_pages, number


def render_matrix(matrix: MarkedMatrix, unicode_minus: bool = False) -> str:
    """The payoff matrix (one per profile of the third and later players), each cell listing the
    players' payoffs in order, with ``*`` after a payoff when that strategy is a best response."""
    game, marks = matrix.game, matrix.best
    minus = MINUS if unicode_minus else HYPHEN
    n = game.num_players
    payoffs = game.payoffs
    if n == 1:
        rows = [[s, number(payoffs[(0, k)], minus) + ("*" if marks[(0, k)] else "")]
                for k, s in enumerate(game.strategies[0])]
        return "\n".join(box_table([game.players[0], "payoff"], rows) + ["* marks the best strategy."]) + "\n"
    blocks = []
    for page in matrix_pages(game.shape):
        rows = []
        for r, row_name in enumerate(game.strategies[0]):
            cells = [row_name]
            for c in range(len(game.strategies[1])):
                profile = (r, c) + tuple(page)
                cells.append(", ".join(number(payoffs[(i,) + profile], minus) + ("*" if marks[(i,) + profile] else "")
                                       for i in range(n)))
            rows.append(cells)
        header = [f"{game.players[0]} ╲ {game.players[1]}"] + list(game.strategies[1])
        lines = []
        if page:
            lines.append("When " + ", ".join(f"{game.players[2 + j]} plays {game.strategies[2 + j][k]}"
                                             for j, k in enumerate(page)) + ":")
        blocks.append("\n".join(lines + box_table(header, rows)))
    legend = (f"* marks a best response to the other players' strategies ({game.players[0]}'s payoff first)."
              if n == 2 else
              f"* marks a best response to the other players' strategies (payoffs in the order {', '.join(game.players)}).")
    return "\n\n".join(blocks) + "\n" + legend + "\n"


def render_tree(played: PlayedTree, unicode_minus: bool = False) -> str:
    """The tree, one node a line, drawn with box-drawing characters.

    Decision nodes show the mover (and the information set when it holds several nodes); chance
    moves show their probabilities; leaves show the payoffs in the players' order. The equilibrium
    moves are drawn ``━▶`` (mixed moves with their probability).
    """
    tree, behaviour = played.tree, played.behaviour
    minus = MINUS if unicode_minus else HYPHEN
    shared = {h for h, info in enumerate(tree.infosets) if len(info.nodes) > 1}
    lines = []

    def label(node: int) -> str:
        kind = int(tree.node_player[node])
        if kind == TERMINAL:
            values = ", ".join(number(v, minus) for v in tree.leaf_payoffs[node])
            outcome = tree.outcomes[node]
            return f"({values})" + (f"  {outcome}" if outcome and "→" not in outcome else "")
        if kind == CHANCE:
            return "Chance"
        h = int(tree.node_infoset[node])
        text = tree.players[kind]
        if h in shared:
            text += f"  [information set {tree.infosets[h].label}]"
        return text

    def walk(node: int, prefix: str):
        kids = list(tree.children(node))
        kind = int(tree.node_player[node])
        h = int(tree.node_infoset[node]) if kind >= 0 else -1
        for k, child in enumerate(kids):
            last = k == len(kids) - 1
            chosen = False
            note = ""
            if kind == CHANCE:
                note = f" ({number(tree.chance_probs[child], minus)})"
            elif h in behaviour:
                p = behaviour[h][k]
                chosen = p != 0
                if chosen and p != 1:
                    note = f" [{number(p)}]"
            arrow = "━▶ " if chosen else "── "
            lines.append(f"{prefix}{'└' if last else '├'}{arrow}{tree.node_moves[node][k]}{note}: {label(child)}")
            walk(child, prefix + ("    " if last else "│   "))

    lines.append(label(0))
    walk(0, "")
    legend = f"Payoffs in the order {', '.join(tree.players)}."
    if behaviour and played.concept == "nash":
        count = played.equilibrium_count
        legend += " ━▶ marks the moves of a Nash equilibrium" + (f" (the first of {count})." if count > 1 else ".")
    elif behaviour:
        legend += " ━▶ marks the equilibrium moves" + (" (first equilibrium)." if played.equilibrium_count > 1 else ".")
    lines.append(legend)
    if played.note:
        lines.append(f"Note: {played.note}.")
    return "\n".join(lines) + "\n"


def render_picture(picture: MarkedMatrix | PlayedTree, unicode_minus: bool = False) -> str:
    """A tree or a matrix, whichever was marked."""
    if isinstance(picture, PlayedTree):
        return render_tree(picture, unicode_minus)
    return render_matrix(picture, unicode_minus)
