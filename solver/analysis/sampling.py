"""Solving a game at many sampled parameter points, in chunks: in this process, in a pool of
local processes, or on a Dask ``distributed`` cluster.

A chunk is a fixed number of consecutive samples (``Plan.chunk``, which depends on the game only),
and chunk k draws its numbers from its own stream, ``SeedSequence(seed, spawn_key=(k,))``: the
k-th child of ``SeedSequence(seed).spawn``. So a seed fixes every sample, whichever worker solves
which chunk and in what order; results are put back in chunk order before anything is summed.

Each chunk is solved as the sweeps solve a grid (``solver.analysis.batched``): the payoff
expressions are compiled once and evaluated for the whole chunk; perfect-information trees get
batched backward induction, normal forms batched best responses (and the closed-form 2×2 mixed
equilibrium); points where a player is (nearly) indifferent are solved again exactly with the
single-point solver at the exact value of the float sample. Other games (imperfect information,
2-player games larger than 2×2) are solved sample by sample with the single-point solver, each
within ``Plan.timeout`` seconds; samples that run out of time are counted, never dropped.
"""
from __future__ import annotations

import multiprocessing
import os
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Sequence

import numpy as np

from solver.analysis import batched
from solver.analysis.batched import PointSolver
from solver.analysis.distributions import Beliefs
from solver.analysis.labels import describe_key
from solver.analysis.sweep import MIXED_2X2, sweep_plan
from solver.api import SolveError, evaluate_game, solve
from solver.equilibria.result import DEADLINE
from solver.model.tree import ExtensiveGame

#: Samples per chunk for games solved one sample at a time (batched games: ``batched.chunk_size``).
POINTWISE_CHUNK = 128
#: How long to try to reach a Dask scheduler.
CONNECT_SECONDS = 10
TIMEOUT_KEY = ("timeout", "not solved within the time limit")
#: ``progress(what, done, total)``.
ProgressReport = Callable[[str, int, int], None]


def outcome_label(key: tuple, game) -> str:
    """The name of an outcome key, as the sweeps name it (timed-out samples have their own)."""
    return f"timed out: {key[1]}" if key[0] == "timeout" else describe_key(key, game)


@dataclass
class Plan:
    """What every worker needs to solve any chunk: picklable (compiled functions are rebuilt on
    each worker and cached by ``token``)."""
    game: object
    beliefs: Beliefs
    exact_fixed: dict                 # every parameter's exact value where it is not sampled
    samples: int
    seed: int
    mode: str                         # "tree", "normal" or "pointwise" (as for sweeps)
    method: str
    chunk: int
    timeout: float | None = None
    by: str = "path"
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def chunks(self) -> int:
        return -(-self.samples // self.chunk)

    def chunk_rows(self, k: int) -> int:
        return min(self.chunk, self.samples - k * self.chunk)

    def uniforms(self, k: int) -> np.ndarray:
        """The (rows, D) uniform numbers of chunk k: its own stream, the k-th child of the seed."""
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(k,))))
        return self.beliefs.uniforms(rng, self.chunk_rows(k))


def make_plan(game, beliefs: Beliefs, exact_fixed: dict, samples: int, seed: int, timeout: float | None = None,
              pointwise: bool = False) -> Plan:
    mode, method = sweep_plan(game, pointwise)
    if mode == "tree":
        chunk = batched.chunk_size(8 * game.num_nodes * (2 * game.num_players + 6))
    elif mode == "normal":
        chunk = batched.chunk_size(8 * int(np.prod(game.payoffs.shape)) * 6)
    else:
        chunk = POINTWISE_CHUNK
    beliefs = Beliefs(dict(exact_fixed), beliefs.distributions, beliefs.correlations)
    return Plan(game, beliefs, dict(exact_fixed), samples, seed, mode, method.name, chunk, timeout)


@dataclass
class ChunkResult:
    """One chunk solved: each sample's outcome (an index into ``keys``), payoffs (NaN where the
    equilibrium payoff is not unique), how many were solved exactly and how many timed out."""
    task: int
    keys: list
    codes: np.ndarray
    payoffs: np.ndarray
    exact: int = 0
    timed_out: int = 0


class _Compiled:
    """A plan's compiled functions, built once per process."""

    def __init__(self, plan: Plan):
        self.payoffs = batched.GridPayoffs(plan.game, [*plan.exact_fixed, *plan.beliefs.distributions]) if plan.mode != "pointwise" else None
        self.point = PointSolver(plan.game, plan.exact_fixed, by=plan.by, method=plan.method)


_CACHE: dict[str, _Compiled] = {}


def compiled(plan: Plan) -> _Compiled:
    if plan.token not in _CACHE:
        if len(_CACHE) > 4:
            _CACHE.clear()
        _CACHE[plan.token] = _Compiled(plan)
    return _CACHE[plan.token]


