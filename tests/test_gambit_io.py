"""Reading and writing Gambit's .nfg/.efg files, and writing YAML game files.

Known values come from small hand-written files (payoffs worked out by hand); round trips go
file → model → file → model on the vendored Gambit files (tests/data/gambit) and the example
games; Gambit itself (pygambit, when installed) reads back what we write.
"""
from __future__ import annotations

import glob
import io
import json
import os
import re
from fractions import Fraction
from pathlib import Path
import tempfile

import numpy as np
import pytest
import sympy

from solver.api import load_game, solve
from solver.io.gambit import (gambit_safe_label, load_gambit, parse_efg, parse_nfg, read_efg, read_nfg, write_efg,
                               write_nfg)
from solver.io.yamlfile import GameFileError, load_yaml_game
from solver.io.yamlwrite import write_yaml
from solver.model.normal import GameInfo, NormalFormGame
from solver.model.reduce import reduced_normal_form
from solver.model.tree import CHANCE, TERMINAL, Chance, Decision, ExtensiveGame, Terminal, build_tree

DATA = Path(__file__).parent / "data" / "gambit"
CORPUS = Path(os.environ.get("GAMBIT_CORPUS", Path(__file__).resolve().parent / "data" / "gambit"))
ROOT = Path(__file__).parent.parent
#: The files the round-trip and reading tests use: a selection that covers every feature of the
#: formats (tests/data/gambit/README.md); test_corpus.py checks all 235 against Gambit's answers.
VENDORED = (DATA / "selection.txt").read_text().split()
VENDORED_NFG = [p for p in VENDORED if p.endswith(".nfg")]
VENDORED_EFG = [p for p in VENDORED if p.endswith(".efg")]
EXAMPLES = sorted(glob.glob(str(ROOT / "games" / "*.yaml")))
try:
    import pygambit  # noqa: F401  (optional peer: Gambit reading our files back)
    HAVE_PYGAMBIT = True
except ImportError:
    HAVE_PYGAMBIT = False
F = Fraction


# ---- comparisons --------------------------------------------------------------------------------
def _numbers(array) -> list:
    return [F(str(v)) if isinstance(v, sympy.Basic) else F(v) for v in np.asarray(array, dtype=object).flat]


def _same(text):
    return text


def assert_same_normal(a: NormalFormGame, b: NormalFormGame, label=_same):
    """``label`` maps a's labels to b's (for files that Gambit's label rules changed)."""
    assert tuple(map(label, a.players)) == b.players
    assert tuple(tuple(map(label, s)) for s in a.strategies) == b.strategies
    assert a.payoffs.shape == b.payoffs.shape
    assert _numbers(a.evaluated().payoffs) == _numbers(b.evaluated().payoffs)


def tree_summary(game: ExtensiveGame, infoset_order: bool = True, label=_same) -> dict:
    """Everything that makes two trees the same game, as plain comparable values; ``label`` is
    applied to every label."""
    game = game.evaluated()
    infosets = [(label(s.label), s.player, tuple(map(label, s.moves)), tuple(sorted(s.nodes))) for s in game.infosets]
    return {
        "players": tuple(map(label, game.players)),
        "parent": game.parent.tolist(),
        "node_player": game.node_player.tolist(),
        "children": [list(game.children(n)) for n in range(game.num_nodes)],
        "move_index": game.move_index.tolist(),
        "node_moves": [tuple(map(label, m)) for m in game.node_moves],
        "node_infoset_label": [label(game.infosets[h].label) if h >= 0 else None for h in game.node_infoset],
        "infosets": infosets if infoset_order else sorted(infosets),
        "chance_probs": _numbers(game.chance_probs),
        "leaf_payoffs": _numbers(game.leaf_payoffs),
        "outcomes": tuple(map(label, game.outcomes)),
        "node_ids": tuple(map(label, game.node_ids)),
        "title": game.info.title,
    }


def assert_same_tree(a: ExtensiveGame, b: ExtensiveGame, infoset_order: bool = True, label=_same):
    left, right = tree_summary(a, infoset_order, label), tree_summary(b, infoset_order)
    for key in left:
        assert left[key] == right[key], key


def reread(text: str, suffix: str, tmp_path: Path, name: str = "game"):
    path = tmp_path / f"{name}{suffix}"
    path.write_text(text, encoding="utf-8")
    if suffix == ".yaml":
        return load_yaml_game(str(path))
    return load_gambit(str(path))


