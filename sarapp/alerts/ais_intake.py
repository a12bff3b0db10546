"""AIS into the desk: distress devices open or update cases, known MMSIs get their positions.

AIS-SART (970), MOB devices (972) and EPIRB-AIS (974) act like a beacon alert: a new device
opens a case (DETRESFA, INCERFA for a test), later reports update it. Position reports of
MMSIs the desk knows (a case's casualty, a registered unit) are stored for the chart. One bad
sentence never stops an import; the desk commits in chunks so a long feed stays fast.
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sarapp.alerts.ais import AisDistress, AisEvent, AisPosition, AisSentenceError, AisStats
from sarapp.geo import KNOT, format_ddm, format_dtg
from sarapp.identity import MmsiKind
from sarapp.model import AlertPhase, CaseId, CaseStatus, Changes, Position, UnitPosition
from sarapp.store import Desk

DEVICE_LABELS = {
    MmsiKind.AIS_SART: "AIS-SART",
    MmsiKind.MOB_DEVICE: "AIS MOB device",
    MmsiKind.EPIRB_AIS: "EPIRB-AIS",
}
CHUNK = 2000  # events per transaction: durable often enough, fast enough for a live feed
CASE_TRACK_INTERVAL = timedelta(minutes=1)  # a casualty's AIS track, one report a minute


@dataclass
class AisImportReport:
    """Counts of an AIS import (mutable: filled while the stream is read)."""

    stats: AisStats = field(default_factory=AisStats)
    alerts_opened: int = 0
    alerts_updated: int = 0
    duplicates: int = 0  # reports already on the desk, or repeats within a minute
    case_positions: int = 0
    unit_positions: int = 0
    cases: list[str] = field(default_factory=list)  # numbers of cases opened or updated
    first_errors: list[str] = field(default_factory=list)  # "line N: reason", the first 20
    changes: Changes = field(default_factory=Changes)

    def to_dict(self) -> dict:
        s = self.stats
        return {
            "sentences": s.sentences,
            "decoded": s.decoded,
            "errors": s.errors,
            "alerts": s.alerts,
            "alerts_opened": self.alerts_opened,
            "alerts_updated": self.alerts_updated,
            "duplicates": self.duplicates,
            "case_positions": self.case_positions,
            "unit_positions": self.unit_positions,
            "cases": self.cases,
            "first_errors": self.first_errors,
        }


def import_ais(
    store: Desk,
    events: Iterable[AisEvent],
    *,
    author: str,
    report: AisImportReport,
    chunk: int = CHUNK,
) -> AisImportReport:
    """File ``events`` (from ``iter_ais`` with ``report.stats``) into the desk.

    ``chunk`` events share a transaction: large for a file, 1 for a live feed.
    """
    for _ in import_ais_steps(store, events, author=author, report=report, chunk=chunk):
        pass
    return report


def import_ais_steps(
    store: Desk,
    events: Iterable[AisEvent],
    *,
    author: str,
    report: AisImportReport,
    chunk: int = CHUNK,
) -> Generator[AisImportReport, None, AisImportReport]:
    """The same import as a generator yielding the report after each committed chunk.

    Close it to cancel: the chunks already committed stay, the current one is rolled back.
    """
    intake = AisIntake(store, author=author, report=report)
    iterator = iter(events)
    while True:
        batch = [e for _, e in zip(range(chunk), iterator, strict=False)]
        if not batch:
            break
        with store.transaction():
            for event in batch:
                intake.take(event)
            intake.flush()
        yield report
    return report


def open_case_mmsis(store: Desk) -> dict[str, CaseId]:
    """MMSI → the most recently active open case with that MMSI."""
    return {c.mmsi: c.id for c in reversed(store.cases.list(status=CaseStatus.OPEN)) if c.mmsi}


class AisIntake:
    """Files AIS events into the desk inside the caller's transactions.

    ``cases`` (MMSI → open case) may be shared with another intake of the same feed, so a
    case opened by a DSC alert gets the AIS positions of its ship.
    """

    def __init__(
        self,
        store: Desk,
        *,
        author: str,
        report: AisImportReport,
        cases: dict[str, CaseId] | None = None,
    ) -> None:
        self.store, self.author, self.report = store, author, report
        self.units = store.units.mmsis()
        self.cases = open_case_mmsis(store) if cases is None else cases
        self.last_case_fix: dict[CaseId, datetime] = {}
        self.unit_batch: list[UnitPosition] = []

    def take(self, event: AisEvent) -> None:
        report = self.report
        if isinstance(event, AisSentenceError):
            if len(report.first_errors) < 20:
                report.first_errors.append(f"line {event.line}: {event.reason}")
        elif isinstance(event, AisDistress):
            _distress(
                self.store,
                event,
                author=self.author,
                report=report,
                cases=self.cases,
                last=self.last_case_fix,
            )
        elif isinstance(event, AisPosition) and event.time is not None:
            mmsi = f"{event.mmsi:09d}"
            if mmsi in self.units:
                self.unit_batch.append(_unit_position(self.units[mmsi], event))
            elif mmsi in self.cases:
                case_id = self.cases[mmsi]
                _case_fix(self.store, case_id, event, self.author, self.last_case_fix, report)

    def flush(self) -> None:
        """Write the unit positions gathered since the last flush (inside the transaction)."""
        if self.unit_batch:
            self.report.changes |= self.store.units.add_positions(self.unit_batch)
            self.report.unit_positions += len(self.unit_batch)
            self.unit_batch.clear()


def _distress(
    store: Desk,
    event: AisDistress,
    *,
    author: str,
    report: AisImportReport,
    cases: dict[str, CaseId],
    last: dict[CaseId, datetime],
) -> None:
    mmsi = f"{event.mmsi:09d}"
    label = DEVICE_LABELS.get(event.device, "AIS distress device")
    where = (
        f"{format_ddm(event.lat, event.lon)}" if event.lat is not None else "position unavailable"
    )
    when = format_dtg(event.time) if event.time else "time unknown"
    digest = hashlib.sha256(
        f"ais|{mmsi}|{event.time}|{event.lat}|{event.lon}|{event.text}".encode()
    ).hexdigest()
    if store.alerts.seen(digest):
        report.duplicates += 1
        return
    key = f"mmsi:{mmsi}"
    linked = store.alerts.case_of(key)
    if linked and linked[1] is CaseStatus.OPEN:
        case_id = linked[0]
        previous = last.get(case_id)
        if event.time and previous and abs(event.time - previous) < CASE_TRACK_INTERVAL:
            report.duplicates += 1  # a SART repeats itself 8 times a minute: one is enough
            return
        report.alerts_updated += 1
    else:
        title = f"{'TEST ' if event.test else ''}{label} {mmsi} active"
        (case_id,) = store.cases.create(
            title=title,
            author=author,
            phase=AlertPhase.INCERFA if event.test else AlertPhase.DETRESFA,
            values={"mmsi": mmsi, "nature": f"{label} alert"},
        ).cases
        cases[mmsi] = case_id
        report.alerts_opened += 1
    text = (
        f"AIS {label} {mmsi}{' TEST' if event.test else ''}: "
        f"{event.text or 'position report'} at {where}, {when} "
        f"(message {event.msg_type}, line {event.line})"
    )
    report.changes |= store.alerts.record(
        case_id,
        digest=digest,
        source_key=key,
        kind="ais",
        text=text,
        author=author,
        data={"format": "ais", "mmsi": mmsi, "device": label, "test": event.test},
    )
    if event.time:
        last[case_id] = event.time
    if event.lat is not None and event.lon is not None:
        position = Position(event.lat, event.lon, time=event.time, source="ais")
        report.changes |= store.cases.add_position(
            case_id, position, author=author, as_lkp=_newer(store, case_id, event.time)
        )
    number = store.cases.get(case_id).number
    if number not in report.cases:
        report.cases.append(number)


def _case_fix(
    store: Desk,
    case_id: CaseId,
    event: AisPosition,
    author: str,
    last: dict[CaseId, datetime],
    report: AisImportReport,
) -> None:
    """A casualty's own AIS report, at most one a minute into its log."""
    assert event.time is not None
    previous = last.get(case_id)
    if previous is not None and abs(event.time - previous) < CASE_TRACK_INTERVAL:
        return
    last[case_id] = event.time
    position = Position(event.lat, event.lon, time=event.time, source="ais")
    report.changes |= store.cases.add_position(
        case_id, position, author=author, as_lkp=_newer(store, case_id, event.time)
    )
    report.case_positions += 1


def _newer(store: Desk, case_id: CaseId, time: datetime | None) -> bool:
    lkp = store.cases.get(case_id).lkp
    return lkp is None or lkp.time is None or (time is not None and time >= lkp.time)


def _unit_position(unit_id, event: AisPosition) -> UnitPosition:
    assert event.time is not None
    return UnitPosition(
        unit_id=unit_id,
        lat=event.lat,
        lon=event.lon,
        time=event.time,
        source="ais",
        sog_kt=event.sog_ms / KNOT if event.sog_ms is not None else None,
        cog_deg=event.cog_deg,
        heading_deg=event.heading_deg,
        altitude_m=event.altitude_m,
    )
