"""The words every presenter shares: what a list of equilibria covers, and its continua.

``completeness_sentence(solution)`` is the one sentence, in every report (text, Markdown, HTML,
explanations), that says whether the list is every equilibrium and, if not, what it is complete
for. It is built from ``Solution.completeness`` and the structured families, components and notes,
never from another layer's prose. "Every equilibrium" is said only when the game has finitely many
and all are listed.

Equilibria are numbered from 1, as every report (and the JSON ``numbers``) numbers them.

>>> from solver import load_game, solve
>>> completeness_sentence(solve(load_game("games/prisoners_dilemma.yaml")))
"This is the game's only Nash equilibrium."
>>> completeness_sentence(solve(load_game("tests/data/tied_tree.yaml")))
'All 8 pure subgame-perfect equilibria are listed; a player is indifferent somewhere, so mixing between the tied moves gives infinitely many more.'
>>> plural(1, "player"), plural(3, "support profile"), plural(2, "continuum", "continua")
('1 player', '3 support profiles', '2 continua')
"""
from __future__ import annotations

from collections import Counter

from solver.analysis.labels import decision_point, move_names
from solver.equilibria.result import DEADLINE, LIMIT, ONE_EQUILIBRIUM, TIES, Family
from solver.present.table import number
from solver.results import COMPONENTS, FAMILIES, FINITE, PURE_ONLY, PURE_WITH_TIES, SUBGAME_EXTREMES, Solution, numbered

__all__ = ["completeness_sentence", "headline", "plural", "describe_mixed", "component_lines", "family_summary",
           "mixture_lines", "COVERED_NOTES", "MAX_LISTED"]

#: Without ``--verbose`` a report lists at most this many components, convex pieces or families.
MAX_LISTED = 5
#: Note codes whose content the completeness sentence says (reports leave these notes out).
COVERED_NOTES = frozenset({TIES})


def plural(count: int, word: str, many: str = "") -> str:
    """``1 player``, ``2 players``; ``many`` is the plural when it is not ``word + "s"``."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def describe_mixed(probabilities: dict) -> str:
    """``{"hawk": 2/3, "dove": 1/3}`` → ``"hawk 2/3, dove 1/3"``; a pure strategy is its name."""
    support = [(s, p) for s, p in probabilities.items() if p != 0]
    if len(support) == 1:
        return support[0][0]
    return ", ".join(f"{s} {number(p)}" for s, p in support)


#: How each solution concept is named in a sentence (anything else is Nash).
CONCEPT_WORDS = {"subgame-perfect": "subgame-perfect", "perfect-bayesian": "perfect Bayesian", "sequential": "sequential"}


def _noun(solution: Solution, count: int = 2) -> str:
    kind = CONCEPT_WORDS.get(solution.concept, "Nash")
    return f"{kind} {'equilibrium' if count == 1 else 'equilibria'}"


def concept_title(solution: Solution) -> str:
    """``Perfect Bayesian equilibria``: a heading for the solution's list."""
    title = _noun(solution)
    return title[0].upper() + title[1:]


def headline(solution: Solution) -> str:
    """``Nash equilibria: 3 found by enumerate (vertex-enumeration)``: the count and the method as
    ``--method`` names it; the completeness sentence follows it in every report. When several
    extreme equilibria of a tree's reduced normal form are one behaviour profile, the count is of
    distinct profiles and says of how many extreme equilibria."""
    line = f"{concept_title(solution)}: {len(solution.equilibria):,} found by {solution.method_title}"
    extreme = sum(getattr(e, "extreme_points", 1) for e in solution.equilibria)
    if extreme > len(solution.equilibria):
        line += (f"; the reduced normal form's {extreme:,} extreme equilibria give these {len(solution.equilibria):,} "
                 "distinct behaviour profiles")
    return line


def completeness_sentence(solution: Solution) -> str:
    """What the listed equilibria cover, as one or two sentences ending with a full stop."""
    code, n = solution.completeness, len(solution.equilibria)
    ties = solution.has_note(TIES)
    if code == FINITE:
        if n == 0:
            return f"The game has no {_noun(solution, 1)}."
        return f"This is the game's only {_noun(solution, 1)}." if n == 1 else \
            f"These are all {n:,} of the game's {_noun(solution)}."
    if code == COMPONENTS:
        where = "the component they span" if len(solution.components) == 1 else \
            f"one of the {len(solution.components):,} components they span"
        return (f"{_all(n)} extreme {_noun(solution, n)} {_are(n)} listed; the game has infinitely many more, each a "
                f"mixture of listed equilibria inside {where}.")
    if code == PURE_WITH_TIES:
        return (f"{_all(n)} pure {_noun(solution, n)} {_are(n)} listed; a player is indifferent somewhere, so mixing "
                f"between the tied moves gives infinitely many more.")
    if code == FAMILIES:
        return _families_sentence(solution) + (_TIES_CLAUSE if ties else "")
    if code == SUBGAME_EXTREMES:
        return (f"Listed: every subgame-perfect equilibrium built from extreme equilibria of the subgames ({n:,}); if a "
                f"subgame's equilibria form a continuum, its other points give further subgame-perfect equilibria, "
                f"not listed." + (_TIES_CLAUSE if ties else ""))
    if code == PURE_ONLY:
        return (f"Only pure equilibria were searched: {_all(n).lower()} pure {_noun(solution, n)} {_are(n)} listed; mixed "
                f"ones may exist.")
    return _incomplete_sentence(solution)


def _all(n: int) -> str:
    return {0: "No", 1: "The one", 2: "Both"}.get(n, f"All {n:,}")


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


_TIES_CLAUSE = " Mixing between tied moves also gives subgame-perfect equilibria."


