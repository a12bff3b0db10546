"""``sarapp case …``: open, list, show and edit cases."""

from __future__ import annotations

import argparse

from sarapp.casefields import CASE_FIELDS, parse_field
from sarapp.cli.common import author_of, open_store, parse_time
from sarapp.cli.output import one_line, print_json, to_jsonable
from sarapp.geo import GeoError, format_ddm, format_dtg, parse_latitude, parse_longitude
from sarapp.geo import parse_position as parse_position_text
from sarapp.model import AlertPhase, Case, CaseStatus, Position, utc_now
from sarapp.model_exchange import Coordinator
from sarapp.outcomes import CaseOutcome
from sarapp.store import CaseError

# CLI option names that differ from the field names (the spelling: --vessel).
_OPTION_NAMES = {"vessel_name": "vessel", "vessel_description": "description"}
_OWN_FIELDS = {n: s for n, s in CASE_FIELDS.items() if not s.group}
_PORT_FIELDS = {n: s for n, s in CASE_FIELDS.items() if s.group == "disembarkation"}
_DISEMBARK_OPTIONS = {"port_requested": "requested", "port_requested_at": "requested-at",
                      "port_assigned": "assigned", "port_authority": "authority",
                      "port_assigned_at": "assigned-at", "disembark_unit": "unit",
                      "disembark_eta": "eta", "disembarked_at": "disembarked"}  # fmt: skip
_OUTCOMES = [o.value for o in CaseOutcome]
_PHASES = [p.value for p in AlertPhase]


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    case = sub.add_parser("case", parents=[common], help="open, list, show and edit cases")
    cmds = case.add_subparsers(dest="command", metavar="COMMAND", required=True)

    new = cmds.add_parser("new", parents=[common], help="open a new case")
    for name, spec in _OWN_FIELDS.items():
        option = "--" + _OPTION_NAMES.get(name, name).replace("_", "-")
        new.add_argument(option, dest=name, metavar="TEXT", help=spec.help)
    new.add_argument("--phase", type=str.upper, choices=_PHASES, default="INCERFA")
    new.add_argument("--position", help="last known position as one text (instead of --lat/--lon)")
    _position_options(new)
    new.add_argument("--author", help="who opens it (default: $SARAPP_OPERATOR or login)")
    new.set_defaults(func=_new)

    lst = cmds.add_parser("list", parents=[common], help="list cases, most recent first")
    lst.add_argument("--phase", type=str.upper, choices=_PHASES)
    lst.add_argument("--status", type=str.lower, choices=[s.value for s in CaseStatus])
    lst.add_argument("--text", default="", help="words to find in title, vessel, MMSI…")
    lst.set_defaults(func=_list)

    show = cmds.add_parser("show", parents=[common], help="one case with its positions")
    show.add_argument("case", metavar="ID", help="case number, id or unique id prefix")
    show.set_defaults(func=_show)

    set_ = cmds.add_parser("set", parents=[common], help="change one field (logged)")
    set_.add_argument("case", metavar="ID")
    set_.add_argument("field", choices=list(CASE_FIELDS), metavar="FIELD",
                      help=", ".join(CASE_FIELDS))  # fmt: skip
    set_.add_argument("value", metavar="VALUE", help="new value ('' to clear)")
    set_.add_argument("--author")
    set_.set_defaults(func=_set)

    phase = cmds.add_parser("phase", parents=[common], help="change the alert phase")
    phase.add_argument("case", metavar="ID")
    phase.add_argument("phase", type=str.upper, choices=_PHASES, metavar="PHASE")
    phase.add_argument("--reason", default="")
    phase.add_argument("--author")
    phase.set_defaults(func=_phase)

    for verb, status in (("close", CaseStatus.CLOSED), ("reopen", CaseStatus.OPEN)):
        cmd = cmds.add_parser(verb, parents=[common], help=f"{verb} a case (logged)")
        cmd.add_argument("case", metavar="ID")
        cmd.add_argument("--reason", default="")
        if status is CaseStatus.CLOSED:
            cmd.add_argument(
                "--outcome",
                default="",
                metavar="OUTCOME",
                help="how it ended: " + ", ".join(_OUTCOMES),
            )
        cmd.add_argument("--author")
        cmd.set_defaults(func=_status, status=status)

    land = cmds.add_parser(
        "disembark", parents=[common], help="place of safety and disembarkation (each field logged)"
    )
    land.add_argument("case", metavar="ID")
    for name, spec in _PORT_FIELDS.items():
        land.add_argument(
            "--" + _DISEMBARK_OPTIONS[name],
            dest=name,
            metavar="VALUE",
            help=f"{spec.label}: {spec.help}",
        )
    land.add_argument("--author")
    land.set_defaults(func=_disembark)

    pos = cmds.add_parser("position", parents=[common], help="report a position")
    pos.add_argument("case", metavar="ID")
    pos.add_argument("position", nargs="?", help="e.g. \"43°12.345'N 005°06.789'E\"")
    _position_options(pos)
    pos.add_argument("--not-lkp", action="store_true", help="do not make it the LKP")
    pos.add_argument("--author")
    pos.set_defaults(func=_position)


def _disembark(args: argparse.Namespace) -> int:
    values = {n: getattr(args, n) for n in _PORT_FIELDS if getattr(args, n) is not None}
    if not values:
        raise CaseError("give at least one of " + ", ".join(
            "--" + o for o in _DISEMBARK_OPTIONS.values()))  # fmt: skip
    for name, value in values.items():
        parse_field(name, value)  # all refused before any is written
    with open_store(args, create=False) as store:
        case = store.cases.get(args.case)
        with store.transaction():
            for name, value in values.items():
                store.cases.set_field(case.id, name, value, author=author_of(args))
        _print_case(args, store.cases.get(case.id))
    return 0


