"""What a sync did, in lines a coordinator reads (the CLI prints them, the app shows them):
per case what came to the laptop and what went to the centre, and the conflicts still open."""

from __future__ import annotations

from sarapp.exchange.sync import CaseReport, SyncReport
from sarapp.model_sync import CaseSync

_WORDS = (
    ("entries", "entry", "entries"),
    ("positions", "position", "positions"),
    ("drift_runs", "drift run", "drift runs"),
    ("units", "unit", "units"),
    ("unit_positions", "unit position", "unit positions"),
    ("plans", "plan", "plans"),
    ("updated_plans", "updated plan", "updated plans"),
)


def what_moved(moved: CaseSync) -> str:
    """``3 entries, 1 position`` (``nothing`` when nothing moved)."""
    parts = ["the case itself"] if moved.created else []
    for name, one, many in _WORDS:
        count = getattr(moved, name)
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    if moved.updated_fields:
        parts.append("fields " + ", ".join(moved.updated_fields))
    if moved.conflicts:
        parts.append(f"{len(moved.conflicts)} conflict{'s' if len(moved.conflicts) > 1 else ''}")
    return ", ".join(parts) or "nothing"


def case_lines(case: CaseReport, centre: str) -> list[str]:
    """One line for the case, and one per conflict an officer must settle."""
    lines = [
        f"case {case.number or case.case_id}: came from {centre}: {what_moved(case.came)}; "
        f"went to {centre}: {what_moved(case.went)}"
    ]
    for conflict in case.open:
        lines.append(
            f"  conflict on {conflict.field}: here {conflict.here!r} ({conflict.here_by}), "
            f"at {centre} {conflict.there!r} ({conflict.there_by}): an officer decides"
        )
    return lines


def summary_lines(report: SyncReport) -> list[str]:
    """The whole sync: each case, the cases the centre took back, and a closing line."""
    lines = []
    for case in report.cases:
        lines += case_lines(case, report.centre)
    for case_id in report.withdrawn:
        lines.append(f"case {case_id}: taken back by {report.centre}; this laptop keeps its copy")
    if not report.cases:
        lines.append(f"no case is given to {report.laptop} by {report.centre}")
    moved = sum(not (c.came.is_empty and c.went.is_empty) for c in report.cases)
    conflicts = sum(len(c.open) for c in report.cases)
    lines.append(
        f"synced {len(report.cases)} case{'s' if len(report.cases) != 1 else ''} with "
        f"{report.centre} ({moved} changed, {conflicts} open conflict"
        f"{'s' if conflicts != 1 else ''})"
    )
    return lines


__all__ = ["case_lines", "summary_lines", "what_moved"]
