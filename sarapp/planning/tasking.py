"""Tasking units with search patterns, and the POS of a case's searches from a kept drift.

A kept drift run stores its seed, not its particles; :func:`evaluate_case_plans` regenerates
the clouds bit for bit (``sarapp.drift.records.rerun``) and takes, for each plan, the snapshot
nearest the middle of its time window (its start when it has no end; the end of the run when
it has no window). Each plan's rectangle (:mod:`sarapp.planning.plan_area`) carries its POD
uniformly (the coverage that gives the stored POD on its curve); a particle inside is detected
with that POD. Particles keep their identity across snapshots, so:

- searches reported done are taken in time order, each on the cloud reweighted by the ones
  before (POC·(1 − POD)); their POS values give the cumulative POS;
- planned searches are evaluated on what the done ones left, each alone (``pos``) and all
  together as independent searches (``planned_pos``);
- ``remaining_poc`` is the probability left if the planned searches also find nothing:
  (1 − cumulative POS)·(1 − planned POS). Cancelled plans are listed without a POS.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from sarapp.drift.engine import DriftRun
from sarapp.drift.records import rerun
from sarapp.model import DriftRecord
from sarapp.model_plans import PlanTasked, SearchPlanRecord
from sarapp.planning.errors import PlanningError
from sarapp.planning.patterns import SearchPattern, search_pattern
from sarapp.planning.plan_area import (
    PlanRectangle,
    coverage_for_pod,
    pattern_coverage,
    pattern_rectangle,
)
from sarapp.planning.pod import pod as pod_on_curve
from sarapp.planning.probability import ParticleCloud, SearchArea, cumulative_pos, evaluate_plan
from sarapp.progress import scaled
from sarapp.store import Desk

MAX_POD = 1.0 - 1e-9  # a stored POD of 1 is laid as this (coverage stays finite)
PATTERN_FIGURES = (
    "legs",
    "width_nm",
    "length_nm",
    "radius_nm",
    "turn",
    "second",
    "returning",
    "aircraft_speed_kt",
)


@dataclass(frozen=True)
class PlanPOS:
    """One plan against the cloud: POD (0–1) in its area, POS (0–1, None if not evaluated)."""

    plan_id: str
    unit: str
    pattern: str
    status: str
    pod: float | None
    pos: float | None
    cloud_time: datetime | None


@dataclass(frozen=True)
class CasePOS:
    """A case's searches against one kept drift run (probabilities 0–1)."""

    drift_run_id: str
    particles: int
    plans: tuple[PlanPOS, ...]
    cumulative_pos: float
    planned_pos: float
    remaining_poc: float

    def to_json(self) -> dict[str, Any]:
        return {
            "drift_run_id": self.drift_run_id,
            "particles": self.particles,
            "cumulative_pos": round(self.cumulative_pos, 6),
            "planned_pos": round(self.planned_pos, 6),
            "remaining_poc": round(self.remaining_poc, 6),
            "plans": [
                {
                    "plan_id": p.plan_id,
                    "unit": p.unit,
                    "pattern": p.pattern,
                    "status": p.status,
                    "pod": p.pod,
                    "pos": None if p.pos is None else round(p.pos, 6),
                    "cloud_time": p.cloud_time.isoformat() if p.cloud_time else None,
                }
                for p in self.plans
            ],
        }


def plan_pattern(plan: SearchPlanRecord) -> SearchPattern:
    """Lay a stored plan's pattern out again from its parameters (for exports and the PDF)."""
    p = plan.params
    csp = plan.waypoints[0]
    figures = {k: p[k] for k in PATTERN_FIGURES if p.get(k) is not None}
    return search_pattern(
        plan.pattern,
        csp_lat=csp.lat,
        csp_lon=csp.lon,
        course_deg=float(p["course_deg"]),
        spacing_nm=p.get("spacing_nm"),
        **figures,
    )


def plan_rectangle(plan: SearchPlanRecord) -> PlanRectangle:
    """The rectangle a stored plan searches (from its waypoints, course and spacing)."""
    return pattern_rectangle(
        plan.pattern,
        waypoints=[(w.lat, w.lon) for w in plan.waypoints],
        course_deg=float(plan.params.get("course_deg", 0.0)),
        spacing_nm=plan.params.get("spacing_nm"),
        sweep_width_nm=plan.params.get("sweep_width_nm"),
    )


