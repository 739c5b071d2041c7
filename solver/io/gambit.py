"""Gambit's game files: ``.nfg`` (strategic form) and ``.efg`` (extensive form), read and written.

The formats are described in Gambit's documentation ("Game representation formats",
https://gambitproject.readthedocs.io/en/stable/formats.html). This is an independent reader and
writer: files are split into tokens (quoted strings, numbers, braces, words; commas count as
spaces), and every problem is reported as a :class:`~solver.io.yamlfile.GameFileError` naming the
file, the line and the part of the game (``"header"``, ``"strategies"``, ``"payoffs"``,
``"node 12"``, ...).

Numbers stay exact: ``3``, ``0.1`` and ``1/3`` become ``Fraction(3)``, ``Fraction(1, 10)`` and
``Fraction(1, 3)``, whether the file says ``R`` (rational) or ``D`` (decimal).

Strategic form (``NFG 1 R "title" { "P1" "P2" } ...``): strategies are given by labels
(``{ { "U" "D" } { "L" "R" } }``) or by counts (``{ 2 2 }``, labelled "s1", "s2", ...: see
:func:`counted_strategies`; written back as labels, so they read the same again); payoffs
either as one plain list (profile by profile, player 1's strategy changing fastest, one payoff per
player) or as a list of outcomes ``{ "name" u1 u2 }`` followed by one outcome number per profile
(0 = the null outcome, all payoffs zero).

Extensive form (``EFG 2 R "title" { "P1" "P2" } "comment"`` and then the nodes in depth-first
order)::

    c "label" infoset ["name" { "move" prob ... }] outcome ["name" { u1 u2 ... }]
    p "label" player infoset ["name" { "move" ... }] outcome ["name" { u1 u2 ... }]
    t "label" outcome ["name" { u1 u2 ... }]

An information set's name and moves are given the first time it appears. Outcomes on inner nodes
are added to the payoffs of every leaf below them. Information sets get labels unique within the
game (the name when it is unique, else ``"Player:number"``). Gambit 16.7 numbers each player's
information sets in the order they first appear in the file (a depth-first walk), whatever
numbers the file gives them; the model keeps each player's information sets in that order, so
that reduced strategies (:func:`solver.model.reduce.reduced_strategies`) are labelled as Gambit
labels them (``"2*1"``: one digit per information set, in that order).

>>> game = parse_nfg('NFG 1 R "PD" { "Row" "Col" } { { "C" "D" } { "C" "D" } } 3 3 5 0 0 5 1 1')
>>> game.strategies, game.payoffs[0].tolist()
((('C', 'D'), ('C', 'D')), [[Fraction(3, 1), Fraction(0, 1)], [Fraction(5, 1), Fraction(1, 1)]])
>>> print(write_nfg(game), end="")
NFG 1 R "PD" { "Row" "Col" }
<BLANKLINE>
{ { "C" "D" }
{ "C" "D" }
}
""
<BLANKLINE>
3 3 5 0 0 5 1 1
"""
from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Sequence

import numpy as np

from solver.core.limits import exceeded, limit, payoff_range_problem
from solver.model.expr import ExpressionError
from solver.model.normal import GameInfo, NormalFormGame, check_scale
from solver.model.tree import CHANCE, Chance, Decision, ExtensiveGame, Terminal, build_tree
from solver.io.gambit_write import gambit_safe_label, write_efg, write_nfg
from solver.io.located import read_bytes
from solver.io.yamlfile import GameFileError

__all__ = ["read_nfg", "read_efg", "parse_nfg", "parse_efg", "load_gambit", "write_nfg", "write_efg",
           "gambit_safe_label"]


# ---- tokens ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    kind: str        # "str", "num", "word", "{", "}", "end"
    text: str        # the string's content (unescaped), the number's or word's text
    line: int


