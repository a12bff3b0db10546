"""A laid-out search pattern as GeoJSON, GPX 1.1 route and RTZ 1.0 route (IEC 61174).

GPX and RTZ carry the waypoints in order (CSP first); the legs between them are geodesics
(RTZ ``geometryType="Orthodrome"``), as :mod:`sarapp.planning.patterns` lays them out. Files
are written atomically (temporary file, fsync, ``os.replace``).
"""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from sarapp.planning.errors import PlanningError
from sarapp.planning.patterns import SearchPattern
from sarapp.safetext import clean_xml_tree

GPX_NS = "http://www.topografix.com/GPX/1/1"
RTZ_NS = "http://www.cirm.org/RTZ/1/0"


def route_name(pattern: SearchPattern) -> str:
    """A short name for ECDIS and GPS lists, e.g. ``SAR SS 090T S1.5``."""
    spacing = f" S{pattern.spacing_nm:g}" if pattern.spacing_nm else ""
    return f"SAR {pattern.code} {pattern.course_deg:03.0f}T{spacing}"


def to_geojson(pattern: SearchPattern) -> dict[str, Any]:
    """A FeatureCollection: the track as a LineString, then each waypoint as a Point."""
    coords = [[wp.lon, wp.lat] for wp in pattern.waypoints]
    track = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": {
            "name": route_name(pattern),
            "kind": pattern.kind,
            "code": pattern.code,
            "course_deg": pattern.course_deg,
            "spacing_nm": pattern.spacing_nm,
            "track_length_nm": pattern.track_length_nm,
            "legs": [
                {
                    "course_deg": leg.course_deg,
                    "length_nm": leg.length_nm,
                    "searching": leg.searching,
                }
                for leg in pattern.legs
            ],
        },
    }
    points = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [wp.lon, wp.lat]},
            "properties": {"name": wp.name, "index": i},
        }
        for i, wp in enumerate(pattern.waypoints)
    ]
    return {"type": "FeatureCollection", "features": [track, *points]}


def to_gpx(pattern: SearchPattern) -> str:
    """GPX 1.1 with one ``rte`` whose ``rtept`` are the waypoints in order."""
    ET.register_namespace("", GPX_NS)
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": "sarapp"})
    rte = ET.SubElement(root, f"{{{GPX_NS}}}rte")
    ET.SubElement(rte, f"{{{GPX_NS}}}name").text = route_name(pattern)
    for wp in pattern.waypoints:
        pt = ET.SubElement(
            rte, f"{{{GPX_NS}}}rtept", {"lat": f"{wp.lat:.7f}", "lon": f"{wp.lon:.7f}"}
        )
        ET.SubElement(pt, f"{{{GPX_NS}}}name").text = wp.name
    return _xml_text(root)


def to_rtz(pattern: SearchPattern) -> str:
    """RTZ 1.0: ``route`` / ``routeInfo`` / ``waypoints`` with geodesic legs by default."""
    ET.register_namespace("", RTZ_NS)
    root = ET.Element(f"{{{RTZ_NS}}}route", {"version": "1.0"})
    ET.SubElement(root, f"{{{RTZ_NS}}}routeInfo", {"routeName": route_name(pattern)})
    waypoints = ET.SubElement(root, f"{{{RTZ_NS}}}waypoints")
    default = ET.SubElement(waypoints, f"{{{RTZ_NS}}}defaultWaypoint", {"radius": "0.1"})
    ET.SubElement(default, f"{{{RTZ_NS}}}leg", {"geometryType": "Orthodrome"})
    for i, wp in enumerate(pattern.waypoints, start=1):
        node = ET.SubElement(waypoints, f"{{{RTZ_NS}}}waypoint", {"id": str(i), "name": wp.name})
        ET.SubElement(
            node, f"{{{RTZ_NS}}}position", {"lat": f"{wp.lat:.7f}", "lon": f"{wp.lon:.7f}"}
        )
    return _xml_text(root)


def _xml_text(root: ET.Element) -> str:
    clean_xml_tree(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def export_text(pattern: SearchPattern, fmt: str) -> str:
    """The pattern in ``fmt`` (``geojson``, ``gpx`` or ``rtz``) as text."""
    if fmt == "geojson":
        return json.dumps(to_geojson(pattern), indent=2) + "\n"
    if fmt == "gpx":
        return to_gpx(pattern)
    if fmt == "rtz":
        return to_rtz(pattern)
    raise PlanningError(f"route format {fmt!r} is not geojson, gpx or rtz")


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a crash leaves the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
