"""The roles of an RCC's desk database: officers (read, append to the logs, edit cases),
viewers (read only: a flag state's liaison officer, an auditor) and field laptops (sync the
cases the centre gave them, nothing else).

They are group roles without login, named after the database (``sar_officer``,
``sar_viewer``, ``sar_field`` for database ``sar``) since roles belong to the whole server;
the administrator grants them to each person's own login (``GRANT sar_officer TO alice``), so
every entry records which login wrote it. An officer can INSERT into the append-only tables
but never UPDATE, DELETE or TRUNCATE them (and the tables' triggers refuse it even to the
owner).

A field laptop logs in with a role of its own named as the laptop is (its RCC id, e.g.
``CREATE ROLE "FIELD-1" LOGIN IN ROLE sar_field``). Row-level security keeps it to the cases
given to that name (``sync_grants.laptop = current_user``): it reads those cases only, and the
server refuses any write to another case, whatever program sends it. A laptop's login is
written down on a computer that goes to sea and may be lost; the database, not the laptop's
copy of sarapp, is what must say no. Officers and viewers are not affected: a permissive
policy lets every other role see and write the rows as their table privileges say.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from sarapp.store.pg.location import PgStoreError
from sarapp.store.pg.schema import APPEND_ONLY, EDITABLE, MARKER_TABLE, REPLACEABLE

# What a field laptop's sync writes on the centre (beyond reading what it was given).
# (``disclosures``: the centre accounts for the personal data its sync passes to the laptop)
_FIELD_INSERTS = ("log_entries", "positions", "alerts", "drift_runs", "coordination",
                  "packages", "units", "unit_positions", "disclosures")  # fmt: skip
_FIELD_CASE_TABLES = ("log_entries", "positions", "alerts", "drift_runs", "coordination",
                      "search_plans", "packages", "outbox", "sync_marks", "persons",
                      "person_counts", "log_personal", "disclosures")  # fmt: skip
FIELD_WRITES = {
    **dict.fromkeys(_FIELD_INSERTS, "INSERT"),
    "cases": "UPDATE",
    **dict.fromkeys(("search_plans", "sync_marks", "sync_peers", "desk_meta"), "INSERT, UPDATE"),
    # the merge rebuilds the case's persons register from its log, and notes the personal
    # content of the entries that came as withheld (``sarapp.exchange.sync_apply``)
    **dict.fromkeys(("person_counts", "log_personal"), "INSERT, UPDATE"),
    "persons": "INSERT, UPDATE, DELETE",
}
# The one row of ``desk_meta`` a laptop's sync may write: a desk without its key marks there
# that its checkpoints lag (``sarapp.store.checkpoint_keeper``); never the desk's identity.
FIELD_META = "key = 'checkpoints_behind'"
# Rows a laptop's role sees and writes: those of the cases given to it (by ``case_id``, or
# ``id`` for cases), its own grants, and the centre's record of itself as a peer.
_GIVEN = "(SELECT g.case_id FROM sync_grants g WHERE g.laptop = current_user)"
FIELD_ROWS = {
    "cases": f"id IN {_GIVEN}",
    **{table: f"case_id IN {_GIVEN}" for table in _FIELD_CASE_TABLES},
    "sync_grants": "laptop = current_user",
    "sync_peers": "name = current_user",
}


@dataclass(frozen=True)
class DeskRoles:
    officer: str
    viewer: str
    field: str


def role_names(dbname: str) -> DeskRoles:
    return DeskRoles(officer=f"{dbname}_officer", viewer=f"{dbname}_viewer",
                     field=f"{dbname}_field")  # fmt: skip


def create_roles(conn: psycopg.Connection) -> DeskRoles:
    """Create (or bring up to date) the officer, viewer and field roles of the connected desk,
    and the row-level security that keeps a field laptop to its cases. Needs the CREATEROLE
    privilege and the tables' ownership; runs in one transaction."""
    dbname = conn.info.dbname
    roles = role_names(dbname)
    officer, viewer = sql.Identifier(roles.officer), sql.Identifier(roles.viewer)
    field = sql.Identifier(roles.field)
    tables = [
        t
        for (t,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
    ]
    try:
        with conn.transaction():
            for name in (roles.officer, roles.viewer, roles.field):
                exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
                if exists.fetchone() is None:
                    conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
            for role in (officer, viewer, field):
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
                if table in FIELD_WRITES:
                    conn.execute(sql.SQL("GRANT {} ON {} TO {}").format(
                        sql.SQL(FIELD_WRITES[table]), sql.Identifier(table), field))  # fmt: skip
            for role in (officer, field):
                conn.execute(
                    sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(role)
                )
            for table, rows in FIELD_ROWS.items():
                if table in tables:
                    _field_policy(conn, table, rows, field)
            _field_policy(conn, "desk_meta", FIELD_META, field, writes_only=True)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise PgStoreError(
            f"cannot create the desk's roles: {exc.diag.message_primary} (connect as the "
            "database owner with the CREATEROLE privilege)"
        ) from None
    return roles


def _field_policy(
    conn: psycopg.Connection,
    table: str,
    rows: str,
    field: sql.Identifier,
    *,
    writes_only: bool = False,
) -> None:
    """Row-level security on ``table``: every role as before (a permissive policy), and for
    the field role only the rows ``rows`` says (a restrictive one, ANDed with it); with
    ``writes_only`` it reads every row and writes only those."""
    name = sql.Identifier(table)
    conn.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
    for policy in ("sarapp_desk", "sarapp_field", "sarapp_field_insert", "sarapp_field_update"):
        conn.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(
            sql.Identifier(policy), name))  # fmt: skip
    conn.execute(sql.SQL("CREATE POLICY sarapp_desk ON {} USING (true) WITH CHECK (true)").format(
        name))  # fmt: skip
    rule = sql.SQL(rows)
    if not writes_only:
        conn.execute(
            sql.SQL(
                "CREATE POLICY sarapp_field ON {} AS RESTRICTIVE TO {} USING ({}) WITH CHECK ({})"
            ).format(name, field, rule, rule)
        )
        return
    conn.execute(sql.SQL(
        "CREATE POLICY sarapp_field_insert ON {} AS RESTRICTIVE FOR INSERT TO {} WITH CHECK ({})"
    ).format(name, field, rule))  # fmt: skip
    conn.execute(sql.SQL(
        "CREATE POLICY sarapp_field_update ON {} AS RESTRICTIVE FOR UPDATE TO {} USING ({})"
        " WITH CHECK ({})"
    ).format(name, field, rule, rule))  # fmt: skip
