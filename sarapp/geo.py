"""Positions and times at the edges of the desk: parse and format coordinates and DTGs, and
measure on the WGS84 ellipsoid.

Inside sarapp a position is (latitude, longitude) in signed decimal degrees (north and east
positive), a distance is metres and a bearing is degrees true (0–360). Coordinators and
messages use degrees-decimal-minutes, DMS, compact message forms and date-time groups; this
module reads all of them strictly, so a typo is refused with a message naming the wrong part
rather than silently moving a search area.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyproj

from sarapp.errors import SarappError
from sarapp.times import TimeRangeError, check_not_before_1970, shown


class GeoError(SarappError, ValueError):
    """A position, DTG or geodesic input that cannot be used; the message names the part."""


NM = 1852.0  # metres per international nautical mile
KNOT = 1852.0 / 3600.0  # metres per second per knot

_GEOD = pyproj.Geod(ellps="WGS84")

# ---------------------------------------------------------------------------------------------
# Parsing coordinates
# ---------------------------------------------------------------------------------------------

_SYMBOLS = str.maketrans({"º": "°", "˚": "°", "′": "'", "’": "'", "″": '"', "”": '"'})
_UNIT_INDEX = {"°": 0, "'": 1, '"': 2}
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_HEMISPHERES = {"lat": ("N", "S"), "lon": ("E", "W")}
_LIMIT = {"lat": 90, "lon": 180}
_NAME = {"lat": "latitude", "lon": "longitude"}


def _normalise(text: str) -> str:
    return text.strip().translate(_SYMBOLS).replace("''", '"').upper()


def _fail(axis: str, text: str, why: str) -> GeoError:
    return GeoError(f'{_NAME[axis]} "{text.strip()}": {why}')


def _split_hemisphere(axis: str, text: str, body: str) -> tuple[str | None, str]:
    """Take one hemisphere letter off the front or back of ``body``."""
    hemi = None
    if body[:1].isalpha():
        hemi, body = body[0], body[1:].strip()
    if body[-1:].isalpha():
        if hemi is not None:
            raise _fail(axis, text, f"two hemisphere letters ({hemi} and {body[-1]})")
        hemi, body = body[-1], body[:-1].strip()
    if hemi is None:
        return None, body
    own, other = _HEMISPHERES[axis], _HEMISPHERES["lon" if axis == "lat" else "lat"]
    if hemi in other:
        wrong = "longitude" if axis == "lat" else "latitude"
        raise _fail(axis, text, f"hemisphere {hemi} belongs to a {wrong}, not a {_NAME[axis]}")
    if hemi not in own:
        raise _fail(axis, text, f'unexpected character "{hemi}"')
    return hemi, body


def _tokens(axis: str, text: str, body: str) -> list[tuple[str, int | None]]:
    """Split into (number, unit index or None); spaces, '-' and unit symbols separate."""
    tokens: list[tuple[str, int | None]] = []
    pos = 0
    while pos < len(body):
        char = body[pos]
        match = _NUMBER.match(body, pos)
        if match:
            tokens.append((match.group(), None))
            pos = match.end()
        elif char in _UNIT_INDEX and tokens and tokens[-1][1] is None:
            tokens[-1] = (tokens[-1][0], _UNIT_INDEX[char])
            pos += 1
        elif char.isspace() or (char == "-" and tokens):
            pos += 1
        else:
            raise _fail(axis, text, f'unexpected character "{char}"')
    if not tokens:
        raise _fail(axis, text, "no number")
    if len(tokens) > 3:
        raise _fail(axis, text, "too many numbers (at most degrees, minutes and seconds)")
    for index, (number, unit) in enumerate(tokens):
        if unit is not None and unit != index:
            raise _fail(axis, text, f'"{number}" is marked with the wrong unit symbol')
    return tokens


def _compact_parts(axis: str, text: str, number: str) -> list[str] | None:
    """Split a compact message form (``4312.345``, ``00506.789``, ``431220``) into parts."""
    whole, _, frac = number.partition(".")
    frac = f".{frac}" if frac else ""
    digits = len(whole)
    widths = {"lat": {4: (2,), 6: (2, 4)}, "lon": {4: (2,), 5: (3,), 6: (2, 4), 7: (3, 5)}}
    cuts = widths[axis].get(digits)
    if axis == "lon" and digits == 3 and frac and float(number) > 180 and int(whole[1:]) < 60:
        cuts = (1,)  # longitude 506.789E: 5°06.789' (123.456 stays decimal degrees)
    if cuts is None:
        return None
    edges = (0, *cuts, digits)
    parts = [whole[a:b] for a, b in itertools.pairwise(edges)]
    parts[-1] += frac
    return parts


def _parse_axis(axis: str, text: str) -> float:
    body = _normalise(text)
    if not body:
        raise GeoError(f"{_NAME[axis]}: empty")
    sign = 1
    hemi, body = _split_hemisphere(axis, text, body)
    if body[:1] in "+-" and body:
        sign, body = (-1 if body[0] == "-" else 1), body[1:].strip()
        if hemi is not None:
            if sign < 0 and hemi == _HEMISPHERES[axis][0]:
                raise _fail(axis, text, f"minus sign contradicts hemisphere {hemi}")
            if sign < 0:
                raise _fail(axis, text, f"give either a minus sign or hemisphere {hemi}, not both")
            if hemi == _HEMISPHERES[axis][1]:
                raise _fail(axis, text, f"plus sign contradicts hemisphere {hemi}")
    if hemi == _HEMISPHERES[axis][1]:
        sign = -1
    tokens = _tokens(axis, text, body)
    parts = [number for number, _ in tokens]
    if len(parts) == 1 and tokens[0][1] is None:
        parts = _compact_parts(axis, text, parts[0]) or parts
    return sign * _combine(axis, text, parts)


def _combine(axis: str, text: str, parts: list[str]) -> float:
    """Degrees, minutes, seconds as text → unsigned degrees, with range checks."""
    names = ("degrees", "minutes", "seconds")
    for index, part in enumerate(parts[:-1]):
        if "." in part:
            raise _fail(axis, text, f"{names[index]} must be whole when {names[index + 1]} follow")
    values = [float(p) for p in parts]
    limit = _LIMIT[axis]
    if values[0] > limit:
        raise _fail(axis, text, f"degrees must be at most {limit}")
    for name, value in zip(names[1:], values[1:], strict=False):
        if value >= 60:
            raise _fail(axis, text, f"{name} must be less than 60")
    degrees = sum(v / 60**i for i, v in enumerate(values))
    if degrees > limit:
        raise _fail(axis, text, f"must be at most {limit}° (got {degrees:.6f}°)")
    return degrees


def parse_latitude(text: str) -> float:
    """Read one latitude (DD, DDM, DMS, compact ``4312.345N``) → signed degrees, north +."""
    return _parse_axis("lat", text)


def parse_longitude(text: str) -> float:
    """Read one longitude (DD, DDM, DMS, compact ``00506.789E``) → signed degrees, east +."""
    return _parse_axis("lon", text)


_LAT_LETTER_END = re.compile(r"^(.*?\d[^A-Z]*[NS])(?=[\s,/]*[^\s,/])(.*)$")
_LON_LETTER_START = re.compile(r"^([NS].*?)\s*([EW]\s*[\d+-].*)$")
_WHOLE_COORDINATE = re.compile(r"[.°A-Z]")  # a word with one of these is not bare degrees


def _split_position(text: str) -> tuple[str, str]:
    body = _normalise(text)
    for separator in (",", "/"):
        if separator in body:
            pieces = body.split(separator)
            if len(pieces) != 2:
                raise GeoError(f'position "{text.strip()}": more than one "{separator}"')
            return pieces[0], pieces[1]
    if match := _LAT_LETTER_END.match(body):
        return match.group(1), match.group(2)
    if match := _LON_LETTER_START.match(body):
        return match.group(1), match.group(2)
    words = body.split()
    if len(words) == 1:
        raise GeoError(f'position "{text.strip()}": needs a latitude and a longitude')
    if len(words) == 2 and all(_WHOLE_COORDINATE.search(w) for w in words):
        # "43.2058 5.1131"; but "43 12.345" is more likely one latitude than two numbers
        return words[0], words[1]
    raise GeoError(
        f'position "{text.strip()}": cannot tell where the latitude ends; '
        "add hemisphere letters or separate latitude and longitude with a comma"
    )


def parse_position(text: str) -> tuple[float, float]:
    """Read a latitude then a longitude (comma, slash, space or hemisphere letters between)
    → (lat, lon) in signed degrees."""
    if not text.strip():
        raise GeoError("position: empty")
    lat_text, lon_text = _split_position(text)
    return parse_latitude(lat_text), parse_longitude(lon_text)


# ---------------------------------------------------------------------------------------------
# Formatting coordinates
# ---------------------------------------------------------------------------------------------


def _check(axis: str, value: float) -> None:
    if not math.isfinite(value) or abs(value) > _LIMIT[axis]:
        raise GeoError(f"{_NAME[axis]} {value!r} is outside ±{_LIMIT[axis]}°")


def _split_units(value: float, per_degree: int, decimals: int) -> tuple[int, int, int]:
    """|value| rounded to 1/10**decimals of its smallest unit → (degrees, units, fraction),
    carrying into degrees so that minutes or seconds never read 60."""
    scale = 10**decimals
    total = round(abs(value) * per_degree * scale)
    degrees, rest = divmod(total, per_degree * scale)
    units, fraction = divmod(rest, scale)
    return degrees, units, fraction


def _hemisphere(axis: str, value: float, nonzero: bool) -> str:
    return _HEMISPHERES[axis][1] if value < 0 and nonzero else _HEMISPHERES[axis][0]


def _fraction_text(fraction: int, decimals: int) -> str:
    return f".{fraction:0{decimals}d}" if decimals > 0 else ""


def _ddm_parts(axis: str, value: float, decimals: int) -> tuple[str, str, str]:
    _check(axis, value)
    degrees, minutes, fraction = _split_units(value, 60, decimals)
    width = 2 if axis == "lat" else 3
    hemi = _hemisphere(axis, value, bool(degrees or minutes or fraction))
    return f"{degrees:0{width}d}", f"{minutes:02d}{_fraction_text(fraction, decimals)}", hemi


def format_lat_ddm(lat: float, decimals: int = 3) -> str:
    """Latitude as ``43°12.345'N`` (two-digit degrees; minutes to ``decimals`` places)."""
    degrees, minutes, hemi = _ddm_parts("lat", lat, decimals)
    return f"{degrees}°{minutes}'{hemi}"


