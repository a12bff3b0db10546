"""Round trip desk A → desk B → desk A of a small case with a drift run: nothing lost; and the
importer fuzzed: a package that is refused never changes the database."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarapp.errors import SarappError
from sarapp.exchange import keyring, keys
from sarapp.exchange.apply import import_package
from sarapp.exchange.keys import Trust
from sarapp.exchange.package import build_package, package_bytes, sign_package
from sarapp.exchange.reader import read_package
from sarapp.exchange.wire import CASE_VALUES
from sarapp.exchange.workflow import send_case
from sarapp.model import Position
from sarapp.store import Desk

from .conftest import ETEL, FALMOUTH, build_case, trusting
from .helpers import add_tasking

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def add_drift(store: Desk, case_id: str) -> None:
    store.drift.add(
        case_id,
        params={"object": "PIW-1", "particles": 500, "duration_s": 3600.0},
        forcing={"wind": {"kind": "constant", "speed_ms": 6.5, "from_deg": 240.0}},
        summary={"datum": [[47.5, -3.5], [47.51, -3.47]], "radius_m": [300.25]},
        seed=7,
        author="op1",
        text="Drift run PIW-1, 1 h",
    )


def assert_same_case(a: Desk, b: Desk, case_id: str) -> None:
    """Every field of the case (but the local number and update time), of every log entry both
    hold, of every position and drift run; the logs differ at most by one import line."""
    ca, cb = a.cases.get(case_id), b.cases.get(case_id)
    for field in dataclasses.fields(ca):
        if field.name not in ("number", "updated", "origin_rcc", "origin_number"):
            assert getattr(ca, field.name) == getattr(cb, field.name), field.name
    log_a, log_b = a.log.entries(case_id), b.log.entries(case_id)
    common = min(len(log_a), len(log_b))
    assert log_a[:common] == log_b[:common] and abs(len(log_a) - len(log_b)) <= 1
    assert a.cases.positions(case_id) == b.cases.positions(case_id)
    assert a.drift.runs(case_id) == b.drift.runs(case_id)


def test_round_trip_a_b_a_loses_nothing(desk, desk_b, keys_a, keys_b) -> None:
    a, case_id = desk
    add_drift(a, case_id)
    with contextlib.nullcontext(desk_b) as b:
        sent = send_case(a, case_id, keys=keys_a, to=FALMOUTH, author="op")
        import_package(b, read_package(sent.content, trust=trusting(keys_a, keys_b)), author="opB")
        assert_same_case(a, b, case_id)
        b.log.append(case_id, "Lifeboat on scene", author="opB", data={"unit": "SNS 061"})
        b.cases.add_position(
            case_id, Position(47.53, -3.46, source="sru"), author="opB", as_lkp=False
        )
        add_drift(b, case_id)
        back = send_case(b, case_id, keys=keys_b, to=ETEL, author="opB")
        result = import_package(a, read_package(back.content, trust=trusting(keys_a)), author="op")
        assert result.rechained == 0 and result.conflicts == ()
        assert len(result.changes.drift_runs) == 1
        assert_same_case(a, b, case_id)
        assert a.check().ok and b.check().ok


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[keys.DeskKeys, dict, Path]:
    """The sender's key pair, a signed package document with a drift run, units and plans,
    an empty desk file."""
    folder = tmp_path_factory.mktemp("roundtrip-fuzz")
    with Desk.open(folder / "sender.sqlite") as store:
        case_id = build_case(store)
        add_tasking(store, case_id)
        desk_keys = keys.DeskKeys.generate(ETEL)
        document = build_package(store, case_id, keys=desk_keys, to=FALMOUTH)
    Desk.open(folder / "empty.sqlite").close()
    return desk_keys, document, folder / "empty.sqlite"


def _import_or_refuse(content: bytes, signer: keys.DeskKeys, empty: Path, where: Path) -> bool:
    """Import into a fresh copy of ``empty`` that trusts ``signer``; True if imported. A
    refusal must leave every row as it was."""
    path = Path(tempfile.mkdtemp(dir=where)) / "desk.sqlite"
    shutil.copyfile(empty, path)
    with Desk.open(path) as store:
        store.cases.create(title="Local case", author="op")
        keyring.trust_key(store, keys.read_key_file(keys.public_key_file(signer)), author="op")
        before = list(store.conn.iterdump())
        try:
            import_package(store, read_package(content, trust=Trust.of([signer])), author="op")
        except SarappError as exc:
            assert str(exc)
            assert list(store.conn.iterdump()) == before
            return False
        assert store.check().ok
        return True


@FUZZ
@given(st.data())
def test_damaged_packages_are_refused_without_a_trace(sample, tmp_path: Path, data) -> None:
    signer, document, empty = sample
    content = bytearray(package_bytes(document))
    how = data.draw(st.sampled_from(["flip", "truncate", "random"]))
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 3))):
            index = data.draw(st.integers(0, len(content) - 1))
            content[index] ^= 1 << data.draw(st.integers(0, 7))
    elif how == "truncate":
        content = content[: data.draw(st.integers(0, len(content) - 2))]
    else:
        content = bytearray(data.draw(st.binary(max_size=500)))
    _import_or_refuse(bytes(content), signer, empty, tmp_path)


FIELD_VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(-5, 20000),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)


@FUZZ
@given(st.sampled_from(CASE_VALUES), FIELD_VALUES, st.randoms(use_true_random=False))
def test_resigned_packages_with_odd_values_or_order(sample, tmp_path, field, value, rnd) -> None:
    """A peer's desk may sign anything: odd case values, shuffled positions, units, plans."""
    signer, document, empty = sample
    altered = json.loads(json.dumps(document))
    altered["body"]["case"][field] = value
    for items in ("positions", "units", "plans"):
        rnd.shuffle(altered["body"][items])
    content = package_bytes(sign_package(altered, signer))
    try:
        content.decode()
    except UnicodeDecodeError:
        return
    _import_or_refuse(content, signer, empty, tmp_path)
