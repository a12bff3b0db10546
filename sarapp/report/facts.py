"""What the report needs to know of each case, made once from the store's rows.

Every rule here is a definition of ``docs/annual-report.md``: the highest phase reached, the
closing time, the first alert and its source, the responsible RCC, a plan's hours, area and
the first unit on scene. Nothing is guessed: where the rows cannot tell, the fact is None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, TypeVar

import numpy as np

from sarapp.model_report import (
    PlanAreaQuery,
    ReportAlertRow,
    ReportCaseRow,
    ReportCoordinationRow,
    ReportEventRow,
    ReportFixRow,
    ReportPackageRow,
    ReportPlanRow,
    ReportRccRow,
    ReportRegisterRow,
)
from sarapp.planning.plan_area import PatternBox, bounds_each, contains_each, pattern_boxes

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
class RegisterFacts:
    """A case's persons register as the report counts it: the counts' totals (None: not
    known) and its dead sorted by what the register's times tell: ``lost_before`` recovered
    before the first alert, ``lost_after`` logged alive (rescued, medevac'd) after it and dead
    later, ``lost_unknown`` the dead whose times tell neither (counted dead by hand too)."""

    totals: Mapping[str, int | None]
    lost_before: int
    lost_after: int
    lost_unknown: int


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
    outcome: str = ""  # how the case ended, chosen at closing (sarapp.outcomes); "" not given
    register: RegisterFacts | None = None  # the persons register, where the case has one

    @cached_property
    def first_tasked(self) -> datetime | None:
        return min((p.tasked for p in self.plans), default=None)

    @cached_property
    def first_on_scene(self) -> datetime | None:
        return min((p.on_scene for p in self.plans if p.on_scene), default=None)

    @cached_property
    def response_s(self) -> tuple[float | None, float | None, float | None]:
        """Seconds from the first alert to the first unit tasked, on scene, and to closure."""
        start = self.first_alert
        return (
            seconds_between(start, self.first_tasked),
            seconds_between(start, self.first_on_scene),
            seconds_between(start, self.closed),
        )

    @cached_property
    def tasked_units(self) -> tuple[tuple[str, str], ...]:
        """(unit key, unit type) of each unit tasked in the case, once each."""
        return tuple(dict.fromkeys((p.unit_key, p.unit_type) for p in self.plans))

    @cached_property
    def searched(self) -> dict[str, tuple[float, int, int]]:
        """Over the searches reported done, for "hours" and "area_nm2": (the sum, how many
        searches have the figure, how many lack it)."""
        done = [p for p in self.plans if p.status == "done"]
        out = {}
        for name in ("hours", "area_nm2"):
            known = [v for v in (getattr(p, name) for p in done) if v is not None]
            out[name] = (sum(known), len(known), len(done) - len(known))
        return out


T = TypeVar("T")


def by_case(items: Iterable[T]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for item in items:
        grouped[item.case_id].append(item)  # type: ignore[attr-defined]
    return grouped


def highest_phase(case: ReportCaseRow, events: Sequence[ReportEventRow]) -> str:
    """The gravest phase the case was ever in: each logged change names the phase before and
    after it, so with the phase it is in now they cover every phase it had."""
    seen = {case.phase}
    for event in events:
        if event.kind == "phase":
            seen.add(str(event.data.get("old", "")))
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


def plan_boxes(plans: Sequence[ReportPlanRow]) -> dict[str, PatternBox | None]:
    """Each plan's searched rectangle (None when its pattern has no area: no spacing…)."""
    specs = []
    for plan in plans:
        params = plan.params
        try:
            course = float(params.get("course_deg", 0.0))
        except (TypeError, ValueError):
            course = float("nan")
        spacing, sweep = _number(params.get("spacing_nm")), _number(params.get("sweep_width_nm"))
        waypoints = plan.waypoints if course == course else ()  # a NaN course has no box
        specs.append((plan.pattern, waypoints, course, spacing, sweep))
    return dict(zip((p.id for p in plans), pattern_boxes(specs), strict=True))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def area_queries(
    plans: Iterable[ReportPlanRow], boxes: Mapping[str, PatternBox | None]
) -> list[PlanAreaQuery]:
    """Where and when to look for each registered unit of a plan with an area."""
    chosen = [p for p in plans if p.unit_id is not None and boxes.get(p.id) is not None]
    bounds = bounds_each([boxes[p.id] for p in chosen])  # type: ignore[misc]
    return [
        PlanAreaQuery(
            plan.id,
            plan.unit_id,  # type: ignore[arg-type]
            *box_bounds,
            plan.created,
            plan.end or plan.created + ON_SCENE_HORIZON,
        )
        for plan, box_bounds in zip(chosen, bounds, strict=True)
    ]


def first_inside(
    fixes: Sequence[ReportFixRow], boxes: Mapping[str, PatternBox | None]
) -> dict[str, datetime]:
    """Per plan, the time of the first fix of its unit inside its rectangle (``fixes`` come
    in the query's box and window, oldest first per plan)."""
    kept = [f for f in fixes if boxes.get(f.plan_id) is not None]
    inside = contains_each(
        [boxes[f.plan_id] for f in kept],  # type: ignore[misc]
        np.array([f.lat for f in kept]),
        np.array([f.lon for f in kept]),
    )
    first: dict[str, datetime] = {}
    for fix, hit in zip(kept, inside, strict=True):
        if hit and (fix.plan_id not in first or fix.time < first[fix.plan_id]):
            first[fix.plan_id] = fix.time
    return first


def plan_facts(plan: ReportPlanRow, box: PatternBox | None, on_scene: datetime | None) -> PlanFacts:
    done = plan.status == "done"
    hours = None
    if done and plan.start and plan.end:
        hours = (plan.end - plan.start).total_seconds() / 3600.0
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
    register: ReportRegisterRow | None = None,
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
        outcome=case.outcome,
        register=register_facts(register, first_alert) if register is not None else None,
    )


ALIVE = ("rescued", "medevac")  # a person logged alive after being found


def register_facts(row: ReportRegisterRow, first_alert: datetime) -> RegisterFacts:
    """The register's totals, and each dead person sorted by what its times tell."""
    history: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for when, statuses in row.statuses:
        for person_id, status in statuses.items():
            history[person_id].append((when, status))
    before = after = 0
    for person_id, seen in history.items():
        if seen[-1][1] != "dead":
            continue
        recovered = row.recovered.get(person_id)
        if recovered is not None and recovered <= first_alert:
            before += 1
        elif any(status in ALIVE and when >= first_alert for when, status in seen[:-1]):
            after += 1
    dead = row.totals.get("dead") or 0
    return RegisterFacts(dict(row.totals), before, after, max(0, dead - before - after))


def seconds_between(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds()


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z, to the second (as JSON and CSV carry times)."""
    if moment is None:
        return None
    text = moment.isoformat(timespec="seconds")
    if text.endswith("+00:00"):
        return text[:-6] + "Z"
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:-6] + "Z"


def jsonable(value: Any) -> Any:
    """Plain JSON values of the report's dataclasses (times as ISO text)."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
