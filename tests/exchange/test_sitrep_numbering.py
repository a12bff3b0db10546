"""SITREPs are numbered per case as they are sent: 1, 2, 3…; a package without one does not
count, and a proposal's SITREP is numbered like any other."""

from __future__ import annotations

import re
from pathlib import Path

from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.reader import read_package_file
from sarapp.exchange.workflow import propose_handover, send_case

from .conftest import FALMOUTH


def _number(path: Path, _signer: DeskKeys) -> int:
    text = read_package_file(path, trust=None).body["sitrep"]
    return int(re.search(r"SITREP (?:NO\.? ?)?(\d+)", text.upper()).group(1))


def test_sitreps_are_numbered_as_sent(desk, keys_a: DeskKeys, tmp_path: Path) -> None:
    store, case_id = desk
    desk_keys = keys_a
    common = {"keys": desk_keys, "to": FALMOUTH, "author": "SMC"}
    send_case(store, case_id, sitrep="short", output=tmp_path / "1.sarpkg", **common)
    send_case(store, case_id, sitrep=None, output=tmp_path / "none.sarpkg", **common)
    send_case(store, case_id, sitrep="full", output=tmp_path / "2.sarpkg", **common)
    propose_handover(store, case_id, sitrep="short", output=tmp_path / "3.sarpkg", **common)
    assert [_number(tmp_path / f"{n}.sarpkg", keys_a) for n in (1, 2, 3)] == [1, 2, 3]
    texts = [e.text for e in store.log.entries(case_id)]
    assert any(t.endswith("with SITREP 1 (short form)") for t in texts)
    assert any(t.startswith("SITREP 3 (short form) sent to") for t in texts)
    assert store.check().ok
