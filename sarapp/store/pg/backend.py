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

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import dict_row

from sarapp.chain import time_from_text
from sarapp.model import Changes, CheckReport
from sarapp.store.backend import DeskAccess, Repositories
from sarapp.store.errors import DuplicateError, StoreError
from sarapp.store.notices import CHANNEL, payloads
from sarapp.store.pg.bulk import copy_rows
from sarapp.store.pg.check import check_desk
from sarapp.store.pg.desk import open_desk
from sarapp.store.pg.location import PgConnectionLost, describe_location, explain
from sarapp.store.pg.notices import PgFeed
from sarapp.store.pg.repositories import (
    PgCases,
    PgChainWriter,
    PgLog,
    PgPackages,
    PgReports,
    PgSync,
)
from sarapp.store.pg.roles import role_names
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

    def __init__(self, conn: psycopg.Connection, location: str, *, reconnect: bool = True) -> None:
        self.conn = conn
        self.location = describe_location(location)
        self._raw_location = location
        self._pids = {conn.info.backend_pid}
        self._begun: bool | None = None  # in a transaction: whether BEGIN was sent
        self._notices: list[str] = []
        self._deferred: list[tuple[str, tuple[Any, ...]]] = []
        self.reconnect = reconnect  # after a lost connection, connect afresh when next used
        self.reconnects = 0  # connections made afresh after a lost one

    @classmethod
    def open(cls, location: str, *, reconnect: bool = True) -> PgBackend:
        """The desk at ``location`` (its schema brought to this sarapp's version); a database
        that is not yet a desk is refused (``sarapp db init`` makes one)."""
        return cls(open_desk(location), location, reconnect=reconnect)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        statement = _native(sql) if params else sql
        if self._begun is None:  # a read outside a transaction: safe to send again
            return self._read(lambda: self.conn.execute(statement, tuple(params) or None))
        if self._begun is False:  # the transaction's first statement: BEGIN goes with it
            self._begun = True
            with self.conn.pipeline():
                self.conn.execute("BEGIN")
                return self.conn.execute(statement, tuple(params) or None)
        return self.conn.execute(statement, tuple(params) or None)

    def pipelined(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        """Each statement's first row, the statements sent in one round trip."""
        cursors = []
        with self.conn.pipeline():
            if self._begun is False:
                self._begun = True
                self.conn.execute("BEGIN")
            for sql, params in statements:
                cursors.append(self.conn.execute(_native(sql), tuple(params)))
        return [cursor.fetchone() for cursor in cursors]

    def defer(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run with the COMMIT, in its round trip (a write nothing reads before the commit)."""
        self._deferred.append((_native(sql), tuple(params)))

    def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        batch = [tuple(p) for p in params]
        if batch:
            self._begin_if_due()
            with self.conn.cursor() as cursor:
                cursor.executemany(_native(sql), batch)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        def fetch() -> Iterator[dict[str, Any]]:
            with self.conn.cursor(row_factory=dict_row) as cursor:
                if params:
                    cursor.execute(_native(sql), tuple(params))
                else:
                    cursor.execute(sql)
                return iter(cursor.fetchall())

        if self._begun is None:
            return self._read(fetch)
        self._begin_if_due()
        return fetch()

    # --- a server that went away -------------------------------------------------------
    # When the connection is lost (the server died, the link dropped) the transaction under
    # way fails with ConnectionLost (``explain``): its outcome is not known, so it is never
    # sent again here. The next transaction, or a read outside one, connects afresh to the
    # location, which may name several servers: libpq tries each and, with
    # ``target_session_attrs=read-write``, takes the one that accepts writes (a standby once
    # it is promoted). Until one does, each attempt raises ConnectionLost at once.

    def _read(self, fetch: Callable[[], Any]) -> Any:
        """Run a read; on a lost connection, reconnect and run it once more."""
        if not self.reconnect:
            return fetch()
        self.ensure_connected()
        try:
            return fetch()
        except psycopg.OperationalError:
            if not self.conn.broken and not self.conn.closed:
                raise
        self.ensure_connected()
        return fetch()

    def ensure_connected(self) -> None:
        """Connect afresh when the connection is gone (PgConnectionLost while no server of
        the location takes writes)."""
        if not self.reconnect or not (self.conn.broken or self.conn.closed):
            return
        try:
            conn = open_desk(self._raw_location)
        except StoreError as exc:
            raise PgConnectionLost(
                f"{self.location}: the server connection was lost; reconnecting (no server "
                "of the desk takes writes yet)"
            ) from exc
        self.conn = conn
        self._pids.add(conn.info.backend_pid)
        self.reconnects += 1

    def _begin_if_due(self) -> None:
        if self._begun is False:
            self._begun = True
            self.conn.execute("BEGIN")

    def begin(self) -> None:
        """BEGIN goes with the transaction's first statement, in one round trip."""
        self.ensure_connected()
        self._notices = []
        self._deferred = []
        self._begun = False

    def commit(self) -> None:
        """The change notices and COMMIT in one round trip (the case stays locked until it
        returns: every round trip saved is time another desk does not wait)."""
        if not self._begun:
            return  # nothing was sent: nothing to commit
        with self.conn.pipeline():
            for statement, params in self._deferred:
                self.conn.execute(statement, params)
            for payload in self._notices:
                self.conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            self.conn.execute("COMMIT")
        self._begun = None

    def rollback(self) -> None:
        begun, self._begun = self._begun, None
        if begun and not (self.conn.closed or self.conn.broken):
            self.conn.execute("ROLLBACK")

    def explain(self, exc: BaseException) -> StoreError | None:
        if isinstance(exc, psycopg.errors.UniqueViolation):
            return DuplicateError(f"{self.location}: {exc.diag.message_primary}")
        if isinstance(exc, psycopg.Error):
            return explain(exc, self._raw_location, self.conn)
        return None

    def check(self, desk: Desk) -> CheckReport:
        """Every case log's hash chain and search words, the replay of every case, and the
        checkpoints each desk computer signed (``sarapp.store.pg.check``)."""
        options = desk.checkpoints.check_options()
        return check_desk(
            self.conn, self, own_key=options.get("public_key"), mirror=options.get("mirror")
        )

    def access(self) -> DeskAccess:
        """The login, and its role among the desk's (``sarapp.store.pg.roles``)."""
        roles = role_names(self.conn.info.dbname)
        user, may_write, owner = self.conn.execute(
            "SELECT current_user, has_table_privilege('log_entries', 'INSERT'),"
            " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
            " OR (SELECT pg_get_userbyid(datdba) = current_user FROM pg_database"
            " WHERE datname = current_database())"
        ).fetchone()
        member = {
            name
            for (name,) in self.conn.execute(
                "SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)"
                " AND pg_has_role(current_user, oid, 'MEMBER')",
                (roles.officer, roles.viewer),
            )
        }
        if owner:
            role = "owner"
        elif roles.officer in member:
            role = "officer"
        elif roles.viewer in member:
            role = "viewer"
        else:
            role = "other"
        return DeskAccess(user=user, role=role, read_only=not may_write)

    def announce(self, changes: Changes, origin: str) -> None:
        """Sent with the COMMIT (``commit``); PostgreSQL delivers them once it is durable."""
        self._notices += payloads(changes)

    def watch(self, origin: str) -> PgFeed:
        return PgFeed(self._raw_location, lambda: self.own_pids)

    @property
    def own_pids(self) -> set[int]:
        """The server process ids of this desk's connections (its feed skips their notices)."""
        return self._pids

    def columns(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for table, column in self.conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        ):
            found.setdefault(table, []).append(column)
        return found

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One snapshot for every table read (REPEATABLE READ), read only."""
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            yield
        finally:
            if not self.conn.closed:
                self.conn.execute("COMMIT")

    def stream(self, sql: str) -> Iterator[tuple[Any, ...]]:
        with self.conn.cursor(name="sarapp_stream") as cursor:
            cursor.itersize = 5000
            cursor.execute(sql)
            yield from cursor

    def bulk_insert(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """``COPY``; an entry's search words are computed here (``sarapp.store.pg.search``),
        its ``written_by`` is set by the database (the login copying)."""
        return copy_rows(self, table, names, rows)

    def begin_now(self) -> None:
        """Send the pending BEGIN (before statements that go around ``execute``)."""
        self._begin_if_due()

    def close(self) -> None:
        self.conn.close()


@lru_cache(maxsize=512)
def _native(sql: str) -> str:
    """The desk's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


__all__ = ["PgBackend", "PgValues"]
