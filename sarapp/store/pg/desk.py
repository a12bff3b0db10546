"""Opening a PostgreSQL desk: connect, recognise it, build or upgrade its schema.

The counterpart of ``sarapp.store.connection`` for a server. An empty database becomes a
desk only when asked (``create=True``, what ``db init`` does); a database holding another
program's tables is refused untouched, like another program's SQLite file.
"""

from __future__ import annotations

import psycopg

from sarapp.store.pg.location import PgStoreError, connect, describe_location
from sarapp.store.pg.schema import LATEST_VERSION, migrate, recognise


def open_desk(location: str, *, create: bool = False) -> psycopg.Connection:
    """An autocommit connection to the desk at ``location``, its schema at the latest
    version; PgStoreError if it is not a desk (or empty, unless ``create``)."""
    where = describe_location(location)
    conn = connect(location)
    try:
        found = recognise(conn, where)
        if found == 0 and not create:
            raise PgStoreError(
                f"{where} is an empty database, not yet a desk: run 'sarapp db init' on it"
            )
        if found != LATEST_VERSION:
            migrate(conn, where=where)  # upgrades, or refuses a desk of a newer sarapp
    except psycopg.errors.InsufficientPrivilege as exc:
        conn.close()
        raise PgStoreError(
            f"{where}: {exc.diag.message_primary} (building or upgrading the desk needs the "
            "database owner)"
        ) from None
    except BaseException:
        conn.close()
        raise
    return conn
