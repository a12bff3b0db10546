"""ITU-R M.493 / M.821 symbol tables as data (``resources/dsc_symbols.csv``, sources in
``resources/dsc_symbols.md``), and the field readers the DSC parser shares.

IEC 61162-1 writes each symbol as its two least-significant digits (``12`` = symbol 112).
"""

from __future__ import annotations

import csv
import json
from functools import cache

from sarapp.resources import resource_path

FORMAT_AREA, FORMAT_DISTRESS, FORMAT_GROUP, FORMAT_ALL_SHIPS = 102, 112, 114, 116
FORMAT_INDIVIDUAL, FORMAT_AUTOMATIC = 120, 123
CATEGORY_DISTRESS = 112
TC1_DISTRESS_ACK, TC1_DISTRESS_RELAY, TC1_POSITION = 110, 112, 121


_TWO_DIGITS = {f"{i:02d}": 100 + i for i in range(100)}  # "05" → symbol 105


@cache
def symbol_table(table: str) -> dict[str, str]:
    """One table of ``dsc_symbols.csv``: symbol (``"112"``, ``"R"``, ``"00"``) → name."""
    with resource_path("dsc_symbols.csv").open(encoding="utf-8", newline="") as f:
        return {r["symbol"]: r["name"] for r in csv.DictReader(f) if r["table"] == table}


@cache
def symbol_names(table: str) -> dict[int, str]:
    """A numeric table of ``dsc_symbols.csv``: symbol (112) → name."""
    return {int(code): name for code, name in symbol_table(table).items()}


def symbol(field: str) -> int | None:
    """The M.493 symbol of a two-digit IEC 61162-1 field (``"05"`` → 105); None if empty.

    Raises ValueError for anything but two digits.
    """
    if not field:
        return None
    code = _TWO_DIGITS.get(field)
    if code is None:
        raise ValueError(f'"{field}" is not a two-digit symbol code')
    return code


def symbol_name(table: str, code: int | None) -> str | None:
    """The name of symbol ``code`` in ``table``; a plain description when the table lacks it."""
    if code is None:
        return None
    name = symbol_names(table).get(code)
    return name if name is not None else f"unknown {table} symbol {code}"


def quoted(text: str, limit: int = 16) -> str:
    """Received text shown in an error: quoted, cut short, control characters escaped."""
    return json.dumps(text[:limit], ensure_ascii=True)
