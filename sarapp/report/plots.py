"""What the report's plots show, as plain numbers: the same data for the app's screen and the
PDF, each drawing it with Qt in ``sarapp.ui.report_plots``.

Cases per month by highest phase, first alert sources, response-time distributions (minutes),
and the year's case positions (last known) over the shipped coastline, in Web Mercator metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sarapp.maps.coastlines import LEVELS, level_for, shipped_levels
from sarapp.maps.projection import to_mercator
from sarapp.report.annual import AnnualReport
from sarapp.report.facts import PHASES, SOURCES

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
CHART_PX = 600.0  # the chart's nominal width in pixels, to pick the coastline's detail
MIN_SPAN_M = 200_000.0  # the chart shows at least this much (Mercator metres) each way


@dataclass(frozen=True)
class CaseChart:
    """A view (Mercator metres: west, south, east, north), the cases in it (x, y, highest
    phase) and the coastline's lines in it."""

    view: tuple[float, float, float, float]
    points: tuple[tuple[float, float, str], ...]
    coast: tuple[tuple[tuple[float, float], ...], ...]
    without_position: int  # cases with no last known position


@dataclass(frozen=True)
class PlotData:
    title: str
    month_phases: tuple[tuple[int, ...], ...]  # per month: counts in PHASES order
    sources: tuple[tuple[str, int], ...]  # (label, cases)
    durations: tuple[tuple[str, tuple[float, ...]], ...]  # (label, minutes)
    chart: CaseChart


def plot_data(report: AnnualReport, *, with_coast: bool = True) -> PlotData:
    t = report.total
    month_phases = tuple(
        tuple(s.cases.by_phase[p].value for p in PHASES) for s in report.by_month.values()
    )
    sources = tuple((SOURCES[k], f.value) for k, f in t.cases.by_source.items() if k in SOURCES)
    durations = tuple(
        (label, tuple(v / 60.0 for v in d.values_s))
        for label, d in (
            ("First alert to first unit tasked", t.times.alert_to_tasking),
            ("First alert to first unit on scene", t.times.alert_to_on_scene),
            ("First alert to closure", t.times.alert_to_closure),
        )
    )
    opened = [c for c in report.cases if report.start <= c.opened < report.end]
    return PlotData(
        title=f"{report.year}" + (f", {report.rcc}" if report.rcc else ""),
        month_phases=month_phases,
        sources=sources,
        durations=durations,
        chart=case_chart(
            [(c.lat, c.lon, c.phase_highest) for c in opened if c.lat is not None],
            without_position=sum(1 for c in opened if c.lat is None),
            with_coast=with_coast,
        ),
    )


def case_chart(
    positions: list[tuple[float, float, str]], *, without_position: int = 0, with_coast: bool = True
) -> CaseChart:
    """The view around ``positions`` ((lat, lon, phase)) with 10 % margins."""
    if not positions:
        return CaseChart(
            (-MIN_SPAN_M, -MIN_SPAN_M, MIN_SPAN_M, MIN_SPAN_M), (), (), without_position
        )
    x, y = to_mercator([p[0] for p in positions], [p[1] for p in positions])
    west, east, south, north = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    span = max(east - west, north - south, MIN_SPAN_M) * 1.1
    cx, cy = (west + east) / 2, (south + north) / 2
    view = (cx - span / 2, cy - span / 2, cx + span / 2, cy + span / 2)
    points = tuple((float(px), float(py), p[2]) for px, py, p in zip(x, y, positions, strict=True))
    coast = _coast(view) if with_coast else ()
    return CaseChart(view, points, coast, without_position)


def _coast(view: tuple[float, float, float, float]) -> tuple[tuple[tuple[float, float], ...], ...]:
    west, south, east, north = view
    name = level_for((east - west) / CHART_PX)
    level = shipped_levels()[name if name in LEVELS else LEVELS[0]]
    xs, ys = level.select(west, south, east, north)
    lines, current = [], []
    for px, py in zip(xs.tolist(), ys.tolist(), strict=True):
        if math.isnan(px) or math.isnan(py):
            if len(current) > 1:
                lines.append(tuple(current))
            current = []
        else:
            current.append((px, py))
    if len(current) > 1:
        lines.append(tuple(current))
    return tuple(lines)


def histogram(values: tuple[float, ...], bins: int = 12) -> tuple[list[float], list[int]]:
    """Bin edges (minutes, from 0 to the 95th percentile rounded up) and counts; values beyond
    the last edge go into the last bin, so nothing is dropped."""
    if not values:
        return [0.0, 1.0], [0]
    top = float(np.percentile(values, 95)) or max(values) or 1.0
    step = _nice_step(top / bins)
    edges = [i * step for i in range(bins + 1)]
    counts = [0] * bins
    for v in values:
        counts[min(int(v // step), bins - 1) if v >= 0 else 0] += 1
    return edges, counts


def _nice_step(raw: float) -> float:
    """1, 2, 5 × 10ⁿ at or above ``raw``."""
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power
