"""``sarapp privacy …``: retention and purge of personal data, a person's right of access,
and the record of disclosures (``docs/data-protection.md``)."""

from __future__ import annotations

import argparse

from sarapp.chain import time_text as time_to_text
from sarapp.cli.common import author_of, open_store
from sarapp.cli.output import one_line, print_json
from sarapp.geo import format_dtg
from sarapp.privacy import Disclosure, PrivacyError, Purpose
from sarapp.privacy_report import subject_report
from sarapp.store.purge import purge


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    privacy = sub.add_parser("privacy", parents=[common], help="personal data: retention, purge,"
                             " right of access")  # fmt: skip
    cmds = privacy.add_subparsers(dest="command", metavar="COMMAND", required=True)

    purge_ = cmds.add_parser(
        "purge", parents=[common], help="purge the personal data of cases closed long enough ago"
    )
    purge_.add_argument("--older-than", type=int, metavar="DAYS",
                        help="days since closing (default: the desk's retention period; "
                        "0: every closed case)")  # fmt: skip
    purge_.add_argument("--case", help="only this case (refused while it is open)")
    purge_.add_argument("--dry-run", action="store_true", help="list what would go, change nothing")
    purge_.add_argument("--author")
    purge_.set_defaults(func=_purge)

    retention = cmds.add_parser(
        "retention", parents=[common], help="show or set the desk's retention period"
    )
    retention.add_argument(
        "days", nargs="?", metavar="DAYS", help="days after a case is closed ('none': no period)"
    )
    retention.set_defaults(func=_retention)

    report = cmds.add_parser(
        "report",
        parents=[common],
        help="everything the desk holds about a person, and where it went",
    )
    report.add_argument("person", metavar="PERSON-ID", help="person id (or unique prefix)")
    report.add_argument("--author")
    report.set_defaults(func=_report)

    shown = cmds.add_parser(
        "disclosures", parents=[common], help="every display and export of personal data"
    )
    shown.add_argument("--case")
    shown.set_defaults(func=_disclosures)  # fmt: skip


def _purge(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        result = purge(store.persons, author=author_of(args), older_than_days=args.older_than,
                       case_ref=args.case, dry_run=args.dry_run)  # fmt: skip
    if args.json:
        print_json({
            "dry_run": result.dry_run,
            "rule": result.rule,
            "cases": [{"case_id": c.case_id, "number": c.number,
                       "closed": time_to_text(c.closed), "persons": c.persons,
                       "entries": c.entries, "packages": c.packages} for c in result.cases],
        })  # fmt: skip
        return 0
    verb = "would be purged" if result.dry_run else "purged"
    if not result.cases:
        print(f"nothing to purge (rule: {result.rule})")
    for c in result.cases:
        print(f"{c.number}  closed {format_dtg(c.closed)}  {c.persons} persons, "
              f"{c.entries} log entries, {c.packages} packages {verb}")  # fmt: skip
    return 0


def _retention(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        if args.days is not None:
            word = args.days.strip().lower()
            if word != "none" and not word.isdigit():
                raise PrivacyError(f"retention: {args.days!r} is not a number of days or 'none'")
            store.privacy.set_retention_days(None if word == "none" else int(word))
        days = store.privacy.retention_days()
    if args.json:
        print_json({"retention_days": days})
    else:
        print(
            f"retention: {days} days after closing"
            if days is not None
            else "retention: none set (personal data is kept until purged by hand)"
        )
    return 0


def _report(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        report = subject_report(store, args.person)
        store.privacy.record_disclosure(
            report["case"]["id"], disclosure=Disclosure(Purpose.SUBJECT_ACCESS, True),
            kind="access", recipient="the person concerned (right of access)",
            subjects=[report["person"]["id"]], author=author_of(args),
        )  # fmt: skip
    if args.json:
        print_json(report)
        return 0
    person, case = report["person"], report["case"]
    print(f"{person['label']} of case {one_line(case['number'])} ({one_line(case['title'])})")
    for key in ("name", "age", "sex", "nationality", "medical", "note", "status", "unit",
                "recovered", "taken_to", "personal"):  # fmt: skip
        if person[key] not in ("", None):
            print(f"  {key}: {one_line(str(person[key]))}")
    print(f"what the case log recorded about {person['label']}:")
    for item in report["log"]:
        extra = f" [{item['personal_state']}]" if item.get("personal_state") else ""
        print(f"  {item['time']}  {one_line(item['author'])}  {one_line(item['text'])}{extra}")
    print("where the data went (displays and exports):")
    for d in report["disclosures"] or [{"time": "", "who": "", "kind": "none", "to": "",
                                        "purpose": "", "reason": ""}]:  # fmt: skip
        if d["kind"] == "none":
            print("  nowhere")
            continue
        reason = f" ({one_line(d['reason'])})" if d["reason"] else ""
        print(f"  {d['time']}  {one_line(d['who'])}  {d['kind']} to {one_line(d['to'])}: "
              f"{d['purpose']}{reason}")  # fmt: skip
    return 0


def _disclosures(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        found = store.privacy.disclosures(args.case)
        numbers = {c.id: c.number for c in store.cases.list()}
    if args.json:
        print_json(found)
        return 0
    for d in found:
        reason = f" ({one_line(d.reason)})" if d.reason else ""
        print(f"{format_dtg(d.time)}  {numbers.get(d.case_id, d.case_id)}  {one_line(d.author)}"
              f"  {d.kind} to {one_line(d.recipient)}: {d.purpose}{reason}, "
              f"{len(d.subjects)} persons or notes")  # fmt: skip
    return 0
