"""AIS into the desk: distress devices open cases, known MMSIs get positions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pyais import encode_dict

from sarapp.alerts.ais import AisStats, iter_ais
from sarapp.alerts.ais_intake import AisImportReport, import_ais
from sarapp.model import AlertPhase, UnitType

T0 = datetime(2026, 11, 26, 14, 0, 0, tzinfo=UTC)


def tagged(data: dict, when: datetime) -> str:
    import functools
    import operator

    (sentence,) = encode_dict(data)
    body = f"s:test,c:{int(when.timestamp())}"
    checksum = functools.reduce(operator.xor, body.encode(), 0)
    return f"\\{body}*{checksum:02X}\\{sentence}"


def position(mmsi: int, lat: float, lon: float, when: datetime, msg_type: int = 1) -> str:
    data = {"type": msg_type, "mmsi": mmsi, "lat": lat, "lon": lon, "second": when.second}
    if str(mmsi).startswith("97"):
        data["status"] = 14  # AIS-SART active (15 would be test mode)
    if msg_type == 9:
        data.update(alt=150, speed=120)
    else:
        data.update(speed=5.0, course=90.0, heading=91)
    return tagged(data, when)


def run(store, lines: list[str]) -> AisImportReport:
    report = AisImportReport(stats=AisStats())
    events = iter_ais(lines, stats=report.stats)
    return import_ais(store, events, author="ais", report=report, chunk=3)


def test_sart_opens_a_distress_case_and_updates_it(store):
    lines = [position(970012345, 43.2, 5.1, T0 + timedelta(minutes=m)) for m in range(3)]
    lines.append("garbage line")
    report = run(store, lines)
    assert (report.alerts_opened, report.alerts_updated, report.stats.errors) == (1, 2, 1)
    assert report.first_errors and report.first_errors[0].startswith("line 4:")
    (case,) = store.cases.list()
    assert case.phase is AlertPhase.DETRESFA and case.mmsi == "970012345"
    assert "AIS-SART" in case.title
    assert len(store.cases.positions(case.id)) == 3
    assert case.lkp.time == T0 + timedelta(minutes=2)
    again = run(store, lines)  # the same reports again change nothing
    assert again.duplicates == 3 and again.alerts_opened == 0
    assert len(store.cases.positions(case.id)) == 3


def test_repeats_within_a_minute_are_not_logged_again(store):
    burst = [position(974123456, 50.0, -5.0, T0 + timedelta(seconds=s)) for s in range(0, 40, 5)]
    report = run(store, burst)
    assert report.alerts_opened == 1 and report.duplicates == len(burst) - 1
    (case,) = store.cases.list()
    assert len(store.cases.positions(case.id)) == 1


def test_positions_of_known_units_and_casualties_are_stored(store):
    store.units.add(name="Dragon 13", unit_type=UnitType.HELICOPTER, mmsi="111227500")
    store.units.add(name="SNS 061", unit_type="lifeboat", mmsi="227006100")
    (case_id,) = store.cases.create(
        title="FV Marie-Jo", author="op", values={"mmsi": "227123456"}
    ).cases
    lines = [
        position(111227500, 43.3, 5.2, T0, msg_type=9),
        position(227006100, 43.25, 5.15, T0),
        position(227006100, 43.26, 5.16, T0 + timedelta(minutes=1)),
        position(227123456, 43.2, 5.1, T0),
        position(227123456, 43.2001, 5.1001, T0 + timedelta(seconds=20)),  # within a minute
        position(366000001, 40.0, -70.0, T0),  # unknown to the desk: not stored
    ]
    report = run(store, lines)
    assert report.unit_positions == 3 and report.case_positions == 1
    heli = store.units.get("Dragon 13")
    (fix,) = store.units.track(heli.id)
    assert fix.altitude_m == 150 and fix.source == "ais"
    boat = store.units.get("227006100")
    track = store.units.track(boat.id)
    assert [round(p.lat, 2) for p in track] == [43.25, 43.26]
    assert track[0].sog_kt == 5.0
    case = store.cases.get(case_id)
    assert case.lkp.source == "ais" and case.lkp.time == T0
