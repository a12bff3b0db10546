"""IAMSAR search patterns as legs (course true, NM) and waypoints on the WGS84 ellipsoid.

Every pattern is first a list of legs (nominal true course, NM) from the commence-search
point (CSP), the start of the first search leg. :func:`lay_out` then flies them one after
another as geodesics on the ellipsoid (``pyproj.Geod.fwd``), each turn taken from the heading
on arrival; the legs returned carry the true course each leg actually leaves on, which differs
from the nominal one by meridian convergence (a fraction of a degree on long legs at high
latitude). Turns go to the right unless ``turn="left"``.

Patterns (IAMSAR Vol II/III; codes in brackets):

- expanding square (SS): legs S, S, 2S, 2S, 3S… each turned 90°;
- sector (VS): nine legs of the radius R, turns of 120°, the datum crossed three times; the
  second pattern is the same turned 30° to the turning side;
- parallel track (PS): tracks of length L − S along the course, W/S (rounded) tracks
  S apart (CSP S/2 inside the corner of the W × L area);
- creeping line (CS): the same with tracks across the course (length W − S), progressing
  along the course over L;
- coordinated creeping line (CSC): the aircraft flies the creeping line while a surface unit
  steams along the area's centre line at Vs = S · Va / (W − S + S) = S · Va / W, so that it
  stays abeam the aircraft's cross legs (IAMSAR: the surface facility advances one track
  spacing while the aircraft flies one cross leg and its crossover);
- track line return (TSR): along the track S/2 to one side, back S/2 on the other side;
- track line non-return (TSN): one pass along the intended track (CSP on the track).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyproj import Geod

from sarapp.planning.errors import PlanningError

NM_IN_M = 1852.0
PATTERN_KINDS = (
    "expanding-square",
    "sector",
    "parallel-track",
    "creeping-line",
    "coordinated-creeping-line",
    "track-line",
)
_GEOD = Geod(ellps="WGS84")
_CODES = {
    "expanding-square": "SS",
    "sector": "VS",
    "parallel-track": "PS",
    "creeping-line": "CS",
    "coordinated-creeping-line": "CSC",
}


@dataclass(frozen=True)
class Leg:
    """One leg: true course (degrees, 0–360) and length (NM); ``searching`` False for crossings."""

    course_deg: float
    length_nm: float
    searching: bool = True


@dataclass(frozen=True)
class Waypoint:
    """A turn point in WGS84 degrees, named for the route (``CSP``, ``WP1``…)."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class SearchPattern:
    """A laid-out pattern: its parameters, legs and waypoints (NM, degrees true)."""

    kind: str
    code: str
    csp_lat: float
    csp_lon: float
    course_deg: float
    spacing_nm: float | None
    legs: tuple[Leg, ...]
    waypoints: tuple[Waypoint, ...]
    surface_speed_kt: float | None = None  # CSC: the surface unit's speed along the course
    surface_track: tuple[Waypoint, ...] = ()  # CSC: where the surface unit starts and ends

    @property
    def track_length_nm(self) -> float:
        """Total length of all legs (NM)."""
        return sum(leg.length_nm for leg in self.legs)


def _turned(course: float, degrees: float, turn: str) -> float:
    sign = 1.0 if turn == "right" else -1.0
    return (course + sign * degrees) % 360.0


def _check_common(*, csp_lat: float, csp_lon: float, course_deg: float, turn: str) -> None:
    if not -90.0 < csp_lat < 90.0:
        raise PlanningError(f"CSP latitude {csp_lat!r} must be between -90 and 90 (exclusive)")
    if not -180.0 <= csp_lon <= 180.0:
        raise PlanningError(f"CSP longitude {csp_lon!r} must be between -180 and 180")
    if not 0.0 <= course_deg <= 360.0:
        raise PlanningError(f"course {course_deg!r} must be between 0 and 360 degrees true")
    if turn not in ("right", "left"):
        raise PlanningError(f"turn {turn!r} is not 'right' or 'left'")


def _positive(name: str, value: float | None) -> float:
    if value is None or not value > 0:
        raise PlanningError(f"{name} must be given and > 0 (got {value!r})")
    return float(value)


