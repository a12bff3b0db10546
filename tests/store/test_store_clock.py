"""The desk's clock: every time the desk stamps comes from it, so a test or a replay can write
a past year with that year's times (the annual report's synthetic desk does)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sarapp.model import Position
from sarapp.store import Desk


class StepClock:
    """A clock that moves one minute each time it is read."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def test_every_stamp_comes_from_the_desk_clock(desk_path):
    start = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    clock = StepClock(start)
    with Desk.open(desk_path, clock=clock) as store:
        (case_id,) = store.cases.create(title="FV Test", author="op").cases
        store.cases.set_phase(case_id, "DETRESFA", author="op")
        store.cases.add_position(case_id, Position(43.0, 5.0), author="op")
        store.alerts.record(
            case_id, digest="d1", source_key="k", kind="ais", text="AIS", author="op", data={}
        )
        store.units.add(name="SNS 061", unit_type="lifeboat")
        tasked = store.plans.add(
            case_id,
            unit="SNS 061",
            pattern="expanding-square",
            params={"course_deg": 0.0, "spacing_nm": 1.0},
            waypoints=[("CSP", 43.0, 5.0), ("WP1", 43.01, 5.0)],
            start=None,
            end=None,
            pod=None,
            drift_run_id=None,
            author="op",
        )
        store.coordination.record(case_id, event="proposed", rcc_id="X", author="op", text="p")
        case = store.cases.get(case_id)
        entries = store.log.entries(case_id)
        plan = store.plans.get(tasked.plan_id)
        received = store.conn.execute("SELECT received FROM alerts").fetchone()[0]
        events = store.coordination.history(case_id)
    assert case.created.year == 2025 and case.number.startswith("2025-")
    times = [e.time for e in entries]
    assert all(start < t < clock.now + timedelta(seconds=1) for t in times)
    assert times == sorted(times)
    assert received.startswith("2025-03-01T08:")
    assert start < plan.created <= clock.now
    assert events[0].time.year == 2025
