"""Sending packages and the coordination handover: propose → accept or decline.

Under the SAR Convention the first RCC that learns of a distress coordinates until another RCC
explicitly accepts. So: ``propose_handover`` records (if nothing is recorded yet) that this
desk's RCC coordinates since the case was opened, logs the proposal and returns a signed
``request-coordination`` package; the receiver imports it and ``answer_handover`` logs its
acceptance or refusal and returns a signed ``acceptance``/``refusal`` package referencing the
proposal; importing that answer records, on the proposing desk, who coordinates since when.

Each step is one transaction: the log entry recording it is written first, so the package
carries its own record; the package is built, noted in the ``packages`` table and (when a file
is given) written atomically before the transaction commits — a failed write leaves no trace.
For a peer's inbox (``outbox_url``) the package is queued in the outbox in that transaction
instead; the network is used only afterwards, by ``sarapp.exchange.outbox.deliver``, outside
any transaction. Every step returns the ``Changes`` it made with the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sarapp.exchange.apply import import_package, package_digest
from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.keys import DeskKeys, Rcc
from sarapp.exchange.package import (
    Attachment,
    Purpose,
    build_package,
    default_disclosure,
    package_bytes,
)
from sarapp.exchange.persons_body import disclosed_subjects
from sarapp.exchange.reader import ReadPackage
from sarapp.exchange.sitrep import SITREP_NUMBER_KEY, next_sitrep_number, sitrep_text
from sarapp.geo import format_dtg
from sarapp.model import CaseId, Changes, EntryKind, new_id, utc_now
from sarapp.model_exchange import ImportResult, PackageRecord
from sarapp.privacy import Disclosure
from sarapp.store import Desk

NO_CHANGES = Changes()


@dataclass(frozen=True)
class SentPackage:
    """A package built, signed and recorded as sent (``content``: the file's bytes), queued
    in the outbox when it goes to a peer's inbox, and what sending it changed on the desk."""

    document: dict[str, Any]
    content: bytes
    case_id: CaseId
    changes: Changes = field(default_factory=Changes)
    queued: bool = False  # waiting in the outbox for delivery

    @property
    def package_id(self) -> str:
        return self.document["header"]["package_id"]

    @property
    def size(self) -> int:
        return len(self.content)


def case_sitrep(
    store: Desk,
    case_ref: str,
    *,
    keys: DeskKeys,
    to: Rcc,
    full: bool,
    number: int | None = None,
    plain: bool = True,
    disclosure: Disclosure | None = None,
) -> str:
    """The case's SITREP as this desk would send it to ``to`` (short form, or ``full``),
    numbered ``number`` (default: the next one the case log has not recorded as sent), in
    plain text (or the ``plain=False`` typographic form). It names persons only when the
    ``disclosure`` carries personal data (default: it does not)."""
    case = store.cases.get(case_ref)
    sender = keys.require_rcc()
    return sitrep_text(
        case,
        positions=store.cases.positions(case.id),
        log=store.log.entries(case.id),
        sender=sender.name or sender.id,
        to=[to.name or to.id],
        full=full,
        number=number,
        plans=store.plans.for_case(case.id),
        drift_runs=store.drift.runs(case.id),
        plain=plain,
        register=store.persons.register(case.id),
        names=disclosure is not None and disclosure.personal,
    )


def _record_sitrep(store: Desk, case_id: CaseId, sitrep: str | None) -> int | None:
    """The number of the SITREP about to be sent (None without one); must run inside the
    sending transaction, before the "sent" line that records it."""
    return next_sitrep_number(store.log.entries(case_id)) if sitrep is not None else None


def send_case(
    store: Desk,
    case_ref: str,
    *,
    keys: DeskKeys,
    to: Rcc,
    author: str,
    purpose: Purpose | str = Purpose.INFORMATION,
    sitrep: str | None = "short",
    attachments: Sequence[Attachment] = (),
    in_reply_to: str | None = None,
    output: Path | None = None,
    outbox_url: str | None = None,
    disclosure: Disclosure | None = None,
) -> SentPackage:
    """Log "package sent", build and sign the package, record it, and write it to ``output``
    and/or queue it in the outbox for ``outbox_url`` — all or nothing: if writing fails, the
    log and the packages table are left as they were.

    ``sitrep`` is "short", "full" or None (no SITREP in the package). ``disclosure``: why it
    is sent and whether personal data goes (default: ``default_disclosure`` of the purpose);
    the "sent" line records it, and a package carrying personal data is recorded as a
    disclosure of the persons' data to ``to``.
    """
    purpose = _purpose(purpose)
    disclosure = disclosure or default_disclosure(purpose)
    case_id = store.cases.resolve(case_ref)
    package_id = new_id()
    with store.transaction():
        number = _record_sitrep(store, case_id, sitrep)
        data: dict = {"handover": {"package_id": package_id, "purpose": purpose.value, "to": to.id}}
        text = f"Package {package_id} ({purpose.value}) sent to {_rcc_text(to)}"
        if outbox_url:
            text = (
                f"Package {package_id} ({purpose.value}) prepared for {_rcc_text(to)}, "
                f"to be delivered to {outbox_url}"
            )
        text += _disclosure_text(disclosure)
        if number is not None:
            data[SITREP_NUMBER_KEY] = number
            text += f", with SITREP {number} ({sitrep} form)"
        data[DATA_PROTECTION_KEY] = disclosure.to_json()
        changes = store.log.append(case_id, text, author=author, data=data, kind=EntryKind.HANDOVER)
        return _build_and_record(
            store,
            case_id,
            keys=keys,
            to=to,
            purpose=purpose,
            sitrep=sitrep,
            attachments=attachments,
            in_reply_to=in_reply_to,
            package_id=package_id,
            output=output,
            outbox_url=outbox_url,
            sitrep_number=number,
            changes=changes,
            disclosure=disclosure,
            author=author,
        )


def propose_handover(
    store: Desk,
    case_ref: str,
    *,
    keys: DeskKeys,
    to: Rcc,
    author: str,
    sitrep: str | None = "short",
    attachments: Sequence[Attachment] = (),
    output: Path | None = None,
    outbox_url: str | None = None,
) -> SentPackage:
    """Ask ``to`` to accept coordination of the case; this desk's RCC coordinates until then.

    Refused when another RCC coordinates the case (only the coordinator hands it over).
    """
    me = keys.require_rcc()
    if to.id == me.id:
        raise ExchangeError("a handover of coordination goes to another RCC, not to this desk")
    case = store.cases.get(case_ref)
    package_id = new_id()
    changes = Changes()
    with store.transaction():
        current = store.coordination.coordinator(case.id)
        if current is None:
            changes |= store.coordination.record(
                case.id,
                event="coordinating",
                rcc_id=me.id,
                rcc_name=me.name,
                time=case.created,
                author=author,
                text=(
                    f"{_rcc_text(me)} coordinates since {format_dtg(case.created)} "
                    "(first RCC informed)"
                ),
            )
        elif current.rcc_id != me.id:
            raise ExchangeError(
                f"{current.rcc_id} coordinates this case, not {me.id}: only the coordinating "
                "RCC can propose a handover"
            )
        changes |= store.coordination.record(
            case.id,
            event="proposed",
            rcc_id=to.id,
            rcc_name=to.name,
            package_id=package_id,
            author=author,
            text=(
                f"Handover of coordination proposed to {_rcc_text(to)} (package {package_id}); "
                f"{me.id} coordinates until {to.id} accepts"
            ),
        )
        number = _record_sitrep(store, case.id, sitrep)
        if number is not None:
            changes |= store.log.append(
                case.id,
                f"SITREP {number} ({sitrep} form) sent to {_rcc_text(to)} with the proposal",
                author=author,
                data={SITREP_NUMBER_KEY: number, "handover": {"package_id": package_id}},
                kind=EntryKind.HANDOVER,
            )
        return _build_and_record(
            store,
            case.id,
            keys=keys,
            to=to,
            purpose=Purpose.REQUEST_COORDINATION,
            sitrep=sitrep,
            attachments=attachments,
            in_reply_to=None,
            package_id=package_id,
            output=output,
            outbox_url=outbox_url,
            sitrep_number=number,
            changes=changes,
            author=author,
        )


def answer_handover(
    store: Desk,
    proposal: ReadPackage,
    *,
    accept: bool,
    keys: DeskKeys,
    author: str,
    reason: str = "",
    smc: str = "",
    output: Path | None = None,
    outbox_url: str | None = None,
) -> SentPackage:
    """Accept or decline an imported proposal addressed to this desk's RCC; the answer package
    goes back to the proposing RCC and references the proposal's package id.

    Accepting makes this desk's RCC the case's responsible RCC and ``smc`` its SMC (empty:
    none named yet; the proposer's SMC no longer coordinates), each logged as a field change
    that travels with the answer, so the proposing desk takes them too.
    """
    me = keys.require_rcc()
    header = proposal.require_valid().header
    proposal_id = header["package_id"]
    if header["purpose"] != Purpose.REQUEST_COORDINATION.value:
        raise ExchangeError(
            f"package {proposal_id} is a {header['purpose']!r} package, not a request to accept "
            "coordination"
        )
    if header["to"]["id"] != me.id:
        raise ExchangeError(
            f"the proposal is addressed to {header['to']['id']}, not to this desk ({me.id})"
        )
    record = store.packages.get(proposal_id)
    if record is None or record.direction != "received":
        raise ExchangeError(
            f"import the proposal {proposal_id} first (sarapp handover import FILE), then answer"
        )
    case_id = CaseId(header["case_id"])
    answered = [
        e
        for e in store.coordination.history(case_id)
        if e.package_id == proposal_id and e.event in ("accepted", "declined")
    ]
    if answered:
        raise ExchangeError(f"proposal {proposal_id} was already {answered[0].event} here")
    sender = Rcc(**{k: header["from"].get(k, "") for k in ("id", "name", "country")})
    event, purpose = ("accepted", Purpose.ACCEPTANCE) if accept else ("declined", Purpose.REFUSAL)
    now = utc_now()
    if accept:
        text = (
            f"Coordination accepted: {_rcc_text(me)} coordinates from {format_dtg(now)} "
            f"(answer to {sender.id}'s proposal {proposal_id})"
        )
    else:
        text = (
            f"Coordination declined by {_rcc_text(me)}; {sender.id} remains coordinator "
            f"(answer to proposal {proposal_id})"
        )
    if reason.strip():
        text += f": {reason.strip()}"
    package_id = new_id()
    with store.transaction():
        changes = store.coordination.record(
            case_id,
            event=event,
            rcc_id=me.id,
            rcc_name=me.name,
            package_id=proposal_id,
            time=now,
            author=author,
            text=text,
        )
        if accept:
            changes |= store.cases.set_field(case_id, "rcc", me.name or me.id, author=author)
            changes |= store.cases.set_field(case_id, "smc", smc.strip(), author=author)
        return _build_and_record(
            store,
            case_id,
            keys=keys,
            to=sender,
            purpose=purpose,
            sitrep=None,
            attachments=(),
            in_reply_to=proposal_id,
            package_id=package_id,
            output=output,
            outbox_url=outbox_url,
            changes=changes,
            author=author,
        )


def answer_proposal(
    store: Desk,
    proposal: ReadPackage,
    *,
    accept: bool,
    keys: DeskKeys,
    author: str,
    reason: str = "",
    smc: str = "",
    output: Path | None = None,
    outbox_url: str | None = None,
) -> tuple[ImportResult, SentPackage]:
    """Import a received proposal (if not yet imported) and answer it, in one transaction:
    if the answer cannot be built or written, the import is undone too."""
    with store.transaction():
        imported = import_package(store, proposal, author=author)
        sent = answer_handover(
            store,
            proposal,
            accept=accept,
            keys=keys,
            author=author,
            reason=reason,
            smc=smc,
            output=output,
            outbox_url=outbox_url,
        )
    return imported, sent


def _build_and_record(
    store: Desk,
    case_id: CaseId,
    *,
    keys: DeskKeys,
    to: Rcc,
    purpose: Purpose,
    sitrep: str | None,
    attachments: Sequence[Attachment],
    in_reply_to: str | None,
    package_id: str,
    output: Path | None,
    outbox_url: str | None = None,
    sitrep_number: int | None = None,
    changes: Changes = NO_CHANGES,
    disclosure: Disclosure | None = None,
    author: str = "",
) -> SentPackage:
    """Inside the caller's transaction: build, sign, record as sent (and as a disclosure of
    the persons' data when it carries any), write the file and/or queue the package for a
    peer's inbox."""
    disclosure = disclosure or default_disclosure(purpose)
    text = None
    if sitrep is not None:
        if sitrep not in ("short", "full"):
            raise ExchangeError(f"sitrep must be 'short', 'full' or none, not {sitrep!r}")
        text = case_sitrep(
            store, case_id, keys=keys, to=to, full=sitrep == "full", number=sitrep_number,
            disclosure=disclosure,
        )  # fmt: skip
    document = build_package(
        store,
        case_id,
        keys=keys,
        to=to,
        purpose=purpose,
        sitrep=text,
        attachments=attachments,
        in_reply_to=in_reply_to,
        package_id=package_id,
        disclosure=disclosure,
    )
    if disclosure.personal:
        changes |= store.privacy.record_disclosure(
            case_id,
            disclosure=disclosure,
            kind="package",
            recipient=f"{to.id} (package {package_id})",
            subjects=disclosed_subjects(store, case_id),
            author=author or "desk",
            entry_id=changes.entries[-1] if changes.entries else None,
        )
    signature = keys.fingerprint
    changes |= store.packages.record(
        PackageRecord(
            id=package_id,
            direction="sent",
            case_id=case_id,
            purpose=purpose.value,
            peer_rcc=to.id,
            signer_fingerprint=signature,
            signature_status="signed",
            digest=package_digest(document),
            time=utc_now(),
        )
    )
    content = package_bytes(document, attachments)
    if output is not None:
        try:
            write_atomic(Path(output), content)
        except OSError as exc:
            raise ExchangeError(
                f"cannot write the package to {output}: {exc.strerror or exc}"
            ) from None
    if outbox_url:
        changes |= store.outbox.queue(
            package_id=package_id, case_id=case_id, peer_rcc=to.id, url=outbox_url, content=content
        )
    return SentPackage(document, content, case_id, changes, queued=bool(outbox_url))


DATA_PROTECTION_KEY = "data_protection"  # the "sent" line's record of the disclosure


def _disclosure_text(disclosure: Disclosure) -> str:
    """How the "sent" line says what the package carries of persons."""
    if not disclosure.personal:
        return ""  # counts and statuses only: the default of an information package
    reason = f" (reason: {disclosure.reason})" if disclosure.reason else ""
    return f"; with personal data, for {disclosure.purpose.label}{reason}"


def _purpose(purpose: Purpose | str) -> Purpose:
    try:
        return Purpose(purpose)
    except ValueError:
        choices = ", ".join(p.value for p in Purpose)
        raise ExchangeError(f"unknown purpose {purpose!r} (one of: {choices})") from None


def _rcc_text(rcc: Rcc) -> str:
    return f"{rcc.id} ({rcc.name})" if rcc.name and rcc.name != rcc.id else rcc.id


__all__ = [
    "SentPackage",
    "answer_handover",
    "answer_proposal",
    "case_sitrep",
    "propose_handover",
    "send_case",
]
