"""Chart labels that never pile up: placed by priority (LKP, datum, units, plans, the rest),
each tried beside its mark on four sides, then farther out with a leader line; a label that
finds no room is hidden until the chart is zoomed in, and its text shows on hover. The LKP
and the datum are never hidden while their mark is in view: with no free place they are
shifted inward, inside the view, with a leader line to their mark.

Labels sit on a translucent plate of the chart's background, above every layer (the LKP and
datum above the other labels), so a dense drift cloud or a track never runs through the text;
their text is darkened where needed to read at 4.5:1 on the plate.

Layers register labels with ``add`` and drop theirs with ``clear``; the layout is redone after
every view change (a few dozen labels: well under a millisecond of arithmetic each).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QToolTip

from sarapp.ui.chart_palette import LABEL_PLATE
from sarapp.ui.night import MIN_CONTRAST, contrast

PRIORITY = {"lkp": 0, "datum": 1, "unit": 2, "plan": 3, "other": 4}
ALWAYS_SHOWN = ("lkp", "datum")
FONT_PT = 10  # at least 10 pt: read at arm's length in a darkened room
MARK_PX = 9.0  # half the size of a mark: labels keep clear of every mark
HOVER_PX = 14.0
LABEL_Z = 950.0  # above every layer (layers stack at 10 × their rank, < 100)
PRIORITY_LABEL_Z = 960.0
LEADER_Z = 900.0
PLATE_MARGIN_PX = 2
SHIFT_RINGS_PX = (28.0, 44.0, 64.0, 90.0, 120.0, 160.0)  # where a crowded priority label may go


@dataclass(eq=False)
class ChartLabel:
    """One label: its mark in Mercator metres, short text shown, full text on hover."""

    owner: object
    kind: str
    x: float
    y: float
    text: str
    colour: str
    hover: str = ""
    shown: bool = False
    leader: bool = False
    rect: QRectF | None = None  # where it was placed, scene pixels
    item: pg.TextItem | None = field(default=None, repr=False)


class LabelManager(QObject):
    """Owns the chart's labels and lays them out; ``labels`` in priority order."""

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.labels: list[ChartLabel] = []
        self.font = QFont("Sans", FONT_PT)
        self.leaders = pg.PlotCurveItem(pen=pg.mkPen("#505050", width=1), connect="pairs")
        self.leaders.setZValue(LEADER_Z)
        canvas.addItem(self.leaders, ignoreBounds=True)
        canvas.cursor_moved.connect(self._on_cursor_moved)

    def add(
        self, owner, kind: str, x: float, y: float, text: str, colour: str, hover: str = ""
    ) -> ChartLabel:
        plate = LABEL_PLATE[False]
        item = pg.TextItem(text, color=legible_on(QColor(colour), plate), fill=plate, anchor=(0, 0))
        item.textItem.document().setDocumentMargin(PLATE_MARGIN_PX)
        item.setFont(self.font)
        item.setZValue(PRIORITY_LABEL_Z if kind in ALWAYS_SHOWN else LABEL_Z)
        self.canvas.addItem(item, ignoreBounds=True)
        label = ChartLabel(owner, kind, x, y, text, colour, hover or text, item=item)
        self.labels.append(label)
        self.labels.sort(key=lambda lb: PRIORITY.get(lb.kind, 9))
        return label

    def clear(self, owner) -> None:
        for label in [lb for lb in self.labels if lb.owner is owner]:
            self.canvas.removeItem(label.item)
            self.labels.remove(label)

    def layout(self) -> None:
        """Place the labels, highest priority first, where they overlap nothing."""
        vb = self.canvas.vb
        view = vb.sceneBoundingRect()
        visible = [lb for lb in self.labels if getattr(lb.owner, "visible", True)]
        anchors = [vb.mapViewToScene(QPointF(lb.x, lb.y)) for lb in visible]
        taken = [
            QRectF(a.x() - MARK_PX, a.y() - MARK_PX, 2 * MARK_PX, 2 * MARK_PX) for a in anchors
        ]
        lines: list[float] = []
        line_y: list[float] = []
        for label in self.labels:
            label.shown = False
            label.item.hide()
        for label, anchor in zip(visible, anchors, strict=True):
            if not view.contains(anchor):
                continue
            size = label.item.textItem.boundingRect().size()  # with the plate's margins
            placed = _place(anchor, size.width(), size.height(), view, taken)
            if placed is None and label.kind in ALWAYS_SHOWN:
                placed = _shift_inward(anchor, size.width(), size.height(), view, taken)
            if placed is None:
                continue
            rect, leader = placed
            taken.append(rect)
            label.item.setPos(vb.mapSceneToView(rect.topLeft()))
            label.item.show()
            label.shown, label.leader, label.rect = True, leader, rect
            if leader:
                end = vb.mapSceneToView(_nearest_point(rect, anchor))
                lines += [label.x, end.x()]
                line_y += [label.y, end.y()]
        self.leaders.setData(lines, line_y)

    def hidden(self) -> list[ChartLabel]:
        return [lb for lb in self.labels if not lb.shown]

    def _on_cursor_moved(self, _lat: float, _lon: float, _text: str) -> None:
        """Hover: the full text of the hidden label whose mark is under the cursor."""
        vb = self.canvas.vb
        cursor = self.canvas.mapFromGlobal(self.canvas.cursor().pos())
        scene = self.canvas.mapToScene(cursor)
        for label in self.hidden():
            mark = vb.mapViewToScene(QPointF(label.x, label.y))
            if (mark - scene).manhattanLength() <= HOVER_PX:
                QToolTip.showText(self.canvas.cursor().pos(), label.hover, self.canvas)
                return


