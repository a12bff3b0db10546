from datetime import UTC, datetime

import numpy as np
import pytest

START = datetime(2026, 1, 1, tzinfo=UTC)


class HalfPlaneLand:
    """Land north of a latitude: a simple, exactly known coast for stranding tests."""

    def __init__(self, coast_lat: float) -> None:
        self.coast_lat = coast_lat

    def is_land(self, lat, lon):
        return np.asarray(lat) >= self.coast_lat

    def any_land(self, south, north, west, east):
        return north >= self.coast_lat


@pytest.fixture(scope="session")
def _mask_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("landmask")


@pytest.fixture(autouse=True)
def _private_mask_cache(monkeypatch, _mask_cache):
    """Keep extracted land-mask blocks out of the user's real cache folder."""
    from sarapp.drift import landmask

    monkeypatch.setattr(landmask, "cache_dir", lambda: _mask_cache)


@pytest.fixture
def start():
    return START
