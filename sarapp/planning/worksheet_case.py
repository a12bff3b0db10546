"""The worksheet's inputs as far as the case already knows them: X from the LKP's accuracy,
the datum error De and the datum type from the latest kept drift, the wind of that drift and
the units of the desk's registry. The coordinator checks and completes the rest.

De from a Monte Carlo drift: the probable error (50 % radius of a circular normal, 1.1774 σ)
of the cloud's spread once the seeded start error (already X) is taken out of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sarapp.drift.forcing import KNOT_MS
from sarapp.geo import NM
from sarapp.model import Case, DriftRecord, Unit, UnitType

PROBABLE_ERROR = 1.1774  # σ → 50 % radius of a circular normal distribution
# The worksheet's sweep-width tables by the registry's kinds (a lifeboat's eye is ~8 ft up).
WORKSHEET_TYPE = {
    UnitType.LIFEBOAT: "boat_eye_8ft",
    UnitType.PATROL_VESSEL: "boat_eye_14ft",
    UnitType.HELICOPTER: "helicopter",
    UnitType.FIXED_WING: "fixed_wing",
    UnitType.MERCHANT_VESSEL: "merchant",
}


def drift_error_nm(record: DriftRecord) -> float:
    """De (NM) of a kept run: the afloat cloud's probable error less the seeded start error."""
    std = record.summary["final"]["std_m"]
    spread2 = (std["east"] ** 2 + std["north"] ** 2) / 2
    seeded2 = float(record.params.get("radius_m", 0.0)) ** 2
    return PROBABLE_ERROR * math.sqrt(max(0.0, spread2 - seeded2)) / NM


def worksheet_from_case(
    case: Case, runs: Sequence[DriftRecord], units: Sequence[Unit]
) -> dict[str, Any]:
    """The keys of the worksheet's JSON input the case can fill (``worksheet_json``)."""
    out: dict[str, Any] = {}
    if case.lkp is not None and case.lkp.accuracy_m:
        out["X_nm"] = round(max(0.1, case.lkp.accuracy_m / NM), 2)
    if runs:
        record = runs[-1]
        out["De_nm"] = round(drift_error_nm(record), 2)
        sides = record.summary["final"].get("side_datums")
        if sides and sides["divergence_m"] / NM >= 0.1:
            out["datum_type"] = "divergent"
            out["divergence_nm"] = round(sides["divergence_m"] / NM, 2)
        else:
            out["datum_type"] = "point"
        wind = record.forcing.get("wind", {})
        if wind.get("type") == "uniform":
            out["wind_kt"] = round(math.hypot(wind["u"], wind["v"]) / KNOT_MS)
    listed = []
    for unit in units:
        entry: dict[str, Any] = {
            "name": unit.name,
            "type": WORKSHEET_TYPE[unit.unit_type],
            "speed_kt": unit.speed_kt or 0.0,
            "on_scene_endurance_h": unit.endurance_h or 0.0,
        }
        listed.append(entry)
    if listed:
        out["units"] = listed
    return out
