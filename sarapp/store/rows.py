"""Rows ↔ domain values: the one place where column names meet the dataclasses.

Also the case log's hash chain: an entry's hash covers its content and the previous entry's
hash, over a canonical JSON serialisation, so any edit behind the desk's back shows.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

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

GENESIS_HASH = "0" * 64  # prev_hash of a case's first entry

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
    "port_requested",
    "port_requested_at",
    "port_assigned",
    "port_authority",
    "port_assigned_at",
    "disembark_unit",
    "disembark_eta",
    "disembarked_at",
)
# Value columns that hold a time (desk form) or NULL, rather than text.
CASE_TIME_COLUMNS = ("port_requested_at", "port_assigned_at", "disembark_eta", "disembarked_at")


def time_to_text(value: datetime) -> str:
    """UTC ISO 8601 with microseconds and a Z, always 27 characters (a four-digit year): sorts
    as text in time order, and reads back whatever the year (strftime's ``%Y`` wrote year 999
    as ``999-…``, which nothing could read again)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: sarapp keeps every time in UTC")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


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
        outcome=row.get("outcome") or "",
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


def entry_hash(row: dict[str, Any]) -> str:
    """SHA-256 (hex) of an entry row's content and its ``prev_hash``, canonically serialised.

    ``data`` is hashed as stored (its JSON text), so the stored bytes are what is protected.
    """
    content = {
        key: row[key]
        for key in (
            "id",
            "case_id",
            "seq",
            "time",
            "author",
            "kind",
            "text",
            "data",
            "corrects",
            "prev_hash",
        )
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def data_to_text(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
