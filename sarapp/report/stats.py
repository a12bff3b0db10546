"""The summary statistics of the report, defined once: median and 90th percentile as
``docs/annual-report.md`` states them, so a reader can recompute any figure from its cases."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle values for an even count); None if empty."""
    return float(statistics.median(values)) if values else None


def percentile_nearest_rank(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least ``q`` (0–1) of the values
    at or below it, always one of the values; None if empty."""
    if not values:
        return None
    if not 0.0 < q <= 1.0:
        raise ValueError(f"percentile {q!r} must be in (0, 1]")
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(q * len(ordered)) - 1)])


def mean(values: Sequence[float]) -> float | None:
    return float(statistics.fmean(values)) if values else None
