"""Every sentence of ``solve explain`` holds in the game it names.

The printed text is read back (numbers, names, the game each step names) and every claim is
recomputed here from the payoffs alone, by brute force written in this file: dominance by
enumerating the named game's profiles (and an independent elimination, with dominance by mixtures
decided through beliefs, Pearce's lemma), backward induction, the path, the moves off it and the
empty threats by walking the tree recursively, beliefs and indifference by summing over nodes,
mixed equilibria by expected payoffs. Nothing here calls the code that wrote the sentences except
to get the text (and ``where``, which names a node, to find the node a sentence is about).
"""
from __future__ import annotations

import glob
import itertools
import math
import os
import re
from fractions import Fraction

import numpy as np
import pytest
import sympy
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from solver.analysis.explanation import Explanation, dominance_part, explain_game
from solver.api import evaluate_game, load_game, parameter_values, solve
from solver.cli import main
from solver.model.normal import NormalFormGame
from solver.model.random_games import random_perfect_information_tree
from solver.model.tree import CHANCE, TERMINAL
from solver.present.explain import render, where
from solver.present.words import completeness_sentence, headline

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MINUS = "−"
GAME_FILES = sorted(glob.glob(os.path.join(ROOT, "games", "*.yaml"))
                    + glob.glob(os.path.join(ROOT, "examples", "classroom", "games", "*.yaml")))


def number(text: str) -> Fraction:
    return Fraction(text.strip().replace(MINUS, "-"))


