"""The coordination handover: propose → accept or decline, each a signed package back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarapp.exchange.apply import import_package
from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.reader import read_package
from sarapp.exchange.workflow import answer_handover, propose_handover, send_case
from sarapp.store import Desk

from .conftest import ETEL, FALMOUTH


@pytest.fixture
def trusted(keys_a: DeskKeys, keys_b: DeskKeys) -> tuple[DeskKeys, DeskKeys]:
    """Both desks trust each other's key (``keys_b`` has set that up)."""
    return keys_a, keys_b


def _receive(store: Desk, content: bytes, _receiver: DeskKeys):
    read = read_package(content, trust=desk_trust(store))
    return read, import_package(store, read, author="op")


def _propose(desk, desk_b, keys_a, keys_b, trusted):
    store, case_id = desk
    a, _ = trusted
    proposal = propose_handover(store, case_id, keys=a, to=FALMOUTH, author="opA")
    read, result = _receive(desk_b, proposal.content, keys_b)
    assert result.created
    return store, case_id, read


def test_until_acceptance_the_sending_rcc_coordinates(desk, desk_b, keys_a, keys_b, trusted):
    store, case_id, proposal = _propose(desk, desk_b, keys_a, keys_b, trusted)
    assert proposal.header["purpose"] == "request-coordination"
    created = store.cases.get(case_id).created
    assert store.coordination.coordinator(case_id) == ("MRCC-ETEL", "MRCC Etel", created)
    assert desk_b.coordination.coordinator(case_id) == ("MRCC-ETEL", "MRCC Etel", created)
    events = [(e.event, e.rcc_id) for e in desk_b.coordination.history(case_id)]
    assert events == [("coordinating", "MRCC-ETEL"), ("proposed", "MRCC-FALMOUTH")]
    assert desk_b.coordination.history(case_id)[1].package_id == proposal.header["package_id"]


def test_acceptance_goes_back_and_the_sender_records_the_new_coordinator(
    desk, desk_b, keys_a, keys_b, trusted
):
    store, case_id, proposal = _propose(desk, desk_b, keys_a, keys_b, trusted)
    _, b = trusted
    answer = answer_handover(desk_b, proposal, accept=True, keys=b, author="opB")
    header = answer.document["header"]
    assert header["purpose"] == "acceptance" and header["to"]["id"] == "MRCC-ETEL"
    assert header["in_reply_to"] == proposal.header["package_id"]
    now_b = desk_b.coordination.coordinator(case_id)
    assert now_b.rcc_id == "MRCC-FALMOUTH"
    read, result = _receive(store, answer.content, keys_a)
    assert read.signature.status.value == "valid-and-trusted"
    assert result.rechained == 0 and not result.created
    assert store.coordination.coordinator(case_id) == now_b  # who, and since when, as B accepted
    history = store.coordination.history(case_id)
    assert [e.event for e in history] == ["coordinating", "proposed", "accepted"]
    assert history[-1].package_id == proposal.header["package_id"]
    texts = [e.text for e in store.log.entries(case_id)]
    assert any(t.startswith("Handover of coordination proposed to MRCC-FALMOUTH") for t in texts)
    assert any(t.startswith("Coordination accepted: MRCC-FALMOUTH") for t in texts)
    assert store.check().ok and desk_b.check().ok
    with pytest.raises(ExchangeError, match="already accepted"):
        answer_handover(desk_b, proposal, accept=False, keys=b, author="opB")


def test_a_refusal_leaves_the_sender_coordinating(desk, desk_b, keys_a, keys_b, trusted):
    store, case_id, proposal = _propose(desk, desk_b, keys_a, keys_b, trusted)
    _, b = trusted
    answer = answer_handover(desk_b, proposal, accept=False, keys=b, author="opB", reason="busy")
    assert answer.document["header"]["purpose"] == "refusal"
    _receive(store, answer.content, keys_a)
    assert store.coordination.coordinator(case_id).rcc_id == "MRCC-ETEL"
    assert desk_b.coordination.coordinator(case_id).rcc_id == "MRCC-ETEL"
    assert store.coordination.history(case_id)[-1].event == "declined"
    assert "busy" in store.log.entries(case_id)[-2].text  # the refusal, then the import line


def test_only_the_addressee_may_answer_and_only_after_import(desk, desk_b, keys_a, trusted):
    store, case_id = desk
    a, b = trusted
    proposal = propose_handover(store, case_id, keys=a, to=FALMOUTH, author="opA")
    read = read_package(proposal.content, trust=None)
    with pytest.raises(ExchangeError, match="import the proposal"):
        answer_handover(desk_b, read, accept=True, keys=b, author="opB")
    with pytest.raises(ExchangeError, match="not to this desk"):
        answer_handover(store, read, accept=True, keys=a, author="opA")
    info = send_case(store, case_id, keys=a, to=FALMOUTH, author="opA")
    with pytest.raises(ExchangeError, match="not a request"):
        answer_handover(desk_b, read_package(info.content, trust=None), accept=True, keys=b,
                        author="opB")  # fmt: skip


def test_only_the_coordinator_proposes(desk, desk_b, keys_a, keys_b, trusted) -> None:
    store, case_id, _ = _propose(desk, desk_b, keys_a, keys_b, trusted)
    _, b = trusted
    with pytest.raises(ExchangeError, match="MRCC-ETEL coordinates"):
        propose_handover(desk_b, case_id, keys=b, to=ETEL, author="opB")
    with pytest.raises(ExchangeError, match="another RCC"):
        propose_handover(store, case_id, keys=trusted[0], to=ETEL, author="opA")


def test_a_failed_write_leaves_no_trace(desk, trusted, tmp_path: Path) -> None:
    store, case_id = desk
    before = list(store.conn.iterdump())
    with pytest.raises(ExchangeError, match="cannot write"):
        propose_handover(store, case_id, keys=trusted[0], to=FALMOUTH, author="opA",
                         output=tmp_path / "missing" / "p.sarpkg")  # fmt: skip
    assert list(store.conn.iterdump()) == before


def test_cli_propose_and_answer(capsys, desk, desk_b, trusted, keys_dir, tmp_path) -> None:
    from sarapp.cli import main

    store, case_id = desk
    proposal, answer = tmp_path / "proposal.sarpkg", tmp_path / "answer.sarpkg"
    db_a, db_b = str(store.path), str(desk_b.path)
    assert main(["--db", db_a, "handover", "propose", case_id[:8], "--to", "MRCC-FALMOUTH",
                 "-o", str(proposal), "--keys-dir", str(keys_dir)]) == 0  # fmt: skip
    assert "asked to accept coordination" in capsys.readouterr().out
    assert main(["--db", db_b, "handover", "import", str(proposal), "--keys-dir",
                 str(keys_dir)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["--db", db_b, "handover", "answer", str(proposal), "--accept", "-o",
                 str(answer), "--keys-dir", str(keys_dir), "--json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["header"]["purpose"] == "acceptance"
    assert main(["--db", db_a, "handover", "import", str(answer), "--keys-dir",
                 str(keys_dir), "--json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["purpose"] == "acceptance"
    assert store.coordination.coordinator(case_id).rcc_id == "MRCC-FALMOUTH"
