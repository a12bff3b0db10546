"""The seam between the desk and its database: what a ``Desk`` needs of a backend.

A backend (``sarapp.store.sqlite``, and the PostgreSQL one under ``sarapp.store.pg``) owns the
connection and says how it stores the values its SQL has no common type for. The desk's
repositories write their SQL once where the two dialects agree, with ``?`` placeholders (the
PostgreSQL backend turns them into psycopg's ``%s``), and pass times and JSON through the
backend's ``Values``. Where the dialects differ (full-text search, drawing a case number,
appending to a chain under a lock, the check), a repository leaves the step to a subclass of
its own per backend, and the backend names those classes in its ``Repositories``: nothing
outside the backend's package knows which one it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sarapp.model import Changes, CheckReport
    from sarapp.store.cases import Cases
    from sarapp.store.chain_writer import ChainWriter
    from sarapp.store.desk import Desk
    from sarapp.store.errors import StoreError
    from sarapp.store.log import Log
    from sarapp.store.packages import Packages
    from sarapp.store.reports import Reports
    from sarapp.store.sync import SyncState
    from sarapp.store.watch import ChangeFeed


@dataclass(frozen=True)
class DeskAccess:
    """Who the desk is open as, for the status bar and to refuse writes before they fail.

    ``user``: the database login (PostgreSQL's ``current_user``), None for a file.
    ``role``: ``"officer"`` or ``"viewer"`` (the desk's roles, ``db init --roles``),
    ``"owner"`` (the database's owner or a superuser), ``"other"`` (a login with neither
    role), or ``"file"`` (a SQLite desk). ``read_only``: this login may not write (a viewer,
    a file that is not writable): every write raises ``ReadOnlyDesk`` in one line.
    """

    user: str | None
    role: str
    read_only: bool


class Values(Protocol):
    """How a backend stores what is not plain text or a number."""

    chain_text: bool  # times and JSON are stored as the chain's own text forms (SQLite)

    def time(self, value: datetime) -> Any:
        """An aware datetime as the backend stores it (text, or ``timestamptz``)."""
        ...

    def read_time(self, stored: Any) -> datetime:
        """A stored time as an aware UTC datetime."""
        ...

    def json(self, value: Any) -> Any:
        """A JSON value as the backend stores it (canonical text, or ``jsonb``)."""
        ...

    def read_json(self, stored: Any) -> Any: ...

    def flag(self, value: bool) -> Any: ...

    def read_id(self, stored: Any) -> str:
        """An id as text (a server hands back UUID objects)."""
        ...


class Cursor(Protocol):
    """The DB-API cursor a backend's ``execute`` returns."""

    description: Any

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


@dataclass(frozen=True)
class Repositories:
    """The backend's classes for the repositories whose SQL differs between dialects."""

    chain: type[ChainWriter]
    cases: type[Cases]
    log: type[Log]
    packages: type[Packages]
    reports: type[Reports]
    sync: type[SyncState]


class Backend(Protocol):
    """A desk database's connection, transactions, value forms and dialect parts."""

    kind: str  # "sqlite" or "postgresql"
    location: str  # what people are shown: a file path, or server/database and role
    values: Values
    repositories: Repositories
    conn: Any  # the driver's own connection (the check, tests, the db commands)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None: ...

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """The result as dicts by column name."""
        ...

    def begin(self) -> None:
        """Start a write transaction (SQLite: ``BEGIN IMMEDIATE``)."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def explain(self, exc: BaseException) -> StoreError | None:
        """One line a coordinator can act on for a database error (``DuplicateError`` for a
        unique value repeated); None for any other exception."""
        ...

    def check(self, desk: Desk) -> CheckReport:
        """``db check``: the database's own integrity, every chain, replay, checkpoints."""
        ...

    def access(self) -> DeskAccess:
        """Who this connection is, and whether it may write."""
        ...

    def announce(self, changes: Changes, origin: str) -> None:
        """Tell the other desks what the current transaction changed (inside it, before
        COMMIT: they learn of it exactly when it is committed). ``origin``: the desk's own
        id, whose feed leaves its own changes out."""
        ...

    def watch(self, origin: str) -> ChangeFeed:
        """A feed of what other desks change (``sarapp.store.watch.ChangeFeed``)."""
        ...

    def columns(self) -> dict[str, list[str]]:
        """Every table of the desk with its columns, in order (``db copy`` refuses a column
        it does not know)."""
        ...

    def snapshot(self) -> AbstractContextManager[None]:
        """A read-only transaction seeing one moment of the desk, whatever other desks write
        meanwhile (``db copy``'s source)."""
        ...

    def stream(self, sql: str) -> Iterator[tuple[Any, ...]]:
        """The rows of a big query as tuples, fetched in batches (inside ``snapshot``)."""
        ...

    def bulk_insert(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert many rows at once in the current transaction, in their order (SQLite:
        ``executemany``; PostgreSQL: ``COPY``, which also computes what only the server
        keeps, such as an entry's search words). Returns the number of rows."""
        ...

    def close(self) -> None: ...


__all__ = ["Backend", "Cursor", "DeskAccess", "Repositories", "Values"]
