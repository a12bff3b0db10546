"""The relay fixture of the PostgreSQL tests (``relay.Relay``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .relay import Relay


@pytest.fixture
def relayed(pg_server, pg_desk, tmp_path) -> Iterator[tuple[str, Relay]]:
    """The desk's location through the relay, and the relay."""
    (server_socket,) = Path(pg_server.folder).glob(".s.PGSQL.*[0-9]")
    folder = tmp_path / "relay"
    folder.mkdir()
    relay = Relay(server_socket, folder)
    try:
        yield pg_desk.replace(f"host={pg_server.folder}", f"host={folder}"), relay
    finally:
        relay.close()
