"""DSC distress traffic into the desk, alone and mixed with AIS in one feed.

Reference sentences (retyped) are named where used: SignalK's NMEA 0183 parser test/DSC.js,
signalk-dsc's distress alert with its DSE, and the Rust nmea crate's distress and relay
sentences; "written here" sentences follow resources/dsc_symbols.md, checksums by ``nmea()``.
"""

from __future__ import annotations

import functools
import json
import operator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyais import encode_dict

from sarapp.alerts.nmea_intake import NmeaImportReport, import_nmea
from sarapp.alerts.nmea_stream import iter_nmea
from sarapp.model import AlertPhase, CaseStatus, EntryKind

T0 = datetime(2026, 3, 14, 20, 25, tzinfo=UTC)
SIGNALK_DISTRESS = "$CDDSC,12,3380400790,12,06,00,1423108312,2019,,,S,E*6A"  # SignalK DSC.js
SIGNALK_DSC_SINKING = "$CDDSC,12,3380400790,12,05,00,1423108312,2019,,,S,E*69"  # signalk-dsc
SIGNALK_DSC_DSE = "$CDDSE,1,1,A,3380400790,00,45894494*1B"  # signalk-dsc
RUST_DISTRESS = "$CDDSC,12,5031105200,,05,00,2380814428,1800,,,R,E*6C"  # Rust nmea crate
RUST_RELAY = "$CDDSC,16,2350763930,12,12,00,2380814428,1800,5031105200,05,S,E*65"  # Rust nmea


def nmea(body: str) -> str:
    return f"${body}*{functools.reduce(operator.xor, body.encode(), 0):02X}"


def ais(mmsi: int, lat: float, lon: float, when: datetime) -> str:
    (sentence,) = encode_dict(
        {"type": 1, "mmsi": mmsi, "lat": lat, "lon": lon, "second": when.second, "speed": 2.0}
    )
    body = f"s:coast,c:{int(when.timestamp())}"
    return f"\\{body}*{functools.reduce(operator.xor, body.encode(), 0):02X}\\{sentence}"


def run(store, lines: list[str], received: datetime = T0) -> NmeaImportReport:
    report = NmeaImportReport()
    events = iter_nmea(lines, clock=lambda: received, stats=report.stats)
    return import_nmea(store, events, author="coast station", report=report, chunk=2)


def test_distress_alert_opens_a_detresfa_case(store):
    report = run(store, [SIGNALK_DISTRESS])
    assert (report.dsc.alerts_opened, report.dsc.positions) == (1, 1)
    (case,) = store.cases.list()
    assert case.phase is AlertPhase.DETRESFA and case.status is CaseStatus.OPEN
    assert (case.mmsi, case.flag) == ("338040079", "US")  # MID 338: United States
    assert case.nature == "DSC distress alert: disabled and adrift"
    assert "338040079" in case.title and "United States" in case.title
    fix = case.lkp
    assert (fix.source, fix.accuracy_m) == ("dsc", 1852.0)  # whole minutes: about 1 NM
    assert (fix.lat, fix.lon) == (pytest.approx(42 + 31 / 60), pytest.approx(-83.2))
    assert fix.time == datetime(2026, 3, 14, 20, 19, tzinfo=UTC)
    (alert,) = [e for e in store.log.entries(case.id) if e.kind is EntryKind.ALERT]
    assert alert.text.endswith(SIGNALK_DISTRESS) and "disabled and adrift" in alert.text
    assert alert.data["kind"] == "distress alert" and alert.data["alert_link"]["kind"] == "dsc"
    assert store.check().ok


def test_the_same_sentence_twice_changes_nothing(store):
    run(store, [SIGNALK_DISTRESS])
    (case,) = store.cases.list()
    entries = len(store.log.entries(case.id))
    other_talker = nmea(SIGNALK_DISTRESS[1:-3].replace("CD", "CV", 1))  # same call content
    again = run(store, [SIGNALK_DISTRESS, other_talker])
    assert again.dsc.duplicates == 2 and again.dsc.alerts_updated == 0
    assert len(store.log.entries(case.id)) == entries and len(store.cases.list()) == 1


def test_a_later_alert_of_the_same_mmsi_updates_its_open_case(store):
    run(store, [SIGNALK_DISTRESS])
    later = nmea("CDDSC,12,3380400790,12,05,00,1423208314,2024,,,S,")
    report = run(store, [later], received=T0 + timedelta(minutes=5))
    assert (report.dsc.alerts_opened, report.dsc.alerts_updated) == (0, 1)
    (case,) = store.cases.list()
    assert case.lkp.time == datetime(2026, 3, 14, 20, 24, tzinfo=UTC)
    assert len(store.cases.positions(case.id)) == 2


