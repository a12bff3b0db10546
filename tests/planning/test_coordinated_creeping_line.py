"""Coordinated creeping line (CSC): the aircraft's creeping line and the surface unit
that steams along the centre line so as to stay abeam the cross legs."""

from __future__ import annotations

import pytest
from pyproj import Geod

from sarapp.planning.errors import PlanningError
from sarapp.planning.patterns import search_pattern

GEOD = Geod(ellps="WGS84")


def test_surface_unit_speed_and_track_by_hand():
    csc = search_pattern(
        "coordinated-creeping-line",
        csp_lat=43.0,
        csp_lon=9.0,
        course_deg=0.0,
        spacing_nm=1.0,
        width_nm=10.0,
        length_nm=6.0,
        aircraft_speed_kt=150.0,
    )
    cs = search_pattern(
        "creeping-line", csp_lat=43.0, csp_lon=9.0, course_deg=0.0, spacing_nm=1.0,
        width_nm=10.0, length_nm=6.0,
    )  # fmt: skip
    assert csc.code == "CSC" and csc.waypoints == cs.waypoints  # the aircraft flies a CS
    # Cross legs W − S = 9 NM; one cross leg and a 1 NM crossover per track spacing:
    # Vs = S · Va / (9 + 1) = 1 × 150 / 10 = 15 kt.
    assert csc.surface_speed_kt == pytest.approx(15.0)
    start, end = csc.surface_track
    # It starts on the centre line, 4.5 NM east of the CSP (first cross leg 090°T) …
    _, _, d0 = GEOD.inv(9.0, 43.0, start.lon, start.lat)
    assert d0 / 1852 == pytest.approx(4.5, abs=1e-6)
    # … and steams north while the aircraft flies 6 × 9 + 5 × 1 = 59 NM at 150 kt: 5.9 NM.
    az, _, d = GEOD.inv(start.lon, start.lat, end.lon, end.lat)
    assert az % 360 == pytest.approx(0.0, abs=1e-6)
    assert d / 1852 == pytest.approx(15.0 * 59 / 150, rel=1e-9)


def test_coordinated_creeping_line_needs_the_aircraft_speed():
    with pytest.raises(PlanningError, match="aircraft_speed_kt"):
        search_pattern(
            "coordinated-creeping-line", csp_lat=43.0, csp_lon=9.0, course_deg=0.0,
            spacing_nm=1.0, width_nm=10.0, length_nm=6.0,
        )  # fmt: skip


def test_tasked_csc_keeps_the_surface_speed_and_prints_the_surface_unit(store):
    from sarapp.planning.action_plan import action_plan
    from sarapp.planning.tasking import task_unit

    (case_id,) = store.cases.create(title="Liferaft adrift", author="op").cases
    tasked = task_unit(
        store, case_id, unit="Falcon 50", kind="coordinated-creeping-line", csp=(43.0, 9.0),
        course_deg=0.0, spacing_nm=1.0, width_nm=10.0, length_nm=6.0, aircraft_speed_kt=150.0,
        pod=0.6, author="op",
    )  # fmt: skip
    plan = store.plans.get(tasked.plan_id)
    assert plan.params["surface_speed_kt"] == 15.0 and plan.params["aircraft_speed_kt"] == 150.0
    text = action_plan(case=store.cases.get(case_id), plan=plan).text()
    assert "Surface unit:" in text and "15.0 kt" in text
