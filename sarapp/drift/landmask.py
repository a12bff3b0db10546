"""Offline land mask for stranding, read from the ``global-land-mask`` package's data file.

Why that package: MIT licence, a 1.8 MB wheel with no dependency but numpy, and a global
30 arc-second (about 1 km) ocean mask derived from NOAA's GLOBE elevation data. Importing the
package itself unpacks the whole globe (900 MB of memory, 4 s), too much for a field laptop;
so this module never imports it: it streams the compressed mask and keeps, bit-packed, only the
latitude band the drift needs (a 10° band costs about 6.5 MB), cached on disk by degree.
``roaring-landmask`` (GSHHG coastlines, the reference's choice) is more exact near shore but is a
100 MB wheel and peaks above 1 GB here. Without the package, ``default_land_mask`` returns None
and stranding is off.
"""

from __future__ import annotations

import importlib.util
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import platformdirs
from numpy.lib import format as npy_format
from numpy.typing import NDArray

_CELLS_PER_DEGREE = 120  # 30 arc-seconds
_ROWS, _COLS = 180 * _CELLS_PER_DEGREE, 360 * _CELLS_PER_DEGREE
_DATA_FILE = "globe_combined_mask_compressed.npz"

Floats = NDArray[np.float64]


class LandMask(Protocol):
    """Tells land from sea; positions in degrees, vectorised."""

    def is_land(self, lat: Floats, lon: Floats) -> NDArray[np.bool_]: ...

    def any_land(self, south: float, north: float, west: float, east: float) -> bool:
        """False only when the box (degrees) certainly holds no land: lets a step skip checks."""
        ...


def land_mask_file() -> Path | None:
    """The global-land-mask data file, found without importing the package (None if absent)."""
    spec = importlib.util.find_spec("global_land_mask")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / _DATA_FILE
    return path if path.exists() else None


@dataclass(frozen=True, eq=False)
class _Window:
    """Unpacked land flags (row-major, ``width`` columns) for a box around the particles."""

    land: NDArray[np.bool_]
    width: int
    row_offset: float
    col_offset: float
    south: float
    north: float
    west: float
    east: float