# ---- .nfg: known values -------------------------------------------------------------------------
def test_nfg_payoff_list_player_one_fastest_and_exact_numbers():
    text = '''NFG 1 R "A game" { "Row" "Column" }
    { { "U" "D" } { "L" "M" "R" } }
    "a comment"
    1 2   3 4   0.1 -1/3   5 6   7 8   9 10
    '''
    game = parse_nfg(text, "x.nfg")
    assert game.players == ("Row", "Column")
    assert game.strategies == (("U", "D"), ("L", "M", "R"))
    assert game.info == GameInfo(title="A game", description="a comment", path="x.nfg")
    # profiles in the file: (U,L) (D,L) (U,M) (D,M) (U,R) (D,R)
    assert game.payoffs[0].tolist() == [[1, F(1, 10), 7], [3, 5, 9]]
    assert game.payoffs[1].tolist() == [[2, F(-1, 3), 8], [4, 6, 10]]
    assert all(type(v) is Fraction for v in game.payoffs.flat)
    assert game.payoffs.dtype == object and game.is_exact


def test_nfg_outcome_form_with_null_outcome_and_commas():
    text = '''NFG 1 D "Outcomes" { "A" "B" "C" } { { "a1" "a2" } { "b1" "b2" } { "c1" "c2" } } ""
    { { "win" 1, 2, 3 } { "" 4.5 , 5 , 6 } }
    1 0 2 0 0 0 0 1
    '''
    game = parse_nfg(text)
    assert game.shape == (2, 2, 2)
    assert [game.payoffs[(i, 0, 0, 0)] for i in range(3)] == [1, 2, 3]
    assert [game.payoffs[(i, 0, 1, 0)] for i in range(3)] == [F(9, 2), 5, 6]   # third profile: (a1, b2, c1)
    assert [game.payoffs[(i, 1, 1, 1)] for i in range(3)] == [1, 2, 3]        # last profile
    assert [game.payoffs[(i, 1, 0, 0)] for i in range(3)] == [0, 0, 0]        # outcome 0


def test_nfg_strategy_counts_and_label_repairs():
    game = parse_nfg('NFG 1 R "" { "" "P" } { 2 3 } ' + " ".join(["0"] * 12))
    assert game.players == ("Player 1", "P")
    assert game.strategies == (("s1", "s2"), ("s1", "s2", "s3"))
    assert parse_nfg(write_nfg(game)).strategies == game.strategies           # written back as labels
    game = parse_nfg('NFG 1 R "" { "X" "X" } { { "a" "" } { "d" "d" "e" } } ' + " ".join(["0"] * 12))
    assert game.players == ("X_1", "X_2")                      # Gambit's suffixes for repeats
    assert game.strategies == (("a", "2"), ("d_1", "d_2", "e"))


def test_nfg_string_escapes():
    game = parse_nfg(r'NFG 1 R "say \"hi\"" { "A\\B" "C" } { { "x" } { "y" } } 1 2')
    assert game.title == 'say "hi"'
    assert game.players == ("A\\B", "C")
    again = parse_nfg(write_nfg(game))
    assert_same_normal(game, again)
    assert again.title == game.title


# ---- .efg: known values -------------------------------------------------------------------------
POKER = '''EFG 2 R "Poker" { "Fred" "Alice" }
"one-card poker"

c "" 1 "" { "Red" 1/2 "Black" 0.5 } 0
p "" 1 1 "" { "Raise" "Fold" } 0
p "" 2 1 "" { "Meet" "Pass" } 0
t "" 1 "Win Big" { 2, -2 }
t "" 2 "Win" { 1, -1 }
t "" 2 "Win" { 1, -1 }
p "" 1 2 "" { "Raise" "Fold" } 0
p "" 2 1 0
t "" 3 "Lose Big" { -2, 2 }
t "" 2
t "" 4 "Lose" { -1, 1 }
'''