def format_lon_ddm(lon: float, decimals: int = 3) -> str:
    """Longitude as ``005°06.789'E`` (three-digit degrees; minutes to ``decimals`` places)."""
    degrees, minutes, hemi = _ddm_parts("lon", lon, decimals)
    return f"{degrees}°{minutes}'{hemi}"


def format_ddm(lat: float, lon: float, decimals: int = 3) -> str:
    """Position as ``43°12.345'N 005°06.789'E``."""
    return f"{format_lat_ddm(lat, decimals)} {format_lon_ddm(lon, decimals)}"


def format_compact_ddm(lat: float, lon: float, decimals: int = 3) -> str:
    """Position in the compact message form ``4312.345N 00506.789E``."""
    return " ".join(
        "".join(_ddm_parts(axis, v, decimals)) for axis, v in (("lat", lat), ("lon", lon))
    )


def _dms_one(axis: str, value: float, decimals: int) -> str:
    _check(axis, value)
    degrees, rest, fraction = _split_units(value, 3600, decimals)
    minutes, seconds = divmod(rest, 60)
    width = 2 if axis == "lat" else 3
    hemi = _hemisphere(axis, value, bool(degrees or rest or fraction))
    seconds_text = f"{seconds:02d}{_fraction_text(fraction, decimals)}"
    return f"{degrees:0{width}d}°{minutes:02d}'{seconds_text}\"{hemi}"


