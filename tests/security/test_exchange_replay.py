"""``db check`` after a whole exchange between two desks: the replay of each log explains
every case field the imports set, so both desks are clean, and a change made behind either
desk's back is still named, also when an import came after it.

Every field an import sets is justified by what ``db check`` replays: the entries it imported
(the other desk's field changes, the acceptance's responsible RCC and SMC) and its own note,
which records the row as the import left it and the fields it took. Before, the note's record
was taken as it stood: a value changed in SQLite before an import was written into the
import's note, and ``db check`` said ``ok`` from then on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarapp.store import Desk

from .conftest import Rccs, ok, run, send_a_to_b, tamper


def _on(capsys, desk: Path, keys: Path, *argv: str) -> str:
    """A command other than ``handover`` on a desk, signing its checkpoints with its key."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SARAPP_KEYS_DIR", str(keys))
        return ok(capsys, "--db", str(desk), *argv)


def _check(capsys, desk: Path, keys: Path) -> dict:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SARAPP_KEYS_DIR", str(keys))
        code, out, err = run(capsys, "--db", str(desk), "db", "check", "--json")
    report = json.loads(out)
    assert (code == 0) == report["ok"], err
    return report


def _exchange(capsys, r: Rccs) -> None:
    """Information package A → B, work on both desks, a proposal A → B, its acceptance with
    an SMC, and a second package each way."""
    a = lambda *argv: _on(capsys, r.a, r.keys_a, *argv)  # noqa: E731
    b = lambda *argv: _on(capsys, r.b, r.keys_b, *argv)  # noqa: E731
    ok(capsys, *r.on_b("handover", "import", str(send_a_to_b(capsys, r))))
    b("case", "set", r.case_id, "pob", "5")  # changed on B only: A takes it from B's log
    b("case", "position", r.case_id, "--lat", "47.52", "--lon", "-3.47", "--source", "R924")
    b("log", "add", r.case_id, "Rescue 924 on scene")
    a("case", "set", r.case_id, "vessel_name", "MARIE")  # changed on A only: B takes it
    a("case", "phase", r.case_id, "ALERFA", "--reason", "crew reached by phone")
    proposal, answer = r.tmp / "proposal.sarpkg", r.tmp / "answer.sarpkg"
    ok(capsys, *r.on_a("handover", "propose", r.case_id, "--to", "MRCC-FALMOUTH",
                       "-o", str(proposal)))  # fmt: skip
    ok(capsys, *r.on_b("handover", "answer", str(proposal), "--accept", "--smc", "SMC Pengelly",
                       "-o", str(answer)))  # fmt: skip
    ok(capsys, *r.on_a("handover", "import", str(answer)))
    back = r.tmp / "b-to-a.sarpkg"
    ok(capsys, *r.on_b("handover", "export", r.case_id, "--to", "MRCC-ETEL", "-o", str(back)))
    ok(capsys, *r.on_a("handover", "import", str(back)))
    ok(capsys, *r.on_b("handover", "import", str(send_a_to_b(capsys, r, "again.sarpkg"))))


@pytest.fixture
def exchanged(capsys, rccs: Rccs) -> Rccs:
    _exchange(capsys, rccs)
    return rccs


def _desks(r: Rccs) -> dict[str, tuple[Path, Path]]:
    return {"A": (r.a, r.keys_a), "B": (r.b, r.keys_b)}


def test_both_desks_are_clean_after_a_whole_exchange(capsys, exchanged: Rccs) -> None:
    r = exchanged
    for name, (desk, keys) in _desks(r).items():
        report = _check(capsys, desk, keys)
        assert report["ok"] and report["problems"] == [], (name, report)
        assert report["notices"] == [], (name, report)  # every change signed, too
        with Desk.open(desk, create=False) as store:
            case = store.cases.get(r.case_id)
            log = store.log.entries(r.case_id)
        assert (case.rcc, case.smc) == ("MRCC Falmouth", "SMC Pengelly"), name
        assert (case.pob, case.vessel_name, case.phase.value) == (5, "MARIE", "ALERFA"), name
        assert case.lkp is not None and case.lkp.source == "R924", name
        assert not [e for e in log if "import_conflict" in e.data], name
    with Desk.open(r.a, create=False) as a:
        taken = {e.data["handover"]["purpose"]: e.data["handover"]["updated_fields"]
                 for e in a.log.entries(r.case_id) if "case_state" in e.data}  # fmt: skip
    # A took B's persons on board and LKP with the answer, and the acceptance's RCC and SMC;
    # B's own import note of A's proposal, which came along, says what B took from it.
    assert set(taken["acceptance"]) == {"rcc", "smc", "pob", "lkp_id"}, taken
    assert set(taken["request-coordination"]) == {"vessel_name", "phase"}, taken


@pytest.mark.parametrize("desk", ["A", "B"])
@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("UPDATE cases SET smc = 'Duty SMC'", "smc is 'Duty SMC' but its log says 'SMC Pengelly'"),
        ("UPDATE cases SET rcc = 'MRCC Etel'", "rcc is 'MRCC Etel' but its log says"),
        ("UPDATE cases SET pob = 40", "persons on board is 40 but its log says 5"),
        ("UPDATE cases SET phase = 'DETRESFA'", "alert phase is 'DETRESFA' but its log says"),
        ("UPDATE cases SET origin_rcc = 'JRCC-X'", "originating RCC is 'JRCC-X' but its log"),
    ],
)
def test_a_change_behind_a_desk_s_back_after_the_exchange_is_named(
    capsys, exchanged: Rccs, desk: str, sql: str, named: str
) -> None:
    path, keys = _desks(exchanged)[desk]
    tamper(path, sql)
    report = _check(capsys, path, keys)
    assert not report["ok"] and any(named in p for p in report["problems"]), report


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("UPDATE cases SET number = '2026-0099'", "found its case number at '2026-0099'"),
        ("UPDATE cases SET mmsi = '227999999'", "found its mmsi at '227999999'"),
        ("UPDATE cases SET smc = 'Nobody'", "found its smc at 'Nobody'"),
    ],
)
def test_an_import_after_the_change_does_not_hide_it(
    capsys, exchanged: Rccs, sql: str, named: str
) -> None:
    """The field is not one the import takes (only this desk holds its number; nobody logged
    another MMSI or SMC), so its note records the changed value: the note must not vouch for
    it."""
    r = exchanged
    tamper(r.a, sql)
    _on(capsys, r.b, r.keys_b, "log", "add", r.case_id, "Casualty towed to Lorient")
    back = r.tmp / "third.sarpkg"
    ok(capsys, *r.on_b("handover", "export", r.case_id, "--to", "MRCC-ETEL", "-o", str(back)))
    ok(capsys, *r.on_a("handover", "import", str(back)))
    report = _check(capsys, r.a, r.keys_a)
    assert not report["ok"] and any(named in p for p in report["problems"]), report
    assert any("changed outside sarapp before" in p for p in report["problems"]), report
