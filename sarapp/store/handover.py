"""Handover on the desk side: importing a case merged by UUID, and the packages sent and
received (who coordinates a case is ``sarapp.store.coordination``).

The exchange family decides *what* to import (``sarapp.exchange.merge.plan_import``) and
verifies the package; this mixin writes it, in one transaction, and nothing else writes these
tables. Imported log entries keep their UUID, time, author, kind, text and data. An entry whose
place in this desk's chain is the one it had on the sender (same seq, same previous hash) is
stored byte for byte, hash included; any other is chained afresh here and carries the sender's
``seq``, ``prev_hash``, ``hash`` (and kind, if this desk does not know it) in
``data["_origin"]``, so ``Store.check()`` stays ok and the sender's hash can still be checked.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sarapp.casefields import CASE_FIELDS
from sarapp.errors import SarappError
from sarapp.model import (
    Case,
    CaseId,
    Changes,
    DriftRecord,
    EntryId,
    EntryKind,
    LogEntry,
    Position,
    utc_now,
)
from sarapp.store import rows
from sarapp.store.handover_tasking import NO_TASKING, TaskingConflict, TaskingImport, write_tasking
from sarapp.store.replay import CASE_STATE_KEY, case_state

SENDER_CHECKPOINT = "sender_checkpoint"  # the import note's copy of the package's checkpoint
ORIGIN_KEY = "_origin"  # data member of a re-chained imported entry (see module docstring)
KEPT_LOCAL = "kept local value"


class HandoverError(SarappError, ValueError):
    """An import or coordination step that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class PackageRecord:
    """A package this desk sent or received (``digest``: SHA-256 hex of its signed content)."""

    id: str
    direction: str  # "sent" or "received"
    case_id: CaseId | None
    purpose: str
    peer_rcc: str
    signer_fingerprint: str
    signature_status: str
    digest: str
    time: datetime
    created: datetime | None = None  # the package header's creation time (replay check)


