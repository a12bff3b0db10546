"""Shared fixtures: one empty desk built once per session, copied for each test; the annual
report's synthetic desk (a seeded year of cases, ``tests/report/synthetic_desk.py``) likewise."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sarapp.store import Desk


@pytest.fixture(autouse=True)
def _own_user_folders(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    """sarapp's data and keys folders are the test's own, never the user's: opening a desk the
    command creates makes its key in the keys folder (``sarapp.exchange.desk_signer``)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg")))
    monkeypatch.delenv("SARAPP_KEYS_DIR", raising=False)


@pytest.fixture(scope="session")
def empty_desk_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "desk.sqlite"
    Desk.open(path).close()
    return path


@pytest.fixture
def desk_path(tmp_path: Path, empty_desk_file: Path) -> Path:
    """A fresh, migrated, empty desk file of this test's own."""
    path = tmp_path / "desk.sqlite"
    shutil.copyfile(empty_desk_file, path)
    return path


@pytest.fixture
def store(desk_path: Path):
    with Desk.open(desk_path) as opened:
        yield opened


def _trust_each_other(*desks: tuple[Path, Path]) -> None:
    """Each desk (desk file, key folder) trusts every other's key, as RCCs set it up: the
    key file exported with ``sarapp keys export``, taken with ``sarapp keys trust``."""
    from sarapp.cli import main

    files = []
    for db, folder in desks:
        key_file = Path(db).parent / f"{Path(db).stem}.sarkey"
        assert main(["--db", str(db), "keys", "export", "-o", str(key_file),
                     "--keys-dir", str(folder)]) == 0  # fmt: skip
        files.append(key_file)
    for index, (db, folder) in enumerate(desks):
        for other, key_file in enumerate(files):
            if other != index:
                assert main(["--db", str(db), "keys", "trust", str(key_file),
                             "--keys-dir", str(folder)]) == 0  # fmt: skip


@pytest.fixture
def trust_each_other():
    """``trust_each_other((db_a, keys_a), (db_b, keys_b), …)``: the desks trust each other."""
    return _trust_each_other


@pytest.fixture(scope="session")
def synthetic_template(tmp_path_factory: pytest.TempPathFactory):
    from .report.synthetic_desk import CASES, SEED, YEAR, plan_desk, write_desk

    specs = plan_desk(SEED, year=YEAR, cases=CASES)
    path = tmp_path_factory.mktemp("synthetic") / "desk.sqlite"
    write_desk(path, specs)
    return path, specs


@pytest.fixture
def synthetic(synthetic_template, tmp_path: Path):
    """A copy of the synthetic desk of this test's own, and its specs (read them only)."""
    template, specs = synthetic_template
    path = tmp_path / "synthetic.sqlite"
    shutil.copyfile(template, path)
    return path, specs


# --- PostgreSQL: one throwaway server per session, a fresh database per test ------------------

REQUIRE_POSTGRES = os.environ.get("SARAPP_REQUIRE_POSTGRES") == "1"  # CI: never skip them


@pytest.fixture(scope="session")
def pg_server():
    """A private PostgreSQL server (Unix socket only, fast settings), stopped at the end.
    Skipped where PostgreSQL is not installed, unless SARAPP_REQUIRE_POSTGRES=1 (CI)."""
    from sarapp.store.pg.local_server import LocalServer, LocalServerError

    try:
        server = LocalServer.start()
    except LocalServerError as exc:
        if REQUIRE_POSTGRES:
            pytest.fail(f"SARAPP_REQUIRE_POSTGRES=1 but no PostgreSQL server: {exc}")
        pytest.skip(f"no PostgreSQL server for these tests: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """The name of a database holding an empty desk at the latest schema: each test's copy."""
    from sarapp.store.pg.desk import open_desk

    admin = pg_server.conninfo()
    with psycopg_connect(admin) as conn:
        conn.execute("CREATE DATABASE desk_template")
    open_desk(pg_server.conninfo("desk_template"), create=True).close()
    return "desk_template"


def psycopg_connect(conninfo: str):
    import psycopg

    return psycopg.connect(conninfo, autocommit=True)


@contextmanager
def _fresh_database(server, template: str) -> Iterator[str]:
    name = f"t_{next(_DATABASE_NUMBERS)}"
    with psycopg_connect(server.conninfo()) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY file_copy")
    try:
        yield name
    finally:
        with psycopg_connect(server.conninfo()) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


_DATABASE_NUMBERS = itertools.count(1)


@pytest.fixture
def pg_desk(pg_server, pg_template) -> Iterator[str]:
    """The location (libpq keywords) of a fresh, migrated, empty desk database of this test."""
    with _fresh_database(pg_server, pg_template) as name:
        yield pg_server.conninfo(name)


@pytest.fixture
def pg_empty(pg_server) -> Iterator[str]:
    """The location of a fresh empty database (no desk yet)."""
    with _fresh_database(pg_server, "template0") as name:
        yield pg_server.conninfo(name)
