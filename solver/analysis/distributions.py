"""Beliefs about parameters: probability distributions written as ``family(arguments)``, rank
correlations between them, and sampling through the inverse distribution functions.

The grammar is a whitelist read with :mod:`ast` (never ``eval``): a family name from ``FAMILIES``
and arguments that are numbers (each read by ``solver.model.expr``, so ``1/3`` and ``-2`` work),
lists of numbers (``discrete``) or, for ``formula``, an expression in other parameters.

Every parameter is sampled as ``ppf(u)`` with ``u`` uniform on (0, 1): independently, or through a
Gaussian copula when rank correlations are given. A Spearman rank correlation ρ is reached exactly
(for continuous marginals) by the normal correlation r = 2·sin(π·ρ/6) (Pearson 1907; e.g. Iman &
Conover 1982, "A distribution-free approach to inducing rank correlation among input variables").

>>> d = parse_distribution("triangular(2, 4, 8)", "ammo_gain")
>>> [round(float(x), 4) for x in d.ppf(np.array([0.0, 1/3, 1.0]))]
[2.0, 4.0, 8.0]
>>> parse_distribution("uniform(5, 2)", "x")
Traceback (most recent call last):
...
solver.api.SolveError: the high end (2) is below the low end (5): the width must be positive
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np

from solver.api import SolveError
from solver.model.expr import ExpressionError, compile_numpy, free_names, parse_expression, to_exact


def _special():
    """scipy.special, imported when a distribution is first used: importing it costs about half a
    second, which every command would otherwise pay at start-up (validate reads distributions)."""
    import scipy.special          # lazy: half a second at start-up otherwise
    return scipy.special


#: family → (fewest, most) arguments, and what they are (for messages and docs).
FAMILIES = {
    "uniform": ((2, 2), "uniform(low, high)"),
    "triangular": ((3, 3), "triangular(low, mode, high)"),
    "normal": ((2, 4), "normal(mean, sd) or normal(mean, sd, low, high) truncated"),
    "lognormal": ((2, 4), "lognormal(mu, sigma) with log X ~ normal(mu, sigma), or lognormal(mu, sigma, low, high) truncated"),
    "beta": ((2, 4), "beta(a, b) on [0, 1], or beta(a, b, low, high) scaled"),
    "discrete": ((1, 2), "discrete([v1, v2, ...]) equally likely, or discrete([v1, v2, ...], [p1, p2, ...])"),
    "fixed": ((1, 1), "fixed(value)"),
    "formula": ((1, 1), "formula(expression in other parameters)"),
}
#: Weights of a discrete distribution must sum to 1 within this.
WEIGHT_TOLERANCE = 1e-9
#: u is kept this far inside (0, 1) so that unbounded inverse distribution functions stay finite.
EDGE = 2.0 ** -54


@dataclass(frozen=True)
class Distribution:
    """One parameter's distribution. ``arguments`` are floats; ``exact`` the same numbers exactly
    (Fractions where rational, for exact threshold ranges); ``values``/``weights`` for ``discrete``
    (sorted by value); ``expression`` for ``formula``."""
    name: str
    text: str
    family: str
    arguments: tuple[float, ...] = ()
    exact: tuple = ()
    values: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()
    expression: object = None

    @property
    def sampled(self) -> bool:
        """Drawn at random (not fixed, not a formula of others)."""
        return self.family not in ("fixed", "formula")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The inverse distribution function at ``u`` (an array of numbers in [0, 1])."""
        u = np.clip(np.asarray(u, dtype=float), EDGE, 1.0 - EDGE)
        a = self.arguments
        if self.family == "uniform":
            return a[0] + u * (a[1] - a[0])
        if self.family == "triangular":
            low, mode, high = a
            split = (mode - low) / (high - low)
            with np.errstate(invalid="ignore"):
                left = low + np.sqrt(u * (high - low) * (mode - low))
                right = high - np.sqrt((1.0 - u) * (high - low) * (high - mode))
            return np.where(u < split, left, right)
        if self.family in ("normal", "lognormal"):
            mean, sd = a[0], a[1]
            low, high = _normal_bounds(self)
            cdf_low, cdf_high = _special().ndtr((low - mean) / sd), _special().ndtr((high - mean) / sd)
            z = mean + sd * _special().ndtri(cdf_low + u * (cdf_high - cdf_low))
            z = np.clip(z, low, high)
            return np.exp(z) if self.family == "lognormal" else z
        if self.family == "beta":
            low, high = (a[2], a[3]) if len(a) == 4 else (0.0, 1.0)
            return low + (high - low) * _special().betaincinv(a[0], a[1], u)
        if self.family == "discrete":
            cumulative = np.cumsum(self.weights)
            index = np.searchsorted(cumulative / cumulative[-1], u, side="right")
            return np.asarray(self.values)[np.minimum(index, len(self.values) - 1)]
        if self.family == "fixed":
            return np.full(u.shape, a[0])
        raise ValueError(f"a {self.family} parameter is not sampled from u")

    def quantile(self, q: float) -> float:
        return float(self.ppf(np.array([q]))[0])

    def exact_range(self) -> tuple:
        """Where the values lie, exactly where the file wrote rational bounds; unbounded families
        give their 0.1% and 99.9% quantiles (rounded to 6 significant digits)."""
        e = self.exact
        if self.family == "uniform":
            return e[0], e[1]
        if self.family == "triangular":
            return e[0], e[2]
        if self.family in ("normal", "lognormal", "beta") and len(e) == 4:
            return e[2], e[3]
        if self.family == "beta":
            return Fraction(0), Fraction(1)
        if self.family == "discrete":
            return _exact_number(min(self.values)), _exact_number(max(self.values))
        return _rounded(self.quantile(0.001)), _rounded(self.quantile(0.999))


