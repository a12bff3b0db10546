"""Packages, inbox files, quarantined packages and desk files are owner-only (issue 10).

On main they were created with the process's umask (0644 here): any user of the computer
could read a case, its positions and persons on board.
"""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

from sarapp.store import Desk
from sarapp.store.sqlite.schema import APPLICATION_ID

from .conftest import Rccs, forge, run, send_a_to_b

DESK_V1 = Path(__file__).parent.parent / "data" / "store" / "desk_v1.sql"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_desk_and_its_journal_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with Desk.open(path) as store:
        store.cases.create(title="Yacht LUNA", author="op")
        assert mode(path) == 0o600
        assert mode(tmp_path / "new.sqlite-wal") == 0o600


def test_the_backup_made_before_a_migration_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(DESK_V1.read_text())
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    Desk.open(path).close()
    assert mode(tmp_path / "old.sqlite.v1.bak") == 0o600


def test_packages_are_written_owner_only(capsys, rccs: Rccs) -> None:
    assert mode(send_a_to_b(capsys, rccs)) == 0o600


def test_quarantined_packages_are_owner_only(capsys, rccs: Rccs) -> None:
    r = rccs
    forged = r.tmp / "forged.sarpkg"
    forged.write_bytes(forge(json.loads(send_a_to_b(capsys, r).read_bytes())))
    assert run(capsys, *r.on_b("handover", "import", str(forged)))[0] == 1
    (folder,) = [p for p in r.tmp.iterdir() if "quarantine" in p.name]
    assert mode(folder) == 0o700
    assert [mode(f) for f in folder.iterdir()] == [0o600]


def test_the_reason_a_watched_file_was_refused_is_owner_only(capsys, rccs: Rccs) -> None:
    r = rccs
    drop = r.tmp / "usb"
    drop.mkdir()
    (drop / "bad.sarpkg").write_bytes(b"not a package")
    run(capsys, *r.on_b("inbox", "watch", str(drop), "--once"))
    (reason,) = (drop / "refused").glob("*.reason.txt")
    assert mode(reason) == 0o600