def lay_out(
    *, csp_lat: float, csp_lon: float, legs: list[Leg]
) -> tuple[tuple[Leg, ...], tuple[Waypoint, ...]]:
    """Fly ``legs`` from the CSP on WGS84; return the legs as flown and their waypoints.

    The first leg leaves on its course; every later leg keeps the turn the pattern asks for
    (its course minus the previous one) but measured from the heading on arrival, as a unit
    turning "90° right" does. Geodesic azimuths change along a leg with meridian convergence,
    so the flown course differs from the nominal one by a fraction of a degree on long legs at
    high latitude, and the pattern stays closed and parallel.
    """
    points = [Waypoint("CSP", csp_lat, csp_lon)]
    flown: list[Leg] = []
    lat, lon = csp_lat, csp_lon
    arrival = previous_nominal = 0.0
    for i, leg in enumerate(legs, start=1):
        course = leg.course_deg if i == 1 else (arrival + leg.course_deg - previous_nominal) % 360.0
        lon, lat, back = _GEOD.fwd(lon, lat, course, leg.length_nm * NM_IN_M)
        arrival, previous_nominal = (back + 180.0) % 360.0, leg.course_deg
        flown.append(Leg(course, leg.length_nm, leg.searching))
        points.append(Waypoint(f"WP{i}", lat, lon))
    return tuple(flown), tuple(points)


