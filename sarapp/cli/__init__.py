"""The ``sarapp`` command: one module per command group, each a thin face over the core.

Every sub-command accepts ``--db PATH`` and ``--json`` (before or after the sub-command).
A command group is a module with ``register(sub, common)`` that adds its parsers and sets
``func`` to a handler ``(args) -> int``. Errors the user can act on (``SarappError``) end the
command with one line on stderr and exit status 1; usage errors exit with 2.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from sarapp import __version__
from sarapp.cli.output import terminal_safe_output
from sarapp.errors import SarappError

# Command groups, in the order ``sarapp --help`` lists them: command → module that adds it.
GROUPS = {
    "case": "case",
    "persons": "persons",
    "log": "log",
    "db": "db",
    "alert": "alert",
    "ais": "alert",
    "dsc": "dsc",
    "beacon": "beacon",
    "drift": "drift",
    "unit": "unit",
    "plan": "plan",
    "handover": "handover",
    "sync": "sync",
    "sitrep": "sitrep",
    "keys": "keys",
    "inbox": "inbox",
    "report": "report",
    "privacy": "privacy",
}


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (``sarapp case new: error: …``), like every other error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # argparse takes only plain numbers ("-5", "-.5") as negative values; "-5,3" (wind
        # U,V) or "-33°30'" would read as unknown options. A minus before a digit is a value.
        self._negative_number_matcher = re.compile(r"^-\.?\d")

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _common_options() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="DESK",
        default=argparse.SUPPRESS,
        help="desk file, or PostgreSQL desk: postgresql://user@host/db, 'host=… dbname=…' or "
        "service=NAME (default: $SARAPP_DB, else the desk in the user's data folder)",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable output",
    )
    return common


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; with ``argv`` naming a command, only that command's module is imported
    (a drift run should not pay for importing the store, the alert parsers…)."""
    common = _common_options()
    parser = _Parser(
        prog="sarapp",
        description="sarapp: maritime search and rescue case desk",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"sarapp {__version__}")
    sub = parser.add_subparsers(
        dest="group", metavar="COMMAND", required=True, parser_class=_Parser
    )
    words = [a for i, a in enumerate(argv) if i == 0 or argv[i - 1] != "--db"]
    chosen = next((a for a in words if a in GROUPS), None)
    modules = [GROUPS[chosen]] if chosen else list(dict.fromkeys(GROUPS.values()))
    for module in modules:
        import_module(f"sarapp.cli.{module}").register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sarapp command; return the process exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    with terminal_safe_output():
        return _main(argv)


def _main(argv: list[str]) -> int:
    for number, arg in enumerate(argv, start=1):
        bad = next((c for c in arg if "\ud800" <= c <= "\udfff"), None)
        if bad is not None:  # bytes of another encoding, escaped by Python (PEP 383)
            byte = f" (byte 0x{ord(bad) - 0xDC00:02X})" if ord(bad) >= 0xDC80 else ""
            print(
                f"sarapp: argument {number} is not UTF-8 text{byte}: "
                "set the terminal to UTF-8 or retype it",
                file=sys.stderr,
            )
            return 1
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    args.db = getattr(args, "db", None)
    args.json = getattr(args, "json", False)
    try:
        return int(args.func(args) or 0)
    except SarappError as exc:
        print(f"sarapp: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("sarapp: interrupted", file=sys.stderr)
        return 130
