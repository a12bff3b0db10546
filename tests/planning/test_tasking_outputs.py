"""What a stored plan becomes outside the desk: chart shapes and the search action plan text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sarapp.drift.forcing import constant_forcing, current_towards, wind_from
from sarapp.maps.plan_layer_data import plan_shapes
from sarapp.model import Position
from sarapp.planning.action_plan import action_plan
from sarapp.planning.tasking import task_unit

START = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


@pytest.fixture
def case_with_plans(store):
    lkp = Position(43.0, 9.0, time=datetime(2026, 11, 26, 14, 0, tzinfo=UTC))
    (case_id,) = store.cases.create(
        title="Liferaft adrift",
        author="op",
        lkp=lkp,
        values={"vessel_name": "Sea Swallow", "pob": 3, "smc": "MRCC Duty"},
    ).cases

    def task(unit, kind, **kw):
        return task_unit(
            store, case_id, unit=unit, kind=kind, csp=(43.1, 9.2), author="op", **kw
        ).plan_id

    ladder = task(
        "MV Nordic",
        "parallel-track",
        course_deg=90.0,
        spacing_nm=2.0,
        width_nm=10.0,
        length_nm=16.0,
        pod=0.6,
        start=START,
        end=START + timedelta(hours=4),
    )
    square = task("Rescue 22", "expanding-square", course_deg=0.0, spacing_nm=1.0, legs=8)
    tsn = task(
        "Falcon", "track-line", course_deg=45.0, spacing_nm=None, length_nm=20.0, returning=False
    )
    store.plans.set_status(square, "cancelled", "op")
    return case_id, ladder, square, tsn


def test_chart_shapes_carry_track_area_and_label(store, case_with_plans):
    case_id, ladder, _, tsn = case_with_plans
    plans = store.plans.for_case(case_id)
    shapes = plan_shapes(plans)
    assert [s.plan_id for s in shapes] == [ladder, tsn]  # cancelled plans are left off
    first = shapes[0]
    assert first.track[0] == (43.1, 9.2) and len(first.track) == 10
    assert len(first.area) == 5 and first.area[0] == first.area[-1]
    assert first.label == "MV Nordic PS POD 60%"
    assert shapes[1].area is None  # a non-return track line without sweep width has no area
    assert len(plan_shapes(plans, include_cancelled=True)) == 3
    feature = first.to_geojson()
    line, polygon = feature["geometry"]["geometries"]
    assert line["coordinates"][0] == [9.2, 43.1] and len(polygon["coordinates"][0]) == 5


def test_action_plan_text_names_unit_pattern_waypoints_window_and_pod(store, case_with_plans):
    case_id, ladder, _, _ = case_with_plans
    case = store.cases.get(case_id)
    plan = next(p for p in store.plans.for_case(case_id) if p.id == ladder)
    text = action_plan(case=case, plan=plan).text()
    assert text.startswith("SEARCH ACTION PLAN — MV Nordic\nCase ")
    for expected in (
        "1. SITUATION",
        "Vessel: Sea Swallow",
        "Persons on board: 3",
        "Last known position: 43°00.000'N 009°00.000'E at 261400Z NOV 26",
        "Pattern: Parallel track (PS)",
        "Commence search point: 43°06.000'N 009°12.000'E",
        "First course: 090°T",
        "Track spacing: 2 NM",
        "Area: 16.0 × 10.0 NM (160 NM²)",
        "On scene: from 261700Z NOV 26 to 262100Z NOV 26",
        "POD) in the area: 60%",
        "SAR mission coordinator: MRCC Duty",
        "Primary: ____",
        "CSP  43°06.000'N  009°12.000'E",
        "1  CSP  WP1  090.0  14.00  search",
        "2  WP1  WP2  180.2  2.00  crossing",
    ):
        assert expected in text, expected


def test_weather_comes_from_a_drift_with_constant_wind_and_current(store, case_with_plans):
    from sarapp.model import CaseId, DriftRecord

    case_id, ladder, _, _ = case_with_plans
    forcing = constant_forcing(
        wind_u=wind_from(270, 20)[0],
        wind_v=wind_from(270, 20)[1],
        current_u=current_towards(90, 0.5)[0],
        current_v=current_towards(90, 0.5)[1],
    )
    drift = DriftRecord(
        id="abcdef12-0000",
        case_id=CaseId(case_id),
        created=START,
        author="op",
        label="",
        seed=1,
        params={"category": 1},
        forcing=forcing.to_dict(),
        summary={"datum_track": [{"time": "2026-11-26T20:00:00+00:00", "lat": 43.2, "lon": 9.3}]},
    )
    plan = next(p for p in store.plans.for_case(case_id) if p.id == ladder)
    text = action_plan(case=store.cases.get(case_id), plan=plan, drift=drift).text()
    assert "Wind 270° 20 kt" in text and "current towards 090° 0.5 kt" in text
    assert "Datum (drift abcdef12): 43°12.000'N 009°18.000'E at 262000Z NOV 26" in text
    assert "PIW-1" in text