def _normal_bounds(d: Distribution) -> tuple[float, float]:
    """Truncation bounds in the normal's own scale (log scale for lognormal)."""
    if len(d.arguments) < 4:
        return -math.inf, math.inf
    low, high = d.arguments[2], d.arguments[3]
    if d.family == "lognormal":
        return (math.log(low) if low > 0 else -math.inf), math.log(high)
    return low, high


def _rounded(value: float) -> Fraction:
    return Fraction(float(f"{value:.6g}")).limit_denominator(10**6)


def _exact_number(value: float) -> Fraction:
    return Fraction(repr(value)) if math.isfinite(value) else Fraction(0)


# ---- parsing -----------------------------------------------------------------------------------------
def parse_distribution(text: str, name: str, parameters: Sequence[str] = ()) -> Distribution:
    """``"triangular(2,4,8)"`` → Distribution for parameter ``name``; a ``SolveError`` naming the
    text for anything not in the grammar or not a valid distribution. ``parameters``: the names a
    ``formula`` may use."""
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError:
        raise SolveError(f"cannot read '{source}'; expected FAMILY(ARGUMENTS), e.g. triangular(2, 4, 8)", source) from None
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name) or tree.keywords:
        raise SolveError(f"expected FAMILY(ARGUMENTS), e.g. triangular(2, 4, 8); families: {', '.join(FAMILIES)}", source)
    family = tree.func.id
    if family not in FAMILIES:
        raise SolveError(f"unknown distribution family '{family}' (families: {', '.join(FAMILIES)})", source)
    (fewest, most), usage = FAMILIES[family]
    if not fewest <= len(tree.args) <= most or (family in ("normal", "lognormal", "beta") and len(tree.args) == 3):
        raise SolveError(f"{family} takes {usage}", source)
    if family == "formula":
        return _formula(tree.args[0], name, source, parameters)
    if family == "discrete":
        return _discrete(tree.args, name, source)
    exact = tuple(_number(node, source) for node in tree.args)
    distribution = Distribution(name, source, family, tuple(float(v) for v in exact), exact)
    _check(distribution)
    return distribution


def _number(node: ast.AST, source: str):
    if isinstance(node, (ast.List, ast.Tuple)):
        raise SolveError("a list is allowed only in discrete([...], [...])", source)
    try:
        value = to_exact(parse_expression(ast.unparse(node), set()))
    except (ExpressionError, TypeError, ValueError) as error:
        raise SolveError(f"'{ast.unparse(node)}' is not a number ({error})", source) from None
    if not math.isfinite(float(value)):
        raise SolveError(f"'{ast.unparse(node)}' is not a finite number", source)
    return value


