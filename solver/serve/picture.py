"""The explorer's picture of a game, written directly as SVG (trees) or HTML (matrices).

It shows what ``solve draw`` shows, from the same marks (:mod:`solver.analysis.pictures`), layout
(:func:`solver.present.draw.tree_layout`: root at the left, one row per leaf) and colours: the
moves of the first equilibrium in orange, thickest on the path of play, mixed moves with their
probability, chance moves with theirs, information sets as dashed brackets, payoffs at the leaves;
a matrix boxes each best response and shades the pure equilibria. matplotlib takes about 120 ms to
write a tree of the article as SVG; this writer takes about a millisecond, which is what lets the
page redraw on every slider move. Elements carry classes (``edge chosen path``) and ``data-``
attributes (the move, the node) so the page and its tests can read what is marked.
"""
from __future__ import annotations

from html import escape

from solver.analysis.pictures import MarkedMatrix, PlayedTree
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame
from solver.present.draw import EDGE, HIGHLIGHT, PLAYER_COLOURS, tree_layout
from solver.present.table import MINUS, matrix_pages, number

COLUMN = 170        # pixels per depth of the tree
ROW = 34            # pixels per leaf row
MARGIN = 16
CHAR = 7.2          # pixels per character of the 12 px labels, roughly
BRACKET_GAP = 22    # an information set's bracket sits this far left of its nodes, one lane further per other set


def _number(value) -> str:
    return number(value, MINUS)


def _attr(text) -> str:
    return escape(str(text), quote=True)


def payoff_text(tree: ExtensiveGame, leaf: int) -> str:
    return "(" + ", ".join(_number(v) for v in tree.leaf_payoffs[leaf]) + ")"


def tree_svg(played: PlayedTree) -> str:
    """The tree as one ``<svg>`` element, its equilibrium moves highlighted."""
    tree = played.tree
    x, y, leaves = tree_layout(tree)
    widest = max((len(payoff_text(tree, leaf)) for leaf in leaves), default=4)
    depth = int(max(tree.depth)) if tree.num_nodes else 0
    width = int(MARGIN * 2 + 40 + depth * COLUMN + 14 + widest * CHAR)
    height = int(MARGIN * 2 + 20 + max(1, len(leaves)) * ROW)
    px = {n: MARGIN + 40 + x[n] * COLUMN for n in x}
    py = {n: MARGIN + 26 + y[n] * ROW for n in y}
    edges, labels, nodes = [], [], []
    for node in range(tree.num_nodes):
        edges_here, labels_here = _edges(played, node, px, py)
        edges += edges_here
        labels += labels_here
        nodes.append(_node(tree, node, px, py))
    brackets = _information_sets(tree, px, py)
    legend = _legend(played)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="game-tree" viewBox="0 0 {width} {height + 22}" '
            f'width="{width}" height="{height + 22}" role="img" aria-label="{_attr("The game tree. " + legend)}" '
            'font-family="system-ui, sans-serif" font-size="12">'
            + "".join(edges) + "".join(brackets) + "".join(nodes) + "".join(labels)
            + f'<text x="{MARGIN}" y="{height + 12}" fill="#333" font-size="11">{escape(legend)}</text></svg>')


def _edges(played: PlayedTree, node: int, px, py) -> tuple[list[str], list[str]]:
    """The moves out of ``node`` (lines) and their labels."""
    tree = played.tree
    kind = int(tree.node_player[node])
    kids = list(tree.children(node))
    h = int(tree.node_infoset[node]) if kind >= 0 else -1
    lines, labels = [], []
    for k, child in enumerate(kids):
        probability = played.behaviour.get(h, [None] * len(kids))[k] if kind >= 0 else None
        chosen = probability is not None and probability != 0
        on_path = chosen and child in played.reached
        classes = "edge" + (" chosen" if chosen else "") + (" path" if on_path else "")
        stroke, width = (HIGHLIGHT, 4.2 if on_path else 2.4) if chosen else (EDGE, 1.2)
        move = tree.node_moves[node][k]
        lines.append(f'<line class="{classes}" data-node="{child}" data-move="{_attr(move)}" x1="{px[node]:.1f}" '
                     f'y1="{py[node]:.1f}" x2="{px[child]:.1f}" y2="{py[child]:.1f}" stroke="{stroke}" '
                     f'stroke-width="{width}" stroke-linecap="round"/>')
        label = move
        if kind == CHANCE:
            label += f" ({_number(tree.chance_probs[child])})"
        elif chosen and probability != 1:
            label += f" [{_number(probability)}]"
        mx, my = (px[node] + px[child]) / 2, (py[node] + py[child]) / 2 - 5
        colour, weight = (HIGHLIGHT, "bold") if chosen else ("#222", "normal")
        labels.append(f'<text class="move" x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" fill="{colour}" '
                      f'font-weight="{weight}" paint-order="stroke" stroke="#fff" stroke-width="4" '
                      f'stroke-linejoin="round">{escape(label)}</text>')
    return lines, labels


