"""The annual report over the seeded synthetic desk: every figure against the one worked out
from the specs by plain counting (``expected``), and the sums that must hold."""

from __future__ import annotations

from collections import Counter

import pytest

from sarapp.progress import run_to_end
from sarapp.report.annual import annual_report
from sarapp.store import Desk

from . import expected as x
from .synthetic_desk import YEAR

SOURCE_OF_SPEC = {"officer": "officer"}  # other sources keep their key


@pytest.fixture
def report(synthetic):
    path, specs = synthetic
    with Desk.open(path) as store:
        return run_to_end(annual_report(store, year=YEAR)), specs


def test_cases_opened_closed_and_open_at_the_year_end(report):
    r, specs = report
    start, end = x.bounds(YEAR)
    opened = x.opened_in(specs, start, end)
    closed = x.closed_in(specs, start, end)
    c = r.total.cases
    assert c.opened.value == len(opened) == 301
    assert set(c.opened.cases) == {s.number for s in opened}
    assert c.closed.value == len(closed)
    assert set(c.closed.cases) == {s.number for s in closed}
    # cases opened the year before and closed in this one count as closed, not opened
    assert any(s.opened < start for s in closed)
    still_open = [s for s in opened if s.closed is None or s.closed >= end]
    assert c.open_at_end.value == len(still_open)
    assert {n for n in c.opened.cases if n.startswith(f"{YEAR + 1}-")} == set()


def test_cases_by_phase_nature_vessel_flag_and_source(report):
    r, specs = report
    opened = x.opened_in(specs, *x.bounds(YEAR))
    c = r.total.cases
    assert {k: v.value for k, v in c.by_phase.items()} == {
        p: sum(1 for s in opened if x.highest(s) == p) for p in x.ORDER
    }
    for figures, field in (
        (c.by_nature, "nature"),
        (c.by_vessel_type, "vessel_type"),
        (c.by_flag, "flag"),
    ):
        assert {k: v.value for k, v in figures.items()} == Counter(
            x.label(getattr(s, field)) for s in opened
        )
    sources = Counter(s.source for s in opened)
    assert {k: v.value for k, v in c.by_source.items() if v.value} == sources
    cancelled = {s.number for s in opened if s.dsc_cancel}
    assert cancelled and set(c.dsc_cancelled.cases) == cancelled
    # an officer's case that got an AIS-SART alert minutes later stays the officer's
    late = [s for s in opened if s.late_alert]
    assert late and set(c.by_source["officer"].cases) >= {s.number for s in late}


def test_people_from_the_register_or_the_case_field_with_their_source(report):
    r, specs = report
    opened = x.opened_in(specs, *x.bounds(YEAR))
    p = r.total.people
    each = {s.number: x.people(s) for s in opened}
    assert {s.register is not None for s in opened} == {True, False}  # both sources
    assert p.in_distress.value == sum(v["in_distress"] or 0 for v in each.values())
    assert p.in_distress.source == "case field 'Persons on board' (pob); persons register"
    assert set(p.in_distress.not_known.cases) == {n for n, v in each.items()
                                                  if v["in_distress"] is None}  # fmt: skip
    for name in ("rescued", "dead", "missing"):
        figure = getattr(p, name)
        told = {n: v[name] for n, v in each.items() if v[name] is not None}
        assert figure.value == sum(told.values()), name
        assert set(figure.cases) == set(told) and figure.source == "persons register"
        assert set(figure.not_known.cases) == set(each) - set(told)
    # assisted: by the closing outcome, whatever the source of the persons
    told = {n: v["assisted"] for n, v in each.items() if v["assisted"] is not None}
    assert any(told.values()) and p.assisted.value == sum(told.values())
    assert set(p.assisted.cases) == {n for n, v in told.items() if v}
    assert set(p.assisted.not_known.cases) == set(each) - set(told)
    assert p.assisted.source == "closing outcome 'persons assisted'"
    lost = {s.number: x.lives_lost(s) for s in opened if s.register is not None}
    before = sum(v[0] for v in lost.values())
    after = sum(v[1] for v in lost.values())
    assert before and after  # the synthetic year has both
    assert p.lives_lost_before_notification.value == before
    assert p.lives_lost_after_notification.value == after
    unsure = {n for n, v in each.items() if n not in lost or lost[n][2]}
    assert set(p.lives_lost_after_notification.not_known.cases) == unsure
    for case in r.cases:
        if case.number in each:
            assert r.people[case.id].source == each[case.number]["source"]


def test_false_alerts_and_beacon_tests_by_the_closing_outcome(report):
    r, specs = report
    opened = x.opened_in(specs, *x.bounds(YEAR))
    c = r.total.cases
    false = {s.number for s in opened if s.outcome in ("false-alert", "hoax")}
    assert false and c.false_alerts.value == len(false) and set(c.false_alerts.cases) == false
    assert set(c.false_alerts.not_known.cases) == {s.number for s in opened if not s.outcome}
    tests = {s.number for s in opened if s.test or s.outcome == "beacon-test"}
    assert c.beacon_tests.value == len(tests) and set(c.beacon_tests.cases) == tests
    # a case reopened after a false-alert closing no longer counts as one
    reopened = [s for s in opened if len(s.closings) > 1 and s.closings[0][2] == "false-alert"]
    assert all(s.number not in false or s.outcome in ("false-alert", "hoax") for s in reopened)


