"""DSC distress traffic into the desk, like SIT 185 and AIS alerts.

A distress alert opens a DETRESFA case for its MMSI (flag state from the MID, nature of
distress, the whole-minute position as source ``dsc`` good to about a nautical mile), or
updates the open case of that MMSI (opened by an earlier DSC, AIS or beacon alert, or typed
in). A relay or acknowledgement files the casualty's alert under the casualty's case and logs
the station that sent it. The sender's own cancel is logged and listed, and never closes the
case: a coordinator does. A DSE refines the position of its call; one with no call is listed
and kept in the log of its station's case if there is one, its position not applied.
The same sentence twice changes nothing (its digest is kept with the alert).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sarapp import identity
from sarapp.alerts.dsc import DscCall, DscEvent, DscExpansion, DscKind, expansion_names
from sarapp.geo import NM, format_ddm
from sarapp.model import AlertPhase, CaseId, CaseStatus, Changes, Position
from sarapp.store import Desk

WHOLE_MINUTE_ACCURACY_M = NM  # a DSC position in whole minutes is good to about 1 NM
_POSITION_KINDS = (
    DscKind.DISTRESS,
    DscKind.RELAY,
    DscKind.RELAY_ACK,
    DscKind.ACKNOWLEDGEMENT,
)
_QUIET_KINDS = (DscKind.ACKNOWLEDGEMENT, DscKind.CANCEL)  # filed even under a closed case


@dataclass
class DscImportReport:
    """What a DSC import did (mutable: filled while the stream is read)."""

    alerts_opened: int = 0
    alerts_updated: int = 0
    relays: int = 0
    acknowledgements: int = 0
    cancels: int = 0
    positions: int = 0
    duplicates: int = 0
    other_calls: int = 0  # urgency, safety and routine calls: not distress traffic
    cases: list[str] = field(default_factory=list)
    cancellations: list[str] = field(default_factory=list)  # shown to the coordinator
    unmatched_dse: list[str] = field(default_factory=list)
    no_position: list[str] = field(default_factory=list)  # cases opened without a position
    first_errors: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "changes"}


def describe_station(mmsi: str | None) -> str:
    """``338040079 (ship station, United States of America)``, or the reason it is odd."""
    if mmsi is None:
        return "an unidentified station"
    try:
        info = identity.mmsi_info(mmsi)
    except identity.IdentityError as exc:
        return f"{mmsi} ({exc})"
    return f"{mmsi} ({info.kind.value}{', ' + info.country if info.country else ''})"


class DscIntake:
    """Files DSC events into the desk inside the caller's transactions.

    ``cases`` (MMSI → open case) is shared with the AIS intake of the same feed.
    """

    def __init__(
        self, store: Desk, *, author: str, report: DscImportReport, cases: dict[str, CaseId]
    ) -> None:
        self.store, self.author, self.report, self.cases = store, author, report, cases
        self._numbers: dict[CaseId, str] = {}  # case numbers never change
        self._dsc_fixes: dict[CaseId, set[tuple]] = {}  # the case's dsc positions, once read
        self._flag_checked: set[CaseId] = set()

    def take(self, event: DscEvent) -> None:
        if isinstance(event, DscCall):
            self._call(event)
        elif isinstance(event, DscExpansion):
            self._expansion(event)
        elif len(self.report.first_errors) < 20:
            self.report.first_errors.append(f"line {event.line}: {event.reason}")

    # --- calls ------------------------------------------------------------------------------

    def _call(self, call: DscCall) -> None:
        report, store = self.report, self.store
        if call.kind is DscKind.CALL:
            report.other_calls += 1
            return
        if store.alerts.seen(call.digest):
            report.duplicates += 1
            return
        case_id, created = self._case_for(call)
        text = _call_text(call)
        report.changes |= store.alerts.record(
            case_id,
            digest=call.digest,
            source_key=_source_key(call),
            kind="dsc",
            text=text,
            author=self.author,
            data=_call_data(call),
        )
        self._count(call, case_id, created)
        if call.fix is not None and call.kind in _POSITION_KINDS:
            position = Position(
                call.fix.lat,
                call.fix.lon,
                time=call.time,
                source="dsc",
                accuracy_m=WHOLE_MINUTE_ACCURACY_M,
            )
            self._add_position(case_id, position)
        elif created:
            report.no_position.append(f"case {self._number(case_id)}: {call.position_note}")

    def _number(self, case_id: CaseId) -> str:
        if case_id not in self._numbers:
            self._numbers[case_id] = self.store.cases.get(case_id).number
        return self._numbers[case_id]

    def _count(self, call: DscCall, case_id: CaseId, created: bool) -> None:
        report = self.report
        number = self._number(case_id)
        if created:
            report.alerts_opened += 1
        else:
            report.alerts_updated += 1
        if call.kind in (DscKind.RELAY, DscKind.RELAY_ACK):
            report.relays += 1
        elif call.kind is DscKind.ACKNOWLEDGEMENT:
            report.acknowledgements += 1
        elif call.kind is DscKind.CANCEL:
            report.cancels += 1
            report.cancellations.append(
                f"case {number}: {call.casualty} cancelled its DSC distress alert"
                f" ({call.time_text or 'time not given'}); the case stays open until closed"
            )
        if number not in report.cases:
            report.cases.append(number)

    def _case_for(self, call: DscCall) -> tuple[CaseId, bool]:
        """The casualty's case: linked by earlier alerts, else an open case with its MMSI."""
        linked = self.store.alerts.case_of(_source_key(call))
        if linked and (linked[1] is CaseStatus.OPEN or call.kind in _QUIET_KINDS):
            self._fill_flag(linked[0], call.casualty)
            return linked[0], False
        if call.casualty and call.casualty in self.cases:
            case_id = self.cases[call.casualty]
            if self.store.cases.get(case_id).status is CaseStatus.OPEN:
                self._fill_flag(case_id, call.casualty)
                return case_id, False
        return self._open_case(call), True

    def _open_case(self, call: DscCall) -> CaseId:
        mmsi = call.casualty
        values = {"nature": f"DSC {call.kind.value}: {call.nature or 'nature not given'}"}
        try:
            info = identity.mmsi_info(mmsi) if mmsi else None
        except identity.IdentityError:
            info = None  # the MMSI stays in the title and the log, not in the case field
        if info is not None:
            values["mmsi"] = info.mmsi
            if info.iso:
                values["flag"] = info.iso
        who = mmsi or (
            f"unidentified casualty ({call.kind.value} by {call.sender or 'unknown station'})"
        )
        title = f"DSC distress {who}"
        if info is not None and info.country:
            title += f" ({info.country})"
        if call.kind is DscKind.CANCEL:
            title = f"DSC distress alert {mmsi} CANCELLED by the sender"
        (case_id,) = self.store.cases.create(
            title=title[:200],
            author=self.author,
            phase=AlertPhase.INCERFA if call.kind is DscKind.CANCEL else AlertPhase.DETRESFA,
            values=values,
        ).cases
        if mmsi and info is not None:
            self.cases[mmsi] = case_id
        return case_id

    def _fill_flag(self, case_id: CaseId, mmsi: str | None) -> None:
        """An empty flag of the case is filled from the MMSI's MID; nothing is overwritten."""
        if not mmsi or case_id in self._flag_checked:
            return
        self._flag_checked.add(case_id)
        case = self.store.cases.get(case_id)
        if case.flag or case.mmsi != mmsi:
            return
        try:
            iso = identity.mmsi_info(mmsi).iso
        except identity.IdentityError:
            return
        if iso:
            self.report.changes |= self.store.cases.set_field(
                case_id, "flag", iso, author=self.author
            )

    def _add_position(self, case_id: CaseId, position: Position) -> None:
        """Add a dsc position the case does not have yet; the LKP if no older than it."""
        known = self._dsc_fixes.get(case_id)
        if known is None:  # read once per case: later dsc positions come through here
            known = {_fix_key(p) for p in self.store.cases.positions(case_id) if p.source == "dsc"}
            self._dsc_fixes[case_id] = known
        if _fix_key(position) in known:
            return
        known.add(_fix_key(position))
        lkp = self.store.cases.get(case_id).lkp
        newer = (
            lkp is None
            or lkp.time is None
            or (position.time is not None and position.time >= lkp.time)
        )
        self.report.changes |= self.store.cases.add_position(
            case_id, position, author=self.author, as_lkp=newer
        )
        self.report.positions += 1

    # --- expansions -------------------------------------------------------------------------

    def _unmatched(self, dse: DscExpansion) -> None:
        """Named in the report; kept in the log of the station's case when it has one (its
        position is not applied: which whole-minute position it refines is unknown)."""
        report, store = self.report, self.store
        report.unmatched_dse.append(f"line {dse.line}: {_unmatched_text(dse)}")
        linked = store.alerts.case_of(f"mmsi:{dse.mmsi}")
        case_id = linked[0] if linked else self.cases.get(dse.mmsi)
        if case_id is None:
            return
        if store.alerts.seen(dse.digest):
            report.duplicates += 1
            return
        report.changes |= store.alerts.record(
            case_id,
            digest=dse.digest,
            source_key=f"mmsi:{dse.mmsi}",
            kind="dsc",
            text=f"{_unmatched_text(dse)}\n{dse.sentence}",
            author=self.author,
            data={"format": "dse", "mmsi": dse.mmsi, "expands": None},
        )

    def _expansion(self, dse: DscExpansion) -> None:
        report, store = self.report, self.store
        call = dse.call
        if call is None:
            self._unmatched(dse)
            return
        if call.kind is DscKind.CALL or dse.fix is None:
            return
        linked = store.alerts.case_of(_source_key(call))
        if linked is None:
            return  # the call itself was not filed
        if store.alerts.seen(dse.digest):
            report.duplicates += 1
            return
        case_id = linked[0]
        where = format_ddm(dse.fix.lat, dse.fix.lon, decimals=4)
        report.changes |= store.alerts.record(
            case_id,
            digest=dse.digest,
            source_key=_source_key(call),
            kind="dsc",
            text=(
                f"DSC expansion (DSE) of {dse.mmsi}: position refined to {where} "
                f"(0.0001-minute resolution; its accuracy is that of the ship's GNSS)\n"
                f"{dse.sentence}"
            ),
            author=self.author,
            data={"format": "dse", "mmsi": dse.mmsi, "expands": call.digest},
        )
        position = Position(dse.fix.lat, dse.fix.lon, time=call.time, source="dsc")
        self._add_position(case_id, position)


