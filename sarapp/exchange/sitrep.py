"""IAMSAR SAR situation reports (SITREPs) written from a case, its positions and its log.

Short form: paragraphs A–F (identity, position, situation, persons at risk, assistance
required, co-ordinating RCC). Full form adds G, H, J–N (the IMO lettering skips I). Header:
priority (DISTRESS for a case in DETRESFA, URGENCY otherwise), DTG, FROM, TO and
``SAR SITREP <n>``, numbered per case, with ``FINAL`` once the case is closed. Positions are
degrees and decimal minutes, times DTGs, speeds knots. Source: IAMSAR Manual SITREP format as
summarised in ``/work/shared/reference/formats.md`` §4.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sarapp.geo import KNOT, NM, format_ddm, format_dtg, inverse
from sarapp.model import AlertPhase, Case, CaseStatus, EntryKind, LogEntry, Position, utc_now

SITREP_NUMBER_KEY = "sitrep_number"  # log entry data key recording a SITREP that was sent
MAX_ACTIONS = 12  # log notes listed in paragraph J before "… and N more"
MAX_POSITIONS = 6  # position reports listed in paragraph N
_ACTION_KINDS = (EntryKind.NOTE, EntryKind.CORRECTION)


@dataclass(frozen=True)
class SitrepExtras:
    """What the desk does not hold yet and the coordinator types in (empty: "NOT REPORTED")."""

    assistance: str = ""
    weather: str = ""
    search_area: str = ""
    coordinating_instructions: str = ""
    future_plans: str = ""
    additional_info: str = ""


def next_sitrep_number(log: Sequence[LogEntry]) -> int:
    """1 + the highest SITREP number the case log records as sent (``data.sitrep_number``)."""
    numbers = [e.data.get(SITREP_NUMBER_KEY) for e in log]
    return 1 + max(
        (n for n in numbers if isinstance(n, int) and not isinstance(n, bool)), default=0
    )


def priority_of(case: Case) -> str:
    return "DISTRESS" if case.phase is AlertPhase.DETRESFA else "URGENCY"


def sitrep_text(
    case: Case,
    *,
    positions: Sequence[Position],
    log: Sequence[LogEntry],
    sender: str,
    to: Sequence[str],
    full: bool = False,
    number: int | None = None,
    now: datetime | None = None,
    extras: SitrepExtras = SitrepExtras(),  # frozen, so one shared default is safe
) -> str:
    """The SITREP as telex-style upper-case text, one paragraph per line."""
    number = number or next_sitrep_number(log)
    final = " FINAL" if case.status is CaseStatus.CLOSED else ""
    lines = [
        priority_of(case),
        format_dtg(now or utc_now()),
        f"FROM: {sender}",
        f"TO: {', '.join(to)}",
        f"SAR SITREP {number}{final}",
        f"A. IDENTITY OF CASUALTY: {_identity(case)}",
        f"B. POSITION: {_position(case, positions)}",
        f"C. SITUATION: {_situation(case, log)}",
        f"D. NUMBER OF PERSONS AT RISK: {case.pob if case.pob is not None else 'UNKNOWN'}",
        f"E. ASSISTANCE REQUIRED: {extras.assistance or 'NOT REPORTED'}",
        f"F. CO-ORDINATING RCC: {case.rcc or sender}",
    ]
    if full:
        description = ", ".join(v for v in (case.vessel_type, case.vessel_description) if v)
        instructions = [f"SMC {case.smc}"] if case.smc else []
        instructions += (
            [extras.coordinating_instructions] if extras.coordinating_instructions else []
        )
        lines += [
            f"G. DESCRIPTION OF CASUALTY: {description or 'NOT REPORTED'}",
            f"H. WEATHER ON SCENE: {extras.weather or 'NOT REPORTED'}",
            f"J. INITIAL ACTIONS TAKEN: {_actions(log)}",
            f"K. SEARCH AREA: {extras.search_area or 'NIL'}",
            f"L. CO-ORDINATING INSTRUCTIONS: {'; '.join(instructions) or 'NIL'}",
            f"M. FUTURE PLANS: {extras.future_plans or 'NIL'}",
            f"N. ADDITIONAL INFORMATION: {_additional(case, positions, log, extras)}",
        ]
    return "\n".join(line.upper() for line in lines) + "\n"


def _identity(case: Case) -> str:
    parts = [case.vessel_name or case.title]
    for label, value in (
        ("CALL SIGN", case.call_sign),
        ("FLAG", case.flag),
        ("MMSI", case.mmsi),
        ("IMO", case.imo),
    ):
        if value:
            parts.append(f"{label} {value}")
    return ", ".join(parts)


def _position(case: Case, positions: Sequence[Position]) -> str:
    lkp = case.lkp or (positions[-1] if positions else None)
    if lkp is None:
        return "UNKNOWN"
    text = f"{format_ddm(lkp.lat, lkp.lon)} AT {_when(lkp.time)} ({lkp.source}"
    if lkp.accuracy_m is not None:
        text += f", ±{lkp.accuracy_m / NM:.1f} NM"
    text += ")"
    movement = _movement(positions)
    return text + (f", {movement}" if movement else "")


def _movement(positions: Sequence[Position]) -> str:
    """Course (°T) and speed (kn) between the last two timed reports, e.g. drift of a raft."""
    timed = sorted((p for p in positions if p.time), key=lambda p: p.time)
    if len(timed) < 2:
        return ""
    a, b = timed[-2], timed[-1]
    seconds = (b.time - a.time).total_seconds()
    if seconds <= 0:
        return ""
    metres, bearing = inverse(a.lat, a.lon, b.lat, b.lon)
    return f"MOVING {round(bearing) % 360:03d}°T {metres / seconds / KNOT:.1f} KN"


def _situation(case: Case, log: Sequence[LogEntry]) -> str:
    since = case.created
    for entry in log:
        if entry.kind is EntryKind.PHASE and entry.data.get("new") == case.phase.value:
            since = entry.time
    text = f"{priority_of(case)} ({case.phase.value}) SINCE {format_dtg(since)}"
    return text + (f", {case.nature}" if case.nature else "")


def _actions(log: Sequence[LogEntry]) -> str:
    notes = [e for e in log if e.kind in _ACTION_KINDS]
    listed = [f"{format_dtg(e.time)} {' '.join(e.text.split())}" for e in notes[:MAX_ACTIONS]]
    if len(notes) > MAX_ACTIONS:
        listed.append(f"AND {len(notes) - MAX_ACTIONS} MORE IN THE CASE LOG")
    return "; ".join(listed) or "NIL"


def _additional(
    case: Case, positions: Sequence[Position], log: Sequence[LogEntry], extras: SitrepExtras
) -> str:
    parts = [extras.additional_info] if extras.additional_info else []
    recent = positions[-MAX_POSITIONS:]
    if recent:
        reports = "; ".join(
            f"{format_ddm(p.lat, p.lon)} AT {_when(p.time)} ({p.source})" for p in recent
        )
        parts.append(f"POSITION REPORTS: {reports}")
    if case.status is CaseStatus.CLOSED:
        closed = [e for e in log if e.kind is EntryKind.STATUS and e.data.get("new") == "closed"]
        when = format_dtg(closed[-1].time) if closed else "TIME NOT LOGGED"
        reason = closed[-1].data.get("reason") if closed else ""
        parts.append(f"SAR OPERATIONS TERMINATED {when}" + (f": {reason}" if reason else ""))
    return "; ".join(parts) or "NIL"


def _when(time: datetime | None) -> str:
    return format_dtg(time) if time else "TIME UNKNOWN"