def test_a_case_typed_with_the_mmsi_is_updated_not_duplicated(store):
    (case_id,) = store.cases.create(
        title="FV Lucky Star overdue", author="SMC", values={"mmsi": "338040079"}
    ).cases
    report = run(store, [SIGNALK_DISTRESS])
    assert report.dsc.alerts_updated == 1 and len(store.cases.list()) == 1
    case = store.cases.get(case_id)
    assert case.flag == "US" and case.lkp.source == "dsc"  # the empty flag is filled


def test_relay_updates_the_casualtys_case_and_logs_the_relaying_station(store):
    run(store, [RUST_DISTRESS], received=datetime(2026, 3, 14, 18, 2, tzinfo=UTC))
    report = run(store, [RUST_RELAY], received=datetime(2026, 3, 14, 18, 6, tzinfo=UTC))
    assert (report.dsc.relays, report.dsc.alerts_updated) == (1, 1)
    (case,) = store.cases.list()
    assert (case.mmsi, case.flag) == ("503110520", "AU")
    text = [e.text for e in store.log.entries(case.id) if e.kind is EntryKind.ALERT][-1]
    assert "relayed by 235076393 (ship station, United Kingdom" in text
    assert "503110520" in text and "sinking" in text


def test_relay_of_an_unknown_casualty_opens_its_case(store):
    report = run(store, [RUST_RELAY])
    assert report.dsc.alerts_opened == 1
    (case,) = store.cases.list()
    assert case.mmsi == "503110520" and case.phase is AlertPhase.DETRESFA
    assert case.lkp.lat == pytest.approx(-(38 + 8 / 60))


def test_cancel_by_the_sender_is_logged_and_shown_never_closes(store):
    run(store, [SIGNALK_DISTRESS])
    cancel = nmea("CDDSC,16,3380400790,12,10,00,1423108312,2019,3380400790,06,S,")
    report = run(store, [cancel], received=T0 + timedelta(minutes=3))
    assert report.dsc.cancels == 1
    (case,) = store.cases.list()
    assert case.status is CaseStatus.OPEN and case.phase is AlertPhase.DETRESFA
    assert report.dsc.cancellations == [
        f"case {case.number}: 338040079 cancelled its DSC distress alert (2019 UTC); "
        "the case stays open until closed"
    ]
    assert "CANCELLED by its sender" in store.log.entries(case.id)[-1].text


def test_acknowledgement_by_a_coast_station_is_logged(store):
    run(store, [SIGNALK_DISTRESS])
    ack = nmea("CDDSC,16,0023200110,12,10,00,1423108312,2019,3380400790,06,B,")
    report = run(store, [ack])
    assert report.dsc.acknowledgements == 1 and len(store.cases.list()) == 1
    (case,) = store.cases.list()
    assert "acknowledged by 002320011 (coast station" in store.log.entries(case.id)[-1].text


def test_alert_without_position_opens_the_case_and_says_so(store):
    report = run(store, [nmea("CDDSC,12,2320001230,12,08,00,9999999999,8888,,,S,")])
    (case,) = store.cases.list()
    assert case.lkp is None and store.cases.positions(case.id) == []
    assert report.dsc.no_position == [f"case {case.number}: position not available (9999999999)"]
    (alert,) = [e for e in store.log.entries(case.id) if e.kind is EntryKind.ALERT]
    assert "no position (position not available (9999999999))" in alert.text
    assert "abandoning ship" in case.nature


def test_dse_refines_the_position_of_its_alert(store):
    report = run(store, [SIGNALK_DSC_SINKING, SIGNALK_DSC_DSE])
    assert report.dsc.positions == 2 and report.stats.dse == 1
    (case,) = store.cases.list()
    assert case.lkp.lat == pytest.approx(42 + 31.4589 / 60)
    assert case.lkp.lon == pytest.approx(-(83 + 12.4494 / 60))
    assert case.lkp.accuracy_m is None and case.lkp.time == datetime(
        2026, 3, 14, 20, 19, tzinfo=UTC
    )
    again = run(store, [SIGNALK_DSC_SINKING, SIGNALK_DSC_DSE])  # both again: nothing new
    assert again.dsc.duplicates == 2 and len(store.cases.positions(case.id)) == 2


