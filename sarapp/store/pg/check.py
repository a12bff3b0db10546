"""``db check`` on a PostgreSQL desk: every case log's hash chain, recomputed from the values
read back (the same hashes as on the SQLite desk), the search words of every entry against its
text, every case row and position report against the replay of its log
(``sarapp.store.replay``, as on a desk file), and the checkpoints each desk computer signed
(``sarapp.store.check_signers``). Problems are worded as the SQLite desk's check words them.

What PostgreSQL keeps itself (its pages' checksums, its constraints and triggers) is the
server's; the schema against its golden dump is checked when the desk opens
(``sarapp.store.pg.schema``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from sarapp.chain import GENESIS_HASH, data_text, entry_hash, time_text
from sarapp.model import CheckReport
from sarapp.store.check_checkpoints import compare_heads, wanted
from sarapp.store.check_personal import personal_problems, register_problems
from sarapp.store.check_signers import shared_signed_heads
from sarapp.store.checkpoints import stored
from sarapp.store.pg.search import search_vector
from sarapp.store.replay import compare, replay
from sarapp.store.rows import CASE_TIME_COLUMNS

_ENTRIES = (
    "SELECT e.id, e.case_id, e.seq, e.time, e.author, e.kind, e.text, e.data, e.corrects,"
    " e.prev_hash, e.hash, c.number FROM log_entries e JOIN cases c ON c.id = e.case_id"
    " ORDER BY e.case_id, e.seq"
)
BATCH = 2000


@dataclass
class _Logs:
    """What one pass over every entry found: problems, each case's replay rows and head, and
    the hashes of the entries the checkpoints signed."""

    problems: list[str] = field(default_factory=list)
    entries: int = 0
    replays: dict[str, list[tuple[int, str, str, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    found: dict[tuple[str, int], str] = field(default_factory=dict)


def check_desk(
    conn: psycopg.Connection, sql: Any, *, own_key: bytes | None, mirror: Path | None
) -> CheckReport:
    """The whole check; ``sql`` runs the desk's SQL (the backend, ``?`` placeholders) for the
    checkpoints, ``own_key`` and ``mirror`` are this computer's signer and its copy."""
    logged = conn.execute("SELECT EXISTS (SELECT 1 FROM log_entries)").fetchone()[0]
    signed = shared_signed_heads(stored(sql), own_key=own_key, mirror=mirror, logged=logged)
    numbers = {str(i): n for i, n in conn.execute("SELECT id, number FROM cases")}
    logs = _chains(conn, wanted(signed))
    problems = logs.problems + _replayed(conn, logs)
    problems += personal_problems(sql, sql.values, numbers)
    problems += register_problems(sql, sql.values, numbers)
    compare_heads(signed, heads=logs.heads, found=logs.found, numbers=numbers)
    problems += signed.problems
    return CheckReport(tuple(problems), len(numbers), logs.entries, tuple(signed.notices))


def check_chains(conn: psycopg.Connection) -> list[str]:
    """The first broken link of each case (a missing entry, a broken link, content that no
    longer matches its hash), then entries whose search words do not match their text."""
    return _chains(conn, {}).problems


def _chains(conn: psycopg.Connection, signed: dict[str, set[int]]) -> _Logs:
    logs = _Logs()
    current, expected_seq, prev_hash = None, 1, GENESIS_HASH
    broken = False
    pending: list[tuple[str, str]] = []
    search_problems: list[str] = []
    with conn.cursor(name="sarapp_check") if not conn.autocommit else conn.cursor() as cursor:
        for row in cursor.execute(_ENTRIES):
            entry_id, case_uuid, seq, when, _, kind, text, data = row[:8]
            stored_prev, stored_hash, number = row[9:]
            case_id = str(case_uuid)
            logs.entries += 1
            pending.append((str(entry_id), search_vector(text)))
            if len(pending) >= BATCH:
                search_problems += _search_mismatches(conn, pending)
                pending = []
            if case_id != current:
                current, expected_seq, prev_hash, broken = case_id, 1, GENESIS_HASH, False
                wanted_seqs = signed.get(case_id, set())
            logs.replays[case_id].append((seq, time_text(when), kind, text, data_text(data)))
            logs.heads[case_id] = (seq, stored_hash)
            if seq in wanted_seqs:
                logs.found[(case_id, seq)] = stored_hash
            if broken:
                continue
            where = f"case {number} entry {seq} ({entry_id})"
            fault = None
            if seq != expected_seq:
                fault = f"{where}: entry {expected_seq} is missing from the log"
            elif stored_prev != prev_hash:
                fault = f"{where}: does not chain to the entry before it"
            elif _hash(row) != stored_hash:
                fault = f"{where}: content does not match its hash (changed outside sarapp)"
            if fault:
                logs.problems.append(fault)
                broken = True
            expected_seq, prev_hash = seq + 1, stored_hash
    logs.problems += search_problems + _search_mismatches(conn, pending)
    return logs


def _replayed(conn: psycopg.Connection, logs: _Logs) -> list[str]:
    """Each case row and its position reports against the replay of its log, read in the
    forms the log's data holds them (times as the chain's text, ids as text)."""
    positions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _dicts(
        conn, "SELECT id, case_id, lat, lon, time, source, accuracy_m FROM positions"
    ):
        row["time"] = time_text(row["time"]) if row["time"] is not None else None
        positions[row["case_id"]].append(row)
    problems = []
    for row in _dicts(conn, "SELECT * FROM cases ORDER BY number"):
        row["created"], row["updated"] = time_text(row["created"]), time_text(row["updated"])
        for name in CASE_TIME_COLUMNS:  # the place of safety's times, as the log holds them
            row[name] = time_text(row[name]) if row[name] is not None else None
        label = f"case {row['number']}"
        entries = logs.replays.get(row["id"])
        if not entries:
            problems.append(f"{label} has no log at all (its entries were deleted)")
            continue
        problems += compare(replay(entries, label), row, positions.pop(row["id"], []), label)
    for case_id in positions:
        problems.append(f"positions of case {case_id}, which is not on this desk")
    return problems


def _dicts(conn: psycopg.Connection, sql: str) -> list[dict[str, Any]]:
    """Rows as dicts, ids (UUIDs) as text."""
    cursor = conn.execute(sql)
    names = [d.name for d in cursor.description]
    return [
        {k: (str(v) if k in ("id", "case_id", "lkp_id") and v is not None else v)
         for k, v in zip(names, values, strict=True)}
        for values in cursor
    ]  # fmt: skip


def _hash(row: tuple) -> str:
    entry_id, case_id, seq, time, author, kind, text, data, corrects, prev_hash = row[:10]
    return entry_hash(
        entry_id=entry_id, case_id=case_id, seq=seq, time=time, author=author, kind=kind,
        text=text, data=data, corrects=corrects, prev_hash=prev_hash,
    )  # fmt: skip


def _search_mismatches(conn: psycopg.Connection, pending: list[tuple[str, str]]) -> list[str]:
    if not pending:
        return []
    ids, vectors = zip(*pending, strict=True)
    found = conn.execute(
        "SELECT x.id FROM unnest(%s::uuid[], %s::text[]) AS x (id, v)"
        " JOIN log_entries e ON e.id = x.id WHERE e.search <> x.v::tsvector ORDER BY x.id",
        (list(ids), list(vectors)),
    ).fetchall()
    return [f"entry {entry_id}: its search words do not match its text" for (entry_id,) in found]