def expanding_square_legs(
    *, course_deg: float, spacing_nm: float, legs: int, turn: str
) -> list[Leg]:
    """Legs S, S, 2S, 2S… each turned 90° from the one before (NM, degrees true)."""
    if legs < 1:
        raise PlanningError(f"legs {legs!r} must be at least 1")
    return [
        Leg(_turned(course_deg, 90.0 * i, turn), spacing_nm * (i // 2 + 1)) for i in range(legs)
    ]


def sector_legs(*, course_deg: float, radius_nm: float, turn: str, second: bool) -> list[Leg]:
    """Nine legs of the radius, turning 120°; the datum is at the CSP (NM, degrees true)."""
    first = _turned(course_deg, 30.0, turn) if second else course_deg
    # out, across, back to datum; three times, each triangle 120° further round
    turns = (0, 120, 240, 240, 0, 120, 120, 240, 0)
    return [Leg(_turned(first, t, turn), radius_nm) for t in turns]


def _ladder(
    *, track_course: float, step_course: float, track_nm: float, step_nm: float, tracks: int
) -> list[Leg]:
    legs: list[Leg] = []
    for i in range(tracks):
        course = track_course if i % 2 == 0 else (track_course + 180.0) % 360.0
        legs.append(Leg(course, track_nm))
        if i < tracks - 1:
            legs.append(Leg(step_course, step_nm, searching=False))
    return legs


def parallel_track_legs(
    *, course_deg: float, spacing_nm: float, width_nm: float, length_nm: float, turn: str
) -> list[Leg]:
    """Tracks along the course over a W × L area (L along the course), S apart (NM)."""
    if spacing_nm >= length_nm:
        raise PlanningError(
            f"spacing {spacing_nm:g} NM must be less than the length {length_nm:g} NM"
        )
    return _ladder(
        track_course=course_deg,
        step_course=_turned(course_deg, 90.0, turn),
        track_nm=length_nm - spacing_nm,
        step_nm=spacing_nm,
        tracks=max(1, round(width_nm / spacing_nm)),
    )


def creeping_line_legs(
    *, course_deg: float, spacing_nm: float, width_nm: float, length_nm: float, turn: str
) -> list[Leg]:
    """Tracks across the course (width W), progressing S at a time along it over L (NM)."""
    if spacing_nm >= width_nm:
        raise PlanningError(
            f"spacing {spacing_nm:g} NM must be less than the width {width_nm:g} NM"
        )
    return _ladder(
        track_course=_turned(course_deg, 90.0, turn),
        step_course=course_deg,
        track_nm=width_nm - spacing_nm,
        step_nm=spacing_nm,
        tracks=max(1, round(length_nm / spacing_nm)),
    )


def track_line_legs(
    *, course_deg: float, spacing_nm: float | None, length_nm: float, returning: bool, turn: str
) -> list[Leg]:
    """TSR: out along the track, cross S, back; TSN: one pass along the track (NM)."""
    if not returning:
        return [Leg(course_deg, length_nm)]
    spacing = _positive("spacing_nm (track line return)", spacing_nm)
    return [
        Leg(course_deg, length_nm),
        Leg(_turned(course_deg, 90.0, turn), spacing, searching=False),
        Leg((course_deg + 180.0) % 360.0, length_nm),
    ]


def pattern_code(kind: str, *, returning: bool = True) -> str:
    """The IAMSAR code of a pattern kind (``SS``, ``VS``, ``PS``, ``CS``, ``CSC``, ``TSR``…)."""
    if kind == "track-line":
        return "TSR" if returning else "TSN"
    return _CODES.get(kind, kind.upper())


def search_pattern(
    kind: str,
    *,
    csp_lat: float,
    csp_lon: float,
    course_deg: float,
    spacing_nm: float | None = None,
    legs: int | None = None,
    width_nm: float | None = None,
    length_nm: float | None = None,
    radius_nm: float | None = None,
    turn: str = "right",
    second: bool = False,
    returning: bool = True,
    aircraft_speed_kt: float | None = None,
) -> SearchPattern:
    """Lay out pattern ``kind`` (one of PATTERN_KINDS); PlanningError names a missing figure."""
    _check_common(csp_lat=csp_lat, csp_lon=csp_lon, course_deg=course_deg, turn=turn)
    if kind == "expanding-square":
        if legs is None:
            raise PlanningError("expanding-square needs the number of legs (--legs)")
        spacing = _positive("spacing_nm", spacing_nm)
        pattern_legs = expanding_square_legs(
            course_deg=course_deg, spacing_nm=spacing, legs=legs, turn=turn
        )
    elif kind == "sector":
        radius = _positive("radius_nm (--radius-nm)", radius_nm)
        pattern_legs = sector_legs(
            course_deg=course_deg, radius_nm=radius, turn=turn, second=second
        )
    elif kind in ("parallel-track", "creeping-line", "coordinated-creeping-line"):
        build = parallel_track_legs if kind == "parallel-track" else creeping_line_legs
        pattern_legs = build(
            course_deg=course_deg,
            spacing_nm=_positive("spacing_nm", spacing_nm),
            width_nm=_positive("width_nm (--width-nm)", width_nm),
            length_nm=_positive("length_nm (--length-nm)", length_nm),
            turn=turn,
        )
    elif kind == "track-line":
        pattern_legs = track_line_legs(
            course_deg=course_deg,
            spacing_nm=spacing_nm,
            length_nm=_positive("length_nm (--length-nm)", length_nm),
            returning=returning,
            turn=turn,
        )
    else:
        raise PlanningError(f"pattern {kind!r} is not one of {', '.join(PATTERN_KINDS)}")
    code = ("TSR" if returning else "TSN") if kind == "track-line" else _CODES[kind]
    flown, waypoints = lay_out(csp_lat=csp_lat, csp_lon=csp_lon, legs=pattern_legs)
    surface_speed, surface_track = None, ()
    if kind == "coordinated-creeping-line":
        surface_speed, surface_track = _surface_unit(
            flown,
            csp_lat=csp_lat,
            csp_lon=csp_lon,
            course_deg=course_deg,
            spacing_nm=float(spacing_nm),  # checked positive above
            aircraft_speed_kt=_positive(
                "aircraft_speed_kt (--aircraft-speed-kt)", aircraft_speed_kt
            ),
        )
    return SearchPattern(
        kind=kind,
        code=code,
        csp_lat=csp_lat,
        csp_lon=csp_lon,
        course_deg=course_deg,
        spacing_nm=spacing_nm,
        legs=flown,
        waypoints=waypoints,
        surface_speed_kt=surface_speed,
        surface_track=surface_track,
    )


def _surface_unit(
    flown: tuple[Leg, ...],
    *,
    csp_lat: float,
    csp_lon: float,
    course_deg: float,
    spacing_nm: float,
    aircraft_speed_kt: float,
) -> tuple[float, tuple[Waypoint, Waypoint]]:
    """The CSC surface unit: on the centre line abeam the CSP, along the course, advancing
    one track spacing per cross leg plus crossover: Vs = S · Va / (cross leg + S), kt."""
    cross = flown[0]
    speed = spacing_nm * aircraft_speed_kt / (cross.length_nm + spacing_nm)
    lon, lat, _ = _GEOD.fwd(csp_lon, csp_lat, cross.course_deg, cross.length_nm / 2 * NM_IN_M)
    start = Waypoint("SU-START", lat, lon)
    flying_time_h = sum(leg.length_nm for leg in flown) / aircraft_speed_kt
    lon, lat, _ = _GEOD.fwd(lon, lat, course_deg, speed * flying_time_h * NM_IN_M)
    return speed, (start, Waypoint("SU-END", lat, lon))
