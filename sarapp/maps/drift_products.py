"""A drift run as the chart draws it: the engine's snapshots and the summary's products."""

from __future__ import annotations

from sarapp.drift.engine import DriftRun
from sarapp.drift.summary import DriftSummary
from sarapp.maps.features import DriftProducts


def products_from_run(run: DriftRun, summary: DriftSummary, *, label: str) -> DriftProducts:
    """Every hourly cloud, the datum track, and the final 50 %/90 % areas and side datums."""
    last = len(run.times_s) - 1
    sides = {}
    if summary.sides is not None:
        s = summary.sides
        sides = {last: ((s.left_lat, s.left_lon), (s.right_lat, s.right_lon))}
    return DriftProducts(
        times_s=run.times_s,
        lat=run.lat,
        lon=run.lon,
        datum_lat=run.centroid_lat,
        datum_lon=run.centroid_lon,
        areas={last: {0.5: summary.area_50.geometry, 0.9: summary.area_90.geometry}},
        side_datums=sides,
        label=label,
    )
