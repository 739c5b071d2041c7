"""Robustness of a decision under uncertain payoffs: draw the parameters from what is believed
about them, solve the game at every sample, and summarise.

- **Outcome probabilities**: the share of samples with each equilibrium outcome (named as the sweeps
  name them), with a 95% Wilson score interval (Wilson 1927, "Probable inference, the law of
  succession, and statistical inference"; e.g. Brown, Cai & DasGupta 2001).
- **Payoffs**: each player's equilibrium payoff over the samples (mean, quantiles, histogram);
  samples where the payoff is not unique (several equilibria of a normal form) are counted apart.
- **What drives the outcome**: a tornado (each sampled parameter at its 5th and 95th percentile, the
  others at their medians) and first-order and total Sobol indices (``solver.analysis.sobol``) of
  the probability of each outcome and of each player's payoff.
- **Threshold surfaces**: for each sampled parameter, ``solver.analysis.thresholds`` gives the exact
  values (as formulas in the other parameters) where the outcome changes, with the others at their
  medians (and again at the file's values); each outcome is paired with the condition that best
  matches the samples where it occurs, with how often that condition holds there and how often the
  outcome follows from it.

Sampling and solving are in ``solver.analysis.sampling``; ``solver.present.robustness_text`` writes
the result.

>>> from solver import load_game
>>> from solver.analysis.distributions import Beliefs, parse_distribution
>>> game = load_game("games/tech_transfer.yaml")
>>> beliefs = Beliefs({}, {"ammo_gain": parse_distribution("uniform(0, 10)", "ammo_gain")})
>>> result = robustness(game, beliefs, samples=20_000, seed=1, workers=1, sobol_base=0)
>>> [(o.label, round(o.probability, 2)) for o in result.outcomes]
[('Withhold → Enable → Engage', 0.6), ('Transfer → Restrain → Engage', 0.4)]
>>> explanation = result.explanations[1]
>>> explanation.parameter, [(str(lo), str(hi)) for lo, hi in explanation.pieces], explanation.coverage
('ammo_gain', [('china_squeeze', 'None')], 1.0)
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import numpy as np
import sympy

from solver.analysis import sobol
from solver.analysis.distributions import Beliefs
from solver.analysis.sampling import SAMPLING, Plan, ProgressReport, Runner, make_plan, merge, outcome_label, rows_task, solve_chunk, solve_rows
from solver.analysis.thresholds import find_thresholds, formula
from solver.api import SolveError, parameter_values
from solver.model.expr import compile_numpy, free_names
from solver.model.tree import ExtensiveGame

DEFAULT_SAMPLES = 100_000
Z95 = 1.959963984540054
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
HISTOGRAM_BINS = 20
TORNADO = (0.05, 0.95)
#: Outcomes rarer than this (or more common than 1 minus it) get no Sobol indices of their own.
SOBOL_MIN_SHARE = 0.001


@dataclass(frozen=True)
class OutcomeShare:
    key: tuple
    label: str
    count: int
    probability: float
    low: float                  # 95% Wilson interval
    high: float


@dataclass(frozen=True)
class PayoffSummary:
    player: str
    defined: int                # samples with a unique equilibrium payoff
    mean: float
    quantiles: tuple            # (q, value) for QUANTILES
    edges: tuple                # histogram bin edges
    counts: tuple               # histogram counts


@dataclass(frozen=True)
class TornadoBar:
    parameter: str
    low_value: float
    high_value: float
    low_payoffs: tuple
    high_payoffs: tuple
    low_label: str
    high_label: str
    base_payoffs: tuple = ()    # every parameter at its median


@dataclass(frozen=True)
class Sensitivity:
    """Sobol indices of one output: ``what`` is ``"outcome"`` (its probability) or ``"payoff"``."""
    what: str
    name: str                   # the outcome's label or the player
    indices: sobol.SobolIndices


@dataclass(frozen=True)
class Explanation:
    """An outcome matched to the threshold surfaces of one parameter: it is predicted where the
    parameter lies in one of ``pieces`` ((lower bound, upper bound) expressions, None for open).
    ``coverage``: share of the outcome's samples where the condition holds; ``holds``: share of all
    samples where it holds; ``precision``: share of those with this outcome."""
    label: str
    parameter: str
    pieces: tuple
    coverage: float
    holds: float
    precision: float
    at: str = "medians"         # where the other parameters were when the thresholds were found


@dataclass
class RobustnessResult:
    game: object
    game_path: str
    plan: Plan
    outcomes: list[OutcomeShare]
    payoffs: list[PayoffSummary]
    undefined_payoffs: int
    exact_points: int
    timed_out: int
    tornado: list[TornadoBar]
    sensitivities: list[Sensitivity]
    sobol_base: int
    explanations: list[Explanation]
    method: str
    elapsed: float
    where: str
    notes: list[str] = field(default_factory=list)
    keys: list | None = None
    codes: np.ndarray | None = None
    sample_payoffs: np.ndarray | None = None

    @property
    def samples(self) -> int:
        return self.plan.samples

    @property
    def seed(self) -> int:
        return self.plan.seed

    @property
    def beliefs(self) -> Beliefs:
        return self.plan.beliefs


def wilson(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion ``count / total``.

    >>> [round(v, 4) for v in wilson(40, 100)]
    [0.3094, 0.498]
    """
    if total <= 0:
        return 0.0, 1.0
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return max(0.0, centre - half), min(1.0, centre + half)


