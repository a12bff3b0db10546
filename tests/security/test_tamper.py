"""Changes made to the desk file behind sarapp's back (the sqlite3 shell) are named by
``db check``: case fields and positions against the replay of their log, the schema against
its golden file, the search index against the log. Before, each of these said ``ok``.

Signed checkpoints (truncated logs, deleted cases, a recomputed chain) are in
``test_checkpoints.py``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sarapp.alerts.intake import import_sit185
from sarapp.chain import GENESIS_HASH, content_hash
from sarapp.demo import create_demo_case
from sarapp.model import AlertPhase, Position
from sarapp.store import Desk

from .conftest import drop_append_only_triggers, run, tamper

T = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SIT185 = Path(__file__).parent.parent / "data" / "sit185"


def _worked_case(path: Path) -> str:
    with Desk.open(path) as store:
        changes = store.cases.create(
            title="FV Marie fire",
            author="op1",
            phase=AlertPhase.ALERFA,
            values={"pob": "4", "mmsi": "227123456", "vessel_name": "MARIE"},
            time=T,
        )
        (case_id,) = changes.cases
        store.cases.add_position(case_id, Position(47.5, -3.5, T, "reported"), author="op1")
        store.cases.add_position(
            case_id, Position(47.51, -3.49, T, "reported", 500.0), author="op1"
        )
        store.log.append(case_id, "Lifeboat tasked", author="op1")
        store.cases.set_phase(case_id, AlertPhase.DETRESFA, author="op1")
        assert store.check().ok, store.check().problems
        return store.cases.get(case_id).number


def _problems(path: Path) -> list[str]:
    with Desk.open(path) as store:
        return list(store.check().problems)


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("UPDATE cases SET pob = 40", "persons on board is 40 but its log says 4"),
        ("UPDATE cases SET phase = 'INCERFA'", "alert phase is 'INCERFA' but its log says"),
        ("UPDATE cases SET status = 'closed'", "status is 'closed' but its log says 'open'"),
        ("UPDATE cases SET title = 'FV Marie, all safe'", "title is 'FV Marie, all safe'"),
        ("UPDATE cases SET mmsi = '227999999'", "mmsi is '227999999' but its log says"),
        ("UPDATE cases SET number = '2026-0099'", "case number is '2026-0099' but its log says"),
        ("UPDATE cases SET is_demo = 1", "demo mark is True but its log says False"),
        ("UPDATE cases SET lkp_id = NULL", "last known position is None but its log says"),
        ("UPDATE cases SET updated = '2026-11-28T12:00:00.000000Z'", "last change"),
    ],
)
def test_a_case_field_changed_in_sqlite_is_named(desk_path: Path, sql: str, named: str) -> None:
    _worked_case(desk_path)
    tamper(desk_path, sql)
    problems = _problems(desk_path)
    assert any(named in p for p in problems), problems


def test_a_moved_position_is_named(desk_path: Path) -> None:
    _worked_case(desk_path)
    drop_append_only_triggers(desk_path)
    tamper(desk_path, "UPDATE positions SET lat = 47.9 WHERE lat = 47.51")
    problems = _problems(desk_path)
    assert any("differs from entry 3 in lat (47.9 ≠ 47.51)" in p for p in problems), problems


def test_a_position_added_or_deleted_in_sqlite_is_named(desk_path: Path) -> None:
    _worked_case(desk_path)
    with Desk.open(desk_path) as store:
        (case,) = store.cases.list()
        first = store.cases.positions(case.id)[0].id
    drop_append_only_triggers(desk_path)
    tamper(
        desk_path,
        f"DELETE FROM positions WHERE id = '{first}'",
        "INSERT INTO positions (id, case_id, lat, lon, time, source, recorded) VALUES"
        f" ('11111111-1111-4111-8111-111111111111', '{case.id}', 47.0, -3.0,"
        " '2026-11-28T12:00:00.000000Z', 'reported', '2026-11-28T12:00:00.000000Z')",
    )
    problems = "\n".join(_problems(desk_path))
    assert f"position {first} reported in entry 2 is missing" in problems
    assert "11111111-1111-4111-8111-111111111111 is in no entry of its log" in problems


def test_a_later_edit_through_sarapp_does_not_hide_an_earlier_tamper(desk_path: Path) -> None:
    number = _worked_case(desk_path)
    tamper(desk_path, "UPDATE cases SET pob = 40")
    with Desk.open(desk_path) as store:
        store.cases.set_field(number, "pob", "5", author="op2")
        problems = store.check().problems
    assert any("changed its persons on board from 40, but its log had 4" in p for p in problems)


def test_dropped_append_only_triggers_are_named(desk_path: Path) -> None:
    _worked_case(desk_path)
    drop_append_only_triggers(desk_path)
    problems = _problems(desk_path)
    for name in ("log_entries_append_only_update", "positions_append_only_delete"):
        assert f"schema: trigger {name} is missing (dropped outside sarapp)" in problems


def test_an_altered_table_is_named(desk_path: Path) -> None:
    _worked_case(desk_path)
    tamper(desk_path, "CREATE TABLE shadow (x)", "CREATE INDEX cases_by_title ON cases (title)")
    problems = _problems(desk_path)
    assert "schema: table shadow is not part of schema version" in "\n".join(problems)
    assert any("index cases_by_title" in p for p in problems)


def test_an_edited_entry_with_its_chain_recomputed_leaves_the_search_index_behind(
    desk_path: Path,
) -> None:
    """Without checkpoints the chain recomputed hides the edit from the hash check; the
    full-text index, read back against the log (rank = 1), still shows it."""
    number = _worked_case(desk_path)
    drop_append_only_triggers(desk_path)
    _rewrite(desk_path, "Lifeboat tasked", "Lifeboat not needed, stood down")
    problems = _problems(desk_path)
    assert not any(f"case {number} entry" in p for p in problems)  # the chain is consistent
    assert any("full-text index does not match the log" in p for p in problems), problems


def _rewrite(path: Path, old: str, new: str) -> None:
    """Edit an entry's text and recompute the hash chain of its case, as a forger would."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    (case_id,) = conn.execute("SELECT case_id FROM log_entries WHERE text = ?", (old,)).fetchone()
    conn.execute("UPDATE log_entries SET text = ? WHERE text = ?", (new, old))
    previous = GENESIS_HASH
    for row in conn.execute("SELECT * FROM log_entries WHERE case_id = ? ORDER BY seq", (case_id,)):
        values = {**dict(row), "prev_hash": previous}
        values["hash"] = content_hash(values)
        conn.execute(
            "UPDATE log_entries SET prev_hash = ?, hash = ? WHERE id = ?",
            (previous, values["hash"], row["id"]),
        )
        previous = values["hash"]
    conn.commit()
    conn.close()


