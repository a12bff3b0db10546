"""``sarapp dsc import``: DSC distress traffic (mixed with AIS if it comes that way) into the desk.

A file (or ``-`` for stdin) or a live feed (``--feed tcp://host:port`` or ``udp://:port``)
of NMEA lines: ``$--DSC``/``$--DSE`` from a DSC controller and ``!--VDM`` AIS alike.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarapp.alerts.ais import open_feed
from sarapp.alerts.nmea_intake import NmeaImportReport, import_nmea
from sarapp.alerts.nmea_stream import iter_nmea, sentence_kind
from sarapp.cli.common import author_of, open_store, parse_time
from sarapp.cli.output import print_json
from sarapp.errors import SarappError
from sarapp.model import utc_now

_SNIFF_BYTES = 1_000_000  # a file with no AIS or DSC sentence this far in is not a feed


class InputError(SarappError):
    """A file that cannot be read or holds no AIS or DSC sentence."""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    dsc = sub.add_parser(
        "dsc", parents=[common], help="import DSC distress alerts (NMEA DSC/DSE, with AIS)"
    )
    cmds = dsc.add_subparsers(dest="command", metavar="COMMAND", required=True)
    imp = cmds.add_parser("import", parents=[common], help="file or live feed into the desk")
    imp.add_argument("file", metavar="FILE", nargs="?", help="NMEA file ('-' for stdin)")
    imp.add_argument("--feed", metavar="ADDRESS", help="live feed: tcp://host:port or udp://:port")
    imp.add_argument(
        "--received",
        metavar="TIME",
        help="receive time of a file's lines without a tag block (DTG or ISO 8601; "
        "default: unknown, or now for a live feed)",
    )
    imp.add_argument("--idle-timeout", type=float, default=None, help="stop a feed idle this long")
    imp.add_argument("--author", help="default: $SARAPP_OPERATOR or the login name")
    imp.set_defaults(func=_import)


def _import(args: argparse.Namespace) -> int:
    if bool(args.file) == bool(args.feed):
        raise InputError("give an NMEA file or --feed ADDRESS (one of them)")
    received = parse_time(args.received)
    source = None
    if args.file:  # refused before the desk is opened (or created)
        source = sys.stdin.buffer if args.file == "-" else _nmea_file(args.file)
    report = NmeaImportReport()
    author = author_of(args)
    with open_store(args) as store:
        try:
            if args.feed:
                feed = open_feed(args.feed, idle_timeout_s=args.idle_timeout, label="DSC feed")
                with feed:  # every event committed at once: an alert never waits
                    events = iter_nmea(feed.lines(), clock=utc_now, stats=report.stats)
                    import_nmea(store, events, author=author, report=report, chunk=1)
            else:
                clock = (lambda: received) if received else None
                events = iter_nmea(source, clock=clock, stats=report.stats)
                import_nmea(store, events, author=author, report=report)
        except KeyboardInterrupt:
            pass  # a feed ends with Ctrl+C; everything imported so far is committed
    _print(report, as_json=args.json)
    return 0


def _nmea_file(name: str):
    """The open file, once its first megabyte shows at least one AIS or DSC sentence."""
    path = Path(name)
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
        if not any(sentence_kind(line.strip()) in ("ais", "dsc") for line in head.splitlines()):
            raise InputError(f"{name} holds no AIS (!--VDM) or DSC ($--DSC/DSE) sentence")
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror}") from None


def _print(report: NmeaImportReport, *, as_json: bool) -> None:
    data = report.to_dict()
    if as_json:
        print_json(data)
        return
    dsc, ais = data.pop("dsc"), data.pop("ais")
    dsc.pop("cases")  # the same as the feed's
    for prefix, section in (("", data), ("dsc ", dsc), ("ais ", ais)):
        for key, value in section.items():
            if isinstance(value, list):
                print(f"{prefix}{key}:" + ("" if value else " none"))
                for item in value:
                    print(f"  {item}")
            else:
                print(f"{prefix}{key}: {value}")
