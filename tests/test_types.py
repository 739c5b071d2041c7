"""Players' types in game files (solver/io/types.py): the Harsanyi tree a ``types:`` section
builds, checked against the same game written as an explicit tree, and its errors."""
from __future__ import annotations

import pathlib
from fractions import Fraction as F

import numpy as np
import pytest

from solver import load_game, solve
from solver.io.located import GameFileError

BEER_QUICHE_TREE = """
title: Beer or quiche, written as a tree
players: [Sender, Receiver]
tree:
  player: chance
  probs: {strong: 0.9, weak: 0.1}
  moves:
    strong:
      player: Sender
      moves:
        Beer: {player: Receiver, infoset: Beer, moves: {Duel: {payoffs: [1, 0]}, Decline: {payoffs: [3, 1]}}}
        Quiche: {player: Receiver, infoset: Quiche, moves: {Duel: {payoffs: [0, 0]}, Decline: {payoffs: [2, 1]}}}
    weak:
      player: Sender
      moves:
        Beer: {player: Receiver, infoset: Beer, moves: {Duel: {payoffs: [0, 1]}, Decline: {payoffs: [2, 0]}}}
        Quiche: {player: Receiver, infoset: Quiche, moves: {Duel: {payoffs: [1, 1]}, Decline: {payoffs: [3, 0]}}}
"""


def _write(tmp_path: pathlib.Path, text: str, name: str = "game.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_types_build_the_harsanyi_tree_of_beer_quiche(tmp_path):
    staged = load_game("games/beer_quiche.yaml").evaluated()
    explicit = load_game(_write(tmp_path, BEER_QUICHE_TREE)).evaluated()
    assert staged.node_ids == explicit.node_ids
    assert [(s.label, s.player, s.moves, s.nodes) for s in staged.infosets] == \
           [(s.label, s.player, s.moves, s.nodes) for s in explicit.infosets]
    assert np.array_equal(staged.leaf_payoffs, explicit.leaf_payoffs)
    assert list(staged.chance_probs[1:3]) == [F(9, 10), F(1, 10)]


def test_the_receiver_does_not_see_the_type_and_the_sender_does():
    tree = load_game("games/beer_quiche.yaml")
    sizes = {s.label: len(s.nodes) for s in tree.infosets}
    assert sizes == {"strong": 1, "weak": 1, "Beer": 2, "Quiche": 2}


def test_every_solver_runs_on_a_game_with_types():
    """Nash through the reduced normal form: 2 pure (the two pooling profiles) among all."""
    solution = solve(load_game("games/beer_quiche.yaml"), concept="nash")
    labels = {e.label for e in solution.equilibria if e.pure}
    assert len(labels) >= 2 and solution.complete


SIMULTANEOUS = """
title: A Bayesian coordination game
players: [Ann, Bob]
parameters: {p: 0.5}
types:
  Ann: {eager: p, shy: 1 - p}
stages:
  - {player: Ann, moves: [Go, Stay]}
  - {player: Bob, moves: [Come, Skip]}
payoffs:
  Ann: "eager*Go*Come + shy*Stay"
  Bob: "Go*Come + Stay*Skip"
timing: simultaneous
"""


def test_simultaneous_types_observe_only_their_own_type(tmp_path):
    tree = load_game(_write(tmp_path, SIMULTANEOUS))
    by_player = {}
    for s in tree.infosets:
        by_player.setdefault(tree.players[s.player], []).append(len(s.nodes))
    assert by_player == {"Ann": [1, 1], "Bob": [4]}
    # Ann eager goes, shy stays; Bob comes iff Go is likelier: with p = 1/2 Bob is indifferent.
    solution = solve(tree, {"p": "3/4"}, concept="nash")
    assert any(e.strategies["Ann"]["eager"]["Go"] == 1 and e.strategies["Ann"]["shy"]["Stay"] == 1
               and e.strategies["Bob"][tree.infosets[2].label]["Come"] == 1 for e in solution.equilibria)


@pytest.mark.parametrize("body,message", [
    ("types:\n  Nobody: {a: 0.5, b: 0.5}\n", "'Nobody' is not a player"),
    ("types:\n  Ann: {a: 1}\n", "at least two types"),
    ("types:\n  Ann: {a: 0.7, b: 0.7}\n", "sum"),
])
def test_bad_types_are_one_line_errors_naming_the_line(tmp_path, body, message):
    text = ("title: t\nplayers: [Ann, Bob]\n" + body +
            "stages:\n  - {player: Ann, moves: [X, Y]}\n  - {player: Bob, moves: [L, R]}\npayoffs: {Ann: X, Bob: L}\n")
    with pytest.raises(GameFileError) as error:
        load_game(_write(tmp_path, text))
    assert message in str(error.value) and ":4" in str(error.value)


def test_types_need_a_stages_body(tmp_path):
    text = BEER_QUICHE_TREE + "types:\n  Sender: {strong: 0.9, weak: 0.1}\n"
    with pytest.raises(GameFileError, match="'types' needs a 'stages' body"):
        load_game(_write(tmp_path, text))


TWO_TYPED = """
title: Two privately informed players
players: [Ann, Bob]
types:
  Ann: {a1: 0.5, a2: 0.5}
  Bob: {b1: 0.25, b2: 0.75}
stages:
  - {player: Ann, moves: [X, Y]}
  - {player: Bob, moves: [L, R]}
payoffs:
  Ann: "a1*X*L + a2*Y*R"
  Bob: "b1*L + b2*R*X"
"""


def test_each_player_sees_its_own_type_only(tmp_path):
    """Ann's sets: one per own type (2 nodes each: Bob's type unseen); Bob sees Ann's move and his
    own type, not hers: 2 moves × 2 own types = 4 sets of 2 nodes each."""
    tree = load_game(_write(tmp_path, TWO_TYPED))
    sizes = sorted((tree.players[s.player], len(s.nodes)) for s in tree.infosets)
    assert sizes == [("Ann", 2), ("Ann", 2)] + [("Bob", 2)] * 4
    assert sorted(str(p) for p in tree.evaluated().chance_probs[1:7]) == ["1/2", "1/2", "1/4", "1/4", "3/4", "3/4"]
