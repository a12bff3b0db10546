"""Schema versions against their golden files, upgrades, and files that are not ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sarapp.store import Desk, StoreError
from sarapp.store.sqlite.schema import APPLICATION_ID, LATEST_VERSION, migrate, schema_dump

GOLDEN = Path(__file__).parent.parent / "data" / "store"


@pytest.mark.parametrize("version", range(1, LATEST_VERSION + 1))
def test_schema_of_each_version_matches_its_golden_file(version):
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, from_version=0, to_version=version)
    assert schema_dump(conn) == (GOLDEN / f"schema_v{version}.sql").read_text()


def test_new_desk_is_at_the_latest_version(desk_path):
    conn = sqlite3.connect(desk_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _desk_from_dump(path: Path, dump: str, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(dump)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_v1_desk_upgrades_with_a_backup_and_loses_nothing(tmp_path):
    path = tmp_path / "old.sqlite"
    _desk_from_dump(path, (GOLDEN / "desk_v1.sql").read_text(), 1)
    with Desk.open(path) as store:
        (case,) = store.cases.list()
        assert (case.number, case.mmsi, case.pob, case.phase.value) == (
            "2026-0001",
            "227123456",
            4,
            "ALERFA",
        )
        assert case.lkp is not None and case.lkp.accuracy_m == 500
        assert len(store.log.entries(case.id)) == 4
        # v2 added full-text search: entries written under v1 are found.
        assert [h.entry.text for h in store.log.search("dragon")] == ["Helicopter Dragon 13 tasked"]
        assert store.check().ok
    backup = sqlite3.connect(tmp_path / "old.sqlite.v1.bak")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT COUNT(*) FROM log_entries").fetchone()[0] == 4


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"Minutes of the SAR exercise, 2026\n" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a SQLite database"):
        Desk.open(path)
    assert path.read_bytes() == before


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program, not a sarapp desk"):
        Desk.open(path)
    assert path.read_bytes() == before


def test_a_desk_from_a_newer_sarapp_is_refused(desk_path):
    conn = sqlite3.connect(desk_path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer sarapp"):
        Desk.open(desk_path)


def test_missing_desk_is_not_created_when_not_asked(tmp_path):
    with pytest.raises(StoreError, match="no desk database"):
        Desk.open(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()


def test_a_locked_desk_gives_a_clear_error_and_keeps_its_data(desk_path):
    with Desk.open(desk_path) as store:
        store.cases.create(title="kept", author="op")
    blocker = sqlite3.connect(desk_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with (
            Desk.open(desk_path, busy_timeout_ms=50) as store,
            pytest.raises(StoreError, match="locked by another program"),
        ):
            store.cases.create(title="blocked", author="op")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Desk.open(desk_path) as store:
        assert [c.title for c in store.cases.list()] == ["kept"]


@pytest.mark.parametrize("version", range(1, LATEST_VERSION + 1))
def test_each_golden_schema_ships_for_db_check(version):
    """db check compares a desk with resources/store/schema_vN.sql: the installed app has it."""
    shipped = Path(__file__).parent.parent.parent / "resources" / "store" / f"schema_v{version}.sql"
    assert shipped.read_text() == (GOLDEN / f"schema_v{version}.sql").read_text()


def test_v6_alerts_survive_the_v7_rebuild_that_admits_dsc(tmp_path):
    # v7 rebuilds the alerts table (its kind check admits 'dsc'): the rows received under v6
    # stay, the table stays append-only, and the v6 desk is backed up first.
    path = tmp_path / "v6.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, from_version=0, to_version=6)
    conn.execute(
        "INSERT INTO cases (id, number, title, phase, status, created, updated) VALUES"
        " ('c1', '2026-0001', 'SART', 'DETRESFA', 'open', '2026-01-01T00:00:00Z',"
        " '2026-01-01T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, prev_hash, hash)"
        " VALUES ('e1', 'c1', 1, '2026-01-01T00:00:00Z', 'op', 'alert', 'x', '', 'h')"
    )
    conn.execute(
        "INSERT INTO alerts VALUES ('a1', 'd1', 'mmsi:970012345', 'ais', 'c1', 'e1',"
        " '2026-01-01T00:00:00Z')"
    )
    conn.close()
    with Desk.open(path, create=False) as store:
        assert store.alerts.case_of("mmsi:970012345") is not None
    assert (tmp_path / "v6.sqlite.v6.bak").exists()
    conn = sqlite3.connect(path, isolation_level=None)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("SELECT id, kind, case_id FROM alerts").fetchall() == [("a1", "ais", "c1")]
    conn.execute(
        "INSERT INTO alerts VALUES ('a2', 'd2', 'mmsi:338040079', 'dsc', 'c1', 'e1',"
        " '2026-01-01T00:00:00Z')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM alerts WHERE id = 'a1'")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            "INSERT INTO alerts VALUES ('a3', 'd3', 'x', 'fax', 'c1', 'e1', '2026-01-01T00:00Z')"
        )
    conn.close()
