"""A server stopped like a power cut (``pg_ctl stop -m immediate``) while a desk writes: after
crash recovery every entry the desk was told was stored is there, and the chain is straight.
Runs on a server of its own with PostgreSQL's durable settings (fsync, synchronous commit)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from sarapp.store.pg.check import check_chains
from sarapp.store.pg.desk import open_desk
from sarapp.store.pg.local_server import LocalServer, LocalServerError
from sarapp.store.pg.location import connect

from .helpers import open_case

WRITER = textwrap.dedent(
    """
    import sys
    from sarapp.model import Changes
    from sarapp.store.pg.chain import append_entry
    from sarapp.store.pg.location import connect
    location, case_id = sys.argv[1], sys.argv[2]
    conn = connect(location)
    for i in range(100000):
        with conn.transaction():
            link = append_entry(conn, case_id, kind="note", text=f"entry {i}", author="op",
                                data={})
        print(link.entry_id, flush=True)  # acknowledged: the commit returned
    """
)


@pytest.fixture
def durable_server(pg_server):  # pg_server: skipped (or failed in CI) alike without PostgreSQL
    try:
        server = LocalServer.start(durable=True)
    except LocalServerError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


def test_every_acknowledged_entry_survives_an_immediate_stop(durable_server):
    admin = durable_server.conninfo()
    with connect(admin) as conn:
        conn.execute("CREATE DATABASE desk")
    location = durable_server.conninfo("desk")
    with open_desk(location, create=True) as conn:
        case_id = open_case(conn)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, location, case_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged = [writer.stdout.readline().strip() for _ in range(200)]
    durable_server.crash()  # mid-stream: the writer is between commits or inside one
    rest, errors = writer.communicate(timeout=60)
    acknowledged += rest.split()
    assert writer.returncode != 0 and "OperationalError" in errors  # it lost its server
    durable_server.restart()
    with connect(location) as conn:
        stored = {str(i) for (i,) in conn.execute("SELECT id FROM log_entries")}
        assert set(acknowledged) <= stored
        assert check_chains(conn) == []
        assert conn.execute("SELECT max(seq) FROM log_entries").fetchone()[0] >= 201
