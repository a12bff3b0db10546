"""Figures that name what they counted: a count with its case numbers, a sum with its source,
durations with median and 90th percentile, and "not known" with the reason and the cases.

Cases, times and means are counted here; people in ``people``, cooperation between states in
``cooperation``. Each function takes the cases a scope counts (a year, a month, an RCC).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sarapp.report.facts import PHASES, SOURCES, CaseFacts
from sarapp.report.stats import mean, median, percentile_nearest_rank

NOT_RECORDED = "(not recorded)"  # a breakdown's key for an empty case field


@dataclass(frozen=True)
class NotKnown:
    """What the desk cannot tell: why, and the cases (and how many items) concerned."""

    reason: str
    value: int = 0
    cases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Count:
    """``value`` things counted in ``cases`` (case numbers, in opening order)."""

    value: int
    cases: tuple[str, ...]
    not_known: NotKnown | None = None


@dataclass(frozen=True)
class Amount:
    """A sum (persons, hours, NM²) over ``cases``, from ``source``; ``value`` None when the
    desk cannot tell it at all."""

    value: float | None
    unit: str
    source: str
    cases: tuple[str, ...]
    not_known: NotKnown | None = None


@dataclass(frozen=True)
class Durations:
    """Seconds from one moment of a case to another over the cases that have both."""

    n: int
    median_s: float | None
    p90_s: float | None
    mean_s: float | None
    min_s: float | None
    max_s: float | None
    cases: tuple[str, ...]
    values_s: tuple[float, ...] = field(repr=False, default=())  # in the order of ``cases``
    not_known: NotKnown | None = None


def count(cases: Iterable[CaseFacts], value: int | None = None) -> Count:
    numbers = tuple([c.number for c in cases])
    return Count(len(numbers) if value is None else value, numbers)


def breakdown(
    cases: Sequence[CaseFacts], key: Callable[[CaseFacts], str], order: Sequence[str] = ()
) -> dict[str, Count]:
    """Cases by ``key`` (empty → NOT_RECORDED): the keys of ``order`` first (even at zero),
    then the others by count, largest first."""
    groups: dict[str, list[str]] = {name: [] for name in order}
    for case in cases:
        groups.setdefault(key(case) or NOT_RECORDED, []).append(case.number)
    rest = sorted((k for k in groups if k not in order), key=lambda k: (-len(groups[k]), k))
    return {k: Count(len(groups[k]), tuple(groups[k])) for k in [*order, *rest]}


def durations(
    cases: Sequence[CaseFacts], seconds: Callable[[CaseFacts], float | None], *, reason: str
) -> Durations:
    """The durations ``seconds`` of each case that has one; the others are not known, for
    ``reason``."""
    counted, values, missing = [], [], []
    for case in cases:
        value = seconds(case)
        if value is None:
            missing.append(case.number)
        else:
            counted.append(case.number)
            values.append(value)
    return Durations(
        n=len(values),
        median_s=median(values),
        p90_s=percentile_nearest_rank(values, 0.9),
        mean_s=mean(values),
        min_s=min(values, default=None),
        max_s=max(values, default=None),
        cases=tuple(counted),
        values_s=tuple(values),
        not_known=NotKnown(reason, len(missing), tuple(missing)) if missing else None,
    )


@dataclass(frozen=True)
class CaseSection:
    opened: Count
    closed: Count
    open_at_end: Count
    by_phase: dict[str, Count]
    by_nature: dict[str, Count]
    by_vessel_type: dict[str, Count]
    by_flag: dict[str, Count]
    by_source: dict[str, Count]
    beacon_tests: Count
    dsc_cancelled: Count
    false_alerts: Amount


FALSE_ALERT_OUTCOMES = ("false-alert", "hoax")  # sarapp.outcomes: no distress existed
BEACON_TEST_OUTCOME = "beacon-test"
FALSE_ALERTS_SOURCE = "closing outcome: false alert or hoax"
FALSE_ALERTS_UNKNOWN = (
    "no closing outcome is recorded for these cases (still open, closed without one, or "
    "closed by an older sarapp): whether they were false alerts is not known"
)


def case_section(
    opened: Sequence[CaseFacts], closed: Sequence[CaseFacts], end: datetime
) -> CaseSection:
    """``opened``: the cases opened in the scope; ``closed``: those closed in it; ``end``:
    the end of the scope (a case not closed before it was open at the end)."""
    return CaseSection(
        opened=count(opened),
        closed=count(closed),
        open_at_end=count(c for c in opened if c.closed is None or c.closed >= end),
        by_phase=breakdown(opened, lambda c: c.phase_highest, PHASES),
        by_nature=breakdown(opened, lambda c: c.nature),
        by_vessel_type=breakdown(opened, lambda c: c.vessel_type),
        by_flag=breakdown(opened, lambda c: c.flag),
        by_source=breakdown(opened, lambda c: c.source, tuple(SOURCES)),
        beacon_tests=count(c for c in opened if c.test or c.outcome == BEACON_TEST_OUTCOME),
        dsc_cancelled=count(c for c in opened if c.dsc_cancelled),
        false_alerts=false_alerts(opened),
    )


def false_alerts(opened: Sequence[CaseFacts]) -> Amount:
    """Cases whose closing outcome says no distress existed; the cases without an outcome
    are listed as not known."""
    false = [c.number for c in opened if c.outcome in FALSE_ALERT_OUTCOMES]
    unknown = tuple(c.number for c in opened if not c.outcome)
    return Amount(
        len(false),
        "cases",
        FALSE_ALERTS_SOURCE,
        tuple(false),
        NotKnown(FALSE_ALERTS_UNKNOWN, len(unknown), unknown) if unknown else None,
    )


@dataclass(frozen=True)
class TimeSection:
    alert_to_tasking: Durations
    alert_to_on_scene: Durations
    alert_to_closure: Durations


def time_section(opened: Sequence[CaseFacts]) -> TimeSection:
    return TimeSection(
        alert_to_tasking=durations(
            opened, lambda c: c.response_s[0], reason="no unit was tasked (no search plan)"
        ),
        alert_to_on_scene=durations(
            opened,
            lambda c: c.response_s[1],
            reason=(
                "no position of a tasked registered unit inside its search area after the "
                "tasking (a unit on scene is not otherwise recorded in a form the desk reads)"
            ),
        ),
        alert_to_closure=durations(opened, lambda c: c.response_s[2], reason="not closed"),
    )


@dataclass(frozen=True)
class MeansSection:
    units_tasked: Count  # value: taskings of a unit in a case (a unit counts once per case)
    units_by_type: dict[str, Count]
    plans: Count
    plans_by_type: dict[str, Count]
    plans_by_status: dict[str, Count]
    hours_searched: Amount
    area_covered_nm2: Amount


def means_section(opened: Sequence[CaseFacts]) -> MeansSection:
    taskings: dict[str, list[str]] = {}  # unit type → the case number of each tasking
    plans_by_type: dict[str, list[str]] = {}
    plans_by_status: dict[str, list[str]] = {s: [] for s in ("planned", "done", "cancelled")}
    for case in opened:
        for _, unit_type in case.tasked_units:
            taskings.setdefault(unit_type, []).append(case.number)
        for plan in case.plans:
            plans_by_type.setdefault(plan.unit_type, []).append(case.number)
            plans_by_status.setdefault(plan.status, []).append(case.number)
    with_plans = [c.number for c in opened if c.plans]
    return MeansSection(
        units_tasked=_items(sum(len(c.tasked_units) for c in opened), with_plans),
        units_by_type={k: _items(len(v), v) for k, v in sorted(taskings.items())},
        plans=_items(sum(len(c.plans) for c in opened), with_plans),
        plans_by_type={k: _items(len(v), v) for k, v in sorted(plans_by_type.items())},
        plans_by_status={k: _items(len(v), v) for k, v in plans_by_status.items()},
        hours_searched=_searched(
            opened, "hours", "h", "the search plan's window (end − start)", "window"
        ),
        area_covered_nm2=_searched(
            opened,
            "area_nm2",
            "NM²",
            "the search plan's rectangle (pattern and track spacing)",
            "area (no track spacing or sweep width)",
        ),
    )


def _items(value: int, numbers: Sequence[str]) -> Count:
    """``value`` items counted in the cases ``numbers`` (each named once)."""
    return Count(value, tuple(dict.fromkeys(numbers)))


def _searched(opened: Sequence[CaseFacts], name: str, unit: str, source: str, what: str) -> Amount:
    """The sum of a figure of the searches reported done; those without it are not known."""
    total, counted, missing, missing_plans = 0.0, [], [], 0
    for case in opened:
        value, having, lacking = case.searched[name]
        total += value
        if having:
            counted.append(case.number)
        if lacking:
            missing.append(case.number)
            missing_plans += lacking
    reason = f"searches reported done without a {what}"
    not_known = NotKnown(reason, missing_plans, tuple(missing)) if missing else None
    return Amount(round(total, 3), unit, source, tuple(counted), not_known)
