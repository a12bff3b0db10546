"""The annual report of a desk: the year's figures in total, per responsible RCC and per
month, made from the store's rows in a generator that yields its progress (0–1) and stops
when closed (convention 3), so the app runs it in a worker and the CLI runs it to the end.

A case counts in the year (and month) it was opened, for every figure but one: "closed"
counts the cases whose closing falls in the year (or month), whenever they were opened.
"""

from __future__ import annotations

import gc
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sarapp.errors import SarappError
from sarapp.model import utc_now
from sarapp.model_report import ReportRccRow
from sarapp.report.cooperation import CooperationSection, cooperation_section
from sarapp.report.facts import (
    CaseFacts,
    area_queries,
    by_case,
    case_facts,
    first_inside,
    plan_boxes,
    plan_facts,
)
from sarapp.report.figures import (
    CaseSection,
    MeansSection,
    TimeSection,
    case_section,
    means_section,
    time_section,
)
from sarapp.report.people import CasePeople, PeopleSection, case_people, people_section
from sarapp.store import Desk

FIRST_YEAR, LAST_YEAR = 1970, 9998
NOT_RECORDED_RCC = "(not recorded)"


class ReportError(SarappError, ValueError):
    """A report that cannot be made as asked (a year out of range, an RCC with no case)."""


@dataclass(frozen=True)
class Sections:
    """Every figure of one scope (the year, a month, an RCC)."""

    cases: CaseSection
    people: PeopleSection
    times: TimeSection
    means: MeansSection
    cooperation: CooperationSection


@dataclass(frozen=True)
class AnnualReport:
    """``cases``: every case the report counts (opened or closed in the year), in opening
    order; ``rccs``: the responsible RCCs of the year before any ``rcc`` filter."""

    year: int
    rcc: str | None
    generated: datetime
    desk_rcc: ReportRccRow | None
    rccs: tuple[str, ...]
    total: Sections
    by_month: dict[int, Sections]
    by_rcc: dict[str, Sections]
    cases: tuple[CaseFacts, ...]
    people: dict[str, CasePeople]  # of each case counted, by case id

    @property
    def start(self) -> datetime:
        return year_start(self.year)

    @property
    def end(self) -> datetime:
        return year_start(self.year + 1)


def year_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=UTC)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ReportError(f"year {year} is out of range ({FIRST_YEAR}–{LAST_YEAR})")
    return year


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Collect cycles less often while the report is built: it makes hundreds of thousands of
    small acyclic objects (rows, facts, case lists), and the default collection every 700
    allocations took a sixth of the time of a report of 10,000 cases."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def annual_report(
    store: Desk, *, year: int, rcc: str | None = None, now: datetime | None = None
) -> Generator[float, None, AnnualReport]:
    """The report of ``year`` (of RCC ``rcc`` only, when given) from ``store``."""
    check_year(year)
    with bulk_allocation():
        return (yield from _annual_report(store, year=year, rcc=rcc, now=now))


def _annual_report(
    store: Desk, *, year: int, rcc: str | None, now: datetime | None
) -> Generator[float, None, AnnualReport]:
    start, end = year_start(year), year_start(year + 1)
    yield 0.0
    with store.reports.period(start, end) as period:
        cases = store.reports.cases(period)
        yield 0.15
        events = by_case(store.reports.events(period))
        yield 0.3
        alerts = by_case(store.reports.alerts(period))
        yield 0.4
        plan_rows = store.reports.plans(period)
        boxes = plan_boxes(plan_rows)
        yield 0.5
        on_scene = first_inside(store.reports.unit_fixes(area_queries(plan_rows, boxes)), boxes)
        yield 0.6
        coordination = by_case(store.reports.coordination(period))
        packages = by_case(store.reports.packages(period))
        registers = {r.case_id: r for r in store.reports.registers(period)}
        rcc_rows = store.reports.rccs()
    rccs = {r.rcc_id: r for r in reversed(rcc_rows)}  # this desk wins over a peer's entry
    own = next((r for r in rcc_rows if r.own), None)
    plans = by_case(plan_rows)
    yield 0.7
    facts = []
    for i, case in enumerate(cases):
        facts.append(
            case_facts(
                case,
                events=events.get(case.id, ()),
                alerts=alerts.get(case.id, ()),
                plans=[plan_facts(p, boxes[p.id], on_scene.get(p.id)) for p in plans[case.id]]
                if case.id in plans
                else (),
                coordination=coordination.get(case.id, ()),
                packages=packages.get(case.id, ()),
                rccs=rccs,
                own=own,
                register=registers.get(case.id),
            )
        )
        if i % 500 == 499:
            yield 0.7 + 0.2 * i / len(cases)
    all_rccs = tuple(sorted({f.rcc or NOT_RECORDED_RCC for f in facts}))
    if rcc is not None:
        facts = _of_rcc(facts, rcc, all_rccs, year)
    yield 0.9
    people = {f.id: case_people(f) for f in facts}
    opened = [f for f in facts if start <= f.opened < end]
    closed = [f for f in facts if f.closed is not None and start <= f.closed < end]
    total = sections(opened, closed, rccs, people, end)
    yield 0.93
    by_rcc = {}
    for name in sorted({f.rcc or NOT_RECORDED_RCC for f in facts}):
        of_rcc = [f for f in opened if (f.rcc or NOT_RECORDED_RCC) == name]
        closed_there = [f for f in closed if (f.rcc or NOT_RECORDED_RCC) == name]
        by_rcc[name] = sections(of_rcc, closed_there, rccs, people, end)
        yield 0.96
    by_month = {}
    for month in range(1, 13):
        month_end = month_bounds(year, month)[1]
        by_month[month] = sections(
            [f for f in opened if f.opened.month == month],
            [f for f in closed if f.closed.month == month],  # type: ignore[union-attr]
            rccs,
            people,
            month_end,
        )
        yield 0.96 + 0.03 * month / 12
    return AnnualReport(
        year=year,
        rcc=rcc,
        generated=now or utc_now(),
        desk_rcc=own,
        rccs=all_rccs,
        total=total,
        by_month=by_month,
        by_rcc=by_rcc,
        cases=tuple(facts),
        people=people,
    )


def sections(
    opened: Sequence[CaseFacts],
    closed: Sequence[CaseFacts],
    rccs: dict[str, ReportRccRow],
    people: dict[str, CasePeople],
    end: datetime,
) -> Sections:
    """The figures of a scope: ``opened`` the cases opened in it, ``closed`` those closed in
    it, ``end`` its end (a case not closed by then was open at its end)."""
    return Sections(
        cases=case_section(opened, closed, end),
        people=people_section(opened, people),
        times=time_section(opened),
        means=means_section(opened),
        cooperation=cooperation_section(opened, rccs),
    )


def _of_rcc(facts: list[CaseFacts], rcc: str, known: Sequence[str], year: int) -> list[CaseFacts]:
    wanted = rcc.strip().casefold()
    chosen = [f for f in facts if (f.rcc or NOT_RECORDED_RCC).casefold() == wanted]
    if not chosen:
        listed = ", ".join(known) or "none"
        raise ReportError(
            f"no case of {year} has the responsible RCC {rcc!r} (RCCs of {year}: {listed})"
        )
    return chosen
