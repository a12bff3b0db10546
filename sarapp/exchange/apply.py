"""Import a verified handover package into the desk: plan the merge, validate, write it once.

A package that is refused (bad signature, schema violation, damaged file, an invalid field
value, an id that belongs to another case here) writes nothing: every check runs before the
store's single import transaction, and the store refuses the rest inside it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sarapp.casefields import FieldError, parse_field
from sarapp.exchange.case_checkpoint import cut_since
from sarapp.exchange.errors import PackageError
from sarapp.exchange.gate import UntrustedSigner, admit
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.merge import MergePlan, plan_import
from sarapp.exchange.persons_body import commitments
from sarapp.exchange.reader import ReadPackage, SignatureStatus, read_package_file
from sarapp.exchange.wire import CASE_VALUES, time_from_wire
from sarapp.model import Case, CaseId, Changes, utc_now
from sarapp.model_exchange import FieldDifference, ImportResult, PackageRecord
from sarapp.outcomes import OutcomeError, parse_outcome
from sarapp.personfields import PersonError
from sarapp.privacy import PrivacyError
from sarapp.safetext import check_name
from sarapp.store import Desk
from sarapp.store.register_replay import RegisterDataError


@dataclass(frozen=True)
class ImportPreview:
    """What importing a read package would do, shown before anything is written.

    ``untrusted`` is set when the signer is not trusted here (importing would quarantine the
    package); ``replay_of`` names the newer package from the same peer that makes this one a
    replay (importing would change nothing)."""

    read: ReadPackage
    plan: MergePlan
    already_imported: bool
    untrusted: UntrustedSigner | None = None
    replay_of: str | None = None

    @property
    def conflicts(self) -> tuple[FieldDifference, ...]:
        return plan_conflicts(self.plan)


def package_digest(document: dict[str, Any]) -> str:
    """SHA-256 (hex) of the signer's public key and signature value. An Ed25519 signature is
    deterministic and pins the canonical content it verifies, so the same package (however
    re-indented or re-zipped in transit) has the same digest, and no other package has it;
    and it costs nothing, where hashing the canonical form again would cost as much as
    verifying it."""
    block = document["signature"]
    return hashlib.sha256(f"{block['public_key']}.{block['value']}".encode()).hexdigest()


def preview_import(store: Desk, read: ReadPackage) -> ImportPreview:
    """The merge plan of a package whose signature verifies (PackageError otherwise, or when
    the desk would refuse it); an untrusted signer is shown, not refused."""
    untrusted, replay_of = None, None
    try:
        replay = admit(store, read).replay_of
        replay_of = replay.package_id if replay else None
    except UntrustedSigner as exc:
        untrusted = exc
    plan = plan_import(store, read.body)
    validated_case(plan)
    known = store.packages.get(read.header["package_id"]) is not None
    return ImportPreview(read, plan, known, untrusted, replay_of)


def import_package(store: Desk, read: ReadPackage, *, author: str) -> ImportResult:
    """Merge a verified package into the desk in one transaction (see
    ``Desk.packages.import_case``), once ``sarapp.exchange.gate.admit`` has let it in
    (``UntrustedSigner`` or PackageError otherwise, nothing written).

    Importing the same package again changes nothing (``already_imported``), nor does one
    older than a package already imported from the same peer for the case (``replay_of``).
    """
    admission = admit(store, read)
    header = read.header
    if admission.replay_of is not None:
        case_id = CaseId(header["case_id"])
        return ImportResult(case_id, False, (), (), (), 0, False, Changes(),
                            replay_of=admission.replay_of.package_id)  # fmt: skip
    known = store.packages.get(header["package_id"])
    if known is not None and known.digest == package_digest(read.document):
        case_id = known.case_id or CaseId(header["case_id"])
        return ImportResult(case_id, False, (), (), (), 0, True, Changes())
    plan = plan_import(store, read.body)
    case = validated_case(plan)
    sender = header["from"]
    key = read.document["signature"]["public_key"]
    checkpoint = read.body.get("checkpoint")  # verified by the reader
    kept = store.packages.sender_checkpoints(plan.case_id, key)
    cut = cut_since(kept, read.body["log"], sender["id"])
    if plan.new_case and not case.origin_rcc:  # a package before version 4 did not say
        case = dataclasses.replace(case, origin_rcc=sender["id"], origin_number=plan.case.number)
    record = PackageRecord(
        id=header["package_id"],
        direction="received",
        case_id=plan.case_id,
        purpose=header["purpose"],
        peer_rcc=sender["id"],
        signer_fingerprint=read.signature.fingerprint,
        signature_status=SignatureStatus.VALID_TRUSTED.value,  # admitted: the desk trusts it
        digest=package_digest(read.document),
        time=utc_now(),
        created=time_from_wire(header["created"]),
    )
    name = f" ({sender['name']})" if sender.get("name") else ""
    with store.transaction():
        result = write_plan(
            store,
            plan,
            read.body,
            case=case,
            package=record,
            author=author,
            sender_checkpoint=checkpoint,
            warnings=(cut,) if cut else (),
            summary=(
                f"Package {record.id} ({record.purpose}) imported from {sender['id']}{name}, "
                f"signature {record.signature_status}"
            ),
        )
        if not result.already_imported:
            _take_personal(store, read, result)
    return result


def _take_personal(store: Desk, read: ReadPackage, result: ImportResult) -> None:
    """Inside the import's transaction: the personal content of the package's entries (held
    when the package carries it, withheld else, named by the import's note), and the persons
    register rebuilt from the merged log."""
    note_id = result.changes.entries[len(result.added_entries)]
    provided = {item["entry_id"]: item for item in read.body.get("personal", [])}
    try:
        store.privacy.receive(result.case_id, commitments(read.body), provided, note_id)
        store.persons.rebuild(result.case_id)
    except (PersonError, PrivacyError, RegisterDataError) as exc:
        raise PackageError(f"package refused: persons register: {exc}") from None


def write_plan(
    store: Desk,
    plan: MergePlan,
    body: dict[str, Any],
    *,
    case: Case,
    package: PackageRecord,
    author: str,
    summary: str,
    sender_checkpoint: dict[str, Any] | None = None,
    warnings: tuple[str, ...] = (),
    receipt: dict[str, Any] | None = None,
) -> ImportResult:
    """Write a merge plan of ``body`` (a package's, or a sync's) in one transaction
    (``Desk.packages.import_case``); ``case`` is the plan's case as ``validated_case`` gave
    it."""
    return store.packages.import_case(
        case=case,
        new_case=plan.new_case,
        entries=plan.new_entries,
        kinds={e["id"]: e["kind"] for e in body["log"]},
        positions=plan.new_positions,
        conflicts=plan_conflicts(plan),
        package=package,
        author=author,
        drift_runs=plan.new_drift_runs,
        drift_entries={r["id"]: r["entry_id"] for r in body.get("drift_runs", [])},
        tasking=plan.tasking,
        sender_checkpoint=sender_checkpoint,
        warnings=warnings,
        field_updates={u.field: _stored_value(case, u.field) for u in plan.field_updates},
        summary=summary,
        receipt=receipt,
    )


def import_package_file(
    store: Desk, path: Path, *, author: str
) -> tuple[ReadPackage, ImportResult]:
    """Read, verify and import a package file; PackageError (nothing written) if refused,
    ``UntrustedSigner`` if its signer is not trusted here (see ``sarapp.exchange.quarantine``
    to keep it aside)."""
    read = read_package_file(Path(path), trust=desk_trust(store))
    return read, import_package(store, read, author=author)


def validated_case(plan: MergePlan) -> Case:
    """The package's case with every field passed through ``parse_field``, and its origin
    holding no hidden character (PackageError if one does not pass: the package is refused
    rather than storing a value this desk rejects)."""
    values = {}
    for name in CASE_VALUES:
        try:
            values[name] = parse_field(name, getattr(plan.case, name))
        except FieldError as exc:
            raise PackageError(f"package refused: case.{name}: {exc}") from None
    try:
        values["outcome"] = parse_outcome(plan.case.outcome)
    except OutcomeError as exc:
        raise PackageError(f"package refused: case.outcome: {exc}") from None
    for name, member in (("origin_rcc", "rcc"), ("origin_number", "number")):
        try:
            check_name(getattr(plan.case, name))  # names shown beside the local number
        except ValueError as exc:
            raise PackageError(f"package refused: case.origin.{member}: {exc}") from None
    return dataclasses.replace(plan.case, **values)


def _stored_value(case: Case, name: str) -> Any:
    """The package's value of a case field as this desk stores it."""
    if name == "lkp_id":
        return case.lkp.id if case.lkp else None
    value = getattr(case, name)
    return getattr(value, "value", value)


def plan_conflicts(plan: MergePlan) -> tuple[FieldDifference, ...]:
    """Field conflicts and same-id-other-content entries, each keeping the local side."""
    found = [
        FieldDifference(c.field, c.local, c.incoming, c.decision, c.local_by, c.incoming_by)
        for c in plan.conflicts
    ]
    found += [
        FieldDifference(f"{c.what} {c.id}", "(local copy)", c.reason, "kept local copy")
        for c in plan.entry_conflicts
    ]
    return tuple(found)


def result_json(result: ImportResult, read: ReadPackage) -> dict[str, Any]:
    """``handover import --json``: the keys issue 6 names, and a few more."""
    return {
        "case_id": result.case_id,
        "created": result.created,
        "added_entries": len(result.added_entries),
        "added_positions": len(result.added_positions),
        "conflicts": [dataclasses.asdict(c) for c in result.conflicts],
        "rechained_entries": result.rechained,
        "added_units": len(result.added_units),
        "added_unit_positions": result.added_unit_positions,
        "added_plans": len(result.added_plans),
        "updated_plans": len(result.updated_plans),
        "updated_fields": list(result.updated_fields),
        "already_imported": result.already_imported,
        "replay_of": result.replay_of,
        "warnings": list(result.warnings),
        "signature": read.signature.status.value,
        "signer": read.signature.signer.id if read.signature.signer else None,
        "fingerprint": read.signature.fingerprint,
        "package_id": read.header["package_id"],
        "purpose": read.header["purpose"],
        "data_protection": read.header.get("data_protection"),
    }


__all__ = [
    "ImportPreview",
    "import_package",
    "import_package_file",
    "package_digest",
    "plan_conflicts",
    "preview_import",
    "result_json",
    "validated_case",
    "write_plan",
]
