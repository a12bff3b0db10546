"""A desk with one worked case, and two RCC key folders, built in the test's own tmp_path."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sarapp.exchange import keys
from sarapp.model import AlertPhase, CaseId, Position
from sarapp.store import Store

ETEL = keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR")
FALMOUTH = keys.Rcc("MRCC-FALMOUTH", "MRCC Falmouth", "GB")
T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def build_case(store: Store) -> CaseId:
    """A fishing vessel on fire: three positions, notes with data, a correction, DETRESFA."""
    changes = store.create_case(
        title="FV MARIE fire in engine room",
        author="op1",
        phase=AlertPhase.ALERFA,
        values={
            "vessel_name": "MARIE",
            "call_sign": "FABC",
            "flag": "FR",
            "mmsi": "227123456",
            "pob": "4",
            "nature": "fire",
            "vessel_type": "fishing",
            "vessel_description": "12 m blue hull",
            "rcc": "MRCC Etel",
            "smc": "Duty SMC Le Goff",
        },
        time=T0,
    )
    case_id = next(iter(changes.cases))
    for minutes, (lat, lon) in enumerate([(47.5, -3.5), (47.51, -3.49), (47.52, -3.48)]):
        store.add_position(
            case_id,
            Position(
                lat,
                lon,
                T0.replace(minute=10 * minutes),
                source="reported",
                accuracy_m=500.0 if minutes else None,
            ),
            author="op1",
        )
    first = store.append(
        case_id, "Called FV MARIE on VHF 16, no answer", author="op1", data={"channel": 16}
    )
    store.append(
        case_id,
        "Called FV MARIE on VHF 16, answered: fire spreading",
        author="op2",
        corrects=first.entries[0],
    )
    store.set_phase(case_id, AlertPhase.DETRESFA, author="op1", reason="fire spreading")
    store.append(case_id, "SNSM lifeboat tasked, ETA 40 min", author="op1", data={"eta_s": 2400.5})
    return case_id


@pytest.fixture
def desk(store: Store) -> tuple[Store, CaseId]:
    return store, build_case(store)


@pytest.fixture
def keys_a(tmp_path: Path) -> Path:
    folder = tmp_path / "keys-a"
    keys.set_identity(folder, ETEL)
    return folder


@pytest.fixture
def keys_b(tmp_path: Path) -> Path:
    folder = tmp_path / "keys-b"
    keys.set_identity(folder, FALMOUTH)
    return folder
