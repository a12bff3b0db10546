import contextlib
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarapp.drift.errors import ForcingError
from sarapp.drift.openmeteo import (
    FORECAST_WIND,
    MARINE_CURRENT,
    GridRequest,
    MemoryCache,
    fetch_field,
    open_meteo_forcing,
)

T0 = 1767225600  # 2026-01-01T00:00Z
REQ = GridRequest(
    south=43.0,
    north=43.2,
    west=5.0,
    east=5.1,
    start=datetime(2026, 1, 1, tzinfo=UTC),
    end=datetime(2026, 1, 1, 1, 30, tzinfo=UTC),
    spacing_deg=0.1,
)


class FakeOpenMeteo(BaseHTTPRequestHandler):
    """Answers like Open-Meteo: one object per requested point, in request order."""

    def do_GET(self):
        server = self.server
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        server.queries.append((urlparse(self.path).path, query))
        status, body = server.answer(query)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def points_answer(speed, direction, unit="m/s", nulls=()):
    def answer(query):
        speed_var, dir_var = query["hourly"].split(",")
        lats, lons = query["latitude"].split(","), query["longitude"].split(",")
        out = []
        for k, (la, lo) in enumerate(zip(lats, lons, strict=True)):
            s = [None if (k, h) in nulls else speed for h in range(3)]
            out.append(
                {
                    "latitude": float(la),
                    "longitude": float(lo),
                    "utc_offset_seconds": 0,
                    "hourly_units": {"time": "unixtime", speed_var: unit, dir_var: "°"},
                    "hourly": {
                        "time": [T0, T0 + 3600, T0 + 7200],
                        speed_var: s,
                        dir_var: [direction] * 3,
                    },
                }
            )
        return 200, out if len(out) > 1 else out[0]

    return answer


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenMeteo)
    httpd.queries = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


LAT, LON = np.array([43.05, 43.15]), np.array([5.02, 5.08])


def test_forecast_wind_direction_is_from_and_speed_units_are_honoured(server):
    server.answer = points_answer(36.0, 360, unit="km/h")  # 10 m/s from the north
    field = fetch_field(FORECAST_WIND, REQ, cache=MemoryCache(), url=server.url + "/v1/forecast")
    u, v = field.velocity(T0 + 1800, LAT, LON)
    np.testing.assert_allclose(v, [-10.0, -10.0])  # blows south: never upwind
    np.testing.assert_allclose(u, [0.0, 0.0], atol=1e-12)
    path, query = server.queries[0]
    assert path == "/v1/forecast" and query["wind_speed_unit"] == "ms"
    assert query["hourly"] == "wind_speed_10m,wind_direction_10m"
    assert query["timeformat"] == "unixtime" and query["cell_selection"] == "sea"
    assert (query["start_hour"], query["end_hour"]) == ("2026-01-01T00:00", "2026-01-01T02:00")
    assert len(query["latitude"].split(",")) == 3 * 2


def test_forecast_westerly_blows_east(server):
    server.answer = points_answer(5.0, 270)
    u, v = fetch_field(FORECAST_WIND, REQ, cache=MemoryCache(), url=server.url).velocity(
        T0, LAT, LON
    )
    np.testing.assert_allclose(u, [5.0, 5.0])
    np.testing.assert_allclose(v, [0.0, 0.0], atol=1e-12)


def test_marine_current_direction_is_towards(server):
    server.answer = points_answer(0.5, 90)
    field = fetch_field(MARINE_CURRENT, REQ, cache=MemoryCache(), url=server.url + "/v1/marine")
    u, v = field.velocity(T0, LAT, LON)
    np.testing.assert_allclose(u, [0.5, 0.5])  # flows east
    np.testing.assert_allclose(v, [0.0, 0.0], atol=1e-12)
    assert server.queries[0][1]["hourly"] == "ocean_current_velocity,ocean_current_direction"
    server.answer = points_answer(1.0, 0, unit="kn")
    _, v = fetch_field(MARINE_CURRENT, REQ, cache=MemoryCache(), url=server.url).velocity(
        T0, LAT, LON
    )
    np.testing.assert_allclose(v, [0.514444, 0.514444], atol=1e-6)  # flows north


def test_cache_makes_the_run_repeatable_offline(server):
    server.answer = points_answer(0.5, 90)
    cache = MemoryCache()
    fetch_field(MARINE_CURRENT, REQ, cache=cache, url=server.url)
    server.shutdown()
    again = fetch_field(MARINE_CURRENT, REQ, cache=cache, url=server.url)
    assert len(server.queries) == 1 and again.u.shape == (3, 3, 2)


def test_error_answers_are_reported_and_not_cached(server):
    server.answer = lambda q: (400, {"error": True, "reason": "Latitude must be in range"})
    cache = MemoryCache()
    with pytest.raises(ForcingError, match="400: Latitude must be in range"):
        fetch_field(FORECAST_WIND, REQ, cache=cache, url=server.url)
    assert cache.entries == {}


def test_unreachable_server_without_cache():
    with pytest.raises(ForcingError, match="cannot reach"):
        fetch_field(FORECAST_WIND, REQ, cache=MemoryCache(), url="http://127.0.0.1:9/")


def test_null_current_is_an_error_naming_time_and_place(server):
    wind, current = points_answer(10, 0), points_answer(0.5, 90, nulls={(5, 1)})  # 43.2N 5.1E 01h
    server.answer = lambda q: (current if "ocean" in q["hourly"] else wind)(q)
    both = open_meteo_forcing(
        REQ, cache=MemoryCache(), forecast_url=server.url, marine_url=server.url
    )
    with pytest.raises(ForcingError, match=r"no current for 2026-01-01T01:00:00Z at 43\.150N"):
        both.sample(T0 + 3600, LAT, LON)


def test_engine_drifts_on_the_fetched_grid(server):
    from sarapp.drift.engine import run_drift
    from sarapp.drift.params import DriftParams

    wind, current = points_answer(10, 0), points_answer(0.3, 90)
    server.answer = lambda q: (current if "ocean" in q["hourly"] else wind)(q)
    forcing = open_meteo_forcing(
        REQ, cache=MemoryCache(), forecast_url=server.url, marine_url=server.url
    )
    p = DriftParams(
        category=32, lat=43.1, lon=5.05, start=REQ.start, hours=1, particles=500, radius_m=0
    )
    run = run_drift(p, forcing, np.random.default_rng(0), land=None)
    assert run.centroid_lat[-1] < 43.1 and run.centroid_lon[-1] > 5.05


class FixedCache:
    """A cache that already holds one answer for any request."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def get(self, key):
        return self.body

    def put(self, key, data):
        raise AssertionError("nothing should be fetched")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(
    json_values
    | st.builds(lambda v: {"hourly_units": {"time": "unixtime"}, "hourly": v}, json_values)
)
def test_any_answer_parses_or_fails_with_a_forcing_error(body):
    one_point = GridRequest(
        south=43.0, north=43.0, west=5.0, east=5.0, start=REQ.start, end=REQ.end
    )
    with contextlib.suppress(ForcingError):
        fetch_field(MARINE_CURRENT, one_point, cache=FixedCache(json.dumps(body).encode()))
