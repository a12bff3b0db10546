"""The rescue-units layer: a symbol by unit type with a heading stick, the name beside it, the
track of the last hours, and everything greyed out once the last fix is older than
``stale_after``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from PySide6.QtGui import QPainterPath, QTransform

from sarapp.geo import format_ddm, format_dtg
from sarapp.maps.features import UnitTrack, UnitType
from sarapp.maps.projection import point_to_mercator, to_mercator
from sarapp.model import utc_now
from sarapp.ui.map_canvas import MapCanvas
from sarapp.ui.map_layers import LegendEntry, MapLayer, age_text

# symbol name in pyqtgraph, legend glyph, colour
UNIT_STYLE = {
    UnitType.LIFEBOAT: ("s", "■", "#ff7b00"),
    UnitType.PATROL_VESSEL: ("d", "◆", "#1d3557"),
    UnitType.HELICOPTER: ("h", "⬢", "#2b9348"),
    UnitType.FIXED_WING: ("t1", "▲", "#6a4c93"),
    UnitType.MERCHANT_VESSEL: ("p", "⬟", "#8d6e63"),
}
STALE = "#9e9e9e"


def unit_symbol(unit_type: UnitType, heading_deg: float | None) -> QPainterPath:
    """The type's shape with a stick pointing along the heading (none if unknown)."""
    path = QPainterPath(Symbols[UNIT_STYLE[unit_type][0]])
    if heading_deg is not None:
        stick = QPainterPath()
        stick.moveTo(0.0, 0.0)
        stick.lineTo(0.0, -1.2)  # pixel space, y down: "up" is north
        stick.addRect(-0.04, -1.2, 0.08, 1.2)
        path.addPath(QTransform().rotate(heading_deg).map(stick))
    return path


class UnitsLayer(MapLayer):
    """SRUs fed as plain ``UnitTrack`` records (the registry in the store comes later)."""

    def __init__(
        self,
        canvas: MapCanvas,
        *,
        track_hours: float = 6.0,
        stale_after: timedelta = timedelta(hours=1),
    ) -> None:
        super().__init__(canvas, "Rescue units")
        self.track_hours = track_hours
        self.stale_after = stale_after
        self.units: list[UnitTrack] = []
        self.stale: list[bool] = []

    def set_units(self, units: Sequence[UnitTrack], *, now: datetime | None = None) -> None:
        """Draw ``units`` as they stand at ``now`` (default: the clock)."""
        now = now or utc_now()
        self.clear_items()
        self.units = list(units)
        self.stale = [now - u.last.time > self.stale_after for u in self.units]
        if not self.units:
            return
        since = now - timedelta(hours=self.track_hours)
        for unit, stale in zip(self.units, self.stale, strict=True):
            colour = STALE if stale else UNIT_STYLE[unit.unit_type][2]
            recent = [f for f in unit.fixes if f.time >= since]
            if len(recent) >= 2:
                x, y = to_mercator([f.lat for f in recent], [f.lon for f in recent])
                track = pg.PlotCurveItem(x, y, pen=pg.mkPen(colour, width=1.5, style=_DOT))
                self.add_item(track, 0.1)
        xs, ys, symbols, brushes, details = [], [], [], [], []
        for unit, stale in zip(self.units, self.stale, strict=True):
            x, y = point_to_mercator(unit.last.lat, unit.last.lon)
            xs.append(x)
            ys.append(y)
            symbols.append(unit_symbol(unit.unit_type, unit.last.heading_deg))
            brushes.append(pg.mkBrush(STALE if stale else UNIT_STYLE[unit.unit_type][2]))
            details.append(self._details(unit, now))
            colour = "#707070" if stale else "#111111"
            short = unit.name if len(unit.name) <= 14 else (unit.call_sign or unit.name[:13] + "…")
            self.add_label("unit", x, y, short, colour, details[-1])
        scatter = self.clickable_scatter(size=16, pen=pg.mkPen("k", width=1))
        scatter.addPoints(xs, ys, symbol=symbols, brush=brushes, data=details)
        self.add_item(scatter, 0.2)

    def _details(self, unit: UnitTrack, now: datetime) -> str:
        fix = unit.last
        heading = f", heading {fix.heading_deg:03.0f}°T" if fix.heading_deg is not None else ""
        ids = " ".join(part for part in (unit.call_sign, unit.mmsi and f"MMSI {unit.mmsi}") if part)
        return (
            f"{unit.name} ({unit.unit_type.label}{', ' + ids if ids else ''}): "
            f"{format_ddm(fix.lat, fix.lon)}{heading} at {format_dtg(fix.time)} "
            f"({age_text(fix.time, now)})"
        )

    def legend(self) -> list[LegendEntry]:
        types = sorted({u.unit_type for u in self.units}, key=list(UnitType).index)
        entries = [LegendEntry(UNIT_STYLE[t][2], UNIT_STYLE[t][1], t.label) for t in types]
        if any(self.stale):
            hours = self.stale_after.total_seconds() / 3600
            entries.append(LegendEntry(STALE, "■", f"no fix for over {hours:g} h"))
        return entries


_DOT = pg.QtCore.Qt.PenStyle.DotLine
