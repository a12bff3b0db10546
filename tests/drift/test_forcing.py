import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarapp.drift.errors import ForcingError
from sarapp.drift.forcing import (
    KNOT_MS,
    SeriesField,
    WindAndCurrent,
    constant_forcing,
    current_towards,
    read_series_csv,
    series_from_reports,
    wind_from,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
LAT, LON = np.array([43.0, 43.2]), np.array([5.0, 5.2])


def test_wind_from_north_blows_south_and_from_west_blows_east():
    u, v = wind_from(0, 10)
    assert v < 0 and abs(u) < 1e-12
    u, v = wind_from(270, 10)
    assert u > 0 and abs(v) < 1e-12


def test_current_towards_north_flows_north():
    u, v = current_towards(0, 1)
    assert v > 0 and abs(u) < 1e-12


def test_worked_examples_of_the_reference():
    assert wind_from(45, 20) == pytest.approx((-7.275, -7.275), abs=1e-3)
    assert current_towards(120, 1.2) == pytest.approx((0.5346, -0.3087), abs=1e-4)


@given(st.floats(0, 360), st.floats(0.1, 100))
def test_wind_direction_round_trips(direction, speed):
    u, v = wind_from(direction, speed)
    assert math.hypot(u, v) == pytest.approx(speed * KNOT_MS)
    back = math.degrees(math.atan2(-u, -v)) % 360
    assert min(abs(back - direction), 360 - abs(back - direction)) < 1e-6


def test_series_interpolates_linearly_in_time_on_components():
    wind = series_from_reports(
        "wind", [(T0, 0, 10), (T0 + timedelta(hours=2), 90, 10)], towards=False
    )
    u, v = wind.velocity(T0.timestamp() + 3600, LAT, LON)
    s = 10 * KNOT_MS
    assert (u, v) == pytest.approx((-s / 2, -s / 2))


def test_series_outside_its_span_names_time_and_place():
    wind = series_from_reports(
        "wind", [(T0, 0, 10), (T0 + timedelta(hours=2), 0, 10)], towards=False
    )
    with pytest.raises(ForcingError, match=r"no wind for 2026-01-01T03:00:00Z at 43\.100N 5\.100E"):
        wind.velocity(T0.timestamp() + 3 * 3600, LAT, LON)


def test_series_rejects_unsorted_times():
    with pytest.raises(ForcingError, match="increase"):
        SeriesField("wind", (2.0, 1.0), (0, 0), (0, 0))


def test_forcing_round_trips_through_plain_dicts():
    forcing = WindAndCurrent(
        wind=SeriesField("wind", (0.0, 3600.0), (1.0, 2.0), (3.0, 4.0)),
        current=constant_forcing(wind_u=0, wind_v=0, current_u=0.3, current_v=-0.1).current,
    )
    back = WindAndCurrent.from_dict(forcing.to_dict())
    assert back == forcing
    assert back.sample(1800.0, LAT, LON) == (1.5, 3.5, 0.3, -0.1)


def test_read_series_csv(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(
        "time,wind_from_deg,wind_speed_kn,current_to_deg,current_speed_kn\n"
        "2026-01-01T02:00Z,180,20,90,1\n"
        "2026-01-01T00:00,0,10,90,1\n"
    )
    wind, current = read_series_csv(path)
    assert wind.times_s == (T0.timestamp(), T0.timestamp() + 7200)
    u, v = wind.velocity(T0.timestamp(), LAT, LON)
    assert v == pytest.approx(-10 * KNOT_MS) and u == pytest.approx(0, abs=1e-9)
    u, v = current.velocity(T0.timestamp(), LAT, LON)
    assert u == pytest.approx(KNOT_MS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("time,wind_from_deg\n2026-01-01T00:00Z,0\n", "missing column"),
        ("time,wind_from_deg,wind_speed_kn\nnoon,0,10\n", "line 2: 'noon' is not an ISO"),
        ("time,wind_from_deg,wind_speed_kn\n2026-01-01T00:00Z,0,-3\n", "line 2: wind_speed_kn"),
        ("time,wind_from_deg,wind_speed_kn\n2026-01-01T00:00Z,x,3\n", "line 2: wind_from_deg"),
    ],
)
def test_read_series_csv_errors_name_the_line(tmp_path, text, message):
    path = tmp_path / "obs.csv"
    path.write_text(text)
    with pytest.raises(ForcingError, match=message):
        read_series_csv(path)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_file_reads_or_fails_with_a_forcing_error(tmp_path, data):
    path = tmp_path / "obs.csv"
    path.write_bytes(b"time,wind_from_deg,wind_speed_kn\n" + data)
    try:
        wind, _ = read_series_csv(path)
    except ForcingError:
        return
    assert len(wind.times_s) >= 1
