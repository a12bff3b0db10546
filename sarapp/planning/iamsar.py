"""The IAMSAR search-planning worksheet: from datum errors and units to area, spacing and POD.

The chain (``resources/iamsar_tables.md``, JP 3-50 App. D, IAMSAR Vol II):

1. E = √(X² + Y² + De²) NM; De = 0.3 × drift distance when only the drift is known.
2. Per unit W = Wu·fw·fv·ff (NM); T = 0.85 × on-scene endurance (h); Z = V·T·W (NM²).
3. Zt = ΣZ; fZ = E² (point, divergent) or E·L (line); Zr = Zt / fZ; Zrc = Zr + earlier Zrc.
4. fs from the optimal-search-factor curve at Zrc; Ro = fs·E (NM).
5. A = (2Ro)² (point), 2Ro·L (line), 2Ro·(2Ro + DD) (divergent, **unconfirmed**) (NM²).
6. C = Zt / A; S_i = W_i / C (NM); sub-area A_i = Z_i / C; POD from C on both curves.

:func:`compute_worksheet` returns every input and intermediate figure, so a coordinator can
check the result by hand as on the paper worksheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sarapp.planning import tables
from sarapp.planning.errors import PlanningError
from sarapp.planning.pod import pod_ideal, pod_normal

DATUM_TYPES = ("point", "line", "divergent")


@dataclass(frozen=True)
class SearchUnit:
    """A search and rescue unit as the worksheet needs it (kt, h, ft)."""

    name: str
    unit_type: str
    speed_kt: float
    on_scene_endurance_h: float
    fatigued: bool = False
    altitude_ft: float | None = None


@dataclass(frozen=True)
class WorksheetInput:
    """The worksheet's inputs (NM, kt, ft). Give ``de_nm`` or ``drift_distance_nm``."""

    datum_type: str
    conditions: str
    search_object: str
    visibility_nm: float
    wind_kt: float
    sea_ft: float
    x_nm: float
    y_nm: float
    units: tuple[SearchUnit, ...]
    de_nm: float | None = None
    drift_distance_nm: float | None = None
    line_length_nm: float | None = None
    divergence_nm: float | None = None
    zrc_previous: float = 0.0


@dataclass(frozen=True)
class UnitEffort:
    """One unit's line of the worksheet: sweep width factors, effort, spacing (NM, h, NM²)."""

    name: str
    unit_type: str
    speed_kt: float
    wu_nm: float
    fw: float
    fv: float
    ff: float
    w_nm: float
    search_endurance_h: float
    z_nm2: float
    track_spacing_nm: float
    sub_area_nm2: float
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Worksheet:
    """The filled worksheet: inputs, intermediate figures and results (NM, NM², ratios)."""

    inputs: WorksheetInput
    de_nm: float
    e_nm: float
    units: tuple[UnitEffort, ...]
    z_total_nm2: float
    effort_factor_nm2: float
    zr: float
    zrc: float
    fs_used: float
    r_nm: float
    area_nm2: float
    coverage: float
    pod_normal: float
    pod_ideal: float
    notes: tuple[str, ...]

    @property
    def pod(self) -> float:
        """POD (0–1) on the curve of the worksheet's conditions."""
        return self.pod_ideal if self.inputs.conditions == "ideal" else self.pod_normal


def total_probable_error(*, x_nm: float, y_nm: float, de_nm: float) -> float:
    """E = √(X² + Y² + De²) in NM from the position, navigation and drift errors (NM)."""
    for name, value in (("X_nm", x_nm), ("Y_nm", y_nm), ("De_nm", de_nm)):
        _require_non_negative(name, value)
    return math.sqrt(x_nm**2 + y_nm**2 + de_nm**2)


def drift_error(drift_distance_nm: float) -> float:
    """De (NM) as the project's fraction (0.3, ``iamsar_constants.csv``) of the drift (NM)."""
    _require_non_negative("drift_distance_nm", drift_distance_nm)
    return tables.constant("drift_error_fraction") * drift_distance_nm


def unit_sweep(
    unit: SearchUnit, *, inputs: WorksheetInput
) -> tuple[float, float, float, float, tuple[str, ...]]:
    """(Wu, fw, fv, ff) for one unit against the worksheet's object and weather, with notes."""
    _require_positive(f"unit {unit.name!r} speed_kt", unit.speed_kt)
    wu = tables.uncorrected_sweep_width(
        unit_type=unit.unit_type,
        object_id=inputs.search_object,
        visibility_nm=inputs.visibility_nm,
        altitude_ft=unit.altitude_ft,
    )
    fw = tables.weather_correction(
        object_id=inputs.search_object, wind_kt=inputs.wind_kt, sea_ft=inputs.sea_ft
    )
    fv = tables.speed_correction(
        unit_type=unit.unit_type, object_id=inputs.search_object, speed_kt=unit.speed_kt
    )
    ff = tables.constant("fatigue_factor") if unit.fatigued else 1.0
    ff_note = f"ff {ff:g} ({'fatigued crew' if unit.fatigued else 'crew not fatigued'})"
    return wu.value, fw.value, fv.value, ff, (wu.note, fw.note, fv.note, ff_note)