def numbers(text: str) -> list[Fraction]:
    return [number(t) for t in text.split(", ")]


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def section(text: str, title: str) -> list[str]:
    """The lines of the numbered section called ``title`` (without its heading)."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if re.fullmatch(rf"\d+\. {re.escape(title)}", line):
            body = []
            for rest in lines[k + 2:]:
                if re.fullmatch(r"\d+\. .*", rest):
                    break
                body.append(rest)
            return body
    return []


# ---- dominance, checked by brute force ------------------------------------------------------------
ROUND = re.compile(r"Round (\d+), in (the full game|the game left after round (\d+)) \((.*)\):")
STEP = re.compile(r"  - Round (\d+): (?P<who>.+?) is (?P<how>strictly|weakly) dominated by (?P<by>.+?) "
                  r"\(payoffs (?P<better>[^>≥]+) (?P<rel>[>≥]) (?P<worse>.+?) against (?P<against>.+)\), "
                  r"so it is eliminated\.")


def named_game(game: NormalFormGame, text: str) -> tuple[tuple[int, ...], ...]:
    """``Row: T, B; Column: L`` → strategy indices per player (every player named, in order)."""
    parts = text.split("; ")
    assert len(parts) == game.num_players, text
    out = []
    for i, part in enumerate(parts):
        player, names = part.split(": ")
        assert player == game.players[i]
        out.append(tuple(game.strategies[i].index(n) for n in names.split(", ")))
    return tuple(out)


def parse_step(game: NormalFormGame, match) -> dict:
    who = match["who"]
    player = next(i for i, p in enumerate(game.players) if who.startswith(possessive(p) + " "))
    strategy = game.strategies[player].index(who[len(possessive(game.players[player])) + 1:])
    by = match["by"]
    if by.startswith("the mixture "):
        dominator = {}
        for term in by[len("the mixture "):].split(" + "):
            weight, name = term.split(" ", 1)
            dominator[game.strategies[player].index(name)] = number(weight)
    else:
        dominator = {game.strategies[player].index(by): Fraction(1)}
    others = [j for j in range(game.num_players) if j != player]
    against = match["against"]
    if len(others) == 1:
        prefix = possessive(game.players[others[0]]) + " "
        assert against.startswith(prefix)
        profiles = [(game.strategies[others[0]].index(n),) for n in against[len(prefix):].split(", ")]
    else:
        profiles = [tuple(game.strategies[j].index(n) for j, n in zip(others, group.split(", ")))
                    for group in re.findall(r"\(([^()]*)\)", against)]
    return {"round": int(match[1]), "player": player, "strategy": strategy, "dominator": dominator,
            "strict": match["how"] == "strictly", "relation": match["rel"], "better": numbers(match["better"]),
            "worse": numbers(match["worse"]), "against": profiles}


def payoff(game: NormalFormGame, player: int, own: int, others: tuple) -> Fraction:
    profile = others[:player] + (own,) + others[player:]
    return Fraction(game.payoffs[(player,) + profile])


def check_step(game: NormalFormGame, named, step: dict):
    """The step holds in ``named``: its opponents are exactly the named game's, its numbers are the
    payoffs there, and the dominator beats the strategy against every one of them."""
    player, strategy = step["player"], step["strategy"]
    assert strategy in named[player] and all(k in named[player] and k != strategy for k in step["dominator"])
    assert sum(step["dominator"].values()) == 1 and all(w > 0 for w in step["dominator"].values())
    opponents = list(itertools.product(*[named[j] for j in range(game.num_players) if j != player]))
    assert step["against"] == opponents, "the comparison must run over exactly the named game's profiles"
    worse = [payoff(game, player, strategy, t) for t in opponents]
    better = [sum(w * payoff(game, player, k, t) for k, w in step["dominator"].items()) for t in opponents]
    assert step["worse"] == worse and step["better"] == better
    if step["strict"]:
        assert step["relation"] == ">" and all(b > w for b, w in zip(better, worse))
    else:
        assert step["relation"] == "≥" and all(b >= w for b, w in zip(better, worse))
        assert any(b > w for b, w in zip(better, worse))


def _belief_lp(gains: np.ndarray, full_support: bool):
    """max z over beliefs p on the columns: p·gains[k] ≥ z for each row k (strict: is z ≥ 0?), or
    with ``full_support`` max δ with p ≥ δ and p·gains[k] ≥ 0 (weak: is δ > 0?)."""
    rows, columns = gains.shape
    c = np.zeros(columns + 1)
    c[-1] = -1.0
    if full_support:
        a_ub = np.vstack([np.hstack([-gains, np.zeros((rows, 1))]),
                          np.hstack([-np.eye(columns), np.ones((columns, 1))])])
        b_ub = np.zeros(rows + columns)
    else:
        a_ub, b_ub = np.hstack([-gains, np.ones((rows, 1))]), np.zeros(rows)
    a_eq = np.hstack([np.ones((1, columns)), np.zeros((1, 1))])
    result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=[(0, None)] * columns + [(None, None)],
                     method="highs")
    return None if result.status != 0 else -result.fun


def dominated_here(game: NormalFormGame, named, strict: bool) -> set:
    """Independently: the strategies (player, index) dominated in the named game. By Pearce's lemma a
    strategy is strictly dominated (by a mixture) iff no belief about the others' profiles makes it
    a best reply, and weakly dominated iff no belief with full support does."""
    out = set()
    for player in range(game.num_players):
        opponents = list(itertools.product(*[named[j] for j in range(game.num_players) if j != player]))
        for s in named[player]:
            rivals = [k for k in named[player] if k != s]
            if not rivals:
                continue
            gains = np.array([[float(payoff(game, player, s, t) - payoff(game, player, k, t)) for t in opponents]
                              for k in rivals])
            if strict:
                best = _belief_lp(gains, False)
                dominated = best is not None and best < -1e-9
            else:
                best = _belief_lp(gains, True)
                dominated = best is None or best <= 1e-9
            if dominated:
                out.add((player, s))
    return out


def check_dominance(text: str, game: NormalFormGame, weak: bool):
    """Every line of the "Dominated strategies" section, against the payoffs."""
    lines = section(text, "Dominated strategies")
    assert lines, "no dominance section"
    named = tuple(tuple(range(n)) for n in game.shape)
    rounds = []
    for line in lines:
        heading, step = ROUND.fullmatch(line), STEP.fullmatch(line)
        if rounds and (heading or line.startswith("What survives")):
            # the round above is complete: compare it with an independent elimination, then apply it
            named = _apply_round(game, named, rounds[-1], weak)
        if heading:
            number_ = int(heading[1])
            assert number_ == len(rounds) + 1 and (heading[3] is None) == (number_ == 1)
            if heading[3]:
                assert int(heading[3]) == number_ - 1
            assert named_game(game, heading[4]) == named, "a round must name the game the rounds before it left"
            rounds.append([])
        elif step:
            assert rounds and int(step[1]) == len(rounds), "each step belongs to the round above it"
            parsed = parse_step(game, step)
            check_step(game, named, parsed)
            rounds[-1].append(parsed)
        elif line.startswith("  - "):
            raise AssertionError(f"unrecognised dominance step: {line}")
    _check_survivors(lines, game, named, weak, bool(rounds))


def _apply_round(game: NormalFormGame, named, steps: list[dict], weak: bool):
    eliminated = {(s["player"], s["strategy"]) for s in steps}
    assert len(eliminated) == len(steps), "a strategy is eliminated once"
    strictly = dominated_here(game, named, strict=True)
    if strictly or not weak:
        assert all(s["strict"] for s in steps)
        assert eliminated == strictly, "a round crosses out exactly the strategies dominated in its game"
    else:
        assert not any(s["strict"] for s in steps)
        assert eliminated == dominated_here(game, named, strict=False)
    return tuple(tuple(k for k in named[i] if (i, k) not in eliminated) for i in range(game.num_players))


def _check_survivors(lines: list[str], game: NormalFormGame, named, weak: bool, any_rounds: bool):
    assert not dominated_here(game, named, strict=True), "something dominated is left"
    if weak:
        assert not dominated_here(game, named, strict=False)
    if not any_rounds:
        assert any(line.startswith("No strategy is") for line in lines)
        return
    survives = next(line for line in lines if line.startswith("What survives: "))
    assert named_game(game, survives[len("What survives: "):-1]) == named
    single = [line for line in lines if line.startswith("One profile survives")]
    assert bool(single) == all(len(s) == 1 for s in named)
    if single:
        profile = tuple(s[0] for s in named)
        for i in range(game.num_players):
            others = profile[:i] + profile[i + 1:]
            assert all(payoff(game, i, profile[i], others) >= payoff(game, i, k, others) for k in range(game.shape[i]))


# ---- the regression: games/tech_transfer_simultaneous.yaml ----------------------------------------
OLD_TECH_TRANSFER_SIMULTANEOUS = "\n".join([
    "1. Dominated strategies",
    "───────────────────────",
    "A strategy is strictly dominated when another strategy, or a mixture of strategies, pays the same player more "
    "whatever the others do. A rational player never uses a strictly dominated strategy, so it can be crossed out; "
    "then look again, because with fewer strategies left for the others more may become dominated.",
    "  - Round 1: Russia's Withhold is strictly dominated by Transfer (payoffs −2, −4, 4, 2 > −6, −8, 0, −2 against "
    "(Restrain, Engage), (Restrain, Deter), (Enable, Engage), (Enable, Deter)), so it is eliminated.",
    "  - Round 1: China's Restrain is strictly dominated by Enable (payoffs −3, −9 > −5, −11 against (Transfer, Engage), "
    "(Transfer, Deter)), so it is eliminated.",
    "  - Round 1: US's Engage is strictly dominated by Deter (payoffs −7 > −8 against (Transfer, Enable)), so it is "
    "eliminated.",
    "What survives: Russia: Transfer; China: Enable; US: Deter.",
    "One profile survives: (Transfer, Enable, Deter). Strict elimination never removes an equilibrium, so this is the "
    "game's only Nash equilibrium.",
    ""])


def numeric_game(path: str, **settings):
    game = load_game(path)
    return game, evaluate_game(game, parameter_values(game, settings or None))


def test_tech_transfer_simultaneous_names_the_game_of_each_step():
    # In the full game the US's Engage earns 0 against Deter's −3 when Russia withholds and China
    # restrains, so it is not dominated there; it is dominated (−7 > −8) only once Withhold and
    # Restrain are gone, which is round 2.
    _, numeric = numeric_game("games/tech_transfer_simultaneous.yaml")
    text = CliRunner().invoke(main, ["explain", "games/tech_transfer_simultaneous.yaml"]).stdout
    check_dominance(text, numeric, weak=False)
    assert "Round 1: US's Engage" not in text
    assert ("Round 2, in the game left after round 1 (Russia: Transfer; China: Enable; US: Engage, Deter):\n"
            "  - Round 2: US's Engage is strictly dominated by Deter (payoffs −7 > −8 against (Transfer, Enable)), "
            "so it is eliminated.\n") in text
    assert ("  - Round 1: China's Restrain is strictly dominated by Enable (payoffs −3, −9, 0, −6 > −5, −11, −2, −8 "
            "against (Transfer, Engage), (Transfer, Deter), (Withhold, Engage), (Withhold, Deter))") in text


def test_the_old_wording_fails_the_check():
    _, numeric = numeric_game("games/tech_transfer_simultaneous.yaml")
    with pytest.raises(AssertionError):
        check_dominance(OLD_TECH_TRANSFER_SIMULTANEOUS, numeric, weak=False)
    # even read generously (every round-1 step in the full game), the US step is false there
    step = parse_step(numeric, STEP.fullmatch(OLD_TECH_TRANSFER_SIMULTANEOUS.split("\n")[5]))
    with pytest.raises(AssertionError):
        check_step(numeric, ((0, 1), (0, 1), (0, 1)), step)


# ---- 200 random games -------------------------------------------------------------------------------
@st.composite
def random_games(draw):
    """2-player 3×3 … 5×5 and 3-player 2×2×2 … 4×4×4 games with small integer payoffs; each strategy
    gets a bonus for its player, so that dominance (strict and weak, by mixtures too) is common."""
    players = draw(st.sampled_from([2, 3]))
    low, high = (3, 5) if players == 2 else (2, 4)
    shape = tuple(draw(st.integers(low, high)) for _ in range(players))
    bonus = [[draw(st.integers(0, 3)) for _ in range(n)] for n in shape]
    cells = draw(st.lists(st.integers(-2, 2), min_size=players * math.prod(shape), max_size=players * math.prod(shape)))
    payoffs = np.array(cells, dtype=object).reshape((players,) + shape)
    for i in range(players):
        for profile in np.ndindex(*shape):
            payoffs[(i,) + profile] += bonus[i][profile[i]]
    names = [[f"{'abc'[i]}{k + 1}" for k in range(n)] for i, n in enumerate(shape)]
    return NormalFormGame.from_arrays([f"P{i + 1}" for i in range(players)], names, payoffs.tolist())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(game=random_games(), weak=st.booleans())
def test_every_dominance_step_holds_in_the_game_it_names(game, weak):
    """What `solve explain` prints as its first section, read back and checked step by step."""
    text = render(Explanation("random", {}, game, (dominance_part(game, weak),)))
    check_dominance(text, game, weak)


# ---- the games in games/ and examples/classroom/games/ ---------------------------------------------
@pytest.fixture(scope="module")
def accounts():
    """Each game file's explanation (with defaults) as text, with its numeric game."""
    out = {}
    for path in GAME_FILES:
        game = load_game(path)
        explanation = explain_game(game)
        out[os.path.relpath(path, ROOT)] = (explanation.game, render(explanation))
    return out


