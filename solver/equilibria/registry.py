"""The one registry of solution methods: what each applies to, whether it is complete, its size
limits, and the single "auto" choice that ``solve``, ``solve methods``, subgames, sweeps and
thresholds all ask.

Adding an algorithm means one module (a public function returning
:class:`~solver.equilibria.result.AlgorithmResult`) plus one :class:`Method` entry below.

Entries name their function as ``"module:function"`` and are imported when first run, so the
registry imports no algorithm (subgame perfection asks it to solve each subgame without a cycle)
and the command line starts quickly.

>>> [m.name for m in METHODS if m.form == "normal"]
['pure', 'enumerate', 'lemke-howson', 'zero-sum', 'polynomial', 'homotopy']
>>> from solver.model.normal import NormalFormGame
>>> pd = NormalFormGame.from_arrays(["A", "B"], [["C", "D"], ["C", "D"]],
...                                 [[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
>>> choose(pd).name
'enumerate'
>>> run("enumerate", pd.evaluated()).complete
True
"""
from __future__ import annotations

import importlib
import inspect
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from solver.core import isolate
from solver.core.deadline import expired
from solver.core.regret import is_constant_sum
from solver.equilibria import verify
from solver.equilibria.recall import perfect_recall_violation
from solver.equilibria.result import AUTO_CHOICE, DEADLINE, LIMIT, ONLY_PURE, AlgorithmResult, Note
from solver.model.normal import NormalFormGame
from solver.model.tree import ExtensiveGame

#: 2-player enumeration took 0.2–0.4 s at 12×12 and 2–5 s at 14×14 (benchmarks/bench_enumerate2.py).
MAX_AUTO_ENUMERATION_SIZE = 15
#: Beyond this many profiles, 3+ player games default to pure equilibria (the polynomial method
#: took 30 s on tech_transfer's 2×4×16 reduced normal form).
MAX_AUTO_POLYNOMIAL_PROFILES = 64
#: Exact Lemke–Howson pivots cost ~12 ms at 200×200: beyond this size a float path guides it.
FLOAT_GUIDED_LEMKE_HOWSON_SIZE = 30

#: Methods whose loops check the deadline and make no unbounded library call: they run in this
#: process. Every other method runs under a deadline in a child process that is killed when it
#: passes (solver/core/isolate.py), since a Qhull call, a Gröbner basis, a sympy solve or a long
#: pivot sequence cannot be asked to stop.
CHECKS_OWN_DEADLINE = frozenset({"pure", "backward-induction"})
#: Games at least this large (strategy profiles, or tree nodes) always run in a child process, under
#: the memory limit (``--max-memory``), with or without a deadline.
ISOLATE_SIZE = 10_000
#: Games this small (strategy profiles, or tree nodes) run in this process even under a deadline:
#: a fork costs 14–38 ms on a loaded machine (benchmarks/bench_timeouts.py), about what solving a
#: 6×6 game takes, and sweeps and samples solve thousands of small games under one deadline.
TRIVIAL_SIZE = 36
#: Seconds a child may run past the deadline before it is killed: its own deadline checks return
#: what it found within this time, and only a call stuck in a library loses it.
GRACE = 0.3
#: Most strategy profiles each method accepts (beyond them it would need more memory than a machine
#: has, e.g. 5.1 GB for a 300×300 game under vertex enumeration); the refusal names the limit.
MAX_PROFILES = {"enumerate": 40_000, "polynomial": 100_000, "homotopy": 100_000, "zero-sum": 4_000_000,
                "lemke-howson": 4_000_000, "pure": 50_000_000}


class MethodError(ValueError):
    """A method that does not apply to the game it was asked for (names the reason)."""


class CannotSolve(MethodError):
    """A game too large for every method that could solve it (whatever ``--method`` says)."""


