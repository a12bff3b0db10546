"""Values between Python and PostgreSQL's native types, and the log entry's content hash
computed from values, not from how a backend stores them.

The hash chain (``sarapp.chain``) covers an entry's time as sarapp's
canonical UTC text and its ``data`` as canonical JSON text. The SQLite desk stores exactly
those texts; a PostgreSQL desk stores a ``timestamptz`` and a ``jsonb``, and recomputes the
same texts from the values it reads back. For that, a value must come back from ``jsonb``
as the very same Python value: PostgreSQL keeps JSON numbers as ``numeric``, which writes
``1e16`` back as ``10000000000000000`` (an int) and has no ``-0.0``, NaN or infinity, and
``jsonb`` refuses the character U+0000. So floats are sent in positional notation (numeric
keeps the fraction, so they come back as floats), and what ``jsonb`` cannot hold exactly is
refused with a message naming it, before anything is written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from psycopg.types.json import Jsonb

from sarapp.store.pg.location import PgStoreError


class UnstorableValue(PgStoreError, ValueError):
    """A value a PostgreSQL desk cannot keep exactly (the message names it)."""


def jsonb(value: Any, *, what: str = "data") -> Jsonb:
    """``value`` ready for a ``jsonb`` column, exactly as it will be read back."""
    return Jsonb(value, dumps=lambda v: exact_json(v, what=what))


def exact_json(value: Any, *, what: str = "data") -> str:
    """JSON text of ``value`` that ``jsonb`` keeps exactly: floats positional, refusals for
    -0.0, NaN, infinities and U+0000 (UnstorableValue)."""
    parts: list[str] = []
    _write(value, parts, what)
    return "".join(parts)


def _write(value: Any, out: list[str], where: str) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise UnstorableValue(f"{where}: text with the character U+0000 cannot be stored")
        out.append(json.dumps(value, ensure_ascii=False))
    elif value is None or isinstance(value, bool | int):
        out.append(json.dumps(value))
    elif isinstance(value, float):
        out.append(_positional(value, where))
    elif isinstance(value, Mapping):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                raise UnstorableValue(f"{where}: key {key!r} is not text")
            if index:
                out.append(",")
            _write(key, out, where)
            out.append(":")
            _write(item, out, f"{where}.{key}")
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out, f"{where}[{index}]")
        out.append("]")
    else:
        raise UnstorableValue(f"{where}: {type(value).__name__} is not a JSON value")


def _positional(value: float, where: str) -> str:
    if not math.isfinite(value):
        raise UnstorableValue(f"{where}: {value!r} is not a number PostgreSQL can keep")
    if value == 0 and math.copysign(1.0, value) < 0:
        raise UnstorableValue(f"{where}: -0.0 cannot be kept apart from 0.0 by PostgreSQL")
    text = format(Decimal(repr(value)), "f")  # the shortest round-trip digits, no exponent
    return text if "." in text else text + ".0"


def check_text(value: str, *, what: str) -> str:
    """``value`` if PostgreSQL can store it as text (no U+0000); UnstorableValue otherwise."""
    if "\x00" in value:
        raise UnstorableValue(f"{what} holds the character U+0000, which PostgreSQL cannot store")
    return value