def test_efg_poker_structure_and_values():
    game = parse_efg(POKER, "poker.efg")
    assert game.players == ("Fred", "Alice")
    assert game.info.title == "Poker" and game.info.description == "one-card poker"
    assert game.num_nodes == 11
    assert [s.label for s in game.infosets] == ["Fred:1", "Fred:2", "Alice:1"]
    alice = game.infosets[2]
    assert alice.player == 1 and len(alice.nodes) == 2 and alice.moves == ("Meet", "Pass")
    assert game.node_moves[0] == ("Red", "Black")
    assert [game.chance_probs[c] for c in game.children(0)] == [F(1, 2), F(1, 2)]
    leaves = {game.node_ids[n]: (tuple(game.leaf_payoffs[n]), game.outcomes[n]) for n in game.terminal_nodes()}
    assert leaves["Red/Raise/Meet"] == ((2, -2), "Win Big")
    assert leaves["Black/Raise/Pass"] == ((1, -1), "Win")     # outcome 2 reused without payoffs
    assert leaves["Black/Fold"] == ((-1, 1), "Lose")
    reduced = reduced_normal_form(game)
    assert [s.gambit_label for s in reduced.strategies[0]] == ["11", "12", "21", "22"]
    # Fred raises on Red and folds on Black ("12") against Alice meeting: (2 - 1)/2
    assert reduced.game.payoffs[0][1, 0] == F(1, 2)


def test_efg_outcomes_on_inner_nodes_are_added_below():
    text = '''EFG 2 R "" { "A" "B" } ""
    p "" 1 1 "" { "x" "y" } 1 "entry fee" { -1, 0 }
    p "" 2 1 "" { "l" "r" } 2 "bonus" { 0, 1/2 }
    t "" 3 "" { 5, 5 }
    t "" 0
    t "" 4 "end" { 1, 1 }
    '''
    game = parse_efg(text)
    payoffs = {game.node_ids[n]: tuple(game.leaf_payoffs[n]) for n in game.terminal_nodes()}
    assert payoffs == {"x/l": (4, F(11, 2)), "x/r": (-1, F(1, 2)), "y": (0, 1)}
    assert all(v == 0 for n in range(game.num_nodes) if not game.is_terminal(n) for v in game.leaf_payoffs[n])


def test_efg_infosets_in_gambit_order_and_labels():
    # The root is information set 2 in the file; Gambit numbers it first (order of appearance).
    text = '''EFG 2 R "" { "1" "2" } ""
    p "" 1 2 "" { "L" "R" } 0
    p "" 2 3 "" { "A" "B" } 0
    p "" 1 1 "" { "l" "r" } 0
    t "" 1 "" { 0 0 }
    t "" 2 "" { 2 4 }
    p "" 1 1 0
    t "" 3 "" { 4 2 }
    t "" 4 "" { 0 0 }
    t "" 5 "" { 0 0 }
    '''
    game = parse_efg(text)
    # file numbers 2, 1; the unnamed first decision is "root", as in tree and staged files
    assert [game.infosets[h].label for h in game.infosets_of(0)] == ["root", "1:2"]
    reduced = reduced_normal_form(game)
    assert [s.gambit_label for s in reduced.strategies[0]] == ["11", "12", "2*"]


def test_efg_label_repairs():
    text = '''EFG 2 R "" { "" "Bob" } ""
    p "root" 1 1 "same" { "" "" "go" } 0
    p "" 2 1 "same" { "a" "a" } 0
    t "" 1 "" { 1 1 }
    t "" 1
    t "" 0
    p "" 2 2 "own" { "x" } 0
    t "" 0
    '''
    game = parse_efg(text)
    assert game.players == ("Player 1", "Bob")
    assert game.node_ids[0] == "root"
    labels = {game.infosets[h].label: game.infosets[h].moves for h in range(len(game.infosets))}
    # "same" names two information sets: both get "player:number"; "own" is unique
    assert labels == {"Player 1:1": ("1", "2", "go"), "Bob:1": ("a_1", "a_2"), "own": ("x",)}


def test_efg_chance_information_set_reused():
    text = '''EFG 2 R "" { "A" "B" } ""
    c "" 1 "nature" { "h" 1/3 "t" 2/3 } 0
    c "" 1 0
    t "" 1 "" { 1 0 }
    t "" 2 "" { 2 0 }
    t "" 3 "" { 3 0 }
    '''
    game = parse_efg(text)
    assert game.num_nodes == 5
    assert [game.chance_probs[c] for c in game.children(1)] == [F(1, 3), F(2, 3)]
    assert game.check_probabilities() == []