def test_cli_db_check_names_a_changed_field_in_one_line(capsys, desk_path: Path) -> None:
    number = _worked_case(desk_path)
    tamper(desk_path, "UPDATE cases SET pob = 0")
    code, out, _ = run(capsys, "--db", str(desk_path), "db", "check", "--json")
    assert code == 1
    report = json.loads(out)
    assert any(p.startswith(f"case {number}: persons on board is 0") for p in report["problems"])


# Every path that writes a case field leaves a log the replay agrees with.


def test_alerts_that_open_and_update_cases_replay_clean(store: Desk) -> None:
    for name in ("initial_doppler.txt", "confirmed_update.txt", "resolved_registry.txt"):
        import_sit185(store, (SIT185 / name).read_text(), author="watch")
    assert store.check().ok, store.check().problems


def test_dsc_and_ais_alerts_replay_clean(store: Desk) -> None:
    """DSC opens cases, sets their flag from the MID and adds fixes; AIS opens a SART case."""
    from sarapp.alerts.nmea_intake import NmeaImportReport, import_nmea
    from sarapp.alerts.nmea_stream import iter_nmea

    lines = [
        "$CDDSC,12,3380400790,12,06,00,1423108312,2019,,,S,E*6A",  # SignalK's DSC.js
        "$CDDSE,1,1,A,3380400790,00,45894494*1B",  # signalk-dsc
        "$CDDSC,12,5031105200,,05,00,2380814428,1800,,,R,E*6C",  # the Rust nmea crate's
    ]
    report = NmeaImportReport()
    received = datetime(2026, 3, 14, 20, 25, tzinfo=UTC)
    events = iter_nmea(lines, clock=lambda: received, stats=report.stats)
    import_nmea(store, events, author="coast station", report=report)
    assert len(store.cases.list()) == 2
    assert store.check().ok, store.check().problems


def test_the_demo_case_replays_clean(store: Desk) -> None:
    create_demo_case(store)
    assert store.check().ok, store.check().problems
