"""The demo case a new desk opens with, so a first start shows what the desk does.

Clearly marked (``is_demo``, "DEMO" in the title); its content is data in
``resources/demo_case.json`` and entirely fictitious.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import numpy as np

from sarapp.drift.categories import leeway_category
from sarapp.drift.engine import run_drift
from sarapp.drift.forcing import UniformField, WindAndCurrent, current_towards, wind_from
from sarapp.drift.params import DriftParams
from sarapp.drift.records import keep_run
from sarapp.drift.summary import summarise
from sarapp.model import AlertPhase, CaseId, Position, UnitPosition, utc_now
from sarapp.resources import resource_path
from sarapp.store import Desk

DEMO_AUTHOR = "sarapp demo"


def create_demo_case(store: Desk) -> CaseId:
    """Open the demo case with its positions and log, times relative to now."""
    spec = json.loads(resource_path("demo_case.json").read_text(encoding="utf-8"))
    now = utc_now()
    with store.transaction():
        changes = store.cases.create(
            title=spec["title"],
            author=DEMO_AUTHOR,
            phase=AlertPhase.INCERFA,
            values=spec["values"],
            is_demo=True,
            time=now - timedelta(minutes=110),
        )
        (case_id,) = changes.cases
        events = [("note", n["minutes_ago"], n) for n in spec["notes"]]
        events += [("position", p["minutes_ago"], p) for p in spec["positions"]]
        for kind, _, item in sorted(events, key=lambda e: -e[1]):
            if kind == "note":
                store.log.append(case_id, item["text"], author=DEMO_AUTHOR)
            else:
                when = now - timedelta(minutes=item["minutes_ago"])
                position = Position(
                    item["lat"],
                    item["lon"],
                    time=when,
                    source=item["source"],
                    accuracy_m=item["accuracy_m"],
                )
                store.cases.add_position(case_id, position, author=DEMO_AUTHOR)
        store.cases.set_phase(
            case_id, spec["phase"], author=DEMO_AUTHOR, reason="water level rising"
        )
        _demo_units(store, spec["units"], now=now)
        _demo_drift(store, case_id, spec["drift"])
    return case_id


def _demo_units(store: Desk, units: list[dict], *, now: datetime) -> None:
    known = {u.name for u in store.units.all()}
    for spec in units:
        if spec["name"] in known:
            continue
        fields = {k: v for k, v in spec.items() if k != "track"}
        (unit_id,) = store.units.add(**fields).units
        store.units.add_positions(
            UnitPosition(
                unit_id=unit_id,
                lat=fix["lat"],
                lon=fix["lon"],
                time=now - timedelta(minutes=fix["minutes_ago"]),
                source="reported",
                heading_deg=fix["heading"],
            )
            for fix in spec["track"]
        )


def _demo_drift(store: Desk, case_id: CaseId, spec: dict) -> None:
    """A small liferaft drift from the LKP (a few hundredths of a second to run)."""
    lkp = store.cases.get(case_id).lkp
    assert lkp is not None and lkp.time is not None
    params = DriftParams(
        category=spec["category"],
        lat=lkp.lat,
        lon=lkp.lon,
        start=lkp.time,
        hours=spec["hours"],
        particles=spec["particles"],
        radius_m=spec["radius_m"],
    )
    forcing = WindAndCurrent(
        UniformField(*wind_from(spec["wind_from_deg"], spec["wind_kt"])),
        UniformField(*current_towards(spec["current_towards_deg"], spec["current_kt"])),
    )
    run = run_drift(params, forcing, np.random.default_rng(spec["seed"]))
    keep_run(
        store,
        case_id,
        category=leeway_category(spec["category"]),
        forcing=forcing,
        summary=summarise(run),
        seed=spec["seed"],
        author=DEMO_AUTHOR,
        label="demo",
    )
