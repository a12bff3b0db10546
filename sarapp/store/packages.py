"""Handover on the desk side (``desk.packages``): the packages sent and received, and
importing a case merged by UUID (who coordinates a case is ``desk.coordination``).

The exchange family decides *what* to import (``sarapp.exchange.merge.plan_import``) and
verifies the package; ``import_case`` writes it, in one transaction, through the public
methods of the other repositories: the case and its positions (``desk.cases``), the entries
(``desk.chain``, which keeps them byte for byte where it can), the coordination history and
alert links they record, drift runs, units and plans. Nothing local is changed or deleted.
Reading what a case's import notes kept (``data`` members of the log) is the one step whose
SQL differs between backends: the backend's subclass does it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sarapp.casefields import CASE_FIELDS
from sarapp.chain import data_text
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
from sarapp.model_exchange import (
    NO_TASKING,
    FieldDifference,
    ImportResult,
    LastPackage,
    PackageRecord,
    TaskingImport,
)
from sarapp.model_sync import SYNC_KEY
from sarapp.store.errors import HandoverError
from sarapp.store.replay import CASE_STATE_KEY
from sarapp.store.rows import is_uuid

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

SENDER_CHECKPOINT = "sender_checkpoint"  # the import note's copy of the package's checkpoint
IMPORT_CONFLICT = "import_conflict"  # data member of an entry logging a field conflict
_CHUNK = 500  # ids per ``IN (…)``
_LABELS = {"phase": "alert phase", "status": "status", "lkp_id": "last known position"}


class Packages:
    """Held by the desk as ``desk.packages``; a backend's subclass supplies
    ``sender_checkpoints`` and ``_data_members``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    # --- packages ----------------------------------------------------------------------

    def get(self, package_id: str) -> PackageRecord | None:
        """The record of a package sent or received with this id, if any."""
        if not is_uuid(package_id):
            return None
        row = self._desk.backend.execute(
            "SELECT id, direction, case_id, purpose, peer_rcc, signer_fingerprint,"
            " signature_status, digest, time, created FROM packages WHERE id = ?",
            (package_id,),
        ).fetchone()
        if row is None:
            return None
        values = self._desk.values
        case_id = CaseId(values.read_id(row[2])) if row[2] is not None else None
        created = values.read_time(row[9]) if row[9] else None
        return PackageRecord(values.read_id(row[0]), row[1], case_id, *row[3:8],
                             time=values.read_time(row[8]), created=created)  # fmt: skip

    def record(self, record: PackageRecord) -> Changes:
        """Note a package sent or received (inside the caller's transaction, if any); its id
        is a UUID, as every package's is (HandoverError otherwise, on either backend)."""
        if not is_uuid(record.id):
            raise HandoverError(f"package id {record.id!r} is not a UUID: not recorded")
        stored = self._desk.values
        with self._desk.transaction():
            self._desk.backend.execute(
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
                    stored.time(record.time),
                    stored.time(record.created) if record.created else None,
                ),
            )
        return Changes(packages=(record.id,))

    def last_from(self, case_id: str, peer_rcc: str) -> LastPackage | None:
        """The newest package (by its header's creation time) received from ``peer_rcc``
        for the case; None if none was, or none recorded its creation time."""
        row = self._desk.backend.execute(
            "SELECT id, created FROM packages WHERE direction = 'received' AND case_id = ?"
            " AND peer_rcc = ? AND created IS NOT NULL ORDER BY created DESC LIMIT 1",
            (case_id, peer_rcc),
        ).fetchone()
        if row is None:
            return None
        return LastPackage(self._desk.values.read_id(row[0]), self._desk.values.read_time(row[1]))

    def sender_checkpoints(self, case_id: str, key: str) -> list[dict[str, Any]]:
        """The case checkpoints signed by ``key`` (base64) that import notes of the case kept,
        oldest first (unverified: ``sarapp.exchange.case_checkpoint.cut_since`` checks them)."""
        return [checkpoint for _, checkpoint in self.kept_checkpoints(case_id, key)]

    def kept_checkpoints(self, case_id: str, key: str) -> list[tuple[str, dict[str, Any]]]:
        """As ``sender_checkpoints``, each with the id of the package that carried it: the
        signed log's own record of what was imported (the packages table is outside it)."""
        raise NotImplementedError

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
        receipt: Mapping[str, Any] | None = None,
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
        included (``db check`` replays from it). ``receipt`` (a sync's: this desk and the
        peer) is kept in the note as ``data.handover.sync``: a sync never sends a desk's own
        receipts back.
        """
        known = self.get(package.id)
        if known is not None:
            if known.digest != package.digest:
                raise HandoverError(
                    f"another package with id {package.id} was already {known.direction} here; "
                    "refused (a package id names one package only)"
                )
            return ImportResult(case.id, False, (), (), (), 0, True, Changes())
        desk = self._desk
        updates = dict(field_updates or {})
        with desk.transaction():
            self._refuse_foreign_ids(case.id, entries, positions)
            changes = Changes(cases=frozenset({case.id}), created=new_case)
            if new_case:
                desk.cases.insert_received(case)
            desk.cases.insert_positions(case.id, positions, recorded=utc_now())
            rechained = desk.chain.add_received(case.id, entries, kinds)
            for entry in entries:
                if desk.coordination.mirror(entry):
                    changes |= Changes(coordination=frozenset({case.id}))
                desk.alerts.mirror(entry)
            for run in drift_runs:
                desk.drift.add_received(case.id, run, (drift_entries or {}).get(run.id))
            desk.units.add_received(tasking.units, tasking.unit_positions)
            desk.plans.add_received(case.id, tasking.plans, tasking.plan_statuses)
            if new_case and case.lkp is not None:
                desk.cases.take_fields(case.id, {"lkp_id": case.lkp.id})
            desk.cases.take_fields(case.id, updates)
            logged = self.logged_conflicts(case.id)
            conflicts = [c for c in conflicts if _conflict_key(c) not in logged]
            self.record(package)
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
                CASE_STATE_KEY: desk.cases.state(case.id),
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
                    **({SYNC_KEY: dict(receipt)} if receipt else {}),
                },
            }
            changes |= desk.chain.append(
                case.id, kind=EntryKind.HANDOVER, text=text, author=author, data=data
            )
            for warning in warnings:
                changes |= desk.chain.append(
                    case.id,
                    kind=EntryKind.HANDOVER,
                    text=warning,
                    author=author,
                    data={"handover_warning": {"package_id": package.id, "from": package.peer_rcc}},
                )
            for conflict in conflicts:
                here_by = f" (changed by {conflict.local_by})" if conflict.local_by else ""
                there_by = f" (changed by {conflict.incoming_by})" if conflict.incoming_by else ""
                by = {
                    key: value
                    for key, value in (
                        ("local_by", conflict.local_by),
                        ("incoming_by", conflict.incoming_by),
                    )
                    if value
                }
                changes |= desk.chain.append(
                    case.id,
                    kind=EntryKind.HANDOVER,
                    text=(
                        f"Import conflict on {conflict.field}: here {conflict.local!r}{here_by}, "
                        f"{package.peer_rcc} has {conflict.incoming!r}{there_by}; "
                        f"{conflict.decision}"
                    ),
                    author=author,
                    data={
                        IMPORT_CONFLICT: {
                            "field": conflict.field,
                            "local": conflict.local,
                            "incoming": conflict.incoming,
                            "decision": conflict.decision,
                            "package_id": package.id,
                            **by,
                        }
                    },
                )
            result = _result(case.id, new_case, entries, positions, drift_runs, tasking,
                             package, conflicts, rechained, warnings, updates, changes)  # fmt: skip
            desk.announce(result.changes)
        return result

    # --- internals ---------------------------------------------------------------------

    def _refuse_foreign_ids(
        self, case_id: CaseId, entries: Sequence[LogEntry], positions: Sequence[Position]
    ) -> None:
        """An id this desk already uses in another case would silently merge two cases."""
        for table, what, ids in (
            ("log_entries", "log entry", [e.id for e in entries]),
            ("positions", "position", [p.id for p in positions]),
        ):
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                row = self._desk.backend.execute(
                    f"SELECT id, case_id FROM {table} WHERE id IN ({marks})", chunk
                ).fetchone()
                if row is not None:
                    raise HandoverError(
                        f"{what} {row[0]} already exists here in another case ({row[1]}) "
                        f"or twice; the package cannot be merged into case {case_id}"
                    )

    def logged_conflicts(self, case_id: CaseId) -> set[tuple[str, str, str]]:
        """The import conflicts already logged for the case (by this desk or the other, whose
        log it holds), as (field, local, incoming) in the chain's text form of values."""
        return {
            _conflict_key(
                FieldDifference(str(item.get("field")), item.get("local"), item.get("incoming"))
            )
            for item in self._data_members(case_id, IMPORT_CONFLICT)
            if isinstance(item, dict)
        }

    def _data_members(self, case_id: str, member: str) -> list[Any]:
        """The ``data[member]`` of the case's entries that hold one, in log order."""
        raise NotImplementedError


def _result(case_id: CaseId, new_case: bool, entries: Sequence[LogEntry],
            positions: Sequence[Position], drift_runs: Sequence[DriftRecord],
            tasking: TaskingImport, package: PackageRecord, conflicts: list[FieldDifference],
            rechained: int, warnings: Sequence[str], updates: Mapping[str, Any],
            changes: Changes) -> ImportResult:  # fmt: skip
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
        case_id,
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


def _labels(names: Mapping[str, Any]) -> str:
    return ", ".join(
        _LABELS.get(n) or (CASE_FIELDS[n].label if n in CASE_FIELDS else n) for n in names
    )


def _conflict_key(conflict: FieldDifference) -> tuple[str, str, str]:
    return (conflict.field, data_text(conflict.local), data_text(conflict.incoming))


def conflict_key(conflict: FieldDifference) -> tuple[str, str, str]:
    """How a conflict is told apart from another: field and both values."""
    return _conflict_key(conflict)


__all__ = ["IMPORT_CONFLICT", "SENDER_CHECKPOINT", "Packages", "conflict_key"]
