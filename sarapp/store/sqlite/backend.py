"""The SQLite backend: one desk file (WAL, ``synchronous=FULL``), written by one transaction
at a time (``BEGIN IMMEDIATE``), through sqlite-utils; times and JSON as the chain's text."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from sarapp.model import Changes, CheckReport
from sarapp.store.backend import DeskAccess, Repositories
from sarapp.store.chain_writer import ChainWriter
from sarapp.store.errors import StoreError
from sarapp.store.sqlite.check import check_desk
from sarapp.store.sqlite.connection import BUSY_TIMEOUT_MS, explain, open_connection
from sarapp.store.sqlite.repositories import (
    SqliteCases,
    SqliteLog,
    SqlitePackages,
    SqliteReports,
)
from sarapp.store.sqlite.values import SqliteValues
from sarapp.store.sqlite.watch import SqliteFeed, announce
from sarapp.store.sync import SyncState

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

REPOSITORIES = Repositories(
    chain=ChainWriter,  # the write transaction holds the whole desk: no lock of its own
    cases=SqliteCases,
    log=SqliteLog,
    packages=SqlitePackages,
    reports=SqliteReports,
    sync=SyncState,  # a desk file has no logins
)


class SqliteBackend:
    """A desk file's connection (``sarapp.store.backend.Backend``)."""

    kind = "sqlite"
    values = SqliteValues()
    repositories = REPOSITORIES

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.location = str(path)
        self._db = Database(conn)

    @classmethod
    def open(
        cls, path: Path, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> tuple[SqliteBackend, bool]:
        """The desk file at ``path``, created and migrated as needed, and whether this open
        created it (StoreError for a file that is not a desk, or cannot be opened)."""
        conn, created = open_connection(path, create=create, busy_timeout_ms=busy_timeout_ms)
        return cls(conn, path), created

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        return self._db.query(sql, params)

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def explain(self, exc: BaseException) -> StoreError | None:
        return explain(exc, self.path) if isinstance(exc, sqlite3.Error) else None

    def check(self, desk: Desk) -> CheckReport:
        """SQLite integrity, foreign keys, times, schema, search index, every case's hash
        chain and replay, and the signed checkpoints (``sarapp.store.sqlite.check``)."""
        return check_desk(self.conn, **desk.checkpoints.check_options())

    def access(self) -> DeskAccess:
        return DeskAccess(user=None, role="file", read_only=not os.access(self.path, os.W_OK))

    def announce(self, changes: Changes, origin: str) -> None:
        announce(self.conn, changes, origin)

    def watch(self, origin: str) -> SqliteFeed:
        return SqliteFeed(self.path, origin)

    def columns(self) -> dict[str, list[str]]:
        tables = [name for (name,) in self.conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]  # fmt: skip
        return {
            table: [row[1] for row in self.conn.execute(f"PRAGMA table_info('{table}')")]
            for table in tables
        }

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A deferred read transaction: WAL keeps its moment while writers go on."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def stream(self, sql: str) -> Iterator[tuple[Any, ...]]:
        return iter(self.conn.execute(sql))

    def bulk_insert(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        counted = _Counted(rows)
        columns = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" * len(names))
        self.conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", counted)
        return counted.count

    def close(self) -> None:
        self.conn.close()


class _Counted:
    """Rows handed on as they come, counted."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self._rows:
            self.count += 1
            yield row


__all__ = ["SqliteBackend"]