def solve_rows(plan: Plan, u: np.ndarray, task: int = 0) -> ChunkResult:
    """Solve the samples whose uniform numbers are the rows of ``u``."""
    columns = plan.beliefs.columns(u)
    if plan.mode == "pointwise":
        return _pointwise(plan, columns, len(u), task)
    tools = compiled(plan)
    size = len(u)
    keys, codes, payoffs, tie = (_tree if plan.mode == "tree" else _normal)(plan, tools, columns, size)
    flagged = np.flatnonzero(tie)
    for index in flagged:
        outcome = tools.point(_exact_values(plan, columns, int(index)))
        codes[index] = _code(keys, outcome.key)
        single = isinstance(plan.game, ExtensiveGame) or len(outcome.equilibria) == 1
        payoffs[index] = outcome.payoffs if outcome.payoffs is not None and single else np.nan
    return ChunkResult(task, keys, codes, payoffs, exact=len(flagged))


def solve_chunk(plan: Plan, k: int) -> ChunkResult:
    """Solve chunk k of the plan's random samples."""
    return solve_rows(plan, plan.uniforms(k), k)


def _code(keys: list, key: tuple) -> int:
    if key not in keys:
        keys.append(key)
    return keys.index(key)


def _exact_values(plan: Plan, columns: dict, index: int) -> dict:
    """The exact values of the uncertain parameters at one sample (each float exactly)."""
    values = {}
    for name, distribution in plan.beliefs.distributions.items():
        if distribution.family == "fixed":
            values[name] = distribution.exact[0]
            continue
        value = np.asarray(columns[name], dtype=float)
        values[name] = Fraction(float(value.reshape(-1)[index] if value.ndim else value))
    return values


def _tree(plan: Plan, tools: _Compiled, columns: dict, size: int):
    game = plan.game
    leaf, probs = tools.payoffs(columns, size)
    solution = batched.batched_backward_induction(game, leaf, probs)
    near_zero = np.zeros(size, dtype=bool)
    if len(tools.payoffs.chance_children):
        p = probs[tools.payoffs.chance_children]
        near_zero = np.any((np.abs(p) <= batched.PROBABILITY_WINDOW) & (p != 0), axis=0)
    leaves = game.terminal_nodes()
    rows, inverse = batched.pack_rows(solution.reach > 0)
    keys = [batched.tree_path_key([tuple(batched.leaf_label(game, leaves[j]) for j in np.flatnonzero(row))]) for row in rows]
    codes = inverse.astype(np.int32)
    payoffs = np.array(solution.values, dtype=float)
    if np.any(solution.invalid):
        codes[solution.invalid] = _code(keys, batched.invalid_key(batched.INVALID))
        payoffs[solution.invalid] = np.nan
    return keys, codes, payoffs, (solution.tie | near_zero) & ~solution.invalid


def _normal(plan: Plan, tools: _Compiled, columns: dict, size: int):
    game = plan.game
    P = tools.payoffs(columns, size)
    solution = batched.batched_normal_form(P)
    pure = solution.pure.reshape(size, -1)
    bits = pure if solution.mixed is None else np.concatenate([pure, solution.mixed[:, None]], axis=1)
    rows, inverse = batched.pack_rows(bits)
    profiles = list(np.ndindex(*game.shape))
    keys = []
    for row in rows:
        descriptors = [tuple((s,) for s in profiles[j]) for j in np.flatnonzero(row[:len(profiles)])]
        if solution.mixed is not None and row[-1]:
            descriptors.append(MIXED_2X2)
        keys.append(batched.normal_key(descriptors))
    codes = inverse.astype(np.int32)
    payoffs = np.full((size, game.num_players), np.nan)
    counts = bits.sum(axis=1)
    unique_pure = (counts == 1) & (pure.sum(axis=1) == 1)
    flat = P.reshape(size, game.num_players, -1)
    which = np.argmax(pure, axis=1)
    payoffs[unique_pure] = flat[np.flatnonzero(unique_pure), :, which[unique_pure]]
    if solution.mixed is not None:
        only_mixed = solution.mixed & (counts == 1)
        payoffs[only_mixed] = solution.mixed_payoffs[only_mixed]
    if np.any(solution.invalid):
        codes[solution.invalid] = _code(keys, batched.invalid_key(batched.INVALID))
    return keys, codes, payoffs, solution.tie & ~solution.invalid