def _numbers(node: ast.AST, source: str, what: str) -> list:
    if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
        raise SolveError(f"the {what} must be a non-empty list such as [2, 4, 8]", source)
    return [_number(e, source) for e in node.elts]


def _discrete(nodes, name: str, source: str) -> Distribution:
    values = _numbers(nodes[0], source, "values")
    if len(nodes) == 2:
        weights = [float(w) for w in _numbers(nodes[1], source, "probabilities")]
        if len(weights) != len(values):
            raise SolveError(f"{len(values)} values but {len(weights)} probabilities", source)
        if any(w < 0 for w in weights):
            raise SolveError("a probability is negative", source)
        total = math.fsum(weights)
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            raise SolveError(f"the probabilities sum to {total:.12g}, not 1", source)
    else:
        weights = [1.0 / len(values)] * len(values)
    pairs = sorted(zip((float(v) for v in values), weights))
    return Distribution(name, source, "discrete", (), (), tuple(v for v, _ in pairs), tuple(w for _, w in pairs))


def _formula(node: ast.AST, name: str, source: str, parameters: Sequence[str]) -> Distribution:
    try:
        expression = parse_expression(ast.unparse(node), set(parameters) - {name})
    except ExpressionError as error:
        raise SolveError(f"{error}", source) from None
    return Distribution(name, source, "formula", expression=expression)


def _check(d: Distribution):
    """The arguments make a distribution: widths positive, spreads positive, mode inside."""
    a, family, source = d.arguments, d.family, d.text
    if family == "uniform" and not a[0] < a[1]:
        raise SolveError(f"the high end ({_shown(d, 1)}) is below the low end ({_shown(d, 0)}): the width must be positive"
                         if a[1] < a[0] else f"the width is 0; use fixed({_shown(d, 0)}) for a known value", source)
    if family == "triangular" and not (a[0] <= a[1] <= a[2] and a[0] < a[2]):
        raise SolveError("expected low ≤ mode ≤ high with low < high (a positive width)", source)
    if family in ("normal", "lognormal") and not a[1] > 0:
        raise SolveError(f"the {'standard deviation' if family == 'normal' else 'sigma'} must be positive, got {_shown(d, 1)}", source)
    if family == "beta" and not (a[0] > 0 and a[1] > 0):
        raise SolveError("both shape parameters a and b must be positive", source)
    if len(a) == 4 and not a[2] < a[3]:
        raise SolveError(f"the truncation bounds must have low < high (a positive width), got {_shown(d, 2)} and {_shown(d, 3)}", source)
    if family == "lognormal" and len(a) == 4 and a[2] < 0:
        raise SolveError("a lognormal value is positive: the lower bound must be at least 0", source)
    if family in ("normal", "lognormal") and len(a) == 4:
        low, high = _normal_bounds(d)
        if not _special().ndtr((high - a[0]) / a[1]) - _special().ndtr((low - a[0]) / a[1]) > 1e-12:
            raise SolveError("the truncation interval has (numerically) no probability", source)


def _shown(d: Distribution, k: int) -> str:
    return str(d.exact[k]) if isinstance(d.exact[k], Fraction) else f"{d.exact[k]:g}"