@dataclass(frozen=True)
class FieldDifference:
    """A case field both desks hold with different values; the local one is kept."""

    field: str
    local: Any
    incoming: Any
    decision: str = KEPT_LOCAL


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: the case, whether it is new, the entries and positions added,
    the conflicts logged (local values kept), how many entries had to be re-chained, and the
    units registered, unit positions added, search plans added and plans whose status changed."""

    case_id: CaseId
    created: bool
    added_entries: tuple[EntryId, ...]
    added_positions: tuple[str, ...]
    conflicts: tuple[FieldDifference, ...]
    rechained: int
    already_imported: bool
    changes: Changes
    added_units: tuple[str, ...] = ()
    added_unit_positions: int = 0
    added_plans: tuple[str, ...] = ()
    updated_plans: tuple[str, ...] = ()
    replay_of: str | None = None  # a newer package from the same peer was imported: nothing done
    warnings: tuple[str, ...] = ()  # logged for the officer (a sender's copy cut, say)
    updated_fields: tuple[str, ...] = ()  # case fields taken from the package


class HandoverStore:
    """Mixed into Store: needs ``conn``, ``db``, ``transaction()``, ``_append``, ``get_case``."""

    conn: sqlite3.Connection

    # --- packages ----------------------------------------------------------------------

    def package_record(self, package_id: str) -> PackageRecord | None:
        row = self.conn.execute(
            "SELECT id, direction, case_id, purpose, peer_rcc, signer_fingerprint,"
            " signature_status, digest, time, created FROM packages WHERE id = ?",
            (package_id,),
        ).fetchone()
        if row is None:
            return None
        created = rows.time_from_text(row[9]) if row[9] else None
        return PackageRecord(*row[:8], time=rows.time_from_text(row[8]), created=created)

    def record_package(self, record: PackageRecord) -> Changes:
        """Note a package sent or received (inside the caller's transaction)."""
        with self.transaction():  # type: ignore[attr-defined]
            self.conn.execute(
                "INSERT INTO packages (id, direction, case_id, purpose, peer_rcc,"
                " signer_fingerprint, signature_status, digest, time, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.id,
                    record.direction,
                    record.case_id,
                    record.purpose,
                    record.peer_rcc,
                    record.signer_fingerprint,
                    record.signature_status,
                    record.digest,
                    rows.time_to_text(record.time),
                    rows.time_to_text(record.created) if record.created else None,
                ),
            )
        return Changes(packages=(record.id,))

    # --- import ------------------------------------------------------------------------

    def import_case(
        self,
        *,
        case: Case,
        new_case: bool,
        entries: Sequence[LogEntry],
        kinds: Mapping[str, str],
        positions: Sequence[Position],
        conflicts: Sequence[FieldDifference],
        package: PackageRecord,
        author: str,
        summary: str,
        drift_runs: Sequence[DriftRecord] = (),
        drift_entries: Mapping[str, str] | None = None,
        tasking: TaskingImport = NO_TASKING,
        sender_checkpoint: Mapping[str, Any] | None = None,
        warnings: Sequence[str] = (),
        field_updates: Mapping[str, Any] | None = None,
    ) -> ImportResult:
        """Write a verified, planned import in one transaction; nothing local is changed.

        ``entries`` are the sender's, in its log order, with their hashes; ``kinds`` gives each
        entry's kind as the package spells it (by entry id). ``case`` holds validated field
        values. ``summary`` is the first words of the import's own log line. ``drift_runs`` are
        the runs this desk lacks, ``drift_entries`` names each run's log entry (by run id).
        ``tasking``: units, unit positions and plans to add, plan statuses to set.
        ``sender_checkpoint`` (verified) is kept in the import's note; each of ``warnings``
        becomes a log entry of its own.
        ``field_updates``: case fields (a value column, ``phase``, ``status``, ``lkp_id``) to
        set to the package's value, whose changes the imported entries record. A conflict
        this desk has already logged for the case (same field and values) is not logged again.
        The import's note records the case row as the import left it, field updates
        included (``db check`` replays from it).
        """
        known = self.package_record(package.id)
        if known is not None:
            if known.digest != package.digest:
                raise HandoverError(
                    f"another package with id {package.id} was already {known.direction} here; "
                    "refused (a package id names one package only)"
                )
            return ImportResult(case.id, False, (), (), (), 0, True, Changes())
        with self.transaction():  # type: ignore[attr-defined]
            self._refuse_foreign_ids(case.id, entries, positions)
            changes = Changes(cases=frozenset({case.id}), created=new_case)
            if new_case:
                self._insert_case(case)
            for position in positions:
                self.db["positions"].insert(  # type: ignore[attr-defined]
                    rows.position_to_row(position, case_id=case.id, recorded=utc_now())
                )
            rechained = 0
            last = self.conn.execute(
                "SELECT seq, hash FROM log_entries WHERE case_id = ? ORDER BY seq DESC LIMIT 1",
                (case.id,),
            ).fetchone()
            tail = (last[0], last[1]) if last else (0, rows.GENESIS_HASH)
            entry_rows = []
            for entry in entries:
                row, exact = _entry_row(entry, kinds.get(entry.id, entry.kind.value), tail)
                entry_rows.append(row)
                tail = (row["seq"], row["hash"])
                rechained += not exact
            self.conn.executemany(
                "INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, data,"
                " corrects, prev_hash, hash) VALUES (:id, :case_id, :seq, :time, :author, :kind,"
                " :text, :data, :corrects, :prev_hash, :hash)",
                entry_rows,
            )
            for row in entry_rows:  # the desk's checkpoint signs them with its note
                self.checkpoints.touched(case.id, row["seq"], row["hash"])  # type: ignore[attr-defined]
            for entry in entries:
                if self._mirror_coordination(entry):  # type: ignore[attr-defined]
                    changes |= Changes(coordination=frozenset({case.id}))
                self._mirror_alert(entry)  # type: ignore[attr-defined]
            for run in drift_runs:
                self._insert_drift_run(case.id, run, (drift_entries or {}).get(run.id))
            try:
                write_tasking(self.conn, case.id, tasking)
            except TaskingConflict as exc:
                raise HandoverError(str(exc)) from None
            if new_case and case.lkp is not None:
                self.conn.execute(
                    "UPDATE cases SET lkp_id = ? WHERE id = ?", (case.lkp.id, case.id)
                )
            updates = dict(field_updates or {})
            for name, value in updates.items():
                if name not in _UPDATABLE:
                    raise HandoverError(f"case field {name!r} cannot be taken from a package")
                self.conn.execute(f"UPDATE cases SET {name} = ? WHERE id = ?", (value, case.id))
            conflicts = [c for c in conflicts if _conflict_key(c) not in self._logged(case.id)]
            self.record_package(package)
            text = (
                f"{summary}: "
                + ("case created on this desk, " if new_case else "")
                + f"{len(entries)} log entries, {len(positions)} positions"
                + f" and {len(drift_runs)} drift runs added"
                + tasking.summary_text()
                + (f"; taken from the package: {_labels(updates)}" if updates else "")
                + (
                    f", {len(conflicts)} conflicting fields (local values kept)"
                    if conflicts
                    else ""
                )
            )
            data = {
                # what the case row holds after the import: db check replays from it
                CASE_STATE_KEY: case_state(self.conn, case.id),
                "handover": {
                    "package_id": package.id,
                    "purpose": package.purpose,
                    "from": package.peer_rcc,
                    "signature": package.signature_status,
                    "fingerprint": package.signer_fingerprint,
                    "added_entries": len(entries),
                    "added_positions": len(positions),
                    "added_drift_runs": len(drift_runs),
                    **tasking.counts(),
                    "rechained": rechained,
                    "updated_fields": list(updates),
                    **({SENDER_CHECKPOINT: dict(sender_checkpoint)} if sender_checkpoint else {}),
                },
            }
            changes |= self._append(  # type: ignore[attr-defined]
                case.id, kind=EntryKind.HANDOVER, text=text, author=author, data=data
            )
            for warning in warnings:
                changes |= self._append(  # type: ignore[attr-defined]
                    case.id,
                    kind=EntryKind.HANDOVER,
                    text=warning,
                    author=author,
                    data={"handover_warning": {"package_id": package.id, "from": package.peer_rcc}},
                )
            for conflict in conflicts:
                changes |= self._append(  # type: ignore[attr-defined]
                    case.id,
                    kind=EntryKind.HANDOVER,
                    text=(
                        f"Import conflict on {conflict.field}: here {conflict.local!r}, "
                        f"{package.peer_rcc} has {conflict.incoming!r}; {conflict.decision}"
                    ),
                    author=author,
                    data={
                        "import_conflict": {
                            "field": conflict.field,
                            "local": conflict.local,
                            "incoming": conflict.incoming,
                            "decision": conflict.decision,
                            "package_id": package.id,
                        }
                    },
                )
        added = tuple(EntryId(e.id) for e in entries)
        changes = (
            Changes(
                entries=added,
                positions=tuple(p.id for p in positions),
                drift_runs=tuple(r.id for r in drift_runs),
                units=frozenset(u.id for u in tasking.units)
                | frozenset(p.unit_id for p in tasking.unit_positions),
                plans=tuple(p.id for p in tasking.plans)
                + tuple(plan_id for plan_id, _ in tasking.plan_statuses),
                packages=(package.id,),
            )
            | changes
        )
        return ImportResult(
            case.id,
            new_case,
            added,
            tuple(p.id for p in positions),
            tuple(conflicts),
            rechained,
            False,
            changes,
            added_units=tuple(u.id for u in tasking.units),
            added_unit_positions=len(tasking.unit_positions),
            added_plans=tuple(p.id for p in tasking.plans),
            updated_plans=tuple(plan_id for plan_id, _ in tasking.plan_statuses),
            warnings=tuple(warnings),
            updated_fields=tuple(updates),
        )

    def sender_checkpoints(self, case_id: str, key: str) -> list[dict[str, Any]]:
        """The case checkpoints signed by ``key`` (base64) that import notes of the case kept,
        oldest first (unverified: ``sarapp.exchange.case_checkpoint.cut_since`` checks them)."""
        cursor = self.conn.execute(
            f"SELECT json_extract(data, '$.handover.{SENDER_CHECKPOINT}') FROM log_entries"
            f" WHERE case_id = ? AND json_extract(data, '$.handover.{SENDER_CHECKPOINT}.key') = ?"
            " ORDER BY seq",
            (case_id, key),
        )
        found = []
        for (text,) in cursor:
            try:
                item = json.loads(text)
            except (TypeError, ValueError):
                continue
            if isinstance(item, dict):
                found.append(item)
        return found

    def _logged(self, case_id: CaseId) -> set[tuple[str, str, str]]:
        """The import conflicts already logged for the case, as (field, local, incoming)."""
        cursor = self.conn.execute(
            "SELECT json_extract(data, '$.import_conflict') FROM log_entries"
            " WHERE case_id = ? AND json_extract(data, '$.import_conflict') IS NOT NULL",
            (case_id,),
        )
        found = set()
        for (text,) in cursor:
            item = json.loads(text)
            if isinstance(item, dict):
                found.add(_conflict_key(FieldDifference(
                    str(item.get("field")), item.get("local"), item.get("incoming"))))  # fmt: skip
        return found

    def _refuse_foreign_ids(
        self, case_id: CaseId, entries: Sequence[LogEntry], positions: Sequence[Position]
    ) -> None:
        """An id this desk already uses in another case would silently merge two cases."""
        for table, what, ids in (
            ("log_entries", "log entry", [e.id for e in entries]),
            ("positions", "position", [p.id for p in positions]),
        ):
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                row = self.conn.execute(
                    f"SELECT id, case_id FROM {table} WHERE id IN ({marks})", chunk
                ).fetchone()
                if row is not None:
                    raise HandoverError(
                        f"{what} {row[0]} already exists here in another case ({row[1]}) "
                        f"or twice; the package cannot be merged into case {case_id}"
                    )

    def _insert_drift_run(self, case_id: CaseId, run: DriftRecord, entry_id: str | None) -> None:
        if entry_id is None:
            raise HandoverError(f"drift run {run.id} comes without its log entry")
        known = self.conn.execute(
            "SELECT case_id FROM drift_runs WHERE id = ?", (run.id,)
        ).fetchone()
        if known is not None:
            raise HandoverError(f"drift run {run.id} already exists here in case {known[0]}")
        self.conn.execute(
            "INSERT INTO drift_runs (id, case_id, created, author, label, seed, params, forcing,"
            " summary, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run.id,
                case_id,
                rows.time_to_text(run.created),
                run.author,
                run.label,
                run.seed,
                rows.data_to_text(run.params),
                rows.data_to_text(run.forcing),
                rows.data_to_text(run.summary),
                entry_id,
            ),
        )

    def _insert_case(self, case: Case) -> None:
        now = utc_now()
        values = {name: getattr(case, name) for name in rows.CASE_VALUE_COLUMNS}
        self.db["cases"].insert(  # type: ignore[attr-defined]
            {
                "id": case.id,
                "number": self._next_number(now.year),  # type: ignore[attr-defined]
                "phase": case.phase.value,
                "status": case.status.value,
                "is_demo": int(case.is_demo),
                "created": rows.time_to_text(case.created),
                "updated": rows.time_to_text(now),
                "origin_rcc": case.origin_rcc,
                "origin_number": case.origin_number,
                "outcome": case.outcome,
                **values,
            }
        )


