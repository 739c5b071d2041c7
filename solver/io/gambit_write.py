"""Writing Gambit's game files: ``.nfg`` (strategic form) and ``.efg`` (extensive form).

The formats are described in Gambit's documentation ("Game representation formats",
https://gambitproject.readthedocs.io/en/stable/formats.html); :mod:`solver.io.gambit` reads them
back. Labels are made acceptable to Gambit 16.7 (printable ASCII, single spaces) and numbers are
written exactly (``a/b``).
"""
from __future__ import annotations

import itertools
import unicodedata
from fractions import Fraction

import numpy as np

from solver.model.normal import NormalFormGame
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame

__all__ = ["write_nfg", "write_efg", "gambit_safe_label"]


_ASCII = {"→": "->", "←": "<-", "↔": "<->", "×": "x", "·": ".", "—": "-", "–": "-", "−": "-", "…": "...",
          "≤": "<=", "≥": ">=", "≠": "!=", "‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"'}


def _ascii(text: str) -> str:
    """``text`` in printable ASCII: accents dropped (é → e), a few symbols spelled out (→ → ->),
    anything else '?'; whitespace is kept."""
    text = unicodedata.normalize("NFKD", "".join(_ASCII.get(c, c) for c in str(text)))
    return "".join(c if " " <= c <= "~" or c in "\t\n\r" else ("" if unicodedata.combining(c) else "?")
                   for c in text)


def gambit_safe_label(text: str) -> str:
    """A label as Gambit 16.7 accepts it: printable ASCII and single spaces, no space at either
    end (players, strategies, information sets, moves, outcomes and nodes are checked).

    >>> gambit_safe_label("  Transfer → Enable\tnow  é ")
    'Transfer -> Enable now e'
    """
    return " ".join(_ascii(text).split())


def _quote(text: str) -> str:
    """A quoted string as Gambit reads it: ``\\"`` for a quote; a backslash is written as it is
    (Gambit keeps ``\\wedge`` as it is) unless a quote, a backslash or the end follows it."""
    text = str(text)
    out = []
    for k, c in enumerate(text):
        if c == '"':
            out.append('\\"')
        elif c == "\\" and (k + 1 == len(text) or text[k + 1] in '"\\'):
            out.append("\\\\")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _label(text: str) -> str:
    return _quote(gambit_safe_label(text))


def _number(value) -> str:
    """Exact text for a number: ``3``, ``-1/3``; floats in positional decimal notation."""
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"cannot write the number {value} to a Gambit file")
        if value.is_integer():
            return str(int(value))
        return np.format_float_positional(value, trim="-")
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _chance_numbers(probs) -> list[str]:
    """Texts for one chance node's probabilities that sum to exactly 1 as Gambit reads them.

    Exact probabilities already do. Irrational ones arrive as floats, and their decimals, each
    rounded on its own, can miss 1 by an ulp; the last is then written as 1 minus the others."""
    texts = [_number(p) for p in probs]
    if not any(isinstance(p, (float, np.floating)) for p in probs) or len(texts) < 2:
        return texts
    rest = 1 - sum((Fraction(t) for t in texts[:-1]), Fraction(0))
    return texts[:-1] + [_number(rest)]


def holds_floats(game) -> bool:
    """Whether an evaluated game's numbers are floats: evaluation gives floats for the whole
    array once one value is irrational, and a Gambit file then gets them rounded."""
    arrays = (game.payoffs,) if isinstance(game, NormalFormGame) else (game.leaf_payoffs, game.chance_probs)
    return any(np.asarray(array).dtype.kind == "f" for array in arrays)


def _numeric(game):
    game = game.evaluated()
    if game.is_symbolic:
        raise ValueError("the game still has parameters without values; evaluate it before writing")
    return game


