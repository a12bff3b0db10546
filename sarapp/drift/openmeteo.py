"""Gridded wind (Open-Meteo Forecast, 10 m) and surface current (Open-Meteo Marine) over HTTP.

Both APIs answer a list of points with per-point hourly series of speed and direction
(``shared/reference/forcing-sources.md``). We ask for m/s and unix times explicitly, still
convert whatever unit ``hourly_units`` declares, and turn directions into vectors once: wind
``wind_direction_10m`` is where it comes FROM, ``ocean_current_direction`` where it flows
TOWARDS. Raw responses go through a ``ForcingCache`` so a run can be repeated offline; error
bodies are never cached. Grid points are the requested ones: the server answers each with its
nearest model cell (``cell_selection=sea``), so a finer spacing than the model's buys nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

import numpy as np
import requests

from sarapp.drift.errors import ForcingError
from sarapp.drift.forcing import WindAndCurrent
from sarapp.drift.grid import GridField
from sarapp.drift.params import DriftParams

# m/s per unit, as Open-Meteo spells the units in ``hourly_units``
_SPEED_UNITS = {"m/s": 1.0, "km/h": 1.0 / 3.6, "kn": 1852.0 / 3600.0, "mp/h": 0.44704}
_TIMEOUT_S = 30.0


class ForcingCache(Protocol):
    """Raw responses by request key; the case database provides the persistent one."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