def test_response_times_medians_and_90th_percentiles(report):
    r, specs = report
    opened = x.opened_in(specs, *x.bounds(YEAR))
    t = r.total.times
    for figure, end_of in (
        (t.alert_to_tasking, x.first_tasked),
        (t.alert_to_on_scene, x.first_on_scene),
        (t.alert_to_closure, lambda s: s.closed),
    ):
        n, med, p90 = x.durations(opened, end_of)
        assert (figure.n, figure.median_s, figure.p90_s) == (n, pytest.approx(med), p90)
        assert figure.n + figure.not_known.value == len(opened)
    # a unit seen inside the area before its tasking or after its window is not on scene
    outside_only = [
        s
        for s in opened
        if any(p.early_inside_at or p.late_inside_at for p in s.plans)
        and x.first_on_scene(s) is None
    ]
    assert outside_only
    assert not {s.number for s in outside_only} & set(t.alert_to_on_scene.cases)


def test_means_units_plans_hours_and_area(report):
    r, specs = report
    opened = x.opened_in(specs, *x.bounds(YEAR))
    m = r.total.means
    want = x.means(opened)
    assert {k: v.value for k, v in m.units_by_type.items()} == want["taskings"]
    assert m.units_tasked.value == sum(want["taskings"].values())
    assert {k: v.value for k, v in m.plans_by_type.items()} == want["plans"]
    assert m.hours_searched.value == pytest.approx(want["hours"], abs=1e-3)
    assert m.area_covered_nm2.value == pytest.approx(want["area"], rel=1e-3)
    no_window = [s for s in opened if any(p.status == "done" and not p.window for p in s.plans)]
    assert set(m.hours_searched.not_known.cases) == {s.number for s in no_window}


def test_cooperation_between_states(report):
    r, specs = report
    opened = x.opened_in(specs, *x.bounds(YEAR))
    k = r.total.cooperation
    want = x.cooperation(opened)
    assert k.handovers_proposed.value == want["proposed"]
    assert k.handovers_accepted.value == want["accepted"]
    assert k.handovers_declined.value == want["declined"]
    assert k.handovers_unanswered.value == want["unanswered"]
    assert k.time_to_acceptance.median_s == pytest.approx(want["median_wait"])
    assert k.information_packages_sent.value == want["info"]
    assert k.information_to_flag_state.value == want["to_flag"]
    assert k.flag_differs.value == want["differs"]
    assert k.flag_same.value == want["same"]
    assert k.flag_state_not_known.value == want["not_known"]


def test_per_rcc_and_per_month_as_worked_out(report):
    r, specs = report
    start, end = x.bounds(YEAR)
    opened = x.opened_in(specs, start, end)
    assert {rcc: s.cases.opened.value for rcc, s in r.by_rcc.items()} == Counter(
        x.responsible(s) for s in opened
    )
    assert [s.cases.opened.value for s in r.by_month.values()] == [
        sum(1 for s in opened if s.opened.month == m) for m in range(1, 13)
    ]


def test_sum_invariants(report):
    r, _ = report
    scopes = [r.total, *r.by_month.values(), *r.by_rcc.values()]
    for s in scopes:
        opened = s.cases.opened.value
        for breakdown in (
            s.cases.by_phase,
            s.cases.by_nature,
            s.cases.by_vessel_type,
            s.cases.by_flag,
            s.cases.by_source,
        ):
            assert sum(f.value for f in breakdown.values()) == opened
        p = s.people
        outcomes = sum(getattr(p, n).value or 0 for n in ("rescued", "assisted", "dead", "missing"))
        assert outcomes + p.outcome_not_recorded.value == p.in_distress.value
        for d in (s.times.alert_to_tasking, s.times.alert_to_on_scene, s.times.alert_to_closure):
            assert d.n + (d.not_known.value if d.not_known else 0) == opened
        m = s.means
        assert sum(f.value for f in m.units_by_type.values()) == m.units_tasked.value
        assert sum(f.value for f in m.plans_by_type.values()) == m.plans.value
        assert sum(f.value for f in m.plans_by_status.values()) == m.plans.value
        k = s.cooperation
        answered = k.handovers_accepted.value + k.handovers_declined.value
        assert answered + k.handovers_unanswered.value == k.handovers_proposed.value
        assert k.flag_differs.value + k.flag_same.value + k.flag_state_not_known.value == opened
    total = r.total
    for name in ("opened", "closed"):
        assert (
            sum(getattr(s.cases, name).value for s in r.by_month.values())
            == getattr(total.cases, name).value
        )
        assert (
            sum(getattr(s.cases, name).value for s in r.by_rcc.values())
            == getattr(total.cases, name).value
        )
    assert sum(s.people.in_distress.value for s in r.by_rcc.values()) == (
        total.people.in_distress.value
    )
    assert sum(s.means.hours_searched.value for s in r.by_month.values()) == pytest.approx(
        total.means.hours_searched.value
    )


def test_demo_cases_never_count(report):
    r, specs = report
    demo = next(s for s in specs if s.demo)
    assert demo.number not in {c.number for c in r.cases}
