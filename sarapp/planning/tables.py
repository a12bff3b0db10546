"""The IAMSAR tables as data: sweep widths, weather and speed corrections, fs, constants.

The figures live in ``resources/iamsar_*.csv`` with their sources in
``resources/iamsar_tables.md``. Lookups interpolate linearly where IAMSAR does (visibility,
altitude; JP 3-50 App. D ¶A "interpolate as necessary"), and in speed and relative effort,
and every returned :class:`TableValue` says in ``note`` how it was read, so a coordinator can
find the same figure in the printed table.
"""

from __future__ import annotations

import bisect
import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Literal

from sarapp.planning.errors import PlanningError
from sarapp.resources import resource_path

UnitType = Literal["merchant", "boat_eye_8ft", "boat_eye_14ft", "helicopter", "fixed_wing"]
DatumType = Literal["point", "line", "divergent"]
Conditions = Literal["normal", "ideal"]

UNIT_TYPES: tuple[str, ...] = (
    "merchant",
    "boat_eye_8ft",
    "boat_eye_14ft",
    "helicopter",
    "fixed_wing",
)
AIRCRAFT_TYPES: tuple[str, ...] = ("helicopter", "fixed_wing")
CONDITIONS: tuple[str, ...] = ("normal", "ideal")

_Curve = list[tuple[float, float]]


@dataclass(frozen=True)
class TableValue:
    """One figure read from a table, with how it was read (``note``, for the worksheet)."""

    value: float
    note: str


