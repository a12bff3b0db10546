"""The case log's hash chain, defined on an entry's values, not on how a backend stores them.

An entry's hash is the SHA-256 of its content and the hash of the entry before it, over one
canonical JSON text: the id, case id, seq, time, author, kind, text, ``data``, corrected
entry and previous hash, with the time as ``time_text`` writes it and ``data`` as
``data_text`` writes it. Every desk (a SQLite file, a PostgreSQL database) and every package
computes the same hash for the same entry from these forms; they are frozen, since any change
would break every chain already written.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64  # prev_hash of a case's first entry
HASHED = ("id", "case_id", "seq", "time", "author", "kind", "text", "data", "corrects",
          "prev_hash")  # fmt: skip


def time_text(value: datetime) -> str:
    """The chain's form of a time: UTC ISO 8601 with microseconds and a Z, always 27
    characters (``0999-11-26T14:30:00.000000Z``)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: sarapp keeps every time in UTC")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def time_from_text(text: str) -> datetime:
    """A time in the chain's form, read back; also the unpadded year an older sarapp wrote
    (``999-11-26T…``, which ``db check`` names)."""
    try:
        return datetime.fromisoformat(text)  # reads the Z as UTC (Python 3.11+), 20x strptime
    except ValueError:
        match = _SHORT_YEAR.match(text)
        if match is None:
            raise
        return datetime.fromisoformat(match.group(1).zfill(4) + text[match.end(1) :])


_SHORT_YEAR = re.compile(r"^(\d{1,3})-\d\d-\d\dT")


def data_text(data: Mapping[str, Any]) -> str:
    """The chain's form of an entry's ``data``: JSON, sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: Mapping[str, Any]) -> str:
    """The hash of an entry given in the chain's text forms (``time`` and ``data`` as text),
    as a package carries it and a SQLite desk stores it."""
    canonical = _canonical({key: content[key] for key in HASHED})
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hash_frame(content: Mapping[str, Any]) -> tuple[str, str]:
    """The canonical text ``content_hash`` hashes, less its place in the chain: ``before`` and
    ``after`` such that the text is ``before + prev_hash + '","seq":' + str(seq) + after``
    (the keys are sorted, and ``prev_hash`` and ``seq`` are neighbours). A server that knows
    the chain's head hashes the entry from these (``sarapp.store.pg.chain``), without a round
    trip back to the desk while the case is locked."""
    head = {key: content[key] for key in ("author", "case_id", "corrects", "data", "id", "kind")}
    tail = {key: content[key] for key in ("text", "time")}
    before = _canonical(head)[:-1] + ',"prev_hash":"'
    return before, "," + _canonical(tail)[1:]


def framed_text(before: str, prev_hash: str, seq: int, after: str) -> str:
    """The text ``hash_frame`` framed, with the entry's place filled in."""
    return f'{before}{prev_hash}","seq":{seq}{after}'


def _canonical(content: Mapping[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    *,
    entry_id: str,
    case_id: str,
    seq: int,
    time: datetime,
    author: str,
    kind: str,
    text: str,
    data: Mapping[str, Any],
    corrects: str | None,
    prev_hash: str,
) -> str:
    """The hash of an entry given as values (ids as text or UUIDs, ``time`` an aware
    datetime): the same on every backend for the same entry."""
    return content_hash(
        {
            "id": str(entry_id),
            "case_id": str(case_id),
            "seq": seq,
            "time": time_text(time),
            "author": author,
            "kind": kind,
            "text": text,
            "data": data_text(data),
            "corrects": str(corrects) if corrects is not None else None,
            "prev_hash": prev_hash,
        }
    )


__all__ = [
    "GENESIS_HASH",
    "content_hash",
    "data_text",
    "entry_hash",
    "framed_text",
    "hash_frame",
    "time_from_text",
    "time_text",
]
