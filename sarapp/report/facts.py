"""What the report needs to know of each case, made once from the store's rows.

Every rule here is a definition of ``docs/annual-report.md``: the highest phase reached, the
closing time, the first alert and its source, the responsible RCC, a plan's hours, area and
the first unit on scene. Nothing is guessed: where the rows cannot tell, the fact is None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sarapp.planning.errors import PlanningError
from sarapp.planning.plan_area import PatternBox, pattern_box
from sarapp.store.report_queries import (
    PlanAreaQuery,
    ReportAlertRow,
    ReportCaseRow,
    ReportCoordinationRow,
    ReportEventRow,
    ReportFixRow,
    ReportPackageRow,
    ReportPlanRow,
    ReportRccRow,
)

PHASES = ("INCERFA", "ALERFA", "DETRESFA")  # in increasing gravity
# An alert received this close to a case's opening opened it (the intake opens the case and
# files the alert in one step); one linked later (a DSC call matched to a case an officer
# typed) is not the case's first alert source.
OPENED_BY_ALERT = timedelta(seconds=60)
# A plan without a window end: its unit's positions up to this long after the tasking count.
ON_SCENE_HORIZON = timedelta(hours=24)
# The first alert source of a case, as the report names it.
SOURCES = {
    "cospas-sarsat": "Cospas-Sarsat (SIT 185)",
    "ais-sart": "AIS-SART",
    "ais-mob": "AIS MOB device",
    "epirb-ais": "EPIRB-AIS",
    "ais": "AIS, other device",
    "dsc": "DSC",
    "officer": "Typed by an officer (phone, VHF, other)",
}
# sarapp.alerts.ais_intake.DEVICE_LABELS → source key (a test keeps the two in step).
AIS_DEVICES = {"AIS-SART": "ais-sart", "AIS MOB device": "ais-mob", "EPIRB-AIS": "epirb-ais"}
DSC_CANCEL = "distress alert cancellation"  # sarapp.alerts.dsc.DscKind.CANCEL
NOT_REGISTERED = "not registered"  # the type of a unit tasked by name, outside the registry


@dataclass(frozen=True)
class PlanFacts:
    """A search plan: ``hours`` and ``area_nm2`` only for a search reported done (None when
    its window or its area cannot be told); ``on_scene`` the first position of its unit
    inside its rectangle after the tasking."""

    id: str
    unit_key: str
    unit_name: str
    unit_type: str
    status: str
    tasked: datetime
    hours: float | None
    area_nm2: float | None
    on_scene: datetime | None


@dataclass(frozen=True)
class CaseFacts:
    """One case as the report counts it (times UTC; None where the desk cannot tell)."""

    id: str
    number: str
    opened: datetime
    first_alert: datetime
    source: str  # a key of SOURCES
    test: bool  # the alert that opened the case was a test
    dsc_cancelled: bool  # a DSC distress alert of the case was cancelled by its sender
    phase_highest: str
    status: str
    closed: datetime | None  # the closing that stands (None while open, or not logged)
    rcc: str  # responsible RCC ("" when not recorded)
    rcc_source: str  # coordination, case field, this desk ("" when not recorded)
    rcc_country: str  # ISO country of that RCC ("" when not known)
    nature: str
    vessel_type: str
    flag: str
    pob: int | None
    lat: float | None
    lon: float | None
    plans: tuple[PlanFacts, ...]
    coordination: tuple[ReportCoordinationRow, ...]
    packages: tuple[ReportPackageRow, ...]

    @property
    def first_tasked(self) -> datetime | None:
        return min((p.tasked for p in self.plans), default=None)

    @property
    def first_on_scene(self) -> datetime | None:
        return min((p.on_scene for p in self.plans if p.on_scene), default=None)


T = TypeVar("T")


def by_case(items: Iterable[T]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for item in items:
        grouped[item.case_id].append(item)  # type: ignore[attr-defined]
    return grouped


def highest_phase(case: ReportCaseRow, events: Sequence[ReportEventRow]) -> str:
    """The gravest phase the case was ever in: its opening phase, each logged change, now."""
    seen = {case.phase}
    for event in events:
        if event.kind == "created":
            seen.add(str(event.data.get("phase", "")))
        elif event.kind == "phase":
            seen.add(str(event.data.get("new", "")))
    return max((p for p in seen if p in PHASES), key=PHASES.index, default=case.phase)


def closing_time(case: ReportCaseRow, events: Sequence[ReportEventRow]) -> datetime | None:
    """When a closed case was last closed (a reopened case closes again); None when open."""
    if case.status != "closed":
        return None
    closings = [e.time for e in events if e.kind == "status" and e.data.get("new") == "closed"]
    return max(closings, default=None)


def alert_facts(
    case: ReportCaseRow, alerts: Sequence[ReportAlertRow]
) -> tuple[datetime, str, bool]:
    """(first alert time, first alert source, opened by a test alert)."""
    first = min(alerts, key=lambda a: a.received, default=None)
    first_time = min(case.created, first.received) if first else case.created
    if first is None or first.received - case.created > OPENED_BY_ALERT:
        return first_time, "officer", False
    return first_time, alert_source(first), bool(first.data.get("test") is True)


def alert_source(alert: ReportAlertRow) -> str:
    if alert.kind == "sit185":
        return "cospas-sarsat"
    if alert.kind == "ais":
        return AIS_DEVICES.get(str(alert.data.get("device", "")), "ais")
    return alert.kind if alert.kind in SOURCES else "officer"


def responsible_rcc(
    case: ReportCaseRow,
    coordination: Sequence[ReportCoordinationRow],
    own: ReportRccRow | None,
) -> tuple[str, str]:
    """(RCC id, where it came from): the RCC that last took coordination, else the case's
    Responsible RCC field, else this desk's own RCC, else ("", "")."""
    taken = [k for k in coordination if k.event in ("coordinating", "accepted")]
    if taken:
        return max(taken, key=lambda k: k.time).rcc_id, "coordination"
    if case.rcc.strip():
        return case.rcc.strip(), "case field"
    if own is not None:
        return own.rcc_id, "this desk"
    return "", ""


