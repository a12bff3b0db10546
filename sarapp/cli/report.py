"""``sarapp report annual``: the year's SAR figures as JSON, CSV tables or a PDF.

A thin face over ``sarapp.report``. The PDF is drawn with Qt by ``sarapp.ui.report_pdf``, the
one module of the app this command may use (the import-linter contract names it), on an
offscreen surface: no screen is needed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarapp.cli.common import open_store
from sarapp.errors import SarappError
from sarapp.progress import run_to_end


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    report = sub.add_parser("report", parents=[common], help="reports of the desk's figures")
    cmds = report.add_subparsers(dest="command", metavar="COMMAND", required=True)
    annual = cmds.add_parser(
        "annual",
        parents=[common],
        help="a year's SAR figures per RCC and month (--json, --csv DIR or --pdf FILE)",
        description="Every figure is defined in docs/annual-report.md. --json prints every "
        "figure with the case numbers it counted; without an output option a summary is "
        "printed.",
    )
    annual.add_argument("--year", type=int, required=True, help="the year, e.g. 2026 (UTC)")
    annual.add_argument("--rcc", metavar="ID", help="only the cases of this responsible RCC")
    outputs = annual.add_mutually_exclusive_group()
    outputs.add_argument("--csv", metavar="DIR", type=Path, help="one CSV per table into DIR")
    outputs.add_argument("--pdf", metavar="FILE", type=Path, help="the report for print")
    annual.set_defaults(func=_annual)


class ReportOutputError(SarappError):
    """A report that cannot be written where asked."""


def _annual(args: argparse.Namespace) -> int:
    from sarapp.report.annual import annual_report
    from sarapp.report.export import json_text, write_csv_folder

    if args.json and (args.csv or args.pdf):
        raise ReportOutputError("give one of --json, --csv DIR or --pdf FILE")
    if args.pdf is not None:
        _check_pdf_target(args.pdf)
    with open_store(args, create=False) as store:
        report = run_to_end(annual_report(store, year=args.year, rcc=args.rcc))
    if args.json:
        sys.stdout.write(json_text(report))
    elif args.csv is not None:
        for path in write_csv_folder(report, args.csv):
            print(path)
    elif args.pdf is not None:
        print(_write_pdf(report, args.pdf))
    else:
        _summary(report)
    return 0


def _check_pdf_target(path: Path) -> None:
    if path.is_dir():
        raise ReportOutputError(f"{path} is a folder: give the PDF file to write")
    if not path.parent.is_dir():
        raise ReportOutputError(f"cannot write {path}: the folder {path.parent} does not exist")


def _write_pdf(report, path: Path) -> Path:
    from sarapp.ui.report_pdf import ensure_gui_application, write_report_pdf

    ensure_gui_application()
    try:
        return write_report_pdf(path, report)
    except OSError as exc:
        raise ReportOutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _summary(report) -> None:
    t = report.total
    scope = report.rcc or "every responsible RCC (" + (", ".join(report.rccs) or "none") + ")"
    c, p, m, k = t.cases, t.people, t.means, t.cooperation
    phases = ", ".join(f"{name} {f.value}" for name, f in c.by_phase.items())
    lines = [
        f"Annual report {report.year}, {scope}",
        f"cases opened {c.opened.value}, closed {c.closed.value}, "
        f"open at the year's end {c.open_at_end.value}; highest phase: {phases}",
        f"beacon and device tests that opened cases {c.beacon_tests.value}; "
        "false alerts: not known (no closing outcome is recorded)",
        f"persons in distress {p.in_distress.value} (from the {p.in_distress.source or '-'}); "
        "rescued, assisted, dead, missing: not known",
        f"units tasked {m.units_tasked.value}, search plans {m.plans.value}, "
        f"hours searched {m.hours_searched.value:g}, area covered {m.area_covered_nm2.value:g} NM²",
        f"handovers proposed {k.handovers_proposed.value}, accepted "
        f"{k.handovers_accepted.value}, declined {k.handovers_declined.value}; "
        f"flag state differs from the RCC's in {k.flag_differs.value} cases",
        "(--json for every figure and its cases, --csv DIR for tables, --pdf FILE to print)",
    ]
    print("\n".join(lines))
