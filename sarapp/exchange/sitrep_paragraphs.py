"""The SITREP paragraphs written from the desk's own records rather than typed in:

- B's movement: course and speed only between positions of the casualty the coordinator
  accepted (each made the last known position), never a Doppler solution (one of an
  ambiguous mirror pair, which may flip from pass to pass), and only when the distance moved
  is more than the positions' uncertainty; else "COURSE AND SPEED NOT KNOWN".
- F: the co-ordinating RCC as the case's coordination history (in its log) says.
- J: the co-ordinating actions, in plain words, from what the log's entries record (phase,
  drift, tasking, searches done, handover, SITREPs sent) — never the log pasted verbatim.
- K: each tasked search: unit, pattern, its area (corner points) or CSP, track spacing.

Numbers are rounded as a coordinator writes them: NM and knots to one decimal, courses to
the degree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sarapp.exchange.sitrep_form import SitrepForm
from sarapp.geo import KNOT, NM, format_dtg, inverse
from sarapp.model import Case, DriftRecord, EntryKind, LogEntry, Position
from sarapp.model_plans import SearchPlanRecord
from sarapp.planning.errors import PlanningError
from sarapp.planning.patterns import pattern_code

MAX_ACTIONS = 12  # actions listed in paragraph J; earlier ones are counted
NOT_KNOWN = "COURSE AND SPEED NOT KNOWN"
AMBIGUOUS_SOURCES = ("doppler-A", "doppler-B")  # the two mirror solutions of one pass
AREA_PATTERNS = ("parallel-track", "creeping-line", "coordinated-creeping-line")


def accepted_track(
    case: Case, positions: Sequence[Position], log: Sequence[LogEntry]
) -> list[Position]:
    """The casualty's positions the coordinator accepted, oldest first: each one made the
    LKP (by hand or by the alert intake), none of them a Doppler solution."""
    ids = {
        e.data.get("position_id") for e in log if e.kind is EntryKind.POSITION and e.data.get("lkp")
    }
    if case.lkp is not None:
        ids.add(case.lkp.id)
    track = [p for p in positions if p.id in ids and p.time and p.source not in AMBIGUOUS_SOURCES]
    return sorted(track, key=lambda p: p.time)


def movement(case: Case, positions: Sequence[Position], log: Sequence[LogEntry]) -> str:
    """``MOVING 034°T 4.4 KN`` between the last two accepted positions, or NOT KNOWN."""
    track = accepted_track(case, positions, log)
    if len(track) < 2:
        return NOT_KNOWN
    a, b = track[-2], track[-1]
    seconds = (b.time - a.time).total_seconds()
    metres, bearing = inverse(a.lat, a.lon, b.lat, b.lon)
    uncertainty = (a.accuracy_m or 0.0) + (b.accuracy_m or 0.0)
    if seconds <= 0 or metres <= uncertainty:
        return NOT_KNOWN  # the same moment, or a move within the positions' own error
    return f"MOVING {round(bearing) % 360:03d}°T {metres / seconds / KNOT:.1f} KN"


def coordinating_rcc(log: Sequence[LogEntry]) -> str | None:
    """The RCC that coordinates by the latest ``coordinating``/``accepted`` event logged."""
    latest: tuple[str, str] | None = None
    for entry in log:
        event = entry.data.get("coordination")
        if isinstance(event, dict) and event.get("event") in ("coordinating", "accepted"):
            when = str(event.get("time") or "")
            if latest is None or when >= latest[0]:
                name = str(event.get("rcc_name") or event.get("rcc_id") or "")
                latest = (when, name) if name else latest
    return latest[1] if latest else None


def actions(
    log: Sequence[LogEntry],
    *,
    drift_runs: Sequence[DriftRecord],
    plans: Sequence[SearchPlanRecord],
    form: SitrepForm,
    now: datetime,
) -> str:
    """Paragraph J: one short clause per co-ordinating action, in time order."""
    runs = {r.id: r for r in drift_runs}
    tasked = {p.id: p for p in plans}
    found = []
    for entry in sorted(log, key=lambda e: (e.time, e.seq)):
        words = _action(entry, runs, tasked, form)
        if words:
            found.append(f"{_when(entry.time, now)} {words}")
    if not found:
        return "NIL"
    shown = found[-MAX_ACTIONS:]
    earlier = len(found) - len(shown)
    lead = [f"{earlier} EARLIER ACTIONS IN THE CASE LOG"] if earlier else []
    return "; ".join(lead + shown)


def _action(
    entry: LogEntry,
    runs: dict[str, DriftRecord],
    plans: dict[str, SearchPlanRecord],
    form: SitrepForm,
) -> str:
    data = entry.data
    if entry.kind is EntryKind.CREATED:
        return "CASE OPENED"
    if entry.kind is EntryKind.ALERT:
        return "DISTRESS ALERT RECEIVED"
    if entry.kind is EntryKind.PHASE:
        return f"{data.get('new', 'PHASE')} DECLARED"
    if entry.kind is EntryKind.STATUS:
        return "CASE CLOSED" if data.get("new") == "closed" else "CASE REOPENED"
    event = data.get("coordination")
    if isinstance(event, dict):
        rcc = event.get("rcc_id", "")
        return {
            "coordinating": f"{rcc} CO-ORDINATING",
            "proposed": f"HANDOVER OF CO-ORDINATION PROPOSED TO {rcc}",
            "accepted": f"CO-ORDINATION ACCEPTED BY {rcc}",
            "declined": f"HANDOVER OF CO-ORDINATION DECLINED BY {rcc}",
        }.get(str(event.get("event")), "")
    if isinstance(data.get("sitrep_number"), int):
        to = (data.get("handover") or {}).get("to") or ""
        return f"SITREP {data['sitrep_number']} SENT" + (f" TO {to}" if to else "")
    handover = data.get("handover")
    if (
        isinstance(handover, dict)
        and handover.get("purpose") == "information"
        and handover.get("to")
    ):
        return f"CASE INFORMATION SENT TO {handover['to']}"
    if "drift_run" in data:
        return _drift_action(runs.get(str(data["drift_run"])), form)
    plan = plans.get(str(data.get("search_plan")))
    if plan is not None:
        return _plan_action(plan, data.get("status"))
    return ""


def _drift_action(run: DriftRecord | None, form: SitrepForm) -> str:
    try:
        end = run.summary["datum_track"][-1]  # type: ignore[union-attr]
        hours = float(run.params["hours"])  # type: ignore[union-attr]
        datum = form.position(float(end["lat"]), float(end["lon"]))
        when = format_dtg(datetime.fromisoformat(end["time"]))
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        return "DRIFT COMPUTED"
    return f"DRIFT COMPUTED OVER {hours:g} H, DATUM {datum} AT {when}"


def _plan_action(plan: SearchPlanRecord, status: Any) -> str:
    if status == "planned":
        returning = plan.params.get("returning", True) is not False
        code = pattern_code(plan.pattern, returning=returning)
        return f"{plan.unit_name} TASKED WITH {plan.pattern.replace('-', ' ')} SEARCH ({code})"
    if status == "done":
        return f"SEARCH BY {plan.unit_name} COMPLETED, NOTHING FOUND"
    if status == "cancelled":
        return f"SEARCH BY {plan.unit_name} CANCELLED"
    return ""


def search_area(plans: Sequence[SearchPlanRecord], form: SitrepForm) -> str:
    """Paragraph K: each search tasked or done (cancelled ones left out), oldest first."""
    parts = [_plan_area(p, form) for p in plans if p.status != "cancelled"]
    return "; ".join(parts) or "NIL"


def _plan_area(plan: SearchPlanRecord, form: SitrepForm) -> str:
    from sarapp.planning.tasking import plan_rectangle  # the planning stack loads on use

    params = plan.params
    returning = params.get("returning", True) is not False
    name = plan.pattern.replace("-", " ").upper()
    text = f"{plan.unit_name} {name} ({pattern_code(plan.pattern, returning=returning)})"
    csp = plan.waypoints[0]
    if plan.pattern in AREA_PATTERNS:
        try:
            corners = plan_rectangle(plan).corners[:4]
            text += " AREA " + " - ".join(form.position(lat, lon) for lat, lon in corners)
        except (PlanningError, ValueError, KeyError):
            text += f" CSP {form.position(csp.lat, csp.lon)}"
    else:
        text += f" CSP {form.position(csp.lat, csp.lon)}"
    spacing, radius = params.get("spacing_nm"), params.get("radius_nm")
    if spacing:
        text += f", TRACK SPACING {float(spacing):.1f} NM"
    elif radius:
        text += f", RADIUS {float(radius):.1f} NM"
    if plan.start and plan.end:
        text += f", {format_dtg(plan.start)} TO {format_dtg(plan.end)}"
    return text + (", COMPLETED" if plan.status == "done" else "")


def _when(time: datetime, now: datetime) -> str:
    """``141230Z`` within the SITREP's month, else the whole DTG."""
    dtg = format_dtg(time)
    return dtg.split(" ")[0] if (time.year, time.month) == (now.year, now.month) else dtg


def uncertainty_nm(position: Position) -> str:
    return f", ±{position.accuracy_m / NM:.1f} NM" if position.accuracy_m is not None else ""


__all__ = [
    "accepted_track",
    "actions",
    "coordinating_rcc",
    "movement",
    "search_area",
]
