"""The store's tests run on both backends: ``store`` and ``location`` are a fresh empty desk
as a SQLite file and as a PostgreSQL database (that half skipped where no PostgreSQL server
can be started, failed instead under ``SARAPP_REQUIRE_POSTGRES=1``, as in CI). Tests of one
backend's own (SQLite migrations, its golden schemas) ask for ``desk_path``."""

from __future__ import annotations

from pathlib import Path

import pytest

from sarapp.store import Desk


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, desk_path: Path) -> str:
    """Where a fresh empty desk is: a desk file, or a PostgreSQL database."""
    return str(desk_path) if request.param == "sqlite" else request.getfixturevalue("pg_desk")


@pytest.fixture
def store(location: str):
    with Desk.open(location) as opened:
        yield opened
