"""``db check``: SQLite's own integrity check, then every case log's hash chain.

The chain is what detects an edit made behind the desk's back (with the sqlite3 shell, say,
after dropping the append-only triggers): the first entry whose content no longer matches
its hash, or whose link to the previous entry is broken, is named.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from dataclasses import dataclass

from sarapp.progress import run_to_end
from sarapp.store import rows
from sarapp.store.check_times import bad_times


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[str, ...]
    cases: int
    entries: int

    @property
    def ok(self) -> bool:
        return not self.problems


def check_desk(conn: sqlite3.Connection) -> CheckReport:
    """Integrity, foreign keys, the full-text index and every hash chain, in one call."""
    return run_to_end(check_desk_steps(conn))


def check_desk_steps(
    conn: sqlite3.Connection, *, every: int = 2000
) -> Generator[tuple[int, int], None, CheckReport]:
    """The same check as a generator yielding ``(entries_checked, entries_total)``.

    Close it to cancel; its return value is the report. Meant for a worker thread with a
    connection of its own.
    """
    total = conn.execute("SELECT COUNT(*) FROM log_entries").fetchone()[0]
    yield 0, total
    problems = [
        f"SQLite integrity: {r[0]}"
        for r in conn.execute("PRAGMA integrity_check").fetchall()
        if r[0] != "ok"
    ]
    problems += [
        f"foreign key: a row of {r[0]} refers to a missing row of {r[2]}"
        for r in conn.execute("PRAGMA foreign_key_check").fetchall()
    ]
    problems += bad_times(conn)
    try:
        conn.execute("INSERT INTO log_search (log_search) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        problems.append(f"full-text index does not match the log: {exc}")
    numbers = dict(conn.execute("SELECT id, number FROM cases"))
    cursor = conn.execute("SELECT * FROM log_entries ORDER BY case_id, seq")
    columns = [d[0] for d in cursor.description]
    current, expected_seq, prev_hash, entries = None, 1, rows.GENESIS_HASH, 0
    broken: set[str] = set()
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        entries += 1
        if entries % every == 0:
            yield entries, total
        if row["case_id"] != current:
            current, expected_seq, prev_hash = row["case_id"], 1, rows.GENESIS_HASH
        if current in broken:
            continue
        where = f"case {numbers.get(current, current)} entry {row['seq']} ({row['id']})"
        fault = None
        if row["seq"] != expected_seq:
            fault = f"{where}: entry {expected_seq} is missing from the log"
        elif row["prev_hash"] != prev_hash:
            fault = f"{where}: does not chain to the entry before it"
        elif rows.entry_hash(row) != row["hash"]:
            fault = f"{where}: content does not match its hash (changed outside sarapp)"
        if fault:
            problems.append(fault)
            broken.add(current)
        expected_seq, prev_hash = row["seq"] + 1, row["hash"]
    return CheckReport(tuple(problems), len(numbers), entries)