def test_load_gambit_dispatch(tmp_path):
    nfg = tmp_path / "a.nfg"
    nfg.write_text('NFG 1 R "t" { "A" } { 2 } 1 2')
    assert isinstance(load_gambit(str(nfg)), NormalFormGame)
    other = tmp_path / "a.game"
    other.write_text(POKER)
    assert isinstance(load_gambit(str(other)), ExtensiveGame)
    assert load_gambit(str(nfg)).info.path == str(nfg)


# ---- errors ---------------------------------------------------------------------------------------
NFG_ERRORS = [
    ('NFG 1 R "t" { "A" "B" }\n{ 2 2 }\n1 2 3 4 5 6 7', 3, "payoffs", "expected 8 payoffs"),
    ('NFG 1 R "t" { "A" "B" }\n{ 2 2 }\n1 2 3 4 5 6 7 8\n9', 4, "payoffs", "after the last payoff"),
    ('NFG 1 R "t" { "A" "B" }\n{ 2 2 }\n1 2 3 x 5 6 7 8', 3, "payoffs", "found 'x'"),
    ('NFG 1 R "t" { "A" "B" }\n{ 2 2 }\n1 2 3 1/0 5 6 7 8', 3, "payoffs", "expected a payoff"),
    ('NFG 1 R "t" { "A" "B" }\n{ 2 2 }\n{ { "" 1 2 } }\n1 1 1 2', 4, "payoffs", "outcome 2 is not defined"),
    ('NFG 1 R "t" { "A" "B" }\n{ 2 2 }\n{ { "" 1 2 3 } }\n1 1 1 1', 3, "outcomes", "expected 2"),
    ('NFG 1 R "t" { "A" "B" }\n{ 2 }\n1 2 3 4', 2, "strategies", "2 players"),
    ('NFG 1 R "t" { "A" "B" }\n{ { "a" } {  } }\n1 2', 2, "strategies", "no strategies"),
    ('NFG 2 R "t" { "A" }', 1, "header", "version 1"),
    ('EFG 2 R "t" { "A" }', 1, "header", "looks like an .efg file"),
    ('NFG 1 R "t" { "A" } { 1 } 1 @', 1, "", "unexpected text '@'"),
    ('NFG 1 R "t" { "A" }\n{ 1 }\n"open', 3, "", "never closed"),
    ('', 1, "header", "found the end of the file"),
    ('NFG 1 R "t" { "A" "B" }\n{ 100000 100000 }\n1 2', 2, "strategies", "20000000000 payoffs; the limit is"),
    ('NFG 1 R "t" { "A" }\n{ 1 }\n1e999999999', 3, "payoffs", "out of range"),
]

EFG_ERRORS = [
    ('EFG 2 R "" { "A" }\np "" 2 1 "" { "a" } 0\nt "" 0', 2, "node 1", "player 2 does not exist"),
    ('EFG 2 R "" { "A" }\np "" 1 1 "" { "a" "b" } 0\nt "" 0\np "" 1 2 0', 4, "node 3", "needs its name and moves"),
    ('EFG 2 R "" { "A" }\np "" 1 1 "" { "a" "b" } 0\nt "" 0', 3, "node 3", "ends before the tree is complete"),
    ('EFG 2 R "" { "A" }\np "" 1 1 "" { "a" } 0\nt "" 0\nt "" 0', 4, "node 3", "already complete"),
    ('EFG 2 R "" { "A" "B" }\np "" 1 1 "" { "a" } 0\nt "" 1 "" { 1 2 3 }', 3, "node 2", "expected 2"),
    ('EFG 2 R "" { "A" }\nc "" 1 "" { "a" x "b" 1/2 } 0\nt "" 0\nt "" 0', 2, "node 1", "found 'x'"),
    ('EFG 2 R "" { "A" }\nc "" 1 "" { "a" "b" 1/2 } 0\nt "" 0\nt "" 0', 2, "node 1", "probability"),
    ('EFG 2 R "" { "A" }\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 }\nt "" 1 "o" { 2 }', 4, "node 3", "differ from its definition on line 3"),
    ('EFG 2 R "" { "A" }\np "" 1 1 "" { "a" "b" } 0\nt "" 1\nt "" 0', 3, "node 2", "used before its payoffs"),
    ('EFG 2 R "" { "A" }\np "" 1 1 "" { "a" "b" } 0\np "" 1 1 "" { "a" } 0\nt "" 0\nt "" 0', 3, "node 2", "has 2 moves"),
    ('EFG 2 R "" { "A" }\nq "" 1 1 "" { "a" } 0', 2, "node 1", "expected a node"),
    ('EFG 2 R "" { "A" }\np "" 1 0 "" { "a" } 0\nt "" 0', 2, "node 1", "at least 1"),
    ('EFG 2 R "" { "A" }\nt "" 0 "x" { 1 }', 2, "node 1", "cannot have a name or payoffs"),
    ('EFG 2 R "" { "A" }\n', 2, "nodes", "no nodes"),
    ('EFG 2 R "" { }\nt "" 0', 1, "players", "at least one player"),
]


