"""The case as its log says it must be: ``db check`` replays each log and names every case
field and position report that differs from what the log recorded.

Every write of a case field is logged: the opening (``created``: every value, number and
title), a field edit (``field``: old and new), a phase or status change, a position report
(``position``: the whole report and whether it became the LKP), and a handover import (its
note carries ``case_state``, the row as the import left it, since an import writes values
its own log entries do not decide). So a value changed behind the desk's back (with the
sqlite3 shell, say) no longer matches the replay, and a later edit through sarapp does not
hide it either: that edit's ``old`` value disagrees with the replay.

Logs written by an older sarapp carry less (no title or number in ``created``, no report in
``position``, no ``case_state`` in an import note); what they do not determine is not
checked until a later entry determines it again (``docs/tamper-evidence.md``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sarapp.casefields import CASE_FIELDS
from sarapp.geo import format_ddm, format_dtg
from sarapp.model import Position
from sarapp.store import rows

CASE_STATE_KEY = "case_state"
HANDOVER_KEY = "handover"
STATE_COLUMNS = ("number", "phase", "status", "is_demo", "created", "lkp_id",
                 *rows.CASE_VALUE_COLUMNS)  # fmt: skip
_LABELS = {
    "number": "case number",
    "phase": "alert phase",
    "status": "status",
    "is_demo": "demo mark",
    "created": "opening time",
    "lkp_id": "last known position",
    **{name: spec.label.lower() for name, spec in CASE_FIELDS.items()},
}
_REPLAYED_KINDS = {"created", "field", "phase", "status", "position"}
_OPENED = re.compile(r"^Case (\S+) opened: (.*) \((INCERFA|ALERFA|DETRESFA)\)$", re.DOTALL)


def position_record(position: Position) -> dict[str, Any]:
    """A position report as its log entry keeps it (``position`` entries' data)."""
    return {
        "lat": position.lat,
        "lon": position.lon,
        "time": rows.time_to_text(position.time) if position.time else None,
        "source": position.source,
        "accuracy_m": position.accuracy_m,
    }


def case_state(conn: sqlite3.Connection, case_id: str) -> dict[str, Any]:
    """The case row's replayable columns, as an import note records them."""
    cursor = conn.execute(f"SELECT {', '.join(STATE_COLUMNS)} FROM cases WHERE id = ?", (case_id,))
    values = dict(zip(STATE_COLUMNS, cursor.fetchone(), strict=True))
    values["is_demo"] = bool(values["is_demo"])
    return values


@dataclass
class Replay:
    """What a case's log determines: ``state`` (column → value, with the seq of the entry
    that set it in ``source``), the position reports it recorded, and faults found on the way
    (an edit whose old value is not what the log had)."""

    state: dict[str, Any] = field(default_factory=dict)
    source: dict[str, int] = field(default_factory=dict)
    positions: dict[str, tuple[int, dict[str, Any] | None, str]] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    last_time: str | None = None


def replay(entries: Iterable[tuple[int, str, str, str, str]], label: str) -> Replay:
    """Replay ``(seq, time, kind, text, data)`` rows of one case, in seq order."""
    entries = list(entries)
    imported = _imported_seqs(entries)
    out = Replay()
    for seq, time, kind, text, data_text in entries:
        out.last_time = time
        if kind in _REPLAYED_KINDS:
            _apply(out, seq, time, kind, text, _data(data_text), seq in imported, label)
        elif CASE_STATE_KEY in data_text or HANDOVER_KEY in data_text:
            data = _data(data_text)
            if isinstance(data.get(CASE_STATE_KEY), dict):
                out.state = dict(data[CASE_STATE_KEY])
                out.source = dict.fromkeys(out.state, seq)
            elif _import_count(data) is not None:  # an older sarapp's import: values unknown
                out.state = {k: v for k, v in out.state.items() if k == "created"}
    return out


def _apply(out: Replay, seq: int, time: str, kind: str, text: str, data: dict[str, Any],
           imported: bool, label: str) -> None:  # fmt: skip
    state = out.state
    if kind == "created":
        out.state = _opened(time, text, data)
        out.source = dict.fromkeys(out.state, seq)
    elif kind in ("field", "phase", "status"):
        name = data.get("field") if kind == "field" else kind
        if name not in STATE_COLUMNS or "new" not in data:
            return
        if not imported and name in state and "old" in data and state[name] != data["old"]:
            out.faults.append(
                f"{label} entry {seq} changed its {_LABELS[name]} from {data['old']!r}, but "
                f"its log had {state[name]!r} (entry {out.source[name]}): the value was "
                "changed outside sarapp before"
            )
        state[name] = data["new"]
        out.source[name] = seq
    elif kind == "position" and isinstance(data.get("position_id"), str):
        record = data if "lat" in data else None
        out.positions[data["position_id"]] = (seq, record, text)
        if data.get("lkp"):
            state["lkp_id"] = data["position_id"]
            out.source["lkp_id"] = seq


def _opened(time: str, text: str, data: dict[str, Any]) -> dict[str, Any]:
    """The row a ``created`` entry opened; an older entry gives title and number in its text
    only, and no demo mark (left out: unknown)."""
    opened = _OPENED.match(text)
    state: dict[str, Any] = {name: "" for name in rows.CASE_VALUE_COLUMNS}
    state.update(pob=None, status="open", lkp_id=None, created=time)
    state.update({k: v for k, v in data.items() if k in rows.CASE_VALUE_COLUMNS})
    for key, group in (("phase", 3), ("title", 2), ("number", 1)):
        value = data.get(key, opened.group(group) if opened else None)
        if value is None:
            del state[key]
        else:
            state[key] = value
    if "is_demo" in data:
        state["is_demo"] = bool(data["is_demo"])
    return state


def compare(
    out: Replay,
    row: Mapping[str, Any],
    positions: Iterable[Mapping[str, Any]],
    label: str,
) -> list[str]:
    """Faults of one case: columns and position reports that differ from the replay."""
    problems = list(out.faults)
    for name, expected in out.state.items():
        actual = bool(row[name]) if name == "is_demo" else row[name]
        if actual != expected:
            problems.append(
                f"{label}: {_LABELS[name]} is {actual!r} but its log says {expected!r} "
                f"(entry {out.source[name]}): changed outside sarapp"
            )
    if out.last_time is not None and row["updated"] != out.last_time:
        problems.append(
            f"{label}: last change {row['updated']!r} is not its last log entry's time "
            f"{out.last_time!r}: changed outside sarapp"
        )
    seen = set()
    for position in positions:
        seen.add(position["id"])
        problems += _position_faults(out, position, label)
    for position_id, (seq, _, _) in out.positions.items():
        if position_id not in seen:
            problems.append(
                f"{label}: position {position_id} reported in entry {seq} is missing "
                "(deleted outside sarapp)"
            )
    return problems


def _position_faults(out: Replay, position: Mapping[str, Any], label: str) -> list[str]:
    where = f"{label}: position {position['id']}"
    logged = out.positions.get(position["id"])
    if logged is None:
        return [f"{where} is in no entry of its log (added outside sarapp)"]
    seq, record, text = logged
    if record is not None:
        stored = {k: position[k] for k in ("lat", "lon", "time", "source", "accuracy_m")}
        differ = [k for k in stored if stored[k] != record.get(k)]
        if differ:
            return [
                f"{where} differs from entry {seq} in {', '.join(differ)} "
                f"({', '.join(f'{stored[k]!r} ≠ {record.get(k)!r}' for k in differ)}): "
                "changed outside sarapp"
            ]
        return []
    # An older entry keeps the report only as text: check what the text shows.
    if not text.startswith("Position "):
        return []
    when = "time unknown"
    if position["time"]:
        when = format_dtg(rows.time_from_text(position["time"]))
    where_shown = format_ddm(position["lat"], position["lon"])
    if not text.startswith(f"Position {where_shown} at {when} ({position['source']}"):
        return [f"{where} does not match entry {seq} ({text[:60]!r}): changed outside sarapp"]
    return []


def _imported_seqs(entries: list[tuple[int, str, str, str, str]]) -> set[int]:
    """The seqs of entries a handover import wrote: the ``added_entries`` just before each
    import note (an import writes them and then its note, in one transaction)."""
    out: set[int] = set()
    for seq, _, kind, _, data_text in entries:
        if kind not in _REPLAYED_KINDS and HANDOVER_KEY in data_text:
            count = _import_count(_data(data_text))
            if count:
                out.update(range(seq - count, seq))
    return out


def _import_count(data: dict[str, Any]) -> int | None:
    """The entries an import note says it added; None for any other note (a package sent
    carries ``handover`` too, without ``added_entries``)."""
    handover = data.get(HANDOVER_KEY)
    count = handover.get("added_entries") if isinstance(handover, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def _data(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


__all__ = ["CASE_STATE_KEY", "Replay", "case_state", "compare", "position_record", "replay"]
