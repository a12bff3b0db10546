"""SIT 185 into the desk: open, update, dedupe, positions with sources, verbatim log."""

from __future__ import annotations

from pathlib import Path

import pytest

from sarapp.alerts.intake import import_sit185, message_digest
from sarapp.alerts.sit185 import Sit185Error
from sarapp.model import AlertPhase, CaseStatus, EntryKind

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sit185"
OP = "RCC watch"


def sample(name: str) -> str:
    return (SAMPLES / f"{name}.txt").read_text()


def test_initial_alert_opens_a_distress_case_with_both_doppler_positions(store):
    result = import_sit185(store, sample("initial_doppler"), author=OP)
    assert result.created and not result.duplicate
    case = store.cases.get(result.case_id)
    assert case.phase is AlertPhase.DETRESFA
    assert "A029D65028154D1" in case.title and case.flag == "NO"
    assert [p.source for p in result.positions] == ["doppler-A", "doppler-B"]
    assert case.lkp is not None and case.lkp.source == "doppler-A"
    assert case.lkp.lat == pytest.approx(61 + 42.3 / 60)
    log = store.log.entries(case.id)
    alert_entries = [e for e in log if e.kind is EntryKind.ALERT]
    assert [e.text for e in alert_entries] == [sample("initial_doppler")]  # verbatim
    assert alert_entries[0].data["hex_id"] == "A029D65028154D1"
    assert store.check().ok


def test_same_message_twice_changes_nothing(store):
    first = import_sit185(store, sample("initial_doppler"), author=OP)
    entries = len(store.log.entries(first.case_id))
    crlf = sample("initial_doppler").replace("\n", "\r\n") + "  \r\n"
    again = import_sit185(store, crlf, author=OP)
    assert again.duplicate and not again.created and again.case_id == first.case_id
    assert len(store.log.entries(first.case_id)) == entries
    assert len(store.cases.list()) == 1


def test_later_alert_for_the_same_beacon_updates_the_same_case(store):
    first = import_sit185(store, sample("confirmed_update"), author=OP)
    second = import_sit185(store, sample("conflict_decimal_crlf"), author=OP)
    assert not second.created and second.case_id == first.case_id
    assert len(store.cases.list()) == 1
    sources = [p.source for p in store.cases.positions(first.case_id)]
    assert sources.count("encoded") == 1  # the same encoded fix is not stored twice
    assert {"doppler-A", "doppler-B", "resolved"} <= set(sources)


def test_registry_fills_identity_and_the_best_fix_becomes_lkp(store):
    result = import_sit185(store, sample("resolved_registry"), author=OP)
    case = store.cases.get(result.case_id)
    assert (case.vessel_name, case.call_sign, case.mmsi, case.flag) == (
        "MARY ELLEN II",
        "WDK4821",
        "367123450",
        "US",
    )
    assert case.lkp.source == "resolved"
    assert {p.source for p in result.positions} == {"resolved", "encoded", "doa"}


def test_typed_identity_is_never_overwritten_and_the_difference_is_logged(store):
    first = import_sit185(store, sample("confirmed_update"), author=OP)
    store.cases.set_field(first.case_id, "vessel_name", "SEA WIND", author="SMC")
    text = sample("resolved_registry").replace("ADCD40C0E4003D5", "3EE4DF0AA0FFBFF")
    second = import_sit185(store, text, author=OP)
    assert second.case_id == first.case_id
    assert store.cases.get(first.case_id).vessel_name == "SEA WIND"
    assert any(
        "disagreement" in e.text and "MARY ELLEN II" in e.text
        for e in store.log.entries(first.case_id)
    )


def test_test_messages_and_close_outs_do_not_open_distress(store):
    test = import_sit185(store, sample("test_message"), author=OP)
    assert store.cases.get(test.case_id).phase is AlertPhase.INCERFA
    assert store.cases.get(test.case_id).title.startswith("TEST ")
    close = import_sit185(store, sample("close_out"), author=OP)
    assert store.cases.get(close.case_id).phase is AlertPhase.INCERFA


def test_a_closed_case_is_not_reused_for_a_new_activation(store):
    first = import_sit185(store, sample("initial_doppler"), author=OP)
    store.cases.set_status(first.case_id, CaseStatus.CLOSED, author="SMC", reason="false alert")
    close_out = import_sit185(store, sample("close_out"), author=OP)
    assert close_out.case_id == first.case_id  # the close-out belongs to the closed case
    again = import_sit185(store, sample("initial_doppler") + "\nREPEAT", author=OP)
    assert again.created and again.case_id != first.case_id


def test_not_a_sit185_is_refused_and_nothing_is_written(store):
    with pytest.raises(Sit185Error):
        import_sit185(store, "Dear RCC,\nplease find attached our invoice.\n", author=OP)
    assert store.cases.list() == []


def test_digest_ignores_line_endings_and_trailing_blanks():
    assert message_digest("A \r\nB\r\n") == message_digest("A\nB")
    assert message_digest("A\nB") != message_digest("A\nC")


def test_beacon_mmsi_fills_the_case_and_links_its_ais_positions(store):
    # encoded_only: standard location EPIRB, country 232, MMSI last six 345678 (15 Hex ID
    # 1D04A8C9C0FFBFF): the case gets the full MMSI 232345678, so the ship's own AIS
    # position reports land in it.
    from datetime import UTC, datetime

    from pyais import encode_dict

    from sarapp.alerts.ais import iter_ais
    from sarapp.alerts.ais_intake import AisImportReport, import_ais

    result = import_sit185(store, sample("encoded_only"), author=OP)
    case = store.cases.get(result.case_id)
    assert (case.mmsi, case.flag) == ("232345678", "GB")
    when = datetime(2026, 6, 2, 19, 20, tzinfo=UTC)
    (line,) = encode_dict({"type": 1, "mmsi": 232345678, "lat": 50.2, "lon": -5.6, "second": 0})
    report = AisImportReport()
    events = iter_ais([line], clock=lambda: when, stats=report.stats)
    import_ais(store, events, author="ais", report=report)
    assert report.case_positions == 1
    lkp = store.cases.get(result.case_id).lkp
    assert (lkp.source, lkp.time, lkp.lat) == ("ais", when, pytest.approx(50.2))


def test_damaged_pdf2_stores_the_coarse_position_with_its_real_accuracy(store):
    # damaged_pdf2: the coding guide's standard location message (Norway, MMSI ...506153)
    # with BCH-2 damaged in its last bit, sent as the 30-hex message; the MCC gave no
    # encoded position. PDF-1's coarse position 43.75 N 1.00 E is stored as the encoded
    # position, with the accuracy its coding allows (an offset of up to 30' each way), not the
    # refined position the damaged PDF-2 would give.
    result = import_sit185(store, sample("damaged_pdf2"), author=OP)
    case = store.cases.get(result.case_id)
    assert case.mmsi == "257506153" and case.phase is AlertPhase.DETRESFA
    (fix,) = store.cases.positions(case.id)
    assert (fix.source, fix.lat, fix.lon) == ("encoded", 43.75, 1.0)
    assert fix.accuracy_m == pytest.approx(68_540, abs=1)  # ≈ 37 NM
    assert any("BCH-2" in line and "PDF-1" in line for line in result.summary)
    assert any("BCH-2" in e.text for e in store.log.entries(case.id) if e.kind is EntryKind.NOTE)
