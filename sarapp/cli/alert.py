"""``sarapp alert import`` (SIT 185) and ``sarapp ais import`` (AIS, file or live feed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarapp.alerts import sit185
from sarapp.alerts.ais import iter_ais, open_feed
from sarapp.alerts.ais_intake import AisImportReport, import_ais
from sarapp.alerts.intake import import_sit185
from sarapp.cli.common import author_of, open_store
from sarapp.cli.output import print_json
from sarapp.errors import SarappError


class InputError(SarappError):
    """A file that cannot be read."""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    alert = sub.add_parser("alert", parents=[common], help="import Cospas-Sarsat SIT 185 alerts")
    cmds = alert.add_subparsers(dest="command", metavar="COMMAND", required=True)
    imp = cmds.add_parser("import", parents=[common], help="open or update a case from a SIT 185")
    imp.add_argument("file", metavar="FILE", help="the message as text ('-' for stdin)")
    imp.add_argument("--author", help="default: $SARAPP_OPERATOR or the login name")
    imp.set_defaults(func=_alert_import)

    ais = sub.add_parser("ais", parents=[common], help="import AIS (NMEA AIVDM/AIVDO)")
    cmds = ais.add_subparsers(dest="command", metavar="COMMAND", required=True)
    imp = cmds.add_parser("import", parents=[common], help="file or live feed into the desk")
    imp.add_argument("file", metavar="FILE", nargs="?", help="NMEA file ('-' for stdin)")
    imp.add_argument("--feed", metavar="HOST:PORT", help="live feed (tcp://… or udp://…)")
    imp.add_argument("--idle-timeout", type=float, default=None, help="stop a feed idle this long")
    imp.add_argument("--author")
    imp.set_defaults(func=_ais_import)


def _read_text(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror}") from None
    if len(data) > 1_000_000:
        raise InputError(f"{name} is {len(data)} bytes: not a SIT 185 message")
    return data.decode("utf-8", errors="replace")


def _alert_import(args: argparse.Namespace) -> int:
    text = _read_text(args.file)
    sit185.parse(text)  # refuse a non-SIT 185 before the desk is opened (or created)
    with open_store(args) as store:
        result = import_sit185(store, text, author=author_of(args))
    if args.json:
        print_json(result.to_dict())
    else:
        print(
            "\n".join(result.summary)
            if not result.duplicate
            else f"already received: case {result.case_number}, nothing changed"
        )
    return 0


def _ais_import(args: argparse.Namespace) -> int:
    if bool(args.file) == bool(args.feed):
        raise InputError("give an NMEA file or --feed HOST:PORT (one of them)")
    report = AisImportReport()
    author = author_of(args)
    source = None
    if args.file:  # a file that cannot be read is refused before the desk is opened
        source = sys.stdin.buffer if args.file == "-" else _nmea_file(args.file)
    with open_store(args) as store:
        try:
            if args.feed:
                # A live feed commits every event: an alert must not wait for a full chunk.
                with open_feed(args.feed, idle_timeout_s=args.idle_timeout) as feed:
                    report.stats = feed.stats
                    import_ais(store, feed, author=author, report=report, chunk=1)
            else:
                events = iter_ais(source, stats=report.stats)
                import_ais(store, events, author=author, report=report)
        except KeyboardInterrupt:
            pass  # a feed ends with Ctrl+C; everything imported so far is committed
    if args.json:
        print_json(report.to_dict())
    else:
        for key, value in report.to_dict().items():
            print(f"{key}: {value}")
    return 0


def _nmea_file(name: str):
    try:
        return Path(name).open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror}") from None
