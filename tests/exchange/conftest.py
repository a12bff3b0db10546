"""A desk with one worked case, and two RCC desks that trust each other's keys, built in the
test's own tmp_path."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sarapp.exchange import keyring, keys
from sarapp.model import AlertPhase, CaseId, Position
from sarapp.store import Desk

ETEL = keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR")
FALMOUTH = keys.Rcc("MRCC-FALMOUTH", "MRCC Falmouth", "GB")
T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def build_case(store: Desk) -> CaseId:
    """A fishing vessel on fire: three positions, notes with data, a correction, DETRESFA."""
    changes = store.cases.create(
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
        store.cases.add_position(
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
    first = store.log.append(
        case_id, "Called FV MARIE on VHF 16, no answer", author="op1", data={"channel": 16}
    )
    store.log.append(
        case_id,
        "Called FV MARIE on VHF 16, answered: fire spreading",
        author="op2",
        corrects=first.entries[0],
    )
    store.cases.set_phase(case_id, AlertPhase.DETRESFA, author="op1", reason="fire spreading")
    store.log.append(
        case_id, "SNSM lifeboat tasked, ETA 40 min", author="op1", data={"eta_s": 2400.5}
    )
    return case_id


@pytest.fixture
def desk(store: Desk) -> tuple[Desk, CaseId]:
    return store, build_case(store)


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    """The keys folder of this test's desks (each desk keeps its key under its own id)."""
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def keys_a(store: Desk, keys_dir: Path) -> keys.DeskKeys:
    """Desk A (the ``store``/``desk`` fixture) signs as MRCC-ETEL."""
    return keyring.set_rcc(store, ETEL, keys_dir=keys_dir)[0]


@pytest.fixture
def desk_b(tmp_path: Path, empty_desk_file: Path):
    path = tmp_path / "b.sqlite"
    shutil.copyfile(empty_desk_file, path)
    with Desk.open(path) as opened:
        yield opened


@pytest.fixture
def keys_b(store: Desk, keys_a: keys.DeskKeys, desk_b: Desk, keys_dir: Path) -> keys.DeskKeys:
    """Desk B signs as MRCC-FALMOUTH; A and B have trusted each other's key file, as two RCCs
    do with ``sarapp keys export`` and ``sarapp keys trust``."""
    b = keyring.set_rcc(desk_b, FALMOUTH, keys_dir=keys_dir)[0]
    exchange_keys(store, keys_a, desk_b, b)
    return b


def exchange_keys(a: Desk, a_keys: keys.DeskKeys, b: Desk, b_keys: keys.DeskKeys) -> None:
    """Each desk trusts the other's key file."""
    keyring.trust_key(a, keys.read_key_file(keys.public_key_file(b_keys)), author="opA")
    keyring.trust_key(b, keys.read_key_file(keys.public_key_file(a_keys)), author="opB")


def trusting(*pairs: keys.DeskKeys) -> keys.Trust:
    """A trust list holding exactly these key pairs (for reading; imports check the desk)."""
    return keys.Trust.of(pairs)