@pytest.mark.parametrize("text, line, key, message", NFG_ERRORS + EFG_ERRORS)
def test_malformed_files_raise_game_file_error(tmp_path, text, line, key, message):
    suffix = ".efg" if text.startswith("EFG") and "looks like" not in message else ".nfg"
    path = tmp_path / f"bad{suffix}"
    path.write_text(text)
    with pytest.raises(GameFileError) as info:
        load_gambit(str(path))
    error = info.value
    assert error.path == str(path)
    assert error.line == line, str(error)
    assert error.key == key, str(error)
    assert message in error.message, str(error)
    assert str(error).startswith(f"{path}:{line}: ")


def test_mutated_files_give_game_file_errors_only():
    """Random damage to real files (deleted spans, stray characters, truncation, repeated lines)
    either still parses or raises GameFileError with a line: never another exception."""
    import random
    rng = random.Random(2024)
    texts = [(name, (DATA / name).read_text()) for name in VENDORED]
    characters = '{}"0123456789/.-+eE \n,abcpt\\'
    for _ in range(400):
        name, text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(text) + 1)
            operation = rng.random()
            if operation < 0.4:
                text = text[:k] + text[k + rng.randint(1, 8):]
            elif operation < 0.8:
                text = text[:k] + rng.choice(characters) + text[k:]
            elif operation < 0.9:
                text = text[:k]
            else:
                lines = text.split("\n")
                i = rng.randrange(len(lines))
                text = "\n".join(lines[:i + 1] + lines[i:])
        parse = parse_nfg if name.endswith(".nfg") else parse_efg
        try:
            parse(text, name)
        except GameFileError as error:
            assert error.line is not None and error.line >= 1


def test_deep_tree():
    depth = 3000
    text = 'EFG 2 R "deep" { "A" "B" } ""\n' + "".join(
        f'p "" {1 + k % 2} {k // 2 + 1} "" {{ "stop" "go" }} 0\nt "" 0\n' for k in range(depth)) + 't "" 1 "end" { 1, 1 }\n'
    game = parse_efg(text)
    assert game.num_nodes == 2 * depth + 1
    assert tuple(game.leaf_payoffs[game.num_nodes - 1]) == (1, 1)
    assert_same_tree(game, parse_efg(write_efg(game)))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(GameFileError, match="no such file"):
        read_nfg(str(tmp_path / "none.nfg"))
    with pytest.raises(GameFileError, match="is a directory"):
        read_efg(str(tmp_path))
    other = tmp_path / "x.txt"
    other.write_text("hello")
    with pytest.raises(GameFileError) as info:
        load_gambit(str(other))
    assert info.value.line == 1


# ---- round trips through our own reader ----------------------------------------------------------
@pytest.mark.parametrize("name", VENDORED_NFG)
def test_nfg_round_trip(name, tmp_path):
    game = read_nfg(str(DATA / name))
    text = write_nfg(game)
    again = reread(text, ".nfg", tmp_path)
    assert_same_normal(game, again)
    assert again.title == game.title and again.info.description == game.info.description
    assert write_nfg(again) == text


@pytest.mark.parametrize("name", VENDORED_EFG)
def test_efg_round_trip(name, tmp_path):
    game = read_efg(str(DATA / name))
    text = write_efg(game)
    again = reread(text, ".efg", tmp_path)
    assert_same_tree(game, again)
    assert again.info.description == game.info.description
    assert write_efg(again) == text
    first = reduced_normal_form(game)
    second = reduced_normal_form(again)
    assert [[s.gambit_label for s in ss] for ss in first.strategies] == [[s.gambit_label for s in ss] for ss in second.strategies]
    assert _numbers(first.game.payoffs) == _numbers(second.game.payoffs)


