"""SQLite rows ↔ domain values: where the SQLite desk's column names meet the dataclasses.

The SQLite desk stores times and JSON in the hash chain's own text forms (``sarapp.chain``),
so a log entry row hashes as it is stored; these are storage forms, never a format that
leaves the desk (``sarapp.exchange.wire`` has its own).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sarapp.chain import data_text, time_text
from sarapp.model import (
    AlertPhase,
    Case,
    CaseId,
    CaseStatus,
    EntryId,
    EntryKind,
    LogEntry,
    Position,
    PositionId,
)

# Case columns an operator edits as plain values (phase, status and LKP have their own
# operations because each is logged in its own way).
CASE_VALUE_COLUMNS = (
    "title",
    "nature",
    "pob",
    "vessel_name",
    "mmsi",
    "imo",
    "call_sign",
    "flag",
    "vessel_type",
    "vessel_description",
    "rcc",
    "smc",
)

# The stored forms of a time and of JSON are the chain's own (see the module docstring).
time_to_text = time_text
data_to_text = data_text


def time_from_text(text: str) -> datetime:
    """A stored time; also the unpadded year an older sarapp wrote (``db check`` names it)."""
    try:
        return datetime.fromisoformat(text)  # reads the Z as UTC (Python 3.11+), 20x strptime
    except ValueError:
        match = _SHORT_YEAR.match(text)
        if match is None:
            raise
        return datetime.fromisoformat(match.group(1).zfill(4) + text[match.end(1) :])


def is_stored_form(text: str) -> bool:
    """True for the one form the desk writes (``0999-11-26T14:30:00.000000Z``)."""
    return _STORED_FORM.fullmatch(text) is not None


_SHORT_YEAR = re.compile(r"^(\d{1,3})-\d\d-\d\dT")
_STORED_FORM = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def position_from_row(row: dict[str, Any]) -> Position:
    return Position(
        lat=row["lat"],
        lon=row["lon"],
        time=time_from_text(row["time"]) if row["time"] else None,
        source=row["source"],
        accuracy_m=row["accuracy_m"],
        id=PositionId(row["id"]),
    )


def position_to_row(position: Position, *, case_id: CaseId, recorded: datetime) -> dict:
    return {
        "id": position.id,
        "case_id": case_id,
        "lat": position.lat,
        "lon": position.lon,
        "time": time_to_text(position.time) if position.time else None,
        "source": position.source,
        "accuracy_m": position.accuracy_m,
        "recorded": time_to_text(recorded),
    }


def case_from_row(row: dict[str, Any], lkp: Position | None) -> Case:
    values = {name: row[name] for name in CASE_VALUE_COLUMNS}
    return Case(
        id=CaseId(row["id"]),
        number=row["number"],
        phase=AlertPhase(row["phase"]),
        status=CaseStatus(row["status"]),
        created=time_from_text(row["created"]),
        updated=time_from_text(row["updated"]),
        lkp=lkp,
        is_demo=bool(row["is_demo"]),
        origin_rcc=row.get("origin_rcc") or "",
        origin_number=row.get("origin_number") or "",
        **values,
    )


def entry_from_row(row: dict[str, Any]) -> LogEntry:
    return LogEntry(
        id=EntryId(row["id"]),
        case_id=CaseId(row["case_id"]),
        seq=row["seq"],
        time=time_from_text(row["time"]),
        author=row["author"],
        kind=EntryKind(row["kind"]),
        text=row["text"],
        data=json.loads(row["data"]),
        corrects=EntryId(row["corrects"]) if row["corrects"] else None,
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )
