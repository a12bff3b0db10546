"""``sarapp handover …``: export, verify, send and import signed case packages, and the
coordination handover (``propose`` to another RCC, ``answer`` a proposal).

``import --dry-run`` shows the merge plan without writing; ``import`` writes it (one
transaction, nothing written when the package is refused). A package signed by a key the desk
does not trust is quarantined (``handover quarantine`` lists them); once its key is trusted
(``keys trust``), ``import --quarantined ID`` imports it.
"""

from __future__ import annotations

import argparse
import mimetypes
import shlex
from dataclasses import asdict
from pathlib import Path

from sarapp.cli.common import author_of, open_store
from sarapp.cli.handover_outbox import register_outbox
from sarapp.cli.keys import add_keys_dir_option, keys_dir_of, open_trusting_store
from sarapp.cli.output import print_json, to_jsonable
from sarapp.exchange import keys
from sarapp.exchange.apply import ImportPreview, preview_import, result_json
from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.inbox import send
from sarapp.exchange.keyring import desk_keys, desk_trust
from sarapp.exchange.outbox import Delivery, deliver
from sarapp.exchange.package import Attachment, Purpose, default_disclosure
from sarapp.exchange.quarantine import (
    Quarantined,
    discard,
    find_quarantined,
    import_quarantined,
    list_quarantined,
    receive,
)
from sarapp.exchange.reader import (
    ReadPackage,
    SignatureStatus,
    package_file_bytes,
    read_package,
    read_package_file,
)
from sarapp.exchange.wire import time_from_wire, time_to_wire
from sarapp.exchange.workflow import SentPackage, answer_proposal, propose_handover, send_case
from sarapp.geo import format_dtg
from sarapp.model_exchange import ImportResult
from sarapp.privacy import CHOSEN_PURPOSES, Disclosure, decide
from sarapp.store import Desk, StoreError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("handover", parents=[common], help="signed case packages between RCCs")
    cmds = group.add_subparsers(dest="command", metavar="COMMAND", required=True)

    export = cmds.add_parser("export", parents=[common], help="write a signed case package")
    export.add_argument("case", metavar="CASE", help="case number, id or unique id prefix")
    export.add_argument("--to", required=True, metavar="RCC", help="receiving RCC id")
    _add_destination(export)
    export.add_argument("--purpose", choices=[p.value for p in Purpose], default="information")
    export.add_argument("--sitrep", choices=["none", "short", "full"], default="short")
    export.add_argument("--attach", action="append", default=[], metavar="FILE")
    export.add_argument("--reply-to", metavar="PACKAGE_ID", help="package this one answers")
    export.add_argument(
        "--data-purpose",
        choices=[p.value for p in CHOSEN_PURPOSES],
        help="why the persons' data goes (default: coordination for a "
        "handover of coordination, flag-state information else)",
    )
    export.add_argument(
        "--include-personal",
        action="store_true",
        help="include personal data where the data purpose does not need it",
    )
    export.add_argument(
        "--personal-reason",
        default="",
        metavar="TEXT",
        help="why personal data goes (needed with --include-personal)",
    )
    add_keys_dir_option(export)
    export.set_defaults(func=_export)

    verify = cmds.add_parser("verify", parents=[common], help="check a package's signature")
    verify.add_argument("file", metavar="FILE")
    verify.add_argument("--lenient", action="store_true", help="drop unknown members")
    add_keys_dir_option(verify)
    verify.set_defaults(func=_verify)

    send_ = cmds.add_parser("send", parents=[common], help="send a package to a peer's inbox")
    send_.add_argument("file", metavar="FILE")
    send_.add_argument("url", metavar="URL", help="e.g. http://127.0.0.1:8585/packages")
    send_.set_defaults(func=_send)

    imp = cmds.add_parser("import", parents=[common], help="merge a package into the desk")
    imp.add_argument("file", metavar="FILE", nargs="?")
    imp.add_argument("--quarantined", metavar="ID", help="import a quarantined package instead")
    imp.add_argument("--dry-run", action="store_true", help="show the merge plan only")
    imp.add_argument("--author", help="operator name for the log (default: $SARAPP_OPERATOR)")
    add_keys_dir_option(imp)
    imp.set_defaults(func=_import)

    quarantine = cmds.add_parser(
        "quarantine", parents=[common], help="packages kept aside: their signer is not trusted"
    )
    quarantine.add_argument("--discard", metavar="ID", help="delete one (not genuine)")
    add_keys_dir_option(quarantine)
    quarantine.set_defaults(func=_quarantine)

    propose = cmds.add_parser(
        "propose", parents=[common], help="ask another RCC to accept coordination of a case"
    )
    propose.add_argument("case", metavar="CASE", help="case number, id or unique id prefix")
    propose.add_argument("--to", required=True, metavar="RCC", help="receiving RCC id")
    _add_destination(propose)
    propose.add_argument("--author", help="operator name for the log")
    add_keys_dir_option(propose)
    propose.set_defaults(func=_propose)

    answer = cmds.add_parser(
        "answer",
        parents=[common],
        help="import a coordination proposal (if not yet) and accept or decline it",
    )
    answer.add_argument("file", metavar="FILE", help="the proposal package")
    choice = answer.add_mutually_exclusive_group(required=True)
    choice.add_argument("--accept", action="store_true")
    choice.add_argument("--decline", action="store_true")
    answer.add_argument("--reason", default="", help="said in the log and to the proposer")
    answer.add_argument(
        "--smc", default="", help="on accepting: this RCC's SMC for the case (default: none yet)"
    )
    _add_destination(answer)
    answer.add_argument("--author", help="operator name for the log")
    add_keys_dir_option(answer)
    answer.set_defaults(func=_answer)

    register_outbox(cmds, common)


def _add_destination(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write the package to FILE")
    parser.add_argument(
        "--url",
        metavar="URL",
        help="deliver it to the peer's inbox (e.g. http://HOST:8585/packages): committed to "
        "the outbox first, retried by 'handover outbox --retry' if the peer does not answer",
    )


def _destination(args: argparse.Namespace) -> dict:
    if not args.output and not args.url:
        raise ExchangeError("where to? give -o FILE, --url URL of the peer's inbox, or both")
    return {"output": Path(args.output) if args.output else None, "outbox_url": args.url}


def receiver(store: Desk, rcc_id: str) -> keys.Rcc:
    """The receiving RCC as the desk's trust list names it, or just its id."""
    return next((p.rcc for p in store.trust.peers() if p.rcc.id == rcc_id), keys.Rcc(rcc_id))


def _export(args: argparse.Namespace) -> int:
    attachments = [_attachment(Path(name)) for name in args.attach]
    destination = _destination(args)
    with open_trusting_store(args) as store:
        desk = desk_keys(store, keys_dir_of(args))
        to = receiver(store, args.to)
        number = store.cases.get(args.case).number
        sent = send_case(
            store,
            args.case,
            keys=desk,
            to=to,
            author=author_of(args),
            purpose=args.purpose,
            sitrep=None if args.sitrep == "none" else args.sitrep,
            attachments=attachments,
            in_reply_to=args.reply_to,
            disclosure=_disclosure(args),
            **destination,
        )
        delivery = _deliver(args, store, sent)
    return _report_sent(args, sent, f"case {number} to {to.id}", desk, delivery)


def _disclosure(args: argparse.Namespace) -> Disclosure:
    """What the package carries of persons: the data purpose chosen, or the purpose's own."""
    purpose = args.data_purpose or default_disclosure(args.purpose).purpose
    return decide(purpose, include_personal=args.include_personal, reason=args.personal_reason)


def _deliver(args: argparse.Namespace, store: Desk, sent: SentPackage) -> Delivery | None:
    """Deliver a package just committed to the outbox (no transaction is open now)."""
    return deliver(store, sent.package_id, author=author_of(args)) if sent.queued else None


def _report_sent(
    args: argparse.Namespace, sent: SentPackage, what: str, desk, delivery: Delivery | None
) -> int:
    header = sent.document["header"]
    if args.json:
        out = {"file": args.output, "bytes": sent.size, "header": header}
        if delivery is not None:
            out.update(url=args.url, delivered=delivery.delivered, delivery=delivery.detail)
        print_json(out)
    else:
        if args.output:
            print(f"wrote {args.output} ({sent.size} bytes): {what}")
        else:
            print(f"prepared {sent.size} bytes for {args.url}: {what}")
        print(f"  package {header['package_id']}, purpose {header['purpose']}")
        protection = header.get("data_protection") or {}
        carried = "with personal data" if protection.get("personal_data") else "counts only"
        print(f"  persons: {carried} (for {protection.get('purpose', '?')})")
        print(f"  signed by {header['from']['id']}, fingerprint {desk.fingerprint}")
        if delivery is not None and delivery.delivered:
            print(f"  delivered to {args.url}: {delivery.detail}")
    if delivery is not None and not delivery.delivered:
        raise ExchangeError(
            f"not delivered to {args.url} ({delivery.detail}); the package is recorded as "
            "sent and kept in the outbox: 'sarapp handover outbox --retry' delivers it"
        )
    return 0


def _propose(args: argparse.Namespace) -> int:
    destination = _destination(args)
    with open_trusting_store(args) as store:
        desk = desk_keys(store, keys_dir_of(args))
        to = receiver(store, args.to)
        sent = propose_handover(
            store, args.case, keys=desk, to=to, author=author_of(args), **destination
        )
        number = store.cases.get(sent.case_id).number
        delivery = _deliver(args, store, sent)
    what = f"case {number}: {to.id} asked to accept coordination"
    return _report_sent(args, sent, what, desk, delivery)


def _answer(args: argparse.Namespace) -> int:
    destination = _destination(args)
    with open_trusting_store(args) as store:
        desk = desk_keys(store, keys_dir_of(args))
        proposal = read_package_file(Path(args.file), trust=desk_trust(store)).require_valid()
        imported, sent = answer_proposal(
            store,
            proposal,
            accept=args.accept,
            keys=desk,
            author=author_of(args),
            reason=args.reason,
            smc=args.smc,
            **destination,
        )
        coordinator = store.coordination.coordinator(sent.case_id)
        if not args.json and not imported.already_imported:
            _report_import(args, store, imported, proposal)
        delivery = _deliver(args, store, sent)
    verb = "accepted" if args.accept else "declined"
    what = f"coordination {verb}; {coordinator.rcc_id if coordinator else '?'} coordinates"
    return _report_sent(args, sent, what, desk, delivery)


def _send(args: argparse.Namespace) -> int:
    try:
        content = Path(args.file).read_bytes()
    except OSError as exc:
        raise ExchangeError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    answer = send(content, args.url)
    if args.json:
        print_json(answer)
    else:
        again = " (already received)" if answer.get("already_received") else ""
        print(f"delivered {answer.get('package_id')} to {args.url}{again}")
        print(f"  the peer reads the signature as {answer.get('signature')}")
    return 0


def _attachment(path: Path) -> Attachment:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"cannot read attachment {path}: {exc.strerror or exc}") from None
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Attachment(path.name, media_type, content)


def signature_json(read: ReadPackage) -> dict:
    s = read.signature
    signer = s.signer.id if s.signer else None
    return {
        "status": s.status.value,
        "fingerprint": s.fingerprint,
        "signer": signer,
        "reason": s.reason,
    }


def _verify(args: argparse.Namespace) -> int:
    try:
        with open_trusting_store(args) as store:
            trust = desk_trust(store)
    except StoreError:  # no desk here: the signature can still be checked
        trust = None
    read = read_package_file(Path(args.file), trust=trust, strict=not args.lenient)
    header, body = read.header, read.body
    if args.json:
        print_json(
            {
                "signature": signature_json(read),
                "header": header,
                "case_number": body["case"]["number"],
                "log_entries": len(body["log"]),
                "positions": len(body["positions"]),
                "attachments": [a["name"] for a in body["attachments"]],
                "upgraded_from": read.upgraded_from,
                "dropped": list(read.dropped),
            }
        )
    else:
        s = read.signature
        detail = f"{s.signer.id}, " if s.signer else ""
        print(f"signature: {s.status.value} ({detail}fingerprint {s.fingerprint})")
        if s.reason:
            print(f"  {s.reason}")
        created = format_dtg(time_from_wire(header["created"]))
        print(f"package {header['package_id']} created {created}, purpose {header['purpose']}")
        print(f"  from {_rcc_text(header['from'])} to {_rcc_text(header['to'])}")
        print(f"  case {body['case']['number']} {body['case']['title']} ({body['case']['id']})")
        print(
            f"  {len(body['log'])} log entries, {len(body['positions'])} positions, "
            f"{len(body['attachments'])} attachments"
        )
    return 1 if read.signature.status is SignatureStatus.INVALID else 0


