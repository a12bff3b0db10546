"""Search plans kept with their case: validated, logged in words, reported done or cancelled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sarapp.planning.patterns import PATTERN_KINDS, search_pattern
from sarapp.store import PlanError
from sarapp.store.plans import PLAN_PATTERNS

START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


@pytest.fixture
def case_id(store):
    (case,) = store.cases.create(title="Liferaft adrift", author="op").cases
    return case


def _square():
    return search_pattern(
        "expanding-square", csp_lat=43.205, csp_lon=9.0833, course_deg=90.0, spacing_nm=1.5, legs=8
    )


def _task(store, case_id, **over):
    pattern = _square()
    args = dict(
        unit="Rescue 22",
        pattern=pattern.kind,
        params={"course_deg": 90.0, "spacing_nm": 1.5, "legs": 8},
        waypoints=pattern.waypoints,
        start=START,
        end=START + timedelta(hours=3),
        pod=0.63,
        drift_run_id=None,
        author="op",
    )
    args.update(over)
    return store.plans.add(case_id, **args)


def test_the_store_knows_the_same_pattern_kinds_as_planning():
    assert PLAN_PATTERNS == PATTERN_KINDS


def test_a_tasking_is_stored_and_read_aloud_in_the_log(store, case_id):
    (unit_id,) = store.units.add(name="Rescue 22", unit_type="helicopter").units
    tasked = _task(store, case_id, unit="rescue 22")
    (plan,) = store.plans.for_case(case_id)
    assert plan.id == tasked.plan_id and plan.status == "planned"
    assert plan.unit_id == unit_id and plan.unit_name == "Rescue 22"
    assert plan.waypoints[0].name == "CSP" and plan.waypoints[0].lat == 43.205
    assert len(plan.waypoints) == 9 and plan.start == START and plan.pod == 0.63
    assert plan.params == {"course_deg": 90.0, "spacing_nm": 1.5, "legs": 8}
    entry = store.log.entries(case_id)[-1]
    assert entry.id == tasked.changes.entries[0]
    assert entry.text == (
        "Rescue 22 tasked: expanding square search, CSP 43°12.300'N 009°04.998'E, "
        "first course 090°T, track spacing 1.5 NM, from 261500Z NOV 26 to 261800Z NOV 26, "
        "POD 63%."
    )
    assert entry.data == {"search_plan": plan.id, "status": "planned"}


def test_a_unit_not_in_the_registry_is_kept_by_name(store, case_id):
    _task(store, case_id, unit="  MV Nordic Star ")
    (plan,) = store.plans.for_case(case_id)
    assert plan.unit_id is None and plan.unit_name == "MV Nordic Star"


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"pattern": "spiral"}, "pattern 'spiral' is not one of"),
        ({"unit": "  "}, "needs a unit"),
        ({"waypoints": [("CSP", 91.0, 9.0)]}, "waypoint 1 (91.0, 9.0) is off the globe"),
        ({"waypoints": []}, "at least its commence-search point"),
        ({"start": datetime(2026, 11, 26, 15)}, "must be given in UTC"),
        ({"end": START.astimezone(timezone(timedelta(hours=1)))}, "must be given in UTC"),
        ({"end": START}, "is not after its start"),
        ({"pod": 1.2}, "POD 1.2 must be between 0 and 1"),
        ({"drift_run_id": "nope"}, "is not kept with this case"),
        ({"params": {"x": float("nan")}}, "cannot be stored as JSON"),
    ],
)
def test_bad_plans_are_refused_and_nothing_is_kept(store, case_id, over, message):
    before = len(store.log.entries(case_id))
    with pytest.raises(PlanError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _task(store, case_id, **over)
    assert store.plans.for_case(case_id) == [] and len(store.log.entries(case_id)) == before


def test_a_search_reported_done_is_logged_and_final(store, case_id):
    tasked = _task(store, case_id)
    changes = store.plans.set_status(tasked.plan_id[:8], "done", "op")
    (plan,) = store.plans.for_case(case_id)
    assert plan.status == "done"
    entry = store.log.entries(case_id)[-1]
    assert entry.id == changes.entries[0]
    assert (
        entry.text
        == "Search by Rescue 22 (expanding square, POD 63%) reported done, nothing found."
    )
    with pytest.raises(PlanError, match="already done"):
        store.plans.set_status(plan.id, "cancelled", "op")


def test_cancel_and_bad_status_and_unknown_plan(store, case_id):
    tasked = _task(store, case_id, pod=None, start=None, end=None)
    with pytest.raises(PlanError, match="'finished' is not 'done' or 'cancelled'"):
        store.plans.set_status(tasked.plan_id, "finished", "op")
    with pytest.raises(PlanError, match="no search plan 'zzz'"):
        store.plans.set_status("zzz", "done", "op")
    store.plans.set_status(tasked.plan_id, "cancelled", "op")
    assert (
        store.log.entries(case_id)[-1].text == "Search by Rescue 22 (expanding square) cancelled."
    )
    assert store.plans.for_case(case_id)[0].status == "cancelled"


def test_plans_are_listed_per_case_oldest_first(store, case_id):
    (other,) = store.cases.create(title="Other", author="op").cases
    first = _task(store, case_id, unit="A").plan_id
    _task(store, other, unit="B")
    second = _task(store, case_id, unit="C").plan_id
    assert [p.id for p in store.plans.for_case(case_id)] == [first, second]