def _normal_forms(accounts):
    return {k: v for k, v in accounts.items() if isinstance(v[0], NormalFormGame)}


def _trees(accounts):
    return {k: v for k, v in accounts.items() if not isinstance(v[0], NormalFormGame)}


def test_every_game_file_is_covered(accounts):
    assert len(accounts) == len(GAME_FILES) >= 20
    assert len(_normal_forms(accounts)) >= 8 and len(_trees(accounts)) >= 8


def test_dominance_in_every_normal_form(accounts):
    for path, (game, text) in _normal_forms(accounts).items():
        check_dominance(text, game, weak=False)
        weak = render(explain_game(load_game(os.path.join(ROOT, path)), weak=True))
        check_dominance(weak, game, weak=True)


# -- mixed equilibria of normal forms
MIXED = re.compile(r"Mixed equilibrium (\d+): (.*) \(expected payoffs (.*)\)\.")


def expected(game: NormalFormGame, player: int, profile, own=None) -> Fraction:
    """The player's expected payoff when everyone mixes as ``profile`` (with ``own`` its pure strategy)."""
    total = Fraction(0)
    for cell in itertools.product(*[range(n) for n in game.shape]):
        if own is not None and cell[player] != own:
            continue
        weight = math.prod(profile[j][cell[j]] for j in range(game.num_players) if own is None or j != player)
        total += weight * Fraction(game.payoffs[(player,) + cell])
    return total


def parse_mixture(game: NormalFormGame, text: str) -> list[list[Fraction]]:
    profile = [[Fraction(0)] * n for n in game.shape]
    for i, part in enumerate(text.split("; ")):
        prefix = f"{game.players[i]} plays "
        assert part.startswith(prefix)
        for item in part[len(prefix):].split(", "):
            name, _, probability = item.partition(" ")
            profile[i][game.strategies[i].index(name)] = number(probability) if probability else Fraction(1)
    return profile


def linear(text: str, letter: str, names: list[str]):
    """``−7p + 3(1 − p)`` or ``1q(Rock) − 1q(Paper)`` as a sympy expression in p or q(…)."""
    text = text.replace(MINUS, "-")
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(f"{letter}({name})", f"{letter}_{names.index(name)}")
    text = re.sub(r"(?<=[\d)])(?=[a-z(])", "*", text)
    return sympy.sympify(text)


def check_indifference(game: NormalFormGame, profile, line: str):
    """``X mixes p on A (and 1 − p on B): Y is indifferent between C and D when … , so p = v.`` and its
    variants: each side is Y's expected payoff written out, and the solution is X's mixture."""
    for mixer in range(2):
        other, letter = 1 - mixer, "pq"[mixer]
        if line.startswith(f"  - {game.players[mixer]} mixes "):
            break
    names = list(game.strategies[mixer])
    support = [k for k, v in enumerate(profile[mixer]) if v != 0]
    if len(support) == 2:
        symbol = sympy.Symbol(letter)
        variables = {support[0]: symbol, support[1]: 1 - symbol}
    else:
        variables = {k: sympy.Symbol(f"{letter}_{k}") for k in support}
    match = re.search(r"indifferent (?:between|among) (.*?) (?:when|whatever \w is \() ?(.*?)(?:, so | for every |; )",
                      line)
    if match is None:
        used = [k for k, v in enumerate(profile[other]) if v != 0]
        assert "need not be indifferent" in line and len(used) == 1
        c = used[0]
        for s in range(game.shape[other]):
            assert expected(game, other, profile, c) >= expected(game, other, profile, s)
        return
    choices = [game.strategies[other].index(n) for n in re.split(r", | and ", match[1])]
    assert choices == [k for k, v in enumerate(profile[other]) if v != 0]
    sides = [linear(t, letter, names) for t in match[2].split(" = ")]
    for c, side in zip(choices, sides, strict=True):
        mine = sum(variables[t] * Fraction(game.payoffs[(other,) + ((c, t) if other == 0 else (t, c))]) for t in support)
        assert sympy.expand(side - mine) == 0, (line, side, mine)
    at_equilibrium = {v: profile[mixer][k] for k, v in variables.items() if isinstance(v, sympy.Symbol)}
    assert all(side.subs(at_equilibrium) == sides[0].subs(at_equilibrium) for side in sides)
    if "whatever" in line:
        assert all(sympy.expand(side - sides[0]) == 0 for side in sides)
    elif ", so " in line:
        assert number(line.rsplit(" = ", 1)[1][:-1]) == profile[mixer][support[0]]
        solutions = sympy.linsolve([side - sides[0] for side in sides[1:]], [symbol])
        assert solutions == sympy.FiniteSet((sympy.Rational(str(profile[mixer][support[0]])),))
    else:
        stated = dict(re.findall(rf"{letter}\((\w+)\) = ([^,.]+)", line.split("; ", 1)[1]))
        assert {names.index(n): number(v) for n, v in stated.items()} == {k: profile[mixer][k] for k in support}
        if "this gives" in line:
            system = [side - sides[0] for side in sides[1:]] + [sum(variables.values()) - 1]
            assert len(sympy.linsolve(system, list(variables.values()))) == 1


EARNS_TWO = re.compile(r"  - Then (?:each of (?P<each>.+?) strategies in use \((?P<names>.+?)\)|(?P<one>.+?)) earns "
                       r"(?P<value>\S+?)(?:; the others earn (?P<others>.+?)(?P<unbeaten> \(no more\))?)?\.")
