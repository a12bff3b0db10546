"""A case as the package body carries it, and back: the case, its log, its positions and
its drift runs (units and plans: ``sarapp.exchange.tasking``).

Every member is written from the case's values in the format's own encoding
(``sarapp.exchange.wire``: UTC time text ``2026-11-28T17:00:00.123456Z``, ids as text), never
as a store keeps them, so a SQLite and a PostgreSQL desk send the same bytes for the same case.
Log entries keep the time, ``data`` and hashes of the sending desk, so the receiver can check
the whole hash chain (``sarapp.chain``) before it trusts a single entry.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sarapp.chain import GENESIS_HASH, content_hash
from sarapp.exchange.errors import PackageError
from sarapp.exchange.large_ints import entry_data_members, seed_from_json, seed_to_json
from sarapp.exchange.tasking import check_tasking_references, tasking_body
from sarapp.exchange.wire import (
    CASE_VALUES,
    case_values_to_wire,
    exact_data_text,
    id_to_wire,
    optional_id_to_wire,
    optional_time_from_wire,
    optional_time_to_wire,
    time_from_wire,
    time_to_wire,
)
from sarapp.model import (
    AlertPhase,
    Case,
    CaseId,
    CaseStatus,
    DriftRecord,
    EntryId,
    EntryKind,
    LogEntry,
    Position,
    PositionId,
)
from sarapp.store import Desk
from sarapp.times import TimeRangeError, check_not_before_1970, check_report_time


def case_body(store: Desk, case_ref: str) -> dict[str, Any]:
    """Everything the desk holds about a case, as the package body's ``case``/``log``/
    ``positions``/``drift_runs``/``units``/``plans``. Read through the store's read methods
    only."""
    case = store.cases.get(case_ref)
    log = store.log.entries(case.id)
    run_entries = {e.data.get("drift_run"): e.id for e in log if "drift_run" in e.data}
    return {
        "case": case_to_json(case),
        "log": [entry_to_json(e) for e in log],
        "positions": [position_to_json(p) for p in store.cases.positions(case.id)],
        "drift_runs": [
            drift_run_to_json(run, run_entries.get(run.id)) for run in store.drift.runs(case.id)
        ],
        **tasking_body(store, case),
    }


def drift_run_to_json(run: DriftRecord, entry_id: str | None) -> dict[str, Any]:
    """A kept drift run; ``entry_id`` is the log entry that recorded it."""
    if entry_id is None:
        raise PackageError(f"drift run {run.id} has no entry in the case log; cannot send it")
    return {
        "id": id_to_wire(run.id),
        "created": time_to_wire(run.created),
        "author": run.author,
        "label": run.label,
        "seed": seed_to_json(run.seed),
        "params": run.params,
        "forcing": run.forcing,
        "summary": run.summary,
        "entry_id": id_to_wire(entry_id),
    }


def drift_runs_from_json(case_id: str, items: list[dict[str, Any]]) -> list[DriftRecord]:
    return [
        DriftRecord(
            id=r["id"],
            case_id=CaseId(case_id),
            created=time_from_wire(r["created"]),
            author=r["author"],
            label=r["label"],
            seed=seed_from_json(r["seed"], f"drift run {r['id']}"),
            params=r["params"],
            forcing=r["forcing"],
            summary=r["summary"],
        )
        for r in items
    ]


def case_to_json(case: Case) -> dict[str, Any]:
    return {
        "id": id_to_wire(case.id),
        "number": str(case.number),
        "phase": case.phase.value,
        "status": case.status.value,
        "created": time_to_wire(case.created),
        "updated": time_to_wire(case.updated),
        "lkp_id": id_to_wire(case.lkp.id) if case.lkp else None,
        "is_demo": bool(case.is_demo),
        "origin": (
            {"rcc": str(case.origin_rcc), "number": str(case.origin_number)}
            if case.origin_rcc
            else None
        ),
        "outcome": str(case.outcome),
        **case_values_to_wire(case),
    }


def entry_to_json(entry: LogEntry) -> dict[str, Any]:
    return {
        "id": id_to_wire(entry.id),
        "seq": int(entry.seq),
        "time": time_to_wire(entry.time),
        "author": entry.author,
        "kind": entry.kind.value,
        "text": entry.text,
        **entry_data_members(entry.data),
        "corrects": optional_id_to_wire(entry.corrects),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def position_to_json(position: Position) -> dict[str, Any]:
    return {
        "id": id_to_wire(position.id),
        "lat": position.lat,
        "lon": position.lon,
        "time": optional_time_to_wire(position.time),
        "source": position.source,
        "accuracy_m": position.accuracy_m,
    }


def positions_from_json(items: list[dict[str, Any]]) -> list[Position]:
    return [
        Position(
            lat=float(p["lat"]),
            lon=float(p["lon"]),
            time=optional_time_from_wire(p["time"]),
            source=p["source"],
            accuracy_m=None if p["accuracy_m"] is None else float(p["accuracy_m"]),
            id=PositionId(p["id"]),
        )
        for p in items
    ]


def case_from_json(item: dict[str, Any], positions: list[Position]) -> Case:
    """The case of a package body (the same members as ``case_to_json`` writes)."""
    lkp = next((p for p in positions if p.id == item["lkp_id"]), None)
    origin = item.get("origin") or {}
    return Case(
        id=CaseId(item["id"]),
        number=item["number"],
        phase=AlertPhase(item["phase"]),
        status=CaseStatus(item["status"]),
        created=time_from_wire(item["created"]),
        updated=time_from_wire(item["updated"]),
        lkp=lkp,
        is_demo=bool(item["is_demo"]),
        origin_rcc=origin.get("rcc") or "",
        origin_number=origin.get("number") or "",
        **{name: item[name] for name in CASE_VALUES},
    )


def entries_from_json(case_id: str, items: list[dict[str, Any]]) -> list[LogEntry]:
    """Log entries of the body as domain values. A kind this desk does not know reads as
    ``note`` in memory only; the package keeps the original kind (and the hash covers it)."""
    entries = []
    for e in items:
        try:
            kind = EntryKind(e["kind"])
        except ValueError:
            kind = EntryKind.NOTE
        entries.append(
            LogEntry(
                id=EntryId(e["id"]),
                case_id=CaseId(case_id),
                seq=e["seq"],
                time=time_from_wire(e["time"]),
                author=e["author"],
                kind=kind,
                text=e["text"],
                data=e["data"],
                corrects=EntryId(e["corrects"]) if e["corrects"] else None,
                prev_hash=e["prev_hash"],
                hash=e["hash"],
            )
        )
    return entries


def check_log_chain(case_id: str, items: list[dict[str, Any]]) -> None:
    """Refuse a log whose seq numbers are not 1, 2, 3… or whose hash chain is broken."""
    previous = GENESIS_HASH
    for index, e in enumerate(items):
        label = f"log entry seq {e['seq']} ({e['id']})"
        if e["seq"] != index + 1:
            raise PackageError(f"{label}: expected seq {index + 1}; the log is incomplete")
        if e["prev_hash"] != previous:
            raise PackageError(f"{label}: prev_hash does not match the entry before it")
        if content_hash({**e, "case_id": case_id, "data": exact_data_text(e["data"])}) != e["hash"]:
            raise PackageError(f"{label}: hash does not match its content (altered entry)")
        previous = e["hash"]


def check_references(body: dict[str, Any]) -> None:
    """The LKP must be one of the positions; a correction must point into the same log."""
    case = body["case"]
    ids = {p["id"] for p in body["positions"]}
    if case["lkp_id"] is not None and case["lkp_id"] not in ids:
        raise PackageError(f"case.lkp_id {case['lkp_id']} is not among the package's positions")
    if len(ids) != len(body["positions"]):
        raise PackageError("positions: the same position id appears twice")
    entry_ids = {e["id"] for e in body["log"]}
    if len(entry_ids) != len(body["log"]):
        raise PackageError("log: the same entry id appears twice")
    for e in body["log"]:
        if e["corrects"] is not None and e["corrects"] not in entry_ids:
            raise PackageError(f"log entry seq {e['seq']}: corrects an entry not in the package")
    runs = body.get("drift_runs", [])
    if len({r["id"] for r in runs}) != len(runs):
        raise PackageError("drift_runs: the same drift run id appears twice")
    for r in runs:
        if r["entry_id"] not in entry_ids:
            raise PackageError(f"drift run {r['id']}: its log entry is not in the package")
    check_tasking_references(body)


def check_times(document: dict[str, Any], *, now: datetime | None = None) -> None:
    """Refuse a package carrying a time this desk would refuse typed: a report (the package,
    the case, log entries, positions, drift runs, unit fixes, plans made) from 1970 to a day
    ahead of ``now``; a plan's start and end from 1970 on (they may lie ahead)."""
    body = document["body"]
    reports: list[tuple[str, str | None]] = [
        ("header.created", document["header"]["created"]),
        ("case.created", body["case"]["created"]),
        ("case.updated", body["case"]["updated"]),
    ]
    reports += [(f"log entry seq {e['seq']}", e["time"]) for e in body["log"]]
    reports += [(f"position {p['id']}", p["time"]) for p in body["positions"]]
    reports += [(f"drift run {r['id']}", r["created"]) for r in body.get("drift_runs", [])]
    for unit in body.get("units", []):
        reports += [(f"unit {unit['id']} position", p["time"]) for p in unit["positions"]]
    plans = body.get("plans", [])
    reports += [(f"search plan {p['id']}", p["created"]) for p in plans]
    ahead = [(f"search plan {p['id']} {k}", p[k]) for p in plans for k in ("start", "end")]
    now = now or datetime.now(UTC)
    for where, text, check in [(w, t, True) for w, t in reports] + [
        (w, t, False) for w, t in ahead
    ]:
        if text is None:
            continue
        try:
            moment = time_from_wire(text)
            if check:
                check_report_time(moment, what="time", now=now)
            else:
                check_not_before_1970(moment, what="time")
        except (TimeRangeError, ValueError) as exc:
            raise PackageError(f"package refused: {where}: {exc}") from None


__all__ = [
    "case_body",
    "check_log_chain",
    "check_references",
    "check_times",
    "drift_runs_from_json",
]
