"""Graticule: which parallels and meridians to draw for a view, labelled in degrees and
minutes as on a nautical chart ("43°20'N", "005°30'W")."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Steps in minutes of arc a chart uses: tenths of a minute up to 30 degrees.
STEPS_MIN = (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800)


@dataclass(frozen=True)
class Graticule:
    """Lines of one axis: ``values`` in degrees, every ``step_min`` minutes, with labels."""

    step_min: float
    values: tuple[float, ...]
    labels: tuple[str, ...]


def step_for(span_deg: float, *, target_lines: int = 6) -> float:
    """The chart step (minutes) giving about ``target_lines`` lines across ``span_deg``."""
    wanted = abs(span_deg) * 60.0 / max(1, target_lines)
    for step in STEPS_MIN:
        if step >= wanted:
            return step
    return STEPS_MIN[-1]


def label(value_deg: float, *, axis: str, step_min: float) -> str:
    """A line's label: whole degrees if the step is, else degrees and (decimal) minutes."""
    hemisphere = (
        ("N" if value_deg >= 0 else "S") if axis == "lat" else "E" if value_deg >= 0 else "W"
    )
    if axis == "lon" and abs(abs(value_deg) - 180.0) < 1e-9:
        hemisphere = ""
    width = 2 if axis == "lat" else 3
    tenths = round(abs(value_deg) * 600)  # tenths of a minute, exact for every step we use
    degrees, tenth_minutes = divmod(tenths, 600)
    if step_min >= 60 and tenth_minutes == 0:
        return f"{degrees:0{width}d}°{hemisphere}"
    if step_min >= 1:
        return f"{degrees:0{width}d}°{tenth_minutes // 10:02d}'{hemisphere}"
    return f"{degrees:0{width}d}°{tenth_minutes / 10:04.1f}'{hemisphere}"


def lines(low_deg: float, high_deg: float, *, axis: str, target_lines: int = 6) -> Graticule:
    """The lines of ``axis`` ("lat" or "lon") between two values in degrees, with labels.

    Longitudes are wrapped into −180…180 for the labels; values stay continuous for drawing.
    """
    step = step_for(high_deg - low_deg, target_lines=target_lines)
    step_deg = step / 60.0
    first = math.ceil(low_deg / step_deg - 1e-9)
    last = math.floor(high_deg / step_deg + 1e-9)
    values = tuple(round(i * step_deg, 10) for i in range(first, last + 1))
    limit = 90.0 if axis == "lat" else math.inf
    values = tuple(v for v in values if abs(v) <= limit)
    wrapped = (v if axis == "lat" else (v + 180.0) % 360.0 - 180.0 for v in values)
    labels = tuple(label(w, axis=axis, step_min=step) for w in wrapped)
    return Graticule(step, values, labels)
