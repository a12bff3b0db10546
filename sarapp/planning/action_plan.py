"""The search action plan of one unit as plain sections, so the PDF (``sarapp.ui.plan_pdf``),
tests and any text export say the same thing.

Layout after the IAMSAR search action plan message: situation (SITREP style), search object,
weather on scene, the unit's search (pattern, CSP, first course, track spacing, legs and
waypoints in DDM, area), execution (time window as DTGs, POD, coverage), coordination,
communications (left blank to fill by hand) and reports. Distances NM, courses ° true.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sarapp.drift.categories import leeway_category
from sarapp.drift.errors import DriftError
from sarapp.geo import format_ddm, format_dtg, format_lat_ddm, format_lon_ddm
from sarapp.model import Case, DriftRecord
from sarapp.model_plans import SearchPlanRecord
from sarapp.planning.errors import PlanningError
from sarapp.planning.patterns import SearchPattern
from sarapp.planning.tasking import plan_pattern, plan_rectangle

KNOT_MS = 1852.0 / 3600.0
PATTERN_NAMES = {
    "expanding-square": "Expanding square",
    "sector": "Sector search",
    "parallel-track": "Parallel track",
    "creeping-line": "Creeping line",
    "coordinated-creeping-line": "Coordinated creeping line (with a surface unit)",
    "track-line": "Track line",
}
BLANK = "________________"


@dataclass(frozen=True)
class Section:
    """A titled block: ``lines`` of text, then an optional table (header row first)."""

    title: str
    lines: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ActionPlan:
    """The plan's heading and its sections, in print order."""

    heading: str
    subheading: str
    sections: tuple[Section, ...]

    def text(self) -> str:
        """Plain text (for logs and tests): heading, then each section's lines and rows."""
        out = [self.heading, self.subheading]
        for number, section in enumerate(self.sections, start=1):
            out += ["", f"{number}. {section.title.upper()}", *section.lines]
            out += ["  ".join(row) for row in section.table]
        return "\n".join(out) + "\n"


def _situation(case: Case, drift: DriftRecord | None) -> Section:
    lines = [f"Case {case.number}: {case.title} ({case.phase.value})"]
    if case.vessel_name or case.call_sign or case.mmsi:
        ident = ", ".join(
            x for x in (case.vessel_name, case.call_sign, case.mmsi and f"MMSI {case.mmsi}") if x
        )
        lines.append(f"Vessel: {ident}")
    if case.nature:
        lines.append(f"Nature of distress: {case.nature}")
    if case.pob is not None:
        lines.append(f"Persons on board: {case.pob}")
    if case.lkp is not None:
        when = format_dtg(case.lkp.time) if case.lkp.time else "time unknown"
        lines.append(f"Last known position: {format_ddm(case.lkp.lat, case.lkp.lon)} at {when}")
    if drift is not None:
        end = drift.summary["datum_track"][-1]
        datum = format_ddm(end["lat"], end["lon"])
        lines.append(f"Datum (drift {drift.id[:8]}): {datum} at {_dtg_text(end['time'])}")
    return Section("Situation", tuple(lines))


def _dtg_text(iso: str) -> str:
    return format_dtg(datetime.fromisoformat(iso))


def _search_object(case: Case, drift: DriftRecord | None) -> Section:
    lines = []
    if drift is not None:
        try:
            category = leeway_category(drift.params["category"])
            lines.append(f"{category.key}: {category.name}")
        except (DriftError, KeyError):
            pass
    if case.vessel_description or case.vessel_type:
        lines.append(", ".join(x for x in (case.vessel_type, case.vessel_description) if x))
    return Section("Search object", tuple(lines) or ("As briefed by the SMC",))


def _weather(drift: DriftRecord | None) -> Section:
    """Wind and current of the drift when they were given as constants, else to be briefed."""
    lines = []
    forcing = drift.forcing if drift is not None else {}
    wind, current = forcing.get("wind", {}), forcing.get("current", {})
    if wind.get("type") == "uniform":
        u, v = wind["u"], wind["v"]
        speed = math.hypot(u, v) / KNOT_MS
        lines.append(f"Wind {math.degrees(math.atan2(-u, -v)) % 360:03.0f}° {speed:.0f} kt")
    if current.get("type") == "uniform":
        u, v = current["u"], current["v"]
        speed = math.hypot(u, v) / KNOT_MS
        lines.append(
            f"Total water current towards {math.degrees(math.atan2(u, v)) % 360:03.0f}° "
            f"{speed:.1f} kt"
        )
    lines.append(f"Visibility, sea state, ceiling: {BLANK}")
    return Section("Weather on scene", tuple(lines))


