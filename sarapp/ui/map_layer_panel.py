"""The layer list (tick to show, drag to reorder: top of the list is drawn on top) and the
legend of the visible layers."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sarapp.ui.chart_palette import night_colour
from sarapp.ui.map_layers import LegendEntry


class LayerPanel(QWidget):
    """Emits ``visibility_changed(name, visible)`` and ``order_changed(names top first)``."""

    visibility_changed = Signal(str, bool)
    order_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setMaximumHeight(130)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>Layers</b> (tick to show, drag to reorder)"))
        layout.addWidget(self.list)
        layout.addWidget(QLabel("<b>Legend</b>"))
        layout.addWidget(self.legend, 1)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.model().rowsMoved.connect(self._on_rows_moved)

    def set_layers(self, names: Sequence[str], visible: Sequence[bool]) -> None:
        """List the layers, top first, with their ticks (no signals while filling)."""
        self.list.blockSignals(True)
        self.list.clear()
        for name, shown in zip(names, visible, strict=True):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    night = False  # glyphs in the chart's night reds

    def set_legend(self, entries: Sequence[LegendEntry]) -> None:
        rows = [
            f'<span style="color:{night_colour(e.colour).name() if self.night else e.colour}; '
            f'font-size:14px">{e.glyph}</span>&nbsp;{e.text}'
            for e in entries
        ]
        self.legend.setText("<br>".join(rows) if rows else "<i>nothing shown</i>")

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        self.visibility_changed.emit(item.text(), item.checkState() == Qt.CheckState.Checked)

    def _on_rows_moved(self, *_args) -> None:
        self.order_changed.emit(self.names())
