"""Where a PostgreSQL desk is: telling a server location from a SQLite path, showing it
without secrets, and connecting to it.

A location is a ``postgresql://`` (or ``postgres://``) URI, a libpq keyword string
(``host=rcc-db dbname=sar``) or ``service=NAME`` from ``pg_service.conf``; anything else is a
SQLite path. Passwords come from ``~/.pgpass`` (or ``$PGPASSFILE``), never from the location:
sarapp refuses a location that carries one, so it never lands in the recent desks, a shell
history or a screen.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sarapp.store.errors import ConnectionLost, StoreError

if TYPE_CHECKING:
    import psycopg

# psycopg is imported where a server is used, not here: every CLI command asks whether its
# --db is a server location, and a drift run should not pay for loading a database driver.

_URI = re.compile(r"^\s*postgres(?:ql)?://", re.IGNORECASE)
_KEYWORD = re.compile(r"^\s*[a-z_]+\s*=", re.IGNORECASE)
_SECRETS = ("password", "sslpassword")
APPLICATION_NAME = "sarapp"


class PgStoreError(StoreError):
    """A PostgreSQL desk that cannot be reached, recognised or written; says why in one line."""


class PgConnectionLost(PgStoreError, ConnectionLost):
    """The server connection was lost, or no server of the location takes writes yet."""


def is_server_location(text: str) -> bool:
    """Whether ``--db``/``$SARAPP_DB`` names a PostgreSQL desk rather than a SQLite file."""
    if _URI.match(text):
        return True
    if not _KEYWORD.match(text) or Path(text).exists():
        return False
    import psycopg
    from psycopg import conninfo as libpq

    try:
        libpq.conninfo_to_dict(text)
    except psycopg.ProgrammingError:
        return False  # "x=1.sqlite": a file name with an equals sign, not keywords
    return True


def parse_location(text: str) -> dict[str, str]:
    """The location's libpq parameters; PgStoreError if it is malformed or holds a password."""
    import psycopg
    from psycopg import conninfo as libpq

    try:
        params = libpq.conninfo_to_dict(text)
    except psycopg.ProgrammingError as exc:
        raise PgStoreError(f"not a PostgreSQL location: {_without_secrets(str(exc))}") from None
    if any(params.get(key) for key in _SECRETS):
        raise PgStoreError(
            "the desk location holds a password: sarapp never keeps or shows one; remove it "
            "and put it in ~/.pgpass (or use a service in pg_service.conf)"
        )
    return {key: str(value) for key, value in params.items()}


def describe_location(text: str) -> str:
    """``rcc-db:5432/sar as officer1`` or ``service rcc``: for the status bar, recent desks
    and messages. Never shows a password, even from a location that (wrongly) holds one."""
    import psycopg
    from psycopg import conninfo as libpq

    try:
        params = libpq.conninfo_to_dict(text)
    except psycopg.ProgrammingError:
        return "(an unreadable PostgreSQL location)"
    if "service" in params and not ({"host", "dbname"} & params.keys()):
        shown = f"service {params['service']}"
    else:
        host = str(params.get("host") or params.get("hostaddr") or "local socket")
        port = f":{params['port']}" if params.get("port") else ""
        shown = f"{host}{port}/{params.get('dbname') or '(default database)'}"
        if params.get("service"):
            shown += f" (service {params['service']})"
    if params.get("user"):
        shown += f" as {params['user']}"
    return shown


def connect(
    text: str, *, autocommit: bool = True, connect_timeout_s: int = 10
) -> psycopg.Connection:
    """A connection to the desk's database, in UTC; PgStoreError in one line if it fails."""
    import psycopg
    from psycopg import conninfo as libpq

    params = parse_location(text)
    params.setdefault("connect_timeout", str(connect_timeout_s))
    params.setdefault("application_name", APPLICATION_NAME)
    try:
        conn = psycopg.connect(libpq.make_conninfo(**params), autocommit=autocommit)
    except psycopg.OperationalError as exc:
        raise PgStoreError(
            f"cannot reach the desk {describe_location(text)}: {first_line(exc)}"
        ) from None
    conn.execute("SET TimeZone = 'UTC'")
    if not autocommit:
        conn.commit()
    return conn


def first_line(exc: BaseException) -> str:
    """The line of libpq's message that says why: the last of a failed connection (one
    line per host tried), the first of a lost one ("server closed the connection …")."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    lost = next((line for line in lines if "closed the connection" in line), None)
    return _without_secrets(lost or lines[-1])


def _without_secrets(text: str) -> str:
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", text, flags=re.IGNORECASE)


def explain(
    exc: psycopg.Error, location: str, conn: psycopg.Connection | None = None
) -> PgStoreError:
    """A coordinator-readable PgStoreError for what the server says (one line, no secrets)."""
    import psycopg

    where = describe_location(location)
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        role = f" as {conn.info.user}" if conn is not None and not conn.closed else ""
        return PgStoreError(
            f"{where}: connected{role}, which may not make this change (a viewer reads only; "
            "ask the desk's administrator for the officer role)"
        )
    if isinstance(exc, psycopg.errors.SerializationFailure | psycopg.errors.DeadlockDetected):
        return PgStoreError(f"{where}: another desk changed the same thing at once; try again")
    if isinstance(exc, psycopg.OperationalError):
        return PgConnectionLost(
            f"{where}: the connection to the server was lost ({first_line(exc)}); "
            "reconnecting: what was not confirmed stored is kept to try again"
        )
    diag = getattr(exc, "diag", None)
    message = diag.message_primary if diag is not None and diag.message_primary else None
    return PgStoreError(f"{where}: {message or first_line(exc)}")
