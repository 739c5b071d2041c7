"""Variance-based sensitivity: first-order and total Sobol indices with bootstrap confidence
intervals, computed with SALib (an optional extra: ``pip install 'strategy-solver[uncertainty]'``).

The design is Saltelli's: two scrambled Sobol-sequence matrices A and B of ``base`` rows over the
D sampled parameters and, for each parameter i, A with column i taken from B, so the model is run
``base·(D + 2)`` times (Saltelli 2002, "Making best use of model evaluations to compute sensitivity
indices"). SALib estimates the first-order index with the estimator of Saltelli et al. 2010
("Variance based sensitivity analysis of model output", Comput. Phys. Commun. 181) and the total
index with Jansen's (1999), and gives confidence intervals from ``RESAMPLES`` bootstrap resamples.

The design is made on the unit cube; the caller maps it through each parameter's inverse
distribution function, so the indices are those of the parameters' own distributions. The inputs
are independent in this design (any rank correlation is not applied): Sobol indices are defined for
independent inputs.

>>> import numpy as np
>>> u = design(2, 1024, seed=3)
>>> y = u[:, 0] + 0.1 * u[:, 1]          # additive: S1 = ST = 1/1.01 and 0.01/1.01
>>> result = indices(y, 2, 1024, seed=3)
>>> [round(v, 2) for v in result.first], [round(v, 2) for v in result.total]
([0.99, 0.01], [0.99, 0.01])
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

RESAMPLES = 100
CONFIDENCE = 0.95
#: Base rows of the design when none is asked for (a power of 2, as the Sobol sequence wants).
DEFAULT_BASE = 2**12
METHOD = ("Saltelli design with a scrambled Sobol sequence; first-order indices by Saltelli et al. (2010), total indices "
          f"by Jansen (1999), {CONFIDENCE:.0%} intervals from {RESAMPLES} bootstrap resamples (SALib)")


class SobolUnavailable(RuntimeError):
    """SALib is not installed."""


@dataclass(frozen=True)
class SobolIndices:
    """Indices of one output, one entry per sampled parameter, each with the half-width of its
    confidence interval. ``constant``: the output did not vary (no indices)."""
    first: tuple[float, ...]
    first_error: tuple[float, ...]
    total: tuple[float, ...]
    total_error: tuple[float, ...]
    constant: bool = False


def _salib():
    try:
        # SALib is an optional extra: the core package works without it
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample     # (the same optional extra)
    except ImportError:
        raise SobolUnavailable("Sobol indices need SALib: pip install 'strategy-solver[uncertainty]'") from None
    return sample, analyze


def _problem(D: int) -> dict:
    return {"num_vars": D, "names": [f"x{k}" for k in range(D)], "bounds": [[0.0, 1.0]] * D}


def design(D: int, base: int, seed: int) -> np.ndarray:
    """The (base·(D + 2), D) Saltelli design on the unit cube (no second-order terms)."""
    sample, _ = _salib()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # SALib warns when base is not a power of 2
        return sample.sample(_problem(D), base, calc_second_order=False, seed=seed)


def indices(y: np.ndarray, D: int, base: int, seed: int) -> SobolIndices:
    """First-order and total indices of the output ``y`` computed on ``design(D, base, seed)``."""
    _, analyze = _salib()
    y = np.asarray(y, dtype=float)
    if np.ptp(y) <= np.finfo(float).eps * max(1.0, float(np.max(np.abs(y)))):
        zeros = (0.0,) * D
        return SobolIndices(zeros, zeros, zeros, zeros, constant=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = analyze.analyze(_problem(D), y, calc_second_order=False, num_resamples=RESAMPLES,
                                 conf_level=CONFIDENCE, print_to_console=False, seed=seed)

    def values(key):
        return tuple(float(v) for v in np.asarray(result[key]))
    return SobolIndices(values("S1"), values("S1_conf"), values("ST"), values("ST_conf"))


def available() -> bool:
    try:
        _salib()
    except SobolUnavailable:
        return False
    return True