def exact_fixed_values(game, beliefs: Beliefs, settings: Mapping[str, object] | None = None) -> dict:
    """Every parameter's exact value (file values, ``settings`` overriding) except the uncertain ones."""
    values = parameter_values(game, settings)
    for name in beliefs.distributions:
        if name not in values:
            known = ", ".join(sorted(values)) or "this game has no parameters"
            raise SolveError(f"unknown parameter '{name}' (parameters: {known})", f"--dist {name}")
        if settings and name in settings:
            raise SolveError(f"'{name}' has both a distribution and a --set value", f"--dist {name}")
    return {k: v for k, v in values.items() if k not in beliefs.distributions}


def robustness(game, beliefs: Beliefs, settings: Mapping[str, object] | None = None, *, samples: int = DEFAULT_SAMPLES,
               seed: int = 0, workers: int | None = None, scheduler: str | None = None, timeout: float | None = None,
               sobol_base: int | None = None, thresholds: bool = True, pointwise: bool = False,
               progress: ProgressReport | None = None, game_path: str = "", keep_samples: bool = False) -> RobustnessResult:
    """Sample ``samples`` parameter points from ``beliefs`` (the other parameters at their values,
    ``settings`` overriding) with ``seed``, solve the game at each and summarise. ``sobol_base``:
    base rows of the Sobol design (0: none; default ``sobol.DEFAULT_BASE`` for batched games and
    none for games solved point by point).

    long because it orders the work so that the workers sample while this process finds the
    threshold surfaces and imports SALib, then feeds them the Sobol design, the matching of the
    surfaces to the samples and the Sobol analyses."""
    started = time.perf_counter()
    if samples < 1:
        raise SolveError("the number of samples must be at least 1", "--samples")
    plan = make_plan(game, beliefs, exact_fixed_values(game, beliefs, settings), samples, seed, timeout, pointwise)
    notes: list[str] = []
    if sobol_base is None:
        sobol_base = 0 if plan.mode == "pointwise" else sobol.DEFAULT_BASE
        if plan.mode == "pointwise":
            notes.append("Sobol indices skipped: this game is solved sample by sample (ask for them with --sobol-samples N)")
    want_sobol = sobol_base > 0 and bool(plan.beliefs.sampled)
    with Runner(plan, workers, scheduler) as runner:
        sampling = [runner.submit(solve_chunk, k) for k in range(plan.chunks)]
        importing = threading.Thread(target=sobol.available, daemon=True)     # SALib is slow to import: meanwhile
        if want_sobol:
            importing.start()
        candidates = _candidates(plan, notes) if thresholds else []
        design = None
        if want_sobol:
            importing.join()
            if sobol.available():
                design = sobol.design(len(plan.beliefs.sampled), sobol_base, seed)
                design_runs = [runner.submit(rows_task, design[a:a + plan.chunk]) for a in range(0, len(design), plan.chunk)]
            else:
                notes.append("Sobol indices skipped: SALib is not installed (pip install 'strategy-solver[uncertainty]')")
        chunks = runner.collect(sampling, progress, SAMPLING, size=lambda r: len(r.codes))
        keys, codes, payoffs, exact, timed_out = merge(chunks)
        del chunks
        labels = [outcome_label(k, game) for k in keys]
        matching = [runner.submit(match_chunk, k, candidates, codes[k * plan.chunk:k * plan.chunk + plan.chunk_rows(k)], labels)
                    for k in range(plan.chunks)] if candidates else []
        result = RobustnessResult(game, game_path, plan, _shares(game, keys, codes), *_payoff_summaries(game, payoffs),
                                  exact, timed_out, _tornado(plan, game), [], 0, [], _method_text(plan), 0.0,
                                  f"Dask cluster at {scheduler}" if scheduler else f"{runner.workers} local worker process(es)",
                                  notes)
        if matching:
            counts = np.sum(runner.collect(matching), axis=0)
            result.explanations = _explanations(result, candidates, counts)
        if design is not None:
            result.sensitivities = _sensitivities(runner, result, design_runs, sobol_base, progress)
            result.sobol_base = sobol_base
            if plan.beliefs.correlations:
                notes.append("Sobol indices are computed with the parameters independent (the rank correlations are not applied "
                             "to the Sobol design)")
    if keep_samples:
        result.keys, result.codes, result.sample_payoffs = keys, codes, payoffs
    result.elapsed = time.perf_counter() - started
    return result


