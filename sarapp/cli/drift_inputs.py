"""``drift run``'s inputs read from the command line: the start (given or the case's LKP), wind
and current in the units coordinators use or as vectors, on-scene series, the forecast."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime

from sarapp.drift.errors import DriftError
from sarapp.drift.forcing import (
    SeriesField,
    UniformField,
    VectorField,
    WindAndCurrent,
    current_towards,
    read_series_csv,
    to_epoch,
    wind_from,
)
from sarapp.drift.params import DriftParams, default
from sarapp.geo import GeoError, parse_dtg, parse_latitude, parse_longitude


@dataclass(frozen=True)
class Start:
    """Where and when the run starts, degrees and UTC, and its 1-sigma error (m) with why."""

    lat: float
    lon: float
    time: datetime
    radius_m: float
    radius_from: str


def _vector(text: str, option: str) -> tuple[float, float]:
    try:
        u, v = (float(x) for x in text.split(","))
    except ValueError:
        raise DriftError(f"{option} {text!r}: give eastward,northward m/s such as 0,-10") from None
    return u, v


def _time(text: str, option: str) -> datetime:
    try:
        return parse_dtg(text)
    except GeoError as exc:
        raise DriftError(f"{option}: {exc}") from None


def optional_time(text: str | None, option: str) -> datetime | None:
    return None if text is None else _time(text, option)


def start_of(args: argparse.Namespace) -> Start:
    """The start from --lat/--lon/--start/--radius-m, what is missing taken from the case's
    LKP (with --case); the position error from the LKP's accuracy when known."""
    given = (args.lat is not None, args.lon is not None)
    if given[0] != given[1]:
        raise DriftError("give both --lat and --lon, or neither (with --case: the case's LKP)")
    lkp = _case_lkp(args) if args.case else None  # an unknown case is refused first
    if all(given):
        try:
            lat, lon = parse_latitude(args.lat), parse_longitude(args.lon)
        except GeoError as exc:
            raise DriftError(str(exc)) from None
    elif lkp is not None:
        lat, lon = lkp.lat, lkp.lon
    elif args.case:
        raise DriftError(f"case {args.case} has no LKP: give --lat, --lon and --start")
    else:
        raise DriftError("no start position: give --lat and --lon, or --case with a known LKP")
    if args.start:
        when = _time(args.start, "--start")
    elif lkp is not None and lkp.time is not None and not all(given):
        when = lkp.time
    else:
        raise DriftError("no start time: give --start (a DTG or ISO 8601 time)")
    if args.radius_m is not None:
        return Start(lat, lon, when, args.radius_m, "given")
    if lkp is not None and not all(given) and lkp.accuracy_m:
        return Start(lat, lon, when, lkp.accuracy_m, "the LKP's accuracy")
    return Start(lat, lon, when, default("radius_m"), "default, accuracy not known")


def _case_lkp(args: argparse.Namespace):
    from sarapp.cli.common import open_store

    with open_store(args, create=False) as store:
        case = store.cases.get(store.cases.resolve(args.case))
    return case.lkp


def _field(
    args: argparse.Namespace, vector: str, direction: str, speed: str, convert, what: str
) -> VectorField | None:
    as_vector = getattr(args, vector)
    deg, kn = getattr(args, direction), getattr(args, speed)
    flags = (vector, direction, speed)
    names = [f"--{f.replace('_', '-')}" for f in flags]
    if (deg is None) != (kn is None):
        raise DriftError(f"{what}: give both {names[1]} and {names[2]}")
    if as_vector is not None and deg is not None:
        raise DriftError(f"{what}: give {names[0]} or {names[1]}/{names[2]}, not both")
    if deg is not None:
        if not 0 <= deg <= 360 or kn < 0:
            raise DriftError(f"{what}: direction 0–360 degrees and a speed of 0 knots or more")
        return UniformField(*convert(deg, kn))
    if as_vector is not None:
        return UniformField(*_vector(as_vector, names[0]))
    return None


def forcing_of(args: argparse.Namespace, params: DriftParams) -> WindAndCurrent:
    """Wind and current from the options; the forecast when --open-meteo is given."""
    if args.open_meteo:
        return _open_meteo(args, params)
    wind = _field(args, "wind", "wind_from", "wind_kn", wind_from, "wind")
    current = _field(args, "current", "current_to", "current_kn", current_towards, "current")
    if args.wind_series:
        series, current_series = read_series_csv(args.wind_series, hold=args.series_hold)
        wind, current = series, current_series or current
    if wind is None:
        raise DriftError(
            "no wind: give --wind-from DEG --wind-kn KN, --wind U,V, --wind-series FILE or "
            "--open-meteo (a calm is --wind-kn 0 with any --wind-from)"
        )
    begin = to_epoch(params.start)
    first, last = sorted((begin, begin + params.step_s * params.steps))
    for field in (wind, current):
        if isinstance(field, SeriesField):
            field.check_span(first, last)
    return WindAndCurrent(wind, current or UniformField(0.0, 0.0))


def _open_meteo(args: argparse.Namespace, params: DriftParams) -> WindAndCurrent:
    """Gridded wind and current around the run, fetched once and kept in the desk."""
    from sarapp.cli.common import open_store
    from sarapp.drift.openmeteo import forecast_forcing

    if not args.db and not args.case:
        raise DriftError("--open-meteo keeps what it fetches in a desk: give --db or --case")
    with open_store(args) as store:
        return forecast_forcing(
            params,
            cache=store.drift.forcing_cache(),
            forecast_url=args.forecast_url,
            marine_url=args.marine_url,
        )