# Case columns an import may set (``field_updates``): the values and the three with their
# own operations. Names are checked against this set before they meet SQL.
_UPDATABLE = frozenset({*rows.CASE_VALUE_COLUMNS, "phase", "status", "lkp_id", "outcome"})
_LABELS = {"phase": "alert phase", "status": "status", "lkp_id": "last known position",
           "outcome": "closing outcome"}  # fmt: skip


def _labels(names: Mapping[str, Any]) -> str:
    return ", ".join(
        _LABELS.get(n) or (CASE_FIELDS[n].label if n in CASE_FIELDS else n) for n in names
    )


def _conflict_key(conflict: FieldDifference) -> tuple[str, str, str]:
    return (conflict.field, rows.data_to_text(conflict.local), rows.data_to_text(conflict.incoming))


def original_entry(entry: LogEntry) -> dict[str, Any]:
    """The entry as the sender's desk held it (seq, prev_hash, hash, kind, data), undoing one
    re-chaining on import; an entry stored as sent comes back unchanged."""
    origin = entry.data.get(ORIGIN_KEY)
    data = dict(entry.data)
    if not isinstance(origin, dict):
        return {"seq": entry.seq, "prev_hash": entry.prev_hash, "hash": entry.hash,
                "kind": entry.kind.value, "data": data}  # fmt: skip
    del data[ORIGIN_KEY]
    if "previous" in origin:
        data[ORIGIN_KEY] = origin["previous"]
    return {
        "seq": origin["seq"],
        "prev_hash": origin["prev_hash"],
        "hash": origin["hash"],
        "kind": origin.get("kind", entry.kind.value),
        "data": data,
    }


