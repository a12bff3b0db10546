"""``sarapp handover …``: export a signed case package, verify one, preview an import.

The import itself (which writes to the desk) belongs to the store; ``import --dry-run`` shows
the merge plan it would carry out.
"""

from __future__ import annotations

import argparse
import mimetypes
from pathlib import Path

from sarapp.cli.common import open_store
from sarapp.cli.keys import add_keys_dir_option, keys_dir_of
from sarapp.cli.output import print_json, to_jsonable
from sarapp.exchange import keys
from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.inbox import send
from sarapp.exchange.merge import MergePlan, plan_import
from sarapp.exchange.package import Attachment, Purpose, build_package, write_package
from sarapp.exchange.reader import ReadPackage, SignatureStatus, read_package_file
from sarapp.exchange.sitrep import sitrep_text
from sarapp.geo import format_dtg
from sarapp.store.rows import time_from_text


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("handover", parents=[common], help="signed case packages between RCCs")
    cmds = group.add_subparsers(dest="command", metavar="COMMAND", required=True)

    export = cmds.add_parser("export", parents=[common], help="write a signed case package")
    export.add_argument("case", metavar="CASE", help="case number, id or unique id prefix")
    export.add_argument("--to", required=True, metavar="RCC", help="receiving RCC id")
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.add_argument("--purpose", choices=[p.value for p in Purpose], default="information")
    export.add_argument("--sitrep", choices=["none", "short", "full"], default="short")
    export.add_argument("--attach", action="append", default=[], metavar="FILE")
    export.add_argument("--reply-to", metavar="PACKAGE_ID", help="package this one answers")
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

    imp = cmds.add_parser("import", parents=[common], help="preview importing a package")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="show the merge plan only")
    add_keys_dir_option(imp)
    imp.set_defaults(func=_import)


def receiver(keys_dir: Path, rcc_id: str) -> keys.Rcc:
    """The receiving RCC as the trust list names it, or just its id."""
    return next(
        (p.rcc for p in keys.trusted_peers(keys_dir) if p.rcc.id == rcc_id), keys.Rcc(rcc_id)
    )


def _export(args: argparse.Namespace) -> int:
    folder = keys_dir_of(args)
    desk = keys.load_or_create(folder)
    to = receiver(folder, args.to)
    attachments = [_attachment(Path(name)) for name in args.attach]
    with open_store(args, create=False) as store:
        case = store.get_case(args.case)
        text = None
        if args.sitrep != "none":
            text = sitrep_text(
                case,
                positions=store.positions(case.id),
                log=store.log(case.id),
                sender=desk.require_rcc().name or desk.require_rcc().id,
                to=[to.name or to.id],
                full=args.sitrep == "full",
            )
        document = build_package(
            store,
            case.id,
            keys=desk,
            to=to,
            purpose=args.purpose,
            sitrep=text,
            attachments=attachments,
            in_reply_to=args.reply_to,
        )
    size = write_package(Path(args.output), document, attachments)
    header = document["header"]
    if args.json:
        print_json({"file": args.output, "bytes": size, "header": header})
    else:
        print(f"wrote {args.output} ({size} bytes): case {case.number} to {to.id}")
        print(f"  package {header['package_id']}, purpose {header['purpose']}")
        print(f"  signed by {header['from']['id']}, fingerprint {desk.fingerprint}")
    return 0


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
    read = read_package_file(Path(args.file), keys_dir=keys_dir_of(args), strict=not args.lenient)
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
        created = format_dtg(time_from_text(header["created"]))
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


def plan_json(plan: MergePlan, read: ReadPackage) -> dict:
    """The keys issue 6 names for ``handover import --json``."""
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
        "dry_run": True,
    }


def _import(args: argparse.Namespace) -> int:
    if not args.dry_run:
        raise ExchangeError(
            "handover import can only preview for now: add --dry-run (the desk's import "
            "that writes the plan is not available yet)"
        )
    read = read_package_file(Path(args.file), keys_dir=keys_dir_of(args)).require_valid()
    with open_store(args, create=False) as store:
        plan = plan_import(store, read.body)
    if args.json:
        print_json(plan_json(plan, read))
        return 0
    print(f"signature: {read.signature.status.value} (fingerprint {read.signature.fingerprint})")
    print(f"case {plan.case_id}: {'new on this desk' if plan.new_case else 'known'}")
    print(f"  would add {len(plan.new_entries)} log entries, {len(plan.new_positions)} positions")
    for c in plan.conflicts:
        print(f"  conflict {c.field}: here {c.local!r}, package {c.incoming!r}")
    for c in plan.entry_conflicts:
        print(f"  conflict {c.what} {c.id}: {c.reason}")
    return 0
