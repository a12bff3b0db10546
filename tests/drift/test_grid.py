import numpy as np
import pytest

from sarapp.drift.errors import ForcingError
from sarapp.drift.forcing import WindAndCurrent
from sarapp.drift.grid import GridField

T0 = 1767225600.0  # 2026-01-01T00:00Z


def linear_field(u_nan_at=None):
    times = np.array([T0, T0 + 3600, T0 + 7200])
    lats, lons = np.array([42.0, 42.5, 43.0]), np.array([4.0, 5.0])
    t, la, lo = np.meshgrid(times - T0, lats, lons, indexing="ij")
    u = 1.0 + t / 3600 + 2 * (la - 42) + 0.5 * (lo - 4)
    v = -u
    if u_nan_at is not None:
        u[u_nan_at] = np.nan
    return GridField("wind", times, lats, lons, u, v)


def test_linear_fields_are_reproduced_exactly():
    lat, lon = np.array([42.1, 42.9, 42.5]), np.array([4.2, 4.9, 5.0])
    u, v = linear_field().velocity(T0 + 5400, lat, lon)
    expected = 1.0 + 1.5 + 2 * (lat - 42) + 0.5 * (lon - 4)
    np.testing.assert_allclose(u, expected, atol=1e-12)
    np.testing.assert_allclose(v, -expected, atol=1e-12)


def test_outside_in_time_or_space_names_time_and_place():
    field = linear_field()
    with pytest.raises(ForcingError, match=r"no wind for 2026-01-01T03:00:00Z at 42\.500N 4\.500E"):
        field.velocity(T0 + 3 * 3600, np.array([42.5]), np.array([4.5]))
    with pytest.raises(ForcingError, match=r"at 43\.200N 4\.500E: outside the grid's latitude"):
        field.velocity(T0, np.array([42.5, 43.2]), np.array([4.5, 4.5]))


def test_missing_values_are_an_error_not_zero():
    field = linear_field(u_nan_at=(1, 2, 1))  # 01:00, 43.0 N, 5.0 E
    with pytest.raises(ForcingError, match=r"01:30:00Z at 42\.900N 4\.900E: the source has no"):
        field.velocity(T0 + 5400, np.array([42.1, 42.9]), np.array([4.1, 4.9]))
    u, _ = field.velocity(T0 + 5400, np.array([42.1]), np.array([4.1]))  # away from the hole
    assert np.isfinite(u).all()


def test_single_point_grid_is_uniform_in_space():
    field = GridField(
        "current",
        np.array([T0, T0 + 3600]),
        np.array([43.0]),
        np.array([5.0]),
        np.array([[[0.2]], [[0.4]]]),
        np.array([[[0.0]], [[0.0]]]),
    )
    u, _ = field.velocity(T0 + 1800, np.array([10.0, -20.0]), np.array([100.0, 5.0]))
    np.testing.assert_allclose(u, [0.3, 0.3])


def test_grid_round_trips_through_plain_dicts():
    field = linear_field(u_nan_at=(0, 0, 0))
    back = WindAndCurrent.from_dict(WindAndCurrent(field, field).to_dict()).wind
    np.testing.assert_array_equal(back.u, field.u)
    assert np.isnan(back.u[0, 0, 0])
