"""Helpers shared by the exchange tests: export a case, re-sign an altered document."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

from sarapp.exchange.canonical import canonical_bytes
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.package import build_package, package_bytes, sign_package
from sarapp.model import UnitPosition
from sarapp.store import Desk

from .conftest import FALMOUTH, T0


def export(store: Desk, case_id: str, signer: DeskKeys, **options: Any) -> dict[str, Any]:
    return build_package(store, case_id, keys=signer, to=FALMOUTH, **options)


def resign(document: dict[str, Any], signer: DeskKeys) -> bytes:
    """The bytes of ``document`` signed afresh by ``signer`` (its case checkpoint too, as a
    forger holding the key would: it names the last entry of the altered log)."""
    checkpoint = document["body"].get("checkpoint")
    log = document["body"]["log"]
    if checkpoint is not None and log:
        content = {k: v for k, v in checkpoint.items() if k != "signature"}
        content.update(seq=log[-1]["seq"], hash=log[-1]["hash"], key=signer.public_key)
        signature = base64.b64encode(signer.sign(canonical_bytes(content))).decode()
        document["body"]["checkpoint"] = {**content, "signature": signature}
    return package_bytes(sign_package(document, signer))


def as_bytes(document: dict[str, Any]) -> bytes:
    return package_bytes(document)


def copy(document: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(document))


def add_tasking(store: Desk, case_id: str) -> dict[str, str]:
    """Two units (a lifeboat with an MMSI, a helicopter with a call sign), their positions
    (one before the case opened, which stays home), a drift run, and three plans: the lifeboat
    on the drift's datum, the helicopter, and a fishing vessel tasked by name only."""
    store.units.add(name="SNS 061", unit_type="lifeboat", mmsi="227006120", speed_kt=25.0,
                   endurance_h=10.0, home_base="Etel")  # fmt: skip
    store.units.add(name="Dragon 56", unit_type="helicopter", call_sign="FDRAG", speed_kt=120,
                   endurance_h=3.5, home_base="Lorient")  # fmt: skip
    lifeboat, helicopter = store.units.get("SNS 061"), store.units.get("Dragon 56")
    store.units.add_positions(
        [
            UnitPosition(lifeboat.id, 47.60, -3.20, T0 - timedelta(hours=1), "ais"),
            UnitPosition(
                lifeboat.id,
                47.55,
                -3.30,
                T0 + timedelta(minutes=20),
                "ais",
                sog_kt=22.5,
                cog_deg=250.0,
                heading_deg=248.0,
            ),
            UnitPosition(lifeboat.id, 47.52, -3.45, T0 + timedelta(minutes=40), "reported"),
            UnitPosition(
                helicopter.id,
                47.40,
                -3.10,
                T0 + timedelta(minutes=30),
                "reported",
                altitude_m=150.0,
            ),
        ]
    )
    store.drift.add(
        case_id,
        params={"object": "PIW-1", "particles": 500, "duration_s": 3600.0},
        forcing={"wind": {"kind": "constant", "speed_ms": 6.5, "from_deg": 240.0}},
        summary={"datum": [[47.5, -3.5], [47.51, -3.47]], "radius_m": [300.25]},
        seed=7,
        author="op1",
        text="Drift run PIW-1, 1 h",
    )
    (run,) = store.drift.runs(case_id)
    start = T0 + timedelta(hours=1)
    common = {"start": start, "end": start + timedelta(hours=2), "author": "op1"}
    ids = {"lifeboat": lifeboat.id, "helicopter": helicopter.id, "run": run.id}
    ids["plan_lifeboat"] = store.plans.add(
        case_id, unit="SNS 061", pattern="expanding-square", pod=0.78, drift_run_id=run.id,
        params={"course_deg": 0.0, "spacing_nm": 0.5, "legs": 12},
        waypoints=[("CSP", 47.51, -3.47), ("WP1", 47.5183, -3.47)], **common,
    ).plan_id  # fmt: skip
    ids["plan_helicopter"] = store.plans.add(
        case_id, unit="dragon 56", pattern="creeping-line", pod=None, drift_run_id=None,
        params={"course_deg": 90.0, "spacing_nm": 1.0, "width_nm": 6.0, "length_nm": 10.0},
        waypoints=[{"name": "CSP", "lat": 47.45, "lon": -3.6}], **common,
    ).plan_id  # fmt: skip
    ids["plan_by_name"] = store.plans.add(
        case_id, unit="FV KERAVEL", pattern="track-line", pod=0.5, drift_run_id=None,
        params={"spacing_nm": 0.0}, waypoints=[("CSP", 47.3, -3.3), ("END", 47.5, -3.5)],
        start=None, end=None, author="op2",
    ).plan_id  # fmt: skip
    return ids
