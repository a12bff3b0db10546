"""Chart layers: the common base (show, hide, order, legend, clicked features) and the cases
layer (last known position, every position report with source and age, Doppler A/B pairs)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGraphicsItem

from sarapp.geo import format_ddm, format_dtg
from sarapp.maps.projection import ground_scale, point_to_mercator, to_mercator
from sarapp.model import Case, Position, utc_now
from sarapp.ui.map_canvas import MapCanvas

SOURCE_COLOURS = {
    "reported": "#1f5fbf",
    "doppler-A": "#b5179e",
    "doppler-B": "#7209b7",
    "gnss": "#2a9d8f",
    "encoded": "#2a9d8f",
    "ais": "#e76f51",
}
OTHER_SOURCE = "#555555"
LKP_COLOUR = "#d00000"


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a coloured glyph and what it means."""

    colour: str
    glyph: str
    text: str


def age_text(then: datetime | None, now: datetime) -> str:
    """'35 min ago', '3 h 10 min ago', '2 d 4 h ago' or 'time unknown'."""
    if then is None:
        return "time unknown"
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 0:
        return "in the future"
    if minutes < 60:
        return f"{minutes} min ago"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min ago"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h ago"


class MapLayer(QObject):
    """Items drawn together, shown or hidden together, stacked as one.

    ``feature_clicked`` carries the details text of a clicked feature.
    """

    feature_clicked = Signal(str)

    def __init__(self, canvas: MapCanvas, name: str) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.name = name
        self.visible = True
        self.z = 0.0
        self.items: list[QGraphicsItem] = []
        self._offsets: dict[int, float] = {}

    def add_item(self, item: QGraphicsItem, z_offset: float = 0.0) -> QGraphicsItem:
        self._offsets[id(item)] = z_offset
        self.canvas.addItem(item, ignoreBounds=True)
        item.setZValue(self.z + z_offset)
        item.setVisible(self.visible)
        self.items.append(item)
        return item

    def clear_items(self) -> None:
        for item in self.items:
            self.canvas.removeItem(item)
        self.items = []
        self._offsets = {}
        self.canvas.labels.clear(self)

    def add_label(
        self, kind: str, x: float, y: float, text: str, colour: str, hover: str = ""
    ) -> None:
        """A decluttered label (``map_labels``): ``kind`` sets its priority."""
        self.canvas.labels.add(self, kind, x, y, text, colour, hover)

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        for item in self.items:
            item.setVisible(visible)
        if visible:
            self.on_view_changed()
        self.canvas.labels.layout()

    def set_z(self, z: float) -> None:
        """Stack the layer at ``z`` (each item keeps its offset within the layer, below 1)."""
        self.z = z
        for item in self.items:
            item.setZValue(z + self._offsets.get(id(item), 0.0))

    def legend(self) -> list[LegendEntry]:
        return []

    def on_view_changed(self) -> None:
        """Redraw what depends on the scale (level of detail); nothing by default."""

    def clickable_scatter(self, **options) -> pg.ScatterPlotItem:
        """A scatter whose points carry their details text in ``data``, clicked → signal."""
        scatter = pg.ScatterPlotItem(**options)
        scatter.sigClicked.connect(self._on_points_clicked)
        return scatter

    def _on_points_clicked(self, _item, points, _event) -> None:
        if len(points):
            self.feature_clicked.emit(str(points[0].data()))


def short_age(then: datetime | None, now: datetime) -> str:
    """'35m', '5h40', '2d4h' or '?': ages as a chart label has room for."""
    if then is None:
        return "?"
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h{minutes:02d}"
    return f"{hours // 24}d{hours % 24}h"


SHORT_SOURCE = {"reported": "RPT", "gnss": "GNSS", "encoded": "ENC", "ais": "AIS"}


