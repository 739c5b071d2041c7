"""Names of equilibrium outcomes in the game's own words, for sweeps and thresholds.

An outcome key (``solver.analysis.batched``) identifies what a grid point's solution is; its label
is that key spelt out with the game's move, strategy and decision-point names. Labels identify
regions wherever they are shown (text, CSV, JSON, plots), so they are part of the analysis data.

>>> compress_path(["Supply → WarEnds → Renege", "Supply → WarGoesOn → Deliver"])
'Supply → (WarEnds → Renege; WarGoesOn → Deliver)'
>>> decision_point("Transfer/Enable", "US", frozenset({"Transfer", "Enable"}))
'after Transfer → Enable'
"""
from __future__ import annotations

START = "at the start"


def move_names(game) -> frozenset:
    """Every move label of a tree (empty for a normal-form game)."""
    return frozenset(m for moves in getattr(game, "node_moves", ()) for m in moves)


def decision_point(label: str, player: str, moves: frozenset = frozenset()) -> str:
    """A decision point named by the moves before it (``"Transfer/Enable"``) reads as
    ``"after Transfer → Enable"``; the first move reads as ``"at the start"``; any other name as
    ``"at stage1"``."""
    if label in (player, "root", ""):
        return START
    parts = label.split("/")
    if not moves or all(p in moves for p in parts):
        return "after " + " → ".join(parts)
    return f"at {label}"


def describe_key(key: tuple, game) -> str:
    """The label of an outcome key: paths of play, strategy profiles, or equilibrium supports."""
    kind, body = key
    if kind == "invalid":
        return f"invalid: {body}"
    if kind == "path":
        return " | ".join(compress_path(path) if path else "(no path)" for path in body)
    if kind == "profile":
        return " | ".join(profile_text(profile, game) for profile in body)
    if not body:
        return "no equilibrium found"
    texts = []
    for supports in body:
        if all(len(s) == 1 for s in supports):
            texts.append(", ".join(game.strategies[i][s[0]] for i, s in enumerate(supports)))
        else:
            texts.append("mixed (" + "; ".join("/".join(game.strategies[i][k] for k in s) for i, s in enumerate(supports)) + ")")
    return " | ".join(texts)


def compress_path(leaves) -> str:
    """Several outcomes reached (chance, mixing) as one line: the move sequences as a trie whose
    identical branches are merged, e.g. ``Supply → (WarEnds → Renege; WarGoesOn → Deliver)``."""
    if len(leaves) == 1:
        return leaves[0]
    trie: dict = {}
    for leaf in leaves:
        node = trie
        for move in leaf.split(" → "):
            node = node.setdefault(move, {})

    def render(node, top=False) -> str:
        groups: list[tuple[list[str], str]] = []
        for move, child in node.items():
            text = render(child)
            for names, existing in groups:
                if existing == text:
                    names.append(move)
                    break
            else:
                groups.append(([move], text))
        parts = ["/".join(names) + (f" → {text}" if text else "") for names, text in groups]
        if len(parts) > 1 and not top:
            return "(" + "; ".join(parts) + ")"
        return "; ".join(parts)
    return render(trie, top=True)


def profile_text(profile, game) -> str:
    """``Russia Withhold; China Restrain after Transfer, Enable after Withhold; ...``"""
    owner = {info.label: game.players[info.player] for info in game.infosets}
    moves = move_names(game)
    by_player: dict[str, list[str]] = {}
    for label, chosen in profile:
        player = owner.get(label, "?")
        where = decision_point(label, player, moves)
        move = "/".join(chosen) or "-"
        by_player.setdefault(player, []).append(move if where == START else f"{move} {where}")
    return "; ".join(f"{player} {', '.join(parts)}" for player, parts in by_player.items())