def plan_search_area(plan: SearchPlanRecord) -> SearchArea | None:
    """The plan's rectangle with the coverage of its POD, or None when it has no POD."""
    if plan.pod is None:
        return None
    conditions = plan.params.get("conditions", "normal")
    coverage = coverage_for_pod(min(plan.pod, MAX_POD), conditions)
    return plan_rectangle(plan).search_area(coverage=coverage, conditions=conditions)


def task_unit(
    store: Desk,
    case_ref: str,
    *,
    unit: str,
    kind: str,
    csp: tuple[float, float],
    course_deg: float,
    spacing_nm: float | None,
    start: datetime | None = None,
    end: datetime | None = None,
    sweep_width_nm: float | None = None,
    pod: float | None = None,
    conditions: str = "normal",
    author: str,
    **figures: Any,
) -> PlanTasked:
    """Lay out the pattern (``figures``: legs, width_nm, length_nm, radius_nm, turn, second,
    returning) and store it for ``unit`` with the latest drift run of the case.

    POD: ``pod`` as given (0–1), else from the coverage W·track/area with ``sweep_width_nm``
    (NM) on the curve of ``conditions``, else none (the plan then has no POS).
    """
    unknown = set(figures) - set(PATTERN_FIGURES)
    if unknown:
        raise PlanningError(f"unknown pattern figures: {', '.join(sorted(unknown))}")
    laid = search_pattern(
        kind,
        csp_lat=csp[0],
        csp_lon=csp[1],
        course_deg=course_deg,
        spacing_nm=spacing_nm,
        **figures,
    )
    params: dict[str, Any] = {"course_deg": course_deg, "spacing_nm": spacing_nm, **figures}
    params["conditions"] = conditions
    params["code"] = laid.code
    if laid.surface_speed_kt is not None:  # CSC: the surface unit that keeps abeam
        params["surface_speed_kt"] = round(laid.surface_speed_kt, 2)
    if sweep_width_nm is not None:
        rect = pattern_rectangle(
            kind,
            waypoints=[(w.lat, w.lon) for w in laid.waypoints],
            course_deg=course_deg,
            spacing_nm=spacing_nm,
            sweep_width_nm=sweep_width_nm,
        )
        searching = sum(leg.length_nm for leg in laid.legs if leg.searching)
        coverage = pattern_coverage(
            sweep_width_nm=sweep_width_nm, searching_nm=searching, area_nm2=rect.area_nm2
        )
        params.update(sweep_width_nm=sweep_width_nm, coverage=round(coverage, 4))
        if pod is None:
            pod = round(pod_on_curve(coverage, conditions), 4)
    runs = store.drift.runs(case_ref)
    return store.plans.add(
        case_ref,
        unit=unit,
        pattern=kind,
        params=params,
        waypoints=laid.waypoints,
        start=start,
        end=end,
        pod=pod,
        drift_run_id=runs[-1].id if runs else None,
        author=author,
    )


def _plan_time(plan: SearchPlanRecord) -> datetime | None:
    if plan.start and plan.end:
        return plan.start + (plan.end - plan.start) / 2
    return plan.start or plan.end


class _Snapshots:
    """Clouds of a run at the snapshot nearest a time, projected once each."""

    def __init__(self, run: DriftRun) -> None:
        self.run = run
        self._clouds: dict[int, ParticleCloud] = {}

    def index(self, when: datetime | None) -> int:
        last = len(self.run.times_s) - 1
        if when is None:
            return last
        return int(np.argmin(np.abs(self.run.times_s - when.timestamp())))

    def cloud(self, k: int, weight: np.ndarray) -> ParticleCloud:
        if k not in self._clouds:
            last = k == len(self.run.times_s) - 1
            lat = self.run.final_lat if last else self.run.lat[k]
            lon = self.run.final_lon if last else self.run.lon[k]
            self._clouds[k] = ParticleCloud.from_arrays(lat, lon)
        return self._clouds[k].reweighted(weight)

    def time(self, k: int) -> datetime:
        return datetime.fromtimestamp(float(self.run.times_s[k]), UTC)


def _search_order(plans: Sequence[SearchPlanRecord]) -> list[SearchPlanRecord]:
    return sorted(plans, key=lambda p: (_plan_time(p) or p.created, p.created))