def format_dms(lat: float, lon: float, decimals: int = 1) -> str:
    """Position as ``43°12'20.7"N 005°06'47.3"E`` (seconds to ``decimals`` places)."""
    return f"{_dms_one('lat', lat, decimals)} {_dms_one('lon', lon, decimals)}"


def format_dd(lat: float, lon: float, decimals: int = 5) -> str:
    """Position as signed decimal degrees ``43.20580, 5.11315`` (the form GIS tools paste)."""
    _check("lat", lat)
    _check("lon", lon)
    texts = [f"{v:.{decimals}f}" for v in (lat, lon)]
    texts = [t[1:] if t.startswith("-") and float(t) == 0 else t for t in texts]
    return ", ".join(texts)


# ---------------------------------------------------------------------------------------------
# Date-time groups
# ---------------------------------------------------------------------------------------------

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DTG = re.compile(r"^(\d{2})(\d{2})(\d{2})\s*(UTC|[A-Z])\s*(?:([A-Z]{3})\s*(\d{4}|\d{2})?)?$")


def _dtg_error(text: str, why: str) -> GeoError:
    return GeoError(f'DTG "{text.strip()}": {why}')


def _dtg_candidates(
    month: int | None, year: int | None, ceiling: datetime
) -> Iterator[tuple[int, int]]:
    """(year, month) pairs to try, newest first, for the parts a DTG leaves out."""
    if month is not None and year is not None:
        yield year, month
    elif month is not None:
        for back in range(5):
            yield ceiling.year - back, month
    else:
        y, m = ceiling.year, ceiling.month
        for _ in range(13):
            yield y, m
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)


def parse_dtg(text: str, *, reference: datetime | None = None) -> datetime:
    """Read a date-time group (``261430Z NOV 26``, ``261430ZNOV26``, ``261430Z NOV 2026``,
    ``261430Z``) or an ISO 8601 time → aware UTC ``datetime``.

    A DTG without month or year takes them from ``reference`` (default now, UTC): the latest
    such time not later than ``reference`` + 1 day. A two-digit year is the nearest past year
    ending in those digits, and only this year or last year (relative to ``reference`` + 1 day)
    is read from two digits: ``NOV 25`` in 2026 is 2025, ``NOV 99`` is refused as ambiguous
    (write ``NOV 1999``). Times before 1970 are refused. Naive ISO 8601 input is UTC.
    """
    body = text.strip().upper()
    if not body:
        raise GeoError("DTG: empty")
    match = _DTG.match(body)
    if match is None:
        return _parse_iso(text)
    day, hour, minute = (int(match.group(i)) for i in (1, 2, 3))
    zone, month_text, year_text = match.group(4), match.group(5), match.group(6)
    if zone not in ("Z", "UTC"):
        raise _dtg_error(text, f'time zone "{zone}": only Z (UTC) is accepted')
    if not 1 <= day <= 31:
        raise _dtg_error(text, f"day {day:02d} does not exist (01–31)")
    if hour > 23:
        raise _dtg_error(text, f"hour {hour:02d} does not exist (00–23)")
    if minute > 59:
        raise _dtg_error(text, f"minute {minute:02d} does not exist (00–59)")
    month = None
    if month_text is not None:
        if month_text not in _MONTHS:
            raise _dtg_error(text, f'unknown month "{month_text}" (JAN, FEB, … DEC)')
        month = _MONTHS.index(month_text) + 1
    if reference is None:
        reference = datetime.now(UTC)
    elif reference.tzinfo is None:
        raise GeoError("parse_dtg: reference must be a timezone-aware datetime")
    ceiling = reference.astimezone(UTC) + timedelta(days=1)
    year = None
    if year_text is not None and len(year_text) == 4:
        year = int(year_text)
        if year < 1:
            raise _dtg_error(text, f"year {year_text} does not exist")
    elif year_text is not None:
        year = _two_digit_year(text, month_text, year_text, ceiling)
    for y, m in _dtg_candidates(month, year, ceiling):
        try:
            moment = datetime(y, m, day, hour, minute, tzinfo=UTC)
        except ValueError:
            continue
        if year is not None or moment <= ceiling:
            return _not_before_1970(text, moment)
    name = _MONTHS[month - 1] if month else "the recent months"
    raise _dtg_error(text, f"day {day:02d} does not exist in {name}" + (f" {year}" if year else ""))


