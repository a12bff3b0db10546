"""Pages of a printed report laid out with QPainter on a QPdfWriter at 72 dpi (one device
unit is one point): headings, paragraphs, tables that continue over pages with their header,
and blocks a plot fills. Every page carries the report's name and its number."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from datetime import datetime

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from sarapp.geo import format_dtg
from sarapp.report.tables import Table

MARGIN = 42.0  # points (15 mm)
HEAD = QColor("#e4e4e4")
RULE = QColor("#9a9a9a")
GREY = QColor("#555555")
INK = QColor("#202020")
NOT_KNOWN = "–"


def format_cell(value: object) -> str:
    """A table cell for people: DTGs, one decimal, a dash for what the desk does not hold."""
    if value is None:
        return NOT_KNOWN
    if isinstance(value, datetime):
        return format_dtg(value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def a4_layout(orientation: QPageLayout.Orientation) -> QPageLayout:
    """A4 in points, no margins (the pages keep their own)."""
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        orientation,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Point,
    )


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont("sans-serif")
    font.setPointSizeF(size)
    font.setBold(bold)
    # no ligatures: text copied or extracted from the PDF reads "fire", not "ﬁre"
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


class PageWriter:
    """Writes top to bottom, starting a new page when the next thing does not fit."""

    def __init__(self, writer: QPdfWriter, painter: QPainter, heading: str) -> None:
        self.writer, self.painter, self.running_title = writer, painter, heading
        self.number = 1
        self._start_page()

    # --- pages -------------------------------------------------------------------------

    def _page_rect(self) -> QRectF:
        size = self.writer.pageLayout().fullRectPoints()
        return QRectF(0, 0, size.width(), size.height()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)

    def _start_page(self) -> None:
        self.area = self._page_rect()
        self.y = self.area.top() + 14
        self._furniture()

    def new_page(self, *, landscape: bool = False) -> None:
        orientation = (
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )
        if self.writer.pageLayout().orientation() != orientation:
            self.writer.setPageLayout(a4_layout(orientation))
        self.writer.newPage()
        self.number += 1
        self._start_page()

    def _furniture(self) -> None:
        p, a = self.painter, self.area
        p.setFont(_font(7))
        p.setPen(GREY)
        top = QRectF(a.left(), a.top() - 18, a.width(), 12)
        p.drawText(
            top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.running_title
        )
        p.drawText(
            top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"page {self.number}"
        )
        p.setPen(QPen(RULE, 0.5))
        p.drawLine(QPointF(a.left(), a.top() - 4), QPointF(a.right(), a.top() - 4))

    def room(self) -> float:
        return self.area.bottom() - self.y

    def _need(self, height: float) -> None:
        if height > self.room():
            self.new_page(
                landscape=self.writer.pageLayout().orientation()
                == QPageLayout.Orientation.Landscape
            )

    def space(self, height: float) -> None:
        self.y += height

    # --- text --------------------------------------------------------------------------

    def cover_title(self, text: str) -> None:
        self.y = self.area.top() + 120
        self.painter.setFont(_font(26, bold=True))
        self.painter.setPen(INK)
        self.painter.drawText(
            QRectF(self.area.left(), self.y, self.area.width(), 40),
            Qt.AlignmentFlag.AlignLeft,
            text,
        )
        self.y += 56

    def heading(self, text: str) -> None:
        self._need(40)
        self.painter.setFont(_font(12, bold=True))
        self.painter.setPen(INK)
        self.painter.drawText(
            QRectF(self.area.left(), self.y, self.area.width(), 18),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
        self.y += 22

    def paragraph(self, text: str, *, size: float = 9.0) -> None:
        font = _font(size)
        metrics = QFontMetricsF(font, self.writer)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        box = metrics.boundingRect(QRectF(0, 0, self.area.width(), 10_000), flags, text)
        self._need(box.height() + 4)
        self.painter.setFont(font)
        self.painter.setPen(INK)
        self.painter.drawText(
            QRectF(self.area.left(), self.y, self.area.width(), box.height() + 2), flags, text
        )
        self.y += box.height() + size * 0.6

    def key_figures(self, figures: Sequence[tuple[str, object]]) -> None:
        """Large numbers with their labels, two columns."""
        half = self.area.width() / 2
        for i, (label, value) in enumerate(figures):
            x = self.area.left() + half * (i % 2)
            if i % 2 == 0 and i:
                self.y += 34
            self.painter.setPen(INK)
            self.painter.setFont(_font(18, bold=True))
            self.painter.drawText(QPointF(x, self.y + 18), format_cell(value))
            self.painter.setFont(_font(8.5))
            self.painter.setPen(GREY)
            self.painter.drawText(QPointF(x, self.y + 30), label)
        self.y += 40

    def block(self, height: float, draw: Callable[[QPainter, QRectF], None]) -> None:
        """A rectangle of ``height`` points across the page, filled by ``draw``."""
        self._need(height)
        rect = QRectF(self.area.left(), self.y, self.area.width(), height)
        self.painter.save()
        draw(self.painter, rect)
        self.painter.restore()
        self.y += height + 12

    # --- tables ------------------------------------------------------------------------

    def table(
        self, table: Table, *, widths: Sequence[float] | None = None, size: float = 8.0
    ) -> None:
        """A table with wrapped cells; its header row again on each page it continues on."""
        font, bold = _font(size), _font(size, bold=True)
        metrics = QFontMetricsF(font, self.writer)
        texts = [[format_cell(v) for v in row] for row in table.rows]
        cols = self._widths(table.header, texts, metrics, widths)
        self.heading(table.title)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        header_h = self._row_height(table.header, cols, QFontMetricsF(bold, self.writer), flags)
        self._draw_row(table.header, cols, header_h, bold, flags, HEAD)
        for row in texts:
            height = self._row_height(row, cols, metrics, flags)
            if height > self.room():
                self.new_page()
                self._draw_row(table.header, cols, header_h, bold, flags, HEAD)
            self._draw_row(row, cols, height, font, flags, None)
        self.y += 14

    def long_table(
        self, table: Table, *, start: float, size: float = 6.5
    ) -> Generator[float, None, None]:
        """A long table in one line per row (cells cut short, never wrapped), yielding
        progress from ``start`` to 1 as its pages are written."""
        font, bold = _font(size), _font(size, bold=True)
        metrics = QFontMetricsF(font, self.writer)
        sample = [[format_cell(v) for v in row] for row in table.rows[:300]]
        cols = self._widths(table.header, sample, metrics, None)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        height = metrics.height() + 3
        header_h = QFontMetricsF(bold, self.writer).height() * 2 + 4
        wrap = flags | Qt.TextFlag.TextWordWrap
        self._draw_row(table.header, cols, header_h, bold, wrap, HEAD)
        total = max(len(table.rows), 1)
        for i, row in enumerate(table.rows):
            if height > self.room():
                self.new_page(landscape=True)
                self._draw_row(table.header, cols, header_h, bold, wrap, HEAD)
                yield start + (1 - start) * i / total
            cells = [
                metrics.elidedText(format_cell(v), Qt.TextElideMode.ElideRight, w - 4)
                for v, w in zip(row, cols, strict=True)
            ]
            self._draw_row(cells, cols, height, font, flags, None)

    def _widths(self, header, rows, metrics: QFontMetricsF, shares) -> list[float]:
        """Column widths: ``shares`` of the page, else each column's widest cell (a header
        word at least), the widest columns cut down first when the page is too narrow."""
        width = self.area.width()
        if shares:
            return [width * s for s in shares]
        natural = [max(metrics.horizontalAdvance(w) for w in h.split()) + 8 for h in header]
        for row in rows:
            for i, text in enumerate(row):
                natural[i] = max(natural[i], metrics.horizontalAdvance(text) + 8)
        if sum(natural) <= width:
            return [w * width / sum(natural) for w in natural]
        low, high = 0.0, max(natural)  # the cap c with sum(min(w, c)) = width
        for _ in range(40):
            cap = (low + high) / 2
            low, high = (cap, high) if sum(min(w, cap) for w in natural) < width else (low, cap)
        return [min(w, low) for w in natural]

    def _row_height(self, cells, cols, metrics: QFontMetricsF, flags) -> float:
        tallest = metrics.height()
        for text, w in zip(cells, cols, strict=True):
            if metrics.horizontalAdvance(text) > w - 4:
                tallest = max(
                    tallest, metrics.boundingRect(QRectF(0, 0, w - 4, 10_000), flags, text).height()
                )
        return tallest + 4

    def _draw_row(
        self, cells, cols, height: float, font: QFont, flags, fill: QColor | None
    ) -> None:
        p, x = self.painter, self.area.left()
        if fill is not None:
            p.fillRect(QRectF(x, self.y, sum(cols), height), fill)
        p.setFont(font)
        p.setPen(INK)
        for text, w in zip(cells, cols, strict=True):
            p.drawText(QRectF(x + 2, self.y + 2, w - 4, height - 2), flags, text)
            x += w
        p.setPen(QPen(RULE, 0.3))
        p.drawLine(QPointF(self.area.left(), self.y + height), QPointF(x, self.y + height))
        self.y += height