def write_nfg(game: NormalFormGame) -> str:
    """The game as an ``.nfg`` file (plain payoff list; exact numbers as ``a/b``).

    Labels are written as Gambit accepts them (:func:`gambit_safe_label`), the title in ASCII.
    """
    game = _numeric(game)
    n = game.num_players
    lines = [f"NFG 1 R {_quote(_ascii(game.title))} {{ {' '.join(_label(p) for p in game.players)} }}", ""]
    lines.append("{ " + "\n".join("{ " + " ".join(_label(s) for s in ss) + " }" for ss in game.strategies))
    lines.append("}")
    lines.append(_quote(game.info.description))
    lines.append("")
    values = []
    for profile in itertools.product(*[range(k) for k in reversed(game.shape)]):
        index = profile[::-1]
        values.extend(_number(game.payoffs[(i,) + index]) for i in range(n))
    lines.append(" ".join(values))
    return "\n".join(lines) + "\n"


def write_efg(game: ExtensiveGame) -> str:
    """The game as an ``.efg`` file, readable by Gambit 16.7 and by :func:`read_efg`.

    Each player's information sets are numbered in the order of ``game.infosets`` (Gambit itself
    renumbers them in depth-first order when it reads the file; so does :func:`read_efg`); each
    chance node gets its own chance information set; each leaf's payoffs become an outcome
    (leaves with zero payoffs and no outcome name get none). Nodes that were given names keep
    them. Labels are written as Gambit accepts them (:func:`gambit_safe_label`); where that
    makes two information sets of a player, or two nodes, share a label, the later ones are
    written without one (Gambit requires them to be unique).
    """
    game = _numeric(game)
    n = game.num_players
    lines = [f"EFG 2 R {_quote(_ascii(game.title))} {{ {' '.join(_label(p) for p in game.players)} }}",
             _quote(game.info.description), ""]
    numbers: dict[int, int] = {}
    names: dict[int, str] = {}
    for player in range(n):
        seen_names: set[str] = set()
        for k, h in enumerate(game.infosets_of(player), start=1):
            numbers[h] = k
            label = gambit_safe_label(game.infosets[h].label)
            names[h] = label if label not in seen_names else ""
            seen_names.add(label)
    defaults = game.default_node_ids()
    node_names: list[str] = []
    seen_nodes: set[str] = set()
    for node in range(game.num_nodes):
        label = gambit_safe_label(game.node_ids[node]) if game.node_ids[node] != defaults[node] else ""
        if label in seen_nodes:
            label = ""
        if label:
            seen_nodes.add(label)
        node_names.append(label)
    outcome_numbers: dict[tuple, int] = {}
    written_infosets: set[int] = set()
    chance_count = 0

    def outcome_text(node: int) -> str:
        values = tuple(game.leaf_payoffs[node, i] for i in range(n))
        name = gambit_safe_label(game.outcomes[node])
        if not name and all(v == 0 for v in values):
            return "0"
        key = (name, tuple(_number(v) for v in values))
        if key not in outcome_numbers:
            outcome_numbers[key] = len(outcome_numbers) + 1
        return f"{outcome_numbers[key]} {_quote(name)} {{ {', '.join(key[1])} }}"

    stack = [0]
    while stack:
        node = stack.pop()
        kind = int(game.node_player[node])
        children = list(game.children(node))
        stack.extend(reversed(children))
        label = _quote(node_names[node])
        if kind == TERMINAL:
            lines.append(f"t {label} {outcome_text(node)}")
        elif kind == CHANCE:
            chance_count += 1
            probs = _chance_numbers([game.chance_probs[c] for c in children])
            moves = " ".join(f"{_label(m)} {p}" for m, p in zip(game.node_moves[node], probs))
            lines.append(f'c {label} {chance_count} "" {{ {moves} }} 0')
        else:
            h = int(game.node_infoset[node])
            if h in written_infosets:
                lines.append(f"p {label} {kind + 1} {numbers[h]} 0")
            else:
                written_infosets.add(h)
                moves = " ".join(_label(m) for m in game.infosets[h].moves)
                lines.append(f"p {label} {kind + 1} {numbers[h]} {_quote(names[h])} {{ {moves} }} 0")
    return "\n".join(lines) + "\n"