EARNS_MANY = re.compile(r"  - (?P<player>.+?) mixes (?P<names>.+?): given the others' mixtures these earn (?P<earned>.+?) "
                        r"— equal, so (?P=player) is willing to mix(?:; (?P<others>.+))?\.")


def _pairs(game: NormalFormGame, player: int, text: str, separator: str = " ") -> dict[int, Fraction]:
    """``A 1/2, B −1`` (or ``A would earn 1/2, …``) → {strategy index: value}."""
    out = {}
    for item in text.split(", "):
        name, value = item.rsplit(separator, 1)
        out[game.strategies[player].index(name)] = number(value)
    return out


def check_earnings(game: NormalFormGame, profile, line: str):
    """``Then …'s strategies in use (…) earn v; the others earn X w (no more).`` or, for 3+ players,
    ``P mixes A and B: given the others' mixtures these earn A v, B w — equal, …; C would earn u.``"""
    two, many = EARNS_TWO.fullmatch(line), EARNS_MANY.fullmatch(line)
    assert (two or many) and bool(two) == (game.num_players == 2), line
    match = two or many
    if two:
        owner = two["each"] or two["one"]
        player = next(i for i, p in enumerate(game.players) if owner.startswith(possessive(p)))
        names = [owner[len(possessive(game.players[player])) + 1:]] if two["one"] else re.split(r", | and ", two["names"])
        earned = {game.strategies[player].index(n): number(two["value"]) for n in names}
        others = _pairs(game, player, two["others"]) if two["others"] else {}
    else:
        player = game.players.index(many["player"])
        earned = _pairs(game, player, many["earned"])
        assert [game.strategies[player][k] for k in earned] == re.split(r", | and ", many["names"])
        assert len(set(earned.values())) == 1
        others = _pairs(game, player, many["others"], " would earn ") if many["others"] else {}
    support = [k for k, v in enumerate(profile[player]) if v != 0]
    assert sorted(earned) == support and sorted(others) == [k for k in range(game.shape[player]) if k not in support]
    for k, v in {**earned, **others}.items():
        assert expected(game, player, profile, k) == v, line
    if match["others"] and two and two["unbeaten"]:
        assert all(v <= number(two["value"]) for v in others.values())


def is_equilibrium(game: NormalFormGame, profile) -> bool:
    return all(expected(game, i, profile, k) <= expected(game, i, profile)
               for i in range(game.num_players) for k in range(game.shape[i]))


def check_continua(game: NormalFormGame, lines: list[str], mixed: dict):
    """``a continuum: X, Y and mixed equilibrium 1, and every mixture of them, are equilibria`` (or
    several such sets): the named equilibria, their midpoints and their centre are equilibria."""
    def profile_of(name: str):
        if name.startswith("mixed equilibrium "):
            return mixed[int(name.rsplit(" ", 1)[1])]
        cell = [game.strategies[i].index(n) for i, n in enumerate(name.strip("()").split(", "))]
        return [[Fraction(int(k == c)) for k in range(n)] for c, n in zip(cell, game.shape)]
    for line in lines:
        if not line.startswith(("  - a continuum: ", "  - a continuum made of ")):
            continue
        body = re.sub(r" \(a mixture across two of the sets need not be an equilibrium\)$", "", line.split(": ", 1)[1])
        for part in body.split("; "):
            named = re.sub(r"(, with every mixture of them|, and every mixture of them, are equilibria)$", "", part)
            points = [profile_of(n) for n in re.findall(r"\([^()]*\)|mixed equilibrium \d+", named)]
            assert len(points) >= 2, line
            mixtures = [[[sum(p[i][k] for p in chosen) / len(chosen) for k in range(n)] for i, n in enumerate(game.shape)]
                        for chosen in [*itertools.combinations(points, 2), points]]
            assert all(is_equilibrium(game, m) for m in points + mixtures), line


def check_mixed(game: NormalFormGame, text: str) -> int:
    """Each mixed equilibrium is one, with the stated payoffs, and each line under it holds; so do
    the continua; returns how many lines were checked."""
    checked, profile, mixed = 0, None, {}
    lines = section(text, "Mixed equilibria")
    for line in lines:
        heading = MIXED.fullmatch(line)
        if heading:
            profile = parse_mixture(game, heading[2])
            mixed[int(heading[1])] = profile
            for i in range(game.num_players):      # an equilibrium: nothing pays more than the mixture
                value = expected(game, i, profile)
                assert all(expected(game, i, profile, k) <= value for k in range(game.shape[i])), line
            stated = {p: number(v) for p, v in (item.rsplit(" ", 1) for item in heading[3].split(", "))}
            assert stated == {p: expected(game, i, profile) for i, p in enumerate(game.players)}
        elif line.startswith("  - ") and profile is not None:
            if "mixes" in line and "indifferent" in line or "need not be indifferent" in line:
                check_indifference(game, profile, line)
            else:
                check_earnings(game, profile, line)
            checked += 1
    check_continua(game, lines, mixed)
    return checked


def test_mixed_equilibria_in_every_normal_form(accounts):
    assert sum(check_mixed(game, text) for game, text in _normal_forms(accounts).values()) >= 20


@pytest.mark.parametrize("seed", range(40))
def test_mixed_equilibria_of_random_games(seed):
    """Small games with payoffs 0–3, many of them degenerate (ties, continua, a player who does not
    need to be indifferent)."""
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 4)), int(rng.integers(2, 4))) if seed % 4 else (2, 2, 2)
    payoffs = rng.integers(0, 4, size=(len(shape),) + shape).tolist()
    names = [[f"{'abc'[i]}{k + 1}" for k in range(n)] for i, n in enumerate(shape)]
    game = NormalFormGame.from_arrays([f"P{i + 1}" for i in range(len(shape))], names, payoffs)
    text = render(explain_game(game))
    check_dominance(text, game, weak=False)
    check_mixed(game, text)


# ---- trees, walked recursively --------------------------------------------------------------------
def kids(tree, node: int) -> range:
    return range(int(tree.first_child[node]), int(tree.first_child[node]) + int(tree.num_children[node]))


def leaf_value(tree, node: int) -> tuple:
    return tuple(Fraction(v) for v in tree.leaf_payoffs[node])


def values_under(tree, behaviour: dict) -> dict:
    """Every node's expected payoffs when each decision node ``n`` plays ``behaviour[n]`` (move
    probabilities; sympy expressions allowed), computed from the leaves up, recursively."""
    out = {}

    def value(node):
        kind = int(tree.node_player[node])
        if kind == TERMINAL:
            out[node] = leaf_value(tree, node)
            return out[node]
        children = list(kids(tree, node))
        probabilities = ([Fraction(tree.chance_probs[c]) for c in children] if kind == CHANCE else behaviour[node])
        below = [value(c) for c in children]
        out[node] = tuple(sum(q * v[i] for q, v in zip(probabilities, below) if q != 0)
                          for i in range(tree.num_players))
        return out[node]
    value(0)
    return out


