import numpy as np
import pytest

from sarapp.drift import landmask
from sarapp.drift.landmask import GlobeLandMask, default_land_mask, land_mask_file

needs_mask = pytest.mark.skipif(land_mask_file() is None, reason="global-land-mask not installed")


@needs_mask
def test_globe_mask_tells_land_from_sea():
    mask = default_land_mask(42.0, 44.0)
    # Marseille, Montpellier; Gulf of Lion, open Mediterranean
    lat = np.array([43.30, 43.61, 43.0, 42.5])
    lon = np.array([5.40, 3.88, 5.0, 5.5])
    assert mask.is_land(lat, lon).tolist() == [True, True, False, False]
    assert not mask.any_land(42.5, 42.8, 5.0, 5.5)
    assert mask.any_land(43.2, 43.4, 5.3, 5.5)


@needs_mask
def test_band_grows_when_particles_leave_it():
    mask = default_land_mask(42.0, 44.0)
    assert mask.is_land(np.array([59.91]), np.array([10.75])).tolist() == [True]  # Oslo
    south, north = mask.band
    assert south <= 42.0 and north >= 59.91


def test_no_package_no_mask(monkeypatch):
    monkeypatch.setattr(landmask.importlib.util, "find_spec", lambda name: None)
    assert land_mask_file() is None and default_land_mask(0.0, 1.0) is None


@needs_mask
def test_blocks_are_cached_on_disk_and_reused(tmp_path):
    first = GlobeLandMask(land_mask_file(), 42.0, 44.0, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("globe30s-*.npy"))) == 5
    # every block now comes from the cache: the package file is not opened again
    again = GlobeLandMask(tmp_path / "absent.npz", 42.0, 44.0, cache_dir=tmp_path)
    lat, lon = np.array([43.30, 43.0]), np.array([5.40, 5.0])
    assert again.is_land(lat, lon).tolist() == first.is_land(lat, lon).tolist() == [True, False]


@needs_mask
def test_window_lookup_agrees_with_the_packed_rows():
    mask = default_land_mask(40.0, 46.0)
    rng = np.random.default_rng(5)
    lat, lon = rng.uniform(42.8, 43.7, 50_000), rng.uniform(3.0, 7.5, 50_000)
    row = ((90.0 - lat) * 120).astype(int) - mask._first
    col = ((lon + 180.0) * 120).astype(int)
    expected = ((mask._sea[row, col >> 3] >> (7 - (col & 7))) & 1) == 0
    assert 0.05 < expected.mean() < 0.95
    assert np.array_equal(mask.is_land(lat, lon), expected)


@needs_mask
def test_lookup_across_the_antimeridian():
    mask = default_land_mask(-20.0, -15.0)
    # Fiji's Vanua Levu reaches past 180°: unwrapped 180.1 E is the same place as 179.9 W
    lat = np.array([-16.75, -16.75])
    assert (
        mask.is_land(lat, np.array([180.1, -179.9])).tolist()
        == mask.is_land(lat, np.array([-179.9, -179.9])).tolist()
    )
