"""A drift run kept with its case, and how it reads in the case log."""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime

from sarapp.drift.categories import LeewayCategory
from sarapp.drift.engine import DriftRun
from sarapp.drift.forcing import WindAndCurrent
from sarapp.drift.params import DriftParams
from sarapp.drift.run import drift_job
from sarapp.drift.summary import DriftSummary, stranding_notes
from sarapp.geo import NM, format_ddm, format_dtg
from sarapp.model import Changes, DriftRecord
from sarapp.store import Desk


def drift_log_text(category: LeewayCategory, summary: DriftSummary, *, seed: int) -> str:
    """One log line a coordinator can read aloud: object, run, datum, areas, seed."""
    p = summary.params
    end = summary.datum_track[-1]
    when = format_dtg(datetime.fromtimestamp(end.time_s, UTC))
    direction = "backtrack" if p.backtrack else "drift"
    text = (
        f"Leeway {direction}: {category.key} ({category.name}), {p.particles} particles, "
        f"{p.hours:g} h from {format_dtg(p.start)}. Datum {format_ddm(end.lat, end.lon)} "
        f"at {when}; 90 % area {summary.area_90.area_m2 / NM**2:.1f} NM², "
        f"50 % area {summary.area_50.area_m2 / NM**2:.1f} NM²"
    )
    if summary.sides is not None:
        text += f"; divergence {summary.sides.divergence_m / NM:.1f} NM"
    for note in stranding_notes(summary):
        text += f"; {note}"
    return text + f". Seed {seed}."


def keep_run(
    store: Desk,
    case_ref: str,
    *,
    category: LeewayCategory,
    forcing: WindAndCurrent,
    summary: DriftSummary,
    seed: int,
    author: str,
    label: str = "",
) -> Changes:
    """Keep a finished run with its case: parameters, forcing, seed, products, log line."""
    return store.drift.add(
        case_ref,
        params=summary.params.to_dict(),
        forcing=forcing.to_dict(),
        summary=summary.to_dict(),
        seed=seed,
        author=author,
        label=label,
        text=drift_log_text(category, summary, seed=seed),
    )


def rerun(record: DriftRecord) -> Generator[float, None, tuple[DriftRun, DriftSummary]]:
    """Run a kept run again from its parameters, forcing and seed (bit for bit the same),
    yielding progress; the chart needs the particle clouds, which are not stored."""
    params = DriftParams.from_dict(record.params)
    forcing = WindAndCurrent.from_dict(record.forcing)
    return (yield from drift_job(params, forcing, record.seed))