def reach_under(tree, behaviour: dict) -> dict:
    """Every node's probability of being reached (nodes missing from ``behaviour`` are not needed
    when nothing reaches them)."""
    out = {0: Fraction(1)}
    stack = [0]
    while stack:
        node = stack.pop()
        kind = int(tree.node_player[node])
        if kind == TERMINAL:
            continue
        children = list(kids(tree, node))
        if kind == CHANCE:
            probabilities = [Fraction(tree.chance_probs[c]) for c in children]
        elif out[node] == 0:
            probabilities = [0] * len(children)
        else:
            probabilities = behaviour[node]
        for c, q in zip(children, probabilities):
            out[c] = out[node] * q
            stack.append(c)
    return out


def pure(tree, choices: dict) -> dict:
    """Node → move index as node → move probabilities."""
    return {n: tuple(Fraction(int(k == m)) for k in range(int(tree.num_children[n]))) for n, m in choices.items()}


def decision_nodes(tree) -> list[int]:
    return [n for n in range(tree.num_nodes) if tree.node_player[n] >= 0]


def place_of(tree, infoset: int) -> str:
    info = tree.infosets[infoset]
    return where(tree, info.nodes[0]) if len(info.nodes) == 1 else f"at {info.label}"


def ranking(text: str, moves, verb: str = "") -> tuple[list[int], list[Fraction], list[str]]:
    """``Deter −7 > Engage −8`` → (move indices best first, their values, the relations)."""
    tokens = re.split(r" ([>=]) ", text)
    order, values = [], []
    for k, token in enumerate(tokens[::2]):
        name, value = token.rsplit(" ", 1)
        if k == 0 and verb:
            assert name.endswith(" " + verb)
            name = name[: -len(verb) - 1]
        order.append(list(moves).index(name))
        values.append(number(value))
    return order, values, tokens[1::2]


def check_ranking(order, values, relations, truth):
    """The stated values are the true ones, best first, ``=`` exactly where they tie."""
    assert sorted(order) == list(range(len(truth)))
    assert values == [truth[k] for k in order]
    for a, b, relation in zip(values, values[1:], relations):
        assert (a == b) if relation == "=" else (a > b)


def check_backward_induction(tree, text: str) -> dict:
    """Each node's line: the mover's values of its moves under the moves the account takes below
    (the best ones, ties as it says), in the right order; chance arithmetic; deepest first. Returns
    the account's moves."""
    lines = [line for line in section(text, "Backward induction") if line.startswith("  - ")]
    nodes = [n for n in range(tree.num_nodes) if tree.node_player[n] != TERMINAL]
    movers = {n: "Chance" if tree.node_player[n] == CHANCE else tree.players[tree.node_player[n]] for n in nodes}
    prefixes = {n: f"  - {movers[n]} {where(tree, n)}: " for n in nodes}
    assert len(set(prefixes.values())) == len(nodes) == len(lines)
    line_of = {n: next(k for k, line in enumerate(lines) if line.startswith(prefixes[n])) for n in nodes}
    order = sorted(nodes, key=lambda n: line_of[n])
    assert [int(tree.depth[n]) for n in order] == sorted((int(tree.depth[n]) for n in nodes), reverse=True)
    choices, stated = {}, {}
    for n in nodes:
        body = lines[line_of[n]][len(prefixes[n]):]
        assert body.endswith(".")
        if tree.node_player[n] == CHANCE:
            stated[n] = body[:-1]
            continue
        tie = re.fullmatch(r"(.*) — a tie: .* is indifferent, so each best move gives a subgame-perfect equilibrium "
                           r"\(this account follows (.*)\)\.", body)
        order_, values, relations = ranking(tie[1] if tie else body[:-1], tree.node_moves[n])
        choices[n] = list(tree.node_moves[n]).index(tie[2]) if tie else order_[0]
        assert bool(tie) == (len(relations) > 0 and relations[0] == "=")
        stated[n] = (order_, values, relations)
    truth = values_under(tree, pure(tree, choices))
    for n in nodes:
        children = list(kids(tree, n))
        if tree.node_player[n] == CHANCE:
            expected_text = "; ".join(
                f"{p} expects " + " + ".join(f"{q} × {v}" for q, v in
                                             ((Fraction(tree.chance_probs[c]), truth[c][i]) for c in children))
                for i, p in enumerate(tree.players))
            parsed = [[(number(q), number(v.strip("()"))) for q, v in (t.split(" × ") for t in part.split(" = ")[0].split(" + "))]
                      for part in (s.split(" expects ", 1)[1] for s in stated[n].split("; "))]
            averages = [number(part.rsplit(" = ", 1)[1]) for part in stated[n].split("; ")]
            assert parsed == [[(Fraction(tree.chance_probs[c]), truth[c][i]) for c in children]
                              for i in range(tree.num_players)], expected_text
            assert averages == list(truth[n])
            continue
        mover = int(tree.node_player[n])
        check_ranking(*stated[n], [truth[c][mover] for c in children])
        assert truth[children[choices[n]]][mover] == max(truth[c][mover] for c in children)
    return choices


def check_path(tree, text: str, choices: dict):
    lines = section(text, "The equilibrium path")
    values = values_under(tree, pure(tree, choices))
    reach = reach_under(tree, pure(tree, choices))
    leaves = [n for n in range(tree.num_nodes) if tree.node_player[n] == TERMINAL and reach[n] != 0]
    payoffs = ", ".join(f"{p} {v}" for p, v in zip(tree.players, values[0])).replace("-", MINUS)
    if len(leaves) == 1:
        moves = " → ".join(tree.move_label(n) for n in tree.path_to(leaves[0])[1:])
        assert lines[0] == f"Following the best moves from the start: {moves}, with payoffs {payoffs}."
    else:
        listed = [line for line in lines if line.startswith("  - ")]
        assert len(listed) == len(leaves)
        for line, leaf in zip(listed, leaves):
            label = tree.outcomes[leaf] or " → ".join(tree.move_label(n) for n in tree.path_to(leaf)[1:])
            probability, rest = line[4:].split(": ", 1)
            assert number(probability) == reach[leaf] and rest.startswith(label + " (")
            assert numbers(rest[len(label) + 2:-1]) == list(leaf_value(tree, leaf))
        assert f"Expected payoffs: {payoffs}." in lines
    ties = [line for line in lines if line.startswith("Because of ties")]
    count = len(spe_choices(tree))
    # with a tie, mixing between the tied moves gives infinitely many more: the count is of pure ones
    assert (not ties and count == 1) or (ties and f"there are {count} subgame-perfect equilibria in pure strategies, "
                                                  "and infinitely many more" in ties[0])


