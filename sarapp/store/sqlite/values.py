"""How the SQLite desk stores the values SQLite has no type for: times and JSON, as text.

Both are the hash chain's own text forms (``sarapp.chain``): a time is 27 characters of UTC
ISO 8601 (which sorts as text in time order), JSON has sorted keys and no spaces. So a log
entry row hashes as it is stored, and ``db check`` reads no value twice. These are storage
forms: nothing that leaves the desk is written with them (``sarapp.exchange.wire``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from sarapp.chain import data_text, time_from_text, time_text

# The stored forms of a time and of JSON are the chain's own (see the module docstring).
time_to_text = time_text
data_to_text = data_text

_STORED_FORM = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def is_stored_form(text: str) -> bool:
    """True for the one form the desk writes (``0999-11-26T14:30:00.000000Z``)."""
    return _STORED_FORM.fullmatch(text) is not None


class SqliteValues:
    """The ``Values`` of a SQLite desk (``sarapp.store.backend``)."""

    chain_text = True
    time = staticmethod(time_text)
    read_time = staticmethod(time_from_text)
    json = staticmethod(data_text)

    @staticmethod
    def read_json(stored: Any) -> Any:
        return json.loads(stored)

    @staticmethod
    def flag(value: bool) -> int:
        return int(value)

    @staticmethod
    def read_id(stored: Any) -> str:
        return stored


__all__ = ["SqliteValues", "data_to_text", "is_stored_form", "time_from_text", "time_to_text"]