@pytest.mark.parametrize("name, layout", [(n, "arrays") for n in VENDORED] + [(n, "nested") for n in VENDORED_NFG])
def test_yaml_round_trip_of_gambit_files(name, layout, tmp_path):
    game = load_gambit(str(DATA / name))
    again = reread(write_yaml(game, layout=layout), ".yaml", tmp_path)
    if isinstance(game, NormalFormGame):
        assert_same_normal(game, again)
    else:
        # YAML keeps no information-set order (the reader takes breadth-first order)
        assert_same_tree(game, again, infoset_order=False)
    assert again.info.title == game.info.title
    assert again.info.description == game.info.description


def _same_expression(a, b) -> bool:
    return sympy.simplify(sympy.sympify(a) - sympy.sympify(b)) == 0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: os.path.basename(p))
def test_yaml_round_trip_of_example_games(path, tmp_path):
    game = load_yaml_game(path)
    again = reread(write_yaml(game), ".yaml", tmp_path)
    assert again.info.parameters == game.info.parameters
    assert again.players == game.players
    if isinstance(game, NormalFormGame):
        assert again.strategies == game.strategies
        assert all(_same_expression(a, b) for a, b in zip(game.payoffs.flat, again.payoffs.flat))
        assert_same_normal(game.evaluated(), again.evaluated())
    else:
        assert all(_same_expression(a, b) for a, b in zip(game.leaf_payoffs.flat, again.leaf_payoffs.flat))
        assert all(_same_expression(a, b) for a, b in zip(game.chance_probs.flat, again.chance_probs.flat))
        assert_same_tree(game, again, infoset_order=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: os.path.basename(p))
def test_gambit_round_trip_of_example_games(path, tmp_path):
    game = load_yaml_game(path).evaluated()
    if isinstance(game, NormalFormGame):
        again = reread(write_nfg(game), ".nfg", tmp_path)
        assert_same_normal(game, again, label=gambit_safe_label)
    else:
        again = reread(write_efg(game), ".efg", tmp_path)
        # Information sets are renumbered in depth-first order, as Gambit does; labels are
        # written as Gambit accepts them (ASCII, single spaces).
        assert_same_tree(game, again, infoset_order=False, label=gambit_safe_label)


def test_yaml_writer_nested_layout_and_exact_numbers(tmp_path):
    game = NormalFormGame.from_arrays(["Row", "Col"], [["up", "1"], ["yes", "null"]],
                                      [[[F(1, 3), -2], [0, F(-7, 4)]], [[1, 2], [3, 4]]])
    text = write_yaml(game, layout="nested")
    assert "1/3" in text and "-7/4" in text
    assert "up:" in text
    assert_same_normal(game, reread(text, ".yaml", tmp_path))
    # strategy names that are player names would be read as arrays: the writer uses arrays
    tricky = NormalFormGame.from_arrays(["A", "B"], [["A", "B"], ["x", "y"]], [[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
    assert_same_normal(tricky, reread(write_yaml(tricky, layout="nested"), ".yaml", tmp_path, "tricky"))


def test_yaml_writer_refuses_what_a_file_cannot_say():
    game = NormalFormGame.from_arrays(["chance", "B"], [["a"], ["b"]], [[[1]], [[2]]])
    with pytest.raises(ValueError, match="reserved"):
        write_yaml(game)
    with pytest.raises(ValueError, match="layout"):
        write_yaml(NormalFormGame.from_arrays(["A"], [["a"]], [[1]]), layout="rows")


def test_writers_for_a_built_tree(tmp_path):
    spec = Decision("Entrant", {
        "out": Terminal((0, 2), outcome="stay out"),
        "in": Chance({"good": F(1, 3), "bad": F(2, 3)}, {
            "good": Decision("Incumbent", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))}, infoset="after entry"),
            "bad": Decision("Incumbent", {"fight": Terminal((-2, F(1, 2))), "accommodate": Terminal((F(3, 2), 0))}, infoset="after entry"),
        }),
    })
    game = build_tree(["Entrant", "Incumbent"], spec, GameInfo(title='Entry "deterrence"')).evaluated()
    again = reread(write_efg(game), ".efg", tmp_path)
    assert_same_tree(game, again, infoset_order=False)
    again = reread(write_yaml(game), ".yaml", tmp_path)
    assert_same_tree(game, again, infoset_order=False)


