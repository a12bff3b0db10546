"""What the store's tests do behind the desk's back, on either backend: raw SQL, the error a
database refusal raises, and switching off an append-only guard to forge a log."""

from __future__ import annotations

import sqlite3
from typing import Any

import psycopg

from sarapp.store import Desk

# What the database itself raises when its triggers or constraints refuse a statement.
REFUSED = (sqlite3.IntegrityError, psycopg.errors.IntegrityConstraintViolation)


def raw(store: Desk, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """Run ``sql`` (``?`` placeholders) on the desk's connection, outside its repositories."""
    return store.backend.execute(sql, params)


def unguard(store: Desk, table: str, operation: str) -> None:
    """Drop the trigger that refuses ``operation`` ("update" or "delete") on ``table``."""
    if store.backend.kind == "sqlite":
        raw(store, f"DROP TRIGGER {table}_append_only_{operation}")
    else:
        raw(store, f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")


def drop_trigger(store: Desk, table: str, trigger: str) -> None:
    """Switch off a trigger both backends name alike (SQLite: dropped; PostgreSQL: disabled)."""
    if store.backend.kind == "sqlite":
        raw(store, f"DROP TRIGGER {trigger}")
    else:
        raw(store, f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