def _rcc_text(rcc: dict) -> str:
    extra = ", ".join(v for v in (rcc["name"], rcc["country"]) if v)
    return rcc["id"] + (f" ({extra})" if extra else "")


def plan_json(preview: ImportPreview) -> dict:
    """The keys issue 6 names for ``handover import --dry-run --json``, and what the desk's
    trust would make of the package."""
    plan, read = preview.plan, preview.read
    return {
        "case_id": plan.case_id,
        "created": plan.new_case,
        "added_entries": len(plan.new_entries),
        "added_positions": len(plan.new_positions),
        "conflicts": to_jsonable(list(plan.conflicts)),
        "entry_conflicts": to_jsonable(list(plan.entry_conflicts)),
        "signature": read.signature.status.value,
        "signer": read.signature.signer.id if read.signature.signer else None,
        "fingerprint": read.signature.fingerprint,
        "would_be_quarantined": preview.untrusted is not None,
        "replay_of": preview.replay_of,
        "dry_run": True,
    }


def _import(args: argparse.Namespace) -> int:
    if (args.file is None) == (args.quarantined is None):
        raise ExchangeError("give the package FILE, or --quarantined ID (not both)")
    with open_trusting_store(args) as store:
        if args.quarantined:
            item = find_quarantined(store, args.quarantined)
            received = import_quarantined(store, item, author=author_of(args))
        else:
            content = package_file_bytes(Path(args.file))
            if args.dry_run:
                read = read_package(content, trust=desk_trust(store)).require_valid()
                return _print_plan(args, preview_import(store, read))
            received = receive(store, content, author=author_of(args))
        if received.quarantined is not None:
            return _report_quarantined(args, received.quarantined)
        assert received.result is not None
        return _report_import(args, store, received.result, received.read)


def quarantine_line(item: Quarantined, args: argparse.Namespace | None = None) -> str:
    """What the officer reads when a package is quarantined: the fingerprint to check and
    the commands that trust the key and import the package, on the desk (and with the keys
    folder) the officer named: run as printed, they must not trust the key in another desk."""
    db = f"--db {shlex.quote(str(args.db))} " if args is not None and args.db else ""
    keys_dir = keys_dir_of(args) if args is not None else None
    folder = f" --keys-dir {shlex.quote(str(keys_dir))}" if keys_dir else ""
    return (
        f"package {item.package_id} quarantined, nothing imported: it is signed by a key this "
        f"desk does not trust (fingerprint {item.fingerprint}) and claims to come from "
        f"{item.claimed.id}; check that fingerprint with {item.claimed.id} by another channel, "
        f"then run: sarapp {db}keys trust {shlex.quote(str(item.path))} --fingerprint "
        f"{shlex.quote(item.fingerprint)}{folder} and sarapp {db}handover import --quarantined "
        f"{item.package_id}{folder}"
    )