def _after_done(
    snaps: _Snapshots, plans: Sequence[SearchPlanRecord]
) -> tuple[np.ndarray, dict[str, PlanPOS], list[float]]:
    """Apply the searches reported done, in time order: each reweights the cloud by
    POC·(1 − POD). Returns the weights left, each done plan's result and POS values."""
    n = snaps.run.lat.shape[1]
    weight = np.full(n, 1.0 / n)
    results: dict[str, PlanPOS] = {}
    done_pos: list[float] = []
    for plan in (p for p in _search_order(plans) if p.status == "done"):
        area = plan_search_area(plan)
        k = snaps.index(_plan_time(plan))
        pos = None
        if area is not None and weight.sum() > 0:
            cloud = snaps.cloud(k, weight)
            evaluation = evaluate_plan(cloud, [area])
            pos = evaluation.pos
            done_pos.append(pos)
            weight = cloud.weight * (1.0 - evaluation.pod)
        results[plan.id] = PlanPOS(
            plan.id, plan.unit_name, plan.pattern, plan.status, plan.pod, pos, snaps.time(k)
        )
    return weight, results, done_pos


def cloud_after_done(
    run: DriftRun, plans: Sequence[SearchPlanRecord], *, at: datetime | None = None
) -> ParticleCloud:
    """The run's cloud at the snapshot nearest ``at`` (default: the last), weighted by what
    the searches reported done left: where the next plan should go."""
    snaps = _Snapshots(run)
    weight, _results, _pos = _after_done(snaps, plans)
    return snaps.cloud(snaps.index(at), weight)


def plans_against_run(run: DriftRun, run_id: str, plans: Sequence[SearchPlanRecord]) -> CasePOS:
    """POS of each plan, cumulative POS of the done ones, planned POS given them (see module)."""
    snaps = _Snapshots(run)
    n = run.lat.shape[1]
    weight, results, done_pos = _after_done(snaps, plans)
    miss = np.ones(n)
    for plan in _search_order(plans):
        if plan.status == "done":
            continue
        area = plan_search_area(plan) if plan.status == "planned" else None
        k = snaps.index(_plan_time(plan))
        pos = None
        if area is not None and weight.sum() > 0:
            evaluation = evaluate_plan(snaps.cloud(k, weight), [area])
            pos = evaluation.pos
            miss *= 1.0 - evaluation.pod
        results[plan.id] = PlanPOS(
            plan.id, plan.unit_name, plan.pattern, plan.status, plan.pod, pos, snaps.time(k)
        )
    total = weight.sum()
    planned = float(np.dot(weight, 1.0 - miss) / total) if total > 0 else 0.0
    cumulative = cumulative_pos(done_pos)
    return CasePOS(
        drift_run_id=run_id,
        particles=n,
        plans=tuple(results[p.id] for p in plans),
        cumulative_pos=cumulative,
        planned_pos=planned,
        remaining_poc=(1.0 - cumulative) * (1.0 - planned),
    )


def evaluate_case_plans(
    record: DriftRecord, plans: Sequence[SearchPlanRecord]
) -> Generator[float, None, CasePOS]:
    """Rerun the kept drift (progress 0–0.95) and evaluate ``plans`` against it.

    Touches no database: the UI reads the record and plans, then runs this in a worker.
    """
    run, _summary = yield from scaled(rerun(record), 0.95)
    result = plans_against_run(run, record.id, plans)
    yield 1.0
    return result


def choose_drift_run(store: Desk, case_ref: str, run_ref: str | None = None) -> DriftRecord:
    """The case's latest kept drift run, or the one whose id starts with ``run_ref``."""
    runs = store.drift.runs(case_ref)
    if not runs:
        raise PlanningError("the case has no kept drift run: run a drift with --case first")
    if run_ref is None:
        return runs[-1]
    found = [r for r in runs if r.id.startswith(run_ref.strip().lower())]
    if len(found) != 1:
        ids = ", ".join(r.id[:8] for r in runs)
        raise PlanningError(f"drift run {run_ref!r} is not one of the case's runs ({ids})")
    return found[0]


def case_pos(
    store: Desk, case_ref: str, *, run_ref: str | None = None
) -> Generator[float, None, CasePOS]:
    """Read the case's plans and drift run, then evaluate them (for the CLI and scripts)."""
    record = choose_drift_run(store, case_ref, run_ref)
    plans = store.plans.for_case(case_ref)
    return (yield from evaluate_case_plans(record, plans))
