"""The chain on PostgreSQL: the same hashes as the SQLite desk, append-only in the database,
and the concurrency primitives (serialised appends, gapless numbers, field conflicts)."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import psycopg
import pytest

from sarapp.store import Desk
from sarapp.store.pg.chain import append_entry, next_case_number
from sarapp.store.pg.check import check_chains
from sarapp.store.pg.location import PgStoreError, connect

from .helpers import note, open_case


def test_an_entry_has_the_same_hash_as_on_the_sqlite_desk(pg_desk, store: Desk):
    when = datetime(2026, 11, 28, 17, 0, 0, 123456, tzinfo=UTC)
    (case_id,) = store.cases.create(title="FV Marie-Jo", author="op", time=when).cases
    data = {"z": [1, 2.5, 1e16, 1.5e-7, None, True], "a": {"ü": "Straße", "n": 2**70}, "s": "ok"}
    store.log.append(case_id, "Helicopter Dragon 13 tasked", author="op", data=data)
    sqlite_log = store.log.entries(case_id)
    with connect(pg_desk) as conn:
        conn.execute(
            "INSERT INTO cases (id, number, title, phase, status, created, updated)"
            " VALUES (%s, '2026-0001', 'FV Marie-Jo', 'INCERFA', 'open', %s, %s)",
            (case_id, when, when),
        )
        for entry in sqlite_log:
            with conn.transaction():
                link = append_entry(conn, case_id, kind=entry.kind.value, text=entry.text,
                                    author=entry.author, data=entry.data, time=entry.time,
                                    entry_id=entry.id)  # fmt: skip
            assert (link.seq, link.hash) == (entry.seq, entry.hash)
        assert check_chains(conn) == []
        stored = conn.execute("SELECT data FROM log_entries WHERE seq = 2").fetchone()[0]
    assert stored == data  # floats stay floats, ints ints, through jsonb


@pytest.mark.parametrize("value", [-0.0, float("nan"), float("inf"), "a\x00b"])
def test_a_value_jsonb_cannot_keep_exactly_is_refused_before_anything_is_written(pg_desk, value):
    with connect(pg_desk) as conn:
        case_id = open_case(conn)
        with pytest.raises(PgStoreError, match=r"can keep|cannot|U\+0000"):
            note(conn, case_id, "x", data={"v": value})
        assert conn.execute("SELECT count(*) FROM log_entries").fetchone()[0] == 1


def test_the_log_refuses_update_delete_and_truncate_even_to_the_owner(pg_desk):
    with connect(pg_desk) as conn:
        case_id = open_case(conn)
        note(conn, case_id, "Dragon 13 on scene")
        for statement in ("UPDATE log_entries SET text = 'edited'", "DELETE FROM log_entries",
                          "TRUNCATE log_entries CASCADE"):  # fmt: skip
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM log_entries").fetchone()[0] == 2
        assert check_chains(conn) == []


def test_check_names_an_entry_edited_behind_the_desks_back(pg_desk):
    with connect(pg_desk) as conn:
        case_id = open_case(conn)
        for i in range(3):
            note(conn, case_id, f"entry {i}")
        conn.execute("ALTER TABLE log_entries DISABLE TRIGGER log_entries_append_only")
        conn.execute("UPDATE log_entries SET text = 'forged' WHERE seq = 3")
        conn.execute("DELETE FROM log_entries WHERE seq = 4")
        problem, words = check_chains(conn)
    assert "entry 3 " in problem and "does not match its hash" in problem
    assert "search words do not match its text" in words  # the index was not updated


def test_an_entry_records_the_database_role_that_wrote_it_whatever_it_claims(pg_desk):
    with connect(pg_desk) as conn:
        case_id = open_case(conn)
        with conn.transaction():
            conn.execute(
                "INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, prev_hash,"
                " hash, search, written_by) SELECT gen_random_uuid(), %s, 9, now(), 'op', 'note',"
                " 'x', '', '', '', 'someone_else'",
                (case_id,),
            )
        writers = conn.execute("SELECT DISTINCT written_by FROM log_entries").fetchall()
    assert writers == [("postgres",)]


def test_case_numbers_are_per_year_and_gapless_after_a_rollback(pg_desk):
    with connect(pg_desk) as conn:
        open_case(conn, when=datetime(2026, 3, 1, tzinfo=UTC))
        with pytest.raises(RuntimeError), conn.transaction():
            assert next_case_number(conn, 2026) == "2026-0002"
            raise RuntimeError("the opening failed")
        with conn.transaction():
            assert next_case_number(conn, 2026) == "2026-0002"
            assert next_case_number(conn, 2027) == "2027-0001"


def _append_many(location: str, case_id: str, count: int, worker: int) -> None:
    with connect(location) as conn:
        for i in range(count):
            note(conn, case_id, f"worker {worker} entry {i}")


def test_four_processes_appending_to_one_case_keep_one_straight_chain(pg_desk):
    with connect(pg_desk) as conn:
        case_id = open_case(conn)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_append_many, args=(pg_desk, case_id, 1000, w)) for w in range(4)
    ]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=300)
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    with connect(pg_desk) as conn:
        seqs = [s for (s,) in conn.execute("SELECT seq FROM log_entries ORDER BY seq")]
        texts = {t for (t,) in conn.execute("SELECT text FROM log_entries WHERE seq > 1")}
        assert seqs == list(range(1, 4002))
        assert texts == {f"worker {w} entry {i}" for w in range(4) for i in range(1000)}
        assert check_chains(conn) == []


def test_a_retry_after_an_unknown_commit_outcome_does_not_append_twice(pg_desk):
    from sarapp.model import new_id
    from sarapp.store.pg.chain import stored_link

    entry_id = new_id()
    with connect(pg_desk) as conn:
        case_id = open_case(conn)
        assert stored_link(conn, entry_id) is None  # not stored: the retry appends it
        note(conn, case_id, "Dragon 13 on scene", entry_id=entry_id)  # its COMMIT went through
    with connect(pg_desk) as again:  # the desk reconnects, not knowing
        link = stored_link(again, entry_id)
        assert link is not None and link.seq == 2
        assert again.execute("SELECT count(*) FROM log_entries").fetchone()[0] == 2
