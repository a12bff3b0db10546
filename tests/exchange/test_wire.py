"""The wire format writes values, not a store's storage forms: the same case gives the same
canonical bytes whichever way a desk hands its values back, and a golden package taken into
a desk comes out of it again byte for byte."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sarapp.chain import time_text
from sarapp.exchange import keyring, keys
from sarapp.exchange.apply import import_package
from sarapp.exchange.body import case_body, case_to_json, entry_to_json, position_to_json
from sarapp.exchange.canonical import canonical_bytes
from sarapp.exchange.reader import read_package_file
from sarapp.exchange.wire import time_from_wire, time_to_wire

from .conftest import build_case

GOLDEN = Path(__file__).parent.parent / "data" / "exchange"


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 28, 17, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 11, 28, 17, 0, tzinfo=UTC),
        datetime(999, 11, 26, 14, 30, tzinfo=UTC),
        datetime(2026, 11, 28, 18, 0, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_a_wire_time_is_the_chain_s_text_and_reads_back(moment: datetime) -> None:
    """A log entry's time travels as the text its hash covers."""
    text = time_to_wire(moment)
    assert text == time_text(moment) and len(text) == 27 and text.endswith("Z")
    assert time_from_wire(text) == moment


@pytest.mark.parametrize("text", ["2026-11-28T17:00:00+01:00", "2026-11-28T17:00:00"])
def test_a_wire_time_must_be_utc(text: str) -> None:
    with pytest.raises(ValueError):
        time_from_wire(text)


def _as_a_server_hands_them_back(value):
    """The same values as a PostgreSQL desk returns them: UUID objects for ids, times in
    another (equal) time zone object."""
    other_utc = timezone(timedelta(0))
    changes = {}
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        if field.name in ("id", "case_id", "corrects") and isinstance(item, str):
            changes[field.name] = uuid.UUID(item)
        elif isinstance(item, datetime):
            changes[field.name] = item.astimezone(other_utc)
        elif dataclasses.is_dataclass(item):
            changes[field.name] = _as_a_server_hands_them_back(item)
    return dataclasses.replace(value, **changes)


def test_the_same_case_gives_the_same_bytes_whatever_types_the_desk_returns(store) -> None:
    case_id = build_case(store)
    case = store.cases.get(case_id)
    entries, positions = store.log.entries(case_id), store.cases.positions(case_id)

    def encoded(case, entries, positions) -> bytes:
        return canonical_bytes(
            {
                "case": case_to_json(case),
                "log": [entry_to_json(e) for e in entries],
                "positions": [position_to_json(p) for p in positions],
            }
        )

    as_stored = encoded(case, entries, positions)
    served = encoded(
        _as_a_server_hands_them_back(case),
        [_as_a_server_hands_them_back(e) for e in entries],
        [_as_a_server_hands_them_back(p) for p in positions],
    )
    assert served == as_stored


@pytest.mark.parametrize(
    "version, name",
    [("v3", "with-units-and-plans"), ("v4", "with-large-seed"), ("v5", "with-checkpoint")],
)
def test_a_golden_package_taken_in_comes_out_byte_for_byte(store, version: str, name: str):
    """What the sender signed (log, positions, drift runs, units, plans, the case's values)
    survives the desk's storage: read back out, it is the same canonical bytes."""
    peer = keys.read_key_file((GOLDEN / version / "mrcc-etel.sarkey").read_bytes())
    keyring.trust_key(store, peer, author="op")
    read = read_package_file(GOLDEN / version / f"{name}.sarpkg", trust=keyring.desk_trust(store))
    result = import_package(store, read, author="op")
    sent, kept = read.body, case_body(store, result.case_id)
    assert len(kept["log"]) == len(sent["log"]) + 1  # and the import's note
    for member in ("positions", "drift_runs", "units", "plans"):
        assert canonical_bytes(kept[member]) == canonical_bytes(sent[member]), member
    as_sent = json.loads((GOLDEN / version / f"{name}.sarpkg").read_bytes())["body"]["log"]
    assert canonical_bytes(kept["log"][:-1]) == canonical_bytes(as_sent)  # data_json too
    local = ("number", "updated", "origin")  # this desk's number, its import, who opened it
    assert canonical_bytes({k: v for k, v in kept["case"].items() if k not in local}) == (
        canonical_bytes({k: v for k, v in sent["case"].items() if k not in local})
    )
