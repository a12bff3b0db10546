"""Opening a desk database safely: recognise it, refuse what is not ours, migrate with a backup.

Nothing here ever overwrites a file it does not recognise as a sarapp desk.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sarapp.store.errors import DuplicateError, StoreError
from sarapp.store.sqlite.schema import APPLICATION_ID, LATEST_VERSION, migrate

BUSY_TIMEOUT_MS = 5000


def open_connection(
    path: Path,
    *,
    create: bool = True,
    to_version: int | None = None,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> tuple[sqlite3.Connection, bool]:
    """Open (or create) the desk at ``path`` and bring its schema to ``to_version``.

    Returns ``(connection, created)``. The connection is in autocommit mode with WAL,
    ``synchronous=FULL`` (an acknowledged entry survives a power cut), foreign keys on and a
    busy timeout. Raises StoreError for a file that is not a SQLite database, a SQLite
    database of another program, a desk from a newer sarapp, or a locked or unwritable file.
    """
    target = LATEST_VERSION if to_version is None else to_version
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    existed = path.exists() and path.stat().st_size > 0
    if not existed and not create:
        raise StoreError(f"no desk database at {path}")
    if not existed:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {path}: {exc.strerror}") from None
        _create_owner_only(path)
    try:
        conn = sqlite3.connect(
            str(path), timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from None
    try:
        version = _recognise(conn, path)
        if version > LATEST_VERSION:
            raise StoreError(
                f"{path} was written by a newer sarapp (schema version {version}; this one "
                f"knows up to {LATEST_VERSION}); update sarapp to open it"
            )
        _configure(conn, path, busy_timeout_ms)
        if version < target:
            if version > 0:
                _backup(conn, path.with_name(f"{path.name}.v{version}.bak"))
            migrate(conn, from_version=version, to_version=target)
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn, not existed


def _recognise(conn: sqlite3.Connection, path: Path) -> int:
    """The desk's schema version (0 for an empty file); StoreError if it is not a desk."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master LIMIT 5")]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise StoreError(
                f"{path} is not a SQLite database (or is damaged); sarapp will not touch it"
            ) from None
        raise
    if app_id == APPLICATION_ID:
        return version
    if app_id == 0 and not tables:
        return 0
    raise StoreError(
        f"{path} is a SQLite database of another program, not a sarapp desk; "
        "sarapp will not touch it (choose another file)"
    )


def _configure(conn: sqlite3.Connection, path: Path, busy_timeout_ms: int) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise StoreError(f"{path}: cannot switch to write-ahead logging (journal mode {mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def _backup(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the desk before a migration: an upgrade that goes wrong loses nothing."""
    if target.exists():
        return
    _create_owner_only(target)
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()


def _create_owner_only(path: Path) -> None:
    """Create an empty desk file readable by its owner only (0600) before SQLite opens it:
    a desk holds persons on board, positions and the log. SQLite gives its WAL and
    shared-memory files the mode of the database file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # an empty file someone made: SQLite takes it as it is
    except OSError as exc:
        raise StoreError(f"cannot create {path}: {exc.strerror or exc}") from None
    os.fchmod(fd, 0o600)  # whatever the umask
    os.close(fd)


def explain(exc: sqlite3.Error, path: Path) -> StoreError:
    """A coordinator-readable StoreError for what SQLite says."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(
            f"{path} is locked by another program (another sarapp?); close it and try again"
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path} is read-only: sarapp cannot write to it")
    if "unable to open" in text:
        return StoreError(f"cannot open {path}: check the folder exists and is writable")
    if "disk" in text and ("full" in text or "I/O" in text):
        return StoreError(f"{path}: the disk is full or failing ({text})")
    if text.startswith("UNIQUE constraint failed"):
        return DuplicateError(f"{path}: {text}")
    return StoreError(f"{path}: {text}")
