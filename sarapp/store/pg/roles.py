"""The two roles of an RCC's desk database: officers (read, append to the logs, edit cases)
and viewers (read only: a flag state's liaison officer, an auditor).

They are group roles without login, named after the database (``sar_officer``,
``sar_viewer`` for database ``sar``) since roles belong to the whole server; the
administrator grants them to each person's own login (``GRANT sar_officer TO alice``), so
every entry records which login wrote it. An officer can INSERT into the append-only tables
but never UPDATE, DELETE or TRUNCATE them (and the tables' triggers refuse it even to the
owner).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from sarapp.store.pg.location import PgStoreError
from sarapp.store.pg.schema import APPEND_ONLY, EDITABLE, MARKER_TABLE, REPLACEABLE


@dataclass(frozen=True)
class DeskRoles:
    officer: str
    viewer: str


def role_names(dbname: str) -> DeskRoles:
    return DeskRoles(officer=f"{dbname}_officer", viewer=f"{dbname}_viewer")


def create_roles(conn: psycopg.Connection) -> DeskRoles:
    """Create (or bring up to date) the officer and viewer roles of the connected desk.
    Needs the CREATEROLE privilege; runs in one transaction."""
    dbname = conn.info.dbname
    roles = role_names(dbname)
    officer, viewer = sql.Identifier(roles.officer), sql.Identifier(roles.viewer)
    tables = [
        t
        for (t,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
    ]
    try:
        with conn.transaction():
            for name in (roles.officer, roles.viewer):
                exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
                if exists.fetchone() is None:
                    conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
            for role in (officer, viewer):
                conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(dbname), role))  # fmt: skip
                conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
                conn.execute(
                    sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role)
                )
                conn.execute(
                    sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(role)
                )
            writes = {
                **dict.fromkeys(APPEND_ONLY, "INSERT"),
                **dict.fromkeys(EDITABLE, "INSERT, UPDATE"),
                **dict.fromkeys(REPLACEABLE, "INSERT, UPDATE, DELETE"),
            }
            for table in tables:
                if table == MARKER_TABLE or table not in writes:
                    continue
                conn.execute(sql.SQL("GRANT {} ON {} TO {}").format(
                    sql.SQL(writes[table]), sql.Identifier(table), officer))  # fmt: skip
            conn.execute(
                sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(officer)
            )
    except psycopg.errors.InsufficientPrivilege as exc:
        raise PgStoreError(
            f"cannot create the desk's roles: {exc.diag.message_primary} (connect as the "
            "database owner with the CREATEROLE privilege)"
        ) from None
    return roles
