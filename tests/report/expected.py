"""The synthetic desk's figures worked out from its specs, by plain counting, without the
report's code: what the report must find."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

from .synthetic_desk import DESK, PATTERNS, PEERS, UNTRUSTED, CaseSpec

ORDER = ("INCERFA", "ALERFA", "DETRESFA")
COUNTRY = {DESK.id: DESK.country, **{p.id: p.country for p in PEERS}, UNTRUSTED: ""}


def bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def opened_in(specs: list[CaseSpec], start: datetime, end: datetime) -> list[CaseSpec]:
    return [s for s in specs if not s.demo and start <= s.opened < end]


def closed_in(specs: list[CaseSpec], start: datetime, end: datetime) -> list[CaseSpec]:
    return [s for s in specs if not s.demo and s.closed and start <= s.closed < end]


def highest(spec: CaseSpec) -> str:
    return max((p for _, p in spec.phases), key=ORDER.index)


def label(value: str) -> str:
    return value or "(not recorded)"


def responsible(spec: CaseSpec) -> str:
    if spec.handover:
        outcome, peer, _, _ = spec.handover
        return peer if outcome == "accepted" else DESK.id
    return spec.rcc_field or DESK.id


def first_tasked(spec: CaseSpec) -> datetime | None:
    return min((p.tasked for p in spec.plans), default=None)


def first_on_scene(spec: CaseSpec) -> datetime | None:
    """A registered unit's fix at the CSP (inside every plan's rectangle of the case) within
    one of that unit's plans' [tasking, window end or tasking + 24 h]."""
    found = []
    for plan in spec.plans:
        if plan.unit_type == "not registered":
            continue
        until = plan.window[1] if plan.window else plan.tasked + timedelta(hours=24)
        fixes = [
            m
            for other in spec.plans
            if other.unit == plan.unit
            for m in (other.inside_at, other.early_inside_at, other.late_inside_at)
            if m is not None
        ]
        found += [m for m in fixes if plan.tasked <= m <= until]
    return min(found, default=None)


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(q * len(ordered)) - 1]


def durations(specs: list[CaseSpec], end_of) -> tuple[int, float, float]:
    values = [(end_of(s) - s.opened).total_seconds() for s in specs if end_of(s) is not None]
    return len(values), statistics.median(values), nearest_rank(values, 0.9)


def means(specs: list[CaseSpec]) -> dict:
    taskings: Counter = Counter()
    plans: Counter = Counter()
    hours = area = 0.0
    for spec in specs:
        for unit_type in {(p.unit, p.unit_type) for p in spec.plans}:
            taskings[unit_type[1]] += 1
        for plan in spec.plans:
            plans[plan.unit_type] += 1
            if plan.status == "done":
                area += PATTERNS[plan.pattern][2]
                if plan.window:
                    hours += (plan.window[1] - plan.window[0]).total_seconds() / 3600
    return {"taskings": taskings, "plans": plans, "hours": hours, "area": area}


def cooperation(specs: list[CaseSpec]) -> dict:
    outcomes = Counter(s.handover[0] for s in specs if s.handover)
    waits = [
        (s.handover[3] - s.handover[2]).total_seconds()
        for s in specs
        if s.handover and s.handover[0] == "accepted"
    ]
    info = [(s, peer) for s in specs for _, peer in s.info_packages]
    to_flag = sum(1 for s, peer in info if s.flag and COUNTRY[peer] == s.flag)
    differs = sum(1 for s in specs if s.flag and s.flag != COUNTRY[responsible(s)])
    same = sum(1 for s in specs if s.flag and s.flag == COUNTRY[responsible(s)])
    return {
        "proposed": sum(outcomes.values()),
        "accepted": outcomes["accepted"],
        "declined": outcomes["declined"],
        "unanswered": outcomes["unanswered"],
        "median_wait": statistics.median(waits) if waits else None,
        "info": len(info),
        "to_flag": to_flag,
        "differs": differs,
        "same": same,
        "not_known": sum(1 for s in specs if not s.flag),
    }


def final_statuses(spec: CaseSpec) -> list[str]:
    assert spec.register is not None
    return [p.statuses[-1][1] for p in spec.register.persons]


def people(spec: CaseSpec) -> dict:
    """A case's persons as the report must count them: from its register (counts only, or
    records only, in the synthetic desk), else persons on board with no outcome per person;
    assisted by the closing outcome (all not otherwise accounted for when 'assisted', none
    for any other outcome, not known without one)."""
    found = _people(spec)
    told = sum(found[n] or 0 for n in ("rescued", "dead", "missing"))
    if not spec.outcome or found["in_distress"] is None:
        found["assisted"] = None
    else:
        found["assisted"] = found["in_distress"] - told if spec.outcome == "assisted" else 0
    return found


def _people(spec: CaseSpec) -> dict:
    if spec.register is None:
        return {"in_distress": spec.pob, "rescued": None, "dead": None, "missing": None,
                "source": "case field 'Persons on board' (pob)"}  # fmt: skip
    if spec.register.counts:
        counts = spec.register.counts
        return {"in_distress": counts["on_board"], "rescued": counts.get("rescued"),
                "dead": counts.get("dead"), "missing": counts.get("missing"),
                "source": "persons register"}  # fmt: skip
    statuses = Counter(final_statuses(spec))
    ever = {s for p in spec.register.persons for _, s in p.statuses}

    def known(*names: str) -> int | None:  # a category no record ever fell in: not known
        return sum(statuses[n] for n in names) if ever & set(names) else None

    return {
        "in_distress": len(spec.register.persons),
        "rescued": known("rescued", "medevac"),
        "dead": known("dead"),
        "missing": known("missing"),
        "source": "persons register",
    }


def lives_lost(spec: CaseSpec) -> tuple[int, int, int] | None:
    """(before, after, not told) of the first alert, for a case with a register."""
    if spec.register is None:
        return None
    if spec.register.counts:
        return 0, 0, spec.register.counts.get("dead", 0)
    before = after = unknown = 0
    for person in spec.register.persons:
        if person.statuses[-1][1] != "dead":
            continue
        if person.recovered is not None and person.recovered <= spec.opened:
            before += 1
        elif any(s in ("rescued", "medevac") for _, s in person.statuses[:-1]):
            after += 1
        else:
            unknown += 1
    return before, after, unknown
