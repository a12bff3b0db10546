"""A case opened by a DSC distress alert and handed over: the receiving desk links the MMSI
too (schema v7 admits dsc alerts), so the same sentence is not filed twice and a later alert
of that ship updates the imported case. Sentence: SignalK's NMEA 0183 parser test/DSC.js."""

from __future__ import annotations

from datetime import UTC, datetime

from sarapp.alerts.nmea_intake import NmeaImportReport, import_nmea
from sarapp.alerts.nmea_stream import iter_nmea
from sarapp.exchange.apply import import_package
from sarapp.exchange.reader import read_package
from sarapp.store import Desk

from .conftest import trusting
from .helpers import as_bytes, export

DISTRESS = "$CDDSC,12,3380400790,12,06,00,1423108312,2019,,,S,E*6A"
LATER = "$CDDSC,12,3380400790,12,05,00,1423208314,2024,,,S,*27"
T0 = datetime(2026, 3, 14, 20, 25, tzinfo=UTC)


def _import(store: Desk, line: str, author: str) -> NmeaImportReport:
    report = NmeaImportReport()
    events = iter_nmea([line], clock=lambda: T0, stats=report.stats)
    return import_nmea(store, events, author=author, report=report)


def test_dsc_link_travels_with_the_case(store: Desk, desk_b: Desk, keys_a, keys_b) -> None:
    _import(store, DISTRESS, "opA")
    (case,) = store.cases.list()
    read = read_package(as_bytes(export(store, case.id, keys_a)), trust=trusting(keys_a))
    assert import_package(desk_b, read, author="opB").created
    assert _import(desk_b, DISTRESS, "opB").dsc.duplicates == 1
    later = _import(desk_b, LATER, "opB").dsc
    assert (later.alerts_opened, later.alerts_updated) == (0, 1)
    assert [c.id for c in desk_b.cases.list()] == [case.id] and desk_b.check().ok
