"""A desk written at schema version 8 by main's i11 handover (origin, outbox, import notes of
kind 'handover' without the case's state, an accepted coordination): it upgrades to the
current version, db check finds nothing wrong with it, and what its log does determine (the
acceptance's RCC and SMC, fields edited after the imports, the local case) is still checked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sarapp.store import Desk
from sarapp.store.sqlite.schema import APPLICATION_ID, LATEST_VERSION, migrate

GOLDEN = Path(__file__).parent.parent / "data" / "store" / "desk_v8.sql"
IMPORTED = "WHERE origin_rcc = 'MRCC-ETEL'"


@pytest.fixture
def desk_v8(tmp_path: Path) -> Path:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, from_version=0, to_version=8)
    conn.executescript(GOLDEN.read_text())
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    return path


def test_a_v8_desk_upgrades_and_checks_clean(desk_v8: Path) -> None:
    with Desk.open(desk_v8) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        cases = {c.title: c for c in store.cases.list()}
        imported = cases["FV Marie fire"]
        assert (imported.origin_rcc, imported.origin_number) == ("MRCC-ETEL", "2026-0001")
        assert (imported.rcc, imported.smc) == ("MRCC Falmouth", "SMC Pengelly")
        assert [i.state for i in store.outbox.items()] == ["failed"]
        report = store.check()
    assert report.ok, report.problems
    assert any("no signed checkpoints" in n for n in report.notices)
    assert (desk_v8.parent / "old.sqlite.v8.bak").exists()


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        (f"UPDATE cases SET smc = 'Nobody' {IMPORTED}", "smc is 'Nobody' but its log says"),
        (f"UPDATE cases SET rcc = 'MRCC Etel' {IMPORTED}", "rcc is 'MRCC Etel' but its log says"),
        (f"UPDATE cases SET pob = 9 {IMPORTED}", "persons on board is 9 but its log says 5"),
        ("UPDATE cases SET vessel_name = 'X' WHERE origin_rcc = ''", "vessel name is 'X'"),
        ("UPDATE outbox SET updated = '2026-12-03T15:00:00Z'", "outbox change time"),
    ],
)
def test_what_a_v8_log_determines_is_checked(desk_v8: Path, sql: str, named: str) -> None:
    Desk.open(desk_v8).close()
    conn = sqlite3.connect(desk_v8)
    conn.execute(sql)
    conn.commit()
    conn.close()
    with Desk.open(desk_v8) as store:
        problems = store.check().problems
    assert any(named in p for p in problems), problems
