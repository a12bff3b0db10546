"""The officer and viewer roles: what each may do on a desk, enforced by the server."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from sarapp.store.pg.chain import append_entry
from sarapp.store.pg.location import connect, explain
from sarapp.store.pg.roles import create_roles, role_names

from .helpers import note, open_case


def _login(pg_server, pg_desk: str, name: str, group: str) -> str:
    """A person's login role in ``group``; returns the location to connect as them."""
    with connect(pg_desk) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
            sql.Identifier(name), sql.Identifier(group)))  # fmt: skip
        dbname = conn.info.dbname
    return pg_server.conninfo(dbname, user=name)


def test_an_officer_appends_and_edits_but_cannot_rewrite_the_log(pg_server, pg_desk):
    with connect(pg_desk) as admin:
        roles = create_roles(admin)
        assert roles == role_names(admin.info.dbname)
        case_id = open_case(admin)
        create_roles(admin)  # again: brings the grants up to date, no error
    officer = _login(pg_server, pg_desk, f"{roles.officer}_alice", roles.officer)
    with connect(officer) as alice:
        note(alice, case_id, "Dragon 13 on scene")
        alice.execute("UPDATE cases SET pob = 4 WHERE id = %s", (case_id,))
        writers = alice.execute("SELECT written_by FROM log_entries ORDER BY seq").fetchall()
        assert writers == [("postgres",), (f"{roles.officer}_alice",)]
        for statement in ("UPDATE log_entries SET text = 'x'", "DELETE FROM log_entries",
                          "TRUNCATE log_entries", "DELETE FROM cases",
                          "DROP TRIGGER log_entries_append_only ON log_entries"):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                alice.execute(statement)
        assert alice.execute("SELECT count(*) FROM log_entries").fetchone()[0] == 2


def test_a_viewer_reads_and_every_write_is_refused_in_one_clear_line(pg_server, pg_desk):
    with connect(pg_desk) as admin:
        roles = create_roles(admin)
        case_id = open_case(admin)
    viewer = _login(pg_server, pg_desk, f"{roles.viewer}_bob", roles.viewer)
    with connect(viewer) as bob:
        assert bob.execute("SELECT count(*) FROM log_entries").fetchone()[0] == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused, bob.transaction():
            append_entry(bob, case_id, kind="note", text="x", author="bob", data={})
        message = str(explain(refused.value, viewer, bob))
        assert f"as {roles.viewer}_bob" in message and "viewer reads only" in message
        assert "\n" not in message
        for table in ("cases", "units", "trusted_keys", "desk_meta"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                bob.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
