"""Key handling (issue 10) and the RCC identity that belongs to the desk (issue 11).

On main: a desk whose private key went missing silently made a new one; ``--keys-dir`` was
created when it did not exist; a key file of another user was used; a permission error was a
traceback; two desks on one computer signed as the same RCC; ``keys show`` did not say which
desk it showed.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sarapp.store import Desk

from .conftest import Rccs, ok, run

LAYOUT_V1 = Path(__file__).parent.parent / "data" / "keys" / "layout-v1"
ETEL_V1_FINGERPRINT = (
    "3037 cf21 80f0 ecda 6025 941e ffcb c5ae e787 f9d0 83c5 97ce 6cc6 afa0 0110 2ab8"
)
FALMOUTH_V1_FINGERPRINT = (
    "9ee5 5c0c 43f9 121e e6b8 3ef4 2d06 c1e9 b410 1d7c 8dc4 d6a7 2dbb 4073 9ecb aa67"
)


def _private_key_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("desk.key"))


def test_a_desk_whose_private_key_is_missing_refuses_to_sign(capsys, rccs: Rccs) -> None:
    r = rccs
    (key,) = _private_key_files(r.keys_a)
    key.unlink()
    out = r.tmp / "p.sarpkg"
    code, _, err = run(capsys, *r.on_a("handover", "export", r.case_id, "--to", "MRCC-FALMOUTH",
                                       "-o", str(out)))  # fmt: skip
    assert code == 1
    (line,) = err.splitlines()
    assert "private key" in line and "missing" in line
    assert _private_key_files(r.keys_a) == []  # no new key made behind the officer's back
    assert not out.exists()
    code, _, err = run(capsys, *r.on_a("keys", "show"))
    assert code == 1 and "missing" in err


def test_a_keys_dir_that_does_not_exist_is_refused_not_created(capsys, rccs: Rccs) -> None:
    r = rccs
    missing = r.tmp / "no-such-folder"
    code, _, err = run(capsys, "--db", str(r.a), "keys", "show", "--keys-dir", str(missing))
    assert code == 1 and "does not exist" in err and str(missing) in err
    assert not missing.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_key_file_owned_by_another_user_is_refused(capsys, rccs: Rccs) -> None:
    r = rccs
    (key,) = _private_key_files(r.keys_a)
    os.chown(key, 65534, 65534)
    code, _, err = run(capsys, *r.on_a("keys", "export"))
    assert code == 1 and "owned by" in err and len(err.splitlines()) == 1


def _without_root_powers() -> list[str]:
    """Run a command so file permissions apply to it, even when the tests run as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_a_permission_error_is_one_line_not_a_traceback(rccs: Rccs) -> None:
    r = rccs
    r.keys_a.chmod(0o000)
    try:
        result = subprocess.run(
            [*_without_root_powers(), sys.executable, "-m", "sarapp.cli", *r.on_a("keys", "show")],
            capture_output=True, text=True, timeout=60, env={**os.environ},
        )  # fmt: skip
    finally:
        r.keys_a.chmod(0o700)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert "permission" in line.lower() and str(r.keys_a) in line


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch, empty_desk_file: Path) -> Path:
    """The user's data folder of this test (``$XDG_DATA_HOME/sarapp``), and two desk files."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SARAPP_KEYS_DIR", raising=False)
    for name in ("a.sqlite", "b.sqlite"):
        shutil.copyfile(empty_desk_file, tmp_path / name)
    return tmp_path / "xdg" / "sarapp"


def test_two_desks_on_one_computer_do_not_sign_as_the_same_rcc(capsys, data_home, tmp_path):
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    ok(capsys, "--db", a, "keys", "rcc", "MRCC-ETEL", "--name", "MRCC Etel")
    shown_a = json.loads(ok(capsys, "--db", a, "keys", "show", "--json"))
    shown_b = json.loads(ok(capsys, "--db", b, "keys", "show", "--json"))
    assert shown_a["rcc"]["id"] == "MRCC-ETEL" and shown_b["rcc"] is None
    assert shown_a["fingerprint"] != shown_b["fingerprint"]
    assert shown_a["desk"]["path"] == a and shown_b["desk"]["path"] == b
    assert shown_a["desk"]["id"] != shown_b["desk"]["id"]
    ok(capsys, "--db", b, "keys", "rcc", "MRCC-FALMOUTH")
    text = ok(capsys, "--db", b, "keys", "show")
    assert b in text.splitlines()[0] and "MRCC-FALMOUTH" in text and "MRCC-ETEL" not in text
    with Desk.open(a) as store:
        (case_id,) = store.cases.create(title="Yacht LUNA", author="op").cases
    out = str(tmp_path / "p.sarpkg")
    ok(capsys, "--db", a, "handover", "export", case_id, "--to", "MRCC-FALMOUTH", "-o", out)
    verified = json.loads(ok(capsys, "--db", b, "handover", "verify", out, "--json"))
    assert verified["header"]["from"]["id"] == "MRCC-ETEL"
    assert verified["signature"]["fingerprint"] == shown_a["fingerprint"]
    # The private keys live in the user's folder, keyed by desk, not beside the desk file.
    assert (data_home / "keys" / shown_a["desk"]["id"] / "desk.key").exists()
    assert not list(tmp_path.glob("*.key"))


def test_the_old_key_folder_is_adopted_by_one_desk_without_losing_a_trusted_peer(
    capsys, data_home, tmp_path
):
    """A copy of the key folder as sarapp kept it before: the first desk used takes its
    identity, key and trust list; the second must set its own identity."""
    legacy = data_home / "keys"
    shutil.copytree(LAYOUT_V1, legacy)
    (legacy / "desk.key").chmod(0o600)
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    shown_a = json.loads(ok(capsys, "--db", a, "keys", "show", "--json"))
    assert shown_a["rcc"] == {"id": "MRCC-ETEL", "name": "MRCC Etel", "country": "FR"}
    assert shown_a["fingerprint"] == ETEL_V1_FINGERPRINT
    assert [(p["rcc"]["id"], p["fingerprint"]) for p in shown_a["trusted"]] == [
        ("MRCC-FALMOUTH", FALMOUTH_V1_FINGERPRINT)
    ]
    desk_key = legacy / shown_a["desk"]["id"] / "desk.key"
    assert stat.S_IMODE(desk_key.stat().st_mode) == 0o600
    assert desk_key.read_bytes() == (LAYOUT_V1 / "desk.key").read_bytes()
    # The second desk on this computer does not silently take the same identity.
    shown_b = json.loads(ok(capsys, "--db", b, "keys", "show", "--json"))
    assert shown_b["rcc"] is None and shown_b["trusted"] == []
    assert shown_b["fingerprint"] != ETEL_V1_FINGERPRINT
    code, _, err = run(capsys, "--db", b, "keys", "export")
    assert code == 1 and "sarapp keys rcc" in err
    # Using desk A again keeps what it adopted.
    again = json.loads(ok(capsys, "--db", a, "keys", "show", "--json"))
    assert again["fingerprint"] == ETEL_V1_FINGERPRINT and len(again["trusted"]) == 1


def test_keys_show_names_the_desk_it_shows(capsys, rccs: Rccs) -> None:
    r = rccs
    first = ok(capsys, *r.on_a("keys", "show")).splitlines()[0]
    assert str(r.a) in first and "MRCC-ETEL" in first
    assert "this desk:" not in first
