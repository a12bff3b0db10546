"""The annual report's PDF, made by the CLI with no screen: its text read back with
pdftotext, its pages rendered with pdftoppm and looked at (the plots are drawn, in colour)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtGui import QColor, QImage

from sarapp.geo import format_dtg
from sarapp.report.annual import annual_report
from sarapp.store import Desk
from sarapp.ui.report_pdf import report_pdf_steps

from ..report.synthetic_desk import YEAR

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="poppler-utils missing"
)
DETRESFA = QColor("#e5534b")
HEADINGS = (
    "Summary",
    "People",
    "Cases opened per month by highest phase",
    "First alert source",
    "Response times",
    "Case positions (301 cases)",
    "Cooperation between states",
    "Per responsible RCC",
    "Appendix: the cases counted",
)


def _pdftotext(pdf) -> str:
    command = ["pdftotext", "-layout", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _headless_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    code = "import sys; from sarapp.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120
    )


def _has_colour(image: QImage, colour: QColor, step: int = 3) -> bool:
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            pixel = image.pixelColor(x, y)
            if max(abs(pixel.red() - colour.red()), abs(pixel.green() - colour.green()),
                   abs(pixel.blue() - colour.blue())) < 12:  # fmt: skip
                return True
    return False


def test_pdf_from_the_cli_read_back_and_looked_at(synthetic, tmp_path):
    path, _ = synthetic
    pdf = tmp_path / "annual.pdf"
    done = _headless_cli(
        "--db", str(path), "report", "annual", "--year", str(YEAR), "--pdf", str(pdf)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(pdf)
    listing = _headless_cli("--db", str(path), "report", "annual", "--year", str(YEAR), "--json")
    report = json.loads(listing.stdout)

    text = _pdftotext(pdf)
    assert f"Annual SAR report {YEAR}" in text
    scope = "every responsible RCC of the desk (MRCC-ETEL, MRCC-MADRID, MRCC-ROMA)"
    assert scope.replace(" ", "") in "".join(text.split())
    for heading in HEADINGS:
        assert heading in text, heading
    assert "fire" in text and "\ufb01" not in text  # no ligature: the text is searchable
    appendix = text[text.index("Appendix: the cases counted") :]
    for case in report["cases"]:
        assert case["number"] in appendix, case["number"]
    first = report["cases"][0]
    assert format_dtg(_iso(first["opened"])) in appendix
    assert (
        f"{report['total']['cases']['opened']['value']}" in text[: text.index("Cases opened") + 40]
    )

    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out)], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert len(pages) == int(info.split("Pages:")[1].split()[0]) >= 8
    images = [QImage(str(p)) for p in pages]
    assert all(not i.isNull() for i in images)
    assert images[0].width() < images[-1].width()  # the appendix is landscape
    assert _has_colour(images[2], DETRESFA)  # cases per month, stacked by phase
    assert _has_colour(images[3], DETRESFA)  # the chart's case positions
    assert not _has_colour(images[1], DETRESFA)  # a table page: ink only


def _iso(text):
    from datetime import datetime

    return datetime.fromisoformat(text)


def test_closing_the_job_leaves_no_file(synthetic, tmp_path, qapp):
    path, _ = synthetic
    with Desk.open(path) as store:
        report = _run(annual_report(store, year=YEAR))
    folder = tmp_path / "out"
    folder.mkdir()
    job = report_pdf_steps(folder / "stopped.pdf", report)
    next(job)
    next(job)
    assert len(list(folder.iterdir())) == 1  # the temporary file, being written
    job.close()
    assert list(folder.iterdir()) == []


def _run(job):
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value


def test_painting_does_not_eat_references_to_none(qapp, tmp_path):
    """PySide6 6.12.0 drops a reference to ``None`` on every painter call that returns nothing
    (setPen, fillRect, drawLine…): printing the report of 10,000 cases aborted the process
    with "none_dealloc". The binding is pinned to a release without the defect."""
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QPainter, QPdfWriter

    writer = QPdfWriter(str(tmp_path / "refs.pdf"))
    painter = QPainter(writer)
    before = sys.getrefcount(None)
    for i in range(500):
        painter.setPen(DETRESFA)
        painter.fillRect(QRectF(0, 0, 10, 10), DETRESFA)
        painter.drawLine(QPointF(0, 0), QPointF(i, i))
    after = sys.getrefcount(None)
    painter.end()
    assert after >= before - 10  # a few may go elsewhere, never one per call
