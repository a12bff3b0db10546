"""A case opened by a SIT 185 and handed over: the receiving desk links the beacon too, so
the same message is not filed twice and a later alert updates the imported case."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sarapp.alerts.intake import import_sit185
from sarapp.exchange.apply import import_package
from sarapp.exchange.reader import read_package
from sarapp.store import Desk

from .conftest import trusting
from .helpers import as_bytes, export

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sit185"


def test_beacon_link_travels_with_the_case(store: Desk, desk_b: Desk, keys_a, keys_b) -> None:
    first = import_sit185(store, (SAMPLES / "confirmed_update.txt").read_text(), author="opA")
    with contextlib.nullcontext(desk_b) as b:
        read = read_package(as_bytes(export(store, first.case_id, keys_a)), trust=trusting(keys_a))
        assert import_package(b, read, author="opB").created
        again = import_sit185(b, (SAMPLES / "confirmed_update.txt").read_text(), author="opB")
        assert again.duplicate and again.case_id == first.case_id
        later = import_sit185(b, (SAMPLES / "conflict_decimal_crlf.txt").read_text(), author="opB")
        assert not later.created and later.case_id == first.case_id
        assert len(b.cases.list()) == 1 and b.check().ok
