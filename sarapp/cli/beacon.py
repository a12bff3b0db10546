"""``sarapp beacon …``: decode a Cospas-Sarsat 406 MHz beacon ID or message."""

from __future__ import annotations

import argparse

from sarapp.alerts.beacon import decode
from sarapp.cli.output import print_json


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    beacon = sub.add_parser("beacon", parents=[common], help="decode 406 MHz beacon hex")
    cmds = beacon.add_subparsers(dest="command", metavar="COMMAND", required=True)
    dec = cmds.add_parser(
        "decode",
        parents=[common],
        help="decode a 15/23 hex ID or a 22/28/30/36/51/63 hex message",
    )
    dec.add_argument("hex", metavar="HEX", help="beacon hex, e.g. 2024F72524FFBFF")
    dec.add_argument(
        "--no-bch-check",
        dest="check_bch",
        action="store_false",
        help="decode even when BCH-1 fails (bch1_ok false); a failing BCH-2 never refuses",
    )
    dec.set_defaults(func=_decode)


def _decode(args: argparse.Namespace) -> int:
    result = decode(args.hex, check_bch=args.check_bch)
    data = result.to_dict()
    if args.json:
        print_json(data)
        return 0
    details = data.pop("details", {})
    data["country"] = data["country"] or "(MID not allocated)"
    for key, value in (*data.items(), *details.items()):
        print(f"{key}: {value}")
    return 0
