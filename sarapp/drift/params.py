"""The parameters of one drift run, declared as data and serialisable to plain JSON dicts.

``PARAM_SPECS`` declares each number once (default, range, unit, help); the dataclass, its
checks, the CLI's defaults and the Drift tab's form all read it. Defaults come from
``resources/drift_defaults.csv``, where each one names its source.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from functools import cache
from typing import Any

from sarapp.drift.errors import DriftError
from sarapp.resources import resource_path


@dataclass(frozen=True)
class ParamSpec:
    """One number a coordinator may set: default, inclusive range, unit, help and source."""

    name: str
    default: float
    low: float
    high: float
    unit: str
    help: str
    source: str = ""


@cache
def _shipped_defaults() -> dict[str, tuple[float, str]]:
    with resource_path("drift_defaults.csv").open(encoding="utf-8", newline="") as fh:
        return {row["name"]: (float(row["value"]), row["source"]) for row in csv.DictReader(fh)}


def _spec(name: str, low: float, high: float, unit: str, help_text: str) -> ParamSpec:
    value, source = _shipped_defaults()[name]
    return ParamSpec(name, value, low, high, unit, help_text, source)


PARAM_SPECS: dict[str, ParamSpec] = {
    s.name: s
    for s in (
        _spec("hours", 0.0, 720.0, "h", "run length"),
        _spec("step_min", 1.0, 60.0, "min", "time step (divides an hour)"),
        _spec("particles", 1, 2_000_000, "", "particles"),
        _spec("radius_m", 0.0, 500_000.0, "m", "1-sigma start position error"),
        _spec("jibe_per_hour", 0.0, 1.0, "1/h", "jibing probability per hour"),
        _spec("current_std_ms", 0.0, 5.0, "m/s", "random current per step (1 sigma)"),
    )
}


def default(name: str) -> float:
    """The declared default of a parameter (``PARAM_SPECS``)."""
    return PARAM_SPECS[name].default


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
    step_min: float = default("step_min")
    particles: int = int(default("particles"))
    radius_m: float = default("radius_m")
    end_lat: float | None = None
    end_lon: float | None = None
    release_end: datetime | None = None
    backtrack: bool = False
    jibe_per_hour: float = default("jibe_per_hour")
    current_std_ms: float = default("current_std_ms")
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
        for spec in PARAM_SPECS.values():
            value = getattr(self, spec.name)
            low_ok = value > spec.low if spec.name == "hours" else value >= spec.low
            if not (low_ok and value <= spec.high):
                more = "more than" if spec.name == "hours" else "at least"
                raise bad(
                    spec.name,
                    f"must be {more} {spec.low:,g} and at most {spec.high:,g} {spec.unit}".rstrip(),
                )
        if (60 / self.step_min) % 1:
            raise bad("step_min", "must divide an hour (1, 2, 5, 10, 15, 30, 60 …)")
        if (self.hours * 60 / self.step_min) % 1 or (self.snapshot_min / self.step_min) % 1:
            raise bad("step_min", "must divide the run length and the snapshot interval")
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
        """Rebuild stored parameters; a run stored before a default changed keeps its value
        (every field is stored), one stored without a field gets what it had then: 0."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values.setdefault("radius_m", 0.0)
        values.setdefault("current_std_ms", 0.0)
        for key in ("start", "release_end"):
            if isinstance(values.get(key), str):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)
