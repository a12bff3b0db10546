"""What the chart draws besides the base map, as plain values: drift products fed as arrays,
rescue units fed as records. Qt-free, so exports and tests use the same values as the chart.

Positions are WGS84 degrees, times timezone-aware UTC (or seconds since the epoch, UTC, where
arrays of times are needed), headings degrees true.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sarapp.maps.errors import MapsError
from sarapp.model import UnitType  # one kind list for the registry and the chart

Geometry = dict[str, Any]  # a GeoJSON Polygon or MultiPolygon, lon/lat degrees


@dataclass(frozen=True, eq=False)
class DriftProducts:
    """A drift run as the chart shows it.

    ``times_s`` (T) are snapshot times, s since the epoch UTC; ``lat``/``lon`` (T×N) the
    particles at each; ``datum_lat``/``datum_lon`` (T) the datum track. ``areas`` maps a
    snapshot index to its containment areas ({0.5: geometry, 0.9: geometry}); ``side_datums``
    maps a snapshot index to ((left lat, lon), (right lat, lon)). Either may hold only some
    snapshots (often just the last): the chart shows the nearest earlier one. ``stranded``
    (T×N, optional) marks particles ashore, drawn as their own layer; ``datum_on_land`` says
    the final datum fell on land.
    """

    times_s: NDArray[np.float64]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    datum_lat: NDArray[np.float64]
    datum_lon: NDArray[np.float64]
    areas: Mapping[int, Mapping[float, Geometry]] = field(default_factory=dict)
    side_datums: Mapping[int, tuple[tuple[float, float], tuple[float, float]]] = field(
        default_factory=dict
    )
    label: str = "drift"
    stranded: NDArray[np.bool_] | None = None
    datum_on_land: bool = False

    def __post_init__(self) -> None:
        count = len(self.times_s)
        if np.shape(self.lat) != np.shape(self.lon) or np.ndim(self.lat) != 2:
            raise MapsError(
                f"drift '{self.label}': particle lat/lon must be two arrays of the same "
                f"T×N shape, got {np.shape(self.lat)} and {np.shape(self.lon)}"
            )
        if len(self.lat) != count or len(self.datum_lat) != count or len(self.datum_lon) != count:
            raise MapsError(
                f"drift '{self.label}': {count} times but {len(self.lat)} particle snapshots "
                f"and {len(self.datum_lat)} datum points"
            )

    @property
    def snapshot_count(self) -> int:
        return len(self.times_s)

    @property
    def particle_count(self) -> int:
        return int(np.shape(self.lat)[1])

    def nearest(self, table: Mapping[int, Any], index: int) -> Any:
        """The entry of ``table`` (areas, side datums) at ``index`` or the nearest before it."""
        keys = [k for k in table if k <= index]
        return table[max(keys)] if keys else None

    def stranded_share(self, index: int) -> float:
        """Share of the particles ashore at snapshot ``index`` (0 when not tracked)."""
        return 0.0 if self.stranded is None else float(self.stranded[index].mean())


@dataclass(frozen=True)
class UnitFix:
    """One position of a unit: degrees, UTC time, heading degrees true (None if unknown)."""

    lat: float
    lon: float
    time: datetime
    heading_deg: float | None = None


@dataclass(frozen=True)
class UnitTrack:
    """A rescue unit and its recent fixes, oldest first (the last one is where it is)."""

    name: str
    unit_type: UnitType
    fixes: tuple[UnitFix, ...]
    call_sign: str = ""
    mmsi: str = ""

    def __post_init__(self) -> None:
        if not self.fixes:
            raise MapsError(f"unit '{self.name}' has no position to draw")
        times = [fix.time for fix in self.fixes]
        if times != sorted(times):
            raise MapsError(f"unit '{self.name}': fixes must be in time order, oldest first")

    @property
    def last(self) -> UnitFix:
        return self.fixes[-1]
