"""What the explorer computes for one request, as data and HTML fragments; no web framework here.

Values from the browser arrive as ``NAME=VALUE`` text and go through the path ``--set`` takes
(:func:`solver.commands.common.parse_settings`, :func:`solver.api.parameter_values`), so a malformed
value gives the one-line error the command line prints. The game is solved exactly, with the
solve deadline of the server (``--timeout``); a solve cut short says so. Results are cached by game
and exact values (a slider moved back and forth costs nothing the second time).

>>> from solver.serve.catalog import Catalog
>>> explorer = Explorer(Catalog.from_path("games/tech_transfer.yaml"))
>>> explorer.view("tech_transfer", ("ammo_gain=6.5",))["summary"]
'Path of play: Transfer → Restrain → Engage'
>>> explorer.view("tech_transfer", ("ammo_gain=six",))
Traceback (most recent call last):
...
solver.serve.views.ExplorerError: games/tech_transfer.yaml: --set ammo_gain: expected a number such as 6.5, 13/2 or 2**-1, got 'six'
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import replace
from fractions import Fraction
from typing import Callable, Mapping

from solver.analysis.batched import ExactEvaluator
from solver.analysis.explanation import explain_game
from solver.analysis.grid import Axis
from solver.analysis.pictures import picture, tree_solution
from solver.analysis.report import UNSOLVED, build_report
from solver.analysis.sweep import sweep, sweep_plan
from solver.analysis.thresholds import find_thresholds
from solver.api import SolveError, evaluate_game, parameter_values, solve
from solver.core.limits import payoff_range_problem
from solver.commands.common import UserError, error_message, parse_settings
from solver.equilibria import registry
from solver.equilibria.result import DEADLINE, Note
from solver.io.yamlfile import GameFileError
from solver.io.yamlwrite import write_yaml
from solver.model.expr import ExpressionError, to_exact
from solver.model.tree import ExtensiveGame
from solver.present.explain import sections
from solver.present.html import equilibria_html, explanation_html, render_report
from solver.present.thresholds_text import cause_sentence, exact_text
from solver.present.words import completeness_sentence, describe_mixed
from solver.results import Solution
from solver.serve.catalog import Catalog, Entry
from solver.serve.picture import picture_html
from solver.serve.regionmap import outcome_legend, region_svg

#: Seconds one solve may take unless the server is started with another ``--timeout``.
DEFAULT_TIMEOUT = 10.0
#: Grid points per axis of a region map solved by a batched engine, and of one solved point by point.
MAP_POINTS = 81
POINTWISE_MAP_POINTS = 13
#: Points per sweep plot in the downloaded report.
REPORT_SWEEP_POINTS = 21
CACHE_SIZE = 512
#: Equilibria named in the one-line summary.
SUMMARY_LIMIT = 4


class ExplorerError(Exception):
    """A request that cannot be answered, with the one line the page shows."""


class _Cache:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key, compute: Callable[[], object]):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


def plain_number(value) -> str:
    """A value as a number box shows it and ``--set`` reads it back: ``6.5``, ``1/3``, ``-2``."""
    if isinstance(value, (int, Fraction)):
        value = Fraction(value)
        decimal = repr(float(value))
        if Fraction(decimal) == value:
            return decimal[:-2] if decimal.endswith(".0") else decimal
        return f"{value.numerator}/{value.denominator}"
    return repr(float(value))


def settings_from_query(entry: Entry, query: Mapping[str, str], page_keys=()) -> tuple[str, ...]:
    """The query's parameter values as ``--set`` items; ``page_keys`` (the page's own keys, such as
    the region map's axes) are left out unless the game has a parameter of that name."""
    names = {p.name for p in entry.parameters}
    return tuple(f"{k}={v}" for k, v in query.items() if k in names or k not in page_keys)