def _method_text(plan: Plan) -> str:
    if plan.mode == "tree":
        return "batched backward induction (ties solved exactly)"
    if plan.mode == "normal":
        return "batched best responses" + (" and the closed-form 2×2 mixed equilibrium" if plan.game.shape == (2, 2) else "") \
            + " (ties solved exactly)"
    limit = f", at most {plan.timeout:g} s each" if plan.timeout else ""
    return f"the single-point solver ({plan.method}) at every sample{limit}"


def _shares(game, keys: list, codes: np.ndarray) -> list[OutcomeShare]:
    counts = np.bincount(codes, minlength=len(keys))
    total = int(codes.size)
    shares = [OutcomeShare(key, outcome_label(key, game), int(c), int(c) / total, *wilson(int(c), total))
              for key, c in zip(keys, counts) if c]
    return sorted(shares, key=lambda s: (-s.count, s.label))


def _payoff_summaries(game, payoffs: np.ndarray) -> tuple[list[PayoffSummary], int]:
    defined = np.all(np.isfinite(payoffs), axis=1)
    summaries = []
    for i, player in enumerate(game.players):
        values = payoffs[defined, i]
        if values.size == 0:
            summaries.append(PayoffSummary(player, 0, math.nan, (), (), ()))
            continue
        low, high = float(values.min()), float(values.max())
        counts, edges = np.histogram(values, bins=HISTOGRAM_BINS if high > low else 1,
                                     range=(low, high) if high > low else (low - 0.5, low + 0.5))
        quantiles = tuple((q, float(v)) for q, v in zip(QUANTILES, np.quantile(values, QUANTILES)))
        summaries.append(PayoffSummary(player, int(values.size), float(values.mean()), quantiles,
                                       tuple(float(e) for e in edges), tuple(int(c) for c in counts)))
    return summaries, int((~defined).sum())