class CasesLayer(MapLayer):
    """One case: its LKP, every position report with source and age, the Doppler A/B pair."""

    def __init__(self, canvas: MapCanvas) -> None:
        super().__init__(canvas, "Case positions")
        self.case: Case | None = None
        self.positions: list[Position] = []
        self.sources: list[str] = []
        self.accuracy_count = 0

    def set_case(
        self, case: Case | None, positions: Sequence[Position], *, now: datetime | None = None
    ) -> None:
        """Draw ``case`` and its ``positions`` (as from ``store.cases.positions``); None clears."""
        now = now or utc_now()
        self.clear_items()
        self.case = case
        self.positions = list(positions)
        if case is None:
            return
        self.sources = sorted({p.source for p in self.positions})
        self._draw_accuracy(case)
        self._draw_reports(case, now)
        self._draw_doppler_pair(now)
        if case.lkp is not None:
            x, y = point_to_mercator(case.lkp.lat, case.lkp.lon)
            lkp = self.clickable_scatter(symbol="star", size=20, pen=pg.mkPen("k", width=1))
            lkp.addPoints(
                [x], [y], brush=pg.mkBrush(LKP_COLOUR), data=[self._details("LKP", case.lkp, now)]
            )
            self.add_item(lkp, 0.5)
            self.add_label("lkp", x, y, "LKP", LKP_COLOUR, self._details("LKP", case.lkp, now))

    def _draw_accuracy(self, case: Case) -> None:
        """A thin dashed circle of each position's stated accuracy (radius, metres)."""
        seen = set()
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        for p in [*self.positions, *([case.lkp] if case.lkp else [])]:
            if not p.accuracy_m or p.id in seen:
                continue
            seen.add(p.id)
            x, y = point_to_mercator(p.lat, p.lon)
            r = p.accuracy_m / ground_scale(p.lat)  # ground metres → Mercator metres
            t = np.linspace(0, 2 * np.pi, 73)
            xs += [x + r * np.cos(t), np.array([np.nan])]
            ys += [y + r * np.sin(t), np.array([np.nan])]
        self.accuracy_count = len(seen)
        if xs:
            pen = pg.mkPen("#404040", width=1, style=pg.QtCore.Qt.PenStyle.DashLine)
            circles = pg.PlotCurveItem(np.concatenate(xs), np.concatenate(ys), pen=pen)
            circles.setData(np.concatenate(xs), np.concatenate(ys), connect="finite")
            self.add_item(circles, 0.1)

    def _details(self, title: str, position: Position, now: datetime) -> str:
        when = format_dtg(position.time) if position.time else "time unknown"
        accuracy = f", ± {position.accuracy_m / 1852:.1f} NM" if position.accuracy_m else ""
        number = self.case.number if self.case else ""
        return (
            f"{title} of case {number}: {format_ddm(position.lat, position.lon)} "
            f"— source {position.source}, {when} ({age_text(position.time, now)}){accuracy}"
        )

    def _draw_reports(self, case: Case, now: datetime) -> None:
        lkp_id = case.lkp.id if case.lkp else None
        others = [
            p for p in self.positions if not p.source.startswith("doppler-") and p.id != lkp_id
        ]
        if not others:
            return
        x, y = to_mercator([p.lat for p in others], [p.lon for p in others])
        scatter = self.clickable_scatter(symbol="o", size=10, pen=pg.mkPen("w", width=1))
        scatter.addPoints(
            x,
            y,
            brush=[pg.mkBrush(SOURCE_COLOURS.get(p.source, OTHER_SOURCE)) for p in others],
            data=[self._details("Position", p, now) for p in others],
        )
        self.add_item(scatter, 0.3)
        for p, px, py in zip(others, x, y, strict=True):
            colour = SOURCE_COLOURS.get(p.source, OTHER_SOURCE)
            short = f"{SHORT_SOURCE.get(p.source, p.source[:6].upper())} {short_age(p.time, now)}"
            self.add_label("other", px, py, short, colour, self._details("Position", p, now))

    def _draw_doppler_pair(self, now: datetime) -> None:
        latest: dict[str, Position] = {}
        for p in self.positions:
            is_doppler = p.source in ("doppler-A", "doppler-B")
            if is_doppler and (p.source not in latest or _later(p, latest[p.source])):
                latest[p.source] = p
        if not latest:
            return
        pair = [latest[s] for s in ("doppler-A", "doppler-B") if s in latest]
        x, y = to_mercator([p.lat for p in pair], [p.lon for p in pair])
        if len(pair) == 2:
            line = pg.PlotCurveItem(
                x, y, pen=pg.mkPen("#7209b7", width=2, style=pg.QtCore.Qt.PenStyle.DashLine)
            )
            self.add_item(line, 0.2)
        scatter = self.clickable_scatter(symbol="s", size=13, pen=pg.mkPen("w", width=1))
        scatter.addPoints(
            x,
            y,
            brush=[pg.mkBrush(SOURCE_COLOURS[p.source]) for p in pair],
            data=[self._details(f"Doppler {p.source[-1]}", p, now) for p in pair],
        )
        self.add_item(scatter, 0.4)
        for p, px, py in zip(pair, x, y, strict=True):
            text = f"{p.source[-1]} {short_age(p.time, now)}"
            hover = self._details(f"Doppler {p.source[-1]}", p, now)
            self.add_label("other", px, py, text, SOURCE_COLOURS[p.source], hover)

    def legend(self) -> list[LegendEntry]:
        if self.case is None:
            return []
        entries = [LegendEntry(LKP_COLOUR, "★", "last known position")]
        for source in self.sources:
            glyph = "■" if source.startswith("doppler-") else "●"
            colour = SOURCE_COLOURS.get(source, OTHER_SOURCE)
            entries.append(LegendEntry(colour, glyph, f"position: {source}"))
        if {"doppler-A", "doppler-B"} <= set(self.sources):
            entries.append(LegendEntry("#7209b7", "┅", "Doppler A/B pair"))
        if self.accuracy_count:
            entries.append(LegendEntry("#404040", "◌", "stated accuracy of a position"))
        return entries

    def point_count(self) -> int:
        return len(self.positions) + (1 if self.case and self.case.lkp else 0)


def _later(a: Position, b: Position) -> bool:
    if a.time is None:
        return False
    return b.time is None or a.time > b.time


def mercator_rings(geometries: Iterable[dict]) -> tuple[np.ndarray, np.ndarray]:
    """GeoJSON Polygons/MultiPolygons (lon/lat) → NaN-separated Mercator x, y of their rings."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for geometry in geometries:
        polygons = geometry.get("coordinates", [])
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring in polygon:
                ring_a = np.asarray(ring, dtype=float)
                if ring_a.ndim != 2 or len(ring_a) < 2:
                    continue
                x, y = to_mercator(ring_a[:, 1], ring_a[:, 0])
                xs += [x, np.array([np.nan])]
                ys += [y, np.array([np.nan])]
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs), np.concatenate(ys)
