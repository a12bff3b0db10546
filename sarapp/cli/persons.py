"""``sarapp persons …``: the persons register of a case (records, counts, mass rescue CSV).

A list that shows personal values is a processing of personal data: it is recorded (who
listed whose data, for which purpose). ``--purpose`` one that does not need them (flag-state
information, statistics) lists counts and statuses only.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from sarapp.cli.common import author_of, open_store
from sarapp.cli.output import one_line, print_json
from sarapp.personfields import PERSON_FIELDS, PERSONAL_FIELDS, STATUSES, PersonError
from sarapp.persons_csv import COLUMNS, PersonsCsvError, read_persons_csv
from sarapp.privacy import CHOSEN_PURPOSES, decide
from sarapp.register import (
    CATEGORIES,
    CATEGORY_LABELS,
    Counts,
    Person,
    Register,
    person_json,
    register_json,
)
from sarapp.store.register_text import personal_text

_OPTIONS = {"name": "--name", "age": "--age", "sex": "--sex", "nationality": "--nationality",
            "status": "--status", "unit": "--unit", "recovered": "--recovered",
            "taken_to": "--taken-to", "note": "--note"}  # fmt: skip


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    persons = sub.add_parser("persons", parents=[common], help="the persons register of a case")
    cmds = persons.add_subparsers(dest="command", metavar="COMMAND", required=True)

    add = cmds.add_parser("add", parents=[common], help="add a person record (logged)")
    add.add_argument("case", metavar="CASE", help="case number, id or unique id prefix")
    for name, option in _OPTIONS.items():
        add.add_argument(option, dest=name, metavar=name.upper(), help=PERSON_FIELDS[name].help)
    add.add_argument("--medical", action="store_true", help="needs medical care")
    add.add_argument("--author")
    add.set_defaults(func=_add)

    lst = cmds.add_parser("list", parents=[common], help="the records and the counts")
    lst.add_argument("case", metavar="CASE")
    _purpose_options(lst)
    lst.set_defaults(func=_list)

    set_ = cmds.add_parser("set", parents=[common], help="change one field of a person")
    set_.add_argument("person", metavar="PERSON", help="person id (or unique prefix)")
    set_.add_argument("field", choices=list(PERSON_FIELDS), metavar="FIELD")
    set_.add_argument("value", metavar="VALUE", help="new value ('' to clear)")
    set_.add_argument("--case", help="the case, to name the person as P7")
    set_.add_argument("--author")
    set_.set_defaults(func=_set)

    imp = cmds.add_parser("import", parents=[common], help="persons from a CSV file, all or none")
    imp.add_argument("case", metavar="CASE")
    imp.add_argument("file", metavar="FILE.csv", help=f"columns: {', '.join(COLUMNS)}")
    imp.add_argument("--author")
    imp.set_defaults(func=_import)

    status = cmds.add_parser("status", parents=[common], help="set the status of many at once")
    status.add_argument("case", metavar="CASE")
    status.add_argument("status", choices=STATUSES, metavar="STATUS", help=", ".join(STATUSES))
    status.add_argument("persons", nargs="*", metavar="PERSON", help="P1 P2 … or ids")
    status.add_argument("--from", dest="from_status", choices=STATUSES,
                        help="every person with this status")  # fmt: skip
    status.add_argument("--author")
    status.set_defaults(func=_status)

    counts = cmds.add_parser("counts", parents=[common], help="set the counts (totals)")
    counts.add_argument("case", metavar="CASE")
    for category in CATEGORIES:
        counts.add_argument(f"--{category.replace('_', '-')}", dest=category, metavar="N",
                            help=f"{CATEGORY_LABELS[category]} ('' for not known)")  # fmt: skip
    counts.add_argument("--author")
    counts.set_defaults(func=_counts)


def _purpose_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--purpose", default="coordination",
                        choices=[p.value for p in CHOSEN_PURPOSES],
                        help="why the data is processed (default: coordination)")  # fmt: skip
    parser.add_argument(
        "--include-personal",
        action="store_true",
        help="include personal data where the purpose does not need it",
    )
    parser.add_argument("--reason", default="", help="why (needed with --include-personal)")


def _add(args: argparse.Namespace) -> int:
    values = {name: getattr(args, name) for name in _OPTIONS if getattr(args, name) is not None}
    if args.medical:
        values["medical"] = True
    with open_store(args, create=False) as store:
        changes = store.persons.add(args.case, values, author=author_of(args))
        person = store.persons.person(changes.persons[-1])
    print_json(person_json(person)) if args.json else print(_line(person, personal=True))
    print(f"  id: {person.id}") if not args.json else None
    return 0


def _list(args: argparse.Namespace) -> int:
    disclosure = decide(args.purpose, include_personal=args.include_personal, reason=args.reason)
    with open_store(args, create=False) as store:
        case = store.cases.get(args.case)
        register = store.persons.register(case.id)
        shown = [p.id for p in register.persons if p.personal == "held"]
        store.privacy.record_disclosure(
            case.id, disclosure=disclosure, kind="display", recipient="terminal (persons list)",
            subjects=shown, author=author_of(args),
        )  # fmt: skip
    if not disclosure.personal:
        register = _redacted(register)
    if args.json:
        print_json({"case": case.number, **register_json(register)})
        return 0
    print(f"{one_line(case.number)}  {one_line(case.title)}")
    print("  " + counts_line(register.counts))
    for warning in register.counts.warnings():
        print(f"  warning: {warning}")
    for person in register.persons:
        print(_line(person, personal=disclosure.personal))
    return 0


def counts_line(counts: Counts) -> str:
    """``on board 60 · rescued 55 · missing 5`` (the counts known)."""
    shown = [f"{CATEGORY_LABELS[c]} {counts.total[c]}" for c in CATEGORIES
             if counts.total[c] is not None]  # fmt: skip
    return " · ".join(shown) or "no counts"


def _line(person: Person, *, personal: bool) -> str:
    parts = [f"{person.label:<5}", f"{person.status:<8}"]
    if person.unit:
        parts.append(f"by {one_line(person.unit)}")
    if person.taken_to:
        parts.append(f"to {one_line(person.taken_to)}")
    if personal:
        parts.append(one_line(personal_text(person).split(" ", 1)[1]))
    return "  " + "  ".join(parts)


def _redacted(register: Register) -> Register:
    blank = {k: None if k in ("age", "medical") else "" for k in PERSONAL_FIELDS}
    return replace(register, persons=tuple(replace(p, **blank) for p in register.persons))


def _set(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        store.persons.set_field(args.person, args.field, args.value, author=author_of(args),
                                case_ref=args.case)  # fmt: skip
        person = store.persons.person(args.person, case_ref=args.case)
    print_json(person_json(person)) if args.json else print(_line(person, personal=True))
    return 0


def _import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise PersonsCsvError(f"cannot read {path}: {exc.strerror or exc}") from None
    rows = read_persons_csv(content, name=path.name)
    with open_store(args, create=False) as store:
        changes = store.persons.add_many(args.case, rows, author=author_of(args),
                                         source=path.name)  # fmt: skip
        counts = store.persons.counts(args.case)
    if args.json:
        print_json({"imported": len(changes.persons), "persons": list(changes.persons),
                    "counts": dict(counts.total)})  # fmt: skip
    else:
        print(f"{len(changes.persons)} persons imported from {one_line(path.name)}")
        print("  " + counts_line(counts))
    return 0


def _status(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        chosen = list(args.persons)
        if args.from_status:
            register = store.persons.register(args.case)
            chosen += [p.id for p in register.persons if p.status == args.from_status]
        changes = store.persons.set_status(args.case, chosen, args.status, author=author_of(args))
        counts = store.persons.counts(args.case)
    if args.json:
        print_json({"changed": list(changes.persons), "counts": dict(counts.total)})
    else:
        print(f"{len(changes.persons)} persons set to {args.status}")
        print("  " + counts_line(counts))
    return 0


def _counts(args: argparse.Namespace) -> int:
    totals: dict[str, int | None] = {}
    for category in CATEGORIES:
        text = getattr(args, category)
        if text is None:
            continue
        if text.strip() and not text.strip().isdigit():
            raise PersonError(f"--{category.replace('_', '-')}: {text!r} is not a number")
        totals[category] = int(text) if text.strip() else None
    with open_store(args, create=False) as store:
        store.persons.set_counts(args.case, totals, author=author_of(args))
        counts = store.persons.counts(args.case)
    if args.json:
        print_json({"counts": dict(counts.total), "warnings": counts.warnings()})
    else:
        print("  " + counts_line(counts))
        for warning in counts.warnings():
            print(f"  warning: {warning}")
    return 0