@dataclass(frozen=True)
class Method:
    """One solution method.

    ``form``: ``"normal"`` or ``"tree"``. ``concept``: what its profiles are (``"nash"`` or
    ``"subgame-perfect"``). ``calls``: how the function takes the game: ``"tensor"`` (the payoff
    tensor), ``"bimatrix"`` (the two payoff matrices) or ``"tree"`` (the numeric tree).
    ``players``: the fewest and most players it handles. ``fits``: a check returning why it does
    not apply, or ``None``. ``parameters``: fixed keyword arguments for the function.
    """
    name: str
    summary: str
    form: str
    concept: str
    complete: bool
    entry: str
    calls: str
    players: tuple[int, float] = (1, math.inf)
    fits: Callable[[Any], str | None] | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def function(self) -> Callable[..., AlgorithmResult]:
        module, name = self.entry.split(":")
        return getattr(importlib.import_module(module), name)

    def problem(self, game) -> str | None:
        """Why this method does not apply to ``game`` (a numeric model), or ``None``."""
        kind = "tree" if isinstance(game, ExtensiveGame) else "normal"
        if kind != self.form:
            others = ", ".join(m.name for m in METHODS if m.form == kind)
            what = "subgame perfection in a tree" if kind == "tree" else "a normal-form game"
            return f"method '{self.name}' does not apply to {what} (use {others})"
        n = game.num_players
        low, high = self.players
        if low == high and n != low:
            return f"method '{self.name}' needs a {low}-player game; this game has {n} players"
        if n < low or n > high:
            return f"method '{self.name}' needs at least {low} players; this game has {n}"
        limit = MAX_PROFILES.get(self.name)
        if limit is not None and kind == "normal" and math.prod(game.shape) > limit:
            shape = "×".join(str(k) for k in game.shape)
            return (f"method '{self.name}' handles at most {limit:,} strategy profiles; this {shape} game has "
                    f"{math.prod(game.shape):,} (a per-method limit, registry.MAX_PROFILES: try another method)")
        return self.fits(game) if self.fits else None


def _constant_sum(game: NormalFormGame) -> str | None:
    if not is_constant_sum(game.payoffs[0], game.payoffs[1]):
        return "method 'zero-sum' needs a constant-sum game (payoffs of the two players add to the same total)"
    return None


def _perfect_information(tree: ExtensiveGame) -> str | None:
    if not tree.is_perfect_information:
        return ("backward induction needs perfect information; this tree has information sets with several "
                "nodes (use --method subgames)")
    return None


def _perfect_recall(tree: ExtensiveGame) -> str | None:
    problem = perfect_recall_violation(tree)
    if problem:
        return f"the game lacks perfect recall: {problem}; subgame perfection needs it (use --concept nash)"
    return None


METHODS: tuple[Method, ...] = (
    Method("pure", "every pure-strategy equilibrium (vectorised best responses); mixed equilibria are not searched",
           "normal", "nash", False, "solver.equilibria.pure:pure_equilibria", "tensor"),
    Method("enumerate", "2 players: every extreme equilibrium, exactly, with the components they span",
           "normal", "nash", True, "solver.equilibria.enumerate2:enumerate_extreme_equilibria", "bimatrix", (2, 2)),
    Method("lemke-howson", "2 players: one equilibrium by lexicographic Lemke–Howson pivoting (not complete)",
           "normal", "nash", False, "solver.equilibria.lemke_howson:lemke_howson", "bimatrix", (2, 2)),
    Method("zero-sum", "2-player constant-sum games: the value and one optimal pair by linear programming",
           "normal", "nash", False, "solver.equilibria.zerosum:solve_zero_sum", "bimatrix", (2, 2), _constant_sum),
    Method("polynomial", "3+ players: support enumeration solving each support's polynomial indifference system",
           "normal", "nash", True, "solver.equilibria.polynomial:enumerate_polynomial", "tensor", (2, math.inf)),
    Method("homotopy", "3+ players: one equilibrium by tracing the logit quantal-response path (not complete)",
           "normal", "nash", False, "solver.equilibria.homotopy:one_equilibrium", "tensor", (2, math.inf)),
    Method("backward-induction", "perfect-information trees: every pure subgame-perfect equilibrium",
           "tree", "subgame-perfect", True, "solver.equilibria.backward:backward_induction", "tree",
           fits=_perfect_information),
    Method("subgames", "any tree with perfect recall: subgame-perfect equilibria in behaviour strategies",
           "tree", "subgame-perfect", True, "solver.equilibria.subgames:subgame_perfect_equilibria", "tree",
           fits=_perfect_recall, parameters={"route": "normal-form"}),
    Method("sequence-form", "2-player trees: one equilibrium per subgame from the sequence form (not complete)",
           "tree", "subgame-perfect", False, "solver.equilibria.subgames:subgame_perfect_equilibria", "tree",
           fits=_perfect_recall, parameters={"route": "sequence-form"}),
)

