"""A unit's search action plan printed to PDF with Qt (QTextDocument on a QPdfWriter, A4).

The content comes from ``sarapp.planning.action_plan`` (Qt-free); this module only lays it out.
The file is written atomically: to a temporary file beside the target, fsynced, then renamed,
so a crash never leaves half a plan to be handed to a crew.
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from sarapp.planning.action_plan import ActionPlan, Section

PAGE_MARGIN_MM = 15.0
RESOLUTION_DPI = 300
_STYLE = """
body { font-family: sans-serif; font-size: 9pt; }
h1 { font-size: 15pt; margin-bottom: 2pt; }
h2 { font-size: 11pt; margin-top: 8pt; margin-bottom: 2pt; }
p.sub { color: #444; margin-top: 0; }
table { border-collapse: collapse; }
th { background: #ddd; text-align: left; }
td { font-family: monospace; }
"""


def _section_html(number: int, section: Section) -> str:
    parts = [f"<h2>{number}. {html.escape(section.title.upper())}</h2>"]
    parts += [f"<div>{html.escape(line)}</div>" for line in section.lines]
    if section.table:
        header, *rows = section.table
        cells = "".join(f"<th>{html.escape(c)}</th>" for c in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        parts.append(
            f"<table border='1' cellspacing='0' cellpadding='3'><tr>{cells}</tr>{body}</table>"
        )
    return "\n".join(parts)


def action_plan_html(plan: ActionPlan) -> str:
    """The plan as the HTML subset QTextDocument lays out."""
    sections = "\n".join(_section_html(i, s) for i, s in enumerate(plan.sections, start=1))
    return (
        f"<html><head><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(plan.heading)}</h1><p class='sub'>{html.escape(plan.subheading)}</p>"
        f"{sections}</body></html>"
    )


def write_action_plan_pdf(path: str | Path, plan: ActionPlan) -> Path:
    """Print ``plan`` to an A4 PDF at ``path`` (atomically); needs a QGuiApplication."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setTitle(plan.heading)
        writer.setCreator("sarapp")
        writer.setResolution(RESOLUTION_DPI)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM),
                QPageLayout.Unit.Millimeter,
            )
        )
        document = QTextDocument()
        # The printed page never follows the screen's font (the night palette raises it).
        document.setDefaultFont(QFont("Sans Serif", 9))
        document.setHtml(action_plan_html(plan))
        # In points, so 10 pt text prints at 10 pt whatever the writer's resolution.
        paint = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
        document.setPageSize(QSizeF(paint.width(), paint.height()))
        document.print_(writer)
        del writer  # finishes and closes the file
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