def check_off_path(tree, text: str, choices: dict):
    lines = section(text, "Off the equilibrium path")
    reach = reach_under(tree, pure(tree, choices))
    unreached = [n for n in decision_nodes(tree) if reach[n] == 0]
    listed = [line for line in lines if line.startswith("  - ")]
    if not unreached:
        assert "Every decision point is reached in equilibrium." in lines and not listed
        return
    expected_lines = {f"  - {tree.players[tree.node_player[n]]} {where(tree, n)} would play "
                      f"{tree.node_moves[n][choices[n]]}." for n in unreached}
    assert set(listed) == expected_lines and len(listed) == len(unreached)


def test_perfect_information_trees(accounts):
    checked = 0
    for tree, text in _trees(accounts).values():
        if not tree.is_perfect_information:
            continue
        choices = check_backward_induction(tree, text)
        check_path(tree, text, choices)
        check_off_path(tree, text, choices)
        checked += 1
    assert checked >= 6


# -- empty threats: the reduced normal form, by enumeration
def reduced_plans(tree, player: int) -> list[dict]:
    """The player's plans: a move at each of its nodes that its own earlier moves do not rule out."""
    nodes = [n for n in decision_nodes(tree) if tree.node_player[n] == player]
    plans = {}
    for moves in itertools.product(*[range(int(tree.num_children[n])) for n in nodes]):
        plan = dict(zip(nodes, moves))
        kept = {}
        for n, m in plan.items():
            path = tree.path_to(n)
            if all(plan[a] == int(tree.move_index[b]) for a, b in zip(path, path[1:]) if tree.node_player[a] == player):
                kept[n] = m
        plans[tuple(sorted(kept.items()))] = kept
    return list(plans.values())


def outcome(tree, profile: dict) -> tuple:
    """The expected payoffs of a pure profile (node → move), walking only where play goes."""
    def walk(node):
        kind = int(tree.node_player[node])
        if kind == TERMINAL:
            return leaf_value(tree, node)
        children = list(kids(tree, node))
        if kind == CHANCE:
            below = [(Fraction(tree.chance_probs[c]), walk(c)) for c in children]
            return tuple(sum(q * v[i] for q, v in below) for i in range(tree.num_players))
        return walk(children[profile[node]])
    return walk(0)


def nash_profiles(tree) -> list[dict]:
    plans = [reduced_plans(tree, i) for i in range(tree.num_players)]
    out = []
    for combination in itertools.product(*plans):
        profile = {n: m for plan in combination for n, m in plan.items()}
        payoffs = outcome(tree, profile)
        if all(outcome(tree, {**profile, **other})[i] <= payoffs[i] for i in range(tree.num_players) for other in plans[i]):
            out.append(profile)
    return out


def spe_choices(tree) -> list[dict]:
    nodes = decision_nodes(tree)
    out = []
    for moves in itertools.product(*[range(int(tree.num_children[n])) for n in nodes]):
        choices = dict(zip(nodes, moves))
        values = values_under(tree, pure(tree, choices))
        if all(values[list(kids(tree, n))[m]][tree.node_player[n]]
               >= max(values[c][tree.node_player[n]] for c in kids(tree, n)) for n, m in choices.items()):
            out.append(choices)
    return out


def completed_plans(tree, profile: dict) -> dict:
    """The profile, with each decision point it leaves open given its mover's best move (the first
    on ties) in what follows, bottom-up."""
    played = dict(profile)

    def value(node):
        kind = int(tree.node_player[node])
        if kind == TERMINAL:
            return leaf_value(tree, node)
        below = [value(c) for c in kids(tree, node)]
        if kind == CHANCE:
            return tuple(sum(Fraction(tree.chance_probs[c]) * v[i] for c, v in zip(kids(tree, node), below))
                         for i in range(tree.num_players))
        if node not in played:
            played[node] = max(range(len(below)), key=lambda k: (below[k][kind], -k))
        return below[played[node]]
    value(0)
    return played


def reached_from(tree, played: dict, start: int) -> set:
    """The nodes play reaches from ``start`` when each decision node plays ``played[n]``."""
    out, stack = set(), [start]
    while stack:
        node = stack.pop()
        out.add(node)
        kind = int(tree.node_player[node])
        if kind == CHANCE:
            stack.extend(c for c in kids(tree, node) if tree.chance_probs[c] != 0)
        elif kind != TERMINAL:
            stack.append(list(kids(tree, node))[played[node]])
    return out


THREAT = re.compile(r"(?P<player>.+?) (?P<place>(?:after|at) .+?) would play (?P<move>\S+) \((?P<value>\S+)\) though "
                    r"(?P<better>\S+) gives (?P<better_value>[^,\s]+)(?:, counting (?P<assumed>.+?), (?:its|each its "
                    r"player's) best move there \((?:.+'s? plan leaves that point open: its own earlier move rules it out"
                    r"|their plans leave those points open: their own earlier moves rule them out)\))?")


def threat_holds(tree, profile: dict, nodes: dict, match) -> bool:
    """At the named node the profile plays the named move, worth the stated value to the mover, and
    the other move is worth more, as stated, when the points the profile leaves open are played as
    the sentence says — which must be each mover's best there, and exactly the points that matter."""
    node = nodes[f"{match['player']} {match['place']}"]
    moves = list(tree.node_moves[node])
    move, better = moves.index(match["move"]), moves.index(match["better"])
    played = completed_plans(tree, profile)
    values = values_under(tree, pure(tree, played))
    children, mover = list(kids(tree, node)), int(tree.node_player[node])
    if profile.get(node) != move or (values[children[move]][mover], values[children[better]][mover]) != \
            (number(match["value"]), number(match["better_value"])) or not number(match["better_value"]) > number(match["value"]):
        return False
    passed = {n for child in (children[move], children[better]) for n in reached_from(tree, played, child)
              if n not in profile and tree.node_player[n] >= 0}
    stated = {}
    if match["assumed"]:
        for item in re.split(r", | and ", match["assumed"]):
            place, chosen = item.rsplit(" as playing ", 1)
            stated[nodes[place]] = list(tree.node_moves[nodes[place]]).index(chosen)
    return stated == {n: played[n] for n in passed}


def path_label(tree, profile: dict) -> dict:
    behaviour = pure(tree, profile)
    reach = reach_under(tree, {n: behaviour.get(n, (0,) * int(tree.num_children[n])) for n in decision_nodes(tree)})
    merged = {}
    for leaf in (n for n in range(tree.num_nodes) if tree.node_player[n] == TERMINAL and reach.get(n, 0) != 0):
        label = tree.outcomes[leaf] or tree.node_ids[leaf]
        merged[label] = merged.get(label, 0) + reach[leaf]
    return merged


def stated_path(text: str) -> dict:
    """``n9 (3/4) ; n6 (1/4)`` → {outcome: probability}."""
    out = {}
    for item in text.split(" ; "):
        match = re.fullmatch(r"(.*) \(([\d/.]+)\)", item)
        out[match[1] if match else item] = number(match[2]) if match else Fraction(1)
    return out


