"""Chart labels that never pile up: placed by priority (LKP, datum, units, plans, the rest),
each tried beside its mark on four sides, then farther out with a leader line; a label that
finds no room is hidden until the chart is zoomed in, and its text shows on hover.

Layers register labels with ``add`` and drop theirs with ``clear``; the layout is redone after
every view change (a few dozen labels: well under a millisecond of arithmetic each).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QToolTip

PRIORITY = {"lkp": 0, "datum": 1, "unit": 2, "plan": 3, "other": 4}
FONT_PT = 10  # at least 10 pt: read at arm's length in a darkened room
MARK_PX = 9.0  # half the size of a mark: labels keep clear of every mark
HOVER_PX = 14.0


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
    night: bool = False  # drawn in the night palette's light colour
    item: pg.TextItem | None = field(default=None, repr=False)


class LabelManager(QObject):
    """Owns the chart's labels and lays them out; ``labels`` in priority order."""

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.labels: list[ChartLabel] = []
        self.night = False  # labels drawn light (the chart's red filter keeps them red)
        self.font = QFont("Sans", FONT_PT)
        self.leaders = pg.PlotCurveItem(pen=pg.mkPen("#505050", width=1), connect="pairs")
        self.leaders.setZValue(900)
        canvas.addItem(self.leaders, ignoreBounds=True)
        canvas.cursor_moved.connect(self._on_cursor_moved)

    def add(
        self, owner, kind: str, x: float, y: float, text: str, colour: str, hover: str = ""
    ) -> ChartLabel:
        item = pg.TextItem(text, color=QColor(colour), anchor=(0, 0))
        item.setFont(self.font)
        item.setZValue(950)
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
            if label.night != self.night:
                label.item.setColor(QColor("#a8a8a8" if self.night else label.colour))
                label.night = self.night
        for label, anchor in zip(visible, anchors, strict=True):
            if not view.contains(anchor):
                continue
            size = label.item.textItem.boundingRect().size()  # with the text's own margins
            w, h = size.width(), size.height()
            for dx, dy, leader in _candidates(w, h):
                rect = QRectF(anchor.x() + dx, anchor.y() + dy, w, h)
                if not view.contains(rect) or any(rect.intersects(t) for t in taken):
                    continue
                taken.append(rect)
                label.item.setPos(vb.mapSceneToView(rect.topLeft()))
                label.item.show()
                label.shown, label.leader, label.rect = True, leader, rect
                if leader:
                    end = vb.mapSceneToView(QPointF(rect.left(), rect.center().y()))
                    lines += [label.x, end.x()]
                    line_y += [label.y, end.y()]
                break
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