class Explorer:
    """The games of a catalog, and everything the page asks about them."""

    def __init__(self, catalog: Catalog, timeout: float = DEFAULT_TIMEOUT):
        self.catalog, self.timeout = catalog, timeout
        self._cache = _Cache()
        self._evaluators: dict[str, ExactEvaluator] = {}

    def entry(self, ident: str) -> Entry:
        entry = self.catalog.get(ident)
        if entry is None:
            raise KeyError(ident)
        return entry

    def warm_up(self) -> None:
        """Import every method now: under a deadline a method runs in a forked child process, which
        would otherwise import it again on every request (about 0.5 s)."""
        for method in registry.METHODS:
            method.function()

    def map_axes(self, ident: str, x: str | None = None, y: str | None = None) -> tuple[str, str] | None:
        """The region map's two parameters: ``x`` and ``y`` where they have ranges, else the first
        parameters with a range; None when fewer than two have one."""
        ranged = [p.name for p in self.entry(ident).parameters if p.range is not None]
        if len(ranged) < 2:
            return None
        x = x if x in ranged else ranged[0]
        y = y if y in ranged and y != x else next(n for n in ranged if n != x)
        return x, y

    # ---- values --------------------------------------------------------------------------------
    def values(self, ident: str, settings: tuple[str, ...]) -> dict[str, object]:
        """Every parameter's exact value: the file's, with ``settings`` (``NAME=VALUE``) overriding."""
        entry = self.entry(ident)
        try:
            return parameter_values(entry.game, parse_settings(settings, entry.path))
        except UserError as error:
            raise ExplorerError(error.message) from None
        except (SolveError, ExpressionError, GameFileError) as error:
            raise ExplorerError(error_message(error, entry.path, entry.game, settings)) from None

    def _key(self, kind: str, ident: str, values: Mapping[str, object], *extra) -> tuple:
        return (kind, ident, *extra, tuple(sorted((k, str(v)) for k, v in values.items())))

    def _guarded(self, entry: Entry, settings, compute: Callable[[], object]):
        """``compute()`` with the library's errors as one-line ``ExplorerError``s."""
        try:
            return compute()
        except (SolveError, ExpressionError, GameFileError, TimeoutError) as error:
            raise ExplorerError(error_message(error, entry.path, entry.game, settings)) from None
        except (ValueError, ArithmeticError) as error:          # a game these values make unsolvable
            raise ExplorerError(f"{entry.path}: {error}") from None

    # ---- the game at these values ----------------------------------------------------------------
    def view(self, ident: str, settings: tuple[str, ...]) -> dict:
        """The picture, the equilibria and a one-line summary at these values."""
        values = self.values(ident, settings)
        entry = self.entry(ident)
        return self._cache.get(self._key("view", ident, values),
                               lambda: self._guarded(entry, settings, lambda: self._view(entry, values)))

    def _numeric(self, entry: Entry, values: dict):
        """The game at these values, as ``evaluate_game`` makes it, from compiled exact functions
        (sympy's substitution takes about 70 ms on covert_transfer). Anything unusual (a payoff
        outside the range of numbers, an invalid chance probability, a division by zero) goes
        through ``evaluate_game`` itself, for its error."""
        evaluator = self._evaluators.get(entry.id)
        if evaluator is None:
            evaluator = self._evaluators.setdefault(entry.id, ExactEvaluator(entry.game))
        try:
            numeric = evaluator(values)
        except (ExpressionError, ArithmeticError, ValueError):
            return evaluate_game(entry.game, values)
        tree = isinstance(numeric, ExtensiveGame)
        numbers = list(numeric.leaf_payoffs.flat) + list(numeric.chance_probs) if tree else list(numeric.payoffs.flat)
        if any(payoff_range_problem(v) for v in numbers) or (tree and numeric.check_probabilities()):
            return evaluate_game(entry.game, values)
        return numeric

    def _view(self, entry: Entry, values: dict) -> dict:
        started = time.perf_counter()
        numeric = self._numeric(entry, values)
        solution = replace(self._solution(entry, numeric), parameters=values)
        timed_out = any(note.code == DEADLINE for note in solution.notes)
        return {"values": {k: plain_number(v) for k, v in values.items()},
                "picture": picture_html(picture(numeric, solution)),
                "summary": summary(solution), "completeness": completeness_sentence(solution),
                "equilibria": equilibria_html(solution), "complete": bool(solution.complete),
                "timed_out": timed_out, "time_limit": self.timeout, "notice": timeout_notice(self.timeout) if timed_out else "",
                "solve_ms": round(1000 * (time.perf_counter() - started), 1)}

    def _solution(self, entry: Entry, numeric) -> Solution:
        """As ``solve`` finds them (of the game at these values), with the server's deadline; for a
        tree, those its picture marks (Nash equilibria without perfect recall; none, with a note,
        when it cannot be solved)."""
        game = entry.game
        if not isinstance(numeric, ExtensiveGame):
            return solve(numeric, timeout=self.timeout)
        try:
            return tree_solution(numeric, None, numeric, timeout=self.timeout)
        except (ValueError, ArithmeticError) as error:
            return Solution(title=game.info.title, form="sequential", players=tuple(game.players), parameters={},
                            concept="nash", method="no method", complete=False, equilibria=(),
                            notes=(Note(UNSOLVED, f"the game could not be solved: {error}"),), game=numeric)

    def explanation(self, ident: str, settings: tuple[str, ...]) -> str:
        """``solve explain``'s steps as HTML."""
        values = self.values(ident, settings)
        entry = self.entry(ident)
        return self._cache.get(self._key("explain", ident, values), lambda: self._guarded(
            entry, settings, lambda: explanation_html(sections(explain_game(entry.game, values)))))

    # ---- thresholds and the region map -----------------------------------------------------------
    def thresholds(self, ident: str, settings: tuple[str, ...], parameter: str) -> dict:
        """The exact values of ``parameter`` in its range where the outcome changes, the others at
        these values: each with its value as a number (to place a tick) and in words."""
        values = self.values(ident, settings)
        entry = self.entry(ident)
        declared = next((p for p in entry.parameters if p.name == parameter), None)
        if declared is None:
            raise ExplorerError(f"{entry.path}: unknown parameter '{parameter}'")
        others = {k: v for k, v in values.items() if k != parameter}
        if declared.range is None:
            return {"parameter": parameter, "ticks": [], "note": "no range in the file"}
        return self._cache.get(self._key("thresholds", ident, others, parameter),
                               lambda: self._guarded(entry, settings, lambda: self._thresholds(entry, parameter, others)))

    def _thresholds(self, entry: Entry, parameter: str, others: dict) -> dict:
        game = entry.game
        structural = not isinstance(game, ExtensiveGame) or game.is_perfect_information
        report = find_thresholds(game, parameter, others, check=not structural, processes=1)
        ticks = []
        for point in report.points:
            if point.edge or not point.value.is_real:
                continue
            why = cause_sentence(report, point.causes[0], point.value) if point.causes else point.label
            ticks.append({"value": float(point.value), "text": exact_text(point.value), "why": why,
                          "approximate": bool(point.approximate)})
        return {"parameter": parameter, "ticks": ticks, "note": "" if structural else "located by a sweep and bisection"}

    def region_map(self, ident: str, settings: tuple[str, ...], x: str, y: str) -> dict:
        """The outcome over the ranges of ``x`` and ``y``, the other parameters at these values:
        an SVG map with the point of these values marked."""
        values = self.values(ident, settings)
        entry = self.entry(ident)
        ranged = {p.name: p for p in entry.parameters if p.range is not None}
        for name in (x, y):
            if name not in ranged:
                raise ExplorerError(f"{entry.path}: the map needs parameters with a range; '{name}' has none"
                                    if name in values else f"{entry.path}: unknown parameter '{name}'")
        if x == y:
            raise ExplorerError(f"{entry.path}: choose two different parameters for the map")
        others = {k: v for k, v in values.items() if k not in (x, y)}
        result = self._cache.get(self._key("map", ident, others, x, y),
                                 lambda: self._guarded(entry, settings, lambda: self._sweep(entry, ranged, x, y, others)))
        return {"svg": region_svg(result, values[x], values[y]), "x": x, "y": y,
                "legend": [{"colour": c, "label": label} for c, label in outcome_legend(result)], "points": result.size}

    def _sweep(self, entry: Entry, ranged, x: str, y: str, others: dict):
        mode, _ = sweep_plan(entry.game)
        count = POINTWISE_MAP_POINTS if mode == "pointwise" else MAP_POINTS
        axes = [Axis(name, to_exact(ranged[name].range[0]), to_exact(ranged[name].range[1]), count) for name in (x, y)]
        return sweep(entry.game, axes, others, processes=1, game_path=entry.path)

    # ---- downloads -----------------------------------------------------------------------------
    def game_yaml(self, ident: str, settings: tuple[str, ...]) -> str:
        """The game as a YAML game file whose parameters have these values."""
        values = self.values(ident, settings)
        entry = self.entry(ident)
        info = entry.game.info
        parameters = tuple(replace(p, value=values[p.name]) for p in info.parameters)
        changed = [f"{k} = {plain_number(v)}" for k, v in values.items() if v != entry.defaults()[k]]
        try:
            text = write_yaml(replace(entry.game, info=replace(info, parameters=parameters)))
        except ValueError as error:
            raise ExplorerError(f"{entry.path}: cannot write the game as YAML: {error}") from None
        return (f"# Written by solve serve from {entry.path}"
                + (f" with {', '.join(changed)}" if changed else "") + "\n" + text)

    def report(self, ident: str, settings: tuple[str, ...]) -> str:
        """``solve report`` at these values: one self-contained HTML page."""
        values = self.values(ident, settings)
        entry = self.entry(ident)
        return self._guarded(entry, settings, lambda: render_report(
            build_report(entry.game, values, sweep_points=REPORT_SWEEP_POINTS), source_path=entry.path))


