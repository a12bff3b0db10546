"""Search plans as the chart draws them: each unit's track through its waypoints and the
rectangle it searches, as plain values (Qt-free; WGS84 degrees, (lat, lon) pairs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sarapp.model_plans import SearchPlanRecord
from sarapp.planning.errors import PlanningError
from sarapp.planning.tasking import plan_rectangle


@dataclass(frozen=True)
class PlanShape:
    """One plan on the chart: ``track`` the waypoints in order (CSP first), ``area`` the
    searched rectangle closed on its first corner (None when the plan has no area), POD 0–1."""

    plan_id: str
    unit_name: str
    pattern: str
    code: str
    status: str
    pod: float | None
    track: tuple[tuple[float, float], ...]
    area: tuple[tuple[float, float], ...] | None

    @property
    def label(self) -> str:
        """``Rescue 22 SS POD 63%`` for the chart's label at the CSP."""
        pod = f" POD {self.pod:.0%}" if self.pod is not None else ""
        return f"{self.unit_name} {self.code}{pod}"

    def to_geojson(self) -> dict[str, Any]:
        """A Feature (GeometryCollection of the track and area, lon/lat) for exports."""
        geometries: list[dict[str, Any]] = [
            {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in self.track]}
        ]
        if self.area is not None:
            ring = [[lon, lat] for lat, lon in self.area]
            geometries.append({"type": "Polygon", "coordinates": [ring]})
        return {
            "type": "Feature",
            "geometry": {"type": "GeometryCollection", "geometries": geometries},
            "properties": {
                "plan_id": self.plan_id,
                "unit": self.unit_name,
                "pattern": self.pattern,
                "status": self.status,
                "pod": self.pod,
                "label": self.label,
            },
        }


def plan_shapes(
    plans: Sequence[SearchPlanRecord], *, include_cancelled: bool = False
) -> list[PlanShape]:
    """The shapes of ``plans`` (store order); cancelled plans only when asked."""
    shapes = []
    for plan in plans:
        if plan.status == "cancelled" and not include_cancelled:
            continue
        try:
            corners: tuple[tuple[float, float], ...] | None = plan_rectangle(plan).corners
        except PlanningError:
            corners = None  # e.g. a single waypoint, or a track line with no width
        shapes.append(
            PlanShape(
                plan_id=plan.id,
                unit_name=plan.unit_name,
                pattern=plan.pattern,
                code=str(plan.params.get("code", plan.pattern)),
                status=plan.status,
                pod=plan.pod,
                track=tuple((w.lat, w.lon) for w in plan.waypoints),
                area=corners,
            )
        )
    return shapes
