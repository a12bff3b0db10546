"""Offline land mask for stranding, read from the ``global-land-mask`` package's data file.

Why that package: MIT licence, a 1.8 MB wheel with no dependency but numpy, and a global
30 arc-second (about 1 km) ocean mask derived from NOAA's GLOBE elevation data. Importing the
package itself unpacks the whole globe (900 MB of memory, 4 s), too much for a field laptop;
so this module never imports it: it streams the compressed mask and keeps, bit-packed, only the
latitude band the drift needs (a 10° band costs about 6.5 MB). ``roaring-landmask`` (GSHHG
coastlines, the reference's choice) is more exact near shore but is a 100 MB wheel and peaks
above 1 GB here. Without the package, ``default_land_mask`` returns None and stranding is off.
"""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from typing import Protocol

import numpy as np
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


class GlobeLandMask:
    """The GLOBE 30″ ocean mask for a latitude band, bit-packed (1 = sea)."""

    def __init__(self, path: Path, south: float, north: float) -> None:
        self._path = path
        self._load(south, north)

    def _load(self, south: float, north: float) -> None:
        first = max(0, int((90.0 - min(north, 90.0)) * _CELLS_PER_DEGREE) - 1)
        last = min(_ROWS, int((90.0 - max(south, -90.0)) * _CELLS_PER_DEGREE) + 2)
        rows = np.empty((last - first, _COLS // 8), dtype=np.uint8)
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
            skip = first * _COLS
            while skip:
                skip -= len(fh.read(min(skip, 1 << 24)))
            for i in range(last - first):
                rows[i] = np.packbits(np.frombuffer(fh.read(_COLS), dtype=np.uint8))
        self._first, self._sea = first, rows

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
        row = self._rows(lat)
        col = ((np.asarray(lon) + 180.0) * _CELLS_PER_DEGREE).astype(np.intp) % _COLS
        bits = self._sea[row, col >> 3] >> (7 - (col & 7))
        return (bits & 1) == 0

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


def default_land_mask(south: float, north: float) -> GlobeLandMask | None:
    """The GLOBE mask for a band (degrees), or None when global-land-mask is not installed."""
    path = land_mask_file()
    return None if path is None else GlobeLandMask(path, south, north)
