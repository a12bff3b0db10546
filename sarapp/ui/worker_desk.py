"""The desk as a worker's job opens it: a connection of its own (never the window's, which
belongs to the GUI thread), signing its checkpoints with the desk's key as the window's desk
does, so what a worker writes (an import, a purge, a delivery note) is vouched for at once
like what the officer types."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.store import Desk


@contextmanager
def worker_desk(address: str | Path, keys_dir: Path | None = None) -> Iterator[Desk]:
    """``Desk.open(address)`` with the desk's key from ``keys_dir`` (None: the default keys
    folder, as the window's); without a key at hand it still opens."""
    with Desk.open(address, create=False) as own:
        attach_checkpoint_signer(own, keys_dir)
        yield own


__all__ = ["worker_desk"]
