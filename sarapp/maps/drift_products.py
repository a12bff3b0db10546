"""A drift run as the chart draws it: the engine's snapshots and, for each drawn time, the
datum, side datums and 50 %/90 % areas of the particles still afloat, and which ones stranded.

Areas cost about 15 ms per snapshot for 5,000 particles and 150 ms for 100,000, so they are
computed in the worker that ran (or reran) the drift, at most ``MAX_AREA_SNAPSHOTS`` times (a
long run gets them every few hours; the chart shows the nearest).
"""

from __future__ import annotations

from collections.abc import Generator

from sarapp.drift.engine import DriftRun
from sarapp.drift.products import afloat_centroids, cloud_at, containment_areas, side_datums
from sarapp.drift.summary import DriftSummary
from sarapp.maps.features import DriftProducts

MAX_AREA_SNAPSHOTS = 73


def area_indices(count: int) -> list[int]:
    """Snapshot indices that get areas: all of them, or evenly spaced ones and the last."""
    every = max(1, -(-(count - 1) // (MAX_AREA_SNAPSHOTS - 1)))
    indices = list(range(0, count, every))
    return indices if indices[-1] == count - 1 else [*indices, count - 1]


def products_job(
    run: DriftRun, summary: DriftSummary, *, label: str
) -> Generator[float, None, DriftProducts]:
    """Every hourly cloud, the datum track, areas and side datums (afloat particles) at each
    time in ``area_indices``, yielding progress; the last time's areas are the summary's."""
    count = len(run.times_s)
    hours = (run.times_s - run.times_s[0]) / 3600.0
    areas, sides = {}, {}
    wanted = area_indices(count)
    for done, k in enumerate(wanted):
        cloud = cloud_at(run, float(abs(hours[k]))).afloat()
        if k == count - 1:
            areas[k] = {0.5: summary.area_50.geometry, 0.9: summary.area_90.geometry}
        elif len(cloud.lat) > 1:
            area_50, area_90 = containment_areas(cloud)
            areas[k] = {0.5: area_50.geometry, 0.9: area_90.geometry}
        if cloud.left.any() and not cloud.left.all():
            s = side_datums(cloud)
            sides[k] = ((s.left_lat, s.left_lon), (s.right_lat, s.right_lon))
        yield (done + 1) / len(wanted)
    datum_lat, datum_lon = afloat_centroids(run)
    return DriftProducts(
        times_s=run.times_s,
        lat=run.lat,
        lon=run.lon,
        datum_lat=datum_lat,
        datum_lon=datum_lon,
        areas=areas,
        side_datums=sides,
        label=label,
        stranded=run.stranded if run.stranded.any() else None,
        datum_on_land=summary.datum_on_land,
    )


def products_from_run(run: DriftRun, summary: DriftSummary, *, label: str) -> DriftProducts:
    """``products_job`` driven to its end (scripts, tests)."""
    from sarapp.progress import run_to_end

    return run_to_end(products_job(run, summary, label=label))
