"""The annual report printed to PDF with Qt (QPdfWriter and QPainter, A4): a cover with the
year and the RCC, the tables, the plots and an appendix listing every case counted.

The content comes from ``sarapp.report`` (Qt-free); this module only lays it out. It needs a
QGuiApplication and no screen (``ensure_gui_application`` makes an offscreen one for the
CLI). The file is written atomically: to a temporary file beside the target, then renamed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QPageLayout, QPainter, QPdfWriter

from sarapp.geo import format_dtg
from sarapp.report.annual import AnnualReport
from sarapp.report.plots import plot_data
from sarapp.report.tables import cases_table, report_tables
from sarapp.ui.report_pages import PageWriter, a4_layout
from sarapp.ui.report_plots import draw_chart, draw_durations, draw_month_phases, draw_sources

_APP: QGuiApplication | None = None


def ensure_gui_application() -> None:
    """A QGuiApplication for painting, offscreen when none runs (the CLI, a script)."""
    global _APP
    if QGuiApplication.instance() is None:
        _APP = QGuiApplication(["sarapp", "-platform", "offscreen"])


def report_heading(report: AnnualReport) -> str:
    return f"Annual SAR report {report.year}" + (f" · {report.rcc}" if report.rcc else "")


def write_report_pdf(path: str | Path, report: AnnualReport) -> Path:
    """Print ``report`` to an A4 PDF at ``path`` (atomically); needs a QGuiApplication."""
    steps = report_pdf_steps(path, report)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def report_pdf_steps(path: str | Path, report: AnnualReport) -> Generator[float, None, Path]:
    """``write_report_pdf`` as a job: yields progress (0–1); closing it stops and removes the
    half-written file."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setTitle(report_heading(report))
        writer.setCreator("sarapp")
        writer.setResolution(72)  # one device unit is one point
        writer.setPageLayout(a4_layout(QPageLayout.Orientation.Portrait))
        painter = QPainter(writer)
        try:
            yield from _document(PageWriter(writer, painter, report_heading(report)), report)
        finally:
            painter.end()
        del writer  # finishes and closes the file
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _document(pages: PageWriter, report: AnnualReport) -> Generator[float, None, None]:
    _cover(pages, report)
    yield 0.05
    tables = report_tables(report)
    by_name = {t.name: t for t in tables}
    pages.new_page()
    pages.table(by_name["summary"], widths=(0.34, 0.1, 0.12, 0.44))
    pages.table(by_name["people"], widths=(0.3, 0.1, 0.6))
    yield 0.1
    plots = plot_data(report)
    pages.new_page()
    pages.block(250, lambda p, r: draw_month_phases(p, r, plots))
    pages.block(200, lambda p, r: draw_sources(p, r, plots))
    pages.new_page()
    pages.block(330, lambda p, r: draw_durations(p, r, plots))
    pages.block(pages.room(), lambda p, r: draw_chart(p, r, plots))
    yield 0.25
    pages.new_page()
    for table in tables:
        if table.name not in ("summary", "people", "cases"):
            pages.table(table)
    yield 0.35
    appendix = cases_table(report)
    pages.new_page(landscape=True)
    pages.heading(appendix.title)
    pages.paragraph(
        f"{len(appendix.rows)} cases: {appendix.note}. Times are DTGs (UTC); "
        "a dash is a value the desk does not hold."
    )
    yield from pages.long_table(appendix, start=0.35)


def _cover(pages: PageWriter, report: AnnualReport) -> None:
    pages.cover_title(f"Annual SAR report {report.year}")
    scope = (
        report.rcc
        or "every responsible RCC of the desk (" + (", ".join(report.rccs) or "none") + ")"
    )
    desk = report.desk_rcc
    lines = [
        f"Search and rescue cases of {report.year}: {scope}.",
        f"Period: 1 January to 31 December {report.year} (UTC).",
        "Desk: "
        + (f"{desk.rcc_id} ({desk.name}, {desk.country})" if desk else "no RCC identity set")
        + ".",
        f"Generated {format_dtg(report.generated)} by sarapp from the desk's own records.",
    ]
    for line in lines:
        pages.paragraph(line, size=11)
    pages.space(18)
    t = report.total
    key = [
        ("Cases opened", t.cases.opened.value),
        ("Cases closed", t.cases.closed.value),
        ("Reached DETRESFA", t.cases.by_phase["DETRESFA"].value),
        ("Persons in distress", t.people.in_distress.value),
        ("Units tasked", t.means.units_tasked.value),
        ("Hours searched", t.means.hours_searched.value),
        ("Handovers of coordination proposed", t.cooperation.handovers_proposed.value),
    ]
    pages.key_figures(key)
    pages.space(18)
    pages.paragraph(
        'A case counts in the year and month it was opened; only "closed" counts a case in '
        "the year of its closing. Every figure is defined in docs/annual-report.md; the JSON "
        "export names, for each figure, the cases it counted, and the appendix lists them.",
        size=9,
    )


__all__ = ["ensure_gui_application", "report_pdf_steps", "write_report_pdf"]
