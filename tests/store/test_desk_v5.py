"""A desk written at schema version 5, before checkpoints and replayable entries: it upgrades
to the current version, db check finds nothing wrong with it (no false alarm from logs that
carry less), and what its log does determine is still checked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sarapp.store import Desk
from sarapp.store.sqlite.schema import APPLICATION_ID, LATEST_VERSION, migrate

GOLDEN = Path(__file__).parent.parent / "data" / "store" / "desk_v5.sql"


@pytest.fixture
def desk_v5(tmp_path: Path) -> Path:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, from_version=0, to_version=5)
    conn.executescript(GOLDEN.read_text())
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    return path


def test_a_v5_desk_upgrades_and_checks_clean(desk_v5: Path) -> None:
    with Desk.open(desk_v5) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert [c.title for c in store.cases.list()] == [
            "Yacht Albatros overdue",
            "EPIRB ADCD40C0E4003D5, MARY ELLEN II",
            "FV Marie fire",
        ]
        report = store.check()
    assert report.ok, report.problems
    assert any("no signed checkpoints" in n for n in report.notices)
    assert (desk_v5.parent / "old.sqlite.v5.bak").exists()


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("UPDATE cases SET pob = 9 WHERE title = 'FV Marie fire'", "persons on board is 9"),
        ("UPDATE cases SET phase = 'ALERFA' WHERE title = 'FV Marie fire'", "alert phase"),
        ("UPDATE cases SET title = 'x' WHERE title = 'FV Marie fire'", "title is 'x'"),
        ("UPDATE cases SET vessel_name = 'x' WHERE title LIKE 'EPIRB%'", "vessel name is 'x'"),
        ("UPDATE positions SET lat = 47.9 WHERE lat = 47.5", "does not match entry 2"),
    ],
)
def test_what_a_v5_log_determines_is_checked(desk_v5: Path, sql: str, named: str) -> None:
    Desk.open(desk_v5).close()
    conn = sqlite3.connect(desk_v5)
    conn.execute("DROP TRIGGER IF EXISTS positions_append_only_update")
    conn.execute(sql)
    conn.commit()
    conn.close()
    with Desk.open(desk_v5) as store:
        problems = store.check().problems
    assert any(named in p for p in problems), problems
