"""Tasking units and the POS of a case's searches from a kept drift run (rerun from its seed)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from sarapp.drift.categories import leeway_category
from sarapp.drift.engine import run_drift
from sarapp.drift.forcing import constant_forcing
from sarapp.drift.params import DriftParams
from sarapp.drift.records import keep_run, rerun
from sarapp.drift.summary import summarise
from sarapp.planning.errors import PlanningError
from sarapp.planning.probability import ParticleCloud
from sarapp.planning.tasking import (
    case_pos,
    choose_drift_run,
    plan_pattern,
    plan_search_area,
    task_unit,
)

DRIFT_START = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
DRIFT_END = DRIFT_START + timedelta(hours=6)


@pytest.fixture
def drift_case(store):
    """(case id, drift record): 1,500 particles, 6 h, wind from the north 10 m/s, seed 42."""
    (case_id,) = store.cases.create(title="Liferaft adrift", author="op").cases
    params = DriftParams(
        category=1,
        lat=43.0,
        lon=9.0,
        start=DRIFT_START,
        hours=6,
        particles=1500,
        radius_m=1500.0,
        stranding=False,
    )
    forcing = constant_forcing(wind_u=0.0, wind_v=-10.0, current_u=0.2, current_v=0.0)
    summary = summarise(run_drift(params, forcing, np.random.default_rng(42), land=None))
    keep_run(
        store,
        case_id,
        category=leeway_category(1),
        forcing=forcing,
        summary=summary,
        seed=42,
        author="op",
    )
    (record,) = store.drift.runs(case_id)
    return case_id, record


def _finish(job):
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value


def _datum(record):
    end = record.summary["datum_track"][-1]
    return end["lat"], end["lon"]


def _square(store, case_id, record, *, unit="Rescue 22", pod=0.8, around_end=True, **over):
    args = dict(
        unit=unit,
        kind="expanding-square",
        csp=_datum(record),
        course_deg=0.0,
        spacing_nm=0.5,
        legs=6,
        start=DRIFT_END - timedelta(hours=1) if around_end else DRIFT_START,
        end=DRIFT_END + timedelta(hours=1) if around_end else None,
        pod=pod,
        author="op",
    )
    args.update(over)
    return task_unit(store, case_id, **args).plan_id


def _final_cloud(record):
    run, _ = _finish(rerun(record))
    return ParticleCloud.from_arrays(run.final_lat, run.final_lon)


def test_a_tasked_pattern_is_stored_with_the_latest_drift_and_lays_out_again(store, drift_case):
    case_id, record = drift_case
    plan_id = _square(store, case_id, record)
    (plan,) = store.plans.for_case(case_id)
    assert plan.id == plan_id and plan.drift_run_id == record.id
    assert plan.params["legs"] == 6 and plan.params["code"] == "SS"
    again = plan_pattern(plan)
    assert [(w.lat, w.lon) for w in again.waypoints] == [(w.lat, w.lon) for w in plan.waypoints]


def test_pos_of_one_plan_is_its_pod_times_the_probability_in_its_area(store, drift_case):
    case_id, record = drift_case
    plan_id = _square(store, case_id, record)
    (plan,) = store.plans.for_case(case_id)
    inside = plan_search_area(plan).contains(_final_cloud(record)).mean()
    assert 0.05 < inside < 0.95  # the area holds part of the cloud, not all of it
    result = _finish(case_pos(store, case_id))
    (pos,) = result.plans
    assert pos.plan_id == plan_id and pos.status == "planned" and pos.pod == 0.8
    assert pos.cloud_time == DRIFT_END
    assert pos.pos == pytest.approx(0.8 * inside, abs=1e-12)
    assert result.planned_pos == pytest.approx(pos.pos, abs=1e-12)
    assert result.cumulative_pos == 0.0
    assert result.remaining_poc == pytest.approx(1.0 - pos.pos, abs=1e-12)
    assert result.particles == 1500 and result.drift_run_id == record.id


def test_a_search_done_reweights_the_cloud_for_the_next_one(store, drift_case):
    case_id, record = drift_case
    first = _square(store, case_id, record, unit="Rescue 22")
    second = _square(store, case_id, record, unit="MV Nordic", pod=0.5)
    (area, _) = [plan_search_area(p) for p in store.plans.for_case(case_id)]
    f = area.contains(_final_cloud(record)).mean()
    store.plans.set_status(first, "done", "op")
    result = _finish(case_pos(store, case_id))
    by_id = {p.plan_id: p for p in result.plans}
    assert by_id[first].pos == pytest.approx(0.8 * f, abs=1e-12)
    assert result.cumulative_pos == pytest.approx(0.8 * f, abs=1e-12)
    # Given the first search found nothing, the same area holds f·0.2 / (1 − 0.8·f).
    expected = 0.5 * f * 0.2 / (1.0 - 0.8 * f)
    assert by_id[second].pos == pytest.approx(expected, abs=1e-12)
    assert result.planned_pos == pytest.approx(expected, abs=1e-12)
    assert result.remaining_poc == pytest.approx((1 - 0.8 * f) * (1 - expected), abs=1e-12)


def test_planned_searches_combine_as_independent_and_cancelled_ones_drop_out(store, drift_case):
    case_id, record = drift_case
    a = _square(store, case_id, record, unit="A", pod=0.6)
    b = _square(store, case_id, record, unit="B", pod=0.5)
    c = _square(store, case_id, record, unit="C", pod=0.9)
    store.plans.set_status(c, "cancelled", "op")
    area = plan_search_area(store.plans.for_case(case_id)[0])
    f = area.contains(_final_cloud(record)).mean()
    result = _finish(case_pos(store, case_id))
    by_id = {p.plan_id: p for p in result.plans}
    assert by_id[c].pos is None and by_id[c].status == "cancelled"
    assert by_id[a].pos == pytest.approx(0.6 * f, abs=1e-12)
    assert by_id[b].pos == pytest.approx(0.5 * f, abs=1e-12)
    assert result.planned_pos == pytest.approx(f * (1 - 0.4 * 0.5), abs=1e-12)


def test_each_plan_meets_the_cloud_at_its_own_time(store, drift_case):
    case_id, record = drift_case
    _square(store, case_id, record, around_end=False)  # from the drift's start, no end
    (plan,) = store.plans.for_case(case_id)
    run, _ = _finish(rerun(record))
    at_start = ParticleCloud.from_arrays(run.lat[0], run.lon[0])
    at_end = ParticleCloud.from_arrays(run.final_lat, run.final_lon)
    inside_start = plan_search_area(plan).contains(at_start).mean()
    inside_end = plan_search_area(plan).contains(at_end).mean()
    assert inside_start < inside_end / 5  # the cloud drifts into the square laid at the datum
    (early,) = _finish(case_pos(store, case_id)).plans
    assert early.cloud_time == DRIFT_START
    assert early.pos == pytest.approx(0.8 * inside_start, abs=1e-12)


def test_a_plan_without_pod_has_no_pos_and_sweep_width_gives_one(store, drift_case):
    case_id, record = drift_case
    _square(store, case_id, record, pod=None)
    ladder = task_unit(
        store,
        case_id,
        unit="MV Nordic",
        kind="parallel-track",
        csp=_datum(record),
        course_deg=90.0,
        spacing_nm=1.0,
        width_nm=6.0,
        length_nm=8.0,
        sweep_width_nm=0.8,
        author="op",
    ).plan_id
    plans = {p.id: p for p in store.plans.for_case(case_id)}
    # Six 7 NM tracks in a 6 × 8 NM area: C = 0.8 · 42 / 48.
    assert plans[ladder].params["coverage"] == pytest.approx(0.7, abs=1e-4)
    assert plans[ladder].pod == pytest.approx(1 - math.exp(-0.7), abs=1e-4)
    result = _finish(case_pos(store, case_id))
    pos = {p.plan_id: p.pos for p in result.plans}
    assert pos[ladder] > 0 and [v for k, v in pos.items() if k != ladder] == [None]


def test_pos_is_the_same_every_time_the_drift_is_rerun(store, drift_case):
    case_id, record = drift_case
    _square(store, case_id, record)
    assert _finish(case_pos(store, case_id)) == _finish(case_pos(store, case_id))


def test_no_kept_drift_or_an_unknown_run_is_named(store, drift_case):
    case_id, record = drift_case
    (other,) = store.cases.create(title="No drift yet", author="op").cases
    with pytest.raises(PlanningError, match="no kept drift run"):
        choose_drift_run(store, other)
    with pytest.raises(PlanningError, match="not one of the case's runs"):
        choose_drift_run(store, case_id, "ffff")
    assert choose_drift_run(store, case_id, record.id[:6]) == record


def test_unknown_pattern_figures_are_refused(store, drift_case):
    case_id, record = drift_case
    with pytest.raises(PlanningError, match="unknown pattern figures: depth"):
        task_unit(
            store,
            case_id,
            unit="A",
            kind="sector",
            csp=_datum(record),
            course_deg=0.0,
            spacing_nm=None,
            radius_nm=2.0,
            depth=3,
            author="op",
        )
