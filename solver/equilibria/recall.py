r"""Perfect recall: does every player remember what it knew and what it did?

A tree has perfect recall when, for every information set h of player i, all nodes of h are
reached by the same sequence of i's own (information set, move) pairs [Kuhn 1953, §3; Selten
1975, §2]. Only then are behaviour strategies as good as mixed strategies (Kuhn's theorem), and
only then do the sequence form and the subgame solvers apply. A node and one of its descendants
in one information set ("absent-mindedness") is the extreme case: the descendant's history holds
a move at that very information set, the ancestor's does not.

References:
    H. W. Kuhn (1953), "Extensive games and the problem of information", in Contributions to the
    Theory of Games II, Annals of Mathematics Studies 28, 193–216.
    R. Selten (1975), "Reexamination of the perfectness concept for equilibrium points in
    extensive games", International Journal of Game Theory 4, 25–55.

>>> from solver.model.tree import Decision, Terminal, build_tree
>>> forgetful = Decision("Ann", {"a": Decision("Ann", {"x": Terminal((1,)), "y": Terminal((0,))}, infoset="later"),
...                              "b": Decision("Ann", {"x": Terminal((0,)), "y": Terminal((1,))}, infoset="later")})
>>> print(perfect_recall_violation(build_tree(["Ann"], forgetful)).replace(" but", "\nbut"))
Ann does not have perfect recall: at information set 'later', node 'a' follows Ann's moves a (at 'root')
but node 'b' follows Ann's moves b (at 'root')
"""
from __future__ import annotations

from solver.model.tree import ExtensiveGame


def _describe(tree: ExtensiveGame, name: str, history) -> str:
    if not history:
        return f"no move of {name}'s"
    return f"{name}'s moves " + ", ".join(f"{tree.infosets[h].moves[m]} (at '{tree.infosets[h].label}')" for h, m in history)


def perfect_recall_violation(tree: ExtensiveGame) -> str | None:
    """``None`` if every player has perfect recall; otherwise one sentence naming the player and
    the information set where two nodes follow different own histories."""
    for infoset in tree.infosets:
        nodes = infoset.nodes
        name = tree.players[infoset.player]
        if len(nodes) < 2:
            continue
        members = set(nodes)
        for node in nodes:
            for ancestor in tree.path_to(node)[:-1]:
                if ancestor in members:
                    return (f"{name} does not have perfect recall: information set '{infoset.label}' holds node "
                            f"'{tree.node_ids[ancestor]}' and its descendant '{tree.node_ids[node]}' (absent-mindedness)")
        first = tree.own_history(nodes[0], infoset.player)
        for node in nodes[1:]:
            other = tree.own_history(node, infoset.player)
            if other != first:
                return (f"{name} does not have perfect recall: at information set '{infoset.label}', node "
                        f"'{tree.node_ids[nodes[0]]}' follows {_describe(tree, name, first)} but node "
                        f"'{tree.node_ids[node]}' follows {_describe(tree, name, other)}")
    return None


def require_perfect_recall(tree: ExtensiveGame) -> None:
    """Raise ``ValueError`` with the message of :func:`perfect_recall_violation` if recall is imperfect."""
    problem = perfect_recall_violation(tree)
    if problem is not None:
        raise ValueError(problem)