# ---- Gambit reads what we write -------------------------------------------------------------------
def _gambit_number(value) -> Fraction:
    return Fraction(str(value))


def assert_gambit_reads_normal(game: NormalFormGame, text: str):
    gbt = pytest.importorskip("pygambit")
    theirs = gbt.read_nfg(io.StringIO(text))
    assert gambit_safe_label(theirs.title) == gambit_safe_label(game.title)   # titles are written in ASCII
    assert [p.label for p in theirs.players] == [gambit_safe_label(p) for p in game.players]
    assert [[s.label for s in p.strategies] for p in theirs.players] == [[gambit_safe_label(x) for x in s] for s in game.strategies]
    arrays = theirs.to_arrays()
    for i in range(game.num_players):
        assert [_gambit_number(v) for v in np.asarray(arrays[i]).flat] == _numbers(game.payoffs[i])


def assert_gambit_reads_tree(game: ExtensiveGame, text: str):
    gbt = pytest.importorskip("pygambit")
    theirs = gbt.read_efg(io.StringIO(text))
    game = game.evaluated()
    assert gambit_safe_label(theirs.title) == gambit_safe_label(game.title)   # titles are written in ASCII
    assert [p.label for p in theirs.players] == [gambit_safe_label(p) for p in game.players]
    matched: dict[int, object] = {}         # our information set -> Gambit's

    def walk(node: int, their_node, carried):
        if their_node.outcome:                # a NodeOutcome, false when there is none
            carried = [c + _gambit_number(their_node.outcome[p]) for c, p in zip(carried, theirs.players)]
        kind = int(game.node_player[node])
        children = list(game.children(node))
        their_children = list(their_node.children)
        assert len(children) == len(their_children)
        if kind == TERMINAL:
            assert their_node.is_terminal
            assert carried == [F(v) for v in game.leaf_payoffs[node]]
            return
        infoset = their_node.infoset
        assert [a.label for a in infoset.actions] == [gambit_safe_label(m) for m in game.node_moves[node]]
        if kind == CHANCE:
            assert their_node.player.is_chance
            assert [_gambit_number(a.prob) for a in infoset.actions] == [F(game.chance_probs[c]) for c in children]
        else:
            assert their_node.player.label == gambit_safe_label(game.players[kind])
            h = int(game.node_infoset[node])
            assert infoset.label == gambit_safe_label(game.infosets[h].label)
            if h in matched:
                assert matched[h] == infoset
            matched[h] = infoset
            assert len(infoset.members) == len(game.infosets[h].nodes)
        for child, their_child in zip(children, their_children):
            walk(child, their_child, carried)

    walk(0, theirs.root, [F(0)] * game.num_players)
    assert len(matched) == len(game.infosets) == len(theirs.infosets) - sum(
        1 for s in theirs.infosets if s.player.is_chance)


@pytest.mark.parametrize("name", VENDORED)
def test_pygambit_reads_our_files(name):
    game = load_gambit(str(DATA / name))
    if isinstance(game, NormalFormGame):
        assert_gambit_reads_normal(game, write_nfg(game))
    else:
        assert_gambit_reads_tree(game, write_efg(game))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: os.path.basename(p))
def test_pygambit_reads_example_games(path):
    game = load_yaml_game(path).evaluated()
    if isinstance(game, NormalFormGame):
        assert_gambit_reads_normal(game, write_nfg(game))
    else:
        assert_gambit_reads_tree(game, write_efg(game))


def test_pygambit_reads_awkward_labels():
    game = NormalFormGame.from_arrays(['say "hi"', "back\\slash"], [["é", "{ }"], ["1/2", "x  → y "]],
                                      [[[F(1, 3), -2], [0, F(-7, 4)]], [[1, 2], [3, 4]]],
                                      GameInfo(title='a "quoted" title'))
    text = write_nfg(game)
    assert '"e" "{ }"' in text and '"x -> y"' in text and '"say \\"hi\\""' in text
    assert_gambit_reads_normal(game, text)
    assert_same_normal(game, parse_nfg(text), label=gambit_safe_label)


