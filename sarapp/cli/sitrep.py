"""``sarapp sitrep CASE [--full]`` writes a SITREP; ``sarapp sitrep parse FILE`` reads one."""

from __future__ import annotations

import argparse
from pathlib import Path

from sarapp.cli.common import author_of, open_store
from sarapp.cli.keys import add_keys_dir_option, keys_dir_of
from sarapp.cli.output import print_json
from sarapp.exchange import keyring
from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.sitrep import SitrepExtras, sitrep_text
from sarapp.exchange.sitrep_parse import parse_sitrep
from sarapp.privacy import CHOSEN_PURPOSES, decide
from sarapp.store import Desk

DEFAULT_TO = "ALL CONCERNED"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sitrep = sub.add_parser(
        "sitrep",
        parents=[common],
        help="write a case's SITREP, or read one (sitrep parse FILE)",
        description="sarapp sitrep CASE [--full] writes a SITREP; "
        "sarapp sitrep parse FILE reads a received one into fields.",
    )
    sitrep.add_argument("case", metavar="CASE", help="case number or id, or 'parse'")
    sitrep.add_argument("file", metavar="FILE", nargs="?", help="with 'parse': the SITREP text")
    sitrep.add_argument("--full", action="store_true", help="full form (A–H, J–N)")
    sitrep.add_argument("--from", dest="sender", metavar="RCC", help="default: this desk's RCC")
    sitrep.add_argument("--to", action="append", default=[], metavar="RCC", help="repeatable")
    sitrep.add_argument("--number", type=int, help="default: next after those logged as sent")
    sitrep.add_argument(
        "--typographic",
        action="store_true",
        help="degrees and minutes with ° and ' (default: plain ASCII text for telex and AFTN)",
    )
    for name in SitrepExtras.__dataclass_fields__:
        sitrep.add_argument("--" + name.replace("_", "-"), default="", metavar="TEXT")
    sitrep.add_argument(
        "--purpose",
        default="flag-state",
        choices=[p.value for p in CHOSEN_PURPOSES],
        help="why it is written: names of persons only for a purpose that needs "
        "them, in the full form (default: flag-state, no names)",
    )
    sitrep.add_argument(
        "--include-personal",
        action="store_true",
        help="name persons where the purpose does not need it",
    )
    sitrep.add_argument(
        "--personal-reason", default="", metavar="TEXT", help="why (needed with --include-personal)"
    )
    sitrep.add_argument("--author")
    add_keys_dir_option(sitrep)
    sitrep.set_defaults(func=_sitrep)


def _sitrep(args: argparse.Namespace) -> int:
    if args.case == "parse":
        return _parse(args)
    if args.file:
        raise ExchangeError(f"unexpected {args.file!r}: only 'sitrep parse' takes a file")
    extras = SitrepExtras(
        **{name: getattr(args, name) for name in SitrepExtras.__dataclass_fields__}
    )
    disclosure = decide(args.purpose, include_personal=args.include_personal,
                        reason=args.personal_reason)  # fmt: skip
    with open_store(args, create=False) as store:
        case = store.cases.get(args.case)
        register = store.persons.register(case.id)
        text = sitrep_text(
            case,
            positions=store.cases.positions(case.id),
            log=store.log.entries(case.id),
            sender=_sender(args, case.rcc, store),
            to=args.to or [DEFAULT_TO],
            full=args.full,
            number=args.number,
            extras=extras,
            plans=store.plans.for_case(case.id),
            drift_runs=store.drift.runs(case.id),
            plain=not args.typographic,
            register=register,
            names=disclosure.personal,
        )
        if args.full and disclosure.personal:
            store.privacy.record_disclosure(
                case.id, disclosure=disclosure, kind="sitrep",
                recipient=", ".join(args.to or [DEFAULT_TO]),
                subjects=[p.id for p in register.persons if p.personal == "held" and p.name],
                author=author_of(args),
            )  # fmt: skip
    print_json({"case_id": case.id, "text": text}) if args.json else print(text, end="")
    return 0


def _sender(args: argparse.Namespace, case_rcc: str, store: Desk) -> str:
    if args.sender:
        return args.sender
    keyring.prepare(store, keys_dir_of(args))
    rcc = store.trust.identity().rcc
    if rcc:
        return rcc.name or rcc.id
    if case_rcc:
        return case_rcc
    raise ExchangeError("who sends this SITREP? give --from RCC (or set it: sarapp keys rcc)")


def _parse(args: argparse.Namespace) -> int:
    if not args.file:
        raise ExchangeError("sitrep parse needs the SITREP file")
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ExchangeError(f"cannot read {path}: {exc.strerror or exc}") from None
    parsed = parse_sitrep(text)
    if args.json:
        print_json(parsed.to_json())
        return 0
    out = parsed.to_json()
    for name, value in out["header"].items():
        print(f"{name}: {value}")
    for key, paragraph in out["paragraphs"].items():
        print(f"{paragraph['letter'] or '-'} {key}: {paragraph['text']}")
    for problem in parsed.unread:
        print(f"unread: {problem}")
    return 0