BY_NAME: dict[str, Method] = {m.name: m for m in METHODS}
AUTO = "auto"
AUTO_SUMMARY = "the strongest complete method that fits the game"


def method_summaries() -> dict[str, str]:
    """Name → one-line summary, ``auto`` first (what ``solve methods`` prints)."""
    return {AUTO: AUTO_SUMMARY, **{m.name: m.summary for m in METHODS}}


def get(name: str) -> Method:
    if name not in BY_NAME:
        raise MethodError(f"unknown method '{name}' (methods: {', '.join(method_summaries())})")
    return BY_NAME[name]


# ---- the one "auto" choice ---------------------------------------------------------------------
def choose(game, *, purpose: str = "solve") -> Method:
    """The method "auto" means for this game. ``purpose="batch"`` (sweeps, thresholds, where one
    game is solved at many parameter values) keeps 3+ player games to pure equilibria."""
    return _choice(game, purpose)[0]


def _choice(game, purpose: str) -> tuple[Method, tuple[Note, ...]]:
    if isinstance(game, ExtensiveGame):
        return (BY_NAME["backward-induction"] if game.is_perfect_information else BY_NAME["subgames"]), ()
    n, shape = game.num_players, game.shape
    profiles = math.prod(shape)
    if n == 1 or min(shape) == 0:
        return BY_NAME["pure"], ()
    if n == 2 and min(shape) <= MAX_AUTO_ENUMERATION_SIZE:
        return BY_NAME["enumerate"], ()
    if n == 2:
        return BY_NAME["lemke-howson"], (Note(AUTO_CHOICE, (
            "a {rows}×{columns} game is too large to enumerate every equilibrium quickly, so Lemke–Howson "
            "found one: use --method enumerate (with --timeout) for all"), {"rows": shape[0], "columns": shape[1]}),)
    if purpose == "solve" and profiles <= MAX_AUTO_POLYNOMIAL_PROFILES:
        return BY_NAME["polynomial"], ()
    if purpose == "batch":
        return BY_NAME["pure"], ()
    return BY_NAME["pure"], (Note(AUTO_CHOICE, (
        "with {players} players and {profiles} strategy profiles the complete polynomial method is slow, so only "
        "pure equilibria were searched: use --method polynomial (with --timeout) for mixed ones, or "
        "--method homotopy for one"), {"players": n, "profiles": profiles}),)


def resolve(name: str, game, *, purpose: str = "solve") -> tuple[Method, tuple[Note, ...]]:
    """The method to run for a requested name (``auto`` included) and the notes on that choice;
    :class:`MethodError` names why a requested method does not apply."""
    if name == AUTO:
        method, notes = _choice(game, purpose)
        problem = method.problem(game)             # e.g. a tree without perfect recall
        if problem:
            raise MethodError(problem)
        return method, notes
    method = get(name)
    if isinstance(game, NormalFormGame) and game.num_players == 1:
        return BY_NAME["pure"], ()          # one player: every method comes down to best responses
    problem = method.problem(game)
    if problem:
        raise MethodError(problem)
    return method, ()