def quarantined_json(item: Quarantined) -> dict:
    return {
        "status": "quarantined",
        "package_id": item.package_id,
        "case_id": item.case_id,
        "case_title": item.case_title,
        "purpose": item.purpose,
        "claimed_sender": asdict(item.claimed),
        "fingerprint": item.fingerprint,
        "received": time_to_wire(item.received),
        "file": str(item.path),
    }


def _report_quarantined(args: argparse.Namespace, item: Quarantined) -> int:
    if args.json:
        print_json(quarantined_json(item))
        return 1
    raise ExchangeError(quarantine_line(item, args))


def _report_import(
    args: argparse.Namespace, store: Desk, result: ImportResult, read: ReadPackage
) -> int:
    if args.json:
        print_json(result_json(result, read))
        return 0
    print(f"signature: {read.signature.status.value} (fingerprint {read.signature.fingerprint})")
    package_id = read.header["package_id"]
    if result.replay_of:
        print(
            f"package {package_id} is older than package {result.replay_of}, already imported "
            f"from {read.claimed_sender.id} for this case: nothing changed"
        )
        return 0
    if result.already_imported:
        print(f"package {package_id} was imported before: nothing changed")
        return 0
    number = store.cases.get(result.case_id).number
    state = "created on this desk" if result.created else "merged"
    print(f"case {number} ({result.case_id}) {state}")
    print(
        f"  added {len(result.added_entries)} log entries, {len(result.added_positions)} positions,"
        f" {len(result.added_units)} units ({result.added_unit_positions} unit positions),"
        f" {len(result.added_plans)} search plans; {len(result.updated_plans)} plans updated"
    )
    if result.updated_fields:
        print(f"  taken from the package: {', '.join(result.updated_fields)}")
    for c in result.conflicts:
        print(f"  conflict {c.field}: here {c.local!r}, package {c.incoming!r}: {c.decision}")
    for warning in result.warnings:  # logged in the case too
        print(f"  warning: {warning}")
    return 0


def _print_plan(args: argparse.Namespace, preview: ImportPreview) -> int:
    if args.json:
        print_json(plan_json(preview))
        return 0
    plan, read = preview.plan, preview.read
    print(f"signature: {read.signature.status.value} (fingerprint {read.signature.fingerprint})")
    if preview.untrusted is not None:
        print(f"  would be quarantined: {preview.untrusted}")
    if preview.replay_of:
        print(f"  older than package {preview.replay_of} already imported: would change nothing")
    print(f"case {plan.case_id}: {'new on this desk' if plan.new_case else 'known'}")
    print(f"  would add {len(plan.new_entries)} log entries, {len(plan.new_positions)} positions")
    for c in plan.conflicts:
        print(f"  conflict {c.field}: here {c.local!r}, package {c.incoming!r}")
    for c in plan.entry_conflicts:
        print(f"  conflict {c.what} {c.id}: {c.reason}")
    return 0


def _quarantine(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        if args.discard:
            item = find_quarantined(store, args.discard)
            discard(item)
            print_json(quarantined_json(item)) if args.json else print(
                f"discarded package {item.package_id} ({item.claimed.id}, {item.fingerprint})"
            )
            return 0
        items = list_quarantined(store)
    if args.json:
        print_json([quarantined_json(q) for q in items])
        return 0
    print(f"{len(items)} packages in quarantine")
    for q in items:
        print(
            f"  {format_dtg(q.received)}  from {q.claimed.id} (claimed), fingerprint "
            f"{q.fingerprint}\n    case {q.case_title!r}, {q.purpose}, package {q.package_id}"
        )
    return 0
