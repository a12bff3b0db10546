"""A case edited after the fact moves the figures; a case across the new year counts in the
year it was opened and is closed in the next; one RCC's report; alerts through the real
intake name their source."""

from __future__ import annotations

import functools
import operator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sarapp.alerts.ais import read_ais_file
from sarapp.alerts.ais_intake import DEVICE_LABELS, AisImportReport, import_ais
from sarapp.alerts.dsc import DscKind
from sarapp.alerts.intake import import_sit185
from sarapp.alerts.nmea_intake import NmeaImportReport, import_nmea
from sarapp.alerts.nmea_stream import iter_nmea
from sarapp.progress import run_to_end
from sarapp.report.annual import ReportError, annual_report
from sarapp.report.facts import AIS_DEVICES, DSC_CANCEL
from sarapp.store import Desk

from .synthetic_desk import YEAR, DeskClock

DATA = Path(__file__).parent.parent / "data"


def _report(path, year=YEAR, rcc=None):
    with Desk.open(path) as store:
        return run_to_end(annual_report(store, year=year, rcc=rcc))


def test_a_case_edited_after_the_fact_moves_the_figures(synthetic):
    path, specs = synthetic
    before = _report(path)
    case = next(
        s
        for s in specs
        if s.number.startswith(f"{YEAR}-")
        and s.flag == "GB"
        and all(p != "DETRESFA" for _, p in s.phases)
        and s.vessel_type == "yacht"
        and s.pob is not None
        and s.register is None  # its persons on board count from the case field
    )
    with Desk.open(path) as store:  # a year later, on the real clock
        store.cases.set_field(case.number, "flag", "IT", author="audit")
        store.cases.set_field(case.number, "vessel_type", "fishing", author="audit")
        store.cases.set_field(case.number, "pob", str(case.pob + 5), author="audit")
        store.cases.set_phase(case.number, "DETRESFA", author="audit", reason="late review")
    after = _report(path)
    b, a = before.total, after.total
    assert a.cases.by_flag["GB"].value == b.cases.by_flag["GB"].value - 1
    assert a.cases.by_flag["IT"].value == b.cases.by_flag["IT"].value + 1
    assert case.number in a.cases.by_flag["IT"].cases
    assert case.number not in a.cases.by_flag["GB"].cases
    assert a.cases.by_vessel_type["yacht"].value == b.cases.by_vessel_type["yacht"].value - 1
    assert a.cases.by_phase["DETRESFA"].value == b.cases.by_phase["DETRESFA"].value + 1
    assert a.people.in_distress.value == b.people.in_distress.value + 5
    month = case.opened.month
    assert _value(after.by_month[month].cases.by_flag, "IT") == (
        _value(before.by_month[month].cases.by_flag, "IT") + 1
    )
    assert a.cases.opened.value == b.cases.opened.value  # still counted in its own year


def _value(breakdown, key):
    return breakdown[key].value if key in breakdown else 0


def test_a_case_across_the_new_year(desk_path):
    clock = DeskClock()
    clock.now = datetime(YEAR, 12, 31, 22, 0, tzinfo=UTC)
    with Desk.open(desk_path, clock=clock) as store:
        (case_id,) = store.cases.create(title="Across", author="op", phase="ALERFA").cases
        clock.now += timedelta(hours=3)  # 01:00 on 1 January
        store.cases.set_phase(case_id, "DETRESFA", author="op")
        store.cases.set_status(case_id, "closed", author="op")
    old, new = _report(desk_path, YEAR), _report(desk_path, YEAR + 1)
    assert old.total.cases.opened.value == 1 and old.total.cases.closed.value == 0
    assert old.total.cases.open_at_end.value == 1
    assert old.total.cases.by_phase["DETRESFA"].value == 1  # reached, if after midnight
    assert old.by_month[12].cases.opened.value == 1
    assert old.total.times.alert_to_closure.median_s == 3 * 3600
    assert new.total.cases.opened.value == 0 and new.total.cases.closed.value == 1
    assert new.by_month[1].cases.closed.cases == (old.cases[0].number,)


def test_one_rcc_only(synthetic):
    path, _ = synthetic
    whole = _report(path)
    roma = _report(path, rcc="mrcc-roma")
    assert roma.total.cases.opened.value == whole.by_rcc["MRCC-ROMA"].cases.opened.value
    assert set(roma.by_rcc) == {"MRCC-ROMA"}
    assert sum(s.cases.opened.value for s in roma.by_month.values()) == (
        roma.total.cases.opened.value
    )
    with pytest.raises(ReportError, match=r"MRCC-NOWHERE.*MRCC-ETEL, MRCC-MADRID, MRCC-ROMA"):
        _report(path, rcc="MRCC-NOWHERE")


