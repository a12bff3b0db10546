"""``db check`` of every stored time: the one form the desk writes, inside the sane window.

An older sarapp stored a year before 1000 without its leading zero (``999-11-26T…``), and
nothing stops a time of 1800 arriving from elsewhere; the desk reads such values (so it still
opens) and this check names each one, with its table, row and case.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from sarapp.store.sqlite.values import is_stored_form, time_from_text, time_to_text
from sarapp.times import AHEAD_ALLOWED

# (table, column, what it is, whether it is a report: held to now + 1 day, else only 1970)
TIME_COLUMNS: tuple[tuple[str, str, str, bool], ...] = (
    ("cases", "created", "opening time", True),
    ("cases", "updated", "last change", True),
    ("cases", "port_requested_at", "place of safety request time", True),
    ("cases", "port_assigned_at", "place of safety assignment time", True),
    ("cases", "disembark_eta", "expected disembarkation time", False),
    ("cases", "disembarked_at", "disembarkation time", True),
    ("persons", "recovered", "time of recovery", True),
    ("disclosures", "time", "disclosure time", True),
    ("positions", "time", "position time", True),
    ("positions", "recorded", "position recording time", True),
    ("log_entries", "time", "log entry time", True),
    ("alerts", "received", "alert reception time", True),
    ("units", "created", "unit registration time", True),
    ("units", "updated", "unit change time", True),
    ("unit_positions", "time", "unit position time", True),
    ("unit_positions", "recorded", "unit position recording time", True),
    ("drift_runs", "created", "drift run time", True),
    ("forcing_cache", "fetched", "forcing fetch time", True),
    ("coordination", "time", "coordination event time", True),
    ("packages", "time", "package time", True),
    ("packages", "created", "package creation time", True),
    ("trusted_keys", "added", "trust time", True),
    ("search_plans", "start", "search plan start", False),
    ("search_plans", "end", "search plan end", False),
    ("search_plans", "created", "search plan time", True),
    ("checkpoints", "time", "checkpoint time", True),
    ("outbox", "prepared", "outbox preparation time", True),
    ("outbox", "updated", "outbox change time", True),
)
_FORM = (
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]."
    + ("[0-9]" * 6)
    + "Z"
)
_KEYS = {"cases": "number", "units": "name", "forcing_cache": "key", "checkpoints": "seq",
         "trusted_keys": "rcc_id", "outbox": "package_id"}  # fmt: skip
_NOUNS = {
    "positions": "position",
    "log_entries": "log entry",
    "alerts": "alert",
    "units": "unit",
    "unit_positions": "unit position",
    "drift_runs": "drift run",
    "forcing_cache": "forcing cache entry",
    "coordination": "coordination event",
    "packages": "package",
    "search_plans": "search plan",
    "checkpoints": "checkpoint",
    "trusted_keys": "trusted key",
    "outbox": "outbox package",
    "persons": "person",
    "disclosures": "disclosure",
}
_CASE_COLUMN = {"cases": "id", "unit_positions": "NULL", "units": "NULL", "forcing_cache": "NULL",
                "checkpoints": "NULL", "trusted_keys": "NULL"}  # fmt: skip


def bad_times(conn: sqlite3.Connection, *, now: datetime | None = None) -> list[str]:
    """One line per stored time not in the desk's form, before 1970, or (for a report) more
    than a day ahead of ``now``."""
    ceiling = time_to_text((now or datetime.now(UTC)) + AHEAD_ALLOWED)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    numbers = dict(conn.execute("SELECT id, number FROM cases"))
    problems = []
    for table, column, what, report in TIME_COLUMNS:
        if table not in tables:
            continue
        key = _KEYS.get(table, "id")
        case = _CASE_COLUMN.get(table, "case_id")
        later = f' OR "{column}" > :ceiling' if report else ""
        sql = (
            f'SELECT {key}, {case}, "{column}" FROM {table} WHERE "{column}" IS NOT NULL AND'
            f' (NOT "{column}" GLOB :form OR "{column}" < \'1970\'{later})'
        )
        for row_key, case_id, text in conn.execute(sql, {"form": _FORM, "ceiling": ceiling}):
            parts = [f"case {numbers.get(case_id, case_id)}"] if case_id else []
            if table != "cases":
                parts.append(f"{_NOUNS[table]} {row_key}")
            problems.append(f"{' '.join(parts)}: {what} {text!r} {_why(text, ceiling)}")
    return problems


def _why(text: str, ceiling: str) -> str:
    try:
        moment = time_from_text(text)
    except (TypeError, ValueError):
        return "cannot be read as a time"
    reasons = []
    if not isinstance(text, str) or not is_stored_form(text):
        reasons.append("is not in the desk's time form")
    if moment.year < 1970:
        reasons.append(f"is before 1970 (year {moment.year:04d})")
    elif is_stored_form(text) and text > ceiling:
        reasons.append("is more than a day ahead of now")
    return " and ".join(reasons) or "is out of range"


__all__ = ["TIME_COLUMNS", "bad_times"]