def check_threats(tree, text: str):
    lines = section(text, "Nash equilibria that rest on empty threats")
    equilibria = nash_profiles(tree)
    perfect = [e for e in equilibria if any(all(s[n] == m for n, m in e.items()) for s in spe_choices(tree))]
    others = [e for e in equilibria if e not in perfect]
    plural = "um" if len(equilibria) == 1 else "a"
    assert "its own earlier moves do not rule out (the reduced normal form)" in lines[0]
    assert (f"the game has {len(equilibria)} pure Nash equilibri{plural}; {len(perfect)} "
            f"{'is' if len(perfect) == 1 else 'are'} subgame-perfect.") in lines[0]
    listed = [line for line in lines if line.startswith("  - Path ")]
    more = [int(m[1]) for line in lines for m in [re.match(r"… and (\d+) more", line)] if m]
    assert len(listed) + sum(more) == len(others)
    if not others:
        assert "None rests on a threat that would not be carried out." in lines
    nodes = {f"{tree.players[tree.node_player[n]]} {where(tree, n)}": n for n in decision_nodes(tree)}
    for line in listed:
        head, threats = re.fullmatch(r"  - Path (.*?): (.*)\.", line).groups()
        path, payoffs = re.fullmatch(r"(.*) \(payoffs (.*)\)", head).groups()
        claims = [THREAT.fullmatch(claim) for claim in threats.split("; ")]
        assert all(claims), line
        assert any(outcome(tree, e) == tuple(numbers(payoffs)) and path_label(tree, e) == stated_path(path)
                   and all(threat_holds(tree, e, nodes, claim) for claim in claims) for e in others), line


def test_empty_threats(accounts):
    checked = 0
    for tree, text in _trees(accounts).values():
        if tree.is_perfect_information and tree.num_players >= 2:
            check_threats(tree, text)
            checked += 1
    assert checked >= 5


# -- information sets: beliefs, move values, indifference
def infoset_sections(text: str) -> list[list[str]]:
    titles = re.findall(r"^\d+\. (Equilibrium \d+ \(.*\))$", text, flags=re.M)
    return [section(text, title) for title in titles]


def parse_choices(tree, lines: list[str]) -> tuple[dict, dict]:
    """From the choice lines: infoset → (line body, move probabilities)."""
    out = {}
    for h, info in enumerate(tree.infosets):
        prefix = f"  - {tree.players[info.player]} {place_of(tree, h)}"
        found = [line[len(prefix):] for line in lines if line.startswith(prefix + ":") or line.startswith(prefix + " believes:")]
        if not found:
            continue
        assert len(found) == 1
        body = found[0]
        chosen = next(m[1] for pattern in (r": (.+) \(never reached in this equilibrium\)\.$",
                                           r"willing to mix \((.+)\)\.$", r": plays (.+)\.$")
                      for m in [re.search(pattern, body)] if m)
        probabilities = [Fraction(0)] * len(info.moves)
        for item in chosen.split(", "):
            name, _, probability = item.partition(" ")
            probabilities[list(info.moves).index(name)] = number(probability) if probability else Fraction(1)
        assert sum(probabilities) == 1
        out[h] = (body, tuple(probabilities))
    return out


def check_choice(tree, h: int, body: str, reach: dict, values: dict):
    info = tree.infosets[h]
    total = sum(reach[n] for n in info.nodes)
    if body.endswith("(never reached in this equilibrium)."):
        assert total == 0
        return
    assert total != 0
    beliefs = [reach[n] / total for n in info.nodes]
    if len(info.nodes) > 1:
        stated = re.match(r" believes: (.*?); so ", body)[1]
        assert stated == ", ".join(f"{b} {where(tree, n)}" for b, n in zip(beliefs, info.nodes)).replace("-", MINUS)
        body = body[body.index("; so ") + 5:]
    else:
        body = body[2:]
    comparison, verdict = body.split(": ", 1)
    truth = [sum(b * values[list(kids(tree, n))[m]][info.player] for b, n in zip(beliefs, info.nodes))
             for m in range(len(info.moves))]
    check_ranking(*ranking(comparison, info.moves, verb="gives"), truth)
    return truth, verdict


def check_pinned(tree, line: str, behaviour: dict):
    """``Why Q mixes …: let x be the probability that Q plays M at S. P at S' is indifferent between A
    and B when L = R (payoffs weighted …), so x = v.`` — L and R recomputed with x at S."""
    x = sympy.Symbol("x")
    for s, other in enumerate(tree.infosets):
        q = tree.players[other.player]
        head = f"  - Why {q} mixes as it does: let x be the probability that {q} plays {other.moves[0]} {place_of(tree, s)}. "
        if line.startswith(head):
            break
    rest = line[len(head):]
    h, info = next((h, info) for h, info in enumerate(tree.infosets)
                   if rest.startswith(f"{tree.players[info.player]} {place_of(tree, h)} is indifferent between "
                                      f"{info.moves[0]} and {info.moves[1]} when "))
    equation, value = re.search(r" when (.*) \(payoffs weighted by the chance of reaching each node\), so x = (\S+)\.$",
                                rest).groups()
    stated = [sympy.sympify(side.replace("·", "*").replace(MINUS, "-")) for side in equation.split(" = ")]
    varied = {**behaviour, **{n: (x, 1 - x) for n in other.nodes}}
    reach, values = reach_under(tree, varied), values_under(tree, varied)
    truth = [sum(reach[n] * values[list(kids(tree, n))[m]][info.player] for n in info.nodes) for m in range(2)]
    assert all(sympy.simplify(a - b) == 0 for a, b in zip(stated, truth)), (line, truth)
    roots = [r for r in sympy.solve(sympy.Eq(*truth), x) if 0 <= r <= 1]
    assert roots == [sympy.Rational(str(number(value)))] and behaviour[other.nodes[0]][0] == number(value)


def check_information_sets(tree, text: str):
    intro = section(text, "Information sets")
    shared = [h for h, info in enumerate(tree.infosets) if len(info.nodes) > 1]
    assert [line for line in intro if line.startswith("  - ")] == [
        f"  - {tree.players[tree.infosets[h].player]} at {tree.infosets[h].label} cannot tell apart: "
        + "; ".join(where(tree, n) for n in tree.infosets[h].nodes) + "." for h in shared]
    sections = infoset_sections(text)
    assert sections
    for lines in sections:
        choices = parse_choices(tree, lines)
        behaviour = {n: probabilities for h, (_, probabilities) in choices.items() for n in tree.infosets[h].nodes}
        reach, values = reach_under(tree, behaviour), values_under(tree, behaviour)
        payoffs = next(line for line in lines if line.startswith("Expected payoffs: "))
        stated = [number(item.rsplit(" ", 1)[1]) for item in payoffs[len("Expected payoffs: "):].split(". ")[0].split(", ")]
        assert stated == list(values[0])
        for h, (body, probabilities) in choices.items():
            result = check_choice(tree, h, body, reach, values)
            if result is None:
                continue
            truth, verdict = result
            used = [m for m, p in enumerate(probabilities) if p != 0]
            assert all(truth[m] == max(truth) for m in used)
            assert verdict.startswith("indifferent, so") if len(used) > 1 else verdict.startswith("plays ")
        for line in lines:
            if line.startswith("  - Why "):
                check_pinned(tree, line, behaviour)
        outcomes = next((line for line in lines if line.startswith("Outcomes: ")), None)
        merged = {}
        for leaf in (n for n in range(tree.num_nodes) if tree.node_player[n] == TERMINAL and reach[n] != 0):
            label = tree.outcomes[leaf] or tree.node_ids[leaf]
            merged[label] = merged.get(label, 0) + reach[leaf]
        listed = dict(reversed(item.split(" ", 1)) for item in outcomes[len("Outcomes: "):-1].split("; "))
        assert {k: number(v) for k, v in listed.items()} == merged


