"""The PostgreSQL desk's schema: golden dumps, recognising a desk, refusing other programs'
databases, append-only tables and the two roles."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from sarapp.store.pg.desk import open_desk
from sarapp.store.pg.dump import schema_dump
from sarapp.store.pg.location import PgStoreError, connect
from sarapp.store.pg.schema import (
    APPEND_ONLY,
    EDITABLE,
    LATEST_VERSION,
    MARKER_TABLE,
    REPLACEABLE,
    migrate,
)

GOLDEN = Path(__file__).parents[2] / "data" / "store" / "pg"


@pytest.mark.parametrize("version", range(1, LATEST_VERSION + 1))
def test_schema_of_each_version_matches_its_golden_file(pg_empty, version):
    with connect(pg_empty) as conn:
        migrate(conn, where="test", to_version=version)
        assert schema_dump(conn) == (GOLDEN / f"schema_v{version}.sql").read_text()


def test_an_empty_database_becomes_a_desk_only_when_asked(pg_empty):
    with pytest.raises(PgStoreError, match="empty database, not yet a desk"):
        open_desk(pg_empty)
    with open_desk(pg_empty, create=True) as conn:
        assert conn.execute(f"SELECT version FROM {MARKER_TABLE}").fetchone()[0] == LATEST_VERSION
    open_desk(pg_empty).close()  # now it is one


def test_another_programs_database_is_refused_untouched(pg_empty):
    with connect(pg_empty) as conn:
        conn.execute("CREATE TABLE invoices (id integer PRIMARY KEY, total numeric)")
        conn.execute("INSERT INTO invoices VALUES (1, 99.5)")
    for create in (False, True):
        with pytest.raises(PgStoreError, match=r"another program.*invoices.*will not touch"):
            open_desk(pg_empty, create=create)
    with connect(pg_empty) as conn:
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchall() == [("invoices",)]


def test_a_desk_from_a_newer_sarapp_is_refused(pg_desk):
    with connect(pg_desk) as conn:
        conn.execute(f"UPDATE {MARKER_TABLE} SET version = version + 1")
    with pytest.raises(PgStoreError, match="newer sarapp"):
        open_desk(pg_desk)


def test_every_table_has_its_place_in_the_roles(pg_desk):
    with connect(pg_desk) as conn:
        tables = {
            t
            for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
    assert tables == {MARKER_TABLE, *APPEND_ONLY, *EDITABLE, *REPLACEABLE}


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_append_only_tables_refuse_truncate_even_to_the_owner(pg_desk, table):
    # TRUNCATE fires no row trigger: a statement trigger refuses it (rows: test_pg_chain).
    with connect(pg_desk) as conn:
        with pytest.raises(
            psycopg.errors.IntegrityConstraintViolation, match=r"append-only|kept as run"
        ):
            conn.execute(f"TRUNCATE {table} CASCADE")
        triggers = {
            name
            for (name,) in conn.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass", (table,)
            )
        }
        assert {f"{table}_append_only", f"{table}_append_only_truncate"} <= triggers
