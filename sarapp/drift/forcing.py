"""Wind and current forcing for the drift engine: a small Protocol and its simple providers.

Inside sarapp every velocity is ``(u, v)`` in m/s, u positive east, v positive north, pointing
where the air or water GOES. Coordinators report wind as the direction it comes FROM and current
as the direction it flows TOWARDS, both in knots; the converters below are the only place those
conventions are turned into vectors. Times are seconds since 1970-01-01 UTC.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np
from numpy.typing import NDArray

from sarapp.drift.errors import ForcingError

KNOT_MS = 1852.0 / 3600.0  # m/s per knot (exact by definition of the nautical mile)

Floats = NDArray[np.float64]


class ForcingSample(NamedTuple):
    """Wind at 10 m and surface current, m/s east/north (towards); scalars when uniform."""

    wind_u: float | Floats
    wind_v: float | Floats
    current_u: float | Floats
    current_v: float | Floats


class Forcing(Protocol):
    """What drives the particles: wind and current at one time and many positions."""

    def sample(self, time_s: float, lat: Floats, lon: Floats) -> ForcingSample:
        """Wind and current at ``time_s`` (s since epoch, UTC) and positions (degrees)."""
        ...


class VectorField(Protocol):
    """One velocity field (wind or current), m/s east/north, pointing where it goes."""

    def velocity(
        self, time_s: float, lat: Floats, lon: Floats
    ) -> tuple[float | Floats, float | Floats]: ...


def to_epoch(when: datetime) -> float:
    """Seconds since 1970-01-01 UTC; a naive datetime is refused rather than guessed."""
    if when.tzinfo is None:
        raise ForcingError(f"time {when.isoformat()} has no time zone; give it in UTC")
    return when.timestamp()


def iso_utc(time_s: float) -> str:
    """``2026-01-01T12:00:00Z`` for seconds since epoch."""
    return datetime.fromtimestamp(time_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def place_text(lat: Floats, lon: Floats) -> str:
    """Where the particles are, for error messages: their mean position in degrees."""
    la, lo = float(np.mean(lat)), float(np.mean(lon))
    return f"{abs(la):.3f}{'N' if la >= 0 else 'S'} {abs(lo):.3f}{'E' if lo >= 0 else 'W'}"


def wind_from(direction_deg: float, speed_kn: float) -> tuple[float, float]:
    """(u, v) m/s of a wind reported as coming FROM ``direction_deg`` at ``speed_kn`` knots."""
    s, a = speed_kn * KNOT_MS, math.radians(direction_deg)
    return _no_negative_zero(-s * math.sin(a)), _no_negative_zero(-s * math.cos(a))


def current_towards(direction_deg: float, speed_kn: float) -> tuple[float, float]:
    """(u, v) m/s of a current flowing TOWARDS ``direction_deg`` at ``speed_kn`` knots."""
    s, a = speed_kn * KNOT_MS, math.radians(direction_deg)
    return _no_negative_zero(s * math.sin(a)), _no_negative_zero(s * math.cos(a))


def _no_negative_zero(value: float) -> float:
    """``value`` with -0.0 as 0.0 (the same in every sum and product the engine makes): a
    desk on PostgreSQL keeps JSON numbers as ``numeric``, which has no -0.0, so a run's
    forcing reads back as it was run on both backends."""
    return value + 0.0


@dataclass(frozen=True)
class UniformField:
    """The same vector everywhere and always (m/s east, north)."""

    u: float
    v: float

    def velocity(self, time_s: float, lat: Floats, lon: Floats) -> tuple[float, float]:
        return self.u, self.v

    def to_dict(self) -> dict[str, Any]:
        return {"type": "uniform", "u": self.u, "v": self.v}


@dataclass(frozen=True)
class SeriesField:
    """Observations on scene: piecewise-linear in time (on u and v), uniform in space.

    ``times_s`` ascending seconds since epoch; ``u``/``v`` m/s. Asked outside its time span it
    raises ``ForcingError`` naming the time and the particles' position, never extrapolates;
    with ``hold`` the last report is kept after the last row (before the first: refused).
    """

    what: str
    times_s: tuple[float, ...]
    u: tuple[float, ...]
    v: tuple[float, ...]
    hold: bool = False

    def __post_init__(self) -> None:
        if not self.times_s or not len(self.times_s) == len(self.u) == len(self.v):
            raise ForcingError(f"{self.what} series: needs equal, non-empty times, u and v")
        if any(b <= a for a, b in zip(self.times_s, self.times_s[1:], strict=False)):
            raise ForcingError(f"{self.what} series: times must increase strictly")

    def check_span(self, first_s: float, last_s: float) -> None:
        """Refuse, before a run starts, a run this series does not cover (seconds)."""
        t = self.times_s
        if first_s < t[0]:
            raise ForcingError(
                f"the {self.what} series starts at {iso_utc(t[0])}, after the run's first time "
                f"{iso_utc(first_s)}: add an earlier report"
            )
        if last_s > t[-1] and not self.hold:
            raise ForcingError(
                f"the {self.what} series ends at {iso_utc(t[-1])}, before the run's last time "
                f"{iso_utc(last_s)}: add reports, shorten the run, or hold the last report"
            )

    def velocity(self, time_s: float, lat: Floats, lon: Floats) -> tuple[float, float]:
        t = self.times_s
        if self.hold and time_s > t[-1]:
            return self.u[-1], self.v[-1]
        if not t[0] <= time_s <= t[-1]:
            raise ForcingError(
                f"no {self.what} for {iso_utc(time_s)} at {place_text(lat, lon)}: the on-scene "
                f"series covers {iso_utc(t[0])} to {iso_utc(t[-1])}"
            )
        return float(np.interp(time_s, t, self.u)), float(np.interp(time_s, t, self.v))

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "series",
            "what": self.what,
            "times_s": list(self.times_s),
            "u": list(self.u),
            "v": list(self.v),
            **({"hold": True} if self.hold else {}),
        }


@dataclass(frozen=True)
class WindAndCurrent:
    """A ``Forcing`` made of a wind field (10 m) and a surface-current field."""

    wind: VectorField
    current: VectorField

    def sample(self, time_s: float, lat: Floats, lon: Floats) -> ForcingSample:
        wu, wv = self.wind.velocity(time_s, lat, lon)
        cu, cv = self.current.velocity(time_s, lat, lon)
        return ForcingSample(wu, wv, cu, cv)

    def to_dict(self) -> dict[str, Any]:
        return {"wind": _field_dict(self.wind), "current": _field_dict(self.current)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WindAndCurrent:
        return cls(wind=field_from_dict(data["wind"]), current=field_from_dict(data["current"]))


def constant_forcing(
    *, wind_u: float, wind_v: float, current_u: float = 0.0, current_v: float = 0.0
) -> WindAndCurrent:
    """Constant wind and current, m/s east/north (where they go)."""
    return WindAndCurrent(UniformField(wind_u, wind_v), UniformField(current_u, current_v))


def _field_dict(field: VectorField) -> dict[str, Any]:
    to_dict = getattr(field, "to_dict", None)
    if to_dict is None:
        raise ForcingError(f"{type(field).__name__} cannot be stored with the run")
    return to_dict()


def field_from_dict(data: dict[str, Any]) -> VectorField:
    """Rebuild a field stored with ``to_dict`` (uniform, series or grid)."""
    kind = data.get("type")
    if kind == "uniform":
        return UniformField(float(data["u"]), float(data["v"]))
    if kind == "series":
        return SeriesField(
            data["what"],
            tuple(data["times_s"]),
            tuple(data["u"]),
            tuple(data["v"]),
            hold=bool(data.get("hold", False)),
        )
    if kind == "grid":
        from sarapp.drift.grid import GridField

        return GridField.from_dict(data)
    raise ForcingError(f"unknown forcing field type {kind!r}")


def parse_time(text: str, where: str) -> float:
    """Seconds since epoch of an ISO 8601 time (UTC when it has no zone); ``where`` names the
    field or line for the error message."""
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.timestamp()
    except (AttributeError, OverflowError, ValueError) as exc:
        raise ForcingError(f"{where}: {text!r} is not an ISO 8601 time") from exc


def _number(row: dict[str, str], column: str, where: str) -> float:
    try:
        value = float(row[column])
    except (TypeError, ValueError) as exc:
        raise ForcingError(f"{where}: {column} {row.get(column)!r} is not a number") from exc
    if not math.isfinite(value) or (column.endswith("_kn") and value < 0):
        raise ForcingError(f"{where}: {column} {value} is out of range")
    return value


def read_series_csv(
    path: str | Path, *, hold: bool = False
) -> tuple[SeriesField, SeriesField | None]:
    """Read on-scene reports: CSV with ``time`` (ISO, UTC if no zone), ``wind_from_deg``,
    ``wind_speed_kn`` and optionally ``current_to_deg``, ``current_speed_kn``.

    Returns the wind series and the current series (None when the columns are absent); with
    ``hold`` both keep their last report after their last row.
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ForcingError(f"{path}: cannot read ({exc.strerror})") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ForcingError(f"{path}: not a readable CSV file ({exc})") from exc
    if not rows:
        raise ForcingError(f"{path}: no reports")
    missing = {"time", "wind_from_deg", "wind_speed_kn"} - set(rows[0])
    if missing:
        raise ForcingError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    has_current = {"current_to_deg", "current_speed_kn"} <= set(rows[0])
    times, wind, current = [], [], []
    for line, row in enumerate(rows, start=2):
        where = f"{path.name} line {line}"
        times.append(parse_time(row["time"], where))
        wind.append(
            wind_from(_number(row, "wind_from_deg", where), _number(row, "wind_speed_kn", where))
        )
        if has_current:
            current.append(
                current_towards(
                    _number(row, "current_to_deg", where), _number(row, "current_speed_kn", where)
                )
            )
    order = sorted(range(len(times)), key=times.__getitem__)
    return (
        _series("wind", times, wind, order, path, hold),
        _series("current", times, current, order, path, hold) if has_current else None,
    )


def _series(
    what: str,
    times: list[float],
    uv: list[tuple[float, float]],
    order: list[int],
    path: Path,
    hold: bool,
) -> SeriesField:
    t = tuple(times[i] for i in order)
    for a, b in itertools.pairwise(t):
        if a == b:
            raise ForcingError(f"{path.name}: two reports at {iso_utc(a)}")
    u, v = tuple(uv[i][0] for i in order), tuple(uv[i][1] for i in order)
    return SeriesField(what, t, u, v, hold=hold)


def series_from_reports(
    what: str, reports: Sequence[tuple[datetime, float, float]], *, towards: bool
) -> SeriesField:
    """A series from (time, direction °, speed kn) reports; ``towards`` False for wind (FROM)."""
    convert = current_towards if towards else wind_from
    ordered = sorted(reports, key=lambda r: r[0])
    uv = [convert(d, s) for _, d, s in ordered]
    return SeriesField(
        what,
        tuple(to_epoch(r[0]) for r in ordered),
        tuple(u for u, _ in uv),
        tuple(v for _, v in uv),
    )