def _search(plan: SearchPlanRecord, laid: SearchPattern | None) -> list[Section]:
    p = plan.params
    name = PATTERN_NAMES.get(plan.pattern, plan.pattern)
    code = p.get("code", laid.code if laid else "")
    csp = plan.waypoints[0]
    lines = [f"Unit: {plan.unit_name}", f"Pattern: {name} ({code})"]
    lines.append(f"Commence search point: {format_ddm(csp.lat, csp.lon)}")
    if p.get("course_deg") is not None:
        lines.append(f"First course: {float(p['course_deg']):03.0f}°T")
    if p.get("spacing_nm"):
        lines.append(f"Track spacing: {float(p['spacing_nm']):g} NM")
    sizes = [
        f"{label} {float(p[key]):g} NM"
        for key, label in (("width_nm", "width"), ("length_nm", "length"), ("radius_nm", "radius"))
        if p.get(key)
    ]
    if p.get("legs"):
        sizes.append(f"{p['legs']} legs")
    if sizes:
        lines.append("Size: " + ", ".join(sizes))
    if laid is not None and laid.surface_track:
        start, end = laid.surface_track
        lines.append(
            f"Surface unit: from {format_ddm(start.lat, start.lon)} steer "
            f"{float(p['course_deg']):03.0f}°T at {laid.surface_speed_kt:.1f} kt to "
            f"{format_ddm(end.lat, end.lon)}, abeam the aircraft's cross legs "
            f"(aircraft {float(p['aircraft_speed_kt']):g} kt)"
        )
    try:
        rect = plan_rectangle(plan)
        lines.append(
            f"Area: {rect.length_nm:.1f} × {rect.width_nm:.1f} NM ({rect.area_nm2:.0f} NM²) "
            f"centred {format_ddm(rect.centre_lat, rect.centre_lon)}, long side "
            f"{rect.orientation_deg:03.0f}°T"
        )
    except PlanningError:
        pass
    sections = [Section(f"Search by {plan.unit_name}", tuple(lines))]
    if laid is not None:
        rows = [("Leg", "From", "To", "Course °T", "Length NM", "")]
        for i, leg in enumerate(laid.legs):
            rows.append(
                (
                    str(i + 1),
                    laid.waypoints[i].name,
                    laid.waypoints[i + 1].name,
                    f"{leg.course_deg:05.1f}",
                    f"{leg.length_nm:.2f}",
                    "search" if leg.searching else "crossing",
                )
            )
        total = f"Total track {laid.track_length_nm:.1f} NM"
        sections.append(Section("Legs", (total,), tuple(rows)))
    waypoints = [("Waypoint", "Latitude", "Longitude")]
    waypoints += [(w.name, format_lat_ddm(w.lat), format_lon_ddm(w.lon)) for w in plan.waypoints]
    sections.append(Section("Waypoints (WGS84)", (), tuple(waypoints)))
    return sections


def _execution(plan: SearchPlanRecord) -> Section:
    p = plan.params
    start = format_dtg(plan.start) if plan.start else BLANK
    end = format_dtg(plan.end) if plan.end else BLANK
    lines = [f"On scene: from {start} to {end}"]
    if plan.pod is not None:
        lines.append(f"Probability of detection (POD) in the area: {plan.pod:.0%}")
    if p.get("sweep_width_nm"):
        lines.append(f"Sweep width: {float(p['sweep_width_nm']):g} NM")
    if p.get("coverage") is not None:
        lines.append(f"Coverage: {float(p['coverage']):.2f} ({p.get('conditions', 'normal')})")
    lines.append(f"Status: {plan.status}")
    return Section("Execution", tuple(lines))


def action_plan(
    *, case: Case, plan: SearchPlanRecord, drift: DriftRecord | None = None
) -> ActionPlan:
    """The search action plan of ``plan`` for its unit, in the case's words."""
    try:
        laid: SearchPattern | None = plan_pattern(plan)
    except (PlanningError, KeyError, TypeError):
        laid = None
    smc = case.smc or BLANK
    sections = [
        _situation(case, drift),
        _search_object(case, drift),
        _weather(drift),
        *_search(plan, laid),
        _execution(plan),
        Section(
            "Coordination",
            (f"SAR mission coordinator: {smc}", f"RCC: {case.rcc or BLANK}", f"OSC: {BLANK}"),
        ),
        Section(
            "Communications",
            (f"Primary: {BLANK}", f"Secondary: {BLANK}", f"On scene: {BLANK}"),
        ),
        Section(
            "Reports",
            (
                "On arrival on scene, every hour, and at the end of the search: areas searched, "
                "track spacing and POD achieved, weather on scene, sightings.",
            ),
        ),
    ]
    return ActionPlan(
        heading=f"SEARCH ACTION PLAN — {plan.unit_name}",
        subheading=f"Case {case.number}: {case.title}. Plan {plan.id[:8]}, "
        f"tasked {format_dtg(plan.created)} by {plan.author}",
        sections=tuple(sections),
    )