def plan_box(plan: ReportPlanRow) -> PatternBox | None:
    """The plan's searched rectangle; None when its pattern has no area (no spacing…)."""
    try:
        return pattern_box(
            plan.pattern,
            waypoints=plan.waypoints,
            course_deg=float(plan.params.get("course_deg", 0.0)),
            spacing_nm=plan.params.get("spacing_nm"),
            sweep_width_nm=plan.params.get("sweep_width_nm"),
        )
    except (PlanningError, TypeError, ValueError):
        return None


def area_queries(
    plans: Iterable[ReportPlanRow], boxes: Mapping[str, PatternBox | None]
) -> list[PlanAreaQuery]:
    """Where and when to look for each registered unit of a plan with an area."""
    out = []
    for plan in plans:
        box = boxes.get(plan.id)
        if box is None or plan.unit_id is None:
            continue
        south, west, north, east = box.bounds()
        until = plan.end or plan.created + ON_SCENE_HORIZON
        out.append(
            PlanAreaQuery(plan.id, plan.unit_id, south, west, north, east, plan.created, until)
        )
    return out


def plan_facts(
    plan: ReportPlanRow, box: PatternBox | None, fixes: Sequence[ReportFixRow]
) -> PlanFacts:
    done = plan.status == "done"
    hours = None
    if done and plan.start and plan.end:
        hours = (plan.end - plan.start).total_seconds() / 3600.0
    on_scene = next((f.time for f in fixes if box is not None and box.contains(f.lat, f.lon)), None)
    unit_key = plan.unit_id or f"name:{plan.unit_name.strip().casefold()}"
    return PlanFacts(
        id=plan.id,
        unit_key=unit_key,
        unit_name=plan.unit_name,
        unit_type=plan.unit_type or NOT_REGISTERED,
        status=plan.status,
        tasked=plan.created,
        hours=hours,
        area_nm2=box.area_nm2 if done and box is not None else None,
        on_scene=on_scene,
    )


def case_facts(
    case: ReportCaseRow,
    *,
    events: Sequence[ReportEventRow],
    alerts: Sequence[ReportAlertRow],
    plans: Sequence[PlanFacts],
    coordination: Sequence[ReportCoordinationRow],
    packages: Sequence[ReportPackageRow],
    rccs: Mapping[str, ReportRccRow],
    own: ReportRccRow | None,
) -> CaseFacts:
    first_alert, source, test = alert_facts(case, alerts)
    rcc, rcc_source = responsible_rcc(case, coordination, own)
    known = rccs.get(rcc)
    return CaseFacts(
        id=case.id,
        number=case.number,
        opened=case.created,
        first_alert=first_alert,
        source=source,
        test=test,
        dsc_cancelled=any(a.kind == "dsc" and a.data.get("kind") == DSC_CANCEL for a in alerts),
        phase_highest=highest_phase(case, events),
        status=case.status,
        closed=closing_time(case, events),
        rcc=rcc,
        rcc_source=rcc_source,
        rcc_country=(known.country.upper() if known else ""),
        nature=case.nature.strip(),
        vessel_type=case.vessel_type.strip(),
        flag=case.flag.strip().upper(),
        pob=case.pob,
        lat=case.lat,
        lon=case.lon,
        plans=tuple(plans),
        coordination=tuple(coordination),
        packages=tuple(packages),
    )


def seconds_between(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds()


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z, to the second (as JSON and CSV carry times)."""
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def jsonable(value: Any) -> Any:
    """Plain JSON values of the report's dataclasses (times as ISO text)."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
