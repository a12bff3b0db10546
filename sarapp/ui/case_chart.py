"""The selected case on the chart: positions, units, drift runs (run, kept, shown), tiles
and exports. Owned by the main window; reads and writes only through the window's store."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog

from sarapp.drift.categories import leeway_category
from sarapp.drift.openmeteo import MemoryCache, forecast_forcing, forecast_keys, request_for_run
from sarapp.drift.records import keep_run, rerun
from sarapp.drift.run import drift_outcome_job
from sarapp.errors import SarappError
from sarapp.geo import format_dtg
from sarapp.maps.drift_products import products_job
from sarapp.maps.features import UnitFix, UnitTrack
from sarapp.maps.plan_layer_data import plan_shapes
from sarapp.model import Case, utc_now
from sarapp.progress import scaled
from sarapp.ui import settings
from sarapp.ui.chart_settings import ChartTilesDialog, apply_tile_settings
from sarapp.ui.map_overlays import RunOverlay
from sarapp.ui.units_dialog import UnitsDialog
from sarapp.ui.worker import JobWorker, start_job

if TYPE_CHECKING:
    from sarapp.ui.main_window import MainWindow

UNIT_TRACK_HOURS = 6.0


def _with_products(job, label: str):
    """A drift job (returning an outcome or a (run, summary) pair) followed by its chart
    products, in the same worker; returns (outcome, products)."""
    outcome = yield from scaled(job, 0.8)
    run, summary = (outcome.run, outcome.summary) if hasattr(outcome, "run") else outcome
    products = yield from scaled(products_job(run, summary, label=label), 0.2, start=0.8)
    return outcome, products


class CaseChart(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.map_view = window.map_view
        self.panel = window.drift_panel
        self.drift_worker: JobWorker | None = None
        self.last_drift: str | None = None  # id of the last run made here
        self.shown_drift: str | None = None  # id of the kept run on the chart
        self.wanted_drift: str | None = None  # the run ticked last; other reruns are dropped
        self.forecast_urls: dict[str, str] = {}  # forecast_url / marine_url: mirrors, tests
        self.overlaid: list[str] = []  # ids of kept runs overlaid beside the one shown
        self.panel.run_requested.connect(self.run_drift)
        self.panel.cancel_button.clicked.connect(self.cancel_drift)
        self.panel.visibility_changed.connect(self.set_run_shown)
        apply_tile_settings(self.map_view)

    @property
    def store(self):
        return self.window.store

    def show_case(self, case: Case | None, *, full: bool = True) -> None:
        """Draw ``case``; ``full`` (a newly selected case) also refits and reloads runs."""
        if case is None:
            self.panel.show_case(None, [])
            self.map_view.set_case(None)
            self.map_view.set_drift(None)
            self.map_view.set_plans([])
            self.map_view.set_overlays([])
            self.overlaid = []
            return
        self.map_view.set_case(case, self.store.cases.positions(case.id), zoom=full)
        self.refresh_plans(case.id)
        if not full:
            self.panel.update_case(case)  # a newly reported LKP seeds the next drift
        else:
            runs = self.store.drift.runs(case.id)
            self.panel.show_case(case, runs)
            self.map_view.set_drift(None)
            self.map_view.set_overlays([])
            self.overlaid = []
            self.wanted_drift = self.shown_drift = None
            self.refresh_units()
            if runs:  # the latest run on the chart, recomputed from its seed in a worker
                self.set_run_shown(runs[-1].id, True)

    def unit_tracks(self, hours: float = UNIT_TRACK_HOURS) -> list[UnitTrack]:
        """Registered units with their fixes of the last ``hours``, as the chart draws them."""
        since = utc_now() - timedelta(hours=hours)
        tracks = []
        for unit in self.store.units.all():
            fixes = tuple(
                UnitFix(p.lat, p.lon, p.time, p.heading_deg)
                for p in self.store.units.track(unit.id, since=since)
            )
            if fixes:
                tracks.append(
                    UnitTrack(unit.name, unit.unit_type, fixes, unit.call_sign, unit.mmsi)
                )
        return tracks

    def refresh_plans(self, case_id: str) -> None:
        if case_id == self.window.current:
            self.map_view.set_plans(plan_shapes(self.store.plans.for_case(case_id)))

    def refresh_units(self) -> None:
        self.map_view.set_units(self.unit_tracks())

    def refresh_runs(self, case_id: str) -> None:
        """The Drift tab lists the case's kept runs again (another desk kept one), the runs
        on the chart still ticked."""
        if case_id == self.window.current:
            shown = frozenset(r for r in (self.wanted_drift, *self.overlaid) if r)
            self.panel.show_runs(self.store.drift.runs(case_id), shown)

    # --- drift ---------------------------------------------------------------------------

    def run_drift(self, params, forcing, seed: int) -> None:
        """Run a drift in a worker (progress, cancel) with its chart products; keep it with the
        case when done. ``forcing`` None: the forecast, fetched in the worker through a copy
        of the desk's cache (the worker never touches the desk); new answers are kept after."""
        case_id = self.window.current
        if not case_id:
            return
        author, panel, store = settings.operator_name(), self.panel, self.store
        category = leeway_category(params.category)
        fetched = MemoryCache()
        if forcing is None:
            desk_cache = store.drift.forcing_cache()
            for key in forecast_keys(request_for_run(params), **self.forecast_urls):
                body = desk_cache.get(key)
                if body is not None:
                    fetched.put(key, body)
            forcing = partial(forecast_forcing, params, cache=fetched, **self.forecast_urls)
        job = _with_products(drift_outcome_job(params, forcing, seed), category.key)
        panel.set_running(True)

        def on_finished(result) -> None:
            outcome, products = result
            panel.set_running(False)
            if self.store is not store:  # another desk was opened meanwhile
                return
            for key, body in fetched.entries.items():
                store.drift.forcing_cache().put(key, body)
            changes = self.window.call(
                lambda: keep_run(
                    self.store,
                    case_id,
                    category=category,
                    forcing=outcome.forcing,
                    summary=outcome.summary,
                    seed=seed,
                    author=author,
                )
            )
            if changes is None:
                return
            self.last_drift = changes.drift_runs[0]
            self.window.apply(changes)
            # Kept with its case; shown only if that case is still the one on screen.
            if self.window.current == case_id:
                panel.show_runs(self.store.drift.runs(case_id), frozenset(changes.drift_runs))
                panel.show_summary(outcome.summary)
                self.map_view.set_drift(products)
                self.shown_drift = self.wanted_drift = self.last_drift
                plans = self.window.plan_panel
                if plans is not None and plans.case_id == case_id:
                    plans.compute_pos()  # POS is on the latest kept drift: this one

        def on_failed(message: str) -> None:
            panel.set_running(False)
            self.window.show_error("Drift failed", message)

        self.drift_worker = start_job(
            self.window,
            lambda: job,
            on_progress=lambda fraction: panel.progress.setValue(int(fraction * 1000)),
            on_finished=on_finished,
            on_failed=on_failed,
            on_cancelled=lambda: panel.set_running(False),
        )

    def cancel_drift(self) -> None:
        if self.drift_worker is not None:
            self.drift_worker.cancel()

    def follow_plans(self, plans) -> None:
        """A plan chosen in the Plans tab snaps the time slider to its search window."""
        plans.plan_selected.connect(
            lambda plan: (
                self.map_view.show_search_window(plan.start, plan.end)
                if plan is not None
                else self.map_view.show_search_window(None, None)
            )
        )

    def _set_overlays(self, case_id: str, records: dict) -> None:
        self.overlaid = [r for r in self.overlaid if r in records and r != self.wanted_drift]
        self.map_view.set_overlays(
            [
                RunOverlay.from_summary(
                    f"{format_dtg(records[r].created)} obj {records[r].params['category']}",
                    records[r].summary,
                )
                for r in self.overlaid
            ]
        )

    def set_run_shown(self, run_id: str, shown: bool) -> None:
        """Show one kept run on the chart (its clouds are recomputed from its seed); with the
        Drift tab's overlay ticked, the runs shown before stay as overlays."""
        case_id = self.window.current
        overlay = self.panel.overlay.isChecked() and case_id is not None
        records = {r.id: r for r in self.store.drift.runs(case_id)} if case_id else {}
        if overlay and shown and self.wanted_drift and self.wanted_drift != run_id:
            self.overlaid.append(self.wanted_drift)
        if not overlay:
            self.overlaid = []
        if not shown and run_id in self.overlaid:
            self.overlaid.remove(run_id)
            self._set_overlays(case_id, records)
            return
        if not shown or not case_id:
            self.map_view.set_drift(None)
            self.shown_drift = self.wanted_drift = None
            if case_id:
                self._set_overlays(case_id, records)
            return
        self.wanted_drift = run_id
        record = records[run_id]
        self._set_overlays(case_id, records)
        self.panel.show_runs(list(records.values()), frozenset({run_id, *self.overlaid}))
        label = f"run {format_dtg(record.created)}"

        def on_finished(result) -> None:
            (_run, summary), products = result
            if self.window.current == case_id and self.wanted_drift == run_id:
                self.map_view.set_drift(products)
                self.panel.show_summary(summary)
                self.map_view.zoom_to_case()  # the case and where its drift goes
                self.shown_drift = run_id

        self.rerun_worker = start_job(
            self.window,
            lambda: _with_products(rerun(record), label),
            on_finished=on_finished,
            on_failed=lambda message: self.window.show_error("Drift", message),
        )

    # --- units, tiles, exports ------------------------------------------------------------

    def open_units(self) -> UnitsDialog:
        dialog = UnitsDialog(self.store, self.window)
        dialog.units_changed.connect(self.refresh_units)
        dialog.units_changed.connect(self._refresh_plan_units)
        dialog.show()
        self.units_dialog = dialog
        return dialog

    def _refresh_plan_units(self) -> None:
        """A unit just registered is offered in the Plans tab's unit list at once."""
        if self.window.plan_panel is not None:
            self.window.plan_panel.refresh()

    def open_tiles(self) -> ChartTilesDialog:
        dialog = ChartTilesDialog(self.map_view, self.window)
        dialog.show()
        self.tiles_dialog = dialog
        return dialog

    def export_png(self, path: Path | None = None, width: int | None = None) -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self.window, "Export chart", str(Path.home() / "chart.png"), "PNG (*.png)"
            )
            if not name:
                return None
            path = Path(name)
        if width is None:
            width, ok = QInputDialog.getInt(
                self.window, "Export chart", "Width in pixels:", 2400, 200, 12000
            )
            if not ok:
                return None
        return self.window.call(lambda: self.map_view.export_png(path, width=width))

    def export_features(self, path: Path | None = None) -> Path | None:
        """The case, its shown drift and the units as GeoJSON, KML or GPX (by suffix)."""
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self.window,
                "Export case features",
                str(Path.home() / "case.kml"),
                "KML (*.kml);;GeoJSON (*.geojson);;GPX (*.gpx)",
            )
            if not name:
                return None
            path = Path(name)
        try:
            return self.map_view.export_features(path)
        except (SarappError, OSError) as exc:
            self.window.show_error("Export", str(exc))
            return None
