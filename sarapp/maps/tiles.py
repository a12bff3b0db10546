"""Raster tiles kept offline in an MBTiles file (SQLite, the MBTiles 1.3 layout), and the
slippy-map tile arithmetic of Web Mercator (zoom z has 2^z × 2^z tiles of 256 px).

The cache is a file of its own beside the desk, not the desk database: tiles are bulk,
replaceable, shared between desks, and readable by other chart software. MBTiles numbers rows
from the south (TMS); this module speaks XYZ (rows from the north) and flips at the boundary.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sarapp.maps.errors import MapsError
from sarapp.maps.projection import HALF_WORLD_M, MAX_LAT

TILE_PX = 256
MAX_ZOOM = 19

_SCHEMA = """
CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS tiles (
    zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB,
    PRIMARY KEY (zoom_level, tile_column, tile_row)
);
"""


def tile_xy(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """XYZ tile (column, row from the north) holding a position in degrees."""
    n = 2**zoom
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_bounds_m(zoom: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of an XYZ tile in Web Mercator metres."""
    size = 2 * HALF_WORLD_M / 2**zoom
    west = -HALF_WORLD_M + x * size
    north = HALF_WORLD_M - y * size
    return west, north - size, west + size, north


def tiles_in_box(
    lat_min: float, lon_min: float, lat_max: float, lon_max: float, zoom: int
) -> Iterator[tuple[int, int, int]]:
    """Every (zoom, x, y) covering the box in degrees, west to east, north to south."""
    x0, y0 = tile_xy(lat_max, lon_min, zoom)
    x1, y1 = tile_xy(lat_min, lon_max, zoom)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            yield zoom, x, y


def zoom_for(metres_per_pixel: float) -> int:
    """The zoom whose tiles show about one tile pixel per screen pixel."""
    if metres_per_pixel <= 0:
        return MAX_ZOOM
    z = math.log2(2 * HALF_WORLD_M / (TILE_PX * metres_per_pixel))
    return max(0, min(MAX_ZOOM, round(z)))


class TileCache:
    """An MBTiles file: ``put``/``get`` by XYZ address. Safe to read while another
    connection writes (WAL)."""

    def __init__(self, path: Path, *, name: str = "sarapp offline tiles") -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.executescript(_SCHEMA)
            defaults = {"name": name, "format": "png", "type": "baselayer", "version": "1.3"}
            with self.conn:
                for key, value in defaults.items():
                    self.conn.execute(
                        "INSERT OR IGNORE INTO metadata (name, value) VALUES (?, ?)", (key, value)
                    )
        except sqlite3.DatabaseError as exc:
            raise MapsError(f"tile cache {self.path} is not an MBTiles file ({exc})") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> TileCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def put(self, zoom: int, x: int, y: int, data: bytes) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)",
                (zoom, x, 2**zoom - 1 - y, sqlite3.Binary(data)),
            )

    def get(self, zoom: int, x: int, y: int) -> bytes | None:
        row = self.conn.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (zoom, x, 2**zoom - 1 - y),
        ).fetchone()
        return bytes(row[0]) if row else None

    def has(self, zoom: int, x: int, y: int) -> bool:
        return self.get(zoom, x, y) is not None

    def zooms(self) -> list[int]:
        """Zoom levels holding at least one tile, ascending."""
        rows = self.conn.execute("SELECT DISTINCT zoom_level FROM tiles ORDER BY 1").fetchall()
        return [int(r[0]) for r in rows]

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM tiles").fetchone()[0])

    def metadata(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT name, value FROM metadata").fetchall())

    def set_metadata(self, name: str, value: str) -> None:
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO metadata VALUES (?, ?)", (name, value))
