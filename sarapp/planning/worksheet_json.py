"""The worksheet as JSON: read an input object, write the result, print it for people.

Input keys (issue 7): ``datum_type`` (point | line | divergent), ``conditions`` (normal |
ideal), ``search_object``, ``visibility_nm``, ``wind_kt``, ``sea_ft``, ``X_nm``, ``Y_nm``,
``De_nm`` or ``drift_distance_nm``, ``line_length_nm`` (line), ``divergence_nm`` (divergent),
``Zrc_previous`` and ``units`` ({``name``, ``type``, ``speed_kt``, ``on_scene_endurance_h``,
``fatigued``, ``altitude_ft``}). Unknown keys are refused so a misspelt key is not ignored.
"""

from __future__ import annotations

from typing import Any

from sarapp.planning.errors import PlanningError
from sarapp.planning.iamsar import SearchUnit, Worksheet, WorksheetInput

_REQUIRED = ("datum_type", "conditions", "search_object", "visibility_nm", "wind_kt", "sea_ft")
_NUMBERS = ("visibility_nm", "wind_kt", "sea_ft", "X_nm", "Y_nm")
_OPTIONAL_NUMBERS = ("De_nm", "drift_distance_nm", "line_length_nm", "divergence_nm")
_TOP_KEYS = frozenset((*_REQUIRED, *_NUMBERS, *_OPTIONAL_NUMBERS, "Zrc_previous", "units"))
_UNIT_KEYS = frozenset(
    ("name", "type", "speed_kt", "on_scene_endurance_h", "fatigued", "altitude_ft")
)


def worksheet_input_from_json(data: Any) -> WorksheetInput:
    """Build a WorksheetInput from a parsed JSON object; PlanningError names the bad key."""
    if not isinstance(data, dict):
        raise PlanningError("the worksheet file must hold a JSON object")
    _refuse_unknown(data, _TOP_KEYS, where="")
    for key in (*_REQUIRED, "X_nm", "Y_nm", "units"):
        if key not in data:
            raise PlanningError(f"key {key!r} is missing")
    for key in ("datum_type", "conditions", "search_object"):
        _string(data, key, where="")
    units = data["units"]
    if not isinstance(units, list) or not units:
        raise PlanningError("key 'units' must be a non-empty list of unit objects")
    return WorksheetInput(
        datum_type=data["datum_type"],
        conditions=data["conditions"],
        search_object=data["search_object"],
        visibility_nm=_number(data, "visibility_nm", where=""),
        wind_kt=_number(data, "wind_kt", where=""),
        sea_ft=_number(data, "sea_ft", where=""),
        x_nm=_number(data, "X_nm", where=""),
        y_nm=_number(data, "Y_nm", where=""),
        de_nm=_optional_number(data, "De_nm", where=""),
        drift_distance_nm=_optional_number(data, "drift_distance_nm", where=""),
        line_length_nm=_optional_number(data, "line_length_nm", where=""),
        divergence_nm=_optional_number(data, "divergence_nm", where=""),
        zrc_previous=_optional_number(data, "Zrc_previous", where="") or 0.0,
        units=tuple(_unit(u, i) for i, u in enumerate(units)),
    )


def _unit(data: Any, index: int) -> SearchUnit:
    where = f"units[{index}]."
    if not isinstance(data, dict):
        raise PlanningError(f"key 'units[{index}]' must be an object")
    _refuse_unknown(data, _UNIT_KEYS, where=where)
    for key in ("name", "type", "speed_kt", "on_scene_endurance_h"):
        if key not in data:
            raise PlanningError(f"key '{where}{key}' is missing")
    fatigued = data.get("fatigued", False)
    if not isinstance(fatigued, bool):
        raise PlanningError(f"key '{where}fatigued' must be true or false, not {fatigued!r}")
    return SearchUnit(
        name=_string(data, "name", where=where),
        unit_type=_string(data, "type", where=where),
        speed_kt=_number(data, "speed_kt", where=where),
        on_scene_endurance_h=_number(data, "on_scene_endurance_h", where=where),
        fatigued=fatigued,
        altitude_ft=_optional_number(data, "altitude_ft", where=where),
    )


def _refuse_unknown(data: dict[str, Any], allowed: frozenset[str], *, where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise PlanningError(f"key '{where}{unknown[0]}' is not a worksheet key")


def _string(data: dict[str, Any], key: str, *, where: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value:
        raise PlanningError(f"key '{where}{key}' must be a non-empty string, not {value!r}")
    return value


def _number(data: dict[str, Any], key: str, *, where: str) -> float:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlanningError(f"key '{where}{key}' must be a number, not {value!r}")
    return float(value)


def _optional_number(data: dict[str, Any], key: str, *, where: str) -> float | None:
    return None if data.get(key) is None else _number(data, key, where=where)


def worksheet_to_json(ws: Worksheet) -> dict[str, Any]:
    """The result keys of issue 7, plus the intermediate figures under their worksheet names."""
    return {
        "E_nm": ws.e_nm,
        "De_nm": ws.de_nm,
        "Z_total_nm2": ws.z_total_nm2,
        "fZ_nm2": ws.effort_factor_nm2,
        "Zr": ws.zr,
        "Zrc": ws.zrc,
        "fs_used": ws.fs_used,
        "R_nm": ws.r_nm,
        "area_nm2": ws.area_nm2,
        "coverage": ws.coverage,
        "pod_normal": ws.pod_normal,
        "pod_ideal": ws.pod_ideal,
        "units": [
            {
                "name": u.name,
                "type": u.unit_type,
                "Wu_nm": u.wu_nm,
                "fw": u.fw,
                "fv": u.fv,
                "ff": u.ff,
                "W_nm": u.w_nm,
                "T_h": u.search_endurance_h,
                "Z_nm2": u.z_nm2,
                "track_spacing_nm": u.track_spacing_nm,
                "sub_area_nm2": u.sub_area_nm2,
                "notes": list(u.notes),
            }
            for u in ws.units
        ],
        "notes": list(ws.notes),
    }


def worksheet_text(ws: Worksheet) -> str:
    """The worksheet as lines for a person, in the order the figures are computed."""
    i = ws.inputs
    lines = [
        f"datum {i.datum_type}, {i.conditions} conditions, object {i.search_object}",
        f"X {i.x_nm:g} NM  Y {i.y_nm:g} NM  De {ws.de_nm:.2f} NM  →  E {ws.e_nm:.2f} NM",
    ]
    for u in ws.units:
        lines.append(
            f"{u.name} ({u.unit_type}): Wu {u.wu_nm:.2f} × fw {u.fw:g} × fv {u.fv:.2f} × ff "
            f"{u.ff:g} = W {u.w_nm:.2f} NM; V {u.speed_kt:g} kt × T {u.search_endurance_h:.2f} h"
            f" → Z {u.z_nm2:.1f} NM²; S {u.track_spacing_nm:.2f} NM; area {u.sub_area_nm2:.1f} NM²"
        )
    lines += [
        f"Zt {ws.z_total_nm2:.1f} NM² / fZ {ws.effort_factor_nm2:.1f} NM² = Zr {ws.zr:.3f}; "
        f"Zrc {ws.zrc:.3f}",
        f"fs {ws.fs_used:.3f} → R {ws.r_nm:.2f} NM; A {ws.area_nm2:.1f} NM²",
        f"C {ws.coverage:.3f}; POD normal {ws.pod_normal:.1%}, ideal {ws.pod_ideal:.1%}",
    ]
    lines += [f"note: {n}" for n in ws.notes]
    return "\n".join(lines)
