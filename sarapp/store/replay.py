"""The case as its log says it must be: ``db check`` replays each log and names every case
field and position report that differs from what the log recorded.

Every write of a case field is logged: the opening (``created``: every value, number and
title), a field edit (``field``: old and new), a phase or status change, a position report
(``position``: the whole report and whether it became the LKP), and a handover import. An
import takes a field from the package only when the package's log changed it (or brings an
acceptance of coordination: responsible RCC and SMC); its note carries ``case_state``, the
row as the import left it (field updates included), and ``updated_fields``, the fields it
took. The entries it imported are the other desk's record and are not held to this desk's
values; the note is: a field it did not take must hold what the log had before the import.
So a value changed behind the desk's back (with the sqlite3 shell, say) no longer matches
the replay, and a later edit or import through sarapp does not hide it either: the edit's
``old`` value, or the import's note, disagrees with the replay.

Import notes are told apart from the other desk's import notes it sent along (which sit
among the entries an import added): each import note counts the entries just before it as
imported, so reading the log from its end, a note inside an import's entries is not this
desk's.

Logs written by an older sarapp carry less (no title or number in ``created``, no report in
``position``, no ``case_state`` in an import note: schema 8's note names the fields it took,
an earlier one nothing); what they do not determine is not checked until a later entry
determines it again (``docs/tamper-evidence.md``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sarapp.casefields import CASE_FIELDS
from sarapp.chain import time_from_text, time_text
from sarapp.geo import format_ddm, format_dtg
from sarapp.model import Position
from sarapp.store import rows

CASE_STATE_KEY = "case_state"
HANDOVER_KEY = "handover"
STATE_COLUMNS = ("number", "phase", "status", "is_demo", "created", "lkp_id",
                 "origin_rcc", "origin_number", *rows.CASE_VALUE_COLUMNS,
                 "outcome")  # fmt: skip
_LABELS = {
    "number": "case number",
    "phase": "alert phase",
    "status": "status",
    "is_demo": "demo mark",
    "created": "opening time",
    "lkp_id": "last known position",
    "origin_rcc": "originating RCC",
    "origin_number": "originating RCC's case number",
    "outcome": "closing outcome",
    **{name: spec.label.lower() for name, spec in CASE_FIELDS.items()},
}
_REPLAYED_KINDS = {"created", "field", "phase", "status", "position"}
_OPENED = re.compile(r"^Case (\S+) opened: (.*) \((INCERFA|ALERFA|DETRESFA)\)$", re.DOTALL)


def position_record(position: Position) -> dict[str, Any]:
    """A position report as its log entry keeps it (``position`` entries' data)."""
    return {
        "lat": position.lat,
        "lon": position.lon,
        "time": time_text(position.time) if position.time else None,
        "source": position.source,
        "accuracy_m": position.accuracy_m,
    }


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
    imports = _own_imports(entries)  # note seq → seq of the first entry it imported
    imported = {seq for note, first in imports.items() for seq in range(first, note)}
    starts = {first: note for note, first in imports.items()}
    before: dict[int, tuple[dict[str, Any], dict[str, int]]] = {}  # note → state before
    out = Replay()
    for seq, time, kind, text, data_text in entries:
        if seq in starts:
            before[starts[seq]] = (dict(out.state), dict(out.source))
        out.last_time = time
        if kind in _REPLAYED_KINDS:
            _apply(out, seq, time, kind, text, _data(data_text), seq in imported, label)
        elif seq in imports:
            _import_note(out, seq, _data(data_text), before.get(seq), label)
    return out


def _import_note(
    out: Replay,
    seq: int,
    data: dict[str, Any],
    before: tuple[dict[str, Any], dict[str, int]] | None,
    label: str,
) -> None:
    """This desk's import note: the row as the import left it. A field the import did not
    take (not in ``updated_fields``) must be what the log had before the import."""
    snapshot = data.get(CASE_STATE_KEY)
    taken = data[HANDOVER_KEY].get("updated_fields")
    state, source = before if before is not None else (out.state, out.source)
    if not isinstance(snapshot, dict):  # an older sarapp's import: the values it set unknown
        # Schema 8's import (issue 11) changed only the fields it names; an earlier one's
        # changes are not recorded at all. The opening time stays what the log says.
        kept = {k: v for k, v in state.items() if k not in taken} if isinstance(taken, list) else {}
        kept_source = {k: source[k] for k in kept}
        if "created" in out.state:
            kept["created"], kept_source["created"] = out.state["created"], out.source["created"]
        out.state, out.source = kept, kept_source
        return
    if isinstance(taken, list):  # (a note without it took the row as it found it)
        for name, value in snapshot.items():
            if name in state and name not in taken and state[name] != value:
                out.faults.append(
                    f"{label} entry {seq} (an import) found its "
                    f"{_LABELS.get(name, name)} at {value!r}, but its log had {state[name]!r} "
                    f"(entry {source[name]}): the value was changed outside sarapp before"
                )
    out.state = dict(snapshot)
    out.source = dict.fromkeys(out.state, seq)


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
        if kind == "status" and isinstance(data.get("outcome"), str):
            state["outcome"] = data["outcome"]  # chosen at closing, "" on reopening
            out.source["outcome"] = seq
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
    state.update(pob=None, status="open", lkp_id=None, created=time, outcome="")
    state.update(dict.fromkeys(rows.CASE_TIME_COLUMNS))
    state.update(origin_rcc="", origin_number="")  # a case opened here (an import's note says)
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
        when = format_dtg(time_from_text(position["time"]))
    where_shown = format_ddm(position["lat"], position["lon"])
    if not text.startswith(f"Position {where_shown} at {when} ({position['source']}"):
        return [f"{where} does not match entry {seq} ({text[:60]!r}): changed outside sarapp"]
    return []


def _own_imports(entries: list[tuple[int, str, str, str, str]]) -> dict[int, int]:
    """This desk's import notes (seq → seq of the first entry the import added): an import
    writes its ``added_entries`` and then its note, in one transaction. Read from the end,
    so that another desk's import note, sent along among the added entries, is not taken
    for one of this desk's."""
    out: dict[int, int] = {}
    first_imported: int | None = None
    for seq, _, kind, _, data_text in reversed(entries):
        if first_imported is not None and seq >= first_imported:
            continue  # an entry the later import added, whatever it says
        if kind not in _REPLAYED_KINDS and HANDOVER_KEY in data_text:
            count = _import_count(_data(data_text))
            if count is not None:
                out[seq] = first_imported = seq - count
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


__all__ = [
    "CASE_STATE_KEY",
    "STATE_COLUMNS",
    "Replay",
    "compare",
    "position_record",
    "replay",
]
