"""The concurrency primitives of a shared desk: several desks append to one case's chain,
open cases in one year, and edit one case's fields at the same moment.

- An append locks the case's row (``SELECT … FOR UPDATE``) before it reads the chain's head,
  so appends to one case are serialised and the chain stays one straight line; appends to
  other cases go on in parallel. ``UNIQUE (case_id, seq)`` is the backstop.
- A case number is drawn under a transaction-scoped advisory lock on its year, then
  ``max + 1``: unique and gapless (a rolled-back opening gives its number back).
- A field edit holds the same row lock while it compares the value the officer saw with the
  stored one (``desk.cases.set_field``, on both backends).

Each function runs inside the caller's transaction (``with conn.transaction():``), which
also sends the change notice at commit (``sarapp.store.pg.notices``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

from sarapp.chain import GENESIS_HASH, entry_hash
from sarapp.model import new_id, utc_now
from sarapp.store.pg.location import PgStoreError
from sarapp.store.pg.schema import MIGRATION_LOCK
from sarapp.store.pg.search import search_vector
from sarapp.store.pg.values import check_text, jsonb

CASE_NUMBER_LOCK = MIGRATION_LOCK[0] + 1  # advisory lock class; the key is the year


@dataclass(frozen=True)
class ChainLink:
    """What an append wrote: the new entry's id, seq and hash."""

    entry_id: str
    seq: int
    hash: str


def lock_case(conn: psycopg.Connection, case_id: str) -> None:
    """Hold the case's row until the transaction ends; PgStoreError if there is no case."""
    if conn.execute("SELECT 1 FROM cases WHERE id = %s FOR UPDATE", (case_id,)).fetchone() is None:
        raise PgStoreError(f"no case {case_id} on this desk")


def append_entry(
    conn: psycopg.Connection,
    case_id: str,
    *,
    kind: str,
    text: str,
    author: str,
    data: Mapping[str, Any],
    corrects: str | None = None,
    time: datetime | None = None,
    entry_id: str | None = None,
) -> ChainLink:
    """Chain a new entry to the case's head; must run inside a transaction."""
    check_text(text, what="the entry's text")
    check_text(author, what="the author's name")
    when = (time or utc_now()).astimezone(UTC)
    entry_id = entry_id or new_id()
    words = search_vector(text)  # before the lock: other desks wait only for the chain
    lock_case(conn, case_id)
    head = conn.execute(
        "SELECT seq, hash FROM log_entries WHERE case_id = %s ORDER BY seq DESC LIMIT 1",
        (case_id,),
    ).fetchone()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    digest = entry_hash(
        entry_id=entry_id, case_id=case_id, seq=seq, time=when, author=author, kind=kind,
        text=text, data=data, corrects=corrects, prev_hash=prev_hash,
    )  # fmt: skip
    conn.execute(
        "INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, data, corrects,"
        " prev_hash, hash, search) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " %s::tsvector)",
        (entry_id, case_id, seq, when, author, kind, text, jsonb(dict(data)), corrects,
         prev_hash, digest, words),
    )  # fmt: skip
    conn.execute("UPDATE cases SET updated = %s WHERE id = %s", (when, case_id))
    return ChainLink(entry_id, seq, digest)


def stored_link(conn: psycopg.Connection, entry_id: str) -> ChainLink | None:
    """The entry ``entry_id`` if it is stored: after a connection lost during COMMIT the
    outcome is unknown, and the retry asks this first so it never appends twice (entry ids
    are made by the desk, before the first try)."""
    row = conn.execute("SELECT seq, hash FROM log_entries WHERE id = %s", (entry_id,)).fetchone()
    return ChainLink(entry_id, row[0], row[1]) if row else None


def next_case_number(conn: psycopg.Connection, year: int) -> str:
    """The year's next case number ``YYYY-NNNN``; held until the transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (CASE_NUMBER_LOCK, year))
    last = conn.execute(
        "SELECT max(substr(number, 6)::integer) FROM cases"
        " WHERE number LIKE %s AND substr(number, 6) ~ '^[0-9]+$'",
        (f"{year}-%",),
    ).fetchone()[0]
    return f"{year}-{(last or 0) + 1:04d}"
