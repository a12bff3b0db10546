"""``db check``: everything that shows a change made behind the desk's back.

In order: SQLite's own integrity and foreign keys; every stored time (``check_times``); the
schema against the golden schema of its version, triggers included, and the full-text index
against the log (``check_schema``); every case log's hash chain; every case row and position
report against the replay of its log (``replay``); and the signed checkpoints
(``checkpoints``). Each problem is one line naming the case, entry or row. Notices are not
problems: they say what could not be checked (no key to extend the checkpoints, say).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sarapp.chain import GENESIS_HASH, content_hash
from sarapp.model import CheckReport
from sarapp.progress import run_to_end
from sarapp.store.check_checkpoints import compare_heads, signed_heads, wanted
from sarapp.store.check_personal import personal_problems, register_problems
from sarapp.store.checkpoints import b64
from sarapp.store.replay import compare, replay
from sarapp.store.sqlite.check_schema import schema_problems, search_index_problems
from sarapp.store.sqlite.check_times import bad_times
from sarapp.store.sqlite.values import SqliteValues
from sarapp.store.trust_seal import trust_problem


def check_desk(
    conn: sqlite3.Connection,
    *,
    public_key: bytes | None = None,
    recorded_key: bytes | None = None,
    mirror: Path | None = None,
) -> CheckReport:
    """Integrity, foreign keys, times, schema, search index, hash chains, replay and
    checkpoints (``public_key``: the desk's own, if at hand; else ``recorded_key``, the one
    the desk records; ``mirror``: the mirror file)."""
    return run_to_end(
        check_desk_steps(conn, public_key=public_key, recorded_key=recorded_key, mirror=mirror)
    )


def check_desk_steps(
    conn: sqlite3.Connection,
    *,
    every: int = 2000,
    public_key: bytes | None = None,
    recorded_key: bytes | None = None,
    mirror: Path | None = None,
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
    problems += schema_problems(conn)
    problems += search_index_problems(conn)
    signed = signed_heads(conn, mirror=mirror, public_key=public_key, recorded_key=recorded_key)
    desk_key = public_key or recorded_key
    trust = trust_problem(conn, b64(desk_key) if desk_key else None)
    problems += [trust] if trust else []
    logs = yield from _chains(conn, every=every, total=total, wanted=wanted(signed))
    problems += logs.problems
    problems += _replayed(conn, logs)
    problems += personal_problems(conn, SqliteValues, logs.numbers)
    problems += register_problems(conn, SqliteValues, logs.numbers)
    compare_heads(signed, heads=logs.heads, found=logs.found, numbers=logs.numbers)
    problems += signed.problems
    return CheckReport(tuple(problems), len(logs.numbers), logs.entries, tuple(signed.notices))


@dataclass
class _Logs:
    """What one pass over every log entry found."""

    numbers: dict[str, str]
    problems: list[str]
    entries: int
    replays: dict[str, list[tuple[int, str, str, str, str]]]
    heads: dict[str, tuple[int, str]]  # case id → (last seq, its hash)
    found: dict[tuple[str, int], str]  # (case id, seq) → hash, for the seqs checkpoints signed


def _chains(
    conn: sqlite3.Connection, *, every: int, total: int, wanted: dict[str, set[int]]
) -> Generator[tuple[int, int], None, _Logs]:
    """Every hash chain, entry by entry; the first fault of a case is named, and its log is
    kept for the replay."""
    numbers = dict(conn.execute("SELECT id, number FROM cases"))
    cursor = conn.execute("SELECT * FROM log_entries ORDER BY case_id, seq")
    columns = [d[0] for d in cursor.description]
    current, expected_seq, prev_hash, entries = None, 1, GENESIS_HASH, 0
    broken: set[str] = set()
    problems: list[str] = []
    replays: dict[str, list[tuple[int, str, str, str, str]]] = defaultdict(list)
    heads: dict[str, tuple[int, str]] = {}
    found: dict[tuple[str, int], str] = {}
    signed: set[int] = set()
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        entries += 1
        if entries % every == 0:
            yield entries, total
        if row["case_id"] != current:
            current, expected_seq, prev_hash = row["case_id"], 1, GENESIS_HASH
            signed = wanted.get(current, set())
        replays[current].append((row["seq"], row["time"], row["kind"], row["text"], row["data"]))
        heads[current] = (row["seq"], row["hash"])
        if row["seq"] in signed:
            found[(current, row["seq"])] = row["hash"]
        if current in broken:
            continue
        where = f"case {numbers.get(current, current)} entry {row['seq']} ({row['id']})"
        fault = None
        if row["seq"] != expected_seq:
            fault = f"{where}: entry {expected_seq} is missing from the log"
        elif row["prev_hash"] != prev_hash:
            fault = f"{where}: does not chain to the entry before it"
        elif content_hash(row) != row["hash"]:
            fault = f"{where}: content does not match its hash (changed outside sarapp)"
        if fault:
            problems.append(fault)
            broken.add(current)
        expected_seq, prev_hash = row["seq"] + 1, row["hash"]
    return _Logs(numbers, problems, entries, replays, heads, found)


def _replayed(conn: sqlite3.Connection, logs: _Logs) -> list[str]:
    """Each case row and its position reports against the replay of its log."""
    positions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    cursor = conn.execute("SELECT id, case_id, lat, lon, time, source, accuracy_m FROM positions")
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        position = dict(zip(columns, values, strict=True))
        positions[position["case_id"]].append(position)
    problems = []
    cursor = conn.execute("SELECT * FROM cases ORDER BY number")
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        label = f"case {row['number']}"
        entries = logs.replays.get(row["id"])
        if not entries:
            problems.append(f"{label} has no log at all (its entries were deleted)")
            continue
        problems += compare(replay(entries, label), row, positions.pop(row["id"], []), label)
    for case_id in positions:
        problems.append(f"positions of case {case_id}, which is not on this desk")
    return problems
