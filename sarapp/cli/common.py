"""What the command groups share: opening the desk and reading common option values."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from sarapp.geo import parse_dtg
from sarapp.paths import default_db_path, default_operator
from sarapp.store import Desk, StoreError
from sarapp.store.pg.location import describe_location, is_server_location


def open_store(args: argparse.Namespace, *, create: bool = True) -> Desk:
    """The desk named by ``--db``, or the default one in the user's data folder, signing its
    checkpoints with the desk's key when it can be had (``--keys-dir``, else the default keys
    folder); without it the desk works and ``db check`` says the checkpoints lag."""
    from sarapp.exchange.desk_signer import attach_checkpoint_signer  # cryptography: lazily

    location = args.db or str(default_db_path())
    if is_server_location(location):  # never taken for a file path (it would make folders)
        raise StoreError(
            f"{describe_location(location)}: PostgreSQL desks take 'db init' and 'db check' "
            "for now; the other commands come with the shared desk (issue 13)"
        )
    store = Desk.open(location, create=create)
    keys_dir = getattr(args, "keys_dir", None)
    attach_checkpoint_signer(store, Path(keys_dir) if keys_dir else None)
    return store


def author_of(args: argparse.Namespace) -> str:
    return getattr(args, "author", None) or default_operator()


def parse_time(text: str | None) -> datetime | None:
    """A DTG (``261430Z NOV 26``) or ISO 8601 time, as UTC."""
    return parse_dtg(text) if text else None
