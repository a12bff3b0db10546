"""What the chart shows, for other tools: cases, drift products and unit tracks gathered as
points, tracks and areas (``ExportSet``), written as GeoJSON, KML or GPX (``export_formats``)
atomically, so a crash never leaves half a file.

Times are UTC; positions WGS84 degrees (GeoJSON and KML order them lon, lat).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sarapp.geo import format_ddm
from sarapp.maps.errors import MapsError
from sarapp.maps.features import DriftProducts, UnitTrack
from sarapp.model import Case, Position


@dataclass(frozen=True)
class MapPoint:
    """A named position; ``kind`` says what it is (lkp, position, datum, unit…)."""

    name: str
    lat: float
    lon: float
    time: datetime | None
    kind: str
    description: str = ""


@dataclass(frozen=True)
class MapTrack:
    """A timed line: ``points`` are (lat, lon, time or None), oldest first."""

    name: str
    points: tuple[tuple[float, float, datetime | None], ...]
    kind: str


@dataclass(frozen=True)
class MapArea:
    """A polygon (outer ring first, then holes), rings of (lon, lat) closed."""

    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    time: datetime | None
    kind: str


@dataclass(frozen=True)
class ExportSet:
    points: tuple[MapPoint, ...] = ()
    tracks: tuple[MapTrack, ...] = ()
    areas: tuple[MapArea, ...] = ()

    def __add__(self, other: ExportSet) -> ExportSet:
        return ExportSet(
            self.points + other.points, self.tracks + other.tracks, self.areas + other.areas
        )


def case_export(case: Case, positions: Sequence[Position]) -> ExportSet:
    """The case's LKP and every position report (source, accuracy in the description)."""
    points = []
    if case.lkp is not None:
        points.append(_position_point(f"{case.number} LKP", case.lkp, "lkp"))
    for p in positions:
        if case.lkp is None or p.id != case.lkp.id:
            points.append(_position_point(f"{case.number} {p.source}", p, "position"))
    return ExportSet(points=tuple(points))


def _position_point(name: str, p: Position, kind: str) -> MapPoint:
    accuracy = f", accuracy {p.accuracy_m:.0f} m" if p.accuracy_m is not None else ""
    text = f"{format_ddm(p.lat, p.lon)}, source {p.source}{accuracy}"
    return MapPoint(name, p.lat, p.lon, p.time, kind, text)


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(float(seconds), UTC)


def drift_export(products: DriftProducts) -> ExportSet:
    """The datum track (timed), the containment areas and side datums of every snapshot that
    has them. Particles are not exported: a cloud is for the chart, not for other tools."""
    times = [_utc(t) for t in products.times_s]
    track = MapTrack(
        f"{products.label} datum track",
        tuple(
            (float(la), float(lo), t)
            for la, lo, t in zip(products.datum_lat, products.datum_lon, times, strict=True)
        ),
        "datum-track",
    )
    areas = []
    for index, by_fraction in sorted(products.areas.items()):
        for fraction, geometry in sorted(by_fraction.items()):
            for rings in _polygons(geometry):
                name = f"{products.label} {fraction:.0%} area {times[index]:%d%H%MZ}"
                areas.append(MapArea(name, rings, times[index], f"area-{fraction:.0%}"))
    points = []
    for index, ((llat, llon), (rlat, rlon)) in sorted(products.side_datums.items()):
        stamp = f"{times[index]:%d%H%MZ}"
        points.append(MapPoint(f"left datum {stamp}", llat, llon, times[index], "left-datum"))
        points.append(MapPoint(f"right datum {stamp}", rlat, rlon, times[index], "right-datum"))
    return ExportSet(points=tuple(points), tracks=(track,), areas=tuple(areas))


def _polygons(geometry: dict) -> Iterable[tuple[tuple[tuple[float, float], ...], ...]]:
    kind = geometry.get("type")
    polygons = [geometry.get("coordinates", [])] if kind == "Polygon" else None
    if kind == "MultiPolygon":
        polygons = geometry.get("coordinates", [])
    if polygons is None:
        raise MapsError(f"area geometry of type {kind!r} is not a Polygon or MultiPolygon")
    for polygon in polygons:
        yield tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for ring in polygon)


def units_export(units: Sequence[UnitTrack]) -> ExportSet:
    """Each unit's track (timed) and its last position."""
    tracks = tuple(
        MapTrack(u.name, tuple((f.lat, f.lon, f.time) for f in u.fixes), u.unit_type.value)
        for u in units
    )
    points = tuple(
        MapPoint(u.name, u.last.lat, u.last.lon, u.last.time, "unit", u.unit_type.value)
        for u in units
    )
    return ExportSet(points=points, tracks=tracks)


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file, fsync and rename."""
    path = Path(path)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        raise MapsError(f"could not write {path}: {exc.strerror or exc}") from exc
    return path