def test_dse_without_dsc_is_kept_and_named(store):
    report = run(store, ["$CDDSE,1,1,R,3380210040,00,46506420*0F"])  # marnav Test_nmea_dse.cpp
    assert report.dsc.unmatched_dse == [
        "line 1: DSE of 338021004 with no DSC call before it, not applied"
        " (enhanced position resolution: 46506420)"
    ]
    assert store.cases.list() == []
    assert report.to_dict()["dsc"]["unmatched_dse"] == report.dsc.unmatched_dse


def test_dse_without_dsc_is_kept_in_the_case_of_its_station(store):
    run(store, [SIGNALK_DSC_SINKING])
    late = run(store, [SIGNALK_DSC_DSE], received=T0 + timedelta(minutes=10))  # no DSC before
    (case,) = store.cases.list()
    assert late.dsc.unmatched_dse and len(store.cases.positions(case.id)) == 1  # not applied
    entry = store.log.entries(case.id)[-1]
    assert entry.kind is EntryKind.ALERT and "with no DSC call before it" in entry.text
    assert run(store, [SIGNALK_DSC_DSE]).dsc.duplicates == 1


def test_mixed_feed_links_the_ships_ais_to_its_dsc_case(store):
    lines = [
        ais(366000001, 40.0, -70.0, T0),  # a ship the desk does not know
        SIGNALK_DSC_SINKING,
        SIGNALK_DSC_DSE,
        "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
        ais(338040079, 42.53, -83.21, T0 + timedelta(minutes=2)),
        ais(970012345, 42.6, -83.3, T0 + timedelta(minutes=2)),  # an AIS-SART nearby
        "garbage",
    ]
    report = run(store, lines)
    stats = report.to_dict()
    assert (stats["lines"], stats["dsc_calls"], stats["dse"], stats["ais_sentences"]) == (
        7,
        1,
        1,
        3,
    )
    assert stats["other_sentences"] == 1 and stats["not_nmea"] == 1
    assert stats["first_errors"] == [
        "line 7: not an NMEA sentence (expected !--VDM/VDO AIS or $--DSC/DSE)"
    ]
    assert report.ais.case_positions == 1 and report.ais.alerts_opened == 1
    dsc_case = next(c for c in store.cases.list() if c.mmsi == "338040079")
    assert dsc_case.lkp.source == "ais" and dsc_case.lkp.lat == pytest.approx(42.53)
    assert len(store.cases.list()) == 2


_FIELDS = st.text("0123456789ABERSQ", max_size=11)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from([SIGNALK_DISTRESS, SIGNALK_DSC_DSE, RUST_RELAY, "garbage", ""]),
            st.lists(_FIELDS, max_size=13).map(lambda f: nmea("CDDSC," + ",".join(f))),
            st.lists(_FIELDS, max_size=8).map(lambda f: nmea("CDDSE," + ",".join(f))),
            st.text(max_size=60),
            st.binary(max_size=60),
        ),
        max_size=12,
    )
)
def test_any_feed_imports_without_an_exception(store, lines):
    report = run(store, lines)
    assert report.stats.lines <= len(lines)
    json.dumps(report.to_dict())
    assert store.check().ok


def test_relay_without_the_casualtys_mmsi_opens_an_unidentified_case(store):
    # written here: a relay whose field 8 is empty (the casualty has no DSC identity)
    relay = nmea("CDDSC,16,0023200110,12,12,00,1423108312,2019,,08,S,")
    run(store, [relay])
    (case,) = store.cases.list()
    assert case.mmsi == "" and case.phase is AlertPhase.DETRESFA
    assert "unidentified casualty (distress relay by 002320011)" in case.title
    assert run(store, [relay]).dsc.duplicates == 1


def test_text_with_sentences_is_a_feed_and_a_sit185_is_not():
    from pathlib import Path

    from sarapp.alerts.nmea_stream import looks_like_nmea

    assert looks_like_nmea(f"Received on VHF ch 70 at 2020 UTC:\n{SIGNALK_DISTRESS}\n")
    assert looks_like_nmea(ais(338040079, 42.5, -83.2, T0))
    sit185 = Path(__file__).resolve().parent.parent / "data" / "sit185" / "initial_doppler.txt"
    assert not looks_like_nmea(sit185.read_text())
    assert not looks_like_nmea("Minutes of the morning briefing")
