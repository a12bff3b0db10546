"""Probability of detection from coverage, the two IAMSAR curves.

Coverage C = W / S = Z / A (dimensionless). Normal conditions follow the random-search law
POD = 1 − e^(−C); ideal conditions the inverse-cube-law parallel sweep POD = erf(√π·C/2)
(Koopman; see ``resources/iamsar_tables.md``). Which conditions count as ideal is left to the
coordinator (the sources do not define it).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from sarapp.planning.errors import PlanningError


def pod_normal(coverage: float) -> float:
    """POD (0–1) under normal search conditions for coverage ``coverage`` (≥ 0)."""
    _check(coverage)
    return 1.0 - math.exp(-coverage)


def pod_ideal(coverage: float) -> float:
    """POD (0–1) under ideal search conditions for coverage ``coverage`` (≥ 0)."""
    _check(coverage)
    return math.erf(math.sqrt(math.pi) * coverage / 2.0)


def pod(coverage: float, conditions: str) -> float:
    """POD (0–1) for ``conditions`` ``normal`` or ``ideal``."""
    if conditions == "normal":
        return pod_normal(coverage)
    if conditions == "ideal":
        return pod_ideal(coverage)
    raise PlanningError(f"conditions {conditions!r} is not 'normal' or 'ideal'")


def pod_array(coverage: npt.ArrayLike, conditions: str) -> npt.NDArray[np.float64]:
    """POD for an array of coverages; erf is evaluated once per distinct coverage value."""
    cov = np.asarray(coverage, dtype=np.float64)
    if conditions == "normal":
        return -np.expm1(-cov)
    values, inverse = np.unique(cov, return_inverse=True)
    pods = np.array([pod(float(v), conditions) for v in values], dtype=np.float64)
    return pods[inverse].reshape(cov.shape)


def _check(coverage: float) -> None:
    if not coverage >= 0.0:
        raise PlanningError(f"coverage {coverage!r} must be zero or positive")
