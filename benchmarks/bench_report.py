"""Annual report figures on 10,000 cases (a decade of a busy RCC).

Two desks written by the tests' synthetic desk writer (alerts, units, plans with unit
positions, handovers, packages): one where all 10,000 cases fall in the reported year (the
worst case: every case counted, listed and drawn), and a decade of 1,000 cases a year
reported for its last year. Prints the time to make the report and write it as JSON, and to
make it and print it to PDF (in process, the desk already open); then the CLI's wall time.

    .venv/bin/python benchmarks/bench_report.py [--cases 10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sarapp.progress import run_to_end  # noqa: E402
from sarapp.report.annual import annual_report  # noqa: E402
from sarapp.report.export import json_text  # noqa: E402
from sarapp.store import Desk  # noqa: E402
from sarapp.ui.report_pdf import ensure_gui_application, write_report_pdf  # noqa: E402
from tests.report.synthetic_desk import plan_desk, write_desk  # noqa: E402

YEAR = 2025


def build(path: Path, *, cases: int, years: int) -> float:
    t0 = time.perf_counter()
    specs = []
    per_year = cases // years
    for i, year in enumerate(range(YEAR - years + 1, YEAR + 1)):
        specs += plan_desk(100 + i, year=year, cases=per_year)
    specs.sort(key=lambda s: s.opened)
    write_desk(path, specs)
    return time.perf_counter() - t0


def timed_report(path: Path, out: Path) -> tuple[float, float, float, float, int, int]:
    """(JSON s, JSON CPU s, PDF s, PDF CPU s, cases counted, PDF pages): wall time, and the
    CPU time of this process (what a shared machine's load does not inflate as much)."""
    with Desk.open(path, create=False) as store:
        t0, c0 = time.perf_counter(), time.process_time()
        report = run_to_end(annual_report(store, year=YEAR))
        (out / "report.json").write_text(json_text(report), encoding="utf-8")
        json_s, json_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        report = run_to_end(annual_report(store, year=YEAR))
        write_report_pdf(out / "report.pdf", report)
        pdf_s, pdf_cpu = time.perf_counter() - t0, time.process_time() - c0
    info = subprocess.run(["pdfinfo", str(out / "report.pdf")], capture_output=True, text=True)
    pages = int(info.stdout.split("Pages:")[1].split()[0]) if "Pages:" in info.stdout else -1
    return json_s, json_cpu, pdf_s, pdf_cpu, len(report.cases), pages


def cli_wall_s(path: Path, *args: str) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sarapp.cli", "--db", str(path), "report", "annual",
         "--year", str(YEAR), *args],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    ensure_gui_application()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for label, years in (("one year", 1), ("a decade", 10)):
            desk = out / f"desk-{years}.sqlite"
            built = build(desk, cases=args.cases, years=years)
            size = desk.stat().st_size / 1e6
            json_s, json_cpu, pdf_s, pdf_cpu, counted, pages = timed_report(desk, out)
            cli_json = cli_wall_s(desk, "--json")
            cli_pdf = cli_wall_s(desk, "--pdf", str(out / "cli.pdf"))
            print(
                f"{args.cases} cases over {label} ({size:.0f} MB desk, built in {built:.0f} s): "
                f"report of {YEAR} counts {counted} cases; "
                f"JSON {json_s:.2f} s (CPU {json_cpu:.2f} s), "
                f"PDF {pdf_s:.2f} s (CPU {pdf_cpu:.2f} s, {pages} pages); "
                f"CLI wall time --json {cli_json:.2f} s, --pdf {cli_pdf:.2f} s"
            )
            results[years] = (json_s, pdf_s, json_cpu, pdf_cpu)
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    worst, decade = results[1], results[10]
    print(
        f"report_json_s={worst[0]:.2f} report_pdf_s={worst[1]:.2f} "
        f"report_json_cpu_s={worst[2]:.2f} report_pdf_cpu_s={worst[3]:.2f} "
        f"decade_year_json_s={decade[0]:.2f} decade_year_pdf_s={decade[1]:.2f}"
    )


if __name__ == "__main__":
    main()