def _position_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lat", help="latitude: 43.2058, 43°12.345'N, 4312.345N…")
    parser.add_argument("--lon", help="longitude: 5.1131, 005°06.789'E…")
    parser.add_argument("--time", help="time of the position: DTG or ISO 8601 UTC (default: now)")
    parser.add_argument("--source", default="reported", help="where it came from")
    parser.add_argument("--accuracy-m", type=float, help="uncertainty radius in metres")


def _position_from(args: argparse.Namespace) -> Position | None:
    text = getattr(args, "position", None)
    if text:
        lat, lon = parse_position_text(text)
    elif args.lat is not None or args.lon is not None:
        if args.lat is None or args.lon is None:
            raise GeoError("give both --lat and --lon")
        lat, lon = parse_latitude(args.lat), parse_longitude(args.lon)
    else:
        return None
    return Position(
        lat=lat,
        lon=lon,
        time=parse_time(args.time) or utc_now(),
        source=args.source,
        accuracy_m=args.accuracy_m,
    )


def case_json(case: Case) -> dict:
    return to_jsonable(case)


def _print_case(
    args: argparse.Namespace,
    case: Case,
    positions: list[Position] | None = None,
    coordinator: Coordinator | None = None,
):
    if args.json:
        out = case_json(case)
        if positions is not None:
            out["positions"] = to_jsonable(positions)
        if coordinator is not None:
            out["coordinator"] = to_jsonable(coordinator._asdict())
        print_json(out)
        return
    print(f"{_number(case)}  {case.phase.value}  {case.status.value}  {one_line(case.title)}")
    print(f"  id: {case.id}")
    if case.origin_rcc:
        print(f"  opened by {one_line(case.origin_rcc)} as case {one_line(case.origin_number)}")
    if coordinator is not None:
        name = f" ({one_line(coordinator.rcc_name)})" if coordinator.rcc_name else ""
        since = format_dtg(coordinator.since)
        print(f"  Coordinating RCC: {one_line(coordinator.rcc_id)}{name} since {since}")
    for name, spec in CASE_FIELDS.items():
        value = getattr(case, name)
        if name != "title" and value not in ("", None):
            print(f"  {spec.label}: {one_line(spec.format(value))}")
    if case.outcome:
        print(f"  Outcome: {CaseOutcome(case.outcome).label}")
    if case.lkp:
        when = format_dtg(case.lkp.time) if case.lkp.time else "time unknown"
        where = format_ddm(case.lkp.lat, case.lkp.lon)
        print(f"  LKP: {where} at {when} ({one_line(case.lkp.source)})")
    for p in positions or []:
        when = format_dtg(p.time) if p.time else "time unknown"
        print(f"  position: {format_ddm(p.lat, p.lon)} at {when} ({one_line(p.source)})")


def _new(args: argparse.Namespace) -> int:
    values = {name: getattr(args, name) for name in _OWN_FIELDS if name != "title"}
    values = {k: v for k, v in values.items() if v is not None}
    lkp = _position_from(args)
    for name, value in {"title": args.title or "", **values}.items():
        parse_field(name, value)  # refuse bad input before a new desk file is created
    with open_store(args) as store:
        changes = store.cases.create(
            title=args.title or "",
            author=author_of(args),
            phase=AlertPhase(args.phase),
            values=values,
            lkp=lkp,
        )
        (case_id,) = changes.cases
        _print_case(args, store.cases.get(case_id))
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        cases = store.cases.list(
            phase=AlertPhase(args.phase) if args.phase else None,
            status=CaseStatus(args.status) if args.status else None,
            text=args.text,
        )
    if args.json:
        print_json([case_json(c) for c in cases])
    for c in cases if not args.json else ():
        print(f"{_number(c)}  {c.phase.value:<8}  {c.status.value:<6}  {one_line(c.title)}")
    return 0


def _number(case: Case) -> str:
    """The local case number, and the originating RCC's beside it for an imported case."""
    return one_line(case.number + (f" ({case.origin_text})" if case.origin_rcc else ""))


def _show(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        case = store.cases.get(args.case)
        _print_case(
            args, case, store.cases.positions(case.id), store.coordination.coordinator(case.id)
        )
    return 0


def _set(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        store.cases.set_field(args.case, args.field, args.value, author=author_of(args))
        _print_case(args, store.cases.get(args.case))
    return 0


def _phase(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        store.cases.set_phase(args.case, args.phase, author=author_of(args), reason=args.reason)
        _print_case(args, store.cases.get(args.case))
    return 0


def _status(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        outcome = getattr(args, "outcome", "")
        store.cases.set_status(
            args.case, args.status, author=author_of(args), reason=args.reason, outcome=outcome
        )
        _print_case(args, store.cases.get(args.case))
    return 0


def _position(args: argparse.Namespace) -> int:
    position = _position_from(args)
    if position is None:
        raise GeoError("give a position (as text, or --lat and --lon)")
    with open_store(args, create=False) as store:
        store.cases.add_position(
            args.case, position, author=author_of(args), as_lkp=not args.not_lkp
        )
        case = store.cases.get(args.case)
        _print_case(args, case, store.cases.positions(case.id))
    return 0
