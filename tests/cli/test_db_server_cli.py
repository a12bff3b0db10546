"""``sarapp db init`` and ``db check`` on a PostgreSQL desk, and locations with secrets."""

from __future__ import annotations

import pytest

from sarapp.cli import main
from sarapp.store.pg.location import (
    PgStoreError,
    connect,
    describe_location,
    is_server_location,
    parse_location,
)
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


def test_other_commands_refuse_a_server_location_without_making_folders(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert main(["--db", "postgresql://officer1@rcc-db/sar", "case", "list"]) == 1
    assert "rcc-db/sar as officer1: PostgreSQL desks take 'db init'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


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
