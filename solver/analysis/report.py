"""The computation behind ``solve report``: everything the HTML page shows, as data.

A :class:`Report` holds the game (as loaded and evaluated at the parameters in use), its solution,
the marks of its picture, the step-by-step explanation, and for each parameter with a ``range`` a
:class:`SweepSeries`: the outcome and the equilibrium payoffs at evenly spaced values (solved with
:func:`solver.analysis.sweep.sweep`). With ``concept="pbe"`` (or ``"sequential"``) the solution,
picture and explanation are of those equilibria, with beliefs, and each ranged parameter gets its
exact thresholds (:func:`solver.analysis.pbe_thresholds.pbe_thresholds`) instead of a sweep.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from solver.analysis.batched import ProgressReport
from solver.analysis.distributions import Beliefs, parse_distribution
from solver.analysis.explanation import Explanation, explain_game
from solver.analysis.grid import Axis
from solver.analysis.pbe_explanation import PBEExplanation, walk_equilibria
from solver.analysis.pbe_thresholds import PBEThresholds, pbe_thresholds
from solver.analysis.pictures import MarkedMatrix, PlayedTree, picture, played_tree, tree_solution
from solver.analysis.robustness import RobustnessResult, robustness
from solver.analysis.sweep import sweep, sweep_plan
from solver.api import evaluate_game, parameter_values, solve, solve_with_beliefs
from solver.equilibria.result import Note
from solver.model.expr import to_exact
from solver.model.tree import ExtensiveGame
from solver.results import Solution

SWEEP_POINTS = 41
#: Seconds ``solve`` may take for the report's list of equilibria.
SOLVE_TIMEOUT = 60
#: The note on a report whose game could not be solved.
UNSOLVED = "unsolved"
#: The stages ``build_report`` reports progress under.
SWEEPING = "sweeping the parameters"
FINDING_THRESHOLDS = "finding the thresholds"


@dataclass(frozen=True)
class SweepSeries:
    """One parameter from ``lo`` to ``hi``: at each value ``xs``, the outcome's label and the
    equilibrium payoffs (points × players; NaN where the equilibrium is not unique). ``error``
    says why there is no series."""
    name: str
    lo: object
    hi: object
    xs: np.ndarray | None = None
    labels: tuple[str, ...] = ()
    payoffs: np.ndarray | None = None
    error: str = ""


@dataclass(frozen=True)
class ParameterThresholds:
    """One ranged parameter's thresholds for perfect Bayesian (or sequential) equilibria, from
    ``lo`` to ``hi``; ``error`` says why there are none."""
    name: str
    lo: object
    hi: object
    result: PBEThresholds | None = None
    error: str = ""


@dataclass(frozen=True)
class Report:
    game: object                       # as loaded: its description, parameters and sources
    values: Mapping[str, object]       # the parameter values in use
    numeric: object                    # the game evaluated at them
    solution: Solution
    picture: MarkedMatrix | PlayedTree
    explanation: Explanation | PBEExplanation      # the second with a concept
    sweeps: tuple[SweepSeries, ...]
    sweep_points: int
    robustness: RobustnessResult | None = None     # every ranged parameter uniform over its range
    thresholds: tuple[ParameterThresholds, ...] = ()    # with a concept, instead of the sweeps


def sweep_series(game, name: str, lo, hi, settings: Mapping[str, object] | None, points: int = SWEEP_POINTS) -> SweepSeries:
    """The outcome and payoffs at ``points`` values of ``name`` from ``lo`` to ``hi``, the other
    parameters at ``settings`` (their defaults where not set)."""
    settings = {k: v for k, v in (settings or {}).items() if k != name}
    try:
        result = sweep(game, [Axis(name, lo, hi, points)], settings, processes=1)
    except (ValueError, ArithmeticError) as error:
        return SweepSeries(name, lo, hi, error=str(error))
    labels = tuple(result.outcomes[int(c)].label for c in result.codes.reshape(-1))
    return SweepSeries(name, lo, hi, result.axes[0].floats, labels,
                       np.asarray(result.payoffs, dtype=float).reshape(points, -1))


def build_report(game, parameters: Mapping[str, object] | None = None, sweep_points: int = SWEEP_POINTS,
                 weak: bool = False, progress: ProgressReport | None = None, concept: str | None = None) -> Report:
    """Everything ``solve report`` shows about ``game`` (as loaded) at ``parameters``; one sweep
    per parameter with a range unless ``sweep_points`` < 2. ``progress(what, done, total)`` is
    told after each sweep how many of them are done (the sweeps take most of the time).
    ``concept``: "pbe" or "sequential" for a report on those equilibria (a sequential game only;
    ``weak`` does not apply)."""
    values = parameter_values(game, parameters)
    numeric = evaluate_game(game, values)
    if concept:
        return _belief_report(game, parameters, values, numeric, sweep_points >= 2, progress, concept)
    solution = report_solution(game, parameters, values, numeric)
    ranged = [p for p in game.info.parameters if p.range] if sweep_points >= 2 else []
    sweeps = _each_parameter(ranged, SWEEPING, progress, lambda p: sweep_series(
        game, p.name, to_exact(p.range[0]), to_exact(p.range[1]), parameters, sweep_points))
    return Report(game, values, numeric, solution, picture(numeric, solution), explain_game(game, parameters, weak),
                  sweeps, sweep_points, report_robustness(game, parameters) if ranged else None)


def _each_parameter(ranged, stage: str, progress: ProgressReport | None, work) -> tuple:
    """``work(p)`` for each parameter of ``ranged``, telling ``progress`` how many are done."""
    done = []
    for k, p in enumerate(ranged):
        if progress is not None:
            progress(stage, k, len(ranged))
        done.append(work(p))
    if progress is not None and ranged:
        progress(stage, len(ranged), len(ranged))
    return tuple(done)


def _belief_report(game, parameters, values, numeric, with_thresholds: bool, progress, concept: str) -> Report:
    solution = solve_with_beliefs(game, parameters, concept, timeout=SOLVE_TIMEOUT)
    ranged = [p for p in game.info.parameters if p.range] if with_thresholds else []
    found = _each_parameter(ranged, FINDING_THRESHOLDS, progress, lambda p: parameter_thresholds(
        game, p.name, to_exact(p.range[0]), to_exact(p.range[1]), parameters, concept))
    return Report(game, values, numeric, solution, played_tree(solution.game, solution), walk_equilibria(solution),
                  (), 0, None, found)


def parameter_thresholds(game, name: str, lo, hi, settings: Mapping[str, object] | None, concept: str) -> ParameterThresholds:
    """The thresholds of ``name`` over its range (``lo`` to ``hi``), the other parameters at
    ``settings`` (their defaults where not set)."""
    settings = {k: v for k, v in (settings or {}).items() if k != name}
    try:
        return ParameterThresholds(name, lo, hi, pbe_thresholds(game, name, settings, concept=concept))
    except (ValueError, ArithmeticError) as error:
        return ParameterThresholds(name, lo, hi, error=str(error))


#: Samples of the report's robustness section (games solved sample by sample: ``POINTWISE_SAMPLES``).
ROBUSTNESS_SAMPLES = 20_000
POINTWISE_SAMPLES = 200


def report_robustness(game, parameters: Mapping[str, object] | None = None) -> RobustnessResult | None:
    """Outcome probabilities when every parameter with a range (and no value set) is uniformly
    uncertain over it: the report's robustness section (no Sobol indices, to keep it quick)."""
    ranged = [p for p in game.info.parameters if p.range and p.name not in (parameters or {})]
    if not ranged:
        return None
    beliefs = Beliefs({}, {p.name: parse_distribution(f"uniform({p.range[0]}, {p.range[1]})", p.name) for p in ranged})
    batched = sweep_plan(game)[0] != "pointwise"
    try:
        return robustness(game, beliefs, parameters, samples=ROBUSTNESS_SAMPLES if batched else POINTWISE_SAMPLES, seed=0,
                          workers=1, sobol_base=0)
    except (ValueError, ArithmeticError):
        return None


def report_solution(game, parameters, values, numeric) -> Solution:
    """The report's equilibria: as ``solve`` finds them, and for a tree those its picture marks
    (Nash equilibria, with a note, without perfect recall; none, with a note saying why, when it
    cannot be solved)."""
    if not isinstance(numeric, ExtensiveGame):
        return solve(game, parameters, timeout=SOLVE_TIMEOUT)
    try:
        return tree_solution(game, parameters, numeric, timeout=SOLVE_TIMEOUT)
    except (ValueError, ArithmeticError) as error:
        return Solution(title=game.info.title, form="sequential", players=tuple(game.players), parameters=values,
                        concept="nash", method="no method", complete=False, equilibria=(),
                        notes=(Note(UNSOLVED, f"the game could not be solved: {error}"),), game=numeric)