def compute_worksheet(inputs: WorksheetInput) -> Worksheet:
    """Fill the IAMSAR worksheet for ``inputs``; raise PlanningError naming a bad field."""
    _check_inputs(inputs)
    notes: list[str] = []
    if inputs.de_nm is not None:
        de = inputs.de_nm
    else:
        assert inputs.drift_distance_nm is not None
        de = drift_error(inputs.drift_distance_nm)
        notes.append(f"De = 0.3 × drift {inputs.drift_distance_nm:g} NM = {de:g} NM")
    e = total_probable_error(x_nm=inputs.x_nm, y_nm=inputs.y_nm, de_nm=de)
    if e <= 0:
        raise PlanningError("total probable error E is 0: give X_nm, Y_nm or a drift error")

    fraction = tables.constant("search_endurance_fraction")
    lines = []
    for unit in inputs.units:
        wu, fw, fv, ff, unit_notes = unit_sweep(unit, inputs=inputs)
        w = wu * fw * fv * ff
        t = fraction * unit.on_scene_endurance_h
        lines.append((unit, wu, fw, fv, ff, w, t, unit.speed_kt * t * w, unit_notes))
    z_total = sum(line[7] for line in lines)
    if z_total <= 0:
        raise PlanningError(
            "the units give no search effort (speed × endurance × sweep width is 0)"
        )

    effort_factor = e * inputs.line_length_nm if inputs.datum_type == "line" else e * e
    zr = z_total / effort_factor
    zrc = zr + inputs.zrc_previous
    fs = tables.optimal_search_factor(
        zr=zrc, datum_type=inputs.datum_type, conditions=inputs.conditions
    )
    notes.append(fs.note)
    r = fs.value * e
    area = _optimal_area(r, inputs=inputs)
    if inputs.datum_type == "divergent":
        notes.append("divergent datum: fZ = E², A = 2R·(2R + DD) (unconfirmed against IAMSAR)")
    coverage = z_total / area
    units = tuple(
        UnitEffort(
            name=unit.name,
            unit_type=unit.unit_type,
            speed_kt=unit.speed_kt,
            wu_nm=wu,
            fw=fw,
            fv=fv,
            ff=ff,
            w_nm=w,
            search_endurance_h=t,
            z_nm2=z,
            track_spacing_nm=w / coverage,
            sub_area_nm2=z / coverage,
            notes=unit_notes,
        )
        for unit, wu, fw, fv, ff, w, t, z, unit_notes in lines
    )
    return Worksheet(
        inputs=inputs,
        de_nm=de,
        e_nm=e,
        units=units,
        z_total_nm2=z_total,
        effort_factor_nm2=effort_factor,
        zr=zr,
        zrc=zrc,
        fs_used=fs.value,
        r_nm=r,
        area_nm2=area,
        coverage=coverage,
        pod_normal=pod_normal(coverage),
        pod_ideal=pod_ideal(coverage),
        notes=tuple(notes),
    )


def _optimal_area(r_nm: float, *, inputs: WorksheetInput) -> float:
    if inputs.datum_type == "line":
        assert inputs.line_length_nm is not None
        return 2 * r_nm * inputs.line_length_nm
    if inputs.datum_type == "divergent":
        assert inputs.divergence_nm is not None
        return 2 * r_nm * (2 * r_nm + inputs.divergence_nm)
    return (2 * r_nm) ** 2


def _check_inputs(inputs: WorksheetInput) -> None:
    if inputs.datum_type not in DATUM_TYPES:
        raise PlanningError(
            f"datum_type {inputs.datum_type!r} is not one of {', '.join(DATUM_TYPES)}"
        )
    if inputs.conditions not in tables.CONDITIONS:
        raise PlanningError(f"conditions {inputs.conditions!r} is not 'normal' or 'ideal'")
    if (inputs.de_nm is None) == (inputs.drift_distance_nm is None):
        raise PlanningError("give exactly one of De_nm and drift_distance_nm")
    if inputs.datum_type == "line":
        if inputs.line_length_nm is None:
            raise PlanningError("a line datum needs line_length_nm")
        _require_positive("line_length_nm", inputs.line_length_nm)
    if inputs.datum_type == "divergent":
        if inputs.divergence_nm is None:
            raise PlanningError("a divergent datum needs divergence_nm (distance between datums)")
        _require_non_negative("divergence_nm", inputs.divergence_nm)
    _require_non_negative("zrc_previous", inputs.zrc_previous)
    _require_positive("visibility_nm", inputs.visibility_nm)
    if not inputs.units:
        raise PlanningError("units: at least one search unit is needed")
    for unit in inputs.units:
        _require_non_negative(f"unit {unit.name!r} on_scene_endurance_h", unit.on_scene_endurance_h)


def _require_non_negative(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
        raise PlanningError(f"{name} {value!r} must be a number ≥ 0")


def _require_positive(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise PlanningError(f"{name} {value!r} must be a number > 0")
