"""Small writers for the PostgreSQL tests and benchmarks, until the PostgreSQL repositories
exist: a case row and its opening entry, through the chain primitives."""

from __future__ import annotations

from datetime import datetime

import psycopg

from sarapp.model import Changes, new_id, utc_now
from sarapp.store.pg.chain import append_entry, next_case_number
from sarapp.store.pg.notices import notify


def open_case(
    conn: psycopg.Connection, title: str = "FV Marie-Jo", *, when: datetime | None = None
) -> str:
    """A new case (numbered in its year) with its 'created' entry, in one transaction."""
    when = when or utc_now()
    case_id = new_id()
    with conn.transaction():
        number = next_case_number(conn, when.year)
        conn.execute(
            "INSERT INTO cases (id, number, title, phase, status, created, updated)"
            " VALUES (%s, %s, %s, 'INCERFA', 'open', %s, %s)",
            (case_id, number, title, when, when),
        )
        text = f"Case {number} opened: {title} (INCERFA)"
        link = append_entry(conn, case_id, kind="created", text=text, author="op",
                            data={"phase": "INCERFA"}, time=when)  # fmt: skip
        notify(conn, Changes(cases=frozenset({case_id}), entries=(link.entry_id,), created=True))
    return case_id


def note(conn: psycopg.Connection, case_id: str, text: str, **kwargs) -> str:
    """A note appended in its own transaction, with its notice; returns the entry id."""
    with conn.transaction():
        link = append_entry(conn, case_id, kind="note", text=text, author="op",
                            data=kwargs.pop("data", {}), **kwargs)  # fmt: skip
        notify(conn, Changes(cases=frozenset({case_id}), entries=(link.entry_id,)))
    return link.entry_id