def _two_digit_year(text: str, month_text: str, year_text: str, ceiling: datetime) -> int:
    """The nearest past year ending in ``year_text`` (not after the year of ``ceiling``, the
    reference + 1 day). Only this year or last year is taken from two digits; any other reading
    is ambiguous (``NOV 99``: 1999, or a typo?) and refused, asking for four digits."""
    year = ceiling.year - (ceiling.year - int(year_text)) % 100
    if year < ceiling.year - 1:
        raise _dtg_error(
            text,
            f"{month_text} {year_text} would be {year}, not this year nor last: "
            f"write the year in four digits ({month_text} {year}) if that is what you mean",
        )
    return year


def _not_before_1970(text: str, moment: datetime) -> datetime:
    try:
        return check_not_before_1970(moment)
    except TimeRangeError:
        raise _dtg_error(text, f"{shown(moment)} is before 1970: check the year") from None


def _parse_iso(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise _dtg_error(text, "not a DTG (DDHHMMZ MON YY) nor an ISO 8601 time") from None
    if moment.tzinfo is None:
        return _not_before_1970(text, moment.replace(tzinfo=UTC))
    try:
        return _not_before_1970(text, moment.astimezone(UTC))
    except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise _dtg_error(text, "out of range once converted to UTC") from None


def format_dtg(dt: datetime) -> str:
    """An aware time as ``261430Z NOV 26`` (UTC; seconds are dropped, not rounded)."""
    if dt.tzinfo is None:
        raise GeoError("format_dtg: refusing a naive datetime (its time zone is unknown)")
    utc = dt.astimezone(UTC)
    return f"{utc:%d%H%M}Z {_MONTHS[utc.month - 1]} {utc:%y}"


# ---------------------------------------------------------------------------------------------
# Geodesics on WGS84
# ---------------------------------------------------------------------------------------------


def _check_point(lat: float, lon: float) -> None:
    _check("lat", lat)
    if not math.isfinite(lon):
        raise GeoError(f"longitude {lon!r} is not a number")


def inverse(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """Geodesic from point 1 to point 2 → (distance in metres, initial bearing in degrees true,
    0 ≤ bearing < 360)."""
    _check_point(lat1, lon1)
    _check_point(lat2, lon2)
    azimuth, _back, distance = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(distance), float(azimuth) % 360.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in metres between two points (degrees)."""
    return inverse(lat1, lon1, lat2, lon2)[0]


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial true bearing in degrees (0–360) from point 1 towards point 2."""
    return inverse(lat1, lon1, lat2, lon2)[1]


def destination(
    lat: float, lon: float, *, bearing_deg: float, distance_m: float
) -> tuple[float, float]:
    """The point ``distance_m`` metres from (lat, lon) along the geodesic starting on
    ``bearing_deg`` degrees true → (lat, lon), longitude in [-180, 180]."""
    _check_point(lat, lon)
    if not (math.isfinite(bearing_deg) and math.isfinite(distance_m)):
        raise GeoError(f"destination: bearing {bearing_deg!r} or distance {distance_m!r} unusable")
    lon2, lat2, _back = _GEOD.fwd(lon, lat, bearing_deg, distance_m)
    lon2 = (float(lon2) + 180.0) % 360.0 - 180.0
    return float(lat2), lon2