class GlobeLandMask:
    """The GLOBE 30″ ocean mask for a latitude band, bit-packed (1 = sea).

    Rows are read in blocks of one degree; each block extracted from the package's compressed
    file is kept in ``cache_dir`` (648 kB, written atomically) so later runs start in
    milliseconds instead of inflating the file again (about 0.1 s per 10° from the pole).
    """

    def __init__(self, path: Path, south: float, north: float, *, cache_dir: Path | None) -> None:
        self._path, self._cache_dir = path, cache_dir
        self._window: _Window | None = None
        self._load(south, north)

    def covers(self, south: float, north: float) -> bool:
        low, high = self.band
        return low <= south and north <= high

    def _block_file(self, block: int) -> Path | None:
        return None if self._cache_dir is None else self._cache_dir / f"globe30s-{block:03d}.npy"

    def _load(self, south: float, north: float) -> None:
        first = max(0, int(90.0 - min(north, 90.0)) - 1)
        last = min(180, int(90.0 - max(south, -90.0)) + 2)
        blocks: dict[int, NDArray[np.uint8]] = {}
        for block in range(first, last):
            cached = self._block_file(block)
            if cached is not None and cached.exists():
                blocks[block] = np.load(cached)
        missing = [b for b in range(first, last) if b not in blocks]
        if missing:
            blocks.update(self._extract(missing))
        self._first = first * _CELLS_PER_DEGREE
        self._sea = np.concatenate([blocks[b] for b in range(first, last)])
        self._window = None

    def _extract(self, wanted: list[int]) -> dict[int, NDArray[np.uint8]]:
        """Stream the compressed mask once, packing the wanted one-degree blocks."""
        out: dict[int, NDArray[np.uint8]] = {}
        with zipfile.ZipFile(self._path) as zf, zf.open("mask.npy") as fh:
            version = npy_format.read_magic(fh)
            read_header = (
                npy_format.read_array_header_1_0
                if version == (1, 0)
                else npy_format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(fh)
            if shape != (_ROWS, _COLS) or fortran or dtype != np.bool_:
                raise ValueError(f"{self._path.name}: unexpected mask layout {shape} {dtype}")
            position = 0
            for block in sorted(wanted):
                skip = (block * _CELLS_PER_DEGREE - position) * _COLS
                while skip:
                    skip -= len(fh.read(min(skip, 1 << 24)))
                raw = np.frombuffer(fh.read(_CELLS_PER_DEGREE * _COLS), dtype=np.uint8)
                out[block] = np.packbits(raw.reshape(_CELLS_PER_DEGREE, _COLS), axis=1)
                position = (block + 1) * _CELLS_PER_DEGREE
                self._store(block, out[block])
        return out

    def _store(self, block: int, rows: NDArray[np.uint8]) -> None:
        target = self._block_file(block)
        if target is None:
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                np.save(fh, rows)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only cache only costs speed

    @property
    def band(self) -> tuple[float, float]:
        """(south, north) degrees of the rows held."""
        north = 90.0 - self._first / _CELLS_PER_DEGREE
        return north - len(self._sea) / _CELLS_PER_DEGREE, north

    def _rows(self, lat: Floats) -> NDArray[np.intp]:
        row = ((90.0 - np.asarray(lat)) * _CELLS_PER_DEGREE).astype(np.intp)
        np.clip(row, 0, _ROWS - 1, out=row)
        row -= self._first
        if row.size and (row.min() < 0 or row.max() >= len(self._sea)):
            south, north = self.band
            lat_arr = np.asarray(lat)
            self._load(min(south, float(lat_arr.min())) - 2, max(north, float(lat_arr.max())) + 2)
            return self._rows(lat)
        return row

    def is_land(self, lat: Floats, lon: Floats) -> NDArray[np.bool_]:
        lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        if lat.size == 0:
            return np.zeros(0, dtype=np.bool_)
        box = (float(lat.min()), float(lat.max()), float(lon.min()), float(lon.max()))
        window = self._window_for(*box)
        # cell indices inside the window; truncation is floor here because both are >= 0
        row = (lat * -_CELLS_PER_DEGREE + window.row_offset).astype(np.intp)
        col = (lon * _CELLS_PER_DEGREE + window.col_offset).astype(np.intp)
        row *= window.width
        row += col
        return window.land.take(row)

    def _window_for(self, south: float, north: float, west: float, east: float) -> _Window:
        """An unpacked land/sea window holding the box (degrees; longitudes may run past ±180)."""
        w = self._window
        if w is None or not (
            w.south <= south and north <= w.north and w.west <= west and east <= w.east
        ):
            self._window = w = self._unpack(south - 0.5, north + 0.5, west - 0.5, east + 0.5)
        return w

    def _unpack(self, south: float, north: float, west: float, east: float) -> _Window:
        rows = self._rows(np.array([north, south]))
        r0, r1 = int(rows[0]), int(rows[1]) + 1
        c0 = math.floor((west + 180.0) * _CELLS_PER_DEGREE)
        c1 = math.floor((east + 180.0) * _CELLS_PER_DEGREE) + 1
        cols = np.arange(c0, c1) % _COLS
        sea = (self._sea[r0:r1, cols >> 3] >> (7 - (cols & 7)).astype(np.uint8)) & 1
        first_row = self._first + r0  # global row index of the window's first row
        return _Window(
            land=np.ascontiguousarray(sea == 0).ravel(),
            width=c1 - c0,
            row_offset=90.0 * _CELLS_PER_DEGREE - first_row,
            col_offset=180.0 * _CELLS_PER_DEGREE - c0,
            south=90.0 - (first_row + r1 - r0) / _CELLS_PER_DEGREE,
            north=90.0 - first_row / _CELLS_PER_DEGREE,
            west=c0 / _CELLS_PER_DEGREE - 180.0,
            east=c1 / _CELLS_PER_DEGREE - 180.0,
        )

    def any_land(self, south: float, north: float, west: float, east: float) -> bool:
        rows = self._rows(np.array([north, south]))
        if east - west >= 359.0:
            return True
        c0 = int((west + 180.0) * _CELLS_PER_DEGREE) % _COLS
        c1 = int((east + 180.0) * _CELLS_PER_DEGREE) % _COLS
        block = self._sea[rows[0] : rows[1] + 1]
        if c0 <= c1:
            block = block[:, c0 >> 3 : (c1 >> 3) + 1]
        else:
            block = np.concatenate([block[:, c0 >> 3 :], block[:, : (c1 >> 3) + 1]], axis=1)
        return bool((block != 0xFF).any())


def cache_dir() -> Path:
    """Where extracted mask blocks are kept: the user's cache folder for sarapp."""
    return platformdirs.user_cache_path("sarapp", appauthor=False) / "landmask"


_shared: GlobeLandMask | None = None


def default_land_mask(south: float, north: float) -> GlobeLandMask | None:
    """The process's GLOBE mask covering a band (degrees), or None when global-land-mask is not
    installed. One instance is shared and widened as runs need it."""
    global _shared
    path = land_mask_file()
    if path is None:
        return None
    if _shared is None or _shared._path != path:
        _shared = GlobeLandMask(path, south, north, cache_dir=cache_dir())
    elif not _shared.covers(south, north):
        low, high = _shared.band
        _shared._load(min(low, south), max(high, north))
    return _shared