def _read_csv(name: str) -> list[dict[str, str]]:
    with resource_path(name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def constant(name: str) -> float:
    """A single worksheet figure from ``iamsar_constants.csv`` (a ratio; source in the file)."""
    values = {row["name"]: float(row["value"]) for row in _read_csv("iamsar_constants.csv")}
    return values[name]


@cache
def _surface_curves() -> dict[tuple[str, str], _Curve]:
    curves: dict[tuple[str, str], _Curve] = defaultdict(list)
    for row in _read_csv("iamsar_sweep_width_vessels.csv"):
        key = (row["table"], row["object_id"])
        curves[key].append((float(row["vis_nm"]), float(row["sweep_width_nm"])))
    return {k: sorted(v) for k, v in curves.items()}


@cache
def _aircraft_curves() -> dict[tuple[str, str], dict[float, _Curve]]:
    curves: dict[tuple[str, str], dict[float, _Curve]] = defaultdict(lambda: defaultdict(list))
    for row in _read_csv("iamsar_sweep_width_aircraft.csv"):
        by_alt = curves[(row["platform"], row["object_id"])]
        by_alt[float(row["altitude_ft"])].append(
            (float(row["vis_nm"]), float(row["sweep_width_nm"]))
        )
    return {k: {alt: sorted(c) for alt, c in v.items()} for k, v in curves.items()}


@cache
def _weather_classes() -> dict[str, str]:
    classes: dict[str, str] = {}
    for name in ("iamsar_sweep_width_vessels.csv", "iamsar_sweep_width_aircraft.csv"):
        for row in _read_csv(name):
            classes.setdefault(row["object_id"], row["weather_class"])
    return classes


def search_objects(unit_type: str) -> tuple[str, ...]:
    """The object ids the sweep-width table of ``unit_type`` holds, in table order."""
    _check_unit_type(unit_type)
    keys = _aircraft_curves() if unit_type in AIRCRAFT_TYPES else _surface_curves()
    return tuple(dict.fromkeys(obj for table, obj in keys if table == unit_type))


def _check_unit_type(unit_type: str) -> None:
    if unit_type not in UNIT_TYPES:
        raise PlanningError(f"unit type {unit_type!r} is not one of {', '.join(UNIT_TYPES)}")


def _interpolate(curve: _Curve, x: float, *, what: str, clamp_high: bool) -> TableValue:
    """Linear interpolation on a sorted (x, y) curve; above the last x clamp or refuse."""
    xs = [p[0] for p in curve]
    if x < xs[0]:
        raise PlanningError(f"{what} {x:g} is below the table's lowest value {xs[0]:g}")
    if x > xs[-1]:
        if not clamp_high:
            raise PlanningError(f"{what} {x:g} is above the table's highest value {xs[-1]:g}")
        return TableValue(curve[-1][1], f"{what} {x:g} above table: used {xs[-1]:g}")
    i = bisect.bisect_left(xs, x)
    if xs[i] == x:
        return TableValue(curve[i][1], f"{what} {x:g} tabulated")
    (x0, y0), (x1, y1) = curve[i - 1], curve[i]
    y = y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return TableValue(y, f"{what} {x:g} interpolated between {x0:g} ({y0:g}) and {x1:g} ({y1:g})")


def uncorrected_sweep_width(
    *, unit_type: str, object_id: str, visibility_nm: float, altitude_ft: float | None = None
) -> TableValue:
    """Wu (NM) for a unit type, search object and meteorological visibility (NM).

    Aircraft need ``altitude_ft``; the value is interpolated in visibility at the two tabulated
    altitudes around it, then in altitude.
    """
    _check_unit_type(unit_type)
    if unit_type not in AIRCRAFT_TYPES:
        curve = _surface_curves().get((unit_type, object_id))
        if curve is None:
            raise _unknown_object(unit_type, object_id)
        read = _interpolate(curve, visibility_nm, what="visibility NM", clamp_high=True)
        return TableValue(read.value, f"Wu {unit_type} {object_id}: {read.note}")
    by_alt = _aircraft_curves().get((unit_type, object_id))
    if by_alt is None:
        raise _unknown_object(unit_type, object_id)
    if altitude_ft is None:
        raise PlanningError(
            f"{unit_type} needs altitude_ft (tabulated {min(by_alt):g}–{max(by_alt):g})"
        )
    at_alt = [
        (alt, _interpolate(curve, visibility_nm, what="visibility NM", clamp_high=True).value)
        for alt, curve in sorted(by_alt.items())
    ]
    vis_note = _interpolate(
        by_alt[min(by_alt)], visibility_nm, what="visibility NM", clamp_high=True
    )
    read = _interpolate(at_alt, altitude_ft, what="altitude ft", clamp_high=False)
    return TableValue(read.value, f"Wu {unit_type} {object_id}: {vis_note.note}; {read.note}")


def _unknown_object(unit_type: str, object_id: str) -> PlanningError:
    known = ", ".join(search_objects(unit_type))
    return PlanningError(
        f"search_object {object_id!r} is not in the {unit_type} sweep-width table (known: {known})"
    )


@cache
def _weather_levels() -> list[dict[str, str]]:
    return [row for row in _read_csv("iamsar_weather_correction.csv") if row["scheme"] == "IAMSAR"]


def _level_of(value: float, *, above_key: str, rows: list[dict[str, str]]) -> int:
    level = 1
    for row in rows:
        lower = row[above_key]
        if lower and value > float(lower) and int(row["level"]) > 1:
            level = max(level, int(row["level"]))
    return level


def weather_correction(*, object_id: str, wind_kt: float, sea_ft: float) -> TableValue:
    """fw (ratio) for the worse of the wind level and the sea level (IAMSAR scheme)."""
    if wind_kt < 0 or sea_ft < 0:
        raise PlanningError(f"wind_kt {wind_kt:g} and sea_ft {sea_ft:g} must not be negative")
    weather_class = _weather_classes().get(object_id)
    if weather_class is None:
        raise PlanningError(f"search_object {object_id!r} has no weather class in the tables")
    rows = _weather_levels()
    level = max(
        _level_of(wind_kt, above_key="wind_kt_above", rows=rows),
        _level_of(sea_ft, above_key="sea_ft_above", rows=rows),
    )
    row = next(r for r in rows if int(r["level"]) == level)
    column = "fw_piw_raft_boat_lt_10m" if weather_class == "small" else "fw_other_objects"
    kind = "PIW/raft/boat < 10 m" if weather_class == "small" else "other objects"
    note = f"fw level {level} (wind {wind_kt:g} kt, sea {sea_ft:g} ft), {kind}"
    return TableValue(float(row[column]), note)


@cache
def _speed_curves() -> dict[tuple[str, str], _Curve]:
    curves: dict[tuple[str, str], _Curve] = defaultdict(list)
    for row in _read_csv("iamsar_speed_correction.csv"):
        curves[(row["platform"], row["object_id"])].append(
            (float(row["speed_kt"]), float(row["fv"]))
        )
    return {k: sorted(v) for k, v in curves.items()}


def speed_correction(*, unit_type: str, object_id: str, speed_kt: float) -> TableValue:
    """fv (ratio): 1 for surface units; for aircraft interpolated in search speed (kt)."""
    _check_unit_type(unit_type)
    if unit_type not in AIRCRAFT_TYPES:
        return TableValue(1.0, "fv = 1 (surface unit)")
    curve = _speed_curves().get((unit_type, object_id))
    if curve is None:
        raise PlanningError(f"search_object {object_id!r} has no {unit_type} speed correction")
    if speed_kt < curve[0][0]:
        return TableValue(
            curve[0][1], f"fv speed {speed_kt:g} kt below table: used {curve[0][0]:g}"
        )
    read = _interpolate(curve, speed_kt, what="speed kt", clamp_high=True)
    return TableValue(read.value, f"fv {read.note}")


@cache
def _fs_curves() -> dict[str, _Curve]:
    curves: dict[str, _Curve] = defaultdict(list)
    for row in _read_csv("iamsar_optimal_search_factor.csv"):
        for column, text in row.items():
            if column.startswith("fs_") and text:
                curves[column].append((float(row["zr"]), float(text)))
    return {k: sorted(v) for k, v in curves.items()}


def optimal_search_factor(*, zr: float, datum_type: str, conditions: str) -> TableValue:
    """fs (ratio, Ro = fs·E) at relative effort ``zr`` for the datum type and conditions.

    A divergent datum reads the point curves (each datum is a point).
    """
    if conditions not in CONDITIONS:
        raise PlanningError(f"conditions {conditions!r} is not 'normal' or 'ideal'")
    shape = "line" if datum_type == "line" else "point"
    curve = _fs_curves()[f"fs_{shape}_{conditions}"]
    if shape == "line" and conditions == "ideal" and zr > curve[-1][0]:
        last = curve[-1][0]
        note = (
            f"fs line ideal: Zrc {zr:.3g} beyond {last:g}, optimum ill-defined; used fs({last:g})"
        )
        return TableValue(curve[-1][1], note)
    if zr > curve[-1][0]:
        # More effort than the table covers: POS is already ~0.92–0.99 at its end. Keep the
        # table's last factor (a smaller area searched more closely) and say so.
        last = curve[-1][0]
        note = (
            f"fs {shape} {conditions}: Zrc {zr:.3g} above the table's {last:g}, used "
            f"fs({last:g}); the effort exceeds what the area needs (consider a larger E)"
        )
        return TableValue(curve[-1][1], note)
    read = _interpolate(curve, zr, what="Zrc", clamp_high=False)
    return TableValue(read.value, f"fs {shape} {conditions}: {read.note}")
