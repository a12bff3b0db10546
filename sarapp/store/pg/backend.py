"""The PostgreSQL backend of the ``Desk``: a desk database on a server, shared by an RCC's
desks (``sarapp.store.backend.Backend``).

The repositories' shared SQL is written with ``?`` placeholders; ``execute`` turns them into
psycopg's ``%s`` once per statement (none of the desk's SQL holds a ``?`` or ``%`` of its
own, so doubling ``%`` and replacing ``?`` is exact). Times go as aware ``datetime`` to
``timestamptz`` and come back in UTC (the connection's time zone), JSON goes through
``sarapp.store.pg.values.jsonb`` (kept exactly, or refused) and comes back as Python values,
ids come back as UUIDs and are handed on as text. Transactions are explicit ``BEGIN`` …
``COMMIT`` on the autocommit connection ``open_desk`` gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import dict_row

from sarapp.chain import time_from_text
from sarapp.model import CheckReport
from sarapp.store.backend import Repositories
from sarapp.store.errors import DuplicateError, StoreError
from sarapp.store.pg.check import check_chains
from sarapp.store.pg.desk import open_desk
from sarapp.store.pg.location import describe_location, explain
from sarapp.store.pg.repositories import (
    PgCases,
    PgChainWriter,
    PgLog,
    PgPackages,
    PgReports,
    PgSync,
)
from sarapp.store.pg.values import jsonb

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

REPOSITORIES = Repositories(
    chain=PgChainWriter,
    cases=PgCases,
    log=PgLog,
    packages=PgPackages,
    reports=PgReports,
    sync=PgSync,
)


class PgValues:
    """The ``Values`` of a PostgreSQL desk."""

    chain_text = False

    @staticmethod
    def time(value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("naive datetime: sarapp keeps every time in UTC")
        return value

    @staticmethod
    def read_time(stored: Any) -> datetime:
        return stored if isinstance(stored, datetime) else time_from_text(stored)

    @staticmethod
    def json(value: Any) -> Any:
        return jsonb(value)

    @staticmethod
    def read_json(stored: Any) -> Any:
        return stored

    @staticmethod
    def flag(value: bool) -> bool:
        return bool(value)

    @staticmethod
    def read_id(stored: Any) -> str:
        return str(stored)


class PgBackend:
    """A desk database on a PostgreSQL server."""

    kind = "postgresql"
    values = PgValues()
    repositories = REPOSITORIES

    def __init__(self, conn: psycopg.Connection, location: str) -> None:
        self.conn = conn
        self.location = describe_location(location)
        self._raw_location = location

    @classmethod
    def open(cls, location: str) -> PgBackend:
        """The desk at ``location`` (its schema brought to this sarapp's version); a database
        that is not yet a desk is refused (``sarapp db init`` makes one)."""
        return cls(open_desk(location), location)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        if not params:
            return self.conn.execute(sql)
        return self.conn.execute(_native(sql), tuple(params))

    def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        batch = [tuple(p) for p in params]
        if batch:
            with self.conn.cursor() as cursor:
                cursor.executemany(_native(sql), batch)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        with self.conn.cursor(row_factory=dict_row) as cursor:
            if params:
                cursor.execute(_native(sql), tuple(params))
            else:
                cursor.execute(sql)
            return iter(cursor.fetchall())

    def begin(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if not self.conn.closed:
            self.conn.execute("ROLLBACK")

    def explain(self, exc: BaseException) -> StoreError | None:
        if isinstance(exc, psycopg.errors.UniqueViolation):
            return DuplicateError(f"{self.location}: {exc.diag.message_primary}")
        if isinstance(exc, psycopg.Error):
            return explain(exc, self._raw_location, self.conn)
        return None

    def check(self, desk: Desk) -> CheckReport:
        """Every case log's hash chain and search words (``sarapp.store.pg.check``)."""
        problems = check_chains(self.conn)
        cases, entries = self.conn.execute(
            "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM log_entries)"
        ).fetchone()
        return CheckReport(tuple(problems), cases, entries)

    def close(self) -> None:
        self.conn.close()


@lru_cache(maxsize=512)
def _native(sql: str) -> str:
    """The desk's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


__all__ = ["PgBackend", "PgValues"]