class MemoryCache:
    """A ``ForcingCache`` in a dict, for tests and one-off runs."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.entries.get(key)

    def put(self, key: str, data: bytes) -> None:
        self.entries[key] = data


@dataclass(frozen=True)
class OpenMeteoSource:
    """One Open-Meteo API and the speed/direction pair it serves."""

    what: str
    url: str
    speed: str
    direction: str
    towards: bool


FORECAST_WIND = OpenMeteoSource(
    "wind",
    "https://api.open-meteo.com/v1/forecast",
    "wind_speed_10m",
    "wind_direction_10m",
    towards=False,
)
MARINE_CURRENT = OpenMeteoSource(
    "current",
    "https://marine-api.open-meteo.com/v1/marine",
    "ocean_current_velocity",
    "ocean_current_direction",
    towards=True,
)


@dataclass(frozen=True)
class GridRequest:
    """The box (degrees), hours (UTC) and point spacing (degrees) to fetch."""

    south: float
    north: float
    west: float
    east: float
    start: datetime
    end: datetime
    spacing_deg: float = 0.1

    def axes(self) -> tuple[list[float], list[float]]:
        def axis(lo: float, hi: float) -> list[float]:
            n = max(1, math.ceil((hi - lo) / self.spacing_deg - 1e-9) + 1)
            return [round(lo + k * self.spacing_deg, 4) for k in range(n)]

        return axis(self.south, self.north), axis(self.west, self.east)


def _hour(when: datetime, up: bool) -> str:
    when = when.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + (
        timedelta(hours=1) if up and when.astimezone(UTC).minute else timedelta(0)
    )
    return when.strftime("%Y-%m-%dT%H:%M")


def request_params(source: OpenMeteoSource, req: GridRequest) -> dict[str, str]:
    """Fully explicit query parameters (stable cache keys)."""
    lats, lons = req.axes()
    pairs = [(la, lo) for la in lats for lo in lons]
    return {
        "latitude": ",".join(f"{la:g}" for la, _ in pairs),
        "longitude": ",".join(f"{lo:g}" for _, lo in pairs),
        "hourly": f"{source.speed},{source.direction}",
        "wind_speed_unit": "ms",
        "timeformat": "unixtime",
        "cell_selection": "sea",
        "start_hour": _hour(req.start, up=False),
        "end_hour": _hour(req.end, up=True),
    }


def _key(url: str, params: dict[str, str]) -> str:
    return f"{url}?{urlencode(sorted(params.items()))}"


def _fetch(url: str, params: dict[str, str], cache: ForcingCache, what: str) -> bytes:
    key = _key(url, params)
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        reply = requests.get(url, params=params, timeout=_TIMEOUT_S)
    except requests.RequestException as exc:
        raise ForcingError(f"{what}: cannot reach {url} and nothing is cached ({exc})") from exc
    if reply.status_code != 200:
        try:
            reason = reply.json().get("reason", reply.text[:200])
        except ValueError:
            reason = reply.text[:200]
        raise ForcingError(f"{what}: {url} answered {reply.status_code}: {reason}")
    cache.put(key, reply.content)
    return reply.content


def _point_series(
    source: OpenMeteoSource, point: dict[str, Any], where: str
) -> tuple[list[int], np.ndarray, np.ndarray]:
    try:
        units, hourly = point["hourly_units"], point["hourly"]
        factor = _SPEED_UNITS[units[source.speed]]
        if units.get(source.direction, "°") != "°" or units.get("time") not in (None, "unixtime"):
            raise KeyError("direction must be in ° and time in unixtime")
        speed = np.array(hourly[source.speed], dtype=float) * factor
        angle = np.radians(np.array(hourly[source.direction], dtype=float) % 360.0)
        times = [int(t) for t in hourly["time"]]
        if not speed.ndim == angle.ndim == 1 or not len(speed) == len(angle) == len(times):
            raise ValueError("time, speed and direction differ in length")
    except (KeyError, TypeError, ValueError) as exc:
        raise ForcingError(
            f"{source.what}: Open-Meteo answer for {where} unreadable ({exc})"
        ) from exc
    sign = 1.0 if source.towards else -1.0
    # + 0.0 turns -0.0 into 0.0 (the same in every sum and product): a desk on PostgreSQL has
    # no -0.0 to keep, so the stored forcing reads back as it was run on both backends.
    return times, sign * speed * np.sin(angle) + 0.0, sign * speed * np.cos(angle) + 0.0


def fetch_field(
    source: OpenMeteoSource, req: GridRequest, *, cache: ForcingCache, url: str | None = None
) -> GridField:
    """Fetch (or take from the cache) one source on the request's grid; ``url`` overrides the
    endpoint (tests, commercial hosts)."""
    url = url or source.url
    params = request_params(source, req)
    body = _fetch(url, params, cache, source.what)
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ForcingError(f"{source.what}: {url} did not answer JSON") from exc
    points = data if isinstance(data, list) else [data]
    lats, lons = req.axes()
    if len(points) != len(lats) * len(lons):
        raise ForcingError(
            f"{source.what}: asked {len(lats) * len(lons)} points, got {len(points)}"
        )
    times, us, vs = None, [], []
    for k, point in enumerate(points):
        where = f"{lats[k // len(lons)]:g},{lons[k % len(lons)]:g}"
        t, u, v = _point_series(source, point, where)
        if times is None:
            times = t
        elif t != times:
            raise ForcingError(f"{source.what}: point {where} has different times")
        us.append(u)
        vs.append(v)
    shape = (len(lats), len(lons), len(times or []))
    u = np.array(us).reshape(shape).transpose(2, 0, 1)
    v = np.array(vs).reshape(shape).transpose(2, 0, 1)
    return GridField(
        source.what, np.array(times, dtype=float), np.array(lats), np.array(lons), u, v
    )


def open_meteo_forcing(
    req: GridRequest,
    *,
    cache: ForcingCache,
    forecast_url: str | None = None,
    marine_url: str | None = None,
) -> WindAndCurrent:
    """Wind from the Forecast API and current from the Marine API on one grid."""
    return WindAndCurrent(
        wind=fetch_field(FORECAST_WIND, req, cache=cache, url=forecast_url),
        current=fetch_field(MARINE_CURRENT, req, cache=cache, url=marine_url),
    )


def request_for_run(params: DriftParams) -> GridRequest:
    """The box and hours a run can reach: nothing drifts faster than about 2 m/s (0.065° an
    hour), plus a margin; points every tenth of the box, at least 0.1° apart."""
    margin = min(4.0, 0.3 + 0.065 * params.hours)
    spacing = max(0.1, round(2 * margin / 10, 2))
    start, end = params.start, params.start + timedelta(hours=params.hours)
    if params.backtrack:
        start, end = params.start - timedelta(hours=params.hours), params.start
    return GridRequest(
        south=max(-89.9, params.lat - margin),
        north=min(89.9, params.lat + margin),
        west=params.lon - margin,
        east=params.lon + margin,
        start=start,
        end=end,
        spacing_deg=spacing,
    )


def forecast_keys(
    req: GridRequest, *, forecast_url: str | None = None, marine_url: str | None = None
) -> list[str]:
    """The cache keys ``open_meteo_forcing`` reads for ``req``: lets a face copy the desk's
    cached answers into a ``MemoryCache`` for a worker, and keep the new ones afterwards."""
    return [
        _key(url or source.url, request_params(source, req))
        for source, url in ((FORECAST_WIND, forecast_url), (MARINE_CURRENT, marine_url))
    ]


def forecast_forcing(
    params: DriftParams,
    *,
    cache: ForcingCache,
    forecast_url: str | None = None,
    marine_url: str | None = None,
) -> WindAndCurrent:
    """Wind and current for a run from the forecast (one request box for the CLI and the app:
    ``request_for_run``), answers taken from or kept in ``cache``."""
    return open_meteo_forcing(
        request_for_run(params), cache=cache, forecast_url=forecast_url, marine_url=marine_url
    )
