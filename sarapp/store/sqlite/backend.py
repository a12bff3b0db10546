"""The SQLite backend: one desk file (WAL, ``synchronous=FULL``), written by one transaction
at a time (``BEGIN IMMEDIATE``), through sqlite-utils; times and JSON as the chain's text."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
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

    def close(self) -> None:
        self.conn.close()


__all__ = ["SqliteBackend"]