# ---- a joint belief ------------------------------------------------------------------------------
@dataclass
class Beliefs:
    """What is believed about every parameter: the fixed ones' values, the distributions, and the
    rank correlations between sampled ones. ``sampled`` are the names drawn at random, in order."""
    fixed: dict[str, object]
    distributions: dict[str, Distribution]
    correlations: dict[tuple[str, str], float] = field(default_factory=dict)

    def __post_init__(self):
        self.sampled = [n for n, d in self.distributions.items() if d.sampled]
        self.formulas = [n for n, d in self.distributions.items() if d.family == "formula"]
        self.factor = correlation_factor(self.sampled, self.correlations)
        self._formula_functions: dict | None = None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_formula_functions"] = None      # compiled functions are rebuilt where they are used
        return state

    def uniforms(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """(count, D) numbers in (0, 1): independent, or through the Gaussian copula."""
        D = len(self.sampled)
        if self.factor is None:
            return rng.random((count, D))
        return _special().ndtr(rng.standard_normal((count, D)) @ self.factor.T)

    def columns(self, u: np.ndarray) -> dict[str, object]:
        """Every parameter's values for the rows of ``u`` (fixed ones as floats)."""
        columns: dict[str, object] = {k: float(v) for k, v in self.fixed.items()}
        for j, name in enumerate(self.sampled):
            columns[name] = self.distributions[name].ppf(u[:, j])
        for name, d in self.distributions.items():
            if d.family == "fixed":
                columns[name] = d.arguments[0]
        if self.formulas:
            if self._formula_functions is None:
                self._formula_functions = {n: _compiled(self.distributions[n].expression) for n in self.formulas}
            for name in self.formulas:
                names, function = self._formula_functions[name]
                columns[name] = np.broadcast_to(function(*[columns[n] for n in names])[0], (u.shape[0],)).copy()
        return columns

    def medians(self) -> dict[str, float]:
        u = np.full((1, len(self.sampled)), 0.5)
        return {k: float(np.asarray(v).reshape(-1)[0]) for k, v in self.columns(u).items()}


def _compiled(expression):
    names = sorted(free_names(expression))
    return names, compile_numpy([expression], names)


def check_formulas(beliefs: Beliefs):
    """A formula may use fixed and sampled parameters, not another formula."""
    for name in beliefs.formulas:
        used = free_names(beliefs.distributions[name].expression) & set(beliefs.formulas)
        if used:
            raise SolveError(f"a formula may not use another formula parameter ({', '.join(sorted(used))})",
                             f"--dist {name}={beliefs.distributions[name].text}")


def parse_correlation(text: str) -> tuple[tuple[str, str], float]:
    """``"a,b=0.5"`` → (("a", "b"), 0.5): a Spearman rank correlation in [-1, 1]."""
    if "=" not in text or text.count(",") != 1:
        raise SolveError("expected NAME1,NAME2=RHO, e.g. --correlate ammo_gain,china_squeeze=0.5", f"--correlate {text}")
    pair, rho_text = text.split("=", 1)
    first, second = (p.strip() for p in pair.split(","))
    try:
        rho = float(to_exact(parse_expression(rho_text.strip(), set())))
    except (ExpressionError, TypeError, ValueError):
        raise SolveError(f"'{rho_text.strip()}' is not a number", f"--correlate {text}") from None
    if not -1.0 <= rho <= 1.0 or first == second:
        raise SolveError("a rank correlation is a number from -1 to 1 between two different parameters", f"--correlate {text}")
    return (first, second), rho


def correlation_factor(names: Sequence[str], correlations: Mapping[tuple[str, str], float]) -> np.ndarray | None:
    """A matrix L with L·Lᵀ the normal correlation of the copula (None when independent); a
    ``SolveError`` when the rank correlation matrix is not positive semi-definite."""
    if not correlations:
        return None
    index = {n: k for k, n in enumerate(names)}
    rank = np.eye(len(names))
    for (a, b), rho in correlations.items():
        for n in (a, b):
            if n not in index:
                raise SolveError(f"'{n}' has no sampled distribution (give it one with --dist)", f"--correlate {a},{b}={rho:g}")
        rank[index[a], index[b]] = rank[index[b], index[a]] = rho
    smallest = float(np.linalg.eigvalsh(rank).min())
    if smallest < -1e-10:
        raise SolveError(f"the rank correlation matrix is not positive semi-definite (smallest eigenvalue {smallest:.4g})",
                         "--correlate")
    normal = 2.0 * np.sin(np.pi * rank / 6.0)
    eigenvalues, vectors = np.linalg.eigh(normal)
    if eigenvalues.min() < -1e-10:
        raise SolveError(f"the rank correlations have no Gaussian copula (its correlation matrix has eigenvalue "
                         f"{eigenvalues.min():.4g} < 0)", "--correlate")
    return vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))[None, :]