def legible_on(colour: QColor, plate: QColor) -> QColor:
    """``colour`` darkened until it reads at 4.5:1 on the plate (a pale source colour would
    not)."""
    colour = QColor(colour)
    while contrast(colour, plate) < MIN_CONTRAST and colour.value() > 0:
        colour = colour.darker(115)
    return colour


def _place(anchor: QPointF, w: float, h: float, view: QRectF, taken: list[QRectF]):
    """The first free place inside the view among the candidates: (rect, leader) or None."""
    for dx, dy, leader in _candidates(w, h):
        rect = QRectF(anchor.x() + dx, anchor.y() + dy, w, h)
        if view.contains(rect) and not any(rect.intersects(t) for t in taken):
            return rect, leader
    return None


def _shift_inward(anchor: QPointF, w: float, h: float, view: QRectF, taken: list[QRectF]):
    """A priority label with no free place beside its mark: the nearest place inside the view
    on rings around the mark, free if one is, else the one overlapping the least (a label over
    lower marks rather than no label), never over its own mark; with a leader line."""
    own = QRectF(anchor.x() - MARK_PX, anchor.y() - MARK_PX, 2 * MARK_PX, 2 * MARK_PX)
    best: tuple[float, QRectF] | None = None
    for radius in SHIFT_RINGS_PX:
        for k in range(16):
            angle = 2 * math.pi * k / 16
            centre = anchor + QPointF(radius * math.cos(angle), radius * math.sin(angle))
            rect = _inside(QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h), view)
            if rect.intersects(own):
                continue
            overlap = sum(_area(rect.intersected(t)) for t in taken)
            if best is None or overlap < best[0]:
                best = (overlap, rect)
            if overlap == 0:
                break
        if best is not None and best[0] == 0:
            break
    if best is None:
        return None
    rect = best[1]
    return rect, (_nearest_point(rect, anchor) - anchor).manhattanLength() > MARK_PX + 4


def _area(rect: QRectF) -> float:
    return max(0.0, rect.width()) * max(0.0, rect.height())


def _inside(rect: QRectF, view: QRectF) -> QRectF:
    """``rect`` moved (not resized) to lie inside ``view`` as far as it fits."""
    x = min(max(rect.left(), view.left()), view.right() - rect.width())
    y = min(max(rect.top(), view.top()), view.bottom() - rect.height())
    return QRectF(max(x, view.left()), max(y, view.top()), rect.width(), rect.height())


def _nearest_point(rect: QRectF, point: QPointF) -> QPointF:
    """The point of ``rect`` nearest ``point`` (where a leader line meets the label)."""
    x = min(max(point.x(), rect.left()), rect.right())
    y = min(max(point.y(), rect.top()), rect.bottom())
    return QPointF(x, y)


def _candidates(w: float, h: float):
    """Offsets (px, from the mark) to try: right, left, above, below, then farther out on a
    leader line."""
    near = MARK_PX + 2
    yield near, -h / 2, False
    yield -near - w, -h / 2, False
    yield -w / 2, -near - h, False
    yield -w / 2, near, False
    for far in (36.0, 64.0):
        for dx, dy in ((far, -far), (far, far), (-far - w, -far), (-far - w, far)):
            yield dx, dy - h / 2, True