def _pointwise(plan: Plan, columns: dict, size: int, task: int) -> ChunkResult:
    """The single-point solver at each sample, each within ``plan.timeout`` seconds."""
    point = compiled(plan).point
    keys: list = []
    codes = np.zeros(size, dtype=np.int32)
    payoffs = np.full((size, plan.game.num_players), np.nan)
    timed_out = 0
    for index in range(size):
        merged = {**point.fixed, **_exact_values(plan, columns, index)}
        deadline = time.monotonic() + plan.timeout if plan.timeout else None
        try:
            numeric = evaluate_game(point.evaluate(merged), merged)
            solution = solve(numeric, method=point.method, deadline=deadline)
        except (SolveError, ValueError, ZeroDivisionError):
            codes[index] = _code(keys, batched.invalid_key(batched.INVALID))
            continue
        if not solution.complete and any(note.code == DEADLINE for note in solution.notes):
            codes[index] = _code(keys, TIMEOUT_KEY)
            timed_out += 1
            continue
        outcome = batched.outcome_from_solution(solution, plan.game, plan.by)
        codes[index] = _code(keys, outcome.key)
        if outcome.payoffs is not None and (solution.form == "sequential" or len(outcome.equilibria) == 1):
            payoffs[index] = outcome.payoffs
    return ChunkResult(task, keys, codes, payoffs, exact=size - timed_out, timed_out=timed_out)


# ---- running the chunks --------------------------------------------------------------------------
def merge(results: Sequence[ChunkResult]) -> tuple[list, np.ndarray, np.ndarray, int, int]:
    """Chunk results (in chunk order) as one: (keys in order of first appearance, codes, payoffs,
    samples solved exactly, samples timed out)."""
    keys: list = []
    codes, payoffs = [], []
    for result in results:
        mapping = np.array([_code(keys, key) for key in result.keys], dtype=np.int32)
        codes.append(mapping[result.codes] if len(mapping) else result.codes)
        payoffs.append(result.payoffs)
    return (keys, np.concatenate(codes), np.concatenate(payoffs), sum(r.exact for r in results),
            sum(r.timed_out for r in results))


_WORKER_PLAN: Plan | None = None


def _init_worker(plan: Plan):
    global _WORKER_PLAN
    _WORKER_PLAN = plan


def _with_worker_plan(function, args):
    return function(_WORKER_PLAN, *args)


class Runner:
    """Runs ``function(plan, *args)`` calls (module-level functions, so that they pickle): in this
    process (``workers`` 1), in a pool of local processes (default: one per CPU), or on the Dask
    cluster at ``scheduler``. ``submit`` returns at once; ``gather`` yields each result as it
    arrives, in any order, with its position in the list it was given."""

    def __init__(self, plan: Plan, workers: int | None = None, scheduler: str | None = None):
        self.plan, self.scheduler = plan, scheduler
        self.workers = workers or os.cpu_count() or 1
        self.pool = self.client = self.shared = None

    def __enter__(self):
        compiled(self.plan)     # built before any local worker starts: with fork they inherit it
        if self.scheduler:
            self._connect()
        elif self.workers > 1:
            self._open_pool()
        return self

    def _open_pool(self):
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=_init_worker,
                                        initargs=(self.plan,))

    def refresh(self):
        """Start the local workers again, after every task given so far has finished, so that they
        inherit what this process has imported since (SALib: each new import costs seconds)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self._open_pool()

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.client is not None:
            self.client.close()
        return False

    def _connect(self):
        try:
            # distributed is an optional extra (pip install 'strategy-solver[uncertainty]'); local runs need none
            import distributed
        except ImportError:
            raise SolveError("a Dask cluster needs the distributed package: pip install 'strategy-solver[uncertainty]'",
                             "--scheduler") from None
        try:
            self.client = distributed.Client(self.scheduler, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as error:
            raise SolveError(f"cannot reach the Dask scheduler at {self.scheduler} ({error})", "--scheduler") from None
        self.shared = self.client.scatter(self.plan, broadcast=True)
        self._as_completed = distributed.as_completed

    def submit(self, function, *args):
        if self.client is not None:
            return self.client.submit(function, self.shared, *args, pure=False)
        if self.pool is not None:
            return self.pool.submit(_with_worker_plan, function, args)
        return (function, args)

    def gather(self, handles: Sequence):
        """(position, result) for each handle, as they arrive."""
        if self.client is not None:
            positions = {handle: k for k, handle in enumerate(handles)}
            for handle in self._as_completed(list(handles)):
                yield positions[handle], handle.result()
        elif self.pool is not None:
            positions = {handle: k for k, handle in enumerate(handles)}
            for handle in as_completed(positions):
                yield positions[handle], handle.result()
        else:
            for k, (function, args) in enumerate(handles):
                yield k, function(self.plan, *args)

    def collect(self, handles: Sequence, progress: ProgressReport | None = None, label: str = "",
                size=lambda result: 1) -> list:
        """Every handle's result, in the order of ``handles``; ``progress`` told as they arrive."""
        results: list = [None] * len(handles)
        total = done = 0
        if progress:
            total = sum(self.plan.chunk_rows(k) for k in range(self.plan.chunks)) if label == SAMPLING else len(handles)
            progress(label, 0, total)
        for position, result in self.gather(handles):
            results[position] = result
            if progress:
                done += size(result) if label == SAMPLING else 1
                progress(label, done, total)
        return results


SAMPLING = "solving samples"


def rows_task(plan: Plan, u: np.ndarray) -> ChunkResult:
    return solve_rows(plan, u)
