"""Where the desk lives by default, and who is typing: shared by the CLI and the app."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs

APP_NAME = "sarapp"


def data_dir() -> Path:
    """The user's data folder for sarapp (``~/.local/share/sarapp`` on Linux)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """``$SARAPP_DB`` if set, else ``desk.sqlite`` in the user's data folder."""
    env = os.environ.get("SARAPP_DB")
    return Path(env) if env else data_dir() / "desk.sqlite"


def default_location() -> str:
    """``$SARAPP_DB`` as given (a file path, or a PostgreSQL location, which a ``Path`` would
    mangle: ``postgresql://`` has two slashes), else the default desk file."""
    env = os.environ.get("SARAPP_DB", "").strip()
    return env or str(data_dir() / "desk.sqlite")


def default_operator() -> str:
    """``$SARAPP_OPERATOR`` if set, else the login name: every log entry needs an author."""
    env = os.environ.get("SARAPP_OPERATOR", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"
