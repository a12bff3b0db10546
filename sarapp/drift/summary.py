"""One run's products in one value, serialisable to plain JSON (what the CLI prints and the
case database stores beside the run's parameters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sarapp.drift.engine import DriftRun
from sarapp.drift.forcing import parse_time
from sarapp.drift.params import DriftParams
from sarapp.drift.products import (
    ContainmentArea,
    DatumPoint,
    SideDatums,
    Stranding,
    cloud_at,
    containment_areas,
    datum_track,
    side_datums,
    spread_m,
    stranding,
)
from sarapp.geo import NM, format_ddm


@dataclass(frozen=True)
class DriftSummary:
    """Datum track, final centroid and spread (m), 50 %/90 % areas, side datums, timing (s).

    Datum, spread, areas and side datums are of the particles afloat (see ``products``);
    ``ashore`` says where the stranded ones are, ``datum_on_land`` whether the datum itself
    falls on land (a cloud split by a headland): never offer it as a search point unwarned.
    """

    params: DriftParams
    datum_track: tuple[DatumPoint, ...]
    centroid_lat: float
    centroid_lon: float
    std_east_m: float
    std_north_m: float
    stranded: float
    area_50: ContainmentArea
    area_90: ContainmentArea
    sides: SideDatums | None
    elapsed_s: float
    stranding_used: bool
    ashore: Stranding | None = None
    datum_on_land: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "params": self.params.to_dict(),
            "datum_track": [p.to_dict() for p in self.datum_track],
            "final": {
                "centroid": {
                    "lat": round(self.centroid_lat, 6),
                    "lon": round(self.centroid_lon, 6),
                },
                "std_m": {"east": round(self.std_east_m, 1), "north": round(self.std_north_m, 1)},
                "stranded_fraction": round(self.stranded, 4),
                "stranded": None if self.ashore is None else self.ashore.to_dict(),
                "datum_on_land": self.datum_on_land,
                "side_datums": None if self.sides is None else self.sides.to_dict(),
            },
            "area_50": self.area_50.geometry,
            "area_90": self.area_90.geometry,
            "areas": [self.area_50.to_dict(), self.area_90.to_dict()],
            "elapsed_s": round(self.elapsed_s, 4),
            "stranding": self.stranding_used,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DriftSummary:
        final = data["final"]
        sides = final.get("side_datums")
        ashore = final.get("stranded")
        areas = [
            ContainmentArea(a["fraction"], a["area_m2"], a["held"], a["geometry"])
            for a in data["areas"]
        ]
        return cls(
            params=DriftParams.from_dict(data["params"]),
            datum_track=tuple(
                DatumPoint(parse_time(p["time"], "datum_track"), p["lat"], p["lon"])
                for p in data["datum_track"]
            ),
            centroid_lat=final["centroid"]["lat"],
            centroid_lon=final["centroid"]["lon"],
            std_east_m=final["std_m"]["east"],
            std_north_m=final["std_m"]["north"],
            stranded=final["stranded_fraction"],
            area_50=areas[0],
            area_90=areas[1],
            sides=None
            if sides is None
            else SideDatums(
                sides["left"]["lat"],
                sides["left"]["lon"],
                sides["right"]["lat"],
                sides["right"]["lon"],
                sides["divergence_m"],
            ),
            elapsed_s=data["elapsed_s"],
            stranding_used=data["stranding"],
            ashore=None if not ashore else Stranding(**ashore),
            datum_on_land=bool(final.get("datum_on_land", False)),
        )


def summarise(run: DriftRun, *, cell_m: float | None = None) -> DriftSummary:
    """Compute the products of a run at its final time (of the particles afloat)."""
    everyone = cloud_at(run)
    final = everyone.afloat()
    lat0, lon0, sd_e, sd_n = spread_m(final)
    area_50, area_90 = containment_areas(final, fractions=(0.5, 0.9), cell_m=cell_m)
    both_sides = final.left.any() and not final.left.all()
    on_land = run.land is not None and bool(run.land.is_land(np.array([lat0]), np.array([lon0]))[0])
    return DriftSummary(
        params=run.params,
        datum_track=tuple(datum_track(run)),
        centroid_lat=lat0,
        centroid_lon=lon0,
        std_east_m=sd_e,
        std_north_m=sd_n,
        stranded=float(everyone.stranded.mean()),
        area_50=area_50,
        area_90=area_90,
        sides=side_datums(final) if both_sides else None,
        elapsed_s=run.elapsed_s,
        stranding_used=run.stranding_used,
        ashore=stranding(everyone),
        datum_on_land=on_land,
    )


def percent(fraction: float) -> str:
    """'79 %'; never '100 %' or '0 %' for a share that is not all or nothing ('99.9 %')."""
    text = f"{fraction * 100:.0f} %"
    if 0 < fraction < 1 and text in ("0 %", "100 %"):
        text = f"{fraction * 100:.1f} %"
    return text


def stranding_notes(summary: DriftSummary) -> list[str]:
    """What a coordinator must know about land, in words: the share stranded and where, a
    datum on land. Shown wherever a run's results are (CLI, Drift tab, chart, log)."""
    notes = []
    ashore = summary.ashore
    if ashore is not None:
        everyone = " (all of them: datum and areas are of the stranded ones)"
        notes.append(
            f"{percent(ashore.fraction)} of the particles stranded ({ashore.count:,}), "
            f"ashore around {format_ddm(ashore.lat, ashore.lon, decimals=1)} within "
            f"{ashore.extent_m / NM:.1f} NM: search the shore there"
            + (everyone if ashore.count == summary.params.particles else "")
        )
    if summary.datum_on_land:
        notes.append("DATUM ON LAND: land splits the particles afloat; no search point there")
    return notes