def test_information_sets(accounts):
    checked = 0
    for path, (tree, text) in _trees(accounts).items():
        if not tree.is_perfect_information:
            check_information_sets(tree, text)
            solution = solve(load_game(os.path.join(ROOT, path)))
            assert text.rstrip("\n").endswith(f"{headline(solution)}. {completeness_sentence(solution)}")
            checked += 1
    assert checked >= 5


TWICE = """\
title: A player who moves twice
players: [A, B]
tree:
  player: A
  moves:
    L: {payoffs: [1, 1]}
    R:
      player: B
      moves:
        l: {payoffs: [0, 0]}
        r:
          player: A
          moves:
            b: {payoffs: [-1, 3]}
            a: {payoffs: [2, 2]}
"""


def check_tree(tree, text: str):
    choices = check_backward_induction(tree, text)
    check_path(tree, text, choices)
    check_off_path(tree, text, choices)
    if tree.num_players >= 2:
        check_threats(tree, text)


def test_a_threat_whose_numbers_pass_a_point_the_plan_leaves_open(tmp_path):
    # (L, l) is a Nash equilibrium: B's l (0) is a threat, as r gives B 2 — A, at its second decision,
    # which its plan L leaves open, would take a (2 > −1). The old wording took A's first move there,
    # b, and said "r gives 3".
    path = tmp_path / "twice.yaml"
    path.write_text(TWICE)
    game = load_game(str(path))
    text = render(explain_game(game))
    check_tree(evaluate_game(game, {}), text)
    assert ("B after R would play l (0) though r gives 2, counting A after R→r as playing a, its best move there "
            "(A's plan leaves that point open: its own earlier move rules it out).") in text


@pytest.mark.parametrize("seed", range(30))
def test_random_perfect_information_trees(seed):
    """Small trees with payoffs 0–3 (so ties are common), chance nodes, players who move repeatedly."""
    rng = np.random.default_rng(seed)
    tree = random_perfect_information_tree(int(rng.integers(4, 10)), 2 + seed % 2, rng, integer_payoffs=True,
                                           exact=True, payoff_range=(0, 3), chance_fraction=0.15, max_branching=3)
    if math.prod(int(tree.num_children[n]) for n in decision_nodes(tree)) > 5000:
        pytest.skip("too many profiles for the brute force")
    check_tree(tree, render(explain_game(tree)))


# -- the pure equilibria and what the list of equilibria covers
def pure_equilibria(game: NormalFormGame) -> list[tuple]:
    out = []
    for cell in itertools.product(*[range(n) for n in game.shape]):
        if all(payoff(game, i, cell[i], cell[:i] + cell[i + 1:]) >= payoff(game, i, k, cell[:i] + cell[i + 1:])
               for i in range(game.num_players) for k in range(game.shape[i])):
            out.append(cell)
    return out


def two_player_equilibria(game: NormalFormGame) -> tuple[set, bool]:
    """Every equilibrium of a two-player game whose support equations pin it down, by trying every
    pair of supports; and whether some pair's equations leave a continuum (then more may exist)."""
    a = [[Fraction(game.payoffs[(0, r, c)]) for c in range(game.shape[1])] for r in range(game.shape[0])]
    b = [[Fraction(game.payoffs[(1, r, c)]) for c in range(game.shape[1])] for r in range(game.shape[0])]
    supports = [[s for k in range(1, n + 1) for s in itertools.combinations(range(n), k)] for n in game.shape]
    found, loose = set(), False
    for rows, columns in itertools.product(*supports):
        x = sympy.symbols(f"x0:{len(rows)}")
        y = sympy.symbols(f"y0:{len(columns)}")
        v, w = sympy.symbols("v w")
        equations = [sum(a[r][c] * yc for c, yc in zip(columns, y)) - v for r in rows] + [sum(y) - 1] + \
                    [sum(b[r][c] * xr for r, xr in zip(rows, x)) - w for c in columns] + [sum(x) - 1]
        solutions = sympy.linsolve(equations, [*x, *y, v, w])
        for solution in solutions:
            if any(value.free_symbols for value in solution):
                loose = True
                continue
            xs, ys = solution[:len(rows)], solution[len(rows):len(rows) + len(columns)]
            if min(xs) <= 0 or min(ys) <= 0:
                continue
            p = [Fraction(0)] * game.shape[0]
            q = [Fraction(0)] * game.shape[1]
            for r, value in zip(rows, xs):
                p[r] = Fraction(str(value))
            for c, value in zip(columns, ys):
                q[c] = Fraction(str(value))
            if all(expected(game, i, [p, q], k) <= expected(game, i, [p, q]) for i in range(2) for k in range(game.shape[i])):
                found.add((tuple(p), tuple(q)))
    return found, loose


def test_pure_equilibria_and_completeness_in_every_normal_form(accounts):
    for path, (game, text) in _normal_forms(accounts).items():
        lines = section(text, "Pure equilibria")
        listed = [line for line in lines if line.startswith("  - (")]
        assert len(listed) == len(pure_equilibria(game)) and (listed or "There is no equilibrium in pure strategies." in
                                                               " ".join(lines))
        for line, cell in zip(listed, pure_equilibria(game)):
            names = ", ".join(game.strategies[i][k] for i, k in enumerate(cell))
            payoffs = ", ".join(str(Fraction(game.payoffs[(i,) + cell])).replace("-", MINUS) for i in range(game.num_players))
            assert line == f"  - ({names}), with payoffs {payoffs}."
        solution = solve(load_game(os.path.join(ROOT, path)))
        # the one completeness sentence every report uses, after how many were found and how
        assert f"{headline(solution)}. {completeness_sentence(solution)}" in section(text, "Mixed equilibria"), path
        if game.num_players == 2 and solution.completeness == "finite-complete":
            found, loose = two_player_equilibria(game)
            listed_profiles = {tuple(tuple(Fraction(e.strategies[p][s]) for s in game.strategies[i])
                                     for i, p in enumerate(game.players)) for e in solution.equilibria}
            assert found <= listed_profiles and (loose or found == listed_profiles), path
