"""IAMSAR SAR situation reports (SITREPs) written from a case, its positions and its log.

Short form: paragraphs A–F (identity, position, situation, persons at risk, assistance
required, co-ordinating RCC). Full form adds G, H, J–N (the IMO lettering skips I). Header:
priority (DISTRESS for a case in DETRESFA, URGENCY otherwise), DTG, FROM (``FM``), TO,
``SAR SITREP <n>``, numbered per case, with ``FINAL`` once the case is closed, and the case
reference (this desk's number; for an imported case the originating RCC's too). Positions are
degrees and decimal minutes, times DTGs, speeds knots; the plain form for sending is ASCII
(``sarapp.exchange.sitrep_form``). B, F, J and K come from the desk's records
(``sarapp.exchange.sitrep_paragraphs``). Source: IAMSAR Manual SITREP format as summarised in
``/work/shared/reference/formats.md`` §4.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sarapp.exchange.sitrep_form import PLAIN, TYPOGRAPHIC, SitrepForm
from sarapp.exchange.sitrep_paragraphs import actions, coordinating_rcc, movement, search_area
from sarapp.exchange.sitrep_persons import (
    assistance,
    disembarkation_plans,
    disembarked,
    named_persons,
    persons_at_risk,
)
from sarapp.geo import NM, format_dtg
from sarapp.model import (
    AlertPhase,
    Case,
    CaseStatus,
    DriftRecord,
    EntryKind,
    LogEntry,
    Position,
    utc_now,
)
from sarapp.model_plans import SearchPlanRecord
from sarapp.register import Register

SITREP_NUMBER_KEY = "sitrep_number"  # log entry data key recording a SITREP that was sent
MAX_POSITIONS = 6  # position reports listed in paragraph N


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
    plans: Sequence[SearchPlanRecord] = (),
    drift_runs: Sequence[DriftRecord] = (),
    plain: bool = True,
    register: Register | None = None,
    names: bool = False,
) -> str:
    """The SITREP as telex-style upper-case text, one paragraph per line.

    ``register``: the case's persons register (D counts from it); ``names``: the SITREP may
    carry personal data, and paragraph N of the full form lists the persons by name.

    ``plain`` (the default, for sending): ASCII only, positions ``6141.5N 00420.3E``, a
    message header of ``FM``/``TO`` lines and ``BT`` around the text. Otherwise the
    typographic form for the screen (``61°41.500'N``, ``FROM:``/``TO:``).
    """
    form = PLAIN if plain else TYPOGRAPHIC
    now = now or utc_now()
    number = number or next_sitrep_number(log)
    final = " FINAL" if case.status is CaseStatus.CLOSED else ""
    address = (
        [f"FM {sender}", f"TO {', '.join(to)}", "BT"]
        if plain
        else [f"FROM: {sender}", f"TO: {', '.join(to)}"]
    )
    reference = case.number + (f" ({case.origin_text})" if case.origin_rcc else "")
    lines = [
        priority_of(case),
        format_dtg(now),
        *address,
        f"SAR SITREP {number}{final}",
        f"CASE REF{' ' if plain else ': '}{reference}",
        f"A. IDENTITY OF CASUALTY: {_identity(case)}",
        f"B. POSITION: {_position(case, positions, log, form)}",
        f"C. SITUATION: {_situation(case, log)}",
        f"D. NUMBER OF PERSONS AT RISK: {persons_at_risk(case, register)}",
        f"E. ASSISTANCE REQUIRED: {_joined(extras.assistance, assistance(case)) or 'NOT REPORTED'}",
        f"F. CO-ORDINATING RCC: {coordinating_rcc(log) or case.rcc or sender}",
    ]
    if full:
        description = ", ".join(v for v in (case.vessel_type, case.vessel_description) if v)
        instructions = [f"SMC {case.smc}"] if case.smc else []
        instructions += (
            [extras.coordinating_instructions] if extras.coordinating_instructions else []
        )
        area = search_area(plans, form)
        if extras.search_area:
            area = extras.search_area if area == "NIL" else f"{area}; {extras.search_area}"
        taken = actions(log, drift_runs=drift_runs, plans=plans, form=form, now=now)
        lines += [
            f"G. DESCRIPTION OF CASUALTY: {description or 'NOT REPORTED'}",
            f"H. WEATHER ON SCENE: {extras.weather or 'NOT REPORTED'}",
            f"J. INITIAL ACTIONS TAKEN: {taken}",
            f"K. SEARCH AREA: {area}",
            f"L. CO-ORDINATING INSTRUCTIONS: {'; '.join(instructions) or 'NIL'}",
            f"M. FUTURE PLANS: {_joined(disembarkation_plans(case), extras.future_plans) or 'NIL'}",
            f"N. ADDITIONAL INFORMATION: {_additional(case, positions, log, extras, form)}"
            + (f"; {named_persons(register)}" if names and named_persons(register) else ""),
        ]
    if plain:
        lines.append("BT")
    return "\n".join(form.finish(line) for line in lines) + "\n"


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


def _position(
    case: Case, positions: Sequence[Position], log: Sequence[LogEntry], form: SitrepForm
) -> str:
    lkp = case.lkp or (positions[-1] if positions else None)
    if lkp is None:
        return "UNKNOWN"
    text = f"{form.position(lkp.lat, lkp.lon)} AT {_when(lkp.time)} ({lkp.source}"
    if lkp.accuracy_m is not None:
        text += f", ±{lkp.accuracy_m / NM:.1f} NM"
    return text + f"), {movement(case, positions, log)}"


def _situation(case: Case, log: Sequence[LogEntry]) -> str:
    since = case.created
    for entry in log:
        if entry.kind is EntryKind.PHASE and entry.data.get("new") == case.phase.value:
            since = entry.time
    text = f"{priority_of(case)} ({case.phase.value}) SINCE {format_dtg(since)}"
    return text + (f", {case.nature}" if case.nature else "")


def _additional(
    case: Case,
    positions: Sequence[Position],
    log: Sequence[LogEntry],
    extras: SitrepExtras,
    form: SitrepForm,
) -> str:
    parts = [extras.additional_info] if extras.additional_info else []
    if disembarked(case):
        parts.append(disembarked(case))
    recent = positions[-MAX_POSITIONS:]
    if recent:
        reports = "; ".join(
            f"{form.position(p.lat, p.lon)} AT {_when(p.time)} ({p.source})" for p in recent
        )
        parts.append(f"POSITION REPORTS: {reports}")
    if case.status is CaseStatus.CLOSED:
        closed = [e for e in log if e.kind is EntryKind.STATUS and e.data.get("new") == "closed"]
        when = format_dtg(closed[-1].time) if closed else "TIME NOT LOGGED"
        reason = closed[-1].data.get("reason") if closed else ""
        parts.append(f"SAR OPERATIONS TERMINATED {when}" + (f": {reason}" if reason else ""))
    return "; ".join(parts) or "NIL"


def _joined(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _when(time: datetime | None) -> str:
    return format_dtg(time) if time else "TIME UNKNOWN"
