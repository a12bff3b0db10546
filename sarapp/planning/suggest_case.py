"""Sub-areas for a case's units, on its kept drift as the searches done so far left it.

The worksheet gives each unit's sweep width and effort; the drift run, rerun from its seed
and reweighted by the searches reported done, gives where the object may still be; the
suggestion can then be tasked as parallel-track plans.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sarapp.drift.records import rerun
from sarapp.model import DriftRecord
from sarapp.model_plans import PlanTasked, SearchPlanRecord
from sarapp.planning.iamsar import Worksheet, WorksheetInput, compute_worksheet
from sarapp.planning.suggest import PlanSuggestion, suggest_sub_areas
from sarapp.planning.tasking import choose_drift_run, cloud_after_done, task_unit
from sarapp.progress import scaled
from sarapp.store import Desk


@dataclass(frozen=True)
class CaseSuggestion:
    worksheet: Worksheet
    suggestion: PlanSuggestion
    drift_run_id: str


def suggest_for_case(
    store: Desk,
    case_ref: str,
    *,
    inputs: WorksheetInput,
    run_ref: str | None = None,
    allow_overlap: bool = False,
    at: datetime | None = None,
) -> Generator[float, None, CaseSuggestion]:
    """Rerun the case's drift (progress 0–0.9), then suggest a sub-area per unit for the
    cloud at ``at`` (the middle of the search window; default the run's end)."""
    record = choose_drift_run(store, case_ref, run_ref)
    plans = store.plans.for_case(case_ref)
    return (
        yield from suggestion_job(record, plans, inputs=inputs, allow_overlap=allow_overlap, at=at)
    )


def suggestion_job(
    record: DriftRecord,
    plans: Sequence[SearchPlanRecord],
    *,
    inputs: WorksheetInput,
    allow_overlap: bool = False,
    at: datetime | None = None,
) -> Generator[float, None, CaseSuggestion]:
    """``suggest_for_case`` on a run and plans already read (no desk: a worker can run it)."""
    worksheet = compute_worksheet(inputs)
    run, _summary = yield from scaled(rerun(record), 0.9)
    suggestion = suggest_sub_areas(
        cloud_after_done(run, list(plans), at=at),
        units=worksheet.units,
        conditions=inputs.conditions,
        allow_overlap=allow_overlap,
    )
    yield 1.0
    return CaseSuggestion(worksheet, suggestion, record.id)


def task_suggestion(
    store: Desk,
    case_ref: str,
    suggestion: PlanSuggestion,
    *,
    start: datetime | None,
    end: datetime | None,
    author: str,
) -> list[PlanTasked]:
    """Store each suggested sub-area as its unit's parallel-track plan, with its POD."""
    tasked = []
    with store.transaction():
        for unit in suggestion.units:
            pattern = unit.parallel_track()
            first = pattern.waypoints[0]
            tasked.append(
                task_unit(
                    store,
                    case_ref,
                    unit=unit.name,
                    kind="parallel-track",
                    csp=(first.lat, first.lon),
                    course_deg=unit.orientation_deg,
                    spacing_nm=unit.track_spacing_nm,
                    width_nm=unit.width_nm,
                    length_nm=unit.length_nm,
                    pod=round(unit.pod, 4),
                    start=start,
                    end=end,
                    author=author,
                )
            )
    return tasked
