"""The annual report's plots drawn with QPainter into a rectangle: the same code paints the
app's report dialog and the PDF, so what the officer sees is what the ministry gets.

Each ``draw_*`` takes a painter, the rectangle to fill (device units) and the core's
``PlotData``; sizes follow the painter's font metrics, so a screen and a PDF page both work.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from sarapp.model import AlertPhase
from sarapp.report.facts import PHASES
from sarapp.report.plots import MONTHS, PlotData, histogram
from sarapp.report.stats import median, percentile_nearest_rank
from sarapp.ui.map_canvas import COAST, SEA
from sarapp.ui.phase_style import PHASE_COLOURS

INK = QColor("#202020")
GRID = QColor("#d0d0d0")
BAR = QColor("#4a78a8")
MARK = QColor("#b00020")


def _font(painter: QPainter, size: float, bold: bool = False) -> QFontMetricsF:
    font = QFont("sans-serif")
    font.setPointSizeF(size)
    font.setBold(bold)
    # no ligatures: text copied or extracted from the PDF reads "fire", not "ﬁre"
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    painter.setFont(font)
    return QFontMetricsF(font, painter.device())


def _title(painter: QPainter, rect: QRectF, text: str) -> QRectF:
    """Draw ``text`` at the top of ``rect``; the rest of the rectangle."""
    metrics = _font(painter, 9.5, bold=True)
    painter.setPen(INK)
    height = metrics.height() * 1.4
    painter.drawText(
        QRectF(rect.left(), rect.top(), rect.width(), height),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        text,
    )
    return rect.adjusted(0, height, 0, 0)


def _nice_top(value: float) -> float:
    """The axis top above ``value`` whose quarters are round numbers (1, 2, 5 × 10ⁿ)."""
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw and not (m == 2.5 and power == 1):
            return m * power * 4
    return 40 * power


def _y_axis(painter: QPainter, plot: QRectF, top: float, metrics: QFontMetricsF) -> None:
    painter.setPen(QPen(GRID, 0))
    for i in range(5):
        value = top * i / 4
        y = plot.bottom() - plot.height() * i / 4
        painter.setPen(QPen(GRID, 0))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(INK)
        label = f"{value:g}"
        width = metrics.horizontalAdvance(label)
        painter.drawText(QPointF(plot.left() - width - 3, y + metrics.ascent() / 2 - 1), label)


def draw_month_phases(painter: QPainter, rect: QRectF, data: PlotData) -> None:
    """Cases opened per month, stacked by the highest phase reached."""
    area = _title(painter, rect, f"Cases opened per month by highest phase ({data.title})")
    metrics = _font(painter, 7.5)
    legend_h = metrics.height() * 1.5
    plot = area.adjusted(
        metrics.horizontalAdvance("0000") + 6, 4, -4, -metrics.height() * 1.6 - legend_h
    )
    totals = [sum(m) for m in data.month_phases]
    top = _nice_top(max(totals, default=0) or 1)
    _y_axis(painter, plot, top, metrics)
    slot = plot.width() / 12
    for i, counts in enumerate(data.month_phases):
        y = plot.bottom()
        for phase, n in zip(PHASES, counts, strict=True):
            h = plot.height() * n / top
            painter.fillRect(
                QRectF(plot.left() + slot * (i + 0.15), y - h, slot * 0.7, h),
                PHASE_COLOURS[AlertPhase(phase)],
            )
            y -= h
        painter.setPen(INK)
        label_rect = QRectF(plot.left() + slot * i, plot.bottom() + 2, slot, metrics.height())
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, MONTHS[i])
    painter.setPen(QPen(INK, 0))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    _legend(
        painter,
        QPointF(plot.left(), plot.bottom() + metrics.height() * 1.6),
        metrics,
        [(p, PHASE_COLOURS[AlertPhase(p)]) for p in PHASES],
    )


def _legend(
    painter: QPainter, at: QPointF, metrics: QFontMetricsF, items: Sequence[tuple[str, QColor]]
) -> None:
    x = at.x()
    box = metrics.height() * 0.7
    for label, colour in items:
        painter.fillRect(QRectF(x, at.y() + (metrics.height() - box) / 2, box, box), colour)
        painter.setPen(INK)
        painter.drawText(QPointF(x + box + 3, at.y() + metrics.ascent()), label)
        x += box + 10 + metrics.horizontalAdvance(label)


def draw_sources(painter: QPainter, rect: QRectF, data: PlotData) -> None:
    """Cases by first alert source, as horizontal bars."""
    area = _title(painter, rect, "First alert source")
    metrics = _font(painter, 7.5)
    label_w = max((metrics.horizontalAdvance(label) for label, _ in data.sources), default=0)
    label_w = min(label_w, area.width() * 0.5)
    rows = max(len(data.sources), 1)
    row_h = min(area.height() / rows, metrics.height() * 2.2)
    top = max((n for _, n in data.sources), default=0) or 1
    bar_w = area.width() - label_w - 8 - metrics.horizontalAdvance("00000")
    for i, (label, n) in enumerate(data.sources):
        y = area.top() + row_h * i
        painter.setPen(INK)
        text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w)
        painter.drawText(
            QRectF(area.left(), y, label_w, row_h),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
        w = bar_w * n / top
        painter.fillRect(QRectF(area.left() + label_w + 6, y + row_h * 0.2, w, row_h * 0.6), BAR)
        painter.drawText(
            QPointF(area.left() + label_w + 9 + w, y + row_h / 2 + metrics.ascent() / 2 - 1), str(n)
        )


def draw_durations(painter: QPainter, rect: QRectF, data: PlotData) -> None:
    """One histogram per response time (minutes), with its median and 90th percentile."""
    area = _title(
        painter,
        rect,
        "Response times: cases per interval, median (solid), 90th percentile (dashed)",
    )
    count = max(len(data.durations), 1)
    height = area.height() / count
    for i, (label, values) in enumerate(data.durations):
        _histogram(
            painter,
            QRectF(area.left(), area.top() + height * i, area.width(), height),
            label,
            values,
        )


def _histogram(painter: QPainter, rect: QRectF, label: str, minutes: tuple[float, ...]) -> None:
    metrics = _font(painter, 7.5)
    p90_min = percentile_nearest_rank(minutes, 0.9)
    divisor, unit = (60.0, "h") if (p90_min or 0) > 600 else (1.0, "min")
    values = tuple(v / divisor for v in minutes)
    med, p90 = median(values), percentile_nearest_rank(values, 0.9)
    head = f"{label} ({unit}): {len(values)} cases"
    if med is not None and p90 is not None:
        head += f", median {med:.0f} {unit}, 90th percentile {p90:.0f} {unit}"
    painter.setPen(INK)
    painter.drawText(QPointF(rect.left(), rect.top() + metrics.ascent()), head)
    plot = rect.adjusted(
        metrics.horizontalAdvance("0000") + 6,
        metrics.height() * 1.4,
        -metrics.horizontalAdvance("000"),
        -metrics.height() * 1.5,
    )
    if plot.height() <= 4:
        return
    edges, counts = histogram(values)
    top = _nice_top(max(counts, default=0) or 1)
    _y_axis(painter, plot, top, metrics)
    slot = plot.width() / len(counts)
    for i, n in enumerate(counts):
        h = plot.height() * n / top
        painter.fillRect(QRectF(plot.left() + slot * i + 1, plot.bottom() - h, slot - 2, h), BAR)
    painter.setPen(INK)
    for i in range(0, len(edges), 2):
        x = plot.left() + slot * i
        text = f"{edges[i]:g}"
        at = QPointF(x - metrics.horizontalAdvance(text) / 2, plot.bottom() + metrics.ascent() + 2)
        painter.drawText(at, text)
    span = edges[-1] - edges[0] or 1.0
    for value, style in ((med, Qt.PenStyle.SolidLine), (p90, Qt.PenStyle.DashLine)):
        if value is not None:
            x = plot.left() + plot.width() * min(value, edges[-1]) / span
            painter.setPen(QPen(MARK, 1.2, style))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))


def draw_chart(painter: QPainter, rect: QRectF, data: PlotData) -> None:
    """The year's case positions (last known) over the coastline, coloured by phase."""
    chart = data.chart
    area = _title(painter, rect, f"Case positions ({len(chart.points)} cases)")
    west, south, east, north = chart.view
    scale = min(area.width() / (east - west), area.height() / (north - south))
    w, h = (east - west) * scale, (north - south) * scale
    frame = QRectF(area.left() + (area.width() - w) / 2, area.top(), w, h)
    painter.fillRect(frame, SEA)

    def at(x: float, y: float) -> QPointF:
        return QPointF(frame.left() + (x - west) * scale, frame.top() + (north - y) * scale)

    painter.save()
    painter.setClipRect(frame)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    for line in chart.coast:
        path.moveTo(at(*line[0]))
        for point in line[1:]:
            path.lineTo(at(*point))
    painter.setPen(QPen(COAST, 0.8))
    painter.drawPath(path)
    radius = max(1.5, min(frame.width(), frame.height()) / 160)
    for phase in PHASES:  # the gravest drawn last, on top
        painter.setBrush(PHASE_COLOURS[AlertPhase(phase)])
        painter.setPen(QPen(INK, 0.3))
        for x, y, p in chart.points:
            if p == phase:
                painter.drawEllipse(at(x, y), radius, radius)
    painter.restore()
    painter.setPen(QPen(INK, 0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(frame)
    metrics = _font(painter, 7.0)
    if chart.without_position:
        note = f"{chart.without_position} cases without a position are not shown"
        painter.drawText(QPointF(frame.left(), frame.bottom() + metrics.ascent() + 2), note)
