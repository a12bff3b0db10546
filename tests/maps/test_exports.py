"""Exports of cases, drift products and unit tracks, parsed back: GeoJSON, KML, GPX."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import numpy as np
import pytest

from sarapp.maps.errors import MapsError
from sarapp.maps.export_formats import (
    GPX_NS,
    GX_NS,
    KML_NS,
    to_geojson,
    to_gpx,
    to_kml,
    write_export,
)
from sarapp.maps.exports import case_export, drift_export, units_export, write_atomic
from sarapp.maps.synthetic import synthetic_drift, synthetic_units
from sarapp.model import AlertPhase, Case, CaseId, CaseStatus, Position

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
K, G, X = f"{{{KML_NS}}}", f"{{{GX_NS}}}", f"{{{GPX_NS}}}"


@pytest.fixture
def everything():
    lkp = Position(48.2, -4.9, NOW - timedelta(hours=2), "reported", 900.0)
    case = Case(
        CaseId("c"), "2026-0042", "FV", AlertPhase.DETRESFA, CaseStatus.OPEN, NOW, NOW, lkp=lkp
    )
    positions = [lkp, Position(48.1, -5.0, NOW - timedelta(hours=3), "doppler-A")]
    drift = synthetic_drift(
        48.2, -4.9, start=NOW, hours=3, particles=400, rng=np.random.default_rng(1)
    )
    units = synthetic_units(48.2, -4.9, now=NOW)
    return case_export(case, positions) + drift_export(drift) + units_export(units), drift, units


def test_geojson_round_trip(everything):
    data, drift, _units = everything
    parsed = json.loads(to_geojson(data))
    features = parsed["features"]
    kinds = [f["geometry"]["type"] for f in features]
    # 2 case points, 2 side datums × 4 snapshots, 4 units; 1 datum track + 4 unit tracks
    assert kinds.count("Point") == 2 + 8 + 4 and kinds.count("LineString") == 5
    assert kinds.count("Polygon") == 4 * 2
    lkp = next(f for f in features if f["properties"]["kind"] == "lkp")
    assert lkp["geometry"]["coordinates"] == [-4.9, 48.2]
    assert lkp["properties"]["time"] == "2026-11-28T10:00:00Z"
    track = next(f for f in features if f["properties"]["kind"] == "datum-track")
    assert len(track["geometry"]["coordinates"]) == len(track["properties"]["times"]) == 4
    assert track["geometry"]["coordinates"][-1] == pytest.approx(
        [drift.datum_lon[-1], drift.datum_lat[-1]], abs=1e-6
    )
    ring = next(f for f in features if f["geometry"]["type"] == "Polygon")["geometry"]
    assert ring["coordinates"][0][0] == pytest.approx(ring["coordinates"][0][-1])  # closed


def test_kml_has_time_stamps_and_timed_tracks(everything):
    data, _drift, units = everything
    root = ET.fromstring(to_kml(data, title="Case 2026-0042"))
    marks = root.findall(f"{K}Document/{K}Placemark")
    assert len(marks) == 14 + 5 + 8
    names = [m.findtext(f"{K}name") for m in marks]
    assert "2026-0042 LKP" in names
    lkp = marks[names.index("2026-0042 LKP")]
    assert lkp.findtext(f"{K}TimeStamp/{K}when") == "2026-11-28T10:00:00Z"
    assert lkp.findtext(f"{K}Point/{K}coordinates") == "-4.9000000,48.2000000"
    unit_mark = marks[names.index(units[0].name, 14)]  # its track, after the points
    track = unit_mark.find(f"{G}Track")
    whens = [w.text for w in track.findall(f"{K}when")]
    coords = [c.text for c in track.findall(f"{G}coord")]
    assert len(whens) == len(coords) == len(units[0].fixes)
    assert whens[-1] == units[0].last.time.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert root.findall(f".//{K}Polygon/{K}outerBoundaryIs/{K}LinearRing")


def test_gpx_waypoints_tracks_and_areas(everything):
    data, _drift, units = everything
    root = ET.fromstring(to_gpx(data))
    assert root.get("version") == "1.1"
    wpts = root.findall(f"{X}wpt")
    assert len(wpts) == 14
    assert float(wpts[0].get("lat")) == pytest.approx(48.2)
    assert wpts[0].findtext(f"{X}time") == "2026-11-28T10:00:00Z"
    tracks = root.findall(f"{X}trk")
    assert len(tracks) == 5
    unit = next(t for t in tracks if t.findtext(f"{X}name") == units[1].name)
    points = unit.findall(f"{X}trkseg/{X}trkpt")
    assert len(points) == len(units[1].fixes) and all(p.findtext(f"{X}time") for p in points)
    routes = root.findall(f"{X}rte")
    assert len(routes) == 8 and len(routes[0].findall(f"{X}rtept")) == 49
    order = [child.tag for child in root]
    assert order == sorted(order, key=[f"{X}wpt", f"{X}rte", f"{X}trk"].index)  # GPX 1.1 order


def test_write_is_atomic_and_errors_name_the_file(tmp_path, everything):
    data, _, _ = everything
    path = write_atomic(tmp_path / "case.geojson", to_geojson(data))
    assert json.loads(path.read_text())["type"] == "FeatureCollection"
    assert [p.name for p in tmp_path.iterdir()] == ["case.geojson"]  # no temp file left
    with pytest.raises(MapsError, match="nowhere"):
        write_atomic(tmp_path / "nowhere" / "x.kml", "x")


def test_format_follows_the_suffix(tmp_path, everything):
    data, _, _ = everything
    assert ET.parse(write_export(tmp_path / "a.KML", data)).getroot().tag == f"{K}kml"
    assert ET.parse(write_export(tmp_path / "a.gpx", data)).getroot().tag == f"{X}gpx"
    with pytest.raises(MapsError, match=r"\.geojson, \.kml or \.gpx"):
        write_export(tmp_path / "a.shp", data)


def test_unknown_area_geometry_is_refused():
    drift = synthetic_drift(
        48.0, -5.0, start=NOW, hours=1, particles=50, rng=np.random.default_rng(2)
    )
    bad = type(drift)(
        drift.times_s,
        drift.lat,
        drift.lon,
        drift.datum_lat,
        drift.datum_lon,
        areas={1: {0.5: {"type": "Point", "coordinates": [0, 0]}}},
    )
    with pytest.raises(MapsError, match="'Point' is not a Polygon"):
        drift_export(bad)
