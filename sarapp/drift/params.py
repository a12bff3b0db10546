"""The parameters of one drift run, declared as data and serialisable to plain JSON dicts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from sarapp.drift.errors import DriftError


@dataclass(frozen=True, kw_only=True)
class DriftParams:
    """What a coordinator sets for a run. Positions in degrees (WGS84), distances in metres.

    Seeding: particles start at (``lat``, ``lon``), or evenly along the geodesic to
    (``end_lat``, ``end_lon``) when given, each offset by N(0, ``radius_m``) east and north.
    They enter the water at ``start`` or evenly between ``start`` and ``release_end``.
    ``backtrack`` runs time backwards from ``start`` (where did found debris come from).
    """

    category: int
    lat: float
    lon: float
    start: datetime
    hours: float
    step_min: float = 10.0
    particles: int = 5000
    radius_m: float = 0.0
    end_lat: float | None = None
    end_lon: float | None = None
    release_end: datetime | None = None
    backtrack: bool = False
    jibe_per_hour: float = 0.04
    current_std_ms: float = 0.0
    stranding: bool = True
    snapshot_min: float = 60.0

    def __post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        def bad(field: str, why: str) -> DriftError:
            return DriftError(f"drift parameter {field}={getattr(self, field)!r}: {why}")

        for name, limit in (("lat", 90.0), ("end_lat", 90.0), ("lon", 540.0), ("end_lon", 540.0)):
            value = getattr(self, name)
            if value is not None and not -limit <= value <= limit:
                raise bad(name, f"must be within ±{limit:g} degrees")
        if (self.end_lat is None) != (self.end_lon is None):
            raise bad("end_lat", "a line needs both end_lat and end_lon")
        if self.start.tzinfo is None:
            raise bad("start", "give the time in UTC (with a zone)")
        if not 0 < self.hours <= 24 * 30:
            raise bad("hours", "must be more than 0 and at most 720")
        if not 0 < self.step_min <= 60 or (60 / self.step_min) % 1:
            raise bad("step_min", "must divide an hour (1, 2, 5, 10, 15, 30, 60 …)")
        if (self.hours * 60 / self.step_min) % 1 or (self.snapshot_min / self.step_min) % 1:
            raise bad("step_min", "must divide the run length and the snapshot interval")
        if not 1 <= self.particles <= 2_000_000:
            raise bad("particles", "must be between 1 and 2,000,000")
        if not 0 <= self.radius_m <= 500_000:
            raise bad("radius_m", "must be between 0 and 500 km")
        if not 0 <= self.jibe_per_hour <= 1:
            raise bad("jibe_per_hour", "is a probability between 0 and 1")
        if not 0 <= self.current_std_ms <= 5:
            raise bad("current_std_ms", "must be between 0 and 5 m/s")
        if self.release_end is not None and (self.backtrack or self.release_end < self.start):
            raise bad("release_end", "must follow start, and a backtrack has no release window")

    @property
    def steps(self) -> int:
        """Number of time steps."""
        return round(self.hours * 60 / self.step_min)

    @property
    def step_s(self) -> float:
        """Signed time step, seconds (negative when backtracking)."""
        return -self.step_min * 60 if self.backtrack else self.step_min * 60

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (times ISO 8601) for storing with the case."""
        out = asdict(self)
        for key in ("start", "release_end"):
            if out[key] is not None:
                out[key] = out[key].isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DriftParams:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("start", "release_end"):
            if isinstance(values.get(key), str):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)
