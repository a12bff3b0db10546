"""How fluid the chart is: redraw after pan and after zoom with coastlines and 100,000
particles, one time-slider step, and the memory the chart adds. Offscreen.

What is timed: from the view change (``setRange``) or the slider step to the end of a
synchronous repaint of the chart widget (``MapCanvas.repaint()``, which paints the
QGraphicsView's viewport into the backing store) followed by ``processEvents()``. That covers
the chart's own reactions (coastline cut, graticule, drift density image or points) and the
painting of every item. Pans move the view by 15 % of its width; zooms alternate ×1.25 in and
out; both are run zoomed out (the cloud as a density image) and zoomed in (points).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_map.py [--night] [--screenshot PNG]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication

from sarapp.maps.synthetic import synthetic_drift, synthetic_units
from sarapp.model import AlertPhase, Case, CaseId, CaseStatus, Position

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LAT, LON = 48.22, -4.98  # Iroise sea, off Brest: coast in view


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def scene():
    lkp = Position(LAT, LON, NOW - timedelta(hours=5), "reported", 1852.0)
    case = Case(
        CaseId("demo"),
        "2026-0042",
        "FV Marie-Louise taking water",
        AlertPhase.DETRESFA,
        CaseStatus.OPEN,
        NOW,
        NOW,
        lkp=lkp,
    )
    positions = [
        lkp,
        Position(48.17, -5.08, NOW - timedelta(hours=6), "doppler-A", 5000.0),
        Position(48.42, -5.42, NOW - timedelta(hours=6), "doppler-B", 5000.0),
        Position(48.24, -5.02, NOW - timedelta(hours=5, minutes=40), "ais"),
    ]
    drift = synthetic_drift(
        LAT,
        LON,
        start=NOW - timedelta(hours=5),
        hours=24,
        particles=100_000,
        rng=np.random.default_rng(2026),
        drift_towards_deg=235.0,
        speed_m_s=0.35,
    )
    return case, positions, drift, synthetic_units(LAT, LON, now=NOW)


def timed(app: QApplication, canvas, change) -> float:
    start = time.perf_counter()
    change()
    canvas.repaint()
    app.processEvents()
    return (time.perf_counter() - start) * 1000.0


def pans_and_zooms(app, view, rounds: int) -> tuple[list[float], list[float]]:
    vb = view.canvas.vb
    pans, zooms = [], []
    for i in range(rounds):
        (x0, x1), (y0, y1) = vb.viewRange()
        dx = 0.15 * (x1 - x0) * (1 if (i // 4) % 2 == 0 else -1)
        pan = (x0 + dx, x1 + dx), (y0, y1)
        pans.append(
            timed(app, view.canvas, lambda r=pan: vb.setRange(xRange=r[0], yRange=r[1], padding=0))
        )
        factor = 0.8 if i % 2 == 0 else 1.25
        zooms.append(timed(app, view.canvas, lambda f=factor: vb.scaleBy((f, f))))
    return pans, zooms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--screenshot", type=Path, help="save a screenshot of the chart here")
    parser.add_argument("--night", action="store_true", help="the chart in the night palette")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    case, positions, drift, units = scene()
    from sarapp.ui.map_view import MapView

    before = rss_mb()
    view = MapView()
    view.resize(1400, 860)
    view.show()
    view.set_drift(drift, index=12)
    view.set_units(units, now=NOW)
    view.set_case(case, positions, now=NOW)
    view.set_night(args.night)
    app.processEvents()
    for _ in range(3):  # warm caches, first paint
        timed(app, view.canvas, lambda: None)

    palette = "night" if args.night else "day"
    print(f"particles={drift.particle_count} snapshots={drift.snapshot_count} palette={palette}")
    results = {}
    for regime, span_nm in (("zoomed-out", None), ("zoomed-in", 1.2)):
        if span_nm is None:
            view.zoom_to_case()
        else:
            view.canvas.centre_on(
                float(drift.datum_lat[12]), float(drift.datum_lon[12]), span_nm=span_nm
            )
        app.processEvents()
        pans, zooms = pans_and_zooms(app, view, args.rounds)
        mode = view.drift_layer.mode
        results[regime] = pans + zooms
        for name, values in (("pan", pans), ("zoom", zooms)):
            print(
                f"{regime:10s} {name:4s} cloud={mode:7s} coast={view.canvas.coast_level:4s} "
                f"median={statistics.median(values):6.1f} ms  max={max(values):6.1f} ms"
            )

    view.zoom_to_case()
    app.processEvents()
    slider = view.drift_controls.slider
    steps = []
    for value in list(range(0, slider.maximum() + 1)) * 2:  # second pass: hours already projected
        steps.append(timed(app, view.canvas, lambda v=value: slider.setValue(v)))
    first, second = steps[: len(steps) // 2], steps[len(steps) // 2 :]
    print(
        f"slider step: first pass median={statistics.median(first):.1f} ms "
        f"max={max(first):.1f} ms; again median={statistics.median(second):.1f} ms"
    )
    extra = rss_mb() - before
    if args.screenshot:
        slider.setValue(12)
        view.zoom_to(47.98, -5.55, 48.47, -4.45)  # with the coast of Brittany
        view.set_range_points(LAT, LON, float(drift.datum_lat[12]), float(drift.datum_lon[12]))
        app.processEvents()
        view.grab().save(str(args.screenshot))
        print(f"screenshot: {args.screenshot}")
    redraw = results["zoomed-out"] + results["zoomed-in"]
    print(
        f"redraw_median_ms={statistics.median(redraw):.1f} redraw_max_ms={max(redraw):.1f} "
        f"slider_median_ms={statistics.median(steps):.1f} extra_mb={extra:.0f}",
        flush=True,
    )
    view.close()
    view.deleteLater()
    app.processEvents()
    os._exit(0)  # skip interpreter teardown: PySide6 and pyqtgraph may crash while finalizing


if __name__ == "__main__":
    main()
