"""A gridded vector field (wind or current): linear in time, bilinear in latitude/longitude.

Values are m/s east/north (where the air or water goes) on ascending axes; missing values are
NaN. Asking for a time or place the grid does not cover, or where it holds no value (land, past
the forecast horizon), raises ``ForcingError`` naming the time and position: never a silent zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sarapp.drift.errors import ForcingError
from sarapp.drift.forcing import iso_utc, place_text

Floats = NDArray[np.float64]


def _axis_index(values: Floats, axis: Floats, name: str) -> tuple[NDArray[np.intp], Floats]:
    """Lower cell index and fraction along an ascending axis (one-point axes are uniform)."""
    if axis.size == 1:
        return np.zeros(values.shape, dtype=np.intp), np.zeros(values.shape)
    i = np.clip(np.searchsorted(axis, values, side="right") - 1, 0, axis.size - 2)
    return i, (values - axis[i]) / (axis[i + 1] - axis[i])


@dataclass(frozen=True, eq=False)
class GridField:
    """``u``/``v`` shaped (times, lats, lons); times s since epoch UTC, axes in degrees."""

    what: str
    times_s: Floats
    lats: Floats
    lons: Floats
    u: Floats
    v: Floats

    def __post_init__(self) -> None:
        shape = (self.times_s.size, self.lats.size, self.lons.size)
        if self.u.shape != shape or self.v.shape != shape:
            raise ForcingError(f"{self.what} grid: values {self.u.shape} do not fit axes {shape}")
        for name in ("times_s", "lats", "lons"):
            axis = getattr(self, name)
            if axis.size == 0 or (axis.size > 1 and np.any(np.diff(axis) <= 0)):
                raise ForcingError(f"{self.what} grid: {name} must ascend strictly")

    def _outside(self, time_s: float, lat: Floats, lon: Floats, why: str) -> ForcingError:
        return ForcingError(
            f"no {self.what} for {iso_utc(time_s)} at {place_text(lat, lon)}: {why}"
        )

    def velocity(self, time_s: float, lat: Floats, lon: Floats) -> tuple[Floats, Floats]:
        t = self.times_s
        if not t[0] <= time_s <= t[-1]:
            span = f"{iso_utc(t[0])} to {iso_utc(t[-1])}"
            raise self._outside(time_s, lat, lon, f"the {self.what} data cover {span}")
        lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        lon = (lon - self.lons[0] + 180.0) % 360.0 + self.lons[0] - 180.0
        for values, axis, name in ((lat, self.lats, "latitude"), (lon, self.lons, "longitude")):
            if axis.size > 1:
                out = (values < axis[0] - 1e-9) | (values > axis[-1] + 1e-9)
                if out.any():
                    k = int(np.argmax(out))
                    raise self._outside(
                        time_s,
                        lat[k : k + 1],
                        lon[k : k + 1],
                        f"outside the grid's {name} {axis[0]:g} to {axis[-1]:g}",
                    )
        k, w = _axis_index(np.array([time_s]), t, "time")
        iy, fy = _axis_index(lat, self.lats, "latitude")
        ix, fx = _axis_index(lon, self.lons, "longitude")
        out_uv = []
        for field in (self.u, self.v):
            at = [self._bilinear(field[min(k[0] + d, t.size - 1)], iy, fy, ix, fx) for d in (0, 1)]
            out_uv.append(at[0] * (1.0 - w[0]) + at[1] * w[0])
        missing = np.isnan(out_uv[0]) | np.isnan(out_uv[1])
        if missing.any():
            j = int(np.argmax(missing))
            raise self._outside(time_s, lat[j : j + 1], lon[j : j + 1], "the source has no value")
        return out_uv[0], out_uv[1]

    def _bilinear(self, plane: Floats, iy: NDArray, fy: Floats, ix: NDArray, fx: Floats) -> Floats:
        iy1 = np.minimum(iy + 1, self.lats.size - 1)
        ix1 = np.minimum(ix + 1, self.lons.size - 1)
        south = plane[iy, ix] * (1.0 - fx) + plane[iy, ix1] * fx
        north = plane[iy1, ix] * (1.0 - fx) + plane[iy1, ix1] * fx
        return south * (1.0 - fy) + north * fy

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (NaN as null), to store the exact forcing with the run."""

        def plain(a: Floats) -> Any:
            return np.where(np.isnan(a), None, a).tolist()

        return {
            "type": "grid",
            "what": self.what,
            "times_s": self.times_s.tolist(),
            "lats": self.lats.tolist(),
            "lons": self.lons.tolist(),
            "u": plain(self.u),
            "v": plain(self.v),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GridField:
        def arr(key: str) -> Floats:
            return np.array(data[key], dtype=float)

        return cls(data["what"], arr("times_s"), arr("lats"), arr("lons"), arr("u"), arr("v"))
