"""What the command groups share: opening the desk and reading common option values."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from sarapp.geo import parse_dtg
from sarapp.paths import default_location, default_operator
from sarapp.store import Desk


def desk_location(args: argparse.Namespace) -> str:
    """``--db``, else ``$SARAPP_DB``, else the desk file in the user's data folder: a file
    path or a PostgreSQL location (``sarapp.store.pg.location``)."""
    return args.db or default_location()


def open_store(args: argparse.Namespace, *, create: bool = True) -> Desk:
    """The desk named by ``--db`` (a file, or a PostgreSQL desk that ``db init`` made), or
    the default one in the user's data folder, signing its checkpoints with the desk's key
    when it can be had (``--keys-dir``, else the default keys folder); without it the desk
    works and ``db check`` says the checkpoints lag."""
    from sarapp.exchange.desk_signer import attach_checkpoint_signer  # cryptography: lazily

    store = Desk.open(desk_location(args), create=create)
    keys_dir = getattr(args, "keys_dir", None)
    attach_checkpoint_signer(store, Path(keys_dir) if keys_dir else None)
    return store


def author_of(args: argparse.Namespace) -> str:
    return getattr(args, "author", None) or default_operator()


def parse_time(text: str | None) -> datetime | None:
    """A DTG (``261430Z NOV 26``) or ISO 8601 time, as UTC."""
    return parse_dtg(text) if text else None
