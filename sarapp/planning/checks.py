"""Warnings a coordinator must see before tasking: a commence search point on land, a unit
already tasked in an overlapping search window. Both faces ask these before they task."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from sarapp.drift.landmask import default_land_mask
from sarapp.geo import format_ddm, format_dtg
from sarapp.store.plans import SearchPlanRecord


def on_land(lat: float, lon: float) -> bool:
    """True when the GLOBE land mask (about 1 km) has land at the position, degrees; False
    when it has sea there or the mask is not installed."""
    mask = default_land_mask(lat - 0.5, lat + 0.5)
    return mask is not None and bool(mask.is_land(np.array([lat]), np.array([lon]))[0])


def csp_warning(lat: float, lon: float) -> str:
    """'' or the warning for a commence search point on land."""
    if not on_land(lat, lon):
        return ""
    return f"the commence search point {format_ddm(lat, lon, 1)} is ON LAND: move it to sea"


def overlapping_tasks(
    plans: Sequence[SearchPlanRecord],
    unit: str,
    start: datetime | None,
    end: datetime | None,
) -> list[SearchPlanRecord]:
    """Planned searches of ``unit`` whose window overlaps [start, end] (an open end or an
    unknown window overlaps everything: the unit cannot be in two places)."""
    name = unit.strip().casefold()
    found = []
    for plan in plans:
        if plan.status != "planned" or plan.unit_name.strip().casefold() != name:
            continue
        if _overlap(plan.start, plan.end, start, end):
            found.append(plan)
    return found


def _overlap(a0, a1, b0, b1) -> bool:
    """Windows [a0, a1] and [b0, b1] share time (None: open on that side)."""
    if a0 is not None and b1 is not None and b1 <= a0:
        return False
    return not (b0 is not None and a1 is not None and a1 <= b0)


def overlap_warning(
    plans: Sequence[SearchPlanRecord], unit: str, start: datetime | None, end: datetime | None
) -> str:
    """'' or the warning for a unit tasked twice at the same time."""
    clash = overlapping_tasks(plans, unit, start, end)
    if not clash:
        return ""
    windows = ", ".join(
        " – ".join(format_dtg(t) for t in (p.start, p.end) if t) or "no window" for p in clash
    )
    return f"{unit} is already tasked then ({windows}): two searches at once"
