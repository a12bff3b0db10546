"""Tile arithmetic, the MBTiles cache, and 'prepare this area offline' against a local server."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarapp.maps.errors import MapsError
from sarapp.maps.projection import point_to_mercator
from sarapp.maps.tile_fetch import USER_AGENT, TileSource, plan_tiles, prepare_area
from sarapp.maps.tiles import TileCache, tile_bounds_m, tile_xy, tiles_in_box, zoom_for

AREA = (48.0, -5.2, 48.5, -4.6)  # Iroise sea


def test_tile_numbers_match_the_slippy_map_convention():
    assert tile_xy(0.0, 0.0, 1) == (1, 1)
    assert tile_xy(51.4779, -0.0015, 10) == (511, 340)  # Greenwich
    assert tile_xy(-85.1, 180.0, 3) == (7, 7)
    west, south, east, north = tile_bounds_m(1, 0, 0)
    assert (west, north) == pytest.approx((-20037508.34, 20037508.34), abs=0.01)
    assert (east, south) == pytest.approx((0.0, 0.0), abs=1e-6)


@given(st.floats(-85, 85), st.floats(-179.99, 179.99), st.integers(0, 18))
def test_a_position_lies_in_its_tile(lat, lon, zoom):
    x, y = tile_xy(lat, lon, zoom)
    west, south, east, north = tile_bounds_m(zoom, x, y)
    px, py = point_to_mercator(lat, lon)
    assert west - 1e-3 <= px <= east + 1e-3 and south - 1e-3 <= py <= north + 1e-3


def test_zoom_for_scale():
    assert zoom_for(156543.03) == 0
    assert zoom_for(152.87) == 10


def test_cache_round_trip_flips_rows_to_tms(tmp_path):
    with TileCache(tmp_path / "t.mbtiles") as cache:
        cache.put(3, 1, 2, b"png-bytes")
        assert cache.get(3, 1, 2) == b"png-bytes" and cache.get(3, 1, 5) is None
        assert cache.zooms() == [3] and cache.count() == 1
        assert cache.metadata()["format"] == "png"
    row = sqlite3.connect(tmp_path / "t.mbtiles").execute("SELECT tile_row FROM tiles").fetchone()
    assert row[0] == 2**3 - 1 - 2


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    (tmp_path / "bad.mbtiles").write_bytes(b"x" * 200)
    with pytest.raises(MapsError, match=r"bad\.mbtiles"):
        TileCache(tmp_path / "bad.mbtiles")


def test_tile_source_checks_the_url():
    with pytest.raises(MapsError, match="missing"):
        TileSource("https://tiles.example/{z}/{x}.png")
    assert TileSource("https://t/{z}/{x}/{y}.png").tile_url(4, 5, 6) == "https://t/4/5/6.png"


def test_plan_refuses_bulk_downloads_and_bad_boxes():
    with pytest.raises(MapsError, match="smaller area"):
        plan_tiles((30.0, -30.0, 60.0, 20.0), [5, 10, 12])
    with pytest.raises(MapsError, match="lat_min"):
        plan_tiles((48.5, -5.0, 48.0, -4.0), [8])


def test_prepare_area_fetches_politely_and_skips_cached(tmp_path, tile_server):
    zooms = [8, 9, 10]
    expected = sum(len(list(tiles_in_box(*AREA, z))) for z in zooms)
    naps: list[float] = []
    source = TileSource(tile_server.url, min_interval_s=0.05)
    with TileCache(tmp_path / "area.mbtiles") as cache:
        job = prepare_area(cache, source, bounds=AREA, zooms=zooms, sleep=naps.append)
        steps = list(job)
        assert [s.done for s in steps] == list(range(1, expected + 1))
        assert steps[-1].fetched == expected and steps[-1].failed == 0
        assert cache.count() == expected
        assert cache.get(10, *tile_xy(48.2, -4.9, 10)).startswith(b"\x89PNG")
        assert all(agent == USER_AGENT for _, agent in tile_server.requests)
        assert naps and all(0 < n <= 0.05 for n in naps)  # paced between requests
        again = list(prepare_area(cache, source, bounds=AREA, zooms=zooms, sleep=naps.append))
        assert again[-1].cached == expected and again[-1].fetched == 0
    assert len(tile_server.requests) == expected  # nothing fetched twice


def test_prepare_area_counts_refusals_and_can_be_cancelled(tmp_path, tile_server):
    x, y = tile_xy(48.2, -4.9, 9)
    tile_server.missing.add(f"/9/{x}/{y}.png")
    source = TileSource(tile_server.url, min_interval_s=0.0)
    with TileCache(tmp_path / "area.mbtiles") as cache:
        final = list(prepare_area(cache, source, bounds=AREA, zooms=[9]))[-1]
        assert final.failed == 1 and final.fetched == final.total - 1
        job = prepare_area(cache, source, bounds=AREA, zooms=[11])
        first = next(job)
        job.close()  # what the UI's cancel does
        assert first.done == 1 and cache.zooms() == [9, 11] and cache.count() == final.total


def test_unreachable_server_stops_with_a_message(tmp_path):
    source = TileSource("http://127.0.0.1:9/{z}/{x}/{y}.png", min_interval_s=0.0, timeout_s=1)
    with TileCache(tmp_path / "a.mbtiles") as cache, pytest.raises(MapsError, match="unreachable"):
        list(prepare_area(cache, source, bounds=AREA, zooms=[10]))
