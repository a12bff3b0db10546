"""The report as tables, shared by the CSV files (one per table) and the PDF.

Cells are plain values (text, numbers, UTC datetimes, None for "not known"); each face formats
them its own way (CSV: ISO 8601 and full numbers; PDF: DTGs and rounded numbers). Durations
are in minutes, hours in hours, areas in NM².
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sarapp.report.annual import AnnualReport, Sections
from sarapp.report.facts import PHASES, SOURCES, CaseFacts
from sarapp.report.figures import Amount, Count, Durations
from sarapp.report.people import OUTCOMES, CasePeople

Cell = str | int | float | datetime | None


@dataclass(frozen=True)
class Table:
    name: str  # file name stem of its CSV
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)


def _amount(figure: Amount) -> Cell:
    return figure.value


def summary_table(s: Sections) -> Table:
    c, p, m, k = s.cases, s.people, s.means, s.cooperation
    rows: list[tuple[Cell, ...]] = [
        ("Cases opened", c.opened.value, "cases", ""),
        ("Cases closed", c.closed.value, "cases", "closed in the period, whenever opened"),
        ("Cases open at the end of the period", c.open_at_end.value, "cases", ""),
        (
            "Beacon and device tests that opened cases",
            c.beacon_tests.value,
            "cases",
            "a test alert, or closed as a beacon test",
        ),
        ("DSC alerts cancelled by their sender", c.dsc_cancelled.value, "cases", ""),
        ("False alerts", c.false_alerts.value, "cases", _brief(c.false_alerts)),
        ("Persons in distress", p.in_distress.value, "persons", p.in_distress.source),
    ]
    rows += [
        (f"Persons {name}", _amount(getattr(p, name)), "persons", _brief(getattr(p, name)))
        for name in OUTCOMES
    ]
    rows += [
        ("Units tasked", m.units_tasked.value, "unit taskings", "a unit counts once per case"),
        ("Search plans", m.plans.value, "plans", ""),
        ("Hours searched", m.hours_searched.value, "h", m.hours_searched.source),
        ("Area covered", m.area_covered_nm2.value, "NM²", m.area_covered_nm2.source),
        ("Handovers of coordination proposed", k.handovers_proposed.value, "proposals", ""),
        ("Handovers accepted", k.handovers_accepted.value, "proposals", ""),
        ("Handovers declined", k.handovers_declined.value, "proposals", ""),
        ("Information packages sent", k.information_packages_sent.value, "packages", ""),
        ("… of them to the flag state", k.information_to_flag_state.value, "packages", ""),
        ("Flag state differs from the RCC's state", k.flag_differs.value, "cases", ""),
    ]
    return Table("summary", "Summary", ("Figure", "Value", "Unit", "Source / note"), tuple(rows))


def _brief(figure: Amount) -> str:
    if figure.value is None:
        return "not known: see People"
    return figure.source


def _source(figure: Amount) -> str:
    if figure.value is None and figure.not_known is not None:
        return "not known: " + figure.not_known.reason
    return figure.source


def month_table(report: AnnualReport) -> Table:
    rows = []
    for month, s in report.by_month.items():
        phases = [s.cases.by_phase[p].value for p in PHASES]
        rows.append(
            (
                f"{report.year}-{month:02d}",
                calendar.month_name[month],
                s.cases.opened.value,
                s.cases.closed.value,
                *phases,
                s.people.in_distress.value,
                s.means.units_tasked.value,
                s.means.hours_searched.value,
            )
        )
    header = ("Month", "Name", "Opened", "Closed", *PHASES, "Persons in distress")
    header += ("Units tasked", "Hours searched")
    return Table("cases_by_month", "Cases per month", header, tuple(rows))


def breakdown_table(name: str, title: str, label: str, figures: dict[str, Count]) -> Table:
    rows = tuple((key, figure.value) for key, figure in figures.items())
    return Table(name, title, (label, "Cases"), rows)


def source_table(s: Sections) -> Table:
    rows = tuple((SOURCES.get(key, key), figure.value) for key, figure in s.cases.by_source.items())
    return Table("cases_by_alert_source", "First alert source", ("Source", "Cases"), rows)


def people_table(s: Sections) -> Table:
    p = s.people
    rows = []
    for label, figure in (
        ("Persons in distress", p.in_distress),
        *((f"{n.capitalize()}", getattr(p, n)) for n in OUTCOMES),
        ("Outcome not recorded", p.outcome_not_recorded),
        ("Lives lost before notification", p.lives_lost_before_notification),
        ("Lives lost after notification", p.lives_lost_after_notification),
    ):
        rows.append((label, figure.value, _source(figure)))
    return Table("people", "People", ("Figure", "Persons", "Source"), tuple(rows))


def times_table(s: Sections) -> Table:
    rows = []
    for label, d in (
        ("First alert to first unit tasked", s.times.alert_to_tasking),
        ("First alert to first unit on scene", s.times.alert_to_on_scene),
        ("First alert to closure", s.times.alert_to_closure),
        ("Handover proposed to accepted", s.cooperation.time_to_acceptance),
    ):
        rows.append((label, *_duration_cells(d)))
    header = ("Interval", "Counted", "Median min", "90th percentile min", "Mean min")
    header += ("Shortest min", "Longest min", "Not known")
    return Table("response_times", "Response times", header, tuple(rows))


def _duration_cells(d: Durations) -> tuple[Cell, ...]:
    return (
        d.n,
        _minutes(d.median_s),
        _minutes(d.p90_s),
        _minutes(d.mean_s),
        _minutes(d.min_s),
        _minutes(d.max_s),
        d.not_known.value if d.not_known else 0,
    )


def unit_type_table(report: AnnualReport, s: Sections) -> Table:
    opened = _opened(report)
    rows = []
    for unit_type, tasked in s.means.units_by_type.items():
        plans = [p for c in opened for p in c.plans if p.unit_type == unit_type]
        done = [p for p in plans if p.status == "done"]
        hours = sum(p.hours for p in done if p.hours is not None)
        area = sum(p.area_nm2 for p in done if p.area_nm2 is not None)
        label = unit_type.replace("_", " ")
        rows.append((label, tasked.value, len(plans), len(done), round(hours, 3), round(area, 3)))
    header = ("Unit type", "Units tasked", "Plans", "Searches done", "Hours searched")
    return Table("means_by_unit_type", "Means", (*header, "Area NM²"), tuple(rows))


def cooperation_table(s: Sections) -> Table:
    k = s.cooperation
    rows = (
        ("Handovers of coordination proposed", k.handovers_proposed.value),
        ("Accepted", k.handovers_accepted.value),
        ("Declined", k.handovers_declined.value),
        ("No answer recorded", k.handovers_unanswered.value),
        ("Information packages sent", k.information_packages_sent.value),
        ("… not yet delivered (in the outbox)", k.information_packages_undelivered.value),
        ("… to an RCC of the flag state", k.information_to_flag_state.value),
        ("Cases: flag state differs from the coordinating RCC's", k.flag_differs.value),
        ("Cases: flag state is the coordinating RCC's", k.flag_same.value),
        ("Cases: flag or RCC state not known", k.flag_state_not_known.value),
    )
    return Table("cooperation", "Cooperation between states", ("Figure", "Value"), rows)


def rcc_table(report: AnnualReport) -> Table:
    rows = []
    for rcc, s in report.by_rcc.items():
        rows.append(
            (
                rcc,
                s.cases.opened.value,
                s.cases.closed.value,
                s.cases.by_phase["DETRESFA"].value,
                s.people.in_distress.value,
                s.means.units_tasked.value,
                s.means.hours_searched.value,
                s.cooperation.handovers_proposed.value,
                s.cooperation.flag_differs.value,
            )
        )
    header = ("Responsible RCC", "Opened", "Closed", "DETRESFA", "Persons in distress")
    header += ("Units tasked", "Hours searched", "Handovers proposed", "Flag differs")
    return Table("by_rcc", "Per responsible RCC", header, tuple(rows))


CASE_HEADER = (
    "Case",
    "Opened",
    "Responsible RCC",
    "Highest phase",
    "Closed",
    "Nature",
    "Vessel type",
    "Flag",
    "POB",
    "First alert source",
    "Test",
    "First tasked",
    "First on scene",
    "Plans",
    "Hours searched",
    "Area NM²",
)


def case_rows(
    cases: Sequence[CaseFacts], people: Mapping[str, CasePeople]
) -> tuple[tuple[Cell, ...], ...]:
    rows = []
    for c in cases:
        done = [p for p in c.plans if p.status == "done"]
        hours = [p.hours for p in done if p.hours is not None]
        area = [p.area_nm2 for p in done if p.area_nm2 is not None]
        rows.append(
            (
                c.number,
                c.opened,
                c.rcc,
                c.phase_highest,
                c.closed,
                c.nature or None,
                c.vessel_type or None,
                c.flag or None,
                people[c.id].in_distress,
                c.source,
                "yes" if c.test else "",
                c.first_tasked,
                c.first_on_scene,
                len(c.plans),
                round(sum(hours), 3) if hours else None,
                round(sum(area), 3) if area else None,
            )
        )
    return tuple(rows)


def cases_table(report: AnnualReport) -> Table:
    return Table(
        "cases",
        "Appendix: the cases counted",
        CASE_HEADER,
        case_rows(report.cases, report.people),
        note="every case the report counts: opened in the year, or closed in it",
    )


def report_tables(report: AnnualReport) -> list[Table]:
    s = report.total
    return [
        summary_table(s),
        month_table(report),
        breakdown_table("cases_by_phase", "Highest phase reached", "Phase", s.cases.by_phase),
        source_table(s),
        breakdown_table("cases_by_nature", "Nature of distress", "Nature", s.cases.by_nature),
        breakdown_table(
            "cases_by_vessel_type", "Vessel type", "Vessel type", s.cases.by_vessel_type
        ),
        breakdown_table("cases_by_flag", "Flag state", "Flag", s.cases.by_flag),
        people_table(s),
        times_table(s),
        unit_type_table(report, s),
        cooperation_table(s),
        rcc_table(report),
        cases_table(report),
    ]


def _opened(report: AnnualReport) -> list[CaseFacts]:
    return [c for c in report.cases if report.start <= c.opened < report.end]


def cell_text(value: Any) -> str:
    """A cell as CSV holds it: ISO 8601 UTC times, numbers as they are, empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)
