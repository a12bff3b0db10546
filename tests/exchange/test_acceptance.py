"""Accepting coordination makes the case say so on both desks; answering imports (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarapp.cli import main
from sarapp.exchange import keys
from sarapp.exchange.apply import import_package
from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.reader import read_package
from sarapp.exchange.sitrep_parse import parse_sitrep
from sarapp.exchange.workflow import answer_handover, case_sitrep, propose_handover
from sarapp.store import Desk

from .conftest import ETEL, FALMOUTH


@pytest.fixture
def trusted(keys_a: keys.DeskKeys, keys_b: keys.DeskKeys) -> tuple[keys.DeskKeys, keys.DeskKeys]:
    """Desk A (MRCC-ETEL) and desk B (MRCC-FALMOUTH) trust each other's key."""
    return keys_a, keys_b


def _handed_over(desk, desk_b, keys_a, keys_b, trusted, **answer) -> tuple[Desk, str]:
    store, case_id = desk
    a, b = trusted
    proposal = propose_handover(store, case_id, keys=a, to=FALMOUTH, author="opA")
    read = read_package(proposal.content, trust=desk_trust(desk_b))
    import_package(desk_b, read, author="opB")
    accepted = answer_handover(desk_b, read, accept=True, keys=b, author="opB", **answer)
    import_package(store, read_package(accepted.content, trust=desk_trust(store)), author="opA")
    return store, case_id


def _f(store: Desk, case_id: str, me: keys.DeskKeys, to: keys.Rcc) -> str:
    text = case_sitrep(store, case_id, keys=me, to=to, full=True)
    return parse_sitrep(text).paragraphs["coordinating_rcc"].text


def test_acceptance_updates_rcc_and_clears_smc_on_both_desks(
    desk, desk_b, keys_a, keys_b, trusted
) -> None:
    store, case_id = _handed_over(desk, desk_b, keys_a, keys_b, trusted)
    for one in (store, desk_b):
        case = one.cases.get(case_id)
        assert (case.rcc, case.smc) == ("MRCC Falmouth", "")  # was MRCC Etel, Duty SMC Le Goff
        assert one.coordination.coordinator(case_id).rcc_id == "MRCC-FALMOUTH"
        coordination = [e for e in one.log.entries(case_id) if "coordination" in e.data]
        assert {e.kind.value for e in coordination} == {"handover"}
        fields = [e.data for e in one.log.entries(case_id) if e.kind.value == "field"]
        assert {"field": "rcc", "old": "MRCC Etel", "new": "MRCC Falmouth"} in fields
        assert {"field": "smc", "old": "Duty SMC Le Goff", "new": ""} in fields
    a, b = trusted
    assert _f(store, case_id, a, FALMOUTH) == "MRCC FALMOUTH"  # not the RCC that handed over
    assert _f(desk_b, case_id, b, ETEL) == "MRCC FALMOUTH"
    assert not [e for e in store.log.entries(case_id) if "import_conflict" in e.data]


def test_the_accepting_rcc_names_its_smc(desk, desk_b, keys_a, keys_b, trusted) -> None:
    store, case_id = _handed_over(desk, desk_b, keys_a, keys_b, trusted, smc="SMC Pengelly")
    assert store.cases.get(case_id).smc == desk_b.cases.get(case_id).smc == "SMC Pengelly"


def test_case_show_names_the_rcc_that_accepted(
    capsys, desk, desk_b, keys_a, keys_b, trusted
) -> None:
    store, case_id = _handed_over(desk, desk_b, keys_a, keys_b, trusted)
    capsys.readouterr()
    for one in (store, desk_b):
        assert main(["--db", str(one.path), "case", "show", case_id]) == 0
        out = capsys.readouterr().out
        assert "Responsible RCC: MRCC Falmouth" in out and "MRCC Etel" not in out
        assert "Coordinating RCC: MRCC-FALMOUTH (MRCC Falmouth) since" in out


def test_answering_a_proposal_file_imports_it_first(
    capsys, desk, desk_b, keys_a, keys_b, trusted, tmp_path: Path, keys_dir: Path
) -> None:
    store, case_id = desk
    proposal, answer = tmp_path / "proposal.sarpkg", tmp_path / "answer.sarpkg"
    propose_handover(store, case_id, keys=trusted[0], to=FALMOUTH, author="opA", output=proposal)
    code = main(["--db", str(desk_b.path), "handover", "answer", str(proposal), "--accept",
                 "--smc", "SMC Pengelly", "-o", str(answer),
                 "--keys-dir", str(keys_dir)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "created on this desk" in out  # what the import did, then the answer
    assert "coordination accepted; MRCC-FALMOUTH coordinates" in out
    assert desk_b.coordination.coordinator(case_id).rcc_id == "MRCC-FALMOUTH"
    assert desk_b.cases.get(case_id).smc == "SMC Pengelly"
    assert main(["--db", str(store.path), "handover", "import", str(answer), "--keys-dir",
                 str(keys_a), "--json"]) == 0  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["conflicts"] == [] and set(result["updated_fields"]) == {"rcc", "smc"}
    assert store.cases.get(case_id).rcc == "MRCC Falmouth"


def test_an_answer_that_cannot_be_written_leaves_no_import(
    capsys, desk, desk_b, keys_a, keys_b, trusted, tmp_path: Path, keys_dir: Path
) -> None:
    store, case_id = desk
    proposal = tmp_path / "proposal.sarpkg"
    propose_handover(store, case_id, keys=trusted[0], to=FALMOUTH, author="opA", output=proposal)
    attach_checkpoint_signer(desk_b, keys_dir)  # as the CLI opens it (its trust signed once)
    before = list(desk_b.conn.iterdump())
    code = main(["--db", str(desk_b.path), "handover", "answer", str(proposal), "--accept",
                 "-o", str(tmp_path / "no" / "a.sarpkg"), "--keys-dir", str(keys_dir)])  # fmt: skip
    assert code == 1 and "cannot write" in capsys.readouterr().err
    assert list(desk_b.conn.iterdump()) == before  # one step: all or nothing