def _node(tree: ExtensiveGame, node: int, px, py) -> str:
    kind = int(tree.node_player[node])
    x, y = px[node], py[node]
    if kind == TERMINAL:
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#34495e"/>'
                f'<text class="payoffs" x="{x + 8:.1f}" y="{y + 4:.1f}" font-family="ui-monospace, monospace">'
                f'{escape(payoff_text(tree, node))}</text>')
    if kind == CHANCE:
        return (f'<path d="M{x:.1f} {y - 7:.1f}l7 7l-7 7l-7 -7z" fill="#f1c40f" stroke="#7d6608"/>'
                f'<text x="{x:.1f}" y="{y - 11:.1f}" text-anchor="middle" font-style="italic">Chance</text>')
    colour = PLAYER_COLOURS[kind % len(PLAYER_COLOURS)]
    return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}"/>'
            f'<text x="{x:.1f}" y="{y - 11:.1f}" text-anchor="middle" fill="{colour}" font-weight="bold" '
            f'paint-order="stroke" stroke="#fff" stroke-width="3">{escape(tree.players[kind])}</text>')


def _information_sets(tree: ExtensiveGame, px, py) -> list[str]:
    """A dashed bracket left of the nodes of each information set with several nodes, named."""
    out, lanes = [], {}
    for info in tree.infosets:
        if len(info.nodes) < 2:
            continue
        column = min(px[n] for n in info.nodes)
        lane = lanes.get(column, 0)
        lanes[column] = lane + 1
        xb = column - BRACKET_GAP - 12 * lane
        ys = sorted(py[n] for n in info.nodes)
        path = f"M{xb:.1f} {ys[0]:.1f}V{ys[-1]:.1f}" + "".join(f"M{xb:.1f} {py[n]:.1f}H{px[n] - 7:.1f}" for n in info.nodes)
        middle = (ys[0] + ys[-1]) / 2
        out.append(f'<path class="infoset" d="{path}" stroke="#555" stroke-width="1.2" stroke-dasharray="4 3" fill="none"/>'
                   f'<text x="{xb - 4:.1f}" y="{middle:.1f}" transform="rotate(-90 {xb - 4:.1f} {middle:.1f})" '
                   f'text-anchor="middle" fill="#555" font-style="italic" font-size="11">{escape(info.label)}</text>')
    return out


def _legend(played: PlayedTree) -> str:
    legend = f"Payoffs: ({', '.join(played.tree.players)})"
    if played.behaviour:
        legend += " · orange: equilibrium moves, thickest on the path of play"
        if played.concept == "nash":
            legend += " (Nash equilibrium of the reduced normal form)"
        elif played.equilibrium_count > 1:
            legend += " (the first subgame-perfect equilibrium)"
    elif played.note:
        legend += " · " + played.note
    return legend


# ---- matrices --------------------------------------------------------------------------------------
def matrix_html(matrix: MarkedMatrix, max_pages: int = 8) -> str:
    """The payoff matrix as HTML tables (one per profile of players 3..N), best responses boxed,
    pure equilibria shaded."""
    game = matrix.game
    if game.num_players == 1:
        rows = "".join(f'<tr><th scope="row">{escape(s)}</th><td class="{"eq" if matrix.best[0, k] else ""}">'
                       f'{_payoff(0, matrix.best[0, k], game.payoffs[0, k])}</td></tr>'
                       for k, s in enumerate(game.strategies[0]))
        return f'<table class="matrix"><tbody>{rows}</tbody></table><p class="legend">Boxed: the best strategy.</p>'
    parts = []
    for page in matrix_pages(game.shape)[:max_pages]:
        caption = ("<caption>When " + ", ".join(f"{escape(game.players[2 + j])} plays {escape(game.strategies[2 + j][k])}"
                                                for j, k in enumerate(page)) + "</caption>") if page else ""
        head = (f'<tr><th class="corner">{escape(game.players[0])} ╲ {escape(game.players[1])}</th>'
                + "".join(f'<th scope="col" class="p1">{escape(c)}</th>' for c in game.strategies[1]) + "</tr>")
        body = []
        for r, name in enumerate(game.strategies[0]):
            cells = []
            for c in range(len(game.strategies[1])):
                profile = (r, c) + tuple(page)
                payoffs = " ".join(_payoff(i, matrix.best[(i,) + profile], game.payoffs[(i,) + profile])
                                   for i in range(game.num_players))
                cells.append(f'<td class="{"eq" if matrix.equilibrium[profile] else ""}">{payoffs}</td>')
            body.append(f'<tr><th scope="row" class="p0">{escape(name)}</th>{"".join(cells)}</tr>')
        parts.append(f'<table class="matrix">{caption}<thead>{head}</thead><tbody>{"".join(body)}</tbody></table>')
    order = ", ".join(game.players)
    return "".join(parts) + f'<p class="legend">Payoffs: ({escape(order)}). Boxed: a best response. Shaded: a pure equilibrium.</p>'


def _payoff(player: int, best: bool, value) -> str:
    colour = PLAYER_COLOURS[player % len(PLAYER_COLOURS)]
    box = f' class="best" style="border-color:{colour}"' if best else ""
    return f'<span{box} data-player="{player}"><span style="color:{colour}">{escape(_number(value))}</span></span>'


def picture_html(picture: MarkedMatrix | PlayedTree) -> str:
    """A tree as SVG, a matrix as tables."""
    if isinstance(picture, PlayedTree):
        return tree_svg(picture)
    return matrix_html(picture)
