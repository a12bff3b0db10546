"""The handover format's own encoding of times, ids and case values (the wire format).

A package is signed over its RFC 8785 canonical bytes, so a value must be written the same
whatever desk reads it out: a SQLite desk hands back ids as text and times it parsed from
text, a PostgreSQL desk UUIDs, ``timestamptz`` values and ``jsonb`` objects. Each member is
written here from the value, never taken from how a store keeps it:

- a time is UTC ISO 8601 with microseconds and a Z (``2026-11-28T17:00:00.123456Z``, the
  schema's ``utc_time``); a log entry's time is also the text its chain hash covers, which
  is this same form (``sarapp.chain.time_text``; a test keeps the two equal);
- an id (case, entry, position, unit, plan, drift run) is its text;
- a case's plain values are those of ``sarapp.casefields``: text, the persons on board a
  whole number or null, and the times of the place of safety (format 6) a time or null;
- a log entry's ``data`` too large for I-JSON travels as the chain's exact JSON text
  (``sarapp.exchange.large_ints``).

Reading goes the other way: a time must be UTC (``Z``), and is read back exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sarapp.casefields import CASE_FIELDS
from sarapp.chain import data_text

# The case's plain values as the format carries them, in the format's member order.
CASE_VALUES = tuple(CASE_FIELDS)
_WHOLE_NUMBERS = frozenset({"pob"})
_TIMES = frozenset({"port_requested_at", "port_assigned_at", "disembark_eta", "disembarked_at"})


def time_to_wire(value: datetime) -> str:
    """``2026-11-28T17:00:00.123456Z``: UTC, microseconds, always 27 characters."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: a package carries UTC times only")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def optional_time_to_wire(value: datetime | None) -> str | None:
    return None if value is None else time_to_wire(value)


def time_from_wire(text: str) -> datetime:
    """A package's UTC time (ValueError for anything but ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``,
    which the schema already holds it to)."""
    moment = datetime.fromisoformat(text)
    if not text.endswith("Z") or moment.utcoffset() is None or moment.utcoffset():
        raise ValueError(f"{text!r} is not a UTC time")
    return moment


def optional_time_from_wire(text: str | None) -> datetime | None:
    return None if text is None else time_from_wire(text)


def id_to_wire(value: Any) -> str:
    """An id as the package writes it (a UUID object from a server reads as its text)."""
    return str(value)


def optional_id_to_wire(value: Any) -> str | None:
    return None if value is None else str(value)


def case_values_to_wire(case: Any) -> dict[str, Any]:
    """The case's plain values (``CASE_VALUES``): text, or a whole number for ``pob``."""
    return {name: _case_value(name, getattr(case, name)) for name in CASE_VALUES}


def _case_value(name: str, value: Any) -> Any:
    if name in _WHOLE_NUMBERS:
        return None if value is None else int(value)
    if name in _TIMES:  # the chain's text form, which is the wire's (or a server's datetime)
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else time_to_wire(value)
    return "" if value is None else str(value)


def exact_data_text(data: Mapping[str, Any]) -> str:
    """A log entry's ``data`` as the exact JSON text its chain hash covers."""
    return data_text(data)


__all__ = [
    "CASE_VALUES",
    "case_values_to_wire",
    "exact_data_text",
    "id_to_wire",
    "optional_id_to_wire",
    "optional_time_from_wire",
    "optional_time_to_wire",
    "time_from_wire",
    "time_to_wire",
]
