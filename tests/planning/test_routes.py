"""GPX, RTZ and GeoJSON exports, validated by parsing them back."""

import json
import xml.etree.ElementTree as ET

import pytest

from sarapp.cli import main
from sarapp.planning.patterns import search_pattern
from sarapp.planning.routes import GPX_NS, RTZ_NS, export_text, to_geojson, write_atomically

PATTERN = search_pattern(
    "parallel-track",
    csp_lat=43.2,
    csp_lon=-9.4,
    course_deg=45,
    spacing_nm=1.5,
    width_nm=6,
    length_nm=12,
)


def _points(root, path, ns, position=None):
    out = []
    for node in root.iterfind(path, {"n": ns}):
        pos = node if position is None else node.find(position, {"n": ns})
        out.append((float(pos.get("lat")), float(pos.get("lon"))))
    return out


def _expected():
    return [(wp.lat, wp.lon) for wp in PATTERN.waypoints]


def _flat(points):
    return [v for point in points for v in point]


def test_gpx_route_parses_back_to_the_waypoints():
    root = ET.fromstring(export_text(PATTERN, "gpx"))
    assert root.tag == f"{{{GPX_NS}}}gpx"
    assert root.get("version") == "1.1"
    points = _points(root, "n:rte/n:rtept", GPX_NS)
    assert _flat(points) == pytest.approx(_flat(_expected()), abs=1e-7)
    names = [n.text for n in root.iterfind("n:rte/n:rtept/n:name", {"n": GPX_NS})]
    assert names[0] == "CSP"
    assert root.find("n:rte/n:name", {"n": GPX_NS}).text == "SAR PS 045T S1.5"


def test_rtz_route_parses_back_to_the_waypoints():
    root = ET.fromstring(export_text(PATTERN, "rtz"))
    assert root.tag == f"{{{RTZ_NS}}}route"
    assert root.get("version") == "1.0"
    assert root.find("n:routeInfo", {"n": RTZ_NS}).get("routeName") == "SAR PS 045T S1.5"
    points = _points(root, "n:waypoints/n:waypoint", RTZ_NS, position="n:position")
    assert _flat(points) == pytest.approx(_flat(_expected()), abs=1e-7)
    ids = [w.get("id") for w in root.iterfind("n:waypoints/n:waypoint", {"n": RTZ_NS})]
    assert ids == [str(i) for i in range(1, len(PATTERN.waypoints) + 1)]
    leg = root.find("n:waypoints/n:defaultWaypoint/n:leg", {"n": RTZ_NS})
    assert leg.get("geometryType") == "Orthodrome"


def test_geojson_line_and_points():
    doc = json.loads(export_text(PATTERN, "geojson"))
    line, *points = doc["features"]
    assert line["geometry"]["coordinates"] == [[lon, lat] for lat, lon in _expected()]
    assert len(line["properties"]["legs"]) == len(PATTERN.legs)
    assert [p["properties"]["name"] for p in points][:2] == ["CSP", "WP1"]
    assert to_geojson(PATTERN)["type"] == "FeatureCollection"


def test_write_atomically_replaces_whole_file(tmp_path):
    target = tmp_path / "route.rtz"
    target.write_text("old", encoding="utf-8")
    write_atomically(target, "new text")
    assert target.read_text(encoding="utf-8") == "new text"
    assert [p.name for p in tmp_path.iterdir()] == ["route.rtz"]


def test_cli_pattern_gpx_to_stdout(capsys):
    code = main(
        [
            "plan",
            "pattern",
            "expanding-square",
            "--csp",
            "59.5,5.25",
            "--course",
            "90",
            "--spacing-nm",
            "1",
            "--legs",
            "4",
            "--format",
            "gpx",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    points = _points(ET.fromstring(out), "n:rte/n:rtept", GPX_NS)
    assert len(points) == 5
    assert points[0] == (59.5, 5.25)


def test_cli_pattern_rtz_to_file_southern_csp(tmp_path, capsys):
    target = tmp_path / "vs.rtz"
    code = main(
        [
            "plan",
            "pattern",
            "sector",
            "--csp=-33.9,151.2",
            "--course",
            "0",
            "--radius-nm",
            "3",
            "--second",
            "--format",
            "rtz",
            "--output",
            str(target),
        ]
    )
    assert code == 0, capsys.readouterr().err
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    points = _points(root, "n:waypoints/n:waypoint", RTZ_NS, position="n:position")
    assert len(points) == 10
    assert points[0] == (-33.9, 151.2)


def test_cli_pattern_missing_figure_is_one_line(capsys):
    code = main(
        [
            "plan",
            "pattern",
            "parallel-track",
            "--csp",
            "50,0",
            "--course",
            "0",
            "--spacing-nm",
            "1",
            "--length-nm",
            "5",
        ]
    )
    _, err = capsys.readouterr()
    assert code == 1
    assert err.count("\n") == 1
    assert "--width-nm" in err