def _entry_row(entry: LogEntry, kind: str, tail: tuple[int, str]) -> tuple[dict[str, Any], bool]:
    """The row chaining ``entry`` after ``tail`` (the case's last seq and hash), and whether it
    is the entry exactly as the sender had it."""
    seq, prev_hash = tail[0] + 1, tail[1]
    row = {
        "id": entry.id,
        "case_id": entry.case_id,
        "seq": entry.seq,
        "time": rows.time_to_text(entry.time),
        "author": entry.author,
        "kind": kind,
        "text": entry.text,
        "data": rows.data_to_text(entry.data),
        "corrects": entry.corrects,
        "prev_hash": entry.prev_hash,
    }
    exact = (
        entry.seq == seq
        and entry.prev_hash == prev_hash
        and _known_kind(kind)
        and rows.entry_hash(row) == entry.hash
    )
    if exact:
        row["hash"] = entry.hash
    else:
        origin: dict[str, Any] = {"seq": entry.seq, "prev_hash": entry.prev_hash}
        origin["hash"] = entry.hash
        if not _known_kind(kind):
            origin["kind"] = kind
        if ORIGIN_KEY in entry.data:
            origin["previous"] = entry.data[ORIGIN_KEY]
        data = {**entry.data, ORIGIN_KEY: origin}
        row.update(
            seq=seq,
            prev_hash=prev_hash,
            kind=kind if _known_kind(kind) else EntryKind.NOTE.value,
            data=rows.data_to_text(data),
        )
        row["hash"] = rows.entry_hash(row)
    return row, exact


def _known_kind(kind: str) -> bool:
    return kind in EntryKind._value2member_map_


__all__ = [
    "FieldDifference",
    "HandoverError",
    "HandoverStore",
    "ImportResult",
    "PackageRecord",
    "TaskingImport",
    "original_entry",
]
