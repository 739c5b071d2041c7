"""Plain-text pictures of games, for terminals: a tree drawn with box-drawing characters and
payoff matrices with best responses marked.

Both read numeric (evaluated) games; a game that still depends on parameters is evaluated at its
defaults first.

>>> from solver.model.normal import NormalFormGame
>>> pd = NormalFormGame.from_arrays(["Row", "Column"], [["Cooperate", "Defect"], ["Cooperate", "Defect"]],
...                                 [[[2, 0], [3, 1]], [[2, 3], [0, 1]]])
>>> print(render_matrix(pd), end="")
Row ╲ Column │ Cooperate │ Defect
─────────────┼───────────┼───────
Cooperate    │ 2, 2      │ 0, 3*
Defect       │ 3*, 0     │ 1*, 1*
* marks a best response to the other players' strategies (Row's payoff first).
"""
from __future__ import annotations

import decimal
import itertools
from fractions import Fraction

import numpy as np

from solver.model.tree import CHANCE, TERMINAL
from solver.results import format_number

MINUS = "−"


def _terminating(denominator: int) -> bool:
    for p in (2, 5):
        while denominator % p == 0:
            denominator //= p
    return denominator == 1


def fmt(value, unicode_minus: bool = False) -> str:
    """A number for people: fractions stay exact (``3/2``, ``20/27``), but decimals written as
    fractions with large denominators read as decimals (``7247/1000`` → ``7.247``, rounded to 6
    significant digits beyond 6 decimals); floats are rounded.

    >>> fmt(Fraction(3, 10)), fmt(Fraction(7247, 1000)), fmt(Fraction(-20, 27), unicode_minus=True)
    ('3/10', '7.247', '−20/27')
    """
    if isinstance(value, (Fraction, int, np.integer)):
        value = Fraction(int(value)) if isinstance(value, np.integer) else Fraction(value)
        if value.denominator > 20 and _terminating(value.denominator):
            with decimal.localcontext() as context:
                context.prec = 60
                text = format(decimal.Decimal(value.numerator) / decimal.Decimal(value.denominator), "f")
            if len(text.split(".")[-1]) > 6:          # a float in disguise: round it for reading
                text = format_number(float(value), 6)
        else:
            text = str(value)
    else:
        text = format_number(value)
    if unicode_minus and text.startswith("-"):
        text = MINUS + text[1:]
    return text


def _numeric(game):
    if getattr(game, "is_symbolic", False):
        return game.evaluated()
    return game


def best_response_marks(game) -> np.ndarray:
    """``marks[i, s]``: whether player i's strategy in profile s is a best response to the others'."""
    from solver.equilibria.pure import best_response_masks
    payoffs = _numeric(game).payoffs
    return best_response_masks(payoffs, payoffs.shape[0])


def matrix_slices(game):
    """For 3+ players: every profile of players 3.. (the 'pages'); for 2 players one empty page."""
    extra = [range(n) for n in game.shape[2:]]
    return list(itertools.product(*extra))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(header[c]), *(len(r[c]) for r in rows)) for c in range(len(header))]
    def line(cells):
        return " │ ".join(cell.ljust(w) for cell, w in zip(cells, widths)).rstrip()
    out = [line(header), "─┼─".join("─" * w for w in widths)]
    out += [line(r) for r in rows]
    return out


def render_matrix(game, unicode_minus: bool = False) -> str:
    """The payoff matrix (one per profile of the third and later players), each cell listing the
    players' payoffs in order, with ``*`` after a payoff when that strategy is a best response."""
    game = _numeric(game)
    n = game.num_players
    payoffs = game.payoffs
    if n == 1:
        best = best_response_marks(game)
        rows = [[s, fmt(payoffs[(0, k)], unicode_minus) + ("*" if best[(0, k)] else "")]
                for k, s in enumerate(game.strategies[0])]
        lines = _table([game.players[0], "payoff"], rows)
        lines.append("* marks the best strategy.")
        return "\n".join(lines) + "\n"
    marks = best_response_marks(game)
    blocks = []
    for page in matrix_slices(game):
        rows = []
        for r, row_name in enumerate(game.strategies[0]):
            cells = [row_name]
            for c in range(len(game.strategies[1])):
                profile = (r, c) + tuple(page)
                parts = [fmt(payoffs[(i,) + profile], unicode_minus) + ("*" if marks[(i,) + profile] else "")
                         for i in range(n)]
                cells.append(", ".join(parts))
            rows.append(cells)
        header = [f"{game.players[0]} ╲ {game.players[1]}"] + list(game.strategies[1])
        lines = []
        if page:
            lines.append("When " + ", ".join(f"{game.players[2 + j]} plays {game.strategies[2 + j][k]}"
                                             for j, k in enumerate(page)) + ":")
        lines += _table(header, rows)
        blocks.append("\n".join(lines))
    legend = (f"* marks a best response to the other players' strategies ({game.players[0]}'s payoff first)."
              if n == 2 else
              f"* marks a best response to the other players' strategies (payoffs in the order {', '.join(game.players)}).")
    return "\n\n".join(blocks) + "\n" + legend + "\n"


# ---- trees ------------------------------------------------------------------------------------
def first_behaviour(tree, solution) -> dict[int, list]:
    """Move probabilities per information set from the first equilibrium of ``solution`` (empty if none)."""
    if solution is None or not solution.equilibria:
        return {}
    eq = solution.equilibria[0]
    behaviour = {}
    for h, info in enumerate(tree.infosets):
        player = tree.players[info.player]
        probs = eq.strategies.get(player, {}).get(info.label)
        if probs is not None:
            behaviour[h] = [probs.get(m, 0) for m in info.moves]
    return behaviour


def render_tree(tree, solution=None, unicode_minus: bool = False) -> str:
    """The tree, one node a line, drawn with box-drawing characters.

    Decision nodes show the mover (and the information set when it holds several nodes); chance
    moves show their probabilities; leaves show the payoffs in the players' order. Moves of the
    first equilibrium in ``solution`` are drawn ``━▶`` (mixed moves with their probability).
    """
    tree = _numeric(tree)
    behaviour = first_behaviour(tree, solution)
    shared = {h for h, info in enumerate(tree.infosets) if len(info.nodes) > 1}
    lines = []

    def label(node: int) -> str:
        kind = int(tree.node_player[node])
        if kind == TERMINAL:
            values = ", ".join(fmt(v, unicode_minus) for v in tree.leaf_payoffs[node])
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
            branch = "└" if last else "├"
            move = tree.node_moves[node][k]
            chosen = False
            note = ""
            if kind == CHANCE:
                note = f" ({fmt(tree.chance_probs[child], unicode_minus)})"
            elif h in behaviour:
                p = behaviour[h][k]
                chosen = p != 0
                if chosen and p != 1:
                    note = f" [{fmt(p)}]"
            arrow = "━▶ " if chosen else "── "
            lines.append(f"{prefix}{branch}{arrow}{move}{note}: {label(child)}")
            walk(child, prefix + ("    " if last else "│   "))

    lines.append(label(0))
    walk(0, "")
    legend = f"Payoffs in the order {', '.join(tree.players)}."
    if behaviour:
        legend += " ━▶ marks the equilibrium moves" + (" (first equilibrium)." if len(solution.equilibria) > 1 else ".")
    lines.append(legend)
    return "\n".join(lines) + "\n"