def _unmatched_text(dse: DscExpansion) -> str:
    data = "; ".join(expansion_names(dse.data)) or "no data"
    return f"DSE of {dse.mmsi} with no DSC call before it, not applied ({data})"


def _fix_key(p: Position) -> tuple:
    return (p.time, round(p.lat, 7), round(p.lon, 7))


def _source_key(call: DscCall) -> str:
    if call.casualty:
        return f"mmsi:{call.casualty}"
    return f"dsc-unidentified:{call.sender or 'unknown'}"


def _call_text(call: DscCall) -> str:
    """The alert entry: what the call says, for people, then the sentence verbatim."""
    casualty = describe_station(call.casualty)
    if call.fix is not None:
        where = f"at {format_ddm(call.fix.lat, call.fix.lon, decimals=0)} (whole minutes, ±1 NM)"
    else:
        where = f"no position ({call.position_note})"
    when = call.time_text or "time not given"
    nature = call.nature or "nature not given"
    if call.kind is DscKind.DISTRESS:
        head = f"DSC distress alert from {casualty}: {nature}"
    elif call.kind is DscKind.CANCEL:
        head = (
            f"DSC distress alert CANCELLED by its sender {casualty} (self-cancel): the case "
            "stays open until a coordinator closes it"
        )
    else:
        verb = {
            DscKind.RELAY: "relayed",
            DscKind.RELAY_ACK: "relay acknowledged",
            DscKind.ACKNOWLEDGEMENT: "acknowledged",
        }[call.kind]
        head = f"DSC distress of {casualty} ({nature}) {verb} by {describe_station(call.sender)}"
    lines = [f"{head}; {where}, {when}"]
    if call.communication:
        lines.append(f"subsequent communication: {call.communication}")
    lines += [f"note: {n}" for n in call.notes]
    lines.append(call.sentence)
    return "\n".join(lines)


def _call_data(call: DscCall) -> dict:
    data = {
        "format": "dsc",
        "kind": call.kind.value,
        "format_specifier": call.format_code,
        "sender": call.sender,
        "casualty": call.casualty,
        "nature": call.nature,
        "time": call.time_text,
    }
    if call.received:
        data["received"] = call.received.isoformat().replace("+00:00", "Z")
    return data
