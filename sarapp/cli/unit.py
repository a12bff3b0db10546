"""``sarapp unit …``: the rescue-unit registry and hand-entered unit positions."""

from __future__ import annotations

import argparse

from sarapp.cli.common import open_store, parse_time
from sarapp.cli.output import print_json
from sarapp.geo import parse_position
from sarapp.model import UnitPosition, UnitType, utc_now


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    unit = sub.add_parser("unit", parents=[common], help="rescue units (SRUs) and positions")
    cmds = unit.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add = cmds.add_parser("add", parents=[common], help="register a unit")
    add.add_argument("name")
    add.add_argument("--type", dest="unit_type", required=True, choices=[t.value for t in UnitType])
    add.add_argument("--call-sign", default="")
    add.add_argument("--mmsi", default="", help="its AIS positions are then stored")
    add.add_argument("--speed-kt", type=float)
    add.add_argument("--endurance-h", type=float)
    add.add_argument("--home-base", default="")
    add.set_defaults(func=_add)
    lst = cmds.add_parser("list", parents=[common], help="registered units")
    lst.set_defaults(func=_list)
    pos = cmds.add_parser("position", parents=[common], help="a position reported by a unit")
    pos.add_argument("unit", help="name, id or MMSI")
    pos.add_argument("position", help="e.g. \"43°12.3'N 005°06.8'E\"")
    pos.add_argument("--time", help="DTG or ISO 8601 UTC (default: now)")
    pos.add_argument("--heading", type=float, help="degrees true")
    pos.set_defaults(func=_position)


def _add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        (unit_id,) = store.units.add(
            name=args.name,
            unit_type=args.unit_type,
            call_sign=args.call_sign,
            mmsi=args.mmsi,
            speed_kt=args.speed_kt,
            endurance_h=args.endurance_h,
            home_base=args.home_base,
        ).units
        unit = store.units.get(unit_id)
    print_json(unit) if args.json else print(f"{unit.name} registered ({unit.id})")
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        units = store.units.all()
    if args.json:
        print_json(units)
    for u in units if not args.json else ():
        print(f"{u.name:<20} {u.unit_type.label:<20} {u.call_sign:<8} {u.mmsi}")
    return 0


def _position(args: argparse.Namespace) -> int:
    lat, lon = parse_position(args.position)
    with open_store(args, create=False) as store:
        unit = store.units.get(args.unit)
        fix = UnitPosition(
            unit_id=unit.id,
            lat=lat,
            lon=lon,
            time=parse_time(args.time) or utc_now(),
            source="reported",
            heading_deg=args.heading,
        )
        store.units.add_positions([fix])
    print_json(fix) if args.json else print(f"{unit.name}: position stored")
    return 0
