"""Chart tiles: the XYZ URL to fetch from, and preparing the shown area offline at chosen
zooms. The tiles live in an MBTiles file in the user's data folder, drawn with no network."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sarapp.errors import SarappError
from sarapp.maps.tile_fetch import TileSource
from sarapp.maps.tiles import TileCache
from sarapp.paths import data_dir
from sarapp.ui import settings
from sarapp.ui.map_view import MapView


def tiles_path():
    return data_dir() / "tiles.mbtiles"


def apply_tile_settings(map_view: MapView) -> None:
    """At start: draw cached tiles if any; enable fetching if a URL is configured."""
    url = settings.tile_url()
    if not url and not tiles_path().exists():
        return
    try:
        source = TileSource(url) if url else None
    except SarappError:
        source = None
    map_view.set_tiles(TileCache(tiles_path()), source)


class ChartTilesDialog(QDialog):
    def __init__(self, map_view: MapView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map_view = map_view
        self.setWindowTitle("Chart tiles")
        self.url = QLineEdit(settings.tile_url())
        self.url.setPlaceholderText("https://tiles.example.org/{z}/{x}/{y}.png")
        self.min_zoom = QSpinBox(minimum=0, maximum=19, value=8)
        self.max_zoom = QSpinBox(minimum=0, maximum=19, value=12)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        self.error.setWordWrap(True)
        save = QPushButton("Use this tile server")
        prepare = QPushButton("Prepare the shown area for offline use")
        form = QFormLayout()
        form.addRow("XYZ URL", self.url)
        form.addRow("From zoom", self.min_zoom)
        form.addRow("To zoom", self.max_zoom)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(f"Tiles are kept in {tiles_path()} and drawn with no network."))
        layout.addWidget(save)
        layout.addWidget(prepare)
        layout.addWidget(self.error)
        save.clicked.connect(self.use_source)
        prepare.clicked.connect(self.prepare)

    def use_source(self) -> bool:
        try:
            source = TileSource(self.url.text().strip())
        except SarappError as exc:
            self.error.setText(str(exc))
            return False
        settings.set_tile_url(source.url)
        self.map_view.set_tiles(TileCache(tiles_path()), source)
        self.error.clear()
        return True

    def prepare(self):
        """Fetch the shown area at the chosen zooms, in a worker with progress and cancel."""
        if not self.use_source():
            return None
        low, high = sorted((self.min_zoom.value(), self.max_zoom.value()))
        return self.map_view.prepare_offline_area(list(range(low, high + 1)))