def summary(solution: Solution) -> str:
    """One line: the path of play (trees) or the equilibria (matrices), and how many there are."""
    equilibria = solution.equilibria
    if not equilibria:
        return "No equilibrium was found." if solution.complete else "No equilibrium was found in the time allowed."
    if solution.form == "sequential":
        first = equilibria[0]
        path = first.path[0][0] if len(first.path) == 1 else "; ".join(f"{o} ({p})" for o, p in first.path)
        words = "Path of play" if len(first.path) == 1 else "Outcomes"
        if len(equilibria) == 1:
            return f"{words}: {path}"
        kind = "subgame-perfect" if solution.concept == "subgame-perfect" else "Nash"
        return f"{len(equilibria)} {kind} equilibria; the first's {words.lower()}: {path}"
    shown = [e.label if e.pure else "; ".join(f"{p} {describe_mixed(e.strategies[p])}" for p in solution.players)
             for e in equilibria[:SUMMARY_LIMIT]]
    more = f" and {len(equilibria) - SUMMARY_LIMIT} more" if len(equilibria) > SUMMARY_LIMIT else ""
    noun = "Equilibrium" if len(equilibria) == 1 else f"{len(equilibria)} equilibria"
    return f"{noun}: " + " | ".join(f"({s})" for s in shown) + more


def timeout_notice(limit: float | None) -> str:
    """What the page says when a solve was stopped by its time limit (``limit`` seconds, or the
    method's own limit when the server gives none)."""
    stated = f" ({limit:g} s per request)" if limit is not None else ""
    return f"The solve was stopped by the time limit{stated}: the list may miss equilibria."
