"""An ``ExportSet`` as GeoJSON (RFC 7946), KML 2.2 (with time stamps; tracks as gx:Track)
or GPX 1.1 (waypoints and tracks; areas as closed routes, since GPX has no polygons)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from sarapp.maps.errors import MapsError
from sarapp.maps.exports import ExportSet, write_atomic
from sarapp.safetext import clean_xml_tree

KML_NS = "http://www.opengis.net/kml/2.2"
GX_NS = "http://www.google.com/kml/ext/2.2"
GPX_NS = "http://www.topografix.com/GPX/1/1"


def _iso(when: datetime | None) -> str | None:
    if when is None:
        return None
    return when.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _lonlat(lat: float, lon: float) -> list[float]:
    return [round(lon, 7), round(lat, 7)]


def to_geojson(data: ExportSet) -> str:
    """A FeatureCollection: Points, LineStrings (with a ``times`` list) and Polygons."""
    features: list[dict[str, Any]] = []
    for p in data.points:
        features.append(
            _feature(
                {"type": "Point", "coordinates": _lonlat(p.lat, p.lon)},
                name=p.name,
                kind=p.kind,
                time=_iso(p.time),
                description=p.description,
            )
        )
    for t in data.tracks:
        coords = [_lonlat(lat, lon) for lat, lon, _ in t.points]
        features.append(
            _feature(
                {"type": "LineString", "coordinates": coords},
                name=t.name,
                kind=t.kind,
                times=[_iso(when) for _, _, when in t.points],
            )
        )
    for a in data.areas:
        rings = [[[round(x, 7), round(y, 7)] for x, y in ring] for ring in a.rings]
        features.append(
            _feature(
                {"type": "Polygon", "coordinates": rings},
                name=a.name,
                kind=a.kind,
                time=_iso(a.time),
            )
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, indent=1)


def _feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def to_kml(data: ExportSet, *, title: str = "sarapp chart") -> str:
    """A KML document: timed Placemarks, gx:Track tracks with a <when> per point, polygons."""
    ET.register_namespace("", KML_NS)
    ET.register_namespace("gx", GX_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = ET.SubElement(root, f"{{{KML_NS}}}Document")
    ET.SubElement(doc, f"{{{KML_NS}}}name").text = title
    for p in data.points:
        mark = _placemark(doc, p.name, p.description or p.kind)
        if p.time:
            stamp = ET.SubElement(mark, f"{{{KML_NS}}}TimeStamp")
            ET.SubElement(stamp, f"{{{KML_NS}}}when").text = _iso(p.time)
        point = ET.SubElement(mark, f"{{{KML_NS}}}Point")
        ET.SubElement(point, f"{{{KML_NS}}}coordinates").text = f"{p.lon:.7f},{p.lat:.7f}"
    for t in data.tracks:
        mark = _placemark(doc, t.name, t.kind)
        if all(when is not None for _, _, when in t.points):
            track = ET.SubElement(mark, f"{{{GX_NS}}}Track")
            for _, _, when in t.points:
                ET.SubElement(track, f"{{{KML_NS}}}when").text = _iso(when)
            for lat, lon, _ in t.points:
                ET.SubElement(track, f"{{{GX_NS}}}coord").text = f"{lon:.7f} {lat:.7f} 0"
        else:
            line = ET.SubElement(mark, f"{{{KML_NS}}}LineString")
            ET.SubElement(line, f"{{{KML_NS}}}coordinates").text = " ".join(
                f"{lon:.7f},{lat:.7f}" for lat, lon, _ in t.points
            )
    for a in data.areas:
        mark = _placemark(doc, a.name, a.kind)
        if a.time:
            stamp = ET.SubElement(mark, f"{{{KML_NS}}}TimeStamp")
            ET.SubElement(stamp, f"{{{KML_NS}}}when").text = _iso(a.time)
        polygon = ET.SubElement(mark, f"{{{KML_NS}}}Polygon")
        for i, ring in enumerate(a.rings):
            side = "outerBoundaryIs" if i == 0 else "innerBoundaryIs"
            boundary = ET.SubElement(
                ET.SubElement(polygon, f"{{{KML_NS}}}{side}"), f"{{{KML_NS}}}LinearRing"
            )
            ET.SubElement(boundary, f"{{{KML_NS}}}coordinates").text = " ".join(
                f"{x:.7f},{y:.7f}" for x, y in ring
            )
    return ET.tostring(clean_xml_tree(root), encoding="unicode", xml_declaration=True)


def _placemark(parent: ET.Element, name: str, description: str) -> ET.Element:
    mark = ET.SubElement(parent, f"{{{KML_NS}}}Placemark")
    ET.SubElement(mark, f"{{{KML_NS}}}name").text = name
    ET.SubElement(mark, f"{{{KML_NS}}}description").text = description
    return mark


def to_gpx(data: ExportSet) -> str:
    """GPX 1.1: points as waypoints, tracks as <trk> with a <time> per point, each area's
    outer ring as a closed <rte>."""
    ET.register_namespace("", GPX_NS)
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": "sarapp"})
    for p in data.points:
        wpt = ET.SubElement(root, f"{{{GPX_NS}}}wpt", _latlon(p.lat, p.lon))
        if p.time:
            ET.SubElement(wpt, f"{{{GPX_NS}}}time").text = _iso(p.time)
        ET.SubElement(wpt, f"{{{GPX_NS}}}name").text = p.name
        ET.SubElement(wpt, f"{{{GPX_NS}}}desc").text = p.description or p.kind
    for a in data.areas:
        rte = ET.SubElement(root, f"{{{GPX_NS}}}rte")
        ET.SubElement(rte, f"{{{GPX_NS}}}name").text = a.name
        for x, y in a.rings[0]:
            ET.SubElement(rte, f"{{{GPX_NS}}}rtept", _latlon(y, x))
    for t in data.tracks:
        trk = ET.SubElement(root, f"{{{GPX_NS}}}trk")
        ET.SubElement(trk, f"{{{GPX_NS}}}name").text = t.name
        ET.SubElement(trk, f"{{{GPX_NS}}}type").text = t.kind
        segment = ET.SubElement(trk, f"{{{GPX_NS}}}trkseg")
        for lat, lon, when in t.points:
            point = ET.SubElement(segment, f"{{{GPX_NS}}}trkpt", _latlon(lat, lon))
            if when:
                ET.SubElement(point, f"{{{GPX_NS}}}time").text = _iso(when)
    return ET.tostring(clean_xml_tree(root), encoding="unicode", xml_declaration=True)


def _latlon(lat: float, lon: float) -> dict[str, str]:
    return {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"}


_WRITERS = {".geojson": to_geojson, ".json": to_geojson, ".kml": to_kml, ".gpx": to_gpx}


def write_export(path: Path, data: ExportSet) -> Path:
    """Write ``data`` in the format its suffix names (.geojson/.json, .kml, .gpx), atomically."""
    writer = _WRITERS.get(Path(path).suffix.lower())
    if writer is None:
        raise MapsError(
            f"cannot tell the export format of {Path(path).name!r}: name it .geojson, .kml or .gpx"
        )
    return write_atomic(Path(path), writer(data))