def _tornado(plan: Plan, game) -> list[TornadoBar]:
    """Each sampled parameter at its 5th and 95th percentile, the others at their medians."""
    names = plan.beliefs.sampled
    D = len(names)
    if D == 0:
        return []
    u = np.full((2 * D + 1, D), 0.5)          # the last row: every parameter at its median
    for j in range(D):
        u[2 * j, j], u[2 * j + 1, j] = TORNADO
    keys, codes, payoffs, _, _ = merge([solve_rows(plan, u)])
    columns = plan.beliefs.columns(u)
    base = tuple(map(float, payoffs[-1]))
    bars = []
    for j, name in enumerate(names):
        lo, hi = 2 * j, 2 * j + 1
        bars.append(TornadoBar(name, float(columns[name][lo]), float(columns[name][hi]), tuple(map(float, payoffs[lo])),
                               tuple(map(float, payoffs[hi])), outcome_label(keys[codes[lo]], game),
                               outcome_label(keys[codes[hi]], game), base))
    return sorted(bars, key=lambda b: -float(np.nansum(np.abs(np.subtract(b.high_payoffs, b.low_payoffs)))))


def sobol_task(plan: Plan, y: np.ndarray, base: int) -> sobol.SobolIndices:
    """The Sobol indices of one output (run on a worker)."""
    return sobol.indices(y, len(plan.beliefs.sampled), base, plan.seed)


def _sensitivities(runner: Runner, result: RobustnessResult, design_runs, base: int, progress) -> list[Sensitivity]:
    """Sobol indices of each outcome's probability and each player's payoff on the Saltelli design."""
    plan = runner.plan
    keys, codes, payoffs, _, _ = merge(runner.collect(design_runs, progress, "solving the Sobol design"))
    outputs = []
    for share in result.outcomes:
        if SOBOL_MIN_SHARE <= share.probability <= 1 - SOBOL_MIN_SHARE and share.key in keys:
            outputs.append(("outcome", share.label, (codes == keys.index(share.key)).astype(float)))
    if not outputs:
        result.notes.append(f"no Sobol indices for the outcome probabilities: no outcome has a probability between "
                            f"{SOBOL_MIN_SHARE:g} and {1 - SOBOL_MIN_SHARE:g}")
    for i, player in enumerate(plan.game.players):
        if np.all(np.isfinite(payoffs[:, i])):
            outputs.append(("payoff", player, payoffs[:, i]))
        else:
            result.notes.append(f"no Sobol indices for {player}'s payoff: it is not unique at some points of the design")
    runner.refresh()          # the workers were started before SALib was imported here
    analyses = runner.collect([runner.submit(sobol_task, y, base) for _, _, y in outputs], progress, "Sobol analysis")
    return [Sensitivity(what, name, indices) for (what, name, _), indices in zip(outputs, analyses)]


# ---- threshold surfaces ---------------------------------------------------------------------------
def _candidates(plan: Plan, notes: list) -> list[tuple[str, str, tuple, str]]:
    """(outcome label, parameter, pieces, where) from the exact thresholds of each sampled
    parameter, the others at their medians, and again at the file's values where those lie in
    the beliefs' ranges (medians of alike beliefs can sit on a tie, where no surface separates)."""
    game, beliefs = plan.game, plan.beliefs
    if isinstance(game, ExtensiveGame) and not game.is_perfect_information:
        notes.append("no threshold surfaces: with imperfect information thresholds are only located numerically")
        return []
    ranges = {name: beliefs.distributions[name].exact_range() for name in beliefs.sampled}
    references = [("medians", {k: _exact_median(v) for k, v in beliefs.medians().items()})]
    defaults = parameter_values(game)
    if all(ranges[n][0] <= defaults[n] <= ranges[n][1] for n in beliefs.sampled if isinstance(defaults[n], Fraction)):
        references.append(("file values", {k: defaults[k] for k in beliefs.distributions}))
    candidates, seen = [], set()
    for where, values in references:
        for name in beliefs.sampled:
            lo, hi = ranges[name]
            if not lo < hi:
                continue
            settings = {k: v for k, v in {**plan.exact_fixed, **values}.items() if k != name}
            try:
                report = find_thresholds(game, name, settings, domain=(lo, hi), check=False)
            except (SolveError, ValueError, ZeroDivisionError, TypeError):
                continue
            for label, parameter, pieces in _conditions(report, name):
                if (label, parameter, pieces) not in seen:
                    seen.add((label, parameter, pieces))
                    candidates.append((label, parameter, pieces, where))
    return candidates


