"""``sarapp keys``, ``sarapp handover`` and ``sarapp sitrep`` through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarapp.cli import main

SAMPLES = Path(__file__).parent.parent / "data" / "exchange" / "sitrep"


@pytest.fixture(autouse=True)
def _no_user_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test's default keys folder is its own, never the user's."""
    monkeypatch.setenv("SARAPP_KEYS_DIR", str(tmp_path / "default-keys"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(desk) -> str:
    store, _ = desk
    return str(store.path)


@pytest.fixture
def two_desks(capsys, tmp_path: Path) -> tuple[str, str]:
    a, b = str(tmp_path / "a-keys"), str(tmp_path / "b-keys")
    assert run(capsys, "keys", "rcc", "MRCC-ETEL", "--name", "MRCC Etel", "--country", "fr",
               "--keys-dir", a)[0] == 0  # fmt: skip
    assert run(capsys, "keys", "rcc", "MRCC-FALMOUTH", "--keys-dir", b)[0] == 0
    return a, b


def test_keys_show_export_trust(capsys, two_desks, tmp_path: Path) -> None:
    a, b = two_desks
    shown = json.loads(run(capsys, "keys", "show", "--keys-dir", a, "--json")[1])
    assert shown["rcc"] == {"id": "MRCC-ETEL", "name": "MRCC Etel", "country": "FR"}
    key_file = tmp_path / "etel.sarkey"
    assert run(capsys, "keys", "export", "-o", str(key_file), "--keys-dir", a)[0] == 0
    code, out, _ = run(capsys, "keys", "trust", str(key_file), "--keys-dir", b)
    assert code == 0 and shown["fingerprint"] in out
    listed = json.loads(run(capsys, "keys", "show", "--keys-dir", b, "--json")[1])
    assert [p["fingerprint"] for p in listed["trusted"]] == [shown["fingerprint"]]
    code, _, err = run(capsys, "keys", "trust", str(tmp_path / "missing"), "--keys-dir", b)
    assert code == 1 and err.startswith("sarapp: cannot read")


def test_export_verify_and_dry_run_import(capsys, db, two_desks, tmp_path: Path) -> None:
    a, b = two_desks
    package = str(tmp_path / "case.sarpkg")
    code, out, err = run(capsys, "--db", db, "handover", "export", "2026-0001", "--to",
                         "MRCC-FALMOUTH", "-o", package, "--purpose", "request-coordination",
                         "--keys-dir", a)  # fmt: skip
    assert code == 0, err
    assert "case 2026-0001 to MRCC-FALMOUTH" in out
    code, out, _ = run(capsys, "handover", "verify", package, "--keys-dir", b)
    assert code == 0 and out.startswith("signature: valid-but-unknown-signer")
    verified = json.loads(run(capsys, "handover", "verify", package, "--keys-dir", a, "--json")[1])
    assert verified["signature"]["status"] == "valid-and-trusted"
    assert verified["header"]["purpose"] == "request-coordination"
    assert verified["log_entries"] == 9  # the case's 8 and "package sent", logged first
    with Path(package).open("r+b") as handle:  # damage one byte of the case title
        content = handle.read()
        handle.seek(content.index(b"engine room"))
        handle.write(b"ENGINE")
    code, out, _ = run(capsys, "handover", "verify", package, "--keys-dir", a)
    assert code == 1 and out.startswith("signature: invalid")


def test_dry_run_import_on_another_desk(capsys, db, two_desks, tmp_path: Path) -> None:
    a, b = two_desks
    package = str(tmp_path / "case.sarpkg")
    run(capsys, "--db", db, "handover", "export", "2026-0001", "--to", "X", "-o", package,
        "--keys-dir", a)  # fmt: skip
    other = str(tmp_path / "other.sqlite")
    run(capsys, "--db", other, "case", "list")  # creates the empty desk
    code, out, err = run(capsys, "--db", other, "handover", "import", package, "--dry-run",
                         "--keys-dir", b, "--json")  # fmt: skip
    assert code == 0, err
    plan = json.loads(out)
    assert plan["created"] is True and plan["added_entries"] == 9 and plan["conflicts"] == []
    assert plan["signature"] == "valid-but-unknown-signer" and plan["signer"] is None
    code, out, err = run(capsys, "--db", other, "handover", "import", package, "--keys-dir", b)
    assert code == 0 and "created on this desk" in out and "added 9 log entries" in out


def test_sitrep_from_the_case(capsys, db, two_desks) -> None:
    a, _ = two_desks
    code, out, _ = run(capsys, "--db", db, "sitrep", "2026-0001", "--full", "--to", "MRCC X",
                       "--weather", "wind W 4", "--keys-dir", a)  # fmt: skip
    assert code == 0
    lines = out.splitlines()  # plain text by default: what goes out by telex or AFTN
    assert lines[0] == "DISTRESS" and lines[2:5] == ["FM MRCC ETEL", "TO MRCC X", "BT"]
    assert "H. WEATHER ON SCENE: WIND W 4" in lines and lines[-1] == "BT"
    assert out.isascii() and "4731.2N 00328.8W" in out
    code, out, _ = run(capsys, "--db", db, "sitrep", "2026-0001", "--typographic", "--to",
                       "MRCC X", "--keys-dir", a)  # fmt: skip
    assert out.splitlines()[2] == "FROM: MRCC ETEL" and "47°31.200'N 003°28.800'W" in out


def test_sitrep_needs_a_sender(capsys, tmp_path: Path, store) -> None:
    (case_id,) = store.create_case(title="No RCC", author="op").cases
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