_SCANNER = re.compile(r"""
    (?P<space>[ \t\r\f\v,]+)
  | (?P<newline>\n)
  | (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?(?![A-Za-z_.]))
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE | re.DOTALL)
_SMALL_INTEGER = re.compile(r"[+-]?\d{1,18}")     # within the payoff range whatever its value
_ESCAPE = re.compile(r'\\(["\\])')          # \" and \\; any other backslash stays as it is


def _tokenize(text: str, path: str) -> Iterator[_Token]:
    """The tokens of ``text``, made as the parser asks for them: a file whose header already
    breaks a limit is refused without scanning the rest (a 50 MB body would take a minute)."""
    line, position = 1, 0
    while position < len(text):
        match = _SCANNER.match(text, position)
        if match is None:
            if text[position] == '"':
                raise GameFileError(path, line, "", "a quoted string is never closed (missing '\"')")
            snippet = text[position:position + 20].split("\n")[0]
            raise GameFileError(path, line, "", f"unexpected text '{snippet}'")
        kind = match.lastgroup
        value = match.group()
        if kind == "str":
            yield _Token("str", _ESCAPE.sub(r"\1", value[1:-1]), line)
        elif kind == "num":
            yield _Token("num", value, line)
        elif kind == "open":
            yield _Token("{", value, line)
        elif kind == "close":
            yield _Token("}", value, line)
        elif kind == "word":
            yield _Token("word", value, line)
        line += value.count("\n")
        position = match.end()
    yield _Token("end", "", line)


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "the end of the file"
    if token.kind == "str":
        return f'the string "{token.text}"'
    if token.kind == "num":
        return f"the number {token.text}"
    if token.kind == "word":
        return f"'{token.text}'"
    return f"'{token.text}'"


class _Parser:
    """Tokens on demand: the lookahead is kept, consumed tokens are not (a 4-million-payoff file
    would otherwise hold every token in memory)."""

    def __init__(self, text: str, path: str):
        self.path = path
        self._scanner = _tokenize(text, path)
        self._ahead: deque[_Token] = deque()     # scanned, not yet consumed; "end" stays once reached
        self.previous: _Token | None = None      # the last token consumed

    def peek(self, ahead: int = 0) -> _Token:
        if ahead < len(self._ahead):
            return self._ahead[ahead]
        while len(self._ahead) <= ahead and not (self._ahead and self._ahead[-1].kind == "end"):
            self._ahead.append(next(self._scanner))
        return self._ahead[min(ahead, len(self._ahead) - 1)]

    def next(self) -> _Token:
        token = self.peek()
        if token.kind != "end":
            self._ahead.popleft()
        self.previous = token
        return token

    def fail(self, token: _Token | None, key: str, message: str):
        raise GameFileError(self.path, token.line if token else None, key, message)

    def expect(self, kind: str, key: str, what: str) -> _Token:
        token = self.next()
        if token.kind != kind:
            self.fail(token, key, f"expected {what}, found {_describe(token)}")
        return token

    def string(self, key: str, what: str) -> str:
        return self.expect("str", key, what).text

    def integer(self, key: str, what: str, low: int = 0) -> int:
        token = self.expect("num", key, what)
        if not re.fullmatch(r"\+?\d+", token.text):
            self.fail(token, key, f"expected {what}, found {_describe(token)}")
        if len(token.text) > 18:
            self.fail(token, key, f"expected {what}, found a number with {len(token.text)} digits")
        value = int(token.text)
        if value < low:
            self.fail(token, key, f"expected {what} (at least {low}), found {value}")
        return value

    def number(self, key: str, what: str) -> Fraction:
        token = self.next()
        if token.kind == "num" and _SMALL_INTEGER.fullmatch(token.text):      # the common case, quickly
            return Fraction(int(token.text))
        text = token.text if token.kind in ("num", "str") else None
        if text is not None:
            exponent = re.search(r"[eE]([+-]?\d+)", text)
            if (exponent and len(exponent.group(1)) > 6) or len(text) > 4000:
                self.fail(token, key, f"the number {text} is out of range")
            try:
                value = Fraction(text.strip())
            except (ValueError, ZeroDivisionError):
                pass
            else:
                problem = payoff_range_problem(value)
                if problem:
                    self.fail(token, key, f"the number {text} is out of range: {problem}")
                return value
        self.fail(token, key, f"expected {what}, found {_describe(token)}")

    def at(self, kind: str) -> bool:
        return self.peek().kind == kind


def _read_text(path: str) -> str:
    data = read_bytes(path, "a game file (.nfg or .efg)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _header(parser: _Parser, magic: str, version: str) -> tuple[str, list[str]]:
    """``NFG 1 R "title" { "P1" "P2" }``: the title and the player names (made unique)."""
    token = parser.next()
    if token.kind != "word" or token.text != magic:
        other = "EFG" if magic == "NFG" else "NFG"
        hint = f" (this looks like an .{other.lower()} file)" if token.kind == "word" and token.text == other else ""
        parser.fail(token, "header", f"expected the file to start with '{magic} {version} R'{hint}, found {_describe(token)}")
    token = parser.next()
    if token.kind != "num" or token.text != version:
        parser.fail(token, "header", f"expected format version {version} after '{magic}', found {_describe(token)}")
    token = parser.next()
    if token.kind != "word" or token.text not in ("R", "D"):
        parser.fail(token, "header", f"expected 'R' (rational) or 'D' (decimal) after '{magic} {version}', found {_describe(token)}")
    title = parser.string("header", "the title in quotes")
    parser.expect("{", "players", "'{' before the player names")
    names = []
    while not parser.at("}"):
        names.append(parser.string("players", "a player name in quotes, or '}'"))
    parser.next()
    if not names:
        parser.fail(parser.previous, "players", "expected at least one player")
    return title, _unique_players(names)


def _unique_players(names: Sequence[str]) -> list[str]:
    """Empty player names become "Player k"; repeated ones get Gambit's "_1", "_2" suffixes."""
    named = [name or f"Player {k}" for k, name in enumerate(names, start=1)]
    return list(_distinct(named))


#: Strategies given only by a count are labelled with this prefix and their position.
COUNTED_PREFIX = "s"


def _numbered(labels: Sequence[str]) -> tuple[str, ...]:
    """Strategy or move labels made usable: an empty label becomes its position ("1", "2", ...),
    a repeated one gets Gambit's occurrence suffixes ("defect_1", "defect_2")."""
    return _distinct([label or str(k) for k, label in enumerate(labels, start=1)])


def counted_strategies(count: int) -> tuple[str, ...]:
    """The labels of strategies a file gives only by number: "s1", "s2", ... (Gambit shows them
    as "1", "2", ...; :func:`gambit_strategy_position` maps ours back to that position)."""
    return tuple(f"{COUNTED_PREFIX}{k}" for k in range(1, count + 1))


def gambit_strategy_position(label: str) -> str:
    """Gambit's label ("2") for a strategy we labelled "s2"; other labels as they are."""
    rest = label[len(COUNTED_PREFIX):]
    return rest if label.startswith(COUNTED_PREFIX) and rest.isdigit() else label


def _distinct(labels: Sequence[str]) -> tuple[str, ...]:
    count: dict[str, int] = {}
    for label in labels:
        count[label] = count.get(label, 0) + 1
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        if count[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label}_{seen[label]}"
        result.append(label)
    if len(set(result)) < len(result):          # a suffix met an existing label: number them all
        return tuple(str(k) for k in range(1, len(labels) + 1))
    return tuple(result)


# ---- .nfg -------------------------------------------------------------------------------------
def read_nfg(path: str) -> NormalFormGame:
    """Read a Gambit strategic-form file (``.nfg``) into an exact :class:`NormalFormGame`."""
    return parse_nfg(_read_text(path), path)


def parse_nfg(text: str, path: str = "<string>") -> NormalFormGame:
    """Parse the text of an ``.nfg`` file; ``path`` is used in error messages and ``GameInfo``."""
    parser = _Parser(text, path)
    title, players = _header(parser, "NFG", "1")
    n = len(players)
    open_token = parser.expect("{", "strategies", "'{' before the strategies")
    strategies: list[tuple[str, ...]] = []
    if parser.at("num"):
        profiles = 1
        while parser.at("num"):
            token = parser.peek()
            count = parser.integer("strategies", "a number of strategies", low=1)
            profiles *= count
            if profiles * n > limit("MAX_PAYOFF_ENTRIES"):          # before any label is made
                parser.fail(token, "strategies", exceeded("MAX_PAYOFF_ENTRIES", f"the game would have at least {profiles * n} payoffs"))
            strategies.append(counted_strategies(count))
    else:
        profiles = 1
        while parser.at("{"):
            start = parser.next()
            labels = []
            while not parser.at("}"):
                token = parser.peek()
                labels.append(parser.string("strategies", "a strategy label in quotes, or '}'"))
                if profiles * len(labels) * n > limit("MAX_PAYOFF_ENTRIES"):     # before the rest is scanned
                    parser.fail(token, "strategies", exceeded(
                        "MAX_PAYOFF_ENTRIES", f"the game would have at least {profiles * len(labels) * n} payoffs"))
            parser.next()
            profiles *= max(1, len(labels))
            if not labels:
                parser.fail(start, "strategies", f"player '{players[len(strategies)] if len(strategies) < n else '?'}' has no strategies")
            strategies.append(_numbered(labels))
    close = parser.expect("}", "strategies", "'}' after the strategies")
    if len(strategies) != n:
        parser.fail(open_token if not strategies else close, "strategies",
                    f"expected the strategies of {n} players, found {len(strategies)}")
    description = parser.string("comment", "") if parser.at("str") else ""
    shape = tuple(len(s) for s in strategies)
    count = int(np.prod(shape, dtype=object))
    if count * n > limit("MAX_PAYOFF_ENTRIES"):
        parser.fail(close, "strategies", exceeded("MAX_PAYOFF_ENTRIES", f"the game has {count * n} payoffs ({count} profiles × {n} players)"))
    outcomes = _nfg_outcomes(parser, n) if parser.at("{") else None
    needed = count if outcomes is not None else count * n
    what = "outcome numbers (one per profile)" if outcomes is not None else f"payoffs ({count} profiles × {n} players)"
    flat = np.empty(count * n, dtype=object)       # in the file's order: player 1's strategy fastest
    for k in range(needed):
        token = parser.peek()
        if token.kind == "end":
            parser.fail(token, "payoffs", f"expected {needed} {what}, found {k}")
        if outcomes is None:
            flat[k] = parser.number("payoffs", "a payoff (a number such as 3, -0.5 or 1/3)")
            continue
        index = parser.integer("payoffs", f"an outcome number for each of the {count} strategy profiles")
        if index > len(outcomes):
            parser.fail(token, "payoffs", f"outcome {index} is not defined (there are {len(outcomes)} outcomes)")
        flat[k * n:(k + 1) * n] = outcomes[index - 1] if index else (Fraction(0),) * n
    # (s_n, …, s_1, player) → (player, s_1, …, s_n)
    order = (len(shape),) + tuple(range(len(shape) - 1, -1, -1))
    tensor = flat.reshape(tuple(reversed(shape)) + (n,)).transpose(order).copy()
    token = parser.peek()
    if token.kind != "end":
        what = "outcome number" if outcomes is not None else "payoff"
        parser.fail(token, "payoffs", f"unexpected {_describe(token)} after the last {what} "
                                      f"({count} profiles, {n} players)")
    info = GameInfo(title=title, description=description, path=path)
    try:
        check_scale(tensor, "payoffs")
    except ExpressionError as error:
        raise GameFileError(path, None, "payoffs", str(error)) from None
    return NormalFormGame(tuple(players), tuple(strategies), tensor, info)


def _nfg_outcomes(parser: _Parser, n: int) -> list[tuple[Fraction, ...]]:
    parser.next()
    outcomes = []
    while parser.at("{"):
        start = parser.next()
        if parser.at("str"):
            parser.next()
        values = []
        while not parser.at("}"):
            if parser.at("end"):
                parser.fail(parser.peek(), "outcomes", "an outcome is never closed (missing '}')")
            values.append(parser.number("outcomes", "a payoff (a number such as 3, -0.5 or 1/3)"))
        parser.next()
        if len(values) != n:
            parser.fail(start, "outcomes", f"outcome {len(outcomes) + 1} has {len(values)} payoffs, expected {n} (one per player)")
        outcomes.append(tuple(values))
    parser.expect("}", "outcomes", "'{' (an outcome) or '}' (the end of the outcomes)")
    return outcomes


# ---- .efg -------------------------------------------------------------------------------------
@dataclass
class _Infoset:
    number: int
    name: str
    moves: tuple[str, ...]
    probs: tuple[Fraction, ...] | None
    line: int
    label: str = ""


def read_efg(path: str) -> ExtensiveGame:
    """Read a Gambit extensive-form file (``.efg``) into an exact :class:`ExtensiveGame`."""
    return parse_efg(_read_text(path), path)


def parse_efg(text: str, path: str = "<string>") -> ExtensiveGame:
    """Parse the text of an ``.efg`` file; ``path`` is used in error messages and ``GameInfo``."""
    return _EfgReader(text, path).game()


class _EfgReader:
    """One ``.efg`` file: the nodes read in depth-first order, then numbered, linked and built."""

    def __init__(self, text: str, path: str):
        self.parser = _Parser(text, path)
        self.path = path
        self.title, self.players = _header(self.parser, "EFG", "2")
        self.n = len(self.players)
        self.description = self.parser.string("comment", "") if self.parser.at("str") else ""
        self.infosets: dict[tuple[int, int], _Infoset] = {}      # (player index or CHANCE, number)
        self.outcomes: dict[int, tuple] = {}
        self.records: list[tuple] = []                          # per node: kind, label, infoset key, outcome, line

    def game(self) -> ExtensiveGame:
        unread: list[int] = []          # per open ancestor of the next node: children still to read
        while not self.parser.at("end"):
            if len(self.records) >= limit("MAX_TREE_NODES"):
                self.parser.fail(self.parser.peek(), f"node {len(self.records) + 1}",
                                 exceeded("MAX_TREE_NODES", f"the tree has more than {len(self.records)} nodes"))
            record = self._node(len(self.records))
            if len(unread) > limit("MAX_TREE_DEPTH"):          # checked while reading: the rest is not scanned
                raise GameFileError(self.path, record[4], f"node {len(self.records) + 1}",
                                    exceeded("MAX_TREE_DEPTH", f"the tree is more than {len(unread) - 1} moves deep"))
            self.records.append(record)
            if unread:
                unread[-1] -= 1
            if record[0] != "t":
                unread.append(len(self.infosets[record[2]].moves))
            while unread and unread[-1] == 0:
                unread.pop()
        if not self.records:
            self.parser.fail(self.parser.peek(), "nodes", "the game has no nodes")
        order, gambit_number = self._gambit_numbers()
        self._label_infosets(order, gambit_number)
        specs = self._specs(self._children())
        info = GameInfo(title=self.title, description=self.description, path=self.path)
        try:
            tree = build_tree(self.players, specs[0], info).evaluated()
        except ExpressionError as error:
            raise GameFileError(self.path, None, "payoffs", str(error)) from None
        # build_tree lists information sets breadth first: put each player's in Gambit's order.
        number_of = {self.infosets[key].label: gambit_number[key] for key in order}
        ranked = sorted(range(len(tree.infosets)), key=lambda k: (tree.infosets[k].player, number_of[tree.infosets[k].label]))
        if ranked != list(range(len(ranked))):
            new_index = {old: new for new, old in enumerate(ranked)}
            node_infoset = np.array([new_index[k] if k >= 0 else -1 for k in tree.node_infoset], dtype=np.int64)
            tree = tree.with_changes(infosets=tuple(tree.infosets[k] for k in ranked), node_infoset=node_infoset)
        return tree

    def _payoff_list(self, key: str, number: int) -> tuple[Fraction, ...]:
        parser = self.parser
        start = parser.next()
        values = []
        while not parser.at("}"):
            if parser.at("end"):
                parser.fail(parser.peek(), key, "the payoffs are never closed (missing '}')")
            values.append(parser.number(key, "a payoff (a number such as 3, -0.5 or 1/3)"))
        parser.next()
        if len(values) != self.n:
            parser.fail(start, key, f"outcome {number} has {len(values)} payoffs, expected {self.n} (one per player)")
        return tuple(values)

    def _outcome(self, key: str):
        parser = self.parser
        token = parser.peek()
        number = parser.integer(key, "an outcome number (0 for none)")
        name = parser.next().text if parser.at("str") else None
        values = self._payoff_list(key, number) if parser.at("{") else None
        if number == 0:
            if name or (values is not None and any(values)):
                parser.fail(token, key, "outcome 0 means 'no outcome' and cannot have a name or payoffs")
            return None
        if number not in self.outcomes:
            if values is None:
                parser.fail(token, key, f"outcome {number} is used before its payoffs are given")
            self.outcomes[number] = (name or "", values, token.line)
            return self.outcomes[number]
        first_name, first_values, first_line = self.outcomes[number]
        if values is not None and values != first_values:
            parser.fail(token, key, f"outcome {number} has payoffs ({', '.join(map(str, values))}) that differ from "
                                    f"its definition on line {first_line} ({', '.join(map(str, first_values))})")
        if name is not None and name != first_name:
            parser.fail(token, key, f"outcome {number} is named '{name}' here but '{first_name}' on line {first_line}")
        return self.outcomes[number]

    def _moves(self, key: str, owner: int):
        parser = self.parser
        start = parser.next()
        moves, probs = [], []
        while not parser.at("}"):
            moves.append(parser.string(key, "a move label in quotes, or '}'"))
            if owner == CHANCE:
                probs.append(parser.number(key, "the probability of the chance move (a number such as 1/2 or 0.25)"))
        parser.next()
        if not moves:
            parser.fail(start, key, "a node needs at least one move")
        return moves, probs

    def _owner(self, kind: str, key: str) -> int:
        if kind == "c":
            return CHANCE
        player_token = self.parser.peek()
        player = self.parser.integer(key, "the player's number", low=1)
        if player > self.n:
            self.parser.fail(player_token, key, f"player {player} does not exist (the game has {self.n} players)")
        return player - 1

    def _node(self, index: int):
        parser = self.parser
        key = f"node {index + 1}"
        token = parser.next()
        if token.kind != "word" or token.text not in ("p", "c", "t"):
            parser.fail(token, key, f"expected a node ('p' player, 'c' chance or 't' terminal), found {_describe(token)}")
        label = parser.string(key, "the node's label in quotes")
        if token.text == "t":
            return ("t", label, None, self._outcome(key), token.line)
        owner = self._owner(token.text, key)
        number_token = parser.peek()
        number = parser.integer(key, "the information set's number", low=1)
        name = parser.next().text if parser.at("str") else None
        moves, probs = self._moves(key, owner) if parser.at("{") else (None, None)
        known = self.infosets.get((owner, number))
        whose = "chance" if owner == CHANCE else f"player {owner + 1}"
        if known is None:
            if moves is None:
                parser.fail(number_token, key, f"information set {number} of {whose} appears for the first "
                                               f"time here, so it needs its name and moves")
            known = _Infoset(number, name or "", tuple(moves), tuple(probs) if owner == CHANCE else None, number_token.line)
            self.infosets[(owner, number)] = known
        elif moves is not None and len(moves) != len(known.moves):
            parser.fail(number_token, key, f"information set {number} of {whose} has {len(known.moves)} moves "
                                           f"(line {known.line}), but {len(moves)} here")
        return (token.text, label, (owner, number), self._outcome(key), token.line)

    def _gambit_numbers(self):
        """Gambit (16.7) numbers each player's information sets in the order they first appear in
        a depth-first walk of the tree, which is the order of the file, whatever numbers the file
        uses; the model keeps that order, so reduced strategies read as Gambit's do."""
        order: list[tuple[int, int]] = []
        gambit_number: dict[tuple[int, int], int] = {}
        per_player = [0] * self.n
        for _, _, key, _, _ in self.records:
            if key is not None and key[0] != CHANCE and key not in gambit_number:
                per_player[key[0]] += 1
                gambit_number[key] = per_player[key[0]]
                order.append(key)
        return order, gambit_number

    def _label_infosets(self, order, gambit_number) -> None:
        """Labels unique in the game: the name, or "player:number" (Gambit's number) when the name
        is empty or shared, but "root" for an unnamed first decision, as in the other game styles;
        move labels numbered when empty or repeated."""
        root_key = self.records[0][2] if self.records else None
        name_count: dict[str, int] = {}
        for key in order:
            if self.infosets[key].name:
                name_count[self.infosets[key].name] = name_count.get(self.infosets[key].name, 0) + 1
        used = set()
        for key in sorted(order):
            s = self.infosets[key]
            if s.name and name_count[s.name] == 1:
                label = s.name
            elif key == root_key and not s.name and key[0] != CHANCE:
                label = "root"
            else:
                label = f"{self.players[key[0]]}:{gambit_number[key]}"
            while label in used:
                label += "'"
            used.add(label)
            s.label = label
        for s in self.infosets.values():
            s.moves = _numbered(s.moves)

    def _children(self) -> list[list[int]]:
        """Link the depth-first records into a tree: each inner node takes the next subtrees as its
        children, one per move (iteratively, since trees may be deep)."""
        records = self.records
        children_of: list[list[int]] = [[] for _ in records]
        depth = [0] * len(records)
        open_nodes: list[int] = []
        for index, (kind, _, _, _, line) in enumerate(records):
            if index > 0:
                if not open_nodes:
                    raise GameFileError(self.path, line, f"node {index + 1}", "the tree is already complete before "
                                        "this node (too many nodes, or a node with too few moves above)")
                parent = open_nodes[-1]
                children_of[parent].append(index)
                if len(children_of[parent]) == len(self.infosets[records[parent][2]].moves):
                    open_nodes.pop()
                depth[index] = depth[parent] + 1
                if depth[index] > limit("MAX_TREE_DEPTH"):
                    raise GameFileError(self.path, line, f"node {index + 1}",
                                        exceeded("MAX_TREE_DEPTH", f"the tree is more than {depth[parent]} moves deep"))
            if kind != "t":
                open_nodes.append(index)
        if open_nodes:
            self.parser.fail(self.parser.peek(), f"node {len(records) + 1}",
                             "the file ends before the tree is complete (a node is missing its children)")
        return children_of

    def _specs(self, children_of: list[list[int]]) -> list:
        """The nested node specs, built from the leaves up."""
        label_count: dict[str, int] = {}
        for record in self.records:
            label_count[record[1]] = label_count.get(record[1], 0) + 1
        zero = (Fraction(0),) * self.n
        specs: list = [None] * len(self.records)
        for index in reversed(range(len(self.records))):
            kind, label, key, outcome, _ = self.records[index]
            name = label if label and label_count[label] == 1 else None
            if kind == "t":
                specs[index] = Terminal(outcome[1] if outcome else zero, outcome[0] if outcome else "", name)
                continue
            s = self.infosets[key]
            children = {move: specs[c] for move, c in zip(s.moves, children_of[index])}
            own = outcome[1] if outcome else None
            if key[0] == CHANCE:
                specs[index] = Chance(dict(zip(s.moves, s.probs)), children, name, None, own)
            else:
                specs[index] = Decision(self.players[key[0]], children, s.label, name, own)
        return specs


# ---- dispatch ---------------------------------------------------------------------------------
def load_gambit(path: str):
    """Read ``.nfg`` or ``.efg`` by extension (or, failing that, by the file's first word)."""
    extension = os.path.splitext(path)[1].lower()
    if extension == ".nfg":
        return read_nfg(path)
    if extension == ".efg":
        return read_efg(path)
    text = _read_text(path)
    first = text.lstrip()[:3]
    if first == "NFG":
        return parse_nfg(text, path)
    if first == "EFG":
        return parse_efg(text, path)
    raise GameFileError(path, 1, "header", "not a Gambit game file: expected it to start with 'NFG' or 'EFG'")
