"""The CLI on a PostgreSQL desk: ``db init``, ``db check``, every other command through
``--db`` or ``$SARAPP_DB``, a viewer refused in one line, and locations with secrets."""

from __future__ import annotations

import json

import pytest

from sarapp.cli import main
from sarapp.store.pg.location import (
    PgStoreError,
    connect,
    describe_location,
    is_server_location,
    parse_location,
)
from sarapp.store.pg.roles import create_roles
from tests.store.pg.helpers import note, open_case


def test_db_init_makes_an_empty_database_a_desk_with_its_roles(pg_empty, capsys):
    assert main(["--db", pg_empty, "db", "init", "--roles"]) == 0
    out = capsys.readouterr().out
    assert "desk ready: " in out and "_officer (officers)" in out and "_viewer (viewers)" in out
    assert main(["--db", pg_empty, "db", "check"]) == 0
    assert capsys.readouterr().out == "ok\n"


def test_db_init_refuses_another_programs_database_in_one_line(pg_empty, capsys):
    with connect(pg_empty) as conn:
        conn.execute("CREATE TABLE invoices (id integer PRIMARY KEY)")
    assert main(["--db", pg_empty, "db", "init"]) == 1
    err = capsys.readouterr().err
    assert "another program" in err and "Traceback" not in err and err.count("\n") == 1


def test_db_check_names_a_forged_entry(pg_desk, capsys):
    with connect(pg_desk) as conn:
        case_id = open_case(conn)
        note(conn, case_id, "Dragon 13 on scene")
        conn.execute("ALTER TABLE log_entries DISABLE TRIGGER log_entries_append_only")
        conn.execute("UPDATE log_entries SET author = 'someone' WHERE seq = 2")
    assert main(["--db", pg_desk, "db", "check", "--json"]) == 1
    assert '"ok": false' in capsys.readouterr().out.replace("\n", "")


def test_every_command_takes_a_server_desk_from_db_or_sarapp_db(pg_desk, capsys, monkeypatch,
                                                                tmp_path):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert main(["--db", pg_desk, "case", "new", "--title", "FV Marie-Jo", "--json"]) == 0
    case = json.loads(capsys.readouterr().out)
    monkeypatch.setenv("SARAPP_DB", pg_desk)  # the environment names the server desk too
    assert main(["log", "add", case["number"], "Dragon 13 on scene", "--author", "op2"]) == 0
    assert main(["case", "set", case["number"], "pob", "4"]) == 0
    capsys.readouterr()
    assert main(["log", "list", case["number"], "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["text"] for e in entries][1] == "Dragon 13 on scene"
    assert {e["written_by"] for e in entries} == {"postgres"}  # the login, set by the database
    assert entries[1]["author"] == "op2"
    assert main(["db", "check"]) == 0
    assert capsys.readouterr().out.startswith("ok")
    assert list(tmp_path.iterdir()) == []  # no folders named after the URI


def test_a_viewer_sees_the_cases_and_a_write_is_refused_in_one_line(pg_desk, capsys):
    assert main(["--db", pg_desk, "case", "new", "--title", "FV Marie-Jo"]) == 0
    with connect(pg_desk) as conn:
        roles = create_roles(conn)
        conn.execute("DROP ROLE IF EXISTS auditor1")
        conn.execute(f"CREATE ROLE auditor1 LOGIN IN ROLE {roles.viewer}")
    viewer = f"{pg_desk} user=auditor1"
    try:
        capsys.readouterr()
        assert main(["--db", viewer, "case", "list"]) == 0
        assert "FV Marie-Jo" in capsys.readouterr().out
        assert main(["--db", viewer, "log", "add", "2026-0001", "from the auditor"]) == 1
        err = capsys.readouterr().err
        assert "connected as auditor1, a viewer: this desk is read-only for you" in err
        assert err.count("\n") == 1 and "Traceback" not in err
    finally:
        with connect(pg_desk) as conn:
            conn.execute("DROP OWNED BY auditor1")
            conn.execute("DROP ROLE auditor1")


def test_a_password_in_the_location_is_refused_and_never_shown(capsys):
    location = "postgresql://officer1:s3cret@rcc-db:5433/sar"
    with pytest.raises(PgStoreError, match="pgpass") as refused:
        parse_location(location)
    assert "s3cret" not in str(refused.value)
    assert describe_location(location) == "rcc-db:5433/sar as officer1"
    assert main(["--db", location, "db", "check"]) == 1
    assert "s3cret" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("location", "server", "shown"),
    [
        ("postgresql://officer1@rcc-db/sar", True, "rcc-db/sar as officer1"),
        ("postgres:///sar?host=/run/postgresql", True, "/run/postgresql/sar"),
        ("host=rcc-db dbname=sar user=viewer1", True, "rcc-db/sar as viewer1"),
        ("service=rcc", True, "service rcc"),
        ("desk.sqlite", False, None),
        ("backups/a=b.sqlite", False, None),
        ("C:\\desks\\rcc.sqlite", False, None),
    ],
)
def test_server_locations_are_told_from_sqlite_paths(location, server, shown):
    assert is_server_location(location) is server
    if shown:
        assert describe_location(location) == shown