def test_year_out_of_range(desk_path):
    with pytest.raises(ReportError, match="year 12345 is out of range"):
        _report(desk_path, 12345)


def test_sources_through_the_real_intake(desk_path):
    """A SIT 185 test message, a SIT 185 alert, an AIS-SART and an AIS MOB device in test
    mode (navigational status 15) opening cases."""
    with Desk.open(desk_path) as store:
        import_sit185(store, (DATA / "sit185" / "test_message.txt").read_text(), author="op")
        import_sit185(store, (DATA / "sit185" / "initial_doppler.txt").read_text(), author="op")
        report = AisImportReport()
        import_ais(store, read_ais_file(DATA / "ais" / "sample.nmea", stats=report.stats),
                   author="op", report=report)  # fmt: skip
        year = store.cases.list()[0].created.year
        r = run_to_end(annual_report(store, year=year))
    sources = {k: v.value for k, v in r.total.cases.by_source.items() if v.value}
    assert sources == {"cospas-sarsat": 2, "ais-sart": 1, "ais-mob": 1}
    assert r.total.cases.beacon_tests.value == 2
    assert {c.source for c in r.cases if c.test} == {"cospas-sarsat", "ais-mob"}


def test_dsc_through_the_real_intake(desk_path):
    """A DSC distress alert opens a case (source DSC) and its sender cancels it; a DSC alert
    for a case an officer typed with the MMSI leaves the case the officer's."""
    distress = "CDDSC,12,3380400790,12,06,00,1423108312,2019,,,S,"  # SignalK DSC.js
    cancel = "CDDSC,16,3380400790,12,10,00,1423108312,2019,3380400790,06,S,"
    rust = "CDDSC,12,5031105200,,05,00,2380814428,1800,,,R,"  # the Rust nmea crate
    t0 = datetime.now(UTC) - timedelta(hours=2)
    clock = DeskClock()
    clock.now = t0 - timedelta(minutes=10)  # typed ten minutes before the DSC call
    with Desk.open(desk_path, clock=clock) as store:
        store.cases.create(title="FV overdue", author="SMC", values={"mmsi": "503110520"})
        for sentence, when in ((distress, t0), (cancel, t0 + timedelta(minutes=3)), (rust, t0)):
            clock.now = when
            report = NmeaImportReport()
            events = iter_nmea([_nmea(sentence)], clock=lambda w=when: w, stats=report.stats)
            import_nmea(store, events, author="coast station", report=report)
        r = run_to_end(annual_report(store, year=store.cases.list()[0].created.year))
    sources = {k: v.value for k, v in r.total.cases.by_source.items() if v.value}
    assert sources == {"dsc": 1, "officer": 1}
    assert r.total.cases.dsc_cancelled.value == 1


def _nmea(body: str) -> str:
    return f"${body}*{functools.reduce(operator.xor, body.encode(), 0):02X}"


def test_alert_vocabularies_are_the_intakes():
    assert set(AIS_DEVICES) == set(DEVICE_LABELS.values())
    assert DscKind.CANCEL.value == DSC_CANCEL


def test_a_closing_outcome_changed_after_the_fact_moves_false_alerts_and_assisted(synthetic):
    """A false alert reopened and closed again as 'assisted' (the crew was towed in after
    all): one false alert less, its persons on board now assisted."""
    path, specs = synthetic
    before = _report(path)
    case = next(s for s in specs if s.number.startswith(f"{YEAR}-") and s.outcome == "false-alert"
                and s.register is None and s.pob)  # fmt: skip
    with Desk.open(path) as store:
        store.cases.set_status(case.number, "open", author="audit", reason="late review")
        store.cases.set_status(case.number, "closed", author="audit", outcome="assisted")
    a, b = _report(path).total, before.total
    assert a.cases.false_alerts.value == b.cases.false_alerts.value - 1
    assert case.number not in a.cases.false_alerts.cases
    assert a.people.assisted.value == b.people.assisted.value + case.pob
    assert case.number in a.people.assisted.cases
    assert a.people.outcome_not_recorded.value == b.people.outcome_not_recorded.value - case.pob
