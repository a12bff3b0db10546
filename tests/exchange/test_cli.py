"""``sarapp keys``, ``sarapp handover`` and ``sarapp sitrep`` through the CLI entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sarapp.cli import main

SAMPLES = Path(__file__).parent.parent / "data" / "exchange" / "sitrep"


@pytest.fixture(autouse=True)
def _no_user_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test's data folder (default desk and keys) is its own, never the user's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SARAPP_KEYS_DIR", raising=False)
    monkeypatch.delenv("SARAPP_DB", raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(desk) -> str:
    store, _ = desk
    return str(store.path)


@pytest.fixture
def two_desks(capsys, db, tmp_path: Path, empty_desk_file: Path) -> tuple[str, str]:
    """``--db`` of desk A (the worked case, MRCC-ETEL) and of an empty desk B (MRCC-FALMOUTH),
    their keys in the user's data folder."""
    b = str(tmp_path / "b.sqlite")
    shutil.copyfile(empty_desk_file, b)
    assert run(capsys, "--db", db, "keys", "rcc", "MRCC-ETEL", "--name", "MRCC Etel",
               "--country", "fr")[0] == 0  # fmt: skip
    assert run(capsys, "--db", b, "keys", "rcc", "MRCC-FALMOUTH")[0] == 0
    return db, b


def test_keys_show_export_trust(capsys, two_desks, tmp_path: Path) -> None:
    a, b = two_desks
    shown = json.loads(run(capsys, "--db", a, "keys", "show", "--json")[1])
    assert shown["rcc"] == {"id": "MRCC-ETEL", "name": "MRCC Etel", "country": "FR"}
    key_file = tmp_path / "etel.sarkey"
    assert run(capsys, "--db", a, "keys", "export", "-o", str(key_file))[0] == 0
    code, out, _ = run(capsys, "--db", b, "keys", "trust", str(key_file))
    assert code == 0 and shown["fingerprint"] in out
    listed = json.loads(run(capsys, "--db", b, "keys", "show", "--json")[1])
    assert [p["fingerprint"] for p in listed["trusted"]] == [shown["fingerprint"]]
    assert listed["trusted"][0]["added_by"]  # who trusted it
    code, _, err = run(capsys, "--db", b, "keys", "trust", str(tmp_path / "missing"))
    assert code == 1 and err.startswith("sarapp: cannot read")


def test_export_verify_and_dry_run_import(capsys, db, two_desks, tmp_path: Path) -> None:
    a, b = two_desks
    package = str(tmp_path / "case.sarpkg")
    code, out, err = run(capsys, "--db", db, "handover", "export", "2026-0001", "--to",
                         "MRCC-FALMOUTH", "-o", package, "--purpose",
                         "request-coordination")  # fmt: skip
    assert code == 0, err
    assert "case 2026-0001 to MRCC-FALMOUTH" in out
    code, out, _ = run(capsys, "--db", b, "handover", "verify", package)
    assert code == 0 and out.startswith("signature: valid-but-unknown-signer")
    verified = json.loads(run(capsys, "--db", a, "handover", "verify", package, "--json")[1])
    assert verified["signature"]["status"] == "valid-and-trusted"
    assert verified["header"]["purpose"] == "request-coordination"
    assert verified["log_entries"] == 9  # the case's 8 and "package sent", logged first
    with Path(package).open("r+b") as handle:  # damage one byte of the case title
        content = handle.read()
        handle.seek(content.index(b"engine room"))
        handle.write(b"ENGINE")
    code, out, _ = run(capsys, "--db", a, "handover", "verify", package)
    assert code == 1 and out.startswith("signature: invalid")


def test_dry_run_import_on_another_desk(capsys, db, two_desks, tmp_path: Path) -> None:
    a, b = two_desks
    package = str(tmp_path / "case.sarpkg")
    run(capsys, "--db", db, "handover", "export", "2026-0001", "--to", "X", "-o", package)
    code, out, err = run(capsys, "--db", b, "handover", "import", package, "--dry-run", "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["created"] is True and plan["added_entries"] == 9 and plan["conflicts"] == []
    assert plan["signature"] == "valid-but-unknown-signer" and plan["signer"] is None
    assert plan["would_be_quarantined"] is True
    run(capsys, "--db", a, "keys", "export", "-o", str(tmp_path / "etel.sarkey"))
    run(capsys, "--db", b, "keys", "trust", str(tmp_path / "etel.sarkey"))
    code, out, err = run(capsys, "--db", b, "handover", "import", package)
    assert code == 0 and "created on this desk" in out and "added 9 log entries" in out


def test_sitrep_from_the_case(capsys, db, two_desks) -> None:
    code, out, _ = run(capsys, "--db", db, "sitrep", "2026-0001", "--full", "--to", "MRCC X",
                       "--weather", "wind W 4")  # fmt: skip
    assert code == 0
    lines = out.splitlines()  # plain text by default: what goes out by telex or AFTN
    assert lines[0] == "DISTRESS" and lines[2:5] == ["FM MRCC ETEL", "TO MRCC X", "BT"]
    assert "H. WEATHER ON SCENE: WIND W 4" in lines and lines[-1] == "BT"
    assert out.isascii() and "4731.2N 00328.8W" in out
    code, out, _ = run(capsys, "--db", db, "sitrep", "2026-0001", "--typographic", "--to",
                       "MRCC X")  # fmt: skip
    assert out.splitlines()[2] == "FROM: MRCC ETEL" and "47°31.200'N 003°28.800'W" in out


def test_sitrep_needs_a_sender(capsys, tmp_path: Path, store) -> None:
    (case_id,) = store.cases.create(title="No RCC", author="op").cases
    code, _, err = run(capsys, "--db", str(store.path), "sitrep", case_id)
    assert code == 1 and "--from" in err


def test_sitrep_parse_json_keys(capsys) -> None:
    code, out, _ = run(capsys, "sitrep", "parse", str(SAMPLES / "alt-lettering.txt"), "--json")
    assert code == 0
    parsed = json.loads(out)
    assert set(parsed["header"]) == {
        "priority", "dtg", "from", "to", "sitrep_number", "final", "reference"}  # fmt: skip
    assert parsed["header"]["to"] == ["CROSS ETEL", "JRCC STAVANGER"]
    assert set(parsed["paragraphs"]) == {
        "identity", "position", "situation", "persons", "assistance", "coordinating_rcc",
        "description", "weather", "initial_actions", "search_area", "coordinating_instructions",
        "future_plans", "additional_info",
    }  # fmt: skip
    assert parsed["paragraphs"]["persons"]["count"] == 3
    assert set(parsed["paragraphs"]["position"]) >= {"lat", "lon"}
