"""Shipped coastlines: levels load, pieces are cut right, selection and LOD follow the view."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sarapp.maps.coastline_convert import convert
from sarapp.maps.coastlines import LEVELS, level_for, load_levels, shipped_levels
from sarapp.maps.errors import MapsError
from sarapp.maps.projection import point_to_mercator, to_wgs84


def test_shipped_levels_grow_in_detail_and_stay_on_the_globe():
    levels = shipped_levels()
    counts = [levels[name].vertex_count for name in LEVELS]
    assert counts == sorted(counts) and counts[0] > 4000 and counts[-1] > 300_000
    lat, lon = to_wgs84(levels["10m"].x[::97], levels["10m"].y[::97])
    ok = np.isfinite(lat)
    assert np.all(np.abs(lat[ok]) <= 85.06) and np.all(np.abs(lon[ok]) <= 180.0001)


def test_no_segment_jumps_across_the_antimeridian():
    for level in shipped_levels().values():
        dx = np.abs(np.diff(level.x))
        assert np.nanmax(dx) < 2e7  # metres; a wrap-around would be ~4e7


def test_select_keeps_only_pieces_near_the_view():
    level = shipped_levels()["10m"]
    x0, y0 = point_to_mercator(48.0, -5.5)  # off Brittany
    x1, y1 = point_to_mercator(48.8, -4.3)
    x, y = level.select(x0, y0, x1, y1)
    assert 0 < np.count_nonzero(np.isfinite(x)) < level.vertex_count / 50
    lat, lon = to_wgs84(x[np.isfinite(x)], y[np.isfinite(y)])
    assert np.median(lat) == pytest.approx(48.4, abs=1.0)
    assert np.median(lon) == pytest.approx(-4.6, abs=1.5)
    nothing = level.select(*point_to_mercator(-50.0, -140.0), *point_to_mercator(-49.0, -139.0))
    assert len(nothing[0]) == 0  # the open South Pacific


def test_level_follows_the_scale():
    assert level_for(50_000) == "110m"
    assert level_for(5_000) == "50m"
    assert level_for(100) == "10m"


def _topojson(arcs):
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [-10.0, 40.0]},
        "objects": {},
        "arcs": arcs,
    }


def test_conversion_round_trips_known_arcs(tmp_path):
    # an arc from grid (0,0) → (2,4) → (4,4) and another from (10,0) → (10,2)
    for level in LEVELS:
        (tmp_path / f"land-{level}.json").write_text(
            json.dumps(_topojson([[[0, 0], [2, 4], [2, 0]], [[10, 0], [0, 2]]]))
        )
    convert(tmp_path, tmp_path / "c.npz")
    level = load_levels(tmp_path / "c.npz")["110m"]
    lat, lon = to_wgs84(level.x, level.y)
    finite = np.isfinite(lat)
    assert np.allclose(lon[finite], [-10.0, -9.0, -8.0, -5.0, -5.0], atol=1e-9)
    assert np.allclose(lat[finite], [40.0, 41.0, 41.0, 40.0, 40.5], atol=1e-9)
    assert np.count_nonzero(~finite) == 2  # one pen lift after each arc


def test_unreadable_files_name_the_file(tmp_path):
    (tmp_path / "land-110m.json").write_text("{not json")
    with pytest.raises(MapsError, match=r"land-110m\.json"):
        convert(tmp_path, tmp_path / "c.npz")
    (tmp_path / "bad.npz").write_bytes(b"nope")
    with pytest.raises(MapsError, match=r"bad\.npz"):
        load_levels(tmp_path / "bad.npz")