def _exact_median(value: float) -> Fraction:
    return Fraction(float(f"{value:.6g}")).limit_denominator(10**6)


def _conditions(report, name: str) -> list[tuple[str, str, tuple]]:
    """(label, parameter, pieces) for each outcome on the report's intervals: each interval's ends
    as formulas in the other parameters where the thresholds have them, else as numbers."""
    lo_end, hi_end = report.domain
    surfaces = {}
    for point in report.points:
        expression = None
        for cause in point.causes:
            expression = formula(report, cause, point.value)
            if expression is not None:
                break
        surfaces[point.value] = expression if expression is not None else point.value
    pieces: dict[str, list] = {}
    for interval in report.intervals:
        if " | " in interval.label:
            continue
        low = None if interval.lo == lo_end else surfaces.get(interval.lo, interval.lo)
        high = None if interval.hi == hi_end else surfaces.get(interval.hi, interval.hi)
        pieces.setdefault(interval.label, []).append((low, high))
    return [(label, name, tuple(p)) for label, p in pieces.items() if any(a is not None or b is not None for a, b in p)]


def match_chunk(plan: Plan, k: int, candidates, codes: np.ndarray, labels: list) -> np.ndarray:
    """(candidates, 3) counts over chunk k (its samples regenerated from the seed): where each
    condition holds, where it holds and the outcome is its label's, and where the outcome is."""
    columns = plan.beliefs.columns(plan.uniforms(k))
    labels = np.array(labels, dtype=object)
    counts = np.zeros((len(candidates), 3))
    for c, (label, name, pieces, _) in enumerate(candidates):
        x = np.broadcast_to(np.asarray(columns[name], dtype=float), codes.shape)
        condition = np.zeros(codes.shape, dtype=bool)
        for low, high in pieces:
            inside = np.ones(codes.shape, dtype=bool)
            if low is not None:
                inside &= x > _evaluated(low, columns, codes.shape)
            if high is not None:
                inside &= x < _evaluated(high, columns, codes.shape)
            condition |= inside
        mine = np.isin(codes, np.flatnonzero(labels == label))
        counts[c] = condition.sum(), (condition & mine).sum(), mine.sum()
    return counts


_BOUNDS: dict = {}      # compiled bounds, per process (a worker matches many chunks)


def _evaluated(expression, columns: dict, shape) -> np.ndarray:
    expression = sympy.sympify(expression)
    if expression not in _BOUNDS:
        names = sorted(free_names(expression))
        _BOUNDS[expression] = names, compile_numpy([expression], names)
    names, function = _BOUNDS[expression]
    values = function(*[np.asarray(columns[n], dtype=float) for n in names])[0]
    return np.broadcast_to(values, shape)


def _explanations(result: RobustnessResult, candidates, counts: np.ndarray) -> list[Explanation]:
    """For each outcome, the condition that best matches its samples."""
    total = result.samples
    matched = [Explanation(label, name, pieces, float(both / mine) if mine else 0.0, float(holds / total),
                           float(both / holds) if holds else 0.0, where)
               for (label, name, pieces, where), (holds, both, mine) in zip(candidates, counts)]
    best = {}
    for share in result.outcomes:
        options = [m for m in matched if m.label == share.label]
        if options:
            best[share.label] = max(options, key=lambda m: (min(m.coverage, m.precision), m.coverage))
    return [best[s.label] for s in result.outcomes if s.label in best]


def sample_chunks(result: RobustnessResult):
    """(first index, parameter columns, codes, payoffs) chunk by chunk: the samples regenerated from
    the seed, for writing them out (needs ``keep_samples``)."""
    plan = result.plan
    for k in range(plan.chunks):
        start = k * plan.chunk
        stop = start + plan.chunk_rows(k)
        yield start, plan.beliefs.columns(plan.uniforms(k)), result.codes[start:stop], result.sample_payoffs[start:stop]