def _families_sentence(solution: Solution) -> str:
    """Complete, with continua that the listed equilibria do not span."""
    parts = []
    if solution.families:
        count = len(solution.families)
        parts.append(plural(count, "continuum", "continua") + f" of equilibria known by some of {_its(count)} points")
    if solution.components:
        parts.append("every mixture inside " + plural(len(solution.components), "component") + " spanned by listed "
                                                                                             "equilibria")
    if solution.mixtures:
        parts.append("segments joining listed equilibria that differ at one decision point only")
    listed = f"the {n:,} listed" if (n := len(solution.equilibria)) != 1 else "the one listed"
    caveat = (" (combinations of the subgames' extreme equilibria)" if solution.extremes_only else "")
    return (f"Not every {_noun(solution, 1)} is listed: the game has infinitely many. Besides {listed}{caveat}, "
            f"it has {_join(parts)}.")


def _its(count: int) -> str:
    return "its" if count == 1 else "their"


def _incomplete_sentence(solution: Solution) -> str:
    if solution.has_note(DEADLINE):
        reason = "the time limit stopped the search, so other equilibria may exist"
    elif solution.has_note(LIMIT):
        reason = "the list was cut at its limit and more equilibria exist"
    elif solution.has_note(ONE_EQUILIBRIUM) or solution.method_name in ("lemke-howson", "homotopy", "zero-sum",
                                                                        "sequence-form"):
        reason = f"{solution.method_name or 'this method'} finds some equilibria, not all: others may exist"
    else:
        reason = "other equilibria may exist"
    return f"NOT complete: {reason}."


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# ---- continua ----------------------------------------------------------------------------------
def _player_part(solution: Solution, player: str, indices) -> str:
    """How one player plays across a convex set of equilibria (normal form): one strategy, or any
    mixture of its strategies in the set's listed equilibria."""
    strategies = list(dict.fromkeys(describe_mixed(solution.equilibria[k].strategies[player]) for k in indices))
    if len(strategies) == 1:
        return f"{player} plays {strategies[0]}"
    if all(", " not in s for s in strategies):
        return f"{player} mixes {', '.join(strategies)} in any proportions"
    return f"{player} plays any mixture of " + _join([f"({s})" if ", " in s else s for s in strategies])


def convex_set_text(solution: Solution, indices) -> str:
    """One maximal Nash subset: its listed vertices and every mixture of them (all equilibria)."""
    text = f"equilibria {numbered(indices)} and every mixture of them"
    if solution.form == "normal":
        text += " (" + "; ".join(_player_part(solution, p, indices) for p in solution.players) + ")"
    return text


def component_lines(solution: Solution, verbose: bool = False) -> list[str]:
    """One line per component (indented lines for its convex pieces), at most ``MAX_LISTED`` of
    each unless ``verbose``."""
    lines = []
    shown = solution.components if verbose else solution.components[:MAX_LISTED]
    for k, component in enumerate(shown, 1):
        subsets = solution.subsets_of(component)
        if len(subsets) == 1:
            lines.append(f"Component {k}: {convex_set_text(solution, subsets[0])}.")
            continue
        lines.append(f"Component {k}: equilibria {numbered(component.members)}, the union of {len(subsets):,} convex "
                     f"sets of equilibria joined at shared strategies (a mixture across two of them need not be one):")
        pieces = subsets if verbose else subsets[:MAX_LISTED]
        lines.extend(f"  {convex_set_text(solution, s)}" for s in pieces)
        if len(pieces) < len(subsets):
            lines.append(f"  … and {len(subsets) - len(pieces):,} more (--verbose lists them all)")
    if len(shown) < len(solution.components):
        lines.append(f"… and {plural(len(solution.components) - len(shown), 'more component')} (--verbose lists them all)")
    return lines


def family_summary(families: tuple[Family, ...], verbose: bool = False) -> tuple[str, tuple[Family, ...]]:
    """A count of the continua by dimension, and the ones to describe: all with ``verbose``,
    otherwise the ``MAX_LISTED`` largest."""
    dimensions = Counter(f.dimension for f in families)
    counts = ", ".join(f"{c:,} of dimension {d}" if d is not None else f"{c:,} of unknown dimension"
                       for d, c in sorted(dimensions.items(), key=lambda kv: -(kv[0] or 0)))
    summary = f"{plural(len(families), 'continuum', 'continua')} of equilibria ({counts})"
    if verbose or len(families) <= MAX_LISTED:
        return summary, families
    largest = tuple(sorted(families, key=lambda f: -(f.dimension or 0))[:MAX_LISTED])
    return summary + f"; the {MAX_LISTED} largest (--verbose or --format json lists them all)", largest


def mixture_lines(solution: Solution, verbose: bool = False) -> list[str]:
    """Pairs of listed equilibria that differ at one decision point only: every mixture of the two
    moves there is an equilibrium too (at most ``MAX_LISTED`` unless ``verbose``)."""
    shown = solution.mixtures if verbose else solution.mixtures[:MAX_LISTED]
    moves = move_names(solution.game)
    lines = []
    for a, b in shown:
        first, second = solution.equilibria[a].strategies, solution.equilibria[b].strategies
        where = [(p, label) for p in solution.players for label in first[p] if first[p][label] != second[p].get(label)]
        at = "; ".join(f"{p} {decision_point(label, p, moves)}" for p, label in where)
        at = at.replace(" at at ", " at ")
        lines.append(f"Equilibria {a + 1} and {b + 1} differ only in the move of {at}: every mixture of the two "
                     f"moves there is an equilibrium too.")
    if len(shown) < len(solution.mixtures):
        lines.append(f"… and {plural(len(solution.mixtures) - len(shown), 'more such pair')} (--verbose lists them all)")
    return lines
