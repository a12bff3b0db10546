"""An imported case shows where it was opened: the originating RCC and its number (issue 11)."""

from __future__ import annotations

from pathlib import Path

from sarapp.cli import main
from sarapp.exchange import keyring, keys
from sarapp.exchange.workflow import send_case
from sarapp.store import Desk

from .conftest import ETEL, FALMOUTH, build_case


def _desk(path: Path, rcc: keys.Rcc, keys_dir: Path) -> Path:
    with Desk.open(path) as store:
        keyring.set_rcc(store, rcc, keys_dir=keys_dir)
    return path


def _two_desks(tmp_path: Path, trust_each_other) -> tuple[Path, Path, Path]:
    """Desks A (MRCC-ETEL) and B (MRCC-FALMOUTH) that trust each other; their keys folder."""
    folder = tmp_path / "keys"
    folder.mkdir()
    db_a = _desk(tmp_path / "a.sqlite", ETEL, folder)
    db_b = _desk(tmp_path / "b.sqlite", FALMOUTH, folder)
    trust_each_other((db_a, folder), (db_b, folder))
    return db_a, db_b, folder


def test_the_originating_rcc_and_number_are_shown_and_found(
    capsys, tmp_path: Path, trust_each_other
) -> None:
    db_a, db_b, folder = _two_desks(tmp_path, trust_each_other)
    with Desk.open(db_a) as a:
        case_id = build_case(a)  # 2026-0001 at MRCC-ETEL
        sent = send_case(a, case_id, keys=keyring.desk_keys(a, folder), to=FALMOUTH,
                         author="op", output=tmp_path / "p.sarpkg")  # fmt: skip
    with Desk.open(db_b) as b:
        b.cases.create(title="Yacht aground", author="opB")  # B's own 2026-0001
    assert sent.case_id == case_id
    b_ = ["--db", str(db_b)]
    assert (
        main([*b_, "handover", "import", str(tmp_path / "p.sarpkg"), "--keys-dir", str(folder)])
        == 0
    )
    capsys.readouterr()
    assert main([*b_, "case", "list"]) == 0
    listed = capsys.readouterr().out
    assert "2026-0002 (MRCC-ETEL 2026-0001)  DETRESFA" in listed
    for query in ("MRCC-ETEL", "ETEL 2026-0001"):
        assert main([*b_, "case", "list", "--text", query, "--json"]) == 0
        import json

        found = json.loads(capsys.readouterr().out)
        assert [c["id"] for c in found] == [case_id]
    assert main([*b_, "case", "show", case_id]) == 0
    assert "opened by MRCC-ETEL as case 2026-0001" in capsys.readouterr().out
    assert main([*b_, "sitrep", case_id, "--keys-dir", str(folder)]) == 0
    assert "CASE REF 2026-0002 (MRCC-ETEL 2026-0001)" in capsys.readouterr().out


def test_the_origin_travels_on_with_the_case(tmp_path: Path, trust_each_other) -> None:
    """A case handed from A to B and from B to C still names A as its origin on C."""
    from sarapp.exchange.apply import import_package
    from sarapp.exchange.reader import read_package

    db_a, db_b, folder = _two_desks(tmp_path, trust_each_other)
    db_c = _desk(tmp_path / "c.sqlite", keys.Rcc("JRCC-X"), folder)
    trust_each_other((db_b, folder), (db_c, folder))
    with Desk.open(db_a) as a, Desk.open(db_b) as b, Desk.open(db_c) as c:
        case_id = build_case(a)
        to_b = send_case(a, case_id, keys=keyring.desk_keys(a, folder), to=FALMOUTH, author="op")
        import_package(b, read_package(to_b.content, trust=keyring.desk_trust(b)), author="op")
        to_c = send_case(b, case_id, keys=keyring.desk_keys(b, folder), to=keys.Rcc("JRCC-X"),
                         author="op")  # fmt: skip
        assert to_c.document["body"]["case"]["origin"] == {
            "rcc": "MRCC-ETEL",
            "number": "2026-0001",
        }
        import_package(c, read_package(to_c.content, trust=keyring.desk_trust(c)), author="op")
        assert c.cases.get(case_id).origin_text == "MRCC-ETEL 2026-0001"
        assert a.cases.get(case_id).origin_rcc == ""  # opened here: no origin of its own
