"""``db check`` on a PostgreSQL desk: every case log's hash chain, recomputed from the
values read back (the same hashes as on the SQLite desk), and the search words of every
entry against its text. Problems are worded as the SQLite desk's check words them."""

from __future__ import annotations

import psycopg

from sarapp.chain import GENESIS_HASH, entry_hash
from sarapp.store.pg.search import search_vector

_ENTRIES = (
    "SELECT e.id, e.case_id, e.seq, e.time, e.author, e.kind, e.text, e.data, e.corrects,"
    " e.prev_hash, e.hash, c.number FROM log_entries e JOIN cases c ON c.id = e.case_id"
    " ORDER BY e.case_id, e.seq"
)
BATCH = 2000


def check_chains(conn: psycopg.Connection) -> list[str]:
    """The first broken link of each case (a missing entry, a broken link, content that no
    longer matches its hash), then entries whose search words do not match their text."""
    problems: list[str] = []
    current, expected_seq, prev_hash = None, 1, GENESIS_HASH
    broken = False
    pending: list[tuple[str, str]] = []
    with conn.cursor(name="sarapp_check") if not conn.autocommit else conn.cursor() as cursor:
        for row in cursor.execute(_ENTRIES):
            entry_id, case_id, seq, text = row[0], row[1], row[2], row[6]
            stored_prev, stored_hash, number = row[9:]
            pending.append((str(entry_id), search_vector(text)))
            if len(pending) >= BATCH:
                problems += _search_mismatches(conn, pending)
                pending = []
            if case_id != current:
                current, expected_seq, prev_hash, broken = case_id, 1, GENESIS_HASH, False
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
                problems.append(fault)
                broken = True
            expected_seq, prev_hash = seq + 1, stored_hash
    return problems + _search_mismatches(conn, pending)


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