# ---- the whole Gambit collection, when it is here --------------------------------------------------
def _corpus_files():
    reference = CORPUS / "reference.json"
    if not reference.is_file():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"no Gambit corpus at {CORPUS}"))]
    return [pytest.param(rel, entry, id=rel) for rel, entry in json.loads(reference.read_text()).items()]


@pytest.mark.parametrize("rel, entry", _corpus_files())
def test_corpus_round_trips(rel, entry, tmp_path):
    """Each file: written by us, read by us (same game), by Gambit (same game), and via YAML."""
    game = load_gambit(str(CORPUS / rel))
    if isinstance(game, NormalFormGame):
        text = write_nfg(game)
        assert_same_normal(game, parse_nfg(text), label=gambit_safe_label)
        assert_same_normal(game, reread(write_yaml(game), ".yaml", tmp_path))
    else:
        text = write_efg(game)
        assert_same_tree(game, parse_efg(text), label=gambit_safe_label)
        assert_same_tree(game, reread(write_yaml(game), ".yaml", tmp_path), infoset_order=False)
    if "load_error" in entry or not HAVE_PYGAMBIT:
        return                  # Gambit refuses the original (or is absent): our checks only
    if isinstance(game, NormalFormGame):
        assert_gambit_reads_normal(game, text)
    else:
        assert_gambit_reads_tree(game, text)


def test_the_first_decision_is_root_in_every_game_style():
    """One game (Ann moves, then Bob sees her move) written as a tree, as stages and as .efg: the
    JSON names Ann's unnamed first decision "root" in all three."""
    tree = """title: t
players: [Ann, Bob]
tree:
  player: Ann
  moves:
    l: {player: Bob, moves: {x: {payoffs: [1, 1]}, y: {payoffs: [0, 0]}}}
    r: {player: Bob, moves: {x: {payoffs: [0, 0]}, y: {payoffs: [2, 2]}}}
"""
    staged = """title: s
players: [Ann, Bob]
stages:
  - {player: Ann, moves: [l, r]}
  - {player: Bob, moves: [x, y]}
payoffs:
  Ann: l*x + 2*r*y
  Bob: l*x + 2*r*y
timing: sequential
"""
    efg = """EFG 2 R "" { "Ann" "Bob" } ""
p "" 1 1 "" { "l" "r" } 0
p "" 2 1 "" { "x" "y" } 0
t "" 1 "" { 1 1 }
t "" 2 "" { 0 0 }
p "" 2 2 "" { "x" "y" } 0
t "" 3 "" { 0 0 }
t "" 4 "" { 2 2 }
"""
    roots = set()
    for suffix, text in ((".yaml", tree), (".yaml", staged), (".efg", efg)):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"game{suffix}"
            path.write_text(text)
            data = solve(load_game(path)).to_dict()
        (ann_first,) = {tuple(e["strategies"]["Ann"]) for e in data["equilibria"]}
        roots.add(ann_first)
    assert roots == {("root",)}


@pytest.mark.parametrize("body, message", [
    ("1 2 3 4 5 6 7", "expected 8 payoffs (4 profiles × 2 players), found 7"),
    ('{ { "x" 1, 2 } } 1 1 1', "expected 4 outcome numbers (one per profile), found 3"),
])
def test_an_nfg_with_too_few_payoffs_says_how_many(tmp_path, body, message):
    path = tmp_path / "short.nfg"
    path.write_text(f'NFG 1 R "t" {{ "A" "B" }} {{ 2 2 }}\n{body}\n')
    with pytest.raises(GameFileError, match=re.escape(message)):
        read_nfg(str(path))


def test_nfg_payoffs_are_read_with_player_1_fastest():
    """Gambit's order (its manual, 'The strategic game file format'): profiles with player 1's
    strategy changing fastest, each profile's payoffs player by player."""
    game = parse_nfg('NFG 1 R "t" { "A" "B" } { 2 3 }\n' + " ".join(str(k) for k in range(12)))
    payoffs = np.asarray(game.payoffs)
    assert payoffs[0].tolist() == [[0, 4, 8], [2, 6, 10]] and payoffs[1].tolist() == [[1, 5, 9], [3, 7, 11]]