# ---- running a method: the one place results are verified -------------------------------------
def run(method: str | Method, game, *, deadline: float | None = None, purpose: str = "solve",
        progress=None, **parameters) -> AlgorithmResult:
    """Run a method (or ``auto``) on a numeric game and verify every profile it returns.

    ``progress`` (``progress(what, done, total)``) goes to methods whose function accepts it;
    the others run without reporting.

    Verified means: zero regret for exact profiles, at most the float tolerance (1e-9 of the payoff
    range) otherwise; approximate results keep their measured regret. A profile that fails is
    left out and the result marked incomplete with a note, so nothing an algorithm returns can
    crash the caller.
    """
    notes: tuple[Note, ...] = ()
    if isinstance(method, str):
        method, notes = resolve(method, game, purpose=purpose)
    else:
        problem = method.problem(game)
        if problem:
            raise MethodError(problem)
    if expired(deadline):                          # the time limit passed before the method could start
        return AlgorithmResult(method.name, (), complete=False, label=method.name, notes=notes + (Note(DEADLINE),))
    if not _isolated(method, game, deadline):
        return _execute(method, game, deadline, notes, progress, parameters)
    outcome = isolate.call(_execute, method, game, deadline, notes, progress, parameters, deadline=deadline, grace=GRACE)
    if outcome.status == isolate.DONE:
        return outcome.value
    if outcome.status == isolate.DEADLINE:
        note = Note(DEADLINE)
    else:
        note = Note(LIMIT, "stopped: {reason}; raise the limit with --max-memory MB or the environment variable "
                           "{variable}", {"reason": outcome.message, "variable": isolate.MEMORY_ENV})
    return AlgorithmResult(method.name, (), complete=False, label=method.name, notes=notes + (note,))


def _isolated(method: Method, game, deadline: float | None) -> bool:
    """Whether ``method`` runs in a child process that a deadline or the memory limit can stop."""
    if isolate.inside_child() or not isolate.can_fork():
        return False                               # an outer child already holds the limits
    size = game.num_nodes if isinstance(game, ExtensiveGame) else math.prod(game.shape)
    if size >= ISOLATE_SIZE:
        return True
    return deadline is not None and size > TRIVIAL_SIZE and method.name not in CHECKS_OWN_DEADLINE


def _execute(method: Method, game, deadline, notes, progress, parameters) -> AlgorithmResult:
    """Run the method's function and verify what it returns."""
    function = method.function()
    arguments = {**method.parameters, **parameters}
    if progress is not None and _accepts(function, "progress"):
        arguments["progress"] = progress
    if method.calls == "bimatrix":
        result = function(game.payoffs[0], game.payoffs[1], deadline=deadline, **arguments)
    elif method.calls == "tensor":
        result = function(game.payoffs, deadline=deadline, **arguments)
    else:
        result = function(game, deadline=deadline, **arguments)
    if not isinstance(result, AlgorithmResult):
        raise TypeError(f"{method.entry} returned {type(result).__name__}, not AlgorithmResult")
    own = result.notes
    if notes and method.name == "pure":           # the choice note says why only pure ones were sought
        own = tuple(n for n in own if n.code != ONLY_PURE)
    result = result.with_changes(method=method.name, notes=notes + own)
    if isinstance(game, ExtensiveGame):
        return verify.verified_tree_result(_as_many_as_time_allows(result, game, deadline), game)
    return verify.verified_result(result, game.payoffs)


#: Per listed tree profile, the time verifying it takes is spent about twice more after it
#: (naming it in the game's terms, its path of play, the report).
AFTER_VERIFICATION = 3


def _as_many_as_time_allows(result: AlgorithmResult, tree: ExtensiveGame, deadline: float | None) -> AlgorithmResult:
    """The first profiles of a tree result that can be verified and reported before the deadline
    (each check walks the whole tree: 0.1–0.4 s each on a 7,500-node exact tree), timed on the first one;
    cut, the result is marked incomplete with a deadline note. Results with families (whose
    members are indices into the list) are kept whole."""
    if deadline is None or len(result.profiles) < 2 or result.families:
        return result
    started = time.monotonic()
    verify.verified_tree_result(_first(result, 1), tree)
    each = max(time.monotonic() - started, 1e-6)
    keep = max(1, int((deadline - time.monotonic()) / (each * AFTER_VERIFICATION)))
    if keep >= len(result.profiles):
        return result
    notes = result.notes if result.has_note(DEADLINE) else result.notes + (Note(DEADLINE),)
    return _first(result, keep).with_changes(complete=False, notes=notes)


def _first(result: AlgorithmResult, count: int) -> AlgorithmResult:
    return result.with_changes(profiles=result.profiles[:count], payoffs=result.payoffs[:count],
                               regrets=result.regrets[:count])


def _accepts(function: Callable, name: str) -> bool:
    """Whether ``function`` takes a keyword argument ``name`` (by name or through ``**kwargs``)."""
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


__all__ = ["AUTO", "METHODS", "Method", "MethodError", "choose", "get", "method_summaries",
           "resolve", "run"]
